/* report_write.c — the tsv, text, md and csv writers of qy-report.
 *
 * TSV layout (documented in qy-report(1)): blocks separated by one empty
 * line; each block is a qy-TSV table whose first column is `section`, and
 * every row of the block has the block's name there (report, inputs,
 * demands, needs_by_category, …).  So
 *     awk -F'\t' '$1 == "demands"'
 * picks a section's rows, and awk's paragraph mode (RS="") a whole block. */
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "report_tab.h"
#include "textw.h"
#include "tsv.h"

enum { TEXT_CELL_MAX = 40 }; /* display columns of a text cell in text tables */

static const char *
col_label(const struct qy_col *c, enum qy_lang lang)
{
	return lang == QY_LANG_EN ? c->en : c->zh;
}

static const char *
tab_title(const struct qy_tab *t, enum qy_lang lang)
{
	return lang == QY_LANG_EN ? t->en : t->zh;
}

static const char *
tab_note(const struct qy_tab *t, enum qy_lang lang)
{
	return lang == QY_LANG_EN ? t->note_en : t->note_zh;
}

static const char *
section_title(const struct qy_doc *doc, int i, enum qy_lang lang)
{
	const struct qy_section *s = &doc->sections[i];
	return lang == QY_LANG_EN ? s->en : s->zh;
}

/* ---- tsv ---- */

static void
tsv_table(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st)
{
	struct qy_buf b = {0};
	qy_out_puts(o, "section");
	for (size_t c = 0; c < t->ncols; c++) {
		qy_out_putc(o, '\t');
		qy_tsv_put_field(o, t->cols[c].key, strlen(t->cols[c].key));
	}
	qy_out_putc(o, '\n');
	for (size_t r = 0; r < t->nrows; r++) {
		qy_out_puts(o, t->id);
		for (size_t c = 0; c < t->ncols; c++) {
			qy_buf_reset(&b);
			qy_cell_format(&b, qy_tab_cell(t, r, c), st);
			qy_out_putc(o, '\t');
			qy_tsv_put_field(o, b.data ? b.data : "", b.len);
		}
		qy_out_putc(o, '\n');
	}
	qy_buf_free(&b);
}

void
qy_write_tsv(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	struct qy_cell_style machine = *st;
	machine.machine = 1;
	tsv_table(o, doc->meta, &machine);
	qy_out_putc(o, '\n');
	tsv_table(o, doc->inputs, &machine);
	for (size_t i = 0; i < doc->ntabs; i++) {
		qy_out_putc(o, '\n');
		tsv_table(o, doc->tabs[i], &machine);
	}
}

/* ---- text ---- */

/* Appends s with TAB, LF and CR written as \t \n \r (other controls as ?),
 * so that one cell stays on one line. */
static void
add_one_line(struct qy_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			qy_buf_adds(b, "\\t");
		else if (c == '\n')
			qy_buf_adds(b, "\\n");
		else if (c == '\r')
			qy_buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7F)
			qy_buf_addc(b, '?');
		else
			qy_buf_addc(b, (char)c);
	}
}

/* The cells of a table as text lines would show them: one string per cell,
 * the header first. */
struct grid {
	char **s;
	size_t *w;    /* display width of each string */
	size_t *colw; /* width of each column */
	int *right;   /* 1: right-aligned column */
	size_t nrows; /* including the header */
	size_t ncols;
};

static void
grid_put(struct grid *g, size_t r, size_t c, const char *p, size_t n, size_t maxw)
{
	struct qy_buf b = {0};
	add_one_line(&b, p, n);
	size_t used, keep = qy_textw_fit(b.data ? b.data : "", b.len, maxw, &used);
	if (keep < b.len) {
		/* Too wide for a terminal table: cut at a character and say so. */
		keep = qy_textw_fit(b.data, b.len, maxw - 1, &used);
		b.len = keep;
		qy_buf_adds(&b, "…");
		used++;
	}
	size_t i = r * g->ncols + c;
	g->s[i] = b.data ? b.data : qy_xstrdup("");
	g->w[i] = used;
	if (used > g->colw[c])
		g->colw[c] = used;
}

