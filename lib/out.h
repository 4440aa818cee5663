/* out.h — buffered output where every write is checked.
 *
 * A program opens one qy_out on stdout or, with -o FILE, on a temporary file
 * beside FILE that qy_out_close renames into place: a failed run never leaves
 * a half-written FILE.  A write error is fatal (exit 2, with a message); a
 * closed pipe (| head) ends the program quietly. */
#ifndef QY_OUT_H
#define QY_OUT_H

#include <stddef.h>
#include <string.h>

struct qy_diag;

struct qy_out {
	int fd;
	const char *name; /* for messages */
	char *buf;
	size_t len;
	size_t cap;
	char *tmp_path;	  /* -o: the temporary file, else NULL */
	char *final_path; /* -o: where it goes on success */
	struct qy_diag *diag;
};

/* path NULL or "-" is stdout.  Registers itself with d, so that a fatal
 * error removes the temporary file. */
void qy_out_open(struct qy_out *o, const char *path, struct qy_diag *d);
void qy_out_flush(struct qy_out *o);
/* Flushes, closes (and renames for -o); fatal on any error. */
void qy_out_close(struct qy_out *o);
/* Drops everything written; removes the temporary file.  Safe to call twice. */
void qy_out_abort(struct qy_out *o);

void qy_out_spill(struct qy_out *o, const void *p, size_t n);

static inline void
qy_out_write(struct qy_out *o, const void *p, size_t n)
{
	if (o->cap - o->len >= n) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		qy_out_spill(o, p, n);
	}
}

static inline void
qy_out_putc(struct qy_out *o, char c)
{
	if (o->len == o->cap)
		qy_out_flush(o);
	o->buf[o->len++] = c;
}

static inline void
qy_out_puts(struct qy_out *o, const char *s)
{
	qy_out_write(o, s, strlen(s));
}

void qy_out_printf(struct qy_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
