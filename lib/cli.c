/* cli.c — the version line and option errors of every command. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

#include "msg.h"

int
qy_cli_version(const char *prog)
{
	printf("%s (qy) %s\n", prog, QY_VERSION);
	return fflush(stdout) == 0 && !ferror(stdout) ? QY_EXIT_OK : QY_EXIT_FATAL;
}

void
qy_cli_option_error(struct qy_buf *b, int c, char *const *argv)
{
	/* A bad short option is in optopt; a long one only in argv.  For a
	 * missing value, getopt has already stepped past the option. */
	const char *arg = argv[optind - 1];
	char letter[3] = {'-', (char)optopt, '\0'};
	if (optopt != 0 && (arg == NULL || arg[0] != '-' || arg[1] != '-'))
		arg = letter;
	if (c == ':')
		qy_buf_printf(b, "option '%s' needs a value", arg);
	else
		qy_buf_printf(b, "unknown option '%s'", arg);
}
