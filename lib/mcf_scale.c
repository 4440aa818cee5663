/* mcf_scale.c — maximum flow (Dinic) and minimum-cost flow by cost scaling
 * (Goldberg–Tarjan push–relabel), on the graphs of mcf.h.
 *
 * Why a second min-cost method: the network simplex is exact and quick on
 * small and medium networks, but on a city's one big component (~3·10^5
 * nodes, ~2·10^6 arcs) most of its pivots are degenerate and each moves a
 * large subtree.  Cost scaling does O(m) work per scaling phase with no
 * tree to maintain, and the number of phases is log16 of (n + 1)·max|cost|:
 * about 8 for qy-match's score costs.  It needs small costs to stay inside
 * int64 (see qy_mcf_solve_scaling), which is why qy-match first settles the
 * priorities with lexicographic maximum flows (Dinic) and then lets cost
 * scaling optimise the scores alone.
 *
 * Both work on a residual copy of the graph: per node its residual arcs in
 * arc order (forward: capacity − flow, backward: flow), so every choice is
 * deterministic. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mcf.h"

struct res {
	int n;
	int *start;	 /* node → first residual arc; n + 1 entries */
	int *head;	 /* residual arc → the node it enters */
	int *rev;	 /* residual arc → its twin */
	int *arc;	 /* residual arc → the graph arc; forward ones are even in `dir` */
	signed char *fw; /* 1 forward, 0 backward */
	int64_t *cap;	 /* residual capacity */
	int64_t *cost;	 /* forward: cost, backward: −cost */
};

/* inf: what an unbounded capacity becomes (cost scaling must push whole
 * residual capacities; Dinic keeps QY_MCF_INF). */
static void
res_build(struct res *r, const struct qy_mcf *g, int64_t cost_scale, int64_t inf)
{
	int n = g->nnodes, m = g->narcs;
	size_t ma = 2 * (size_t)m + 1;
	r->n = n;
	r->start = qy_xcalloc((size_t)n + 2, sizeof *r->start);
	r->head = qy_xmalloc(ma * sizeof *r->head);
	r->rev = qy_xmalloc(ma * sizeof *r->rev);
	r->arc = qy_xmalloc(ma * sizeof *r->arc);
	r->fw = qy_xmalloc(ma);
	r->cap = qy_xmalloc(ma * sizeof *r->cap);
	r->cost = qy_xmalloc(ma * sizeof *r->cost);
	/* arcs that can carry nothing (capacity 0, no flow) are left out */
#define DEAD(e) (g->cap[e] == 0 && (g->flow == NULL || g->flow[e] == 0))
	for (int e = 0; e < m; e++) {
		if (DEAD(e))
			continue;
		r->start[g->tail[e] + 1]++;
		r->start[g->head[e] + 1]++;
	}
	for (int u = 0; u < n; u++)
		r->start[u + 1] += r->start[u];
	int *fill = qy_xmalloc(((size_t)n + 1) * sizeof *fill);
	memcpy(fill, r->start, (size_t)n * sizeof *fill);
	/* two passes keep each node's arcs in graph arc order */
	for (int e = 0; e < m; e++) {
		if (DEAD(e))
			continue;
		int a = fill[g->tail[e]]++, b = fill[g->head[e]]++;
		int64_t f = g->flow ? g->flow[e] : 0;
		r->head[a] = g->head[e];
		r->head[b] = g->tail[e];
		r->rev[a] = b;
		r->rev[b] = a;
		r->arc[a] = r->arc[b] = e;
		r->fw[a] = 1;
		r->fw[b] = 0;
		r->cap[a] = g->cap[e] >= QY_MCF_INF ? inf - f : g->cap[e] - f;
		r->cap[b] = f;
		r->cost[a] = g->cost[e] * cost_scale;
		r->cost[b] = -g->cost[e] * cost_scale;
	}
	free(fill);
#undef DEAD
}

