/* html.c — qy-report's HTML: one self-contained file (inline CSS and SVG,
 * no script, nothing fetched) that prints on A4. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "report_tab.h"
#include "textw.h"

enum {
	CHART_WIDTH = 660, /* px; A4 minus margins is about 700 px at 96 dpi */
	BAR_HEIGHT = 16,
	BAR_GAP = 6,
	LABEL_MAX_COLS = 30, /* display columns of a label before it is cut */
	VALUE_ROOM = 64,     /* px right of the longest bar for its value */
	CHART_MAX_BARS = 100,
	WIDE_COLS = 9,	 /* a table this wide gets the small print */
	WRAP_COLS = 24,	 /* display columns of text before a cell may wrap */
	SHORT_COLS = 10, /* text this short never wraps, even in a wide table */
};

static const char style_sheet[] =
    "@page { size: A4; margin: 14mm 12mm 16mm; }\n"
    "* { box-sizing: border-box; }\n"
    "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\",\n"
    "  \"Microsoft YaHei\", \"WenQuanYi Micro Hei\", \"Helvetica Neue\", Arial, sans-serif;\n"
    "  font-size: 10pt; line-height: 1.45; color: #222; margin: 0 auto; max-width: 186mm;\n"
    "  padding: 8mm 0; }\n"
    "h1 { font-size: 19pt; color: #a31515; border-bottom: 3px solid #a31515;\n"
    "  padding-bottom: 4px; margin: 0 0 8px; }\n"
    "h2 { font-size: 14pt; color: #a31515; border-left: 5px solid #a31515; padding-left: 8px;\n"
    "  margin: 22px 0 6px; break-after: avoid; page-break-after: avoid; }\n"
    "h3 { font-size: 11pt; margin: 14px 0 4px; break-after: avoid; page-break-after: avoid; }\n"
    "table { border-collapse: collapse; margin: 4px 0 6px; font-size: 9pt; }\n"
    "th, td { border: 1px solid #cfcfcf; padding: 2px 7px; vertical-align: top;\n"
    "  white-space: nowrap; }\n"
    "td.w { white-space: normal; min-width: 14em; }\n"
    "table.wide { font-size: 7.5pt; width: 100%; }\n"
    "table.wide th, table.wide td { padding: 1px 3px; white-space: normal; }\n"
    "table.wide td.n, table.wide td.s { white-space: nowrap; }\n"
    "table.wide td.w { min-width: 7em; }\n"
    "div.figures { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 4px; }\n"
    "div.figure { flex: 1 1 0; min-width: 20mm; border: 1px solid #e3c4c4; border-radius: 4px;\n"
    "  background: #fbf3f3; padding: 5px 7px; break-inside: avoid; }\n"
    "div.figure b { display: block; font-size: 15pt; color: #a31515; line-height: 1.2; }\n"
    "div.figure span { font-size: 8.5pt; color: #555; }\n"
    "th { background: #f6e8e8; font-weight: 600; text-align: left; }\n"
    "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "tr.total td { font-weight: 700; background: #f7f7f7; }\n"
    "thead { display: table-header-group; }\n"
    "tr, figure, .meta { break-inside: avoid; page-break-inside: avoid; }\n"
    "table.meta td { border: none; padding: 1px 12px 1px 0; }\n"
    "table.meta td:first-child { color: #666; }\n"
    "figure { margin: 6px 0 4px; }\n"
    "figcaption { font-size: 8.5pt; color: #666; margin-bottom: 2px; }\n"
    "svg { display: block; max-width: 100%; height: auto; }\n"
    "svg text { font-size: 11px; fill: #333; }\n"
    "svg rect.bar { fill: #c0392b; }\n"
    "svg line.axis { stroke: #999; stroke-width: 1; }\n"
    "p.note { color: #666; font-size: 9pt; margin: 2px 0 8px; }\n";

static const char *
pick(const char *zh, const char *en, enum qy_lang lang)
{
	return lang == QY_LANG_EN ? en : zh;
}

void
qy_html_escape(struct qy_out *o, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		qy_out_write(o, s + run, i - run);
		qy_out_puts(o, rep);
		run = i + 1;
	}
	qy_out_write(o, s + run, n - run);
}

static void
esc(struct qy_out *o, const char *s)
{
	qy_html_escape(o, s, strlen(s));
}

/* The label as shown: cut to LABEL_MAX_COLS display columns. */
static size_t
label_fit(const char *s, size_t *cols, int *cut)
{
	size_t n = strlen(s);
	size_t keep = qy_textw_fit(s, n, LABEL_MAX_COLS, cols);
	*cut = keep < n;
	if (*cut)
		keep = qy_textw_fit(s, n, LABEL_MAX_COLS - 1, cols);
	return keep;
}

