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

#include "match_int.h"
#include "mcf.h"

/* ---- components -------------------------------------------------------------- */

struct comp {
	struct m_ints dem; /* open demands, input order */
	struct m_row *rows;
	size_t nrows, cap;
};

static int32_t
uf_find(int32_t *parent, int32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void
uf_union(int32_t *parent, int32_t a, int32_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b) /* the smaller index stays the root: deterministic */
		parent[a > b ? a : b] = a < b ? a : b;
}

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
		uf_union(u->parent, u->first, s);
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
				uf_union(parent, 0, s);
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
		int32_t root = uf_find(parent, slot_of_loc[l]);
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

/* ---- one component's network ------------------------------------------------------ */

enum { PART_ALL = -2, PART_NONE = -1 };

struct hub {
	int32_t group, part;
	struct m_ints rcs; /* eligible resource classes, input order */
	int32_t users, last_user;
	int32_t node; /* -1: expanded into direct arcs */
	int32_t live; /* resource classes with capacity left */
};

/* A wish for an arc from a class (from ≥ 0) or a plain-access node P
 * (from = -1 - P) to a hub (hub ≥ 0) or a resource class. */
struct req {
	int32_t from, hub, rc, score;
};

enum arc_kind { K_SRC, K_CP, K_XH, K_XR, K_HR, K_RT, K_SP, K_ST };

struct net {
	struct qy_match *m;
	struct comp *c;
	const struct qy_match_weights *w;
	int shared; /* paired ≥ 0 and keyword ≥ 0: plain access shared through P nodes */
	/* classes: (loc, category, until rank, from rank, signature) */
	struct m_keys class_keys;
	int32_t nclass;
	int32_t *class_off, *class_dem; /* class → its demands (comp indices, input order) */
	uint8_t *class_elig;		/* it has some eligible resource */
	int32_t *class_p;		/* shared: its P */
	int32_t *class_node;
	/* P nodes: (loc, category, until rank, from rank) — the plain access of
	 * every class that differs only in keyword signature */
	struct m_keys p_keys;
	int32_t np;
	int32_t *p_rep; /* a demand (index in m->dem) */
	int32_t *p_node;
	uint8_t *p_elig;
	/* hubs and arc wishes */
	struct m_keys hub_keys; /* (group, part, until rank, from rank) */
	struct hub *hubs;
	int32_t nhubs, hub_cap;
	struct req *reqs;
	size_t nreqs, req_cap;
	struct m_ints paired, tainted; /* scratch */
	/* the flow problem */
	struct qy_mcf g;
	int32_t *rc_node; /* resource class → node, -1 */
	int32_t *node_rc; /* node → resource class, -1 */
	uint8_t *arc_kind;
	int32_t *arc_a, *arc_b;
	int32_t arc_book_cap;
	int32_t *src_arc_off;		    /* class → its s arcs */
	struct m_ints src_arcs, src_bucket; /* arcs, priority × 13 + weeks */
	int64_t *src_fixed;		    /* units fixed as supplies (see fix_priorities) */
};

static int
tier_weight(const struct qy_match_weights *w, int tier)
{
	return tier == M_TIER_COMMUNITY ? w->community
	       : tier == M_TIER_STREET	? w->street
					: w->district;
}

static void
push_req(struct net *n, int32_t from, int32_t hub, int32_t rc, int32_t score)
{
	if (n->nreqs == n->req_cap) {
		n->req_cap = n->req_cap ? n->req_cap * 2 : 1024;
		n->reqs = qy_xrealloc(n->reqs, n->req_cap * sizeof *n->reqs);
	}
	n->reqs[n->nreqs++] = (struct req){from, hub, rc, score};
	if (hub >= 0 && n->hubs[hub].last_user != from) {
		n->hubs[hub].last_user = from;
		n->hubs[hub].users++;
	}
}

/* The hub of (group, part) at date ranks tu, tf within the group. */
static int32_t
get_hub(struct net *n, int32_t group, int32_t part, int32_t tu, int32_t tf)
{
	int32_t key[4] = {group, part, tu, tf};
	int32_t h = m_keys_intern(&n->hub_keys, key);
	if (h < n->nhubs)
		return h;
	if (n->nhubs == n->hub_cap) {
		n->hub_cap = n->hub_cap ? n->hub_cap * 2 : 256;
		n->hubs = qy_xrealloc(n->hubs, (size_t)n->hub_cap * sizeof *n->hubs);
	}
	struct hub *hb = &n->hubs[n->nhubs++];
	memset(hb, 0, sizeof *hb);
	hb->group = group;
	hb->part = part;
	hb->last_user = INT32_MIN;
	hb->node = -1;
	const struct qy_match *m = n->m;
	const struct m_group *g = &m->groups[group];
	for (size_t i = 0; i < g->rcs.n; i++) {
		const struct m_rclass *rc = &m->rcs[g->rcs.v[i]];
		if (rc->urank < tu || rc->frank >= tf)
			continue;
		if (part != PART_ALL && rc->pattern != part)
			continue;
		m_ints_push(&hb->rcs, g->rcs.v[i]);
		hb->live += rc->capacity > 0;
	}
	return h;
}

