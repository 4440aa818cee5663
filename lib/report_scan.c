/* report_scan.c — the fast qy-TSV row scanner of the demand section. */
#include "report_scan.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SCAN_AVX2 1
#endif

enum {
	SCAN_BUFSIZE = 1 << 20,
	SCAN_PAD = 32, /* bytes readable past len, so a 32-byte load never faults */
};

/* Where the scan of the current line has got to. */
struct line_state {
	size_t pos;    /* next byte to look at */
	size_t fstart; /* start of the current field */
	size_t field;  /* index of the current field */
	int special;   /* a backslash or CR seen in the line */
};

void
qy_scan_init(struct qy_scan *s, int fd, off_t begin, off_t end, size_t ncols,
	     const char *const *cols, const unsigned char *want)
{
	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->pos = begin;
	s->end = end;
	s->ncols = ncols;
	s->cols = cols;
	s->want = want;
	s->fields = qy_xcalloc(ncols ? ncols : 1, sizeof *s->fields);
#ifdef SCAN_AVX2
	s->avx2 = __builtin_cpu_supports("avx2");
#endif
	s->cap = SCAN_BUFSIZE;
	s->buf = qy_xmalloc(s->cap + SCAN_PAD);
	memset(s->buf, 0, s->cap + SCAN_PAD);
}

void
qy_scan_free(struct qy_scan *s)
{
	free(s->fields);
	free(s->buf);
	qy_buf_free(&s->unesc);
	memset(s, 0, sizeof *s);
}

/* Moves the unread bytes to the front and reads more.  Returns 0, or -1 on
 * a read error. */
static int
fill(struct qy_scan *s)
{
	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->len - s->start);
		s->len -= s->start;
		s->start = 0;
	}
	if (s->len == s->cap) {
		s->cap *= 2;
		s->buf = qy_xrealloc(s->buf, s->cap + SCAN_PAD);
	}
	for (;;) {
		size_t want = s->cap - s->len;
		if ((off_t)want > s->end - s->pos)
			want = (size_t)(s->end - s->pos);
		if (want == 0) {
			s->eof = 1;
			return 0;
		}
		ssize_t n = pread(s->fd, s->buf + s->len, want, s->pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			s->eof = 1; /* the file shrank under us: what is there is all */
			return 0;
		}
		s->len += (size_t)n;
		s->pos += n;
		memset(s->buf + s->len, 0, SCAN_PAD);
		return 0;
	}
}

static inline void
end_field(struct qy_scan *s, struct line_state *ls, size_t at)
{
	if (ls->field < s->ncols && s->want[ls->field]) {
		s->fields[ls->field].p = s->buf + ls->fstart;
		s->fields[ls->field].len = at - ls->fstart;
	}
	ls->field++;
	ls->fstart = at + 1;
}

#ifdef __SSE2__
/* Scans on from ls->pos for the end of the line.  Returns its offset (the
 * LF), or (size_t)-1 when the buffer ends first. */
static size_t
find_line_end(struct qy_scan *s, struct line_state *ls)
{
	const __m128i tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n');
	const __m128i bs = _mm_set1_epi8('\\'), cr = _mm_set1_epi8('\r');
	while (ls->pos < s->len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s->buf + ls->pos));
		unsigned mt = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
		unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		unsigned ms = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, cr)));
		size_t left = s->len - ls->pos;
		if (left < 16) {
			unsigned valid = (1u << left) - 1;
			mt &= valid, mn &= valid, ms &= valid;
		}
		if (mn != 0) {
			unsigned b = (unsigned)__builtin_ctz(mn);
			unsigned before = (1u << b) - 1;
			ms &= before;
			mt &= before;
		}
		ls->special |= ms != 0;
		while (mt != 0) {
			end_field(s, ls, ls->pos + (unsigned)__builtin_ctz(mt));
			mt &= mt - 1;
		}
		if (mn != 0)
			return ls->pos + (unsigned)__builtin_ctz(mn);
		ls->pos += left < 16 ? left : 16;
	}
	return (size_t)-1;
}
#else
static size_t
find_line_end(struct qy_scan *s, struct line_state *ls)
{
	for (; ls->pos < s->len; ls->pos++) {
		char c = s->buf[ls->pos];
		if (c == '\t')
			end_field(s, ls, ls->pos);
		else if (c == '\n')
			return ls->pos;
		else if (c == '\\' || c == '\r')
			ls->special = 1;
	}
	return (size_t)-1;
}
#endif

#ifdef SCAN_AVX2
/* find_line_end, 32 bytes at a time, for processors that have AVX2. */
__attribute__((target("avx2"))) static size_t
find_line_end_avx2(struct qy_scan *s, struct line_state *ls)
{
	const __m256i tab = _mm256_set1_epi8('\t'), nl = _mm256_set1_epi8('\n');
	const __m256i bs = _mm256_set1_epi8('\\'), cr = _mm256_set1_epi8('\r');
	while (ls->pos < s->len) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(s->buf + ls->pos));
		uint32_t mt = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, tab));
		uint32_t mn = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl));
		uint32_t ms = (uint32_t)_mm256_movemask_epi8(
		    _mm256_or_si256(_mm256_cmpeq_epi8(v, bs), _mm256_cmpeq_epi8(v, cr)));
		size_t left = s->len - ls->pos;
		if (left < 32) {
			uint32_t valid = (1u << left) - 1;
			mt &= valid, mn &= valid, ms &= valid;
		}
		if (mn != 0) {
			uint32_t before = (1u << __builtin_ctz(mn)) - 1;
			ms &= before;
			mt &= before;
		}
		ls->special |= ms != 0;
		while (mt != 0) {
			end_field(s, ls, ls->pos + (unsigned)__builtin_ctz(mt));
			mt &= mt - 1;
		}
		if (mn != 0)
			return ls->pos + (unsigned)__builtin_ctz(mn);
		ls->pos += left < 32 ? left : 32;
	}
	return (size_t)-1;
}
#endif

