/* match_kw.c — which resources' keywords match which demands (SPEC 4).
 *
 * A city has ~60,000 resources with keyword patterns and ~1,000,000 open
 * demands: one pattern run per eligible pair would be ~10^9 runs.  But
 * resources repeat patterns (a district's legal-aid units all say
 * 法律|律师|…) and demands repeat contents, so the work is organised around
 * what is distinct:
 *
 *  - a keyword key (kk) is an open demand's (locality, category, content):
 *    all demands sharing one see the same resources and the same text;
 *  - resources are grouped by scope and category (struct m_group); within a
 *    group, resources with the same pattern match the same kks;
 *  - each distinct pattern is run once per distinct content it can reach
 *    (a per-thread cache stamped with the pattern), over the kks of the
 *    localities its groups cover and of the categories they serve.
 *
 * The work is thus distinct patterns × the kks their groups reach, with
 * one regex run per distinct (pattern, content): fine for a city whose
 * units pick their keywords from common vocabularies (the generator's 31
 * patterns: ~1.5 s), but minutes for a city where every resource wrote a
 * pattern of its own (62,597 distinct).  Real offices write plain literal
 * alternations (助餐|送餐|老年食堂), so those (qy_kw_literal: exactly
 * PCRE2's answer, see kwindex.c) skip that loop: one Aho–Corasick pass
 * per distinct content marks every literal of every pattern it contains,
 * then each kk of that content asks the marks for the literal patterns of
 * the groups covering it (a table lookup per (group, pattern), cached per
 * content, where PCRE2 took a run).  Every other pattern takes the PCRE2
 * path.  On that city all 62,597 patterns qualify (血[压糖] counts: a class
 * of plain characters is two words): keywords 4 min → ~15 s, ~6 s of it
 * the index pass, most of the rest sorting the hits into signatures.
 *
 * The result per kk is its signature: the sorted (group, pattern) pairs
 * whose pattern matched, interned so that demands with equal signatures
 * aggregate.  Distinct patterns run in parallel; every result lands in the
 * pattern's own slot and is merged in pattern order, so the threads' timing
 * never shows. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kwindex.h"
#include "match_int.h"

/* ---- per pattern, in parallel ------------------------------------------------ */

struct kw_scratch {
	int32_t *stamp;	     /* content → pattern + 1 last run on it */
	signed char *result; /* content → enum qy_rx_result */
	struct qy_rx_scratch *rx;
	int busy;
};

struct kw_out {
	struct m_ints match; /* (kk, group) pairs */
	struct m_ints limit; /* (kk, group) pairs */
};

struct kw_job {
	struct qy_match *m;
	int32_t *kk_off, *kk_by_loc; /* loc → its kks */
	int32_t *pat_group_off, *pat_groups;
	struct kw_scratch *scratch;
	int nscratch;
	pthread_mutex_t lock;
	struct kw_out *out;	/* per pattern */
	const uint8_t *literal; /* per pattern: matched by the index, not here */
	struct kw_lit *lit;
};

struct kw_task {
	struct kw_job *job;
	struct kw_scratch *s;
	int32_t pattern, group;
	struct kw_out *out;
};

static void
kw_loc(void *arg, int32_t loc)
{
	struct kw_task *t = arg;
	const struct qy_match *m = t->job->m;
	const struct m_group *g = &m->groups[t->group];
	for (int32_t i = t->job->kk_off[loc]; i < t->job->kk_off[loc + 1]; i++) {
		int32_t kk = t->job->kk_by_loc[i];
		const int32_t *key = m->kks.key + 3 * kk;
		if (g->category != M_CAT_ANY && key[1] != g->category)
			continue;
		int32_t content = key[2];
		if (t->s->stamp[content] != t->pattern + 1) {
			t->s->stamp[content] = t->pattern + 1;
			const char *text = m_pool_str(&m->text, content);
			t->s->result[content] = (signed char)qy_rx_match(
			    m->rx[t->pattern], t->s->rx, text, m->text.len[content]);
		}
		int rc = t->s->result[content];
		if (rc == QY_RX_NOMATCH)
			continue;
		struct m_ints *to = rc == QY_RX_MATCH ? &t->out->match : &t->out->limit;
		m_ints_push(to, kk);
		m_ints_push(to, t->group);
	}
}

