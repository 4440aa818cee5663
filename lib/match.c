/* match.c — qy-match's instance: options, weights, and reading the three
 * inputs with every value type-checked (SPEC 2, 4, 7). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match_int.h"
#include "tsv.h"
#include "value.h"

void
qy_match_default_weights(struct qy_match_weights *w)
{
	w->community = 30;
	w->street = 15;
	w->district = 0;
	w->paired = 20;
	w->keyword = 25;
	w->wait = 2;
}

int
qy_match_set_weight(struct qy_match_weights *w, const char *arg, struct qy_buf *why)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
	    {"community", offsetof(struct qy_match_weights, community)},
	    {"street", offsetof(struct qy_match_weights, street)},
	    {"district", offsetof(struct qy_match_weights, district)},
	    {"paired", offsetof(struct qy_match_weights, paired)},
	    {"keyword", offsetof(struct qy_match_weights, keyword)},
	    {"wait", offsetof(struct qy_match_weights, wait)},
	};
	const char *eq = strchr(arg, '=');
	if (eq == NULL) {
		qy_buf_printf(why, "-w %s: expected NAME=VALUE", arg);
		return -1;
	}
	size_t n = (size_t)(eq - arg);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i].name) != n || memcmp(names[i].name, arg, n) != 0)
			continue;
		const char *v = eq + 1;
		char *end;
		long x = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || x < -1000 || x > 1000) {
			qy_buf_printf(
			    why, "-w %s: the weight must be an integer from -1000 to 1000", arg);
			return -1;
		}
		*(int *)((char *)w + names[i].off) = (int)x;
		return 0;
	}
	qy_buf_printf(
	    why, "-w %s: unknown weight (community, street, district, paired, keyword, wait)", arg);
	return -1;
}

struct qy_match *
qy_match_new(const struct qy_match_opts *o, struct qy_diag *d)
{
	struct qy_match *m = qy_xcalloc(1, sizeof *m);
	m->o = *o;
	m->d = d;
	m->nthreads = o->threads;
	if (m->nthreads <= 0 && getenv("QY_MATCH_THREADS") != NULL)
		m->nthreads = atoi(getenv("QY_MATCH_THREADS"));
	if (m->nthreads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		m->nthreads = n < 1 ? 1 : n > 8 ? 8 : (int)n;
	}
	m_trace_start(m);
	m_keys_init(&m->locs, 3);
	m_keys_init(&m->group_keys, 4);
	m_keys_init(&m->kks, 3);
	return m;
}

void
qy_match_free(struct qy_match *m)
{
	if (m == NULL)
		return;
	for (int32_t i = 0; i < m->pattern_text.n; i++)
		qy_rx_free(m->rx[i]);
	free(m->rx);
	m_pool_free(&m->text);
	m_pool_free(&m->demand_ids);
	m_pool_free(&m->resource_ids);
	m_pool_free(&m->pattern_text);
	m_pool_free(&m->sigs);
	m_keys_free(&m->locs);
	m_keys_free(&m->group_keys);
	m_keys_free(&m->kks);
	for (int32_t g = 0; g < m->ngroups; g++) {
		m_ints_free(&m->groups[g].res);
		m_ints_free(&m->groups[g].rcs);
		m_ints_free(&m->groups[g].untils);
		m_ints_free(&m->groups[g].froms);
		m_ints_free(&m->groups[g].patterns);
	}
	free(m->groups);
	for (int32_t u = 0; u < m->nunit_rcs; u++)
		m_ints_free(&m->unit_rcs[u]);
	free(m->unit_rcs);
	for (int32_t c = 0; c < m->nrc; c++)
		m_ints_free(&m->rcs[c].members);
	free(m->rcs);
	free(m->loc_pair_off);
	m_ints_free(&m->loc_pair_units);
	free(m->lc_group_off);
	m_ints_free(&m->lc_groups);
	m_free_prepared(m);
	m_ints_free(&m->lc_untils);
	m_ints_free(&m->lc_froms);
	free(m->kk_sig);
	free(m->limits);
	free(m->rows);
	free(m->dem);
	free(m->res);
	free(m->pairs);
	free((char *)m->resource_file);
	free(m);
}

/* ---- reading ------------------------------------------------------------ */

/* One input being read: the columns we use, found by name. */
struct reader {
	struct qy_match *m;
	struct qy_tsv t;
	const char *name;
	const char *const *cols; /* names; NULL-terminated */
	int idx[20];
	struct qy_buf why, val; /* scratch */
};

