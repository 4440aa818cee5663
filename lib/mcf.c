/* mcf.c — minimum-cost flow by the primal network simplex method.
 *
 * Why network simplex (and not cost scaling or successive shortest paths):
 *  - qy-match encodes a lexicographic objective in one integer cost, so its
 *    costs span ~2^40.  Cost scaling must multiply costs by the node count to
 *    reach exactness, which would bring them close to 2^63; network simplex
 *    only adds and compares costs along tree paths and needs no scaling.
 *  - Successive shortest paths runs one Dijkstra per augmenting path; a city
 *    has hundreds of thousands of capacity bottlenecks, so that many paths.
 *  - On sparse transportation-like graphs network simplex with block-search
 *    pricing is the fastest of the classic methods in the published
 *    comparisons (Kovács, "Minimum-cost flow algorithms: an experimental
 *    evaluation", 2015), and its pivots are deterministic.
 *
 * The spanning tree is kept as parent pointers, subtree sizes and doubly
 * linked child lists (simpler to keep right than the thread arrays of LEMON).
 * Subtree sizes find the cycle's apex (climb from the smaller side) and
 * change only along the cycle and the re-hung stem; of the two sides of
 * the tree that the pivot moves apart, the smaller one gets its potentials
 * shifted (potentials are defined up to a constant), so a pivot costs the
 * cycle, the stem and min(moved part, rest) — in a network where one side
 * holds the source and nearly everything, that is what keeps pivots cheap.  Cycling is prevented
 * with strongly feasible trees: the start tree is one, and the leaving arc is the last blocking arc
 * met when the cycle is walked from its apex in the direction of the flow change (Cunningham's
 * rule), which keeps it one.
 *
 * The start is the classic artificial one: a root node, and per node u an
 * arc u → root of cost 0 when u gives (supply ≥ 0) or root → u of cost
 * art_cost when it takes.  Artificial arcs are never priced again once they
 * leave the tree; if one still carries flow at the end, there is no feasible
 * flow. */
#include "mcf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

enum { STATE_UPPER = -1, STATE_TREE = 0, STATE_LOWER = 1 };
enum { DIR_DOWN = -1, DIR_UP = 1 };

void
qy_mcf_init(struct qy_mcf *g, int nnodes)
{
	memset(g, 0, sizeof *g);
	g->nnodes = nnodes;
	g->supply = qy_xcalloc((size_t)nnodes + 1, sizeof *g->supply);
}

void
qy_mcf_free(struct qy_mcf *g)
{
	free(g->supply);
	free(g->tail);
	free(g->head);
	free(g->cap);
	free(g->cost);
	free(g->flow);
	free(g->hint);
	free(g->pi);
	memset(g, 0, sizeof *g);
}

void
qy_mcf_hint(struct qy_mcf *g, int u, int e)
{
	if (g->hint == NULL) {
		g->hint = qy_xmalloc(((size_t)g->nnodes + 1) * sizeof *g->hint);
		for (int i = 0; i < g->nnodes; i++)
			g->hint[i] = -1;
	}
	g->hint[u] = e;
}

void
qy_mcf_add_supply(struct qy_mcf *g, int u, int64_t s)
{
	g->supply[u] += s;
}

static void
reserve_arcs(struct qy_mcf *g, int need)
{
	if (need <= g->arc_cap)
		return;
	int cap = g->arc_cap ? g->arc_cap : 64;
	while (cap < need)
		cap = cap > (1 << 29) ? need : cap * 2;
	g->tail = qy_xrealloc(g->tail, (size_t)cap * sizeof *g->tail);
	g->head = qy_xrealloc(g->head, (size_t)cap * sizeof *g->head);
	g->cap = qy_xrealloc(g->cap, (size_t)cap * sizeof *g->cap);
	g->cost = qy_xrealloc(g->cost, (size_t)cap * sizeof *g->cost);
	g->arc_cap = cap;
}

int
qy_mcf_add_arc(struct qy_mcf *g, int u, int v, int64_t cap, int64_t cost)
{
	reserve_arcs(g, g->narcs + 1);
	int e = g->narcs++;
	g->tail[e] = u;
	g->head[e] = v;
	g->cap[e] = cap;
	g->cost[e] = cost;
	return e;
}

/* A node of the spanning tree, in one cache line's half: a subtree walk
 * touches one line per node. */
