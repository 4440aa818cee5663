/* test_mcf.c — the network simplex against an independent textbook method:
 * a feasible flow by Edmonds–Karp, then negative cycles cancelled with
 * Bellman–Ford until none is left (optimal by the negative-cycle criterion).
 * Thousands of random small graphs; every answer is also checked for
 * conservation and capacities. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "mcf.h"

/* A small deterministic PRNG (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int
rnd_in(int lo, int hi)
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

enum { MAXN = 12, MAXM = 40 };

struct graph {
	int n, m;
	int64_t supply[MAXN];
	int tail[MAXM], head[MAXM];
	int64_t cap[MAXM], cost[MAXM];
};

/* --- the oracle: residual graph over arcs + their reverses + super S/T --- */

struct oracle {
	int nv; /* n + 2 */
	int ne; /* residual edges */
	int from[2 * (MAXM + 2 * MAXN)], to[2 * (MAXM + 2 * MAXN)];
	int64_t res[2 * (MAXM + 2 * MAXN)], cost[2 * (MAXM + 2 * MAXN)];
};

static void
oracle_edge(struct oracle *o, int u, int v, int64_t cap, int64_t cost)
{
	o->from[o->ne] = u, o->to[o->ne] = v, o->res[o->ne] = cap, o->cost[o->ne] = cost;
	o->ne++;
	o->from[o->ne] = v, o->to[o->ne] = u, o->res[o->ne] = 0, o->cost[o->ne] = -cost;
	o->ne++;
}

/* Edmonds–Karp from S to T; returns the flow value. */
static int64_t
oracle_maxflow(struct oracle *o, int S, int T)
{
	int64_t total = 0;
	for (;;) {
		int prev[MAXN + 2], queue[MAXN + 2], qh = 0, qt = 0;
		for (int i = 0; i < o->nv; i++)
			prev[i] = -1;
		queue[qt++] = S;
		prev[S] = -2;
		while (qh < qt && prev[T] == -1) {
			int u = queue[qh++];
			for (int e = 0; e < o->ne; e++)
				if (o->from[e] == u && o->res[e] > 0 && prev[o->to[e]] == -1) {
					prev[o->to[e]] = e;
					queue[qt++] = o->to[e];
				}
		}
		if (prev[T] == -1)
			return total;
		int64_t b = INT64_MAX;
		for (int v = T; v != S; v = o->from[prev[v]])
			if (o->res[prev[v]] < b)
				b = o->res[prev[v]];
		for (int v = T; v != S; v = o->from[prev[v]]) {
			o->res[prev[v]] -= b;
			o->res[prev[v] ^ 1] += b;
		}
		total += b;
	}
}

/* Finds a negative cycle in the residual graph with Bellman–Ford and cancels
 * it.  Returns 1 when one was cancelled, 0 when none exists, -1 when the
 * cycle has unbounded residual capacity. */
static int
oracle_cancel(struct oracle *o, int64_t inf)
{
	int64_t dist[MAXN + 2];
	int prev[MAXN + 2], x = -1;
	for (int i = 0; i < o->nv; i++)
		dist[i] = 0, prev[i] = -1;
	for (int it = 0; it < o->nv; it++) {
		x = -1;
		for (int e = 0; e < o->ne; e++)
			if (o->res[e] > 0 && dist[o->from[e]] + o->cost[e] < dist[o->to[e]]) {
				dist[o->to[e]] = dist[o->from[e]] + o->cost[e];
				prev[o->to[e]] = e;
				x = o->to[e];
			}
		if (x < 0)
			return 0;
	}
	for (int i = 0; i < o->nv; i++)
		x = o->from[prev[x]];
	int64_t b = INT64_MAX;
	int v = x;
	do {
		if (o->res[prev[v]] < b)
			b = o->res[prev[v]];
		v = o->from[prev[v]];
	} while (v != x);
	if (b >= inf / 2)
		return -1;
	v = x;
	do {
		o->res[prev[v]] -= b;
		o->res[prev[v] ^ 1] += b;
		v = o->from[prev[v]];
	} while (v != x);
	return 1;
}

