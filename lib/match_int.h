/* match_int.h — the internals shared by lib/match*.c.  Not an API.
 *
 * Every table here is filled in input order and indexed by small integers;
 * nothing is ever iterated in hash order, so the output depends on the
 * input bytes only. */
#ifndef QY_MATCH_INT_H
#define QY_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "match.h"
#include "msg.h"
#include "rx.h"

/* ---- interning (match_hash.c) ------------------------------------------ */

/* Byte strings → dense ids 0, 1, 2 … in order of first appearance. */
struct m_pool {
	char *arena;
	size_t alen, acap;
	size_t *off;	/* id → offset of its NUL-terminated bytes in arena */
	uint32_t *len;	/* id → length */
	uint32_t *hash; /* id → hash */
	int32_t n, cap; /* ids */
	int32_t *slot;	/* open addressing: id + 1, 0 = empty */
	uint32_t nslot; /* a power of two */
};

int32_t m_pool_intern(struct m_pool *pl, const char *p, size_t n);
int32_t m_pool_find(const struct m_pool *pl, const char *p, size_t n);
void m_pool_free(struct m_pool *pl);

static inline const char *
m_pool_str(const struct m_pool *pl, int32_t id)
{
	return pl->arena + pl->off[id];
}

/* Fixed-width tuples of int32 → dense ids in order of first appearance. */
struct m_keys {
	int width;
	int32_t *key; /* n × width */
	int32_t n, cap;
	int32_t *slot;
	uint32_t nslot;
};

void m_keys_init(struct m_keys *k, int width);
int32_t m_keys_intern(struct m_keys *k, const int32_t *key);
int32_t m_keys_find(const struct m_keys *k, const int32_t *key);
void m_keys_free(struct m_keys *k);

/* A growable array of int32. */
struct m_ints {
	int32_t *v;
	size_t n, cap;
};

void m_ints_push(struct m_ints *a, int32_t x);
void m_ints_free(struct m_ints *a);

/* ---- the instance ------------------------------------------------------- */

enum { M_NCAT = 6, M_CAT_ANY = 6 }; /* categories 0..5 and "any" */
#define M_DAY_MIN INT32_MIN
#define M_DAY_MAX INT32_MAX

enum m_reason { M_SERVED, M_NOT_OPEN, M_NO_RESOURCE, M_CAPACITY };
enum m_tier { M_TIER_COMMUNITY, M_TIER_STREET, M_TIER_DISTRICT };

struct m_demand {
	int32_t id;	   /* in m->demand_ids */
	int32_t loc;	   /* (district, street, community) in m->locs */
	int32_t content;   /* in m->text */
	int32_t submitted; /* day */
	int32_t needed_by; /* day, M_DAY_MAX when not given */
	int32_t quantity;
	int32_t kk;	   /* keyword key (loc, category, content), -1 unless open */
	int32_t served;	   /* units dispatched */
	int32_t t1i, t2i;  /* max(submitted, as-of), needed_by: ranks (see m_prepare) */
	int32_t first_row; /* its first entry in m->rows, when served */
	int32_t nrows;
	uint8_t category, priority, status, weeks;
	uint8_t reason; /* enum m_reason of the unserved rest */
};

struct m_resource {
	int32_t id;			     /* in m->resource_ids */
	int32_t unit;			     /* in m->text */
	int32_t district, street, community; /* in m->text, -1 when empty */
	int32_t from, until;		     /* days, M_DAY_MIN/M_DAY_MAX when empty */
	int64_t capacity;		     /* left after claims */
	int32_t pattern;		     /* in m->patterns, -1: none or does not compile */
	int32_t group;			     /* its resource group */
	int32_t nu, nf;			     /* until, from as ranks (see m_prepare) */
	int32_t rclass;
	uint32_t line;
	uint8_t category; /* 0..5 or M_CAT_ANY */
};

struct m_pair {
	int32_t district, street, community, unit; /* in m->text; -1 when empty */
};

/* Resources that no demand can tell apart — same group, pattern, date
 * ranks and (if any pair row names it) unit — flow as one, with their
 * capacities summed; the flow is shared out in input order afterwards. */
struct m_rclass {
	int32_t group, pattern, nu, nf, unit;
	int32_t urank, frank; /* nu, nf among the group's (frank -1: no from) */
	int64_t capacity;
	struct m_ints members; /* resources, input order */
};

/* A resource group: the resources of one scope (district, street,
 * community; -1 for empty) and one category (or any), in input order.
 * Their untils and froms, sorted and distinct, rank demands' windows. */
struct m_group {
	int32_t district, street, community, category;
	uint8_t tier;
	struct m_ints res, rcs; /* resources and their classes, input order */
	struct m_ints untils, froms;
	struct m_ints patterns; /* distinct pattern ids of its resources, sorted */
};

