/* buf.h — growable byte buffers, string slices and checked allocation. */
#ifndef QY_BUF_H
#define QY_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* A slice of bytes owned by someone else.  Not NUL-terminated unless said. */
struct qy_str {
	const char *p;
	size_t len;
};

/* A growable buffer.  data is NUL-terminated after every qy_buf_* call (the
 * NUL is not counted in len), so it can be handed to C string functions when
 * the content has no NUL of its own.  A zeroed struct is an empty buffer. */
struct qy_buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Allocation failure is fatal for a filter: print and exit 2. */
void *qy_xmalloc(size_t n);
void *qy_xcalloc(size_t n, size_t size);
void *qy_xrealloc(void *p, size_t n);
/* A zeroed array for a big table probed at random (freed with free): on
 * huge pages where the system allows it, so that a probe costs a cache miss
 * and not also a page walk. */
void *qy_xcalloc_table(size_t n, size_t size);
char *qy_xstrdup(const char *s);
char *qy_xmemdup(const char *p, size_t n); /* NUL-terminated copy */

void qy_buf_grow(struct qy_buf *b, size_t extra);
void qy_buf_add(struct qy_buf *b, const void *p, size_t n);
void qy_buf_addc(struct qy_buf *b, char c);
void qy_buf_adds(struct qy_buf *b, const char *s);
void qy_buf_printf(struct qy_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qy_buf_vprintf(struct qy_buf *b, const char *fmt, va_list ap);
/* Appends s quoted for a message: 'value', with control bytes as \xNN and at
 * most 60 bytes of it (then …), so a reason never floods a terminal. */
void qy_buf_add_quoted(struct qy_buf *b, const char *p, size_t n);
void qy_buf_reset(struct qy_buf *b);
void qy_buf_free(struct qy_buf *b);

static inline struct qy_str
qy_str_of(const char *s)
{
	struct qy_str r = {s, strlen(s)};
	return r;
}

static inline int
qy_str_eq(struct qy_str a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && memcmp(a.p, s, n) == 0;
}

#endif
