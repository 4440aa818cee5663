/* match_hash.c — interning tables and a tiny thread pool for qy-match.
 *
 * Ids are handed out in order of first appearance; the hash only finds
 * them.  So iterating ids is iterating input order, never hash order. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

static uint32_t
hash_bytes(const void *p, size_t n)
{
	/* FNV-1a, then a final mix so that low bits are usable as a slot. */
	const unsigned char *s = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

static void
pool_rehash(struct m_pool *pl)
{
	uint32_t nslot = pl->nslot ? pl->nslot * 2 : 1024;
	free(pl->slot);
	pl->slot = qy_xcalloc(nslot, sizeof *pl->slot);
	pl->nslot = nslot;
	for (int32_t id = 0; id < pl->n; id++) {
		uint32_t i = pl->hash[id] & (nslot - 1);
		while (pl->slot[i] != 0)
			i = (i + 1) & (nslot - 1);
		pl->slot[i] = id + 1;
	}
}

static int32_t
pool_lookup(const struct m_pool *pl, const char *p, size_t n, uint32_t h, uint32_t *at)
{
	if (pl->nslot == 0)
		return -1;
	uint32_t i = h & (pl->nslot - 1);
	for (; pl->slot[i] != 0; i = (i + 1) & (pl->nslot - 1)) {
		int32_t id = pl->slot[i] - 1;
		if (pl->hash[id] == h && pl->len[id] == n &&
		    memcmp(pl->arena + pl->off[id], p, n) == 0)
			return id;
	}
	if (at != NULL)
		*at = i;
	return -1;
}

int32_t
m_pool_find(const struct m_pool *pl, const char *p, size_t n)
{
	return pool_lookup(pl, p, n, hash_bytes(p, n), NULL);
}

int32_t
m_pool_intern(struct m_pool *pl, const char *p, size_t n)
{
	uint32_t h = hash_bytes(p, n), at = 0;
	int32_t id = pool_lookup(pl, p, n, h, &at);
	if (id >= 0)
		return id;
	if ((uint32_t)(pl->n + 1) * 2 > pl->nslot) {
		pool_rehash(pl);
		pool_lookup(pl, p, n, h, &at);
	}
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 256;
		pl->off = qy_xrealloc(pl->off, (size_t)pl->cap * sizeof *pl->off);
		pl->len = qy_xrealloc(pl->len, (size_t)pl->cap * sizeof *pl->len);
		pl->hash = qy_xrealloc(pl->hash, (size_t)pl->cap * sizeof *pl->hash);
	}
	pl->alen = (pl->alen + 3) & ~(size_t)3; /* entries 4-aligned: signatures are int32s */
	if (pl->alen + n + 1 > pl->acap) {
		size_t cap = pl->acap ? pl->acap * 2 : 1 << 16;
		while (cap < pl->alen + n + 1)
			cap *= 2;
		pl->arena = qy_xrealloc(pl->arena, cap);
		pl->acap = cap;
	}
	id = pl->n++;
	pl->off[id] = pl->alen;
	pl->len[id] = (uint32_t)n;
	pl->hash[id] = h;
	memcpy(pl->arena + pl->alen, p, n);
	pl->arena[pl->alen + n] = '\0';
	pl->alen += n + 1;
	pl->slot[at] = id + 1;
	return id;
}

void
m_pool_free(struct m_pool *pl)
{
	free(pl->arena);
	free(pl->off);
	free(pl->len);
	free(pl->hash);
	free(pl->slot);
	memset(pl, 0, sizeof *pl);
}

void
m_keys_init(struct m_keys *k, int width)
{
	memset(k, 0, sizeof *k);
	k->width = width;
}

static void
keys_rehash(struct m_keys *k)
{
	uint32_t nslot = k->nslot ? k->nslot * 2 : 1024;
	free(k->slot);
	k->slot = qy_xcalloc(nslot, sizeof *k->slot);
	k->nslot = nslot;
	size_t w = (size_t)k->width;
	for (int32_t id = 0; id < k->n; id++) {
		uint32_t i = hash_bytes(k->key + (size_t)id * w, w * 4) & (nslot - 1);
		while (k->slot[i] != 0)
			i = (i + 1) & (nslot - 1);
		k->slot[i] = id + 1;
	}
}

