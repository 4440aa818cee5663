/* ingest.h — qy-ingest's engine (SPEC 3): CSV exports in, validated
 * qy-TSV of one record type out, every row either written or rejected with
 * its reason. */
#ifndef QY_INGEST_H
#define QY_INGEST_H

#include <stddef.h>

#include "csvin.h"
#include "schema.h"

struct qy_out;
struct qy_diag;

struct qy_ingest_opts {
	const struct qy_schema *schema; /* NULL: -t raw */
	struct qy_csvin_opts csv;	/* -e, -d, and the reader's mode */
	size_t max_field;		/* --max-field: input bytes a field may have */
	const char *rejects;		/* -r FILE, or NULL */
	int stats;			/* --stats */
	int threads;			/* 1, or 2 to read and split on a thread of its own */
};

/* Reads the npaths inputs (none: stdin; "-" is stdin) — every header first,
 * then the rows — and writes the record type's qy-TSV to out.  Rejected rows
 * are reported through d (and written to o->rejects).  A fatal problem
 * (header, read or write error) ends the program through qy_fatal.  Returns
 * the exit status: 0 when every row was accepted, else 1.  out is closed. */
int qy_ingest_run(const struct qy_ingest_opts *o, char *const *paths, size_t npaths,
		  struct qy_out *out, struct qy_diag *d);

#endif
