/* csvin.c — the CSV reader: a fast path for well-formed records, libcsv for the rest. */
#include "csvin.h"

#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* The scanner is built twice where the compiler can target AVX2 for one
 * function: a 64-byte block is then two compares, not four. */
#if defined(__x86_64__) && defined(__GNUC__)
#define CSV_AVX2 1
#include <immintrin.h>
#endif

enum {
	BLOCK = 1 << 20,    /* the input buffer's first size; it grows for a longer record */
	SLACK = 64,	    /* readable bytes after the end, so the scanner reads whole blocks */
	RAW_CHUNK = 1 << 16 /* UTF-16 input is read and converted this much at a time */
};

enum {
	REC_DONE,  /* a record was appended */
	REC_QUOTE, /* the fast path cannot read it: libcsv must */
	REC_MORE,  /* the line is not complete in the buffer: read more first */
};

/* ---- batches ---- */

void
qy_csv_batch_clear(struct qy_csv_batch *b)
{
	b->nbytes = b->nfields = b->nrecs = 0;
}

void
qy_csv_batch_free(struct qy_csv_batch *b)
{
	free(b->bytes);
	free(b->fields);
	free(b->recs);
	memset(b, 0, sizeof *b);
}

/* Even for n = 0 the buffer exists afterwards: a record of empty fields
 * still has its fields at b->bytes + off, which must not be NULL + 0. */
static void
reserve_bytes(struct qy_csv_batch *b, size_t n)
{
	if (b->bytes != NULL && b->bcap - b->nbytes >= n)
		return;
	size_t cap = b->bcap ? b->bcap : 1 << 16;
	while (cap - b->nbytes < n)
		cap *= 2;
	b->bytes = qy_xrealloc(b->bytes, cap);
	b->bcap = cap;
}

static void
add_bytes(struct qy_csv_batch *b, const void *p, size_t n)
{
	reserve_bytes(b, n);
	if (n > 0)
		memcpy(b->bytes + b->nbytes, p, n);
	b->nbytes += n;
}

static inline void
add_field(struct qy_csv_batch *b, size_t off, size_t len)
{
	if (b->nfields == b->fcap) {
		b->fcap = b->fcap ? b->fcap * 2 : 1024;
		b->fields = qy_xrealloc(b->fields, b->fcap * sizeof *b->fields);
	}
	b->fields[b->nfields].off = off;
	b->fields[b->nfields].len = len;
	b->nfields++;
}

/* The scanner appends fields through a pointer of its own, fp, kept in a
 * register: b->nfields could alias the stores into b->fields, so the
 * compiler would reload and store it for every field.  Room is made once a
 * 64-byte block: its hits each end at most one field, and one more ends the
 * input. */
enum { BLOCK_ROOM = 65 };

/* Makes room for BLOCK_ROOM fields after the first n; returns field n's slot. */
static struct qy_csv_field *
fields_grow(struct qy_csv_batch *b, size_t n)
{
	if (b->fields != NULL && b->fcap - n >= BLOCK_ROOM)
		return b->fields + n;
	size_t cap = b->fcap ? b->fcap : 1024;
	while (cap - n < BLOCK_ROOM)
		cap *= 2;
	b->fields = qy_xrealloc(b->fields, cap * sizeof *b->fields);
	b->fcap = cap;
	return b->fields + n;
}

static inline struct qy_csv_field *
field_put(struct qy_csv_field *fp, size_t off, size_t len)
{
	fp->off = off;
	fp->len = len;
	return fp + 1;
}

static void
grow_recs(struct qy_csv_batch *b)
{
	b->rcap = b->rcap ? b->rcap * 2 : 256;
	b->recs = qy_xrealloc(b->recs, b->rcap * sizeof *b->recs);
}

