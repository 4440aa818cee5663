/* report.c — qy-report's driver: open every input, recognise it by its
 * header, run the sections that have inputs, and write the one report. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "out.h"
#include "report_int.h"

static const struct qy_section sections[QY_SEC_COUNT] = {
    {"demand", "需求办理", "Demands"},
    {"match", "派单与吹哨报到", "Dispatch and escalation"},
    {"member", "党员先锋指数", "Members' vanguard index"},
    {"branch", "支部堡垒指数", "Branches' bastion index"},
};

/* Each kind of input, by the columns its header must have. */
struct kind_sig {
	enum qy_input_kind kind;
	const char *name; /* TERM key, domain "kind" */
	const char *what; /* for the message naming the kinds */
	const char *cols[8];
};

static const struct kind_sig kinds[] = {
    {QY_IN_MATCH,
     "match",
     "match output (qy-match)",
     {"demand_id", "resource_id", "units", "tier", "reason", "escalate", NULL}},
    {QY_IN_MEMBER,
     "member_scores",
     "member scores (qy-score --level member)",
     {"member_id", "branch_id", "index", "stars", "rank", "inactive", NULL}},
    {QY_IN_BRANCH,
     "branch_scores",
     "branch scores (qy-score --level branch)",
     {"branch_id", "org_life", "vanguard", "index", "grade", "rank", NULL}},
    {QY_IN_DEMAND,
     "demand",
     "demands (qy-ingest -t demand)",
     {"demand_id", "submitted", "street", "community", "category", "content", NULL}},
};

static const char *
kind_name(enum qy_input_kind k)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "empty";
}

static int
has_cols(const struct qy_tsv *t, const char *const *cols)
{
	for (; *cols != NULL; cols++)
		if (qy_tsv_col(t, *cols) < 0)
			return 0;
	return 1;
}

static _Noreturn void
unknown_kind(const struct qy_input *in, struct qy_diag *d)
{
	struct qy_buf b = {0};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		qy_buf_adds(&b, i ? "; " : "");
		qy_buf_printf(&b, "%s with ", kinds[i].what);
		for (const char *const *c = kinds[i].cols; *c != NULL; c++)
			qy_buf_printf(&b, "%s%s", c == kinds[i].cols ? "" : ", ", *c);
	}
	qy_fatal_at(d, in->tsv.name, 1, "not an input qy-report knows; it reads %s", b.data);
}

static void
open_input(struct qy_input *in, const char *path, struct qy_diag *d)
{
	struct qy_buf why = {0};
	memset(in, 0, sizeof *in);
	in->path = path;
	if (qy_tsv_open(&in->tsv, path, &why) != 0)
		qy_fatal(d, "%s", why.data);
	qy_buf_free(&why);
	in->kind = QY_IN_EMPTY;
	if (in->tsv.ncols == 0)
		return;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (has_cols(&in->tsv, kinds[i].cols)) {
			in->kind = kinds[i].kind;
			return;
		}
	}
	unknown_kind(in, d);
}

static void
meta_row(struct qy_tab *t, const char *key, const char *value, int term_domain_asof)
{
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "meta", key);
	if (term_domain_asof)
		qy_cell_term(&row[1], "asof", value);
	else
		qy_cell_text(&row[1], value, strlen(value), QY_MASK_NONE);
}

static const char *
default_title(const struct qy_report_opts *o, struct qy_buf *b)
{
	if (o->title != NULL)
		return o->title;
	if (o->lang == QY_LANG_EN) {
		qy_buf_adds(b, "Community service report");
		if (o->month_y)
			qy_buf_printf(b, ", %04d-%02d", o->month_y, o->month_m);
	} else {
		if (o->month_y)
			qy_buf_printf(b, "%d年%d月", o->month_y, o->month_m);
		qy_buf_adds(b, "社区服务工作报告");
	}
	return b->data;
}