static void
kw_pattern(void *arg, int32_t p)
{
	struct kw_job *job = arg;
	if (job->literal[p])
		return;
	struct kw_scratch *s = NULL;
	pthread_mutex_lock(&job->lock);
	for (int i = 0; i < job->nscratch && s == NULL; i++)
		if (!job->scratch[i].busy)
			s = &job->scratch[i];
	s->busy = 1;
	pthread_mutex_unlock(&job->lock);
	struct kw_task t = {.job = job, .s = s, .pattern = p, .out = &job->out[p]};
	for (int32_t i = job->pat_group_off[p]; i < job->pat_group_off[p + 1]; i++) {
		t.group = job->pat_groups[i];
		m_for_covered_locs(job->m, &job->m->groups[t.group], kw_loc, &t);
	}
	pthread_mutex_lock(&job->lock);
	s->busy = 0;
	pthread_mutex_unlock(&job->lock);
}

/* ---- literal patterns, by one index scan per content --------------------------- */

enum { LIT_CHUNK = 512 }; /* distinct contents per parallel task */

struct kw_lit {
	struct qy_kwindex *ix;
	struct qy_kwscan **scan; /* per thread, taken under job->lock */
	uint8_t *scan_busy;
	int32_t *loc_off, *loc_groups;	    /* loc → groups with literal patterns covering it */
	int32_t *glit_off, *glit;	    /* group → its literal patterns */
	int32_t *contents, ncontents;	    /* distinct contents of kks, by text id */
	int32_t *content_off, *content_kks; /* text id → its kks */
	struct m_ints *hits;		    /* per chunk: (kk, group, pattern) */
	int32_t nchunks;
};

static struct qy_kwscan *
take_scanner(struct kw_job *job)
{
	struct qy_kwscan *sc = NULL;
	pthread_mutex_lock(&job->lock);
	for (int i = 0; i < job->nscratch && sc == NULL; i++)
		if (!job->lit->scan_busy[i]) {
			job->lit->scan_busy[i] = 1;
			sc = job->lit->scan[i];
		}
	pthread_mutex_unlock(&job->lock);
	return sc;
}

static void
give_scanner(struct kw_job *job, struct qy_kwscan *sc)
{
	pthread_mutex_lock(&job->lock);
	for (int i = 0; i < job->nscratch; i++)
		if (job->lit->scan[i] == sc)
			job->lit->scan_busy[i] = 0;
	pthread_mutex_unlock(&job->lock);
}

/* The kks of one content: every literal pattern of every group covering
 * the kk's locality (as m_for_covered_locs covers it) and serving its
 * category, asked of the one scan of the content. */
static void
lit_content(struct kw_job *job, struct qy_kwscan *sc, int32_t c, struct m_ints *hits)
{
	const struct qy_match *m = job->m;
	const struct kw_lit *l = job->lit;
	qy_kwscan_text(sc, m_pool_str(&m->text, c), m->text.len[c]);
	for (int32_t i = l->content_off[c]; i < l->content_off[c + 1]; i++) {
		int32_t kk = l->content_kks[i];
		const int32_t *key = m->kks.key + 3 * kk;
		for (int32_t k = l->loc_off[key[0]]; k < l->loc_off[key[0] + 1]; k++) {
			int32_t g = l->loc_groups[k];
			if (m->groups[g].category != M_CAT_ANY && m->groups[g].category != key[1])
				continue;
			for (int32_t j = l->glit_off[g]; j < l->glit_off[g + 1]; j++) {
				if (!qy_kwscan_matches(sc, l->glit[j]))
					continue;
				m_ints_push(hits, kk);
				m_ints_push(hits, g);
				m_ints_push(hits, l->glit[j]);
			}
		}
	}
}

static void
lit_chunk(void *arg, int32_t chunk)
{
	struct kw_job *job = arg;
	struct kw_lit *l = job->lit;
	struct qy_kwscan *sc = take_scanner(job);
	int32_t end = (chunk + 1) * LIT_CHUNK;
	if (end > l->ncontents)
		end = l->ncontents;
	for (int32_t i = chunk * LIT_CHUNK; i < end; i++)
		lit_content(job, sc, l->contents[i], &l->hits[chunk]);
	give_scanner(job, sc);
}

/* Marks the literal patterns some group holds and indexes them. */
static int32_t
lit_index(struct qy_match *m, struct kw_job *job, uint8_t *literal, struct kw_lit *l)
{
	int32_t npat = m->pattern_text.n, nlit = 0;
	const char **text = qy_xmalloc(((size_t)npat + 1) * sizeof *text);
	size_t *len = qy_xmalloc(((size_t)npat + 1) * sizeof *len);
	for (int32_t p = 0; p < npat; p++) {
		text[p] = m_pool_str(&m->pattern_text, p);
		len[p] = m->pattern_text.len[p];
		/* a pattern that does not compile has no rx and no bonus */
		literal[p] = m->rx[p] != NULL &&
			     job->pat_group_off[p + 1] > job->pat_group_off[p] &&
			     qy_kw_literal(text[p], len[p]);
		nlit += literal[p];
	}
	l->ix = qy_kwindex_build(text, len, npat);
	free(text);
	free(len);
	return nlit;
}

