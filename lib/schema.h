/* schema.h — the record types of SPEC 2 as data: canonical columns in
 * canonical order, their value types and the header aliases qy-ingest knows. */
#ifndef QY_SCHEMA_H
#define QY_SCHEMA_H

#include <stddef.h>

#include "buf.h"
#include "value.h"

enum {
	QY_COL_REQUIRED = 1, /* the column must be in the header and the value non-empty */
	QY_COL_UNIQUE = 2,   /* an id that must not repeat */
	QY_COL_PERSONAL = 4, /* masked in reports unless --show-personal */
};

struct qy_column {
	const char *name;           /* canonical snake_case name */
	enum qy_type type;
	unsigned flags;
	double lo, hi;              /* bounds for QY_T_INT and QY_T_DECIMAL */
	const char *const *aliases; /* NULL-terminated; Chinese spellings */
};

struct qy_schema {
	const char *name;     /* "demand", "resource", "pair", "member", "branch", "activity" */
	const char *label_zh; /* 需求清单 … */
	const struct qy_column *cols;
	size_t ncols;
};

/* The six schemas, NULL-terminated. */
extern const struct qy_schema *const qy_schemas[];

const struct qy_schema *qy_schema_find(const char *name);
/* The index of the canonical column name, or -1. */
int qy_schema_col(const struct qy_schema *s, const char *name);

/* Maps one header cell to a canonical column (SPEC 3, header matching): the
 * whole text first, then with a leading '*' and a trailing （…） or (…) note
 * removed; surrounding white space incl. U+3000 ignored; canonical names and
 * ASCII aliases compare case-insensitively.  Returns the column index or -1. */
int qy_schema_match_header(const struct qy_schema *s, const char *p, size_t n);

/* The rules that tie columns of one row together (SPEC 2, 2.7): needed_by and
 * done_date ≥ submitted, available_until ≥ available_from, a resource's
 * street required with its community, an activity's member_id or branch_id.
 * vals[i] is the normalised value of column i (empty = missing).  Returns 0,
 * or -1 with *col set to the column to blame and the reason in why. */
int qy_schema_check_row(const struct qy_schema *s, const struct qy_str *vals, int *col,
			struct qy_buf *why);

#endif