static void
reader_open(struct reader *r, struct qy_match *m, const char *path, const char *const *cols,
	    const char *const *required, const char *what)
{
	memset(r, 0, sizeof *r);
	r->m = m;
	r->cols = cols;
	if (qy_tsv_open(&r->t, path, &r->why) != 0)
		qy_fatal(m->d, "%s", r->why.data);
	r->name = r->t.name;
	for (int i = 0; cols[i] != NULL; i++)
		r->idx[i] = r->t.ncols ? qy_tsv_col(&r->t, cols[i]) : -1;
	if (r->t.ncols == 0)
		return; /* an empty file: no header, no rows */
	for (int i = 0; required[i] != NULL; i++)
		if (qy_tsv_col(&r->t, required[i]) < 0)
			qy_fatal_at(m->d, r->name, 1, "no column %s (a %s file needs it)",
				    required[i], what);
}

static void
reader_close(struct reader *r)
{
	qy_tsv_close(&r->t);
	qy_buf_free(&r->why);
	qy_buf_free(&r->val);
}

/* Next good row: 1, or 0 at the end.  Malformed rows are reported here. */
static int
reader_next(struct reader *r)
{
	for (;;) {
		qy_buf_reset(&r->why);
		int rc = qy_tsv_next(&r->t, &r->why);
		if (rc == QY_TSV_ROW)
			return 1;
		if (rc == QY_TSV_EOF)
			return 0;
		if (rc == QY_TSV_IOERR)
			qy_fatal(r->m->d, "%s: %s", r->name, r->why.data);
		qy_problem(r->m->d, r->name, r->t.line, "%s", r->why.data);
	}
}

static struct qy_str
field(const struct reader *r, int col)
{
	struct qy_str s = {"", 0};
	if (r->idx[col] >= 0)
		s = r->t.fields[r->idx[col]];
	return s;
}

static int
bad(struct reader *r, int col, const char *fmt, const char *detail)
{
	qy_problem(r->m->d, r->name, r->t.line, fmt, r->cols[col], detail);
	return -1;
}

/* Text: trimmed; *id = its text id, or -1 when empty.  Required and empty is
 * an error. */
static int
get_text(struct reader *r, int col, int required, int32_t *id)
{
	struct qy_str f = field(r, col);
	struct qy_str v = qy_trim(f.p, f.len);
	if (v.len == 0) {
		*id = -1;
		return required ? bad(r, col, "%s: required%s", "") : 0;
	}
	*id = m_pool_intern(&r->m->text, v.p, v.len);
	return 0;
}

/* An id, normalised into r->val. */
static int
get_id(struct reader *r, int col, int required)
{
	struct qy_str f = field(r, col);
	qy_buf_reset(&r->val);
	qy_buf_reset(&r->why);
	if (qy_value_norm(QY_T_ID, f.p, f.len, 0, 0, &r->val, &r->why) != 0)
		return bad(r, col, "%s: %s", r->why.data);
	if (required && r->val.len == 0)
		return bad(r, col, "%s: required%s", "");
	return 0;
}

static int
get_date(struct reader *r, int col, int required, int32_t *day, int32_t missing)
{
	struct qy_str f = field(r, col);
	struct qy_str v = qy_trim(f.p, f.len);
	*day = missing;
	if (v.len == 0)
		return required ? bad(r, col, "%s: required%s", "") : 0;
	qy_day x;
	qy_buf_reset(&r->why);
	if (qy_date_parse(v.p, v.len, &x, &r->why) != 0)
		return bad(r, col, "%s: %s", r->why.data);
	*day = (int32_t)x;
	return 0;
}

static int
get_int(struct reader *r, int col, int required, long lo, long hi, long dflt, long *x)
{
	struct qy_str f = field(r, col);
	qy_buf_reset(&r->val);
	qy_buf_reset(&r->why);
	if (qy_value_norm(QY_T_INT, f.p, f.len, (double)lo, (double)hi, &r->val, &r->why) != 0)
		return bad(r, col, "%s: %s", r->why.data);
	if (r->val.len == 0) {
		*x = dflt;
		return required ? bad(r, col, "%s: required%s", "") : 0;
	}
	*x = strtol(r->val.data, NULL, 10);
	return 0;
}

