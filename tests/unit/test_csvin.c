/* test_csvin.c — the CSV reader: libcsv's edge cases, the fast path against
 * libcsv alone, line numbers, sniffing, UTF-16 and qy-TSV inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvin.h"

/* Writes n bytes to a temporary file and returns its path (static buffer). */
static const char *
temp_input(const char *p, size_t n)
{
	static char path[64];
	strcpy(path, "/tmp/qy-test-csvin.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n) {
		perror("temp_input");
		exit(2);
	}
	close(fd);
	return path;
}

/* What render does not show, for comparing the two paths: every other
 * field of each record, the line count at the end, and whether a record
 * with CR or LF in a field says so (quoted; the fast path leaves it 0 for
 * a record on one line, libcsv sets it always, so it is not compared). */
static void
render_detail(const struct qy_csvin *r, const struct qy_csv_batch *b, struct qy_buf *d)
{
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct qy_csv_rec *rec = &b->recs[i];
		qy_buf_printf(d, "%lu:%zu:%zu:%d:%lu:%d", rec->line, rec->field0, rec->nfields,
			      rec->err, rec->err_line, rec->err_byte);
		for (size_t j = 0; j < rec->nfields; j++) {
			const struct qy_csv_field *f = &b->fields[rec->field0 + j];
			const char *v = b->bytes + f->off;
			if (!rec->quoted && (memchr(v, '\r', f->len) || memchr(v, '\n', f->len)))
				qy_buf_adds(d, " CR or LF in a field, quoted not set");
		}
		qy_buf_addc(d, ';');
	}
	qy_buf_printf(d, "#%lu", r->line);
}

/* Renders every record of an input as "LINE[f1|f2]" ("!E" after it for
 * error E), with bytes below 0x20 as \xNN, so one string says it all.  When
 * detail is not NULL, render_detail's string goes there. */
static char *
render_calls(const char *p, size_t n, const struct qy_csvin_opts *o, size_t per_call,
	     struct qy_buf *detail)
{
	const char *path = temp_input(p, n);
	struct qy_csvin r;
	struct qy_buf why = {0}, s = {0};
	if (qy_csvin_open(&r, path, o, &why) != 0) {
		unlink(path);
		if (detail != NULL)
			qy_buf_adds(detail, "open failed");
		return qy_xstrdup("open failed");
	}
	struct qy_csv_batch b = {0};
	/* One record per call also runs the SSE2 scanner where the CPU has
	 * AVX2: render_delim compares each with libcsv then. */
	if (per_call == 1)
		r.avx2 = 0;
	while (qy_csvin_read(&r, &b, per_call, SIZE_MAX, &why) > 0) {
	}
	for (size_t i = 0; i < b.nrecs; i++) {
		const struct qy_csv_rec *rec = &b.recs[i];
		qy_buf_printf(&s, "%lu[", rec->line);
		for (size_t j = 0; j < rec->nfields; j++) {
			const struct qy_csv_field *f = &b.fields[rec->field0 + j];
			if (j > 0)
				qy_buf_addc(&s, '|');
			for (size_t k = 0; k < f->len; k++) {
				unsigned char c = (unsigned char)b.bytes[f->off + k];
				if (c < 0x20)
					qy_buf_printf(&s, "\\x%02X", c);
				else
					qy_buf_addc(&s, (char)c);
			}
		}
		qy_buf_addc(&s, ']');
		if (rec->err)
			qy_buf_printf(&s, "!%d", rec->err);
	}
	if (detail != NULL)
		render_detail(&r, &b, detail);
	qy_csv_batch_free(&b);
	qy_csvin_close(&r);
	qy_buf_free(&why);
	unlink(path);
	return s.data ? s.data : qy_xstrdup("");
}

/* One record per call with the fast path, many with libcsv, unless told. */
static char *
render_opts(const char *p, size_t n, const struct qy_csvin_opts *o, struct qy_buf *detail)
{
	return render_calls(p, n, o, o->mode == QY_CSV_FAST ? 1 : 1000, detail);
}