static int32_t
rank_below(const int32_t *v, int32_t n, int32_t x)
{
	int32_t lo = 0, hi = n;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A resource's until rank must be ≥ t1i: the index of the first allowed.
 * Its from rank must be ≤ t2i: how many are allowed. */
static int32_t
until_rank(const int32_t *u, int32_t nu, int32_t t1i)
{
	return rank_below(u, nu, t1i);
}

static int32_t
from_rank(const int32_t *f, int32_t nf, int32_t t2i)
{
	return rank_below(f, nf, t2i + 1);
}

static void
make_classes(struct net *n)
{
	struct qy_match *m = n->m;
	struct comp *c = n->c;
	int32_t nd = (int32_t)c->dem.n;
	int32_t *cls_of = qy_xmalloc(((size_t)nd + 1) * sizeof *cls_of);
	m_keys_init(&n->class_keys, 5);
	m_keys_init(&n->p_keys, 4);
	m_keys_init(&n->hub_keys, 4);
	int32_t cap = 0;
	for (int32_t i = 0; i < nd; i++) {
		const struct m_demand *d = &m->dem[c->dem.v[i]];
		int32_t lc = d->loc * M_NCAT + d->category;
		int32_t uo = m->lc_u_off[lc], fo = m->lc_f_off[lc];
		int32_t key[5] = {d->loc, d->category,
				  until_rank(m->lc_untils.v + uo, m->lc_u_off[lc + 1] - uo, d->t1i),
				  from_rank(m->lc_froms.v + fo, m->lc_f_off[lc + 1] - fo, d->t2i),
				  m->kk_sig[d->kk]};
		cls_of[i] = m_keys_intern(&n->class_keys, key);
		if (cls_of[i] == cap) {
			cap = cap ? 2 * cap : 1024;
			n->class_p = qy_xrealloc(n->class_p, (size_t)cap * sizeof *n->class_p);
		}
		if (cls_of[i] == n->class_keys.n - 1 && n->shared) {
			int32_t p = m_keys_intern(&n->p_keys, key);
			if (p == n->np) {
				n->p_rep =
				    qy_xrealloc(n->p_rep, ((size_t)p + 1) * sizeof *n->p_rep);
				n->p_rep[n->np++] = c->dem.v[i];
			}
			n->class_p[cls_of[i]] = p;
		}
	}
	n->nclass = n->class_keys.n;
	m_csr_build(n->nclass, nd, cls_of, &n->class_off, &n->class_dem);
	free(cls_of);
	n->class_elig = qy_xcalloc((size_t)n->nclass + 1, 1);
	n->p_elig = qy_xcalloc((size_t)n->np + 1, 1);
}

static const struct m_demand *
class_rep(const struct net *n, int32_t cls)
{
	return &n->m->dem[n->c->dem.v[n->class_dem[n->class_off[cls]]]];
}

/* The signature's (group, pattern) pairs of group g: [*lo, *hi). */
static void
sig_of_group(const struct qy_match *m, int32_t sig, int32_t g, const int32_t **v, size_t *lo,
	     size_t *hi)
{
	*v = (const int32_t *)(const void *)m_pool_str(&m->sigs, sig);
	size_t cnt = m->sigs.len[sig] / (2 * sizeof(int32_t)), a = 0, b = cnt;
	while (a < b) {
		size_t mid = (a + b) / 2;
		if ((*v)[2 * mid] < g)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = a; b < cnt && (*v)[2 * b] == g; b++)
		;
	*hi = b;
}

static int
sig_has(const struct qy_match *m, int32_t sig, int32_t g, int32_t pattern)
{
	const int32_t *v;
	size_t lo, hi;
	sig_of_group(m, sig, g, &v, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (v[2 * i + 1] == pattern)
			return 1;
	return 0;
}

/* The score of one unit of d from resource class rc, less the wait (which
 * sits on the s arc). */
static int
pair_score(const struct net *n, const struct m_demand *d, int32_t rc)
{
	int tier, paired, keyword;
	const struct m_resource *r = &n->m->res[n->m->rcs[rc].members.v[0]];
	int s = m_score(n->m, d, r, &tier, &paired, &keyword);
	return s - d->weeks * n->w->wait;
}

/* The paired resource classes eligible for d, and (paired < 0) the groups
 * they make unusable through hubs. */
static void
find_paired(struct net *n, const struct m_demand *d)
{
	const struct qy_match *m = n->m;
	n->paired.n = n->tainted.n = 0;
	if (n->w->paired == 0)
		return;
	for (int32_t i = m->loc_pair_off[d->loc]; i < m->loc_pair_off[d->loc + 1]; i++) {
		const struct m_ints *rcs = &m->unit_rcs[m->loc_pair_units.v[i]];
		for (size_t k = 0; k < rcs->n; k++) {
			const struct m_rclass *rc = &m->rcs[rcs->v[k]];
			const struct m_resource *r = &m->res[rc->members.v[0]];
			int tier;
			if (!m_reaches(m, r, d, &tier) || !m_time_ok(m, r, d))
				continue;
			m_ints_push(&n->paired, rcs->v[k]);
			if (n->w->paired < 0)
				m_ints_push(&n->tainted, rc->group);
		}
	}
}

static int
contains(const struct m_ints *a, int32_t x)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == x)
			return 1;
	return 0;
}

