/* test_value.c — SPEC 2.7's value types, one parser at a time. */
#include "check.h"
#include "value.h"

#include <stdlib.h>

static struct qy_buf out, why;

/* Normalises s as type t and returns the canonical form, or "ERR " and the
 * reason.  The buffers are reused between calls, as qy-ingest does. */
static const char *
norm_b(enum qy_type t, const char *s, double lo, double hi)
{
	static struct qy_buf res;
	qy_buf_reset(&out);
	qy_buf_reset(&why);
	qy_buf_reset(&res);
	int rc = qy_value_norm(t, s, strlen(s), lo, hi, &out, &why);
	if (rc == 0) {
		if (why.len != 0)
			return "BUG: why written on success";
		return out.data ? out.data : "";
	}
	if (rc != -1 || out.len != 0 || why.len == 0)
		return "BUG: bad failure";
	qy_buf_adds(&res, "ERR ");
	qy_buf_add(&res, why.data, why.len);
	return res.data;
}

static const char *
norm(enum qy_type t, const char *s)
{
	return norm_b(t, s, 0, 0);
}

static int
rejected(enum qy_type t, const char *s)
{
	return strncmp(norm(t, s), "ERR ", 4) == 0;
}

static void
test_trim(void)
{
	struct qy_str r = qy_trim("  a b \t", 7);
	CHECK(r.len == 3 && memcmp(r.p, "a b", 3) == 0);
	const char *s = "\xE3\x80\x80\xC2\xA0 张三 \xC2\xA0\xE3\x80\x80";
	r = qy_trim(s, strlen(s));
	CHECK(r.len == strlen("张三") && memcmp(r.p, "张三", r.len) == 0);
	r = qy_trim("\xE3\x80\x80\r\n", 5);
	CHECK(r.len == 0);
	r = qy_trim("", 0);
	CHECK(r.len == 0);
	r = qy_trim("abc", 3);
	CHECK(r.len == 3);
	/* A character that merely ends in 0x80 0x80 is not U+3000. */
	r = qy_trim("\xE4\x80\x80", 3);
	CHECK(r.len == 3);
	CHECK_STR(norm(QY_T_TEXT, "  第一行\n第二行\t "), "第一行\n第二行");
	CHECK_STR(norm(QY_T_TEXT, "\xE3\x80\x80 内容 \xC2\xA0"), "内容");
	CHECK_STR(norm(QY_T_TEXT, "   "), "");
	CHECK_STR(norm(QY_T_TEXT, "a\xE3\x80\x80"
				  "b"),
		  "a\xE3\x80\x80"
		  "b");
}

static void
test_fold(void)
{
	struct qy_buf b = {0};
	qy_fold_fullwidth(&b, "ＡＢ１２３！～", strlen("ＡＢ１２３！～"));
	CHECK_STR(b.data, "AB123!~");
	qy_buf_reset(&b);
	qy_fold_fullwidth(&b,
			  "a\xE3\x80\x80"
			  "b（注）",
			  strlen("a\xE3\x80\x80"
				 "b（注）"));
	CHECK_STR(b.data, "a b(注)");
	qy_buf_reset(&b);
	qy_fold_fullwidth(&b, "plain ascii text, long enough for words", 39);
	CHECK_STR(b.data, "plain ascii text, long enough for words");
	qy_buf_reset(&b);
	/* U+FF00 and U+FF5F are outside the folded range. */
	qy_fold_fullwidth(&b, "\xEF\xBC\x80\xEF\xBD\x9F", 6);
	CHECK_STR(b.data, "\xEF\xBC\x80\xEF\xBD\x9F");
	qy_buf_free(&b);
}

static void
test_id(void)
{
	CHECK_STR(norm(QY_T_ID, " D-0001 "), "D-0001");
	CHECK_STR(norm(QY_T_ID, "Ｄ００１"), "D001");
	CHECK_STR(norm(QY_T_ID, "需求001"), "需求001");
	CHECK_STR(norm(QY_T_ID, "d001"), "d001"); /* case kept */
	CHECK_STR(norm(QY_T_ID, "\xE3\x80\x80"
				"A1\xE3\x80\x80"),
		  "A1");
	CHECK_STR(norm(QY_T_ID, ""), "");
	CHECK_STR(norm(QY_T_ID, "A 01"), "ERR not an id: 'A 01' (no white space or control "
					 "characters allowed inside)");
	CHECK(rejected(QY_T_ID, "A\t01"));
	CHECK(rejected(QY_T_ID, "A\xE3\x80\x80"
				"01"));
	CHECK(rejected(QY_T_ID, "A\xC2\xA0"
				"01"));
	CHECK(rejected(QY_T_ID, "A\x01"
				"01"));
	CHECK(rejected(QY_T_ID, "A\x7F"
				"01"));
	CHECK(rejected(QY_T_ID, "A\xC2\x85"
				"01")); /* NEL, a C1 control */
	CHECK(rejected(QY_T_ID, "A\xE2\x80\x83"
				"01")); /* EM SPACE */
	CHECK(rejected(QY_T_ID, "A\xEF\xBB\xBF"
				"01")); /* ZWNBSP */
	CHECK(rejected(QY_T_ID, "A\n01"));
}

static void
test_date_forms(void)
{
	static const char *const forms[] = {
	    "2024-03-05",
	    "2024-3-5",
	    "2024-03-5",
	    "2024-3-05",
	    "2024/3/5",
	    "2024/03/05",
	    "2024.3.5",
	    "2024.03.05",
	    "20240305",
	    "2024年3月5日",
	    "2024年03月05日",
	    "２０２４－０３－０５",
	    "２０２４年３月５日",
	    "２０２４/３/５",
	    "20240305",
	    "2024/3/5 0:00:00",
	    "2024-03-05 14:30",
	    "2024-03-05 14:30:59",
	    "2024/3/5  23:59",
	    "2024-03-05T14:30:00",
	    "2024-03-05 14:30:00.123",
	    "2024年3月5日 8:00",
	    "20240305 00:00",
	    "45356",
	    "45356.0",
	    "45356.99999",
	    "４５３５６",
	    " 2024-03-05 ",
	    "\xE3\x80\x80"
	    "2024-3-5\xC2\xA0",
	    "2024年3月5号",
	    NULL,
	};
	for (int i = 0; forms[i] != NULL; i++) {
		const char *got = norm(QY_T_DATE, forms[i]);
		if (strcmp(got, "2024-03-05") != 0)
			printf("  date form '%s' gave '%s'\n", forms[i], got);
		CHECK_STR(got, "2024-03-05");
	}
	CHECK_STR(norm(QY_T_DATE, ""), "");
	CHECK_STR(norm(QY_T_DATE, "  "), "");
	CHECK_STR(norm(QY_T_DATE, "1999-12-31"), "1999-12-31");
	CHECK_STR(norm(QY_T_DATE, "2000-1-1"), "2000-01-01");
}

