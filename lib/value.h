/* value.h — the value types of SPEC 2.7: one parser per type, one date
 * parser, one enum table per coded type.
 *
 * Every parser takes the raw UTF-8 bytes of one field.  Non-text values are
 * trimmed (ASCII white space, U+3000, U+00A0) and full-width-folded
 * (U+FF01..U+FF5E → ASCII) before they are parsed.  On success a parser
 * appends the canonical form to out and returns 0; an empty (or blank) value
 * is a success with nothing appended: whether a column may be empty is the
 * schema's business.  On failure it appends a reason that quotes the value and
 * says what was expected to why, and returns -1. */
#ifndef QY_VALUE_H
#define QY_VALUE_H

#include <stddef.h>

#include "buf.h"

enum qy_type {
	QY_T_TEXT,
	QY_T_ID,
	QY_T_DATE,
	QY_T_INT,      /* bounds from the column */
	QY_T_DECIMAL,  /* bounds from the column */
	QY_T_PHONE,
	QY_T_CATEGORY, /* the six services */
	QY_T_CATEGORY_ANY, /* the six, or any (全部, 不限) */
	QY_T_PRIORITY,
	QY_T_STATUS,
	QY_T_SATISFACTION,
	QY_T_UNIT_KIND,
	QY_T_MEMBER_KIND,
	QY_T_PATTERN,  /* a PCRE2 pattern that must compile (UTF, UCP, caseless) */
};

/* The type's name as messages say it ("date", "phone", …). */
const char *qy_type_name(enum qy_type t);

/* Normalises one value of type t.  lo and hi bound QY_T_INT and QY_T_DECIMAL
 * (inclusive) and are ignored otherwise.  See the contract above. */
int qy_value_norm(enum qy_type t, const char *p, size_t n, double lo, double hi, struct qy_buf *out,
		  struct qy_buf *why);

/* Trims ASCII white space, U+3000 and U+00A0 at both ends. */
struct qy_str qy_trim(const char *p, size_t n);
/* Appends p with full-width ASCII (U+FF01..U+FF5E) folded to ASCII and U+3000 to a space. */
void qy_fold_fullwidth(struct qy_buf *out, const char *p, size_t n);

/* Days since 1970-01-01, proleptic Gregorian.  No time zones anywhere. */
typedef long qy_day;

/* Parses every date form of SPEC 2.7 (2024-03-05, 2024-3-5, 2024/3/5,
 * 2024.3.5, 20240305, 2024年3月5日, full-width digits, a dropped time part,
 * Excel serials 20000..80000 with a dropped fraction).  The value must be
 * trimmed and folded by the caller or not; both work. */
int qy_date_parse(const char *p, size_t n, qy_day *day, struct qy_buf *why);
/* -1 when y-m-d is not a real calendar day. */
int qy_date_from_ymd(int y, int m, int d, qy_day *day);
void qy_date_to_ymd(qy_day day, int *y, int *m, int *d);
/* Writes "YYYY-MM-DD" and a NUL into out (11 bytes). */
void qy_date_format(qy_day day, char out[11]);
/* Parses exactly "YYYY-MM" (a --month argument or a month column). */
int qy_month_parse(const char *p, size_t n, int *y, int *m);

/* Coded types.  Codes are the canonical spellings; parse accepts the codes
 * in any ASCII case and every alias of SPEC 2.7, after trim and fold. */
enum qy_category { QY_CAT_GOV, QY_CAT_LIFE, QY_CAT_LEGAL, QY_CAT_CULTURE, QY_CAT_CARE, QY_CAT_PARTY, QY_CAT_ANY };
enum qy_priority { QY_PRI_NORMAL, QY_PRI_URGENT, QY_PRI_CRITICAL };
enum qy_status { QY_ST_OPEN, QY_ST_CLAIMED, QY_ST_DONE, QY_ST_CLOSED };
enum qy_unit_kind { QY_UK_AGENCY, QY_UK_ENTERPRISE, QY_UK_SOCIAL_ORG, QY_UK_VOLUNTEER_TEAM, QY_UK_MEMBER };
enum qy_member_kind { QY_MK_RESIDENT, QY_MK_EMPLOYED, QY_MK_MOBILE, QY_MK_RETIRED };

/* The code of a coded value (for QY_T_CATEGORY … QY_T_MEMBER_KIND, and
 * QY_T_SATISFACTION where the code is 1..5), or -1 when it is none. */
int qy_code_parse(enum qy_type t, const char *p, size_t n);
/* The canonical spelling of a code ("gov", "urgent", …), or NULL. */
const char *qy_code_name(enum qy_type t, int code);
/* The Chinese label of a code (政务, 紧急, 已办结 …) for reports, or NULL. */
const char *qy_code_label_zh(enum qy_type t, int code);

/* 1 when p is valid UTF-8, else 0; *bad (may be NULL) gets the offset of the
 * first invalid byte. */
int qy_utf8_valid(const char *p, size_t n, size_t *bad);

#endif
