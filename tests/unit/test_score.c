/* test_score.c — qy-score's engine on hand-worked examples (SPEC 5).
 *
 * Every expected number is worked out in the comment beside it, from the
 * built-in rules (SPEC 5.1):
 *   absence -5 cap -20 · violation -30 cap -60 · claim 10 cap 30 ·
 *   report 5 cap 5 · honor 10 cap 20 · meeting 5 cap 20 · study 2 cap 10 ·
 *   volunteer 2/hour cap 30; branch kinds 1 point, no cap.
 * Caps bound one member's points of a kind per calendar month. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "msg.h"
#include "out.h"
#include "rules.h"
#include "score.h"

static char dir[] = "/tmp/test_score.XXXXXX";

/* One run of the engine. */
struct run {
	const char *level;     /* "member" or "branch" */
	const char *month;     /* YYYY-MM, or NULL with from and to */
	const char *from, *to; /* YYYY-MM-DD */
	const char *activity;  /* TSV text of each input, or NULL */
	const char *members;
	const char *branches;
	const char *demands;
	const char *rules;
};

/* Its output, parsed. */
struct table {
	char *text;
	char **cell; /* nrows × ncols, row 0 the header */
	size_t nrows, ncols;
	unsigned long problems;
	unsigned long classified;
};

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct qy_buf b = {0};
	char chunk[4096];
	size_t n;
	while (f != NULL && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		qy_buf_add(&b, chunk, n);
	if (f != NULL)
		fclose(f);
	return b.data ? b.data : qy_xstrdup("");
}

static void
parse_table(struct table *t)
{
	size_t cap = 64, n = 0;
	t->cell = qy_xmalloc(cap * sizeof *t->cell);
	t->ncols = 0;
	char *p = t->text;
	size_t cols_in_row = 0;
	while (*p != '\0') {
		char *end = p + strcspn(p, "\t\n");
		char sep = *end;
		*end = '\0';
		if (n == cap)
			t->cell = qy_xrealloc(t->cell, (cap *= 2) * sizeof *t->cell);
		t->cell[n++] = p;
		cols_in_row++;
		if (sep == '\n' || sep == '\0') {
			if (t->ncols == 0)
				t->ncols = cols_in_row;
			cols_in_row = 0;
		}
		p = sep == '\0' ? end : end + 1;
	}
	t->nrows = t->ncols ? n / t->ncols : 0;
}

static struct table
run_score(const struct run *r)
{
	struct qy_diag d;
	struct qy_rules rules;
	struct qy_score_opts o = {0};
	char path[5][256], out_path[256];
	const char *text[5] = {r->activity, r->members, r->branches, r->demands, r->rules};
	for (int i = 0; i < 5; i++) {
		snprintf(path[i], sizeof path[i], "%s/in%d.tsv", dir, i);
		if (text[i] != NULL)
			write_file(path[i], text[i]);
	}
	snprintf(out_path, sizeof out_path, "%s/out.tsv", dir);
	qy_diag_init(&d, "test_score");
	if (r->rules != NULL)
		qy_rules_load(&rules, path[4], &d);
	else
		qy_rules_load_default(&rules, &d);
	int y1, m1, d1, y2, m2, d2;
	if (r->month != NULL) {
		CHECK(sscanf(r->month, "%d-%d", &y1, &m1) == 2);
		CHECK(qy_period_month(&o.period, y1, m1) == 0);
	} else {
		CHECK(sscanf(r->from, "%d-%d-%d", &y1, &m1, &d1) == 3);
		CHECK(sscanf(r->to, "%d-%d-%d", &y2, &m2, &d2) == 3);
		CHECK(qy_period_set(&o.period, y1, m1, d1, y2, m2, d2) == 0);
	}
	o.level = strcmp(r->level, "branch") == 0 ? QY_LEVEL_BRANCH : QY_LEVEL_MEMBER;
	o.rules = &rules;
	o.diag = &d;
	struct qy_score *s = qy_score_new(&o);
	if (r->branches != NULL)
		qy_score_read_branches(s, path[2]);
	if (r->members != NULL)
		qy_score_read_members(s, path[1]);
	if (r->demands != NULL)
		qy_score_read_demands(s, path[3]);
	qy_score_read_activity(s, path[0]);
	struct qy_out out;
	qy_out_open(&out, out_path, &d);
	qy_score_write(s, &out);
	qy_out_close(&out);
	struct table t = {0};
	t.classified = qy_score_classified(s);
	qy_score_free(s);
	qy_rules_free(&rules);
	t.text = slurp(out_path);
	t.problems = d.problems;
	parse_table(&t);
	return t;
}

static void
free_table(struct table *t)
{
	free(t->cell);
	free(t->text);
}

/* The cell of column col in the row whose first column is id. */
static const char *
get(const struct table *t, const char *id, const char *col)
{
	size_t c = 0;
	while (c < t->ncols && strcmp(t->cell[c], col) != 0)
		c++;
	if (c == t->ncols)
		return "(no such column)";
	for (size_t r = 1; r < t->nrows; r++)
		if (strcmp(t->cell[r * t->ncols], id) == 0)
			return t->cell[r * t->ncols + c];
	return "(no such row)";
}

/* The first column of data row i (1-based), i.e. the output order. */
static const char *
row_id(const struct table *t, size_t i)
{
	return i < t->nrows ? t->cell[i * t->ncols] : "(none)";
}

static const char act_header[] = "date\tmember_id\tbranch_id\tkind\thours\tnote\n";

/* ---- members ---- */

