/* qy-report — summaries of demands, match output and scores (SPEC 6).
 *
 * The options are parsed here; lib/report.c does the work. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "out.h"
#include "report.h"
#include "value.h"

static const char usage_text[] =
    "usage: qy-report [-f text|tsv|md|csv|html] [--by COL[,COL]] [--month YYYY-MM]\n"
    "                 [--as-of DATE] [--top N] [--lang zh|en] [--show-personal]\n"
    "                 [--title TEXT] [-o FILE] [FILE...]\n"
    "       qy-report --help | --version\n";

static const char help_text[] =
    "\n"
    "Summarises qy-TSV inputs, each recognised by its header: demands (qy-ingest\n"
    "-t demand), match output (qy-match), member and branch scores (qy-score).\n"
    "Several inputs make one combined report.  Standard input when no FILE (or -).\n"
    "\n"
    "  -f FORMAT         tsv (default when stdout is not a terminal), text (the\n"
    "                    default on a terminal), md, csv (for Excel), html\n"
    "  --by COL[,COL]    group the demand table by these columns (default street)\n"
    "  --month YYYY-MM   keep demands and match rows submitted in that month\n"
    "  --as-of DATE      the day overdue is judged on (default: today, and the\n"
    "                    report says so)\n"
    "  --top N           length of the top lists (default 10)\n"
    "  --lang zh|en      labels of text, md, csv and html (default zh)\n"
    "  --show-personal   names and phones unmasked (masked: 张*, 138****5678)\n"
    "  --title TEXT      the report's title\n"
    "  -o FILE           write FILE atomically instead of stdout\n"
    "\n"
    "Exit status: 0 clean, 1 some rows reported and skipped, 2 fatal.\n";

enum {
	OPT_BY = 256,
	OPT_MONTH,
	OPT_AS_OF,
	OPT_TOP,
	OPT_LANG,
	OPT_SHOW_PERSONAL,
	OPT_TITLE,
	OPT_HELP,
	OPT_VERSION,
};

static _Noreturn void
usage(void)
{
	fputs(usage_text, stderr);
	exit(QY_EXIT_FATAL);
}

static _Noreturn void
bad_option(struct qy_diag *d, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", d->prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage();
}

static void
parse_by(struct qy_report_opts *o, char *arg, struct qy_diag *d)
{
	o->nby = 0;
	for (char *save = NULL, *col = strtok_r(arg, ",", &save); col != NULL;
	     col = strtok_r(NULL, ",", &save)) {
		if (o->nby == QY_REPORT_MAX_BY)
			bad_option(d, "--by: at most 4 columns, not '%s'", arg);
		for (size_t i = 0; i < o->nby; i++)
			if (strcmp(o->by[i], col) == 0)
				bad_option(d, "--by: column '%s' named twice", col);
		o->by[o->nby++] = col;
	}
	if (o->nby == 0)
		bad_option(d, "--by: no column named%s", "");
}

static void
parse_option(struct qy_report_opts *o, int c, char *arg, struct qy_diag *d)
{
	struct qy_buf why = {0};
	char *end;
	switch (c) {
	case 'f':
		if (qy_report_format_parse(arg, &o->format) != 0)
			bad_option(d, "-f: '%s' is not tsv, text, md, csv or html", arg);
		break;
	case OPT_BY:
		parse_by(o, arg, d);
		break;
	case OPT_MONTH:
		if (qy_month_parse(arg, strlen(arg), &o->month_y, &o->month_m) != 0)
			bad_option(d, "--month: '%s' is not a month YYYY-MM", arg);
		break;
	case OPT_AS_OF:
		if (qy_date_parse(arg, strlen(arg), &o->as_of, &why) != 0)
			bad_option(d, "--as-of: '%s' is not a date (YYYY-MM-DD)", arg);
		o->as_of_given = 1;
		break;
	case OPT_TOP:
		o->top = (size_t)strtoul(arg, &end, 10);
		if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || o->top > 1000000)
			bad_option(d, "--top: '%s' is not a number 0..1000000", arg);
		break;
	case OPT_LANG:
		if (strcmp(arg, "zh") != 0 && strcmp(arg, "en") != 0)
			bad_option(d, "--lang: '%s' is not zh or en", arg);
		o->lang = arg[0] == 'e' ? QY_LANG_EN : QY_LANG_ZH;
		break;
	case OPT_SHOW_PERSONAL:
		o->show_personal = 1;
		break;
	case OPT_TITLE:
		o->title = arg;
		break;
	}
	qy_buf_free(&why);
}

static qy_day
today(struct qy_diag *d)
{
	time_t now = time(NULL);
	struct tm tm;
	qy_day day;
	if (localtime_r(&now, &tm) == NULL ||
	    qy_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day) != 0)
		qy_fatal(d, "cannot tell today's date; give --as-of");
	return day;
}

static int
threads_from_env(struct qy_diag *d)
{
	/* A knob for tests and benchmarks: 1 or 2 threads for the demand scan. */
	const char *s = getenv("QY_REPORT_THREADS");
	if (s == NULL || s[0] == '\0')
		return 0;
	if (strcmp(s, "1") != 0 && strcmp(s, "2") != 0)
		qy_fatal(d, "QY_REPORT_THREADS is '%s'; it must be 1 or 2", s);
	return s[0] - '0';
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"as-of", required_argument, NULL, OPT_AS_OF},
	    {"by", required_argument, NULL, OPT_BY},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"lang", required_argument, NULL, OPT_LANG},
	    {"month", required_argument, NULL, OPT_MONTH},
	    {"show-personal", no_argument, NULL, OPT_SHOW_PERSONAL},
	    {"title", required_argument, NULL, OPT_TITLE},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct qy_diag d;
	qy_diag_init(&d, "qy-report");
	struct qy_report_opts o;
	memset(&o, 0, sizeof o);
	o.top = 10;
	const char *output = NULL;
	int format_given = 0, c;
	opterr = 0; /* our own messages, without the path the program was run by */
	while ((c = getopt_long(argc, argv, ":f:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? QY_EXIT_OK : QY_EXIT_FATAL;
		case OPT_VERSION:
			return qy_cli_version("qy-report");
		case ':':
		case '?': {
			struct qy_buf msg = {0};
			qy_cli_option_error(&msg, c, argv);
			bad_option(&d, "%s", msg.data);
		}
		default:
			format_given |= c == 'f';
			parse_option(&o, c, optarg, &d);
		}
	}
	if (!format_given)
		o.format = output == NULL && isatty(STDOUT_FILENO) ? QY_FMT_TEXT : QY_FMT_TSV;
	if (!o.as_of_given)
		o.as_of = today(&d);
	o.threads = threads_from_env(&d);

	struct qy_out out;
	qy_out_open(&out, output, &d);
	qy_report_run(&o, (const char *const *)argv + optind, (size_t)(argc - optind), &out, &d);
	qy_out_close(&out);
	return qy_diag_status(&d);
}
