/* out.c — buffered, checked output; atomic -o. */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"

enum { OUT_BUFSIZE = 1 << 18 };

void
qy_out_open(struct qy_out *o, const char *path, struct qy_diag *d)
{
	memset(o, 0, sizeof *o);
	o->diag = d;
	o->cap = OUT_BUFSIZE;
	o->buf = qy_xmalloc(o->cap);
	d->out = o;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->name = "<stdout>";
		return;
	}
	o->final_path = qy_xstrdup(path);
	o->name = o->final_path;
	size_t n = strlen(path);
	o->tmp_path = qy_xmalloc(n + sizeof ".tmpXXXXXX");
	memcpy(o->tmp_path, path, n);
	memcpy(o->tmp_path + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
	o->fd = mkstemp(o->tmp_path);
	if (o->fd < 0) {
		free(o->tmp_path);
		o->tmp_path = NULL;
		qy_fatal(d, "cannot create %s:", path);
	}
	/* mkstemp makes 0600; a plain output file follows the umask. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);
}

static _Noreturn void
write_failed(struct qy_out *o)
{
	if (errno == EPIPE) {
		/* The reader went away (| head): end as quietly as SIGPIPE would. */
		qy_out_abort(o);
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(QY_EXIT_FATAL);
	}
	qy_fatal(o->diag, "write error on %s:", o->name);
}

/* Writes all n bytes of p to the file, or fails. */
static void
write_all(struct qy_out *o, const char *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(o->fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			write_failed(o);
		done += (size_t)k;
	}
}

void
qy_out_flush(struct qy_out *o)
{
	write_all(o, o->buf, o->len);
	o->len = 0;
}

void
qy_out_spill(struct qy_out *o, const void *p, size_t n)
{
	const char *s = p;
	if (n >= o->cap) {
		/* A chunk as big as the buffer gains nothing from a copy through
		 * it (qy-ingest hands over whole batches of rows): write what is
		 * buffered, then the chunk itself, in order. */
		qy_out_flush(o);
		write_all(o, s, n);
		return;
	}
	while (n > 0) {
		if (o->len == o->cap)
			qy_out_flush(o);
		size_t k = o->cap - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

void
qy_out_printf(struct qy_out *o, const char *fmt, ...)
{
	struct qy_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	qy_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	qy_out_write(o, b.data, b.len);
	qy_buf_free(&b);
}

void
qy_out_close(struct qy_out *o)
{
	qy_out_flush(o);
	if (o->tmp_path != NULL) {
		if (fsync(o->fd) != 0 && errno != EINVAL)
			write_failed(o);
		if (close(o->fd) != 0)
			write_failed(o);
		o->fd = -1;
		if (rename(o->tmp_path, o->final_path) != 0)
			qy_fatal(o->diag, "cannot rename %s to %s:", o->tmp_path, o->final_path);
		free(o->tmp_path);
		o->tmp_path = NULL;
	} else if (close(o->fd) != 0 && errno != EINTR) {
		write_failed(o);
	}
	o->fd = -1;
	free(o->buf);
	o->buf = NULL;
	free(o->final_path);
	o->final_path = NULL;
	o->diag->out = NULL;
}

void
qy_out_abort(struct qy_out *o)
{
	o->len = 0;
	if (o->tmp_path != NULL) {
		unlink(o->tmp_path);
		free(o->tmp_path);
		o->tmp_path = NULL;
	}
}