/* Writes the residual state back as g->flow. */
static void
res_flows(const struct res *r, struct qy_mcf *g)
{
	if (g->flow == NULL) /* arcs left out of the residual graph carry 0 */
		g->flow = qy_xcalloc((size_t)g->narcs + (size_t)g->nnodes + 1, sizeof *g->flow);
	for (int u = 0; u < r->n; u++)
		for (int a = r->start[u]; a < r->start[u + 1]; a++)
			if (!r->fw[a])
				g->flow[r->arc[a]] = r->cap[a];
}

static void
res_free(struct res *r)
{
	free(r->start);
	free(r->head);
	free(r->rev);
	free(r->arc);
	free(r->fw);
	free(r->cap);
	free(r->cost);
	memset(r, 0, sizeof *r);
}

/* ---- Dinic ------------------------------------------------------------------ */

struct dinic {
	struct res *r;
	int *level, *it, *queue, *path;
};

static int
dinic_bfs(struct dinic *d, int s, int t)
{
	struct res *r = d->r;
	for (int u = 0; u < r->n; u++)
		d->level[u] = -1;
	int qh = 0, qt = 0;
	d->queue[qt++] = s;
	d->level[s] = 0;
	while (qh < qt) {
		int u = d->queue[qh++];
		for (int a = r->start[u]; a < r->start[u + 1]; a++) {
			int v = r->head[a];
			if (r->cap[a] > 0 && d->level[v] < 0) {
				d->level[v] = d->level[u] + 1;
				d->queue[qt++] = v;
			}
		}
	}
	return d->level[t] >= 0;
}

/* One blocking flow by advance and retreat along current arcs. */
static int64_t
dinic_block(struct dinic *d, int s, int t)
{
	struct res *r = d->r;
	int64_t total = 0;
	for (int u = 0; u < r->n; u++)
		d->it[u] = r->start[u];
	int depth = 0, u = s;
	for (;;) {
		if (u == t) {
			int64_t b = QY_MCF_INF;
			for (int i = 0; i < depth; i++)
				if (r->cap[d->path[i]] < b)
					b = r->cap[d->path[i]];
			if (b >= QY_MCF_INF)
				return QY_MCF_INF; /* an unbounded path: no maximum */
			for (int i = 0; i < depth; i++) {
				int a = d->path[i];
				if (r->cap[a] < QY_MCF_INF)
					r->cap[a] -= b;
				if (r->cap[r->rev[a]] < QY_MCF_INF)
					r->cap[r->rev[a]] += b;
			}
			total += b;
			/* restart from the first saturated arc */
			int k = 0;
			while (k < depth && r->cap[d->path[k]] > 0)
				k++;
			depth = k;
			u = depth ? r->head[d->path[depth - 1]] : s;
			continue;
		}
		int a = d->it[u];
		while (a < r->start[u + 1] &&
		       (r->cap[a] <= 0 || d->level[r->head[a]] != d->level[u] + 1))
			a++;
		d->it[u] = a;
		if (a < r->start[u + 1]) {
			d->path[depth++] = a;
			u = r->head[a];
			continue;
		}
		/* dead end: retreat */
		if (depth == 0)
			return total;
		d->level[u] = -1;
		depth--;
		u = depth ? r->head[d->path[depth - 1]] : s;
		d->it[u]++;
	}
}

int64_t
qy_mcf_maxflow(struct qy_mcf *g, int s, int t)
{
	struct res r;
	res_build(&r, g, 1, QY_MCF_INF);
	struct dinic d = {.r = &r};
	size_t n = (size_t)g->nnodes + 1;
	d.level = qy_xmalloc(n * sizeof *d.level);
	d.it = qy_xmalloc(n * sizeof *d.it);
	d.queue = qy_xmalloc(n * sizeof *d.queue);
	d.path = qy_xmalloc(n * sizeof *d.path);
	int64_t total = 0;
	while (total < QY_MCF_INF && dinic_bfs(&d, s, t))
		total += dinic_block(&d, s, t);
	res_flows(&r, g);
	free(d.level);
	free(d.it);
	free(d.queue);
	free(d.path);
	res_free(&r);
	return total;
}

/* ---- cost scaling ------------------------------------------------------------ */

/* A binary heap of (distance, node) with lazy deletion: an entry whose
 * distance is no longer the node's is skipped when it comes up. */
