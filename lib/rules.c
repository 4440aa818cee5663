/* rules.c — loading, printing and applying qy-score's rules (SPEC 5.1). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "out.h"
#include "rx.h"
#include "score_num.h"
#include "tsv.h"

/* The columns of a rules TSV, in the order --print-rules writes them. */
enum { R_KIND, R_LEVEL, R_PATTERN, R_POINTS, R_PER, R_CAP, R_LABEL, R_NCOLS };
static const char *const rule_columns[R_NCOLS] = {
    "kind", "level", "pattern", "points", "per", "cap", "label",
};

/* SPEC 5.1's table in the shipped order: penalties first, then claim and
 * report before the broader patterns, so that 缺席支部党员大会 is an absence
 * and 认领志愿服务项目 a claim.  share/rules.tsv is this table; a test keeps
 * them identical. */
static const char *const default_rules[][R_NCOLS] = {
    {"absence", "member", "缺席|未参加", "-5", "event", "-20", "缺席组织生活"},
    {"violation", "member", "违纪|处分", "-30", "event", "-60", "违纪受处分"},
    {"claim", "member", "认领|微心愿|为民项目|接单", "10", "event", "30", "认领微心愿"},
    {"report", "member", "报到", "5", "event", "5", "到社区报到"},
    {"honor", "member", "表彰|先进|优秀", "10", "event", "20", "受到表彰"},
    {"meeting", "member", "三会一课|主题党日|组织生活|党员大会|党小组会|支委会", "5", "event", "20",
     "参加组织生活"},
    {"study", "member", "学习|党课|培训", "2", "event", "10", "学习培训"},
    {"volunteer", "member", "志愿|义工|服务", "2", "hour", "30", "志愿服务"},
    {"committee", "branch", "支委会", "1", "event", "", "支委会"},
    {"group", "branch", "党小组会", "1", "event", "", "党小组会"},
    {"assembly", "branch", "党员大会|支部大会", "1", "event", "", "党员大会"},
    {"lecture", "branch", "党课", "1", "event", "", "党课"},
    {"theme_day", "branch", "主题党日", "1", "event", "", "主题党日"},
};

const char *
qy_level_name(enum qy_level level)
{
	return level == QY_LEVEL_MEMBER ? "member" : "branch";
}