static void
group_ranks(const struct qy_match *m, const struct m_group *g, const struct m_demand *d,
	    int32_t *tu, int32_t *tf)
{
	*tu = until_rank(g->untils.v, (int32_t)g->untils.n, d->t1i);
	*tf = from_rank(g->froms.v, (int32_t)g->froms.n, d->t2i);
	(void)m;
}

/* Per-class mode (a negative pair or keyword weight): every class has its
 * own arcs, each route at most the pair's true score. */
static void
class_group(struct net *n, int32_t cls, const struct m_demand *d, int32_t g)
{
	const struct qy_match *m = n->m;
	const struct m_group *gr = &m->groups[g];
	int32_t tu, tf;
	group_ranks(m, gr, d, &tu, &tf);
	int32_t all = get_hub(n, g, PART_ALL, tu, tf);
	if (n->hubs[all].rcs.n == 0)
		return;
	n->class_elig[cls] = 1;
	int tw = tier_weight(n->w, gr->tier);
	if (contains(&n->tainted, g)) {
		for (size_t i = 0; i < n->hubs[all].rcs.n; i++) {
			int32_t rc = n->hubs[all].rcs.v[i];
			push_req(n, cls, -1, rc, pair_score(n, d, rc));
		}
		return;
	}
	const int32_t *sig;
	size_t lo, hi;
	sig_of_group(m, m->kk_sig[d->kk], g, &sig, &lo, &hi);
	if (n->w->keyword >= 0 || gr->patterns.n == 0) {
		push_req(n, cls, all, -1, tw);
		for (size_t i = lo; n->w->keyword > 0 && i < hi; i++) {
			int32_t h = get_hub(n, g, sig[2 * i + 1], tu, tf);
			if (n->hubs[h].rcs.n > 0)
				push_req(n, cls, h, -1, tw + n->w->keyword);
		}
		return;
	}
	/* keyword < 0: one hub per part, each at its exact score */
	for (size_t p = 0; p <= gr->patterns.n; p++) {
		int32_t part = p == 0 ? PART_NONE : gr->patterns.v[p - 1];
		int32_t h = get_hub(n, g, part, tu, tf);
		if (n->hubs[h].rcs.n == 0)
			continue;
		int matched = 0;
		for (size_t i = lo; i < hi; i++)
			matched |= sig[2 * i + 1] == part;
		push_req(n, cls, h, -1, tw + (matched ? n->w->keyword : 0));
	}
}

static void
wishes_per_class(struct net *n)
{
	const struct qy_match *m = n->m;
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		const struct m_demand *d = class_rep(n, cls);
		int32_t lc = d->loc * M_NCAT + d->category;
		find_paired(n, d);
		for (int32_t i = m->lc_group_off[lc]; i < m->lc_group_off[lc + 1]; i++)
			class_group(n, cls, d, m->lc_groups.v[i]);
		if (n->w->paired > 0)
			for (size_t i = 0; i < n->paired.n; i++)
				push_req(n, cls, -1, n->paired.v[i],
					 pair_score(n, d, n->paired.v[i]));
	}
}

/* Shared mode (both bonus weights ≥ 0).  A P node holds what every class
 * of its (loc, category, dates) can use at a score without its keyword
 * bonus: the group hubs at the tier score, and paired resources at tier +
 * paired.  A class with a signature adds its keyword hubs (tier + keyword)
 * and its paired resources whose pattern it matched (the exact score). */
