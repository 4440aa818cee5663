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

enum {
	BATCH_RECS = 4096,     /* records per batch */
	BATCH_BYTES = 1 << 20, /* or field bytes per batch */
	REJ_FLUSH = 1 << 16,   /* the rejects body is written in pieces this big */
	QUEUE = 4,	       /* batches in flight between the reader and the checker */
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

static void
put_varint(struct qy_buf *b, uint64_t v)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	qy_buf_add(b, tmp, n);
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

static void
idset_grow(struct idset *s)
{
	size_t n = s->slot ? (s->mask + 1) * 2 : 1 << 16;
	uint64_t *slot = qy_xcalloc(n, sizeof *slot);
	for (size_t i = 0; s->slot && i <= s->mask; i++) {
		if (s->slot[i] == 0)
			continue;
		size_t input;
		unsigned long line;
		struct qy_str id =
		    idset_entry(s, (size_t)(s->slot[i] >> TAG_BITS) - 1, &input, &line);
		size_t j = (size_t)hash_bytes(id.p, id.len) & (n - 1);
		while (slot[j] != 0)
			j = (j + 1) & (n - 1);
		slot[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = slot;
	s->mask = n - 1;
}

/* Adds id from input:line unless it is there already.  Returns 0 when
 * added, else 1 with where the first one came from. */
static int
idset_add(struct idset *s, struct qy_str id, size_t input, unsigned long line, size_t *first_input,
	  unsigned long *first_line)
{
	if (s->slot == NULL || (s->count + 1) * 4 > (s->mask + 1) * 3)
		idset_grow(s);
	uint64_t h = hash_bytes(id.p, id.len);
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
	put_varint(&s->arena, input);
	put_varint(&s->arena, line);
	put_varint(&s->arena, id.len);
	qy_buf_add(&s->arena, id.p, id.len);
	s->slot[j] = ((uint64_t)(off + 1) << TAG_BITS) | tag;
	s->count++;
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
	struct qy_csvin rd;
	int has_header; /* 0: the input is empty */
	unsigned long header_line;
	size_t ncols;	    /* header cells */
	char **cells;	    /* the header cells as read (UTF-8, NUL-terminated) */
	int *out_of;	    /* per cell: its output column, or an enum cell_kind */
	size_t first_data;  /* a rejects file read again: its cells before this */
	size_t first_extra; /* and from this on (extra_1, extra_2, …) are no data */
	int *in_of;	    /* per output column: the cell holding it, or -1 */
	struct qy_gb18030 gb;
	int gb_open;
};

/* A batch of records from one input, passed from the reader to the checker. */
struct job {
	struct qy_csv_batch b;
	size_t input;
	int last;   /* no more records after this one */
	int failed; /* a read error, the reason in why */
	struct qy_buf why;
};

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
	/* per-row scratch, reused */
	struct qy_buf dec;   /* decoded fields of a GB18030 input */
	struct qy_buf fold;  /* fields with CR folded */
	struct qy_str *vals; /* the row's fields as UTF-8 */
	size_t *dec_off;     /* per field: where in dec or fold it went */
	size_t cap_vals;
	struct qy_buf norm; /* normalised values */
	size_t *norm_off;   /* per canonical column: [off, off + len) in norm */
	size_t *norm_len;
	struct qy_str *canon; /* per canonical column: its normalised value */
	struct qy_buf why, msg, tmp, name;
	int *cell_of; /* per canonical column: the header cell holding it */
	struct qy_csv_batch header_batch;
	struct qy_buf read_why;
	/* counts */
	unsigned long long nread, accepted, rejected, blank;
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
add_value(struct ingest *g, struct qy_buf *b, const char *p, size_t n)
{
	if (n > 240)
		n = 240; /* qy_buf_add_quoted shows 60; keep a little more for the repairs */
	qy_buf_reset(&g->tmp);
	qy_utf8_repair(&g->tmp, p, n);
	struct qy_buf clean = {0};
	for (size_t i = 0; i < g->tmp.len; i++) {
		unsigned char c = (unsigned char)g->tmp.data[i];
		unsigned char c2 = i + 1 < g->tmp.len ? (unsigned char)g->tmp.data[i + 1] : 0;
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
		add_value(g, b, in->cells[j], strlen(in->cells[j]));
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

/* Appends the UTF-8 text of a raw field, invalid bytes as U+FFFD. */
static void
add_repaired(struct input *in, struct qy_buf *out, const char *p, size_t n)
{
	if (in->rd.enc == QY_ENC_GB18030)
		qy_gb18030_decode(&in->gb, p, n, out, NULL);
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
		qy_buf_reset(&g->tmp);
		add_repaired(in, &g->tmp, b->bytes + f->off, f->len);
		qy_tsv_escape(r, g->tmp.data, g->tmp.len);
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
		invalid = qy_gb18030_decode(&in->gb, p, f->len, &cell, &bad) != 0;
	} else {
		bad = qy_utf8_valid_len(p, f->len);
		invalid = bad < f->len;
		qy_utf8_repair(&cell, p, f->len);
	}
	if (invalid) {
		/* Names in the wrong encoding would only make confusing errors later. */
		qy_buf_reset(&g->msg);
		add_value(g, &g->msg, cell.data, cell.len);
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
		add_value(g, &g->msg, cell.data, cell.len);
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
				add_value(g, &g->why, name, strlen(name));
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
	g->in = qy_xcalloc(npaths, sizeof *g->in);
	if (g->s != NULL)
		for (size_t c = 0; c < g->s->ncols; c++)
			add_col(g, g->s->cols[c].name, (int)c);
	for (size_t i = 0; i < npaths; i++) {
		struct input *in = &g->in[i];
		if (qy_csvin_open(&in->rd, paths[i], &g->o->csv, &g->read_why) != 0)
			qy_fatal(g->d, "%s", g->read_why.data);
		if (in->rd.enc == QY_ENC_GB18030) {
			if (qy_gb18030_open(&in->gb) != 0)
				qy_fatal(g->d, "this system's iconv cannot decode GB18030");
			in->gb_open = 1;
		}
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
		for (size_t j = 0; j < in->ncols; j++)
			if (in->out_of[j] >= 0)
				in->in_of[in->out_of[j]] = (int)j;
	}
}

/* ---- rows ------------------------------------------------------------------ */

/* Problems of the whole record found while splitting it. */
static void
reject_malformed(struct ingest *g, struct input *in, const struct qy_csv_batch *b,
		 const struct qy_csv_rec *rec)
{
	const struct qy_csv_field *last = &b->fields[rec->field0 + rec->nfields - 1];
	struct qy_buf *w = &g->why;
	qy_buf_reset(w);
	switch (rec->err) {
	case QY_CSV_QUOTE_IN_FIELD:
		qy_buf_adds(w, "a quote inside an unquoted field: ");
		add_value(g, w, b->bytes + last->off, last->len);
		qy_buf_adds(w, " (quote the whole field and double the quote)");
		break;
	case QY_CSV_AFTER_QUOTE:
		qy_buf_printf(w, "'%c' after the closing quote of a field: ", rec->err_byte);
		if (rec->err_byte < 0x20 || rec->err_byte >= 0x7F)
			qy_buf_printf(w, "(byte 0x%02X) ", rec->err_byte);
		add_value(g, w, b->bytes + last->off, last->len);
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
	reject(g, in, b, rec, "-", w->data);
}

/* Decodes and checks every field of a row: --max-field, the encoding,
 * control characters, a value under a nameless column.  Fills g->vals.
 * Returns 0, or -1 when the row was rejected. */
static int
check_fields(struct ingest *g, struct input *in, const struct qy_csv_batch *b,
	     const struct qy_csv_rec *rec)
{
	const struct qy_csv_field *f = b->fields + rec->field0;
	const int gb = in->rd.enc == QY_ENC_GB18030;
	char tmp[32];
	if (gb)
		qy_buf_reset(&g->dec);
	for (size_t j = in->first_extra; j < rec->nfields; j++) {
		if (f[j].len == 0)
			continue;
		qy_buf_reset(&g->why);
		qy_buf_printf(&g->why, "a surplus field (%s) holds ", in->cells[j]);
		add_value(g, &g->why, b->bytes + f[j].off, f[j].len);
		qy_buf_adds(&g->why, " (the row had more fields than the header)");
		reject(g, in, b, rec, "-", g->why.data);
		return -1;
	}
	for (size_t j = 0; j < rec->nfields; j++) {
		const char *p = b->bytes + f[j].off;
		size_t n = f[j].len;
		if (in->out_of[j] == CELL_META || in->out_of[j] == CELL_EXTRA) {
			g->vals[j].p = p;
			g->vals[j].len = 0;
			continue;
		}
		if (n > g->o->max_field) {
			qy_buf_reset(&g->why);
			qy_buf_printf(&g->why, "a field of %zu bytes, over --max-field %zu: ", n,
				      g->o->max_field);
			add_value(g, &g->why, p, n);
			reject(g, in, b, rec, column_name(g, in, j, tmp, sizeof tmp), g->why.data);
			return -1;
		}
		size_t off = 0, at;
		unsigned cp;
		int bad = 0;
		if (gb && !qy_ascii_only(p, n)) {
			/* dec may move as it grows: the pointer is made at the end. */
			size_t start = g->dec.len;
			bad = qy_gb18030_decode(&in->gb, p, n, &g->dec, &off) != 0;
			g->vals[j].p = NULL;
			g->dec_off[j] = start;
			p = g->dec.data + start;
			n = g->dec.len - start;
		} else {
			g->vals[j].p = p;
		}
		g->vals[j].len = n;
		int problem = bad ? QY_TEXT_INVALID : qy_utf8_scan(p, n, &at, &cp);
		if (problem == QY_TEXT_INVALID) {
			if (!bad)
				off = at;
			qy_buf_reset(&g->why);
			qy_buf_printf(&g->why, "invalid %s at byte %zu of ",
				      qy_enc_name(in->rd.enc), off + 1);
			add_value(g, &g->why, p, n);
			if (in->rd.enc == QY_ENC_UTF8)
				qy_buf_adds(&g->why, " (the input is read as UTF-8; -e gb18030 "
						     "reads GB18030)");
			reject(g, in, b, rec, column_name(g, in, j, tmp, sizeof tmp), g->why.data);
			return -1;
		}
		if (problem == QY_TEXT_CONTROL) {
			qy_buf_reset(&g->why);
			qy_buf_printf(&g->why, "the control character U+%04X in ", cp);
			add_value(g, &g->why, p, n);
			reject(g, in, b, rec, column_name(g, in, j, tmp, sizeof tmp), g->why.data);
			return -1;
		}
	}
	for (size_t j = 0; gb && j < rec->nfields; j++)
		if (g->vals[j].p == NULL)
			g->vals[j].p = g->dec.data + g->dec_off[j];
	for (size_t j = 0; j < rec->nfields; j++) {
		if (in->out_of[j] != CELL_NAMELESS)
			continue;
		struct qy_str t = qy_trim(g->vals[j].p, g->vals[j].len);
		if (t.len == 0)
			continue;
		qy_buf_reset(&g->msg);
		add_value(g, &g->msg, t.p, t.len);
		qy_fatal_at(g->d, in->rd.name, rec->line,
			    "column %zu has no name in the header (line %lu), but holds %s", j + 1,
			    in->header_line, g->msg.data);
	}
	return 0;
}

static void
write_raw(struct ingest *g, struct input *in)
{
	struct qy_out *o = g->out;
	for (size_t k = 0; k < g->ncols; k++) {
		if (k > 0)
			qy_out_putc(o, '\t');
		int j = in->in_of[k];
		if (j >= 0)
			qy_tsv_put_field(o, g->vals[j].p, g->vals[j].len);
	}
	qy_out_putc(o, '\n');
}

/* Typed ingest folds CRLF and a lone CR inside quoted fields into LF. */
static void
fold_cr(struct ingest *g, const struct qy_csv_rec *rec)
{
	if (!rec->quoted)
		return;
	qy_buf_reset(&g->fold);
	for (size_t j = 0; j < rec->nfields; j++) {
		struct qy_str v = g->vals[j];
		g->dec_off[j] = SIZE_MAX;
		if (v.len == 0 || memchr(v.p, '\r', v.len) == NULL)
			continue;
		g->dec_off[j] = g->fold.len;
		for (size_t i = 0; i < v.len; i++) {
			if (v.p[i] != '\r') {
				qy_buf_addc(&g->fold, v.p[i]);
				continue;
			}
			qy_buf_addc(&g->fold, '\n');
			if (i + 1 < v.len && v.p[i + 1] == '\n')
				i++;
		}
		g->vals[j].len = g->fold.len - g->dec_off[j];
	}
	for (size_t j = 0; j < rec->nfields; j++)
		if (g->dec_off[j] != SIZE_MAX)
			g->vals[j].p = g->fold.data + g->dec_off[j];
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

/* Normalises every canonical column; checks required values, the row rules
 * and duplicate ids.  Returns 0, or -1 when the row was rejected. */
static int
check_typed(struct ingest *g, size_t input, struct input *in, const struct qy_csv_batch *b,
	    const struct qy_csv_rec *rec)
{
	const struct qy_schema *s = g->s;
	qy_buf_reset(&g->norm);
	for (size_t c = 0; c < s->ncols; c++) {
		const struct qy_column *col = &s->cols[c];
		int j = in->in_of[c];
		const char *p = j >= 0 ? g->vals[j].p : "";
		size_t n = j >= 0 ? g->vals[j].len : 0;
		g->norm_off[c] = g->norm.len;
		qy_buf_reset(&g->why);
		if (qy_value_norm(col->type, p, n, col->lo, col->hi, &g->norm, &g->why) != 0) {
			reject(g, in, b, rec, col->name, g->why.data);
			return -1;
		}
		g->norm_len[c] = g->norm.len - g->norm_off[c];
		if (g->norm_len[c] > 0)
			continue;
		const char *dflt = default_of(s, c);
		if (dflt != NULL) {
			qy_buf_adds(&g->norm, dflt);
			g->norm_len[c] = strlen(dflt);
		} else if (col->flags & QY_COL_REQUIRED) {
			reject(g, in, b, rec, col->name, "a required value is empty");
			return -1;
		}
	}
	for (size_t c = 0; c < s->ncols; c++) {
		g->canon[c].p = g->norm.data + g->norm_off[c];
		g->canon[c].len = g->norm_len[c];
	}
	int bad_col = -1;
	qy_buf_reset(&g->why);
	if (qy_schema_check_row(s, g->canon, &bad_col, &g->why) != 0) {
		reject(g, in, b, rec, bad_col >= 0 ? s->cols[bad_col].name : "-", g->why.data);
		return -1;
	}
	for (size_t c = 0; c < s->ncols; c++) {
		if (!(s->cols[c].flags & QY_COL_UNIQUE) || g->canon[c].len == 0)
			continue;
		size_t first_input;
		unsigned long first_line;
		if (idset_add(&g->ids, g->canon[c], input, rec->line, &first_input, &first_line)) {
			qy_buf_reset(&g->why);
			add_value(g, &g->why, g->canon[c].p, g->canon[c].len);
			qy_buf_printf(&g->why, " is a duplicate of %s:%lu",
				      g->in[first_input].rd.name, first_line);
			reject(g, in, b, rec, s->cols[c].name, g->why.data);
			return -1;
		}
	}
	return 0;
}

static void
write_typed(struct ingest *g, struct input *in)
{
	struct qy_out *o = g->out;
	const size_t ncanon = g->s->ncols;
	for (size_t c = 0; c < ncanon; c++) {
		if (c > 0)
			qy_out_putc(o, '\t');
		qy_tsv_put_field(o, g->canon[c].p, g->canon[c].len);
	}
	for (size_t k = ncanon; k < g->ncols; k++) {
		qy_out_putc(o, '\t');
		int j = in->in_of[k];
		if (j >= 0)
			qy_tsv_put_field(o, g->vals[j].p, g->vals[j].len);
	}
	qy_out_putc(o, '\n');
}

static void
process(struct ingest *g, size_t input, const struct qy_csv_batch *b, const struct qy_csv_rec *rec)
{
	struct input *in = &g->in[input];
	g->nread++;
	if (rec->err != QY_CSV_OK) {
		reject_malformed(g, in, b, rec);
		return;
	}
	if (is_blank(b, rec)) {
		g->blank++;
		return;
	}
	if (rec->nfields != in->ncols) {
		qy_buf_reset(&g->why);
		qy_buf_printf(&g->why, "a ragged row: %zu fields, but the header has %zu",
			      rec->nfields, in->ncols);
		reject(g, in, b, rec, "-", g->why.data);
		return;
	}
	if (rec->nfields > g->cap_vals) {
		g->cap_vals = rec->nfields;
		g->vals = qy_xrealloc(g->vals, g->cap_vals * sizeof *g->vals);
		g->dec_off = qy_xrealloc(g->dec_off, g->cap_vals * sizeof *g->dec_off);
	}
	if (check_fields(g, in, b, rec) != 0)
		return;
	if (g->s == NULL) {
		write_raw(g, in);
		g->accepted++;
		return;
	}
	fold_cr(g, rec);
	if (check_typed(g, input, in, b, rec) == 0) {
		write_typed(g, in);
		g->accepted++;
	}
}

/* ---- the reader thread ------------------------------------------------------
 *
 * Reading and splitting (csvin) run on a thread of their own when there are
 * two cores to use; the checker takes the batches in the order they were
 * read, so the output is the same byte for byte. */

struct pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct job *slot[QUEUE];
	size_t head, count; /* filled jobs, oldest at head */
	struct job *spare[QUEUE];
	size_t nspare;
	struct ingest *g;
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

static void
run_job(struct ingest *g, struct job *j)
{
	if (j->failed)
		qy_fatal(g->d, "%s", j->why.data);
	for (size_t r = 0; r < j->b.nrecs; r++)
		process(g, j->input, &j->b, &j->b.recs[r]);
}

static void *
reader_main(void *arg)
{
	struct pipe *p = arg;
	size_t input = 0;
	for (int last = 0; !last;) {
		pthread_mutex_lock(&p->lock);
		while (p->nspare == 0)
			pthread_cond_wait(&p->changed, &p->lock);
		struct job *j = p->spare[--p->nspare];
		pthread_mutex_unlock(&p->lock);
		last = read_job(p->g, &input, j);
		pthread_mutex_lock(&p->lock);
		p->slot[(p->head + p->count) % QUEUE] = j;
		p->count++;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

static void
run_rows(struct ingest *g)
{
	struct job jobs[QUEUE];
	memset(jobs, 0, sizeof jobs);
	if (g->o->threads < 2) {
		size_t input = 0;
		for (int last = 0; !last;) {
			last = read_job(g, &input, &jobs[0]);
			run_job(g, &jobs[0]);
		}
	} else {
		struct pipe p = {.g = g};
		pthread_mutex_init(&p.lock, NULL);
		pthread_cond_init(&p.changed, NULL);
		for (size_t i = 0; i < QUEUE; i++)
			p.spare[p.nspare++] = &jobs[i];
		pthread_t reader;
		if (pthread_create(&reader, NULL, reader_main, &p) != 0)
			qy_fatal(g->d, "cannot start the reader thread:");
		for (int last = 0; !last;) {
			pthread_mutex_lock(&p.lock);
			while (p.count == 0)
				pthread_cond_wait(&p.changed, &p.lock);
			struct job *j = p.slot[p.head];
			pthread_mutex_unlock(&p.lock);
			last = j->last;
			/* A fatal error exits here while the reader may still run:
			 * it only reads, so that is safe. */
			run_job(g, j);
			pthread_mutex_lock(&p.lock);
			p.head = (p.head + 1) % QUEUE;
			p.count--;
			p.spare[p.nspare++] = j;
			pthread_cond_broadcast(&p.changed);
			pthread_mutex_unlock(&p.lock);
		}
		pthread_join(reader, NULL);
		pthread_mutex_destroy(&p.lock);
		pthread_cond_destroy(&p.changed);
	}
	for (size_t i = 0; i < QUEUE; i++) {
		qy_csv_batch_free(&jobs[i].b);
		qy_buf_free(&jobs[i].why);
	}
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
		if (in->gb_open)
			qy_gb18030_close(&in->gb);
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
	free(g->vals);
	free(g->dec_off);
	qy_buf_free(&g->fold);
	free(g->norm_off);
	free(g->norm_len);
	free(g->canon);
	free(g->cell_of);
	qy_csv_batch_free(&g->header_batch);
	qy_buf_free(&g->read_why);
	qy_buf_free(&g->name);
	qy_buf_free(&g->dec);
	qy_buf_free(&g->norm);
	qy_buf_free(&g->why);
	qy_buf_free(&g->msg);
	qy_buf_free(&g->tmp);
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
	if (g.s != NULL) {
		g.norm_off = qy_xmalloc(g.s->ncols * sizeof *g.norm_off);
		g.norm_len = qy_xmalloc(g.s->ncols * sizeof *g.norm_len);
		g.canon = qy_xmalloc(g.s->ncols * sizeof *g.canon);
		g.cell_of = qy_xmalloc(g.s->ncols * sizeof *g.cell_of);
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