static void
test_date_rejects(void)
{
	CHECK_STR(norm(QY_T_DATE, "2024-2-30"), "ERR not a date: '2024-2-30' (no such day)");
	CHECK_STR(norm(QY_T_DATE, "2024-13-01"), "ERR not a date: '2024-13-01' (no such month)");
	CHECK_STR(norm(QY_T_DATE, "2024-00-01"), "ERR not a date: '2024-00-01' (no such month)");
	CHECK_STR(norm(QY_T_DATE, "2024-01-00"), "ERR not a date: '2024-01-00' (no such day)");
	CHECK_STR(norm(QY_T_DATE, "2024-04-31"), "ERR not a date: '2024-04-31' (no such day)");
	CHECK_STR(norm(QY_T_DATE, "2024-02-29"), "2024-02-29");
	CHECK_STR(norm(QY_T_DATE, "2000-02-29"), "2000-02-29");
	CHECK(rejected(QY_T_DATE, "2023-02-29"));
	CHECK(rejected(QY_T_DATE, "1900-02-29"));
	CHECK(rejected(QY_T_DATE, "2100-02-29"));
	CHECK(strstr(norm(QY_T_DATE, "garbage"), "ERR not a date: 'garbage' (expected a date like "
						 "2024-03-05") != NULL);
	static const char *const bad[] = {
	    "2024-03",
	    "2024",
	    "2024-03-05-01",
	    "2024-3/5",
	    "2024/3-5",
	    "24-3-5",
	    "2024-003-05",
	    "2024-03-005",
	    "2024年3月",
	    "2024年3月5",
	    "3/5/2024",
	    "05.03.2024",
	    "2024-03-05 25:00",
	    "2024-03-05 14:60",
	    "2024-03-05 14",
	    "2024-03-05 abc",
	    "2024-03-05x",
	    "+45356",
	    "-45356",
	    "45356.",
	    "45356.5.5",
	    "2024 03 05",
	    "0999-01-01",
	    "2024.3.5.",
	    "2024-03-05 14:30:",
	    "202403051",
	    "2024030",
	    "二〇二四年三月五日",
	    NULL,
	};
	for (int i = 0; bad[i] != NULL; i++) {
		const char *got = norm(QY_T_DATE, bad[i]);
		if (strncmp(got, "ERR not a date: ", 16) != 0)
			printf("  bad date '%s' gave '%s'\n", bad[i], got);
		CHECK(strncmp(got, "ERR not a date: ", 16) == 0);
	}
}

static void
test_date_serials(void)
{
	CHECK_STR(norm(QY_T_DATE, "45356"), "2024-03-05");
	CHECK_STR(norm(QY_T_DATE, "20000"), "1954-10-03");
	CHECK_STR(norm(QY_T_DATE, "80000"), "2119-01-11");
	CHECK_STR(norm(QY_T_DATE, "25569"), "1970-01-01");
	CHECK_STR(norm(QY_T_DATE, "45292"), "2024-01-01");
	CHECK_STR(norm(QY_T_DATE, "45351"), "2024-02-29");
	CHECK_STR(norm(QY_T_DATE, "45356.75"), "2024-03-05");
	CHECK_STR(norm(QY_T_DATE, "19999"), "ERR not a date: '19999' (an Excel serial day number "
					    "must be 20000..80000)");
	CHECK(rejected(QY_T_DATE, "80001"));
	CHECK(rejected(QY_T_DATE, "80000.5") == 0); /* the fraction is dropped */
	CHECK(rejected(QY_T_DATE, "19999.99"));
	CHECK(rejected(QY_T_DATE, "0"));
	CHECK(rejected(QY_T_DATE, "61"));
}

static void
test_date_api(void)
{
	qy_day d;
	struct qy_buf w = {0};
	CHECK(qy_date_parse("2024/3/5", 8, &d, &w) == 0 && w.len == 0);
	CHECK(d == 19787);
	char s[11];
	qy_date_format(d, s);
	CHECK_STR(s, "2024-03-05");
	CHECK(qy_date_parse("1970-01-01", 10, &d, &w) == 0 && d == 0);
	CHECK(qy_date_parse("1969-12-31", 10, &d, &w) == 0 && d == -1);
	qy_date_format(-1, s);
	CHECK_STR(s, "1969-12-31");
	CHECK(qy_date_parse("2024-2-30", 9, &d, &w) == -1);
	CHECK_STR(w.data, "not a date: '2024-2-30' (no such day)");
	qy_buf_reset(&w);
	CHECK(qy_date_parse("2024-2-30", 9, &d, NULL) == -1);
	CHECK(qy_date_from_ymd(2024, 2, 29, &d) == 0);
	CHECK(qy_date_from_ymd(2023, 2, 29, &d) == -1);
	CHECK(qy_date_from_ymd(2024, 13, 1, &d) == -1);
	CHECK(qy_date_from_ymd(2024, 0, 1, &d) == -1);
	CHECK(qy_date_from_ymd(2024, 1, 0, &d) == -1);
	/* Round trip over four centuries and a bit, across the epoch. */
	int ok = 1;
	qy_day prev = 0;
	for (int y = 1899; y <= 2301 && ok; y++)
		for (int m = 1; m <= 12 && ok; m++)
			for (int dd = 1; dd <= 31; dd++) {
				qy_day x;
				if (qy_date_from_ymd(y, m, dd, &x) < 0)
					continue;
				int yy, mm, ddd;
				qy_date_to_ymd(x, &yy, &mm, &ddd);
				if (yy != y || mm != m || ddd != dd ||
				    (y > 1899 || m > 1 || dd > 1 ? x != prev + 1 : 0))
					ok = 0;
				prev = x;
			}
	CHECK(ok);
	CHECK(qy_date_from_ymd(2000, 3, 1, &d) == 0 && d == 11017);
	int y, m;
	CHECK(qy_month_parse("2024-03", 7, &y, &m) == 0 && y == 2024 && m == 3);
	CHECK(qy_month_parse("2024-3", 6, &y, &m) == -1);
	CHECK(qy_month_parse("2024-13", 7, &y, &m) == -1);
	CHECK(qy_month_parse("2024-00", 7, &y, &m) == -1);
	CHECK(qy_month_parse("2024/03", 7, &y, &m) == -1);
	CHECK(qy_month_parse("2024-03-01", 10, &y, &m) == -1);
	qy_buf_free(&w);
}