struct node {
	int64_t pi; /* potential: reduced cost = cost + pi[tail] - pi[head] */
	int parent, first_child, next_sib, prev_sib;
	int succ; /* nodes in its subtree */
	int pred; /* the tree arc to its parent */
};

/* The solver's state; arrays over nodes have n + 1 entries (the root is n),
 * arrays over arcs m + n (the artificial arc of node u is m + u). */
struct ns {
	int n, m, root;
	int *tail, *head;
	int64_t *cap, *cost, *flow;
	signed char *state;
	struct node *nd; /* the tree */
	int *stem;
	signed char *dir; /* DIR_UP: pred runs u → parent */
	int next_arc, block;
	/* the current pivot */
	int in_arc, join, u_in, v_in, u_out;
	int64_t delta;
};

static void
add_child(struct ns *s, int p, int u)
{
	s->nd[u].parent = p;
	s->nd[u].prev_sib = -1;
	s->nd[u].next_sib = s->nd[p].first_child;
	if (s->nd[p].first_child >= 0)
		s->nd[s->nd[p].first_child].prev_sib = u;
	s->nd[p].first_child = u;
}

static void
remove_child(struct ns *s, int u)
{
	int prev = s->nd[u].prev_sib, next = s->nd[u].next_sib;
	if (prev >= 0)
		s->nd[prev].next_sib = next;
	else
		s->nd[s->nd[u].parent].first_child = next;
	if (next >= 0)
		s->nd[next].prev_sib = prev;
}

static void
ns_alloc(struct ns *s, struct qy_mcf *g)
{
	int n = g->nnodes, m = g->narcs;
	size_t nn = (size_t)n + 1, ma = (size_t)m + (size_t)n;
	reserve_arcs(g, m + n);
	free(g->flow);
	g->flow = qy_xcalloc(ma + 1, sizeof *g->flow);
	s->n = n;
	s->m = m;
	s->root = n;
	s->tail = g->tail;
	s->head = g->head;
	s->cap = g->cap;
	s->cost = g->cost;
	s->flow = g->flow;
	s->state = qy_xcalloc(ma + 1, sizeof *s->state);
	s->nd = qy_xmalloc(nn * sizeof *s->nd);
	s->stem = qy_xmalloc(nn * sizeof *s->stem);
	s->dir = qy_xmalloc(nn * sizeof *s->dir);
}

static void
ns_free(struct ns *s)
{
	free(s->state);
	free(s->nd);
	free(s->stem);
	free(s->dir);
}

static int64_t
default_art_cost(const struct qy_mcf *g)
{
	int64_t max = 0;
	for (int e = 0; e < g->narcs; e++) {
		int64_t c = g->cost[e] < 0 ? -g->cost[e] : g->cost[e];
		if (c > max)
			max = c;
	}
	const int64_t limit = (int64_t)1 << 61;
	if (max + 1 > limit / ((int64_t)g->nnodes + 1))
		return limit;
	return (max + 1) * ((int64_t)g->nnodes + 1);
}

/* The other end of arc e from u, or -1 when e does not touch u. */
static int
other_end(const struct ns *s, int e, int u)
{
	if (e < 0 || e >= s->m || s->tail[e] == s->head[e])
		return -1;
	return s->tail[e] == u ? s->head[e] : s->head[e] == u ? s->tail[e] : -1;
}

/* The start tree's parent links: the hints, less those closing a cycle;
 * -1 hangs a node from the artificial root. */
static void
hinted_parents(struct ns *s, const int *hint, int *link)
{
	signed char *color = qy_xcalloc((size_t)s->n + 1, 1);
	for (int u = 0; u < s->n; u++)
		link[u] = hint ? hint[u] : -1;
	for (int u = 0; u < s->n; u++) {
		int x = u, k = 0;
		while (x >= 0 && color[x] == 0 && link[x] >= 0 && other_end(s, link[x], x) >= 0) {
			color[x] = 1;
			s->stem[k++] = x;
			x = other_end(s, link[x], x);
		}
		if (x >= 0 && color[x] == 1) /* back on this walk: a cycle */
			link[x] = -1;
		for (int i = 0; i < k; i++)
			color[s->stem[i]] = 2;
		if (x >= 0 && link[x] >= 0 && other_end(s, link[x], x) < 0)
			link[x] = -1;
	}
	free(color);
}

