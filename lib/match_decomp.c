/* match_decomp.c — from a solved network back to demands: the flow through
 * P nodes and hubs is split first-come first-served among the classes that
 * entered them, a class's units among its demands by their (priority, wait)
 * buckets in input order, and a resource class's units among its members in
 * input order.  Any such split is optimal: everything split was
 * interchangeable. */
#include <stdlib.h>
#include <string.h>

#include "match_net.h"

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

void
m_net_extract(struct net *n)
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
