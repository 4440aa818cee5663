/* ingest.c — qy-ingest's engine: headers, row checks, output, rejects. */
#include "ingest.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "enc.h"
#include "msg.h"
#include "out.h"
#include "tsv.h"
#include "value.h"
#include "word.h"

enum {
	BATCH_RECS = 4096,     /* records per batch */
	BATCH_BYTES = 1 << 20, /* or field bytes per batch */
	REJ_FLUSH = 1 << 16,   /* the rejects body is written in pieces this big */
	QUEUE = 8,	       /* batches in flight: read, being checked, waiting to commit */
	PREFETCH = 16,	       /* id table slots loaded ahead at a commit */
};

/* ---- the set of accepted ids ---------------------------------------------
 *
 * Ids are compared after normalisation; a duplicate names the file and line of
 * the accepted row that had the id first.  Stored compactly: each id once in
 * an arena as varint(input) varint(line) varint(length) bytes, and an open
 * addressing table of 8-byte slots, (arena offset + 1) << TAG_BITS | a tag of
 * the hash, so most probes never touch the arena. */

enum { TAG_BITS = 20 };

struct idset {
	uint64_t *slot;
	size_t mask; /* slots - 1 */
	size_t count;
	struct qy_buf arena;
};

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * UINT64_C(0x94D049BB133111EB);
	h ^= h >> 29;
	h *= UINT64_C(0xBF58476D1CE4E5B9);
	return h ^ (h >> 32);
}

