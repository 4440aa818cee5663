/* report_demand_tab.c — the demand section's tables: demands by group with a
 * total row, and the needs ranking (民生需求排行榜) by category and community. */
#include <stdlib.h>
#include <string.h>

#include "report_demand.h"

/* Labels of the demand columns a --by may name. */
static const struct qy_col demand_cols[] = {
    {"demand_id", "需求编号", "demand"},
    {"submitted", "提交日期", "submitted"},
    {"district", "区", "district"},
    {"street", "街道", "street"},
    {"community", "社区", "community"},
    {"grid", "网格", "grid"},
    {"category", "服务类别", "category"},
    {"content", "需求内容", "content"},
    {"priority", "紧急程度", "priority"},
    {"quantity", "需求数量", "quantity"},
    {"needed_by", "期望完成日期", "needed by"},
    {"requester", "居民姓名", "requester"},
    {"phone", "联系电话", "phone"},
    {"status", "状态", "status"},
    {"done_date", "办结日期", "done"},
    {"satisfaction", "满意度", "satisfaction"},
    {"resource_id", "认领资源编号", "resource"},
};

static const struct qy_col stat_cols[] = {
    {"received", "受理", "received"},
    {"open", "待认领", "open"},
    {"claimed", "已认领", "claimed"},
    {"done", "已办结", "done"},
    {"closed", "已关闭", "closed"},
    {"completion_rate", "办结率", "completion"},
    {"overdue", "逾期", "overdue"},
    {"mean_days_to_done", "平均办结天数", "mean days to done"},
    {"mean_satisfaction", "平均满意度", "mean satisfaction"},
    {"share_satisfied", "满意率", "share satisfied"},
};
enum { NSTAT = sizeof stat_cols / sizeof stat_cols[0] };

static struct qy_col
by_col(const char *name)
{
	for (size_t i = 0; i < sizeof demand_cols / sizeof demand_cols[0]; i++)
		if (strcmp(demand_cols[i].key, name) == 0)
			return demand_cols[i];
	return (struct qy_col){name, name, name};
}

static enum qy_mask
by_mask(const char *name)
{
	if (strcmp(name, "phone") == 0)
		return QY_MASK_PHONE;
	if (strcmp(name, "requester") == 0)
		return QY_MASK_NAME;
	return QY_MASK_NONE;
}

static void
stat_cells(struct qy_cell *c, const struct qy_dstats *s)
{
	qy_cell_int(&c[0], (int64_t)s->received);
	qy_cell_int(&c[1], (int64_t)s->open);
	qy_cell_int(&c[2], (int64_t)s->claimed);
	qy_cell_int(&c[3], (int64_t)s->done);
	qy_cell_int(&c[4], (int64_t)s->closed);
	/* 办结率 = done / (received − closed) */
	qy_cell_rate(&c[5], (int64_t)s->done, (int64_t)(s->received - s->closed));
	qy_cell_int(&c[6], (int64_t)s->overdue);
	qy_cell_mean(&c[7], s->days_sum, (int64_t)s->days_n, 2);
	qy_cell_mean(&c[8], (int64_t)s->sat_sum, (int64_t)s->sat_n, 2);
	qy_cell_rate(&c[9], (int64_t)s->sat_good, (int64_t)s->sat_n);
}

/* Sorting keys of length-prefixed segments, segment by segment. */
struct keyref {
	const char *key;
	size_t len;
	size_t idx;
	uint64_t count;
};

static int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an && j < bn) {
		uint32_t x, y;
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + j, sizeof y);
		int c = qy_bytes_cmp(a + i + sizeof x, x, b + j + sizeof y, y);
		if (c != 0)
			return c;
		i += sizeof x + x;
		j += sizeof y + y;
	}
	return (i < an) - (j < bn);
}

static int
by_key(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	return key_cmp(a->key, a->len, b->key, b->len);
}

static int
by_count_then_key(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return key_cmp(a->key, a->len, b->key, b->len);
}

