/* rx.h — PCRE2 patterns as every qy program uses them (SPEC 7): UTF and UCP,
 * JIT where available, and bounded match and depth limits, so that a hostile
 * pattern or text costs bounded time. */
#ifndef QY_RX_H
#define QY_RX_H

#include <stddef.h>

#include "buf.h"

struct qy_rx;	      /* a compiled pattern; immutable, shareable between threads */
struct qy_rx_scratch; /* per-thread match state */

enum {
	QY_RX_CASELESS = 1,
	QY_RX_NO_JIT = 2, /* compile to check only: JIT costs ~15× the compile itself */
};

enum qy_rx_result {
	QY_RX_MATCH = 1,
	QY_RX_NOMATCH = 0,
	QY_RX_LIMIT = -1, /* the match or depth limit was hit */
	QY_RX_ERROR = -2, /* any other failure (e.g. the subject is not UTF-8) */
};

/* Compiles pattern (n bytes, UTF-8).  Returns NULL with a reason in why:
 * "does not compile at character N: PCRE2's message" (N counts characters
 * from 1, as a clerk counts them). */
struct qy_rx *qy_rx_compile(const char *pattern, size_t n, unsigned flags, struct qy_buf *why);
void qy_rx_free(struct qy_rx *rx);

struct qy_rx_scratch *qy_rx_scratch_new(void);
void qy_rx_scratch_free(struct qy_rx_scratch *s);

/* Unanchored search of subject (n bytes).  Returns an enum qy_rx_result. */
int qy_rx_match(const struct qy_rx *rx, struct qy_rx_scratch *s, const char *subject, size_t n);

#endif
