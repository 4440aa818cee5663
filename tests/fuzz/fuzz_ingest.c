/* fuzz_ingest.c — libFuzzer target: typed ingest of arbitrary rows.  The
 * bytes after a fixed demand header (UTF-8 or GB18030, by the first byte)
 * are ingested twice: the fast path on two threads, and libcsv alone on one
 * thread.  The output, the rejects file and the status must be the same;
 * the sanitizers watch every check, normaliser and escape on the way.
 * qy-ingest's messages go to /dev/null while it runs, and so would a
 * sanitizer's report: FUZZ_VERBOSE=1 keeps them, to see why an input
 * crashed. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "ingest.h"
#include "msg.h"
#include "out.h"

static const char header[] = "demand_id,submitted,street,community,category,content,"
			     "priority,quantity,status,phone,needed_by,done_date,extra\n";

/* The whole content of fd, appended to b. */
static void
slurp(int fd, struct qy_buf *b)
{
	char tmp[4096];
	ssize_t k;
	lseek(fd, 0, SEEK_SET);
	while ((k = read(fd, tmp, sizeof tmp)) > 0)
		qy_buf_add(b, tmp, (size_t)k);
}

/* One run of qy-ingest -t demand over in_path: everything it writes, and
 * its status, in result. */
static void
ingest(const char *in_path, enum qy_enc enc, enum qy_csv_mode mode, int threads,
       const char *rej_path, struct qy_buf *result)
{
	struct qy_ingest_opts o = {
	    .schema = qy_schema_find("demand"),
	    .csv = {.enc = enc, .delim = ',', .mode = mode, .detect_rejects = 1},
	    .max_field = 64,
	    .rejects = rej_path,
	    .threads = threads,
	};
	struct qy_diag d;
	qy_diag_init(&d, "fuzz");
	int out_fd = memfd_create("out", 0);
	if (out_fd < 0)
		abort();
	struct qy_out out;
	qy_out_open(&out, NULL, &d);
	out.fd = dup(out_fd); /* closed by qy_out_close */
	/* Messages are many and not compared: out of the way while it runs. */
	int saved_stderr = dup(2), devnull = open("/dev/null", O_WRONLY);
	if (getenv("FUZZ_VERBOSE") == NULL)
		dup2(devnull, 2);
	char *paths[] = {(char *)in_path};
	int status = qy_ingest_run(&o, paths, 1, &out, &d);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	close(devnull);
	qy_buf_printf(result, "status %d\n", status);
	slurp(out_fd, result);
	close(out_fd);
	int rej = open(rej_path, O_RDONLY);
	if (rej >= 0) {
		qy_buf_adds(result, "rejects\n");
		slurp(rej, result);
		close(rej);
		unlink(rej_path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (n == 0)
		return 0;
	enum qy_enc enc = data[0] & 1 ? QY_ENC_GB18030 : QY_ENC_UTF8;
	int in_fd = memfd_create("in", 0);
	if (in_fd < 0 || write(in_fd, header, sizeof header - 1) != (ssize_t)(sizeof header - 1) ||
	    write(in_fd, data + 1, n - 1) != (ssize_t)(n - 1))
		abort();
	char in_path[64], rej_path[64];
	snprintf(in_path, sizeof in_path, "/proc/self/fd/%d", in_fd);
	snprintf(rej_path, sizeof rej_path, "/tmp/fuzz-ingest-%d.rej", (int)getpid());
	struct qy_buf fast = {0}, slow = {0};
	ingest(in_path, enc, QY_CSV_FAST, 2, rej_path, &fast);
	ingest(in_path, enc, QY_CSV_LIBCSV_ONLY, 1, rej_path, &slow);
	if (fast.len != slow.len || memcmp(fast.data, slow.data, fast.len) != 0) {
		fprintf(stderr,
			"fuzz_ingest: the fast path and libcsv differ\n--- fast\n%s\n--- "
			"libcsv\n%s\n",
			fast.data, slow.data);
		abort();
	}
	qy_buf_free(&fast);
	qy_buf_free(&slow);
	close(in_fd);
	return 0;
}
