/* match_net.h — one component's dispatch network, shared by
 * match_net.c (building it), match_flow.c (solving it) and match_decomp.c
 * (turning its flow back into rows).  Not an API. */
#ifndef QY_MATCH_NET_H
#define QY_MATCH_NET_H

#include "match_int.h"
#include "mcf.h"

/* A connected part of the city: its open demands, and its rows once solved. */
struct comp {
	struct m_ints dem; /* open demands, input order */
	struct m_row *rows;
	size_t nrows, cap;
};

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

/* s, t, and one node per priority between s and the classes: s → priority
 * arcs open one priority at a time, then their flows become fixed supplies. */
enum { NODE_S = 0, NODE_T = 1, NODE_PRIO = 2, NODE_FIRST = 5 };

/* match_net.c */
void m_net_build(struct net *n);
void m_net_free(struct net *n);
const struct m_demand *m_class_rep(const struct net *n, int32_t cls);
/* match_flow.c */
void m_net_solve(struct net *n);
/* match_decomp.c */
void m_net_extract(struct net *n);

#endif
