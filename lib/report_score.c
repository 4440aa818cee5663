/* report_score.c — the score sections: members' vanguard index (star
 * distribution, mean index by branch and street, top N, inactive count) and
 * branches' bastion index (grade distribution, ranking, the D list).
 *
 * Indices are read as tenths (qy-score writes one decimal), so means, ranks
 * and shares are exact integers all the way. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "report_int.h"

enum { INDEX_MAX = 1000 }; /* 100.0 in tenths */

/* A member or branch kept for a top list or the D list. */
struct entry {
	char *id, *name, *branch, *street, *community, *grade;
	int index; /* tenths */
	int stars;
	char *parts[6]; /* branch: members, org_life, vanguard, participation, service, penalty */
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

/* Per branch of the member scores. */
struct bstats {
	int64_t members, index_sum, inactive;
};

struct sstate {
	/* members */
	int64_t members, inactive, index_sum;
	int64_t stars[6];
	uint64_t *member_hist; /* count per index value, for ranks */
	struct qy_strmap mbranch;
	struct bstats *mbstats;
	struct entries top;
	/* branches */
	int64_t branches, bindex_sum;
	int64_t grades[4];
	uint64_t *branch_hist;
	struct entries branch_top, dlist;
	struct qy_strmap binfo; /* branch_id → name, street (from the branch scores) */
	char **bname, **bstreet;
	struct qy_buf why;
};

static void
entries_push(struct entries *l, const struct entry *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = qy_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *e;
}

static void
entry_free(struct entry *e)
{
	free(e->id), free(e->name), free(e->branch), free(e->street), free(e->community);
	free(e->grade);
	for (size_t i = 0; i < 6; i++)
		free(e->parts[i]);
}

/* Best first: index high to low, then id. */
static int
best_first(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->index != b->index)
		return a->index > b->index ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int
worst_first(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Keeps the best top entries: sorts and cuts whenever the list doubles, so
 * memory stays 2 × top whatever the number of rows. */
static void
top_keep(struct entries *l, size_t top, int final)
{
	if (!final && l->n < 2 * top + 16)
		return;
	qsort(l->v, l->n, sizeof *l->v, best_first);
	while (l->n > top)
		entry_free(&l->v[--l->n]);
}

/* "87.5" → 875.  Returns -1 unless a number 0..100 with at most one decimal. */
static int
parse_tenths(const struct qy_str *v)
{
	size_t i = 0;
	int whole = 0, tenth = 0;
	if (v->len == 0)
		return -1;
	for (; i < v->len && v->p[i] >= '0' && v->p[i] <= '9'; i++) {
		if (i >= 3)
			return -1;
		whole = whole * 10 + (v->p[i] - '0');
	}
	if (i == 0)
		return -1;
	if (i < v->len) {
		if (v->p[i] != '.' || i + 2 != v->len || v->p[i + 1] < '0' || v->p[i + 1] > '9')
			return -1;
		tenth = v->p[i + 1] - '0';
	}
	int t = whole * 10 + tenth;
	return t <= INDEX_MAX ? t : -1;
}

static int
bad(struct qy_input *in, struct qy_diag *d, struct sstate *s, const char *col,
    const struct qy_str *v, const char *expected)
{
	qy_buf_reset(&s->why);
	if (v->len == 0)
		qy_buf_printf(&s->why, "empty, expected %s", expected);
	else {
		qy_buf_add_quoted(&s->why, v->p, v->len);
		qy_buf_printf(&s->why, ": not %s", expected);
	}
	qy_input_problem(d, in, in->tsv.line, col, s->why.data);
	return -1;
}

static char *
field(const struct qy_input *in, int col)
{
	if (col < 0)
		return qy_xstrdup("");
	const struct qy_str *f = &in->tsv.fields[col];
	return qy_xmemdup(f->p, f->len);
}

static int
parse_index_stars(struct qy_input *in, struct qy_diag *d, struct sstate *s, int ci, int cs,
		  int *index, int *stars)
{
	const struct qy_str *f = in->tsv.fields;
	if ((*index = parse_tenths(&f[ci])) < 0)
		return bad(in, d, s, "index", &f[ci], "an index 0.0..100.0");
	if (f[cs].len != 1 || f[cs].p[0] < '1' || f[cs].p[0] > '5')
		return bad(in, d, s, "stars", &f[cs], "stars 1..5");
	*stars = f[cs].p[0] - '0';
	return 0;
}

/* ---- members ---- */

static void
member_row(struct sstate *s, struct qy_input *in, int index, int stars, int inactive,
	   const int *cols, size_t top)
{
	s->members++;
	s->index_sum += index;
	s->stars[stars]++;
	s->inactive += inactive;
	s->member_hist[index]++;
	const struct qy_str *b = &in->tsv.fields[cols[1]];
	int added;
	size_t k = qy_strmap_put(&s->mbranch, b->p, b->len, qy_strmap_hash(b->p, b->len), &added);
	if (added) {
		s->mbstats = qy_xrealloc(s->mbstats, s->mbranch.n * sizeof *s->mbstats);
		s->mbstats[k] = (struct bstats){0, 0, 0};
	}
	s->mbstats[k].members++;
	s->mbstats[k].index_sum += index;
	s->mbstats[k].inactive += inactive;
	if (top == 0)
		return;
	struct entry e = {0};
	e.id = field(in, cols[0]);
	e.name = field(in, cols[2]);
	e.branch = field(in, cols[1]);
	e.index = index;
	e.stars = stars;
	entries_push(&s->top, &e);
	top_keep(&s->top, top, 0);
}

static void
read_members(const struct qy_report_opts *o, struct qy_input *in, struct sstate *s,
	     struct qy_diag *d)
{
	const int cols[] = {qy_input_col(in, "member_id"), qy_input_col(in, "branch_id"),
			    qy_input_col(in, "name")};
	int ci = qy_input_col(in, "index"), cs = qy_input_col(in, "stars");
	int cin = qy_input_col(in, "inactive");
	while (qy_input_next(in, d)) {
		int index, stars;
		if (parse_index_stars(in, d, s, ci, cs, &index, &stars) != 0)
			continue;
		const struct qy_str *v = &in->tsv.fields[cin];
		int inactive = qy_str_eq(*v, "yes");
		if (!inactive && !qy_str_eq(*v, "no")) {
			bad(in, d, s, "inactive", v, "yes or no");
			continue;
		}
		member_row(s, in, index, stars, inactive, cols, o->top);
	}
	qy_input_finish(in, d);
}

/* ---- branches ---- */

static const char *const part_cols[6] = {"members",	  "org_life", "vanguard",
					 "participation", "service",  "penalty"};

static void
branch_info(struct sstate *s, const char *id, const char *name, const char *street)
{
	int added;
	size_t n = strlen(id);
	size_t k = qy_strmap_put(&s->binfo, id, n, qy_strmap_hash(id, n), &added);
	if (!added)
		return;
	s->bname = qy_xrealloc(s->bname, s->binfo.n * sizeof *s->bname);
	s->bstreet = qy_xrealloc(s->bstreet, s->binfo.n * sizeof *s->bstreet);
	s->bname[k] = qy_xstrdup(name);
	s->bstreet[k] = qy_xstrdup(street);
}

static void
branch_row(struct sstate *s, struct qy_input *in, int index, int stars, int grade, const int *cols,
	   const int *parts, size_t top)
{
	s->branches++;
	s->bindex_sum += index;
	s->grades[grade]++;
	s->branch_hist[index]++;
	struct entry e = {0};
	e.id = field(in, cols[0]);
	e.name = field(in, cols[1]);
	e.street = field(in, cols[2]);
	e.community = field(in, cols[3]);
	e.grade = field(in, cols[4]);
	e.index = index;
	e.stars = stars;
	branch_info(s, e.id, e.name, e.street);
	if (grade == 3) {
		struct entry dl = e;
		dl.id = qy_xstrdup(e.id), dl.name = qy_xstrdup(e.name);
		dl.street = qy_xstrdup(e.street), dl.community = qy_xstrdup(e.community);
		dl.grade = qy_xstrdup(e.grade);
		for (size_t i = 0; i < 6; i++)
			dl.parts[i] = field(in, parts[i]);
		entries_push(&s->dlist, &dl);
	}
	if (top == 0) {
		entry_free(&e);
		return;
	}
	entries_push(&s->branch_top, &e);
	top_keep(&s->branch_top, top, 0);
}

static void
read_branches(const struct qy_report_opts *o, struct qy_input *in, struct sstate *s,
	      struct qy_diag *d)
{
	const int cols[] = {qy_input_col(in, "branch_id"), qy_input_col(in, "name"),
			    qy_input_col(in, "street"), qy_input_col(in, "community"),
			    qy_input_col(in, "grade")};
	int parts[6];
	for (size_t i = 0; i < 6; i++)
		parts[i] = qy_input_col(in, part_cols[i]);
	int ci = qy_input_col(in, "index"), cs = qy_input_col(in, "stars");
	while (qy_input_next(in, d)) {
		int index, stars;
		if (parse_index_stars(in, d, s, ci, cs, &index, &stars) != 0)
			continue;
		const struct qy_str *g = &in->tsv.fields[cols[4]];
		if (g->len != 1 || g->p[0] < 'A' || g->p[0] > 'D') {
			bad(in, d, s, "grade", g, "a grade A..D");
			continue;
		}
		branch_row(s, in, index, stars, g->p[0] - 'A', cols, parts, o->top);
	}
	qy_input_finish(in, d);
}

/* ---- tables ---- */

static const struct qy_col metric_cols[] = {
    {"metric", "指标", "metric"},
    {"value", "数值", "value"},
};

static void
index_cell(struct qy_cell *c, int64_t tenths)
{
	qy_cell_mean(c, tenths, 10, 1);
}

/* A number as qy-score wrote it: an integer, one decimal, or empty. */
static void
number_cell(struct qy_cell *c, const char *s)
{
	size_t n = strlen(s), digits = strspn(s, "0123456789");
	struct qy_str v = {s, n};
	int t;
	if (n == 0)
		return;
	if (digits == n && n < 12)
		qy_cell_int(c, strtoll(s, NULL, 10));
	else if ((t = parse_tenths(&v)) >= 0)
		index_cell(c, t);
	else
		qy_cell_text(c, s, n, QY_MASK_NONE);
}

/* Competition rank of an index among all: 1 + how many are higher. */
static int64_t
rank_in(const uint64_t *hist, int index)
{
	int64_t higher = 0;
	for (int v = index + 1; v <= INDEX_MAX; v++)
		higher += (int64_t)hist[v];
	return higher + 1;
}

static void
member_summary(const struct sstate *s, struct qy_tabs *out)
{
	struct qy_tab *t = qy_tab_new("member_summary", "党员概况", "Members", metric_cols, 2);
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "members");
	qy_cell_int(&row[1], s->members);
	row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "mean_index");
	qy_cell_mean(&row[1], s->index_sum, 10 * s->members, 2);
	row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "inactive");
	qy_cell_int(&row[1], s->inactive);
	row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "inactive_share");
	qy_cell_rate(&row[1], s->inactive, s->members);
	qy_tabs_add(out, t, QY_SEC_MEMBER);
}