static struct qy_csv_rec *
add_rec(struct qy_csv_batch *b, unsigned long line)
{
	if (b->nrecs == b->rcap)
		grow_recs(b);
	struct qy_csv_rec *rec = &b->recs[b->nrecs++];
	memset(rec, 0, sizeof *rec);
	rec->line = line;
	rec->field0 = b->nfields;
	return rec;
}

/* ---- the scanner ---- */

uint64_t
qy_csv_special_mask_portable(const char *p, char delim)
{
	uint64_t m = 0;
	for (int i = 0; i < 64; i++) {
		char c = p[i];
		if (c == delim || c == '"' || c == '\r' || c == '\n')
			m |= (uint64_t)1 << i;
	}
	return m;
}

#ifdef __SSE2__
/* Bit i set when p[i] is one of the four bytes, for i in 0..15. */
static inline uint64_t
hits16(const char *p, __m128i vd, __m128i vq, __m128i vr, __m128i vn)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vq)),
				   _mm_or_si128(_mm_cmpeq_epi8(x, vr), _mm_cmpeq_epi8(x, vn)));
	return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Inline, so that the scanner's loop sets up its constants once; the four
 * blocks written out, as -O2 does not unroll a loop of them. */
static inline uint64_t
special_mask(const char *p, char delim)
{
#ifdef __SSE2__
	const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"');
	const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
	return hits16(p, vd, vq, vr, vn) | hits16(p + 16, vd, vq, vr, vn) << 16 |
	       hits16(p + 32, vd, vq, vr, vn) << 32 | hits16(p + 48, vd, vq, vr, vn) << 48;
#else
	return qy_csv_special_mask_portable(p, delim);
#endif
}

#ifdef CSV_AVX2
__attribute__((target("avx2"))) static inline uint64_t
special_mask_avx2(const char *p, char delim)
{
	const __m256i vd = _mm256_set1_epi8(delim), vq = _mm256_set1_epi8('"');
	const __m256i vr = _mm256_set1_epi8('\r'), vn = _mm256_set1_epi8('\n');
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	__m256i hit_lo =
	    _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, vd), _mm256_cmpeq_epi8(lo, vq)),
			    _mm256_or_si256(_mm256_cmpeq_epi8(lo, vr), _mm256_cmpeq_epi8(lo, vn)));
	__m256i hit_hi =
	    _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(hi, vd), _mm256_cmpeq_epi8(hi, vq)),
			    _mm256_or_si256(_mm256_cmpeq_epi8(hi, vr), _mm256_cmpeq_epi8(hi, vn)));
	return (uint32_t)_mm256_movemask_epi8(hit_lo) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(hit_hi) << 32;
}
#endif

uint64_t
qy_csv_special_mask(const char *p, char delim)
{
	return special_mask(p, delim);
}

int
qy_csv_avx2(void)
{
#ifdef CSV_AVX2
	return __builtin_cpu_supports("avx2");
#else
	return 0;
#endif
}

uint64_t
qy_csv_special_mask_avx2(const char *p, char delim)
{
#ifdef CSV_AVX2
	if (qy_csv_avx2())
		return special_mask_avx2(p, delim);
#endif
	return qy_csv_special_mask_portable(p, delim);
}

/* ---- reading ---- */

static ssize_t
read_fd(int fd, char *p, size_t n)
{
	for (;;) {
		ssize_t k = read(fd, p, n);
		if (k >= 0 || errno != EINTR)
			return k;
	}
}

/* Reads up to n bytes of the (converted) input into p: 0 at its end, -1 on error. */
static ssize_t
source_read(struct qy_csvin *r, char *p, size_t n)
{
	if (!r->utf16)
		return read_fd(r->fd, p, n);
	while (r->conv_pos == r->conv.len && !r->eof) {
		char raw[RAW_CHUNK];
		ssize_t k = read_fd(r->fd, raw, sizeof raw);
		if (k < 0)
			return -1;
		qy_buf_reset(&r->conv);
		r->conv_pos = 0;
		qy_utf16_convert(&r->u16, raw, (size_t)k, k == 0, &r->conv);
		if (k == 0)
			r->eof = 1;
	}
	size_t k = r->conv.len - r->conv_pos;
	if (k > n)
		k = n;
	memcpy(p, r->conv.data + r->conv_pos, k);
	r->conv_pos += k;
	return (ssize_t)k;
}