static void
wishes_shared(struct net *n)
{
	const struct qy_match *m = n->m;
	for (int32_t p = 0; p < n->np; p++) {
		const struct m_demand *d = &m->dem[n->p_rep[p]];
		int32_t lc = d->loc * M_NCAT + d->category;
		for (int32_t i = m->lc_group_off[lc]; i < m->lc_group_off[lc + 1]; i++) {
			const struct m_group *gr = &m->groups[m->lc_groups.v[i]];
			int32_t tu, tf;
			group_ranks(m, gr, d, &tu, &tf);
			int32_t all = get_hub(n, m->lc_groups.v[i], PART_ALL, tu, tf);
			if (n->hubs[all].rcs.n == 0)
				continue;
			n->p_elig[p] = 1;
			push_req(n, -1 - p, all, -1, tier_weight(n->w, gr->tier));
		}
		find_paired(n, d);
		for (size_t i = 0; n->w->paired > 0 && i < n->paired.n; i++) {
			int32_t rc = n->paired.v[i];
			int s = pair_score(n, d, rc);
			if (m->rcs[rc].pattern >= 0 &&
			    sig_has(m, m->kk_sig[d->kk], m->rcs[rc].group, m->rcs[rc].pattern))
				s -= n->w->keyword; /* P's score must hold for every signature */
			push_req(n, -1 - p, -1, rc, s);
		}
	}
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		const struct m_demand *d = class_rep(n, cls);
		int32_t sig = m->kk_sig[d->kk];
		n->class_elig[cls] = n->p_elig[n->class_p[cls]];
		if (m->sigs.len[sig] == 0)
			continue;
		const int32_t *v = (const int32_t *)(const void *)m_pool_str(&m->sigs, sig);
		size_t cnt = m->sigs.len[sig] / (2 * sizeof(int32_t));
		for (size_t i = 0; n->w->keyword > 0 && i < cnt; i++) {
			const struct m_group *gr = &m->groups[v[2 * i]];
			int32_t tu, tf;
			group_ranks(m, gr, d, &tu, &tf);
			int32_t h = get_hub(n, v[2 * i], v[2 * i + 1], tu, tf);
			if (n->hubs[h].rcs.n > 0)
				push_req(n, cls, h, -1,
					 tier_weight(n->w, gr->tier) + n->w->keyword);
		}
		if (n->w->paired == 0 || n->w->keyword == 0)
			continue;
		find_paired(n, d);
		for (size_t i = 0; i < n->paired.n; i++) {
			const struct m_rclass *rc = &m->rcs[n->paired.v[i]];
			if (rc->pattern >= 0 && sig_has(m, sig, rc->group, rc->pattern))
				push_req(n, cls, -1, n->paired.v[i],
					 pair_score(n, d, n->paired.v[i]));
		}
	}
}

/* ---- building and solving the flow problem ------------------------------------------- */

/* s, t, and one node per priority between s and the classes: s → priority
 * arcs open one priority at a time, then their flows become fixed supplies. */
enum { NODE_S = 0, NODE_T = 1, NODE_PRIO = 2, NODE_FIRST = 5 };

static void
arc(struct net *n, int32_t u, int32_t v, int64_t cap, int64_t score, enum arc_kind kind, int32_t a,
    int32_t b)
{
	int e = qy_mcf_add_arc(&n->g, u, v, cap, -score);
	if (e >= n->arc_book_cap) {
		n->arc_book_cap = n->g.arc_cap;
		size_t sz = (size_t)n->arc_book_cap * sizeof(int32_t);
		n->arc_kind = qy_xrealloc(n->arc_kind, (size_t)n->arc_book_cap);
		n->arc_a = qy_xrealloc(n->arc_a, sz);
		n->arc_b = qy_xrealloc(n->arc_b, sz);
	}
	n->arc_kind[e] = (uint8_t)kind;
	n->arc_a[e] = a;
	n->arc_b[e] = b;
}

static int32_t
from_node(const struct net *n, int32_t from)
{
	return from >= 0 ? n->class_node[from] : n->p_node[-1 - from];
}

/* Which wishes can carry flow (to a hub or resource class with capacity
 * left), and so which classes and P nodes are live. */
static void
find_live(struct net *n, uint8_t *class_live, uint8_t *p_live)
{
	const struct qy_match *m = n->m;
	for (size_t i = 0; i < n->nreqs; i++) {
		const struct req *q = &n->reqs[i];
		int live = q->hub >= 0 ? n->hubs[q->hub].live > 0 : m->rcs[q->rc].capacity > 0;
		if (!live)
			continue;
		if (q->from >= 0)
			class_live[q->from] = 1;
		else
			p_live[-1 - q->from] = 1;
	}
	for (int32_t cls = 0; n->shared && cls < n->nclass; cls++)
		class_live[cls] |= p_live[n->class_p[cls]];
}

/* Nodes: s, t, P nodes, class nodes (shared mode: only classes with a
 * signature; the others are their P), hubs shared by ≥ 2 users with ≥ 2
 * live resource classes (the others expand into direct arcs), resource
 * classes with capacity. */
