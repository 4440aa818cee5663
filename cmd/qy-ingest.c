/* qy-ingest — messy CSV exports in, clean validated qy-TSV out (SPEC 3). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "msg.h"
#include "out.h"
#include "schema.h"

enum {
	OPT_HELP = 256,
	OPT_VERSION,
	OPT_STATS,
	OPT_MAX_FIELD,
	OPT_NO_FAST_PATH, /* hidden: every record through libcsv (the tests' reference) */
	OPT_THREADS,	  /* hidden: 1 or 2 */
};

static void usage(FILE *fp);
static _Noreturn void usage_error(const char *fmt, const char *arg);

static _Noreturn void
bad_option(int c, char **argv)
{
	struct qy_buf msg = {0};
	qy_cli_option_error(&msg, c, argv);
	usage_error("%s", msg.data);
}

static enum qy_enc
parse_encoding(const char *s)
{
	if (strcasecmp(s, "auto") == 0)
		return QY_ENC_AUTO;
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		return QY_ENC_UTF8;
	if (strcasecmp(s, "gb18030") == 0 || strcasecmp(s, "gbk") == 0 ||
	    strcasecmp(s, "gb2312") == 0)
		return QY_ENC_GB18030; /* GBK and GB2312 are subsets of GB18030 */
	usage_error("-e must be auto, utf-8 or gb18030, not '%s'", s);
}

static int
parse_delimiter(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return 0;
	if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0)
		return s[0];
	if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	usage_error("-d must be auto, ',', ';' or tab, not '%s'", s);
}

static size_t
parse_max_field(const char *s)
{
	char *end;
	if (*s < '0' || *s > '9')
		usage_error("--max-field must be a positive number of bytes, not '%s'", s);
	unsigned long long n = strtoull(s, &end, 10);
	if (*end != '\0' || n == 0 || n > SIZE_MAX / 2)
		usage_error("--max-field must be a positive number of bytes, not '%s'", s);
	return (size_t)n;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, OPT_HELP},
	    {"max-field", required_argument, NULL, OPT_MAX_FIELD},
	    {"no-fast-path", no_argument, NULL, OPT_NO_FAST_PATH},
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct qy_diag d;
	qy_diag_init(&d, "qy-ingest");
	struct qy_ingest_opts o = {
	    .csv = {.enc = QY_ENC_AUTO, .delim = 0, .mode = QY_CSV_FAST, .detect_rejects = 1},
	    .max_field = 65536,
	    .threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1,
	};
	const char *type = NULL, *output = NULL;
	int c;
	opterr = 0; /* getopt would name the program by its path */
	while ((c = getopt_long(argc, argv, ":d:e:o:r:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.csv.delim = parse_delimiter(optarg);
			break;
		case 'e':
			o.csv.enc = parse_encoding(optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'r':
			o.rejects = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? QY_EXIT_OK : QY_EXIT_FATAL;
		case OPT_MAX_FIELD:
			o.max_field = parse_max_field(optarg);
			break;
		case OPT_NO_FAST_PATH:
			o.csv.mode = QY_CSV_LIBCSV_ONLY;
			break;
		case OPT_STATS:
			o.stats = 1;
			break;
		case OPT_THREADS:
			o.threads = strcmp(optarg, "1") == 0 ? 1 : 2;
			break;
		case OPT_VERSION:
			return qy_cli_version("qy-ingest");
		default:
			bad_option(c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (type == NULL)
		usage_error("-t TYPE is required%s", "");
	if (strcmp(type, "raw") != 0) {
		o.schema = qy_schema_find(type);
		if (o.schema == NULL)
			usage_error("unknown type '%s' (demand, resource, pair, member, branch, "
				    "activity or raw)",
				    type);
	}
	struct qy_out out;
	qy_out_open(&out, output, &d);
	return qy_ingest_run(&o, argv, (size_t)argc, &out, &d);
}

static _Noreturn void
usage_error(const char *fmt, const char *arg)
{
	fputs("qy-ingest: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	exit(QY_EXIT_FATAL);
}

static void
usage(FILE *fp)
{
	fputs("usage: qy-ingest -t TYPE [-e auto|utf-8|gb18030] [-d auto|,|;|tab] [-r REJECTS]\n"
	      "                 [--stats] [--max-field N] [-o FILE] [FILE...]\n"
	      "       qy-ingest --help | --version\n",
	      fp);
	if (fp != stdout)
		return;
	fputs("\n"
	      "Turns CSV exports (Excel, WPS) into validated qy-TSV of one record type.\n"
	      "Every row is written or rejected with its file, line and reason.\n"
	      "\n"
	      "  -t TYPE         demand, resource, pair, member, branch, activity, or raw\n"
	      "                  (the input's own header, structural checks only)\n"
	      "  -e ENC          input encoding: auto (default: UTF-8 when the first 64 KiB\n"
	      "                  are UTF-8, UTF-16 after its BOM, else GB18030), utf-8, gb18030\n"
	      "  -d DELIM        auto (default: the most frequent of , ; TAB on the header\n"
	      "                  line), ',', ';' or tab\n"
	      "  -r REJECTS      also write rejected rows to REJECTS: TSV with source, line,\n"
	      "                  column, reason and the row's raw fields; fix it and ingest\n"
	      "                  it again\n"
	      "  --stats         print 'read N, accepted A, rejected R, blank B' on stderr\n"
	      "  --max-field N   reject a field over N input bytes (default 65536)\n"
	      "  -o FILE         write FILE atomically instead of stdout\n"
	      "  --help          this text;  --version  the version\n"
	      "\n"
	      "Reads the FILEs named, or stdin when none (or -) is named.\n"
	      "Exit status: 0 every row accepted, 1 some rows rejected, 2 fatal.\n",
	      fp);
}
