/* test_tsv.c — the qy-TSV reader and writer, buffers and checked output. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "msg.h"
#include "out.h"
#include "tsv.h"

static char tmpdir[] = "/tmp/qy-test-tsvXXXXXX";

static const char *
write_file(const char *name, const char *data, size_t n)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
	return path;
}

/* An empty value from a buffer never allocated (NULL, 0) appends nothing
 * and does no arithmetic on the NULL (clang's UBSan caught it, from
 * fuzz_ingest: the rejects file's empty field). */
static void
test_escape_empty(void)
{
	struct qy_buf b = {0};
	qy_tsv_escape(&b, NULL, 0);
	CHECK(b.len == 0);
	qy_buf_free(&b);
}

static void
test_escape_round_trip(void)
{
	const char raw[] = "a\tb\nc\rd\\e 中文";
	struct qy_buf b = {0};
	qy_tsv_escape(&b, raw, sizeof raw - 1);
	CHECK_STR(b.data, "a\\tb\\nc\\rd\\\\e 中文");
	/* Read the escaped form back as a one-column file. */
	struct qy_buf file = {0};
	qy_buf_adds(&file, "col\n");
	qy_buf_add(&file, b.data, b.len);
	qy_buf_addc(&file, '\n');
	const char *path = write_file("rt.tsv", file.data, file.len);
	struct qy_tsv t;
	struct qy_buf why = {0};
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW);
	CHECK(t.fields[0].len == sizeof raw - 1);
	CHECK(memcmp(t.fields[0].p, raw, sizeof raw - 1) == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_EOF);
	qy_tsv_close(&t);
	qy_buf_free(&b);
	qy_buf_free(&file);
	qy_buf_free(&why);
}

static void
test_reader_rows_and_lines(void)
{
	const char data[] = "a\tb\\tx\tc\n1\t2\t3\n\t\t\nx\ty\n4\t5\\q\t6\n7\t8\t9";
	const char *path = write_file("rows.tsv", data, sizeof data - 1);
	struct qy_tsv t;
	struct qy_buf why = {0};
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(t.ncols == 3);
	CHECK_STR(t.cols[1], "b\tx");
	CHECK(qy_tsv_col(&t, "c") == 2);
	CHECK(qy_tsv_col(&t, "nope") == -1);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW);
	CHECK(t.line == 2);
	CHECK_STR(t.fields[2].p, "3");
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW); /* all empty: still a row */
	CHECK(t.fields[0].len == 0 && t.fields[2].len == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_BAD);
	CHECK(t.line == 4);
	CHECK_STR(why.data, "2 fields, the header has 3");
	qy_buf_reset(&why);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_BAD);
	CHECK(t.line == 5);
	CHECK(strstr(why.data, "bad escape '\\q'") != NULL);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW); /* no final newline */
	CHECK(t.line == 6);
	CHECK_STR(t.fields[2].p, "9");
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_EOF);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_EOF);
	qy_tsv_close(&t);
	qy_buf_free(&why);
}

static void
test_reader_rejects(void)
{
	struct qy_tsv t;
	struct qy_buf why = {0};
	const char *path = write_file("crlf.tsv", "a\tb\r\n1\t2\r\n", 10);
	CHECK(qy_tsv_open(&t, path, &why) == -1);
	CHECK(strstr(why.data, "raw CR") != NULL);
	qy_tsv_close(&t);
	qy_buf_reset(&why);

	path = write_file("empty.tsv", "", 0);
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(t.ncols == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_EOF);
	qy_tsv_close(&t);

	path = write_file("header-only.tsv", "x\ty\n", 4);
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(t.ncols == 2);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_EOF);
	qy_tsv_close(&t);

	path = write_file("trailing.tsv", "x\ny\\\n", 5);
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_BAD);
	CHECK(strstr(why.data, "lone backslash") != NULL);
	qy_tsv_close(&t);

	CHECK(qy_tsv_open(&t, "/nonexistent/x.tsv", &why) == -1);
	CHECK(strstr(why.data, "cannot open") != NULL);
	qy_tsv_close(&t);
	qy_buf_free(&why);
}