static int32_t
number_nodes(struct net *n)
{
	const struct qy_match *m = n->m;
	int32_t next = NODE_FIRST;
	n->p_node = qy_xmalloc(((size_t)n->np + 1) * sizeof *n->p_node);
	for (int32_t p = 0; p < n->np; p++)
		n->p_node[p] = next++;
	n->class_node = qy_xmalloc(((size_t)n->nclass + 1) * sizeof *n->class_node);
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		int plain = n->shared && m->sigs.len[m->kk_sig[class_rep(n, cls)->kk]] == 0;
		n->class_node[cls] = plain ? n->p_node[n->class_p[cls]] : next++;
	}
	for (int32_t h = 0; h < n->nhubs; h++) {
		struct hub *hb = &n->hubs[h];
		hb->node = hb->users >= 2 && hb->live >= 2 ? next++ : -1;
	}
	n->rc_node = qy_xmalloc(((size_t)m->nrc + 1) * sizeof *n->rc_node);
	for (int32_t c = 0; c < m->nrc; c++)
		n->rc_node[c] = -1;
	for (size_t i = 0; i < n->nreqs; i++) {
		const struct req *q = &n->reqs[i];
		if (q->hub < 0) {
			n->rc_node[q->rc] = m->rcs[q->rc].capacity > 0 ? 0 : -1;
			continue;
		}
		const struct hub *hb = &n->hubs[q->hub];
		for (size_t k = 0; k < hb->rcs.n; k++)
			if (m->rcs[hb->rcs.v[k]].capacity > 0)
				n->rc_node[hb->rcs.v[k]] = 0;
	}
	for (int32_t c = 0; c < m->nrc; c++)
		if (n->rc_node[c] == 0)
			n->rc_node[c] = next++;
	n->node_rc = qy_xmalloc(((size_t)next + 1) * sizeof *n->node_rc);
	for (int32_t u = 0; u < next; u++)
		n->node_rc[u] = -1;
	for (int32_t c = 0; c < m->nrc; c++)
		if (n->rc_node[c] >= 0)
			n->node_rc[n->rc_node[c]] = c;
	return next;
}

static void
source_arcs(struct net *n, int32_t cls)
{
	const struct qy_match *m = n->m;
	int64_t bucket[3 * 13] = {0};
	for (int32_t i = n->class_off[cls]; i < n->class_off[cls + 1]; i++) {
		const struct m_demand *d = &m->dem[n->c->dem.v[n->class_dem[i]]];
		bucket[d->priority * 13 + d->weeks] += d->quantity;
	}
	for (int b = 3 * 13 - 1; b >= 0; b--) {
		if (bucket[b] == 0)
			continue;
		m_ints_push(&n->src_arcs, n->g.narcs);
		m_ints_push(&n->src_bucket, b);
		arc(n, NODE_PRIO + b / 13, n->class_node[cls], bucket[b],
		    (int64_t)(b % 13) * n->w->wait, K_SRC, cls, b);
	}
}

static void
wish_arcs(struct net *n)
{
	const struct qy_match *m = n->m;
	for (size_t i = 0; i < n->nreqs; i++) {
		const struct req *q = &n->reqs[i];
		int32_t from = from_node(n, q->from);
		if (q->hub < 0) {
			if (n->rc_node[q->rc] >= 0 && m->rcs[q->rc].capacity > 0)
				arc(n, from, n->rc_node[q->rc], QY_MCF_INF, q->score, K_XR, q->from,
				    q->rc);
			continue;
		}
		const struct hub *hb = &n->hubs[q->hub];
		if (hb->node >= 0) {
			arc(n, from, hb->node, QY_MCF_INF, q->score, K_XH, q->from, q->hub);
			continue;
		}
		for (size_t k = 0; k < hb->rcs.n; k++) {
			int32_t rc = hb->rcs.v[k];
			if (m->rcs[rc].capacity > 0)
				arc(n, from, n->rc_node[rc], QY_MCF_INF, q->score, K_XR, q->from,
				    rc);
		}
	}
}