struct loc_group_acc {
	struct m_ints *locs, *groups;
	int32_t g;
};

static void
acc_loc(void *arg, int32_t loc)
{
	struct loc_group_acc *a = arg;
	m_ints_push(a->locs, loc);
	m_ints_push(a->groups, a->g);
}

/* group → literal patterns, and loc → the groups having any that cover it. */
static void
lit_groups(struct qy_match *m, const uint8_t *literal, struct kw_lit *l)
{
	struct m_ints lit = {0}, locs = {0}, groups = {0};
	l->glit_off = qy_xmalloc(((size_t)m->ngroups + 1) * sizeof *l->glit_off);
	for (int32_t g = 0; g < m->ngroups; g++) {
		l->glit_off[g] = (int32_t)lit.n;
		const struct m_ints *pats = &m->groups[g].patterns;
		for (size_t i = 0; i < pats->n; i++)
			if (literal[pats->v[i]])
				m_ints_push(&lit, pats->v[i]);
		struct loc_group_acc a = {&locs, &groups, g};
		if ((int32_t)lit.n > l->glit_off[g])
			m_for_covered_locs(m, &m->groups[g], acc_loc, &a);
	}
	l->glit_off[m->ngroups] = (int32_t)lit.n;
	l->glit = lit.v ? lit.v : qy_xmalloc(sizeof *l->glit);
	int32_t *items;
	m_csr_build(m->locs.n, (int32_t)locs.n, locs.v, &l->loc_off, &items);
	l->loc_groups = qy_xmalloc((groups.n + 1) * sizeof *l->loc_groups);
	for (size_t i = 0; i < groups.n; i++)
		l->loc_groups[i] = groups.v[items[i]];
	free(items);
	m_ints_free(&locs);
	m_ints_free(&groups);
}

/* text id → its kks, and the distinct contents in text id order. */
static void
lit_contents(struct qy_match *m, struct kw_lit *l)
{
	int32_t *content = qy_xmalloc(((size_t)m->kks.n + 1) * sizeof *content);
	for (int32_t kk = 0; kk < m->kks.n; kk++)
		content[kk] = m->kks.key[3 * kk + 2];
	m_csr_build(m->text.n, m->kks.n, content, &l->content_off, &l->content_kks);
	free(content);
	l->contents = qy_xmalloc(((size_t)m->text.n + 1) * sizeof *l->contents);
	for (int32_t c = 0; c < m->text.n; c++)
		if (l->content_off[c + 1] > l->content_off[c])
			l->contents[l->ncontents++] = c;
}

/* The literal path: (kk, group, pattern) hits of every literal pattern. */
static void
lit_run(struct qy_match *m, struct kw_job *job, uint8_t *literal, struct kw_lit *l)
{
	int32_t nlit = lit_index(m, job, literal, l);
	lit_groups(m, literal, l);
	lit_contents(m, l);
	l->scan = qy_xmalloc((size_t)job->nscratch * sizeof *l->scan);
	l->scan_busy = qy_xcalloc((size_t)job->nscratch, 1);
	for (int i = 0; i < job->nscratch; i++)
		l->scan[i] = qy_kwscan_new(l->ix);
	l->nchunks = (l->ncontents + LIT_CHUNK - 1) / LIT_CHUNK;
	l->hits = qy_xcalloc((size_t)l->nchunks + 1, sizeof *l->hits);
	m_parallel(m->nthreads, l->nchunks, lit_chunk, job);
	m_trace(m, "keywords: %d literal patterns, by the index over %d contents", (int)nlit,
		(int)l->ncontents);
}

static void
lit_free(struct kw_lit *l, int nscan)
{
	for (int32_t c = 0; c < l->nchunks; c++)
		m_ints_free(&l->hits[c]);
	free(l->hits);
	for (int i = 0; i < nscan; i++)
		qy_kwscan_free(l->scan[i]);
	free(l->scan);
	free(l->scan_busy);
	qy_kwindex_free(l->ix);
	free(l->loc_off);
	free(l->loc_groups);
	free(l->glit_off);
	free(l->glit);
	free(l->contents);
	free(l->content_off);
	free(l->content_kks);
}

/* ---- merging into signatures ----------------------------------------------------- */

struct kw_hit {
	int32_t kk, group, pattern;
};

