/*
 * render.c — JSON writer over result rows (see render.h).
 */
#include "store/render.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void render_init(struct render_buf *b, size_t cap)
{
	b->data = malloc(cap);
	b->len = 0;
	b->cap = cap;
	b->failed = b->data == NULL;
}

static bool reserve(struct render_buf *b, size_t n);

void render_append(struct render_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Room for n more bytes (and a NUL); false when out of memory. */
static bool reserve(struct render_buf *b, size_t n)
{
	if (b->failed)
		return false;
	if (b->len + n + 1 <= b->cap)
		return true;
	size_t cap = (b->cap + n + 1) * 2;
	char *grown = realloc(b->data, cap);
	if (!grown) {
		b->failed = true;
		return false;
	}
	b->data = grown;
	b->cap = cap;
	return true;
}

void render_string(struct render_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	/* worst case: every byte becomes \u00XX; one check, then plain stores */
	if (!reserve(b, n * 6 + 2))
		return;
	char *o = b->data + b->len;
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*o++ = (char)ch; /* UTF-8 passes through: PostgreSQL text is valid */
			continue;
		}
		*o++ = '\\';
		switch (ch) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\t':
			*o++ = 't';
			break;
		case '\r':
			*o++ = 'r';
			break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->data);
}

/* "2026-11-24 13:13:19.03894+00" → "2026-11-24T13:13:19.03894+00:00" */
static void render_instant(struct render_buf *b, const char *v)
{
	char out[64];
	size_t n = strlen(v);
	if (n < 19 || n > 40) {
		render_string(b, v);
		return;
	}
	memcpy(out, v, n + 1);
	if (out[10] == ' ')
		out[10] = 'T';
	/* the offset: +HH or +HH:MM (or +HH:MM:SS, never for real zones) */
	char *sign = strpbrk(out + 19, "+-");
	if (sign && strlen(sign) == 3)
		memcpy(sign + 3, ":00", 4); /* n <= 40: room for it in out[64] */
	render_string(b, out);
}

void render_row(struct render_buf *b, const PGresult *res, int row, int first,
		const struct render_column *columns, size_t n)
{
	/* a table of columns longer than the query's select list is a bug of
	 * this build (libpq would answer every missing column as null) */
	assert(first + (int)n <= PQnfields(res));
	render_append(b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		int col = first + (int)i;
		/* names are our own identifiers: nothing to escape */
		render_append(b, i ? ",\"" : "\"", i ? 2 : 1);
		render_append(b, columns[i].name, strlen(columns[i].name));
		render_append(b, "\":", 2);
		if (PQgetisnull(res, row, col)) {
			render_append(b, "null", 4);
			continue;
		}
		const char *v = PQgetvalue(res, row, col);
		switch (columns[i].kind) {
		case RENDER_NUMBER:
			render_append(b, v, (size_t)PQgetlength(res, row, col));
			break;
		case RENDER_STRING:
			render_string(b, v);
			break;
		case RENDER_INSTANT:
			render_instant(b, v);
			break;
		}
	}
	render_append(b, "}", 1);
}

char *render_take(struct render_buf *b)
{
	char *out = b->failed ? NULL : b->data;
	if (b->failed)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	return out;
}