static const char caps_activity[] = "date\tmember_id\tbranch_id\tkind\thours\tnote\n"
				    /* M1: 5 meetings 25 → cap 20; 2 studies 4; volunteer 3.5 h × 2
				     * = 7; 4 claims 40 → cap 30; 2 reports 10 → cap 5; 1 honor 10.
				     * points 20+4+7+30+5+10 = 76 → index 76.0, ★3 */
				    "2024-06-01\tM1\t\t三会一课\t\t\n"
				    "2024-06-02\tM1\t\t三会一课\t\t\n"
				    "2024-06-03\tM1\t\t三会一课\t\t\n"
				    "2024-06-04\tM1\t\t三会一课\t\t\n"
				    "2024-06-05\tM1\t\t三会一课\t\t\n"
				    "2024-06-06\tM1\t\t学习强国学习\t\t\n"
				    "2024-06-07\tM1\t\t学习强国学习\t\t\n"
				    "2024-06-08\tM1\t\t社区志愿服务\t3.5\t\n"
				    "2024-06-09\tM1\t\t认领微心愿\t\t\n"
				    "2024-06-10\tM1\t\t认领微心愿\t\t\n"
				    "2024-06-11\tM1\t\t认领微心愿\t\t\n"
				    "2024-06-12\tM1\t\t认领微心愿\t\t\n"
				    "2024-06-13\tM1\t\t到社区报到\t\t\n"
				    "2024-06-14\tM1\t\t到社区报到\t\t\n"
				    "2024-06-15\tM1\t\t获区级表彰\t\t\n"
				    /* M2: 5 absences -25 → cap -20 (a negative cap bounds
				     * penalties); 2 meetings 10; volunteer 20 h × 2 = 40 → cap 30.
				     * points -20+10+30 = 20 → index 20.0, ★1 */
				    "2024-06-01\tM2\t\t无故缺席三会一课\t\t\n"
				    "2024-06-02\tM2\t\t无故缺席三会一课\t\t\n"
				    "2024-06-03\tM2\t\t缺席党员大会\t\t\n"
				    "2024-06-04\tM2\t\t未参加主题党日\t\t\n"
				    "2024-06-05\tM2\t\t缺席组织生活会\t\t\n"
				    "2024-06-06\tM2\t\t参加主题党日活动\t\t\n"
				    "2024-06-07\tM2\t\t参加主题党日活动\t\t\n"
				    "2024-06-08\tM2\t\t志愿服务\t20\t\n"
				    /* M3: 2 honors 20, 3 claims 30, 4 meetings 20, 5 studies 10,
				     * volunteer 15 h 30, 1 report 5 = 115; 1 violation -30 → 85 →
				     * index 85.0, which is ★4, but a violation vetoes: ★1 */
				    "2024-06-01\tM3\t\t表彰先进个人\t\t\n"
				    "2024-06-01\tM3\t\t获评优秀共产党员\t\t\n"
				    "2024-06-02\tM3\t\t认领微心愿\t\t\n"
				    "2024-06-02\tM3\t\t认领为民项目\t\t\n"
				    "2024-06-02\tM3\t\t接单办理群众需求\t\t\n"
				    "2024-06-03\tM3\t\t三会一课\t\t\n"
				    "2024-06-03\tM3\t\t参加组织生活会\t\t\n"
				    "2024-06-03\tM3\t\t参加党小组会\t\t\n"
				    "2024-06-03\tM3\t\t列席支委会\t\t\n"
				    "2024-06-04\tM3\t\t理论学习\t\t\n"
				    "2024-06-04\tM3\t\t理论学习\t\t\n"
				    "2024-06-04\tM3\t\t参加专题党课\t\t\n"
				    "2024-06-04\tM3\t\t党员冬训培训\t\t\n"
				    "2024-06-04\tM3\t\t线上学习\t\t\n"
				    "2024-06-05\tM3\t\t义工活动\t15\t\n"
				    "2024-06-06\tM3\t\t在职党员进社区报到\t\t\n"
				    "2024-06-07\tM3\t\t受到党内警告处分\t\t\n"
				    /* M4: 3 violations -90 → cap -60; index clamps to 0.0; ★1 */
				    "2024-06-01\tM4\t\t违纪\t\t\n"
				    "2024-06-02\tM4\t\t违纪\t\t\n"
				    "2024-06-03\tM4\t\t违纪\t\t\n"
				    /* M6: claim 30 + meeting 20 + honor 20 + volunteer 30 + study
				     * 10 + report 5 = 115 → index clamps to 100.0, ★5 */
				    "2024-06-01\tM6\t\t认领微心愿\t\t\n"
				    "2024-06-01\tM6\t\t认领微心愿\t\t\n"
				    "2024-06-01\tM6\t\t认领微心愿\t\t\n"
				    "2024-06-02\tM6\t\t三会一课\t\t\n"
				    "2024-06-02\tM6\t\t三会一课\t\t\n"
				    "2024-06-02\tM6\t\t三会一课\t\t\n"
				    "2024-06-02\tM6\t\t三会一课\t\t\n"
				    "2024-06-03\tM6\t\t获区级表彰\t\t\n"
				    "2024-06-03\tM6\t\t获区级表彰\t\t\n"
				    "2024-06-04\tM6\t\t志愿服务\t24\t\n"
				    "2024-06-05\tM6\t\t理论学习\t\t\n"
				    "2024-06-05\tM6\t\t理论学习\t\t\n"
				    "2024-06-05\tM6\t\t理论学习\t\t\n"
				    "2024-06-05\tM6\t\t理论学习\t\t\n"
				    "2024-06-05\tM6\t\t理论学习\t\t\n"
				    "2024-06-06\tM6\t\t社区报到\t\t\n"
				    /* outside June: ignored */
				    "2024-05-31\tM6\t\t违纪\t\t\n"
				    "2024-07-01\tM6\t\t违纪\t\t\n";