static void
member_stars(const struct sstate *s, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"stars", "星级", "stars"},
	    {"members", "人数", "members"},
	    {"share", "占比", "share"},
	};
	struct qy_tab *t = qy_tab_new("member_stars", "星级分布", "Stars", cols, 3);
	for (int k = 5; k >= 1; k--) {
		char key[2] = {(char)('0' + k), '\0'};
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "stars", key);
		qy_cell_int(&row[1], s->stars[k]);
		qy_cell_rate(&row[2], s->stars[k], s->members);
	}
	t->chart = (struct qy_chart){0, 1, -1, 0};
	qy_tabs_add(out, t, QY_SEC_MEMBER);
}

struct bref {
	const char *id;
	size_t len;
	const struct bstats *st;
};

static int
bref_cmp(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;
	return qy_bytes_cmp(a->id, a->len, b->id, b->len);
}

static const char *
binfo_of(const struct sstate *s, const struct bref *b, int street)
{
	long k = qy_strmap_find(&s->binfo, b->id, b->len, qy_strmap_hash(b->id, b->len));
	if (k < 0)
		return "";
	return street ? s->bstreet[k] : s->bname[k];
}

static void
member_by_branch(const struct sstate *s, const struct bref *v, size_t n, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"branch_id", "支部编号", "branch"},
	    {"branch", "支部名称", "name"},
	    {"street", "街道", "street"},
	    {"members", "人数", "members"},
	    {"mean_index", "平均先锋指数", "mean index"},
	    {"inactive", "无活动", "inactive"},
	};
	struct qy_tab *t = qy_tab_new("member_by_branch", "各支部党员平均先锋指数",
				      "Mean index by branch", cols, 6);
	for (size_t i = 0; i < n; i++) {
		struct qy_cell *row = qy_tab_row(t);
		const char *name = binfo_of(s, &v[i], 0), *street = binfo_of(s, &v[i], 1);
		qy_cell_text(&row[0], v[i].id, v[i].len, QY_MASK_NONE);
		qy_cell_text(&row[1], name, strlen(name), QY_MASK_NONE);
		qy_cell_text(&row[2], street, strlen(street), QY_MASK_NONE);
		qy_cell_int(&row[3], v[i].st->members);
		qy_cell_mean(&row[4], v[i].st->index_sum, 10 * v[i].st->members, 2);
		qy_cell_int(&row[5], v[i].st->inactive);
	}
	if (s->binfo.n == 0) {
		t->note_zh = "未提供支部堡垒指数文件，支部名称和街道空缺，也无法按街道汇总。";
		t->note_en = "No branch scores given: branch names and streets are unknown, "
			     "and there is no table by street.";
	}
	qy_tabs_add(out, t, QY_SEC_MEMBER);
}

