/* report_scan.h — a fast qy-TSV row scanner for one byte range of a file.
 *
 * qy-report's demand section reads the biggest file of a month (SPEC 8: a
 * city's 2,000,000 demands and more), and needs only a third of its columns.
 * This scanner finds the field boundaries of a line in one SSE2 pass (16
 * bytes at a time, or 32 with AVX2: TAB, LF, backslash and CR at once), unescapes only the
 * wanted fields, and only of the rare lines that have a backslash at all.
 * It reads a byte range with pread, so that two threads can each take half a
 * regular file.  It accepts and rejects exactly what lib/tsv.c does, with the
 * same messages (tests/unit/test_report_scan.c compares the two). */
#ifndef QY_REPORT_SCAN_H
#define QY_REPORT_SCAN_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct qy_scan {
	size_t ncols;
	const char *const *cols;   /* the header's names, for messages */
	const unsigned char *want; /* want[c]: 1 when column c is used */
	struct qy_str *fields;	   /* the current row: wanted fields, unescaped */
	unsigned long lines;	   /* lines read so far in the range */
	/* private */
	int fd;
	off_t pos, end; /* next byte to read, end of the range */
	char *buf;
	size_t cap, start, len;
	int eof;
	int avx2; /* the processor has AVX2: 32 bytes a step instead of 16 (tests
		     clear it after qy_scan_init to check the SSE2 path) */
	struct qy_buf unesc;
};

/* Scans [begin, end) of fd, which must start at a line start. */
void qy_scan_init(struct qy_scan *s, int fd, off_t begin, off_t end, size_t ncols,
		  const char *const *cols, const unsigned char *want);
/* Reads the next line.  Returns QY_TSV_ROW, QY_TSV_EOF, QY_TSV_BAD (reason
 * in why; the line is s->lines) or QY_TSV_IOERR (lib/tsv.h). */
int qy_scan_next(struct qy_scan *s, struct qy_buf *why);
void qy_scan_free(struct qy_scan *s);

/* The offset of the first line start at or after off in fd (a regular file
 * of size bytes): off itself when the byte before it is a LF. */
off_t qy_scan_line_start(int fd, off_t off, off_t size);

#endif