static void
test_integers(void)
{
	CHECK_STR(norm_b(QY_T_INT, "42", 1, 100000), "42");
	CHECK_STR(norm_b(QY_T_INT, "1,234", 1, 100000), "1234");
	CHECK_STR(norm_b(QY_T_INT, "100,000", 1, 100000), "100000");
	CHECK_STR(norm_b(QY_T_INT, "1,000,000", 1, 1000000), "1000000");
	CHECK_STR(norm_b(QY_T_INT, "１２３", 1, 100000), "123");
	CHECK_STR(norm_b(QY_T_INT, "１，２３４", 1, 100000), "1234");
	CHECK_STR(norm_b(QY_T_INT, "007", 1, 100000), "7");
	CHECK_STR(norm_b(QY_T_INT, " 5 ", 1, 100000), "5");
	CHECK_STR(norm_b(QY_T_INT, "0", 0, 10), "0");
	CHECK_STR(norm_b(QY_T_INT, "000", 0, 10), "0");
	CHECK_STR(norm_b(QY_T_INT, "", 1, 10), "");
	CHECK_STR(norm_b(QY_T_INT, "0", 1, 100000), "ERR out of range: '0' (expected 1..100000)");
	CHECK_STR(norm_b(QY_T_INT, "100001", 1, 100000),
		  "ERR out of range: '100001' (expected 1..100000)");
	CHECK(strncmp(norm_b(QY_T_INT, "99999999999999999999999", 1, 100000), "ERR out of range",
		      16) == 0);
	CHECK_STR(norm_b(QY_T_INT, "12,34", 1, 100000),
		  "ERR not a whole number: '12,34' (expected a whole number without sign, e.g. 12 "
		  "or 1,234)");
	static const char *const bad[] = {"1234,567", "1,2345",	 ",123", "1,",	  "1,,234", "1.5",
					  "-5",	      "+5",	 "5-",	 "1 234", "abc",    "1e3",
					  "0x10",     "1,234.0", "五",	 NULL};
	for (int i = 0; bad[i] != NULL; i++) {
		const char *got = norm_b(QY_T_INT, bad[i], 0, 1e9);
		if (strncmp(got, "ERR not a whole number: ", 24) != 0)
			printf("  bad integer '%s' gave '%s'\n", bad[i], got);
		CHECK(strncmp(got, "ERR not a whole number: ", 24) == 0);
	}
}

static void
test_decimals(void)
{
	CHECK_STR(norm_b(QY_T_DECIMAL, "1.5", 0, 24), "1.5");
	CHECK_STR(norm_b(QY_T_DECIMAL, "2", 0, 24), "2");
	CHECK_STR(norm_b(QY_T_DECIMAL, "2.50", 0, 24), "2.50");
	CHECK_STR(norm_b(QY_T_DECIMAL, "02.5", 0, 24), "02.5");
	CHECK_STR(norm_b(QY_T_DECIMAL, "0", 0, 24), "0");
	CHECK_STR(norm_b(QY_T_DECIMAL, "0.0", 0, 24), "0.0");
	CHECK_STR(norm_b(QY_T_DECIMAL, "24", 0, 24), "24");
	CHECK_STR(norm_b(QY_T_DECIMAL, "24.000", 0, 24), "24.000");
	CHECK_STR(norm_b(QY_T_DECIMAL, "１．５", 0, 24), "1.5");
	CHECK_STR(norm_b(QY_T_DECIMAL, "1,234.5", 0, 1e6), "1234.5");
	CHECK_STR(norm_b(QY_T_DECIMAL, "24.01", 0, 24),
		  "ERR out of range: '24.01' (expected 0..24)");
	CHECK_STR(norm_b(QY_T_DECIMAL, "24.0000000000000000001", 0, 24),
		  "ERR out of range: '24.0000000000000000001' (expected 0..24)");
	CHECK(strncmp(norm_b(QY_T_DECIMAL, "25", 0, 24), "ERR out of range", 16) == 0);
	CHECK(strncmp(norm_b(QY_T_DECIMAL, "0.4", 0.5, 24), "ERR out of range", 16) == 0);
	static const char *const bad[] = {".5",	  "5.",	 "1.2.3", "+1",	     "-1", "1,5",
					  "1 .5", "abc", "1e2",	  "12,34.5", NULL};
	for (int i = 0; bad[i] != NULL; i++) {
		const char *got = norm_b(QY_T_DECIMAL, bad[i], 0, 1e9);
		if (strncmp(got, "ERR not a decimal number: ", 26) != 0)
			printf("  bad decimal '%s' gave '%s'\n", bad[i], got);
		CHECK(strncmp(got, "ERR not a decimal number: ", 26) == 0);
	}
}