static const char caps_members[] = "member_id\tname\tbranch_id\tmember_kind\n"
				   "M1\t张三\tB1\tresident\n"
				   "M2\t李四\tB1\t在职党员\n"
				   "M3\t王五\tB1\t\n"
				   "M4\t赵六\tB2\tmobile\n"
				   "M5\t钱七\tB2\tretired\n"
				   "M6\t孙八\tB2\tresident\n";

static void
test_member_caps_penalties_veto(void)
{
	struct run r = {.level = "member",
			.month = "2024-06",
			.activity = caps_activity,
			.members = caps_members};
	struct table t = run_score(&r);
	CHECK(t.problems == 0);
	CHECK_STR(t.cell[0], "member_id");
	CHECK(t.ncols == 18);
	CHECK(t.nrows == 7);
	/* M1: every cap and the per-hour rule */
	CHECK_STR(get(&t, "M1", "points"), "76.0");
	CHECK_STR(get(&t, "M1", "index"), "76.0");
	CHECK_STR(get(&t, "M1", "stars"), "3");
	CHECK_STR(get(&t, "M1", "pts_meeting"), "20.0");
	CHECK_STR(get(&t, "M1", "pts_study"), "4.0");
	CHECK_STR(get(&t, "M1", "pts_volunteer"), "7.0");
	CHECK_STR(get(&t, "M1", "pts_claim"), "30.0");
	CHECK_STR(get(&t, "M1", "pts_report"), "5.0");
	CHECK_STR(get(&t, "M1", "pts_honor"), "10.0");
	CHECK_STR(get(&t, "M1", "pts_absence"), "0.0");
	CHECK_STR(get(&t, "M1", "inactive"), "no");
	CHECK_STR(get(&t, "M1", "name"), "张三");
	CHECK_STR(get(&t, "M1", "member_kind"), "resident");
	/* M2: negative cap */
	CHECK_STR(get(&t, "M2", "pts_absence"), "-20.0");
	CHECK_STR(get(&t, "M2", "pts_meeting"), "10.0");
	CHECK_STR(get(&t, "M2", "pts_volunteer"), "30.0");
	CHECK_STR(get(&t, "M2", "points"), "20.0");
	CHECK_STR(get(&t, "M2", "stars"), "1");
	CHECK_STR(get(&t, "M2", "member_kind"), "employed"); /* 在职党员 normalised */
	/* M3: the veto */
	CHECK_STR(get(&t, "M3", "points"), "85.0");
	CHECK_STR(get(&t, "M3", "index"), "85.0");
	CHECK_STR(get(&t, "M3", "stars"), "1");
	CHECK_STR(get(&t, "M3", "pts_violation"), "-30.0");
	CHECK_STR(get(&t, "M3", "member_kind"), "");
	/* M4: -90 capped at -60, index clamped at 0 */
	CHECK_STR(get(&t, "M4", "pts_violation"), "-60.0");
	CHECK_STR(get(&t, "M4", "points"), "-60.0");
	CHECK_STR(get(&t, "M4", "index"), "0.0");
	CHECK_STR(get(&t, "M4", "inactive"), "no");
	/* M5: in the roster, no activity */
	CHECK_STR(get(&t, "M5", "points"), "0.0");
	CHECK_STR(get(&t, "M5", "index"), "0.0");
	CHECK_STR(get(&t, "M5", "stars"), "1");
	CHECK_STR(get(&t, "M5", "inactive"), "yes");
	/* M6: clamped at 100; the violations outside June do not count */
	CHECK_STR(get(&t, "M6", "points"), "115.0");
	CHECK_STR(get(&t, "M6", "index"), "100.0");
	CHECK_STR(get(&t, "M6", "stars"), "5");
	/* order: index high first, then id; competition ranks:
	 * M6 100 → 1, M3 85 → 2, M1 76 → 3, M2 20 → 4, M4 0 and M5 0 → 5, 5 */
	CHECK_STR(row_id(&t, 1), "M6");
	CHECK_STR(row_id(&t, 2), "M3");
	CHECK_STR(row_id(&t, 3), "M1");
	CHECK_STR(row_id(&t, 4), "M2");
	CHECK_STR(row_id(&t, 5), "M4");
	CHECK_STR(row_id(&t, 6), "M5");
	CHECK_STR(get(&t, "M6", "rank"), "1");
	CHECK_STR(get(&t, "M2", "rank"), "4");
	CHECK_STR(get(&t, "M4", "rank"), "5");
	CHECK_STR(get(&t, "M5", "rank"), "5");
	/* branch_rank: B1 = M3 85, M1 76, M2 20 → 1, 2, 3;
	 * B2 = M6 100, M4 0, M5 0 → 1, 2, 2 */
	CHECK_STR(get(&t, "M3", "branch_rank"), "1");
	CHECK_STR(get(&t, "M1", "branch_rank"), "2");
	CHECK_STR(get(&t, "M2", "branch_rank"), "3");
	CHECK_STR(get(&t, "M6", "branch_rank"), "1");
	CHECK_STR(get(&t, "M4", "branch_rank"), "2");
	CHECK_STR(get(&t, "M5", "branch_rank"), "2");
	free_table(&t);
}

/* Columns in SPEC order, then pts_<kind> in rule order. */
static void
test_member_columns(void)
{
	struct run r = {.level = "member",
			.month = "2024-06",
			.activity = caps_activity,
			.members = caps_members};
	struct table t = run_score(&r);
	static const char *const want[] = {
	    "member_id",   "name",	    "branch_id",    "member_kind", "points",
	    "index",	   "stars",	    "rank",	    "branch_rank", "inactive",
	    "pts_absence", "pts_violation", "pts_claim",    "pts_report",  "pts_honor",
	    "pts_meeting", "pts_study",	    "pts_volunteer"};
	CHECK(t.ncols == sizeof want / sizeof want[0]);
	for (size_t i = 0; i < t.ncols && i < sizeof want / sizeof want[0]; i++)
		CHECK_STR(t.cell[i], want[i]);
	free_table(&t);
}

