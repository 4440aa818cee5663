/* match_flow.c — solving a component's network: the priorities by
 * lexicographic maximum flows, then the score district by district and for
 * the whole component (or, as a cross-check, one big-M network simplex);
 * see the top comment of match_solve.c for why each step is exact. */
#include <stdlib.h>
#include <string.h>

#include "match_net.h"

/* ---- the score, district by district, then for the whole component ---- */

enum { ZONE_SHARED = -1 };

/* One district's part of the score problem: its own nodes, local copies of
 * the shared nodes it reaches (groups without a district, as if their
 * capacity had no end), of the three priority nodes (0..2) and of t (3). */
struct zone {
	struct net *n;
	struct m_ints nodes;  /* global ids of its local nodes 4, 5, … */
	int32_t nown;	      /* the first nown are its own, then copies */
	struct m_keys copies; /* global id of a shared node → its copy */
	struct m_ints arcs;   /* global id of each local arc (-1: a copy → t) */
	struct qy_mcf g;
};

/* The zone of every node: a class or P node is in its locality's district
 * (demands without a district form a zone of their own), a hub or resource
 * class of a district's group in that district; groups without a district,
 * s, t and the priority nodes are shared.  Zones that an arc joins are
 * merged, so that only shared nodes join zones. */
static int32_t *
node_zones(struct net *n, int32_t *nzones)
{
	const struct qy_match *m = n->m;
	struct m_keys keys;
	m_keys_init(&keys, 1);
	int32_t *zone = qy_xmalloc(((size_t)n->g.nnodes + 1) * sizeof *zone);
	for (int32_t u = 0; u < n->g.nnodes; u++)
		zone[u] = ZONE_SHARED;
	for (int32_t p = 0; p < n->np; p++)
		zone[n->p_node[p]] =
		    m_keys_intern(&keys, &m->locs.key[3 * m->dem[n->p_rep[p]].loc]);
	for (int32_t cls = 0; cls < n->nclass; cls++)
		zone[n->class_node[cls]] =
		    m_keys_intern(&keys, &m->locs.key[3 * m_class_rep(n, cls)->loc]);
	for (int32_t h = 0; h < n->nhubs; h++)
		if (n->hubs[h].node >= 0 && m->groups[n->hubs[h].group].district >= 0)
			zone[n->hubs[h].node] =
			    m_keys_intern(&keys, &m->groups[n->hubs[h].group].district);
	for (int32_t rc = 0; rc < m->nrc; rc++)
		if (n->rc_node[rc] >= 0 && m->groups[m->rcs[rc].group].district >= 0)
			zone[n->rc_node[rc]] =
			    m_keys_intern(&keys, &m->groups[m->rcs[rc].group].district);
	int32_t *parent = qy_xmalloc(((size_t)keys.n + 1) * sizeof *parent);
	for (int32_t k = 0; k < keys.n; k++)
		parent[k] = k;
	for (int e = 0; e < n->g.narcs; e++) {
		int32_t a = zone[n->g.tail[e]], b = zone[n->g.head[e]];
		if (a >= 0 && b >= 0 && a != b)
			m_uf_union(parent, a, b);
	}
	int32_t *id = qy_xmalloc(((size_t)keys.n + 1) * sizeof *id);
	for (int32_t k = 0; k < keys.n; k++)
		id[k] = -1;
	*nzones = 0;
	for (int32_t u = 0; u < n->g.nnodes; u++) {
		if (zone[u] < 0)
			continue;
		int32_t root = m_uf_find(parent, zone[u]);
		if (id[root] < 0)
			id[root] = (*nzones)++;
		zone[u] = id[root];
	}
	free(id);
	free(parent);
	m_keys_free(&keys);
	return zone;
}

/* A zone's arcs before its graph exists (copies are found on the way). */
struct zarcs {
	struct m_ints tail, head, gid; /* gid: global arc, -1 for a copy → t */
	int64_t *cap, *cost;
	size_t ncap;
	int64_t *supply;
	size_t nsupply;
};

static void
zarc(struct zarcs *za, int tail, int head, int64_t cap, int64_t cost, int32_t gid)
{
	if (za->tail.n == za->ncap) {
		za->ncap = za->ncap ? 2 * za->ncap : 256;
		za->cap = qy_xrealloc(za->cap, za->ncap * sizeof *za->cap);
		za->cost = qy_xrealloc(za->cost, za->ncap * sizeof *za->cost);
	}
	za->cap[za->tail.n] = cap;
	za->cost[za->tail.n] = cost;
	m_ints_push(&za->tail, tail);
	m_ints_push(&za->head, head);
	m_ints_push(&za->gid, gid);
}