void
qy_html_bar_chart(struct qy_out *o, const char *title, const struct qy_bar *bars, size_t n,
		  double max)
{
	size_t label_cols = 4;
	for (size_t i = 0; i < n; i++) {
		size_t cols;
		int cut;
		label_fit(bars[i].label, &cols, &cut);
		if (cols + (size_t)cut > label_cols)
			label_cols = cols + (size_t)cut;
	}
	if (max <= 0)
		for (size_t i = 0; i < n; i++)
			if (bars[i].value > max)
				max = bars[i].value;
	/* About 6.5 px a column at 11 px: a CJK character is two columns. */
	int label_w = (int)(label_cols * 13 + 1) / 2 + 10;
	int bar_w = CHART_WIDTH - label_w - VALUE_ROOM;
	int height = (int)n * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
	qy_out_puts(o, "<figure><figcaption>");
	esc(o, title);
	qy_out_printf(o,
		      "</figcaption><svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		      CHART_WIDTH, height, CHART_WIDTH, height);
	esc(o, title);
	qy_out_puts(o, "\">\n");
	for (size_t i = 0; i < n; i++) {
		int y = BAR_GAP + (int)i * (BAR_HEIGHT + BAR_GAP);
		double frac = max > 0 && bars[i].value > 0 ? bars[i].value / max : 0.0;
		if (frac > 1)
			frac = 1;
		int w = (int)(frac * bar_w + 0.5);
		size_t cols;
		int cut;
		size_t keep = label_fit(bars[i].label, &cols, &cut);
		qy_out_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 6,
			      y + BAR_HEIGHT - 4);
		qy_html_escape(o, bars[i].label, keep);
		if (cut)
			qy_out_puts(o, "…");
		qy_out_printf(o,
			      "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
			      "height=\"%d\"/><text x=\"%d\" y=\"%d\">",
			      label_w, y, w, BAR_HEIGHT, label_w + w + 4, y + BAR_HEIGHT - 4);
		esc(o, bars[i].text);
		qy_out_puts(o, "</text>\n");
	}
	qy_out_printf(o, "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>\n", label_w,
		      label_w, height);
	qy_out_puts(o, "</svg></figure>\n");
}

static void
chart_of(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st)
{
	size_t rows = t->nrows - (t->total_row && t->nrows > 0 ? 1 : 0);
	if (t->chart.label_col < 0 || rows == 0)
		return;
	size_t n = rows < CHART_MAX_BARS ? rows : CHART_MAX_BARS;
	struct qy_bar *bars = qy_xcalloc(n, sizeof *bars);
	struct qy_buf *text = qy_xcalloc(2 * n, sizeof *text);
	int rate = 0;
	for (size_t r = 0; r < n; r++) {
		struct qy_buf *label = &text[2 * r], *value = &text[2 * r + 1];
		qy_cell_format(label, qy_tab_cell(t, r, (size_t)t->chart.label_col), st);
		if (t->chart.label_col2 >= 0) {
			qy_buf_adds(label, " ");
			qy_cell_format(label, qy_tab_cell(t, r, (size_t)t->chart.label_col2), st);
		}
		const struct qy_cell *v = qy_tab_cell(t, r, (size_t)t->chart.value_col);
		qy_cell_format(value, v, st);
		rate |= v->kind == QY_CELL_RATE;
		bars[r].label = label->data ? label->data : "";
		bars[r].text = value->data ? value->data : "";
		bars[r].value = qy_cell_value(v);
	}
	/* Rates are drawn against 100 %, indices against 100, so that charts
	 * compare at a glance. */
	double max = t->chart.max > 0 ? t->chart.max : rate ? 1.0 : 0.0;
	const struct qy_col *vc = &t->cols[t->chart.value_col];
	qy_html_bar_chart(o, pick(vc->zh, vc->en, st->lang), bars, n, max);
	if (n < rows)
		qy_out_printf(o, "<p class=\"note\">%s %zu</p>\n",
			      pick("图中只列出前", "The chart shows the first", st->lang), n);
	for (size_t i = 0; i < 2 * n; i++)
		qy_buf_free(&text[i]);
	free(text);
	free(bars);
}

static void
table_html(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st,
	   const char *class, int header)
{
	struct qy_buf b = {0};
	int *num = qy_xcalloc(t->ncols ? t->ncols : 1, sizeof *num);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (qy_cell_is_number(qy_tab_cell(t, r, c)))
				num[c] = 1;
	qy_out_printf(o, "<table class=\"%s%s\" data-section=\"%s\">\n", class,
		      t->ncols >= WIDE_COLS ? " wide" : "", t->id);
	if (header) {
		qy_out_puts(o, "<thead><tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			qy_out_puts(o, num[c] ? "<th class=\"n\">" : "<th>");
			esc(o, pick(t->cols[c].zh, t->cols[c].en, st->lang));
			qy_out_puts(o, "</th>");
		}
		qy_out_puts(o, "</tr></thead>\n");
	}
	qy_out_puts(o, "<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		if (qy_row_hidden(t, r))
			continue;
		int total = t->total_row && r + 1 == t->nrows;
		qy_out_puts(o, total ? "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			qy_buf_reset(&b);
			qy_cell_format(&b, qy_tab_cell(t, r, c), st);
			/* Long text may wrap; short text and numbers stay on one line. */
			size_t w = qy_textw_width(b.data ? b.data : "", b.len);
			const char *td = num[c]		   ? "<td class=\"n\">"
					 : w > WRAP_COLS   ? "<td class=\"w\">"
					 : w <= SHORT_COLS ? "<td class=\"s\">"
							   : "<td>";
			qy_out_puts(o, td);
			qy_html_escape(o, b.data ? b.data : "", b.len);
			qy_out_puts(o, "</td>");
		}
		qy_out_puts(o, "</tr>\n");
	}
	qy_out_puts(o, "</tbody></table>\n");
	free(num);
	qy_buf_free(&b);
}