/* Both paths must give the same, and the fast path the same with one record
 * per call and with many (one scan over many records); returns the fast
 * path's rendering. */
static char *
render_delim(const char *p, size_t n, int delim)
{
	struct qy_csvin_opts o = {.enc = QY_ENC_UTF8, .delim = delim, .mode = QY_CSV_FAST};
	struct qy_buf fast_detail = {0}, slow_detail = {0};
	char *fast = render_opts(p, n, &o, &fast_detail);
	o.mode = QY_CSV_LIBCSV_ONLY;
	char *slow = render_opts(p, n, &o, &slow_detail);
	o.mode = QY_CSV_FAST;
	struct qy_buf many_detail = {0};
	char *many = render_calls(p, n, &o, 1000, &many_detail);
	if (strcmp(many, fast) != 0 || strcmp(many_detail.data, fast_detail.data) != 0) {
		printf("  the fast path differs with one record per call and many: %.200s, "
		       "%.200s\n",
		       fast, many);
		free(fast);
		fast = qy_xstrdup("fast path and libcsv differ");
	} else if (strcmp(fast_detail.data, slow_detail.data) != 0) {
		printf("  fast path and libcsv details differ: fast %.200s, libcsv %.200s\n",
		       fast_detail.data, slow_detail.data);
		free(fast);
		fast = qy_xstrdup("fast path and libcsv differ");
	} else if (strcmp(fast, slow) != 0) {
		size_t at = 0;
		while (fast[at] == slow[at])
			at++;
		printf("  fast path and libcsv differ at %zu: fast %.60s, libcsv %.60s\n", at,
		       fast + at, slow + at);
		free(fast);
		fast = qy_xstrdup("fast path and libcsv differ");
	}
	free(slow);
	free(many);
	qy_buf_free(&many_detail);
	qy_buf_free(&fast_detail);
	qy_buf_free(&slow_detail);
	return fast;
}

static char *
render(const char *s)
{
	return render_delim(s, strlen(s), ',');
}

#define CHECK_RENDER(in, want)                                                                     \
	do {                                                                                       \
		char *got_ = render(in);                                                           \
		CHECK_STR(got_, want);                                                             \
		free(got_);                                                                        \
	} while (0)

static void
test_plain(void)
{
	CHECK_RENDER("a,b\nc,d\n", "1[a|b]2[c|d]");
	CHECK_RENDER("a,b\nc,d", "1[a|b]2[c|d]"); /* no final line end */
	CHECK_RENDER("a,\n,b", "1[a|]2[|b]");
	CHECK_RENDER("a,", "1[a|]");
	CHECK_RENDER(" a , b \n", "1[ a | b ]"); /* never trimmed */
	CHECK_RENDER("", "");
}

static void
test_quotes(void)
{
	CHECK_RENDER("\"a,b\",c\n", "1[a,b|c]");
	CHECK_RENDER("\"a\"\"b\",\"\"\n", "1[a\"b|]");
	CHECK_RENDER("\"\"\"\"\n", "1[\"]");
	CHECK_RENDER("x,\"a\nb\"\ny,z\n", "1[x|a\\x0Ab]3[y|z]");
	CHECK_RENDER("\"a\tb\",c\n", "1[a\\x09b|c]");
}

/* Doubled quotes in fields before and after the 63rd (undouble_quotes
 * tracks the first 63 fields one by one, the rest together). */
static void
test_many_fields_pairs(void)
{
	struct qy_buf in = {0}, want = {0};
	qy_buf_adds(&want, "1[");
	for (int i = 0; i < 70; i++) {
		const int pair = i == 2 || i == 62 || i == 63 || i == 64 || i == 69;
		if (i > 0) {
			qy_buf_addc(&in, ',');
			qy_buf_addc(&want, '|');
		}
		qy_buf_printf(&in, pair ? "\"%d\"\"x\"" : i % 2 ? "\"%d\"" : "%d", i);
		qy_buf_printf(&want, pair ? "%d\"x" : "%d", i);
	}
	qy_buf_adds(&in, "\n\"a\"\"\"\n");
	qy_buf_adds(&want, "]2[a\"]");
	char *got = render_delim(in.data, in.len, ',');
	CHECK_STR(got, want.data);
	free(got);
	qy_buf_free(&in);
	qy_buf_free(&want);
}