/* Builds the start tree from the parent links: child lists, then a
 * breadth-first order (in s->stem) for subtree sums and potentials.
 * Returns 0, or -1 when the links cannot carry the supplies as a strongly
 * feasible tree. */
static int
tree_from_links(struct ns *s, const int64_t *supply, int64_t art_cost, const int *link)
{
	int r = s->root;
	for (int u = 0; u <= s->n; u++)
		s->nd[u].first_child = -1;
	s->nd[r].parent = -1;
	s->nd[r].pred = -1;
	s->dir[r] = DIR_UP;
	s->nd[r].pi = 0;
	for (int u = s->n - 1; u >= 0; u--)
		add_child(s, link[u] >= 0 ? other_end(s, link[u], u) : r, u);
	int head = 0, tail = 0;
	s->stem[tail++] = r;
	while (head < tail)
		for (int c = s->nd[s->stem[head++]].first_child; c >= 0; c = s->nd[c].next_sib)
			s->stem[tail++] = c;
	if (tail != s->n + 1)
		return -1;
	int64_t *sub = qy_xcalloc((size_t)s->n + 1, sizeof *sub);
	for (int i = s->n; i >= 0; i--) {
		int u = s->stem[i];
		s->nd[u].succ = 1;
		if (u != r)
			sub[u] += supply[u];
	}
	int ok = 1;
	for (int i = s->n; i >= 1 && ok; i--) {
		int u = s->stem[i], p = s->nd[u].parent;
		sub[p] += sub[u];
		s->nd[p].succ += s->nd[u].succ;
		int e = link[u] >= 0 ? link[u] : s->m + u;
		if (link[u] < 0) { /* artificial: gives into the root, or takes from it */
			s->tail[e] = sub[u] >= 0 ? u : r;
			s->head[e] = sub[u] >= 0 ? r : u;
			s->cost[e] = sub[u] >= 0 ? 0 : art_cost;
			s->cap[e] = QY_MCF_INF;
		}
		s->nd[u].pred = e;
		s->dir[u] = s->tail[e] == u ? DIR_UP : DIR_DOWN;
		s->flow[e] = s->dir[u] == DIR_UP ? sub[u] : -sub[u];
		s->state[e] = STATE_TREE;
		/* strongly feasible: every node can push more towards the root */
		if (s->flow[e] < 0 || s->flow[e] > s->cap[e] ||
		    (s->dir[u] == DIR_UP ? s->flow[e] == s->cap[e] : s->flow[e] == 0))
			ok = 0;
	}
	free(sub);
	if (!ok)
		return -1;
	for (int i = 1; i <= s->n; i++) {
		int u = s->stem[i], e = s->nd[u].pred;
		s->nd[u].pi =
		    s->nd[s->nd[u].parent].pi + (s->dir[u] == DIR_UP ? -s->cost[e] : s->cost[e]);
	}
	return 0;
}

/* The start tree: the caller's hints where they work, the artificial root
 * elsewhere — every node without a link hangs off the root by its
 * artificial arc (cost 0 when its subtree gives, art_cost when it takes).
 * If the hints fail, the classic all-artificial tree, which is always
 * strongly feasible. */
static int
ns_start(struct ns *s, const int64_t *supply, const int *hint, int64_t art_cost)
{
	int hinted = 1;
	int *link = qy_xmalloc(((size_t)s->n + 1) * sizeof *link);
	for (int e = 0; e < s->m + s->n; e++) {
		s->state[e] = STATE_LOWER;
		s->flow[e] = 0;
	}
	for (int u = 0; u < s->n; u++) { /* artificial arcs out of the tree stay empty */
		s->tail[s->m + u] = u;
		s->head[s->m + u] = s->root;
		s->cost[s->m + u] = 0;
		s->cap[s->m + u] = QY_MCF_INF;
	}
	hinted_parents(s, hint, link);
	if (tree_from_links(s, supply, art_cost, link) != 0) {
		for (int e = 0; e < s->m + s->n; e++) {
			s->state[e] = STATE_LOWER;
			s->flow[e] = 0;
		}
		for (int u = 0; u < s->n; u++)
			link[u] = -1;
		tree_from_links(s, supply, art_cost, link);
		hinted = 0;
	}
	free(link);
	s->next_arc = 0;
	int b = 10;
	while ((int64_t)b * b < s->m)
		b++;
	s->block = b;
	return hinted && hint != NULL;
}

