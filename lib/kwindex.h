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
 * exactly: alternatives split on '|' with no regex metacharacter other
 * than simple classes of listed characters ([压糖]: no ranges, negation or
 * escapes; at most 64 words per alternative), every character ASCII or in
 * the CJK ranges without case variants. */
int qy_kw_literal(const char *pattern, size_t n);

struct qy_kwindex; /* immutable once built; shareable between threads */
struct qy_kwscan;  /* per-thread scanning state */

/* Builds the index of patterns[i] (lens[i] bytes) for i < npat, known by
 * id i.  Patterns that qy_kw_literal rejects never match. */
struct qy_kwindex *qy_kwindex_build(const char *const *patterns, const size_t *lens, int32_t npat);
void qy_kwindex_free(struct qy_kwindex *ix);

struct qy_kwscan *qy_kwscan_new(const struct qy_kwindex *ix);
void qy_kwscan_free(struct qy_kwscan *s);
/* Scans text (n bytes, valid UTF-8): one pass, whatever the patterns. */
void qy_kwscan_text(struct qy_kwscan *s, const char *text, size_t n);
/* 1 when pattern id matches the text last scanned (cached per text). */
int qy_kwscan_matches(struct qy_kwscan *s, int32_t id);

#endif