static void
test_line_ends(void)
{
	CHECK_RENDER("a,b\r\nc,d\r\n", "1[a|b]2[c|d]");
	CHECK_RENDER("a,b\rc,d\r", "1[a|b]2[c|d]");
	CHECK_RENDER("a\r\n\r\nb\n", "1[a]2[]3[b]");
	/* Inside quotes CR, LF and CRLF are data, and each one a line. */
	CHECK_RENDER("\"a\r\nb\rc\nd\",e\r\nf\n", "1[a\\x0D\\x0Ab\\x0Dc\\x0Ad|e]5[f]");
	CHECK_RENDER("\"a\"\r\n\"b\"\r\n", "1[a]2[b]");
	CHECK_RENDER("\"a\"\r", "1[a]");
}

static void
test_blank_rows(void)
{
	CHECK_RENDER("a\n\n,\n,,\nb\n", "1[a]2[]3[|]4[||]5[b]");
	CHECK_RENDER("\n\na\n", "1[]2[]3[a]");
	CHECK_RENDER("\"\"\n", "1[]");
}

static void
test_malformed(void)
{
	/* A quote in an unquoted field: the field so far and the rest of the
	 * line become the last field; the next line is a new record. */
	CHECK_RENDER("a\"b,c\nd\n", "1[a\"b,c]!1"
				    "2[d]");
	/* Something after a closing quote. */
	CHECK_RENDER("x,\"a\"b,c\nd\n", "1[x|a\"b,c]!2"
					"2[d]");
	CHECK_RENDER("\"a\" ,b\n", "1[a\" ,b]!2");
	/* Found on the second line of a record. */
	CHECK_RENDER("\"a\nb\"c\nd\n", "1[a\\x0Ab\"c]!2"
				       "3[d]");
	/* An unterminated quote: the rest of the input is one record. */
	CHECK_RENDER("a,b\nc,\"d\ne,f\n", "1[a|b]2[c|d\\x0Ae,f\\x0A]!3");
	CHECK_RENDER("\"", "1[]!3");
}

static void
test_nul(void)
{
	char *got = render_delim("a\0b,c\n\"\0\"\n", 10, ',');
	CHECK_STR(got, "1[a\\x00b|c]2[\\x00]");
	free(got);
}

static void
test_delimiters(void)
{
	char *got = render_delim("a;b,c\n\"x;y\";z\n", 14, ';');
	CHECK_STR(got, "1[a|b,c]2[x;y|z]");
	free(got);
	/* -d tab: quotes work as in CSV, backslashes are data. */
	const char *tab = "a\tb\\n\n\"x\ty\"\tz\n";
	got = render_delim(tab, strlen(tab), '\t');
	CHECK_STR(got, "1[a|b\\n]2[x\\x09y|z]");
	free(got);
}

static void
test_sniff(void)
{
	CHECK(qy_csv_sniff_delim("a,b,c\n", 6) == ',');
	CHECK(qy_csv_sniff_delim("a;b;c,d\n", 8) == ';');
	CHECK(qy_csv_sniff_delim("a\tb\tc\td;e;f,g\n", 14) == '\t');
	CHECK(qy_csv_sniff_delim("a,b;c\n", 6) == ',');		/* ties: , first */
	CHECK(qy_csv_sniff_delim("a\tb;c\n", 6) == ';');	/* then ; */
	CHECK(qy_csv_sniff_delim("\"a,b,c\";d\n", 10) == ';');	/* inside quotes: not counted */
	CHECK(qy_csv_sniff_delim("\r\n\na;b\n", 7) == ';');	/* the first non-empty line */
	CHECK(qy_csv_sniff_delim("a;b\nc,d,e,f\n", 12) == ';'); /* the header line only */
	CHECK(qy_csv_sniff_delim("abc\n", 4) == ',');
	CHECK(qy_csv_sniff_delim("", 0) == ',');
}