static void
test_phones(void)
{
	static const char *const ok[][2] = {
	    {"13800138000", "13800138000"},
	    {"138 0013 8000", "13800138000"},
	    {"138-0013-8000", "13800138000"},
	    {"138.0013.8000", "13800138000"},
	    {"+86 138 0013 8000", "13800138000"},
	    {"+8613800138000", "13800138000"},
	    {"86 13800138000", "13800138000"},
	    {"8613800138000", "13800138000"},
	    {"0086 138 0013 8000", "13800138000"},
	    {"(+86) 138-0013-8000", "13800138000"},
	    {"１３８００１３８０００", "13800138000"},
	    {"199 9999 9999", "19999999999"},
	    {"0511-85021234", "051185021234"},
	    {"(0511) 8502 1234", "051185021234"},
	    {"（0511）85021234", "051185021234"},
	    {"010-12345678", "01012345678"},
	    {"0571-8765432", "05718765432"},
	    {"+86 511 8502 1234", "051185021234"},
	    {"86-511-85021234", "051185021234"},
	    {"+86 10 1234 5678", "01012345678"},
	    {"+86 (0)511 8502 1234", "051185021234"},
	    {"138\xC2\xA0"
	     "0013\xE3\x80\x80"
	     "8000",
	     "13800138000"},
	    {"\t13800138000 ", "13800138000"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		const char *got = norm(QY_T_PHONE, ok[i][0]);
		if (strcmp(got, ok[i][1]) != 0)
			printf("  phone '%s' gave '%s'\n", ok[i][0], got);
		CHECK_STR(got, ok[i][1]);
	}
	CHECK_STR(norm(QY_T_PHONE, "1380013"),
		  "ERR not a phone: '1380013' (expected a mobile 1[3-9]XXXXXXXXX or a landline "
		  "0XXXXXXXXX with 10 to 12 digits, area code included; this has 7 digits)");
	CHECK_STR(norm(QY_T_PHONE, "85021234"),
		  "ERR not a phone: '85021234' (expected a mobile 1[3-9]XXXXXXXXX or a landline "
		  "0XXXXXXXXX with 10 to 12 digits, area code included)");
	CHECK(strstr(norm(QY_T_PHONE, "+86 137 2758 474"), "included; this has 10 digits)"));
	CHECK(strstr(norm(QY_T_PHONE, "0511-85021"), "area code included; this has 9 digits)"));
	CHECK(strstr(norm(QY_T_PHONE, "12800138000"), "included; this has 11 digits)"));
	CHECK_STR(norm(QY_T_PHONE, "0511-85021234转801"),
		  "ERR not a phone: '0511-85021234转801' (extensions are not accepted)");
	CHECK_STR(norm(QY_T_PHONE, "0511-85021234-801"),
		  "ERR not a phone: '0511-85021234-801' (extensions are not accepted)");
	CHECK_STR(norm(QY_T_PHONE, "13800138000/13900139000"),
		  "ERR not a phone: '13800138000/13900139000' (one phone number per field)");
	static const char *const bad[] = {
	    "12800138000",
	    "1380013800",
	    "138001380001",
	    "85021234",
	    "0511-8502",
	    "051185021234567",
	    "13800138000 ext 12",
	    "13800138000x12",
	    "+1 212 555 1234",
	    "+86",
	    "86",
	    "phone",
	    "138OO138000",
	    "+ 86 138",
	    "13800138000+",
	    "0511#85021234",
	    "138-0013-8000;139-0013-9000",
	    NULL,
	};
	for (int i = 0; bad[i] != NULL; i++) {
		const char *got = norm(QY_T_PHONE, bad[i]);
		if (strncmp(got, "ERR not a phone: ", 17) != 0)
			printf("  bad phone '%s' gave '%s'\n", bad[i], got);
		CHECK(strncmp(got, "ERR not a phone: ", 17) == 0);
	}
	CHECK_STR(norm(QY_T_PHONE, ""), "");
}

/* Every alias of SPEC 2.7, and the codes in several ASCII cases. */
struct code_case {
	enum qy_type t;
	const char *in;
	const char *want;
	int code;
};

static const struct code_case code_cases[] = {
    {QY_T_CATEGORY, "gov", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "GOV", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "Gov", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "ｇｏｖ", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "政务", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "政务服务", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY, "life", "life", QY_CAT_LIFE},
    {QY_T_CATEGORY, "生活", "life", QY_CAT_LIFE},
    {QY_T_CATEGORY, "生活服务", "life", QY_CAT_LIFE},
    {QY_T_CATEGORY, "LEGAL", "legal", QY_CAT_LEGAL},
    {QY_T_CATEGORY, "法律", "legal", QY_CAT_LEGAL},
    {QY_T_CATEGORY, "法律服务", "legal", QY_CAT_LEGAL},
    {QY_T_CATEGORY, "法律援助", "legal", QY_CAT_LEGAL},
    {QY_T_CATEGORY, "Culture", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY, "文体", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY, "文体服务", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY, "文化", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY, "文化体育", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY, "care", "care", QY_CAT_CARE},
    {QY_T_CATEGORY, "关爱", "care", QY_CAT_CARE},
    {QY_T_CATEGORY, "关爱服务", "care", QY_CAT_CARE},
    {QY_T_CATEGORY, "帮扶", "care", QY_CAT_CARE},
    {QY_T_CATEGORY, "party", "party", QY_CAT_PARTY},
    {QY_T_CATEGORY, "党员", "party", QY_CAT_PARTY},
    {QY_T_CATEGORY, "党员服务", "party", QY_CAT_PARTY},
    {QY_T_CATEGORY, " 党建\xE3\x80\x80", "party", QY_CAT_PARTY},
    {QY_T_CATEGORY_ANY, "gov", "gov", QY_CAT_GOV},
    {QY_T_CATEGORY_ANY, "文化", "culture", QY_CAT_CULTURE},
    {QY_T_CATEGORY_ANY, "any", "any", QY_CAT_ANY},
    {QY_T_CATEGORY_ANY, "ANY", "any", QY_CAT_ANY},
    {QY_T_CATEGORY_ANY, "全部", "any", QY_CAT_ANY},
    {QY_T_CATEGORY_ANY, "不限", "any", QY_CAT_ANY},
    {QY_T_PRIORITY, "normal", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "Normal", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "一般", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "普通", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "1", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "１", "normal", QY_PRI_NORMAL},
    {QY_T_PRIORITY, "URGENT", "urgent", QY_PRI_URGENT},
    {QY_T_PRIORITY, "紧急", "urgent", QY_PRI_URGENT},
    {QY_T_PRIORITY, "较急", "urgent", QY_PRI_URGENT},
    {QY_T_PRIORITY, "2", "urgent", QY_PRI_URGENT},
    {QY_T_PRIORITY, "critical", "critical", QY_PRI_CRITICAL},
    {QY_T_PRIORITY, "特急", "critical", QY_PRI_CRITICAL},
    {QY_T_PRIORITY, "非常紧急", "critical", QY_PRI_CRITICAL},
    {QY_T_PRIORITY, "3", "critical", QY_PRI_CRITICAL},
    {QY_T_STATUS, "open", "open", QY_ST_OPEN},
    {QY_T_STATUS, "OPEN", "open", QY_ST_OPEN},
    {QY_T_STATUS, "待认领", "open", QY_ST_OPEN},
    {QY_T_STATUS, "待派单", "open", QY_ST_OPEN},
    {QY_T_STATUS, "未认领", "open", QY_ST_OPEN},
    {QY_T_STATUS, "新建", "open", QY_ST_OPEN},
    {QY_T_STATUS, "claimed", "claimed", QY_ST_CLAIMED},
    {QY_T_STATUS, "已认领", "claimed", QY_ST_CLAIMED},
    {QY_T_STATUS, "已派单", "claimed", QY_ST_CLAIMED},
    {QY_T_STATUS, "办理中", "claimed", QY_ST_CLAIMED},
    {QY_T_STATUS, "处理中", "claimed", QY_ST_CLAIMED},
    {QY_T_STATUS, "Done", "done", QY_ST_DONE},
    {QY_T_STATUS, "已办结", "done", QY_ST_DONE},
    {QY_T_STATUS, "已完成", "done", QY_ST_DONE},
    {QY_T_STATUS, "办结", "done", QY_ST_DONE},
    {QY_T_STATUS, "closed", "closed", QY_ST_CLOSED},
    {QY_T_STATUS, "已关闭", "closed", QY_ST_CLOSED},
    {QY_T_STATUS, "已撤销", "closed", QY_ST_CLOSED},
    {QY_T_STATUS, "撤销", "closed", QY_ST_CLOSED},
    {QY_T_STATUS, "不予受理", "closed", QY_ST_CLOSED},
    {QY_T_SATISFACTION, "1", "1", 1},
    {QY_T_SATISFACTION, "2", "2", 2},
    {QY_T_SATISFACTION, "3", "3", 3},
    {QY_T_SATISFACTION, "4", "4", 4},
    {QY_T_SATISFACTION, "5", "5", 5},
    {QY_T_SATISFACTION, "５", "5", 5},
    {QY_T_SATISFACTION, "非常满意", "5", 5},
    {QY_T_SATISFACTION, "满意", "4", 4},
    {QY_T_SATISFACTION, "基本满意", "3", 3},
    {QY_T_SATISFACTION, "不满意", "2", 2},
    {QY_T_SATISFACTION, "非常不满意", "1", 1},
    {QY_T_UNIT_KIND, "agency", "agency", QY_UK_AGENCY},
    {QY_T_UNIT_KIND, "机关", "agency", QY_UK_AGENCY},
    {QY_T_UNIT_KIND, "机关单位", "agency", QY_UK_AGENCY},
    {QY_T_UNIT_KIND, "Enterprise", "enterprise", QY_UK_ENTERPRISE},
    {QY_T_UNIT_KIND, "企业", "enterprise", QY_UK_ENTERPRISE},
    {QY_T_UNIT_KIND, "事业单位", "enterprise", QY_UK_ENTERPRISE},
    {QY_T_UNIT_KIND, "企事业单位", "enterprise", QY_UK_ENTERPRISE},
    {QY_T_UNIT_KIND, "国企", "enterprise", QY_UK_ENTERPRISE},
    {QY_T_UNIT_KIND, "SOCIAL_ORG", "social_org", QY_UK_SOCIAL_ORG},
    {QY_T_UNIT_KIND, "社会组织", "social_org", QY_UK_SOCIAL_ORG},
    {QY_T_UNIT_KIND, "volunteer_team", "volunteer_team", QY_UK_VOLUNTEER_TEAM},
    {QY_T_UNIT_KIND, "志愿服务队", "volunteer_team", QY_UK_VOLUNTEER_TEAM},
    {QY_T_UNIT_KIND, "志愿队", "volunteer_team", QY_UK_VOLUNTEER_TEAM},
    {QY_T_UNIT_KIND, "member", "member", QY_UK_MEMBER},
    {QY_T_UNIT_KIND, "在职党员", "member", QY_UK_MEMBER},
    {QY_T_UNIT_KIND, "党员", "member", QY_UK_MEMBER},
    {QY_T_MEMBER_KIND, "resident", "resident", QY_MK_RESIDENT},
    {QY_T_MEMBER_KIND, "居民党员", "resident", QY_MK_RESIDENT},
    {QY_T_MEMBER_KIND, "直管", "resident", QY_MK_RESIDENT},
    {QY_T_MEMBER_KIND, "EMPLOYED", "employed", QY_MK_EMPLOYED},
    {QY_T_MEMBER_KIND, "在职党员", "employed", QY_MK_EMPLOYED},
    {QY_T_MEMBER_KIND, "双管", "employed", QY_MK_EMPLOYED},
    {QY_T_MEMBER_KIND, "mobile", "mobile", QY_MK_MOBILE},
    {QY_T_MEMBER_KIND, "流动党员", "mobile", QY_MK_MOBILE},
    {QY_T_MEMBER_KIND, "共管", "mobile", QY_MK_MOBILE},
    {QY_T_MEMBER_KIND, "retired", "retired", QY_MK_RETIRED},
    {QY_T_MEMBER_KIND, "离退休党员", "retired", QY_MK_RETIRED},
    {QY_T_MEMBER_KIND, "协管", "retired", QY_MK_RETIRED},
};

static void
test_codes(void)
{
	for (size_t i = 0; i < sizeof code_cases / sizeof code_cases[0]; i++) {
		const struct code_case *c = &code_cases[i];
		const char *got = norm(c->t, c->in);
		if (strcmp(got, c->want) != 0)
			printf("  %s '%s' gave '%s'\n", qy_type_name(c->t), c->in, got);
		CHECK_STR(got, c->want);
		CHECK(qy_code_parse(c->t, c->in, strlen(c->in)) == c->code);
		CHECK_STR(qy_code_name(c->t, c->code), c->want);
		CHECK(qy_code_label_zh(c->t, c->code) != NULL);
	}
}

static void
test_code_rejects(void)
{
	CHECK_STR(norm(QY_T_CATEGORY, "娱乐"),
		  "ERR not a category: '娱乐' (expected gov 政务, life 生活, legal 法律, culture "
		  "文体, care 关爱, party 党员)");
	CHECK(strstr(norm(QY_T_CATEGORY, "any"), "ERR not a category: 'any'") != NULL);
	CHECK(rejected(QY_T_CATEGORY, "全部"));
	CHECK(rejected(QY_T_CATEGORY, "不限"));
	CHECK(qy_code_parse(QY_T_CATEGORY, "any", 3) == -1);
	CHECK(strstr(norm(QY_T_CATEGORY_ANY, "娱乐"), "any 不限)") != NULL);
	CHECK(rejected(QY_T_CATEGORY, "gov服务"));
	CHECK(rejected(QY_T_CATEGORY, "政 务"));
	CHECK(rejected(QY_T_CATEGORY, "govt"));
	CHECK(rejected(QY_T_PRIORITY, "4"));
	CHECK(rejected(QY_T_PRIORITY, "0"));
	CHECK(rejected(QY_T_PRIORITY, "01"));
	CHECK(rejected(QY_T_PRIORITY, "high"));
	CHECK(strstr(norm(QY_T_PRIORITY, "high"), "ERR not a priority: 'high' (expected normal") !=
	      NULL);
	CHECK(rejected(QY_T_STATUS, "pending"));
	CHECK(strstr(norm(QY_T_STATUS, "x"), "ERR not a status: 'x'") != NULL);
	CHECK(rejected(QY_T_SATISFACTION, "0"));
	CHECK(rejected(QY_T_SATISFACTION, "6"));
	CHECK(rejected(QY_T_SATISFACTION, "4.5"));
	CHECK(rejected(QY_T_SATISFACTION, "5.0"));
	CHECK(rejected(QY_T_SATISFACTION, "一般"));
	CHECK(strstr(norm(QY_T_SATISFACTION, "6"),
		     "ERR not a satisfaction rating: '6' (expected") != NULL);
	CHECK(rejected(QY_T_UNIT_KIND, "学校"));
	CHECK(strstr(norm(QY_T_UNIT_KIND, "学校"), "ERR not a unit kind: '学校'") != NULL);
	CHECK(rejected(QY_T_MEMBER_KIND, "党员"));
	CHECK(strstr(norm(QY_T_MEMBER_KIND, "x"), "ERR not a member kind: 'x'") != NULL);
	CHECK_STR(norm(QY_T_STATUS, ""), "");
	CHECK(qy_code_parse(QY_T_DATE, "gov", 3) == -1);
	CHECK(qy_code_name(QY_T_PRIORITY, 3) == NULL);
	CHECK(qy_code_name(QY_T_PRIORITY, -1) == NULL);
	CHECK(qy_code_name(QY_T_SATISFACTION, 0) == NULL);
	CHECK(qy_code_name(QY_T_TEXT, 0) == NULL);
	CHECK_STR(qy_code_label_zh(QY_T_CATEGORY, QY_CAT_GOV), "政务");
	CHECK_STR(qy_code_label_zh(QY_T_STATUS, QY_ST_DONE), "已办结");
	CHECK_STR(qy_code_label_zh(QY_T_PRIORITY, QY_PRI_URGENT), "紧急");
	CHECK_STR(qy_code_label_zh(QY_T_SATISFACTION, 5), "非常满意");
	CHECK_STR(qy_code_label_zh(QY_T_CATEGORY_ANY, QY_CAT_ANY), "不限");
}

static void
test_patterns(void)
{
	CHECK_STR(norm(QY_T_PATTERN, " 养老|助餐 "), "养老|助餐");
	CHECK_STR(norm(QY_T_PATTERN, "[a-z]+\\d"), "[a-z]+\\d");
	const char *got = norm(QY_T_PATTERN, "养老(");
	const char *want = "ERR not a pattern: '养老(' (does not compile at character 4: ";
	CHECK(strncmp(got, want, strlen(want)) == 0);
	CHECK(strstr(got, "missing closing parenthesis") != NULL);
	CHECK(rejected(QY_T_PATTERN, "a{2,1}"));
	CHECK(rejected(QY_T_PATTERN, "*x"));
	CHECK(rejected(QY_T_PATTERN, "\\"));
	CHECK_STR(norm(QY_T_PATTERN, "\\d{3}"), "\\d{3}");
	CHECK_STR(norm(QY_T_PATTERN, "养老｜助餐"),
		  "养老|助餐"); /* folded like every non-text value */
	CHECK_STR(norm(QY_T_PATTERN, "(?i)ABC"), "(?i)ABC");
	CHECK_STR(norm(QY_T_PATTERN, ""), "");
	/* Plain words and '|' skip the compiler; anything else asks it. */
	CHECK_STR(norm(QY_T_PATTERN, "a||b|^c$|."), "a||b|^c$|.");
	CHECK(rejected(QY_T_PATTERN, "养老\xE5"));	   /* invalid UTF-8 */
	CHECK(rejected(QY_T_PATTERN, "养老\xED\xA0\x80")); /* a surrogate */
	CHECK(rejected(QY_T_PATTERN, "a|b)"));
	CHECK(rejected(QY_T_PATTERN, "[a"));
	CHECK(rejected(QY_T_PATTERN, "a|+b"));
	CHECK_STR(norm(QY_T_PATTERN, "a{"), "a{");
	CHECK_STR(norm(QY_T_PATTERN, "(?:养老|助餐)服务"), "(?:养老|助餐)服务");
}

static void
test_utf8(void)
{
	size_t bad = 99;
	CHECK(qy_utf8_valid("", 0, &bad) == 1);
	CHECK(qy_utf8_valid("plain ascii, more than eight bytes", 34, NULL) == 1);
	const char *zh = "需求编号 and 村（社区）, 𠀀 and \xF4\x8F\xBF\xBF";
	CHECK(qy_utf8_valid(zh, strlen(zh), &bad) == 1);
	CHECK(qy_utf8_valid("\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80", 14, &bad) ==
	      1);
	/* Overlongs. */
	CHECK(qy_utf8_valid("ab\xC0\xAF", 4, &bad) == 0 && bad == 2);
	CHECK(qy_utf8_valid("\xC1\xBF", 2, &bad) == 0 && bad == 0);
	CHECK(qy_utf8_valid("\xE0\x9F\xBF", 3, &bad) == 0 && bad == 0);
	CHECK(qy_utf8_valid("\xF0\x8F\xBF\xBF", 4, &bad) == 0 && bad == 0);
	/* Surrogates. */
	CHECK(qy_utf8_valid("x\xED\xA0\x80", 4, &bad) == 0 && bad == 1);
	CHECK(qy_utf8_valid("\xED\xBF\xBF", 3, &bad) == 0);
	CHECK(qy_utf8_valid("\xED\x9F\xBF", 3, &bad) == 1); /* U+D7FF */
	/* Beyond U+10FFFF. */
	CHECK(qy_utf8_valid("\xF4\x90\x80\x80", 4, &bad) == 0);
	CHECK(qy_utf8_valid("\xF5\x80\x80\x80", 4, &bad) == 0);
	CHECK(qy_utf8_valid("\xFF", 1, &bad) == 0);
	/* Truncated and stray continuation bytes. */
	CHECK(qy_utf8_valid("abcdefgh\xE4\xBD", 10, &bad) == 0 && bad == 8);
	CHECK(qy_utf8_valid("\xF0\x9F\x98", 3, &bad) == 0);
	CHECK(qy_utf8_valid("\x80", 1, &bad) == 0 && bad == 0);
	CHECK(qy_utf8_valid("\xE4\xBD"
			    "a",
			    3, &bad) == 0);
	CHECK(qy_utf8_valid("\xE4"
			    "ab",
			    3, &bad) == 0);
	/* The invalid byte found after a long ASCII run. */
	char big[100];
	memset(big, 'a', sizeof big);
	big[77] = (char)0x80;
	CHECK(qy_utf8_valid(big, sizeof big, &bad) == 0 && bad == 77);
	big[77] = 'a';
	CHECK(qy_utf8_valid(big, sizeof big, &bad) == 1);
}

static void
test_type_names(void)
{
	CHECK_STR(qy_type_name(QY_T_DATE), "date");
	CHECK_STR(qy_type_name(QY_T_PHONE), "phone");
	CHECK_STR(qy_type_name(QY_T_INT), "integer");
	CHECK_STR(qy_type_name(QY_T_MEMBER_KIND), "member kind");
}

/* Values longer than the stack buffer that folds them. */
static void
test_long_values(void)
{
	char big[1200];
	strcpy(big, "１");
	for (int i = 0; i < 300; i++)
		strcat(big, "０");
	CHECK(strncmp(norm_b(QY_T_INT, big, 1, 100000), "ERR out of range", 16) == 0);
	strcpy(big, "");
	for (int i = 0; i < 300; i++)
		strcat(big, "０");
	strcat(big, "７");
	CHECK_STR(norm_b(QY_T_INT, big, 1, 100000), "7");
	strcpy(big, "Ｄ");
	for (int i = 0; i < 300; i++)
		strcat(big, "１");
	const char *got = norm(QY_T_ID, big);
	CHECK(strlen(got) == 301 && got[0] == 'D' && got[300] == '1');
}

/* Parsers append to out and leave it as it was on failure. */
static void
test_appends(void)
{
	static const struct {
		enum qy_type t;
		const char *in, *want;
	} cases[] = {
	    {QY_T_INT, "1,234", "row|1234"},
	    {QY_T_INT, "12,34", "row|"},
	    {QY_T_INT, "007", "row|7"},
	    {QY_T_INT, "0", "row|"},
	    {QY_T_DECIMAL, "1.5", "row|1.5"},
	    {QY_T_DECIMAL, "1.", "row|"},
	    {QY_T_ID, "Ａ 1", "row|"},
	    {QY_T_ID, "Ａ1", "row|A1"},
	    {QY_T_PHONE, "+86 511 8502 1234", "row|051185021234"},
	    {QY_T_PHONE, "+86 511", "row|"},
	    {QY_T_DATE, "2024/3/5", "row|2024-03-05"},
	    {QY_T_DATE, "2024/2/30", "row|"},
	    {QY_T_STATUS, "办结", "row|done"},
	    {QY_T_TEXT, " a ", "row|a"},
	};
	struct qy_buf o = {0}, w = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		qy_buf_reset(&o);
		qy_buf_adds(&o, "row|");
		qy_value_norm(cases[i].t, cases[i].in, strlen(cases[i].in), 1, 100000, &o, &w);
		CHECK_STR(o.data, cases[i].want);
		CHECK(o.len == strlen(cases[i].want));
	}
	/* Reasons append too: one why can collect a row's problems. */
	qy_buf_reset(&w);
	qy_buf_adds(&w, "first; ");
	qy_value_norm(QY_T_DATE, "x", 1, 0, 0, &o, &w);
	CHECK(strncmp(w.data, "first; not a date: 'x'", 22) == 0);
	qy_buf_free(&o);
	qy_buf_free(&w);
}

