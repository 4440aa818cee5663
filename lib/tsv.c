/* tsv.c — the qy-TSV reader and writer. */
#include "tsv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "msg.h"
#include "out.h"

enum { TSV_BUFSIZE = 1 << 20 };

/* Reads what fits after buf[end]: the next block of the input, or of the
 * range for a range reader. */
static ssize_t
read_more(struct qy_tsv *t)
{
	size_t room = t->cap - t->end;
	if (t->limit < 0)
		return read(t->fd, t->buf + t->end, room);
	off_t pos = t->base + (off_t)t->end;
	if ((off_t)room > t->limit - pos)
		room = (size_t)(t->limit - pos);
	return room == 0 ? 0 : pread(t->fd, t->buf + t->end, room, pos);
}

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
			t->base += (off_t)t->start;
			t->end -= t->start;
			scanned -= t->start;
			t->start = 0;
		}
		if (t->end == t->cap) {
			t->cap *= 2;
			t->buf = qy_xrealloc(t->buf, t->cap + 1);
		}
		ssize_t n = read_more(t);
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
		case 't':
			*w++ = '\t';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case '\\':
			*w++ = '\\';
			break;
		default:
			if (r + 1 < end)
				qy_buf_printf(
				    why, "bad escape '\\%c' (only \\t \\n \\r \\\\ are allowed)",
				    c);
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

/* Records a field [p, fe) as field n when n < max. */
static inline void
put_slice(struct qy_str *out, size_t n, size_t max, char *p, char *fe)
{
	if (n < max) {
		out[n].p = p;
		out[n].len = (size_t)(fe - p);
	}
}

/* Splits the line [p, end) at its TABs in one pass; the readers of every
 * command spend most of their time here.  Returns the number of fields
 * found (at most max are stored, the rest only counted); *special is set
 * when the line holds a backslash or a CR, which the caller then looks at. */
static size_t
split(char *p, char *end, struct qy_str *out, size_t max, int *special)
{
	size_t n = 0;
	char *field = p, *q = p;
	unsigned seen = 0;
#ifdef __SSE2__
	const __m128i tab = _mm_set1_epi8('\t'), bs = _mm_set1_epi8('\\'), cr = _mm_set1_epi8('\r');
	for (; end - q >= 16; q += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned tabs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, tab));
		seen |= (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(x, bs), _mm_cmpeq_epi8(x, cr)));
		while (tabs != 0) {
			char *t = q + __builtin_ctz(tabs);
			put_slice(out, n++, max, field, t);
			field = t + 1;
			tabs &= tabs - 1;
		}
	}
#endif
	for (; q < end; q++) {
		if (*q == '\t') {
			put_slice(out, n++, max, field, q);
			field = q + 1;
		} else if (*q == '\\' || *q == '\r') {
			seen = 1;
		}
	}
	put_slice(out, n++, max, field, end);
	*special = seen != 0;
	return n;
}

static int
has_raw_cr(const char *line, const char *end, struct qy_buf *why)
{
	if (memchr(line, '\r', (size_t)(end - line)) == NULL)
		return 0;
	qy_buf_adds(why, "raw CR in a row (a CRLF file? qy-TSV ends lines with LF)");
	return 1;
}

/* Undoes the escapes of the fields of a line that split() flagged. */
static int
unescape_all(struct qy_str *f, size_t n, char *const *cols, struct qy_buf *why)
{
	for (size_t i = 0; i < n; i++) {
		if (unescape((char *)f[i].p, &f[i].len, why) != 0) {
			if (cols != NULL)
				qy_buf_printf(why, " in column %s", cols[i]);
			return -1;
		}
	}
	return 0;
}