static void
test_auto_delim_and_bom(void)
{
	struct qy_csvin_opts o = {.enc = QY_ENC_AUTO, .mode = QY_CSV_FAST};
	char *got = render_opts("\xEF\xBB\xBF"
				"a;b\n1;2\n",
				11, &o, NULL);
	CHECK_STR(got, "1[a|b]2[1|2]");
	free(got);
	/* UTF-16 LE with its BOM: converted, then split. */
	static const char u16le[] = "\xFF\xFE"
				    "a\0;\0b\0\n\0"
				    "\x2D\x4E;\0\"\0x\0\n\0y\0\"\0\n\0";
	got = render_opts(u16le, sizeof u16le - 1, &o, NULL);
	CHECK_STR(got, "1[a|b]2[\xE4\xB8\xAD|x\\x0Ay]");
	free(got);
	static const char u16be[] = "\xFE\xFF"
				    "\0a\0,\0b\0\r\0\n"
				    "\xD8\x3D\xDE\x00\0,\0c";
	got = render_opts(u16be, sizeof u16be - 1, &o, NULL);
	CHECK_STR(got, "1[a|b]2[\xF0\x9F\x98\x80|c]");
	free(got);
	/* A lone surrogate comes out as the byte 0xFF. */
	static const char bad[] = "\xFF\xFE"
				  "a\0\n\0"
				  "\x00\xD8"
				  "b\0";
	got = render_opts(bad, sizeof bad - 1, &o, NULL);
	CHECK_STR(got, "1[a]2[\xFF"
		       "b]");
	free(got);
}

static void
test_rejects_input(void)
{
	/* A rejects file is read as qy-TSV: escapes undone, quotes are data. */
	struct qy_csvin_opts o = {.enc = QY_ENC_AUTO, .mode = QY_CSV_FAST, .detect_rejects = 1};
	const char *in = "source\tline\tcolumn\treason\ta\n"
			 "f\t2\tx\ty\t\"q\" a\\tb\\\\c\\nd\n"
			 "f\t3\tx\ty\tbad\\q\n";
	char *got = render_opts(in, strlen(in), &o, NULL);
	CHECK_STR(
	    got,
	    "1[source|line|column|reason|a]2[f|2|x|y|\"q\" a\\x09b\\c\\x0Ad]3[f|3|x|y|bad\\q]!4");
	free(got);
	/* Without detect_rejects, the same is spreadsheet TSV. */
	o.detect_rejects = 0;
	got = render_opts("source\tline\tcolumn\treason\n\"a\tb\"\n", 32, &o, NULL);
	CHECK_STR(got, "1[source|line|column|reason]2[a\\x09b]");
	free(got);
}

/* Long lines and records across the 1 MiB buffer's end, CR-LF split by it. */
static void
test_big_records(void)
{
	struct qy_buf in = {0}, want = {0};
	unsigned long line = 1;
	for (int i = 0; i < 3000; i++) {
		size_t len = (size_t)(i * 37 % 2000);
		qy_buf_printf(&want, "%lu[", line);
		if (i % 3 == 0) {
			qy_buf_addc(&in, '"');
			for (size_t k = 0; k < len; k++)
				qy_buf_addc(&in, k % 500 == 499 ? '\n' : 'x');
			qy_buf_adds(&in, "\",y\r\n");
			for (size_t k = 0; k < len; k++) {
				qy_buf_adds(&want, k % 500 == 499 ? "\\x0A" : "x");
				line += k % 500 == 499;
			}
		} else {
			for (size_t k = 0; k < len; k++)
				qy_buf_addc(&in, 'z');
			qy_buf_adds(&in, ",y\r\n");
			for (size_t k = 0; k < len; k++)
				qy_buf_addc(&want, 'z');
		}
		qy_buf_adds(&want, "|y]");
		line++;
	}
	char *got = render_delim(in.data, in.len, ',');
	CHECK(strcmp(got, want.data) == 0);
	free(got);
	qy_buf_free(&in);
	qy_buf_free(&want);
}