static void
build_network(struct net *n)
{
	const struct qy_match *m = n->m;
	uint8_t *class_live = qy_xcalloc((size_t)n->nclass + 1, 1);
	uint8_t *p_live = qy_xcalloc((size_t)n->np + 1, 1);
	find_live(n, class_live, p_live);
	qy_mcf_init(&n->g, number_nodes(n));
	n->src_arc_off = qy_xmalloc(((size_t)n->nclass + 1) * sizeof *n->src_arc_off);
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		n->src_arc_off[cls] = (int32_t)n->src_arcs.n;
		if (class_live[cls])
			source_arcs(n, cls);
	}
	n->src_arc_off[n->nclass] = (int32_t)n->src_arcs.n;
	for (int32_t cls = 0; n->shared && cls < n->nclass; cls++) {
		int32_t p = n->class_p[cls];
		if (class_live[cls] && p_live[p] && n->class_node[cls] != n->p_node[p])
			arc(n, n->class_node[cls], n->p_node[p], QY_MCF_INF, 0, K_CP, cls, p);
	}
	free(class_live);
	free(p_live);
	wish_arcs(n);
	for (int32_t h = 0; h < n->nhubs; h++) {
		const struct hub *hb = &n->hubs[h];
		for (size_t k = 0; hb->node >= 0 && k < hb->rcs.n; k++) {
			int32_t rc = hb->rcs.v[k];
			if (m->rcs[rc].capacity > 0)
				arc(n, hb->node, n->rc_node[rc], QY_MCF_INF, 0, K_HR, h, rc);
		}
	}
	for (int32_t rc = 0; rc < m->nrc; rc++)
		if (n->rc_node[rc] >= 0)
			arc(n, n->rc_node[rc], NODE_T, m->rcs[rc].capacity, 0, K_RT, rc, -1);
	for (int p = 0; p < 3; p++)
		arc(n, NODE_S, NODE_PRIO + p, 0, 0, K_SP, p, -1);
	arc(n, NODE_S, NODE_T, 0, 0, K_ST, -1, -1); /* only the simplex method uses it */
}

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
		    m_keys_intern(&keys, &m->locs.key[3 * class_rep(n, cls)->loc]);
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
			uf_union(parent, a, b);
	}
	int32_t *id = qy_xmalloc(((size_t)keys.n + 1) * sizeof *id);
	for (int32_t k = 0; k < keys.n; k++)
		id[k] = -1;
	*nzones = 0;
	for (int32_t u = 0; u < n->g.nnodes; u++) {
		if (zone[u] < 0)
			continue;
		int32_t root = uf_find(parent, zone[u]);
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

/* ---- from flows back to demands ------------------------------------------------------ */

/* Flow owned by a class at some node, or going from a class to a target. */
struct piece {
	int32_t node, cls, target;
	int64_t units;
	int32_t seq;
};

struct pieces {
	struct piece *v;
	size_t n, cap;
};

static void
push_piece(struct pieces *p, int32_t node, int32_t cls, int32_t target, int64_t units)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->v = qy_xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n] = (struct piece){node, cls, target, units, (int32_t)p->n};
	p->n++;
}

static int
piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
sort_pieces(struct pieces *p)
{
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, piece_cmp);
}

/* A node's inflow, owned by classes (sorted by class), meets its outflow
 * (targets in arc order) first-come first-served: every class entering it
 * may use every arc leaving it.  Emits (class, target) pieces into out. */
static void
split_node(const struct piece *in, size_t nin, const int32_t *out_arcs, size_t nout,
	   const struct net *n, int32_t out_node_of_target, struct pieces *out)
{
	size_t i = 0, o = 0;
	int64_t in_left = nin ? in[0].units : 0, out_left = nout ? n->g.flow[out_arcs[0]] : 0;
	while (i < nin && o < nout) {
		int64_t x = in_left < out_left ? in_left : out_left;
		int32_t e = out_arcs[o];
		if (x > 0) {
			int32_t next = n->arc_kind[e] == K_XH ? n->arc_b[e] : -1;
			push_piece(out, out_node_of_target ? next : -1, in[i].cls, n->arc_b[e], x);
		}
		in_left -= x;
		out_left -= x;
		if (in_left == 0 && ++i < nin)
			in_left = in[i].units;
		if (out_left == 0 && ++o < nout)
			out_left = n->g.flow[out_arcs[o]];
	}
}

/* Arcs with flow grouped by the node (P or hub) they leave, in arc order. */
static void
out_arcs_by(const struct net *n, int hubs, int32_t **off, int32_t **arcs)
{
	int32_t nkeys = hubs ? n->nhubs : n->np;
	struct m_ints es = {0}, keys = {0};
	for (int32_t e = 0; e < n->g.narcs; e++) {
		if (n->g.flow[e] == 0)
			continue;
		int k = n->arc_kind[e];
		if (hubs && k == K_HR) {
			m_ints_push(&es, e);
			m_ints_push(&keys, n->arc_a[e]);
		} else if (!hubs && (k == K_XH || k == K_XR) && n->arc_a[e] < 0) {
			m_ints_push(&es, e);
			m_ints_push(&keys, -1 - n->arc_a[e]);
		}
	}
	int32_t *items;
	m_csr_build(nkeys, (int32_t)es.n, keys.v, off, &items);
	*arcs = qy_xmalloc((es.n + 1) * sizeof **arcs);
	for (size_t i = 0; i < es.n; i++)
		(*arcs)[i] = es.v[items[i]];
	free(items);
	m_ints_free(&es);
	m_ints_free(&keys);
}