/* Writes v as a varint at tmp (room for 10 bytes); returns its length. */
static size_t
put_varint(char *tmp, uint64_t v)
{
	size_t n = 0;
	do {
		tmp[n++] = (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	return n;
}

static uint64_t
get_varint(const unsigned char **p)
{
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned c = *(*p)++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
}

/* The id stored at arena offset off, and where it came from. */
static struct qy_str
idset_entry(const struct idset *s, size_t off, size_t *input, unsigned long *line)
{
	const unsigned char *p = (const unsigned char *)s->arena.data + off;
	*input = (size_t)get_varint(&p);
	*line = (unsigned long)get_varint(&p);
	size_t len = (size_t)get_varint(&p);
	struct qy_str id = {(const char *)p, len};
	return id;
}

/* Makes the table n slots (a power of two) and puts every id in again.  The
 * arena is walked in order; the scattered table writes are prefetched a
 * group at a time. */
static void
idset_resize(struct idset *s, size_t n)
{
	enum { GROUP = 16 };
	uint64_t *slot = qy_xcalloc_table(n, sizeof *slot);
	size_t offs[GROUP];
	uint64_t hs[GROUP];
	for (size_t off = 0; off < s->arena.len;) {
		size_t k = 0;
		for (; k < GROUP && off < s->arena.len; k++) {
			size_t input;
			unsigned long line;
			struct qy_str id = idset_entry(s, off, &input, &line);
			offs[k] = off;
			hs[k] = hash_bytes(id.p, id.len);
			__builtin_prefetch(&slot[(size_t)hs[k] & (n - 1)], 1);
			off = (size_t)(id.p + id.len - s->arena.data);
		}
		for (size_t i = 0; i < k; i++) {
			size_t j = (size_t)hs[i] & (n - 1);
			while (slot[j] != 0)
				j = (j + 1) & (n - 1);
			slot[j] =
			    ((uint64_t)(offs[i] + 1) << TAG_BITS) | (hs[i] >> (64 - TAG_BITS));
		}
	}
	free(s->slot);
	s->slot = slot;
	s->mask = n - 1;
}

static void
idset_grow(struct idset *s)
{
	idset_resize(s, s->slot ? (s->mask + 1) * 2 : 1 << 16);
}

/* Sizes the table for about n ids at once, so that it need not grow (and
 * rehash) on the way: called with an estimate before the first id. */
static void
idset_reserve(struct idset *s, size_t n)
{
	size_t slots = 1 << 16;
	while (slots / 4 * 3 < n && slots < ((size_t)1 << 40))
		slots *= 2;
	if (s->slot == NULL || slots > s->mask + 1)
		idset_resize(s, slots);
}

/* Starts loading the table slot of an id with hash h: the probe comes
 * after the rest of the row is checked, by when it is in the cache. */
static inline void
idset_prefetch(const struct idset *s, uint64_t h)
{
	if (s->slot != NULL)
		__builtin_prefetch(&s->slot[(size_t)h & s->mask]);
}

/* Adds id (hash h) from input:line unless it is there already.  Returns 0
 * when added, else 1 with where the first one came from. */
static int
idset_add(struct idset *s, struct qy_str id, uint64_t h, size_t input, unsigned long line,
	  size_t *first_input, unsigned long *first_line)
{
	if (s->slot == NULL || (s->count + 1) * 4 > (s->mask + 1) * 3)
		idset_grow(s);
	uint64_t tag = h >> (64 - TAG_BITS);
	size_t j = (size_t)h & s->mask;
	for (; s->slot[j] != 0; j = (j + 1) & s->mask) {
		if ((s->slot[j] & ((1u << TAG_BITS) - 1)) != tag)
			continue;
		struct qy_str old =
		    idset_entry(s, (size_t)(s->slot[j] >> TAG_BITS) - 1, first_input, first_line);
		if (old.len == id.len && memcmp(old.p, id.p, id.len) == 0)
			return 1;
	}
	size_t off = s->arena.len;
	char head[30];
	size_t n = put_varint(head, input);
	n += put_varint(head + n, line);
	n += put_varint(head + n, id.len);
	qy_buf_grow(&s->arena, n + id.len);
	memcpy(s->arena.data + s->arena.len, head, n);
	memcpy(s->arena.data + s->arena.len + n, id.p, id.len);
	s->arena.len += n + id.len;
	s->arena.data[s->arena.len] = '\0'; /* as every qy_buf is */
	s->slot[j] = ((uint64_t)(off + 1) << TAG_BITS) | tag;
	s->count++;
	return 0;
}

/* 1 when id (hash h) is in the set, with where it came from; else 0. */
static int
idset_find(const struct idset *s, struct qy_str id, uint64_t h, size_t *first_input,
	   unsigned long *first_line)
{
	if (s->slot == NULL)
		return 0;
	uint64_t tag = h >> (64 - TAG_BITS);
	for (size_t j = (size_t)h & s->mask; s->slot[j] != 0; j = (j + 1) & s->mask) {
		if ((s->slot[j] & ((1u << TAG_BITS) - 1)) != tag)
			continue;
		struct qy_str old =
		    idset_entry(s, (size_t)(s->slot[j] >> TAG_BITS) - 1, first_input, first_line);
		if (old.len == id.len && memcmp(old.p, id.p, id.len) == 0)
			return 1;
	}
	return 0;
}

static void
idset_free(struct idset *s)
{
	free(s->slot);
	qy_buf_free(&s->arena);
	memset(s, 0, sizeof *s);
}

/* ---- state ------------------------------------------------------------- */

/* One output column. */
struct outcol {
	char *name;	/* the output header's name */
	int canon;	/* the canonical column, or -1 for a column the type does not know */
	char *rej_name; /* its name in the rejects file: the header text first seen for it
			   (NULL while no input has it) */
	size_t rej_idx; /* its place among the rejects file's columns */
};

/* What a header cell that is no output column is. */
enum cell_kind {
	CELL_NAMELESS = -1, /* an empty name: its values must all be empty */
	CELL_META = -2,	    /* source, line, column, reason of a rejects file: ignored */
	CELL_EXTRA = -3,    /* extra_N of a rejects file: a surplus field, must be empty */
};

/* One input. */
struct input {
	struct qy_csvin rd; /* the reader thread's: written all the time */
	/* The rest is read by the workers: on lines of its own. */
	_Alignas(128) enum qy_enc enc; /* rd.enc and rd.qytsv, for them */
	int qytsv;
	int has_header; /* 0: the input is empty */
	unsigned long header_line;
	size_t ncols;	    /* header cells */
	char **cells;	    /* the header cells as read (UTF-8, NUL-terminated) */
	int *out_of;	    /* per cell: its output column, or an enum cell_kind */
	size_t first_data;  /* a rejects file read again: its cells before this */
	size_t first_extra; /* and from this on (extra_1, extra_2, …) are no data */
	int *in_of;	    /* per output column: the cell holding it, or -1 */
	int data_only;	    /* every cell is an output column: no cell needs a check of its own */
};

/* What checking a record came to. */
enum verdict {
	V_ROW,	  /* written, unless an id turns out a duplicate */
	V_BLANK,  /* all fields empty: skipped */
	V_REJECT, /* rejected: column and reason in the job's text */
	V_FATAL,  /* a fatal problem: the message in the job's text */
};

struct result {
	unsigned char verdict;
	size_t off, len;  /* V_ROW: its output line in job->out; else its text in job->txt */
	size_t id0, nids; /* V_ROW: its unique ids, job->ids[id0 .. id0 + nids) */
};

/* A unique id of a row to be written, checked against the others in order. */
struct row_id {
	size_t col;
	uint64_t hash;
	size_t off, len; /* in job->out when in_out (the row's own line), else job->txt */
	int in_out;
};

/* A batch of records from one input: read, then checked (by any worker),
 * then committed in the order read. */
struct job {
	/* Each on cache lines of its own (the adjacent-line prefetcher pairs
	 * 64-byte lines): two workers write the jobs next to each other all
	 * the time, and shared lines would bounce between their cores. */
	_Alignas(128) struct qy_csv_batch b;
	size_t input;
	unsigned long seq; /* the order it was read in */
	int state;	   /* enum job_state */
	int last;	   /* no more records after this one */
	int failed;	   /* a read error, the reason in why */
	struct qy_buf why;
	struct result *res; /* per record */
	size_t cap_res;
	struct qy_buf out; /* the output lines of the rows to write */
	struct qy_buf txt; /* reasons and ids */
	struct row_id *ids;
	size_t nids, cap_ids;
};

/* The id's value. */
static struct qy_str
row_id_value(const struct job *j, const struct row_id *id)
{
	struct qy_str v = {(id->in_out ? j->out.data : j->txt.data) + id->off, id->len};
	return v;
}

/* What a worker checks rows with: all of it its own. */
struct scratch {
	struct qy_buf dec;   /* decoded fields of a GB18030 input */
	struct qy_buf fold;  /* fields with CR folded */
	struct qy_str *vals; /* the row's fields as UTF-8, unless fields is set */
	const char *base;    /* or the record's fields lie in the batch as they are: */
	const struct qy_csv_field *fields; /* base + fields[j].off, not copied to vals */
	size_t *dec_off;		   /* per field: where in dec or fold it went */
	size_t cap_vals;
	struct qy_buf norm;	 /* normalised values */
	size_t *canon_off;	 /* per canonical column: where its value is, */
	unsigned char *canon_at; /* in the output line or norm (enum canon_place) */
	struct qy_str *canon;	 /* per canonical column: its normalised value */
	struct qy_buf why, tmp;
	int plain; /* the record's fields hold nothing qy-TSV escapes */
	struct qy_gb18030 gb;
	int gb_open;
};

/* Field j of the record being checked, as UTF-8; f < 0 (a column the
 * input lacks) is empty. */
static inline struct qy_str
field_value(const struct scratch *sc, int j)
{
	if (j < 0)
		return (struct qy_str){"", 0};
	if (sc->fields != NULL)
		return (struct qy_str){sc->base + sc->fields[j].off, sc->fields[j].len};
	return sc->vals[j];
}

struct ingest {
	const struct qy_ingest_opts *o;
	struct qy_diag *d;
	struct qy_out *out;
	const struct qy_schema *s;
	struct outcol *cols;
	size_t ncols, capcols;
	struct input *in;
	size_t nin;
	size_t nrej; /* rejects file columns after source, line, column, reason */
	/* for the header phase and the commits (one thread at a time) */
	struct scratch sc;
	struct qy_buf why, msg, name;
	int *cell_of;	   /* per canonical column: the header cell holding it */
	const char **dflt; /* per canonical column: the value an empty one gets, or NULL */
	unsigned char
	    *verbatim; /* per canonical column: its canonical form never needs an escape */
	unsigned char *verbatim_plain; /* the same in a record without bytes to escape */
	size_t *unique;		       /* the unique canonical columns */
	size_t nunique;
	struct qy_csv_batch header_batch;
	struct qy_buf read_why;
	/* The commits' (one thread at a time, but not always the same): on
	 * lines of their own, apart from what the workers read above. */
	_Alignas(128) unsigned long long nread, accepted, rejected, blank;
	/* rejects */
	int rej_fd;
	struct qy_buf rej; /* rows not yet written to rej_fd */
	size_t rej_extra;  /* the most surplus fields of a rejected row */
	struct idset ids;
};

/* ---- small helpers ----------------------------------------------------- */

/* Appends v quoted for a message: invalid UTF-8 as U+FFFD, C1 controls as
 * \u0080..\u009F, then qy_buf_add_quoted (C0 as \xNN, at most 60 bytes). */
static void
add_value(struct scratch *sc, struct qy_buf *b, const char *p, size_t n)
{
	if (n > 240)
		n = 240; /* qy_buf_add_quoted shows 60; keep a little more for the repairs */
	struct qy_buf *tmp = &sc->tmp;
	qy_buf_reset(tmp);
	qy_utf8_repair(tmp, p, n);
	struct qy_buf clean = {0};
	for (size_t i = 0; i < tmp->len; i++) {
		unsigned char c = (unsigned char)tmp->data[i];
		unsigned char c2 = i + 1 < tmp->len ? (unsigned char)tmp->data[i + 1] : 0;
		if (c == 0xC2 && c2 >= 0x80 && c2 < 0xA0) {
			qy_buf_printf(&clean, "\\u%04X", c2);
			i++;
		} else {
			qy_buf_addc(&clean, (char)c);
		}
	}
	qy_buf_add_quoted(b, clean.data ? clean.data : "", clean.len);
	qy_buf_free(&clean);
}

/* "'a' | 'b' | 'c'": the header as seen, for messages. */
static void
add_header(struct ingest *g, struct qy_buf *b, const struct input *in)
{
	for (size_t j = 0; j < in->ncols; j++) {
		if (j > 0)
			qy_buf_adds(b, ", ");
		add_value(&g->sc, b, in->cells[j], strlen(in->cells[j]));
	}
}

static int
is_blank(const struct qy_csv_batch *b, const struct qy_csv_rec *rec)
{
	for (size_t j = 0; j < rec->nfields; j++)
		if (b->fields[rec->field0 + j].len != 0)
			return 0;
	return 1;
}

/* The scratch's GB18030 decoder, opened on first use. */
static struct qy_gb18030 *
gb_decoder(struct scratch *sc)
{
	if (!sc->gb_open) {
		if (qy_gb18030_open(&sc->gb) != 0) {
			fputs("qy-ingest: this system's iconv cannot decode GB18030\n", stderr);
			exit(QY_EXIT_FATAL);
		}
		sc->gb_open = 1;
	}
	return &sc->gb;
}

/* Appends the UTF-8 text of a raw field, invalid bytes as U+FFFD. */
static void
add_repaired(struct scratch *sc, const struct input *in, struct qy_buf *out, const char *p,
	     size_t n)
{
	if (in->enc == QY_ENC_GB18030)
		qy_gb18030_decode(gb_decoder(sc), p, n, out, NULL);
	else
		qy_utf8_repair(out, p, n);
}

/* The name a message gives column j of an input. */
static const char *
column_name(struct ingest *g, const struct input *in, size_t j, char *tmp, size_t tmpsize)
{
	if (j < in->ncols && in->out_of[j] >= 0)
		return g->cols[in->out_of[j]].name;
	if (j < in->ncols && in->out_of[j] != CELL_NAMELESS)
		return in->cells[j];
	snprintf(tmp, tmpsize, "column_%zu", j + 1);
	return tmp;
}

/* ---- rejects ------------------------------------------------------------ */

static void
rej_flush(struct ingest *g)
{
	size_t done = 0;
	while (done < g->rej.len) {
		ssize_t k = write(g->rej_fd, g->rej.data + done, g->rej.len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			qy_fatal(g->d, "write error on the rejects of %s:", g->o->rejects);
		done += (size_t)k;
	}
	qy_buf_reset(&g->rej);
}

/* One row of the rejects file: source, line, column, reason, then the raw
 * fields under their columns, surplus fields after them. */
static void
rej_row(struct ingest *g, struct input *in, const struct qy_csv_batch *b,
	const struct qy_csv_rec *rec, const char *col, const char *reason)
{
	struct qy_buf *r = &g->rej;
	/* Surplus fields, up to the last one that is not empty. */
	size_t extra = 0;
	for (size_t j = in->first_extra; j < rec->nfields; j++)
		if (b->fields[rec->field0 + j].len > 0)
			extra = j - in->first_extra + 1;
	if (extra > g->rej_extra)
		g->rej_extra = extra;
	/* Each column's field, or -1. */
	size_t width = g->nrej + extra;
	long *from = qy_xmalloc((width ? width : 1) * sizeof *from);
	for (size_t k = 0; k < width; k++)
		from[k] = -1;
	for (size_t j = 0; j < rec->nfields; j++) {
		if (j >= in->first_extra) {
			if (j - in->first_extra < extra)
				from[g->nrej + j - in->first_extra] = (long)j;
		} else if (in->out_of[j] >= 0) {
			from[g->cols[in->out_of[j]].rej_idx] = (long)j;
		}
	}
	qy_tsv_escape(r, in->rd.name, strlen(in->rd.name));
	qy_buf_printf(r, "\t%lu\t", rec->line);
	qy_tsv_escape(r, col, strlen(col));
	qy_buf_addc(r, '\t');
	qy_tsv_escape(r, reason, strlen(reason));
	for (size_t k = 0; k < width; k++) {
		qy_buf_addc(r, '\t');
		if (from[k] < 0)
			continue;
		const struct qy_csv_field *f = &b->fields[rec->field0 + (size_t)from[k]];
		struct qy_buf *tmp = &g->sc.tmp;
		qy_buf_reset(tmp);
		add_repaired(&g->sc, in, tmp, b->bytes + f->off, f->len);
		qy_tsv_escape(r, tmp->data, tmp->len);
	}
	qy_buf_addc(r, '\n');
	free(from);
	if (r->len >= REJ_FLUSH)
		rej_flush(g);
}

/* Rejects a row: a message on stderr, and a row in the rejects file. */
static void
reject(struct ingest *g, struct input *in, const struct qy_csv_batch *b,
       const struct qy_csv_rec *rec, const char *col, const char *reason)
{
	g->rejected++;
	qy_problem(g->d, in->rd.name, rec->line, "%s: %s", col, reason);
	if (g->rej_fd >= 0)
		rej_row(g, in, b, rec, col, reason);
}

/* A temporary file for the rejects body, unlinked at once; and a check that
 * the rejects file itself can be created, so that a bad -r fails early. */
static void
rej_open(struct ingest *g)
{
	g->rej_fd = -1;
	if (g->o->rejects == NULL)
		return;
	struct qy_buf path = {0};
	qy_buf_printf(&path, "%s.tmpXXXXXX", g->o->rejects);
	int fd = mkstemp(path.data);
	if (fd < 0)
		qy_fatal(g->d, "cannot create %s:", g->o->rejects);
	close(fd);
	unlink(path.data);
	qy_buf_reset(&path);
	const char *dir = getenv("TMPDIR");
	qy_buf_printf(&path, "%s/qy-ingest-rejects.XXXXXX", dir && *dir ? dir : "/tmp");
	g->rej_fd = mkstemp(path.data);
	if (g->rej_fd < 0)
		qy_fatal(g->d, "cannot create a temporary file %s:", path.data);
	unlink(path.data);
	qy_buf_free(&path);
}

/* Writes the rejects file: its header (now that the most surplus fields are
 * known), then every row padded to the full width. */
static void
rej_finish(struct ingest *g)
{
	if (g->rej_fd < 0)
		return;
	rej_flush(g);
	struct qy_out o;
	qy_out_open(&o, g->o->rejects, g->d);
	size_t width = 4 + g->nrej + g->rej_extra;
	qy_out_puts(&o, "source\tline\tcolumn\treason");
	for (size_t k = 0; k < g->ncols; k++) {
		if (g->cols[k].rej_name == NULL)
			continue;
		qy_out_putc(&o, '\t');
		qy_tsv_put_field(&o, g->cols[k].rej_name, strlen(g->cols[k].rej_name));
	}
	for (size_t k = 1; k <= g->rej_extra; k++)
		qy_out_printf(&o, "\textra_%zu", k);
	qy_out_putc(&o, '\n');
	if (lseek(g->rej_fd, 0, SEEK_SET) != 0)
		qy_fatal(g->d, "cannot read back the rejects:");
	char chunk[1 << 16];
	size_t tabs = 0;
	for (;;) {
		ssize_t k = read(g->rej_fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			qy_fatal(g->d, "cannot read back the rejects:");
		if (k == 0)
			break;
		size_t run = 0;
		for (size_t i = 0; i < (size_t)k; i++) {
			if (chunk[i] == '\t') {
				tabs++;
			} else if (chunk[i] == '\n') {
				qy_out_write(&o, chunk + run, i - run);
				for (; tabs + 1 < width; tabs++)
					qy_out_putc(&o, '\t');
				qy_out_putc(&o, '\n');
				run = i + 1;
				tabs = 0;
			}
		}
		qy_out_write(&o, chunk + run, (size_t)k - run);
	}
	close(g->rej_fd);
	g->rej_fd = -1;
	qy_out_close(&o);
}

/* ---- headers ------------------------------------------------------------- */

static int
find_col(struct ingest *g, const char *name, int unknown_only)
{
	for (size_t k = 0; k < g->ncols; k++)
		if ((!unknown_only || g->cols[k].canon < 0) && strcmp(g->cols[k].name, name) == 0)
			return (int)k;
	return -1;
}

static int
add_col(struct ingest *g, const char *name, int canon)
{
	if (g->ncols == g->capcols) {
		g->capcols = g->capcols ? g->capcols * 2 : 32;
		g->cols = qy_xrealloc(g->cols, g->capcols * sizeof *g->cols);
	}
	struct outcol *c = &g->cols[g->ncols];
	memset(c, 0, sizeof *c);
	c->name = qy_xstrdup(name);
	c->canon = canon;
	return (int)g->ncols++;
}

/* Decodes header cell j for the name tables: UTF-8, invalid bytes as U+FFFD.
 * A control character in a header is fatal: it has no safe spelling. */
static char *
header_cell(struct ingest *g, struct input *in, const struct qy_csv_batch *b,
	    const struct qy_csv_rec *rec, size_t j)
{
	const struct qy_csv_field *f = &b->fields[rec->field0 + j];
	const char *p = b->bytes + f->off;
	struct qy_buf cell = {0};
	size_t bad = 0;
	int invalid;
	if (in->rd.enc == QY_ENC_GB18030) {
		invalid = qy_gb18030_decode(gb_decoder(&g->sc), p, f->len, &cell, &bad) != 0;
	} else {
		bad = qy_utf8_valid_len(p, f->len);
		invalid = bad < f->len;
		qy_utf8_repair(&cell, p, f->len);
	}
	if (invalid) {
		/* Names in the wrong encoding would only make confusing errors later. */
		qy_buf_reset(&g->msg);
		add_value(&g->sc, &g->msg, cell.data, cell.len);
		qy_fatal_at(
		    g->d, in->rd.name, rec->line,
		    "header cell %zu is not valid %s at byte %zu: %s (-e says which encoding "
		    "the input is in)",
		    j + 1, qy_enc_name(in->rd.enc), bad + 1, g->msg.data);
	}
	size_t off;
	unsigned cp;
	if (qy_utf8_scan(cell.data ? cell.data : "", cell.len, &off, &cp) == QY_TEXT_CONTROL) {
		qy_buf_reset(&g->msg);
		add_value(&g->sc, &g->msg, cell.data, cell.len);
		qy_fatal_at(g->d, in->rd.name, rec->line,
			    "header cell %zu holds the control character U+%04X: %s", j + 1, cp,
			    g->msg.data);
	}
	if (cell.data == NULL)
		return qy_xstrdup("");
	return cell.data;
}

/* raw: the input's own names; an empty one is column_N, a repeated one gets
 * _2, _3, … (whatever no other cell of the header is called). */
static void
raw_names(struct input *in)
{
	for (size_t j = 0; j < in->ncols; j++) {
		if (in->cells[j][0] != '\0')
			continue;
		free(in->cells[j]);
		struct qy_buf n = {0};
		qy_buf_printf(&n, "column_%zu", j + 1);
		in->cells[j] = n.data;
	}
	for (size_t j = 1; j < in->ncols; j++) {
		int repeated = 0;
		for (size_t i = 0; i < j && !repeated; i++)
			repeated = strcmp(in->cells[i], in->cells[j]) == 0;
		if (!repeated)
			continue;
		struct qy_buf n = {0};
		for (unsigned long k = 2;; k++) {
			qy_buf_reset(&n);
			qy_buf_printf(&n, "%s_%lu", in->cells[j], k);
			int taken = 0;
			for (size_t i = 0; i < in->ncols && !taken; i++)
				taken = strcmp(in->cells[i], n.data) == 0;
			if (!taken)
				break;
		}
		free(in->cells[j]);
		in->cells[j] = n.data;
	}
}

static void
map_raw(struct ingest *g, struct input *in)
{
	raw_names(in);
	for (size_t j = in->first_data; j < in->first_extra; j++) {
		int k = find_col(g, in->cells[j], 0);
		if (k < 0) {
			k = add_col(g, in->cells[j], -1);
			g->cols[k].rej_name = qy_xstrdup(in->cells[j]);
		}
		in->out_of[j] = k;
	}
}

/* Fatal: what is wrong (in g->why), then the header as seen.  Everything
 * it uses belongs to g, so nothing leaks on the way out. */
static _Noreturn void
header_fatal(struct ingest *g, const struct input *in)
{
	qy_buf_reset(&g->msg);
	qy_buf_printf(&g->msg, "%s; header seen: ", g->why.data);
	add_header(g, &g->msg, in);
	qy_fatal_at(g->d, in->rd.name, in->header_line, "%s", g->msg.data);
}

static void
map_typed(struct ingest *g, struct input *in)
{
	const struct qy_schema *s = g->s;
	int *cell_of = g->cell_of;
	for (size_t c = 0; c < s->ncols; c++)
		cell_of[c] = -1;
	for (size_t j = in->first_data; j < in->first_extra; j++) {
		const char *cell = in->cells[j];
		int c = qy_schema_match_header(s, cell, strlen(cell));
		if (c >= 0) {
			if (cell_of[c] >= 0) {
				qy_buf_reset(&g->why);
				qy_buf_printf(&g->why, "columns %d and %zu both map to %s",
					      cell_of[c] + 1, j + 1, s->cols[c].name);
				header_fatal(g, in);
			}
			cell_of[c] = (int)j;
			in->out_of[j] = c;
			if (g->cols[c].rej_name == NULL)
				g->cols[c].rej_name = qy_xstrdup(cell);
			continue;
		}
		struct qy_str t = qy_trim(cell, strlen(cell));
		if (t.len == 0) {
			in->out_of[j] = CELL_NAMELESS;
			continue;
		}
		qy_buf_reset(&g->name);
		qy_buf_add(&g->name, t.p, t.len);
		const char *name = g->name.data;
		for (size_t i = in->first_data; i < j; i++) {
			int k = in->out_of[i];
			if (k >= 0 && g->cols[k].canon < 0 && strcmp(g->cols[k].name, name) == 0) {
				qy_buf_reset(&g->why);
				qy_buf_printf(&g->why, "columns %zu and %zu are both called ",
					      i + 1, j + 1);
				add_value(&g->sc, &g->why, name, strlen(name));
				header_fatal(g, in);
			}
		}
		int k = find_col(g, name, 1);
		if (k < 0) {
			k = add_col(g, name, -1);
			g->cols[k].rej_name = qy_xstrdup(cell);
		}
		in->out_of[j] = k;
	}
	for (size_t c = 0; c < s->ncols; c++) {
		if (!(s->cols[c].flags & QY_COL_REQUIRED) || cell_of[c] >= 0)
			continue;
		qy_buf_reset(&g->why);
		qy_buf_printf(&g->why, "required column %s", s->cols[c].name);
		if (s->cols[c].aliases[0] != NULL)
			qy_buf_printf(&g->why, " (%s)", s->cols[c].aliases[0]);
		qy_buf_adds(&g->why, " is missing");
		header_fatal(g, in);
	}
	int member = qy_schema_col(s, "member_id"), branch = qy_schema_col(s, "branch_id");
	if (strcmp(s->name, "activity") == 0 && member >= 0 && branch >= 0 && cell_of[member] < 0 &&
	    cell_of[branch] < 0) {
		qy_buf_reset(&g->why);
		qy_buf_adds(&g->why, "an activity needs a member_id (党员编号) or a branch_id "
				     "(支部编号) column, and there is neither");
		header_fatal(g, in);
	}
}

/* A rejects file read again: its source, line, column and reason cells and
 * its trailing extra_1 … extra_K cells are no data columns. */
static void
rejects_layout(struct input *in)
{
	in->first_data = 0;
	in->first_extra = in->ncols;
	if (!in->rd.qytsv || in->ncols < 4)
		return;
	in->first_data = 4;
	for (size_t k = in->ncols - 4; k > 0; k--) {
		size_t i = 0;
		char name[32];
		for (; i < k; i++) {
			snprintf(name, sizeof name, "extra_%zu", i + 1);
			if (strcmp(in->cells[in->ncols - k + i], name) != 0)
				break;
		}
		if (i == k) {
			in->first_extra = in->ncols - k;
			break;
		}
	}
	for (size_t j = 0; j < in->ncols; j++)
		in->out_of[j] = j < in->first_data ? CELL_META : CELL_EXTRA;
}

/* Reads the header of input i: the first record that is not blank. */
static void
read_header(struct ingest *g, struct input *in)
{
	/* The batch and the reason belong to g: a fatal error leaks nothing. */
	struct qy_csv_batch *hb = &g->header_batch;
	for (;;) {
		qy_csv_batch_clear(hb);
		long n = qy_csvin_read(&in->rd, hb, 1, SIZE_MAX, &g->read_why);
		if (n < 0)
			qy_fatal(g->d, "%s", g->read_why.data);
		if (n == 0)
			break;
		const struct qy_csv_rec *rec = &hb->recs[0];
		if (rec->err == QY_CSV_OK && is_blank(hb, rec)) {
			g->nread++;
			g->blank++;
			continue;
		}
		in->has_header = 1;
		in->header_line = rec->line;
		in->ncols = rec->nfields;
		in->cells = qy_xmalloc(in->ncols * sizeof *in->cells);
		for (size_t j = 0; j < in->ncols; j++)
			in->cells[j] = header_cell(g, in, hb, rec, j);
		if (rec->err != QY_CSV_OK) {
			qy_buf_reset(&g->why);
			qy_buf_adds(&g->why, rec->err == QY_CSV_UNTERMINATED
						 ? "the header has a quote that is never closed"
						 : "the header is not valid CSV (a stray quote)");
			header_fatal(g, in);
		}
		in->out_of = qy_xmalloc(in->ncols * sizeof *in->out_of);
		rejects_layout(in);
		if (g->s == NULL)
			map_raw(g, in);
		else
			map_typed(g, in);
		break;
	}
	if (!in->has_header && g->s != NULL)
		qy_fatal(g->d, "%s: no header (the input is empty)", in->rd.name);
}

static void
open_inputs(struct ingest *g, char *const *paths, size_t npaths)
{
	static char *const stdin_only[] = {"-"};
	if (npaths == 0) {
		paths = stdin_only;
		npaths = 1;
	}
	g->nin = npaths;
	if (posix_memalign((void **)&g->in, _Alignof(struct input), npaths * sizeof *g->in) != 0)
		qy_fatal(g->d, "out of memory");
	memset(g->in, 0, npaths * sizeof *g->in);
	if (g->s != NULL)
		for (size_t c = 0; c < g->s->ncols; c++)
			add_col(g, g->s->cols[c].name, (int)c);
	for (size_t i = 0; i < npaths; i++) {
		struct input *in = &g->in[i];
		if (qy_csvin_open(&in->rd, paths[i], &g->o->csv, &g->read_why) != 0)
			qy_fatal(g->d, "%s", g->read_why.data);
		in->enc = in->rd.enc;
		in->qytsv = in->rd.qytsv;
		read_header(g, in);
	}
	/* Every header is read: the output columns are final. */
	for (size_t k = 0; k < g->ncols; k++)
		if (g->cols[k].rej_name != NULL)
			g->cols[k].rej_idx = g->nrej++;
	for (size_t i = 0; i < npaths; i++) {
		struct input *in = &g->in[i];
		in->in_of = qy_xmalloc((g->ncols ? g->ncols : 1) * sizeof *in->in_of);
		for (size_t k = 0; k < g->ncols; k++)
			in->in_of[k] = -1;
		in->data_only = 1;
		for (size_t j = 0; j < in->ncols; j++) {
			if (in->out_of[j] >= 0)
				in->in_of[in->out_of[j]] = (int)j;
			else
				in->data_only = 0;
		}
	}
}

/* ---- rows ------------------------------------------------------------------
 *
 * A batch is checked by a worker (any of them, batches in parallel): every
 * record gets a verdict, a row to write its output line.  Then the batches
 * are committed one at a time in the order read: duplicate ids, messages,
 * the rejects file, counts, and the output.  So the output is the same
 * whatever the number of workers. */

/* The record being checked and where its verdict goes. */
struct check {
	struct ingest *g;
	struct scratch *sc;
	struct job *j;
	const struct input *in;
	const struct qy_csv_rec *rec;
	struct result *res;
};

/* The verdict: rejected, with column and reason (the reason is sc->why). */
static void
verdict_reject(struct check *k, const char *col)
{
	struct qy_buf *t = &k->j->txt;
	k->res->verdict = V_REJECT;
	k->res->off = t->len;
	qy_buf_add(t, col, strlen(col) + 1);
	qy_buf_add(t, k->sc->why.data ? k->sc->why.data : "", k->sc->why.len + 1);
}

/* Problems of the whole record found while splitting it. */
static void
check_malformed(struct check *k)
{
	const struct qy_csv_batch *b = &k->j->b;
	const struct qy_csv_rec *rec = k->rec;
	const struct qy_csv_field *last = &b->fields[rec->field0 + rec->nfields - 1];
	struct qy_buf *w = &k->sc->why;
	qy_buf_reset(w);
	switch (rec->err) {
	case QY_CSV_QUOTE_IN_FIELD:
		qy_buf_adds(w, "a quote inside an unquoted field: ");
		add_value(k->sc, w, b->bytes + last->off, last->len);
		qy_buf_adds(w, " (quote the whole field and double the quote)");
		break;
	case QY_CSV_AFTER_QUOTE:
		qy_buf_printf(w, "'%c' after the closing quote of a field: ", rec->err_byte);
		if (rec->err_byte < 0x20 || rec->err_byte >= 0x7F)
			qy_buf_printf(w, "(byte 0x%02X) ", rec->err_byte);
		add_value(k->sc, w, b->bytes + last->off, last->len);
		qy_buf_adds(w, " (a quote inside a quoted field must be doubled)");
		break;
	case QY_CSV_UNTERMINATED:
		qy_buf_adds(w, "a quote that is never closed: the rest of the input is this one "
			       "record");
		break;
	case QY_CSV_BAD_ESCAPE:
		qy_buf_printf(w, "bad escape '\\%c' (qy-TSV allows only \\t \\n \\r \\\\)",
			      rec->err_byte ? rec->err_byte : ' ');
		break;
	}
	if (rec->err != QY_CSV_UNTERMINATED && rec->err_line != rec->line)
		qy_buf_printf(w, " on line %lu", rec->err_line);
	verdict_reject(k, "-");
}

/* 1 when a byte continues a UTF-8 character (10xxxxxx). */
static inline int
is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* A record split on one line by the fast path: its fields are its values
 * as they lie in the batch (in order, with delimiters and quotes between
 * them, all ASCII), read there through field_value.  Returns a bound on the
 * longest field. */
static size_t
slice_fields(struct check *k, size_t lo, size_t hi)
{
	k->sc->base = k->j->b.bytes;
	k->sc->fields = k->j->b.fields + k->rec->field0;
	return hi - lo;
}

/* The same for any other record (read by libcsv, or unescaped), whose
 * fields may abut: returns the longest field, or SIZE_MAX when they are not
 * in order or one starts or ends inside a character, which the one pass
 * over [lo, hi) would not see. */
static size_t
slice_fields_checked(struct check *k, size_t lo, size_t hi)
{
	const struct qy_csv_batch *b = &k->j->b;
	const struct qy_csv_field *f = b->fields + k->rec->field0;
	const unsigned char *u = (const unsigned char *)b->bytes;
	struct qy_str *vals = k->sc->vals;
	size_t end = lo, longest = 0;
	for (size_t j = 0; j < k->rec->nfields; j++) {
		if (f[j].off < end)
			return SIZE_MAX;
		end = f[j].off + f[j].len;
		if (f[j].len > 0 &&
		    (is_continuation(u[f[j].off]) || (end < hi && is_continuation(u[end]))))
			return SIZE_MAX;
		longest = f[j].len > longest ? f[j].len : longest;
		vals[j].p = b->bytes + f[j].off;
		vals[j].len = f[j].len;
	}
	return longest;
}

/* The fields of a GB18030 record decoded one after another into sc->dec,
 * with sc->vals pointing at them.  Decoded, they are whole characters that
 * abut: one pass over them all sees what a pass over each would.  Returns
 * the longest field (input bytes), or SIZE_MAX when one does not decode
 * (the slow path says where). */
static size_t
decode_fields(struct check *k)
{
	struct scratch *sc = k->sc;
	const struct qy_csv_batch *b = &k->j->b;
	const struct qy_csv_field *f = b->fields + k->rec->field0;
	struct qy_gb18030 *gb = gb_decoder(sc);
	size_t longest = 0;
	qy_buf_reset(&sc->dec);
	for (size_t j = 0; j < k->rec->nfields; j++) {
		sc->dec_off[j] = sc->dec.len;
		if (qy_gb18030_decode(gb, b->bytes + f[j].off, f[j].len, &sc->dec, NULL) != 0)
			return SIZE_MAX;
		sc->vals[j].len = sc->dec.len - sc->dec_off[j];
		longest = f[j].len > longest ? f[j].len : longest;
	}
	/* dec may have moved as it grew: the pointers are made now. */
	for (size_t j = 0; j < k->rec->nfields; j++)
		sc->vals[j].p = sc->dec.data + sc->dec_off[j];
	return longest;
}

/* The usual record, checked in one pass instead of field by field: an
 * input whose cells are all output columns.  When the record's text from
 * its first field to its last is valid UTF-8 without a control, and no
 * field starts or ends inside a character, every field is valid and
 * control-free too.  Fills sc->vals and sc->plain and returns 1; returns 0
 * when the fields must be checked one by one (a problem, or only a false
 * alarm: that costs only time). */
static int
check_fields_fast(struct check *k)
{
	const struct qy_csv_batch *b = &k->j->b;
	const struct qy_csv_field *f = b->fields + k->rec->field0;
	const size_t nf = k->rec->nfields;
	if (!k->in->data_only || nf == 0)
		return 0;
	const char *text;
	size_t len, longest;
	if (k->in->enc == QY_ENC_GB18030) {
		longest = decode_fields(k);
		text = k->sc->dec.data;
		len = k->sc->dec.len;
	} else {
		size_t lo = f[0].off, hi = f[nf - 1].off + f[nf - 1].len;
		longest = !k->rec->quoted && !k->in->qytsv ? slice_fields(k, lo, hi)
							   : slice_fields_checked(k, lo, hi);
		text = b->bytes + lo;
		len = hi - lo;
	}
	if (longest > k->g->o->max_field)
		return 0; /* the slow path says which */
	unsigned flags = qy_text_classify(text, len);
	if (flags & QY_TEXT_PROBLEM)
		return 0;
	k->sc->plain = !(flags & QY_TEXT_ESCAPE);
	return 1;
}

/* Decodes and checks every field of a row: --max-field, the encoding,
 * control characters, surplus fields of a rejects file, a value under a
 * nameless column.  Fills sc->vals.  Returns 0, or -1 with the verdict made. */
static int
check_fields(struct check *k)
{
	struct scratch *sc = k->sc;
	const struct input *in = k->in;
	const struct qy_csv_batch *b = &k->j->b;
	const struct qy_csv_field *f = b->fields + k->rec->field0;
	const size_t nf = k->rec->nfields;
	const size_t max_field = k->g->o->max_field;
	const int gb = in->enc == QY_ENC_GB18030;
	char tmp[32];
	if (check_fields_fast(k))
		return 0;
	sc->plain = 0; /* every field may need escaping */
	if (gb)
		qy_buf_reset(&sc->dec);
	for (size_t j = in->first_extra; j < nf; j++) {
		if (f[j].len == 0)
			continue;
		qy_buf_reset(&sc->why);
		qy_buf_printf(&sc->why, "a surplus field (%s) holds ", in->cells[j]);
		add_value(sc, &sc->why, b->bytes + f[j].off, f[j].len);
		qy_buf_adds(&sc->why, " (the row had more fields than the header)");
		verdict_reject(k, "-");
		return -1;
	}
	for (size_t j = 0; j < nf; j++) {
		const char *p = b->bytes + f[j].off;
		size_t n = f[j].len;
		if (in->out_of[j] == CELL_META || in->out_of[j] == CELL_EXTRA) {
			sc->vals[j].p = p;
			sc->vals[j].len = 0;
			continue;
		}
		if (n > max_field) {
			qy_buf_reset(&sc->why);
			qy_buf_printf(&sc->why, "a field of %zu bytes, over --max-field %zu: ", n,
				      max_field);
			add_value(sc, &sc->why, p, n);
			verdict_reject(k, column_name(k->g, in, j, tmp, sizeof tmp));
			return -1;
		}
		size_t off = 0, at;
		unsigned cp;
		int bad = 0;
		if (gb && !qy_ascii_only(p, n)) {
			/* dec may move as it grows: the pointer is made at the end. */
			size_t start = sc->dec.len;
			bad = qy_gb18030_decode(gb_decoder(sc), p, n, &sc->dec, &off) != 0;
			sc->vals[j].p = NULL;
			sc->dec_off[j] = start;
			p = sc->dec.data + start;
			n = sc->dec.len - start;
		} else {
			sc->vals[j].p = p;
		}
		sc->vals[j].len = n;
		int problem = bad ? QY_TEXT_INVALID : qy_utf8_scan(p, n, &at, &cp);
		if (problem == QY_TEXT_OK)
			continue;
		qy_buf_reset(&sc->why);
		if (problem == QY_TEXT_INVALID) {
			qy_buf_printf(&sc->why, "invalid %s at byte %zu of ", qy_enc_name(in->enc),
				      (bad ? off : at) + 1);
			add_value(sc, &sc->why, p, n);
			if (in->enc == QY_ENC_UTF8)
				qy_buf_adds(&sc->why, " (the input is read as UTF-8; -e gb18030 "
						      "reads GB18030)");
		} else {
			qy_buf_printf(&sc->why, "the control character U+%04X in ", cp);
			add_value(sc, &sc->why, p, n);
		}
		verdict_reject(k, column_name(k->g, in, j, tmp, sizeof tmp));
		return -1;
	}
	for (size_t j = 0; gb && j < nf; j++)
		if (sc->vals[j].p == NULL)
			sc->vals[j].p = sc->dec.data + sc->dec_off[j];
	for (size_t j = 0; j < nf; j++) {
		if (in->out_of[j] != CELL_NAMELESS)
			continue;
		struct qy_str t = qy_trim(sc->vals[j].p, sc->vals[j].len);
		if (t.len == 0)
			continue;
		/* Fatal, but only when the commit gets here: rows before it are written. */
		struct qy_buf *txt = &k->j->txt;
		k->res->verdict = V_FATAL;
		k->res->off = txt->len;
		qy_buf_printf(txt, "column %zu has no name in the header (line %lu), but holds ",
			      j + 1, in->header_line);
		add_value(sc, txt, t.p, t.len);
		qy_buf_addc(txt, '\0');
		return -1;
	}
	return 0;
}

/* 1 when a word holds a byte below 0x20 (TAB, LF, CR among them) or a
 * backslash: the bytes qy-TSV may have to escape.  (A false alarm only
 * costs the slow path.) */
static inline int
word_may_escape(uint64_t w)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
	uint64_t bs = w ^ (0x5C * ones);
	return ((((w - 0x20 * ones) & ~w) | ((bs - ones) & ~bs)) & high) != 0;
}

/* 1 when some of p[0 .. n) must be escaped in qy-TSV.  Most values need no
 * escape: a word at a time. */
static inline int
needs_escape(const char *p, size_t n)
{
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (word_may_escape(w))
			goto bytes;
	}
bytes:
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == '\\')
			return 1;
	}
	return 0;
}

