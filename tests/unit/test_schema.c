/* test_schema.c — SPEC 2's record types as data, header matching (SPEC 3)
 * and the row rules. */
#include "check.h"
#include "schema.h"

#include <stdlib.h>

static int
match(const char *type, const char *header)
{
	return qy_schema_match_header(qy_schema_find(type), header, strlen(header));
}

static int
col(const char *type, const char *name)
{
	return qy_schema_col(qy_schema_find(type), name);
}

static void
test_tables(void)
{
	static const char *const names[] = {"demand", "resource", "pair",
					    "member", "branch",	  "activity"};
	static const size_t ncols[] = {17, 14, 4, 6, 6, 7};
	size_t n = 0;
	for (; qy_schemas[n] != NULL; n++) {
		CHECK_STR(qy_schemas[n]->name, names[n]);
		CHECK(qy_schemas[n]->ncols == ncols[n]);
		CHECK(qy_schemas[n]->label_zh != NULL);
		CHECK(qy_schema_find(names[n]) == qy_schemas[n]);
	}
	CHECK(n == 6);
	CHECK(qy_schema_find("raw") == NULL);
	CHECK(qy_schema_find("Demand") == NULL);
	/* Canonical order of SPEC 2.1. */
	static const char *const demand[] = {
	    "demand_id", "submitted", "district",  "street",	   "community",	 "grid",
	    "category",	 "content",   "priority",  "quantity",	   "needed_by",	 "requester",
	    "phone",	 "status",    "done_date", "satisfaction", "resource_id"};
	const struct qy_schema *d = qy_schema_find("demand");
	for (size_t i = 0; i < 17; i++)
		CHECK_STR(d->cols[i].name, demand[i]);
	static const char *const resource[] = {
	    "resource_id", "unit",    "unit_kind", "district", "street",	 "community",
	    "category",	   "content", "keywords",  "capacity", "available_from", "available_until",
	    "contact",	   "phone"};
	const struct qy_schema *r = qy_schema_find("resource");
	for (size_t i = 0; i < 14; i++)
		CHECK_STR(r->cols[i].name, resource[i]);
	CHECK(col("demand", "nope") == -1);
	CHECK(col("activity", "hours") == 4);
}

/* Types, flags and bounds of SPEC 2.1–2.6. */
static void
test_column_types(void)
{
	const struct qy_schema *d = qy_schema_find("demand");
	const struct qy_column *c = &d->cols[col("demand", "quantity")];
	CHECK(c->type == QY_T_INT && c->lo == 1 && c->hi == 100000 && c->flags == 0);
	c = &d->cols[col("demand", "demand_id")];
	CHECK(c->type == QY_T_ID && c->flags == (QY_COL_REQUIRED | QY_COL_UNIQUE));
	c = &d->cols[col("demand", "phone")];
	CHECK(c->type == QY_T_PHONE && c->flags == QY_COL_PERSONAL);
	c = &d->cols[col("demand", "requester")];
	CHECK(c->type == QY_T_TEXT && c->flags == QY_COL_PERSONAL);
	c = &d->cols[col("demand", "category")];
	CHECK(c->type == QY_T_CATEGORY && c->flags == QY_COL_REQUIRED);
	CHECK(d->cols[col("demand", "satisfaction")].type == QY_T_SATISFACTION);
	CHECK(d->cols[col("demand", "status")].type == QY_T_STATUS);
	CHECK(d->cols[col("demand", "priority")].type == QY_T_PRIORITY);
	CHECK(d->cols[col("demand", "resource_id")].type == QY_T_ID);
	CHECK(d->cols[col("demand", "resource_id")].flags == 0);
	const struct qy_schema *r = qy_schema_find("resource");
	c = &r->cols[col("resource", "capacity")];
	CHECK(c->type == QY_T_INT && c->lo == 1 && c->hi == 1000000 && c->flags == QY_COL_REQUIRED);
	CHECK(r->cols[col("resource", "category")].type == QY_T_CATEGORY_ANY);
	CHECK(r->cols[col("resource", "keywords")].type == QY_T_PATTERN);
	CHECK(r->cols[col("resource", "unit_kind")].type == QY_T_UNIT_KIND);
	CHECK(r->cols[col("resource", "contact")].flags == QY_COL_PERSONAL);
	CHECK(r->cols[col("resource", "street")].flags == 0);
	const struct qy_schema *m = qy_schema_find("member");
	CHECK(m->cols[col("member", "name")].flags == (QY_COL_REQUIRED | QY_COL_PERSONAL));
	CHECK(m->cols[col("member", "member_kind")].type == QY_T_MEMBER_KIND);
	CHECK(m->cols[col("member", "branch_id")].flags == QY_COL_REQUIRED);
	const struct qy_schema *b = qy_schema_find("branch");
	CHECK(b->cols[col("branch", "branch_id")].flags == (QY_COL_REQUIRED | QY_COL_UNIQUE));
	CHECK(b->cols[col("branch", "name")].flags == QY_COL_REQUIRED);
	const struct qy_schema *a = qy_schema_find("activity");
	c = &a->cols[col("activity", "hours")];
	CHECK(c->type == QY_T_DECIMAL && c->lo == 0 && c->hi == 24);
	CHECK(a->cols[col("activity", "member_id")].flags == 0);
	CHECK(a->cols[col("activity", "branch_id")].flags == 0);
	CHECK(a->cols[col("activity", "date")].type == QY_T_DATE);
	const struct qy_schema *p = qy_schema_find("pair");
	CHECK(p->cols[col("pair", "community")].flags == QY_COL_REQUIRED);
	CHECK(p->cols[col("pair", "unit")].flags == QY_COL_REQUIRED);
	CHECK(p->cols[col("pair", "street")].flags == 0);
}