/* Returns the status; *cost gets the optimum. */
static int
oracle_solve(const struct graph *g, int64_t *cost)
{
	struct oracle o = {.nv = g->n + 2};
	int S = g->n, T = g->n + 1;
	const int64_t inf = (int64_t)1 << 40;
	for (int e = 0; e < g->m; e++)
		oracle_edge(&o, g->tail[e], g->head[e], g->cap[e] >= QY_MCF_INF ? inf : g->cap[e],
			    g->cost[e]);
	int64_t want = 0, sum = 0;
	for (int u = 0; u < g->n; u++) {
		sum += g->supply[u];
		if (g->supply[u] > 0) {
			oracle_edge(&o, S, u, g->supply[u], 0);
			want += g->supply[u];
		} else if (g->supply[u] < 0) {
			oracle_edge(&o, u, T, -g->supply[u], 0);
		}
	}
	if (sum != 0 || oracle_maxflow(&o, S, T) != want)
		return QY_MCF_INFEASIBLE;
	int r;
	while ((r = oracle_cancel(&o, inf)) == 1)
		;
	if (r < 0)
		return QY_MCF_UNBOUNDED;
	*cost = 0;
	for (int e = 0; e < 2 * g->m; e += 2)
		*cost += o.res[e + 1] * g->cost[e / 2]; /* flow = reverse residual */
	return QY_MCF_OPTIMAL;
}

static void
random_graph(struct graph *g, int with_inf)
{
	g->n = rnd_in(2, MAXN);
	g->m = rnd_in(1, MAXM);
	for (int u = 0; u < g->n; u++)
		g->supply[u] = 0;
	int k = rnd_in(1, 4);
	for (int i = 0; i < k; i++) {
		int64_t amount = rnd_in(1, 9);
		g->supply[rnd_in(0, g->n - 1)] += amount;
		g->supply[rnd_in(0, g->n - 1)] -= amount;
	}
	for (int e = 0; e < g->m; e++) {
		g->tail[e] = rnd_in(0, g->n - 1);
		do
			g->head[e] = rnd_in(0, g->n - 1);
		while (g->head[e] == g->tail[e]);
		g->cap[e] = with_inf && rnd_in(0, 5) == 0 ? QY_MCF_INF : rnd_in(0, 8);
		g->cost[e] = rnd_in(-6, 12);
	}
}

static int
check_flow(const struct graph *g, const struct qy_mcf *m, int64_t *cost)
{
	int64_t bal[MAXN] = {0};
	*cost = 0;
	for (int e = 0; e < g->m; e++) {
		int64_t f = m->flow[e];
		if (f < 0 || f > g->cap[e])
			return 0;
		bal[g->tail[e]] += f;
		bal[g->head[e]] -= f;
		*cost += f * g->cost[e];
	}
	for (int u = 0; u < g->n; u++)
		if (bal[u] != g->supply[u])
			return 0;
	return 1;
}

/* Hints: none, random arcs at each node (cycles and all), or none again. */
static void
random_hints(struct qy_mcf *m, const struct graph *g, int mode)
{
	if (mode == 0)
		return;
	for (int u = 0; u < g->n; u++) {
		if (rnd_in(0, 3) == 0)
			continue;
		int e = rnd_in(0, g->m - 1);
		if (g->tail[e] == u || g->head[e] == u || rnd_in(0, 4) == 0)
			qy_mcf_hint(m, u, e);
	}
}

static long hinted_runs;