/* Appends a field, escaped, to o, which has room for 2n more bytes. */
static inline void
put_field(struct qy_buf *o, const char *p, size_t n)
{
	if (needs_escape(p, n)) {
		qy_tsv_escape(o, p, n);
		return;
	}
	memcpy(o->data + o->len, p, n);
	o->len += n;
}

/* Appends a field that needs no escape to o, which has room for it. */
static inline void
put_plain(struct qy_buf *o, const char *p, size_t n)
{
	copy_short(o->data + o->len, p, n);
	o->len += n;
}

/* Appends a field of the record, escaped unless the record needs none. */
static inline void
put_value(struct qy_buf *o, const struct scratch *sc, struct qy_str v)
{
	if (sc->plain)
		put_plain(o, v.p, v.len);
	else
		put_field(o, v.p, v.len);
}

/* Appends a byte to o, which has room for it. */
static inline void
put_byte(struct qy_buf *o, char c)
{
	o->data[o->len++] = c;
}

/* The verdict: written (unless an id is a duplicate), and its line. */
static void
verdict_row(struct check *k, size_t out_start)
{
	struct qy_buf *o = &k->j->out;
	put_byte(o, '\n');
	o->data[o->len] = '\0'; /* as every qy_buf is */
	k->res->verdict = V_ROW;
	k->res->off = out_start;
	k->res->len = o->len - out_start;
}

