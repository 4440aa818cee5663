/* kwindex.c — literal alternations of many patterns in one pass over a
 * text: an Aho–Corasick automaton over the bytes of every alternative.
 *
 * A class of plain characters ([压糖], no ranges, negation or escapes)
 * is the alternation of its characters, so 血[压糖] is indexed as the
 * words 血压 and 血糖 (at most 64 words per alternative).
 *
 * Why bytes are enough: an alternative is valid UTF-8 made of whole
 * characters, so in valid UTF-8 text it can only match at character
 * boundaries, exactly where PCRE2 in UTF mode would try it.  Caseless
 * matching is done by folding both sides to one byte string: ASCII letters
 * to lower case, and in the text the only two non-ASCII characters that
 * PCRE2 (UCP) folds onto ASCII letters, U+212A KELVIN SIGN → k and U+017F
 * LATIN SMALL LETTER LONG S → s.  Accepted literals contain no other
 * character with a case variant, so equal folded bytes ⇔ PCRE2 match.
 *
 * PCRE2's match, depth and heap limits (rx.c) cannot trip on such a
 * pattern: a literal alternation backtracks only over its alternatives at
 * one start position, and a pattern small enough to compile has far fewer
 * alternatives than the limit (test_kwindex.c checks the largest ones). */
#include "kwindex.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- which patterns qualify -------------------------------------------------- */

/* Decodes one UTF-8 character at p (n bytes left); returns its length, 0
 * when malformed. */
static size_t
utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || len > n || p[0] > 0xF4)
		return 0;
	uint32_t c = len == 1 ? p[0] : p[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Characters whose caseless variants under PCRE2 UCP are known here:
 * ASCII (its letters' variants, including U+212A and U+017F, are folded)
 * and CJK blocks without case; the full-width Latin letters have case. */
static int
caseless_known(uint32_t c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xFF21 && c <= 0xFF3A)
		return 0;
	if (c >= 0xFF41 && c <= 0xFF5A)
		return 0;
	return (c >= 0x3000 && c <= 0x303F) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFF01 && c <= 0xFF60);
}

/* A character written as itself both outside and inside a class. */
static int
plain_char(uint32_t c)
{
	return caseless_known(c) &&
	       (c == 0 || c >= 0x80 || strchr("\\.^$[](){}?*+|-", (int)c) == NULL);
}

/* Bounds on what a class may expand to: beyond, PCRE2 does it. */
enum { KW_MAX_WORDS = 64, KW_MAX_CLASSES = 8 };

/* The literal strings alternative p (n bytes, no '|') stands for: 1 per
 * plain character, a class [..] of k plain characters multiplies by k (no
 * ranges, negation or escapes).  0 when it is anything else. */
static size_t
alt_words(const unsigned char *p, size_t n)
{
	size_t words = 1, classes = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		if (p[i] != '[') {
			size_t len = utf8_char(p + i, n - i, &c);
			if (len == 0 || !plain_char(c))
				return 0;
			i += len;
			continue;
		}
		size_t k = 0, len;
		if (i + 1 < n && (p[i + 1] == ':' || p[i + 1] == '='))
			return 0; /* [:alpha:] and [=a=] are POSIX syntax to PCRE2 */
		for (i++; i < n && p[i] != ']'; i += len, k++)
			if ((len = utf8_char(p + i, n - i, &c)) == 0 || !plain_char(c))
				return 0;
		if (i == n || k == 0 || ++classes > KW_MAX_CLASSES)
			return 0;
		i++;
		words *= k;
		if (words > KW_MAX_WORDS)
			return 0;
	}
	return words;
}

int
qy_kw_literal(const char *pattern, size_t n)
{
	const unsigned char *p = (const unsigned char *)pattern;
	for (size_t i = 0, j; i <= n; i = j + 1) {
		for (j = i; j < n && p[j] != '|'; j++)
			;
		if (j > i && alt_words(p + i, j - i) == 0)
			return 0;
	}
	return 1;
}

