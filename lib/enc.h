/* enc.h — input encodings of qy-ingest (SPEC 3): sniffing, UTF-8 checks,
 * GB18030 decoding and UTF-16 conversion.
 *
 * UTF-8 and GB18030 are ASCII-transparent (no byte below 0x80 occurs inside a
 * multibyte character), so CSV is split on the raw bytes and each field is
 * decoded on its own.  UTF-16 is not: such an input is converted to UTF-8 as a
 * stream before it is split (struct qy_utf16). */
#ifndef QY_ENC_H
#define QY_ENC_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum qy_enc {
	QY_ENC_AUTO,
	QY_ENC_UTF8,
	QY_ENC_GB18030,
	QY_ENC_UTF16LE,
	QY_ENC_UTF16BE,
};

/* -e auto decides from this many bytes at the start of each input. */
enum { QY_ENC_SAMPLE = 64 * 1024 };

/* "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE". */
const char *qy_enc_name(enum qy_enc e);

/* Decides the encoding of an input from its first n bytes (at most
 * QY_ENC_SAMPLE; fewer only when that is the whole input): a UTF-8 or UTF-16
 * BOM says so; else UTF-8 when the bytes are valid UTF-8 (an incomplete
 * character at the end of the sample ignored), else GB18030.  *bom gets the
 * length of the byte order mark to drop (0 when none). */
enum qy_enc qy_enc_sniff(const char *p, size_t n, size_t *bom);

enum qy_text_problem {
	QY_TEXT_OK,
	QY_TEXT_INVALID, /* not UTF-8 at *off */
	QY_TEXT_CONTROL, /* a C0 control other than TAB, LF and CR, DEL, or a C1 control, at *off */
};

/* Scans UTF-8 text for the first problem.  Returns an enum qy_text_problem;
 * for a problem *off gets its byte offset, and for QY_TEXT_CONTROL *cp gets
 * the control's code point. */
int qy_utf8_scan(const char *p, size_t n, size_t *off, unsigned *cp);

/* What qy_text_classify finds (bit flags). */
enum {
	QY_TEXT_NONASCII = 1, /* a byte 0x80 or above */
	QY_TEXT_ESCAPE = 2,   /* a byte qy-TSV escapes or may: below 0x20, or a backslash */
	QY_TEXT_PROBLEM = 4,  /* what qy_utf8_scan reports: invalid UTF-8 or a control */
};

/* One pass over p (a whole record, say) answering all three at once:
 * vectorised where the CPU can (AVX2, else SSSE3), chosen at run time. */
unsigned qy_text_classify(const char *p, size_t n);
/* The same, for the tests: with at most the given level (2 AVX2, 1 SSSE3,
 * 0 the portable scalar code), and the portable code itself. */
unsigned qy_text_classify_at(int level, const char *p, size_t n);
unsigned qy_text_classify_portable(const char *p, size_t n);

/* The length of the valid UTF-8 prefix of p (a whole number of characters). */
size_t qy_utf8_valid_len(const char *p, size_t n);

/* Appends p to out with every maximal invalid subsequence replaced by U+FFFD
 * (the Unicode "substitution of maximal subparts" practice). */
void qy_utf8_repair(struct qy_buf *out, const char *p, size_t n);

/* 1 when every byte of p is below 0x80. */
int qy_ascii_only(const char *p, size_t n);

/* Runs iconv over *in, appending to out (to UTF-8: room grows as needed).
 * Returns 0 when all of it was converted, else the errno that stopped it
 * (EILSEQ or EINVAL), with *in and *inleft at the bytes it stopped at and
 * cd's state reset. */
int qy_iconv_append(iconv_t cd, char **in, size_t *inleft, struct qy_buf *out);

/* GB18030 → UTF-8, one field at a time (GB18030 is stateless): the
 * two-byte codes through a table built from iconv when it opens, the rest
 * through iconv (gb18030.h).  Each decoder owns its table (some 100 KB,
 * built in well under a millisecond). */
struct qy_gb18030 {
	iconv_t cd;
	uint32_t *pairs;
};

/* Returns 0, or -1 when the system's iconv has no GB18030. */
int qy_gb18030_open(struct qy_gb18030 *g);
void qy_gb18030_close(struct qy_gb18030 *g);
/* Appends the UTF-8 form of p to out.  Bytes that are not GB18030 are
 * appended as U+FFFD each.  Returns 0, or -1 when some bytes were invalid,
 * with *bad (may be NULL) set to the offset of the first. */
int qy_gb18030_decode(struct qy_gb18030 *g, const char *p, size_t n, struct qy_buf *out,
		      size_t *bad);

/* UTF-16 (LE or BE, BOM already dropped) → UTF-8 as a stream.  A code unit
 * that is not valid UTF-16 (a lone surrogate, an odd byte at the end) comes
 * out as the byte 0xFF: never valid UTF-8, so the row holding it is rejected
 * as invalid text and written to the rejects file as U+FFFD. */
struct qy_utf16 {
	iconv_t cd;
	int big_endian;
	unsigned char pend[4]; /* an incomplete character carried to the next call */
	size_t npend;
};

int qy_utf16_open(struct qy_utf16 *u, int big_endian);
void qy_utf16_close(struct qy_utf16 *u);
/* Appends the UTF-8 of p to out.  An incomplete character at the end of p
 * is kept for the next call, or, when at_eof, converted as invalid. */
void qy_utf16_convert(struct qy_utf16 *u, const char *p, size_t n, int at_eof, struct qy_buf *out);

#endif
