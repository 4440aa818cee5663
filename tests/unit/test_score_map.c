/* test_score_map.c — the string-keyed hash map of qy-score. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "score_map.h"

/* Keys short (inline) and long (arena), many of them (the table grows),
 * and keys that are prefixes of each other. */
static void
test_put_get(void)
{
	struct qy_smap m = {0};
	char key[64];
	int inserted;
	for (uint32_t i = 0; i < 100000; i++) {
		int n =
		    snprintf(key, sizeof key, i % 2 ? "DY%07u" : "a-much-longer-member-id-%u", i);
		uint64_t off;
		CHECK(qy_smap_put(&m, key, (size_t)n, i, &inserted, &off) == i);
		CHECK(inserted);
		CHECK(strcmp(qy_smap_key(&m, off), key) == 0);
	}
	CHECK(m.n == 100000);
	CHECK(2 * m.n <= m.cap);
	for (uint32_t i = 0; i < 100000; i++) {
		int n =
		    snprintf(key, sizeof key, i % 2 ? "DY%07u" : "a-much-longer-member-id-%u", i);
		CHECK(qy_smap_get(&m, key, (size_t)n) == (long)i);
		CHECK(qy_smap_get_hashed(&m, qy_smap_hash(key, (size_t)n), key, (size_t)n) ==
		      (long)i);
		/* present: put returns the old value */
		CHECK(qy_smap_put(&m, key, (size_t)n, 7, &inserted, NULL) == i);
		CHECK(!inserted);
	}
	CHECK(qy_smap_get(&m, "DY", 2) == -1);
	CHECK(qy_smap_get(&m, "DY00000011", 10) == -1);
	CHECK(qy_smap_get(&m, "DY0000001", 9) == 1);
	/* the empty key and keys with NUL bytes are keys like any other */
	CHECK(qy_smap_put(&m, "", 0, 42, &inserted, NULL) == 42 && inserted);
	CHECK(qy_smap_get(&m, "", 0) == 42);
	CHECK(qy_smap_put(&m, "a\0b", 3, 43, &inserted, NULL) == 43 && inserted);
	CHECK(qy_smap_get(&m, "a\0c", 3) == -1);
	CHECK(qy_smap_get(&m, "a", 1) == -1);
	qy_smap_free(&m);
	CHECK(qy_smap_get(&m, "x", 1) == -1); /* a freed map is an empty map */
}

/* Lengths around the inline limit and the 8-byte hashing step. */
static void
test_lengths(void)
{
	struct qy_smap m = {0};
	char key[40];
	int inserted;
	memset(key, 'k', sizeof key);
	for (uint32_t n = 1; n < sizeof key; n++)
		CHECK(qy_smap_put(&m, key, n, n, &inserted, NULL) == n && inserted);
	for (uint32_t n = 1; n < sizeof key; n++)
		CHECK(qy_smap_get(&m, key, n) == (long)n);
	CHECK(qy_smap_hash("abc", 3) != 0);
	CHECK(qy_smap_hash("", 0) != 0);
	qy_smap_free(&m);
}

int
main(void)
{
	RUN(test_put_get);
	RUN(test_lengths);
	return check_report();
}
