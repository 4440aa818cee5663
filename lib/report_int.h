/* report_int.h — what the modules of qy-report share: the inputs, the
 * sections' entry points and the small helpers they have in common. */
#ifndef QY_REPORT_INT_H
#define QY_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "report.h"
#include "tsv.h"

struct qy_diag;

enum qy_input_kind {
	QY_IN_EMPTY,  /* no header at all: contributes nothing */
	QY_IN_DEMAND, /* SPEC 2.1, as qy-ingest writes it */
	QY_IN_MATCH,  /* SPEC 4 output */
	QY_IN_MEMBER, /* SPEC 5.2 output */
	QY_IN_BRANCH, /* SPEC 5.3 output */
};

struct qy_input {
	const char *path;  /* NULL or "-": stdin */
	struct qy_tsv tsv; /* open, header read */
	enum qy_input_kind kind;
	unsigned long rows;	/* data rows read */
	unsigned long skipped;	/* rows reported and skipped */
	unsigned long filtered; /* rows outside --month */
};

/* The sections, in report order. */
enum { QY_SEC_DEMAND, QY_SEC_MATCH, QY_SEC_MEMBER, QY_SEC_BRANCH, QY_SEC_COUNT };

/* The unserved demands of the match section that the demand scan fills in
 * with the demand's content and requester (the 吹哨报到 list). */
struct qy_escal;

/* Adds tables to a growing list. */
struct qy_tabs {
	struct qy_tab **v;
	size_t n, cap;
};
void qy_tabs_add(struct qy_tabs *l, struct qy_tab *t, int section);

/* Demand section: reads every demand input (the scan may use two threads
 * on a regular file), then adds its tables. */
void qy_report_demands(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
		       struct qy_escal *escal, struct qy_tabs *out, struct qy_diag *d);
/* Match section.  Returns the escalation list for the demand scan (NULL when
 * there is no match input); its table is added by qy_escal_table. */
struct qy_escal *qy_report_match(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
				 struct qy_tabs *out, struct qy_diag *d);
/* joined: a demand input was read, so the list has content and requester. */
void qy_escal_table(struct qy_escal *e, const struct qy_report_opts *o, int joined,
		    struct qy_tabs *out);
void qy_escal_free(struct qy_escal *e);
/* Looks a demand id up in the escalation list: its index, or -1. */
long qy_escal_find(const struct qy_escal *e, const char *id, size_t n);
/* Sets the personal and content fields of escalated demand i (the first
 * call for an i wins). */
void qy_escal_fill(struct qy_escal *e, long i, const struct qy_str *content,
		   const struct qy_str *requester, const struct qy_str *phone);

/* Score sections: member scores (joined with the branches' street when a
 * branch score input is there too) and branch scores. */
void qy_report_scores(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
		      struct qy_tabs *out, struct qy_diag *d);

/* Shared helpers. */

/* Parses a canonical YYYY-MM-DD quickly, else through qy_date_parse.
 * Returns 0, or -1 with a reason in why. */
int qy_rdate(const char *p, size_t n, qy_day *day, struct qy_buf *why);
/* Reports a bad row of in (counted as skipped). */
void qy_input_problem(struct qy_diag *d, struct qy_input *in, unsigned long line, const char *col,
		      const char *why);
/* The next row of in; reports and skips malformed rows; fatal on a read
 * error.  Returns 1 for a row, 0 at the end. */
int qy_input_next(struct qy_input *in, struct qy_diag *d);
/* Says how many problems of in were not listed, if any. */
void qy_input_finish(struct qy_input *in, struct qy_diag *d);
/* The column's index in in's header, or -1. */
int qy_input_col(const struct qy_input *in, const char *name);

/* A hash table from byte strings to dense indices 0, 1, 2 … in order of
 * first insertion, so that iteration never depends on hash order. */
struct qy_strmap {
	uint64_t *slots; /* high 32 bits of the hash << 32 | index + 1; 0 is empty */
	size_t nslots;
	char **keys;
	size_t *lens;
	uint64_t *hashes;
	size_t n, cap;
};
uint64_t qy_strmap_hash(const char *p, size_t n);
/* The key's index, or -1. */
long qy_strmap_find(const struct qy_strmap *m, const char *p, size_t n, uint64_t h);
/* The key's index, inserting it when new (*added = 1). */
size_t qy_strmap_put(struct qy_strmap *m, const char *p, size_t n, uint64_t h, int *added);
void qy_strmap_free(struct qy_strmap *m);

/* Compares byte strings as memcmp, shorter first on a tie. */
int qy_bytes_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
