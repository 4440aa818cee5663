/* msg.h — the one error path of every qy program.
 *
 * Messages are one line each on stderr, "PROG: FILE:LINE: what is wrong" for
 * a data problem and "PROG: what is wrong" otherwise.  Exit statuses are
 * SPEC 7's: 0 clean, 1 data problems reported, 2 fatal. */
#ifndef QY_MSG_H
#define QY_MSG_H

#include <stdarg.h>

enum qy_exit {
	QY_EXIT_OK = 0,
	QY_EXIT_DATA = 1,
	QY_EXIT_FATAL = 2,
};

struct qy_out;

/* Owned by a program's main and handed to whatever reports. */
struct qy_diag {
	const char *prog;	/* prefixed to every message */
	unsigned long problems; /* data problems reported so far */
	struct qy_out *out;	/* aborted (temporary file removed) on a fatal error; may be NULL */
};

void qy_diag_init(struct qy_diag *d, const char *prog);

/* A data problem at FILE:LINE: printed, counted, and the run goes on. */
void qy_problem(struct qy_diag *d, const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A remark that is not a data problem (not counted). */
void qy_note(struct qy_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fatal: prints, removes the half-written -o file, exits 2.  A format that
 * ends in ':' gets ": strerror(errno)" appended, as in sbase's eprintf. */
_Noreturn void qy_fatal(struct qy_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void qy_fatal_at(struct qy_diag *d, const char *file, unsigned long line, const char *fmt,
			   ...) __attribute__((format(printf, 4, 5)));

/* 1 when any data problem was reported, else 0. */
int qy_diag_status(const struct qy_diag *d);

/* "<stdin>" for NULL or "-", else the path itself. */
const char *qy_input_name(const char *path);

#endif
