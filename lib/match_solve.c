/* match_solve.c — the exact dispatch of SPEC 4 as a flow problem per
 * connected part of the city.
 *
 * THE NETWORK.  Per component: a source s, a sink t, one node per priority
 * between them, and
 *  - a node per demand CLASS: open demands that are interchangeable — the
 *    same locality, category, keyword signature (match_kw.c) and the same
 *    rank of their dates among the dates of the resources that reach them,
 *    hence exactly the same eligible resources with the same pair scores.
 *    priority → class arcs, one per (priority, weeks waited) in the class,
 *    carry the demands' units and cost minus the wait score;
 *  - a P node ("plain access") per (locality, category, date ranks), when
 *    both bonus weights are ≥ 0: what every class of it can reach without
 *    its keyword bonus; classes with a keyword signature feed it and add
 *    their own keyword arcs, classes without one are it;
 *  - a HUB node per (resource group, part, date ranks) used by several
 *    classes: a group is one scope and category (a street's care resources,
 *    a district's any-category ones …), its part all of them, those without
 *    a working pattern, or those with one pattern; the hub reaches exactly
 *    the group's resources the ranks allow.  → hub costs the tier score
 *    (plus the keyword weight where the signature matched the part's
 *    pattern); hub → resource costs 0.  So a district-wide resource is one
 *    arc from each hub, not one per demand;
 *  - a node per resource class (match_prep.c: resources no demand can tell
 *    apart), → t with their capacity left after claims;
 *  - direct arcs to paired resources (the pair's own score), and where a
 *    hub would serve one class only.
 *
 * EXACTNESS OF THE ROUTES.  Every class → … → resource route scores at most
 * the pair's true score, and every eligible pair has a route scoring exactly
 * it: with keyword ≥ 0 a class uses the all-resources hub (tier only, ≤ the
 * truth) plus the hubs of the matched patterns (exact); with keyword < 0 it
 * uses one hub per part at that part's exact score; with paired > 0 the
 * paired resources get direct arcs at the exact score (the hubs stay, they
 * score less); with paired < 0 the groups holding a paired resource are not
 * used through hubs at all, only by direct arcs at exact scores.  Hence the
 * network's optimum equals the true optimum, and decomposing its flow and
 * re-scoring each (demand, resource) unit with its true score can only
 * reach that optimum, never exceed it: the dispatch is optimal.
 *
 * THE LEXICOGRAPHIC OBJECTIVE, IN TWO STEPS.
 *  1. Priorities, by maximum flows (Dinic, mcf_scale.c).  The vectors of
 *     units per demand that can be served together form an integral
 *     polymatroid (flows from s through capacitated resources), so the
 *     greedy order — the most critical units, then without giving any of
 *     those up the most urgent, then the most normal — is lexicographically
 *     optimal.  Three maximum flows, each after opening one more s →
 *     priority arc, do exactly that: an augmenting path leaves s once and
 *     never comes back, so no priority's total ever shrinks.
 *  2. Score, by a minimum-cost flow with those three totals as the
 *     priority nodes' supplies (a priority served in full fixes its
 *     classes' supplies outright): every flow meeting them is optimal in
 *     the first three terms, so the cheapest is optimal in all four.  The
 *     costs are the score parts only (≤ 12,000 in absolute value), which
 *     keeps cost scaling's prices inside int64 (mcf.h).
 *
 * STEP 2 FOR A CITY.  Districts are solved side by side first: each district
 * (zone) gets its own nodes and copies of the shared ones it reaches
 * (groups without a district: city-wide resources), the copies as if their
 * capacity had no end; a network simplex finds each zone's optimum.  Put
 * together, the zones' flows and potentials (t and every shared node at
 * price 0, which each zone's optimum allows) are optimal everywhere except
 * where the zones together ask a shared resource for more than it has: the
 * surplus waits there as excess.  Cost scaling, started from these
 * potentials, sends it back and settles the exact optimum of the whole
 * component — typically a small fraction of the work of solving it cold.
 *
 * A SECOND EXACT METHOD (QY_MATCH_METHOD=simplex), kept to cross-check the
 * first at scale: the lexicographic objective as one cost — a unit of a
 * normal, urgent, critical demand worth K = G, 2G, 3G with G = (2n + 1)·S
 * + 1, S the largest |score part| on one arc and n the node count — and
 * one network simplex for the component.  A simple cycle meets each class
 * at most once and uses at most two arcs there, and s at most once, so its
 * score parts sum to at most (2n + 1)·S < G: a cycle trading a unit of a
 * lower priority for one of a higher (or adding one) lowers the cost, and
 * one keeping the priority counts changes it by its score parts alone.  So
 * the simplex's optimum (no negative cycle) admits no lexicographically
 * improving cycle, hence (conformal decomposition) is lexicographically
 * optimal.  The artificial start arcs cost A = 4G + 1, more than any path
 * of real arcs; potentials are sums of costs along a tree path, which
 * passes s, t and the root at most once each, so |π| < 16G ≈ 32·n·S: for
 * n = 10^8 nodes and S = 12,000 that is ~4·10^13, far inside int64.
 *
 * NUMBERS.  Flows are at most Σ quantities ≤ 2·10^6 × 10^5 = 2·10^11; the
 * objective's total score is summed in int64 (≤ 2·10^11 × 15,000).
 *
 * COMPONENTS AND THREADS.  Demands and resources of different districts
 * never meet unless one side leaves its district empty; districts are
 * joined (union–find) by every resource group that covers localities of
 * several, so each component is an exact subproblem.  Components, and the
 * zones inside one, are solved side by side; each writes only its own
 * part, every network is built in input order and every solver is
 * deterministic, so the output never depends on which thread ran what. */
