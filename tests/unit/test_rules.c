/* test_rules.c — the built-in rules, their round trip through a rules TSV,
 * classification order, and classifying each distinct kind text once.
 * (Fatal rules problems exit: tests/qy-score/rules-*.args test those.) */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "msg.h"
#include "out.h"
#include "rules.h"

static struct qy_diag diag;

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct qy_buf b = {0};
	char chunk[4096];
	size_t n;
	if (f == NULL)
		return qy_xstrdup("");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		qy_buf_add(&b, chunk, n);
	fclose(f);
	return b.data ? b.data : qy_xstrdup("");
}

/* Prints r into a temporary file and returns the text. */
static char *
print_rules(const struct qy_rules *r, char *path)
{
	struct qy_out o;
	qy_out_open(&o, path, &diag);
	qy_rules_print(r, &o);
	qy_out_close(&o);
	return slurp(path);
}

static void
test_defaults(void)
{
	struct qy_rules r;
	qy_rules_load_default(&r, &diag);
	static const char *const order[] = {
	    "absence",	 "violation", "claim", "report",   "honor",   "meeting",  "study",
	    "volunteer", "committee", "group", "assembly", "lecture", "theme_day"};
	CHECK(r.n == 13);
	CHECK(r.nkinds[QY_LEVEL_MEMBER] == 8);
	CHECK(r.nkinds[QY_LEVEL_BRANCH] == 5);
	for (size_t i = 0; i < r.n && i < 13; i++)
		CHECK_STR(r.kind[r.rule[i].level][r.rule[i].kind].name, order[i]);
	/* SPEC 5.1's numbers (×100) */
	CHECK(r.rule[0].points == -500 && r.kind[0][0].cap == -2000);  /* absence */
	CHECK(r.rule[1].points == -3000 && r.kind[0][1].cap == -6000); /* violation */
	CHECK(r.rule[7].per == QY_PER_HOUR && r.rule[7].points == 200);
	CHECK(r.kind[0][7].cap == 3000);
	CHECK(!r.kind[QY_LEVEL_BRANCH][0].has_cap);
	CHECK(r.veto_kind == 1);
	qy_rules_free(&r);
}

static void
test_round_trip(void)
{
	char path[] = "/tmp/test_rules.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct qy_rules r, back;
	qy_rules_load_default(&r, &diag);
	char *first = print_rules(&r, path);
	qy_rules_load(&back, path, &diag);
	char *second = print_rules(&back, path);
	CHECK_STR(second, first);
	CHECK(back.n == r.n);
	CHECK(strncmp(first, "kind\tlevel\tpattern\tpoints\tper\tcap\tlabel\n", 40) == 0);
	unlink(path);
	free(first);
	free(second);
	qy_rules_free(&r);
	qy_rules_free(&back);
}

/* Extra columns are ignored; columns are found by name in any order; two
 * rules may feed one kind; decimals print as they were meant. */
static void
test_custom_file(void)
{
	char path[] = "/tmp/test_rules.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "note\tlabel\tcap\tper\tpoints\tpattern\tlevel\tkind\n"
			   "x\t大会\t20\tevent\t5\t党员大会\tmember\tmeeting\n"
			   "x\t小组\t20\tevent\t2.5\t小组\tmember\tmeeting\n"
			   "x\t罚\t\tevent\t-0.25\t罚\tmember\tfine\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	struct qy_rules r;
	qy_rules_load(&r, path, &diag);
	CHECK(r.n == 3);
	CHECK(r.nkinds[QY_LEVEL_MEMBER] == 2);
	CHECK(r.rule[1].kind == 0 && r.rule[1].points == 250);
	CHECK(r.rule[2].points == -25 && !r.kind[0][1].has_cap);
	CHECK(r.veto_kind == -1);
	CHECK(r.rule[2].line == 4);
	char *printed = print_rules(&r, path);
	CHECK_STR(printed, "kind\tlevel\tpattern\tpoints\tper\tcap\tlabel\n"
			   "meeting\tmember\t党员大会\t5\tevent\t20\t大会\n"
			   "meeting\tmember\t小组\t2.5\tevent\t20\t小组\n"
			   "fine\tmember\t罚\t-0.25\tevent\t\t罚\n");
	free(printed);
	unlink(path);
	qy_rules_free(&r);
}