/* The key figures at the top: the numbers the leadership asks for first. */
struct figure {
	const char *tab;    /* table id */
	const char *metric; /* the row whose first cell is this metric, or NULL: the total row */
	const char *col;    /* column key */
	const char *zh, *en;
};

static const struct figure figures[] = {
    {"demands", NULL, "received", "受理需求", "demands received"},
    {"demands", NULL, "completion_rate", "办结率", "completion rate"},
    {"demands", NULL, "overdue", "逾期未办", "overdue"},
    {"match_summary", "match_rate", "value", "派单率", "match rate"},
    {"escalation_summary", NULL, "demands", "吹哨报到", "escalated"},
    {"member_summary", "mean_index", "value", "平均先锋指数", "mean vanguard index"},
    {"branch_summary", "d_branches", "value", "后进支部", "D branches"},
};

static const struct qy_cell *
figure_cell(const struct qy_doc *doc, const struct figure *f)
{
	for (size_t i = 0; i < doc->ntabs; i++) {
		const struct qy_tab *t = doc->tabs[i];
		if (strcmp(t->id, f->tab) != 0 || t->nrows == 0)
			continue;
		for (size_t c = 0; c < t->ncols; c++) {
			if (strcmp(t->cols[c].key, f->col) != 0)
				continue;
			if (f->metric == NULL)
				return t->total_row ? qy_tab_cell(t, t->nrows - 1, c) : NULL;
			for (size_t r = 0; r < t->nrows; r++) {
				const struct qy_cell *k = qy_tab_cell(t, r, 0);
				if (k->kind == QY_CELL_TERM && strcmp(k->text, f->metric) == 0)
					return qy_tab_cell(t, r, c);
			}
		}
	}
	return NULL;
}

static void
key_figures(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	struct qy_buf b = {0};
	int any = 0;
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		const struct qy_cell *c = figure_cell(doc, &figures[i]);
		if (c == NULL)
			continue;
		qy_buf_reset(&b);
		qy_cell_format(&b, c, st);
		if (b.len == 0)
			qy_buf_adds(&b, "—");
		qy_out_puts(o, any ? "" : "<div class=\"figures\">\n");
		any = 1;
		qy_out_puts(o, "<div class=\"figure\"><b>");
		qy_html_escape(o, b.data, b.len);
		qy_out_puts(o, "</b><span>");
		esc(o, pick(figures[i].zh, figures[i].en, st->lang));
		qy_out_puts(o, "</span></div>\n");
	}
	if (any)
		qy_out_puts(o, "</div>\n");
	qy_buf_free(&b);
}

static void
head(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	qy_out_printf(o,
		      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"generator\" content=\"qy-report\">\n<title>",
		      st->lang == QY_LANG_EN ? "en" : "zh-CN");
	esc(o, doc->title);
	qy_out_puts(o, "</title>\n<style>\n");
	qy_out_puts(o, style_sheet);
	qy_out_puts(o, "</style>\n</head>\n<body>\n<h1>");
	esc(o, doc->title);
	qy_out_puts(o, "</h1>\n");
}

void
qy_write_html(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	head(o, doc, st);
	key_figures(o, doc, st);
	table_html(o, doc->meta, st, "meta", 0);
	table_html(o, doc->inputs, st, "inputs", 1);
	int section = -1;
	for (size_t i = 0; i < doc->ntabs; i++) {
		const struct qy_tab *t = doc->tabs[i];
		if (t->section != section) {
			if (section >= 0)
				qy_out_puts(o, "</section>\n");
			section = t->section;
			const struct qy_section *s = &doc->sections[section];
			qy_out_printf(o, "<section id=\"%s\">\n<h2>", s->id);
			esc(o, pick(s->zh, s->en, st->lang));
			qy_out_puts(o, "</h2>\n");
		}
		qy_out_printf(o, "<h3 id=\"%s\">", t->id);
		esc(o, pick(t->zh, t->en, st->lang));
		qy_out_puts(o, "</h3>\n");
		chart_of(o, t, st);
		table_html(o, t, st, "data", 1);
		const char *note = pick(t->note_zh, t->note_en, st->lang);
		if (note != NULL) {
			qy_out_puts(o, "<p class=\"note\">");
			esc(o, note);
			qy_out_puts(o, "</p>\n");
		}
	}
	if (section >= 0)
		qy_out_puts(o, "</section>\n");
	qy_out_puts(o, "</body>\n</html>\n");
}