/* A line longer than the reader's block buffer must come through whole. */
static void
test_reader_long_line(void)
{
	size_t n = 3u << 20;
	struct qy_buf b = {0};
	qy_buf_adds(&b, "k\tv\n1\t");
	qy_buf_grow(&b, n);
	memset(b.data + b.len, 'x', n);
	b.len += n;
	qy_buf_adds(&b, "\n2\tshort\n");
	const char *path = write_file("long.tsv", b.data, b.len);
	struct qy_tsv t;
	struct qy_buf why = {0};
	CHECK(qy_tsv_open(&t, path, &why) == 0);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW);
	CHECK(t.fields[1].len == n);
	CHECK(qy_tsv_next(&t, &why) == QY_TSV_ROW);
	CHECK_STR(t.fields[1].p, "short");
	CHECK(t.line == 3);
	qy_tsv_close(&t);
	qy_buf_free(&b);
	qy_buf_free(&why);
}

static void
test_writer_and_out(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/out.tsv", tmpdir);
	struct qy_diag d;
	qy_diag_init(&d, "test");
	struct qy_out o;
	qy_out_open(&o, path, &d);
	CHECK(access(path, F_OK) != 0); /* -o writes a temporary file first */
	const char *names[] = {"a", "b\tc"};
	qy_tsv_put_header(&o, names, 2);
	struct qy_str row[2] = {{"x\\y", 3}, {"1\n2", 3}};
	for (int i = 0; i < 100000; i++)
		qy_tsv_put_row(&o, row, 2);
	qy_out_close(&o);
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	char line[64];
	CHECK(fgets(line, sizeof line, f) != NULL);
	CHECK_STR(line, "a\tb\\tc\n");
	CHECK(fgets(line, sizeof line, f) != NULL);
	CHECK_STR(line, "x\\\\y\t1\\n2\n");
	fseek(f, 0, SEEK_END);
	CHECK(ftell(f) == 7 + 100000L * 10);
	fclose(f);
	unlink(path);
}

static void
test_buf(void)
{
	struct qy_buf b = {0};
	qy_buf_add_quoted(&b,
			  "a\x01"
			  "b",
			  3);
	CHECK_STR(b.data, "'a\\x01b'");
	qy_buf_reset(&b);
	char long_text[200];
	memset(long_text, 'z', sizeof long_text);
	qy_buf_add_quoted(&b, long_text, sizeof long_text);
	CHECK(b.len == 62 + strlen("…"));
	qy_buf_reset(&b);
	qy_buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(b.data, "42-x");
	qy_buf_free(&b);
	CHECK_STR(qy_input_name(NULL), "<stdin>");
	CHECK_STR(qy_input_name("-"), "<stdin>");
	CHECK_STR(qy_input_name("a.tsv"), "a.tsv");
}

/* A tiny deterministic generator for the random files below. */
static unsigned long rng_state = 88172645463325252UL;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* Random qy-TSV with good rows, ragged rows, escapes, bad escapes, raw CRs,
 * blank lines and long fields; sometimes no final newline. */
static void
random_tsv(struct qy_buf *b)
{
	static const char *const pieces[] = {"a",    "街道", "12", "\\t", "\\n",
					     "\\\\", "\\x",  "\r", " ",	  "2024-06-01"};
	qy_buf_reset(b);
	size_t ncols = 1 + rnd(5);
	for (size_t c = 0; c < ncols; c++)
		qy_buf_printf(b, "%sc%zu", c ? "\t" : "", c);
	qy_buf_addc(b, '\n');
	size_t rows = rnd(400);
	for (size_t r = 0; r < rows; r++) {
		size_t n = ncols + (rnd(25) == 0) - (rnd(25) == 0 && ncols > 1);
		for (size_t c = 0; c < n; c++) {
			if (c)
				qy_buf_addc(b, '\t');
			for (unsigned k = rnd(4); k > 0; k--) {
				unsigned p = rnd(10);
				if ((p == 6 || p == 7) && rnd(10) != 0)
					p = 0; /* keep the bad pieces rare */
				qy_buf_adds(b, pieces[p]);
			}
			if (rnd(200) == 0) /* now and then a field longer than a block */
				for (int k = 0; k < 5000; k++)
					qy_buf_adds(b, "0123456789");
		}
		if (r + 1 < rows || rnd(2))
			qy_buf_addc(b, '\n');
	}
}