/* Quoted fields over line ends: split by the fast path now, and it must
 * count every LF, CR and CRLF inside quotes as a line, as libcsv does. */
static void
test_multiline_quoted(void)
{
	CHECK_RENDER("a,\"x\ny\",b\nc\n", "1[a|x\\x0Ay|b]3[c]");
	CHECK_RENDER("\"a,\nb\",c\n", "1[a,\\x0Ab|c]");
	CHECK_RENDER("\"x\"\"\n\"\"y\"\n", "1[x\"\\x0A\"y]");
	CHECK_RENDER("\"\n\"\n", "1[\\x0A]");
	CHECK_RENDER("\"\r\n\"", "1[\\x0D\\x0A]");
	CHECK_RENDER("\"\r\"\r\nz", "1[\\x0D]3[z]");
	CHECK_RENDER("\"a\n\n\nb\",c\n\"d\r\r\"\n", "1[a\\x0A\\x0A\\x0Ab|c]5[d\\x0D\\x0D]");
	CHECK_RENDER("\"a\nb\",\"c\r\nd\"\re\n", "1[a\\x0Ab|c\\x0D\\x0Ad]4[e]");
	/* Malformed after a line end inside quotes: libcsv, from the start. */
	CHECK_RENDER("x\n\"a\nb\" ,c\nd\n", "1[x]2[a\\x0Ab\" ,c]!24[d]");
	CHECK_RENDER("\"a\nb\"\"c\nd\n", "1[a\\x0Ab\"c\\x0Ad\\x0A]!3");
	/* Unterminated, ending in a line end inside quotes. */
	CHECK_RENDER("\"a\n", "1[a\\x0A]!3");
	CHECK_RENDER("\"a\r", "1[a\\x0D]!3");
	CHECK_RENDER("\"a\r\n", "1[a\\x0D\\x0A]!3");
	CHECK_RENDER("z\n\"a\r\nb", "1[z]2[a\\x0D\\x0Ab]!3");
}

/* A multi-line record at every position across the end of the first 1 MiB
 * read, so that each of its bytes (a quote, a CR before its LF, ...) is once
 * the last byte before a refill. */
static void
test_multiline_refill(void)
{
	static const char rec[] = "\"a\r\n\"\"\r\r\n\",\"\n\"\r\nz\r\n";
	static const char want[] = "2[a\\x0D\\x0A\"\\x0D\\x0D\\x0A|\\x0A]7[z]";
	const size_t block = (size_t)1 << 20;
	struct qy_buf in = {0};
	int same = 1;
	for (size_t k = 1; k <= sizeof rec; k++) {
		qy_buf_reset(&in);
		for (size_t i = 0; i + 1 < block - k; i++)
			qy_buf_addc(&in, 'p');
		qy_buf_addc(&in, '\n');
		qy_buf_add(&in, rec, sizeof rec - 1);
		char *got = render_delim(in.data, in.len, ',');
		size_t n = strlen(got), w = sizeof want - 1;
		if (n < w || strcmp(got + n - w, want) != 0) {
			printf("  at %zu bytes before the refill: %.80s\n", k,
			       n > 80 ? got + n - 80 : got);
			same = 0;
		}
		free(got);
	}
	CHECK(same);
	qy_buf_free(&in);
}

/* Records at every position against the scanner's 64-byte blocks, so that
 * the second quote of a pair and the LF of a CRLF (inside and outside
 * quotes) are each once the first byte of a block. */
static void
test_block_edges(void)
{
	struct qy_buf in = {0}, want = {0};
	int same = 1;
	for (size_t pad = 0; pad < 140 && same; pad++) {
		qy_buf_reset(&in);
		qy_buf_reset(&want);
		qy_buf_adds(&want, "1[");
		for (size_t i = 0; i < pad; i++) {
			qy_buf_addc(&in, 'y');
			qy_buf_addc(&want, 'y');
		}
		qy_buf_adds(&in, "\r\n\"q\"\"q\",z\r\n\"\r\n\"\r\n\r\ne\n");
		qy_buf_adds(&want, "]2[q\"q|z]3[\\x0D\\x0A]5[]6[e]");
		char *got = render_delim(in.data, in.len, ',');
		if (strcmp(got, want.data) != 0) {
			printf("  pad %zu: %s\n", pad, got);
			same = 0;
		}
		free(got);
	}
	CHECK(same);
	qy_buf_free(&in);
	qy_buf_free(&want);
}