#include <stdlib.h>
#include <string.h>

#include "match_net.h"

/* ---- components -------------------------------------------------------------- */

struct union_arg {
	const struct qy_match *m;
	int32_t *parent;
	const int32_t *slot_of_loc;
	int32_t first;
};

static void
union_loc(void *arg, int32_t loc)
{
	struct union_arg *u = arg;
	int32_t s = u->slot_of_loc[loc];
	if (u->first < 0)
		u->first = s;
	else
		m_uf_union(u->parent, u->first, s);
}

/* Component of each locality: districts (and "no district") joined by the
 * groups that span them. */
static int32_t *
components(const struct qy_match *m, int32_t *ncomp)
{
	struct m_keys slots;
	m_keys_init(&slots, 1);
	int32_t nloc = m->locs.n;
	int32_t *slot_of_loc = qy_xmalloc(((size_t)nloc + 1) * sizeof *slot_of_loc);
	for (int32_t l = 0; l < nloc; l++)
		slot_of_loc[l] = m_keys_intern(&slots, &m->locs.key[3 * l]);
	int32_t *parent = qy_xmalloc(((size_t)slots.n + 1) * sizeof *parent);
	for (int32_t s = 0; s < slots.n; s++)
		parent[s] = s;
	for (int32_t g = 0; g < m->ngroups; g++) {
		struct union_arg u = {m, parent, slot_of_loc, -1};
		const struct m_group *gr = &m->groups[g];
		if (gr->street < 0 && gr->district < 0) {
			for (int32_t s = 1; s < slots.n; s++) /* a city-wide group joins all */
				m_uf_union(parent, 0, s);
			continue;
		}
		m_for_covered_locs(m, gr, union_loc, &u);
	}
	int32_t *comp_of_slot = qy_xmalloc(((size_t)slots.n + 1) * sizeof *comp_of_slot);
	int32_t *comp_of_loc = qy_xmalloc(((size_t)nloc + 1) * sizeof *comp_of_loc);
	for (int32_t s = 0; s < slots.n; s++)
		comp_of_slot[s] = -1;
	*ncomp = 0;
	for (int32_t l = 0; l < nloc; l++) {
		int32_t root = m_uf_find(parent, slot_of_loc[l]);
		if (comp_of_slot[root] < 0)
			comp_of_slot[root] = (*ncomp)++;
		comp_of_loc[l] = comp_of_slot[root];
	}
	free(comp_of_slot);
	free(parent);
	free(slot_of_loc);
	m_keys_free(&slots);
	return comp_of_loc;
}

