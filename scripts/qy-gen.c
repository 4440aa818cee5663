/*
 * qy-gen — deterministic generator of one consistent "world" of qy data.
 *
 * One self-contained C11 file, libc only.  Every entity is derived from
 * (seed, type, index) with a splitmix64 hash, so the same seed and the same
 * world options give byte-identical output, and the record types agree with
 * each other: demands, resources, pairs, branches and members name the same
 * districts, streets and communities; pairs name units that offer resources
 * there; members name existing branches; activity rows name existing members,
 * branches and demands; claimed demands name existing resources and never
 * claim more than a resource's capacity.
 *
 * Within one type some rows depend on earlier rows of that type (claimed
 * demands track the capacity already promised), never on rows of another
 * type: a resource's identity is recomputed from its index where needed.
 *
 * No dependence on time, locale or rand().  See usage() for the interface.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef QY_VERSION
#define QY_VERSION "0.1.0"
#endif

/* ------------------------------------------------------------------ */
/* Types, formats, options                                            */

enum { T_DEMAND, T_RESOURCE, T_PAIR, T_MEMBER, T_BRANCH, T_ACTIVITY, NTYPES };
static const char *const type_names[NTYPES] = {
	"demand", "resource", "pair", "member", "branch", "activity"
};
enum { F_TSV, F_CSV, F_OFFICE };

/* salts: one PRNG stream family per purpose */
enum {
	S_STREET = 1, S_COMM, S_COMMW, S_DEMAND, S_CLAIM, S_RES, S_PAIR,
	S_MEMBER, S_MBRANCH, S_MWEIGHT, S_BRANCH, S_BWEIGHT, S_ACT, S_NAME,
	S_BAD, S_BLANK, S_FMT = 100
};

static struct {
	int type, format, bom, badlist;
	uint64_t seed, seedmix;
	int year, month;
	uint32_t districts, streets, cps;
	uint64_t count[NTYPES];
	uint64_t rows;
	uint32_t bad;
} C;

static const char *prog = "qy-gen";

/* ------------------------------------------------------------------ */
/* Errors, memory                                                     */

static void
die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	exit(2);
}