/* Half-up from the exact value: binary floating point would turn 2.15 into
 * 2.1499999… and round it down. */
static void
test_rounding(void)
{
	char act[1024];
	snprintf(act, sizeof act, "%s%s", act_header,
		 /* R1: 1.075 h × 2 = 2.15 → 2.2 */
		 "2024-06-01\tR1\tB\t志愿服务\t1.075\t\n"
		 /* R2: 0.025 h × 2 = 0.05 → 0.1 */
		 "2024-06-01\tR2\tB\t志愿服务\t0.025\t\n"
		 /* R3: 1.125 h × 2 = 2.25 → 2.3 */
		 "2024-06-01\tR3\tB\t志愿服务\t1.125\t\n"
		 /* R4: 1.12 h × 2 = 2.24 → 2.2 */
		 "2024-06-01\tR4\tB\t志愿服务\t1.12\t\n"
		 /* R5: 0.000001 h × 2 = 0.000002 → 0.0 */
		 "2024-06-01\tR5\tB\t志愿服务\t0.000001\t\n");
	struct run r = {.level = "member", .month = "2024-06", .activity = act};
	struct table t = run_score(&r);
	CHECK(t.problems == 0);
	CHECK_STR(get(&t, "R1", "points"), "2.2");
	CHECK_STR(get(&t, "R1", "index"), "2.2");
	CHECK_STR(get(&t, "R2", "points"), "0.1");
	CHECK_STR(get(&t, "R2", "index"), "0.1");
	CHECK_STR(get(&t, "R3", "index"), "2.3");
	CHECK_STR(get(&t, "R4", "index"), "2.2");
	CHECK_STR(get(&t, "R5", "index"), "0.0");
	/* R3 2.3, R1 2.2, R4 2.2 (tie: by id), R2 0.1, R5 0.0 */
	CHECK_STR(row_id(&t, 1), "R3");
	CHECK_STR(row_id(&t, 2), "R1");
	CHECK_STR(row_id(&t, 3), "R4");
	CHECK_STR(get(&t, "R4", "rank"), "2");
	free_table(&t);

	/* Over three months the index is points / 3: 0.075 h × 2 = 0.15
	 * points → 0.05 → 0.1; 0.3 points → 0.1; 0.45 → 0.15 → 0.2 */
	snprintf(act, sizeof act, "%s%s", act_header,
		 "2024-04-10\tQ1\tB\t志愿服务\t0.075\t\n"
		 "2024-05-10\tQ2\tB\t志愿服务\t0.15\t\n"
		 "2024-06-10\tQ3\tB\t志愿服务\t0.225\t\n");
	struct run q = {
	    .level = "member", .from = "2024-04-01", .to = "2024-06-30", .activity = act};
	t = run_score(&q);
	CHECK_STR(get(&t, "Q1", "points"), "0.2"); /* 0.15 → 0.2 */
	CHECK_STR(get(&t, "Q1", "index"), "0.1");
	CHECK_STR(get(&t, "Q2", "index"), "0.1");
	CHECK_STR(get(&t, "Q3", "points"), "0.5"); /* 0.45 → 0.5 */
	CHECK_STR(get(&t, "Q3", "index"), "0.2");
	free_table(&t);

	/* Negative halves go away from zero: a rule of -0.25 a time, once →
	 * -0.25 → -0.3; three times → -0.75 → -0.8 */
	static const char rules[] = "kind\tlevel\tpattern\tpoints\tper\tcap\tlabel\n"
				    "fine\tmember\t罚\t-0.25\tevent\t\t罚\n"
				    "good\tmember\t好\t1\tevent\t\t好\n";
	snprintf(act, sizeof act, "%s%s", act_header,
		 "2024-06-01\tN1\tB\t罚\t\t\n"
		 "2024-06-01\tN2\tB\t罚\t\t\n"
		 "2024-06-02\tN2\tB\t罚\t\t\n"
		 "2024-06-03\tN2\tB\t罚\t\t\n");
	struct run n = {.level = "member", .month = "2024-06", .activity = act, .rules = rules};
	t = run_score(&n);
	CHECK_STR(get(&t, "N1", "pts_fine"), "-0.3");
	CHECK_STR(get(&t, "N1", "points"), "-0.3");
	CHECK_STR(get(&t, "N2", "pts_fine"), "-0.8");
	CHECK_STR(get(&t, "N2", "pts_good"), "0.0");
	CHECK_STR(get(&t, "N2", "index"), "0.0");
	CHECK(t.ncols == 12);
	free_table(&t);
}

/* Caps are per calendar month; months count whole. */
static void
test_period_months(void)
{
	char act[2048];
	snprintf(act, sizeof act, "%s%s", act_header,
		 "2024-05-19\tP1\tB\t三会一课\t\t\n" /* before --from: ignored */
		 "2024-05-20\tP1\tB\t三会一课\t\t\n"
		 "2024-05-21\tP1\tB\t三会一课\t\t\n"
		 "2024-05-22\tP1\tB\t三会一课\t\t\n"
		 "2024-05-23\tP1\tB\t三会一课\t\t\n"
		 "2024-05-31\tP1\tB\t三会一课\t\t\n" /* May: 5 × 5 = 25 → 20 */
		 "2024-06-01\tP1\tB\t三会一课\t\t\n"
		 "2024-06-02\tP1\tB\t三会一课\t\t\n"
		 "2024-06-03\tP1\tB\t三会一课\t\t\n"
		 "2024-06-10\tP1\tB\t三会一课\t\t\n" /* June: 4 × 5 = 20 */
		 "2024-06-11\tP1\tB\t三会一课\t\t\n" /* after --to: ignored */
	);
	/* May 20 .. June 10 overlaps 2 months: index = 40 / 2 = 20.0 */
	struct run r = {
	    .level = "member", .from = "2024-05-20", .to = "2024-06-10", .activity = act};
	struct table t = run_score(&r);
	CHECK_STR(get(&t, "P1", "pts_meeting"), "40.0");
	CHECK_STR(get(&t, "P1", "points"), "40.0");
	CHECK_STR(get(&t, "P1", "index"), "20.0");
	CHECK_STR(get(&t, "P1", "branch_id"), "B");
	free_table(&t);
}