static struct qy_str
trim_ascii(struct qy_str s)
{
	while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t'))
		s.p++, s.len--;
	while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

/* Everything needed to blame one rule. */
struct rule_src {
	struct qy_diag *d;
	const char *file;
	unsigned long line;
};

static _Noreturn void
bad_value(const struct rule_src *src, const char *column, struct qy_str v, const char *expected)
{
	struct qy_buf q = {0};
	qy_buf_add_quoted(&q, v.p, v.len);
	qy_fatal_at(src->d, src->file, src->line, "%s: %s %s", column, q.data, expected);
}

static int
is_kind_name(struct qy_str s)
{
	if (s.len == 0 || s.len > 40 || s.p[0] < 'a' || s.p[0] > 'z')
		return 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* The index of the kind called name at level, adding it when new.  A kind
 * used at the other level, or with another cap, is fatal. */
static int
kind_index(struct qy_rules *r, const struct rule_src *src, struct qy_str name, enum qy_level level,
	   int has_cap, long long cap)
{
	for (int lv = 0; lv < QY_NLEVELS; lv++) {
		for (size_t i = 0; i < r->nkinds[lv]; i++) {
			struct qy_kind *k = &r->kind[lv][i];
			if (!qy_str_eq(name, k->name))
				continue;
			if ((int)level != lv)
				qy_fatal_at(src->d, src->file, src->line,
					    "kind '%s' is a %s kind already (line %lu); a kind has "
					    "one level",
					    k->name, qy_level_name(k->level), k->line);
			if (k->has_cap != has_cap || k->cap != cap)
				qy_fatal_at(
				    src->d, src->file, src->line,
				    "kind '%s' has another cap on line %lu; the rules of one kind "
				    "share its cap",
				    k->name, k->line);
			return (int)i;
		}
	}
	size_t n = r->nkinds[level];
	r->kind[level] = qy_xrealloc(r->kind[level], (n + 1) * sizeof *r->kind[level]);
	struct qy_kind *k = &r->kind[level][n];
	k->name = qy_xmemdup(name.p, name.len);
	k->level = level;
	k->has_cap = has_cap;
	k->cap = cap;
	k->line = src->line;
	r->nkinds[level] = n + 1;
	return (int)n;
}

/* Checks one rule given as its seven fields and appends it. */
static void
add_rule(struct qy_rules *r, const struct rule_src *src, const struct qy_str *f)
{
	struct qy_rule rule = {0};
	struct qy_buf why = {0};
	struct qy_str kind = trim_ascii(f[R_KIND]), level = trim_ascii(f[R_LEVEL]);
	struct qy_str points = trim_ascii(f[R_POINTS]), per = trim_ascii(f[R_PER]);
	struct qy_str cap = trim_ascii(f[R_CAP]);

	if (!is_kind_name(kind))
		bad_value(src, "kind", kind,
			  "is not a kind name (lowercase ASCII letters, digits and _, starting "
			  "with a letter; it becomes the column pts_<kind>)");
	if (qy_str_eq(level, "member"))
		rule.level = QY_LEVEL_MEMBER;
	else if (qy_str_eq(level, "branch"))
		rule.level = QY_LEVEL_BRANCH;
	else
		bad_value(src, "level", level, "is not member or branch");
	if (f[R_PATTERN].len == 0)
		qy_fatal_at(src->d, src->file, src->line,
			    "pattern: empty (a rule needs a pattern)");
	rule.rx = qy_rx_compile(f[R_PATTERN].p, f[R_PATTERN].len, 0, &why);
	if (rule.rx == NULL) {
		struct qy_buf q = {0};
		qy_buf_add_quoted(&q, f[R_PATTERN].p, f[R_PATTERN].len);
		qy_fatal_at(src->d, src->file, src->line, "rule '%.*s': pattern %s %s",
			    (int)kind.len, kind.p, q.data, why.data);
	}
	if (qy_points_parse(points.p, points.len, &rule.points, &why) != 0)
		qy_fatal_at(src->d, src->file, src->line, "points: %s", why.data);
	if (qy_str_eq(per, "event"))
		rule.per = QY_PER_EVENT;
	else if (qy_str_eq(per, "hour"))
		rule.per = QY_PER_HOUR;
	else
		bad_value(src, "per", per, "is not event or hour");
	long long cap_value = 0;
	int has_cap = cap.len > 0;
	if (has_cap && qy_points_parse(cap.p, cap.len, &cap_value, &why) != 0)
		qy_fatal_at(src->d, src->file, src->line, "cap: %s (empty: no cap)", why.data);
	rule.kind = kind_index(r, src, kind, rule.level, has_cap, cap_value);
	rule.pattern = qy_xmemdup(f[R_PATTERN].p, f[R_PATTERN].len);
	rule.label = qy_xmemdup(f[R_LABEL].p, f[R_LABEL].len);
	rule.line = src->line;
	r->rule = qy_xrealloc(r->rule, (r->n + 1) * sizeof *r->rule);
	r->rule[r->n++] = rule;
	qy_buf_free(&why);
}

static void
finish(struct qy_rules *r, struct qy_diag *d)
{
	if (r->n == 0)
		qy_fatal(d, "%s: no rules", r->source);
	r->veto_kind = -1;
	for (size_t i = 0; i < r->nkinds[QY_LEVEL_MEMBER]; i++)
		if (strcmp(r->kind[QY_LEVEL_MEMBER][i].name, "violation") == 0)
			r->veto_kind = (int)i;
}

void
qy_rules_load_default(struct qy_rules *r, struct qy_diag *d)
{
	memset(r, 0, sizeof *r);
	r->source = qy_xstrdup("<built-in rules>");
	size_t n = sizeof default_rules / sizeof default_rules[0];
	for (size_t i = 0; i < n; i++) {
		struct qy_str f[R_NCOLS];
		for (int c = 0; c < R_NCOLS; c++)
			f[c] = qy_str_of(default_rules[i][c]);
		struct rule_src src = {d, r->source, (unsigned long)i + 2};
		add_rule(r, &src, f);
	}
	finish(r, d);
}

void
qy_rules_load(struct qy_rules *r, const char *path, struct qy_diag *d)
{
	struct qy_tsv t;
	struct qy_buf why = {0};
	memset(r, 0, sizeof *r);
	if (qy_tsv_open(&t, path, &why) != 0)
		qy_fatal(d, "rules: %s", why.data);
	r->source = qy_xstrdup(t.name);
	if (t.ncols == 0)
		qy_fatal(d, "%s: empty rules file (want the header %s, %s, %s, %s, %s, %s, %s)",
			 r->source, rule_columns[0], rule_columns[1], rule_columns[2],
			 rule_columns[3], rule_columns[4], rule_columns[5], rule_columns[6]);
	int col[R_NCOLS];
	for (int c = 0; c < R_NCOLS; c++) {
		col[c] = qy_tsv_col(&t, rule_columns[c]);
		if (col[c] < 0) {
			qy_tsv_header_text(&why, &t);
			qy_fatal_at(d, r->source, 1,
				    "rules have no column '%s' (the header is: %s)",
				    rule_columns[c], why.data);
		}
	}
	for (;;) {
		qy_buf_reset(&why);
		int st = qy_tsv_next(&t, &why);
		if (st == QY_TSV_EOF)
			break;
		if (st != QY_TSV_ROW)
			qy_fatal_at(d, r->source, t.line, "%s", why.data);
		struct qy_str f[R_NCOLS];
		for (int c = 0; c < R_NCOLS; c++)
			f[c] = t.fields[col[c]];
		struct rule_src src = {d, r->source, t.line};
		add_rule(r, &src, f);
	}
	qy_tsv_close(&t);
	qy_buf_free(&why);
	finish(r, d);
}

void
qy_rules_free(struct qy_rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		qy_rx_free(r->rule[i].rx);
		free(r->rule[i].pattern);
		free(r->rule[i].label);
	}
	for (int lv = 0; lv < QY_NLEVELS; lv++) {
		for (size_t i = 0; i < r->nkinds[lv]; i++)
			free(r->kind[lv][i].name);
		free(r->kind[lv]);
	}
	free(r->rule);
	free(r->source);
	memset(r, 0, sizeof *r);
}

void
qy_rules_print(const struct qy_rules *r, struct qy_out *o)
{
	qy_tsv_put_header(o, rule_columns, R_NCOLS);
	struct qy_buf points = {0}, cap = {0};
	for (size_t i = 0; i < r->n; i++) {
		const struct qy_rule *u = &r->rule[i];
		const struct qy_kind *k = &r->kind[u->level][u->kind];
		qy_buf_reset(&points);
		qy_buf_reset(&cap);
		qy_points_format(&points, u->points);
		if (k->has_cap)
			qy_points_format(&cap, k->cap);
		struct qy_str f[R_NCOLS] = {
		    qy_str_of(k->name),
		    qy_str_of(qy_level_name(u->level)),
		    qy_str_of(u->pattern),
		    {points.data, points.len},
		    qy_str_of(u->per == QY_PER_HOUR ? "hour" : "event"),
		    {cap.data ? cap.data : "", cap.len},
		    qy_str_of(u->label),
		};
		qy_tsv_put_row(o, f, R_NCOLS);
	}
	qy_buf_free(&points);
	qy_buf_free(&cap);
}

void
qy_classifier_init(struct qy_classifier *c, const struct qy_rules *r)
{
	memset(c, 0, sizeof *c);
	c->rules = r;
	c->scratch = qy_rx_scratch_new();
}

void
qy_classifier_free(struct qy_classifier *c)
{
	qy_rx_scratch_free(c->scratch);
	for (int lv = 0; lv < QY_NLEVELS; lv++)
		qy_smap_free(&c->cache[lv]);
	memset(c, 0, sizeof *c);
}

/* The first rule of level whose pattern matches text. */
static int
match_rules(struct qy_classifier *c, enum qy_level level, const char *text, size_t n)
{
	c->evaluated++;
	const struct qy_rules *r = c->rules;
	for (size_t i = 0; i < r->n; i++) {
		if (r->rule[i].level != level)
			continue;
		int m = qy_rx_match(r->rule[i].rx, c->scratch, text, n);
		if (m == QY_RX_MATCH)
			return (int)i;
		if (m != QY_RX_NOMATCH)
			return QY_CLASS_ERROR;
	}
	return QY_CLASS_NONE;
}

int
qy_classify(struct qy_classifier *c, enum qy_level level, const char *text, size_t n)
{
	struct qy_smap *cache = &c->cache[level];
	/* Values are stored shifted by 2, so that NONE and ERROR fit a uint32. */
	long hit = qy_smap_get(cache, text, n);
	if (hit >= 0)
		return (int)hit - 2;
	int rule = match_rules(c, level, text, n);
	if (cache->n < QY_CLASS_CACHE_MAX) {
		int inserted;
		qy_smap_put(cache, text, n, (uint32_t)(rule + 2), &inserted, NULL);
	}
	return rule;
}
