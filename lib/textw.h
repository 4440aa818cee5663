/* textw.h — display width of UTF-8 text, the way a terminal lays it out.
 *
 * A CJK ideograph, a Hangul syllable, a full-width form or a wide emoji takes
 * two columns (East Asian Width W or F, Unicode 15.1); a combining mark, a
 * variation selector or a zero-width character takes none; everything else
 * takes one.  The table is our own, so the result never depends on the locale
 * (no setlocale, no wcwidth).  Ambiguous-width characters (★, ①, …) count as
 * one column, as terminals outside CJK legacy modes show them. */
#ifndef QY_TEXTW_H
#define QY_TEXTW_H

#include <stddef.h>
#include <stdint.h>

/* Columns taken by one code point: 0, 1 or 2.  Control characters count 0;
 * callers that print text escape them first. */
int qy_textw_cp(uint32_t cp);

/* Decodes one UTF-8 sequence at p (n > 0 bytes left).  Stores the code point
 * and returns the sequence length; an invalid byte decodes as U+FFFD, length 1. */
size_t qy_textw_decode(const char *p, size_t n, uint32_t *cp);

/* Columns taken by n bytes of UTF-8 text. */
size_t qy_textw_width(const char *p, size_t n);

/* The number of bytes of p (n bytes) that fit in cols columns, never cutting
 * a character; *used (may be NULL) gets the columns those bytes take. */
size_t qy_textw_fit(const char *p, size_t n, size_t cols, size_t *used);

#endif
