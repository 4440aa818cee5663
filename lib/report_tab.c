/* report_tab.c — report tables, exact number formatting, masking. */
#include "report_tab.h"

#include <stdlib.h>
#include <string.h>

#include "textw.h"

struct qy_tab *
qy_tab_new(const char *id, const char *zh, const char *en, const struct qy_col *cols, size_t ncols)
{
	struct qy_tab *t = qy_xcalloc(1, sizeof *t);
	t->id = id;
	t->zh = zh;
	t->en = en;
	t->cols = qy_xcalloc(ncols, sizeof *t->cols);
	memcpy(t->cols, cols, ncols * sizeof *cols);
	t->ncols = ncols;
	t->chart = (struct qy_chart){-1, -1, -1, 0};
	return t;
}

void
qy_tab_free(struct qy_tab *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->cols);
	for (size_t i = 0; i < t->nown; i++)
		free(t->own[i]);
	free(t->own);
	free(t);
}

const char *
qy_tab_own(struct qy_tab *t, const char *s)
{
	t->own = qy_xrealloc(t->own, (t->nown + 1) * sizeof *t->own);
	t->own[t->nown] = qy_xstrdup(s);
	return t->own[t->nown++];
}

struct qy_cell *
qy_tab_row(struct qy_tab *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = qy_xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
	}
	struct qy_cell *row = t->cells + t->nrows * t->ncols;
	memset(row, 0, t->ncols * sizeof *row);
	t->nrows++;
	return row;
}

struct qy_cell *
qy_tab_cell(const struct qy_tab *t, size_t row, size_t col)
{
	return t->cells + row * t->ncols + col;
}

void
qy_cell_text(struct qy_cell *c, const char *p, size_t n, enum qy_mask mask)
{
	c->kind = QY_CELL_TEXT;
	c->mask = mask;
	free(c->text);
	c->text = qy_xmemdup(p, n);
}

void
qy_cell_term(struct qy_cell *c, const char *domain, const char *key)
{
	c->kind = QY_CELL_TERM;
	c->domain = domain;
	free(c->text);
	c->text = qy_xstrdup(key);
}

void
qy_cell_key(struct qy_cell *c, const char *p, size_t n, enum qy_mask mask)
{
	if (n == 0)
		qy_cell_term(c, "group", "");
	else
		qy_cell_text(c, p, n, mask);
}

void
qy_cell_int(struct qy_cell *c, int64_t v)
{
	c->kind = QY_CELL_INT;
	c->num = v;
}

void
qy_cell_rate(struct qy_cell *c, int64_t num, int64_t den)
{
	c->kind = QY_CELL_RATE;
	c->num = num;
	c->den = den;
}

void
qy_cell_mean(struct qy_cell *c, int64_t num, int64_t den, int decimals)
{
	c->kind = QY_CELL_MEAN;
	c->num = num;
	c->den = den;
	c->decimals = decimals;
}

void
qy_fmt_ratio(struct qy_buf *b, int64_t num, int64_t den, int decimals)
{
	/* Exact: round |num| × 10^decimals / den half up, then place the point.
	 * Counts and day sums stay far below the 9.2e18 an int64 holds; the
	 * unsigned arithmetic below keeps 10^4 × 2 × num in range for them. */
	int neg = (num < 0) != (den < 0) && num != 0;
	uint64_t n = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
	uint64_t d = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
	uint64_t scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	uint64_t r = (n * scale * 2 + d) / (2 * d);
	if (neg && r != 0)
		qy_buf_addc(b, '-');
	qy_buf_printf(b, "%llu", (unsigned long long)(r / scale));
	if (decimals > 0)
		qy_buf_printf(b, ".%0*llu", decimals, (unsigned long long)(r % scale));
}

void
qy_mask_phone(struct qy_buf *b, const char *p, size_t n)
{
	/* 11 digits (a mobile) or more (a landline with its area code): the
	 * first three and last four stay, as offices print them; anything
	 * shorter keeps only its last two. */
	if (n >= 11) {
		qy_buf_add(b, p, 3);
		qy_buf_adds(b, "****");
		qy_buf_add(b, p + n - 4, 4);
	} else if (n > 0) {
		qy_buf_adds(b, "****");
		size_t keep = n < 2 ? n : 2;
		qy_buf_add(b, p + n - keep, keep);
	}
}

void
qy_mask_name(struct qy_buf *b, const char *p, size_t n)
{
	/* The surname (first character) and one '*', whatever the length, so
	 * the mask does not tell how long the name is. */
	if (n == 0)
		return;
	uint32_t cp;
	size_t first = qy_textw_decode(p, n, &cp);
	if (first < n)
		qy_buf_add(b, p, first);
	qy_buf_addc(b, '*');
}

static void
format_text(struct qy_buf *b, const struct qy_cell *c, const struct qy_cell_style *st)
{
	const char *p = c->text ? c->text : "";
	size_t n = strlen(p);
	if (st->show_personal || c->mask == QY_MASK_NONE)
		qy_buf_add(b, p, n);
	else if (c->mask == QY_MASK_PHONE)
		qy_mask_phone(b, p, n);
	else
		qy_mask_name(b, p, n);
}

void
qy_cell_format(struct qy_buf *b, const struct qy_cell *c, const struct qy_cell_style *st)
{
	switch (c->kind) {
	case QY_CELL_EMPTY:
		break;
	case QY_CELL_TEXT:
		format_text(b, c, st);
		break;
	case QY_CELL_TERM:
		if (st->machine)
			qy_buf_adds(b, c->text);
		else
			qy_buf_adds(b, qy_term_label(c->domain, c->text, st->lang));
		break;
	case QY_CELL_INT:
		qy_buf_printf(b, "%lld", (long long)c->num);
		break;
	case QY_CELL_RATE:
		if (c->den == 0)
			break;
		if (st->machine) {
			qy_fmt_ratio(b, c->num, c->den, 4);
		} else {
			qy_fmt_ratio(b, c->num * 100, c->den, 1);
			qy_buf_addc(b, '%');
		}
		break;
	case QY_CELL_MEAN:
		if (c->den != 0)
			qy_fmt_ratio(b, c->num, c->den, c->decimals);
		break;
	}
}

int
qy_cell_is_number(const struct qy_cell *c)
{
	return c->kind == QY_CELL_INT || c->kind == QY_CELL_RATE || c->kind == QY_CELL_MEAN;
}

double
qy_cell_value(const struct qy_cell *c)
{
	switch (c->kind) {
	case QY_CELL_INT:
		return (double)c->num;
	case QY_CELL_RATE:
	case QY_CELL_MEAN:
		return c->den != 0 ? (double)c->num / (double)c->den : 0.0;
	default:
		return 0.0;
	}
}

int
qy_row_hidden(const struct qy_tab *t, size_t row)
{
	const struct qy_cell *k = qy_tab_cell(t, row, 0);
	return strcmp(t->id, "report") == 0 && k->kind == QY_CELL_TERM &&
	       strcmp(k->text, "title") == 0;
}
