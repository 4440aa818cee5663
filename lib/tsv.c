/* tsv.c — the qy-TSV reader and writer. */
#include "tsv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "out.h"

enum { TSV_BUFSIZE = 1 << 20 };

/* Makes sure buf[start..end) holds a whole line (or the rest of the input).
 * Returns the offset of its LF, end when the input ended without one, or
 * (size_t)-1 on a read error. */
static size_t
fill_line(struct qy_tsv *t)
{
	size_t scanned = t->start;
	for (;;) {
		char *nl = memchr(t->buf + scanned, '\n', t->end - scanned);
		if (nl != NULL)
			return (size_t)(nl - t->buf);
		if (t->eof)
			return t->end;
		scanned = t->end;
		if (t->start > 0) {
			memmove(t->buf, t->buf + t->start, t->end - t->start);
			t->end -= t->start;
			scanned -= t->start;
			t->start = 0;
		}
		if (t->end == t->cap) {
			t->cap *= 2;
			t->buf = qy_xrealloc(t->buf, t->cap + 1);
		}
		ssize_t n = read(t->fd, t->buf + t->end, t->cap - t->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (size_t)-1;
		if (n == 0)
			t->eof = 1;
		t->end += (size_t)n;
	}
}

/* Undoes the escapes of one field in place; NUL-terminates it.  Returns 0, or
 * -1 with the reason in why. */
static int
unescape(char *p, size_t *len, struct qy_buf *why)
{
	char *bs = memchr(p, '\\', *len);
	if (bs == NULL) {
		p[*len] = '\0';
		return 0;
	}
	char *w = bs, *r = bs, *end = p + *len;
	while (r < end) {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		char c = r + 1 < end ? r[1] : '\0';
		switch (c) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case '\\': *w++ = '\\'; break;
		default:
			if (r + 1 < end)
				qy_buf_printf(why, "bad escape '\\%c' (only \\t \\n \\r \\\\ are allowed)", c);
			else
				qy_buf_adds(why, "field ends in a lone backslash (write \\\\)");
			return -1;
		}
		r += 2;
	}
	*len = (size_t)(w - p);
	*w = '\0';
	return 0;
}

/* Splits the line [p, end) into fields.  Returns the number of fields found
 * (at most max are stored, the rest only counted), or -1 for a raw CR. */