static unsigned char
fold_ascii(unsigned char b)
{
	return b >= 'A' && b <= 'Z' ? (unsigned char)(b - 'A' + 'a') : b;
}

/* The folded byte of text at *i, advancing *i past what it stands for. */
static unsigned char
fold_text(const unsigned char *t, size_t n, size_t *i)
{
	size_t k = *i;
	if (t[k] == 0xE2 && k + 2 < n && t[k + 1] == 0x84 && t[k + 2] == 0xAA) {
		*i = k + 3; /* U+212A KELVIN SIGN */
		return 'k';
	}
	if (t[k] == 0xC5 && k + 1 < n && t[k + 1] == 0xBF) {
		*i = k + 2; /* U+017F LATIN SMALL LETTER LONG S */
		return 's';
	}
	*i = k + 1;
	return fold_ascii(t[k]);
}

/* ---- the automaton ----------------------------------------------------------- */

struct qy_kwindex {
	int32_t nnodes, npat;
	int32_t root_next[256];	      /* the root's transitions, dense (it is left often) */
	int32_t *edge_first, *edge_n; /* node → its edges, sorted by byte */
	unsigned char *edge_byte;     /* edge → byte */
	int32_t *edge_to;	      /* edge → node */
	int32_t *fail;		      /* node → longest proper suffix that is a node */
	int32_t *dict;		      /* node → nearest proper suffix where an alternative ends */
	uint8_t *ends;		      /* node → an alternative ends here */
	int32_t *pat_off, *pat_nodes; /* pattern → the nodes where its alternatives end */
	uint8_t *always;	      /* pattern → has an empty alternative: matches anything */
};

/* The trie while it is built: children as sibling lists. */
struct trie {
	int32_t *child, *sibling, n, cap;
	unsigned char *byte;
};

static int32_t
trie_new_node(struct trie *t, unsigned char b)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->child = qy_xrealloc(t->child, (size_t)t->cap * sizeof *t->child);
		t->sibling = qy_xrealloc(t->sibling, (size_t)t->cap * sizeof *t->sibling);
		t->byte = qy_xrealloc(t->byte, (size_t)t->cap);
	}
	t->child[t->n] = t->sibling[t->n] = -1;
	t->byte[t->n] = b;
	return t->n++;
}

static int32_t
trie_child(const struct trie *t, int32_t node, unsigned char b)
{
	for (int32_t c = t->child[node]; c >= 0; c = t->sibling[c])
		if (t->byte[c] == b)
			return c;
	return -1;
}

static int32_t
trie_add(struct trie *t, const unsigned char *s, size_t n)
{
	int32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = fold_ascii(s[i]);
		int32_t c = trie_child(t, node, b);
		if (c < 0) {
			c = trie_new_node(t, b);
			t->sibling[c] = t->child[node];
			t->child[node] = c;
		}
		node = c;
	}
	return node;
}

/* Adds every word alternative p (n bytes, accepted by alt_words) stands
 * for, after what *word holds; their end nodes go to *nodes. */
static void
expand(struct trie *t, const unsigned char *p, size_t n, struct qy_buf *word, struct qy_buf *nodes)
{
	size_t i = 0, keep = word->len;
	for (; i < n && p[i] != '['; i++)
		qy_buf_addc(word, (char)p[i]);
	if (i == n) {
		int32_t end = trie_add(t, (const unsigned char *)word->data, word->len);
		qy_buf_add(nodes, &end, sizeof end);
	} else {
		size_t close = i + 1, len;
		while (p[close] != ']')
			close++;
		uint32_t c;
		for (size_t k = i + 1; k < close; k += len) {
			len = utf8_char(p + k, close - k, &c);
			size_t here = word->len;
			qy_buf_add(word, p + k, len);
			expand(t, p + close + 1, n - close - 1, word, nodes);
			word->len = here;
		}
	}
	word->len = keep;
}

/* Inserts every alternative of the accepted patterns; pattern → end
 * nodes as CSR. */
