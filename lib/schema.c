/* schema.c — the six record types of SPEC 2 as const data, header matching
 * (SPEC 3) and the rules that tie the columns of one row together. */
#include "schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "word.h"

#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NCOLS(a) (sizeof(a) / sizeof(a)[0])

enum {
	REQ = QY_COL_REQUIRED,
	UNIQ = QY_COL_UNIQUE,
	PERS = QY_COL_PERSONAL,
};

/* Column indices that the row rules use; the unit test checks each against
 * qy_schema_col so the tables and these never drift apart. */
enum {
	DEMAND_SUBMITTED = 1,
	DEMAND_NEEDED_BY = 10,
	DEMAND_DONE_DATE = 14,
	RESOURCE_STREET = 4,
	RESOURCE_COMMUNITY = 5,
	RESOURCE_AVAILABLE_FROM = 10,
	RESOURCE_AVAILABLE_UNTIL = 11,
	ACTIVITY_MEMBER_ID = 1,
	ACTIVITY_BRANCH_ID = 2,
};

static const struct qy_column demand_cols[] = {
    {"demand_id", QY_T_ID, REQ | UNIQ, 0, 0, ALIASES("需求编号", "编号", "序号")},
    {"submitted", QY_T_DATE, REQ, 0, 0, ALIASES("提交日期", "登记日期", "日期")},
    {"district", QY_T_TEXT, 0, 0, 0, ALIASES("区", "区县", "所属区")},
    {"street", QY_T_TEXT, REQ, 0, 0, ALIASES("街道")},
    {"community", QY_T_TEXT, REQ, 0, 0, ALIASES("社区", "村（社区）")},
    {"grid", QY_T_TEXT, 0, 0, 0, ALIASES("网格")},
    {"category", QY_T_CATEGORY, REQ, 0, 0, ALIASES("服务类别", "类别", "需求类别")},
    {"content", QY_T_TEXT, REQ, 0, 0, ALIASES("需求内容", "内容", "微心愿")},
    {"priority", QY_T_PRIORITY, 0, 0, 0, ALIASES("紧急程度", "优先级")},
    {"quantity", QY_T_INT, 0, 1, 100000, ALIASES("需求数量", "数量")},
    {"needed_by", QY_T_DATE, 0, 0, 0, ALIASES("期望完成日期", "截止日期")},
    {"requester", QY_T_TEXT, PERS, 0, 0, ALIASES("居民姓名", "联系人", "姓名")},
    {"phone", QY_T_PHONE, PERS, 0, 0, ALIASES("联系电话", "电话", "手机")},
    {"status", QY_T_STATUS, 0, 0, 0, ALIASES("状态", "办理状态")},
    {"done_date", QY_T_DATE, 0, 0, 0, ALIASES("办结日期", "完成日期")},
    {"satisfaction", QY_T_SATISFACTION, 0, 0, 0, ALIASES("满意度", "评价")},
    {"resource_id", QY_T_ID, 0, 0, 0, ALIASES("认领资源编号", "承接资源编号")},
};

static const struct qy_column resource_cols[] = {
    {"resource_id", QY_T_ID, REQ | UNIQ, 0, 0, ALIASES("资源编号", "编号", "序号")},
    {"unit", QY_T_TEXT, REQ, 0, 0, ALIASES("单位名称", "提供单位", "单位")},
    {"unit_kind", QY_T_UNIT_KIND, 0, 0, 0, ALIASES("单位类型")},
    {"district", QY_T_TEXT, 0, 0, 0, ALIASES("区", "区县", "所属区")},
    {"street", QY_T_TEXT, 0, 0, 0, ALIASES("街道")},
    {"community", QY_T_TEXT, 0, 0, 0, ALIASES("社区")},
    {"category", QY_T_CATEGORY_ANY, REQ, 0, 0, ALIASES("服务类别", "类别")},
    {"content", QY_T_TEXT, REQ, 0, 0, ALIASES("资源内容", "服务内容", "内容")},
    {"keywords", QY_T_PATTERN, 0, 0, 0, ALIASES("关键词", "匹配关键词")},
    {"capacity", QY_T_INT, REQ, 1, 1000000, ALIASES("可服务数量", "服务容量", "容量")},
    {"available_from", QY_T_DATE, 0, 0, 0, ALIASES("开始日期", "起始日期")},
    {"available_until", QY_T_DATE, 0, 0, 0, ALIASES("结束日期", "截止日期")},
    {"contact", QY_T_TEXT, PERS, 0, 0, ALIASES("联系人")},
    {"phone", QY_T_PHONE, PERS, 0, 0, ALIASES("联系电话", "电话")},
};

