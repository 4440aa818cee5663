/* kwindex.h — many keyword patterns that are plain literal alternations
 * (法律咨询|法律援助), matched against a text in one pass (Aho–Corasick).
 *
 * It answers exactly what PCRE2 with UTF, UCP and CASELESS, unanchored,
 * answers for the patterns it accepts: qy_kw_literal() accepts only
 * patterns whose every character is one whose caseless variants the index
 * knows (ASCII, and CJK ideographs and punctuation, which have none).
 * Everything else stays with PCRE2. */
#ifndef QY_KWINDEX_H
#define QY_KWINDEX_H

#include <stddef.h>
#include <stdint.h>

/* 1 when pattern (n bytes) is a literal alternation the index answers
 * exactly: alternatives split on '|' with no regex metacharacter, every
 * character ASCII or in the CJK ranges without case variants. */
int qy_kw_literal(const char *pattern, size_t n);

struct qy_kwindex; /* immutable once built; shareable between threads */

/* Builds the index of patterns[i] (lens[i] bytes) for i < npat; id i is
 * reported for a pattern that matches.  Patterns that qy_kw_literal
 * rejects are left out (never reported). */
struct qy_kwindex *qy_kwindex_build(const char *const *patterns, const size_t *lens, int32_t npat);
void qy_kwindex_free(struct qy_kwindex *ix);

/* The ids of the indexed patterns that match text (n bytes, valid UTF-8),
 * sorted and distinct, into out (cap entries; a larger *cap after a
 * realloc).  Returns their number. */
size_t qy_kwindex_scan(const struct qy_kwindex *ix, const char *text, size_t n, int32_t **out,
		       size_t *cap);

#endif
