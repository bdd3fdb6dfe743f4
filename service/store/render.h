/*
 * render.h — JSON text straight from result rows, for the hot list routes.
 *
 * Building fifty JSON objects inside PostgreSQL (json_build_object per row)
 * cost three times the query itself; the service formats them faster from
 * the plain text columns.  Each column is declared with its JSON kind, and
 * the output has the same members, in the same order, as the SQL function
 * that renders one row (staff_json), so a list item and GET /{id} agree.
 */
#ifndef THIDUA_STORE_RENDER_H
#define THIDUA_STORE_RENDER_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

enum render_kind {
	RENDER_NUMBER, /* integer columns: copied as they are */
	RENDER_STRING, /* text and date columns: JSON-escaped */
	RENDER_INSTANT, /* timestamptz in ISO DateStyle → RFC 3339 */
};

struct render_column {
	const char *name;
	enum render_kind kind;
};

struct render_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

void render_init(struct render_buf *b, size_t cap);
void render_append(struct render_buf *b, const char *s, size_t n);
void render_string(struct render_buf *b, const char *s); /* quoted and escaped */
/* One row as a JSON object: columns[i] is result column first + i; SQL NULL
 * becomes null. */
void render_row(struct render_buf *b, const PGresult *res, int row, int first,
		const struct render_column *columns, size_t n);
/* Takes the buffer's text (NULL if anything failed); the buffer is empty after. */
char *render_take(struct render_buf *b);

#endif