struct hentry {
	int64_t d;
	int u;
};

struct cs {
	struct res *r;
	int64_t *excess, *price;
	int *current, *queue;
	unsigned char *queued;
	int qh, qt, qn; /* FIFO ring of active nodes */
	long relabels, pushes, updates;
	long since_update; /* relabels since the last price update */
	/* price update */
	int64_t *dist;
	unsigned char *done;
	struct hentry *heap;
	int nheap, heap_cap;
};

static void
enqueue(struct cs *c, int u)
{
	if (c->queued[u])
		return;
	c->queued[u] = 1;
	c->queue[c->qt] = u;
	c->qt = c->qt + 1 == c->qn ? 0 : c->qt + 1;
}

static int
dequeue(struct cs *c)
{
	int u = c->queue[c->qh];
	c->qh = c->qh + 1 == c->qn ? 0 : c->qh + 1;
	c->queued[u] = 0;
	return u;
}

static inline void
push(struct cs *c, int a, int u, int64_t x)
{
	struct res *r = c->r;
	r->cap[a] -= x;
	r->cap[r->rev[a]] += x;
	c->excess[u] -= x;
	c->excess[r->head[a]] += x;
	c->pushes++;
}

/* Relabel: the highest price that gives u an admissible arc.  Returns -1
 * when u has no residual arc at all (no feasible flow). */
static int
relabel(struct cs *c, int u, int64_t eps)
{
	struct res *r = c->r;
	int64_t best = INT64_MIN;
	for (int a = r->start[u]; a < r->start[u + 1]; a++)
		if (r->cap[a] > 0) {
			int64_t p = c->price[r->head[a]] - r->cost[a];
			if (p > best)
				best = p;
		}
	if (best == INT64_MIN)
		return -1;
	c->price[u] = best - eps;
	c->current[u] = r->start[u];
	c->relabels++;
	c->since_update++;
	return 0;
}

static int
discharge(struct cs *c, int u, int64_t eps)
{
	struct res *r = c->r;
	while (c->excess[u] > 0) {
		int a = c->current[u], end = r->start[u + 1];
		int64_t pu = c->price[u];
		for (; a < end; a++) {
			if (r->cap[a] <= 0)
				continue;
			int v = r->head[a];
			if (r->cost[a] + pu - c->price[v] >= 0)
				continue;
			int64_t x = c->excess[u] < r->cap[a] ? c->excess[u] : r->cap[a];
			push(c, a, u, x);
			if (c->excess[v] > 0)
				enqueue(c, v);
			if (c->excess[u] == 0)
				break;
		}
		c->current[u] = a < end ? a : r->start[u];
		if (c->excess[u] > 0 && relabel(c, u, eps) != 0)
			return -1;
	}
	return 0;
}

/* ---- global price update (Goldberg's CS2 heuristic) ----

   Each node's distance to the nearest deficit, over residual arcs whose
   length is ⌊reduced cost / ε⌋ + 1 (≥ 0 in an ε-optimal pseudoflow), is
   found by Dijkstra; lowering every price by ε × its distance keeps
   ε-optimality (a residual arc's reduced cost falls by at most ε × its
   length) and gives every node with excess an admissible path towards a
   deficit, which saves most relabels. */

static int
hless(struct hentry a, struct hentry b)
{
	return a.d != b.d ? a.d < b.d : a.u < b.u;
}