/* Without -m the members are those the activity names: name and kind
 * empty, branch from the rows. */
static void
test_members_without_roster(void)
{
	char act[1024];
	snprintf(act, sizeof act, "%s%s", act_header,
		 "2024-06-01\tW1\tB7\t三会一课\t\t\n"
		 "2024-06-02\tW2\t\t三会一课\t\t\n"
		 "2024-06-03\tW2\tB8\t三会一课\t\t\n"
		 "2024-06-04\tW2\tB9\t三会一课\t\t\n"
		 "2024-06-05\tW3\tB7\t交纳党费\t\t\n"); /* unknown kind: reported, W3 absent */
	struct run r = {.level = "member", .month = "2024-06", .activity = act};
	struct table t = run_score(&r);
	CHECK(t.problems == 1);
	CHECK(t.nrows == 3);
	CHECK_STR(get(&t, "W1", "name"), "");
	CHECK_STR(get(&t, "W1", "member_kind"), "");
	CHECK_STR(get(&t, "W1", "branch_id"), "B7");
	CHECK_STR(get(&t, "W2", "branch_id"), "B8"); /* the first one given */
	CHECK_STR(get(&t, "W2", "index"), "15.0");
	CHECK_STR(get(&t, "W3", "index"), "(no such row)");
	free_table(&t);
}

/* Reported data problems are not scored; the run goes on. */
static void
test_problems_not_scored(void)
{
	char act[2048];
	snprintf(act, sizeof act, "%s%s", act_header,
		 "2024-06-01\tM1\t\t三会一课\t\t\n"	 /* scored: 5 */
		 "2024-06-01\tM9\t\t三会一课\t\t\n"	 /* not in the roster */
		 "2024-06-31\tM1\t\t三会一课\t\t\n"	 /* not a day */
		 "2024-06-02\tM1\t\t志愿服务\t\t\n"	 /* per hour, no hours */
		 "2024-06-02\tM1\t\t志愿服务\tabc\t\n"	 /* hours not a decimal */
		 "2024-06-02\tM1\t\t志愿服务\t25\t\n"	 /* over 24 */
		 "2024-06-02\tM1\t\t打篮球\t\t\n"	 /* no rule */
		 "2024-06-02\t\t\t三会一课\t\t\n"	 /* neither id */
		 "2024-06-02\tM1\t\t三会一课\t1.5\t\n"	 /* scored: 5 (hours ignored) */
		 "2024/6/3\tM1\t\t三会一课\t\t\n"	 /* another date form: scored, 5 */
		 "2024-06-04\tM1\t\t志愿服务\t１.５\t\n" /* full-width hours: 3 */
	);
	struct run r = {
	    .level = "member", .month = "2024-06", .activity = act, .members = caps_members};
	struct table t = run_score(&r);
	CHECK(t.problems == 7);
	CHECK_STR(get(&t, "M1", "pts_meeting"), "15.0");
	CHECK_STR(get(&t, "M1", "pts_volunteer"), "3.0");
	CHECK_STR(get(&t, "M1", "points"), "18.0");
	CHECK_STR(get(&t, "M9", "index"), "(no such row)");
	CHECK(t.nrows == 7); /* the six roster members */
	free_table(&t);
}

/* Identical rows in another order give identical bytes; each distinct kind
 * text is classified once. */
static void
test_deterministic_and_classified_once(void)
{
	struct qy_buf fwd = {0}, rev = {0};
	qy_buf_adds(&fwd, act_header);
	qy_buf_adds(&rev, act_header);
	static const char *const kinds[] = {"三会一课", "社区志愿服务", "认领微心愿"};
	char line[128];
	for (int i = 0; i < 3000; i++) {
		snprintf(line, sizeof line, "2024-06-%02d\tX%04d\tB%d\t%s\t1\t\n", 1 + i % 30,
			 i % 700, i % 7, kinds[i % 3]);
		qy_buf_adds(&fwd, line);
	}
	for (int i = 2999; i >= 0; i--) {
		snprintf(line, sizeof line, "2024-06-%02d\tX%04d\tB%d\t%s\t1\t\n", 1 + i % 30,
			 i % 700, i % 7, kinds[i % 3]);
		qy_buf_adds(&rev, line);
	}
	struct run a = {.level = "member", .month = "2024-06", .activity = fwd.data};
	struct run b = {.level = "member", .month = "2024-06", .activity = rev.data};
	struct table ta = run_score(&a), tb = run_score(&b);
	CHECK(ta.classified == 3);
	CHECK(ta.nrows == 701);
	/* branch_id is the first a member's rows give, so it depends on the
	 * order of rows; compare the scores only */
	for (size_t i = 1; i < ta.nrows && i < tb.nrows; i++) {
		CHECK_STR(row_id(&tb, i), row_id(&ta, i));
		CHECK_STR(get(&tb, row_id(&ta, i), "points"), get(&ta, row_id(&ta, i), "points"));
		CHECK_STR(get(&tb, row_id(&ta, i), "rank"), get(&ta, row_id(&ta, i), "rank"));
	}
	free_table(&ta);
	free_table(&tb);
	qy_buf_free(&fwd);
	qy_buf_free(&rev);
}

/* ---- branches ---- */

