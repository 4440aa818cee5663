/* qy-match — dispatch open demands to resources, exactly (SPEC 4).
 *
 *   qy-match -r resources.tsv -p pairs.tsv --as-of 2024-06-30 demands.tsv > dispatch.tsv
 *
 * Options and wiring only; the work is lib/match*.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "buf.h"
#include "match.h"
#include "msg.h"
#include "out.h"
#include "value.h"

static const char usage_text[] =
    "usage: qy-match -r RESOURCES [-p PAIRS] [--as-of DATE] [-w NAME=VALUE]...\n"
    "                [--explain] [-o FILE] [DEMANDS...]\n"
    "       qy-match --help | --version\n";

static const char help_text[] =
    "\n"
    "Dispatches every open demand's units to eligible resources (qy-TSV in, qy-TSV\n"
    "out): the most critical units first, then urgent, then normal, then the largest\n"
    "total score, never beyond a resource's capacity less what claimed demands hold.\n"
    "What cannot be served comes back with a reason and whom to escalate to.\n"
    "\n"
    "  -r FILE          resources (required)\n"
    "  -p FILE          pairings of communities with units (\"1+1\")\n"
    "  --as-of DATE     the dispatch date (default: today, said on stderr)\n"
    "  -w NAME=VALUE    a score weight, -1000..1000: community (30), street (15),\n"
    "                   district (0), paired (20), keyword (25), wait (2 a week)\n"
    "  --explain        add a column why, in words\n"
    "  -o FILE          write FILE atomically instead of stdout\n"
    "  DEMANDS          demand files (default: stdin); all with the same header\n"
    "\n"
    "Output columns: demand_id resource_id unit units score tier paired keyword\n"
    "district street community category priority submitted reason escalate [why].\n"
    "Exit status: 0 clean, 1 data problems reported, 2 usage or fatal error.\n";

static _Noreturn void
usage(int status)
{
	if (status == 0) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		if (fflush(stdout) != 0 || ferror(stdout))
			exit(2);
		exit(0);
	}
	fputs(usage_text, stderr);
	exit(status);
}

static _Noreturn void
usage_error(const char *fmt, const char *arg)
{
	fputs("qy-match: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(2);
}

static qy_day
today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	qy_day day = 0;
	localtime_r(&now, &tm);
	qy_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	return day;
}

enum { OPT_AS_OF = 256, OPT_EXPLAIN, OPT_HELP, OPT_VERSION };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"as-of", required_argument, NULL, OPT_AS_OF},
	    {"explain", no_argument, NULL, OPT_EXPLAIN},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct qy_match_opts opts = {0};
	const char *resources = NULL, *pairs = NULL, *output = NULL;
	int have_as_of = 0, c;
	struct qy_buf why = {0};
	qy_match_default_weights(&opts.w);
	opterr = 0; /* our own messages: argv[0] may be a long path */
	while ((c = getopt_long(argc, argv, ":o:p:r:w:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'p':
			pairs = optarg;
			break;
		case 'r':
			resources = optarg;
			break;
		case 'w':
			if (qy_match_set_weight(&opts.w, optarg, &why) != 0)
				usage_error("%s", why.data);
			break;
		case OPT_AS_OF:
			if (qy_date_parse(optarg, strlen(optarg), &opts.as_of, &why) != 0)
				usage_error("--as-of: %s", why.data);
			have_as_of = 1;
			break;
		case OPT_EXPLAIN:
			opts.explain = 1;
			break;
		case OPT_HELP:
			usage(0);
		case OPT_VERSION:
			return qy_cli_version("qy-match");
		default: {
			struct qy_buf msg = {0};
			qy_cli_option_error(&msg, c, argv);
			usage_error("%s", msg.data);
		}
		}
	}
	argc -= optind;
	argv += optind;
	if (resources == NULL)
		usage_error("%s", "-r RESOURCES is required");
	int stdin_users = (strcmp(resources, "-") == 0) + (pairs && strcmp(pairs, "-") == 0);
	for (int i = 0; i < argc; i++)
		stdin_users += strcmp(argv[i], "-") == 0;
	stdin_users += argc == 0;
	if (stdin_users > 1)
		usage_error("%s", "only one input can be stdin");

	struct qy_diag d;
	qy_diag_init(&d, "qy-match");
	if (!have_as_of) {
		char day[11];
		opts.as_of = today();
		qy_date_format(opts.as_of, day);
		qy_note(&d, "no --as-of: dispatching as of today, %s", day);
	}
	struct qy_out out;
	qy_out_open(&out, output, &d);
	struct qy_match *m = qy_match_new(&opts, &d);
	qy_match_read_resources(m, resources);
	if (pairs != NULL)
		qy_match_read_pairs(m, pairs);
	qy_match_read_demands(m, (const char *const *)argv, argc);
	qy_match_solve(m);
	qy_match_write(m, &out);
	qy_out_close(&out);
	qy_match_free(m);
	qy_buf_free(&why);
	return qy_diag_status(&d);
}