static int
get_code(struct reader *r, int col, enum qy_type type, int required, int dflt, int *code)
{
	struct qy_str f = field(r, col);
	qy_buf_reset(&r->val);
	qy_buf_reset(&r->why);
	if (qy_value_norm(type, f.p, f.len, 0, 0, &r->val, &r->why) != 0)
		return bad(r, col, "%s: %s", r->why.data);
	if (r->val.len == 0) {
		*code = dflt;
		return required ? bad(r, col, "%s: required%s", "") : 0;
	}
	*code = qy_code_parse(type, r->val.data, r->val.len);
	return *code < 0 ? bad(r, col, "%s: unknown value %s", r->val.data) : 0;
}

static void
date_order(struct reader *r, int col, int32_t later, int earlier_col, int32_t earlier)
{
	char a[11], b[11];
	qy_date_format(later, a);
	qy_date_format(earlier, b);
	qy_problem(r->m->d, r->name, r->t.line, "%s: %s is before %s %s", r->cols[col], a,
		   r->cols[earlier_col], b);
}

/* ---- resources ------------------------------------------------------------ */

enum {
	R_ID,
	R_UNIT,
	R_DISTRICT,
	R_STREET,
	R_COMMUNITY,
	R_CATEGORY,
	R_KEYWORDS,
	R_CAPACITY,
	R_FROM,
	R_UNTIL
};
static const char *const resource_cols[] = {
    "resource_id", "unit",     "district",	 "street",	    "community", "category",
    "keywords",	   "capacity", "available_from", "available_until", NULL};
static const char *const resource_required[] = {"resource_id", "unit", "category", "capacity",
						NULL};

static int32_t
intern_pattern(struct qy_match *m, struct qy_str v, struct qy_buf *why)
{
	int32_t n = m->pattern_text.n;
	int32_t id = m_pool_intern(&m->pattern_text, v.p, v.len);
	if (id == n) {
		m->rx = qy_xrealloc(m->rx, (size_t)m->pattern_text.cap * sizeof *m->rx);
		m->rx[id] = qy_rx_compile(v.p, v.len, QY_RX_CASELESS, why);
	}
	return id;
}

static int
read_resource_row(struct reader *r, struct m_resource *x)
{
	struct qy_match *m = r->m;
	long cap;
	int cat;
	memset(x, 0, sizeof *x);
	x->pattern = -1;
	x->line = (uint32_t)r->t.line;
	if (get_id(r, R_ID, 1) != 0)
		return -1;
	if (m_pool_find(&m->resource_ids, r->val.data, r->val.len) >= 0)
		return bad(r, R_ID, "%s: '%s' repeats an earlier resource; row skipped",
			   r->val.data);
	struct qy_buf id = r->val;
	r->val = (struct qy_buf){0};
	int rc = get_text(r, R_UNIT, 1, &x->unit) || get_text(r, R_DISTRICT, 0, &x->district) ||
		 get_text(r, R_STREET, 0, &x->street) ||
		 get_text(r, R_COMMUNITY, 0, &x->community) ||
		 get_code(r, R_CATEGORY, QY_T_CATEGORY_ANY, 1, 0, &cat) ||
		 get_int(r, R_CAPACITY, 1, 1, 1000000, 0, &cap) ||
		 get_date(r, R_FROM, 0, &x->from, M_DAY_MIN) ||
		 get_date(r, R_UNTIL, 0, &x->until, M_DAY_MAX);
	if (rc == 0 && x->community >= 0 && x->street < 0)
		rc = bad(r, R_STREET, "%s: required with community%s", "");
	if (rc == 0 && x->from != M_DAY_MIN && x->until != M_DAY_MAX && x->until < x->from) {
		date_order(r, R_UNTIL, x->until, R_FROM, x->from);
		rc = -1;
	}
	if (rc == 0) {
		x->id = m_pool_intern(&m->resource_ids, id.data, id.len);
		x->category = (uint8_t)(cat == QY_CAT_ANY ? M_CAT_ANY : cat);
		x->capacity = cap;
	}
	qy_buf_free(&id);
	return rc ? -1 : 0;
}

/* A pattern that does not compile leaves the resource eligible without the
 * keyword bonus (SPEC 4 wins over SPEC 7's skipping): reported once here. */