static void
add_patterns(struct qy_kwindex *ix, struct trie *t, const char *const *patterns, const size_t *lens,
	     int32_t npat)
{
	struct qy_buf nodes = {0};
	ix->pat_off = qy_xcalloc((size_t)npat + 1, sizeof *ix->pat_off);
	ix->always = qy_xcalloc((size_t)npat + 1, 1);
	for (int32_t id = 0; id < npat; id++) {
		ix->pat_off[id] = (int32_t)(nodes.len / sizeof(int32_t));
		if (!qy_kw_literal(patterns[id], lens[id]))
			continue;
		const unsigned char *p = (const unsigned char *)patterns[id];
		for (size_t i = 0, j; i <= lens[id]; i = j + 1) {
			for (j = i; j < lens[id] && p[j] != '|'; j++)
				;
			if (j == i) {
				ix->always[id] = 1;
				continue;
			}
			struct qy_buf word = {0};
			expand(t, p + i, j - i, &word, &nodes);
			qy_buf_free(&word);
		}
	}
	size_t n = nodes.len / sizeof(int32_t);
	ix->pat_off[npat] = (int32_t)n;
	ix->pat_nodes = qy_xmalloc((n + 1) * sizeof *ix->pat_nodes);
	if (n > 0)
		memcpy(ix->pat_nodes, nodes.data, nodes.len);
	qy_buf_free(&nodes);
}

/* Sorts u's children into the edge arrays from *nedges on. */
static void
put_edges(struct qy_kwindex *ix, const struct trie *t, int32_t u, int32_t *nedges)
{
	int32_t first = *nedges;
	for (int32_t c = t->child[u]; c >= 0; c = t->sibling[c]) {
		int32_t k = (*nedges)++; /* insertion sort by byte */
		for (; k > first && ix->edge_byte[k - 1] > t->byte[c]; k--) {
			ix->edge_byte[k] = ix->edge_byte[k - 1];
			ix->edge_to[k] = ix->edge_to[k - 1];
		}
		ix->edge_byte[k] = t->byte[c];
		ix->edge_to[k] = c;
	}
	ix->edge_first[u] = first;
	ix->edge_n[u] = *nedges - first;
}

/* Fail and dict links in breadth-first order, so a node's suffixes
 * (shorter, hence earlier) are done first. */
static void
link_nodes(struct qy_kwindex *ix, const struct trie *t)
{
	int32_t nn = ix->nnodes;
	int32_t *order = qy_xmalloc((size_t)nn * sizeof *order);
	ix->edge_first = qy_xmalloc((size_t)nn * sizeof *ix->edge_first);
	ix->edge_n = qy_xmalloc((size_t)nn * sizeof *ix->edge_n);
	ix->edge_byte = qy_xmalloc((size_t)nn);
	ix->edge_to = qy_xmalloc((size_t)nn * sizeof *ix->edge_to);
	ix->fail = qy_xmalloc((size_t)nn * sizeof *ix->fail);
	ix->dict = qy_xmalloc((size_t)nn * sizeof *ix->dict);
	int32_t head = 0, tail = 0, nedges = 0;
	order[tail++] = 0;
	ix->fail[0] = 0;
	ix->dict[0] = -1;
	for (int b = 0; b < 256; b++)
		ix->root_next[b] = 0;
	while (head < tail) {
		int32_t u = order[head++];
		put_edges(ix, t, u, &nedges);
		for (int32_t k = ix->edge_first[u]; k < nedges; k++) {
			int32_t c = ix->edge_to[k];
			unsigned char b = ix->edge_byte[k];
			int32_t f = u == 0 ? 0 : ix->fail[u];
			while (u != 0 && f != 0 && trie_child(t, f, b) < 0)
				f = ix->fail[f];
			int32_t via = u == 0 ? -1 : trie_child(t, f, b);
			int32_t s = ix->fail[c] = via >= 0 ? via : 0;
			ix->dict[c] = ix->ends[s] ? s : ix->dict[s];
			if (u == 0)
				ix->root_next[b] = c;
			order[tail++] = c;
		}
	}
	free(order);
}

