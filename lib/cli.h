/* cli.h — what every qy command does around getopt_long (SPEC 7), so the
 * four say it the same way. */
#ifndef QY_CLI_H
#define QY_CLI_H

#include "buf.h"

/* --version: prints "PROG (qy) VERSION" on stdout.  Returns the exit status:
 * 0, or 2 when stdout cannot be written. */
int qy_cli_version(const char *prog);

/* The message for what getopt_long returned when an option was wrong
 * (optstring starting with ':', opterr = 0): "option '-r' needs a value"
 * for ':', "unknown option '--bogus'" otherwise.  Appended to b. */
void qy_cli_option_error(struct qy_buf *b, int c, char *const *argv);

#endif