static const struct qy_column pair_cols[] = {
    {"district", QY_T_TEXT, 0, 0, 0, ALIASES("区", "区县", "所属区")},
    {"street", QY_T_TEXT, 0, 0, 0, ALIASES("街道")},
    {"community", QY_T_TEXT, REQ, 0, 0, ALIASES("社区")},
    {"unit", QY_T_TEXT, REQ, 0, 0, ALIASES("单位名称", "共建单位", "结对单位")},
};

static const struct qy_column member_cols[] = {
    {"member_id", QY_T_ID, REQ | UNIQ, 0, 0, ALIASES("党员编号", "编号")},
    {"name", QY_T_TEXT, REQ | PERS, 0, 0, ALIASES("姓名")},
    {"branch_id", QY_T_ID, REQ, 0, 0, ALIASES("支部编号", "所在支部编号")},
    {"member_kind", QY_T_MEMBER_KIND, 0, 0, 0, ALIASES("党员类别", "管理类别")},
    {"joined", QY_T_DATE, 0, 0, 0, ALIASES("入党日期")},
    {"phone", QY_T_PHONE, PERS, 0, 0, ALIASES("联系电话", "电话")},
};

static const struct qy_column branch_cols[] = {
    {"branch_id", QY_T_ID, REQ | UNIQ, 0, 0, ALIASES("支部编号", "编号")},
    {"name", QY_T_TEXT, REQ, 0, 0, ALIASES("支部名称", "名称")},
    {"district", QY_T_TEXT, 0, 0, 0, ALIASES("区", "区县", "所属区")},
    {"street", QY_T_TEXT, 0, 0, 0, ALIASES("街道")},
    {"community", QY_T_TEXT, 0, 0, 0, ALIASES("社区")},
    {"branch_kind", QY_T_TEXT, 0, 0, 0, ALIASES("支部类型")},
};

/* member_id and branch_id are "one of the two": neither is REQUIRED on its
 * own; qy_schema_check_row asks for one per row. */
static const struct qy_column activity_cols[] = {
    {"date", QY_T_DATE, REQ, 0, 0, ALIASES("日期", "活动日期")},
    {"member_id", QY_T_ID, 0, 0, 0, ALIASES("党员编号")},
    {"branch_id", QY_T_ID, 0, 0, 0, ALIASES("支部编号")},
    {"kind", QY_T_TEXT, REQ, 0, 0, ALIASES("活动类型", "类型", "事项")},
    {"hours", QY_T_DECIMAL, 0, 0, 24, ALIASES("时长", "小时")},
    {"note", QY_T_TEXT, 0, 0, 0, ALIASES("说明", "备注")},
    {"demand_id", QY_T_ID, 0, 0, 0, ALIASES("需求编号")},
};

static const struct qy_schema demand = {"demand", "需求清单", demand_cols, NCOLS(demand_cols)};
static const struct qy_schema resource = {"resource", "资源清单", resource_cols,
					  NCOLS(resource_cols)};
static const struct qy_schema pair = {"pair", "结对共建", pair_cols, NCOLS(pair_cols)};
static const struct qy_schema member = {"member", "党员名册", member_cols, NCOLS(member_cols)};
static const struct qy_schema branch = {"branch", "党支部名册", branch_cols, NCOLS(branch_cols)};
static const struct qy_schema activity = {"activity", "活动与积分记录", activity_cols,
					  NCOLS(activity_cols)};