/* Makes room after the unread bytes (moving them to the front, growing the
 * buffer when they fill it) and reads more.  Returns 1 when bytes were added,
 * 0 at the end of the input, -1 on a read error. */
static int
fill(struct qy_csvin *r, struct qy_buf *why)
{
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = qy_xrealloc(r->buf, r->cap + SLACK);
	}
	ssize_t k = source_read(r, r->buf + r->end, r->cap - r->end);
	if (k < 0) {
		qy_buf_printf(why, "read error on %s: %s", r->name, strerror(errno));
		return -1;
	}
	if (k == 0) {
		r->eof = 1;
		return 0;
	}
	r->end += (size_t)k;
	return 1;
}

/* ---- the fast path ---- */

/* Undoes qy-TSV escapes in a field in place.  Returns 0, or -1 (field left
 * as it was) with the byte after a stray backslash in *bad. */
static int
unescape_field(char *p, size_t *len, unsigned char *bad)
{
	size_t n = *len, j = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\')
			continue;
		char c = i + 1 < n ? p[i + 1] : '\0';
		if (c != 't' && c != 'n' && c != 'r' && c != '\\') {
			*bad = (unsigned char)c;
			return -1;
		}
		i++;
	}
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '\\') {
			c = p[++i];
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\\';
		}
		p[j++] = c;
	}
	*len = j;
	return 0;
}

__attribute__((noinline)) static void
unescape_record(struct qy_csv_batch *b, struct qy_csv_rec *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		struct qy_csv_field *f = &b->fields[rec->field0 + i];
		if (memchr(b->bytes + f->off, '\\', f->len) == NULL)
			continue;
		if (unescape_field(b->bytes + f->off, &f->len, &rec->err_byte) != 0 && !rec->err) {
			rec->err = QY_CSV_BAD_ESCAPE;
			rec->err_line = rec->line;
		}
	}
}

/* Undoes the doubled quotes of the fields of a record split by the fast
 * path that have them: bit i of pairs says field i (i < 63) has a pair, bit
 * 63 that one of fields 63 and on may.  There a quote can only be one of a
 * pair. */
__attribute__((noinline)) static void
undouble_quotes(struct qy_csv_batch *b, size_t first, size_t n, uint64_t pairs)
{
	for (size_t i = 0; i < n; i++) {
		if (!(pairs >> (i < 63 ? i : 63) & 1))
			continue;
		struct qy_csv_field *f = &b->fields[first + i];
		char *p = b->bytes + f->off;
		if (memchr(p, '"', f->len) == NULL)
			continue;
		size_t j = 0;
		for (size_t k = 0; k < f->len; k++) {
			p[j++] = p[k];
			if (p[k] == '"')
				k++; /* the second of the pair */
		}
		/* The bytes freed at the end belong to no field; quotes there keep
		 * the record's bytes valid UTF-8 for the one-pass check (ingest.c's
		 * record_text), which a stale half of a character would not. */
		memset(p + j, '"', f->len - j);
		f->len = j;
	}
}

/* The state of the field the scanner is in. */
enum { F_PLAIN, F_QUOTED, F_CLOSED };

/* Appends the record [s, q) that the scanner split into the fields
 * b->fields[nf0 .. nf), lines line ends inside quotes, and advances the line.
 * Inline, with add_bytes and add_rec written out: it runs once a record. */