static const char branch_members[] = "member_id\tname\tbranch_id\tmember_kind\n"
				     "A1\t甲一\tB1\tresident\n"
				     "A2\t甲二\tB1\tresident\n"
				     "A3\t甲三\tB1\tresident\n"
				     "A4\t甲四\tB1\tresident\n"
				     "C1\t丙一\tB3\tresident\n"
				     "C2\t丙二\tB3\tresident\n"
				     "D1\t丁一\tB4\tresident\n"
				     "D2\t丁二\tB4\tresident\n";

static const char branch_roster[] = "branch_id\tname\tstreet\tcommunity\n"
				    "B1\t虹桥社区党支部\t宁海路街道\t虹桥社区\n"
				    "B2\t山西路社区党支部\t\t山西路社区\n"
				    "B3\t青岛路社区党支部\t华侨路街道\t青岛路社区\n"
				    "B4\t某公司党支部\t\t\n"
				    "B5\t空支部\t\t\n";

static const char branch_activity[] =
    "date\tmember_id\tbranch_id\tkind\thours\tnote\n"
    /* B1's own events: the three monthly kinds in June, an assembly in
     * April (Q2 ends in June: met anywhere in April–June), no lecture.
     * org_life = 100 × 4 / 5 = 80.0 */
    "2024-06-05\t\tB1\t召开支委会\t\t\n"
    "2024-06-06\t\tB1\t党小组会\t\t\n"
    "2024-06-07\t\tB1\t主题党日\t\t\n"
    "2024-04-10\t\tB1\t支部党员大会\t\t\n"
    /* B1's members: A1 4 meetings 20 → 20.0; A2 3 claims 30 + 10 h
     * volunteer 20 → 50.0; A3 absence -5 + violation -30 → 0.0 (scored,
     * not positive); A4 nothing.  vanguard (20+50+0+0)/4 = 17.5;
     * participation 2/4 = 50.0; penalty 1 violation = 10 */
    "2024-06-01\tA1\tB1\t三会一课\t\t\n"
    "2024-06-02\tA1\tB1\t三会一课\t\t\n"
    "2024-06-03\tA1\tB1\t三会一课\t\t\n"
    "2024-06-04\tA1\tB1\t列席支委会\t\t\n" /* a member's row: not B1's event */
    "2024-06-01\tA2\tB1\t认领微心愿\t\t\n"
    "2024-06-02\tA2\tB1\t认领微心愿\t\t\n"
    "2024-06-03\tA2\tB1\t认领微心愿\t\t\n"
    "2024-06-04\tA2\tB1\t志愿服务\t10\t\n"
    "2024-06-05\tA3\tB1\t缺席党员大会\t\t\n"
    "2024-06-06\tA3\tB1\t违纪\t\t\n"
    /* B2, no members: monthly kinds in June, assembly in May, lecture in
     * June → org_life 5/5 = 100.0 */
    "2024-06-01\t\tB2\t支委会\t\t\n"
    "2024-06-01\t\tB2\t党小组会\t\t\n"
    "2024-06-01\t\tB2\t主题党日\t\t\n"
    "2024-05-20\t\tB2\t党员大会\t\t\n"
    "2024-06-20\t\tB2\t书记讲党课\t\t\n"
    /* B3: no events (org_life 0.0); C1 and C2 at 100 each */
    "2024-06-01\tC1\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC1\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC1\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC1\tB3\t获区级表彰\t\t\n"
    "2024-06-01\tC1\tB3\t获区级表彰\t\t\n"
    "2024-06-01\tC1\tB3\t志愿服务\t15\t\n"
    "2024-06-01\tC1\tB3\t三会一课\t\t\n"
    "2024-06-01\tC1\tB3\t三会一课\t\t\n"
    "2024-06-01\tC1\tB3\t三会一课\t\t\n"
    "2024-06-01\tC1\tB3\t三会一课\t\t\n"
    "2024-06-01\tC2\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC2\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC2\tB3\t认领微心愿\t\t\n"
    "2024-06-01\tC2\tB3\t获区级表彰\t\t\n"
    "2024-06-01\tC2\tB3\t获区级表彰\t\t\n"
    "2024-06-01\tC2\tB3\t志愿服务\t15\t\n"
    "2024-06-01\tC2\tB3\t三会一课\t\t\n"
    "2024-06-01\tC2\tB3\t三会一课\t\t\n"
    "2024-06-01\tC2\tB3\t三会一课\t\t\n"
    "2024-06-01\tC2\tB3\t三会一课\t\t\n"
    /* B4: D1 2 violations, D2 2 violations + 4 meetings: 4 violations,
     * penalty 40 → capped at 30 */
    "2024-06-01\tD1\tB4\t违纪\t\t\n"
    "2024-06-02\tD1\tB4\t违纪\t\t\n"
    "2024-06-01\tD2\tB4\t违纪\t\t\n"
    "2024-06-02\tD2\tB4\t违纪\t\t\n"
    "2024-06-03\tD2\tB4\t三会一课\t\t\n"
    "2024-06-03\tD2\tB4\t三会一课\t\t\n"
    "2024-06-03\tD2\tB4\t三会一课\t\t\n"
    "2024-06-03\tD2\tB4\t三会一课\t\t\n";

