/* test_report_write.c — the writers: text tables line up by display width
 * (a CJK character is two columns), CSV is what Excel needs (BOM, CRLF,
 * quoting, formula guard), and TSV blocks are well-formed qy-TSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "msg.h"
#include "out.h"
#include "report_tab.h"
#include "textw.h"

static const struct qy_section sections[] = {{"demand", "需求办理", "Demands"}};

static struct qy_tab *
sample_table(void)
{
	static const struct qy_col cols[] = {
	    {"street", "街道", "street"},
	    {"received", "受理", "received"},
	    {"completion_rate", "办结率", "completion"},
	    {"note", "备注", "note"},
	};
	static const char *const streets[] = {"梅园新村街道", "Zhongshan Rd", "江东", "=cmd"};
	static const char *const notes[] = {"@home", "-1", "a,b \"q\"", "ａｂｃ全角"};
	struct qy_tab *t = qy_tab_new("demands", "需求", "Demands", cols, 4);
	for (int i = 0; i < 4; i++) {
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_text(&row[0], streets[i], strlen(streets[i]), QY_MASK_NONE);
		qy_cell_int(&row[1], 7 * i * i * i + 1);
		qy_cell_rate(&row[2], i, 3);
		qy_cell_text(&row[3], notes[i], strlen(notes[i]), QY_MASK_NONE);
	}
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "group", "total");
	qy_cell_int(&row[1], 1000);
	t->total_row = 1;
	return t;
}

/* Writes the document in format f to a temporary file and returns its bytes. */
static char *
written(enum qy_format f, size_t *len)
{
	char path[] = "/tmp/qy-report-write-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct qy_diag d;
	qy_diag_init(&d, "test");
	static const struct qy_col kv[] = {{"key", "项目", "item"}, {"value", "内容", "value"}};
	struct qy_tab *meta = qy_tab_new("report", "报告", "Report", kv, 2);
	struct qy_tab *inputs = qy_tab_new("inputs", "输入", "Inputs", kv, 2);
	struct qy_tab *t = sample_table();
	struct qy_doc doc = {"标题", meta, inputs, &t, 1, sections, 1};
	struct qy_cell_style st = {QY_LANG_ZH, 0, 0};
	struct qy_out o;
	qy_out_open(&o, path, &d);
	qy_write_doc(&o, &doc, f, &st);
	qy_out_close(&o);
	qy_tab_free(meta);
	qy_tab_free(inputs);
	qy_tab_free(t);
	FILE *in = fopen(path, "rb");
	char *buf = malloc(1 << 16);
	*len = fread(buf, 1, (1 << 16) - 1, in);
	buf[*len] = '\0';
	fclose(in);
	unlink(path);
	return buf;
}

/* The cells of a text table line: runs separated by two blanks or more.
 * Stores each cell's first and last+1 display column; returns the count. */
static int
cells(const char *line, size_t len, size_t *from, size_t *to, int max)
{
	int n = 0;
	size_t i = 0;
	while (i < len && n < max) {
		size_t b = i;
		while (i < len && !(line[i] == ' ' && i + 1 < len && line[i + 1] == ' '))
			i++;
		from[n] = qy_textw_width(line, b);
		to[n] = qy_textw_width(line, i);
		n++;
		while (i < len && line[i] == ' ')
			i++;
	}
	return n;
}

static void
test_text_alignment(void)
{
	size_t len;
	char *s = written(QY_FMT_TEXT, &len);
	/* The table: its header ("街道 …"), a rule, 4 rows, a rule, the total. */
	char *line = strstr(s, "街道  ");
	CHECK(line != NULL);
	size_t from0[4] = {0}, to0[4] = {0};
	int lines = 0;
	while (line != NULL && *line != '\0' && *line != '\n') {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		size_t from[4], to[4];
		int n = cells(line, l, from, to, 4);
		if (lines == 0) {
			memcpy(from0, from, sizeof from0);
			memcpy(to0, to, sizeof to0);
		}
		/* Left-aligned text starts, right-aligned numbers end, in one column
		 * on every line, Chinese or not. */
		CHECK(from[0] == 0);
		if (n >= 2)
			CHECK(to[1] == to0[1]);
		if (n >= 3)
			CHECK(to[2] == to0[2]);
		if (n >= 4)
			CHECK(from[3] == from0[3]);
		lines++;
		line = nl ? nl + 1 : NULL;
	}
	CHECK(lines == 8);
	/* The street column is as wide as its widest cell, 梅园新村街道: 12 columns. */
	CHECK(to0[1] == 12 + 2 + 4);
	CHECK(strstr(s, "ａｂｃ全角") != NULL);
	free(s);
}

static void
test_csv(void)
{
	size_t len;
	char *s = written(QY_FMT_CSV, &len);
	CHECK(len > 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0);
	int bare_lf = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			bare_lf++;
	CHECK(bare_lf == 0);
	CHECK(strstr(s, "\r\n'=cmd,") != NULL); /* a formula made inert */
	CHECK(strstr(s, ",'@home\r\n") != NULL);
	CHECK(strstr(s, ",'-1\r\n") != NULL);
	CHECK(strstr(s, ",\"a,b \"\"q\"\"\"\r\n") != NULL); /* RFC 4180 quoting */
	CHECK(strstr(s, ",33.3%,") != NULL);
	CHECK(strstr(s, "合计,1000,,\r\n") != NULL);
	free(s);
}

static void
test_tsv_blocks(void)
{
	size_t len;
	char *s = written(QY_FMT_TSV, &len);
	/* Three blocks, one empty line between; every row's first field names it. */
	CHECK(strstr(s, "\n\nsection\tstreet\treceived\tcompletion_rate\tnote\n") != NULL);
	CHECK(strstr(s, "demands\t=cmd\t344\t1.0000\t-1\n") == NULL); /* rows follow input */
	CHECK(strstr(s, "demands\tZhongshan Rd\t8\t0.3333\t-1\n") != NULL);
	CHECK(strstr(s, "demands\ttotal\t1000\t\t\n") != NULL);
	CHECK(strstr(s, "\n\n\n") == NULL);
	free(s);
}

int
main(void)
{
	RUN(test_text_alignment);
	RUN(test_csv);
	RUN(test_tsv_blocks);
	return check_report();
}