/* A read stops at max_recs records or once max_bytes field bytes are in the
 * batch, though the scanner could go on. */
static void
test_read_limits(void)
{
	const char *in = "a,b\n\"c\nd\"\ne\r\nf";
	const char *path = temp_input(in, strlen(in));
	struct qy_csvin_opts o = {.enc = QY_ENC_UTF8, .delim = ',', .mode = QY_CSV_FAST};
	struct qy_csvin r;
	struct qy_buf why = {0};
	struct qy_csv_batch b = {0};
	CHECK(qy_csvin_open(&r, path, &o, &why) == 0);
	CHECK(qy_csvin_read(&r, &b, 2, SIZE_MAX, &why) == 2);
	CHECK(b.nrecs == 2 && b.recs[1].line == 2 && b.recs[1].quoted);
	CHECK(qy_csvin_read(&r, &b, 5, 1, &why) == 0); /* the batch is over 1 byte already */
	qy_csv_batch_clear(&b);
	CHECK(qy_csvin_read(&r, &b, 5, 1, &why) == 1);
	CHECK(b.nrecs == 1 && b.recs[0].line == 4);
	qy_csv_batch_clear(&b);
	CHECK(qy_csvin_read(&r, &b, 5, 1, &why) == 1);
	CHECK(b.nrecs == 1 && b.recs[0].line == 5);
	CHECK(qy_csvin_read(&r, &b, 5, SIZE_MAX, &why) == 0);
	qy_csvin_close(&r);
	qy_csv_batch_free(&b);
	qy_buf_free(&why);
	unlink(path);
}

/* Reads an input with the fast path and returns the buffer's size at the
 * end; the last record's error and line go to *last_err and *last_line. */
static size_t
buffer_after_reading(const struct qy_buf *in, int *last_err, unsigned long *last_line)
{
	const char *path = temp_input(in->data, in->len);
	struct qy_csvin_opts o = {.enc = QY_ENC_UTF8, .delim = ',', .mode = QY_CSV_FAST};
	struct qy_csvin r;
	struct qy_buf why = {0};
	struct qy_csv_batch b = {0};
	size_t cap = 0;
	*last_err = -1;
	if (qy_csvin_open(&r, path, &o, &why) == 0) {
		while (qy_csvin_read(&r, &b, 1000, SIZE_MAX, &why) > 0) {
		}
		cap = r.cap;
		if (b.nrecs > 0) {
			*last_err = b.recs[b.nrecs - 1].err;
			*last_line = b.recs[b.nrecs - 1].line;
		}
		qy_csvin_close(&r);
	}
	qy_csv_batch_free(&b);
	qy_buf_free(&why);
	unlink(path);
	return cap;
}

/* A quoted field open over 3 MiB of short lines, closed or not: the fast
 * path hands it to libcsv after a buffer's worth instead of growing its
 * 1 MiB buffer to hold it, and the fields are still libcsv's. */
static void
test_multiline_bound(void)
{
	struct qy_buf in = {0};
	unsigned long lines = 0;
	qy_buf_adds(&in, "a\n\"");
	for (; in.len < (size_t)3 << 20; lines++)
		qy_buf_adds(&in, "yyyyyyy\n");
	int err;
	unsigned long line = 0;
	CHECK(buffer_after_reading(&in, &err, &line) == (size_t)1 << 20);
	CHECK(err == QY_CSV_UNTERMINATED && line == 2);
	char *got = render_delim(in.data, in.len, ',');
	CHECK(strncmp(got, "1[a]2[yyyyyyy\\x0Ayyyyyyy\\x0A", 27) == 0);
	free(got);
	qy_buf_adds(&in, "\",b\nc\n");
	CHECK(buffer_after_reading(&in, &err, &line) == (size_t)1 << 20);
	CHECK(err == 0 && line == 3 + lines); /* c, after the record's lines and its own */
	got = render_delim(in.data, in.len, ',');
	char want[64];
	snprintf(want, sizeof want, "\\x0A|b]%lu[c]", 3 + lines);
	CHECK(strlen(got) > strlen(want) && strcmp(got + strlen(got) - strlen(want), want) == 0);
	free(got);
	qy_buf_free(&in);
}

