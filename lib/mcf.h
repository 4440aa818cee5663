/* mcf.h — exact minimum-cost flow (primal network simplex).
 *
 * A graph of nnodes nodes (0..nnodes-1) with a supply per node (> 0 gives,
 * < 0 takes; the supplies must sum to 0) and arcs with a capacity and an
 * integer cost.  qy_mcf_solve finds a flow meeting every supply exactly at
 * the least total cost, or says there is none.  Everything is 64-bit
 * integer arithmetic, so the answer is exact, and the pivoting rules are
 * fixed, so the same graph built in the same order always gives the same
 * flow.  Not thread-safe per graph; separate graphs may be solved by
 * separate threads. */
#ifndef QY_MCF_H
#define QY_MCF_H

#include <stddef.h>
#include <stdint.h>

/* A capacity meaning "no bound".  Finite capacities must be below it, and
 * sums of supplies too. */
#define QY_MCF_INF ((int64_t)1 << 60)

struct qy_mcf {
	int nnodes;
	int64_t *supply; /* nnodes entries */
	int narcs, arc_cap;
	int *tail, *head;
	int64_t *cap, *cost;
	int64_t *flow; /* valid after qy_mcf_solve returned QY_MCF_OPTIMAL */
	int64_t *pi;   /* node potentials: the simplex leaves optimal ones here;
			  cost scaling starts from them when set (see there) */
	int *hint;     /* NULL, or per node an arc to hang it from in the start tree */
	long pivots;   /* statistics of the last solve */
	int hinted;    /* the last solve started from the hinted tree */
};

enum qy_mcf_status {
	QY_MCF_OPTIMAL = 0,
	QY_MCF_INFEASIBLE = 1, /* the supplies cannot be routed */
	QY_MCF_UNBOUNDED = 2,  /* a negative-cost cycle of unbounded capacity */
};

void qy_mcf_init(struct qy_mcf *g, int nnodes);
void qy_mcf_free(struct qy_mcf *g);
/* Adds supply s to node u (negative: a demand). */
void qy_mcf_add_supply(struct qy_mcf *g, int u, int64_t s);
/* Adds an arc u → v with capacity 0..QY_MCF_INF and a cost; returns its index. */
int qy_mcf_add_arc(struct qy_mcf *g, int u, int v, int64_t cap, int64_t cost);

/* Suggests arc e (leaving or entering u) as u's link towards the root of
 * the simplex's start tree.  Hints that make a cycle are dropped; if the
 * hinted tree cannot carry the supplies within the capacities, or is not
 * strongly feasible, all hints are ignored.  A good start tree (say, every
 * node hung by an arc on some path towards the sink) saves most pivots. */
void qy_mcf_hint(struct qy_mcf *g, int u, int e);

/* Solves.  art_cost is the cost of the artificial arcs that start the
 * simplex: it must exceed the cost of every simple path of real arcs (in
 * absolute value) so that the artificial arcs end empty; 0 picks the always
 * safe (max |cost| + 1) × (nnodes + 1).  The caller must make sure that no
 * potential (a sum of costs along a simple path, plus two artificial arcs)
 * exceeds 2^62 in absolute value.  Returns an enum qy_mcf_status. */
int qy_mcf_solve(struct qy_mcf *g, int64_t art_cost);

/* Maximum flow from s to t (Dinic), added to g->flow when it is set (it
 * must then be a valid flow), supplies ignored.  Returns the value added
 * (QY_MCF_INF or more when a path of unbounded arcs joins s to t, and then
 * the flows mean nothing); g->flow holds the result. */
int64_t qy_mcf_maxflow(struct qy_mcf *g, int s, int t);

/* Minimum-cost flow by cost scaling, starting from g->flow when it is set
 * (within the capacities; where it does not meet the supplies, the
 * difference is moved by the algorithm — a feasible flow must exist).  For graphs with no
 * negative-cost cycle of unbounded arcs, and small costs: prices stay below
 * 3.2·(n + 1)²·max|cost|, which must be under 2^62 (n = 10^6 nodes allow
 * costs up to ~10^6).  With g->pi set (potentials, in cost units, with
 * reduced cost = cost + pi[tail] − pi[head]), it skips the scaling and
 * goes straight to the final phase from them: near-optimal potentials and
 * flow (say, optimal for most of the graph) leave little work.  Returns an enum qy_mcf_status;
 * g->pivots counts its pushes and relabels. */
int qy_mcf_solve_scaling(struct qy_mcf *g);

#endif
