/* buf.c — growable byte buffers and checked allocation. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static void
out_of_memory(size_t n)
{
	fprintf(stderr, "qy: out of memory (asked for %zu bytes)\n", n);
	exit(2);
}

void *
qy_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
qy_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		out_of_memory(n * size);
	return p;
}

void *
qy_xcalloc_table(size_t n, size_t size)
{
	enum { HUGE_PAGE = 2 << 20 };
	if (size != 0 && n > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	size_t bytes = n * size;
	if (bytes < HUGE_PAGE)
		return qy_xcalloc(n, size);
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	void *p;
	if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
		out_of_memory(bytes);
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE); /* advice: no matter if refused */
#endif
	return memset(p, 0, bytes);
}

void *
qy_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		out_of_memory(n);
	return q;
}

char *
qy_xstrdup(const char *s)
{
	return qy_xmemdup(s, strlen(s));
}

char *
qy_xmemdup(const char *p, size_t n)
{
	char *q = qy_xmalloc(n + 1);
	memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

void
qy_buf_grow(struct qy_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = qy_xrealloc(b->data, cap);
	b->cap = cap;
}

void
qy_buf_add(struct qy_buf *b, const void *p, size_t n)
{
	qy_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
qy_buf_addc(struct qy_buf *b, char c)
{
	qy_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
qy_buf_adds(struct qy_buf *b, const char *s)
{
	qy_buf_add(b, s, strlen(s));
}

void
qy_buf_vprintf(struct qy_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n > 0) {
		qy_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void
qy_buf_printf(struct qy_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qy_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
qy_buf_add_quoted(struct qy_buf *b, const char *p, size_t n)
{
	enum { SHOWN = 60 };
	size_t end = n;
	if (end > SHOWN) {
		end = SHOWN;
		/* Do not cut a UTF-8 sequence in half. */
		while (end > 0 && ((unsigned char)p[end] & 0xC0) == 0x80)
			end--;
	}
	qy_buf_addc(b, '\'');
	for (size_t i = 0; i < end; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7F)
			qy_buf_printf(b, "\\x%02X", c);
		else
			qy_buf_addc(b, (char)c);
	}
	qy_buf_addc(b, '\'');
	if (end < n)
		qy_buf_adds(b, "…");
}

void
qy_buf_reset(struct qy_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
qy_buf_free(struct qy_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