static void
grid_build(struct grid *g, const struct qy_tab *t, const struct qy_cell_style *st, int header)
{
	g->ncols = t->ncols;
	g->nrows = t->nrows + (header ? 1 : 0);
	g->s = qy_xcalloc(g->nrows * g->ncols, sizeof *g->s);
	g->w = qy_xcalloc(g->nrows * g->ncols, sizeof *g->w);
	g->colw = qy_xcalloc(g->ncols, sizeof *g->colw);
	g->right = qy_xcalloc(g->ncols, sizeof *g->right);
	size_t base = 0;
	if (header) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *h = col_label(&t->cols[c], st->lang);
			grid_put(g, 0, c, h, strlen(h), (size_t)-1 / 2);
		}
		base = 1;
	}
	struct qy_buf b = {0};
	for (size_t r = 0; r < t->nrows; r++) {
		if (qy_row_hidden(t, r)) {
			g->nrows--;
			continue;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const struct qy_cell *cell = qy_tab_cell(t, r, c);
			qy_buf_reset(&b);
			qy_cell_format(&b, cell, st);
			size_t maxw = cell->kind == QY_CELL_TEXT ? TEXT_CELL_MAX : (size_t)-1 / 2;
			grid_put(g, base, c, b.data ? b.data : "", b.len, maxw);
			if (qy_cell_is_number(cell))
				g->right[c] = 1;
		}
		base++;
	}
	qy_buf_free(&b);
}

static void
grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->nrows * g->ncols; i++)
		free(g->s[i]);
	free(g->s);
	free(g->w);
	free(g->colw);
	free(g->right);
}

static void
pad(struct qy_buf *b, size_t n)
{
	while (n-- > 0)
		qy_buf_addc(b, ' ');
}

static void
grid_line(struct qy_out *o, const struct grid *g, size_t r)
{
	struct qy_buf b = {0};
	for (size_t c = 0; c < g->ncols; c++) {
		size_t i = r * g->ncols + c;
		size_t fill = g->colw[c] - g->w[i];
		if (c > 0)
			qy_buf_adds(&b, "  ");
		if (g->right[c])
			pad(&b, fill);
		qy_buf_adds(&b, g->s[i]);
		if (!g->right[c])
			pad(&b, fill);
	}
	/* No trailing blanks, whatever the last cells hold. */
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	qy_out_write(o, b.data ? b.data : "", b.len);
	qy_out_putc(o, '\n');
	qy_buf_free(&b);
}

static void
grid_rule(struct qy_out *o, const struct grid *g)
{
	for (size_t c = 0; c < g->ncols; c++) {
		if (c > 0)
			qy_out_puts(o, "  ");
		for (size_t k = 0; k < g->colw[c]; k++)
			qy_out_putc(o, '-');
	}
	qy_out_putc(o, '\n');
}

static void
underline(struct qy_out *o, const char *s, char ch)
{
	qy_out_puts(o, s);
	qy_out_putc(o, '\n');
	size_t w = qy_textw_width(s, strlen(s));
	for (size_t k = 0; k < w; k++)
		qy_out_putc(o, ch);
	qy_out_putc(o, '\n');
}

static void
text_table(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st, int header)
{
	struct grid g;
	grid_build(&g, t, st, header);
	for (size_t r = 0; r < g.nrows; r++) {
		if (header && r == g.nrows - 1 && t->total_row && t->nrows > 0)
			grid_rule(o, &g);
		grid_line(o, &g, r);
		if (header && r == 0)
			grid_rule(o, &g);
	}
	grid_free(&g);
}