static long
split(char *p, char *end, struct qy_str *out, size_t max)
{
	if (memchr(p, '\r', (size_t)(end - p)) != NULL)
		return -1;
	size_t n = 0;
	for (;;) {
		char *tab = memchr(p, '\t', (size_t)(end - p));
		char *fe = tab ? tab : end;
		if (n < max) {
			out[n].p = p;
			out[n].len = (size_t)(fe - p);
		}
		n++;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	return (long)n;
}

int
qy_tsv_open(struct qy_tsv *t, const char *path, struct qy_buf *why)
{
	memset(t, 0, sizeof *t);
	t->name = qy_input_name(path);
	if (path == NULL || strcmp(path, "-") == 0) {
		t->fd = STDIN_FILENO;
	} else if ((t->fd = open(path, O_RDONLY)) < 0) {
		qy_buf_printf(why, "%s: cannot open: %s", t->name, strerror(errno));
		return -1;
	}
	t->cap = TSV_BUFSIZE;
	t->buf = qy_xmalloc(t->cap + 1);
	size_t nl = fill_line(t);
	if (nl == (size_t)-1) {
		qy_buf_printf(why, "%s: read error: %s", t->name, strerror(errno));
		return -1;
	}
	t->line = 1;
	if (nl == t->start) {
		if (t->end == 0)
			return 0; /* an empty input: no header, no rows */
		qy_buf_printf(why, "%s:1: empty header line", t->name);
		return -1;
	}
	char *line = t->buf + t->start, *end = t->buf + nl;
	long n = split(line, end, NULL, 0);
	if (n < 0) {
		qy_buf_printf(why, "%s:1: header has a raw CR (a CRLF file? qy-TSV ends lines with LF)",
			      t->name);
		return -1;
	}
	t->ncols = (size_t)n;
	t->fields = qy_xcalloc(t->ncols, sizeof *t->fields);
	t->cols = qy_xcalloc(t->ncols, sizeof *t->cols);
	split(line, end, t->fields, t->ncols);
	for (size_t i = 0; i < t->ncols; i++) {
		struct qy_buf bad = {0};
		size_t len = t->fields[i].len;
		char *p = t->buf + (t->fields[i].p - t->buf);
		if (unescape(p, &len, &bad) != 0) {
			qy_buf_printf(why, "%s:1: header: %s", t->name, bad.data);
			qy_buf_free(&bad);
			return -1;
		}
		t->cols[i] = qy_xmemdup(p, len);
	}
	t->start = nl < t->end ? nl + 1 : nl;
	return 0;
}

int
qy_tsv_next(struct qy_tsv *t, struct qy_buf *why)
{
	if (t->ncols == 0 || (t->start >= t->end && t->eof))
		return QY_TSV_EOF;
	size_t nl = fill_line(t);
	if (nl == (size_t)-1) {
		qy_buf_printf(why, "read error: %s", strerror(errno));
		return QY_TSV_IOERR;
	}
	if (t->start == t->end && t->eof)
		return QY_TSV_EOF;
	t->line++;
	char *line = t->buf + t->start, *end = t->buf + nl;
	*end = '\0';
	t->start = nl < t->end ? nl + 1 : nl;
	long n = split(line, end, t->fields, t->ncols);
	if (n < 0) {
		qy_buf_adds(why, "raw CR in a row (a CRLF file? qy-TSV ends lines with LF)");
		return QY_TSV_BAD;
	}
	if ((size_t)n != t->ncols) {
		qy_buf_printf(why, "%ld fields, the header has %zu", n, t->ncols);
		return QY_TSV_BAD;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		char *p = (char *)t->fields[i].p;
		if (unescape(p, &t->fields[i].len, why) != 0) {
			qy_buf_printf(why, " in column %s", t->cols[i]);
			return QY_TSV_BAD;
		}
	}
	return QY_TSV_ROW;
}

void
qy_tsv_close(struct qy_tsv *t)
{
	if (t->fd > STDERR_FILENO)
		close(t->fd);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->fields);
	free(t->buf);
	memset(t, 0, sizeof *t);
}

int
qy_tsv_col(const struct qy_tsv *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
qy_tsv_same_header(const struct qy_tsv *a, const struct qy_tsv *b)
{
	if (a->ncols != b->ncols)
		return 0;
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->cols[i], b->cols[i]) != 0)
			return 0;
	return 1;
}

/* 1 for the bytes a field must not hold raw. */
static const unsigned char needs_escape[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\\'] = 1,
};

static const char *
escape_of(unsigned char c)
{
	switch (c) {
	case '\t': return "\\t";
	case '\n': return "\\n";
	case '\r': return "\\r";
	default: return "\\\\";
	}
}

void
qy_tsv_put_field(struct qy_out *o, const char *p, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!needs_escape[c])
			continue;
		qy_out_write(o, p + run, i - run);
		qy_out_write(o, escape_of(c), 2);
		run = i + 1;
	}
	qy_out_write(o, p + run, n - run);
}

void
qy_tsv_put_row(struct qy_out *o, const struct qy_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			qy_out_putc(o, '\t');
		qy_tsv_put_field(o, f[i].p, f[i].len);
	}
	qy_out_putc(o, '\n');
}

void
qy_tsv_put_header(struct qy_out *o, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			qy_out_putc(o, '\t');
		qy_tsv_put_field(o, names[i], strlen(names[i]));
	}
	qy_out_putc(o, '\n');
}

void
qy_tsv_escape(struct qy_buf *b, const char *p, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!needs_escape[c])
			continue;
		qy_buf_add(b, p + run, i - run);
		qy_buf_add(b, escape_of(c), 2);
		run = i + 1;
	}
	qy_buf_add(b, p + run, n - run);
}