/* What qy_value_norm makes of s[0..n): "OK " and the output, or "ERR " and
 * the reason, into res.  o holds a prefix that must stay as it is. */
static void
norm_result(enum qy_type t, const char *s, size_t n, struct qy_buf *o, struct qy_buf *res)
{
	struct qy_buf w = {0};
	size_t start = o->len;
	int rc = qy_value_norm(t, s, n, 1, 100000, o, &w);
	qy_buf_reset(res);
	qy_buf_adds(res, rc == 0 ? "OK " : "ERR ");
	qy_buf_add(res, o->data + start, o->len - start);
	qy_buf_addc(res, '|');
	qy_buf_add(res, w.data, w.len);
	if ((o->data != NULL && o->data[o->len] != '\0') || (rc == 0 && w.len != 0) ||
	    (rc != 0 && o->len != start))
		qy_buf_adds(res, " BUG");
	o->len = start;
	if (o->data != NULL)
		o->data[start] = '\0';
	qy_buf_free(&w);
}

/* The fast path for values already in canonical form must say exactly what
 * the general path says.  A leading space always takes the general path
 * (no canonical value starts with one) and is trimmed there, so s and " "s
 * must come out the same: for every seed with every byte at every place,
 * cut short, and extended by a byte. */
static void
check_fast_agrees(enum qy_type t, const char *seed, struct qy_buf *o, int *bad)
{
	char v[64];
	struct qy_buf a = {0}, b = {0};
	size_t n = strlen(seed);
	for (size_t variant = 0; variant < (n + 1) * 256 + n; variant++) {
		size_t len = n;
		memcpy(v + 1, seed, n);
		if (variant < n * 256) {
			v[1 + variant / 256] = (char)(variant % 256);
		} else if (variant < (n + 1) * 256) {
			v[1 + n] = (char)(variant % 256);
			len = n + 1;
		} else {
			len = variant - (n + 1) * 256; /* 0..n-1 */
		}
		v[0] = ' ';
		norm_result(t, v + 1, len, o, &a);
		norm_result(t, v, len + 1, o, &b);
		if (strcmp(a.data, b.data) != 0 || strstr(a.data, " BUG") != NULL) {
			if ((*bad)++ < 5)
				printf("  %s '%.*s': fast %s, general %s\n", qy_type_name(t),
				       (int)len, v + 1, a.data, b.data);
		}
	}
	qy_buf_free(&a);
	qy_buf_free(&b);
}