struct qy_kwindex *
qy_kwindex_build(const char *const *patterns, const size_t *lens, int32_t npat)
{
	struct qy_kwindex *ix = qy_xcalloc(1, sizeof *ix);
	struct trie t = {0};
	trie_new_node(&t, 0);
	add_patterns(ix, &t, patterns, lens, npat);
	ix->npat = npat;
	ix->nnodes = t.n;
	ix->ends = qy_xcalloc((size_t)t.n, 1);
	for (int32_t k = 0; k < ix->pat_off[npat]; k++)
		ix->ends[ix->pat_nodes[k]] = 1;
	link_nodes(ix, &t);
	free(t.child);
	free(t.sibling);
	free(t.byte);
	return ix;
}

void
qy_kwindex_free(struct qy_kwindex *ix)
{
	if (ix == NULL)
		return;
	free(ix->edge_first);
	free(ix->edge_n);
	free(ix->edge_byte);
	free(ix->edge_to);
	free(ix->fail);
	free(ix->dict);
	free(ix->ends);
	free(ix->pat_off);
	free(ix->pat_nodes);
	free(ix->always);
	free(ix);
}

/* ---- scanning ------------------------------------------------------------------ */

struct qy_kwscan {
	const struct qy_kwindex *ix;
	int32_t seq;	 /* texts scanned, ≥ 1 after the first */
	int32_t *found;	 /* node → seq of the last text it ended an occurrence in */
	int32_t *asked;	 /* pattern → seq of the last text it was asked about */
	uint8_t *answer; /* pattern → the answer then */
};

struct qy_kwscan *
qy_kwscan_new(const struct qy_kwindex *ix)
{
	struct qy_kwscan *s = qy_xcalloc(1, sizeof *s);
	s->ix = ix;
	s->found = qy_xcalloc((size_t)ix->nnodes, sizeof *s->found);
	s->asked = qy_xcalloc((size_t)ix->npat + 1, sizeof *s->asked);
	s->answer = qy_xcalloc((size_t)ix->npat + 1, 1);
	return s;
}

void
qy_kwscan_free(struct qy_kwscan *s)
{
	if (s == NULL)
		return;
	free(s->found);
	free(s->asked);
	free(s->answer);
	free(s);
}

static int32_t
step(const struct qy_kwindex *ix, int32_t s, unsigned char b)
{
	while (s != 0) {
		int32_t lo = ix->edge_first[s], end = lo + ix->edge_n[s], hi = end;
		while (lo < hi) {
			int32_t mid = (lo + hi) / 2;
			if (ix->edge_byte[mid] < b)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < end && ix->edge_byte[lo] == b)
			return ix->edge_to[lo];
		s = ix->fail[s];
	}
	return ix->root_next[b];
}

void
qy_kwscan_text(struct qy_kwscan *s, const char *text, size_t n)
{
	const struct qy_kwindex *ix = s->ix;
	const unsigned char *t = (const unsigned char *)text;
	s->seq++;
	int32_t state = 0;
	for (size_t i = 0; i < n;) {
		state = step(ix, state, fold_text(t, n, &i));
		/* every alternative ending here is a suffix on the dict chain; a
		 * node already found this text has had its chain marked too */
		int32_t v = ix->ends[state] ? state : ix->dict[state];
		for (; v >= 0 && s->found[v] != s->seq; v = ix->dict[v])
			s->found[v] = s->seq;
	}
}

int
qy_kwscan_matches(struct qy_kwscan *s, int32_t id)
{
	if (s->asked[id] == s->seq)
		return s->answer[id];
	const struct qy_kwindex *ix = s->ix;
	int yes = ix->always[id];
	for (int32_t k = ix->pat_off[id]; k < ix->pat_off[id + 1] && !yes; k++)
		yes = s->found[ix->pat_nodes[k]] == s->seq;
	s->asked[id] = s->seq;
	s->answer[id] = (uint8_t)yes;
	return yes;
}
