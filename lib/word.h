/* word.h — unaligned loads and short copies, for the hot paths that look at
 * a value a word at a time.  memcpy is how C says an unaligned access; it
 * compiles to one move. */
#ifndef QY_WORD_H
#define QY_WORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define QY_BIG_ENDIAN 1
#else
#define QY_BIG_ENDIAN 0
#endif

/* Little-endian: byte i of p at bits 8i, as the word tricks number them. */
static inline uint64_t
load_le64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return QY_BIG_ENDIAN ? __builtin_bswap64(w) : w;
}

static inline uint32_t
load_le32(const char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return QY_BIG_ENDIAN ? __builtin_bswap32(w) : w;
}

static inline uint16_t
load_le16(const char *p)
{
	uint16_t w;
	memcpy(&w, p, 2);
	return QY_BIG_ENDIAN ? __builtin_bswap16(w) : w;
}

/* Big-endian: numbers then compare as memcmp compares the bytes. */
static inline uint64_t
load_be64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return QY_BIG_ENDIAN ? w : __builtin_bswap64(w);
}

/* The n ≤ 8 bytes of p as a number, byte i at bits 8i, zeros above: two
 * overlapping loads that never read outside p[0..n). */
static inline uint64_t
load_upto8(const char *p, size_t n)
{
	if (n >= 4)
		return load_le32(p) | (uint64_t)load_le32(p + n - 4) << (8 * (n - 4));
	if (n >= 2)
		return load_le16(p) | (uint64_t)load_le16(p + n - 2) << (8 * (n - 2));
	return n == 1 ? (unsigned char)p[0] : 0;
}

/* Copies n bytes: a short value (most are) with two overlapping moves, as
 * memcpy does inside, but without the call. */
static inline void
copy_short(char *d, const char *p, size_t n)
{
	if (n > 16) {
		memcpy(d, p, n);
	} else if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n > 0) {
		d[0] = p[0];
		d[n / 2] = p[n / 2];
		d[n - 1] = p[n - 1];
	}
}

#endif
