/* qy-score — the vanguard index per member, the bastion index per branch
 * (SPEC 5).  Options and files here; the work is lib/score*.c and
 * lib/rules.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "out.h"
#include "rules.h"
#include "score.h"
#include "value.h"

static const char usage_text[] =
    "usage: qy-score --level member|branch [-m MEMBERS] [-b BRANCHES] [-d DEMANDS]\n"
    "                [-R RULES] [-o FILE] (--month YYYY-MM | --from DATE --to DATE)\n"
    "                [ACTIVITY...]\n"
    "       qy-score [-R RULES] [-o FILE] --print-rules\n"
    "       qy-score --help | --version\n";

static const char help_text[] =
    "Scores party members (vanguard index, 先锋指数) or branches (bastion index,\n"
    "堡垒指数) from an activity log in qy-TSV, for a month or a period.\n"
    "\n"
    "  --level member|branch  one row per member, or per branch\n"
    "  --month YYYY-MM        the period is that calendar month\n"
    "  --from DATE --to DATE  the period is these days (months count whole)\n"
    "  -m MEMBERS             the member roster (member_id, name, branch_id, member_kind)\n"
    "  -b BRANCHES            the branch roster (branch_id, name, street, community)\n"
    "  -d DEMANDS             demands: the service component of the bastion index\n"
    "  -R RULES               rules TSV instead of the built-in rules\n"
    "  -o FILE                write FILE atomically instead of stdout\n"
    "  --print-rules          write the rules in force as a rules TSV\n"
    "  --help, --version\n"
    "\n"
    "ACTIVITY files (qy-TSV, one header) are read in order; none or - is stdin.\n"
    "Exit status: 0 clean, 1 data problems reported (rows skipped), 2 fatal.\n";

struct options {
	int level; /* enum qy_level, or -1 */
	const char *month, *from, *to;
	const char *members, *branches, *demands, *rules, *output;
	int print_rules;
};

static _Noreturn void
usage_error(const char *fmt, const char *arg)
{
	fputs("qy-score: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	exit(QY_EXIT_FATAL);
}

static _Noreturn void
bad_option(int c, char **argv)
{
	struct qy_buf msg = {0};
	qy_cli_option_error(&msg, c, argv);
	usage_error("%s", msg.data);
}

static void
set_once(const char **slot, const char *flag, const char *value)
{
	if (*slot != NULL)
		usage_error("%s given twice", flag);
	*slot = value;
}

enum { OPT_LEVEL = 256, OPT_MONTH, OPT_FROM, OPT_TO, OPT_PRINT_RULES, OPT_HELP, OPT_VERSION };

static const struct option long_options[] = {
    {"from", required_argument, NULL, OPT_FROM},
    {"help", no_argument, NULL, OPT_HELP},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"month", required_argument, NULL, OPT_MONTH},
    {"print-rules", no_argument, NULL, OPT_PRINT_RULES},
    {"to", required_argument, NULL, OPT_TO},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static void
parse_level(struct options *op, const char *arg)
{
	if (op->level >= 0)
		usage_error("%s given twice", "--level");
	if (strcmp(arg, "member") == 0)
		op->level = QY_LEVEL_MEMBER;
	else if (strcmp(arg, "branch") == 0)
		op->level = QY_LEVEL_BRANCH;
	else
		usage_error("--level: '%s' is not member or branch", arg);
}

static int
parse_options(struct options *op, int argc, char **argv)
{
	memset(op, 0, sizeof *op);
	op->level = -1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":b:d:m:o:R:", long_options, NULL)) != -1) {
		switch (c) {
		case 'b':
			set_once(&op->branches, "-b", optarg);
			break;
		case 'd':
			set_once(&op->demands, "-d", optarg);
			break;
		case 'm':
			set_once(&op->members, "-m", optarg);
			break;
		case 'o':
			set_once(&op->output, "-o", optarg);
			break;
		case 'R':
			set_once(&op->rules, "-R", optarg);
			break;
		case OPT_FROM:
			set_once(&op->from, "--from", optarg);
			break;
		case OPT_LEVEL:
			parse_level(op, optarg);
			break;
		case OPT_MONTH:
			set_once(&op->month, "--month", optarg);
			break;
		case OPT_PRINT_RULES:
			op->print_rules = 1;
			break;
		case OPT_TO:
			set_once(&op->to, "--to", optarg);
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			exit(fflush(stdout) == 0 && !ferror(stdout) ? QY_EXIT_OK : QY_EXIT_FATAL);
		case OPT_VERSION:
			exit(qy_cli_version("qy-score"));
		default:
			bad_option(c, argv);
		}
	}
	return optind;
}