static void
read_keywords(struct reader *r, struct m_resource *x)
{
	struct qy_str f = field(r, R_KEYWORDS);
	struct qy_str v = qy_trim(f.p, f.len);
	if (v.len == 0)
		return;
	qy_buf_reset(&r->why);
	int32_t p = intern_pattern(r->m, v, &r->why);
	if (r->m->rx[p] != NULL) {
		x->pattern = p;
		return;
	}
	if (r->why.len == 0) /* compiled before: compile again for the reason */
		qy_rx_free(qy_rx_compile(v.p, v.len, QY_RX_CASELESS, &r->why));
	qy_problem(r->m->d, r->name, r->t.line,
		   "keywords: %s; resource %s stays eligible without the keyword bonus",
		   r->why.data, m_pool_str(&r->m->resource_ids, x->id));
}

void
qy_match_read_resources(struct qy_match *m, const char *path)
{
	struct reader r;
	reader_open(&r, m, path, resource_cols, resource_required, "resource");
	free((char *)m->resource_file);
	m->resource_file = qy_xstrdup(r.name);
	while (reader_next(&r)) {
		struct m_resource x;
		if (read_resource_row(&r, &x) != 0)
			continue;
		read_keywords(&r, &x);
		if (m->nres == m->res_cap) {
			m->res_cap = m->res_cap ? m->res_cap * 2 : 256;
			m->res = qy_xrealloc(m->res, (size_t)m->res_cap * sizeof *m->res);
		}
		m->res[m->nres++] = x;
	}
	reader_close(&r);
	m_trace(m, "%d resources read", (int)m->nres);
}

/* ---- pairs ------------------------------------------------------------------ */

enum { P_DISTRICT, P_STREET, P_COMMUNITY, P_UNIT };
static const char *const pair_cols[] = {"district", "street", "community", "unit", NULL};
static const char *const pair_required[] = {"community", "unit", NULL};

void
qy_match_read_pairs(struct qy_match *m, const char *path)
{
	struct reader r;
	reader_open(&r, m, path, pair_cols, pair_required, "pair");
	while (reader_next(&r)) {
		struct m_pair p;
		if (get_text(&r, P_DISTRICT, 0, &p.district) ||
		    get_text(&r, P_STREET, 0, &p.street) ||
		    get_text(&r, P_COMMUNITY, 1, &p.community) || get_text(&r, P_UNIT, 1, &p.unit))
			continue;
		if (m->npairs == m->pair_cap) {
			m->pair_cap = m->pair_cap ? m->pair_cap * 2 : 256;
			m->pairs = qy_xrealloc(m->pairs, (size_t)m->pair_cap * sizeof *m->pairs);
		}
		m->pairs[m->npairs++] = p;
	}
	reader_close(&r);
}

/* ---- demands ------------------------------------------------------------------ */

enum {
	D_ID,
	D_SUBMITTED,
	D_DISTRICT,
	D_STREET,
	D_COMMUNITY,
	D_CATEGORY,
	D_CONTENT,
	D_PRIORITY,
	D_QUANTITY,
	D_NEEDED_BY,
	D_STATUS,
	D_RESOURCE
};
static const char *const demand_cols[] = {
    "demand_id", "submitted", "district",  "street", "community",   "category", "content",
    "priority",	 "quantity",  "needed_by", "status", "resource_id", NULL};
static const char *const demand_required[] = {"demand_id", "submitted", "street", "community",
					      "category",  "content",	NULL};

static int
read_demand_values(struct reader *r, struct m_demand *x, int32_t loc[3])
{
	long qty;
	int cat, pri, st;
	if (get_date(r, D_SUBMITTED, 1, &x->submitted, 0) || get_text(r, D_DISTRICT, 0, &loc[0]) ||
	    get_text(r, D_STREET, 1, &loc[1]) || get_text(r, D_COMMUNITY, 1, &loc[2]) ||
	    get_code(r, D_CATEGORY, QY_T_CATEGORY, 1, 0, &cat) ||
	    get_text(r, D_CONTENT, 1, &x->content) ||
	    get_code(r, D_PRIORITY, QY_T_PRIORITY, 0, QY_PRI_NORMAL, &pri) ||
	    get_int(r, D_QUANTITY, 0, 1, 100000, 1, &qty) ||
	    get_date(r, D_NEEDED_BY, 0, &x->needed_by, M_DAY_MAX) ||
	    get_code(r, D_STATUS, QY_T_STATUS, 0, QY_ST_OPEN, &st))
		return -1;
	if (cat == QY_CAT_ANY)
		return bad(r, D_CATEGORY, "%s: %s", "a demand's category cannot be any");
	/* keyword patterns run in UTF mode: the text they read must be UTF-8 */
	if (!qy_utf8_valid(m_pool_str(&r->m->text, x->content), r->m->text.len[x->content], NULL))
		return bad(r, D_CONTENT, "%s: %s", "not valid UTF-8");
	if (x->needed_by != M_DAY_MAX && x->needed_by < x->submitted) {
		date_order(r, D_NEEDED_BY, x->needed_by, D_SUBMITTED, x->submitted);
		return -1;
	}
	x->category = (uint8_t)cat;
	x->priority = (uint8_t)pri;
	x->status = (uint8_t)st;
	x->quantity = (int32_t)qty;
	return 0;
}