static void
format_raw(struct check *k)
{
	struct qy_buf *o = &k->j->out;
	size_t start = o->len;
	/* Room for the fields, the separators and the line end. */
	size_t need = k->g->ncols + 1;
	for (size_t j = 0; j < k->rec->nfields; j++)
		need += 2 * field_value(k->sc, (int)j).len;
	qy_buf_grow(o, need);
	for (size_t c = 0; c < k->g->ncols; c++) {
		if (c > 0)
			put_byte(o, '\t');
		int j = k->in->in_of[c];
		if (j >= 0)
			put_value(o, k->sc, field_value(k->sc, j));
	}
	verdict_row(k, start);
}

/* Typed ingest folds CRLF and a lone CR inside quoted fields into LF. */
static void
fold_cr(struct scratch *sc, const struct qy_csv_rec *rec)
{
	if (!rec->quoted)
		return;
	qy_buf_reset(&sc->fold);
	for (size_t j = 0; j < rec->nfields; j++) {
		struct qy_str v = sc->vals[j];
		sc->dec_off[j] = SIZE_MAX;
		if (v.len == 0 || memchr(v.p, '\r', v.len) == NULL)
			continue;
		sc->dec_off[j] = sc->fold.len;
		for (size_t i = 0; i < v.len; i++) {
			if (v.p[i] != '\r') {
				qy_buf_addc(&sc->fold, v.p[i]);
				continue;
			}
			qy_buf_addc(&sc->fold, '\n');
			if (i + 1 < v.len && v.p[i + 1] == '\n')
				i++;
		}
		sc->vals[j].len = sc->fold.len - sc->dec_off[j];
	}
	for (size_t j = 0; j < rec->nfields; j++)
		if (sc->dec_off[j] != SIZE_MAX)
			sc->vals[j].p = sc->fold.data + sc->dec_off[j];
}