static int
street_cmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;
	return strcmp(a[0], b[0]);
}

/* Mean index by the street of the member's branch (branch scores needed). */
static void
member_by_street(const struct sstate *s, const struct bref *v, size_t n, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"street", "街道", "street"},
	    {"members", "人数", "members"},
	    {"mean_index", "平均先锋指数", "mean index"},
	    {"inactive", "无活动", "inactive"},
	};
	struct qy_tab *t = qy_tab_new("member_by_street", "各街道党员平均先锋指数",
				      "Mean index by street", cols, 4);
	/* (street, branch index) pairs sorted by street, then summed in runs. */
	const char **pairs = qy_xcalloc(2 * (n ? n : 1), sizeof *pairs);
	for (size_t i = 0; i < n; i++) {
		pairs[2 * i] = binfo_of(s, &v[i], 1);
		pairs[2 * i + 1] = (const char *)&v[i];
	}
	qsort(pairs, n, 2 * sizeof *pairs, street_cmp);
	struct bstats all = {0, 0, 0};
	for (size_t i = 0; i < n;) {
		struct bstats sum = {0, 0, 0};
		size_t j = i;
		for (; j < n && strcmp(pairs[2 * j], pairs[2 * i]) == 0; j++) {
			const struct bref *b = (const struct bref *)pairs[2 * j + 1];
			sum.members += b->st->members;
			sum.index_sum += b->st->index_sum;
			sum.inactive += b->st->inactive;
		}
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_key(&row[0], pairs[2 * i], strlen(pairs[2 * i]), QY_MASK_NONE);
		qy_cell_int(&row[1], sum.members);
		qy_cell_mean(&row[2], sum.index_sum, 10 * sum.members, 2);
		qy_cell_int(&row[3], sum.inactive);
		all.members += sum.members, all.index_sum += sum.index_sum;
		all.inactive += sum.inactive;
		i = j;
	}
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "group", "total");
	qy_cell_int(&row[1], all.members);
	qy_cell_mean(&row[2], all.index_sum, 10 * all.members, 2);
	qy_cell_int(&row[3], all.inactive);
	t->total_row = 1;
	t->chart = (struct qy_chart){0, 2, -1, 100}; /* indices are out of 100 */
	free(pairs);
	qy_tabs_add(out, t, QY_SEC_MEMBER);
}