__attribute__((always_inline)) static inline void
emit_record(struct qy_csvin *r, struct qy_csv_batch *b, size_t nf0, size_t nf, const char *s,
	    const char *q, unsigned long lines, uint64_t pairs)
{
	size_t n = (size_t)(q - s);
	if (b->bytes == NULL || b->bcap - b->nbytes < n)
		reserve_bytes(b, n);
	memcpy(b->bytes + b->nbytes, s, n);
	b->nbytes += n;
	if (b->nrecs == b->rcap)
		grow_recs(b);
	struct qy_csv_rec *rec = &b->recs[b->nrecs++];
	/* quoted as libcsv_record says it: a field may hold CR and LF */
	*rec = (struct qy_csv_rec){
	    .line = r->line, .field0 = nf0, .nfields = nf - nf0, .quoted = lines > 0};
	b->nfields = nf;
	if (pairs)
		undouble_quotes(b, nf0, rec->nfields, pairs);
	if (r->qytsv)
		unescape_record(b, rec);
	r->line += 1 + lines;
}

/* Splits records from r->pos on, until b holds rec_limit records or
 * max_bytes bytes, when they need nothing of libcsv's that the block scanner
 * cannot do: their fields are unquoted, or quoted (doubled quotes undone, CR
 * and LF inside kept as data, each line end counted as a line), each ending
 * at a delimiter or a line end.  Gives exactly the fields and lines libcsv
 * would.  Stops at a malformed record, or a quoted field still open after a
 * buffer's worth of lines (REC_QUOTE: libcsv reads it), or at the end of the
 * buffer (REC_MORE); r->pos is then the start of that record.
 *
 * One scan runs over many records: each 64-byte block's mask is used up,
 * whichever record its hits belong to.  Always inlined, into a version for
 * SSE2 and one for AVX2 (avx2 a constant in each). */