static void
text_note(struct qy_out *o, const struct qy_tab *t, enum qy_lang lang)
{
	const char *note = tab_note(t, lang);
	if (note != NULL) {
		qy_out_puts(o, note);
		qy_out_putc(o, '\n');
	}
}

void
qy_write_text(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	underline(o, doc->title, '=');
	qy_out_putc(o, '\n');
	text_table(o, doc->meta, st, 0);
	qy_out_putc(o, '\n');
	text_table(o, doc->inputs, st, 1);
	int section = -1;
	for (size_t i = 0; i < doc->ntabs; i++) {
		const struct qy_tab *t = doc->tabs[i];
		qy_out_putc(o, '\n');
		if (t->section != section) {
			section = t->section;
			qy_out_putc(o, '\n');
			underline(o, section_title(doc, section, st->lang), '=');
			qy_out_putc(o, '\n');
		}
		underline(o, tab_title(t, st->lang), '-');
		text_table(o, t, st, 1);
		text_note(o, t, st->lang);
	}
}

/* ---- md ---- */

static void
md_escape(struct qy_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (strchr("\\`*_[]<>|#", c) != NULL && c != '\0') {
			qy_out_putc(o, '\\');
			qy_out_putc(o, c);
		} else if (c == '\n') {
			qy_out_puts(o, "<br>");
		} else if (c == '\r' || c == '\t') {
			qy_out_putc(o, ' ');
		} else {
			qy_out_putc(o, c);
		}
	}
}

static void
md_table(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st)
{
	int *right = qy_xcalloc(t->ncols ? t->ncols : 1, sizeof *right);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (qy_cell_is_number(qy_tab_cell(t, r, c)))
				right[c] = 1;
	qy_out_putc(o, '|');
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = col_label(&t->cols[c], st->lang);
		qy_out_putc(o, ' ');
		md_escape(o, h, strlen(h));
		qy_out_puts(o, " |");
	}
	qy_out_puts(o, "\n|");
	for (size_t c = 0; c < t->ncols; c++)
		qy_out_puts(o, right[c] ? " ---: |" : " --- |");
	qy_out_putc(o, '\n');
	struct qy_buf b = {0};
	for (size_t r = 0; r < t->nrows; r++) {
		int total = t->total_row && r + 1 == t->nrows;
		qy_out_putc(o, '|');
		for (size_t c = 0; c < t->ncols; c++) {
			qy_buf_reset(&b);
			qy_cell_format(&b, qy_tab_cell(t, r, c), st);
			qy_out_putc(o, ' ');
			if (total && b.len > 0)
				qy_out_puts(o, "**");
			md_escape(o, b.data ? b.data : "", b.len);
			if (total && b.len > 0)
				qy_out_puts(o, "**");
			qy_out_puts(o, " |");
		}
		qy_out_putc(o, '\n');
	}
	qy_buf_free(&b);
	free(right);
}

static void
md_meta(struct qy_out *o, const struct qy_tab *meta, const struct qy_cell_style *st)
{
	struct qy_buf b = {0};
	for (size_t r = 0; r < meta->nrows; r++) {
		if (qy_row_hidden(meta, r))
			continue;
		qy_out_puts(o, "- ");
		qy_buf_reset(&b);
		qy_cell_format(&b, qy_tab_cell(meta, r, 0), st);
		md_escape(o, b.data ? b.data : "", b.len);
		qy_out_puts(o, st->lang == QY_LANG_EN ? ": " : "：");
		qy_buf_reset(&b);
		qy_cell_format(&b, qy_tab_cell(meta, r, 1), st);
		md_escape(o, b.data ? b.data : "", b.len);
		qy_out_putc(o, '\n');
	}
	qy_buf_free(&b);
}