static void
test_fast_path_agrees(void)
{
	static const struct {
		enum qy_type t;
		const char *seed;
	} seeds[] = {
	    {QY_T_DATE, "2024-06-05"},
	    {QY_T_DATE, "2024-02-29"},
	    {QY_T_DATE, "2023-02-29"},
	    {QY_T_DATE, "1999-12-31"},
	    {QY_T_DATE, "1000-01-01"},
	    {QY_T_DATE, "0999-12-31"},
	    {QY_T_DATE, "2100-02-29"},
	    {QY_T_DATE, "2000-02-29"},
	    {QY_T_DATE, "2024-04-31"},
	    {QY_T_DATE, "2024-04-30"},
	    {QY_T_DATE, "2024-13-01"},
	    {QY_T_DATE, "2024-00-10"},
	    {QY_T_DATE, "2024-01-00"},
	    {QY_T_DATE, "9999-12-31"},
	    {QY_T_DATE, "2024-10-19"},
	    {QY_T_DATE, "20240605"},
	    {QY_T_PHONE, "13812345678"},
	    {QY_T_PHONE, "19912345678"},
	    {QY_T_PHONE, "12812345678"},
	    {QY_T_PHONE, "051265589064"},
	    {QY_T_PHONE, "0511856789"},
	    {QY_T_PHONE, "01012345678"},
	    {QY_T_PHONE, "0086123456789"},
	    {QY_T_PHONE, "8613812345678"},
	    {QY_T_ID, "XQ2024060000001"},
	    {QY_T_ID, "ZY000143"},
	    {QY_T_ID, "A"},
	    {QY_T_ID, "AB"},
	    {QY_T_ID, "ABC"},
	    {QY_T_ID, "ABCDEFG"},
	    {QY_T_ID, "ABCD"},
	    {QY_T_ID, "ABCDE"},
	    {QY_T_ID, "ABCDEFGHIJKLMNOP"},
	    {QY_T_ID, "ABCDEFGHI"},
	    {QY_T_ID, "ABCDEFGHIJKLMNOPQ"},
	    {QY_T_INT, "1"},
	    {QY_T_INT, "12"},
	    {QY_T_INT, "100000"},
	    {QY_T_INT, "99999"},
	};
	struct qy_buf roomy = {0}, tight = {0};
	qy_buf_grow(&roomy, 4096);
	qy_buf_adds(&roomy, "row|");
	int bad = 0;
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		check_fast_agrees(seeds[i].t, seeds[i].seed, &roomy, &bad);
		check_fast_agrees(seeds[i].t, seeds[i].seed, &tight, &bad);
		qy_buf_free(&tight);
	}
	/* Every code of every coded type, and every shorter or longer spelling. */
	for (int t = QY_T_CATEGORY; t <= QY_T_MEMBER_KIND; t++)
		for (int code = 0; code <= 7; code++)
			if (qy_code_name(t, code) != NULL)
				check_fast_agrees(t, qy_code_name(t, code), &roomy, &bad);
	CHECK(bad == 0);
	qy_buf_free(&roomy);
}