static void
run_random(int rounds, int with_inf, long *optimal, long *infeasible, long *unbounded)
{
	for (int round = 0; round < rounds; round++) {
		struct graph g;
		random_graph(&g, with_inf);
		struct qy_mcf m;
		qy_mcf_init(&m, g.n);
		for (int u = 0; u < g.n; u++)
			qy_mcf_add_supply(&m, u, g.supply[u]);
		for (int e = 0; e < g.m; e++)
			qy_mcf_add_arc(&m, g.tail[e], g.head[e], g.cap[e], g.cost[e]);
		random_hints(&m, &g, round % 2);
		int got = qy_mcf_solve(&m, 0);
		int64_t want_cost = 0, got_cost = 0;
		int want = oracle_solve(&g, &want_cost);
		/* An infeasible problem may also have an unbounded cycle. */
		CHECK(got == want || (want == QY_MCF_INFEASIBLE && got == QY_MCF_UNBOUNDED));
		if (got == QY_MCF_OPTIMAL && want == QY_MCF_OPTIMAL) {
			CHECK(check_flow(&g, &m, &got_cost));
			CHECK(got_cost == want_cost);
			if (got_cost != want_cost)
				printf("  round %d: cost %" PRId64 ", oracle %" PRId64 "\n", round,
				       got_cost, want_cost);
		}
		*optimal += want == QY_MCF_OPTIMAL;
		hinted_runs += m.hinted;
		*infeasible += want == QY_MCF_INFEASIBLE;
		*unbounded += want == QY_MCF_UNBOUNDED;
		qy_mcf_free(&m);
	}
}

static void
test_random_bounded(void)
{
	long opt = 0, inf = 0, unb = 0;
	run_random(6000, 0, &opt, &inf, &unb);
	printf("  bounded: %ld optimal, %ld infeasible, %ld from a hinted tree\n", opt, inf,
	       hinted_runs);
	CHECK(opt > 1000 && inf > 100);
}

static void
test_random_unbounded_arcs(void)
{
	long opt = 0, inf = 0, unb = 0;
	run_random(4000, 1, &opt, &inf, &unb);
	printf("  with unbounded arcs: %ld optimal, %ld infeasible, %ld unbounded\n", opt, inf,
	       unb);
	CHECK(opt > 500 && unb > 50);
}

/* Re-solving the same graph gives the same flow, arc by arc. */
static void
test_deterministic(void)
{
	struct graph g;
	for (int round = 0; round < 200; round++) {
		random_graph(&g, 0);
		struct qy_mcf a, b;
		qy_mcf_init(&a, g.n);
		qy_mcf_init(&b, g.n);
		for (int u = 0; u < g.n; u++) {
			qy_mcf_add_supply(&a, u, g.supply[u]);
			qy_mcf_add_supply(&b, u, g.supply[u]);
		}
		for (int e = 0; e < g.m; e++) {
			qy_mcf_add_arc(&a, g.tail[e], g.head[e], g.cap[e], g.cost[e]);
			qy_mcf_add_arc(&b, g.tail[e], g.head[e], g.cap[e], g.cost[e]);
		}
		int ra = qy_mcf_solve(&a, 0), rb = qy_mcf_solve(&b, 0);
		CHECK(ra == rb);
		if (ra == QY_MCF_OPTIMAL)
			for (int e = 0; e < g.m; e++)
				CHECK(a.flow[e] == b.flow[e]);
		qy_mcf_free(&a);
		qy_mcf_free(&b);
	}
}

/* A transportation problem big enough to need many degenerate pivots. */
static void
test_transport_large(void)
{
	enum { S = 300, D = 300 };
	struct qy_mcf m;
	qy_mcf_init(&m, S + D);
	int64_t total = 0;
	for (int i = 0; i < S; i++) {
		qy_mcf_add_supply(&m, i, 3);
		total += 3;
	}
	for (int j = 0; j < D; j++)
		qy_mcf_add_supply(&m, S + j, -3);
	for (int i = 0; i < S; i++)
		for (int j = 0; j < D; j++)
			if ((i * 7 + j * 13) % 5 == 0 || i == j)
				qy_mcf_add_arc(&m, i, S + j, 2 + (i + j) % 3, (i * j) % 17 - 8);
	CHECK(qy_mcf_solve(&m, 0) == QY_MCF_OPTIMAL);
	int64_t shipped = 0;
	for (int e = 0; e < m.narcs; e++)
		shipped += m.flow[e];
	CHECK(shipped == total);
	qy_mcf_free(&m);
}

