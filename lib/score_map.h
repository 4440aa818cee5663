/* score_map.h — a string-keyed hash map to small integers, for qy-score's
 * member, branch, community and kind tables.
 *
 * Open addressing with linear probing.  Keys are copied into an arena owned
 * by the map (NUL-terminated); keys of up to QY_SMAP_INLINE bytes are also
 * kept inside the slot, so that the common lookup (a short id) touches one
 * cache line.  Nothing ever iterates over a map: callers keep their records
 * in arrays in insertion order and sort them, so no output depends on hash
 * order. */
#ifndef QY_SCORE_MAP_H
#define QY_SCORE_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum { QY_SMAP_INLINE = 12 };

struct qy_smap_slot {
	uint64_t hash; /* 0: the slot is empty (hashes are never 0) */
	uint64_t key_off;
	uint32_t key_len;
	uint32_t value;
	char inline_key[QY_SMAP_INLINE];
	uint32_t pad;
};

struct qy_smap {
	struct qy_smap_slot *slot;
	size_t cap; /* a power of two, or 0 before the first insertion */
	size_t n;
	struct qy_buf keys; /* every key, NUL-terminated, back to back */
};

uint64_t qy_smap_hash(const char *p, size_t n);

/* The value stored under key p (n bytes), or -1. */
long qy_smap_get(const struct qy_smap *m, const char *p, size_t n);
/* As qy_smap_get, with h = qy_smap_hash(p, n) computed already. */
long qy_smap_get_hashed(const struct qy_smap *m, uint64_t h, const char *p, size_t n);

/* Asks the CPU to fetch the slot where a lookup of hash h starts: a loop
 * that knows its keys ahead of time hides the cache miss. */
static inline void
qy_smap_prefetch(const struct qy_smap *m, uint64_t h)
{
	if (m->cap > 0)
		__builtin_prefetch(&m->slot[(size_t)h & (m->cap - 1)]);
}

/* Inserts key p with value v unless present.  Returns the value now stored
 * under the key (v when it was inserted); *inserted says which.  *key_off
 * (may be NULL) gets the offset of the stored key in m->keys, valid for the
 * map's life (the arena moves: use qy_smap_key to get a pointer). */
uint32_t qy_smap_put(struct qy_smap *m, const char *p, size_t n, uint32_t v, int *inserted,
		     uint64_t *key_off);

static inline const char *
qy_smap_key(const struct qy_smap *m, uint64_t key_off)
{
	return m->keys.data + key_off;
}

void qy_smap_free(struct qy_smap *m);

#endif