/* A short value is appended without a call when the buffer has room for
 * 16 bytes and a NUL; right at that edge and past it the bytes, the length
 * and the NUL must still be right. */
static void
test_append_edges(void)
{
	static const char value[] = "ABCDEFGHIJKLMNOP";
	struct qy_buf o = {0};
	for (size_t n = 1; n <= 16; n++) {
		for (size_t room = 1; room <= 20; room++) {
			qy_buf_free(&o); /* a fresh one: a grown one would grow again */
			qy_buf_grow(&o, 64);
			/* Filled by hand: qy_buf_addc would grow it ahead. */
			memset(o.data, '.', o.cap - room);
			o.len = o.cap - room;
			o.data[o.len] = '\0';
			size_t start = o.len;
			CHECK(qy_value_norm(QY_T_ID, value, n, 0, 0, &o, NULL) == 0);
			CHECK(o.len == start + n);
			CHECK(memcmp(o.data + start, value, n) == 0);
			CHECK(o.data[o.len] == '\0');
			CHECK(start == 0 || o.data[start - 1] == '.');
		}
	}
	qy_buf_free(&o);
}

/* Every day of 1955..2119 in every form parses back to itself. */
static void
test_date_roundtrip(void)
{
	qy_day from, to;
	CHECK(qy_date_from_ymd(1955, 1, 1, &from) == 0);
	CHECK(qy_date_from_ymd(2119, 1, 11, &to) == 0);
	int bad = 0;
	char in[64], want[11];
	for (qy_day day = from; day <= to && bad < 5; day++) {
		int y, m, d;
		qy_date_to_ymd(day, &y, &m, &d);
		qy_date_format(day, want);
		const char *fmt[] = {"%04d/%d/%d", "%04d年%d月%d日", "%04d%02d%02d",
				     "%04d.%02d.%d 0:00"};
		for (int k = 0; k < 4; k++) {
			snprintf(in, sizeof in, fmt[k], y, m, d);
			if (strcmp(norm(QY_T_DATE, in), want) != 0) {
				printf("  '%s' gave '%s', want %s\n", in, norm(QY_T_DATE, in),
				       want);
				bad++;
			}
		}
		snprintf(in, sizeof in, "%ld", (long)day + 25569);
		if (strcmp(norm(QY_T_DATE, in), want) != 0) {
			printf("  serial '%s' gave '%s', want %s\n", in, norm(QY_T_DATE, in), want);
			bad++;
		}
	}
	CHECK(bad == 0);
}