__attribute__((always_inline)) static inline int
scan_records(struct qy_csvin *r, struct qy_csv_batch *b, size_t rec_limit, size_t max_bytes,
	     const int avx2)
{
	const char *const end = r->buf + r->end;
	const char delim = (char)r->delim;
	const int quoting = !r->qytsv;
	const char *s = r->buf + r->pos; /* the current record's first byte */
	const char *fs = s;		 /* the current field's first byte */
	const char *qend = NULL;	 /* its closing quote, in F_CLOSED */
	/* A field at fs goes to b->bytes at (uintptr_t)fs + adj. */
	uintptr_t adj = (uintptr_t)b->nbytes - (uintptr_t)s;
	size_t nf0 = b->nfields;
	int state = F_PLAIN;
	uint64_t pairs = 0; /* fields with a doubled quote, as undouble_quotes takes them */
	/* The delimiter while state is F_PLAIN, else a value no byte has: the
	 * common hit is then told by one compare. */
	int plain_delim = (unsigned char)delim;
	unsigned long lines = 0; /* line ends inside quotes */
	uint64_t carry = 0;	 /* 1: drop the next block's first hit */
	/* The next field's slot (b->fields may be NULL yet). */
	struct qy_csv_field *fp = fields_grow(b, b->nfields);
	/* Past this slot, a block's fields might not fit. */
	struct qy_csv_field *fp_room = b->fields + b->fcap - BLOCK_ROOM;
	const char *p, *q;
	for (p = s;; p += 64) {
		if (fp > fp_room) {
			fp = fields_grow(b, (size_t)(fp - b->fields));
			fp_room = b->fields + b->fcap - BLOCK_ROOM;
		}
		if (p >= end) {
			if (s == end)
				return REC_DONE;
			if (!r->eof)
				goto more;
			if (state == F_QUOTED)
				goto libcsv; /* unterminated: libcsv says so */
			q = end;	     /* the last line has no line end */
			break;
		}
#ifdef CSV_AVX2
		uint64_t m = (avx2 ? special_mask_avx2(p, delim) : special_mask(p, delim)) & ~carry;
#else
		(void)avx2;
		uint64_t m = special_mask(p, delim) & ~carry;
#endif
		carry = 0;
		if ((size_t)(end - p) < 64)
			m &= ((uint64_t)1 << (end - p)) - 1;
		while (m != 0) {
			q = p + (unsigned)__builtin_ctzll(m);
			m &= m - 1;
			if (__builtin_expect((unsigned char)*q == plain_delim, 1)) { /* most hits */
				fp = field_put(fp, (uintptr_t)fs + adj, (size_t)(q - fs));
				fs = q + 1;
				continue;
			}
/* Drops the hit at q + 1 (the second quote of a pair, the LF of a CRLF),
 * which is known to be one: the lowest bit left in m, or the next block's
 * first. */
#define SKIP_NEXT_HIT()                                                                            \
	do {                                                                                       \
		if (q + 1 - p < 64)                                                                \
			m &= m - 1;                                                                \
		else                                                                               \
			carry = 1;                                                                 \
	} while (0)
			if (state == F_QUOTED) {
				if (*q == '\n') {
					lines++; /* data, and a physical line */
					continue;
				}
				if (*q == '\r') {
					/* CRLF is one line.  (A CR last in the buffer is
					 * counted again after the refill: a record open
					 * at the buffer's end is always read again.) */
					if (q + 1 < end && q[1] == '\n')
						SKIP_NEXT_HIT();
					lines++;
					continue;
				}
				if (*q != '"')
					continue; /* a delimiter inside quotes is data */
				if (q + 1 == end) {
					if (!r->eof)
						goto more;
				} else if (q[1] == '"') {
					size_t i = (size_t)(fp - b->fields) - nf0;
					pairs |= (uint64_t)1 << (i < 63 ? i : 63);
					SKIP_NEXT_HIT();
					continue;
				} else if (q[1] != delim && q[1] != '\r' && q[1] != '\n') {
					goto libcsv; /* something after the closing quote */
				}
				state = F_CLOSED;
				plain_delim = -1;
				qend = q;
				continue;
			}
			if (*q == '"') {
				if (!quoting)
					continue; /* qy-TSV has no quoting */
				if (q != fs)
					goto libcsv; /* a quote inside an unquoted field */
				state = F_QUOTED;
				plain_delim = -1;
				continue;
			}
			/* A delimiter after a closing quote, CR or LF ends the field. */
			if (state == F_CLOSED)
				fp =
				    field_put(fp, (uintptr_t)fs + 1 + adj, (size_t)(qend - fs - 1));
			else if (*q == delim || q > s)
				fp = field_put(fp, (uintptr_t)fs + adj, (size_t)(q - fs));
			/* (An empty line is a row of no fields, as libcsv reports it.) */
			state = F_PLAIN;
			plain_delim = (unsigned char)delim;
			if (*q == delim) {
				fs = q + 1;
				continue;
			}
			size_t term = 1;
			if (*q == '\r') {
				if (q + 1 < end) {
					if (q[1] == '\n') {
						term = 2;
						SKIP_NEXT_HIT();
					}
				} else if (!r->eof) {
					goto more;
				}
			}
#undef SKIP_NEXT_HIT
			emit_record(r, b, nf0, (size_t)(fp - b->fields), s, q, lines, pairs);
			s = q + term;
			r->pos = (size_t)(s - r->buf);
			if (b->nrecs >= rec_limit || b->nbytes >= max_bytes)
				return REC_DONE;
			fs = s;
			adj = (uintptr_t)b->nbytes - (uintptr_t)s;
			nf0 = b->nfields;
			lines = 0;
			pairs = 0;
		}
	}
	/* The input ends without a line end. */
	if (state == F_CLOSED)
		fp = field_put(fp, (uintptr_t)fs + 1 + adj, (size_t)(qend - fs - 1));
	else
		fp = field_put(fp, (uintptr_t)fs + adj, (size_t)(q - fs));
	emit_record(r, b, nf0, (size_t)(fp - b->fields), s, q, lines, pairs);
	r->pos = r->end;
	return REC_DONE;
more:
	b->nfields = nf0;
	/* A quoted field may stay open to the end of the input: past a
	 * buffer's worth, libcsv (which buffers only the open field) reads it,
	 * rather than this buffer growing to hold the whole record. */
	if (lines > 0 && (size_t)(end - s) >= BLOCK)
		return REC_QUOTE;
	return REC_MORE;
libcsv:
	b->nfields = nf0;
	return REC_QUOTE;
}

