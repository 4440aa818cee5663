/* rx.c — bounded PCRE2 matching. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rx.h"

#include <pcre2.h>
#include <stdlib.h>

/* Enough for any sane keyword pattern on a demand text; a catastrophic
 * backtracking pattern stops within milliseconds. */
enum {
	RX_MATCH_LIMIT = 200000,
	RX_DEPTH_LIMIT = 5000,
	RX_HEAP_LIMIT_KIB = 8192,
};

struct qy_rx {
	pcre2_code *code;
};

struct qy_rx_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
};

struct qy_rx *
qy_rx_compile(const char *pattern, size_t n, unsigned flags, struct qy_buf *why)
{
	int err;
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	if (flags & QY_RX_CASELESS)
		opts |= PCRE2_CASELESS;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, n, opts, &err, &off, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		size_t chars = 0;
		for (size_t i = 0; i < off && i < n; i++)
			chars += ((unsigned char)pattern[i] & 0xC0) != 0x80;
		qy_buf_printf(why, "does not compile at character %zu: %s", chars + 1,
			      (const char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: without it (an arch or a build without JIT),
	 * the interpreter gives the same answers. */
	if (!(flags & QY_RX_NO_JIT))
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	struct qy_rx *rx = qy_xmalloc(sizeof *rx);
	rx->code = code;
	return rx;
}

void
qy_rx_free(struct qy_rx *rx)
{
	if (rx == NULL)
		return;
	pcre2_code_free(rx->code);
	free(rx);
}

struct qy_rx_scratch *
qy_rx_scratch_new(void)
{
	struct qy_rx_scratch *s = qy_xmalloc(sizeof *s);
	/* Our patterns need the whole-match pair only. */
	s->md = pcre2_match_data_create(1, NULL);
	s->mc = pcre2_match_context_create(NULL);
	s->js = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (s->md == NULL || s->mc == NULL)
		qy_xmalloc((size_t)-1); /* reports out of memory and exits */
	pcre2_set_match_limit(s->mc, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mc, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(s->mc, RX_HEAP_LIMIT_KIB);
	if (s->js != NULL)
		pcre2_jit_stack_assign(s->mc, NULL, s->js);
	return s;
}

void
qy_rx_scratch_free(struct qy_rx_scratch *s)
{
	if (s == NULL)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mc);
	pcre2_jit_stack_free(s->js);
	free(s);
}

int
qy_rx_match(const struct qy_rx *rx, struct qy_rx_scratch *s, const char *subject, size_t n)
{
	int rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, n, 0, 0, s->md, s->mc);
	if (rc >= 0)
		return QY_RX_MATCH;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return QY_RX_NOMATCH;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return QY_RX_LIMIT;
	default:
		return QY_RX_ERROR;
	}
}
