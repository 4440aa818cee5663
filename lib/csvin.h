/* csvin.h — the CSV reader of qy-ingest (SPEC 3).
 *
 * libcsv (strict: CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL, no space
 * trimming) behind a pull API that hands out whole records in batches, each
 * with the physical line where it starts.  Physical lines end at LF, CR or
 * CRLF, inside quotes too.
 *
 * libcsv is push-model and says nothing about positions, so it is fed one
 * physical line at a time.  A well-formed record (quoted fields open and
 * close at field boundaries, over line ends too) needs none of libcsv's
 * error rules: the fast path splits it with a vectorised scanner instead,
 * and gives exactly the fields and lines libcsv would.  Malformed records,
 * and a quoted field open for more than the 1 MiB buffer, go to libcsv.
 * QY_CSV_LIBCSV_ONLY turns the fast path off (the reference the tests
 * compare it against).
 *
 * Fields are raw bytes in the input encoding (UTF-16 inputs are converted to
 * UTF-8 first, see enc.h); decoding and every check on the text is the
 * caller's business. */
#ifndef QY_CSVIN_H
#define QY_CSVIN_H

#include <csv.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "enc.h"

/* One field: batch->bytes[off .. off + len).  Not NUL-terminated. */
struct qy_csv_field {
	size_t off, len;
};

enum qy_csv_err {
	QY_CSV_OK,
	QY_CSV_QUOTE_IN_FIELD, /* a '"' inside an unquoted field */
	QY_CSV_AFTER_QUOTE, /* something other than a delimiter or line end after a closing quote */
	QY_CSV_UNTERMINATED, /* a quoted field still open at the end of the input */
	QY_CSV_BAD_ESCAPE,   /* qy-TSV input only: a backslash sequence other than \t \n \r \\ */
};

struct qy_csv_rec {
	unsigned long line;	/* physical line where the record starts; 1 = the first */
	unsigned long err_line; /* the physical line where an error was found */
	size_t field0, nfields; /* its fields are batch->fields[field0 .. field0 + nfields) */
	unsigned char err;	/* enum qy_csv_err.  For an error, the last field holds the
				   partial field and the rest of that line, verbatim */
	unsigned char err_byte; /* QY_CSV_AFTER_QUOTE, QY_CSV_BAD_ESCAPE: the offending byte */
	unsigned char quoted;	/* a field may hold CR and LF (every record libcsv
				   read, and a fast-path record over line ends) */
};

/* Records in the order read.  Reused: qy_csv_batch_clear empties it. */
struct qy_csv_batch {
	char *bytes;
	size_t nbytes, bcap;
	struct qy_csv_field *fields;
	size_t nfields, fcap;
	struct qy_csv_rec *recs;
	size_t nrecs, rcap;
};

void qy_csv_batch_clear(struct qy_csv_batch *b);
void qy_csv_batch_free(struct qy_csv_batch *b);

enum qy_csv_mode {
	QY_CSV_FAST,	    /* the fast path where it applies, libcsv elsewhere */
	QY_CSV_LIBCSV_ONLY, /* every record through libcsv */
};

struct qy_csvin_opts {
	enum qy_enc enc; /* QY_ENC_AUTO, QY_ENC_UTF8 or QY_ENC_GB18030 */
	int delim;	 /* ',', ';', '\t', or 0 for auto */
	enum qy_csv_mode mode;
	int detect_rejects; /* read a qy-ingest rejects file (its header starts
			       source TAB line TAB column TAB reason) as qy-TSV */
};

/* One open input.  After qy_csvin_open the public fields say what was
 * decided; the rest is private. */
struct qy_csvin {
	const char *name;	 /* for messages: the path, or "<stdin>" */
	enum qy_enc enc;	 /* UTF-8, GB18030, or UTF-16 (then fields are UTF-8) */
	int delim;		 /* the delimiter in use */
	int qytsv;		 /* 1: a rejects file, read as qy-TSV */
	size_t bom;		 /* bytes of BOM dropped */
	unsigned long long size; /* the input's size when it is a regular file, else 0 */
	/* private */
	int fd;
	int eof;  /* read(2) said end of input */
	int done; /* every record handed out */
	enum qy_csv_mode mode;
	char *buf; /* the input, cap bytes plus slack for the scanner */
	size_t cap, pos, end;
	unsigned long line; /* the physical line at buf[pos] */
	struct csv_parser csv;
	int csv_ready;
	int avx2; /* the scanner uses AVX2 (the CPU has it; tests may turn it off) */
	struct qy_utf16 u16;
	int utf16;
	struct qy_buf conv; /* UTF-16 input converted, waiting for buf */
	size_t conv_pos;
	/* libcsv callback state */
	struct qy_csv_batch *cb_batch;
	int cb_row_ended;
};

/* Opens path (NULL or "-": stdin), reads the first 64 KiB, decides the
 * encoding and the delimiter.  Returns 0, or -1 with the reason in why. */
int qy_csvin_open(struct qy_csvin *r, const char *path, const struct qy_csvin_opts *o,
		  struct qy_buf *why);

/* Appends whole records to b until it holds at least max_recs records or
 * max_bytes field bytes, or the input ends.  Returns the number of records
 * appended (0 at the end of the input), or -1 on a read error (reason in
 * why; fatal). */
long qy_csvin_read(struct qy_csvin *r, struct qy_csv_batch *b, size_t max_recs, size_t max_bytes,
		   struct qy_buf *why);

void qy_csvin_close(struct qy_csvin *r);

/* Counts ',', ';' and TAB outside quotes on the first non-empty line of p
 * and returns the most frequent (ties in that order; ',' when none). */
int qy_csv_sniff_delim(const char *p, size_t n);

/* Exposed for the unit tests: bit i of the result is set when p[i] is the
 * delimiter, '"', CR or LF, for i in 0..63 (the SSE2 scanner, the AVX2 one
 * where qy_csv_avx2() says the CPU has it, else the portable one, and the
 * portable one they must agree with). */
uint64_t qy_csv_special_mask(const char *p, char delim);
uint64_t qy_csv_special_mask_avx2(const char *p, char delim);
uint64_t qy_csv_special_mask_portable(const char *p, char delim);
int qy_csv_avx2(void);

#endif
