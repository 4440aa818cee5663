/* csvread-bench — the plain libcsv read loop that qy-ingest's speed is
 * measured against (scripts/bench-ingest.sh): fread 64 KiB blocks, csv_parse
 * with callbacks that only count, csv_fini.  The parser options are the ones
 * qy-ingest uses (strict, every row end reported, no space trimming), so the
 * comparison is libcsv alone against qy-ingest's whole job.
 *
 *   csvread-bench [FILE]     prints "BYTES bytes, FIELDS fields, ROWS rows" */
#include <csv.h>
#include <stdio.h>
#include <string.h>

struct counts {
	unsigned long long fields, rows;
};

static void
on_field(void *p, size_t n, void *data)
{
	(void)p;
	(void)n;
	((struct counts *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

int
main(int argc, char **argv)
{
	FILE *f = stdin;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--help") == 0)) {
		fputs("usage: csvread-bench [FILE]\n", argc > 2 ? stderr : stdout);
		return argc > 2 ? 2 : 0;
	}
	if (argc == 2 && (f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	struct csv_parser p;
	struct counts c = {0, 0};
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
	csv_set_space_func(&p, never_space);
	static char buf[1 << 16];
	unsigned long long bytes = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		bytes += n;
		if (csv_parse(&p, buf, n, on_field, on_row, &c) != n) {
			fprintf(stderr, "csvread-bench: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	if (ferror(f)) {
		perror("csvread-bench: read");
		return 2;
	}
	if (csv_fini(&p, on_field, on_row, &c) != 0) {
		fprintf(stderr, "csvread-bench: %s\n", csv_strerror(csv_error(&p)));
		return 1;
	}
	csv_free(&p);
	printf("%llu bytes, %llu fields, %llu rows\n", bytes, c.fields, c.rows);
	return 0;
}