static int
hit_cmp(const void *a, const void *b)
{
	const struct kw_hit *x = a, *y = b;
	if (x->kk != y->kk)
		return x->kk < y->kk ? -1 : 1;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return (x->pattern > y->pattern) - (x->pattern < y->pattern);
}

/* Every hit of both paths once: counted per kk when h is NULL, else put
 * at at[kk]++. */
static void
visit_hits(const struct kw_job *job, int32_t npat, int limits, size_t *at, struct kw_hit *h)
{
	const struct kw_lit *l = job->lit;
	for (int32_t p = 0; p < npat; p++) {
		const struct m_ints *a = limits ? &job->out[p].limit : &job->out[p].match;
		for (size_t i = 0; i < a->n; i += 2)
			if (h == NULL)
				at[a->v[i] + 1]++;
			else
				h[at[a->v[i]]++] = (struct kw_hit){a->v[i], a->v[i + 1], p};
	}
	for (int32_t c = 0; c < l->nchunks && !limits; c++) { /* a literal never hits a limit */
		const int32_t *v = l->hits[c].v;
		for (size_t i = 0; i < l->hits[c].n; i += 3)
			if (h == NULL)
				at[v[i] + 1]++;
			else
				h[at[v[i]]++] = (struct kw_hit){v[i], v[i + 1], v[i + 2]};
	}
}

/* The hits sorted by (kk, group, pattern): by kk in linear time (a city
 * has tens of millions), then each kk's few by group and pattern. */
static struct kw_hit *
collect_hits(const struct kw_job *job, int32_t npat, int limits, size_t *n)
{
	int32_t nkk = job->m->kks.n;
	size_t *at = qy_xcalloc((size_t)nkk + 1, sizeof *at);
	visit_hits(job, npat, limits, at, NULL);
	for (int32_t kk = 0; kk < nkk; kk++)
		at[kk + 1] += at[kk];
	size_t total = at[nkk];
	struct kw_hit *h = qy_xmalloc((total + 1) * sizeof *h);
	visit_hits(job, npat, limits, at, h); /* now at[kk] is where kk + 1 starts */
	for (int32_t kk = 0; kk < nkk; kk++) {
		size_t from = kk == 0 ? 0 : at[kk - 1];
		if (at[kk] - from > 1)
			qsort(h + from, at[kk] - from, sizeof *h, hit_cmp);
	}
	free(at);
	*n = total;
	return h;
}

static void
build_signatures(struct qy_match *m, const struct kw_job *job)
{
	size_t nh;
	struct kw_hit *h = collect_hits(job, m->pattern_text.n, 0, &nh);
	m->kk_sig = qy_xmalloc(((size_t)m->kks.n + 1) * sizeof *m->kk_sig);
	int32_t empty = m_pool_intern(&m->sigs, "", 0);
	for (int32_t kk = 0; kk < m->kks.n; kk++)
		m->kk_sig[kk] = empty;
	struct m_ints bytes = {0};
	for (size_t i = 0; i < nh;) {
		size_t j = i;
		bytes.n = 0;
		for (; j < nh && h[j].kk == h[i].kk; j++) {
			m_ints_push(&bytes, h[j].group);
			m_ints_push(&bytes, h[j].pattern);
		}
		m->kk_sig[h[i].kk] =
		    m_pool_intern(&m->sigs, (const char *)bytes.v, bytes.n * sizeof *bytes.v);
		i = j;
	}
	m_ints_free(&bytes);
	free(h);
	size_t nl;
	struct kw_hit *l = collect_hits(job, m->pattern_text.n, 1, &nl);
	m->limits = qy_xmalloc((nl + 1) * sizeof *m->limits);
	for (size_t i = 0; i < nl; i++)
		m->limits[i] = (struct m_limit){l[i].kk, l[i].group, l[i].pattern};
	m->nlimits = nl;
	free(l);
}

/* A match-limit hit is a data problem only where it mattered: on a pair
 * that is eligible and open.  Reported once per resource, naming the first
 * such demand in input order. */
