/* test_report_scan.c — the demand scanner (lib/report_scan.c) reads exactly
 * what lib/tsv.c reads: the same rows, fields, line numbers and reasons, on
 * random inputs full of TABs, escapes, CRs, ragged and blank lines; and two
 * halves split at a line start read as the whole does. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "report_scan.h"
#include "tsv.h"

static uint64_t rng = 88172645463325252ULL;

static unsigned
next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const pieces[] = {"a",   "bc",  "街道", "1",	 "\\t", "\\n", "\\\\",
				     "\\r", "\\x", "\\",   "\r", " ",	"-",   "2024-06-01"};

static void
random_field(struct qy_buf *b)
{
	unsigned n = next(4);
	for (unsigned i = 0; i < n; i++) {
		unsigned k = next(sizeof pieces / sizeof pieces[0]);
		/* Keep bad pieces rare, so most rows are good. */
		if (k >= 8 && k <= 10 && next(8) != 0)
			k = 0;
		qy_buf_adds(b, pieces[k]);
	}
}

static void
random_file(const char *path, size_t ncols, size_t nrows, int final_lf)
{
	struct qy_buf b = {0};
	for (size_t c = 0; c < ncols; c++)
		qy_buf_printf(&b, "%scol%zu", c ? "\t" : "", c);
	qy_buf_addc(&b, '\n');
	for (size_t r = 0; r < nrows; r++) {
		size_t n = ncols;
		unsigned shape = next(30);
		if (shape == 0)
			n = ncols + 1;
		else if (shape == 1 && ncols > 1)
			n = ncols - 1;
		if (shape == 2) {
			qy_buf_addc(&b, '\n'); /* a blank line */
			continue;
		}
		for (size_t c = 0; c < n; c++) {
			if (c > 0)
				qy_buf_addc(&b, '\t');
			random_field(&b);
		}
		if (r + 1 < nrows || final_lf)
			qy_buf_addc(&b, '\n');
	}
	FILE *f = fopen(path, "wb");
	fwrite(b.data, 1, b.len, f);
	fclose(f);
	qy_buf_free(&b);
}

/* Reads [begin, end) of path with the scanner and compares each line with
 * the next one of t.  Returns the number of mismatches. */
static int
compare_range(struct qy_tsv *t, int fd, off_t begin, off_t end, unsigned long base,
	      const unsigned char *want, int sse2)
{
	struct qy_scan s;
	struct qy_buf w1 = {0}, w2 = {0};
	int bad = 0;
	qy_scan_init(&s, fd, begin, end, t->ncols, (const char *const *)t->cols, want);
	if (sse2)
		s.avx2 = 0; /* the 16-byte path, whatever this processor has */
	for (;;) {
		qy_buf_reset(&w2);
		int r2 = qy_scan_next(&s, &w2);
		if (r2 == QY_TSV_EOF)
			break;
		qy_buf_reset(&w1);
		int r1 = qy_tsv_next(t, &w1);
		if (r1 != r2 || t->line != base + s.lines) {
			printf("  line %lu/%lu: status %d vs %d\n", t->line, base + s.lines, r1,
			       r2);
			bad++;
			break;
		}
		if (r1 == QY_TSV_BAD && strcmp(w1.data, w2.data) != 0) {
			printf("  line %lu: '%s' vs '%s'\n", t->line, w1.data, w2.data);
			bad++;
		}
		for (size_t c = 0; r1 == QY_TSV_ROW && c < t->ncols; c++) {
			if (!want[c])
				continue;
			if (t->fields[c].len != s.fields[c].len ||
			    memcmp(t->fields[c].p, s.fields[c].p, s.fields[c].len) != 0) {
				printf("  line %lu col %zu differs\n", t->line, c);
				bad++;
			}
		}
	}
	qy_scan_free(&s);
	qy_buf_free(&w1);
	qy_buf_free(&w2);
	return bad;
}