/* Thousands of random inputs over an alphabet of the bytes that matter:
 * the fast path must split every one exactly as libcsv does. */
static void
test_random_identity(void)
{
	static const char *const pieces[] = {"a",    "b",  ",",	   ";",	 "\"", "\"\"",
					     "\r",   "\n", "\r\n", "\t", " ",  "\xE4\xB8\xAD",
					     "\xFF", "\\", "x,y"};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	unsigned long seed = 42;
	int same = 1;
	struct qy_buf in = {0};
	for (int round = 0; round < 3000 && same; round++) {
		qy_buf_reset(&in);
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		size_t len = (seed >> 33) % 60;
		for (size_t k = 0; k < len; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			/* Quotes rarer than the rest, so that most records are whole. */
			size_t pick = (seed >> 33) % (npieces + 8);
			qy_buf_adds(&in, pick < npieces ? pieces[pick] : "z");
		}
		const int delims[] = {',', ';', '\t'};
		char *got = render_delim(in.data ? in.data : "", in.len, delims[round % 3]);
		same = strcmp(got, "fast path and libcsv differ") != 0;
		free(got);
	}
	CHECK(same);
	qy_buf_free(&in);
}

static void
test_masks(void)
{
	char block[64];
	unsigned seed = 12345;
	const char alphabet[] = "ab,;\"\r\n\t\x80\xff";
	int same = 1;
	for (int round = 0; round < 2000; round++) {
		for (int i = 0; i < 64; i++) {
			seed = seed * 1103515245 + 12345;
			block[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		for (const char *d = ",;\t"; *d; d++) {
			uint64_t want = qy_csv_special_mask_portable(block, *d);
			same &= qy_csv_special_mask(block, *d) == want;
			same &= qy_csv_special_mask_avx2(block, *d) == want;
		}
	}
	CHECK(same);
	memset(block, 'a', sizeof block);
	block[0] = ',';
	block[63] = '\n';
	block[17] = '"';
	CHECK(qy_csv_special_mask(block, ',') == (1 | (UINT64_C(1) << 17) | (UINT64_C(1) << 63)));
	CHECK(qy_csv_special_mask_avx2(block, ',') ==
	      (1 | (UINT64_C(1) << 17) | (UINT64_C(1) << 63)));
	printf("  (AVX2 scanner %s)\n", qy_csv_avx2() ? "tested" : "not tested: no AVX2 here");
}

static void
test_open_errors(void)
{
	struct qy_csvin r;
	struct qy_buf why = {0};
	struct qy_csvin_opts o = {.enc = QY_ENC_AUTO};
	CHECK(qy_csvin_open(&r, "/nonexistent/x.csv", &o, &why) == -1);
	CHECK(why.data != NULL && strstr(why.data, "cannot open /nonexistent/x.csv") != NULL);
	qy_buf_free(&why);
}

int
main(void)
{
	RUN(test_plain);
	RUN(test_quotes);
	RUN(test_many_fields_pairs);
	RUN(test_line_ends);
	RUN(test_blank_rows);
	RUN(test_malformed);
	RUN(test_nul);
	RUN(test_delimiters);
	RUN(test_sniff);
	RUN(test_auto_delim_and_bom);
	RUN(test_rejects_input);
	RUN(test_big_records);
	RUN(test_multiline_quoted);
	RUN(test_multiline_refill);
	RUN(test_block_edges);
	RUN(test_read_limits);
	RUN(test_multiline_bound);
	RUN(test_random_identity);
	RUN(test_masks);
	RUN(test_open_errors);
	return check_report();
}