static void
solve_comp(struct qy_match *m, struct comp *c)
{
	struct net n;
	memset(&n, 0, sizeof n);
	n.m = m;
	n.c = c;
	n.w = &m->o.w;
	n.shared = n.w->paired >= 0 && n.w->keyword >= 0;
	m_net_build(&n);
	m_trace(m, "component of %zu demands: %d classes, %d plain, %d hubs; %d nodes, %d arcs",
		c->dem.n, (int)n.nclass, (int)n.np, (int)n.nhubs, n.g.nnodes, n.g.narcs);
	m_net_solve(&n);
	m_trace(m, "solved: %ld pushes and relabels (or pivots)", n.g.pivots);
	m_net_extract(&n);
	m_net_free(&n);
}

/* ---- all components ----------------------------------------------------------------- */

struct all {
	struct qy_match *m;
	struct comp *comps;
	int32_t *order;
};

static void
comp_task(void *arg, int32_t i)
{
	struct all *a = arg;
	solve_comp(a->m, &a->comps[a->order[i]]);
}

struct comp_size {
	size_t n;
	int32_t c;
};

static int
comp_size_cmp(const void *a, const void *b)
{
	const struct comp_size *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->c > y->c) - (x->c < y->c);
}

static void
merge_rows(struct qy_match *m, struct comp *comps, int32_t ncomp)
{
	size_t total = 0;
	for (int32_t c = 0; c < ncomp; c++)
		total += comps[c].nrows;
	m->rows = qy_xmalloc((total + 1) * sizeof *m->rows);
	m->nrows = total;
	for (int32_t d = 0; d < m->ndem; d++)
		m->dem[d].nrows = 0;
	for (int32_t c = 0; c < ncomp; c++)
		for (size_t i = 0; i < comps[c].nrows; i++)
			m->dem[comps[c].rows[i].demand].nrows++;
	int32_t at = 0;
	for (int32_t d = 0; d < m->ndem; d++) {
		m->dem[d].first_row = at;
		at += m->dem[d].nrows;
		m->dem[d].nrows = 0;
	}
	for (int32_t c = 0; c < ncomp; c++)
		for (size_t i = 0; i < comps[c].nrows; i++) {
			struct m_demand *d = &m->dem[comps[c].rows[i].demand];
			m->rows[d->first_row + d->nrows++] = comps[c].rows[i];
		}
	/* a demand's rows in resource input order (a handful each: insertion) */
	for (int32_t d = 0; d < m->ndem; d++) {
		struct m_row *r = m->rows + m->dem[d].first_row;
		for (int32_t i = 1; i < m->dem[d].nrows; i++)
			for (int32_t j = i; j > 0 && r[j - 1].resource > r[j].resource; j--) {
				struct m_row tmp = r[j];
				r[j] = r[j - 1];
				r[j - 1] = tmp;
			}
	}
}

void
m_solve_all(struct qy_match *m)
{
	int32_t ncomp;
	int32_t *comp_of_loc = components(m, &ncomp);
	struct comp *comps = qy_xcalloc((size_t)ncomp + 1, sizeof *comps);
	for (int32_t d = 0; d < m->ndem; d++)
		if (m->dem[d].status == QY_ST_OPEN)
			m_ints_push(&comps[comp_of_loc[m->dem[d].loc]].dem, d);
	free(comp_of_loc);
	/* largest first, so that two threads finish close together */
	struct comp_size *by_size = qy_xmalloc(((size_t)ncomp + 1) * sizeof *by_size);
	for (int32_t c = 0; c < ncomp; c++)
		by_size[c] = (struct comp_size){comps[c].dem.n, c};
	qsort(by_size, (size_t)ncomp, sizeof *by_size, comp_size_cmp);
	int32_t *order = qy_xmalloc(((size_t)ncomp + 1) * sizeof *order);
	for (int32_t c = 0; c < ncomp; c++)
		order[c] = by_size[c].c;
	free(by_size);
	struct all a = {m, comps, order};
	m_parallel(m->nthreads, ncomp, comp_task, &a);
	merge_rows(m, comps, ncomp);
	for (int32_t c = 0; c < ncomp; c++) {
		m_ints_free(&comps[c].dem);
		free(comps[c].rows);
	}
	free(comps);
	free(order);
}