void
qy_write_md(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	qy_out_puts(o, "# ");
	md_escape(o, doc->title, strlen(doc->title));
	qy_out_puts(o, "\n\n");
	md_meta(o, doc->meta, st);
	qy_out_putc(o, '\n');
	md_table(o, doc->inputs, st);
	int section = -1;
	for (size_t i = 0; i < doc->ntabs; i++) {
		const struct qy_tab *t = doc->tabs[i];
		if (t->section != section) {
			section = t->section;
			const char *s = section_title(doc, section, st->lang);
			qy_out_puts(o, "\n## ");
			md_escape(o, s, strlen(s));
			qy_out_putc(o, '\n');
		}
		const char *title = tab_title(t, st->lang);
		qy_out_puts(o, "\n### ");
		md_escape(o, title, strlen(title));
		qy_out_puts(o, "\n\n");
		md_table(o, t, st);
		const char *note = tab_note(t, st->lang);
		if (note != NULL) {
			qy_out_putc(o, '\n');
			md_escape(o, note, strlen(note));
			qy_out_putc(o, '\n');
		}
	}
}

/* ---- csv ---- */

/* One cell for Excel: RFC 4180 quoting, and a leading = + - @ TAB or CR
 * made inert with a ' so that a value is never run as a formula. */
static void
csv_cell(struct qy_out *o, const char *s, size_t n)
{
	int guard = n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t';
	if (quote)
		qy_out_putc(o, '"');
	if (guard)
		qy_out_putc(o, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			qy_out_putc(o, '"');
		qy_out_putc(o, s[i]);
	}
	if (quote)
		qy_out_putc(o, '"');
}

static void
csv_row_end(struct qy_out *o)
{
	qy_out_puts(o, "\r\n");
}

static void
csv_table(struct qy_out *o, const struct qy_tab *t, const struct qy_cell_style *st, int header)
{
	if (header) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *h = col_label(&t->cols[c], st->lang);
			if (c > 0)
				qy_out_putc(o, ',');
			csv_cell(o, h, strlen(h));
		}
		csv_row_end(o);
	}
	struct qy_buf b = {0};
	for (size_t r = 0; r < t->nrows; r++) {
		if (qy_row_hidden(t, r))
			continue;
		for (size_t c = 0; c < t->ncols; c++) {
			qy_buf_reset(&b);
			qy_cell_format(&b, qy_tab_cell(t, r, c), st);
			if (c > 0)
				qy_out_putc(o, ',');
			csv_cell(o, b.data ? b.data : "", b.len);
		}
		csv_row_end(o);
	}
	qy_buf_free(&b);
}

static void
csv_line(struct qy_out *o, const char *s)
{
	csv_cell(o, s, strlen(s));
	csv_row_end(o);
}

void
qy_write_csv(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st)
{
	qy_out_puts(o, "\xEF\xBB\xBF"); /* the BOM that makes Excel read UTF-8 */
	csv_line(o, doc->title);
	csv_table(o, doc->meta, st, 0);
	csv_row_end(o);
	csv_table(o, doc->inputs, st, 1);
	int section = -1;
	for (size_t i = 0; i < doc->ntabs; i++) {
		const struct qy_tab *t = doc->tabs[i];
		csv_row_end(o);
		if (t->section != section) {
			section = t->section;
			csv_line(o, section_title(doc, section, st->lang));
		}
		csv_line(o, tab_title(t, st->lang));
		csv_table(o, t, st, 1);
		const char *note = tab_note(t, st->lang);
		if (note != NULL)
			csv_line(o, note);
	}
}

void
qy_write_doc(struct qy_out *o, const struct qy_doc *doc, enum qy_format f,
	     const struct qy_cell_style *st)
{
	switch (f) {
	case QY_FMT_TSV:
		qy_write_tsv(o, doc, st);
		break;
	case QY_FMT_TEXT:
		qy_write_text(o, doc, st);
		break;
	case QY_FMT_MD:
		qy_write_md(o, doc, st);
		break;
	case QY_FMT_CSV:
		qy_write_csv(o, doc, st);
		break;
	case QY_FMT_HTML:
		qy_write_html(o, doc, st);
		break;
	}
}