static int32_t
keys_lookup(const struct m_keys *k, const int32_t *key, uint32_t *at)
{
	if (k->nslot == 0)
		return -1;
	size_t w = (size_t)k->width;
	uint32_t i = hash_bytes(key, w * 4) & (k->nslot - 1);
	for (; k->slot[i] != 0; i = (i + 1) & (k->nslot - 1)) {
		int32_t id = k->slot[i] - 1;
		if (memcmp(k->key + (size_t)id * w, key, w * 4) == 0)
			return id;
	}
	if (at != NULL)
		*at = i;
	return -1;
}

int32_t
m_keys_find(const struct m_keys *k, const int32_t *key)
{
	return keys_lookup(k, key, NULL);
}

int32_t
m_keys_intern(struct m_keys *k, const int32_t *key)
{
	uint32_t at = 0;
	int32_t id = keys_lookup(k, key, &at);
	if (id >= 0)
		return id;
	if ((uint32_t)(k->n + 1) * 2 > k->nslot) {
		keys_rehash(k);
		keys_lookup(k, key, &at);
	}
	size_t w = (size_t)k->width;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 256;
		k->key = qy_xrealloc(k->key, (size_t)k->cap * w * sizeof *k->key);
	}
	id = k->n++;
	memcpy(k->key + (size_t)id * w, key, w * 4);
	k->slot[at] = id + 1;
	return id;
}

void
m_keys_free(struct m_keys *k)
{
	free(k->key);
	free(k->slot);
	memset(k, 0, sizeof *k);
}

void
m_ints_push(struct m_ints *a, int32_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = qy_xrealloc(a->v, a->cap * sizeof *a->v);
	}
	a->v[a->n++] = x;
}

void
m_ints_free(struct m_ints *a)
{
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* ---- union–find: the smaller index stays the root ---- */

int32_t
m_uf_find(int32_t *parent, int32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

void
m_uf_union(int32_t *parent, int32_t a, int32_t b)
{
	a = m_uf_find(parent, a);
	b = m_uf_find(parent, b);
	if (a != b) /* the smaller index stays the root: deterministic */
		parent[a > b ? a : b] = a < b ? a : b;
}

/* ---- a minimal work queue ------------------------------------------------ */

struct work {
	pthread_mutex_t lock;
	int32_t next, n;
	void (*fn)(void *arg, int32_t i);
	void *arg;
};

static void *
worker(void *p)
{
	struct work *w = p;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		int32_t i = w->next < w->n ? w->next++ : -1;
		pthread_mutex_unlock(&w->lock);
		if (i < 0)
			return NULL;
		w->fn(w->arg, i);
	}
}

void
m_parallel(int nthreads, int32_t n, void (*fn)(void *arg, int32_t i), void *arg)
{
	struct work w = {.next = 0, .n = n, .fn = fn, .arg = arg};
	if (nthreads > n)
		nthreads = n;
	if (nthreads <= 1) {
		for (int32_t i = 0; i < n; i++)
			fn(arg, i);
		return;
	}
	pthread_mutex_init(&w.lock, NULL);
	pthread_t tid[16];
	int started = 0;
	for (int t = 1; t < nthreads && t < 16; t++)
		if (pthread_create(&tid[started], NULL, worker, &w) == 0)
			started++;
	worker(&w); /* the calling thread works too; fewer threads only slow it down */
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&w.lock);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
m_trace_start(struct qy_match *m)
{
	m->trace = getenv("QY_MATCH_TRACE") != NULL;
	const char *method = getenv("QY_MATCH_METHOD");
	m->method_simplex = method != NULL && strcmp(method, "simplex") == 0;
	m->start = now();
}

void
m_trace(const struct qy_match *m, const char *fmt, ...)
{
	if (!m->trace)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "qy-match: trace: %.2f s: %s\n", now() - m->start, line);
}