/* Every alias of every schema maps back to its own column: bare, with a
 * leading '*', with a trailing note, and with white space around. */
static void
test_every_alias(void)
{
	static const char *const dress[][2] = {
	    {"", ""},
	    {"*", ""},
	    {"", "（必填）"},
	    {"*", "（必填）"},
	    {"＊", "(必填)"},
	    {"  ", " \t"},
	    {"\xE3\x80\x80*", " （选填，格式2024-03-05）\xE3\x80\x80"},
	};
	char h[256];
	int n = 0;
	for (size_t s = 0; qy_schemas[s] != NULL; s++) {
		const struct qy_schema *sc = qy_schemas[s];
		for (size_t i = 0; i < sc->ncols; i++) {
			for (const char *const *a = sc->cols[i].aliases; *a != NULL; a++) {
				for (size_t k = 0; k < sizeof dress / sizeof dress[0]; k++) {
					snprintf(h, sizeof h, "%s%s%s", dress[k][0], *a,
						 dress[k][1]);
					int got = qy_schema_match_header(sc, h, strlen(h));
					if (got != (int)i)
						printf("  %s: '%s' gave %d, want %zu\n", sc->name,
						       h, got, i);
					CHECK(got == (int)i);
					n++;
				}
			}
			/* And the canonical name, in any ASCII case. */
			snprintf(h, sizeof h, "*%s", sc->cols[i].name);
			for (char *q = h; *q; q++)
				if (*q >= 'a' && *q <= 'z' && (q - h) % 2)
					*q = (char)(*q - 32);
			CHECK(qy_schema_match_header(sc, h, strlen(h)) == (int)i);
			CHECK(qy_schema_match_header(sc, sc->cols[i].name,
						     strlen(sc->cols[i].name)) == (int)i);
		}
	}
	CHECK(n > 400);
}

