/* fuzz_csvin.c — libFuzzer target: the CSV reader on arbitrary bytes, fast
 * path against libcsv alone (they must split every input the same), with
 * each delimiter and both ways of deciding the encoding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "csvin.h"

/* Everything a reader says about an input, in one buffer: per record its
 * line, error and fields (length-prefixed). */
static void
read_all(int fd, const struct qy_csvin_opts *o, struct qy_buf *out)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	lseek(fd, 0, SEEK_SET);
	struct qy_csvin r;
	struct qy_buf why = {0};
	if (qy_csvin_open(&r, path, o, &why) != 0)
		abort(); /* a memfd always opens */
	struct qy_csv_batch b = {0};
	while (qy_csvin_read(&r, &b, 7, 1 << 12, &why) > 0) {
		for (size_t i = 0; i < b.nrecs; i++) {
			const struct qy_csv_rec *rec = &b.recs[i];
			qy_buf_printf(out, "%lu:%d:%lu[", rec->line, rec->err, rec->err_line);
			for (size_t j = 0; j < rec->nfields; j++) {
				const struct qy_csv_field *f = &b.fields[rec->field0 + j];
				qy_buf_printf(out, "%zu:", f->len);
				qy_buf_add(out, b.bytes + f->off, f->len);
			}
			qy_buf_addc(out, ']');
		}
		qy_csv_batch_clear(&b);
	}
	qy_csv_batch_free(&b);
	qy_csvin_close(&r);
	qy_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	static const int delims[] = {0, ',', ';', '\t'};
	for (size_t d = 0; d < sizeof delims / sizeof delims[0]; d++) {
		struct qy_csvin_opts o = {.enc = d % 2 ? QY_ENC_AUTO : QY_ENC_UTF8,
					  .delim = delims[d],
					  .mode = QY_CSV_FAST,
					  .detect_rejects = 1};
		struct qy_buf fast = {0}, slow = {0};
		read_all(fd, &o, &fast);
		o.mode = QY_CSV_LIBCSV_ONLY;
		read_all(fd, &o, &slow);
		if (fast.len != slow.len || (fast.len && memcmp(fast.data, slow.data, fast.len)))
			abort(); /* the fast path split differently */
		qy_buf_free(&fast);
		qy_buf_free(&slow);
	}
	close(fd);
	return 0;
}