/* The value an empty optional column gets (SPEC 2: "no, `normal`"). */
static const char *
default_of(const struct qy_schema *s, size_t c)
{
	static const struct {
		const char *type, *col, *value;
	} defaults[] = {
	    {"demand", "priority", "normal"},
	    {"demand", "quantity", "1"},
	    {"demand", "status", "open"},
	};
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strcmp(defaults[i].type, s->name) == 0 &&
		    strcmp(defaults[i].col, s->cols[c].name) == 0)
			return defaults[i].value;
	return NULL;
}

/* qy_trim, without the call for a value that has nothing to trim: white
 * space (ASCII, U+00A0 = C2 A0, U+3000 = E3 80 80) can only start with one
 * of those lead bytes and end with one of those last bytes. */
static inline struct qy_str
trim_text(const char *p, size_t n)
{
	unsigned char first = n > 0 ? (unsigned char)p[0] : 'x';
	unsigned char last = n > 0 ? (unsigned char)p[n - 1] : 'x';
	if (first > ' ' && first != 0xC2 && first != 0xE3 && last > ' ' && last != 0xA0 &&
	    last != 0x80)
		return (struct qy_str){p, n};
	return qy_trim(p, n);
}

/* 1 for the types whose canonical form is written from a fixed ASCII
 * alphabet (digits, '-', '.', lowercase codes; SPEC 2.7), never holding a
 * byte qy-TSV escapes.  Text, ids and patterns keep the input's characters. */