static void
parse_date_arg(const char *flag, const char *arg, int *y, int *m, int *d)
{
	struct qy_buf why = {0};
	qy_day day;
	if (qy_date_parse(arg, strlen(arg), &day, &why) != 0) {
		fprintf(stderr, "qy-score: %s: %s\n", flag, why.data);
		fputs(usage_text, stderr);
		exit(QY_EXIT_FATAL);
	}
	qy_date_to_ymd(day, y, m, d);
}

static void
parse_period(const struct options *op, struct qy_period *p)
{
	if (op->month != NULL && (op->from != NULL || op->to != NULL))
		usage_error("%s", "--month and --from/--to do not go together");
	if (op->month != NULL) {
		int y, m;
		if (qy_month_parse(op->month, strlen(op->month), &y, &m) != 0 ||
		    qy_period_month(p, y, m) != 0)
			usage_error("--month: '%s' is not a month (YYYY-MM)", op->month);
		return;
	}
	if (op->from == NULL || op->to == NULL)
		usage_error("%s",
			    "a period is required: --month YYYY-MM, or --from DATE --to DATE");
	int y1, m1, d1, y2, m2, d2;
	parse_date_arg("--from", op->from, &y1, &m1, &d1);
	parse_date_arg("--to", op->to, &y2, &m2, &d2);
	if (qy_period_set(p, y1, m1, d1, y2, m2, d2) != 0) {
		char msg[80];
		snprintf(msg, sizeof msg, "--from %04d-%02d-%02d is after --to %04d-%02d-%02d", y1,
			 m1, d1, y2, m2, d2);
		usage_error("%s", msg);
	}
	/* Memory is members × months × kinds: a typo like --from 1024-01-01
	 * should not ask for gigabytes. */
	if (p->months > QY_PERIOD_MAX_MONTHS) {
		char msg[80];
		snprintf(msg, sizeof msg, "the period spans %ld months; at most %d", p->months,
			 QY_PERIOD_MAX_MONTHS);
		usage_error("%s", msg);
	}
}

int
main(int argc, char **argv)
{
	struct options op;
	struct qy_diag d;
	struct qy_out out;
	struct qy_rules rules;
	qy_diag_init(&d, "qy-score");
	int first = parse_options(&op, argc, argv);
	struct qy_score_opts so = {0};
	if (!op.print_rules) {
		if (op.level < 0)
			usage_error("%s", "--level member|branch is required");
		parse_period(&op, &so.period);
	}
	if (op.rules != NULL)
		qy_rules_load(&rules, op.rules, &d);
	else
		qy_rules_load_default(&rules, &d);
	qy_out_open(&out, op.output, &d);
	if (op.print_rules) {
		qy_rules_print(&rules, &out);
	} else {
		so.level = (enum qy_level)op.level;
		so.rules = &rules;
		so.diag = &d;
		struct qy_score *s = qy_score_new(&so);
		if (op.branches != NULL)
			qy_score_read_branches(s, op.branches);
		if (op.members != NULL)
			qy_score_read_members(s, op.members);
		if (op.demands != NULL && so.level == QY_LEVEL_BRANCH)
			qy_score_read_demands(s, op.demands);
		if (first == argc)
			qy_score_read_activity(s, NULL);
		for (int i = first; i < argc; i++)
			qy_score_read_activity(s, argv[i]);
		qy_score_write(s, &out);
		qy_score_free(s);
	}
	qy_out_close(&out);
	qy_rules_free(&rules);
	return qy_diag_status(&d);
}