static inline int64_t
reduced(const struct ns *s, int e)
{
	return s->state[e] * (s->cost[e] + s->nd[s->tail[e]].pi - s->nd[s->head[e]].pi);
}

/* Block search pricing: scan arcs in blocks of ~sqrt(m) from where the last
 * search stopped; take the most violating arc of the first block that has
 * any.  Returns 0 when no arc violates optimality. */
static int
find_entering(struct ns *s)
{
	int64_t min = 0;
	int cnt = s->block, e;
	for (e = s->next_arc; e < s->m; e++) {
		int64_t c = reduced(s, e);
		if (c < min) {
			min = c;
			s->in_arc = e;
		}
		if (--cnt == 0) {
			if (min < 0)
				goto found;
			cnt = s->block;
		}
	}
	for (e = 0; e < s->next_arc; e++) {
		int64_t c = reduced(s, e);
		if (c < min) {
			min = c;
			s->in_arc = e;
		}
		if (--cnt == 0) {
			if (min < 0)
				goto found;
			cnt = s->block;
		}
	}
	if (min >= 0)
		return 0;
found:
	s->next_arc = e;
	return 1;
}

static void
find_join(struct ns *s)
{
	int u = s->tail[s->in_arc], v = s->head[s->in_arc];
	while (u != v) {
		if (s->nd[u].succ < s->nd[v].succ)
			u = s->nd[u].parent;
		else
			v = s->nd[v].parent;
	}
	s->join = u;
}

static inline int64_t
room(const struct ns *s, int e, int increase)
{
	if (!increase)
		return s->flow[e];
	return s->cap[e] >= QY_MCF_INF ? QY_MCF_INF : s->cap[e] - s->flow[e];
}

/* Cunningham's rule.  The cycle runs first → second over the entering arc,
 * up from second to the apex (join), and down from the apex to first.  Of
 * the arcs that block, take the last one met from the apex: ties on the
 * first side go to the one nearest first, the entering arc beats the first
 * side, and the second side beats both.  Returns 0 (the entering arc itself
 * blocks), 1 or 2 (the side of the leaving arc), or -1 (unbounded). */
static int
find_leaving(struct ns *s)
{
	int e = s->in_arc, first, second;
	if (s->state[e] == STATE_LOWER) {
		first = s->tail[e];
		second = s->head[e];
	} else {
		first = s->head[e];
		second = s->tail[e];
	}
	int64_t delta = s->cap[e];
	int side = 0;
	for (int u = first; u != s->join; u = s->nd[u].parent) {
		int64_t d = room(s, s->nd[u].pred, s->dir[u] == DIR_DOWN);
		if (d < delta) {
			delta = d;
			s->u_out = u;
			side = 1;
		}
	}
	for (int u = second; u != s->join; u = s->nd[u].parent) {
		int64_t d = room(s, s->nd[u].pred, s->dir[u] == DIR_UP);
		if (d <= delta) {
			delta = d;
			s->u_out = u;
			side = 2;
		}
	}
	if (delta >= QY_MCF_INF)
		return -1;
	s->delta = delta;
	s->u_in = side == 1 ? first : second;
	s->v_in = side == 1 ? second : first;
	return side;
}

static void
change_flow(struct ns *s, int side)
{
	int e = s->in_arc;
	if (s->delta > 0) {
		int64_t val = s->state[e] * s->delta;
		s->flow[e] += val;
		for (int u = s->tail[e]; u != s->join; u = s->nd[u].parent)
			s->flow[s->nd[u].pred] -= s->dir[u] * val;
		for (int u = s->head[e]; u != s->join; u = s->nd[u].parent)
			s->flow[s->nd[u].pred] += s->dir[u] * val;
	}
	if (side == 0) {
		s->state[e] = (signed char)-s->state[e];
		return;
	}
	int out = s->nd[s->u_out].pred;
	s->state[e] = STATE_TREE;
	s->state[out] = s->flow[out] == 0 ? STATE_LOWER : STATE_UPPER;
}

/* Adds delta to the potentials of the subtree of top, or with skip ≥ 0 of
 * the whole tree but skip's subtree (top is then the root). */