#ifdef CSV_AVX2
__attribute__((target("avx2"))) static int
fast_records_avx2(struct qy_csvin *r, struct qy_csv_batch *b, size_t rec_limit, size_t max_bytes)
{
	return scan_records(r, b, rec_limit, max_bytes, 1);
}
#endif

static int
fast_records(struct qy_csvin *r, struct qy_csv_batch *b, size_t rec_limit, size_t max_bytes)
{
#ifdef CSV_AVX2
	if (r->avx2)
		return fast_records_avx2(r, b, rec_limit, max_bytes);
#endif
	return scan_records(r, b, rec_limit, max_bytes, 0);
}

/* ---- the libcsv path ---- */

static int
never_space(unsigned char c)
{
	(void)c;
	return 0; /* a field is never trimmed */
}

static void
on_field(void *p, size_t n, void *data)
{
	struct qy_csvin *r = data;
	struct qy_csv_batch *b = r->cb_batch;
	add_field(b, b->nbytes, n);
	add_bytes(b, p, n);
}

static void
on_row(int c, void *data)
{
	(void)c;
	struct qy_csvin *r = data;
	r->cb_row_ended = 1;
}

/* Bit i set when p[i] is CR or LF, for i in 0..63. */
static uint64_t
line_end_mask(const char *p)
{
#ifdef __SSE2__
	const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
	uint64_t m = 0;
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, vr), _mm_cmpeq_epi8(x, vn));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * k);
	}
	return m;
#else
	uint64_t m = 0;
	for (int i = 0; i < 64; i++)
		if (p[i] == '\r' || p[i] == '\n')
			m |= (uint64_t)1 << i;
	return m;
#endif
}

/* The offset of the first CR or LF in buf[from .. end), or end. */
static size_t
find_line_end(const struct qy_csvin *r, size_t from)
{
	const char *end = r->buf + r->end;
	for (const char *p = r->buf + from; p < end; p += 64) {
		uint64_t m = line_end_mask(p);
		if ((size_t)(end - p) < 64)
			m &= ((uint64_t)1 << (end - p)) - 1;
		if (m != 0)
			return (size_t)(p - r->buf) + (size_t)__builtin_ctzll(m);
	}
	return r->end;
}

/* Ends a record libcsv found malformed at byte err of its current line
 * [from, eol): the field it was in, as read so far, plus the rest of the
 * line verbatim, becomes its last field. */
static void
bad_quote(struct qy_csvin *r, struct qy_csv_batch *b, struct qy_csv_rec *rec, size_t err,
	  size_t eol)
{
	unsigned char c = (unsigned char)r->buf[err];
	rec->err = c == '"' ? QY_CSV_QUOTE_IN_FIELD : QY_CSV_AFTER_QUOTE;
	rec->err_byte = c;
	rec->err_line = r->line;
	/* entry_buf/entry_pos are the public state of struct csv_parser: the
	 * unquoted content of the open field. */
	add_field(b, b->nbytes, r->csv.entry_pos + (eol - err));
	add_bytes(b, r->csv.entry_buf, r->csv.entry_pos);
	add_bytes(b, r->buf + err, eol - err);
	csv_fini(&r->csv, NULL, NULL, NULL); /* back to the start of a row */
}

/* Feeds buf[from .. to) to libcsv.  Returns the offset of the byte it
 * rejected, or to. */
static size_t
feed(struct qy_csvin *r, size_t from, size_t to)
{
	size_t n = csv_parse(&r->csv, r->buf + from, to - from, on_field, on_row, r);
	return from + n;
}