static void
hpush(struct cs *c, int64_t d, int u)
{
	if (c->nheap == c->heap_cap) {
		c->heap_cap = c->heap_cap ? 2 * c->heap_cap : 1024;
		c->heap = qy_xrealloc(c->heap, (size_t)c->heap_cap * sizeof *c->heap);
	}
	int i = c->nheap++;
	struct hentry x = {d, u};
	while (i > 0 && hless(x, c->heap[(i - 1) / 2])) {
		c->heap[i] = c->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	c->heap[i] = x;
}

static struct hentry
hpop(struct cs *c)
{
	struct hentry top = c->heap[0], x = c->heap[--c->nheap];
	int i = 0;
	for (;;) {
		int l = 2 * i + 1;
		if (l >= c->nheap)
			break;
		if (l + 1 < c->nheap && hless(c->heap[l + 1], c->heap[l]))
			l++;
		if (!hless(c->heap[l], x))
			break;
		c->heap[i] = c->heap[l];
		i = l;
	}
	c->heap[i] = x;
	return top;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Stops once every node with excess is settled: the others get the last
 * settled distance (or their own, if smaller), which keeps ε-optimality
 * (for a residual arc u → v, d(u) ≤ d(v) + its length still holds). */
static void
price_update(struct cs *c, int64_t eps)
{
	struct res *r = c->r;
	const int64_t unreached = INT64_MAX;
	int waiting = 0;
	c->nheap = 0;
	for (int u = 0; u < r->n; u++) {
		c->dist[u] = unreached;
		c->done[u] = 0;
		waiting += c->excess[u] > 0;
	}
	for (int u = 0; u < r->n; u++)
		if (c->excess[u] < 0) {
			c->dist[u] = 0;
			hpush(c, 0, u);
		}
	int64_t radius = 0;
	while (c->nheap > 0 && waiting > 0) {
		struct hentry h = hpop(c);
		int v = h.u;
		if (c->done[v] || h.d != c->dist[v])
			continue;
		c->done[v] = 1;
		radius = h.d;
		waiting -= c->excess[v] > 0;
		int64_t pv = c->price[v];
		for (int b = r->start[v]; b < r->start[v + 1]; b++) {
			int u = r->head[b];
			if (c->done[u] || r->cap[r->rev[b]] <= 0) /* the arc u → v */
				continue;
			int64_t len = floor_div(-r->cost[b] + c->price[u] - pv, eps) + 1;
			if (h.d + len < c->dist[u]) {
				c->dist[u] = h.d + len;
				hpush(c, h.d + len, u);
			}
		}
	}
	for (int u = 0; u < r->n; u++) {
		int64_t d = c->dist[u] < radius ? c->dist[u] : radius;
		c->price[u] -= d * eps;
		c->current[u] = r->start[u];
	}
	c->updates++;
	c->since_update = 0;
}

/* From an ε·α-optimal feasible flow to an ε-optimal one. */
/* From an ε·α-optimal feasible flow to an ε-optimal one. */
static int
refine(struct cs *c, int64_t eps)
{
	struct res *r = c->r;
	for (int u = 0; u < r->n; u++) {
		c->current[u] = r->start[u];
		for (int a = r->start[u]; a < r->start[u + 1]; a++)
			if (r->cap[a] > 0 && r->cost[a] + c->price[u] - c->price[r->head[a]] < 0)
				push(c, a, u, r->cap[a]);
	}
	for (int u = 0; u < r->n; u++)
		if (c->excess[u] > 0)
			enqueue(c, u);
	price_update(c, eps);
	while (c->qh != c->qt) { /* at most n of n + 1 slots are used */
		int u = dequeue(c);
		if (discharge(c, u, eps) != 0)
			return -1;
		if (c->since_update > r->n / 4)
			price_update(c, eps);
	}
	return 0;
}

/* Prices from given potentials; returns how far the flow is from
 * optimality under them (the largest −reduced cost of a residual arc, in
 * scaled units), at least 1. */
static int64_t
warm_start(struct cs *c, const int64_t *pi, int64_t scale)
{
	struct res *r = c->r;
	int64_t worst = 1;
	for (int u = 0; u < r->n; u++)
		c->price[u] = pi[u] * scale;
	for (int u = 0; u < r->n; u++)
		for (int a = r->start[u]; a < r->start[u + 1]; a++) {
			int64_t rc = r->cost[a] + c->price[u] - c->price[r->head[a]];
			if (r->cap[a] > 0 && -rc > worst)
				worst = -rc;
		}

	return worst;
}

int
qy_mcf_solve_scaling(struct qy_mcf *g)
{
	int n = g->nnodes;
	int64_t sum = 0, maxc = 0;
	for (int u = 0; u < n; u++)
		sum += g->supply[u];
	if (sum != 0)
		return QY_MCF_INFEASIBLE;
	/* An optimal flow never needs more on an unbounded arc than all the
	 * supply plus all the finite capacity (paths plus cycles through a
	 * finite arc), given no negative cycle of unbounded arcs. */
	int64_t bound = 1;
	for (int u = 0; u < n; u++)
		bound += g->supply[u] > 0 ? g->supply[u] : 0;
	for (int e = 0; e < g->narcs; e++) {
		int64_t c = g->cost[e] < 0 ? -g->cost[e] : g->cost[e];
		if (c > maxc)
			maxc = c;
		if (g->cap[e] < QY_MCF_INF)
			bound += g->cap[e];
		else if (g->flow != NULL && g->flow[e] >= bound)
			bound = g->flow[e] + 1;
	}
	if (g->flow == NULL) {
		/* a feasible start: route the supplies by a maximum flow from a
		 * super source to a super sink */
		struct qy_mcf f;
		qy_mcf_init(&f, n + 2);
		for (int e = 0; e < g->narcs; e++)
			qy_mcf_add_arc(&f, g->tail[e], g->head[e], g->cap[e], 0);
		int64_t want = 0;
		for (int u = 0; u < n; u++) {
			if (g->supply[u] > 0) {
				qy_mcf_add_arc(&f, n, u, g->supply[u], 0);
				want += g->supply[u];
			} else if (g->supply[u] < 0) {
				qy_mcf_add_arc(&f, u, n + 1, -g->supply[u], 0);
			}
		}
		int64_t got = qy_mcf_maxflow(&f, n, n + 1);
		g->flow = qy_xcalloc((size_t)g->narcs + (size_t)n + 1, sizeof *g->flow);
		memcpy(g->flow, f.flow, (size_t)g->narcs * sizeof *g->flow);
		qy_mcf_free(&f);
		if (got != want)
			return QY_MCF_INFEASIBLE;
	}
	struct res r;
	res_build(&r, g, (int64_t)n + 1, bound);
	struct cs c = {.r = &r};
	size_t nn = (size_t)n + 1;
	c.excess = qy_xcalloc(nn, sizeof *c.excess);
	c.price = qy_xcalloc(nn, sizeof *c.price);
	c.current = qy_xmalloc(nn * sizeof *c.current);
	c.queue = qy_xmalloc(nn * sizeof *c.queue);
	c.queued = qy_xcalloc(nn, 1);
	c.dist = qy_xmalloc(nn * sizeof *c.dist);
	c.done = qy_xmalloc(nn);
	c.qn = (int)nn;
	int status = QY_MCF_OPTIMAL;
	/* a pseudoflow start may leave excesses (flow that has not arrived) */
	int pending = 0;
	for (int u = 0; u < n; u++)
		c.excess[u] = g->supply[u];
	for (int e = 0; e < g->narcs; e++) {
		c.excess[g->tail[e]] -= g->flow[e];
		c.excess[g->head[e]] += g->flow[e];
	}
	for (int u = 0; u < n; u++)
		pending |= c.excess[u] != 0;

	/* From scratch, ε falls from the largest cost by factors of 16.  From
	 * given potentials, one refine at the final ε: refine begins by
	 * saturating every arc the prices violate, so it accepts any start,
	 * and near-optimal potentials leave it little to do. */
	int64_t eps = maxc * ((int64_t)n + 1);
	if (g->pi != NULL) {
		eps = 1;
		pending |= warm_start(&c, g->pi, (int64_t)n + 1) > 1;
	}
	while (eps > 1 || pending) {
		pending = 0;
		eps = eps / 16 > 1 ? eps / 16 : 1;
		if (refine(&c, eps) != 0) {
			status = QY_MCF_INFEASIBLE;
			break;
		}
	}
	g->pivots = c.pushes + c.relabels;
	res_flows(&r, g);
	free(c.excess);
	free(c.price);
	free(c.current);
	free(c.queue);
	free(c.queued);
	free(c.dist);
	free(c.heap);
	free(c.done);
	res_free(&r);
	return status;
}
