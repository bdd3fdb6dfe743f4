/*
 * fuzz_csv.c — libFuzzer target for the CSV import reader (domain/csv.c).
 *
 * Every input is parsed twice, with ',' and with ';', under small limits
 * (the sanitizers catch any read past len, overflow or leak).  On success
 * the table must keep the reader's promises: the input held no NUL, every
 * row has n_columns fields, every field is well-formed UTF-8 with no control
 * character but tab/CR/LF and within the size limit, header names are
 * trimmed, non-empty, distinct and found by csv_column, rows start on
 * increasing lines, and the strings fit the arena (input length + 1).
 * Then the table is written back as CSV (all fields quoted with CRLF, or
 * quoted only where needed with LF) and must parse to the same table.  On
 * failure the error must be a NUL-terminated, UTF-8, in-range report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csv.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			(void)fprintf(stderr, "fuzz_csv: invariant failed: %s (line %d)\n", #cond, \
				      __LINE__);                                                   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const struct csv_limits small = {
	.max_bytes = 4096, .max_rows = 64, .max_columns = 16, .max_field_bytes = 64
};

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = (b->n + n) * 2 + 64;
		char *p = realloc(b->p, cap);
		CHECK(p != NULL);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void put_field(struct buf *b, const char *f, char delim, bool all_quoted, bool alone)
{
	/* Quoted where the reader needs it: a lone empty field would be a blank
	 * line, and a leading U+FEFF at the start of the file would be a BOM. */
	bool quote = all_quoted || (alone && f[0] == '\0') || strchr(f, delim) ||
		     strpbrk(f, "\"\r\n") != NULL || strncmp(f, "\xEF\xBB\xBF", 3) == 0;
	if (!quote) {
		put(b, f, strlen(f));
		return;
	}
	put(b, "\"", 1);
	for (const char *s = f; *s; s++) {
		put(b, s, 1);
		if (*s == '"')
			put(b, "\"", 1); /* "" */
	}
	put(b, "\"", 1);
}

static void put_row(struct buf *b, char *const *fields, size_t n, char delim, bool all_quoted)
{
	for (size_t j = 0; j < n; j++) {
		if (j)
			put(b, &delim, 1);
		put_field(b, fields[j], delim, all_quoted, n == 1);
	}
	put(b, all_quoted ? "\r\n" : "\n", all_quoted ? 2 : 1);
}

static bool is_control(const unsigned char *s, size_t i)
{
	unsigned c = s[i];
	if (c < 0x20)
		return c != '\t' && c != '\r' && c != '\n';
	return c == 0x7F || (c == 0xC2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F);
}

static void check_field(const char *f, const struct csv_limits *lim)
{
	CHECK(f != NULL);
	size_t n = strlen(f);
	CHECK(n <= lim->max_field_bytes);
	CHECK(utf8_valid(f, n, NULL));
	for (size_t i = 0; i < n; i++)
		CHECK(!is_control((const unsigned char *)f, i));
}

static void check_table(const struct csv_table *t, const uint8_t *data, size_t size,
			const struct csv_limits *lim, size_t lines)
{
	CHECK(memchr(data, 0, size) == NULL);
	CHECK(t->n_columns >= 1 && t->n_columns <= lim->max_columns);
	CHECK(t->n_rows <= lim->max_rows);
	size_t arena = 0;
	for (size_t j = 0; j < t->n_columns; j++) {
		const char *h = t->header[j];
		check_field(h, lim);
		size_t n = strlen(h);
		CHECK(n > 0 && h[0] != ' ' && h[0] != '\t' && h[n - 1] != ' ' && h[n - 1] != '\t');
		CHECK(csv_column(t, h) == (int)j);
		arena += n + 1;
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		CHECK(t->rows[i] != NULL);
		CHECK(t->row_line[i] >= 1 && t->row_line[i] <= lines);
		CHECK(i == 0 || t->row_line[i] > t->row_line[i - 1]);
		for (size_t j = 0; j < t->n_columns; j++) {
			check_field(t->rows[i][j], lim);
			arena += strlen(t->rows[i][j]) + 1;
		}
	}
	CHECK(arena <= size + 1);
}

static void check_round_trip(const struct csv_table *t, char delim, bool all_quoted)
{
	struct buf b = { 0 };
	put_row(&b, t->header, t->n_columns, delim, all_quoted);
	for (size_t i = 0; i < t->n_rows; i++)
		put_row(&b, t->rows[i], t->n_columns, delim, all_quoted);
	struct csv_limits lim = small;
	lim.max_bytes = b.n;
	lim.delimiter = delim;
	struct csv_error err;
	struct csv_table *u = csv_parse_new(b.p, b.n, &lim, &err);
	if (!u)
		(void)fprintf(stderr, "fuzz_csv: round trip failed: line %zu column %zu: %s\n",
			      err.line, err.column, err.message);
	CHECK(u != NULL);
	CHECK(u->n_columns == t->n_columns && u->n_rows == t->n_rows);
	for (size_t j = 0; j < t->n_columns; j++)
		CHECK(strcmp(u->header[j], t->header[j]) == 0);
	for (size_t i = 0; i < t->n_rows; i++)
		for (size_t j = 0; j < t->n_columns; j++)
			CHECK(strcmp(u->rows[i][j], t->rows[i][j]) == 0);
	csv_table_free(u);
	free(b.p);
}

static void check_error(const struct csv_error *e, const struct csv_limits *lim, size_t lines)
{
	const char *end = memchr(e->message, 0, sizeof e->message);
	CHECK(end != NULL && end > e->message);
	CHECK(utf8_valid(e->message, (size_t)(end - e->message), NULL));
	/* the api layer words the error from msgid and args: they must be usable */
	CHECK(e->msgid != NULL);
	for (size_t i = 0; i < CSV_ERROR_ARGS; i++)
		CHECK(!e->args[i].name ||
		      utf8_valid(e->args[i].value, strlen(e->args[i].value), NULL));
	CHECK(e->line <= lines);
	CHECK(e->column <= lim->max_columns + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	static const char delims[] = { ',', ';' };
	for (size_t d = 0; d < sizeof delims; d++) {
		struct csv_limits lim = small;
		lim.delimiter = delims[d];
		struct csv_error err = { .message = "" };
		struct csv_table *t = csv_parse_new((const char *)data, size, &lim, &err);
		if (!t) {
			check_error(&err, &lim, lines);
			continue;
		}
		check_table(t, data, size, &lim, lines);
		check_round_trip(t, delims[d], size % 2 == 1);
		csv_table_free(t);
	}
	return 0;
}
