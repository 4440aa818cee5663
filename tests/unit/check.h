/* check.h — the unit-test harness (after sds's testhelp.h).
 *
 *   static void test_dates(void) { CHECK(x == 1); CHECK_STR(buf.data, "2024-03-05"); }
 *   int main(void) { RUN(test_dates); return check_report(); }
 *
 * Each RUN prints "PASS: file: name" or "FAIL: file: name" and the failed
 * checks; tests/run-all.sh counts those lines. */
#ifndef QY_CHECK_H
#define QY_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_fails_in_test;
static int check_tests_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			check_fails_in_test++;                                                     \
			fprintf(stdout, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *check_g_ = (got), *check_w_ = (want);                                  \
		if (check_g_ == NULL || strcmp(check_g_, check_w_) != 0) {                         \
			check_fails_in_test++;                                                     \
			fprintf(stdout, "  %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__,          \
				__LINE__, #got, check_g_ ? check_g_ : "(null)", check_w_);         \
		}                                                                                  \
	} while (0)

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		check_fails_in_test = 0;                                                           \
		fn();                                                                              \
		printf("%s: %s: %s\n", check_fails_in_test ? "FAIL" : "PASS", __FILE__, #fn);      \
		if (check_fails_in_test)                                                           \
			check_tests_failed++;                                                      \
	} while (0)

static inline int
check_report(void)
{
	return check_tests_failed ? 1 : 0;
}

#endif