static void
zsupply(struct zarcs *za, int u, int64_t x)
{
	if ((size_t)u >= za->nsupply) {
		size_t n = za->nsupply ? za->nsupply : 64;
		while (n <= (size_t)u)
			n *= 2;
		za->supply = qy_xrealloc(za->supply, n * sizeof *za->supply);
		memset(za->supply + za->nsupply, 0, (n - za->nsupply) * sizeof *za->supply);
		za->nsupply = n;
	}
	za->supply[u] += x;
}

/* The local id of global node u in zone z: its own, or a copy of a shared
 * node made on first use (a copy of a shared resource class gets an
 * unbounded arc to the zone's t). */
static int
zone_local(struct net *n, struct zone *z, struct zarcs *za, int32_t u, const int32_t *zone,
	   const int32_t *local)
{
	if (zone[u] >= 0)
		return local[u];
	int32_t before = z->copies.n;
	int32_t k = m_keys_intern(&z->copies, &u);
	int id = 4 + (int)z->nown + k;
	if (k == before) {
		m_ints_push(&z->nodes, u);
		if (n->node_rc[u] >= 0)
			zarc(za, id, 3, QY_MCF_INF, 0, -1);
	}
	return id;
}

/* Builds every zone's problem.  Arcs inside a zone and into shared nodes
 * are the zone's (shared nodes as copies); the s arcs of a priority fixed
 * as supplies are given back their units, so that the zone starts from
 * supplies at its priority copies only. */
static void
build_zones(struct net *n, struct zone *z, int32_t nz, const int32_t *zone, int32_t *local)
{
	const struct qy_mcf *g = &n->g;
	struct zarcs *za = qy_xcalloc((size_t)nz + 1, sizeof *za);
	int64_t *fixed = qy_xcalloc((size_t)g->narcs + 1, sizeof *fixed);
	for (size_t i = 0; i < n->src_arcs.n; i++)
		fixed[n->src_arcs.v[i]] = n->src_fixed[i];
	for (int32_t k = 0; k < nz; k++) {
		z[k].n = n;
		m_keys_init(&z[k].copies, 1);
	}
	for (int32_t u = 0; u < g->nnodes; u++)
		if (zone[u] >= 0) {
			local[u] = 4 + (int32_t)z[zone[u]].nodes.n;
			m_ints_push(&z[zone[u]].nodes, u);
		}
	for (int32_t k = 0; k < nz; k++)
		z[k].nown = (int32_t)z[k].nodes.n;
	for (int e = 0; e < g->narcs; e++) {
		int u = g->tail[e], v = g->head[e], kind = n->arc_kind[e];
		if (kind == K_SP)
			continue;
		if (kind == K_SRC) {
			struct zarcs *a = &za[zone[v]];
			int64_t f = g->flow[e] + fixed[e];
			zsupply(a, u - NODE_PRIO, f);
			zarc(a, u - NODE_PRIO, local[v], g->cap[e] + fixed[e], g->cost[e], e);
			continue;
		}
		if (kind == K_RT) {
			if (zone[u] >= 0)
				zarc(&za[zone[u]], local[u], 3, g->cap[e], g->cost[e], e);
			continue;
		}
		if (zone[u] < 0)
			continue; /* shared → shared: below */
		struct zone *zz = &z[zone[u]];
		int lv = zone_local(n, zz, &za[zone[u]], v, zone, local);
		zarc(&za[zone[u]], local[u], lv, g->cap[e], g->cost[e], e);
	}
	/* shared hub copies reach their resource copies; the zone's t takes
	 * whatever its own resource classes passed on */
	for (int e = 0; e < g->narcs; e++) {
		int u = g->tail[e];
		if (n->arc_kind[e] != K_HR || zone[u] >= 0)
			continue;
		for (int32_t k = 0; k < nz; k++) {
			int32_t c = m_keys_find(&z[k].copies, &u);
			if (c < 0)
				continue;
			int lu = 4 + (int)z[k].nown + c;
			int lv = zone_local(n, &z[k], &za[k], g->head[e], zone, local);
			zarc(&za[k], lu, lv, g->cap[e], g->cost[e], e);
		}
	}
	for (int32_t k = 0; k < nz; k++) {
		struct zarcs *a = &za[k];
		int nn = 4 + (int)z[k].nodes.n;
		qy_mcf_init(&z[k].g, nn);
		for (int u = 0; u < nn && (size_t)u < a->nsupply; u++)
			qy_mcf_add_supply(&z[k].g, u, a->supply[u]);
		/* the t copy takes what the zone's priority copies give */
		int64_t sum = 0;
		for (int u = 0; u < nn; u++)
			sum += z[k].g.supply[u];
		qy_mcf_add_supply(&z[k].g, 3, -sum);
		uint8_t *set = qy_xcalloc((size_t)nn + 1, 1);
		for (size_t i = 0; i < a->tail.n; i++) {
			int e = qy_mcf_add_arc(&z[k].g, a->tail.v[i], a->head.v[i], a->cap[i],
					       a->cost[i]);
			int t = a->tail.v[i];
			if (t >= 4 && !set[t]) { /* hang each node by its first arc towards t */
				qy_mcf_hint(&z[k].g, t, e);
				set[t] = 1;
			}
		}
		free(set);
		z[k].arcs = a->gid;
		m_ints_free(&a->tail);
		m_ints_free(&a->head);
		free(a->cap);
		free(a->cost);
		free(a->supply);
	}
	free(za);
	free(fixed);
}
static void
zone_task(void *arg, int32_t k)
{
	struct zone *z = (struct zone *)arg + k;
	int rc = qy_mcf_solve(&z->g, 0);
	if (rc != QY_MCF_OPTIMAL)
		qy_fatal(z->n->m->d, "internal error: a district's score problem has no optimum");
}

