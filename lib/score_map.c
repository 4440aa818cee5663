/* score_map.c — string-keyed hash map (see score_map.h). */
#include "score_map.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

uint64_t
qy_smap_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = mix(h ^ w) + 0x2545f4914f6cdd1dULL;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = mix(h ^ w) + 0x2545f4914f6cdd1dULL;
	}
	h = mix(h);
	return h ? h : 1;
}

static inline int
slot_is(const struct qy_smap *m, const struct qy_smap_slot *s, uint64_t h, const char *p, size_t n)
{
	if (s->hash != h || s->key_len != n)
		return 0;
	if (n <= QY_SMAP_INLINE)
		return memcmp(s->inline_key, p, n) == 0;
	return memcmp(m->keys.data + s->key_off, p, n) == 0;
}

long
qy_smap_get(const struct qy_smap *m, const char *p, size_t n)
{
	if (m->cap == 0)
		return -1;
	return qy_smap_get_hashed(m, qy_smap_hash(p, n), p, n);
}

long
qy_smap_get_hashed(const struct qy_smap *m, uint64_t h, const char *p, size_t n)
{
	if (m->cap == 0)
		return -1;
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const struct qy_smap_slot *s = &m->slot[i];
		if (s->hash == 0)
			return -1;
		if (slot_is(m, s, h, p, n))
			return (long)s->value;
	}
}

static void
grow(struct qy_smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct qy_smap_slot *slot = qy_xcalloc(cap, sizeof *slot);
	for (size_t j = 0; j < m->cap; j++) {
		if (m->slot[j].hash == 0)
			continue;
		size_t i = (size_t)m->slot[j].hash & (cap - 1);
		while (slot[i].hash != 0)
			i = (i + 1) & (cap - 1);
		slot[i] = m->slot[j];
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
}

uint32_t
qy_smap_put(struct qy_smap *m, const char *p, size_t n, uint32_t v, int *inserted,
	    uint64_t *key_off)
{
	/* At most half full: probes stay short. */
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	uint64_t h = qy_smap_hash(p, n);
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	for (;; i = (i + 1) & mask) {
		struct qy_smap_slot *s = &m->slot[i];
		if (s->hash == 0)
			break;
		if (slot_is(m, s, h, p, n)) {
			*inserted = 0;
			if (key_off != NULL)
				*key_off = s->key_off;
			return s->value;
		}
	}
	struct qy_smap_slot *s = &m->slot[i];
	s->hash = h;
	s->key_off = m->keys.len;
	s->key_len = (uint32_t)n;
	s->value = v;
	if (n <= QY_SMAP_INLINE)
		memcpy(s->inline_key, p, n);
	qy_buf_add(&m->keys, p, n);
	qy_buf_addc(&m->keys, '\0');
	m->n++;
	*inserted = 1;
	if (key_off != NULL)
		*key_off = s->key_off;
	return v;
}

void
qy_smap_free(struct qy_smap *m)
{
	free(m->slot);
	qy_buf_free(&m->keys);
	memset(m, 0, sizeof *m);
}