static const char *
top_title(struct qy_tab *t, const char *fmt, size_t top)
{
	struct qy_buf b = {0};
	qy_buf_printf(&b, fmt, top);
	const char *s = qy_tab_own(t, b.data);
	qy_buf_free(&b);
	return s;
}

static void
member_top(const struct qy_report_opts *o, struct sstate *s, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"rank", "排名", "rank"},	    {"member_id", "党员编号", "member"},
	    {"name", "姓名", "name"},	    {"branch_id", "支部编号", "branch"},
	    {"index", "先锋指数", "index"}, {"stars", "星级", "stars"},
	};
	struct qy_tab *t = qy_tab_new("member_top", "", "", cols, 6);
	t->zh = top_title(t, "先锋指数前 %zu 名", o->top);
	t->en = top_title(t, "Top %zu members", o->top);
	top_keep(&s->top, o->top, 1);
	for (size_t i = 0; i < s->top.n; i++) {
		const struct entry *e = &s->top.v[i];
		struct qy_cell *row = qy_tab_row(t);
		char stars[2] = {(char)('0' + e->stars), '\0'};
		qy_cell_int(&row[0], rank_in(s->member_hist, e->index));
		qy_cell_text(&row[1], e->id, strlen(e->id), QY_MASK_NONE);
		qy_cell_text(&row[2], e->name, strlen(e->name), QY_MASK_NAME);
		qy_cell_text(&row[3], e->branch, strlen(e->branch), QY_MASK_NONE);
		index_cell(&row[4], e->index);
		qy_cell_term(&row[5], "stars", stars);
	}
	t->note_zh = o->show_personal ? NULL : "姓名已脱敏（--show-personal 显示全名）。";
	t->note_en = o->show_personal ? NULL : "Names are masked (--show-personal shows them).";
	qy_tabs_add(out, t, QY_SEC_MEMBER);
}

