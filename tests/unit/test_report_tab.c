/* test_report_tab.c — exact number formatting, masks and cell formats. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report_tab.h"

static const char *
ratio(int64_t num, int64_t den, int decimals)
{
	static struct qy_buf b;
	qy_buf_reset(&b);
	qy_fmt_ratio(&b, num, den, decimals);
	return b.data;
}

static void
test_ratio(void)
{
	CHECK_STR(ratio(1, 3, 4), "0.3333");
	CHECK_STR(ratio(2, 3, 4), "0.6667");
	CHECK_STR(ratio(1, 8, 2), "0.13");    /* 0.125 rounds half up */
	CHECK_STR(ratio(5, 1000, 2), "0.01"); /* 0.005 */
	CHECK_STR(ratio(1000, 1000, 4), "1.0000");
	CHECK_STR(ratio(-1, 8, 2), "-0.13");   /* half away from zero */
	CHECK_STR(ratio(-1, 1000, 2), "0.00"); /* no "-0.00" */
	CHECK_STR(ratio(17, 3, 2), "5.67");
	CHECK_STR(ratio(7, 1, 0), "7");
	CHECK_STR(ratio(4000000000LL, 3, 4), "1333333333.3333");
}

static void
test_masks(void)
{
	struct qy_buf b = {0};
	qy_mask_phone(&b, "13812345678", 11);
	CHECK_STR(b.data, "138****5678");
	qy_buf_reset(&b);
	qy_mask_phone(&b, "051185021234", 12);
	CHECK_STR(b.data, "051****1234");
	qy_buf_reset(&b);
	qy_mask_phone(&b, "12345", 5);
	CHECK_STR(b.data, "****45");
	qy_buf_reset(&b);
	qy_mask_name(&b, "张三", strlen("张三"));
	CHECK_STR(b.data, "张*");
	qy_buf_reset(&b);
	qy_mask_name(&b, "欧阳娜娜", strlen("欧阳娜娜"));
	CHECK_STR(b.data, "欧*");
	qy_buf_reset(&b);
	qy_mask_name(&b, "张", strlen("张"));
	CHECK_STR(b.data, "*");
	qy_buf_reset(&b);
	qy_mask_name(&b, "", 0);
	CHECK(b.len == 0);
	qy_buf_free(&b);
}

static const char *
cell(const struct qy_cell *c, int machine, int lang, int personal)
{
	static struct qy_buf b;
	struct qy_cell_style st = {lang ? QY_LANG_EN : QY_LANG_ZH, machine, personal};
	qy_buf_reset(&b);
	qy_cell_format(&b, c, &st);
	return b.data ? b.data : "";
}

static void
test_cells(void)
{
	struct qy_cell c = {0};
	qy_cell_rate(&c, 2, 3);
	CHECK_STR(cell(&c, 1, 0, 0), "0.6667");
	CHECK_STR(cell(&c, 0, 0, 0), "66.7%");
	qy_cell_rate(&c, 1, 0);
	CHECK_STR(cell(&c, 1, 0, 0), "");
	CHECK_STR(cell(&c, 0, 0, 0), "");
	qy_cell_mean(&c, 17, 3, 2);
	CHECK_STR(cell(&c, 1, 0, 0), "5.67");
	qy_cell_mean(&c, 0, 0, 2);
	CHECK_STR(cell(&c, 1, 0, 0), "");
	qy_cell_term(&c, "category", "gov");
	CHECK_STR(cell(&c, 1, 0, 0), "gov");
	CHECK_STR(cell(&c, 0, 0, 0), "政务");
	CHECK_STR(cell(&c, 0, 1, 0), "government");
	qy_cell_term(&c, "tier", "street");
	CHECK_STR(cell(&c, 0, 0, 0), "街道");
	qy_cell_term(&c, "escalate", "street");
	CHECK_STR(cell(&c, 0, 0, 0), "吹哨到街道");
	qy_cell_term(&c, "category", "unknown-code");
	CHECK_STR(cell(&c, 0, 0, 0), "unknown-code");
	qy_cell_text(&c, "13812345678", 11, QY_MASK_PHONE);
	CHECK_STR(cell(&c, 1, 0, 0), "138****5678"); /* masked in TSV too */
	CHECK_STR(cell(&c, 1, 0, 1), "13812345678");
	qy_cell_text(&c, "张三", strlen("张三"), QY_MASK_NAME);
	CHECK_STR(cell(&c, 0, 0, 0), "张*");
	CHECK_STR(cell(&c, 0, 0, 1), "张三");
	free(c.text);
}

int
main(void)
{
	RUN(test_ratio);
	RUN(test_masks);
	RUN(test_cells);
	return check_report();
}