/* The zones' optima as one pseudoflow with prices for the whole component:
 * own arcs take the zone's flow, arcs into and among shared nodes the sum
 * over zones, and a shared resource class passes on to t what its capacity
 * allows — what it cannot stays as excess for cost scaling to send back.
 * Prices: the zone's potentials with its t at 0; shared nodes 0 (in every
 * zone their copies lead to t at no cost, so that is a potential they can
 * all have); a priority node the lowest of its copies'. */
static void
merge_zones(struct net *n, struct zone *z, int32_t nz, const int32_t *zone, const int32_t *local)
{
	struct qy_mcf *g = &n->g;
	int64_t *fixed = qy_xcalloc((size_t)g->narcs + 1, sizeof *fixed);
	for (size_t i = 0; i < n->src_arcs.n; i++)
		fixed[n->src_arcs.v[i]] = n->src_fixed[i];
	for (int e = 0; e < g->narcs; e++)
		if (zone[g->tail[e]] < 0 || zone[g->head[e]] < 0)
			if (n->arc_kind[e] != K_SRC)
				g->flow[e] = 0;
	g->pi = qy_xcalloc((size_t)g->nnodes + 1, sizeof *g->pi);
	int have[3] = {0};
	for (int32_t k = 0; k < nz; k++) {
		const struct qy_mcf *zg = &z[k].g;
		for (size_t i = 0; i < z[k].arcs.n; i++) {
			int32_t e = z[k].arcs.v[i];
			if (e < 0)
				continue;
			if (n->arc_kind[e] == K_SRC)
				g->flow[e] = zg->flow[i] - fixed[e];
			else if (zone[g->tail[e]] >= 0 && zone[g->head[e]] >= 0)
				g->flow[e] = zg->flow[i];
			else
				g->flow[e] += zg->flow[i];
		}
		int64_t t = zg->pi[3];
		for (int p = 0; p < 3; p++)
			if (!have[p] || zg->pi[p] - t < g->pi[NODE_PRIO + p]) {
				g->pi[NODE_PRIO + p] = zg->pi[p] - t;
				have[p] = 1;
			}
		for (int32_t i = 0; i < z[k].nown; i++)
			g->pi[z[k].nodes.v[i]] = zg->pi[4 + i] - t;
	}
	/* shared resource classes pass on what they can */
	int64_t *in = qy_xcalloc((size_t)g->nnodes + 1, sizeof *in);
	for (int e = 0; e < g->narcs; e++)
		if (zone[g->head[e]] < 0)
			in[g->head[e]] += g->flow[e];
	for (int e = 0; e < g->narcs; e++)
		if (n->arc_kind[e] == K_RT && zone[g->tail[e]] < 0)
			g->flow[e] = in[g->tail[e]] < g->cap[e] ? in[g->tail[e]] : g->cap[e];
	(void)local;
	free(in);
	free(fixed);
}

/* What each priority got becomes its node's supply.  A priority whose every
 * unit was served leaves nothing to choose: its s arcs are full in every
 * dispatch that reaches the optimum, so their units become the classes'
 * own supplies and the arcs (and that priority node) drop out. */