static const char branch_demands[] =
    "demand_id\tsubmitted\tstreet\tcommunity\tstatus\tsatisfaction\n"
    /* B1 = 宁海路街道/虹桥社区 in June: 3 done, 1 open, 1 closed; rated 5
     * and 3.  completion 3 / (5 − 1) = 0.75; satisfaction (4 − 1) / 4 =
     * 0.75; service = 60 × 0.75 + 40 × 0.75 = 75.0 */
    "D01\t2024-06-01\t宁海路街道\t虹桥社区\tdone\t5\n"
    "D02\t2024-06-02\t宁海路街道\t虹桥社区\t已办结\t3\n"
    "D03\t2024-06-03\t宁海路街道\t虹桥社区\tdone\t\n"
    "D04\t2024-06-04\t宁海路街道\t虹桥社区\t\t\n"
    "D05\t2024-06-05\t宁海路街道\t虹桥社区\tclosed\t\n"
    "D06\t2024-05-31\t宁海路街道\t虹桥社区\tdone\t1\n" /* May: not in the period */
    "D07\t2024-06-06\t别的街道\t虹桥社区\topen\t1\n"   /* another street: not B1's */
    /* B2 = 山西路社区 (no street: any street's): 1 done, 3 open, none
     * rated → completion alone: 100 × 1/4 = 25.0 */
    "D11\t2024-06-01\t湖南路街道\t山西路社区\tdone\t\n"
    "D12\t2024-06-01\t湖南路街道\t山西路社区\topen\t\n"
    "D13\t2024-06-01\t宁海路街道\t山西路社区\topen\t\n"
    "D14\t2024-06-01\t宁海路街道\t山西路社区\tclaimed\t\n"
    /* B3 = 华侨路街道/青岛路社区: both closed, rated 5 and 4: completion
     * cannot be computed (all − closed = 0) → satisfaction alone:
     * (4.5 − 1) / 4 × 100 = 87.5 */
    "D21\t2024-06-01\t华侨路街道\t青岛路社区\tclosed\t5\n"
    "D22\t2024-06-01\t华侨路街道\t青岛路社区\tclosed\t满意\n";

static void
test_branch_components(void)
{
	struct run r = {.level = "branch",
			.month = "2024-06",
			.activity = branch_activity,
			.members = branch_members,
			.branches = branch_roster,
			.demands = branch_demands};
	struct table t = run_score(&r);
	CHECK(t.problems == 0);
	CHECK(t.nrows == 6);
	/* B1: index = 0.30 × 80 + 0.30 × 17.5 + 0.15 × 50 + 0.25 × 75 − 10
	 *           = 24 + 5.25 + 7.5 + 18.75 − 10 = 45.5 → D, ★1 */
	CHECK_STR(get(&t, "B1", "members"), "4");
	CHECK_STR(get(&t, "B1", "org_life"), "80.0");
	CHECK_STR(get(&t, "B1", "vanguard"), "17.5");
	CHECK_STR(get(&t, "B1", "participation"), "50.0");
	CHECK_STR(get(&t, "B1", "service"), "75.0");
	CHECK_STR(get(&t, "B1", "penalty"), "10.0");
	CHECK_STR(get(&t, "B1", "index"), "45.5");
	CHECK_STR(get(&t, "B1", "grade"), "D");
	CHECK_STR(get(&t, "B1", "stars"), "1");
	CHECK_STR(get(&t, "B1", "name"), "虹桥社区党支部");
	CHECK_STR(get(&t, "B1", "street"), "宁海路街道");
	CHECK_STR(get(&t, "B1", "community"), "虹桥社区");
	/* B2, no members: vanguard and participation empty, their weights
	 * shared: (30 × 100 + 25 × 25) / (30 + 25) = 3625 / 55 = 65.909… →
	 * 65.9 → C, ★2 */
	CHECK_STR(get(&t, "B2", "members"), "0");
	CHECK_STR(get(&t, "B2", "org_life"), "100.0");
	CHECK_STR(get(&t, "B2", "vanguard"), "");
	CHECK_STR(get(&t, "B2", "participation"), "");
	CHECK_STR(get(&t, "B2", "service"), "25.0");
	CHECK_STR(get(&t, "B2", "index"), "65.9");
	CHECK_STR(get(&t, "B2", "grade"), "C");
	CHECK_STR(get(&t, "B2", "stars"), "2");
	/* B3: 0.30 × 0 + 0.30 × 100 + 0.15 × 100 + 0.25 × 87.5 = 66.875 →
	 * 66.9 */
	CHECK_STR(get(&t, "B3", "org_life"), "0.0");
	CHECK_STR(get(&t, "B3", "vanguard"), "100.0");
	CHECK_STR(get(&t, "B3", "participation"), "100.0");
	CHECK_STR(get(&t, "B3", "service"), "87.5");
	CHECK_STR(get(&t, "B3", "index"), "66.9");
	/* B4: no community → service empty; vanguard 0, participation 1/2 =
	 * 50, org_life 0: (0 + 0 + 15 × 50) / 75 = 10; − 30 (4 violations,
	 * capped) → −20 → clamped 0.0 */
	CHECK_STR(get(&t, "B4", "service"), "");
	CHECK_STR(get(&t, "B4", "participation"), "50.0");
	CHECK_STR(get(&t, "B4", "penalty"), "30.0");
	CHECK_STR(get(&t, "B4", "index"), "0.0");
	CHECK_STR(get(&t, "B4", "grade"), "D");
	/* B5: nothing but org_life 0 → 0.0 */
	CHECK_STR(get(&t, "B5", "org_life"), "0.0");
	CHECK_STR(get(&t, "B5", "index"), "0.0");
	/* order and ranks: B3 66.9, B2 65.9, B1 45.5, B4 0, B5 0 → 1 2 3 4 4 */
	CHECK_STR(row_id(&t, 1), "B3");
	CHECK_STR(row_id(&t, 2), "B2");
	CHECK_STR(row_id(&t, 3), "B1");
	CHECK_STR(row_id(&t, 4), "B4");
	CHECK_STR(row_id(&t, 5), "B5");
	CHECK_STR(get(&t, "B4", "rank"), "4");
	CHECK_STR(get(&t, "B5", "rank"), "4");
	static const char *const cols[] = {
	    "branch_id",     "name",	"street",  "community", "members", "org_life", "vanguard",
	    "participation", "service", "penalty", "index",	"grade",   "stars",    "rank"};
	CHECK(t.ncols == 14);
	for (size_t i = 0; i < t.ncols && i < 14; i++)
		CHECK_STR(t.cell[i], cols[i]);
	free_table(&t);

	/* Without -d, service is empty everywhere and its weight shared: B1 =
	 * (30 × 80 + 30 × 17.5 + 15 × 50) / 75 − 10 = 3675 / 75 − 10 = 39.0 */
	r.demands = NULL;
	t = run_score(&r);
	CHECK_STR(get(&t, "B1", "service"), "");
	CHECK_STR(get(&t, "B1", "index"), "39.0");
	free_table(&t);
}