static struct qy_tab *
meta_table(const struct qy_report_opts *o, const char *title)
{
	static const struct qy_col cols[] = {{"key", "项目", "item"}, {"value", "内容", "value"}};
	struct qy_tab *t = qy_tab_new("report", "报告", "Report", cols, 2);
	char day[11], month[16] = "";
	qy_date_format(o->as_of, day);
	if (o->month_y)
		snprintf(month, sizeof month, "%04d-%02d", o->month_y % 10000, o->month_m % 100);
	meta_row(t, "title", title, 0);
	meta_row(t, "as_of", day, 0);
	meta_row(t, "as_of_source", o->as_of_given ? "option" : "today", 1);
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "meta", "month");
	qy_cell_term(&row[1], "month", month);
	meta_row(t, "generated_by", "qy-report " QY_VERSION, 0);
	return t;
}

static struct qy_tab *
inputs_table(const struct qy_input *in, size_t nin)
{
	static const struct qy_col cols[] = {
	    {"file", "文件", "file"},
	    {"kind", "类型", "kind"},
	    {"rows", "行数", "rows"},
	    {"skipped", "跳过", "skipped"},
	    {"outside_month", "不在统计月份", "outside month"},
	};
	struct qy_tab *t = qy_tab_new("inputs", "输入文件", "Inputs", cols, 5);
	for (size_t i = 0; i < nin; i++) {
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_text(&row[0], in[i].tsv.name, strlen(in[i].tsv.name), QY_MASK_NONE);
		qy_cell_term(&row[1], "kind", kind_name(in[i].kind));
		qy_cell_int(&row[2], (int64_t)in[i].rows);
		qy_cell_int(&row[3], (int64_t)in[i].skipped);
		qy_cell_int(&row[4], (int64_t)in[i].filtered);
	}
	return t;
}

/* Stable: tables keep their order within a section. */
static void
order_by_section(struct qy_tabs *l)
{
	for (size_t i = 1; i < l->n; i++) {
		struct qy_tab *t = l->v[i];
		size_t j = i;
		while (j > 0 && l->v[j - 1]->section > t->section) {
			l->v[j] = l->v[j - 1];
			j--;
		}
		l->v[j] = t;
	}
}

void
qy_report_run(const struct qy_report_opts *o, const char *const *paths, size_t npaths,
	      struct qy_out *out, struct qy_diag *d)
{
	static const char *const stdin_only[] = {NULL};
	if (npaths == 0) {
		paths = stdin_only;
		npaths = 1;
	}
	struct qy_input *in = qy_xcalloc(npaths, sizeof *in);
	for (size_t i = 0; i < npaths; i++)
		open_input(&in[i], paths[i], d);

	struct qy_tabs tabs = {0};
	/* Match first: the demand scan fills in the escalation list. */
	struct qy_escal *escal = qy_report_match(o, in, npaths, &tabs, d);
	qy_report_scores(o, in, npaths, &tabs, d);
	qy_report_demands(o, in, npaths, escal, &tabs, d);
	if (escal != NULL) {
		int joined = 0;
		for (size_t i = 0; i < npaths; i++)
			joined |= in[i].kind == QY_IN_DEMAND;
		qy_escal_table(escal, o, joined, &tabs);
		qy_escal_free(escal);
	}
	order_by_section(&tabs);

	struct qy_buf title = {0};
	struct qy_doc doc = {
	    .title = default_title(o, &title),
	    .tabs = tabs.v,
	    .ntabs = tabs.n,
	    .sections = sections,
	    .nsections = QY_SEC_COUNT,
	};
	doc.meta = meta_table(o, doc.title);
	doc.inputs = inputs_table(in, npaths);
	struct qy_cell_style st = {o->lang, 0, o->show_personal};
	qy_write_doc(out, &doc, o->format, &st);

	qy_tab_free(doc.meta);
	qy_tab_free(doc.inputs);
	for (size_t i = 0; i < tabs.n; i++)
		qy_tab_free(tabs.v[i]);
	free(tabs.v);
	qy_buf_free(&title);
	for (size_t i = 0; i < npaths; i++)
		qy_tsv_close(&in[i].tsv);
	free(in);
}

int
qy_report_format_parse(const char *s, enum qy_format *f)
{
	static const struct {
		const char *name;
		enum qy_format f;
	} names[] = {
	    {"tsv", QY_FMT_TSV}, {"text", QY_FMT_TEXT}, {"md", QY_FMT_MD},
	    {"csv", QY_FMT_CSV}, {"html", QY_FMT_HTML},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i].name) == 0) {
			*f = names[i].f;
			return 0;
		}
	}
	return -1;
}