static void
member_tables(const struct qy_report_opts *o, struct sstate *s, struct qy_tabs *out)
{
	member_summary(s, out);
	member_stars(s, out);
	size_t n = s->mbranch.n;
	struct bref *v = qy_xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct bref){s->mbranch.keys[i], s->mbranch.lens[i], &s->mbstats[i]};
	qsort(v, n, sizeof *v, bref_cmp);
	member_by_branch(s, v, n, out);
	if (s->binfo.n > 0)
		member_by_street(s, v, n, out);
	free(v);
	member_top(o, s, out);
}

static void
branch_summary(const struct sstate *s, struct qy_tabs *out)
{
	struct qy_tab *t = qy_tab_new("branch_summary", "支部概况", "Branches", metric_cols, 2);
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "branches");
	qy_cell_int(&row[1], s->branches);
	row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "mean_bastion");
	qy_cell_mean(&row[1], s->bindex_sum, 10 * s->branches, 2);
	row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", "d_branches");
	qy_cell_int(&row[1], s->grades[3]);
	qy_tabs_add(out, t, QY_SEC_BRANCH);
}

static void
branch_grades(const struct sstate *s, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"grade", "等次", "grade"},
	    {"branches", "支部数", "branches"},
	    {"share", "占比", "share"},
	};
	struct qy_tab *t = qy_tab_new("branch_grades", "等次分布", "Grades", cols, 3);
	for (int g = 0; g < 4; g++) {
		char key[2] = {(char)('A' + g), '\0'};
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "grade", key);
		qy_cell_int(&row[1], s->grades[g]);
		qy_cell_rate(&row[2], s->grades[g], s->branches);
	}
	t->chart = (struct qy_chart){0, 1, -1, 0};
	qy_tabs_add(out, t, QY_SEC_BRANCH);
}