static int
is_verbatim(enum qy_type t)
{
	switch (t) {
	case QY_T_DATE:
	case QY_T_INT:
	case QY_T_DECIMAL:
	case QY_T_PHONE:
	case QY_T_CATEGORY:
	case QY_T_CATEGORY_ANY:
	case QY_T_PRIORITY:
	case QY_T_STATUS:
	case QY_T_SATISFACTION:
	case QY_T_UNIT_KIND:
	case QY_T_MEMBER_KIND:
		return 1;
	default:
		return 0;
	}
}

/* Where a canonical value lies, until the output line stops moving. */
enum canon_place {
	CANON_SET,  /* sc->canon[c] is the value (a slice of the field, or a constant) */
	CANON_OUT,  /* in the output line, at sc->canon_off[c] */
	CANON_NORM, /* in sc->norm, at sc->canon_off[c] (its output was escaped) */
};

/* Notes the row's unique ids for the commit to check against the others. */
static void
note_ids(struct check *k)
{
	struct job *j = k->j;
	const struct qy_str *canon = k->sc->canon;
	k->res->id0 = j->nids;
	k->res->nids = 0;
	for (size_t u = 0; u < k->g->nunique; u++) {
		size_t c = k->g->unique[u];
		if (canon[c].len == 0)
			continue;
		if (j->nids == j->cap_ids) {
			j->cap_ids = j->cap_ids ? j->cap_ids * 2 : 1024;
			j->ids = qy_xrealloc(j->ids, j->cap_ids * sizeof *j->ids);
		}
		struct row_id *id = &j->ids[j->nids++];
		id->col = c;
		id->hash = hash_bytes(canon[c].p, canon[c].len);
		id->len = canon[c].len;
		/* Written as it is in the row's line (the common case): no copy. */
		id->in_out = k->sc->canon_at[c] == CANON_OUT;
		id->off = id->in_out ? k->sc->canon_off[c] : j->txt.len;
		if (!id->in_out)
			qy_buf_add(&j->txt, canon[c].p, canon[c].len);
		k->res->nids++;
	}
}

/* Makes room for n more bytes (and the NUL) in o. */
static inline void
room(struct qy_buf *o, size_t n)
{
	if (o->cap - o->len <= n)
		qy_buf_grow(o, n);
}

/* A normalised value qy_value_norm appended to o at off is escaped there
 * when it has to be (rare: an id can hold a folded full-width backslash);
 * its canonical form is then kept in sc->norm. */
static void
escape_canonical(struct scratch *sc, struct qy_buf *o, size_t c, size_t off)
{
	size_t n = o->len - off;
	if (!needs_escape(o->data + off, n))
		return;
	sc->canon_off[c] = sc->norm.len;
	sc->canon_at[c] = CANON_NORM;
	qy_buf_add(&sc->norm, o->data + off, n);
	sc->canon[c].p = sc->norm.data + sc->canon_off[c];
	o->len = off;
	room(o, 2 * n);
	put_field(o, sc->norm.data + sc->canon_off[c], n);
}

/* Takes back the row's output line, for a rejection. */
static void
take_back(struct qy_buf *o, size_t start)
{
	o->len = start;
	o->data[start] = '\0';
}

/* The slices of the canonical values that went into the output line or
 * norm, made again when either moved as it grew. */
static void
resolve_canon(struct scratch *sc, const struct qy_buf *o, size_t ncanon)
{
	for (size_t c = 0; c < ncanon; c++) {
		if (sc->canon_at[c] == CANON_SET)
			continue;
		const char *base = sc->canon_at[c] == CANON_OUT ? o->data : sc->norm.data;
		sc->canon[c].p = base + sc->canon_off[c];
	}
}

/* Normalises every canonical column straight into the row's output line,
 * checks required values and the row rules, and notes the unique ids for
 * the commit to check.  Returns 0, or -1 with the verdict made (and the
 * line taken back). */
