/* match_net.c — one component's dispatch network: demand classes, plain
 * access (P) nodes, hubs, resource classes and their arcs, as the top
 * comment of match_solve.c describes. */
#include <stdlib.h>
#include <string.h>

#include "match_net.h"

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

const struct m_demand *
m_class_rep(const struct net *n, int32_t cls)
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
		const struct m_demand *d = m_class_rep(n, cls);
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
		const struct m_demand *d = m_class_rep(n, cls);
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

/* ---- nodes and arcs ---- */

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
		int plain = n->shared && m->sigs.len[m->kk_sig[m_class_rep(n, cls)->kk]] == 0;
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

void
m_net_free(struct net *n)
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

void
m_net_build(struct net *n)
{
	make_classes(n);
	if (n->shared)
		wishes_shared(n);
	else
		wishes_per_class(n);
	build_network(n);
}
