/* report.h — qy-report (SPEC 6): summaries of demands, match output, member
 * and branch scores, in tsv, text, md, csv or html.
 *
 * The command is a thin shell around qy_report_run: it parses the options
 * into a struct qy_report_opts and names the inputs. */
#ifndef QY_REPORT_H
#define QY_REPORT_H

#include <stddef.h>

#include "report_tab.h"
#include "value.h"

struct qy_diag;
struct qy_out;

enum { QY_REPORT_MAX_BY = 4 }; /* --by takes at most this many columns */

struct qy_report_opts {
	enum qy_format format;
	const char *by[QY_REPORT_MAX_BY]; /* group columns of the demand table */
	size_t nby;			  /* 0: street */
	int month_y, month_m;		  /* --month; month_y 0 when not given */
	qy_day as_of;
	int as_of_given; /* 0: as_of is the day of the run */
	size_t top;	 /* length of the top lists */
	enum qy_lang lang;
	int show_personal;
	const char *title; /* NULL: the default title */
	int threads;	   /* demand scan: 0 decides, 1 or 2 forces */
};

/* Reads every input (paths; none, or "-", is stdin), recognises each by its
 * header and writes one report to out.  Data problems go through d (exit 1);
 * an unreadable input or an unknown header is fatal. */
void qy_report_run(const struct qy_report_opts *opts, const char *const *paths, size_t npaths,
		   struct qy_out *out, struct qy_diag *d);

/* Parses a format name; -1 when unknown. */
int qy_report_format_parse(const char *s, enum qy_format *f);

#endif