/* Random values built from pieces that matter to the parsers: every result
 * keeps the contract, and accepted values are in canonical shape.  Under
 * ASan (make check) this also looks for out-of-bounds reads. */
static void
test_random_values(void)
{
	static const char *const pieces[] = {
	    "0",
	    "1",
	    "2",
	    "3",
	    "5",
	    "9",
	    "86",
	    "+",
	    "-",
	    "/",
	    ".",
	    ",",
	    " ",
	    ":",
	    "(",
	    ")",
	    "年",
	    "月",
	    "日",
	    "１",
	    "，",
	    "．",
	    "\xE3\x80\x80",
	    "\xC2\xA0",
	    "\xEF\xBC",
	    "\xE3",
	    "\x80",
	    "a",
	    "T",
	    "x",
	    "转",
	    "2024",
	    "45356",
	    "138",
	    "0511",
	    "\t",
	    "\n",
	};
	unsigned long seed = 12345;
	char in[128];
	int broken = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		int npieces = (int)(seed >> 60);
		for (int k = 0; k < npieces; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			const char *piece =
			    pieces[(seed >> 33) % (sizeof pieces / sizeof pieces[0])];
			size_t pl = strlen(piece);
			if (len + pl >= sizeof in)
				break;
			memcpy(in + len, piece, pl);
			len += pl;
		}
		for (int t = QY_T_TEXT; t <= QY_T_PATTERN; t++) {
			struct qy_buf o = {0}, w = {0};
			/* Exactly len bytes, no NUL after them: parsers must not look beyond. */
			char *copy = malloc(len ? len : 1);
			memcpy(copy, in, len);
			int rc = qy_value_norm(t, copy, len, 0, 1e6, &o, &w);
			free(copy);
			if (rc == 0 && w.len != 0)
				broken++;
			if (rc == -1 && (o.len != 0 || w.len == 0))
				broken++;
			if (rc != 0 && rc != -1)
				broken++;
			if (rc == 0 && t == QY_T_DATE && o.len != 0 && o.len != 10)
				broken++;
			if (rc == 0 && (t == QY_T_INT || t == QY_T_PHONE))
				for (size_t i = 0; i < o.len; i++)
					if (o.data[i] < '0' || o.data[i] > '9')
						broken++;
			qy_buf_free(&o);
			qy_buf_free(&w);
		}
	}
	CHECK(broken == 0);
}

/* A caller that wants only the verdict may pass why = NULL. */
static void
test_null_why(void)
{
	static const char *const bad[] = {
	    [QY_T_ID] = "a b",	       [QY_T_DATE] = "x",      [QY_T_INT] = "x",
	    [QY_T_DECIMAL] = "x",      [QY_T_PHONE] = "x",     [QY_T_CATEGORY] = "x",
	    [QY_T_CATEGORY_ANY] = "x", [QY_T_PRIORITY] = "x",  [QY_T_STATUS] = "x",
	    [QY_T_SATISFACTION] = "x", [QY_T_UNIT_KIND] = "x", [QY_T_MEMBER_KIND] = "x",
	    [QY_T_PATTERN] = "(",
	};
	for (int t = QY_T_ID; t <= QY_T_PATTERN; t++) {
		qy_buf_reset(&out);
		CHECK(qy_value_norm(t, bad[t], strlen(bad[t]), 1, 5, &out, NULL) == -1);
		CHECK(out.len == 0);
	}
	qy_buf_reset(&out);
	CHECK(qy_value_norm(QY_T_INT, "9", 1, 1, 5, &out, NULL) == -1);
}

int
main(void)
{
	RUN(test_trim);
	RUN(test_fold);
	RUN(test_id);
	RUN(test_date_forms);
	RUN(test_date_rejects);
	RUN(test_date_serials);
	RUN(test_date_api);
	RUN(test_integers);
	RUN(test_decimals);
	RUN(test_phones);
	RUN(test_codes);
	RUN(test_code_rejects);
	RUN(test_patterns);
	RUN(test_utf8);
	RUN(test_type_names);
	RUN(test_long_values);
	RUN(test_null_why);
	RUN(test_appends);
	RUN(test_date_roundtrip);
	RUN(test_random_values);
	RUN(test_fast_path_agrees);
	RUN(test_append_edges);
	qy_buf_free(&out);
	qy_buf_free(&why);
	return check_report();
}
