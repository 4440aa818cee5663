/* report_util.c — what the qy-report modules share: the input loop, fast
 * canonical dates, a first-insertion-ordered string map. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "report_int.h"

enum { PROBLEMS_SHOWN = 10000 }; /* messages per input; the rest are counted */

void
qy_tabs_add(struct qy_tabs *l, struct qy_tab *t, int section)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = qy_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	t->section = section;
	l->v[l->n++] = t;
}

static int
two_digits(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
qy_rdate(const char *p, size_t n, qy_day *day, struct qy_buf *why)
{
	/* qy-TSV writes dates as YYYY-MM-DD; only what is not in that form
	 * goes the long way through qy_date_parse. */
	if (n == 10 && p[4] == '-' && p[7] == '-' && is_digit(p[0]) && is_digit(p[1]) &&
	    is_digit(p[2]) && is_digit(p[3]) && is_digit(p[5]) && is_digit(p[6]) &&
	    is_digit(p[8]) && is_digit(p[9])) {
		int y = two_digits(p) * 100 + two_digits(p + 2);
		if (qy_date_from_ymd(y, two_digits(p + 5), two_digits(p + 8), day) == 0)
			return 0;
	}
	return qy_date_parse(p, n, day, why);
}

static void
count_problem(struct qy_diag *d, struct qy_input *in, unsigned long line, const char *col,
	      const char *why)
{
	in->skipped++;
	if (in->skipped <= PROBLEMS_SHOWN) {
		if (col != NULL)
			qy_problem(d, in->tsv.name, line, "%s: %s", col, why);
		else
			qy_problem(d, in->tsv.name, line, "%s", why);
	} else {
		d->problems++;
	}
}

void
qy_input_problem(struct qy_diag *d, struct qy_input *in, unsigned long line, const char *col,
		 const char *why)
{
	count_problem(d, in, line, col, why);
}

int
qy_input_next(struct qy_input *in, struct qy_diag *d)
{
	struct qy_buf why = {0};
	for (;;) {
		qy_buf_reset(&why);
		int r = qy_tsv_next(&in->tsv, &why);
		if (r == QY_TSV_ROW) {
			in->rows++;
			qy_buf_free(&why);
			return 1;
		}
		if (r == QY_TSV_EOF) {
			qy_buf_free(&why);
			return 0;
		}
		if (r == QY_TSV_IOERR)
			qy_fatal_at(d, in->tsv.name, in->tsv.line, "%s", why.data);
		in->rows++;
		count_problem(d, in, in->tsv.line, NULL, why.data);
	}
}

void
qy_input_finish(struct qy_input *in, struct qy_diag *d)
{
	if (in->skipped > PROBLEMS_SHOWN)
		qy_note(d, "%s: %lu more rows skipped, not listed", in->tsv.name,
			in->skipped - PROBLEMS_SHOWN);
}

int
qy_input_col(const struct qy_input *in, const char *name)
{
	return qy_tsv_col(&in->tsv, name);
}

int
qy_bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* ---- string map ---- */

uint64_t
qy_strmap_hash(const char *p, size_t n)
{
	/* One multiply a word, then a final mix: keys are short (a street, a
	 * community, a unit) and this is on the hot path of the demand scan. */
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = 0x243f6a8885a308d3ULL ^ (n * k);
	size_t i = 0;
	uint64_t w;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 31;
	}
	if (i < n) {
		if (n >= 8) {
			memcpy(&w, p + n - 8, 8); /* the last 8 bytes, overlapping */
		} else {
			w = 0;
			for (size_t j = 0; j < n; j++)
				w = w << 8 | (unsigned char)p[j];
		}
		h = (h ^ w) * k;
	}
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

long
qy_strmap_find(const struct qy_strmap *m, const char *p, size_t n, uint64_t h)
{
	if (m->nslots == 0)
		return -1;
	/* The slot holds half the hash, so a miss rarely touches the keys. */
	size_t mask = m->nslots - 1;
	uint64_t tag = h & 0xffffffff00000000ULL;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		uint64_t s = m->slots[i];
		if (s == 0)
			return -1;
		if ((s & 0xffffffff00000000ULL) != tag)
			continue;
		size_t k = (size_t)(s & 0xffffffffU) - 1;
		if (m->lens[k] == n && memcmp(m->keys[k], p, n) == 0)
			return (long)k;
	}
}

static uint64_t
slot_of(uint64_t h, size_t k)
{
	return (h & 0xffffffff00000000ULL) | (uint64_t)(k + 1);
}

static void
strmap_grow(struct qy_strmap *m)
{
	size_t nslots = m->nslots ? 2 * m->nslots : 64;
	uint64_t *slots = qy_xcalloc(nslots, sizeof *slots);
	for (size_t k = 0; k < m->n; k++) {
		size_t i = (size_t)m->hashes[k] & (nslots - 1);
		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = slot_of(m->hashes[k], k);
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
}

size_t
qy_strmap_put(struct qy_strmap *m, const char *p, size_t n, uint64_t h, int *added)
{
	long k = qy_strmap_find(m, p, n, h);
	*added = k < 0;
	if (k >= 0)
		return (size_t)k;
	if (2 * (m->n + 1) > m->nslots)
		strmap_grow(m);
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->keys = qy_xrealloc(m->keys, m->cap * sizeof *m->keys);
		m->lens = qy_xrealloc(m->lens, m->cap * sizeof *m->lens);
		m->hashes = qy_xrealloc(m->hashes, m->cap * sizeof *m->hashes);
	}
	size_t idx = m->n++;
	m->keys[idx] = qy_xmemdup(p, n);
	m->lens[idx] = n;
	m->hashes[idx] = h;
	size_t mask = m->nslots - 1, i = (size_t)h & mask;
	while (m->slots[i] != 0)
		i = (i + 1) & mask;
	m->slots[i] = slot_of(h, idx);
	return idx;
}

void
qy_strmap_free(struct qy_strmap *m)
{
	for (size_t k = 0; k < m->n; k++)
		free(m->keys[k]);
	free(m->keys);
	free(m->lens);
	free(m->hashes);
	free(m->slots);
	memset(m, 0, sizeof *m);
}
