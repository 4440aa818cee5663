/* rules.h — qy-score's rules (SPEC 5.1): which activity kind text is which
 * kind, and what it is worth.
 *
 * A rules TSV has the columns kind, level, pattern, points, per, cap, label
 * (found by name; others are ignored).  Rules are tried in file order; the
 * first rule of the row's level whose PCRE2 pattern matches the kind text
 * wins.  Several rules may feed one kind (say, two patterns worth different
 * points): a kind belongs to one level and has one cap, which all its rules
 * must agree on.  The built-in rules are the same data compiled in; they are
 * also installed as share/rules.tsv, and --print-rules writes them. */
#ifndef QY_RULES_H
#define QY_RULES_H

#include <stddef.h>

#include "score_map.h"

struct qy_diag;
struct qy_out;
struct qy_rx;
struct qy_rx_scratch;

enum qy_level {
	QY_LEVEL_MEMBER,
	QY_LEVEL_BRANCH,
};
enum { QY_NLEVELS = 2 };

enum qy_per {
	QY_PER_EVENT,
	QY_PER_HOUR,
};

/* A kind: the bucket points are summed and capped in. */
struct qy_kind {
	char *name; /* lowercase snake_case: it becomes the column pts_<name> */
	enum qy_level level;
	int has_cap;
	long long cap; /* ×100 (score_num.h); ≥ 0 bounds from above, < 0 from below */
	unsigned long line;
};

struct qy_rule {
	int kind; /* index into the level's kinds */
	enum qy_level level;
	char *pattern;
	long long points; /* ×100 */
	enum qy_per per;
	char *label;
	unsigned long line; /* for messages: the rule's line in its file */
	struct qy_rx *rx;
};

struct qy_rules {
	char *source; /* the file name, or "<built-in rules>" */
	struct qy_rule *rule;
	size_t n;
	struct qy_kind *kind[QY_NLEVELS]; /* per level, in order of first rule */
	size_t nkinds[QY_NLEVELS];
	int veto_kind; /* the member kind called "violation" (一票否决), or -1 */
};

/* Loads the built-in rules (SPEC 5.1's table, in the shipped order). */
void qy_rules_load_default(struct qy_rules *r, struct qy_diag *d);
/* Loads a rules TSV.  Every problem in it is fatal (exit 2), with a message
 * at FILE:LINE of the rule (line 1 for the header). */
void qy_rules_load(struct qy_rules *r, const char *path, struct qy_diag *d);
void qy_rules_free(struct qy_rules *r);

/* Writes the rules as a rules TSV that qy_rules_load reads back unchanged. */
void qy_rules_print(const struct qy_rules *r, struct qy_out *o);

/* "member" / "branch" */
const char *qy_level_name(enum qy_level level);

enum {
	QY_CLASS_NONE = -1,  /* no rule of the level matches */
	QY_CLASS_ERROR = -2, /* PCRE2 failed: the text is not UTF-8, or a limit was hit */
};

/* Classifies kind texts, each distinct text once: the answer is cached by
 * text per level (up to QY_CLASS_CACHE_MAX texts per level; beyond that,
 * e.g. a free-text kind column, texts are matched without caching, so memory
 * stays bounded). */
enum { QY_CLASS_CACHE_MAX = 1 << 16 };

struct qy_classifier {
	const struct qy_rules *rules;
	struct qy_rx_scratch *scratch;
	struct qy_smap cache[QY_NLEVELS];
	unsigned long evaluated; /* texts run through the patterns, for tests */
};

void qy_classifier_init(struct qy_classifier *c, const struct qy_rules *r);
void qy_classifier_free(struct qy_classifier *c);
/* The index of the winning rule in c->rules->rule, or QY_CLASS_NONE or
 * QY_CLASS_ERROR. */
int qy_classify(struct qy_classifier *c, enum qy_level level, const char *text, size_t n);

#endif