/* One dispatched (demand, resource, units) row. */
struct m_row {
	int32_t demand, resource;
	int64_t units;
};

/* A match-limit hit of a pattern on one keyword key: (kk, group, pattern). */
struct m_limit {
	int32_t kk, group, pattern;
};

/* Localities by street and by district, to enumerate a scope's. */
struct m_loc_index {
	int32_t *by_street_off, *by_street; /* street text id → locs */
	int32_t *by_dist_off, *by_dist;	    /* district text id + 1 → locs (0: no district) */
	int32_t nlocs;
};

struct qy_match {
	struct qy_match_opts o;
	struct qy_diag *d;
	int nthreads;

	struct m_pool text; /* districts, streets, communities, units, contents */
	struct m_pool demand_ids, resource_ids;
	struct m_pool pattern_text; /* distinct keyword patterns */
	struct qy_rx **rx;	    /* per pattern; NULL when it does not compile */
	struct m_keys locs;	    /* (district, street, community) of demands */

	struct m_demand *dem;
	int32_t ndem, dem_cap;
	struct m_resource *res;
	int32_t nres, res_cap;
	struct m_pair *pairs;
	int32_t npairs, pair_cap;
	const char *resource_file;

	/* derived (match_solve.c, match_kw.c) */
	struct m_group *groups;
	int32_t ngroups;
	struct m_keys group_keys; /* (district, street, community, category) */
	int32_t *loc_pair_off;	  /* loc → its paired units in loc_pair_units */
	struct m_ints loc_pair_units;
	int32_t *lc_group_off; /* (loc × 6 + category) → reachable groups */
	struct m_ints lc_groups;
	int32_t *lc_u_off, *lc_f_off; /* (loc × 6 + category) → reachable untils, froms */
	struct m_ints lc_untils, lc_froms;
	struct m_loc_index ix;
	struct m_ints *unit_rcs; /* unit text id → resource classes (sparse) */
	int32_t nunit_rcs;
	struct m_rclass *rcs;
	int32_t nrc;

	struct m_keys kks;  /* (loc, category, content) of open demands */
	int32_t *kk_sig;    /* kk → signature id */
	struct m_pool sigs; /* signatures: sorted (group, pattern) pairs as bytes */
	struct m_limit *limits;
	size_t nlimits;

	struct m_row *rows;
	size_t nrows;
	int solved;
	int trace;	    /* QY_MATCH_TRACE set: stage times and sizes on stderr */
	int method_simplex; /* QY_MATCH_METHOD=simplex: the cross-check method */
	double start;	    /* seconds, for the trace */
};

/* ---- shared helpers ------------------------------------------------------ */

/* 1 when resource r may serve demand d by category, district and locality
 * (SPEC 4 rules 1–3); the tier in *tier. */
int m_reaches(const struct qy_match *m, const struct m_resource *r, const struct m_demand *d,
	      int *tier);
/* SPEC 4 rule 4. */
int m_time_ok(const struct qy_match *m, const struct m_resource *r, const struct m_demand *d);
/* 1 when a pair row links d's community with r's unit. */
int m_paired(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r);
/* 1 when r's keywords matched d's content (as the solver saw it). */
int m_keyword(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r);
/* The score of one unit of d served by r, with its parts. */
int m_score(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r,
	    int *tier, int *paired, int *keyword);

/* Calls fn(arg, loc) for every locality of a demand the group's scope covers. */
void m_for_covered_locs(const struct qy_match *m, const struct m_group *g,
			void (*fn)(void *arg, int32_t loc), void *arg);
/* Builds a CSR index: items 0..nitems-1 by key_of[item] in 0..nkeys-1. */
void m_csr_build(int32_t nkeys, int32_t nitems, const int32_t *key_of, int32_t **off,
		 int32_t **items);

/* match_kw.c: keyword signatures of every open demand's (loc, category,
 * content), and the match-limit problems. */
void m_keywords(struct qy_match *m);
/* match_solve.c */
void m_prepare(struct qy_match *m);
void m_free_prepared(struct qy_match *m);
void m_solve_all(struct qy_match *m);

/* With QY_MATCH_TRACE in the environment: "qy-match: trace: 1.23 s: …". */
void m_trace_start(struct qy_match *m);
void m_trace(const struct qy_match *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int32_t m_uf_find(int32_t *parent, int32_t x);
void m_uf_union(int32_t *parent, int32_t a, int32_t b);

/* Runs fn(arg, i) for i in 0..n-1 on up to nthreads threads, taking i in
 * order; fn must write only what belongs to i. */
void m_parallel(int nthreads, int32_t n, void (*fn)(void *arg, int32_t i), void *arg);

#endif