/* A claimed demand holds units of its resource: they are not given away
 * again.  Unknown resources and claims beyond capacity are reported. */
static void
apply_claim(struct reader *r, const struct m_demand *x)
{
	struct qy_match *m = r->m;
	if (get_id(r, D_RESOURCE, 0) != 0 || r->val.len == 0)
		return;
	int32_t rid = m_pool_find(&m->resource_ids, r->val.data, r->val.len);
	if (rid < 0) {
		qy_problem(m->d, r->name, r->t.line, "resource_id: '%s' is not in %s", r->val.data,
			   m->resource_file ? m->resource_file : "the resources");
		return;
	}
	struct m_resource *res = &m->res[rid]; /* ids are interned in row order */
	if (x->quantity > res->capacity) {
		qy_problem(m->d, r->name, r->t.line,
			   "claims %d units of resource %s, which has only %lld left; it has none "
			   "left now",
			   (int)x->quantity, r->val.data, (long long)res->capacity);
		res->capacity = 0;
		return;
	}
	res->capacity -= x->quantity;
}

static void
read_demand_row(struct reader *r)
{
	struct qy_match *m = r->m;
	struct m_demand x;
	int32_t loc[3];
	memset(&x, 0, sizeof x);
	if (get_id(r, D_ID, 1) != 0)
		return;
	if (m_pool_find(&m->demand_ids, r->val.data, r->val.len) >= 0) {
		bad(r, D_ID, "%s: '%s' repeats an earlier demand; row skipped", r->val.data);
		return;
	}
	struct qy_buf id = r->val;
	r->val = (struct qy_buf){0};
	if (read_demand_values(r, &x, loc) != 0) {
		qy_buf_free(&id);
		return;
	}
	x.id = m_pool_intern(&m->demand_ids, id.data, id.len);
	qy_buf_free(&id);
	x.loc = m_keys_intern(&m->locs, loc);
	x.kk = -1;
	x.first_row = -1;
	int64_t days = (int64_t)m->o.as_of - x.submitted;
	x.weeks = (uint8_t)(days <= 0 ? 0 : days / 7 > 12 ? 12 : days / 7);
	x.reason = x.status == QY_ST_OPEN ? M_NO_RESOURCE : M_NOT_OPEN;
	if (x.status == QY_ST_CLAIMED)
		apply_claim(r, &x);
	if (m->ndem == m->dem_cap) {
		m->dem_cap = m->dem_cap ? m->dem_cap * 2 : 1024;
		m->dem = qy_xrealloc(m->dem, (size_t)m->dem_cap * sizeof *m->dem);
	}
	m->dem[m->ndem++] = x;
}

void
qy_match_read_demands(struct qy_match *m, const char *const *paths, int npaths)
{
	static const char *const stdin_only[] = {"-"};
	if (npaths == 0) {
		paths = stdin_only;
		npaths = 1;
	}
	struct qy_tsv first = {0};
	int have_first = 0;
	for (int i = 0; i < npaths; i++) {
		struct reader r;
		reader_open(&r, m, paths[i], demand_cols, demand_required, "demand");
		if (r.t.ncols > 0) {
			if (!have_first) {
				first.ncols = r.t.ncols;
				first.cols = qy_xcalloc(r.t.ncols, sizeof *first.cols);
				for (size_t c = 0; c < r.t.ncols; c++)
					first.cols[c] = qy_xstrdup(r.t.cols[c]);
				first.name = qy_xstrdup(r.name);
				have_first = 1;
			} else if (!qy_tsv_same_header(&first, &r.t)) {
				qy_fatal_at(m->d, r.name, 1, "the header differs from %s's",
					    first.name);
			}
		}
		while (reader_next(&r))
			read_demand_row(&r);
		reader_close(&r);
	}
	for (size_t c = 0; c < first.ncols; c++)
		free(first.cols[c]);
	free(first.cols);
	free((char *)first.name);
	m_trace(m, "%d demands read", (int)m->ndem);
}