static void
fix_priorities(struct net *n, int first_sp)
{
	struct qy_mcf *g = &n->g;
	int64_t offered[3] = {0};
	n->src_fixed = qy_xcalloc(n->src_arcs.n + 1, sizeof *n->src_fixed);
	for (size_t i = 0; i < n->src_arcs.n; i++)
		offered[n->src_bucket.v[i] / 13] += g->cap[n->src_arcs.v[i]];
	for (int p = 0; p < 3; p++) {
		int e = first_sp + p;
		int all = g->flow[e] == offered[p];
		if (!all)
			qy_mcf_add_supply(g, NODE_PRIO + p, g->flow[e]);
		g->cap[e] = g->flow[e] = 0;
		for (size_t i = 0; all && i < n->src_arcs.n; i++) {
			int a = n->src_arcs.v[i];
			if (n->src_bucket.v[i] / 13 != p)
				continue;
			qy_mcf_add_supply(g, g->head[a], g->flow[a]);
			n->src_fixed[i] = g->flow[a];
			g->cap[a] = g->flow[a] = 0;
		}
	}
}

/* The other exact method, kept as an independent check of the first
 * (QY_MATCH_METHOD=simplex): the lexicographic objective as one cost, the
 * priorities as big weights on the s → priority arcs, one network simplex
 * for the whole component.  Exact by the argument at the top of this file;
 * slow on a city. */
static void
solve_network_simplex(struct net *n)
{
	struct qy_mcf *g = &n->g;
	int first_sp = g->narcs - 4, bypass = g->narcs - 1;
	int64_t smax = 0, total = 0;
	for (int e = 0; e < g->narcs; e++) {
		int64_t c = g->cost[e] < 0 ? -g->cost[e] : g->cost[e];
		smax = c > smax ? c : smax;
	}
	for (size_t i = 0; i < n->src_arcs.n; i++)
		total += g->cap[n->src_arcs.v[i]];
	int64_t G = (2 * (int64_t)g->nnodes + 1) * smax + 1;
	for (int p = 0; p < 3; p++) {
		g->cap[first_sp + p] = QY_MCF_INF;
		g->cost[first_sp + p] = -(int64_t)(p + 1) * G;
	}
	g->cap[bypass] = QY_MCF_INF;
	qy_mcf_add_supply(g, NODE_S, total);
	qy_mcf_add_supply(g, NODE_T, -total);
	n->src_fixed = qy_xcalloc(n->src_arcs.n + 1, sizeof *n->src_fixed);
	int rc = qy_mcf_solve(g, 4 * G + 1);
	if (rc != QY_MCF_OPTIMAL)
		qy_fatal(n->m->d, "internal error: the dispatch network has no optimum (%d)", rc);
}

/* The lexicographic objective in two steps (see the top comment): three
 * maximum flows open the priorities one after another, critical first;
 * then, with what each priority got fixed as its supply, the score is
 * maximised — first inside each district in parallel (network simplex),
 * then for the whole component by cost scaling started from the districts'
 * optimal flows and potentials, so that only what crosses districts is
 * left to settle. */
static void
solve_network(struct net *n)
{
	struct qy_mcf *g = &n->g;
	int first_sp = g->narcs - 4; /* the s → priority arcs, critical last */
	int64_t served = 0;
	for (int p = 2; p >= 0; p--) {
		g->cap[first_sp + p] = QY_MCF_INF;
		served += qy_mcf_maxflow(g, NODE_S, NODE_T);
	}
	fix_priorities(n, first_sp);
	qy_mcf_add_supply(g, NODE_T, -served);
	m_trace(n->m, "priorities: %lld units served", (long long)served);

	int32_t nz;
	int32_t *zone = node_zones(n, &nz);
	int32_t *local = qy_xmalloc(((size_t)g->nnodes + 1) * sizeof *local);
	struct zone *z = qy_xcalloc((size_t)nz + 1, sizeof *z);
	build_zones(n, z, nz, zone, local);
	m_parallel(n->m->nthreads, nz, zone_task, z);
	merge_zones(n, z, nz, zone, local);
	long pivots = 0;
	for (int32_t k = 0; k < nz; k++) {
		pivots += z[k].g.pivots;
		qy_mcf_free(&z[k].g);
		m_ints_free(&z[k].nodes);
		m_ints_free(&z[k].arcs);
		m_keys_free(&z[k].copies);
	}
	free(z);
	free(zone);
	free(local);
	m_trace(n->m, "%d districts: %ld pivots", (int)nz, pivots);
	int rc = qy_mcf_solve_scaling(g);
	if (rc != QY_MCF_OPTIMAL)
		qy_fatal(n->m->d, "internal error: the dispatch network has no optimum (%d)", rc);
}

void
m_net_solve(struct net *n)
{
	if (n->m->method_simplex)
		solve_network_simplex(n);
	else
		solve_network(n);
}