static void
branch_ranking(const struct qy_report_opts *o, struct sstate *s, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"rank", "排名", "rank"},	    {"branch_id", "支部编号", "branch"},
	    {"name", "支部名称", "name"},   {"street", "街道", "street"},
	    {"index", "堡垒指数", "index"}, {"grade", "等次", "grade"},
	    {"stars", "星级", "stars"},
	};
	struct qy_tab *t = qy_tab_new("branch_ranking", "", "", cols, 7);
	t->zh = top_title(t, "堡垒指数排名（前 %zu）", o->top);
	t->en = top_title(t, "Branch ranking (top %zu)", o->top);
	top_keep(&s->branch_top, o->top, 1);
	for (size_t i = 0; i < s->branch_top.n; i++) {
		const struct entry *e = &s->branch_top.v[i];
		struct qy_cell *row = qy_tab_row(t);
		char stars[2] = {(char)('0' + e->stars), '\0'};
		qy_cell_int(&row[0], rank_in(s->branch_hist, e->index));
		qy_cell_text(&row[1], e->id, strlen(e->id), QY_MASK_NONE);
		qy_cell_text(&row[2], e->name, strlen(e->name), QY_MASK_NONE);
		qy_cell_text(&row[3], e->street, strlen(e->street), QY_MASK_NONE);
		index_cell(&row[4], e->index);
		qy_cell_term(&row[5], "grade", e->grade);
		qy_cell_term(&row[6], "stars", stars);
	}
	t->chart = (struct qy_chart){2, 4, -1, 100};
	qy_tabs_add(out, t, QY_SEC_BRANCH);
}

static void
branch_dlist(struct sstate *s, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"branch_id", "支部编号", "branch"},  {"name", "支部名称", "name"},
	    {"street", "街道", "street"},	  {"community", "社区", "community"},
	    {"members", "党员数", "members"},	  {"org_life", "组织生活", "org life"},
	    {"vanguard", "先锋指数", "vanguard"}, {"participation", "参与率", "participation"},
	    {"service", "服务群众", "service"},	  {"penalty", "扣分", "penalty"},
	    {"index", "堡垒指数", "index"},
	};
	struct qy_tab *t = qy_tab_new("branch_d_list", "后进（D 等）支部名单，需整顿",
				      "D branches (to rectify)", cols, 11);
	qsort(s->dlist.v, s->dlist.n, sizeof *s->dlist.v, worst_first);
	for (size_t i = 0; i < s->dlist.n; i++) {
		const struct entry *e = &s->dlist.v[i];
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_text(&row[0], e->id, strlen(e->id), QY_MASK_NONE);
		qy_cell_text(&row[1], e->name, strlen(e->name), QY_MASK_NONE);
		qy_cell_text(&row[2], e->street, strlen(e->street), QY_MASK_NONE);
		qy_cell_text(&row[3], e->community, strlen(e->community), QY_MASK_NONE);
		for (size_t k = 0; k < 6; k++)
			number_cell(&row[4 + k], e->parts[k]);
		index_cell(&row[10], e->index);
	}
	qy_tabs_add(out, t, QY_SEC_BRANCH);
}

static void
entries_free(struct entries *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
}

static void
sstate_free(struct sstate *s)
{
	free(s->member_hist);
	free(s->branch_hist);
	qy_strmap_free(&s->mbranch);
	free(s->mbstats);
	entries_free(&s->top);
	entries_free(&s->branch_top);
	entries_free(&s->dlist);
	for (size_t i = 0; i < s->binfo.n; i++) {
		free(s->bname[i]);
		free(s->bstreet[i]);
	}
	free(s->bname);
	free(s->bstreet);
	qy_strmap_free(&s->binfo);
	qy_buf_free(&s->why);
}

void
qy_report_scores(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
		 struct qy_tabs *out, struct qy_diag *d)
{
	struct sstate s;
	memset(&s, 0, sizeof s);
	s.member_hist = qy_xcalloc(INDEX_MAX + 1, sizeof *s.member_hist);
	s.branch_hist = qy_xcalloc(INDEX_MAX + 1, sizeof *s.branch_hist);
	int members = 0, branches = 0;
	/* Branches first: the member tables name their branches' streets. */
	for (size_t i = 0; i < nin; i++)
		if (in[i].kind == QY_IN_BRANCH) {
			read_branches(o, &in[i], &s, d);
			branches = 1;
		}
	for (size_t i = 0; i < nin; i++)
		if (in[i].kind == QY_IN_MEMBER) {
			read_members(o, &in[i], &s, d);
			members = 1;
		}
	if (members)
		member_tables(o, &s, out);
	if (branches) {
		branch_summary(&s, out);
		branch_grades(&s, out);
		branch_ranking(o, &s, out);
		branch_dlist(&s, out);
	}
	sstate_free(&s);
}