static int
typed_columns(struct check *k, size_t start)
{
	const struct qy_schema *s = k->g->s;
	struct scratch *sc = k->sc;
	struct qy_buf *o = &k->j->out;
	/* In locals: qy_value_norm may write anywhere as far as the compiler
	 * knows, and would make it reload them after every call. */
	const struct qy_column *cols = s->cols;
	const size_t ncanon = s->ncols;
	const int *in_of = k->in->in_of;
	const char *const *dflt = k->g->dflt;
	const unsigned char *verbatim = sc->plain ? k->g->verbatim_plain : k->g->verbatim;
	struct qy_str *canon = sc->canon;
	size_t *canon_off = sc->canon_off;
	unsigned char *canon_at = sc->canon_at;
	qy_buf_reset(&sc->norm);
	/* A value's parser appends to why only when it fails, and a failure
	 * ends the row: one reset does. */
	qy_buf_reset(&sc->why);
	const char *out0 = o->data, *norm0 = sc->norm.data;
	for (size_t c = 0; c < ncanon; c++) {
		const struct qy_column *col = &cols[c];
		struct qy_str v = field_value(sc, in_of[c]);
		const char *p = v.p;
		size_t n = v.len;
		room(o, 2 * n + 1); /* the tab, and text escaped at worst */
		if (c > 0)
			put_byte(o, '\t');
		canon_at[c] = CANON_SET;
		if (col->type == QY_T_TEXT) {
			/* Normalised text is the field trimmed: a slice will do. */
			canon[c] = trim_text(p, n);
			if (verbatim[c])
				put_plain(o, canon[c].p, canon[c].len);
			else
				put_field(o, canon[c].p, canon[c].len);
		} else if (n == 0) {
			/* Empty is every type's success with nothing to write (value.h). */
			canon[c].len = 0;
		} else {
			size_t off = o->len;
			if (qy_value_norm(col->type, p, n, col->lo, col->hi, o, &sc->why) != 0) {
				take_back(o, start);
				verdict_reject(k, col->name);
				return -1;
			}
			canon_at[c] = CANON_OUT;
			canon_off[c] = off;
			canon[c].p = o->data + off;
			canon[c].len = o->len - off;
			if (!verbatim[c])
				escape_canonical(sc, o, c, off);
		}
		if (canon[c].len > 0)
			continue;
		if (dflt[c] != NULL) {
			canon[c] = qy_str_of(dflt[c]); /* a constant: no copy */
			canon_at[c] = CANON_SET;
			room(o, canon[c].len);
			put_plain(o, canon[c].p, canon[c].len);
		} else if (col->flags & QY_COL_REQUIRED) {
			take_back(o, start);
			qy_buf_adds(&sc->why, "a required value is empty");
			verdict_reject(k, col->name);
			return -1;
		}
	}
	if (o->data != out0 || sc->norm.data != norm0)
		resolve_canon(sc, o, ncanon); /* rare: once the buffers are big enough */
	int bad_col = -1;		      /* why is still empty */
	if (qy_schema_check_row(s, canon, &bad_col, &sc->why) != 0) {
		take_back(o, start);
		verdict_reject(k, bad_col >= 0 ? cols[bad_col].name : "-");
		return -1;
	}
	note_ids(k);
	return 0;
}

/* A typed row: its canonical columns, then the columns the type does not
 * know as they came. */
static void
typed_row(struct check *k)
{
	struct qy_buf *o = &k->j->out;
	const struct scratch *sc = k->sc;
	size_t start = o->len;
	if (typed_columns(k, start) != 0)
		return;
	for (size_t c = k->g->s->ncols; c < k->g->ncols; c++) {
		struct qy_str v = field_value(sc, k->in->in_of[c]);
		room(o, 2 * v.len + 1);
		put_byte(o, '\t');
		put_value(o, sc, v);
	}
	room(o, 1);
	verdict_row(k, start);
}

static void
check_record(struct check *k)
{
	const struct qy_csv_rec *rec = k->rec;
	struct scratch *sc = k->sc;
	k->res->id0 = k->j->nids;
	k->res->nids = 0;
	if (rec->err != QY_CSV_OK) {
		check_malformed(k);
		return;
	}
	if (is_blank(&k->j->b, rec)) {
		k->res->verdict = V_BLANK;
		return;
	}
	if (rec->nfields != k->in->ncols) {
		qy_buf_reset(&sc->why);
		qy_buf_printf(&sc->why, "a ragged row: %zu fields, but the header has %zu",
			      rec->nfields, k->in->ncols);
		verdict_reject(k, "-");
		return;
	}
	if (rec->nfields > sc->cap_vals) {
		sc->cap_vals = rec->nfields;
		sc->vals = qy_xrealloc(sc->vals, sc->cap_vals * sizeof *sc->vals);
		sc->dec_off = qy_xrealloc(sc->dec_off, sc->cap_vals * sizeof *sc->dec_off);
	}
	sc->fields = NULL; /* until slice_fields says they need no copy */
	if (check_fields(k) != 0)
		return;
	if (k->g->s == NULL) {
		format_raw(k);
		return;
	}
	fold_cr(sc, rec);
	typed_row(k);
}

/* Checks every record of a job (on any worker). */
static void
check_job(struct ingest *g, struct scratch *sc, struct job *j)
{
	qy_buf_reset(&j->out);
	qy_buf_reset(&j->txt);
	j->nids = 0;
	if (j->b.nrecs > j->cap_res) {
		j->cap_res = j->b.nrecs;
		j->res = qy_xrealloc(j->res, j->cap_res * sizeof *j->res);
	}
	struct check k = {.g = g, .sc = sc, .j = j, .in = &g->in[j->input]};
	for (size_t r = 0; r < j->b.nrecs; r++) {
		k.rec = &j->b.recs[r];
		k.res = &j->res[r];
		check_record(&k);
	}
}

/* Checks the ids of a row against those accepted before it, and adds them.
 * Returns 0, or -1 when one is a duplicate (the reason in g->why, the
 * column in *col). */
static int
commit_ids(struct ingest *g, struct job *j, const struct result *res, size_t *col)
{
	for (size_t i = res->id0; i < res->id0 + res->nids; i++) {
		const struct row_id *id = &j->ids[i];
		struct qy_str v = row_id_value(j, id);
		size_t first_input;
		unsigned long first_line;
		/* More than one unique column: look them all up before adding any. */
		int dup = res->nids > 1
			      ? idset_find(&g->ids, v, id->hash, &first_input, &first_line)
			      : idset_add(&g->ids, v, id->hash, j->input,
					  j->b.recs[res - j->res].line, &first_input, &first_line);
		if (dup) {
			qy_buf_reset(&g->why);
			add_value(&g->sc, &g->why, v.p, v.len);
			qy_buf_printf(&g->why, " is a duplicate of %s:%lu",
				      g->in[first_input].rd.name, first_line);
			*col = id->col;
			return -1;
		}
	}
	for (size_t i = res->id0; res->nids > 1 && i < res->id0 + res->nids; i++) {
		const struct row_id *id = &j->ids[i];
		struct qy_str v = row_id_value(j, id);
		size_t first_input;
		unsigned long first_line;
		idset_add(&g->ids, v, id->hash, j->input, j->b.recs[res - j->res].line,
			  &first_input, &first_line);
	}
	return 0;
}

/* Before the first id: the number of rows to expect, from the size of the
 * inputs (when all are files) and the bytes per record of this batch. */
static void
estimate_ids(struct ingest *g, const struct job *j)
{
	unsigned long long total = 0;
	for (size_t i = 0; i < g->nin; i++) {
		if (g->in[i].rd.size == 0)
			return; /* a pipe: let the table grow */
		total += g->in[i].rd.size;
	}
	/* Field bytes plus a delimiter per field: a little under the input's. */
	size_t per_record = (j->b.nbytes + j->b.nfields) / j->b.nrecs + 1;
	idset_reserve(&g->ids, (size_t)(total / per_record) + 1);
}

/* Writes the rows j->out[from .. to) (accepted, in order) to the output. */
static void
write_rows(struct ingest *g, const struct job *j, size_t from, size_t to)
{
	if (to > from)
		qy_out_write(g->out, j->out.data + from, to - from);
}

/* Commits a checked job, in the order read: counts, messages, rejects,
 * duplicate ids, and the output (runs of rows written in one piece). */
static void
commit_job(struct ingest *g, struct job *j)
{
	if (j->failed)
		qy_fatal(g->d, "%s", j->why.data);
	if (g->ids.slot == NULL && j->nids > 0)
		estimate_ids(g, j);
	struct input *in = &g->in[j->input];
	size_t run = 0, run_end = 0; /* rows of j->out not yet written */
	size_t ahead = 0;	     /* ids whose table slots are being loaded */
	for (size_t r = 0; r < j->b.nrecs; r++) {
		/* The table is far bigger than the caches: load a few slots ahead. */
		for (; ahead < j->nids && ahead < j->res[r].id0 + PREFETCH; ahead++)
			idset_prefetch(&g->ids, j->ids[ahead].hash);
		const struct qy_csv_rec *rec = &j->b.recs[r];
		const struct result *res = &j->res[r];
		const char *txt = res->verdict == V_REJECT || res->verdict == V_FATAL
				      ? j->txt.data + res->off
				      : NULL;
		size_t col;
		g->nread++;
		switch (res->verdict) {
		case V_BLANK:
			g->blank++;
			break;
		case V_REJECT:
			reject(g, in, &j->b, rec, txt, txt + strlen(txt) + 1);
			break;
		case V_FATAL:
			write_rows(g, j, run, run_end);
			qy_fatal_at(g->d, in->rd.name, rec->line, "%s", txt);
		case V_ROW:
			if (res->nids > 0 && commit_ids(g, j, res, &col) != 0) {
				write_rows(g, j, run, run_end);
				run = run_end = res->off + res->len;
				reject(g, in, &j->b, rec, g->s->cols[col].name, g->why.data);
				break;
			}
			run_end = res->off + res->len;
			g->accepted++;
			break;
		}
	}
	write_rows(g, j, run, run_end);
}

/* ---- the pipeline -----------------------------------------------------------
 *
 * One thread reads and splits (csvin), handing out batches in order; with
 * --threads 2 (the default on two or more cores) two workers check them in
 * parallel and commit them in that order.  Whoever finishes first waits for
 * its turn to commit; nothing depends on which thread did what. */

