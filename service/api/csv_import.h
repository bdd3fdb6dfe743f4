/*
 * csv_import.h — what the CSV imports share (POST /v1/staff/import,
 * POST /v1/ratings/import): the file read as text/csv UTF-8 with a header,
 * its columns found by name, and every bad cell reported by line and
 * column in the caller's language — all rows or none.
 */
#ifndef THIDUA_API_CSV_IMPORT_H
#define THIDUA_API_CSV_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/calendar.h"
#include "domain/csv.h"
#include "http/call.h"

#define IMPORT_MAX_ERRORS 50

struct import {
	const struct csv_table *t;
	json_t *rows; /* validated documents; owned */
	struct problem *p; /* 422 with one error per bad cell; owned */
	size_t errors;
};

/*
 * Parses the body as a CSV file of at most max_rows rows and finds its
 * columns: col[i] is the index of columns[i], -1 when an optional one is
 * absent; the first n_required are required (required names them in the
 * answer).  NULL with the call answered (415, 400, 422 invalid-csv).
 */
struct csv_table *csv_import_parse_or_answer(struct call *c, const char *const *columns,
					     int n_columns, int n_required, const char *required,
					     size_t max_rows, int *col);

/* The text of a cell (borrowed; "" for an absent column). */
const char *import_cell(const struct import *im, size_t row, int col);
/* Records that a cell is wrong; msgid is an English msgid, translated. */
void import_cell_error(struct import *im, size_t row, int col, const char *msgid);
/* A date cell (YYYY-MM-DD) into doc[name]; *has tells whether one was read. */
void import_date(struct import *im, json_t *doc, size_t row, int col, const char *name,
		 bool required, struct civil_date *out, bool *has);
/* Answers the import's problem (422, every bad cell) when there is one and
 * returns false; true when every row was good. */
bool import_valid_or_answer(struct call *c, struct import *im);

#endif