int
qy_tsv_open(struct qy_tsv *t, const char *path, struct qy_buf *why)
{
	memset(t, 0, sizeof *t);
	t->limit = -1;
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
	int special;
	t->ncols = split(line, end, NULL, 0, &special);
	t->fields = qy_xcalloc(t->ncols, sizeof *t->fields);
	t->cols = qy_xcalloc(t->ncols, sizeof *t->cols);
	split(line, end, t->fields, t->ncols, &special);
	struct qy_buf bad = {0};
	if (special &&
	    (has_raw_cr(line, end, &bad) || unescape_all(t->fields, t->ncols, NULL, &bad))) {
		qy_buf_printf(why, "%s:1: header: %s", t->name, bad.data);
		qy_buf_free(&bad);
		return -1;
	}
	for (size_t i = 0; i < t->ncols; i++)
		t->cols[i] = qy_xmemdup(t->fields[i].p, t->fields[i].len);
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
	int special;
	size_t n = split(line, end, t->fields, t->ncols, &special);
	if (special && has_raw_cr(line, end, why))
		return QY_TSV_BAD;
	if (n != t->ncols) {
		qy_buf_printf(why, "%zu fields, the header has %zu", n, t->ncols);
		return QY_TSV_BAD;
	}
	if (special)
		return unescape_all(t->fields, n, t->cols, why) == 0 ? QY_TSV_ROW : QY_TSV_BAD;
	for (size_t i = 0; i < n; i++)
		((char *)t->fields[i].p)[t->fields[i].len] = '\0';
	return QY_TSV_ROW;
}

off_t
qy_tsv_body_offset(const struct qy_tsv *t)
{
	struct stat st;
	if (t->limit >= 0 || fstat(t->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	/* Only a file read from its start: stdin may be a file opened elsewhere. */
	if (t->fd == STDIN_FILENO)
		return -1;
	return t->base + (off_t)t->start;
}

off_t
qy_tsv_line_start(const struct qy_tsv *t, off_t off)
{
	char block[4096];
	if (off == 0)
		return 0;
	off--; /* a line starts at off when the byte before it is a LF */
	for (;;) {
		ssize_t n = pread(t->fd, block, sizeof block, off);
		if (n <= 0)
			return off; /* the end of the file */
		char *nl = memchr(block, '\n', (size_t)n);
		if (nl != NULL)
			return off + (nl - block) + 1;
		off += n;
	}
}

void
qy_tsv_open_range(struct qy_tsv *r, const struct qy_tsv *t, off_t begin, off_t end)
{
	memset(r, 0, sizeof *r);
	r->name = t->name;
	r->ncols = t->ncols;
	r->cols = t->cols;
	r->borrowed = 1;
	r->fd = t->fd;
	r->fields = qy_xcalloc(r->ncols, sizeof *r->fields);
	r->cap = TSV_BUFSIZE;
	r->buf = qy_xmalloc(r->cap + 1);
	r->base = begin;
	r->limit = end;
}

void
qy_tsv_close(struct qy_tsv *t)
{
	if (t->borrowed) {
		free(t->fields);
		free(t->buf);
		memset(t, 0, sizeof *t);
		return;
	}
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

void
qy_tsv_header_text(struct qy_buf *b, const struct qy_tsv *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		if (i > 0)
			qy_buf_adds(b, ", ");
		qy_tsv_escape(b, t->cols[i], strlen(t->cols[i]));
	}
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
    ['\t'] = 1,
    ['\n'] = 1,
    ['\r'] = 1,
    ['\\'] = 1,
};

static const char *
escape_of(unsigned char c)
{
	switch (c) {
	case '\t':
		return "\\t";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	default:
		return "\\\\";
	}
}

/* The one escaping loop: hands emit the runs of p that need no escape and
 * the two-byte escapes between them. */
static void
escape_runs(const char *p, size_t n, void (*emit)(void *, const char *, size_t), void *dst)
{
	if (n == 0)
		return; /* p may be NULL then (an empty buffer never allocated) */
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!needs_escape[c])
			continue;
		emit(dst, p + run, i - run);
		emit(dst, escape_of(c), 2);
		run = i + 1;
	}
	emit(dst, p + run, n - run);
}

static void
emit_out(void *dst, const char *p, size_t n)
{
	qy_out_write(dst, p, n);
}

static void
emit_buf(void *dst, const char *p, size_t n)
{
	qy_buf_add(dst, p, n);
}

void
qy_tsv_put_field(struct qy_out *o, const char *p, size_t n)
{
	escape_runs(p, n, emit_out, o);
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
	escape_runs(p, n, emit_buf, b);
}