enum job_state { JOB_FREE, JOB_READ, JOB_CHECKING, JOB_CHECKED };

struct pipeline {
	struct ingest *g;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct job jobs[QUEUE];
	unsigned long next_read, next_check, next_commit; /* sequence numbers */
	int read_all;					  /* the reader is done */
	int committing;					  /* a thread is committing */
};

/* Fills job j with the next batch; returns 1 when it holds the last one. */
static int
read_job(struct ingest *g, size_t *input, struct job *j)
{
	qy_csv_batch_clear(&j->b);
	j->input = *input;
	j->last = j->failed = 0;
	while (*input < g->nin) {
		struct input *in = &g->in[*input];
		long n = in->has_header
			     ? qy_csvin_read(&in->rd, &j->b, BATCH_RECS, BATCH_BYTES, &j->why)
			     : 0;
		if (n < 0) {
			j->failed = j->last = 1;
			return 1;
		}
		if (n > 0)
			return 0;
		(*input)++;
		j->input = *input;
	}
	j->last = 1;
	return 1;
}

static void *
reader_main(void *arg)
{
	struct pipeline *p = arg;
	size_t input = 0;
	for (int last = 0; !last;) {
		pthread_mutex_lock(&p->lock);
		struct job *j = &p->jobs[p->next_read % QUEUE];
		while (j->state != JOB_FREE)
			pthread_cond_wait(&p->changed, &p->lock);
		pthread_mutex_unlock(&p->lock);
		last = read_job(p->g, &input, j);
		pthread_mutex_lock(&p->lock);
		j->seq = p->next_read++;
		j->state = JOB_READ;
		p->read_all = last;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

/* Commits the checked jobs next in order, unless another thread is already
 * at it (that one goes on with them).  Called and returns with the lock. */
static void
commit_ready(struct pipeline *p)
{
	if (p->committing)
		return;
	p->committing = 1;
	for (;;) {
		struct job *c = &p->jobs[p->next_commit % QUEUE];
		if (c->state != JOB_CHECKED || c->seq != p->next_commit)
			break;
		pthread_mutex_unlock(&p->lock);
		commit_job(p->g, c);
		pthread_mutex_lock(&p->lock);
		c->state = JOB_FREE;
		p->next_commit++;
		pthread_cond_broadcast(&p->changed);
	}
	p->committing = 0;
}

/* A worker: takes the next batch read, checks it, and commits what is
 * ready in order.  A worker never waits for its turn to commit: the job is
 * left checked, for whichever thread commits next.  Ends when every batch
 * is taken and there is nothing it could commit. */
static void
work(struct pipeline *p, struct scratch *sc)
{
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job *j = &p->jobs[p->next_check % QUEUE];
		if (j->state == JOB_READ && j->seq == p->next_check) {
			j->state = JOB_CHECKING;
			p->next_check++;
			pthread_mutex_unlock(&p->lock);
			check_job(p->g, sc, j);
			pthread_mutex_lock(&p->lock);
			j->state = JOB_CHECKED;
			commit_ready(p);
			continue;
		}
		if (p->read_all && p->next_check == p->next_read)
			break; /* all taken: the last checker commits the rest */
		pthread_cond_wait(&p->changed, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
}

static void
scratch_init(struct scratch *sc, const struct ingest *g)
{
	memset(sc, 0, sizeof *sc);
	size_t n = g->s != NULL ? g->s->ncols : 1;
	sc->canon_off = qy_xmalloc(n * sizeof *sc->canon_off);
	sc->canon_at = qy_xmalloc(n * sizeof *sc->canon_at);
	sc->canon = qy_xmalloc(n * sizeof *sc->canon);
}

static void
scratch_free(struct scratch *sc)
{
	qy_buf_free(&sc->dec);
	qy_buf_free(&sc->fold);
	qy_buf_free(&sc->norm);
	qy_buf_free(&sc->why);
	qy_buf_free(&sc->tmp);
	free(sc->vals);
	free(sc->dec_off);
	free(sc->canon_off);
	free(sc->canon_at);
	free(sc->canon);
	if (sc->gb_open)
		qy_gb18030_close(&sc->gb);
	memset(sc, 0, sizeof *sc);
}

static void *
worker_main(void *arg)
{
	struct pipeline *p = arg;
	struct scratch sc;
	scratch_init(&sc, p->g);
	work(p, &sc);
	scratch_free(&sc);
	return NULL;
}

static void
free_job(struct job *j)
{
	qy_csv_batch_free(&j->b);
	qy_buf_free(&j->why);
	qy_buf_free(&j->out);
	qy_buf_free(&j->txt);
	free(j->res);
	free(j->ids);
}

static void
run_rows(struct ingest *g)
{
	/* Workers check with a scratch of their own: g->sc is the commits'. */
	struct scratch sc;
	scratch_init(&sc, g);
	if (g->o->threads < 2) {
		struct job j;
		memset(&j, 0, sizeof j);
		size_t input = 0;
		for (int last = 0; !last;) {
			last = read_job(g, &input, &j);
			if (!j.failed)
				check_job(g, &sc, &j);
			commit_job(g, &j);
		}
		free_job(&j);
		scratch_free(&sc);
		return;
	}
	/* The pipeline is on the heap: a fatal error in a commit exits while
	 * the other threads still use it. */
	struct pipeline *p;
	if (posix_memalign((void **)&p, _Alignof(struct pipeline), sizeof *p) != 0)
		qy_fatal(g->d, "out of memory");
	memset(p, 0, sizeof *p);
	p->g = g;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	pthread_t reader, helper;
	if (pthread_create(&reader, NULL, reader_main, p) != 0 ||
	    pthread_create(&helper, NULL, worker_main, p) != 0)
		qy_fatal(g->d, "cannot start a thread:");
	work(p, &sc);
	pthread_join(helper, NULL);
	pthread_join(reader, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	for (size_t i = 0; i < QUEUE; i++)
		free_job(&p->jobs[i]);
	free(p);
	scratch_free(&sc);
}

/* ---- the run ---------------------------------------------------------------- */

static void
write_header(struct ingest *g)
{
	int any = 0;
	for (size_t i = 0; i < g->nin; i++)
		any |= g->in[i].has_header;
	if (!any)
		return; /* raw and every input empty: an empty output */
	for (size_t k = 0; k < g->ncols; k++) {
		if (k > 0)
			qy_out_putc(g->out, '\t');
		qy_tsv_put_field(g->out, g->cols[k].name, strlen(g->cols[k].name));
	}
	qy_out_putc(g->out, '\n');
}

static void
cleanup(struct ingest *g)
{
	for (size_t i = 0; i < g->nin; i++) {
		struct input *in = &g->in[i];
		qy_csvin_close(&in->rd);
		for (size_t j = 0; j < in->ncols; j++)
			free(in->cells[j]);
		free(in->cells);
		free(in->out_of);
		free(in->in_of);
	}
	free(g->in);
	for (size_t k = 0; k < g->ncols; k++) {
		free(g->cols[k].name);
		free(g->cols[k].rej_name);
	}
	free(g->cols);
	free(g->cell_of);
	free(g->dflt);
	free(g->verbatim);
	free(g->verbatim_plain);
	free(g->unique);
	scratch_free(&g->sc);
	qy_csv_batch_free(&g->header_batch);
	qy_buf_free(&g->read_why);
	qy_buf_free(&g->why);
	qy_buf_free(&g->msg);
	qy_buf_free(&g->name);
	qy_buf_free(&g->rej);
	idset_free(&g->ids);
}

int
qy_ingest_run(const struct qy_ingest_opts *o, char *const *paths, size_t npaths, struct qy_out *out,
	      struct qy_diag *d)
{
	struct ingest g;
	memset(&g, 0, sizeof g);
	g.o = o;
	g.d = d;
	g.out = out;
	g.s = o->schema;
	g.rej_fd = -1;
	scratch_init(&g.sc, &g);
	if (g.s != NULL) {
		g.cell_of = qy_xmalloc(g.s->ncols * sizeof *g.cell_of);
		g.dflt = qy_xmalloc(g.s->ncols * sizeof *g.dflt);
		g.verbatim = qy_xmalloc(g.s->ncols);
		g.verbatim_plain = qy_xmalloc(g.s->ncols);
		for (size_t c = 0; c < g.s->ncols; c++) {
			g.dflt[c] = default_of(g.s, c);
			g.verbatim[c] = is_verbatim(g.s->cols[c].type);
			/* Text is a slice of its field: plain when the record is. */
			g.verbatim_plain[c] = g.verbatim[c] || g.s->cols[c].type == QY_T_TEXT;
			if (g.s->cols[c].flags & QY_COL_UNIQUE) {
				g.unique =
				    qy_xrealloc(g.unique, (g.nunique + 1) * sizeof *g.unique);
				g.unique[g.nunique++] = c;
			}
		}
	}
	open_inputs(&g, paths, npaths);
	rej_open(&g);
	write_header(&g);
	run_rows(&g);
	qy_out_close(out);
	rej_finish(&g);
	if (o->stats)
		qy_note(d, "read %llu, accepted %llu, rejected %llu, blank %llu", g.nread,
			g.accepted, g.rejected, g.blank);
	cleanup(&g);
	return qy_diag_status(d);
}
