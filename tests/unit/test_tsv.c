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

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 2;
	RUN(test_escape_round_trip);
	RUN(test_reader_rows_and_lines);
	RUN(test_reader_rejects);
	RUN(test_reader_long_line);
	RUN(test_writer_and_out);
	RUN(test_buf);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 2;
	return check_report();
}