/* Splits the flow through the nodes of one kind (P nodes, then hubs). */
static void
split_all(const struct net *n, int hubs, struct pieces *in, struct pieces *to_hubs,
	  struct pieces *done)
{
	int32_t *off, *arcs;
	out_arcs_by(n, hubs, &off, &arcs);
	sort_pieces(in);
	size_t i = 0;
	int32_t nkeys = hubs ? n->nhubs : n->np;
	for (int32_t k = 0; k < nkeys; k++) {
		size_t from = i;
		while (i < in->n && in->v[i].node == k)
			i++;
		/* P outflow goes to hubs (pieces owned at the hub) or to resource
		 * classes; hub outflow goes to resource classes */
		struct pieces tmp = {0};
		split_node(in->v + from, i - from, arcs + off[k], (size_t)(off[k + 1] - off[k]), n,
			   1, &tmp);
		for (size_t t = 0; t < tmp.n; t++) {
			if (tmp.v[t].node >= 0 && !hubs)
				push_piece(to_hubs, tmp.v[t].node, tmp.v[t].cls, -1,
					   tmp.v[t].units);
			else
				push_piece(done, -1, tmp.v[t].cls, tmp.v[t].target, tmp.v[t].units);
		}
		free(tmp.v);
	}
	free(off);
	free(arcs);
}

/* (class, resource class, units) for every unit of flow. */
static void
decompose(const struct net *n, struct pieces *done)
{
	struct pieces at_p = {0}, at_hub = {0};
	for (int32_t e = 0; e < n->g.narcs; e++) {
		int64_t f = n->g.flow[e];
		if (f == 0)
			continue;
		int32_t a = n->arc_a[e], b = n->arc_b[e];
		switch (n->arc_kind[e]) {
		case K_CP:
			push_piece(&at_p, b, a, -1, f);
			break;
		case K_XH:
			if (a >= 0)
				push_piece(&at_hub, b, a, -1, f);
			break;
		case K_XR:
			if (a >= 0)
				push_piece(done, -1, a, b, f);
			break;
		default:
			break;
		}
	}
	/* a class without its own node sends straight into its P */
	for (size_t i = 0; n->shared && i < n->src_arcs.n; i++) {
		int e = n->src_arcs.v[i], cls = n->arc_a[e];
		int64_t f = n->g.flow[e] + n->src_fixed[i];
		if (f > 0 && n->class_node[cls] == n->p_node[n->class_p[cls]])
			push_piece(&at_p, n->class_p[cls], cls, -1, f);
	}
	split_all(n, 0, &at_p, &at_hub, done);
	split_all(n, 1, &at_hub, NULL, done);
	free(at_p.v);
	free(at_hub.v);
}

static void
push_row(struct comp *c, int32_t demand, int32_t res, int64_t units)
{
	if (c->nrows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->rows = qy_xrealloc(c->rows, c->cap * sizeof *c->rows);
	}
	c->rows[c->nrows++] = (struct m_row){demand, res, units};
}

/* Hands units of a resource class to its members, in input order, each up
 * to its capacity: the same sequence whichever class asks. */
struct fill {
	int32_t *member; /* resource class → index of the member being filled */
	int64_t *used;	 /* resource class → units given from that member */
};

static void
give(struct net *n, struct fill *fl, int32_t demand, int32_t rc, int64_t units)
{
	const struct qy_match *m = n->m;
	const struct m_rclass *c = &m->rcs[rc];
	while (units > 0) {
		int32_t r = c->members.v[fl->member[rc]];
		int64_t room = m->res[r].capacity - fl->used[rc];
		int64_t x = units < room ? units : room;
		if (x > 0)
			push_row(n->c, demand, r, x);
		units -= x;
		fl->used[rc] += x;
		if (fl->used[rc] == m->res[r].capacity) {
			if ((size_t)fl->member[rc] + 1 >= c->members.n && units > 0)
				qy_fatal(m->d, "internal error: resource class over capacity");
			if ((size_t)fl->member[rc] + 1 < c->members.n) {
				fl->member[rc]++;
				fl->used[rc] = 0;
			}
		}
	}
}

/* Within a class, demands take the units their (priority, wait) bucket was
 * given in input order, then the class's units per resource class are
 * handed out first-come first-served. */