static void
test_header_matching(void)
{
	CHECK(match("demand", "*需求编号（必填）") == col("demand", "demand_id"));
	CHECK(match("demand", "村（社区）") == col("demand", "community"));
	CHECK(match("demand", "村(社区)") == col("demand", "community"));
	CHECK(match("demand", "社区（村）") == col("demand", "community"));
	CHECK(match("demand", "村") == -1);
	CHECK(match("demand", "DEMAND_ID") == 0);
	CHECK(match("demand", "Needed_By") == col("demand", "needed_by"));
	CHECK(match("demand", "ｄｅｍａｎｄ＿ｉｄ") == 0);
	CHECK(match("demand", " \xE3\x80\x80 submitted\t") == 1);
	CHECK(match("demand", "截止日期") == col("demand", "needed_by"));
	CHECK(match("resource", "截止日期") == col("resource", "available_until"));
	CHECK(match("demand", "日期") == col("demand", "submitted"));
	CHECK(match("activity", "日期") == col("activity", "date"));
	CHECK(match("activity", "需求编号") == col("activity", "demand_id"));
	CHECK(match("demand", "编号") == col("demand", "demand_id"));
	CHECK(match("member", "编号") == col("member", "member_id"));
	CHECK(match("branch", "编号") == col("branch", "branch_id"));
	CHECK(match("member", "序号") == -1);
	CHECK(match("demand", "联系人") == col("demand", "requester"));
	CHECK(match("resource", "联系人") == col("resource", "contact"));
	/* Unknown and empty names. */
	CHECK(match("demand", "备注") == -1);
	CHECK(match("demand", "") == -1);
	CHECK(match("demand", "   ") == -1);
	CHECK(match("demand", "*") == -1);
	CHECK(match("demand", "（必填）") == -1);
	CHECK(match("demand", "demand id") == -1);
	CHECK(match("demand", "demand_idx") == -1);
	CHECK(match("demand", "需求编号x") == -1);
	/* Only a leading '*' and only a trailing note are removed. */
	CHECK(match("demand", "需求编号*") == -1);
	CHECK(match("demand", "（必填）需求编号") == -1);
	CHECK(match("demand", "**需求编号") == -1);
	CHECK(match("demand", "需求（必填）编号") == -1);
	/* A note after a name that has one of its own. */
	CHECK(match("demand", "*村（社区）（必填）") == col("demand", "community"));
	CHECK(match("demand", "需求编号 (required)") == 0);
	CHECK(match("demand", "需求编号（注：唯一（不可重复））") == 0);
}

static void
test_rule_indices(void)
{
	/* The indices schema.c's row rules use (see its enum). */
	CHECK(col("demand", "submitted") == 1);
	CHECK(col("demand", "needed_by") == 10);
	CHECK(col("demand", "done_date") == 14);
	CHECK(col("resource", "street") == 4);
	CHECK(col("resource", "community") == 5);
	CHECK(col("resource", "available_from") == 10);
	CHECK(col("resource", "available_until") == 11);
	CHECK(col("activity", "member_id") == 1);
	CHECK(col("activity", "branch_id") == 2);
}

/* A row of empty values with some set by name. */
struct row {
	struct qy_str v[32];
};

static void
row_set(struct row *r, const char *type, const char *name, const char *value)
{
	int i = col(type, name);
	if (i >= 0)
		r->v[i] = qy_str_of(value);
}

static int
check(const char *type, struct row *r, int *bad, struct qy_buf *why)
{
	qy_buf_reset(why);
	*bad = -2;
	return qy_schema_check_row(qy_schema_find(type), r->v, bad, why);
}