/* org_life by month and quarter (SPEC 5.3). */
static const char quarter_activity[] = "date\tmember_id\tbranch_id\tkind\thours\tnote\n"
				       "2024-04-10\t\tQ\t党员大会\t\t\n"
				       "2024-05-03\t\tQ\t召开支委会\t\t\n"
				       "2024-05-04\t\tQ\t主题党日\t\t\n"
				       "2024-05-05\t\tQ\t党课\t\t\n"
				       "2024-06-03\t\tQ\t支委会\t\t\n";

static void
test_org_life_quarters(void)
{
	/* May (mid-quarter): nothing quarterly; monthly committee and theme_day
	 * held, group not: 100 × 2 / 3 = 66.7 (the lecture asks nothing) */
	struct run r = {.level = "branch", .month = "2024-05", .activity = quarter_activity};
	struct table t = run_score(&r);
	CHECK_STR(get(&t, "Q", "org_life"), "66.7");
	/* no members, no -d: org_life alone → index 66.7 */
	CHECK_STR(get(&t, "Q", "index"), "66.7");
	CHECK_STR(get(&t, "Q", "vanguard"), "");
	free_table(&t);

	/* June (quarter end): committee held in June, group and theme_day not
	 * (May's theme day is May's); assembly met in April, lecture in May:
	 * (1 + 2) / 5 = 60.0 */
	r.month = "2024-06";
	t = run_score(&r);
	CHECK_STR(get(&t, "Q", "org_life"), "60.0");
	free_table(&t);

	/* June 1–15: the quarter ends June 30, outside: monthly only, 1 / 3 */
	struct run h = {.level = "branch",
			.from = "2024-06-01",
			.to = "2024-06-15",
			.activity = quarter_activity};
	t = run_score(&h);
	CHECK_STR(get(&t, "Q", "org_life"), "33.3");
	free_table(&t);

	/* April–June: monthly 3 kinds × 3 months = 9 required, held:
	 * committee May and June (2), theme_day May (1); quarterly 2 required,
	 * held 2: (3 + 2) / 11 = 45.45… → 45.5 */
	struct run q = {.level = "branch",
			.from = "2024-04-01",
			.to = "2024-06-30",
			.activity = quarter_activity};
	t = run_score(&q);
	CHECK_STR(get(&t, "Q", "org_life"), "45.5");
	free_table(&t);

	/* At member level branch events are checked but score nobody. */
	struct run m = {.level = "member", .month = "2024-06", .activity = quarter_activity};
	t = run_score(&m);
	CHECK(t.problems == 0);
	CHECK(t.nrows == 1);
	free_table(&t);
}

/* vanguard is the mean of the members' rounded indices: 10.05 → 10.1 and
 * 0 → (10.1 + 0) / 2 = 5.05 → 5.1, where the mean of the exact indices
 * would be 5.025 → 5.0. */
static void
test_vanguard_of_rounded(void)
{
	static const char act[] = "date\tmember_id\tbranch_id\tkind\thours\tnote\n"
				  "2024-06-01\tV1\tBV\t志愿服务\t5.025\t\n"
				  "2024-06-01\tV2\tBV\t缺席党员大会\t\t\n";
	struct run r = {.level = "branch", .month = "2024-06", .activity = act};
	struct table t = run_score(&r);
	CHECK_STR(get(&t, "BV", "vanguard"), "5.1");
	CHECK_STR(get(&t, "BV", "participation"), "50.0");
	CHECK_STR(get(&t, "BV", "members"), "2");
	free_table(&t);
}

/* A branch event for a branch not in -b, a member whose branch is not in
 * -b: reported. */
static void
test_branch_roster_problems(void)
{
	static const char act[] = "date\tmember_id\tbranch_id\tkind\thours\tnote\n"
				  "2024-06-01\t\tB9\t支委会\t\t\n"
				  "2024-06-01\t\tB1\t支部换届选举\t\t\n"
				  "2024-06-01\t\tB1\t支委会\t\t\n";
	static const char members[] = "member_id\tname\tbranch_id\n"
				      "A1\t甲\tB1\n"
				      "A2\t乙\tB9\n"
				      "A2\t乙\tB1\n";
	struct run r = {.level = "branch",
			.month = "2024-06",
			.activity = act,
			.members = members,
			.branches = branch_roster};
	struct table t = run_score(&r);
	/* B9 not in the roster (member A2), A2 again (duplicate), B9 not in
	 * the roster (event), 支部换届选举 no branch rule */
	CHECK(t.problems == 4);
	CHECK(t.nrows == 6);
	CHECK_STR(get(&t, "B1", "members"), "1");
	CHECK_STR(get(&t, "B9", "members"), "(no such row)");
	free_table(&t);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_member_caps_penalties_veto);
	RUN(test_member_columns);
	RUN(test_rounding);
	RUN(test_period_months);
	RUN(test_members_without_roster);
	RUN(test_problems_not_scored);
	RUN(test_deterministic_and_classified_once);
	RUN(test_branch_components);
	RUN(test_org_life_quarters);
	RUN(test_vanguard_of_rounded);
	RUN(test_branch_roster_problems);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 2;
	return check_report();
}