/* For plain (not segmented) keys. */
static int
by_count_then_name(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Competition rank (1, 2, 2, 4) of sorted row i. */
static int64_t
rank_of(const struct keyref *v, size_t i)
{
	while (i > 0 && v[i - 1].count == v[i].count)
		i--;
	return (int64_t)i + 1;
}

static struct keyref *
sorted_keys(const struct qy_strmap *m, const uint64_t *counts,
	    int (*cmp)(const void *, const void *))
{
	struct keyref *v = qy_xcalloc(m->n ? m->n : 1, sizeof *v);
	for (size_t i = 0; i < m->n; i++)
		v[i] = (struct keyref){m->keys[i], m->lens[i], i, counts ? counts[i] : 0};
	qsort(v, m->n, sizeof *v, cmp);
	return v;
}

static const char *
by_title(struct qy_tab *t, const char *const *by, size_t nby, enum qy_lang lang)
{
	struct qy_buf b = {0};
	qy_buf_adds(&b, lang == QY_LANG_EN ? "Demands by " : "需求办理情况（按");
	for (size_t i = 0; i < nby; i++) {
		struct qy_col c = by_col(by[i]);
		if (i > 0)
			qy_buf_adds(&b, lang == QY_LANG_EN ? ", " : "、");
		qy_buf_adds(&b, lang == QY_LANG_EN ? c.en : c.zh);
	}
	if (lang == QY_LANG_ZH)
		qy_buf_adds(&b, "）");
	const char *s = qy_tab_own(t, b.data);
	qy_buf_free(&b);
	return s;
}

static void
group_cells(struct qy_cell *row, const struct keyref *k, const char *const *by,
	    const struct qy_dcols *c)
{
	for (size_t i = 0; i < c->nby; i++) {
		struct qy_str v = qy_key_part(k->key, k->len, i);
		if (c->by_type[i] >= 0) {
			char *code = qy_xmemdup(v.p, v.len);
			const char *domain = c->by_type[i] == QY_T_CATEGORY ? "category"
					     : c->by_type[i] == QY_T_STATUS ? "status"
									    : "priority";
			qy_cell_term(&row[i], domain, code);
			free(code);
		} else {
			qy_cell_key(&row[i], v.p, v.len, by_mask(by[i]));
		}
	}
}

static void
group_table(const struct qy_dagg *a, const char *const *by, const struct qy_dcols *c,
	    struct qy_tabs *out)
{
	struct qy_col cols[QY_REPORT_MAX_BY + NSTAT];
	for (size_t i = 0; i < c->nby; i++)
		cols[i] = by_col(by[i]);
	memcpy(cols + c->nby, stat_cols, sizeof stat_cols);
	struct qy_tab *t = qy_tab_new("demands", "", "", cols, c->nby + NSTAT);
	t->zh = by_title(t, by, c->nby, QY_LANG_ZH);
	t->en = by_title(t, by, c->nby, QY_LANG_EN);
	struct keyref *keys = sorted_keys(&a->groups, NULL, by_key);
	struct qy_dstats total = {0};
	for (size_t i = 0; i < a->groups.n; i++) {
		struct qy_cell *row = qy_tab_row(t);
		const struct qy_dstats *s = &a->gstats[keys[i].idx];
		group_cells(row, &keys[i], by, c);
		stat_cells(row + c->nby, s);
		total.received += s->received, total.open += s->open, total.claimed += s->claimed;
		total.done += s->done, total.closed += s->closed, total.overdue += s->overdue;
		total.days_sum += s->days_sum, total.days_n += s->days_n;
		total.sat_sum += s->sat_sum, total.sat_n += s->sat_n, total.sat_good += s->sat_good;
	}
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "group", "total");
	stat_cells(row + c->nby, &total);
	t->total_row = 1;
	t->chart = (struct qy_chart){0, (int)c->nby + 5, c->nby > 1 ? 1 : -1, 0};
	free(keys);
	qy_tabs_add(out, t, QY_SEC_DEMAND);
}

static uint64_t
sum_counts(const uint64_t *v, size_t n)
{
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

static void
category_table(const struct qy_dagg *a, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"rank", "排名", "rank"},
	    {"category", "服务类别", "category"},
	    {"demands", "需求数", "demands"},
	    {"share", "占比", "share"},
	};
	static const char *const names[QY_NCAT] = {"gov",     "life", "legal",
						   "culture", "care", "party"};
	struct qy_tab *t = qy_tab_new("needs_by_category", "民生需求排行榜：服务类别",
				      "Needs ranking: categories", cols, 4);
	struct keyref v[QY_NCAT];
	for (int i = 0; i < QY_NCAT; i++)
		v[i] = (struct keyref){names[i], strlen(names[i]), (size_t)i, a->cat[i]};
	qsort(v, QY_NCAT, sizeof v[0], by_count_then_name);
	uint64_t all = sum_counts(a->cat, QY_NCAT);
	for (int i = 0; i < QY_NCAT; i++) {
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_int(&row[0], rank_of(v, (size_t)i));
		qy_cell_term(&row[1], "category", v[i].key);
		qy_cell_int(&row[2], (int64_t)v[i].count);
		qy_cell_rate(&row[3], (int64_t)v[i].count, (int64_t)all);
	}
	t->chart = (struct qy_chart){1, 2, -1, 0};
	qy_tabs_add(out, t, QY_SEC_DEMAND);
}

static void
community_table(const struct qy_report_opts *o, const struct qy_dagg *a, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"rank", "排名", "rank"},		{"street", "街道", "street"},
	    {"community", "社区", "community"}, {"demands", "需求数", "demands"},
	    {"share", "占比", "share"},
	};
	struct qy_tab *t = qy_tab_new("needs_by_community", "", "", cols, 5);
	struct qy_buf title = {0};
	qy_buf_printf(&title, "民生需求排行榜：社区（前 %zu）", o->top);
	t->zh = qy_tab_own(t, title.data);
	qy_buf_reset(&title);
	qy_buf_printf(&title, "Needs ranking: communities (top %zu)", o->top);
	t->en = qy_tab_own(t, title.data);
	qy_buf_free(&title);
	struct keyref *v = sorted_keys(&a->comms, a->ccount, by_count_then_key);
	uint64_t all = sum_counts(a->ccount, a->comms.n);
	for (size_t i = 0; i < a->comms.n && i < o->top && v[i].count > 0; i++) {
		struct qy_cell *row = qy_tab_row(t);
		struct qy_str street = qy_key_part(v[i].key, v[i].len, 0);
		struct qy_str community = qy_key_part(v[i].key, v[i].len, 1);
		qy_cell_int(&row[0], rank_of(v, i));
		qy_cell_key(&row[1], street.p, street.len, QY_MASK_NONE);
		qy_cell_key(&row[2], community.p, community.len, QY_MASK_NONE);
		qy_cell_int(&row[3], (int64_t)v[i].count);
		qy_cell_rate(&row[4], (int64_t)v[i].count, (int64_t)all);
	}
	t->chart = (struct qy_chart){2, 3, -1, 0};
	free(v);
	qy_tabs_add(out, t, QY_SEC_DEMAND);
}

void
qy_demand_tables(const struct qy_report_opts *o, const struct qy_dagg *a, const char *const *by,
		 const struct qy_dcols *c, struct qy_tabs *out)
{
	group_table(a, by, c, out);
	category_table(a, out);
	community_table(o, a, out);
}
