/* report_tab.h — the tables a report is made of, independent of format.
 *
 * Every section of qy-report builds tables of typed cells; the writers
 * (report_write.c for tsv, text, md and csv; html.c for html) turn the same
 * tables into each format.  A cell keeps its exact value (integers, or a
 * numerator and denominator), so every format rounds from the exact value and
 * no format depends on floating point. */
#ifndef QY_REPORT_TAB_H
#define QY_REPORT_TAB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum qy_lang { QY_LANG_ZH, QY_LANG_EN };

enum qy_cell_kind {
	QY_CELL_EMPTY, /* nothing (an empty TSV field) */
	QY_CELL_TEXT,  /* free text; may be personal (masked when written) */
	QY_CELL_TERM,  /* a code: TSV writes the key, other formats its label */
	QY_CELL_INT,
	QY_CELL_RATE, /* num/den: TSV 0.1234, others 12.3%; empty when den is 0 */
	QY_CELL_MEAN, /* num/den with the column's decimals; empty when den is 0 */
};

/* How a personal text cell is masked unless --show-personal. */
enum qy_mask { QY_MASK_NONE, QY_MASK_NAME, QY_MASK_PHONE };

struct qy_cell {
	enum qy_cell_kind kind;
	enum qy_mask mask;
	char *text;	    /* TEXT: owned; TERM: the key (owned) */
	const char *domain; /* TERM: what kind of code ("category", "tier", …) */
	int64_t num;	    /* INT: the value; RATE, MEAN: numerator */
	int64_t den;	    /* RATE, MEAN: denominator */
	int decimals;	    /* MEAN: digits after the point */
};

struct qy_col {
	const char *key; /* TSV column name, snake_case */
	const char *zh;	 /* header in the other formats */
	const char *en;
};

/* A bar chart (HTML only): one bar a row, the label from label_col, the
 * length from value_col (an INT, RATE or MEAN column).  The total row, if
 * any, is left out. */
struct qy_chart {
	int label_col; /* -1: no chart */
	int value_col;
	int label_col2; /* a second label column joined to the first, or -1 */
	double max;	/* the value of a full-length bar; 0: the largest (rates: 100 %) */
};

struct qy_tab {
	const char *id; /* TSV section name */
	int section;	/* index into the document's sections */
	const char *zh; /* title */
	const char *en;
	struct qy_col *cols; /* owned copies of the descriptors */
	size_t ncols;
	struct qy_cell *cells; /* nrows × ncols, row-major */
	size_t nrows, cap;
	int total_row; /* 1: the last row is a total */
	struct qy_chart chart;
	const char *note_zh; /* a remark under the table, or NULL */
	const char *note_en;
	char **own; /* strings the table owns (titles, keys built at run time) */
	size_t nown;
};

/* A column list is written as a static array of struct qy_col. */
struct qy_tab *qy_tab_new(const char *id, const char *zh, const char *en, const struct qy_col *cols,
			  size_t ncols);
void qy_tab_free(struct qy_tab *t);
/* Keeps a copy of s for as long as the table lives and returns it. */
const char *qy_tab_own(struct qy_tab *t, const char *s);
/* Appends an empty row and returns its first cell. */
struct qy_cell *qy_tab_row(struct qy_tab *t);
struct qy_cell *qy_tab_cell(const struct qy_tab *t, size_t row, size_t col);

void qy_cell_text(struct qy_cell *c, const char *p, size_t n, enum qy_mask mask);
void qy_cell_term(struct qy_cell *c, const char *domain, const char *key);
/* A group's key: its text, or when empty a term that TSV writes empty and
 * the other formats as （空） / (blank). */
void qy_cell_key(struct qy_cell *c, const char *p, size_t n, enum qy_mask mask);
void qy_cell_int(struct qy_cell *c, int64_t v);
void qy_cell_rate(struct qy_cell *c, int64_t num, int64_t den);
void qy_cell_mean(struct qy_cell *c, int64_t num, int64_t den, int decimals);

/* Writes num/den rounded half away from zero to decimals digits (den > 0). */
void qy_fmt_ratio(struct qy_buf *b, int64_t num, int64_t den, int decimals);

/* How a format writes cells. */
struct qy_cell_style {
	enum qy_lang lang;
	int machine;	   /* 1: TSV (keys, fractions); 0: labels, percentages */
	int show_personal; /* 1: personal text unmasked */
};
/* Appends the cell as the style writes it (no escaping of any format). */
void qy_cell_format(struct qy_buf *b, const struct qy_cell *c, const struct qy_cell_style *st);
/* 1 for cells right-aligned in tables (numbers). */
int qy_cell_is_number(const struct qy_cell *c);
/* The cell's value as a double, for chart lengths: RATE is a fraction. */
double qy_cell_value(const struct qy_cell *c);

/* Masks: 13812345678 → 138****5678; 张三 → 张*. */
void qy_mask_phone(struct qy_buf *b, const char *p, size_t n);
void qy_mask_name(struct qy_buf *b, const char *p, size_t n);

/* The label of a code of a domain in a language: ("category", "gov") → 政务,
 * tiers, reasons, grades, stars, metric names …; the key itself when there
 * is none. */
const char *qy_term_label(const char *domain, const char *key, enum qy_lang lang);

/* 1 for a row the formats for people leave out: the title in the "report"
 * table, which they show as the heading. */
int qy_row_hidden(const struct qy_tab *t, size_t row);

/* The formats of SPEC 6. */
enum qy_format { QY_FMT_TSV, QY_FMT_TEXT, QY_FMT_MD, QY_FMT_CSV, QY_FMT_HTML };

struct qy_section {
	const char *id; /* demand, match, member, branch */
	const char *zh;
	const char *en;
};

/* A whole report: the title, the facts about the run (as-of date, month,
 * inputs) and the tables, in order, each in one of the sections. */
struct qy_doc {
	const char *title;
	struct qy_tab *meta;   /* key (TERM, domain "meta") and value, TSV section "report" */
	struct qy_tab *inputs; /* file, kind, rows, skipped: TSV section "inputs" */
	struct qy_tab **tabs;
	size_t ntabs;
	const struct qy_section *sections;
	size_t nsections;
};

struct qy_out;

/* Writes doc in format f.  The writers never fail: output errors are
 * qy_out's business (fatal, or quiet on a closed pipe). */
void qy_write_doc(struct qy_out *o, const struct qy_doc *doc, enum qy_format f,
		  const struct qy_cell_style *st);
void qy_write_tsv(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st);
void qy_write_text(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st);
void qy_write_md(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st);
void qy_write_csv(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st);
void qy_write_html(struct qy_out *o, const struct qy_doc *doc, const struct qy_cell_style *st);

#endif