/* Reads the record at r->pos with libcsv, one physical line at a time. */
static int
libcsv_record(struct qy_csvin *r, struct qy_csv_batch *b, struct qy_buf *why)
{
	struct qy_csv_rec rec0 = {.line = r->line, .field0 = b->nfields, .quoted = 1};
	struct qy_csv_rec *rec;
	r->cb_batch = b;
	r->cb_row_ended = 0;
	for (;;) {
		size_t eol = find_line_end(r, r->pos);
		if (eol == r->end || (r->buf[eol] == '\r' && eol + 1 == r->end)) {
			if (!r->eof) {
				int k = fill(r, why);
				if (k < 0)
					return -1;
				continue;
			}
		}
		if (eol == r->end) { /* the input ends without a line end */
			size_t at = feed(r, r->pos, eol);
			if (at < eol) {
				bad_quote(r, b, &rec0, at, eol);
			} else if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				rec0.err = QY_CSV_UNTERMINATED;
				rec0.err_line = r->line;
				add_field(b, b->nbytes, r->csv.entry_pos);
				add_bytes(b, r->csv.entry_buf, r->csv.entry_pos);
			}
			r->pos = eol;
			r->line++;
			break;
		}
		size_t term =
		    r->buf[eol] == '\r' && eol + 1 < r->end && r->buf[eol + 1] == '\n' ? 2 : 1;
		size_t at = feed(r, r->pos, eol + 1);
		/* The LF of a CRLF: a row end already when the CR ended the row,
		 * else data inside quotes. */
		if (at == eol + 1 && term == 2 && !r->cb_row_ended)
			at = feed(r, eol + 1, eol + 2) - 1;
		if (at < eol + 1) {
			bad_quote(r, b, &rec0, at, eol);
			r->pos = eol + term;
			r->line++;
			break;
		}
		r->pos = eol + term;
		r->line++;
		if (r->cb_row_ended)
			break;
	}
	rec = add_rec(b, rec0.line);
	*rec = rec0;
	rec->nfields = b->nfields - rec0.field0;
	return REC_DONE;
}

/* ---- opening ---- */