/* Cost scaling against the oracle, on graphs without unbounded cycles. */
static void
test_scaling_random(void)
{
	long opt = 0, inf = 0;
	for (int round = 0; round < 6000; round++) {
		struct graph g;
		random_graph(&g, round % 2);
		int64_t want_cost = 0, got_cost = 0;
		int want = oracle_solve(&g, &want_cost);
		if (want == QY_MCF_UNBOUNDED)
			continue;
		struct qy_mcf m;
		qy_mcf_init(&m, g.n);
		for (int u = 0; u < g.n; u++)
			qy_mcf_add_supply(&m, u, g.supply[u]);
		for (int e = 0; e < g.m; e++)
			qy_mcf_add_arc(&m, g.tail[e], g.head[e], g.cap[e], g.cost[e]);
		if (round % 3 != 0) { /* warm starts: random potentials, or optimal ones */
			m.pi = calloc((size_t)g.n, sizeof *m.pi);
			for (int u = 0; u < g.n; u++)
				m.pi[u] = rnd_in(-30, 30);
		}
		if (round % 3 == 2 && want == QY_MCF_OPTIMAL) {
			CHECK(qy_mcf_solve(&m, 0) == QY_MCF_OPTIMAL); /* leaves flow and pi */
			int64_t ns_cost = 0;
			CHECK(check_flow(&g, &m, &ns_cost) && ns_cost == want_cost);
		}
		int got = qy_mcf_solve_scaling(&m);
		CHECK(got == want || (want == QY_MCF_INFEASIBLE && got == QY_MCF_UNBOUNDED));
		if (got == QY_MCF_OPTIMAL && want == QY_MCF_OPTIMAL) {
			CHECK(check_flow(&g, &m, &got_cost));
			CHECK(got_cost == want_cost);
			if (got_cost != want_cost)
				printf("  scaling round %d: cost %" PRId64 ", oracle %" PRId64 "\n",
				       round, got_cost, want_cost);
		}
		opt += want == QY_MCF_OPTIMAL;
		inf += want == QY_MCF_INFEASIBLE;
		qy_mcf_free(&m);
	}
	printf("  cost scaling: %ld optimal, %ld infeasible\n", opt, inf);
	CHECK(opt > 2000 && inf > 100);
}

/* Dinic's value against Edmonds–Karp's, from node 0 to node n-1. */
static void
test_maxflow_random(void)
{
	long positive = 0;
	for (int round = 0; round < 4000; round++) {
		struct graph g;
		random_graph(&g, round % 2);
		struct oracle o = {.nv = g.n};
		struct qy_mcf m;
		qy_mcf_init(&m, g.n);
		for (int e = 0; e < g.m; e++) {
			oracle_edge(&o, g.tail[e], g.head[e],
				    g.cap[e] >= QY_MCF_INF ? (int64_t)1 << 40 : g.cap[e], 0);
			qy_mcf_add_arc(&m, g.tail[e], g.head[e], g.cap[e], 0);
		}
		int64_t want = oracle_maxflow(&o, 0, g.n - 1);
		int64_t got = qy_mcf_maxflow(&m, 0, g.n - 1);
		if (want >= (int64_t)1 << 40) {
			CHECK(got >= QY_MCF_INF);
			qy_mcf_free(&m);
			continue;
		}
		CHECK(got == want);
		int64_t bal[MAXN] = {0};
		for (int e = 0; e < g.m; e++) {
			CHECK(m.flow[e] >= 0 && m.flow[e] <= g.cap[e]);
			bal[g.tail[e]] += m.flow[e];
			bal[g.head[e]] -= m.flow[e];
		}
		for (int u = 1; u < g.n - 1; u++)
			CHECK(bal[u] == 0);
		CHECK(bal[0] == got);
		positive += want > 0;
		qy_mcf_free(&m);
	}
	printf("  max flow: %ld of 4000 positive\n", positive);
	CHECK(positive > 1000);
}

int
main(void)
{
	RUN(test_random_bounded);
	RUN(test_random_unbounded_arcs);
	RUN(test_deterministic);
	RUN(test_transport_large);
	RUN(test_scaling_random);
	RUN(test_maxflow_random);
	return check_report();
}
