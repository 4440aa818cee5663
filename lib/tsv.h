/* tsv.h — qy-TSV, the format between the commands (SPEC 1).
 *
 * UTF-8, LF, one header row, TAB between fields; a field never holds a raw
 * TAB, LF, CR or backslash: they are written \t \n \r \\.  Readers undo
 * exactly these escapes; any other backslash sequence is an error. */
#ifndef QY_TSV_H
#define QY_TSV_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct qy_out;

/* One open qy-TSV input.  The public fields are read-only for callers. */
struct qy_tsv {
	const char *name;      /* for messages: the path, or "<stdin>" */
	unsigned long line;    /* physical line of the current row; 1 = header */
	size_t ncols;	       /* 0 for an empty input (no header at all) */
	char **cols;	       /* header names, unescaped, NUL-terminated */
	struct qy_str *fields; /* the current row: ncols fields, unescaped and
				  NUL-terminated, valid until the next call */
	/* private */
	int fd;
	int eof;
	char *buf;
	size_t cap, start, end;
	off_t base;   /* the file offset of buf[0] */
	off_t limit;  /* a range reader: where its range ends, else -1 */
	int borrowed; /* a range reader: fd and cols belong to another reader */
};

enum qy_tsv_status {
	QY_TSV_ROW = 1,	   /* a row is in t->fields */
	QY_TSV_EOF = 0,	   /* no more rows */
	QY_TSV_BAD = -1,   /* a malformed row at t->line, reason in why; skip it and go on */
	QY_TSV_IOERR = -2, /* read error, reason in why; fatal */
};

/* Opens path (NULL or "-": stdin) and reads its header.  Returns 0, or -1
 * with the reason in why (cannot open, read error, malformed header). */
int qy_tsv_open(struct qy_tsv *t, const char *path, struct qy_buf *why);
/* Reads the next row.  Returns an enum qy_tsv_status. */
int qy_tsv_next(struct qy_tsv *t, struct qy_buf *why);
void qy_tsv_close(struct qy_tsv *t);

/* Reading one regular file in parts, e.g. by two threads.
 *
 * qy_tsv_body_offset gives the offset of t's first row (just after the
 * header), or -1 when t is not a regular file (a pipe, a terminal).
 * qy_tsv_line_start gives the first line start at or after off.
 * qy_tsv_open_range opens r on the bytes [begin, end) of t's file (begin and
 * end at line starts, or end at the end of the file), with t's header: r's
 * rows are exactly the rows t would read there.  r->line counts the range's
 * lines from 1, so a message adds the lines before begin.  r reads with
 * pread on t's descriptor: close r before t. */
off_t qy_tsv_body_offset(const struct qy_tsv *t);
off_t qy_tsv_line_start(const struct qy_tsv *t, off_t off);
void qy_tsv_open_range(struct qy_tsv *r, const struct qy_tsv *t, off_t begin, off_t end);

/* Appends the header's names, escaped and separated by ", ", to b: what a
 * message about a missing column shows as the header seen. */
void qy_tsv_header_text(struct qy_buf *b, const struct qy_tsv *t);

/* The index of the column called name, or -1. */
int qy_tsv_col(const struct qy_tsv *t, const char *name);
/* 1 when both inputs have the same header, else 0. */
int qy_tsv_same_header(const struct qy_tsv *a, const struct qy_tsv *b);

/* Writes one field escaped (no separator). */
void qy_tsv_put_field(struct qy_out *o, const char *p, size_t n);
/* Writes n fields escaped, TAB-separated, then LF. */
void qy_tsv_put_row(struct qy_out *o, const struct qy_str *f, size_t n);
/* Writes n plain C strings escaped as a row (for headers). */
void qy_tsv_put_header(struct qy_out *o, const char *const *names, size_t n);

/* Appends the escaped form of p to b. */
void qy_tsv_escape(struct qy_buf *b, const char *p, size_t n);

#endif
