/*
 * csv_import.c — what the CSV imports share (see csv_import.h): the file,
 * its columns, and errors by line and column in the caller's language.
 */
#include "api/csv_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answers/lang.h"
#include "answers/template.h"
#include "http/problem.h"

/* A sentence about a place in the file, in the caller's language: msgid
 * with {line}, {column}, {name} (the column's header) and {problem} (a
 * sentence already translated).  New string, or NULL. */
static char *place_text_new(const char *msgid, size_t line, size_t column, const char *name,
			    const char *problem)
{
	json_t *args = json_pack("{s:I, s:I, s:s, s:s}", "line", (json_int_t)line, "column",
				 (json_int_t)column, "name", name, "problem", problem);
	char *text = args ? template_expand_new(msgid, args) : NULL;
	json_decref(args);
	return text;
}

/* Why the parser refused the file, in the caller's language; new string or
 * NULL. */
static char *csv_reason_new(const struct csv_error *e)
{
	json_t *args = json_object();
	for (size_t i = 0; args && i < CSV_ERROR_ARGS; i++)
		if (e->args[i].name)
			json_object_set_new(args, e->args[i].name, json_string(e->args[i].value));
	char *text = args ? template_expand_new(e->msgid ? e->msgid : e->message, args) : NULL;
	json_decref(args);
	return text;
}

/* 422 invalid-csv naming the place the parser stopped: /line/N/column/M. */
static struct problem *csv_problem(const struct csv_error *e)
{
	struct problem *p = problem_new(P_INVALID_CSV, NULL);
	char *reason = csv_reason_new(e);
	p->detail = place_text_new(N_("line {line}, column {column}: {problem}"), e->line,
				   e->column, "", reason ? reason : "");
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/line/%zu/column/%zu", e->line, e->column);
	problem_add_error_text(p, ptr, reason ? reason : "");
	free(reason);
	return p;
}

struct csv_table *csv_import_parse_or_answer(struct call *c, const char *const *columns,
					     int n_columns, int n_required, const char *required,
					     size_t max_rows, int *col)
{
	const char *ct = call_req_header(c, "Content-Type");
	if (!ct || strncasecmp(ct, "text/csv", 8) != 0) {
		call_problem(c, problem_new(P_UNSUPPORTED_MEDIA_TYPE,
					    "Send the file as text/csv (UTF-8)."));
		return NULL;
	}
	size_t len;
	const char *data = call_body(c, &len);
	struct csv_limits limits = { .max_bytes = len + 1,
				     .max_rows = max_rows,
				     .max_columns = 32,
				     .max_field_bytes = 1024,
				     .delimiter = ',',
				     .single_line = true }; /* as the JSON routes */
	struct csv_error err;
	struct csv_table *t = csv_parse_new(data, len, &limits, &err);
	struct problem *p = t ? NULL : csv_problem(&err);
	if (t && t->n_rows == 0)
		p = problem_bad_request("", "The file has a header but no rows.");
	for (int i = 0; !p && i < n_columns; i++) {
		col[i] = csv_column(t, columns[i]);
		if (i < n_required && col[i] < 0) {
			p = problem_new(P_INVALID_CSV, "The header lacks the column \"%s\".",
					columns[i]);
			problem_add_error(p, "/line/1", "required columns: %s", required);
		}
	}
	if (!p)
		return t;
	csv_table_free(t);
	call_problem(c, p);
	return NULL;
}

void import_cell_error(struct import *im, size_t row, int col, const char *msgid)
{
	if (!im->p)
		im->p = problem_new(P_VALIDATION,
				    "The file has invalid rows; nothing was imported.");
	if (++im->errors > IMPORT_MAX_ERRORS)
		return;
	size_t line = im->t->row_line[row];
	char *text = place_text_new(N_("line {line}, column {column} ({name}): {problem}"), line,
				    (size_t)col + 1, col >= 0 ? im->t->header[col] : "?", _(msgid));
	/* the pointer names the cell, for programs: /line/N/column/M */
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/line/%zu/column/%d", line, col + 1);
	problem_add_error_text(im->p, ptr, text ? text : "");
	free(text);
	json_t *last = json_array_get(im->p->errors, json_array_size(im->p->errors) - 1);
	json_object_set_new(last, "line", json_integer((json_int_t)line));
	json_object_set_new(last, "column", json_integer(col + 1));
}

const char *import_cell(const struct import *im, size_t row, int col)
{
	return col >= 0 ? im->t->rows[row][col] : "";
}

void import_date(struct import *im, json_t *doc, size_t row, int col, const char *name,
		 bool required, struct civil_date *out, bool *has)
{
	const char *s = import_cell(im, row, col);
	*has = false;
	if (!*s) {
		if (required)
			import_cell_error(im, row, col, N_("is required"));
		return;
	}
	if (!civil_date_parse(s, out)) {
		import_cell_error(im, row, col, N_("must be a date written YYYY-MM-DD"));
		return;
	}
	*has = true;
	json_object_set_new(doc, name, json_string(s));
}

bool import_valid_or_answer(struct call *c, struct import *im)
{
	if (!im->p)
		return true;
	call_problem(c, im->p);
	im->p = NULL; /* taken */
	return false;
}