static void
report_limits(struct qy_match *m)
{
	if (m->nlimits == 0)
		return;
	int32_t *first = qy_xmalloc(((size_t)m->nres + 1) * sizeof *first);
	int64_t *count = qy_xcalloc((size_t)m->nres + 1, sizeof *count);
	for (int32_t r = 0; r < m->nres; r++)
		first[r] = -1;
	for (int32_t d = 0; d < m->ndem; d++) {
		const struct m_demand *dm = &m->dem[d];
		if (dm->kk < 0)
			continue;
		struct m_limit key = {dm->kk, -1, -1};
		size_t lo = 0, hi = m->nlimits;
		while (lo < hi) { /* the first limit of this kk */
			size_t mid = (lo + hi) / 2;
			if (m->limits[mid].kk < key.kk)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < m->nlimits && m->limits[i].kk == dm->kk; i++) {
			const struct m_group *g = &m->groups[m->limits[i].group];
			for (size_t k = 0; k < g->res.n; k++) {
				const struct m_resource *r = &m->res[g->res.v[k]];
				if (r->pattern != m->limits[i].pattern || !m_time_ok(m, r, dm))
					continue;
				if (first[g->res.v[k]] < 0)
					first[g->res.v[k]] = d;
				count[g->res.v[k]]++;
			}
		}
	}
	for (int32_t r = 0; r < m->nres; r++) {
		if (first[r] < 0)
			continue;
		const struct m_resource *res = &m->res[r];
		const char *did = m_pool_str(&m->demand_ids, m->dem[first[r]].id);
		if (count[r] == 1)
			qy_problem(
			    m->d, m->resource_file, res->line,
			    "keywords: '%s' hit the PCRE2 match limit on demand %s; no keyword "
			    "bonus there",
			    m_pool_str(&m->pattern_text, res->pattern), did);
		else
			qy_problem(m->d, m->resource_file, res->line,
				   "keywords: '%s' hit the PCRE2 match limit on demand %s and %lld "
				   "more; no keyword bonus there",
				   m_pool_str(&m->pattern_text, res->pattern), did,
				   (long long)count[r] - 1);
	}
	free(first);
	free(count);
}

void
m_keywords(struct qy_match *m)
{
	for (int32_t d = 0; d < m->ndem; d++) {
		struct m_demand *dm = &m->dem[d];
		if (dm->status != QY_ST_OPEN)
			continue;
		int32_t key[3] = {dm->loc, dm->category, dm->content};
		dm->kk = m_keys_intern(&m->kks, key);
	}
	struct kw_job job = {.m = m};
	int32_t npat = m->pattern_text.n;
	int32_t *key = qy_xmalloc(((size_t)m->kks.n + 1) * sizeof *key);
	for (int32_t kk = 0; kk < m->kks.n; kk++)
		key[kk] = m->kks.key[3 * kk];
	m_csr_build(m->locs.n, m->kks.n, key, &job.kk_off, &job.kk_by_loc);
	free(key);

	/* pattern → the groups holding it */
	struct m_ints pg = {0}, pgp = {0};
	for (int32_t g = 0; g < m->ngroups; g++)
		for (size_t i = 0; i < m->groups[g].patterns.n; i++) {
			m_ints_push(&pg, g);
			m_ints_push(&pgp, m->groups[g].patterns.v[i]);
		}
	int32_t *items;
	m_csr_build(npat, (int32_t)pgp.n, pgp.v, &job.pat_group_off, &items);
	job.pat_groups = qy_xmalloc((pg.n + 1) * sizeof *job.pat_groups);
	for (size_t i = 0; i < pg.n; i++)
		job.pat_groups[i] = pg.v[items[i]];
	free(items);
	m_ints_free(&pg);
	m_ints_free(&pgp);

	uint8_t *literal = qy_xcalloc((size_t)npat + 1, 1);
	struct kw_lit lit = {0};
	job.literal = literal;
	job.lit = &lit;
	job.out = qy_xcalloc((size_t)npat + 1, sizeof *job.out);
	job.nscratch = m->nthreads;
	job.scratch = qy_xcalloc((size_t)job.nscratch, sizeof *job.scratch);
	for (int i = 0; i < job.nscratch; i++) {
		job.scratch[i].stamp = qy_xcalloc((size_t)m->text.n + 1, sizeof(int32_t));
		job.scratch[i].result = qy_xcalloc((size_t)m->text.n + 1, 1);
		job.scratch[i].rx = qy_rx_scratch_new();
	}
	pthread_mutex_init(&job.lock, NULL);
	lit_run(m, &job, literal, &lit);
	m_parallel(m->nthreads, npat, kw_pattern, &job);
	pthread_mutex_destroy(&job.lock);

	build_signatures(m, &job);
	report_limits(m);
	lit_free(&lit, job.nscratch);
	free(literal);

	for (int i = 0; i < job.nscratch; i++) {
		free(job.scratch[i].stamp);
		free(job.scratch[i].result);
		qy_rx_scratch_free(job.scratch[i].rx);
	}
	free(job.scratch);
	for (int32_t p = 0; p < npat; p++) {
		m_ints_free(&job.out[p].match);
		m_ints_free(&job.out[p].limit);
	}
	free(job.out);
	free(job.pat_group_off);
	free(job.pat_groups);
	free(job.kk_off);
	free(job.kk_by_loc);
}
