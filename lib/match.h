/* match.h — qy-match's engine (SPEC 4): read demands, resources and
 * pairings, dispatch every open demand's units to eligible resources with
 * an exactly optimal lexicographic objective, and write the dispatch list.
 *
 *   struct qy_match *m = qy_match_new(&opts, &diag);
 *   qy_match_read_resources(m, "resources.tsv");
 *   qy_match_read_pairs(m, "pairs.tsv");          (optional)
 *   qy_match_read_demands(m, paths, npaths);       (NULL/"-": stdin)
 *   qy_match_solve(m);
 *   qy_match_write(m, &out);
 *   qy_match_free(m);
 *
 * Data problems (bad rows, repeated ids, claims on unknown resources,
 * patterns that do not compile or hit the match limit) go to the diag as
 * qy_problem; unreadable inputs are fatal.  Resources must be read before
 * demands (claims consume their capacity). */
#ifndef QY_MATCH_H
#define QY_MATCH_H

#include <stdint.h>

#include "value.h"

struct qy_diag;
struct qy_out;

/* The score weights of SPEC 4, each −1000..1000. */
struct qy_match_weights {
	int community, street, district, paired, keyword, wait;
};

struct qy_match_opts {
	qy_day as_of;
	struct qy_match_weights w;
	int explain; /* add the why column */
	int threads; /* 0: $QY_MATCH_THREADS, else one per online CPU, at most 8 */
};

/* The default weights: 30, 15, 0, 20, 25, 2. */
void qy_match_default_weights(struct qy_match_weights *w);
/* Applies one -w argument "NAME=VALUE".  Returns 0, or -1 with the reason
 * in why. */
int qy_match_set_weight(struct qy_match_weights *w, const char *arg, struct qy_buf *why);

struct qy_match;

struct qy_match *qy_match_new(const struct qy_match_opts *o, struct qy_diag *d);
void qy_match_free(struct qy_match *m);

void qy_match_read_resources(struct qy_match *m, const char *path);
void qy_match_read_pairs(struct qy_match *m, const char *path);
void qy_match_read_demands(struct qy_match *m, const char *const *paths, int npaths);

void qy_match_solve(struct qy_match *m);
void qy_match_write(struct qy_match *m, struct qy_out *o);

/* The objective reached, most important first: critical, urgent and normal
 * units served, then the total score (Σ units × score). */
struct qy_match_objective {
	int64_t critical, urgent, normal, score;
};
void qy_match_get_objective(const struct qy_match *m, struct qy_match_objective *obj);

#endif