int
qy_csv_sniff_delim(const char *p, size_t n)
{
	size_t i = 0, commas = 0, semis = 0, tabs = 0;
	int quoted = 0;
	while (i < n && (p[i] == '\r' || p[i] == '\n'))
		i++;
	for (; i < n; i++) {
		char c = p[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\r' || c == '\n')
			break;
		else if (c == ',')
			commas++;
		else if (c == ';')
			semis++;
		else if (c == '\t')
			tabs++;
	}
	if (commas >= semis && commas >= tabs)
		return ',';
	return semis >= tabs ? ';' : '\t';
}

static int
is_rejects_header(const char *p, size_t n)
{
	static const char head[] = "source\tline\tcolumn\treason";
	size_t k = sizeof head - 1;
	if (n < k || memcmp(p, head, k) != 0)
		return 0;
	return n == k || p[k] == '\t' || p[k] == '\r' || p[k] == '\n';
}

/* Reads until the buffer holds the 64 KiB sample or the whole input. */
static int
read_sample(struct qy_csvin *r, struct qy_buf *why)
{
	while (r->end < QY_ENC_SAMPLE && !r->eof)
		if (fill(r, why) < 0)
			return -1;
	return 0;
}

/* Switches to converting UTF-16: the raw sample goes through the converter. */
static int
start_utf16(struct qy_csvin *r, int big_endian, struct qy_buf *why)
{
	if (qy_utf16_open(&r->u16, big_endian) != 0) {
		qy_buf_printf(why, "%s: this system's iconv cannot convert UTF-16", r->name);
		return -1;
	}
	r->utf16 = 1;
	qy_utf16_convert(&r->u16, r->buf + r->bom, r->end - r->bom, r->eof, &r->conv);
	r->conv_pos = 0;
	r->pos = r->end = 0;
	int eof = r->eof;
	r->eof = 0;
	/* fill() now takes from conv; the raw input is at its end when eof was. */
	if (eof) {
		while (r->conv_pos < r->conv.len) {
			if (r->end == r->cap) {
				r->cap *= 2;
				r->buf = qy_xrealloc(r->buf, r->cap + SLACK);
			}
			size_t k = r->conv.len - r->conv_pos;
			if (k > r->cap - r->end)
				k = r->cap - r->end;
			memcpy(r->buf + r->end, r->conv.data + r->conv_pos, k);
			r->end += k;
			r->conv_pos += k;
		}
		r->eof = 1;
	}
	return 0;
}

int
qy_csvin_open(struct qy_csvin *r, const char *path, const struct qy_csvin_opts *o,
	      struct qy_buf *why)
{
	memset(r, 0, sizeof *r);
	r->name = qy_input_name(path);
	r->fd = 0;
	if (path != NULL && strcmp(path, "-") != 0) {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			qy_buf_printf(why, "cannot open %s: %s", path, strerror(errno));
			return -1;
		}
	}
	struct stat st;
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
		r->size = (unsigned long long)st.st_size;
	r->mode = o->mode;
	r->avx2 = qy_csv_avx2();
	r->line = 1;
	r->cap = BLOCK;
	r->buf = qy_xmalloc(r->cap + SLACK);
	if (read_sample(r, why) != 0)
		return -1;
	size_t bom = 0;
	r->enc = o->enc;
	if (r->enc == QY_ENC_AUTO) {
		/* fill() may have read more: the decision is the first 64 KiB's. */
		size_t sample = r->end < QY_ENC_SAMPLE ? r->end : QY_ENC_SAMPLE;
		r->enc = qy_enc_sniff(r->buf, sample, &bom);
	} else if (r->enc == QY_ENC_UTF8 && r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		bom = 3;
	}
	r->bom = bom;
	if (r->enc == QY_ENC_UTF16LE || r->enc == QY_ENC_UTF16BE) {
		if (start_utf16(r, r->enc == QY_ENC_UTF16BE, why) != 0)
			return -1;
		if (read_sample(r, why) != 0)
			return -1;
	} else {
		r->pos = bom;
	}
	r->delim = o->delim ? o->delim : qy_csv_sniff_delim(r->buf + r->pos, r->end - r->pos);
	if (o->detect_rejects && r->enc != QY_ENC_GB18030 && (o->delim == 0 || o->delim == '\t') &&
	    is_rejects_header(r->buf + r->pos, r->end - r->pos)) {
		r->qytsv = 1;
		r->delim = '\t';
	}
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	csv_set_space_func(&r->csv, never_space);
	csv_set_blk_size(&r->csv, 1 << 16);
	r->csv_ready = 1;
	return 0;
}

long
qy_csvin_read(struct qy_csvin *r, struct qy_csv_batch *b, size_t max_recs, size_t max_bytes,
	      struct qy_buf *why)
{
	size_t n0 = b->nrecs;
	while (!r->done && b->nrecs - n0 < max_recs && b->nbytes < max_bytes) {
		if (r->pos == r->end) {
			if (r->eof) {
				r->done = 1;
				break;
			}
			if (fill(r, why) < 0)
				return -1;
			continue;
		}
		int k = REC_QUOTE;
		if (r->mode == QY_CSV_FAST || r->qytsv)
			k = fast_records(r, b, n0 + max_recs, max_bytes);
		if (k == REC_MORE) {
			if (fill(r, why) < 0)
				return -1;
			continue;
		}
		if (k == REC_QUOTE && libcsv_record(r, b, why) < 0)
			return -1;
	}
	return (long)(b->nrecs - n0);
}

void
qy_csvin_close(struct qy_csvin *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
	if (r->csv_ready)
		csv_free(&r->csv);
	r->csv_ready = 0;
	if (r->utf16)
		qy_utf16_close(&r->u16);
	r->utf16 = 0;
	qy_buf_free(&r->conv);
	free(r->buf);
	r->buf = NULL;
}
