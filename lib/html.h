/* html.h — the pieces of qy-report's HTML: escaping and SVG bar charts.
 *
 * The report is one self-contained file: inline CSS, inline SVG, no script,
 * nothing fetched; qy_write_html (report_tab.h) writes the whole document. */
#ifndef QY_HTML_H
#define QY_HTML_H

#include <stddef.h>

struct qy_out;

/* Writes n bytes of text with & < > " ' escaped. */
void qy_html_escape(struct qy_out *o, const char *s, size_t n);

/* One bar of a horizontal bar chart. */
struct qy_bar {
	const char *label; /* UTF-8, shown left of the bar */
	const char *text;  /* the value as printed after the bar */
	double value;	   /* bar length relative to max */
};

/* Writes a <figure>: title as its caption and the <svg> chart's accessible
 * name, one <rect class="bar"> per bar, lengths relative to max (the largest
 * value when max <= 0). */
void qy_html_bar_chart(struct qy_out *o, const char *title, const struct qy_bar *bars, size_t n,
		       double max);

#endif
