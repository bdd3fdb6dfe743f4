/*
 * render.c — JSON writer over result rows (see render.h).
 */
#include "store/render.h"

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

void render_append(struct render_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap + n + 1) * 2;
		char *grown = realloc(b->data, cap);
		if (!grown) {
			b->failed = true;
			return;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void render_string(struct render_buf *b, const char *s)
{
	render_append(b, "\"", 1);
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue; /* UTF-8 passes through: PostgreSQL text is valid */
		render_append(b, run, (size_t)((const char *)p - run));
		char esc[8];
		if (*p == '"' || *p == '\\')
			snprintf(esc, sizeof esc, "\\%c", *p);
		else if (*p == '\n')
			snprintf(esc, sizeof esc, "\\n");
		else if (*p == '\t')
			snprintf(esc, sizeof esc, "\\t");
		else if (*p == '\r')
			snprintf(esc, sizeof esc, "\\r");
		else
			snprintf(esc, sizeof esc, "\\u%04x", *p);
		render_append(b, esc, strlen(esc));
		run = (const char *)p + 1;
	}
	render_append(b, run, strlen(run));
	render_append(b, "\"", 1);
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
		strcat(out, ":00");
	render_string(b, out);
}

void render_row(struct render_buf *b, const PGresult *res, int row, int first,
		const struct render_column *columns, size_t n)
{
	render_append(b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		int col = first + (int)i;
		if (i)
			render_append(b, ",", 1);
		render_string(b, columns[i].name);
		render_append(b, ":", 1);
		if (PQgetisnull(res, row, col)) {
			render_append(b, "null", 4);
			continue;
		}
		const char *v = PQgetvalue(res, row, col);
		switch (columns[i].kind) {
		case RENDER_NUMBER:
			render_append(b, v, strlen(v));
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
