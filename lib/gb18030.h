/* gb18030.h — the fast GB18030 → UTF-8 decoding behind qy_gb18030_decode
 * (enc.h).
 *
 * Almost every non-ASCII character of a GB18030 export is a two-byte code,
 * so those go through a table, built from the system's iconv when a decoder
 * opens (no mapping is shipped or typed in here), and ASCII is copied as is.
 * Everything else (four-byte codes, invalid bytes, a code cut short by the
 * end of the field) goes to iconv a few bytes at a time.  The result is the
 * same as iconv's over the whole field, byte for byte. */
#ifndef QY_GB18030_H
#define QY_GB18030_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The table's shape: lead bytes 0x81..0xFE by trail bytes 0x40..0xFE (0x7F,
 * never a trail byte, has an empty entry). */
enum {
	QY_GB_LEAD0 = 0x81,
	QY_GB_LEADS = 0xFE - 0x81 + 1,
	QY_GB_TRAIL0 = 0x40,
	QY_GB_TRAILS = 0xFE - 0x40 + 1,
};

/* A new table of the two-byte codes as cd (iconv_open("UTF-8", "GB18030"))
 * decodes them: per code the bytes of a uint32_t hold its UTF-8 (2 or 3
 * bytes, first byte first) and in the fourth byte that length; 0 where
 * iconv gives anything else (those codes are left to iconv: none, or a few
 * beyond the BMP).  Free it with free(). */
uint32_t *qy_gb18030_pairs_new(iconv_t cd);

/* Appends the UTF-8 of p to out, as iconv over all of p would, with one
 * U+FFFD per byte iconv rejects (the next byte is then tried afresh).
 * Returns 0, or -1 when some bytes were invalid, with *bad (may be NULL)
 * set to the offset of the first.  pairs is from qy_gb18030_pairs_new(cd). */
int qy_gb18030_pairs_decode(iconv_t cd, const uint32_t *pairs, const char *p, size_t n,
			    struct qy_buf *out, size_t *bad);

#endif
