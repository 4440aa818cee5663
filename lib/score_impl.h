/* score_impl.h — the inside of struct qy_score, shared by score.c (the
 * arithmetic and the output) and score_read.c (the inputs).  Not for
 * programs: use score.h. */
#ifndef QY_SCORE_IMPL_H
#define QY_SCORE_IMPL_H

#include <stdint.h>

#include "buf.h"
#include "rules.h"
#include "score.h"
#include "score_map.h"

/* A piece of text in s->text. */
struct text_ref {
	uint64_t off;
	uint32_t len;
};

/* What the activity loop writes per member lives apart from struct member,
 * in one block of s->hot_stride int64s per member (s->hot, indexed like
 * s->member), so that a row costs one cache miss there:
 *   [0]                       flags | veto-kind events << 8
 *   [1 + month × kinds + k]   the month's sum of kind k (×QY_AMOUNT_SCALE) */
enum member_flag {
	M_SCORED = 1,	/* has a scored activity in the period (not inactive) */
	M_POSITIVE = 2, /* … under a rule with positive points (participation) */
};
enum { HOT_EVENTS_SHIFT = 8 };

struct member {
	uint64_t id_off; /* the id, NUL-terminated, in s->member_ids.keys */
	uint32_t id_len;
	uint32_t line; /* roster line, for duplicate messages */
	struct text_ref name;
	int32_t branch;	  /* index into s->branch, or -1 */
	int8_t kind_code; /* enum qy_member_kind, or -1 */
	uint8_t in_roster;
	/* computed by score.c */
	long long points; /* ×QY_AMOUNT_SCALE */
	long long index;  /* tenths */
};

/* How a branch kind counts in org_life (SPEC 5.3). */
enum org_role {
	ORG_NONE,
	ORG_MONTHLY,   /* committee, group, theme_day: once a month */
	ORG_QUARTERLY, /* assembly, lecture: once a quarter */
};

struct branch {
	uint64_t id_off; /* in s->branch_ids.keys */
	uint32_t id_len;
	uint32_t line;
	struct text_ref name, street, community;
	uint8_t in_roster;
	uint32_t events; /* 1 + block number in s->events, 0 = none yet */
	/* computed by score.c */
	uint32_t members, positive, violations;
	long long sum_index; /* Σ of the members' rounded indices, tenths */
};

/* Demands of one community (or one street's community). */
struct service {
	long long all, closed, done, rated, sat_sum;
};

struct qy_score {
	struct qy_score_opts o;
	struct qy_classifier classifier;
	size_t nkinds_member, nkinds_branch;
	enum org_role *role; /* per branch kind */

	struct qy_smap member_ids;
	struct member *member;
	size_t nmembers, cap_members;
	const char *member_roster; /* -m file name, or NULL */

	struct qy_smap branch_ids;
	struct branch *branch;
	size_t nbranches, cap_branches;
	const char *branch_roster; /* -b file name, or NULL */

	long long *hot; /* see enum member_flag */
	size_t hot_stride;
	/* Per branch: window months × branch kinds flags (an event was held). */
	uint8_t *events;
	size_t nevent_blocks, cap_event_blocks, event_block;
	long window_months;

	int have_demands;
	struct qy_smap service_by_street; /* "street\x1f" "community" */
	struct qy_smap service_by_community;
	struct service *service;
	size_t nservice, cap_service;

	struct qy_buf text;	/* names, streets, communities */
	char **activity_header; /* the first activity input's header */
	size_t activity_ncols;
};

static inline int
days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

struct text_ref text_add(struct qy_score *s, const char *p, size_t n);
static inline const char *
text_of(const struct qy_score *s, struct text_ref r)
{
	return s->text.data + r.off;
}
/* The index of the branch called id, adding it (not in the roster) when new. */
uint32_t branch_intern(struct qy_score *s, const char *id, size_t n);
static inline long long *
member_hot(const struct qy_score *s, size_t i)
{
	return s->hot + i * s->hot_stride;
}
static inline unsigned
member_flags(const struct qy_score *s, size_t i)
{
	return (unsigned)(member_hot(s, i)[0] & 0xff);
}
static inline long long
member_violations(const struct qy_score *s, size_t i)
{
	return member_hot(s, i)[0] >> HOT_EVENTS_SHIFT;
}
uint8_t *branch_events(struct qy_score *s, struct branch *b);

#endif