static void
write_fail(void)
{
	fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* A bump allocator for the world's strings. */
static char *arena;
static size_t arena_left;

static char *
astore(const char *s, size_t n)
{
	char *p;

	if (n + 1 > arena_left) {
		arena_left = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
		arena = xmalloc(arena_left);
	}
	p = arena;
	memcpy(p, s, n);
	p[n] = '\0';
	arena += n + 1;
	arena_left -= n + 1;
	return p;
}

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64 streams keyed by (seed, salt, index)              */

typedef struct { uint64_t s; } Rng;

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
hash3(uint64_t salt, uint64_t a, uint64_t b)
{
	return mix64(C.seedmix ^ mix64(mix64(salt + 0x9e3779b97f4a7c15ULL) ^ a)
	    ^ (b * 0xd1b54a32d192ed03ULL));
}

static Rng
rng_at(uint64_t salt, uint64_t idx)
{
	Rng g;

	g.s = hash3(salt, idx, 0);
	return g;
}

static uint64_t
rnext(Rng *g)
{
	g->s += 0x9e3779b97f4a7c15ULL;
	return mix64(g->s);
}

/* uniform in [0, n) */
static uint32_t
rbelow(Rng *g, uint32_t n)
{
	return (uint32_t)(((rnext(g) >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [lo, hi] */
static uint32_t
rrange(Rng *g, uint32_t lo, uint32_t hi)
{
	return lo + rbelow(g, hi - lo + 1);
}

/* true with probability pm/1000 */
static int
rpm(Rng *g, uint32_t pm)
{
	return rbelow(g, 1000) < pm;
}

static int
rweighted(Rng *g, const unsigned *w, int n)
{
	unsigned tot = 0, x;
	int i;

	for (i = 0; i < n; i++)
		tot += w[i];
	x = rbelow(g, tot);
	for (i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Walker/Vose alias table: O(1) weighted draws. */
typedef struct {
	uint32_t n;
	uint32_t *thr, *alias;
} Alias;

static void
alias_build(Alias *a, const double *w, uint32_t n)
{
	double sum = 0, *p;
	uint32_t *small, *large, ns = 0, nl = 0, i;

	a->n = n;
	a->thr = xmalloc(n * sizeof *a->thr);
	a->alias = xmalloc(n * sizeof *a->alias);
	p = xmalloc(n * sizeof *p);
	small = xmalloc(n * sizeof *small);
	large = xmalloc(n * sizeof *large);
	for (i = 0; i < n; i++)
		sum += w[i];
	for (i = 0; i < n; i++) {
		p[i] = w[i] * n;
		p[i] = sum > 0 ? p[i] / sum : 1.0;
		if (p[i] < 1.0)
			small[ns++] = i;
		else
			large[nl++] = i;
	}
	while (ns > 0 && nl > 0) {
		uint32_t s = small[--ns], l = large[--nl];

		a->thr[s] = (uint32_t)(p[s] * 4294967296.0);
		a->alias[s] = l;
		p[l] = p[l] + p[s];
		p[l] = p[l] - 1.0;
		if (p[l] < 1.0)
			small[ns++] = l;
		else
			large[nl++] = l;
	}
	while (nl > 0) {
		i = large[--nl];
		a->thr[i] = UINT32_MAX;
		a->alias[i] = i;
	}
	while (ns > 0) {
		i = small[--ns];
		a->thr[i] = UINT32_MAX;
		a->alias[i] = i;
	}
	free(p);
	free(small);
	free(large);
}

static uint32_t
alias_draw(const Alias *a, Rng *g)
{
	uint64_t x = rnext(g);
	uint32_t i = (uint32_t)(((x >> 32) * (uint64_t)a->n) >> 32);

	return (uint32_t)x < a->thr[i] ? i : a->alias[i];
}

/* ------------------------------------------------------------------ */
/* Output buffer                                                      */

#define OBUF_FLUSH (1u << 20)
static char obuf[OBUF_FLUSH + (1u << 17)];
static size_t olen;

static void
ob_flush(void)
{
	if (olen > 0) {
		if (fwrite(obuf, 1, olen, stdout) != olen)
			write_fail();
		olen = 0;
	}
}

static void
ob_put(const char *s, size_t n)
{
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void
ob_s(const char *s)
{
	ob_put(s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* Small string writers: each returns the end of what it wrote         */

static char *
put(char *d, const char *s)
{
	size_t n = strlen(s);

	memcpy(d, s, n);
	return d + n;
}

static char *
putn(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
	return d + n;
}

static char *
put_u(char *d, uint64_t v)
{
	char t[24];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		*d++ = t[--n];
	return d;
}

static char *
put_u0(char *d, uint64_t v, int width)
{
	char t[24];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n < width)
		t[n++] = '0';
	while (n > 0)
		*d++ = t[--n];
	return d;
}

/* Chinese numerals 1..99 (一 … 九十九), larger numbers in digits. */
static char *
put_cn(char *d, unsigned v)
{
	static const char *const dg[] = {
		"", "一", "二", "三", "四", "五", "六", "七", "八", "九"
	};

	if (v == 0 || v > 99)
		return put_u(d, v);
	if (v >= 20)
		d = put(d, dg[v / 10]);
	if (v >= 10)
		d = put(d, "十");
	return put(d, dg[v % 10]);
}

/* ------------------------------------------------------------------ */
/* Dates (proleptic Gregorian, days since 1970-01-01)                  */

static int32_t
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y += *m <= 2;
}

static char *
put_date(char *d, int32_t days)
{
	int y, m, dd;

	civil_from_days(days, &y, &m, &dd);
	d = put_u0(d, (uint64_t)y, 4);
	*d++ = '-';
	d = put_u0(d, (uint64_t)m, 2);
	*d++ = '-';
	return put_u0(d, (uint64_t)dd, 2);
}

static int32_t month_first, month_days;	/* the --month */

/* ------------------------------------------------------------------ */
/* Static vocabulary                                                  */

static const char *const district_names[] = {
	"鼓楼区", "玄武区", "秦淮区", "建邺区", "栖霞区", "雨花台区", "江宁区",
	"浦口区", "六合区", "溧水区", "高淳区", "姑苏区", "吴中区", "相城区",
	"虎丘区", "吴江区", "梁溪区", "滨湖区", "惠山区", "锡山区", "新吴区",
	"天宁区", "钟楼区", "新北区", "武进区", "金坛区", "京口区", "润州区",
	"丹徒区", "广陵区", "邗江区", "江都区", "海陵区", "高港区", "崇川区",
	"通州区", "海门区", "清江浦区", "淮阴区", "亭湖区", "盐都区", "云龙区",
	"泉山区", "铜山区", "贾汪区", "连云区", "海州区", "赣榆区", "宿城区",
	"宿豫区"
};

static const char *const street_stems[] = {
	"宁海路", "华侨路", "湖南路", "中央门", "挹江门", "江东", "凤凰",
	"阅江楼", "热河南路", "幕府山", "建宁路", "宝塔桥", "小市", "玄武门",
	"新街口", "梅园新村", "锁金村", "红山", "孝陵卫", "玄武湖", "夫子庙",
	"秦虹", "朝天宫", "五老村", "洪武路", "大光路", "双塘", "中华门",
	"红花", "光华路", "月牙湖", "瑞金路", "南湖", "莫愁湖", "沙洲", "双闸",
	"兴隆", "江心洲", "尧化", "马群", "迈皋桥", "燕子矶", "仙林", "栖霞",
	"八卦洲", "龙潭", "西岗", "雨花", "赛虹桥", "西善桥", "板桥", "梅山",
	"铁心桥", "东山", "秣陵", "汤山", "淳化", "禄口", "谷里", "横溪",
	"江宁", "麒麟", "泰山", "顶山", "沿江", "江浦", "桥林", "汤泉", "星甸",
	"永宁", "雄州", "龙池", "程桥", "竹镇", "马鞍", "冶山", "永阳", "柘塘",
	"白马", "洪蓝", "和凤", "晶桥", "淳溪", "古柏", "阳江", "砖墙", "漆桥",
	"东坝", "桠溪", "石湫"
};

static const char *const comm_stems[] = {
	"虹桥", "山西路", "傅佐路", "宁海路", "颐和路", "江苏路", "天目路",
	"北京西路", "牯岭路", "莫干路", "青岛路", "五台山", "华侨路", "龙池庵",
	"五条巷", "汉口路", "阴阳营", "南秀村", "清凉门", "随家仓", "石头城",
	"草场门", "西康路", "江东门", "龙江", "清江", "南苑", "凤凰花园城",
	"月光广场", "芳草园", "福润", "北祥", "阳光", "金陵", "丰富路",
	"湖北路", "云南北路", "童家巷", "三步两桥", "高云岭", "百子亭",
	"玉泉路", "双龙巷", "和会街", "中山北路", "福建路", "萨家湾", "三牌楼",
	"幕府", "小桃园", "金川门", "姜家圩", "南祖师庵", "黄家圩", "大方巷",
	"张家巷", "宝善", "盐仓桥", "护城河", "绣球公园", "四平路", "三汊河",
	"许家巷", "渡江", "天妃宫", "晓街", "龙虎巷", "安乐村", "燕江", "锦苑",
	"聚华", "长江", "梅园", "丹凤街", "兰园", "北门桥", "樱驼村", "珠江路",
	"唱经楼", "同仁", "香铺营", "成贤街", "太平门", "后宰门", "徐庄",
	"天山", "月苑", "翠竹园", "苜蓿园", "板仓", "卫岗", "钟灵", "紫金",
	"仙鹤", "文澜", "学则", "白象", "翠屏", "东渡", "百家湖", "竹山",
	"上坊", "龙眠", "天元", "将军", "佛城", "武定门", "钓鱼台", "评事街",
	"止马营", "鸣羊街", "集庆门", "凤游寺", "雨花门", "长乐路", "瑞金",
	"石门坎", "御道街", "朝天宫", "莫愁湖", "沙洲", "江心洲", "奥体",
	"所街", "泰山", "永宁", "桥林", "顶山", "盘城", "沿江", "雄州", "龙袍",
	"永阳", "石湫", "淳溪", "古柏", "桠溪", "东坝", "秦虹", "大明路",
	"养虎巷", "小西湖", "船板巷", "止园", "朱雀", "乌衣巷", "来凤",
	"银杏里", "兴隆", "恒山", "嘉陵江", "庐山", "富春江", "滨江", "金鼎湾",
	"梦都", "新城", "积善", "油坊桥", "双和", "红梅", "绿洲", "清水亭",
	"景明佳园", "莲花", "尧林", "东方城", "仙居", "马群", "百水", "花港",
	"青龙", "麒麟门"
};

static const char *const comm_variants[] = {
	"", "东", "西", "南", "北", "花园", "新村", "中"
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
	"任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
	"邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
	"贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "莫",
	"孔", "向", "汤", "欧阳", "司马", "诸葛"
};
#define NSURNAME (sizeof surnames / sizeof surnames[0])

static const char *const given_chars[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
	"杰", "娟", "涛", "明", "超", "霞", "平", "刚", "辉", "玲", "桂", "英",
	"华", "红", "建", "国", "文", "秀", "兰", "凤", "玉", "萍", "燕", "梅",
	"海", "波", "鹏", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙",
	"林", "斌", "亮", "飞", "彬", "鑫", "峰", "雪", "琳", "晶", "婷", "慧",
	"颖", "倩", "佳", "欣", "怡", "雯", "悦", "晨", "阳", "然", "昊", "博",
	"睿", "泽", "子", "轩", "梓", "涵", "诗", "雨", "思", "嘉", "一", "可",
	"欢", "乐", "晓", "丹", "春", "秋", "冬", "志", "永", "德", "福", "荣",
	"贵", "珍", "淑", "素", "琴", "云", "彩", "莉", "芬", "娇", "菊", "兵",
	"武", "忠", "民", "成", "新", "利", "清", "金", "长", "生", "小", "大",
	"立", "光", "荣", "宏", "振", "家", "世", "承", "美", "秀"
};
#define NGIVEN (sizeof given_chars / sizeof given_chars[0])

static const char *const honorifics[] = {
	"阿姨", "大爷", "师傅", "奶奶", "爷爷", "老师", "大姐"
};

static const char *const banks[] = {
	"中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行",
	"中国邮政储蓄银行", "招商银行", "南京银行", "江苏银行", "兴业银行"
};

static const char *const biz_words[] = {
	"金鼎", "华泰", "恒信", "瑞丰", "嘉禾", "鑫源", "新时代", "和美", "安康",
	"康乐", "长青", "福瑞", "惠民", "百合", "同心", "明德", "正信", "天衡",
	"汇智", "润泽", "乐龄", "颐康", "仁和", "聚贤", "博爱", "众诚", "致远",
	"宏图", "立信", "锦程", "弘毅", "知行", "春晖", "暖阳", "晨曦", "德善",
	"益友", "青松", "悦享", "诚品", "万家", "邻里", "红枫", "如意", "吉祥",
	"钟山", "石城", "清源", "海棠", "紫金", "扬帆", "启明", "鸿运", "泰和",
	"怡然", "永和", "天成", "佳禾", "睿德", "向阳"
};
#define NBIZ (sizeof biz_words / sizeof biz_words[0])

static const char *const bureaus[] = {
	"税务局", "人社局", "民政局", "司法局", "卫健委", "文旅局", "市场监管局",
	"医保局", "财政局", "发改委", "教育局", "城管局", "住建局", "应急管理局",
	"统计局", "审计局", "生态环境局", "商务局", "科技局", "档案馆"
};
#define NBUREAU (sizeof bureaus / sizeof bureaus[0])

static const char *const firm_types[] = {
	"科技有限公司", "物业管理有限公司", "商贸有限公司", "建设集团有限公司",
	"餐饮管理有限公司", "信息技术有限公司", "律师事务所", "会计师事务所",
	"社会工作服务中心", "养老服务中心", "文化传媒有限公司", "教育培训中心"
};
#define NFIRM (sizeof firm_types / sizeof firm_types[0])

static const char *const estates[] = {
	"阳光花园", "金色家园", "翠竹苑", "银城东苑", "锦绣园", "颐和雅居",
	"龙江新城", "滨江花园", "紫金城", "怡景苑", "天润城", "万科金域",
	"朗诗绿郡", "仁恒江湾", "凤凰和美", "清江花苑", "南湖新村", "幸福里"
};
#define NESTATE (sizeof estates / sizeof estates[0])

static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
	"151", "152", "153", "155", "156", "157", "158", "159", "166", "173",
	"177", "180", "181", "182", "183", "186", "187", "188", "189", "199",
	"198", "147"
};

/* categories */
enum { CAT_GOV, CAT_LIFE, CAT_LEGAL, CAT_CULTURE, CAT_CARE, CAT_PARTY, CAT_ANY, NCAT };
static const char *const cat_codes[NCAT] = {
	"gov", "life", "legal", "culture", "care", "party", "any"
};
static const unsigned demand_cat_w[6] = { 12, 34, 9, 14, 23, 8 };
static const unsigned res_cat_w[6] = { 14, 28, 12, 16, 20, 10 };

/*
 * The service catalogue: what residents ask for and what units offer.
 * dem and res are '|'-separated phrasings; kw is the PCRE2 keyword pattern a
 * resource offering the item may carry (it matches the item's demands).
 */
typedef struct {
	int cat;
	unsigned weight;
	const char *tag, *dem, *res, *kw;
} ItemDef;

static const ItemDef item_defs[] = {
	{ CAT_GOV, 4, "社保",
	  "社保卡补办和激活|咨询城乡居民医保缴费|帮忙办理医保异地就医备案|"
	  "养老保险待遇资格认证|咨询灵活就业人员社保缴纳|新生儿医保参保办理",
	  "社保医保业务咨询与帮办代办|医保政策宣讲及异地备案代办",
	  "社保|医保|养老保险" },
	{ CAT_GOV, 2, "税务",
	  "个税年度汇算申报指导|个体工商户税务登记咨询|房屋出租税费咨询",
	  "个税申报辅导和税务政策宣讲|办税服务进社区", "个税|税务|申报|税费" },
	{ CAT_GOV, 3, "证件",
	  "行动不便老人需上门办理身份证|居住证办理咨询|户口迁移手续咨询|"
	  "老年人优待证办理",
	  "证照帮办代办（可上门）|身份证上门办理", "身份证|居住证|户口|优待证" },
	{ CAT_GOV, 4, "政策",
	  "老旧小区加装电梯补贴政策咨询|低保申请政策咨询|高龄津贴申领咨询|"
	  "育儿补贴政策咨询|适老化改造补贴申请",
	  "惠民政策咨询解读|民生政策宣讲进社区", "政策|补贴|津贴|低保" },
	{ CAT_GOV, 2, "就业",
	  "失业人员再就业指导|高校毕业生求职帮扶|“4050”人员就业岗位推荐",
	  "就业岗位推荐与职业技能培训|招聘会进社区", "就业|求职|岗位|招聘" },
	{ CAT_LIFE, 6, "助餐",
	  "老人助餐|独居老人午餐送餐上门|希望长者食堂提供晚餐|行动不便老人需要送餐",
	  "长者助餐，送餐上门|社区食堂老年人优惠午餐",
	  "助餐|送餐|午餐|晚餐|食堂" },
	{ CAT_LIFE, 3, "理发",
	  "上门理发|卧床老人需要上门理发|残疾人上门理发",
	  "义务理发（可上门）|爱心理发每月一次", "理发|剪发" },
	{ CAT_LIFE, 6, "维修",
	  "楼道灯维修|家中水管漏水需要维修|燃气灶维修|单元门禁维修|"
	  "老人家中电路老化检修|家电维修",
	  "水电维修和家电维修|便民维修服务", "维修|检修|漏水|楼道灯|门禁|电路" },
	{ CAT_LIFE, 3, "保洁",
	  "家政保洁|独居老人家中大扫除|楼道杂物清理",
	  "家政保洁服务|居家清洁志愿服务", "保洁|家政|扫除|清理" },
	{ CAT_LIFE, 3, "金融",
	  "防范电信诈骗宣传|教老人使用手机银行|养老金领取和理财咨询",
	  "金融知识普及和反诈宣传|银行业务上门服务", "诈骗|银行|理财|养老金" },
	{ CAT_LIFE, 3, "代办",
	  "帮忙代买药品和日用品|代缴水电燃气费|快递代收",
	  "代购代办跑腿服务", "代买|代购|代缴|代收|跑腿" },
	{ CAT_LIFE, 1, "充电",
	  "小区增设电动车充电桩|非机动车棚改造", "充电设施安装改造", "充电|车棚" },
	{ CAT_LEGAL, 5, "法律咨询",
	  "法律咨询|遗产继承法律咨询|劳动合同纠纷法律咨询|农民工讨薪法律援助|"
	  "房屋租赁合同纠纷咨询|婚姻家庭法律咨询",
	  "律师坐班免费法律咨询|法律援助申请指导",
	  "法律|律师|合同|继承|讨薪|援助" },
	{ CAT_LEGAL, 3, "调解",
	  "邻里噪音纠纷调解|楼上漏水邻里矛盾调解|物业纠纷调解",
	  "人民调解和矛盾纠纷化解", "调解|纠纷|矛盾" },
	{ CAT_LEGAL, 2, "普法",
	  "反家暴法律宣传|老年人防诈骗普法讲座|青少年普法教育",
	  "普法讲座进社区", "普法|法治|宣传|讲座" },
	{ CAT_LEGAL, 1, "公证",
	  "遗嘱公证上门服务|委托书公证咨询", "公证咨询和上门公证",
	  "公证|遗嘱|委托书" },
	{ CAT_CULTURE, 5, "课业",
	  "儿童课业辅导|暑期托管和作业辅导|双职工家庭孩子放学后看护|初中数学课业辅导",
	  "四点半课堂课业辅导|暑期托管班", "课业|辅导|作业|托管|看护" },
	{ CAT_CULTURE, 3, "文艺",
	  "社区广场舞队需要专业指导|书法兴趣班|老年合唱团排练指导|少儿绘画兴趣班",
	  "书法、合唱、舞蹈公益教学", "书法|合唱|舞蹈|广场舞|绘画" },
	{ CAT_CULTURE, 2, "健身",
	  "健身器材维修更换|太极拳教学|社区乒乓球比赛场地",
	  "全民健身指导|健身器材捐赠维护", "健身|太极|乒乓球|体育" },
	{ CAT_CULTURE, 2, "阅读",
	  "社区书屋图书更新|亲子阅读活动", "图书流动借阅|亲子阅读推广",
	  "图书|书屋|阅读" },
	{ CAT_CULTURE, 3, "智能",
	  "老年人智能手机使用培训|教老人用微信视频", "老年人智能技术培训",
	  "智能手机|手机|微信" },
	{ CAT_CULTURE, 1, "观影",
	  "社区露天电影放映|传统节日文艺演出", "文艺演出和电影放映进社区",
	  "电影|演出|文艺" },
	{ CAT_CARE, 6, "探访",
	  "独居老人探访|空巢老人定期电话问候|高龄老人上门陪伴聊天|失独老人节日慰问",
	  "关爱探访（每周上门）|独居老人结对关爱", "独居|空巢|探访|陪伴|高龄" },
	{ CAT_CARE, 4, "健康",
	  "上门测量血压血糖|家庭医生签约咨询|老人体检陪同|失能老人康复护理指导",
	  "家庭医生上门健康服务|义诊和健康咨询",
	  "血[压糖]|体检|健康|医生|护理" },
	{ CAT_CARE, 2, "助残",
	  "残疾人出行辅助|轮椅借用|残疾人家庭无障碍改造", "助残服务、辅具租借",
	  "残疾|轮椅|助残|辅具|无障碍" },
	{ CAT_CARE, 2, "心理",
	  "心理疏导|青少年心理辅导|失业人员心理调适", "心理咨询与疏导",
	  "心理|疏导|调适" },
	{ CAT_CARE, 3, "困难",
	  "困难家庭慰问|大病家庭帮扶|留守儿童关爱|困境儿童助学",
	  "困难群众帮扶慰问|爱心助学", "困难|帮扶|慰问|助学|留守" },
	{ CAT_PARTY, 3, "党课",
	  "社区党员需要党课宣讲|老党员送学上门|党史学习教育宣讲",
	  "党课宣讲、送学上门", "党课|宣讲|送学|党史" },
	{ CAT_PARTY, 2, "共建",
	  "联合开展主题党日活动|支部结对共建", "支部共建主题党日",
	  "主题党日|共建|结对" },
	{ CAT_PARTY, 2, "组织关系",
	  "流动党员组织关系转接咨询|党费交纳标准咨询",
	  "组织关系转接和党费交纳指导", "组织关系|转接|党费" },
	{ CAT_PARTY, 1, "红色",
	  "组织参观红色教育基地|老党员讲红色故事", "红色教育讲解",
	  "红色|教育基地|故事" },
	{ CAT_ANY, 1, "any", "",
	  "综合志愿服务，可按需派单|在职党员进社区认领微心愿|社区综合帮办", NULL },
};
#define NITEM (sizeof item_defs / sizeof item_defs[0])

typedef struct {
	const char **v;
	uint32_t n;
} List;

typedef struct {
	int cat;
	unsigned weight;
	const char *tag, *kw;
	List dem, res;
} Item;

static Item items[NITEM];

/* unit kinds */
enum { K_AGENCY, K_ENTERPRISE, K_SOCIAL, K_VOLUNTEER, K_MEMBER, NKIND };
static const char *const kind_codes[NKIND] = {
	"agency", "enterprise", "social_org", "volunteer_team", "member"
};

/* tiers, as the resource's locality: community, street, district */
enum { TIER_COMM, TIER_STREET, TIER_DISTRICT };

/*
 * Unit templates.  %D district name, %d its stem; %S street name, %s stem;
 * %C community name, %c stem; %B a business word; %K a bank; %N a person.
 * tags lists the catalogue items the unit offers ("any" = category any;
 * NULL = everything).
 */
typedef struct {
	int tier, kind;
	const char *label, *fmt, *tags;
} TmplDef;

static const TmplDef tmpl_defs[] = {
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D税务局", "税务|政策" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D人力资源和社会保障局", "社保|就业" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D民政局", "政策|困难" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D司法局", "法律咨询|普法|调解" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D法律援助中心", "法律咨询|公证" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D卫生健康委员会", "健康" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D文化和旅游局", "观影|文艺" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D图书馆", "阅读" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D文化馆", "文艺|观影" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D市场监督管理局", "政策" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D医疗保障局", "社保" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D政务服务中心", "证件|社保|税务" },
	{ TIER_DISTRICT, K_AGENCY, "机关单位", "%D残疾人联合会", "助残" },
	{ TIER_DISTRICT, K_AGENCY, "机关单位", "%D妇女联合会", "困难|心理|法律咨询" },
	{ TIER_DISTRICT, K_AGENCY, "机关单位", "共青团%D委", "课业|困难" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "中共%D委组织部", "组织关系|共建" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "中共%D委党校", "党课|红色" },
	{ TIER_DISTRICT, K_AGENCY, "机关单位", "%D总工会", "困难|就业" },
	{ TIER_DISTRICT, K_AGENCY, "机关", "%D退役军人事务局", "困难|政策" },
	{ TIER_DISTRICT, K_ENTERPRISE, "国企", "%K%d支行", "金融" },
	{ TIER_DISTRICT, K_ENTERPRISE, "国企", "国网%d供电服务中心", "维修|充电" },
	{ TIER_DISTRICT, K_ENTERPRISE, "国企", "中国移动%d营业部", "智能" },
	{ TIER_DISTRICT, K_ENTERPRISE, "国企", "中国电信%d分公司", "智能" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D人民医院", "健康" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D中医院", "健康" },
	{ TIER_DISTRICT, K_ENTERPRISE, "事业单位", "%D实验小学", "课业|阅读" },
	{ TIER_DISTRICT, K_SOCIAL, "社会组织", "%D慈善会", "困难" },
	{ TIER_DISTRICT, K_SOCIAL, "社会组织", "%D%B社会工作服务中心", "探访|心理|困难" },
	{ TIER_DISTRICT, K_SOCIAL, "社会组织", "江苏%B律师事务所", "法律咨询|公证|调解" },
	{ TIER_DISTRICT, K_SOCIAL, "社会组织", "%D心理咨询师协会", "心理" },
	{ TIER_DISTRICT, K_VOLUNTEER, "志愿服务队", "%D新时代文明实践志愿服务总队",
	  "any|探访|文艺|保洁" },
	{ TIER_DISTRICT, K_VOLUNTEER, "志愿队", "%D青年志愿者协会", "探访|代办|课业" },
	{ TIER_DISTRICT, K_SOCIAL, "社会组织", "%D书法家协会", "文艺" },

	{ TIER_STREET, K_AGENCY, "机关", "%S便民服务中心", "证件|社保|政策" },
	{ TIER_STREET, K_AGENCY, "机关", "%s派出所", "证件|普法|调解" },
	{ TIER_STREET, K_AGENCY, "机关", "%s司法所", "调解|法律咨询|普法" },
	{ TIER_STREET, K_ENTERPRISE, "事业单位", "%s社区卫生服务中心", "健康" },
	{ TIER_STREET, K_AGENCY, "机关单位", "%S综合文化站", "文艺|阅读|观影|健身" },
	{ TIER_STREET, K_AGENCY, "机关单位", "%S退役军人服务站", "政策|困难" },
	{ TIER_STREET, K_AGENCY, "机关", "%S党群服务中心", "党课|共建|组织关系|红色|政策" },
	{ TIER_STREET, K_ENTERPRISE, "国企", "%K%s分理处", "金融" },
	{ TIER_STREET, K_ENTERPRISE, "企业", "%B物业管理有限公司", "维修|保洁|充电" },
	{ TIER_STREET, K_ENTERPRISE, "企业", "%s%B家政服务有限公司", "保洁|代办" },
	{ TIER_STREET, K_ENTERPRISE, "企业", "%s长者食堂", "助餐" },
	{ TIER_STREET, K_ENTERPRISE, "企业", "%s%B理发店", "理发" },
	{ TIER_STREET, K_ENTERPRISE, "企业", "%s%B超市", "代办|助餐" },
	{ TIER_STREET, K_SOCIAL, "社会组织", "%S社工站", "探访|困难|心理" },
	{ TIER_STREET, K_SOCIAL, "社会组织", "%B社工事务所", "探访|心理|课业" },
	{ TIER_STREET, K_SOCIAL, "社会组织", "江苏%B律师事务所", "法律咨询|公证|调解" },
	{ TIER_STREET, K_SOCIAL, "社会组织", "%s居家养老服务中心", "助餐|探访|健康" },
	{ TIER_STREET, K_VOLUNTEER, "志愿服务队", "%S助老志愿服务队", "探访|助餐|理发|代办" },
	{ TIER_STREET, K_VOLUNTEER, "志愿服务队", "%S巾帼志愿服务队", "any|探访|困难|保洁" },
	{ TIER_STREET, K_VOLUNTEER, "志愿队", "%S文艺志愿服务队", "文艺|观影" },

	{ TIER_COMM, K_VOLUNTEER, "志愿服务队", "%C志愿服务队",
	  "any|探访|助餐|理发|保洁|代办|课业|智能|普法|困难|政策" },
	{ TIER_COMM, K_VOLUNTEER, "志愿队", "%C党员先锋队",
	  "any|党课|共建|红色|探访|维修|政策|调解" },
	{ TIER_COMM, K_VOLUNTEER, "志愿服务队", "%C邻里互助队", "探访|代办|维修" },
	{ TIER_COMM, K_MEMBER, "在职党员", "在职党员%N", NULL },
	{ TIER_COMM, K_ENTERPRISE, "企业", "%C物业服务中心", "维修|保洁|充电" },
	{ TIER_COMM, K_ENTERPRISE, "企业", "%c%B便利店", "代办" },
	{ TIER_COMM, K_AGENCY, "机关", "%C警务室", "证件|调解|普法" },
	{ TIER_COMM, K_ENTERPRISE, "事业单位", "%C卫生服务站", "健康" },
	{ TIER_COMM, K_SOCIAL, "社会组织", "%C舞蹈队", "文艺|健身" },
	{ TIER_COMM, K_SOCIAL, "社会组织", "%C老年协会", "探访|文艺|健身" },
	{ TIER_COMM, K_SOCIAL, "社会组织", "%c%B书画社", "文艺" },
};
#define NTMPL (sizeof tmpl_defs / sizeof tmpl_defs[0])

/* per template: the items it offers in each category */
static List tmpl_items[NTMPL][NCAT];
/* per tier and category: the templates able to offer it */
static uint32_t tier_cat_tmpl[3][NCAT][NTMPL], tier_cat_n[3][NCAT];

/* Activity kinds, classified as SPEC 5.1's default rules would. */
enum {
	A_MEETING, A_STUDY, A_VOLUNTEER, A_CLAIM, A_REPORT, A_HONOR, A_ABSENCE,
	A_VIOLATION, A_OTHER, NACLASS
};
/* per 10,000 member rows */
static const unsigned act_class_w[NACLASS] = {
	2300, 1300, 2900, 1300, 600, 200, 300, 2, 300
};
static const char *const act_kinds[NACLASS] = {
	/* meeting */ ("三会一课|参加主题党日活动|参加组织生活会|参加支部党员大会|"
		"参加党小组会|列席支委会|主题党日"),
	/* study */ ("学习强国学习|参加专题党课|理论学习|党员冬训培训|线上学习|"
		"集中学习研讨"),
	/* volunteer */ ("志愿服务|社区志愿服务|义工活动|文明城市创建志愿服务|"
		"垃圾分类志愿服务|助老服务|交通文明劝导志愿服务|防汛志愿服务"),
	/* claim */ "认领微心愿|认领为民项目|接单办理群众需求|完成微心愿",
	/* report */ "社区报到|到社区报到|在职党员进社区报到",
	/* honor */ "获评优秀共产党员|表彰先进个人|获区级表彰|优秀党务工作者",
	/* absence */ "缺席党员大会|未参加主题党日|缺席组织生活会|无故缺席三会一课",
	/* violation */ "违纪处分|受到党内警告处分",
	/* other: no default rule matches */ ("交纳党费|走访慰问困难群众|捐款捐物|"
		"参观红色教育基地|结对帮扶走访")
};
static const char *const act_notes[NACLASS] = {
	("学习党的二十届三中全会精神|开展批评与自我批评|讨论发展党员事项|"
	"重温入党誓词|学习《中国共产党纪律处分条例》"),
	"完成线上学习2学时|学习党史专题|观看警示教育片|撰写心得体会",
	"垃圾分类引导|环境整治|文明交通劝导|为老人测血压|防汛值守|核酸点秩序维护",
	"为居民解决困难|送餐上门|上门理发|帮老人维修电器|辅导孩子作业",
	"到居住地社区报到并参加活动|认领社区岗位",
	"七一表彰|年度考核优秀|区级先进",
	"无故缺席|请假未批准|未按时参加",
	"违反中央八项规定精神|违反廉洁纪律",
	"按月交纳|走访慰问|捐款捐物|参观学习"
};
static List act_kind_list[NACLASS], act_note_list[NACLASS];

enum { B_COMMITTEE, B_GROUP, B_ASSEMBLY, B_LECTURE, B_THEME, B_OTHER, NBCLASS };
static const unsigned branch_ev_w[NBCLASS] = { 25, 20, 12, 10, 30, 3 };
static const char *const branch_ev_kinds[NBCLASS] = {
	"支委会|召开支委会|支委会会议",
	"党小组会|党小组会议",
	"党员大会|支部党员大会|支部大会",
	"党课|专题党课|书记讲党课",
	"主题党日|主题党日活动",
	"支部换届选举|民主评议党员"
};
static const char *const branch_ev_notes =
	"研究发展党员工作|重温入党誓词|学习贯彻党的二十大精神|"
	"开展主题教育|讨论年度工作计划|专题学习党纪";
static List branch_ev_list[NBCLASS], branch_note_list;

/* Branch kinds. */
enum {
	BK_COMMUNITY, BK_GRID, BK_RETIRED, BK_ESTATE, BK_MOBILE, BK_AGENCY,
	BK_FIRM, NBK
};
static const char *const bk_names[NBK] = {
	"社区党支部", "网格党支部", "离退休党支部", "小区党支部", "流动党员党支部",
	"机关党支部", "非公企业党支部"
};
static const unsigned bk_w[NBK] = { 0, 30, 12, 10, 8, 16, 24 };

/* member kinds */
enum { MK_RESIDENT, MK_EMPLOYED, MK_MOBILE, MK_RETIRED, NMK };
static const char *const mk_codes[NMK] = { "resident", "employed", "mobile", "retired" };

static List
split_bar(const char *s)
{
	List l;
	const char *p;
	uint32_t n = 1, i = 0;

	if (*s == '\0') {
		l.v = NULL;
		l.n = 0;
		return l;
	}
	for (p = s; *p; p++)
		n += *p == '|';
	l.v = xmalloc(n * sizeof *l.v);
	l.n = n;
	for (;;) {
		p = strchr(s, '|');
		if (p == NULL) {
			l.v[i++] = astore(s, strlen(s));
			break;
		}
		l.v[i++] = astore(s, (size_t)(p - s));
		s = p + 1;
	}
	return l;
}

static int
tag_in(const char *tags, const char *tag)
{
	size_t n = strlen(tag);
	const char *p = tags;

	for (;;) {
		if (strncmp(p, tag, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return 1;
		p = strchr(p, '|');
		if (p == NULL)
			return 0;
		p++;
	}
}

static void
init_vocab(void)
{
	uint32_t i, t, c;

	for (i = 0; i < NITEM; i++) {
		items[i].cat = item_defs[i].cat;
		items[i].weight = item_defs[i].weight;
		items[i].tag = item_defs[i].tag;
		items[i].kw = item_defs[i].kw;
		items[i].dem = split_bar(item_defs[i].dem);
		items[i].res = split_bar(item_defs[i].res);
	}
	for (t = 0; t < NTMPL; t++) {
		const TmplDef *td = &tmpl_defs[t];

		for (c = 0; c < NCAT; c++) {
			List *l = &tmpl_items[t][c];

			l->v = xmalloc(NITEM * sizeof *l->v);
			l->n = 0;
			for (i = 0; i < NITEM; i++) {
				if (items[i].cat != (int)c)
					continue;
				if (td->tags != NULL && !tag_in(td->tags, items[i].tag))
					continue;
				/* the list holds item indices, cast through a pointer */
				l->v[l->n++] = (const char *)(uintptr_t)i;
			}
			if (l->n > 0)
				tier_cat_tmpl[td->tier][c][tier_cat_n[td->tier][c]++] = t;
		}
	}
	for (t = 0; t < 3; t++)
		for (c = 0; c < NCAT; c++)
			if (tier_cat_n[t][c] == 0)
				die("internal: a tier lacks a template for a category");
	for (i = 0; i < NACLASS; i++) {
		act_kind_list[i] = split_bar(act_kinds[i]);
		act_note_list[i] = split_bar(act_notes[i]);
	}
	for (i = 0; i < NBCLASS; i++)
		branch_ev_list[i] = split_bar(branch_ev_kinds[i]);
	branch_note_list = split_bar(branch_ev_notes);
}

static uint32_t
tmpl_item_at(uint32_t t, int cat, Rng *g)
{
	const List *l = &tmpl_items[t][cat];
	unsigned w[NITEM];
	uint32_t i;

	for (i = 0; i < l->n; i++)
		w[i] = items[(uintptr_t)l->v[i]].weight;
	return (uint32_t)(uintptr_t)l->v[rweighted(g, w, (int)l->n)];
}

static uint32_t
demand_item(Rng *g, int cat)
{
	unsigned w[NITEM];
	uint32_t idx[NITEM], i, n = 0;

	for (i = 0; i < NITEM; i++)
		if (items[i].cat == cat) {
			idx[n] = i;
			w[n++] = items[i].weight;
		}
	return idx[rweighted(g, w, (int)n)];
}

/* ------------------------------------------------------------------ */
/* The world: geography, weights, resource cores                      */

typedef struct {
	const char *name, *stem;
	uint32_t s0, ns;	/* its streets */
	uint32_t c0, nc;	/* its communities */
} District;

typedef struct {
	const char *name, *stem;
	uint32_t d, c0, nc;
} Street;

typedef struct {
	const char *name, *stem;
	uint32_t d, s, grids;
} Comm;

static District *W_d;
static Street *W_s;
static Comm *W_c;
static uint32_t ND, NS, NCOMM;
static Alias A_comm;

static char *
strip_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	if (n > m && strcmp(s + n - m, suf) == 0)
		return astore(s, n - m);
	return astore(s, n);
}

static void
build_geo(void)
{
	uint32_t d, s, c, k, lo, span;
	uint32_t nds = (uint32_t)(sizeof district_names / sizeof district_names[0]);
	uint32_t nss = (uint32_t)(sizeof street_stems / sizeof street_stems[0]);
	uint32_t ncs = (uint32_t)(sizeof comm_stems / sizeof comm_stems[0]);
	uint32_t nvar = (uint32_t)(sizeof comm_variants / sizeof comm_variants[0]);
	uint64_t total = 0;
	char buf[256], *e;
	double *w;

	ND = C.districts;
	NS = ND * C.streets;
	W_d = xcalloc(ND, sizeof *W_d);
	W_s = xcalloc(NS, sizeof *W_s);
	lo = C.cps - C.cps / 4;
	span = 2 * (C.cps / 4) + 1;
	for (s = 0; s < NS; s++) {
		Rng g = rng_at(S_STREET, s);

		W_s[s].nc = lo + rbelow(&g, span);
		W_s[s].c0 = (uint32_t)total;
		total += W_s[s].nc;
	}
	if (total > 50000000)
		die("too many communities");
	NCOMM = (uint32_t)total;
	W_c = xcalloc(NCOMM, sizeof *W_c);
	for (d = 0; d < ND; d++) {
		District *D = &W_d[d];
		uint32_t off_s = (d * C.streets) % nss;
		uint32_t off_c = (d * 61) % ncs;

		if (d < nds)
			D->name = district_names[d];
		else {
			e = put(buf, district_names[d % nds]);
			e -= strlen("区");
			e = put_cn(e, d / nds + 1);
			e = put(e, "区");
			D->name = astore(buf, (size_t)(e - buf));
		}
		D->stem = strip_suffix(D->name, "区");
		D->s0 = d * C.streets;
		D->ns = C.streets;
		D->c0 = W_s[D->s0].c0;
		D->nc = 0;
		k = 0;
		for (s = D->s0; s < D->s0 + D->ns; s++) {
			Street *S = &W_s[s];
			uint32_t li = s - D->s0;

			S->d = d;
			e = put(buf, street_stems[(off_s + li) % nss]);
			if (li / nss > 0)
				e = put(put_cn(put(e, "第"), li / nss + 1), "");
			S->stem = astore(buf, (size_t)(e - buf));
			e = put(e, "街道");
			S->name = astore(buf, (size_t)(e - buf));
			D->nc += S->nc;
			for (c = S->c0; c < S->c0 + S->nc; c++, k++) {
				Comm *M = &W_c[c];
				Rng g = rng_at(S_COMM, c);
				uint32_t v = k / ncs;

				M->d = d;
				M->s = s;
				M->grids = rrange(&g, 3, 12);
				e = put(buf, comm_stems[(off_c + k) % ncs]);
				if (v < nvar)
					e = put(e, comm_variants[v]);
				else
					e = put_cn(put(e, "第"), v - nvar + 2);
				M->stem = astore(buf, (size_t)(e - buf));
				e = put(e, "社区");
				M->name = astore(buf, (size_t)(e - buf));
			}
		}
	}
	/* how busy each community is with demands */
	w = xmalloc(NCOMM * sizeof *w);
	for (c = 0; c < NCOMM; c++) {
		Rng g = rng_at(S_COMMW, c);
		double u = (double)rbelow(&g, 1000000) / 1e6, t;

		/* one operation per statement: no FMA contraction, so the
		 * weights (and the output) are the same on every machine */
		t = u * u;
		t = 2.0 * t;
		w[c] = 0.4 + t;
	}
	alias_build(&A_comm, w, NCOMM);
	free(w);
}

/* A person's name from a hash. */
static char *
put_name(char *d, uint64_t h)
{
	Rng g;
	uint32_t r;

	g.s = h;
	r = rbelow(&g, 1000);
	if (r < 250)
		d = put(d, surnames[rbelow(&g, 5)]);
	else if (r < 450)
		d = put(d, surnames[5 + rbelow(&g, 10)]);
	else if (r < 995)
		d = put(d, surnames[rbelow(&g, NSURNAME - 3)]);
	else
		d = put(d, surnames[NSURNAME - 3 + rbelow(&g, 3)]);
	d = put(d, given_chars[rbelow(&g, NGIVEN)]);
	if (rbelow(&g, 100) < 55)
		d = put(d, given_chars[rbelow(&g, NGIVEN)]);
	return d;
}

static char *
put_mobile(char *d, Rng *g)
{
	d = put(d, mobile_prefixes[rbelow(g,
	    (uint32_t)(sizeof mobile_prefixes / sizeof mobile_prefixes[0]))]);
	return put_u0(d, rbelow(g, 100000000), 8);
}

/* canonical phone: mostly mobiles, some Nanjing/Suzhou landlines */
static char *
put_phone(char *d, Rng *g)
{
	uint32_t r = rbelow(g, 100);

	if (r < 86)
		return put_mobile(d, g);
	if (r < 97) {
		d = put(d, "025");
		*d++ = rpm(g, 700) ? '8' : '5';
		return put_u0(d, rbelow(g, 10000000), 7);
	}
	d = put(d, "0512");
	*d++ = '6';
	return put_u0(d, rbelow(g, 10000000), 7);
}

/* ---- resources ---- */

typedef struct {
	uint32_t place, cap;
	uint16_t tmpl;
	uint8_t tier, cat, citywide, slot;
} ResCore;

static ResCore *RC;	/* all resources' cores, when needed */
static uint32_t NRES;
static uint32_t *ix_start, *ix_list, nkeys;

/* The first, identity-giving part of resource r; leaves g for the rest. */
static void
res_core(uint64_t r, ResCore *o, Rng *g)
{
	static const unsigned tier_w[3] = { 45, 35, 20 };
	uint32_t x;
	int cat;

	*g = rng_at(S_RES, r);
	o->tier = (uint8_t)rweighted(g, tier_w, 3);
	cat = rpm(g, 50) ? CAT_ANY : rweighted(g, res_cat_w, 6);
	o->cat = (uint8_t)cat;
	o->tmpl = (uint16_t)tier_cat_tmpl[o->tier][cat][
	    rbelow(g, tier_cat_n[o->tier][cat])];
	if (o->tier == TIER_COMM)
		o->place = rbelow(g, NCOMM);
	else if (o->tier == TIER_STREET)
		o->place = rbelow(g, NS);
	else
		o->place = rbelow(g, ND);
	o->citywide = o->tier == TIER_DISTRICT && rpm(g, 150);
	o->slot = (uint8_t)rbelow(g, 4);
	/* units per dispatch period: mostly a handful; a city-wide hotline
	 * now and then takes thousands */
	x = rbelow(g, 1000);
	if (o->citywide && x < 150)
		o->cap = rrange(g, 1000, 5000);
	else if (x < 500)
		o->cap = rrange(g, 1, 3);
	else if (x < 850)
		o->cap = rrange(g, 4, 10);
	else
		o->cap = rrange(g, 10, 30);
}

static uint32_t
res_key(int tier, int citywide, uint32_t place, int cat)
{
	if (tier == TIER_COMM)
		return place * NCAT + (uint32_t)cat;
	if (tier == TIER_STREET)
		return (NCOMM + place) * NCAT + (uint32_t)cat;
	if (!citywide)
		return (NCOMM + NS + place) * NCAT + (uint32_t)cat;
	return (NCOMM + NS + ND) * NCAT + (uint32_t)cat;
}

/* Compute every resource's core and index them by (tier, place, category). */
static void
build_resources(void)
{
	uint32_t r, k, *fill;
	Rng g;

	NRES = (uint32_t)C.count[T_RESOURCE];
	RC = xmalloc((NRES ? NRES : 1) * sizeof *RC);
	nkeys = (NCOMM + NS + ND + 1) * NCAT;
	ix_start = xcalloc(nkeys + 1, sizeof *ix_start);
	ix_list = xmalloc((NRES ? NRES : 1) * sizeof *ix_list);
	fill = xcalloc(nkeys, sizeof *fill);
	for (r = 0; r < NRES; r++) {
		res_core(r, &RC[r], &g);
		ix_start[res_key(RC[r].tier, RC[r].citywide, RC[r].place, RC[r].cat) + 1]++;
	}
	for (k = 0; k < nkeys; k++)
		ix_start[k + 1] += ix_start[k];
	for (r = 0; r < NRES; r++) {
		k = res_key(RC[r].tier, RC[r].citywide, RC[r].place, RC[r].cat);
		ix_list[ix_start[k] + fill[k]++] = r;
	}
	free(fill);
}

/* Expand a unit template. */
static char *
put_unit(char *d, uint32_t t, int tier, uint32_t place, uint32_t slot)
{
	const char *f = tmpl_defs[t].fmt;
	uint32_t di = 0, si = 0, ci = 0;
	/* the unit's words depend on template and place; only %N on the slot */
	uint64_t h = hash3(S_NAME, ((uint64_t)t << 40) ^ ((uint64_t)tier << 36) ^ place, 0);

	if (tier == TIER_COMM) {
		ci = place;
		si = W_c[ci].s;
		di = W_c[ci].d;
	} else if (tier == TIER_STREET) {
		si = place;
		di = W_s[si].d;
	} else
		di = place;
	for (; *f; f++) {
		if (*f != '%') {
			*d++ = *f;
			continue;
		}
		switch (*++f) {
		case 'D': d = put(d, W_d[di].name); break;
		case 'd': d = put(d, W_d[di].stem); break;
		case 'S': d = put(d, W_s[si].name); break;
		case 's': d = put(d, W_s[si].stem); break;
		case 'C': d = put(d, W_c[ci].name); break;
		case 'c': d = put(d, W_c[ci].stem); break;
		case 'B': d = put(d, biz_words[h % NBIZ]); break;
		case 'K': d = put(d, banks[(h >> 20) % (sizeof banks / sizeof banks[0])]); break;
		case 'N': d = put_name(d, hash3(S_NAME, h, slot + 1)); break;
		default: *d++ = *f; break;
		}
	}
	return d;
}

/* ---- branches and members ---- */

static Alias A_branch, A_member;
static uint32_t NBR, NMEM;

static int
branch_kind(uint32_t b)
{
	Rng g;

	if (b < NCOMM)
		return BK_COMMUNITY;
	g = rng_at(S_BRANCH, b);
	return rweighted(&g, bk_w, NBK);
}

static void
build_branches(void)
{
	static const double base[NBK] = { 2.0, 1.2, 1.5, 1.0, 0.6, 0.8, 0.6 };
	double *w;
	uint32_t b;

	NBR = (uint32_t)C.count[T_BRANCH];
	w = xmalloc(NBR * sizeof *w);
	for (b = 0; b < NBR; b++) {
		Rng g = rng_at(S_BWEIGHT, b);

		double t = (double)rbelow(&g, 1000) / 1000.0;

		t = 0.5 + t;
		w[b] = base[branch_kind(b)] * t;
	}
	alias_build(&A_branch, w, NBR);
	free(w);
}

static uint32_t
member_branch(uint64_t m)
{
	Rng g;

	if (m < NBR)
		return (uint32_t)m;
	g = rng_at(S_MBRANCH, m);
	return alias_draw(&A_branch, &g);
}

static void
build_members(void)
{
	double *w;
	uint32_t m;

	NMEM = (uint32_t)C.count[T_MEMBER];
	w = xmalloc(NMEM * sizeof *w);
	for (m = 0; m < NMEM; m++) {
		Rng g = rng_at(S_MWEIGHT, m);
		double u = (double)rbelow(&g, 1000000) / 1e6, t;

		/* about 6% never show up; the rest from quiet to very active
		 * (one operation per statement: see build_geo) */
		t = u * u;
		t = t * u;
		t = 2.5 * t;
		t = t + u;
		w[m] = rpm(&g, 60) ? 0.0 : 0.15 + t;
	}
	alias_build(&A_member, w, NMEM);
	free(w);
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */

#define MAXF 24

enum {
	V_TEXT, V_ID, V_DATE, V_INT, V_DEC, V_PHONE, V_CAT, V_PRIO, V_STATUS,
	V_SATIS, V_UKIND, V_MKIND
};

typedef struct {
	const char *tsv, *csv, *office;
	int vt;
} Col;

typedef struct {
	int nf;
	const char *p[MAXF];
	uint32_t n[MAXF];
	const char *label[MAXF];	/* office wording preferred for this value */
	unsigned char raw[MAXF];	/* a bad value: written as is */
	char *w;
	char buf[16384];
} Row;

static void
row_reset(Row *R)
{
	R->nf = 0;
	R->w = R->buf;
}

static char *
fbeg(Row *R)
{
	return R->w;
}

static void
fend(Row *R, char *end)
{
	int i = R->nf++;

	R->p[i] = R->w;
	R->n[i] = (uint32_t)(end - R->w);
	R->label[i] = NULL;
	R->raw[i] = 0;
	R->w = end;
}

static void
fstr(Row *R, const char *s)
{
	fend(R, put(fbeg(R), s));
}

static void
fnone(Row *R)
{
	fend(R, fbeg(R));
}

static void
fdate(Row *R, int32_t days)
{
	fend(R, put_date(fbeg(R), days));
}

/* replace field i with a raw (bad) value */
static void
fset_raw(Row *R, int i, const char *s)
{
	char *e = put(R->w, s);

	R->p[i] = R->w;
	R->n[i] = (uint32_t)(e - R->w);
	R->raw[i] = 1;
	R->label[i] = NULL;
	R->w = e;
}

/* ---- column sets ---- */

enum {
	D_ID, D_SUBMITTED, D_DISTRICT, D_STREET, D_COMMUNITY, D_GRID, D_CATEGORY,
	D_CONTENT, D_PRIORITY, D_QUANTITY, D_NEEDED, D_REQUESTER, D_PHONE,
	D_STATUS, D_DONE, D_SATIS, D_RESOURCE, D_NCOL
};
static const Col demand_cols[D_NCOL] = {
	{ "demand_id", "需求编号", "*需求编号（必填）", V_ID },
	{ "submitted", "提交日期", "*登记日期（必填）", V_DATE },
	{ "district", "区", "所属区", V_TEXT },
	{ "street", "街道", "*街道", V_TEXT },
	{ "community", "社区", "*社区", V_TEXT },
	{ "grid", "网格", "网格", V_TEXT },
	{ "category", "服务类别", "*需求类别（六项服务）", V_CAT },
	{ "content", "需求内容", "*微心愿（需求内容）", V_TEXT },
	{ "priority", "紧急程度", "紧急程度", V_PRIO },
	{ "quantity", "需求数量", "数量", V_INT },
	{ "needed_by", "期望完成日期", "期望完成日期", V_DATE },
	{ "requester", "居民姓名", "居民姓名", V_TEXT },
	{ "phone", "联系电话", "联系电话", V_PHONE },
	{ "status", "状态", "办理状态", V_STATUS },
	{ "done_date", "办结日期", "办结日期", V_DATE },
	{ "satisfaction", "满意度", "满意度（1-5）", V_SATIS },
	{ "resource_id", "认领资源编号", "承接资源编号", V_ID },
};

enum {
	R_ID, R_UNIT, R_KIND, R_DISTRICT, R_STREET, R_COMMUNITY, R_CATEGORY,
	R_CONTENT, R_KEYWORDS, R_CAPACITY, R_FROM, R_UNTIL, R_CONTACT, R_PHONE,
	R_NCOL
};
static const Col resource_cols[R_NCOL] = {
	{ "resource_id", "资源编号", "*资源编号（必填）", V_ID },
	{ "unit", "单位名称", "*提供单位", V_TEXT },
	{ "unit_kind", "单位类型", "单位类型", V_UKIND },
	{ "district", "区", "所属区", V_TEXT },
	{ "street", "街道", "街道", V_TEXT },
	{ "community", "社区", "社区", V_TEXT },
	{ "category", "服务类别", "*服务类别", V_CAT },
	{ "content", "资源内容", "*服务内容", V_TEXT },
	{ "keywords", "关键词", "匹配关键词（正则）", V_TEXT },
	{ "capacity", "可服务数量", "*服务容量（人次/月）", V_INT },
	{ "available_from", "开始日期", "开始日期", V_DATE },
	{ "available_until", "结束日期", "截止日期", V_DATE },
	{ "contact", "联系人", "联系人", V_TEXT },
	{ "phone", "联系电话", "联系电话", V_PHONE },
};

enum { P_DISTRICT, P_STREET, P_COMMUNITY, P_UNIT, P_NCOL };
static const Col pair_cols[P_NCOL] = {
	{ "district", "区", "所属区", V_TEXT },
	{ "street", "街道", "街道", V_TEXT },
	{ "community", "社区", "*社区", V_TEXT },
	{ "unit", "共建单位", "*结对单位", V_TEXT },
};

enum { M_ID, M_NAME, M_BRANCH, M_KIND, M_JOINED, M_PHONE, M_NCOL };
static const Col member_cols[M_NCOL] = {
	{ "member_id", "党员编号", "*党员编号", V_ID },
	{ "name", "姓名", "*姓名", V_TEXT },
	{ "branch_id", "支部编号", "*所在支部编号", V_ID },
	{ "member_kind", "党员类别", "管理类别", V_MKIND },
	{ "joined", "入党日期", "入党日期", V_DATE },
	{ "phone", "联系电话", "联系电话（手机）", V_PHONE },
};

enum { B_ID, B_NAME, B_DISTRICT, B_STREET, B_COMMUNITY, B_KIND, B_NCOL };
static const Col branch_cols[B_NCOL] = {
	{ "branch_id", "支部编号", "*支部编号", V_ID },
	{ "name", "支部名称", "*支部名称", V_TEXT },
	{ "district", "区", "区县", V_TEXT },
	{ "street", "街道", "街道", V_TEXT },
	{ "community", "社区", "社区", V_TEXT },
	{ "branch_kind", "支部类型", "支部类型", V_TEXT },
};

enum { AC_DATE, AC_MEMBER, AC_BRANCH, AC_KIND, AC_HOURS, AC_NOTE, AC_DEMAND, AC_NCOL };
static const Col activity_cols[AC_NCOL] = {
	{ "date", "活动日期", "*活动日期", V_DATE },
	{ "member_id", "党员编号", "党员编号", V_ID },
	{ "branch_id", "支部编号", "支部编号", V_ID },
	{ "kind", "活动类型", "*活动类型", V_TEXT },
	{ "hours", "时长", "时长（小时）", V_DEC },
	{ "note", "说明", "备注", V_TEXT },
	{ "demand_id", "需求编号", "需求编号（认领时填写）", V_ID },
};

static const Col *const type_cols[NTYPES] = {
	demand_cols, resource_cols, pair_cols, member_cols, branch_cols, activity_cols
};
static const int type_ncol[NTYPES] = {
	D_NCOL, R_NCOL, P_NCOL, M_NCOL, B_NCOL, AC_NCOL
};

/* ---- ids ---- */

static char *
put_demand_id(char *d, uint64_t i)
{
	d = put(d, "XQ");
	d = put_u0(d, (uint64_t)C.year, 4);
	d = put_u0(d, (uint64_t)C.month, 2);
	return put_u0(d, i + 1, 7);
}

static char *
put_resource_id(char *d, uint64_t r)
{
	return put_u0(put(d, "ZY"), r + 1, 6);
}

static char *
put_member_id(char *d, uint64_t m)
{
	return put_u0(put(d, "DY"), m + 1, 7);
}

static char *
put_branch_id(char *d, uint64_t b)
{
	return put_u0(put(d, "ZB"), b + 1, 5);
}

/* ---- demands ---- */

static uint32_t *res_left;	/* capacity not yet promised to claims */

static const char *const dem_prefix[] = {
	"{b}号楼{u}单元", "{b}栋", "家住{b}幢{u}单元，", "{a}岁老人，", "低保户，",
	"残疾人家庭，", "独居老人，", "双职工家庭，", "退休老党员，",
	"{b}号楼居民反映：", "{n}家："
};
static const char *const dem_suffix[] = {
	"，希望尽快安排", "，每周{k}次", "，周末也可以", "（已电话联系社区）",
	"，谢谢！", "，子女不在身边", "，希望安排志愿者", "，家中无人照顾", "，急！",
	"，上次已反映过", "，最好上午", "，费用希望减免", "，需要{k}人帮忙"
};

static const char *const dem_detail[] = {
	"，老人行动不便", "，家里只有老两口", "，之前找过物业未解决", "，希望本周内处理",
	"，可电话联系{n}", "，白天家中有人", "，老伴身体不好", "，孩子在外地工作",
	"，请社区帮忙协调", "，已持续一段时间", "，楼里好几户都有这个需求",
	"，本人腿脚不便无法出门", "，希望有专业人员", "，晚上六点后方便"
};

static char *
expand(char *d, const char *t, Rng *g)
{
	for (; *t; t++) {
		if (*t != '{') {
			*d++ = *t;
			continue;
		}
		switch (*++t) {
		case 'b': d = put_u(d, rrange(g, 1, 42)); break;
		case 'u': d = put_u(d, rrange(g, 1, 6)); break;
		case 'a': d = put_u(d, rrange(g, 62, 96)); break;
		case 'k': d = put_u(d, rrange(g, 2, 5)); break;
		case 'n': d = put_name(d, rnext(g)); break;
		default: break;
		}
		t++;	/* the '}' */
	}
	return d;
}

static char *
compose_demand(char *d, Rng *g, const Item *it)
{
	char *s = d, *p, *q;

	if (rpm(g, 500))
		d = expand(d, dem_prefix[rbelow(g, sizeof dem_prefix / sizeof dem_prefix[0])], g);
	d = put(d, it->dem.v[rbelow(g, it->dem.n)]);
	if (rpm(g, 780))
		d = expand(d, dem_detail[rbelow(g, sizeof dem_detail / sizeof dem_detail[0])], g);
	if (rpm(g, 500))
		d = expand(d, dem_suffix[rbelow(g, sizeof dem_suffix / sizeof dem_suffix[0])], g);
	if (rpm(g, 30)) {
		d = put(d, "（\"");
		d = put(d, it->tag);
		d = put(d, "\"项目）");
	}
	if (rpm(g, 15)) {
		d = put(d, "\n联系人：");
		d = put_name(d, rnext(g));
	}
	if (rpm(g, 120)) {
		/* typed with ASCII commas */
		for (p = q = s; p < d; ) {
			if (d - p >= 3 && memcmp(p, "，", 3) == 0) {
				*q++ = ',';
				p += 3;
			} else
				*q++ = *p++;
		}
		d = q;
	}
	return d;
}

/*
 * A resource for a demand of category cat in community c, tried from the
 * most local tier outward; with need > 0 only one with that much capacity
 * left, which is then promised.
 */
static uint32_t
claim_pick(Rng *g, int cat, uint32_t c, uint32_t need)
{
	uint32_t keys[8], s = W_c[c].s, d = W_c[c].d, pass, k, j;

	keys[0] = res_key(TIER_COMM, 0, c, cat);
	keys[1] = res_key(TIER_STREET, 0, s, cat);
	keys[2] = res_key(TIER_DISTRICT, 0, d, cat);
	keys[3] = res_key(TIER_DISTRICT, 1, 0, cat);
	keys[4] = res_key(TIER_COMM, 0, c, CAT_ANY);
	keys[5] = res_key(TIER_STREET, 0, s, CAT_ANY);
	keys[6] = res_key(TIER_DISTRICT, 0, d, CAT_ANY);
	keys[7] = res_key(TIER_DISTRICT, 1, 0, CAT_ANY);
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < 8; k++) {
			uint32_t n = ix_start[keys[k] + 1] - ix_start[keys[k]];
			const uint32_t *l = ix_list + ix_start[keys[k]];
			uint32_t st;

			if (n == 0 || (pass == 0 && rpm(g, 250)))
				continue;
			st = rbelow(g, n);
			for (j = 0; j < n && j < 8; j++) {
				uint32_t r = l[(st + j) % n];

				if (need == 0)
					return r;
				if (res_left[r] >= need) {
					res_left[r] -= need;
					return r;
				}
			}
		}
	return UINT32_MAX;
}

static void
gen_demand(uint64_t i, Row *R)
{
	static const unsigned prio_w[3] = { 800, 160, 40 };
	static const char *const prio[3] = { "normal", "urgent", "critical" };
	Rng g = rng_at(S_DEMAND, i), gc;
	uint32_t c = alias_draw(&A_comm, &g), q, age, r;
	const Comm *M = &W_c[c];
	int32_t sub = month_first + (int32_t)rbelow(&g, (uint32_t)month_days);
	int32_t last = month_first + month_days - 1;
	int cat = rweighted(&g, demand_cat_w, 6), pr;
	const Item *it = &items[demand_item(&g, cat)];
	enum { ST_OPEN, ST_CLAIMED, ST_DONE, ST_CLOSED } st;
	char *e;

	fend(R, put_demand_id(fbeg(R), i));
	fdate(R, sub);
	fstr(R, W_d[M->d].name);
	fstr(R, W_s[M->s].name);
	fstr(R, M->name);
	if (rpm(&g, 880))
		fend(R, put(put_u(put(fbeg(R), "第"), rrange(&g, 1, M->grids)), "网格"));
	else
		fnone(R);
	fstr(R, cat_codes[cat]);
	fend(R, compose_demand(fbeg(R), &g, it));
	pr = rweighted(&g, prio_w, 3);
	if (cat == CAT_CARE && pr == 0 && rpm(&g, 150))
		pr = 1;
	fstr(R, prio[pr]);
	r = rbelow(&g, 1000);
	if (r < 850)
		q = 1;
	else {
		double u = (double)rbelow(&g, 1000) / 1000.0;

		q = 2 + (uint32_t)(19.0 * u * u * u);
	}
	fend(R, put_u(fbeg(R), q));
	if (rpm(&g, 700))
		fdate(R, sub + (int32_t)(pr == 2 ? rrange(&g, 1, 5) : rrange(&g, 3, 45)));
	else
		fnone(R);
	if (rpm(&g, 900)) {
		e = put_name(fbeg(R), rnext(&g));
		if (rpm(&g, 100)) {
			/* 王阿姨: surname and a form of address */
			e = put(putn(fbeg(R), fbeg(R), 3),
			    honorifics[rbelow(&g, sizeof honorifics / sizeof honorifics[0])]);
		}
		fend(R, e);
	} else
		fnone(R);
	if (rpm(&g, 900))
		fend(R, put_phone(fbeg(R), &g));
	else
		fnone(R);
	/* status: the older the demand, the likelier it is done */
	age = (uint32_t)(last - sub);
	/* Offices are judged on 办结率: a demand from the month's first days is
	 * mostly done by its end (~85%), one from its last days mostly not. */
	r = rbelow(&g, 1000);
	if (r < 40)
		st = ST_CLOSED;
	else if (r < 40 + 200 + 620 * age / (uint32_t)month_days)
		st = ST_DONE;
	else if (r < 400 + 620 * age / (uint32_t)month_days)
		st = ST_CLAIMED;
	else
		st = ST_OPEN;
	/* resource_id, decided last from its own stream */
	gc = rng_at(S_CLAIM, i);
	r = UINT32_MAX;
	if (NRES > 0) {
		if (st == ST_CLAIMED) {
			r = claim_pick(&gc, cat, c, q);
			if (r == UINT32_MAX)
				st = ST_OPEN;
		} else if (st == ST_DONE && rpm(&gc, 700))
			r = claim_pick(&gc, cat, c, 0);
	} else if (st == ST_CLAIMED)
		st = ST_OPEN;
	fstr(R, st == ST_OPEN ? "open" : st == ST_CLAIMED ? "claimed" :
	    st == ST_DONE ? "done" : "closed");
	if (st == ST_DONE && rpm(&g, 950))
		fdate(R, sub + (int32_t)rbelow(&g, age + 1));
	else
		fnone(R);
	if (st == ST_DONE && rpm(&g, 750)) {
		static const unsigned sw[5] = { 3, 5, 12, 30, 50 };

		fend(R, put_u(fbeg(R), (uint64_t)rweighted(&g, sw, 5) + 1));
	} else
		fnone(R);
	if (r != UINT32_MAX)
		fend(R, put_resource_id(fbeg(R), r));
	else
		fnone(R);
}

/* ---- resources ---- */

static const char *const res_sched[] = {
	"（每周二、四上午）", "（工作日9:00-17:00）", "（需提前预约）",
	"（每月第一个周六）", "（节假日除外）", "（限本辖区居民）", "（每周一次）"
};

static void
gen_resource(uint64_t ri, Row *R)
{
	ResCore o;
	Rng g;
	uint32_t di = 0, si = 0, ci = 0, it;
	const Item *I;
	int32_t from, until;
	uint32_t w;
	char *e;

	res_core(ri, &o, &g);
	if (o.tier == TIER_COMM) {
		ci = o.place;
		si = W_c[ci].s;
		di = W_c[ci].d;
	} else if (o.tier == TIER_STREET) {
		si = o.place;
		di = W_s[si].d;
	} else
		di = o.place;
	it = tmpl_item_at(o.tmpl, o.cat, &g);
	I = &items[it];
	fend(R, put_resource_id(fbeg(R), ri));
	fend(R, put_unit(fbeg(R), o.tmpl, o.tier, o.place, o.slot));
	fstr(R, kind_codes[tmpl_defs[o.tmpl].kind]);
	R->label[R->nf - 1] = tmpl_defs[o.tmpl].label;
	if (o.citywide)
		fnone(R);
	else
		fstr(R, W_d[di].name);
	if (o.tier <= TIER_STREET)
		fstr(R, W_s[si].name);
	else
		fnone(R);
	if (o.tier == TIER_COMM)
		fstr(R, W_c[ci].name);
	else
		fnone(R);
	fstr(R, cat_codes[o.cat]);
	e = put(fbeg(R), I->res.v[rbelow(&g, I->res.n)]);
	if (rpm(&g, 400))
		e = put(e, res_sched[rbelow(&g, sizeof res_sched / sizeof res_sched[0])]);
	fend(R, e);
	if (I->kw != NULL && rpm(&g, 330))
		fstr(R, I->kw);
	else
		fnone(R);
	fend(R, put_u(fbeg(R), o.cap));
	w = rbelow(&g, 1000);
	from = month_first - (int32_t)rbelow(&g, 120);
	until = from + (int32_t)rrange(&g, 30, 300);
	if (w < 150) {
		fdate(R, from);
		fdate(R, until);
	} else if (w < 220) {
		fdate(R, from);
		fnone(R);
	} else if (w < 280) {
		fnone(R);
		fdate(R, until);
	} else {
		fnone(R);
		fnone(R);
	}
	if (tmpl_defs[o.tmpl].kind == K_MEMBER) {
		/* the member on duty is the contact */
		char *b = fbeg(R), *u = put_unit(b, o.tmpl, o.tier, o.place, o.slot);

		fend(R, putn(b, b + strlen("在职党员"), (size_t)(u - b) - strlen("在职党员")));
	} else if (rpm(&g, 850))
		fend(R, put_name(fbeg(R), rnext(&g)));
	else
		fnone(R);
	if (rpm(&g, 800))
		fend(R, put_phone(fbeg(R), &g));
	else
		fnone(R);
}

/* ---- pairs ---- */

typedef struct {
	uint32_t c, tmpl, tier, place;
	int nodist, nostreet;
} PairRow;

static PairRow *pairs;
static uint64_t npairs;

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct units (template, tier, place) of the resources under the
 * index keys base..base+NCAT-1, members on duty left out, appended to *v. */
static void
collect_units(uint32_t base, uint64_t **v, size_t *n, size_t *cap)
{
	size_t from = *n, j, k;
	uint32_t cat, x;

	for (cat = 0; cat < NCAT; cat++)
		for (x = ix_start[base + cat]; x < ix_start[base + cat + 1]; x++) {
			const ResCore *o = &RC[ix_list[x]];

			if (tmpl_defs[o->tmpl].kind == K_MEMBER)
				continue;
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 64;
				*v = realloc(*v, *cap * sizeof **v);
				if (*v == NULL)
					die("out of memory");
			}
			(*v)[(*n)++] = ((uint64_t)o->tmpl << 34) |
			    ((uint64_t)o->tier << 32) | o->place;
		}
	if (*n - from < 2)
		return;
	qsort(*v + from, *n - from, sizeof **v, cmp_u64);
	for (j = from + 1, k = from + 1; k < *n; k++)
		if ((*v)[k] != (*v)[j - 1])
			(*v)[j++] = (*v)[k];
	*n = j;
}

/*
 * Every pairing links a community with a unit offering resources there (at
 * its community, its street, its district or city-wide).  target pairs are
 * spread evenly over the communities, the remainder to communities in hash
 * order; a community gets distinct units.
 */
static void
build_pairs(uint64_t target)
{
	uint64_t *order, *cu = NULL, *su = NULL, *du = NULL, *wu = NULL;
	size_t ncu = 0, nsu = 0, ndu = 0, nwu = 0, ccap = 0, scap = 0, dcap = 0, wcap = 0;
	uint32_t c, base, extra, *quota, cur_s = UINT32_MAX, cur_d = UINT32_MAX;

	pairs = xmalloc((target ? target : 1) * sizeof *pairs);
	npairs = 0;
	if (NCOMM == 0)
		return;
	base = (uint32_t)(target / NCOMM);
	extra = (uint32_t)(target % NCOMM);
	order = xmalloc(NCOMM * sizeof *order);
	for (c = 0; c < NCOMM; c++)
		order[c] = (hash3(S_PAIR, c, 1) & ~(uint64_t)0xffffffff) | c;
	qsort(order, NCOMM, sizeof *order, cmp_u64);
	quota = xcalloc(NCOMM, sizeof *quota);
	for (c = 0; c < NCOMM; c++)
		quota[(uint32_t)order[c]] = base + (c < extra);
	collect_units(res_key(TIER_DISTRICT, 1, 0, 0), &wu, &nwu, &wcap);
	for (c = 0; c < NCOMM; c++) {
		Rng g = rng_at(S_PAIR, c);
		uint64_t chosen[64];
		uint32_t j, tries, nchosen = 0;
		size_t total;

		if (W_c[c].s != cur_s) {
			cur_s = W_c[c].s;
			nsu = 0;
			collect_units(res_key(TIER_STREET, 0, cur_s, 0), &su, &nsu, &scap);
		}
		if (W_c[c].d != cur_d) {
			cur_d = W_c[c].d;
			ndu = 0;
			collect_units(res_key(TIER_DISTRICT, 0, cur_d, 0), &du, &ndu, &dcap);
		}
		ncu = 0;
		collect_units(res_key(TIER_COMM, 0, c, 0), &cu, &ncu, &ccap);
		total = ncu + nsu + ndu + nwu;
		for (j = 0; j < quota[c] && j < total && nchosen < 64; j++) {
			uint64_t t = 0;
			uint32_t k;

			for (tries = 0; tries < 64; tries++) {
				size_t x = rbelow(&g, (uint32_t)total);

				t = x < ncu ? cu[x] : (x -= ncu) < nsu ? su[x] :
				    (x -= nsu) < ndu ? du[x] : wu[x - ndu];
				for (k = 0; k < nchosen; k++)
					if (chosen[k] == t)
						break;
				if (k == nchosen)
					break;
			}
			if (tries == 64)
				break;
			chosen[nchosen++] = t;
			{
				PairRow *p = &pairs[npairs++];

				p->c = c;
				p->tmpl = (uint32_t)(t >> 34);
				p->tier = (uint32_t)(t >> 32) & 3;
				p->place = (uint32_t)t;
				p->nodist = rpm(&g, 100);
				p->nostreet = p->nodist && rpm(&g, 400);
			}
		}
	}
	free(quota);
	free(order);
	free(cu);
	free(su);
	free(du);
	free(wu);
}

static void
gen_pair(uint64_t i, Row *R)
{
	const PairRow *p = &pairs[i];
	const Comm *M = &W_c[p->c];

	if (p->nodist)
		fnone(R);
	else
		fstr(R, W_d[M->d].name);
	if (p->nostreet)
		fnone(R);
	else
		fstr(R, W_s[M->s].name);
	fstr(R, M->name);
	fend(R, put_unit(fbeg(R), p->tmpl, (int)p->tier, p->place, 0));
}

/* ---- branches ---- */

static void
gen_branch(uint64_t bi, Row *R)
{
	uint32_t b = (uint32_t)bi;
	int bk = branch_kind(b);
	uint32_t c, j, t, cl;
	const Comm *M;
	const District *D;
	char *e;

	fend(R, put_branch_id(fbeg(R), b));
	if (bk == BK_COMMUNITY) {
		c = b;
		j = 0;
	} else {
		c = (b - NCOMM) % NCOMM;
		j = (b - NCOMM) / NCOMM;
	}
	M = &W_c[c];
	D = &W_d[M->d];
	cl = c - D->c0;
	t = j * D->nc + cl;	/* unique within the district */
	e = fbeg(R);
	switch (bk) {
	case BK_COMMUNITY:
		e = put(put(e, M->name), "党支部");
		break;
	case BK_GRID:
		e = put(put_cn(put(put(e, M->name), "第"), j + 1), "网格党支部");
		break;
	case BK_RETIRED:
		e = put(put(e, M->name), "离退休");
		if (j > 0)
			e = put_cn(put(e, "第"), j + 1);
		e = put(e, "党支部");
		break;
	case BK_ESTATE:
		e = put(put(e, M->name), estates[j % NESTATE]);
		if (j >= NESTATE)
			e = put_cn(e, j / NESTATE + 1);
		e = put(e, "小区党支部");
		break;
	case BK_MOBILE:
		e = put(put(e, M->name), "流动党员");
		if (j > 0)
			e = put_cn(put(e, "第"), j + 1);
		e = put(e, "党支部");
		break;
	case BK_AGENCY:
		e = put(put(e, D->name), bureaus[t % NBUREAU]);
		e = put(e, "机关");
		if (t >= NBUREAU)
			e = put_cn(put(e, "第"), t / NBUREAU + 1);
		e = put(e, "党支部");
		break;
	default:
		e = put(put(e, biz_words[t % NBIZ]), firm_types[(t / NBIZ) % NFIRM]);
		if (t >= NBIZ * NFIRM)
			e = put_cn(put(e, "第"), t / (NBIZ * NFIRM) + 1);
		e = put(e, "党支部");
		break;
	}
	fend(R, e);
	fstr(R, D->name);
	if (bk == BK_AGENCY)
		fnone(R);
	else
		fstr(R, W_s[M->s].name);
	if (bk == BK_AGENCY || bk == BK_FIRM)
		fnone(R);
	else
		fstr(R, M->name);
	if (bk == BK_FIRM && strstr(firm_types[(t / NBIZ) % NFIRM], "中心") != NULL)
		fstr(R, "社会组织党支部");
	else
		fstr(R, bk_names[bk]);
}

/* ---- members ---- */

static void
gen_member(uint64_t m, Row *R)
{
	uint32_t b = member_branch(m);
	int bk = branch_kind(b), mk;
	Rng g = rng_at(S_MEMBER, m);
	uint32_t r = rbelow(&g, 100);
	int y0, y1;
	int32_t lo, hi;

	switch (bk) {
	case BK_RETIRED:
		mk = r < 94 ? MK_RETIRED : MK_RESIDENT;
		break;
	case BK_AGENCY:
		mk = r < 90 ? MK_EMPLOYED : MK_RETIRED;
		break;
	case BK_FIRM:
		mk = r < 85 ? MK_EMPLOYED : MK_MOBILE;
		break;
	case BK_MOBILE:
		mk = r < 90 ? MK_MOBILE : MK_RESIDENT;
		break;
	default:
		mk = r < 45 ? MK_RESIDENT : r < 75 ? MK_RETIRED : r < 90 ? MK_EMPLOYED : MK_MOBILE;
		break;
	}
	fend(R, put_member_id(fbeg(R), m));
	fend(R, put_name(fbeg(R), rnext(&g)));
	fend(R, put_branch_id(fbeg(R), b));
	fstr(R, mk_codes[mk]);
	if (mk == MK_RETIRED) {
		y0 = 1958;
		y1 = 1998;
	} else if (mk == MK_RESIDENT) {
		y0 = 1975;
		y1 = C.year - 1;
	} else {
		y0 = 1995;
		y1 = C.year - 1;
	}
	lo = days_from_civil(y0, 1, 1);
	hi = days_from_civil(y1, 12, 31);
	if (hi >= month_first)
		hi = month_first - 1;
	if (rpm(&g, 960))
		fdate(R, lo + (int32_t)rbelow(&g, (uint32_t)(hi - lo + 1)));
	else
		fnone(R);
	if (rpm(&g, 900))
		fend(R, put_mobile(fbeg(R), &g));
	else
		fnone(R);
}

/* ---- activity ---- */

static const char *const hours_tab[] = {
	"0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5", "5.5", "6",
	"6.5", "7", "7.5", "8"
};
static char day_str[31][11];

static void
gen_activity(uint64_t i, Row *R)
{
	static const unsigned vol_h[16] = { 3, 12, 10, 22, 10, 14, 6, 10, 3, 3, 1, 3, 0, 1, 0, 2 };
	Rng g = rng_at(S_ACT, i);
	uint32_t day = rbelow(&g, (uint32_t)month_days);
	/* The first rows are the branches' own meetings (三会一课): each branch
	 * holds each of committee, group, assembly, lecture and theme day in the
	 * month, or (one time in ten) something else instead, so org life is
	 * mostly complete and a few branches visibly are not. */
	uint64_t meetings = (uint64_t)NBR * 5;
	int own_meeting = meetings <= C.count[T_ACTIVITY] / 4 && i < meetings;

	fend(R, putn(fbeg(R), day_str[day], 10));
	if (own_meeting || (meetings > C.count[T_ACTIVITY] / 4 && rpm(&g, 22))) {
		/* an event of the branch */
		uint32_t b = own_meeting ? (uint32_t)(i / 5) : rbelow(&g, NBR);
		int k = own_meeting ? (int)(i % 5) : rweighted(&g, branch_ev_w, NBCLASS);
		if (own_meeting && rpm(&g, 100))
			k = B_OTHER;
		const List *l = &branch_ev_list[k];

		fnone(R);
		fend(R, put_branch_id(fbeg(R), b));
		fstr(R, l->v[rbelow(&g, l->n)]);
		if (k != B_OTHER && rpm(&g, 300))
			fstr(R, rpm(&g, 500) ? "1.5" : "2");
		else
			fnone(R);
		if (rpm(&g, 500))
			fstr(R, branch_note_list.v[rbelow(&g, branch_note_list.n)]);
		else
			fnone(R);
		fnone(R);
	} else {
		uint32_t m = alias_draw(&A_member, &g);
		int k = rweighted(&g, act_class_w, NACLASS);
		const List *l = &act_kind_list[k];

		fend(R, put_member_id(fbeg(R), m));
		fend(R, put_branch_id(fbeg(R), member_branch(m)));
		fstr(R, l->v[rbelow(&g, l->n)]);
		if (k == A_VOLUNTEER)
			fstr(R, hours_tab[rweighted(&g, vol_h, 16)]);
		else if (k == A_MEETING && rpm(&g, 400))
			fstr(R, rpm(&g, 500) ? "1.5" : "2");
		else if (k == A_STUDY && rpm(&g, 300))
			fstr(R, rpm(&g, 600) ? "1" : "0.5");
		else
			fnone(R);
		if (rpm(&g, 350))
			fstr(R, act_note_list[k].v[rbelow(&g, act_note_list[k].n)]);
		else
			fnone(R);
		if (k == A_CLAIM && C.count[T_DEMAND] > 0 && rpm(&g, 600))
			fend(R, put_demand_id(fbeg(R), rnext(&g) % C.count[T_DEMAND]));
		else
			fnone(R);
	}
}

/* ------------------------------------------------------------------ */
/* Bad rows (--bad N)                                                 */

typedef struct {
	int col;		/* -1: the whole row */
	const char *what;
} BadKind;

static const BadKind bad_demand[] = {
	{ D_SUBMITTED, "impossible date (February 30)" },
	{ D_PHONE, "phone too short (10 digits)" },
	{ D_CATEGORY, "unknown category 环境卫生" },
	{ D_ID, "duplicate demand_id" },
	{ -1, "ragged row (last field missing)" },
	{ D_NEEDED, "needed_by before submitted" },
	{ D_CONTENT, "required content empty" },
	{ D_QUANTITY, "quantity 若干 (not a number)" },
	{ D_SATIS, "satisfaction 很好 (not a rating)" },
	{ D_PRIORITY, "unknown priority 加急" },
	{ D_DONE, "done_date before submitted" },
	{ -1, "ragged row (one field too many)" },
	{ D_STATUS, "unknown status 已受理" },
	{ D_PHONE, "phone with an extension" },
};
static const BadKind bad_resource[] = {
	{ R_STREET, "community given without a street" },
	{ R_CAPACITY, "capacity 不限 (not a number)" },
	{ R_KEYWORDS, "keyword pattern that does not compile" },
	{ R_UNTIL, "available_until before available_from" },
	{ R_KIND, "unknown unit kind 个体户" },
	{ R_ID, "duplicate resource_id" },
	{ R_CATEGORY, "unknown category 其他" },
	{ -1, "ragged row (last field missing)" },
};
static const BadKind bad_pair[] = {
	{ P_COMMUNITY, "required community empty" },
	{ P_UNIT, "required unit empty" },
	{ -1, "ragged row (last field missing)" },
};
static const BadKind bad_member[] = {
	{ M_JOINED, "impossible date (February 29 of a common year)" },
	{ M_PHONE, "phone too short (10 digits)" },
	{ M_KIND, "unknown member kind 预备党员" },
	{ M_ID, "duplicate member_id" },
	{ M_NAME, "required name empty" },
	{ M_BRANCH, "required branch_id empty" },
	{ -1, "ragged row (last field missing)" },
};
static const BadKind bad_branch[] = {
	{ B_ID, "duplicate branch_id" },
	{ B_NAME, "required name empty" },
	{ -1, "ragged row (last field missing)" },
};
static const BadKind bad_activity[] = {
	{ AC_DATE, "impossible date (day after the month's last)" },
	{ AC_HOURS, "hours 25 (more than 24)" },
	{ AC_HOURS, "hours 两小时 (not a number)" },
	{ AC_MEMBER, "neither member_id nor branch_id" },
	{ AC_KIND, "required kind empty" },
	{ AC_DATE, "impossible date (month 13)" },
	{ -1, "ragged row (one field too many)" },
	{ AC_HOURS, "negative hours" },
};
static const BadKind *const bad_kinds[NTYPES] = {
	bad_demand, bad_resource, bad_pair, bad_member, bad_branch, bad_activity
};
static const int bad_nkinds[NTYPES] = {
	sizeof bad_demand / sizeof bad_demand[0],
	sizeof bad_resource / sizeof bad_resource[0],
	sizeof bad_pair / sizeof bad_pair[0],
	sizeof bad_member / sizeof bad_member[0],
	sizeof bad_branch / sizeof bad_branch[0],
	sizeof bad_activity / sizeof bad_activity[0],
};

static uint64_t *bad_pos;	/* sorted row numbers of bad rows */
static uint32_t nbad;

static void
plan_bad(uint64_t rows)
{
	uint32_t k;

	nbad = C.bad;
	if ((uint64_t)nbad > rows / 2)
		nbad = (uint32_t)(rows / 2);
	bad_pos = xmalloc((nbad ? nbad : 1) * sizeof *bad_pos);
	for (k = 0; k < nbad; k++) {
		Rng g = rng_at(S_BAD, k);
		/* one bad row somewhere in each of nbad equal slices, never the first row */
		uint64_t lo = k * rows / nbad, hi = (k + 1) * rows / nbad;
		uint64_t span = hi - lo;

		bad_pos[k] = lo + (span > 2 ? 1 + rnext(&g) % (span - 1) : span - 1);
		if (bad_pos[k] == 0)
			bad_pos[k] = 1;
	}
}

static int
is_bad(uint64_t i)
{
	uint32_t lo = 0, hi = nbad;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (bad_pos[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nbad && bad_pos[lo] == i;
}

/* An earlier good row to duplicate the id of. */
static uint64_t
dup_source(uint64_t i, Rng *g)
{
	uint64_t j = i - 1 - rnext(g) % (i < 30 ? i : 30);

	while (j > 0 && is_bad(j))
		j--;
	return j;
}

static int32_t
parse_date(const char *p)
{
	int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	int m = (p[5] - '0') * 10 + (p[6] - '0');
	int d = (p[8] - '0') * 10 + (p[9] - '0');

	return days_from_civil(y, m, d);
}

static char *
put_date_loose(char *d, int32_t days)
{
	int y, m, dd;

	civil_from_days(days, &y, &m, &dd);
	d = put_u(d, (uint64_t)y);
	*d++ = '-';
	d = put_u(d, (uint64_t)m);
	*d++ = '-';
	return put_u(d, (uint64_t)dd);
}

/* Make row i bad in the way number k of its type's list says. */
static void
apply_bad(int k, uint64_t i, Row *R)
{
	Rng g = rng_at(S_BAD + 1000, i);
	char tmp[128], *e;
	int32_t sub;

	switch (C.type) {
	case T_DEMAND:
		sub = parse_date(R->p[D_SUBMITTED]);
		switch (k) {
		case 0:
			e = put(put_u(tmp, (uint64_t)C.year), "-2-30");
			*e = '\0';
			fset_raw(R, D_SUBMITTED, tmp);
			break;
		case 1:
			e = put_mobile(tmp, &g);
			e[-1] = '\0';
			fset_raw(R, D_PHONE, tmp);
			break;
		case 2: fset_raw(R, D_CATEGORY, "环境卫生"); break;
		case 3:
			*put_demand_id(tmp, dup_source(i, &g)) = '\0';
			fset_raw(R, D_ID, tmp);
			break;
		case 4: R->nf--; break;
		case 5:
			*put_date_loose(tmp, sub - (int32_t)rrange(&g, 2, 9)) = '\0';
			fset_raw(R, D_NEEDED, tmp);
			break;
		case 6: fset_raw(R, D_CONTENT, ""); break;
		case 7: fset_raw(R, D_QUANTITY, "若干"); break;
		case 8: fset_raw(R, D_SATIS, "很好"); break;
		case 9: fset_raw(R, D_PRIORITY, "加急"); break;
		case 10:
			*put_date_loose(tmp, sub - (int32_t)rrange(&g, 1, 6)) = '\0';
			fset_raw(R, D_DONE, tmp);
			fset_raw(R, D_STATUS, "已办结");
			break;
		case 11: fset_raw(R, R->nf++, "见附件"); break;
		case 12: fset_raw(R, D_STATUS, "已受理"); break;
		default: fset_raw(R, D_PHONE, "025-84561234-8001"); break;
		}
		break;
	case T_RESOURCE:
		switch (k) {
		case 0:
			if (R->n[R_COMMUNITY] == 0)
				fset_raw(R, R_COMMUNITY, W_c[rbelow(&g, NCOMM)].name);
			fset_raw(R, R_STREET, "");
			break;
		case 1: fset_raw(R, R_CAPACITY, "不限"); break;
		case 2: fset_raw(R, R_KEYWORDS, "助餐|(送餐"); break;
		case 3:
			*put_date_loose(tmp, month_first + 60) = '\0';
			fset_raw(R, R_FROM, tmp);
			*put_date_loose(tmp, month_first - 10) = '\0';
			fset_raw(R, R_UNTIL, tmp);
			break;
		case 4: fset_raw(R, R_KIND, "个体户"); break;
		case 5:
			*put_resource_id(tmp, dup_source(i, &g)) = '\0';
			fset_raw(R, R_ID, tmp);
			break;
		case 6: fset_raw(R, R_CATEGORY, "其他"); break;
		default: R->nf--; break;
		}
		break;
	case T_PAIR:
		if (k == 0)
			fset_raw(R, P_COMMUNITY, "");
		else if (k == 1)
			fset_raw(R, P_UNIT, "");
		else
			R->nf--;
		break;
	case T_MEMBER:
		switch (k) {
		case 0: fset_raw(R, M_JOINED, "2023-2-29"); break;
		case 1:
			e = put_mobile(tmp, &g);
			e[-1] = '\0';
			fset_raw(R, M_PHONE, tmp);
			break;
		case 2: fset_raw(R, M_KIND, "预备党员"); break;
		case 3:
			*put_member_id(tmp, dup_source(i, &g)) = '\0';
			fset_raw(R, M_ID, tmp);
			break;
		case 4: fset_raw(R, M_NAME, ""); break;
		case 5: fset_raw(R, M_BRANCH, ""); break;
		default: R->nf--; break;
		}
		break;
	case T_BRANCH:
		if (k == 0) {
			*put_branch_id(tmp, dup_source(i, &g)) = '\0';
			fset_raw(R, B_ID, tmp);
		} else if (k == 1)
			fset_raw(R, B_NAME, "");
		else
			R->nf--;
		break;
	default:
		switch (k) {
		case 0:
			e = put_u(tmp, (uint64_t)C.year);
			if (month_days < 31) {
				*e++ = '-';
				e = put_u(e, (uint64_t)C.month);
				e = put_u(put(e, "-"), (uint64_t)month_days + 1);
			} else
				e = put(e, "-2-30");
			*e = '\0';
			fset_raw(R, AC_DATE, tmp);
			break;
		case 1: fset_raw(R, AC_HOURS, "25"); break;
		case 2: fset_raw(R, AC_HOURS, "两小时"); break;
		case 3:
			fset_raw(R, AC_MEMBER, "");
			fset_raw(R, AC_BRANCH, "");
			break;
		case 4: fset_raw(R, AC_KIND, ""); break;
		case 5:
			e = put(put_u(tmp, (uint64_t)C.year), "/13/");
			e = put_u(e, rrange(&g, 1, 28));
			*e = '\0';
			fset_raw(R, AC_DATE, tmp);
			break;
		case 6: fset_raw(R, R->nf++, "补录"); break;
		default: fset_raw(R, AC_HOURS, "-1"); break;
		}
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Writers                                                            */

static uint64_t phys_line;	/* physical line of the next row (1 = header) */

static void
w_tsv_field(const char *p, uint32_t n)
{
	char *o = obuf + olen;
	uint32_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		switch (c) {
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		default: *o++ = c; break;
		}
	}
	olen = (size_t)(o - obuf);
}

static int
needs_quote(const char *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			return 1;
	return 0;
}

static void
w_csv_field(const char *p, uint32_t n, int quote)
{
	char *o = obuf + olen;
	uint32_t i;

	if (!quote) {
		memcpy(o, p, n);
		olen += n;
		return;
	}
	*o++ = '"';
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			*o++ = '"';
		if (p[i] == '\n')
			phys_line++;
		*o++ = p[i];
	}
	*o++ = '"';
	olen = (size_t)(o - obuf);
}

/* Full-width form of the ASCII in s (U+FF01..U+FF5E); other bytes kept. */
static char *
put_fullwidth(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x21 && c <= 0x7e) {
			unsigned u = 0xff01 + (c - 0x21);

			*d++ = (char)(0xe0 | (u >> 12));
			*d++ = (char)(0x80 | ((u >> 6) & 0x3f));
			*d++ = (char)(0x80 | (u & 0x3f));
		} else
			*d++ = (char)c;
	}
	return d;
}

static const char *
pick(Rng *g, const char *const *v, const unsigned *w, int n)
{
	return v[rweighted(g, w, n)];
}

static char *
office_date(char *d, const char *p, Rng *g)
{
	static const unsigned w[] = { 28, 15, 10, 7, 7, 10, 7, 6, 4, 4, 2 };
	char t[64], *e = t;
	int32_t days = parse_date(p);
	int y, m, dd, form;

	civil_from_days(days, &y, &m, &dd);
	form = rweighted(g, w, (int)(sizeof w / sizeof w[0]));
	switch (form) {
	case 0: case 7: case 9:
		e = put_u(e, (uint64_t)y);
		*e++ = '/';
		e = put_u(e, (uint64_t)m);
		*e++ = '/';
		e = put_u(e, (uint64_t)dd);
		if (form == 7)
			e = put(e, " 0:00:00");
		break;
	case 1: e = putn(e, p, 10); break;
	case 2: e = put_date_loose(e, days); break;
	case 3:
		e = put_u(e, (uint64_t)y);
		*e++ = '.';
		e = put_u(e, (uint64_t)m);
		*e++ = '.';
		e = put_u(e, (uint64_t)dd);
		break;
	case 4:
		e = putn(e, p, 4);
		e = putn(e, p + 5, 2);
		e = putn(e, p + 8, 2);
		break;
	case 5: case 10:
		e = put(put_u(e, (uint64_t)y), "年");
		e = put(put_u(e, (uint64_t)m), "月");
		e = put(put_u(e, (uint64_t)dd), "日");
		break;
	case 6:
		e = put_u(e, (uint64_t)(days - days_from_civil(1899, 12, 30)));
		break;
	default:
		e = putn(e, p, 4);
		*e++ = '/';
		e = putn(e, p + 5, 2);
		*e++ = '/';
		e = putn(e, p + 8, 2);
		break;
	}
	if (form == 9 || form == 10) {
		/* typed with a Chinese input method: full-width digits */
		char u[160];
		char *f = u;
		const char *s;

		for (s = t; s < e; s++)
			f = (*s >= '0' && *s <= '9') ? put_fullwidth(f, s, 1) : putn(f, s, 1);
		return putn(d, u, (size_t)(f - u));
	}
	if (form == 1 && rpm(g, 30))
		e = put(e, " 14:30");
	return putn(d, t, (size_t)(e - t));
}

static char *
office_phone(char *d, const char *p, uint32_t n, Rng *g)
{
	uint32_t r = rbelow(g, 100);

	if (p[0] == '1' && n == 11) {
		if (r < 55)
			return putn(d, p, n);
		if (r < 67) {
			d = put(putn(d, p, 3), " ");
			return putn(put(putn(d, p + 3, 4), " "), p + 7, 4);
		}
		if (r < 77) {
			d = put(putn(d, p, 3), "-");
			return putn(put(putn(d, p + 3, 4), "-"), p + 7, 4);
		}
		if (r < 84)
			return putn(put(d, "+86 "), p, n);
		if (r < 88) {
			d = put(putn(put(d, "+86-"), p, 3), "-");
			return putn(put(putn(d, p + 3, 4), "-"), p + 7, 4);
		}
		if (r < 91)
			return putn(put(d, "86"), p, n);
		if (r < 95)
			return putn(put(d, "+86"), p, n);
		if (r < 97)
			return put_fullwidth(d, p, n);
		return put(putn(put(d, " "), p, n), " ");
	}
	/* landline: 3- or 4-digit area code */
	{
		uint32_t ac = p[1] == '2' ? 3 : 4;

		if (r < 50)
			return putn(put(putn(d, p, ac), "-"), p + ac, n - ac);
		if (r < 65)
			return putn(put(putn(put(d, "("), p, ac), ")"), p + ac, n - ac);
		if (r < 75) {
			d = put(putn(d, p, ac), " ");
			return putn(put(putn(d, p + ac, 4), " "), p + ac + 4, n - ac - 4);
		}
		if (r < 90)
			return putn(d, p, n);
		if (r < 95) {
			d = put(putn(put(d, "+86 "), p + 1, ac - 1), " ");
			return putn(put(putn(d, p + ac, 4), " "), p + ac + 4, n - ac - 4);
		}
		d = put(putn(d, p, ac), "-");
		return putn(put(putn(d, p + ac, 4), "-"), p + ac + 4, n - ac - 4);
	}
}

static int
code_index(const char *const *codes, int n, const char *p, uint32_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(codes[i]) == len && memcmp(codes[i], p, len) == 0)
			return i;
	return -1;
}

/* The office wording of a value: Chinese enums, mixed dates, messy phones. */
static char *
office_value(char *d, int vt, const char *p, uint32_t n, const char *label, Rng *g)
{
	static const char *const cat_zh[NCAT][4] = {
		{ "政务服务", "政务", "gov", "政务服务" },
		{ "生活服务", "生活", "life", "生活服务" },
		{ "法律服务", "法律援助", "法律", "法律服务" },
		{ "文体服务", "文体", "文化", "文化体育" },
		{ "关爱服务", "关爱", "帮扶", "关爱服务" },
		{ "党员服务", "党建", "党员", "党员服务" },
		{ "全部", "不限", "不限", "全部" },
	};
	static const unsigned cat_w[4] = { 55, 25, 8, 12 };
	static const char *const prio_zh[3][3] = {
		{ "一般", "普通", "1" }, { "紧急", "较急", "2" }, { "特急", "非常紧急", "3" }
	};
	static const unsigned prio_w[3] = { 78, 17, 5 };
	static const char *const status_zh[4][4] = {
		{ "待认领", "待派单", "未认领", "新建" },
		{ "已认领", "已派单", "办理中", "处理中" },
		{ "已办结", "已完成", "办结", "已办结" },
		{ "已关闭", "已撤销", "撤销", "不予受理" },
	};
	static const unsigned status_w[4] = { 65, 15, 12, 8 };
	static const char *const status_codes[4] = { "open", "claimed", "done", "closed" };
	static const char *const satis_zh[6] = {
		"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"
	};
	static const char *const ukind_zh[NKIND][2] = {
		{ "机关", "机关单位" }, { "企业", "企事业单位" }, { "社会组织", "社会组织" },
		{ "志愿服务队", "志愿队" }, { "在职党员", "党员" }
	};
	static const char *const mkind_zh[NMK][2] = {
		{ "居民党员", "直管" }, { "在职党员", "双管" }, { "流动党员", "共管" },
		{ "离退休党员", "协管" }
	};
	int k;

	if (n == 0)
		return d;
	switch (vt) {
	case V_DATE:
		return office_date(d, p, g);
	case V_PHONE:
		return office_phone(d, p, n, g);
	case V_CAT:
		k = code_index(cat_codes, NCAT, p, n);
		return put(d, pick(g, cat_zh[k], cat_w, 4));
	case V_PRIO:
		k = code_index((const char *const[]){ "normal", "urgent", "critical" }, 3, p, n);
		return put(d, pick(g, prio_zh[k], prio_w, 3));
	case V_STATUS:
		k = code_index(status_codes, 4, p, n);
		return put(d, pick(g, status_zh[k], status_w, 4));
	case V_SATIS:
		if (rpm(g, 600))
			return put(d, satis_zh[p[0] - '0']);
		return putn(d, p, n);
	case V_UKIND:
		if (label != NULL && rpm(g, 850))
			return put(d, label);
		k = code_index(kind_codes, NKIND, p, n);
		return put(d, ukind_zh[k][rpm(g, 300)]);
	case V_MKIND:
		k = code_index(mk_codes, NMK, p, n);
		return put(d, mkind_zh[k][rpm(g, 200)]);
	case V_INT:
		if (n >= 4 && rpm(g, 500)) {
			uint32_t lead = n % 3 ? n % 3 : 3, i;

			d = putn(d, p, lead);
			for (i = lead; i < n; i += 3)
				d = putn(put(d, ","), p + i, 3);
			return d;
		}
		/* FALLTHROUGH */
	case V_DEC:
		if (rpm(g, 25))
			return put_fullwidth(d, p, n);
		return putn(d, p, n);
	case V_ID:
		if (rpm(g, 3))
			return put_fullwidth(d, p, n);
		if (rpm(g, 5))
			return put(putn(d, p, n), " ");
		return putn(d, p, n);
	default:
		k = (int)rbelow(g, 1000);
		if (k < 6)
			return putn(put(d, "　"), p, n);
		if (k < 14)
			return put(putn(d, p, n), " ");
		return putn(d, p, n);
	}
}

static void
write_header(void)
{
	const Col *cols = type_cols[C.type];
	int i, n = type_ncol[C.type];

	if (C.bom)
		ob_put("\xef\xbb\xbf", 3);
	for (i = 0; i < n; i++) {
		const char *h = C.format == F_TSV ? cols[i].tsv :
		    C.format == F_CSV ? cols[i].csv : cols[i].office;

		if (i > 0)
			ob_put(C.format == F_TSV ? "\t" : ",", 1);
		ob_s(h);
	}
	ob_s(C.format == F_OFFICE ? "\r\n" : "\n");
	phys_line = 2;
}

static void
write_row(const Row *R, uint64_t i)
{
	const Col *cols = type_cols[C.type];
	int f, ncol = type_ncol[C.type];
	Rng g;

	if (olen >= OBUF_FLUSH)
		ob_flush();
	if (C.format == F_TSV) {
		for (f = 0; f < R->nf; f++) {
			if (f > 0)
				obuf[olen++] = '\t';
			w_tsv_field(R->p[f], R->n[f]);
		}
		obuf[olen++] = '\n';
		phys_line++;
		return;
	}
	g = rng_at(S_FMT + (uint64_t)C.type, i);
	for (f = 0; f < R->nf; f++) {
		const char *p = R->p[f];
		uint32_t n = R->n[f];
		char tmp[16384];

		if (f > 0)
			obuf[olen++] = ',';
		if (C.format == F_CSV) {
			int q = needs_quote(p, n) || (n > 0 && rpm(&g, 100));

			w_csv_field(p, n, q);
			continue;
		}
		if (!R->raw[f] && f < ncol) {
			char *e = office_value(tmp, cols[f].vt, p, n, R->label[f], &g);

			p = tmp;
			n = (uint32_t)(e - tmp);
		}
		w_csv_field(p, n, needs_quote(p, n));
	}
	if (C.format == F_OFFICE) {
		obuf[olen++] = '\r';
		obuf[olen++] = '\n';
	} else
		obuf[olen++] = '\n';
	phys_line++;
}

/* The all-empty rows spreadsheets leave at the end. */
static void
write_blank_rows(void)
{
	Rng g = rng_at(S_BLANK, (uint64_t)C.type);
	uint32_t k, n = rrange(&g, 2, 7);
	int i;

	for (k = 0; k < n; k++) {
		if (olen >= OBUF_FLUSH)
			ob_flush();
		for (i = 1; i < type_ncol[C.type]; i++)
			obuf[olen++] = ',';
		ob_put("\r\n", 2);
	}
}

/* ------------------------------------------------------------------ */
/* Options                                                            */

static void
usage(FILE *fp)
{
	fputs(
"usage: qy-gen -t TYPE [-n ROWS] [--seed N] [--format tsv|csv|office]\n"
"              [--month YYYY-MM] [--preset district|city] [--bad N] [--bad-list]\n"
"              [--bom] [--districts N] [--streets-per-district N]\n"
"              [--communities-per-street N] [--demands N] [--resources N]\n"
"              [--pairs N] [--members N] [--branches N] [--activities N]\n"
"       qy-gen --help | --version\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs(
"\n"
"Writes one record type of a deterministic, self-consistent world of qy data\n"
"(SPEC 2) on stdout.  Same seed and world options: byte-identical output.\n"
"\n"
"  -t TYPE        demand | resource | pair | member | branch | activity\n"
"  -n ROWS        rows of TYPE (default: the world's count for TYPE); this\n"
"                 output only: other types still see the world's count, so\n"
"                 to grow the world consistently use the count options\n"
"  --seed N       PRNG seed, 0..2^64-1 (default 1)\n"
"  --format F     tsv     clean qy-TSV: canonical columns and values (default)\n"
"                 csv     canonical values, Chinese headers (first SPEC alias),\n"
"                         RFC 4180 quoting (~10% of fields quoted), UTF-8, LF\n"
"                 office  an Excel/WPS export: *headers（notes）, Chinese\n"
"                         enums, dates typed in mixed forms, messy phones,\n"
"                         CRLF, trailing ,,,, rows\n"
"  --month M      the month demands and activity fall in (default 2024-06)\n"
"  --bad N        make about N rows realistically bad (bad dates, short\n"
"                 phones, unknown codes, duplicate ids, ragged rows, ...)\n"
"  --bad-list     say on stderr which lines are bad and how\n"
"  --bom          start with a UTF-8 byte order mark\n"
"\n"
"World (a preset first, then single options override it):\n"
"  --preset district   1 district, 7 streets, ~63 communities, 1,500 demands,\n"
"                      300 resources, 80 pairs, 100 branches, 2,000 members,\n"
"                      20,000 activity rows (the default)\n"
"  --preset city       10 districts, 15 streets each, ~6,000 communities,\n"
"                      2,000,000 demands, 200,000 resources, 8,000 pairs,\n"
"                      25,000 branches, 500,000 members, 10,000,000 activity rows\n"
"  --districts N, --streets-per-district N, --communities-per-street N\n"
"                 geography (communities per street vary by +-25%)\n"
"  --demands N, --resources N, --pairs N, --members N, --branches N,\n"
"  --activities N\n"
"                 counts; without --preset, counts not given scale with the\n"
"                 number of communities at the district preset's ratios\n"
"\n"
"Every type must be generated with the same seed and world options for the\n"
"files to agree (members name branches, activity names members and demands,\n"
"claimed demands name resources, pairs name the resources' units).\n"
"\n"
"Exit status: 0 written, 2 usage or write error.\n", stdout);
	exit(0);
}

static void
usage_err(const char *msg, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "%s: %s: %s\n", prog, msg, arg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	usage(stderr);
	exit(2);
}

static uint64_t
num_arg(const char *opt, const char *s, uint64_t max)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p == '\0')
		usage_err("empty number for", opt);
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			usage_err("not a number", s);
		if (v > (UINT64_MAX - 9) / 10)
			usage_err("number too large", s);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > max) {
		fprintf(stderr, "%s: %s %s: at most %llu\n", prog, opt, s,
		    (unsigned long long)max);
		usage(stderr);
		exit(2);
	}
	return v;
}

enum {
	O_DISTRICTS, O_STREETS, O_CPS, O_DEMANDS, O_RESOURCES, O_PAIRS, O_MEMBERS,
	O_BRANCHES, O_ACTIVITIES, NOPT
};

int
main(int argc, char **argv)
{
	static const char *const optnames[NOPT] = {
		"--districts", "--streets-per-district", "--communities-per-street",
		"--demands", "--resources", "--pairs", "--members", "--branches",
		"--activities"
	};
	static const uint64_t optmax[NOPT] = {
		10000, 1000, 10000, 1000000000, 10000000, 10000000, 100000000,
		10000000, 10000000000ULL
	};
	uint64_t optval[NOPT];
	int optset[NOPT] = { 0 };
	int i, type_set = 0, preset_set = 0, city = 0, geo_set = 0, rows_set = 0;
	uint64_t ref_comm, rows;
	Row *R;

	C.format = F_TSV;
	C.seed = 1;
	C.year = 2024;
	C.month = 6;
	for (i = 1; i < argc; i++) {
		static const char *const valued[] = {
			"--type", "--rows", "--seed", "--format", "--month", "--preset",
			"--bad", "--districts", "--streets-per-district",
			"--communities-per-street", "--demands", "--resources", "--pairs",
			"--members", "--branches", "--activities", NULL
		};
		const char *arg = argv[i], *val = NULL, *eq;
		char a[64];
		size_t len;
		int o;

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			help();
		if (strcmp(arg, "--version") == 0) {
			puts("qy-gen (qy) " QY_VERSION);
			if (fflush(stdout) != 0 || ferror(stdout))
				write_fail();
			return 0;
		}
		if (strcmp(arg, "--bom") == 0) {
			C.bom = 1;
			continue;
		}
		if (strcmp(arg, "--bad-list") == 0) {
			C.badlist = 1;
			continue;
		}
		if (strncmp(arg, "--bom=", 6) == 0 || strncmp(arg, "--bad-list=", 11) == 0)
			usage_err("option takes no value", arg);
		if (arg[0] == '-' && arg[1] == '-') {
			eq = strchr(arg, '=');
			len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
			if (len >= sizeof a)
				usage_err("unknown option", arg);
			memcpy(a, arg, len);
			a[len] = '\0';
			for (o = 0; valued[o] != NULL; o++)
				if (strcmp(a, valued[o]) == 0)
					break;
			if (valued[o] == NULL)
				usage_err("unknown option", a);
			if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				usage_err("option needs a value", a);
		} else if (arg[0] == '-' && (arg[1] == 't' || arg[1] == 'n')) {
			a[0] = '-';
			a[1] = arg[1];
			a[2] = '\0';
			if (arg[2] != '\0')
				val = arg + 2;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				usage_err("option needs a value", a);
		} else
			usage_err("unknown argument", arg);

		if (strcmp(a, "-t") == 0 || strcmp(a, "--type") == 0) {
			for (o = 0; o < NTYPES; o++)
				if (strcmp(val, type_names[o]) == 0)
					break;
			if (o == NTYPES)
				usage_err("unknown type", val);
			C.type = o;
			type_set = 1;
		} else if (strcmp(a, "-n") == 0 || strcmp(a, "--rows") == 0) {
			C.rows = num_arg(a, val, 10000000000ULL);
			rows_set = 1;
		} else if (strcmp(a, "--seed") == 0) {
			C.seed = num_arg(a, val, UINT64_MAX);
		} else if (strcmp(a, "--format") == 0) {
			if (strcmp(val, "tsv") == 0)
				C.format = F_TSV;
			else if (strcmp(val, "csv") == 0)
				C.format = F_CSV;
			else if (strcmp(val, "office") == 0)
				C.format = F_OFFICE;
			else
				usage_err("unknown format", val);
		} else if (strcmp(a, "--month") == 0) {
			if (strlen(val) != 7 || val[4] != '-' ||
			    val[0] < '1' || val[0] > '9')
				usage_err("month must be YYYY-MM", val);
			for (o = 0; o < 7; o++)
				if (o != 4 && (val[o] < '0' || val[o] > '9'))
					usage_err("month must be YYYY-MM", val);
			C.year = atoi(val);
			C.month = atoi(val + 5);
			if (C.month < 1 || C.month > 12 || C.year < 1970 || C.year > 2100)
				usage_err("month out of range (1970-01..2100-12)", val);
		} else if (strcmp(a, "--preset") == 0) {
			if (strcmp(val, "district") == 0)
				city = 0;
			else if (strcmp(val, "city") == 0)
				city = 1;
			else
				usage_err("unknown preset", val);
			preset_set = 1;
		} else if (strcmp(a, "--bad") == 0) {
			C.bad = (uint32_t)num_arg(a, val, 1000000);
		} else {
			for (o = 0; o < NOPT; o++)
				if (strcmp(a, optnames[o]) == 0)
					break;
			if (o == NOPT)
				usage_err("unknown option", a);
			optval[o] = num_arg(a, val, optmax[o]);
			optset[o] = 1;
			if (o <= O_CPS)
				geo_set = 1;
		}
	}
	if (!type_set)
		usage_err("no type given (-t)", NULL);

	/* the preset */
	if (city) {
		C.districts = 10;
		C.streets = 15;
		C.cps = 40;
		C.count[T_DEMAND] = 2000000;
		C.count[T_RESOURCE] = 200000;
		C.count[T_PAIR] = 8000;
		C.count[T_MEMBER] = 500000;
		C.count[T_BRANCH] = 25000;
		C.count[T_ACTIVITY] = 10000000;
		ref_comm = 6000;
	} else {
		C.districts = 1;
		C.streets = 7;
		C.cps = 9;
		C.count[T_DEMAND] = 1500;
		C.count[T_RESOURCE] = 300;
		C.count[T_PAIR] = 80;
		C.count[T_MEMBER] = 2000;
		C.count[T_BRANCH] = 100;
		C.count[T_ACTIVITY] = 20000;
		ref_comm = 63;
	}
	if (optset[O_DISTRICTS])
		C.districts = (uint32_t)optval[O_DISTRICTS];
	if (optset[O_STREETS])
		C.streets = (uint32_t)optval[O_STREETS];
	if (optset[O_CPS])
		C.cps = (uint32_t)optval[O_CPS];
	if (C.districts == 0 || C.streets == 0 || C.cps == 0)
		usage_err("the world needs at least one district, street and community", NULL);
	C.seedmix = mix64(C.seed ^ 0x5179a7e1c0ffee11ULL);
	month_first = days_from_civil(C.year, C.month, 1);
	month_days = (C.month == 12 ? days_from_civil(C.year + 1, 1, 1) :
	    days_from_civil(C.year, C.month + 1, 1)) - month_first;
	for (i = 0; i < month_days; i++)
		put_date(day_str[i], month_first + i);

	arena_left = 0;
	init_vocab();
	build_geo();
	if (geo_set && !preset_set) {
		/* scale the counts not given to the world's size */
		static const int scaled[] = {
			T_DEMAND, T_RESOURCE, T_PAIR, T_MEMBER, T_BRANCH, T_ACTIVITY
		};
		for (i = 0; i < 6; i++) {
			uint64_t v = C.count[scaled[i]] * NCOMM / ref_comm;

			C.count[scaled[i]] = v > 0 ? v : 1;
		}
	}
	if (optset[O_DEMANDS]) C.count[T_DEMAND] = optval[O_DEMANDS];
	if (optset[O_RESOURCES]) C.count[T_RESOURCE] = optval[O_RESOURCES];
	if (optset[O_PAIRS]) C.count[T_PAIR] = optval[O_PAIRS];
	if (optset[O_MEMBERS]) C.count[T_MEMBER] = optval[O_MEMBERS];
	if (optset[O_BRANCHES]) C.count[T_BRANCH] = optval[O_BRANCHES];
	if (optset[O_ACTIVITIES]) C.count[T_ACTIVITY] = optval[O_ACTIVITIES];
	if (C.count[T_MEMBER] == 0 || C.count[T_BRANCH] == 0)
		usage_err("the world needs at least one member and one branch", NULL);

	rows = rows_set ? C.rows : C.count[C.type];

	/* what this type needs of the world */
	switch (C.type) {
	case T_DEMAND:
		build_resources();
		res_left = xmalloc((NRES ? NRES : 1) * sizeof *res_left);
		for (i = 0; i < (int)NRES; i++)
			res_left[i] = RC[i].cap;
		break;
	case T_PAIR:
		build_resources();
		build_pairs(rows);
		rows = npairs;
		break;
	case T_MEMBER:
		build_branches();
		break;
	case T_BRANCH:
		NBR = (uint32_t)C.count[T_BRANCH];
		break;
	case T_ACTIVITY:
		build_branches();
		build_members();
		break;
	default:
		break;
	}

	if (setvbuf(stdout, NULL, _IONBF, 0) != 0)
		die("cannot set up stdout");
	plan_bad(rows);
	R = xmalloc(sizeof *R);
	write_header();
	{
		uint32_t nextbad = 0;
		uint64_t r;

		for (r = 0; r < rows; r++) {
			row_reset(R);
			switch (C.type) {
			case T_DEMAND: gen_demand(r, R); break;
			case T_RESOURCE: gen_resource(r, R); break;
			case T_PAIR: gen_pair(r, R); break;
			case T_MEMBER: gen_member(r, R); break;
			case T_BRANCH: gen_branch(r, R); break;
			default: gen_activity(r, R); break;
			}
			if (nextbad < nbad && bad_pos[nextbad] == r) {
				int k = (int)(nextbad % (uint32_t)bad_nkinds[C.type]);
				const BadKind *bk = &bad_kinds[C.type][k];

				apply_bad(k, r, R);
				if (C.badlist)
					fprintf(stderr, "%s: line %llu: %s: %s\n", prog,
					    (unsigned long long)phys_line,
					    bk->col < 0 ? "-" : type_cols[C.type][bk->col].tsv,
					    bk->what);
				nextbad++;
			}
			write_row(R, r);
		}
	}
	free(R);
	if (C.format == F_OFFICE)
		write_blank_rows();
	ob_flush();
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		write_fail();
	return 0;
}