/* Appends one read's outcome (status, line, fields or reason) to log. */
static void
log_row(struct qy_buf *log, int rc, unsigned long line, const struct qy_tsv *t,
	const struct qy_buf *why)
{
	qy_buf_printf(log, "%d@%lu:", rc, line);
	if (rc == QY_TSV_ROW)
		for (size_t i = 0; i < t->ncols; i++) {
			qy_tsv_escape(log, t->fields[i].p, t->fields[i].len);
			qy_buf_addc(log, '|');
		}
	else
		qy_buf_adds(log, why->data ? why->data : "");
	qy_buf_addc(log, '\n');
}

/* Reads rows until the end; line numbers shifted by base. */
static unsigned long
read_all(struct qy_tsv *t, unsigned long base, struct qy_buf *log)
{
	struct qy_buf why = {0};
	int rc;
	while (qy_buf_reset(&why), (rc = qy_tsv_next(t, &why)) != QY_TSV_EOF)
		log_row(log, rc, base + t->line, t, &why);
	unsigned long lines = t->line;
	qy_buf_free(&why);
	return lines;
}

/* Split at random line starts, the ranges read exactly what the whole does. */
static void
test_ranges(void)
{
	struct qy_buf file = {0}, whole = {0}, parts = {0}, why = {0};
	for (int round = 0; round < 300; round++) {
		random_tsv(&file);
		const char *path = write_file("range.tsv", file.data, file.len);
		struct qy_tsv t;
		CHECK(qy_tsv_open(&t, path, &why) == 0);
		qy_buf_reset(&whole);
		read_all(&t, 0, &whole);
		qy_tsv_close(&t);

		CHECK(qy_tsv_open(&t, path, &why) == 0);
		off_t body = qy_tsv_body_offset(&t);
		off_t size = (off_t)file.len;
		off_t cuts[4] = {body, 0, 0, size};
		for (int i = 1; i <= 2; i++)
			cuts[i] =
			    qy_tsv_line_start(&t, body + (off_t)rnd((unsigned)(size - body + 1)));
		if (cuts[1] > cuts[2]) {
			off_t x = cuts[1];
			cuts[1] = cuts[2];
			cuts[2] = x;
		}
		qy_buf_reset(&parts);
		unsigned long base = 1;
		for (int i = 0; i < 3; i++) {
			struct qy_tsv r;
			qy_tsv_open_range(&r, &t, cuts[i], cuts[i + 1]);
			base += read_all(&r, base, &parts);
			qy_tsv_close(&r);
		}
		qy_tsv_close(&t);
		CHECK(body > 0);
		CHECK(whole.len == parts.len && memcmp(whole.data, parts.data, whole.len) == 0);
	}
	qy_buf_free(&file);
	qy_buf_free(&whole);
	qy_buf_free(&parts);
	qy_buf_free(&why);
}

/* A pipe has no byte ranges. */
static void
test_no_ranges_on_a_pipe(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "a\n1\n", 4) == 4);
	close(p[1]);
	int saved = dup(STDIN_FILENO);
	dup2(p[0], STDIN_FILENO);
	struct qy_tsv t;
	struct qy_buf why = {0};
	CHECK(qy_tsv_open(&t, "-", &why) == 0);
	CHECK(qy_tsv_body_offset(&t) == -1);
	qy_tsv_close(&t);
	dup2(saved, STDIN_FILENO);
	close(saved);
	close(p[0]);
	qy_buf_free(&why);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 2;
	RUN(test_escape_empty);
	RUN(test_escape_round_trip);
	RUN(test_reader_rows_and_lines);
	RUN(test_reader_rejects);
	RUN(test_reader_long_line);
	RUN(test_writer_and_out);
	RUN(test_buf);
	RUN(test_ranges);
	RUN(test_no_ranges_on_a_pipe);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 2;
	return check_report();
}
