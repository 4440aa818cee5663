/* msg.c — the one error path. */
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "out.h"

void
qy_diag_init(struct qy_diag *d, const char *prog)
{
	d->prog = prog;
	d->problems = 0;
	d->out = NULL;
	/* One write per message line, whoever else writes to the terminal. */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

static void
emit(struct qy_diag *d, const char *file, unsigned long line, const char *fmt, va_list ap, int err)
{
	struct qy_buf b = {0};
	qy_buf_printf(&b, "%s: ", d->prog);
	if (file != NULL)
		qy_buf_printf(&b, "%s:%lu: ", file, line);
	qy_buf_vprintf(&b, fmt, ap);
	size_t n = strlen(fmt);
	if (n > 0 && fmt[n - 1] == ':')
		qy_buf_printf(&b, " %s", strerror(err));
	qy_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stderr);
	qy_buf_free(&b);
}

void
qy_problem(struct qy_diag *d, const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, file, line, fmt, ap, 0);
	va_end(ap);
	d->problems++;
}

void
qy_note(struct qy_diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, NULL, 0, fmt, ap, 0);
	va_end(ap);
}

static _Noreturn void
die(struct qy_diag *d)
{
	if (d->out != NULL)
		qy_out_abort(d->out);
	fflush(stderr);
	exit(QY_EXIT_FATAL);
}

void
qy_fatal(struct qy_diag *d, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	emit(d, NULL, 0, fmt, ap, err);
	va_end(ap);
	die(d);
}

void
qy_fatal_at(struct qy_diag *d, const char *file, unsigned long line, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	emit(d, file, line, fmt, ap, err);
	va_end(ap);
	die(d);
}

int
qy_diag_status(const struct qy_diag *d)
{
	return d->problems > 0 ? QY_EXIT_DATA : QY_EXIT_OK;
}

const char *
qy_input_name(const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return "<stdin>";
	return path;
}