static void
test_check_row(void)
{
	struct qy_buf why = {0};
	int bad;
	struct row r = {0};
	for (int i = 0; i < 32; i++)
		r.v[i] = qy_str_of("");
	struct row empty = r;

	row_set(&r, "demand", "submitted", "2024-03-05");
	CHECK(check("demand", &r, &bad, &why) == 0 && bad == -2 && why.len == 0);
	row_set(&r, "demand", "needed_by", "2024-03-05");
	CHECK(check("demand", &r, &bad, &why) == 0);
	row_set(&r, "demand", "needed_by", "2024-03-04");
	CHECK(check("demand", &r, &bad, &why) == -1 && bad == col("demand", "needed_by"));
	CHECK_STR(why.data, "'2024-03-04' is before submitted '2024-03-05' (expected a date on or "
			    "after submitted)");
	row_set(&r, "demand", "needed_by", "2024-04-01");
	row_set(&r, "demand", "done_date", "2023-12-31");
	CHECK(check("demand", &r, &bad, &why) == -1 && bad == col("demand", "done_date"));
	row_set(&r, "demand", "done_date", "2024-03-06");
	CHECK(check("demand", &r, &bad, &why) == 0);
	/* Missing dates are the schema's business, not the row rules'. */
	row_set(&r, "demand", "submitted", "");
	row_set(&r, "demand", "done_date", "2000-01-01");
	CHECK(check("demand", &r, &bad, &why) == 0);
	r = empty;
	row_set(&r, "demand", "status", "done"); /* done without done_date is accepted */
	CHECK(check("demand", &r, &bad, &why) == 0);

	r = empty;
	row_set(&r, "resource", "community", "幸福社区");
	CHECK(check("resource", &r, &bad, &why) == -1 && bad == col("resource", "street"));
	CHECK_STR(why.data, "required with community");
	row_set(&r, "resource", "street", "城东街道");
	CHECK(check("resource", &r, &bad, &why) == 0);
	row_set(&r, "resource", "community", "");
	CHECK(check("resource", &r, &bad, &why) == 0); /* street tier */
	row_set(&r, "resource", "available_from", "2024-03-01");
	row_set(&r, "resource", "available_until", "2024-02-29");
	CHECK(check("resource", &r, &bad, &why) == -1 && bad == col("resource", "available_until"));
	CHECK(strstr(why.data, "available_from") != NULL);
	row_set(&r, "resource", "available_until", "2024-03-01");
	CHECK(check("resource", &r, &bad, &why) == 0);
	row_set(&r, "resource", "available_from", "");
	CHECK(check("resource", &r, &bad, &why) == 0);

	r = empty;
	row_set(&r, "activity", "date", "2024-03-05");
	CHECK(check("activity", &r, &bad, &why) == -1 && bad == col("activity", "member_id"));
	CHECK(strstr(why.data, "member_id or a branch_id") != NULL);
	row_set(&r, "activity", "branch_id", "B01");
	CHECK(check("activity", &r, &bad, &why) == 0);
	row_set(&r, "activity", "member_id", "M01");
	CHECK(check("activity", &r, &bad, &why) == 0);
	row_set(&r, "activity", "branch_id", "");
	CHECK(check("activity", &r, &bad, &why) == 0);

	r = empty;
	CHECK(check("pair", &r, &bad, &why) == 0);
	CHECK(check("member", &r, &bad, &why) == 0);
	CHECK(check("branch", &r, &bad, &why) == 0);
	qy_buf_free(&why);
}

/* The date rule orders values as memcmp orders bytes (a shorter prefix
 * first): a later byte at each place of a 10-byte value, and values of
 * other lengths, which take the general compare. */
static void
test_date_order_bytes(void)
{
	static const char *const base = "2024-03-05";
	static const unsigned char bytes[] = {0x00, '0', '1', '9', '-', 0x7F, 0x80, 0xFF};
	struct qy_buf why = {0};
	int bad, wrong = 0;
	struct row r = {0};
	for (int i = 0; i < 32; i++)
		r.v[i] = qy_str_of("");
	char a[16], b[16];
	for (size_t pos = 0; pos < 10; pos++) {
		for (size_t x = 0; x < sizeof bytes; x++) {
			for (size_t y = 0; y < sizeof bytes; y++) {
				memcpy(a, base, 10);
				memcpy(b, base, 10);
				a[pos] = (char)bytes[x];
				b[pos] = (char)bytes[y];
				r.v[col("demand", "submitted")] = (struct qy_str){b, 10};
				r.v[col("demand", "needed_by")] = (struct qy_str){a, 10};
				int want = memcmp(a, b, 10) < 0 ? -1 : 0;
				wrong += check("demand", &r, &bad, &why) != want;
			}
		}
	}
	static const struct {
		const char *later, *earlier;
		int want;
	} other[] = {
	    {"2024-03-05", "2024-03-05x", -1}, {"2024-03-05x", "2024-03-05", 0},
	    {"2024-03-5", "2024-03-05", 0},    {"2024-03-05", "2024-03-5", -1},
	    {"2024-03-0", "2024-03-05", -1},   {"2024-03-06", "2024-03-05 ", 0},
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		row_set(&r, "demand", "submitted", other[i].earlier);
		row_set(&r, "demand", "needed_by", other[i].later);
		wrong += check("demand", &r, &bad, &why) != other[i].want;
	}
	CHECK(wrong == 0);
	qy_buf_free(&why);
}

int
main(void)
{
	RUN(test_tables);
	RUN(test_column_types);
	RUN(test_every_alias);
	RUN(test_header_matching);
	RUN(test_rule_indices);
	RUN(test_check_row);
	RUN(test_date_order_bytes);
	return check_report();
}