static void
shift_potentials(struct ns *s, int top, int skip, int64_t delta)
{
	int x = top;
	for (;;) {
		if (x != skip) {
			s->nd[x].pi += delta;
			if (s->nd[x].first_child >= 0) {
				x = s->nd[x].first_child;
				continue;
			}
		}
		while (x != top && s->nd[x].next_sib < 0)
			x = s->nd[x].parent;
		if (x == top)
			break;
		x = s->nd[x].next_sib;
	}
}

/* The subtree below the leaving arc is re-hung from u_in: the stem u_in …
 * u_out reverses its parent pointers, and u_in becomes a child of v_in over
 * the entering arc.  Subtree sizes change along the stem and from v_in and
 * v_out up to the apex; potentials shift on the smaller side. */
static void
update_tree(struct ns *s)
{
	int k = 0, moved = s->nd[s->u_out].succ, v_out = s->nd[s->u_out].parent;
	for (int x = s->u_in;; x = s->nd[x].parent) {
		s->stem[k++] = x;
		if (x == s->u_out)
			break;
	}
	for (int i = 0; i < k; i++)
		remove_child(s, s->stem[i]);
	/* re-rooted at u_in: a stem node keeps its subtree less the part that
	 * was below it on the stem, plus the stem node above it */
	for (int i = k - 1; i >= 1; i--) {
		int x = s->stem[i], below = s->stem[i - 1];
		s->nd[x].pred = s->nd[below].pred;
		s->dir[x] = (signed char)-s->dir[below];
		s->nd[x].succ -= s->nd[below].succ;
		if (i < k - 1)
			s->nd[x].succ += s->nd[s->stem[i + 1]].succ;
	}
	s->nd[s->u_in].succ = moved;
	int e = s->in_arc;
	s->nd[s->u_in].pred = e;
	s->dir[s->u_in] = s->u_in == s->tail[e] ? DIR_UP : DIR_DOWN;
	add_child(s, s->v_in, s->u_in);
	for (int i = 1; i < k; i++)
		add_child(s, s->stem[i - 1], s->stem[i]);
	for (int u = v_out; u != s->join; u = s->nd[u].parent)
		s->nd[u].succ -= moved;
	for (int u = s->v_in; u != s->join; u = s->nd[u].parent)
		s->nd[u].succ += moved;

	int64_t sigma = s->nd[s->v_in].pi - s->nd[s->u_in].pi -
			(s->dir[s->u_in] == DIR_UP ? s->cost[e] : -s->cost[e]);
	if (2 * (int64_t)moved <= (int64_t)s->n + 1) {
		shift_potentials(s, s->u_in, -1, sigma);
		return;
	}
	shift_potentials(s, s->root, s->u_in, -sigma);
	/* the root's potential drifts with these shifts: pull it back to 0
	 * before the sums could come near the int64 range */
	if (s->nd[s->root].pi > ((int64_t)1 << 60) || s->nd[s->root].pi < -((int64_t)1 << 60)) {
		int64_t off = s->nd[s->root].pi;
		for (int u = 0; u <= s->n; u++)
			s->nd[u].pi -= off;
	}
}

int
qy_mcf_solve(struct qy_mcf *g, int64_t art_cost)
{
	int64_t sum = 0;
	for (int u = 0; u < g->nnodes; u++)
		sum += g->supply[u];
	if (sum != 0)
		return QY_MCF_INFEASIBLE;
	if (art_cost <= 0)
		art_cost = default_art_cost(g);
	struct ns s = {0};
	ns_alloc(&s, g);
	g->hinted = ns_start(&s, g->supply, g->hint, art_cost);
	int status = QY_MCF_OPTIMAL;
	g->pivots = 0;
	while (find_entering(&s)) {
		find_join(&s);
		int side = find_leaving(&s);
		if (side < 0) {
			status = QY_MCF_UNBOUNDED;
			break;
		}
		change_flow(&s, side);
		if (side != 0)
			update_tree(&s);
		g->pivots++;
	}
	for (int u = 0; status == QY_MCF_OPTIMAL && u < s.n; u++)
		if (s.flow[s.m + u] != 0)
			status = QY_MCF_INFEASIBLE;
	free(g->pi);
	g->pi = qy_xmalloc(((size_t)s.n + 1) * sizeof *g->pi);
	for (int u = 0; u < s.n; u++)
		g->pi[u] = s.nd[u].pi;
	ns_free(&s);
	return status;
}