const struct qy_schema *const qy_schemas[] = {&demand, &resource, &pair, &member,
					      &branch, &activity, NULL};

const struct qy_schema *
qy_schema_find(const char *name)
{
	for (size_t i = 0; qy_schemas[i] != NULL; i++)
		if (strcmp(qy_schemas[i]->name, name) == 0)
			return qy_schemas[i];
	return NULL;
}

int
qy_schema_col(const struct qy_schema *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- header matching -------------------------------------------------- */

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Header text and a name compare after full-width folding (so 村(社区)
 * typed with ASCII parentheses is 村（社区）) and ASCII case folding. */
static int
name_eq(struct qy_str folded, const char *name, struct qy_buf *scratch)
{
	qy_buf_reset(scratch);
	qy_fold_fullwidth(scratch, name, strlen(name));
	if (scratch->len != folded.len)
		return 0;
	for (size_t i = 0; i < folded.len; i++)
		if (ascii_lower((unsigned char)folded.p[i]) !=
		    ascii_lower((unsigned char)scratch->data[i]))
			return 0;
	return 1;
}

static int
match_name(const struct qy_schema *s, struct qy_str folded, struct qy_buf *scratch)
{
	if (folded.len == 0)
		return -1;
	for (size_t i = 0; i < s->ncols; i++) {
		if (name_eq(folded, s->cols[i].name, scratch))
			return (int)i;
		for (const char *const *a = s->cols[i].aliases; *a != NULL; a++)
			if (name_eq(folded, *a, scratch))
				return (int)i;
	}
	return -1;
}

/* Removes a leading '*' from folded header text (a full-width ＊ is folded
 * already). */
static struct qy_str
strip_star(struct qy_str v)
{
	if (v.len > 0 && v.p[0] == '*')
		v = qy_trim(v.p + 1, v.len - 1);
	return v;
}

/* Removes a trailing (…) note, nested parentheses included (（…） is folded
 * already). */
static struct qy_str
strip_note(struct qy_str v)
{
	if (v.len == 0 || v.p[v.len - 1] != ')')
		return v;
	size_t depth = 0, i = v.len;
	while (i-- > 0) {
		if (v.p[i] == ')')
			depth++;
		else if (v.p[i] == '(' && --depth == 0)
			return qy_trim(v.p, i);
	}
	return v;
}

/* The whole text first, then without the '*' (so *村（社区） is still the
 * alias 村（社区）), then without the note as well. */
int
qy_schema_match_header(const struct qy_schema *s, const char *p, size_t n)
{
	struct qy_buf folded = {0}, scratch = {0};
	struct qy_str t = qy_trim(p, n);
	qy_fold_fullwidth(&folded, t.p, t.len);
	struct qy_str v = qy_trim(folded.data, folded.len);
	int col = match_name(s, v, &scratch);
	struct qy_str bare = strip_star(v);
	if (col < 0 && bare.len != v.len)
		col = match_name(s, bare, &scratch);
	struct qy_str barer = strip_note(bare);
	if (col < 0 && barer.len != bare.len)
		col = match_name(s, barer, &scratch);
	qy_buf_free(&folded);
	qy_buf_free(&scratch);
	return col;
}

/* ---- row rules -------------------------------------------------------- */

static int
is_empty(const struct qy_str *vals, int col)
{
	return vals[col].len == 0;
}

/* 1 when a sorts before b, byte by byte, a shorter prefix first.  A loop,
 * not memcmp: no call, and values that are not 10 bytes are rare here. */
static int
bytes_before(struct qy_str a, struct qy_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	for (size_t i = 0; i < n; i++)
		if (a.p[i] != b.p[i])
			return (unsigned char)a.p[i] < (unsigned char)b.p[i];
	return a.len < b.len;
}

/* bytes_before for two 10-byte values (every date a row rule sees): two
 * number compares instead of a memcmp call. */
static int
date_before(const char *a, const char *b)
{
	uint64_t x = load_be64(a), y = load_be64(b);
	if (x != y)
		return x < y;
	unsigned s = (unsigned char)a[8] << 8 | (unsigned char)a[9];
	unsigned t = (unsigned char)b[8] << 8 | (unsigned char)b[9];
	return s < t;
}

/* Says why a row breaks a date rule.  Out of line and reached by a tail
 * call: the usual row makes no call, so date_order saves no registers. */
static __attribute__((noinline)) int
date_order_failed(const struct qy_schema *s, const struct qy_str *vals, int later, int earlier,
		  int *col, struct qy_buf *why)
{
	struct qy_str a = vals[later], b = vals[earlier];
	*col = later;
	qy_buf_add_quoted(why, a.p, a.len);
	qy_buf_printf(why, " is before %s ", s->cols[earlier].name);
	qy_buf_add_quoted(why, b.p, b.len);
	qy_buf_printf(why, " (expected a date on or after %s)", s->cols[earlier].name);
	return -1;
}

/* later ≥ earlier for two YYYY-MM-DD dates (byte order is date order). */
static int
date_order(const struct qy_schema *s, const struct qy_str *vals, int later, int earlier, int *col,
	   struct qy_buf *why)
{
	struct qy_str a = vals[later], b = vals[earlier];
	if (a.len == 0 || b.len == 0)
		return 0;
	if (a.len == 10 && b.len == 10 ? !date_before(a.p, b.p) : !bytes_before(a, b))
		return 0;
	return date_order_failed(s, vals, later, earlier, col, why);
}

/* 1 when two dates are known to be in order, or one is missing; 0 when
 * date_order must look (they are out of order, or not both 10 bytes). */
static inline __attribute__((always_inline)) int
dates_in_order(const struct qy_str *vals, int later, int earlier)
{
	const struct qy_str *a = &vals[later], *b = &vals[earlier];
	if (a->len == 0 || b->len == 0)
		return 1;
	return a->len == 10 && b->len == 10 && !date_before(a->p, b->p);
}

/* Every rule of every schema, with the reasons. */
static __attribute__((noinline)) int
check_rules(const struct qy_schema *s, const struct qy_str *vals, int *col, struct qy_buf *why)
{
	if (s == &demand) {
		if (date_order(s, vals, DEMAND_NEEDED_BY, DEMAND_SUBMITTED, col, why) < 0 ||
		    date_order(s, vals, DEMAND_DONE_DATE, DEMAND_SUBMITTED, col, why) < 0)
			return -1;
	} else if (s == &resource) {
		if (!is_empty(vals, RESOURCE_COMMUNITY) && is_empty(vals, RESOURCE_STREET)) {
			*col = RESOURCE_STREET;
			qy_buf_adds(why, "required with community");
			return -1;
		}
		if (date_order(s, vals, RESOURCE_AVAILABLE_UNTIL, RESOURCE_AVAILABLE_FROM, col,
			       why) < 0)
			return -1;
	} else if (s == &activity) {
		if (is_empty(vals, ACTIVITY_MEMBER_ID) && is_empty(vals, ACTIVITY_BRANCH_ID)) {
			*col = ACTIVITY_MEMBER_ID;
			qy_buf_adds(why, "empty, and so is branch_id (a row needs a member_id or a "
					 "branch_id)");
			return -1;
		}
	}
	return 0;
}

int
qy_schema_check_row(const struct qy_schema *s, const struct qy_str *vals, int *col,
		    struct qy_buf *why)
{
	/* The usual demand row, its dates in order, without a call. */
	if (s == &demand && dates_in_order(vals, DEMAND_NEEDED_BY, DEMAND_SUBMITTED) &&
	    dates_in_order(vals, DEMAND_DONE_DATE, DEMAND_SUBMITTED))
		return 0;
	return check_rules(s, vals, col, why);
}
