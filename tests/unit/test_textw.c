/* test_textw.c — display width without the locale. */
#include <string.h>

#include "check.h"
#include "textw.h"

static size_t
w(const char *s)
{
	return qy_textw_width(s, strlen(s));
}

static void
test_ascii(void)
{
	CHECK(w("") == 0);
	CHECK(w("abc 123") == 7);
	CHECK(w("a\tb") == 2); /* controls take nothing; callers escape them */
}

static void
test_cjk(void)
{
	CHECK(w("街道") == 4);
	CHECK(w("梅园新村街道") == 12);
	CHECK(w("A社区") == 5);
	CHECK(w("，。：（）") == 10);	   /* full-width punctuation */
	CHECK(w("ＡＢＣ") == 6);	   /* full-width forms */
	CHECK(w("한국") == 4);		   /* Hangul */
	CHECK(w("ひらがな") == 8);	   /* Hiragana */
	CHECK(w("\xF0\xA0\x80\x80") == 2); /* U+20000, CJK extension B */
	CHECK(w("\xE3\x80\x80") == 2);	   /* U+3000 ideographic space */
}

static void
test_narrow_and_zero(void)
{
	CHECK(w("é") == 1);
	CHECK(w("e\xCC\x81") == 1);	   /* e + combining acute */
	CHECK(w("★") == 1);		   /* ambiguous: one column */
	CHECK(w("\xE2\x80\x8B") == 0);	   /* zero width space */
	CHECK(w("\xEF\xB8\x8F") == 0);	   /* variation selector 16 */
	CHECK(w("\xEF\xBD\xA1") == 1);	   /* U+FF61 halfwidth ideographic full stop */
	CHECK(w("\xF0\x9F\x98\x80") == 2); /* U+1F600 emoji */
}

static void
test_invalid(void)
{
	/* An invalid byte counts as U+FFFD (one column) and never runs past n. */
	CHECK(w("\xFF") == 1);
	CHECK(w("\xE8\xA1") == 2);
	CHECK(qy_textw_width("街道", 4) == 3); /* a cut sequence: 1 wide char + 1 invalid byte */
	uint32_t cp;
	CHECK(qy_textw_decode("\xED\xA0\x80", 3, &cp) == 1 && cp == 0xFFFD); /* a surrogate */
	CHECK(qy_textw_decode("\xC0\xAF", 2, &cp) == 1 && cp == 0xFFFD);     /* overlong */
	CHECK(qy_textw_decode("\xE8\xA1\x97", 3, &cp) == 3 && cp == 0x8857);
}

static void
test_fit(void)
{
	size_t used;
	CHECK(qy_textw_fit("梅园新村", 12, 5, &used) == 6 && used == 4);
	CHECK(qy_textw_fit("ab街", 5, 3, &used) == 2 && used == 2);
	CHECK(qy_textw_fit("ab街", 5, 4, &used) == 5 && used == 4);
	CHECK(qy_textw_fit("abc", 3, 0, &used) == 0 && used == 0);
}

int
main(void)
{
	RUN(test_ascii);
	RUN(test_cjk);
	RUN(test_narrow_and_zero);
	RUN(test_invalid);
	RUN(test_fit);
	return check_report();
}