static const char *
kind_of(struct qy_classifier *c, enum qy_level level, const char *text)
{
	int i = qy_classify(c, level, text, strlen(text));
	if (i == QY_CLASS_NONE)
		return "(none)";
	if (i == QY_CLASS_ERROR)
		return "(error)";
	const struct qy_rule *r = &c->rules->rule[i];
	return c->rules->kind[r->level][r->kind].name;
}

static void
test_classify_order(void)
{
	struct qy_rules r;
	struct qy_classifier c;
	qy_rules_load_default(&r, &diag);
	qy_classifier_init(&c, &r);
	/* SPEC 5.1: rule order decides */
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "缺席支部党员大会"), "absence");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "认领志愿服务项目"), "claim");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "参加支部党员大会"), "meeting");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "参加专题党课"), "study");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "社区志愿服务"), "volunteer");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "获评优秀共产党员"), "honor");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "在职党员进社区报到"), "report");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "受到党内警告处分"), "violation");
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "交纳党费"), "(none)");
	/* the level matters: a member's 支委会 is a meeting, a branch's a committee */
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "列席支委会"), "meeting");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "召开支委会"), "committee");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "支部大会"), "assembly");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "书记讲党课"), "lecture");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "主题党日"), "theme_day");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "党小组会"), "group");
	CHECK_STR(kind_of(&c, QY_LEVEL_BRANCH, "社区志愿服务"), "(none)");
	/* not UTF-8: PCRE2 refuses it, and says so */
	CHECK_STR(kind_of(&c, QY_LEVEL_MEMBER, "\xff\xfe"), "(error)");
	qy_classifier_free(&c);
	qy_rules_free(&r);
}

/* Ten thousand rows of four distinct texts cost four classifications, and
 * the answers do not change when they come from the cache. */
static void
test_classify_once(void)
{
	struct qy_rules r;
	struct qy_classifier c;
	qy_rules_load_default(&r, &diag);
	qy_classifier_init(&c, &r);
	static const char *const texts[] = {"三会一课", "社区志愿服务", "交纳党费", "认领微心愿"};
	int first[4];
	for (int i = 0; i < 4; i++)
		first[i] = qy_classify(&c, QY_LEVEL_MEMBER, texts[i], strlen(texts[i]));
	for (int n = 0; n < 10000; n++) {
		const char *t = texts[n % 4];
		CHECK(qy_classify(&c, QY_LEVEL_MEMBER, t, strlen(t)) == first[n % 4]);
	}
	CHECK(c.evaluated == 4);
	/* the same text at the other level is another question */
	qy_classify(&c, QY_LEVEL_BRANCH, texts[0], strlen(texts[0]));
	CHECK(c.evaluated == 5);
	qy_classifier_free(&c);
	qy_rules_free(&r);
}

/* Past QY_CLASS_CACHE_MAX distinct texts the cache stops growing; the
 * answers stay right. */
static void
test_cache_bound(void)
{
	struct qy_rules r;
	struct qy_classifier c;
	qy_rules_load_default(&r, &diag);
	qy_classifier_init(&c, &r);
	char text[64];
	for (int i = 0; i < QY_CLASS_CACHE_MAX + 100; i++) {
		int n = snprintf(text, sizeof text, "志愿服务%d", i);
		CHECK(qy_classify(&c, QY_LEVEL_MEMBER, text, (size_t)n) == 7);
	}
	CHECK(c.cache[QY_LEVEL_MEMBER].n == QY_CLASS_CACHE_MAX);
	int n = snprintf(text, sizeof text, "志愿服务%d", QY_CLASS_CACHE_MAX + 50);
	unsigned long before = c.evaluated;
	CHECK(qy_classify(&c, QY_LEVEL_MEMBER, text, (size_t)n) == 7);
	CHECK(c.evaluated == before + 1);
	qy_classifier_free(&c);
	qy_rules_free(&r);
}

int
main(void)
{
	qy_diag_init(&diag, "test_rules");
	RUN(test_defaults);
	RUN(test_round_trip);
	RUN(test_custom_file);
	RUN(test_classify_order);
	RUN(test_classify_once);
	RUN(test_cache_bound);
	return check_report();
}