/* Unescapes p (n bytes) onto the end of out, as lib/tsv.c does.  Returns 0,
 * or -1 with lib/tsv.c's reason in why. */
static int
unescape_onto(struct qy_buf *out, const char *p, size_t n, struct qy_buf *why)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\') {
			const char *bs = memchr(p + i, '\\', n - i);
			size_t run = bs != NULL ? (size_t)(bs - (p + i)) : n - i;
			qy_buf_add(out, p + i, run);
			i += run - 1;
			continue;
		}
		char c = i + 1 < n ? p[i + 1] : '\0';
		switch (c) {
		case 't':
			qy_buf_addc(out, '\t');
			break;
		case 'n':
			qy_buf_addc(out, '\n');
			break;
		case 'r':
			qy_buf_addc(out, '\r');
			break;
		case '\\':
			qy_buf_addc(out, '\\');
			break;
		default:
			if (i + 1 < n)
				qy_buf_printf(
				    why, "bad escape '\\%c' (only \\t \\n \\r \\\\ are allowed)",
				    c);
			else
				qy_buf_adds(why, "field ends in a lone backslash (write \\\\)");
			return -1;
		}
		i++;
	}
	return 0;
}

/* The rare line with a backslash or a CR: checked and unescaped field by
 * field, with lib/tsv.c's order of checks (CR, field count, escapes). */
static int
slow_line(struct qy_scan *s, const char *p, const char *end, size_t nfields, struct qy_buf *why)
{
	if (memchr(p, '\r', (size_t)(end - p)) != NULL) {
		qy_buf_adds(why, "raw CR in a row (a CRLF file? qy-TSV ends lines with LF)");
		return -1;
	}
	if (nfields != s->ncols) {
		qy_buf_printf(why, "%zu fields, the header has %zu", nfields, s->ncols);
		return -1;
	}
	size_t *off = qy_xcalloc(s->ncols, sizeof *off);
	qy_buf_reset(&s->unesc);
	struct qy_buf scratch = {0};
	int bad = 0;
	for (size_t c = 0; c < s->ncols && !bad; c++) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab != NULL ? tab : end;
		struct qy_buf *dst = s->want[c] ? &s->unesc : &scratch;
		off[c] = dst->len;
		if (unescape_onto(dst, p, (size_t)(fe - p), why) != 0) {
			qy_buf_printf(why, " in column %s", s->cols[c]);
			bad = 1;
		} else if (s->want[c]) {
			s->fields[c].len = s->unesc.len - off[c];
		}
		qy_buf_reset(&scratch);
		p = fe + 1;
	}
	for (size_t c = 0; c < s->ncols && !bad; c++)
		if (s->want[c])
			s->fields[c].p = s->unesc.data ? s->unesc.data + off[c] : "";
	qy_buf_free(&scratch);
	free(off);
	return bad ? -1 : 0;
}

int
qy_scan_next(struct qy_scan *s, struct qy_buf *why)
{
	struct line_state ls;
	size_t nl;
	for (;;) {
		if (s->start == s->len) {
			if (s->eof)
				return QY_TSV_EOF;
			if (fill(s) != 0) {
				qy_buf_printf(why, "read error: %s", strerror(errno));
				return QY_TSV_IOERR;
			}
			continue;
		}
		ls = (struct line_state){s->start, s->start, 0, 0};
#ifdef SCAN_AVX2
		nl = s->avx2 ? find_line_end_avx2(s, &ls) : find_line_end(s, &ls);
#else
		nl = find_line_end(s, &ls);
#endif
		if (nl != (size_t)-1)
			break;
		if (s->eof) {
			nl = s->len; /* the last line has no LF */
			break;
		}
		if (fill(s) != 0) {
			qy_buf_printf(why, "read error: %s", strerror(errno));
			return QY_TSV_IOERR;
		}
	}
	end_field(s, &ls, nl);
	s->lines++;
	const char *line = s->buf + s->start;
	s->start = nl < s->len ? nl + 1 : nl;
	if (ls.special)
		return slow_line(s, line, s->buf + nl, ls.field, why) == 0 ? QY_TSV_ROW
									   : QY_TSV_BAD;
	if (ls.field != s->ncols) {
		qy_buf_printf(why, "%zu fields, the header has %zu", ls.field, s->ncols);
		return QY_TSV_BAD;
	}
	return QY_TSV_ROW;
}

off_t
qy_scan_line_start(int fd, off_t off, off_t size)
{
	if (off <= 0)
		return 0;
	char buf[4096];
	off_t at = off - 1;
	while (at < size) {
		ssize_t n = pread(fd, buf, sizeof buf, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return size;
		char *lf = memchr(buf, '\n', (size_t)n);
		if (lf != NULL)
			return at + (lf - buf) + 1;
		at += n;
	}
	return size;
}