static void
serve_class(struct net *n, struct fill *fl, int32_t cls, const struct piece *t, size_t nt)
{
	struct qy_match *m = n->m;
	int64_t left[3 * 13] = {0};
	for (int32_t i = n->src_arc_off[cls]; i < n->src_arc_off[cls + 1]; i++)
		left[n->src_bucket.v[i]] = n->g.flow[n->src_arcs.v[i]] + n->src_fixed[i];
	size_t k = 0;
	int64_t res_left = nt ? t[0].units : 0;
	for (int32_t i = n->class_off[cls]; i < n->class_off[cls + 1]; i++) {
		int32_t di = n->c->dem.v[n->class_dem[i]];
		struct m_demand *d = &m->dem[di];
		int64_t *b = &left[d->priority * 13 + d->weeks];
		int64_t want = *b < d->quantity ? *b : d->quantity;
		*b -= want;
		d->served = (int32_t)want;
		d->reason = want == d->quantity	 ? M_SERVED
			    : n->class_elig[cls] ? M_CAPACITY
						 : M_NO_RESOURCE;
		while (want > 0 && k < nt) {
			int64_t x = want < res_left ? want : res_left;
			give(n, fl, di, t[k].target, x);
			want -= x;
			res_left -= x;
			if (res_left == 0 && ++k < nt)
				res_left = t[k].units;
		}
		if (want > 0)
			qy_fatal(m->d, "internal error: flow lost in class %d", (int)cls);
	}
}

static void
extract(struct net *n)
{
	struct pieces t = {0};
	decompose(n, &t);
	for (size_t i = 0; i < t.n; i++)
		t.v[i].node = t.v[i].cls; /* sort by class, then resource class */
	sort_pieces(&t);
	size_t k = 0;
	for (size_t i = 0; i < t.n; i++) { /* merge repeats of (class, resource class) */
		if (k > 0 && t.v[k - 1].cls == t.v[i].cls && t.v[k - 1].target == t.v[i].target)
			t.v[k - 1].units += t.v[i].units;
		else
			t.v[k++] = t.v[i];
	}
	struct fill fl;
	fl.member = qy_xcalloc((size_t)n->m->nrc + 1, sizeof *fl.member);
	fl.used = qy_xcalloc((size_t)n->m->nrc + 1, sizeof *fl.used);
	size_t at = 0;
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		size_t from = at;
		while (at < k && t.v[at].cls == cls)
			at++;
		serve_class(n, &fl, cls, t.v + from, at - from);
	}
	free(fl.member);
	free(fl.used);
	free(t.v);
}

static void
net_free(struct net *n)
{
	m_keys_free(&n->class_keys);
	m_keys_free(&n->p_keys);
	m_keys_free(&n->hub_keys);
	free(n->class_off);
	free(n->class_dem);
	free(n->class_elig);
	free(n->class_p);
	free(n->class_node);
	free(n->p_rep);
	free(n->p_node);
	free(n->p_elig);
	for (int32_t h = 0; h < n->nhubs; h++)
		m_ints_free(&n->hubs[h].rcs);
	free(n->hubs);
	free(n->reqs);
	m_ints_free(&n->paired);
	m_ints_free(&n->tainted);
	qy_mcf_free(&n->g);
	free(n->rc_node);
	free(n->node_rc);
	free(n->arc_kind);
	free(n->arc_a);
	free(n->arc_b);
	free(n->src_arc_off);
	m_ints_free(&n->src_arcs);
	m_ints_free(&n->src_bucket);
	free(n->src_fixed);
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
	make_classes(&n);
	if (n.shared)
		wishes_shared(&n);
	else
		wishes_per_class(&n);
	m_trace(m, "component of %zu demands: %d classes, %d plain, %d hubs, %zu arc wishes",
		c->dem.n, (int)n.nclass, (int)n.np, (int)n.nhubs, n.nreqs);
	build_network(&n);
	m_trace(m, "network: %d nodes, %d arcs", n.g.nnodes, n.g.narcs);
	if (m->method_simplex)
		solve_network_simplex(&n);
	else
		solve_network(&n);
	if (m->trace) {
		long kinds[8] = {0};
		int hubn = 0, rcn = 0, clsn = 0;
		for (int e = 0; e < n.g.narcs; e++)
			kinds[n.arc_kind[e]]++;
		for (int32_t h = 0; h < n.nhubs; h++)
			hubn += n.hubs[h].node >= 0;
		for (int32_t r = 0; r < m->nrc; r++)
			rcn += n.rc_node[r] >= 0;
		for (int32_t k = 0; k < n.nclass; k++)
			clsn += n.class_node[k] >= NODE_FIRST + n.np;
		m_trace(m,
			"nodes: %d P, %d class, %d hub, %d rc; arcs: src %ld cp %ld xh %ld xr %ld "
			"hr %ld rt %ld",
			(int)n.np, clsn, hubn, rcn, kinds[K_SRC], kinds[K_CP], kinds[K_XH],
			kinds[K_XR], kinds[K_HR], kinds[K_RT]);
	}
	m_trace(m, "solved: %ld pushes and relabels (or pivots)", n.g.pivots);
	extract(&n);
	net_free(&n);
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