static void
test_random_files(void)
{
	char path[] = "/tmp/qy-scan-XXXXXX";
	int tmp = mkstemp(path);
	CHECK(tmp >= 0);
	close(tmp);
	for (int round = 0; round < 300; round++) {
		size_t ncols = 1 + next(6), nrows = next(60);
		random_file(path, ncols, nrows, next(4) != 0);
		unsigned char want[8];
		for (size_t c = 0; c < ncols; c++)
			want[c] = next(3) != 0;
		struct qy_tsv t;
		struct qy_buf why = {0};
		CHECK(qy_tsv_open(&t, path, &why) == 0);
		int fd = open(path, O_RDONLY);
		struct stat st;
		fstat(fd, &st);
		off_t body = qy_scan_line_start(fd, 1, st.st_size);
		/* Whole, or split at a random line start: the same lines either way. */
		off_t mid = qy_scan_line_start(
		    fd, body + (off_t)next((unsigned)(st.st_size - body + 1)), st.st_size);
		int sse2 = round % 2;
		int bad = compare_range(&t, fd, body, mid, 1, want, sse2);
		unsigned long lines_first = t.line - 1;
		bad += compare_range(&t, fd, mid, st.st_size, 1 + lines_first, want, sse2);
		struct qy_buf w = {0};
		CHECK(qy_tsv_next(&t, &w) == QY_TSV_EOF); /* the scanner saw every line */
		CHECK(bad == 0);
		qy_buf_free(&w);
		qy_buf_free(&why);
		close(fd);
		qy_tsv_close(&t);
	}
	unlink(path);
}

static void
test_long_line(void)
{
	/* A line longer than the scanner's buffer makes it grow. */
	char path[] = "/tmp/qy-scan-XXXXXX";
	int fd = mkstemp(path);
	const char head[] = "a\tb\n";
	CHECK(write(fd, head, 4) == 4);
	size_t n = 3u << 20;
	char *big = malloc(n);
	memset(big, 'x', n);
	big[10] = '\t';
	CHECK(write(fd, big, n) == (ssize_t)n);
	CHECK(write(fd, "\nz\ty\n", 5) == 5);
	unsigned char want[2] = {1, 1};
	struct qy_scan s;
	struct qy_buf why = {0};
	qy_scan_init(&s, fd, 4, (off_t)(4 + n + 5), 2, NULL, want);
	CHECK(qy_scan_next(&s, &why) == QY_TSV_ROW);
	CHECK(s.fields[0].len == 10 && s.fields[1].len == n - 11);
	CHECK(qy_scan_next(&s, &why) == QY_TSV_ROW);
	CHECK(s.fields[0].len == 1 && s.fields[0].p[0] == 'z');
	CHECK(qy_scan_next(&s, &why) == QY_TSV_EOF);
	CHECK(s.lines == 2);
	qy_scan_free(&s);
	qy_buf_free(&why);
	free(big);
	close(fd);
	unlink(path);
}

static void
test_line_start(void)
{
	char path[] = "/tmp/qy-scan-XXXXXX";
	int fd = mkstemp(path);
	CHECK(write(fd, "ab\ncd\n\nef", 9) == 9);
	CHECK(qy_scan_line_start(fd, 0, 9) == 0);
	CHECK(qy_scan_line_start(fd, 1, 9) == 3);
	CHECK(qy_scan_line_start(fd, 3, 9) == 3);
	CHECK(qy_scan_line_start(fd, 4, 9) == 6);
	CHECK(qy_scan_line_start(fd, 6, 9) == 6);
	CHECK(qy_scan_line_start(fd, 7, 9) == 7);
	CHECK(qy_scan_line_start(fd, 8, 9) == 9);
	close(fd);
	unlink(path);
}

int
main(void)
{
	RUN(test_random_files);
	RUN(test_long_line);
	RUN(test_line_start);
	return check_report();
}
