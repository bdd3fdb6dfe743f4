/*
 * csv.c — the strict CSV reader for imports (see csv.h for the contract).
 *
 * One pass over the input with a cursor (pos, line).  Field text is copied,
 * unquoted, into one arena of len + 1 bytes that the table keeps: a field's
 * text is never longer than the raw bytes it came from, and every field but
 * the last is followed by a delimiter or line-end byte that is not copied, so
 * the NUL terminators fit as well.  The table is one private block holding
 * the public struct, the arena and the cell array, so csv_table_free frees it
 * as a whole.  Time is linear in len (the duplicate-header check sorts).
 */
#include "domain/csv.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Marks a sentence for the message catalogue; the api layer translates it
 * (csv_error.msgid): domain/ does no I/O and knows no language. */
#define N_(msgid) (msgid)

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length (1..4) of the well-formed UTF-8 sequence at s[0..len), len > 0, and
 * its code point in *cp; 0 when the sequence is ill-formed or truncated.
 * The ranges are Table 3-7 of the Unicode Standard: they exclude overlongs
 * (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points
 * above U+10FFFF (F4 90.., F5..FF). */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned b0 = s[0];
	unsigned lo = 0x80, hi = 0xBF;
	size_t n;
	uint32_t c;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		n = 2;
		c = b0 & 0x1F;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		n = 3;
		c = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0;
		else if (b0 == 0xED)
			hi = 0x9F;
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		n = 4;
		c = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90;
		else if (b0 == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned b = s[i];
		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
			return 0;
		c = (c << 6) | (b & 0x3F);
	}
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_seq(u + i, len - i, &cp);
		if (k == 0) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += k;
	}
	if (bad_offset)
		*bad_offset = len;
	return true;
}

/* ---- the parser ----------------------------------------------------- */

struct parser {
	const unsigned char *in;
	size_t len;
	size_t pos; /* next byte to read */
	size_t line; /* physical line of in[pos], 1-based */
	unsigned char delim;
	struct csv_limits lim; /* defaults filled in */
	char *arena; /* len + 1 bytes, see the top of the file */
	size_t used;
	struct csv_error *err;
};

/* The private block behind a struct csv_table. */
struct table_block {
	struct csv_table t; /* first, so csv_table_free can cast back */
	char *arena;
	char **cells; /* n_rows * n_columns, row-major; t.rows[i] point into it */
};

struct vec {
	char **v;
	size_t n, cap;
};

enum field_end { END_DELIM, END_LINE, END_INPUT, END_ERROR };

/* Copies the UTF-8 string s into dst[cap], cut at a character boundary, so
 * a message quoting it stays valid UTF-8. */
static void clip(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The arguments of a message: none, a number, a hexadecimal code of width
 * digits, a text (clipped to fit). */
static const struct csv_error_arg no_arg = { NULL, "" };

static struct csv_error_arg arg_num(const char *name, size_t n)
{
	struct csv_error_arg a = { name, "" };
	snprintf(a.value, sizeof a.value, "%zu", n);
	return a;
}

static struct csv_error_arg arg_hex(const char *name, unsigned v, int width)
{
	struct csv_error_arg a = { name, "" };
	snprintf(a.value, sizeof a.value, "%0*X", width, v);
	return a;
}

static struct csv_error_arg arg_text(const char *name, const char *s)
{
	struct csv_error_arg a = { name, "" };
	clip(a.value, sizeof a.value, s);
	return a;
}

/* msgid with each {name} replaced by its argument's value, into dst[cap]
 * (clipped at a character boundary). */
static void expand(char *dst, size_t cap, const char *msgid, const struct csv_error_arg *args)
{
	char buf[512];
	size_t n = 0;
	for (const char *p = msgid; *p && n + 1 < sizeof buf;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *value = NULL;
		for (size_t i = 0; close && i < CSV_ERROR_ARGS; i++)
			if (args[i].name && strlen(args[i].name) == (size_t)(close - p - 1) &&
			    memcmp(args[i].name, p + 1, (size_t)(close - p - 1)) == 0)
				value = args[i].value;
		if (!value) {
			buf[n++] = *p++;
			continue;
		}
		size_t len = strlen(value);
		if (len > sizeof buf - 1 - n)
			len = sizeof buf - 1 - n;
		memcpy(buf + n, value, len);
		n += len;
		p = close + 1;
	}
	buf[n] = '\0';
	clip(dst, cap, buf);
}

/* Records the error (msgid marked with N_, with up to two arguments);
 * always returns false so callers can `return fail(...)`. */
static bool fail_with(struct parser *ps, size_t line, size_t column, const char *msgid,
		      struct csv_error_arg a, struct csv_error_arg b)
{
	struct csv_error *e = ps->err;
	e->line = line;
	e->column = column;
	e->msgid = msgid;
	e->args[0] = a;
	e->args[1] = b;
	expand(e->message, sizeof e->message, msgid, e->args);
	return false;
}

static bool fail(struct parser *ps, size_t line, size_t column, const char *msgid)
{
	return fail_with(ps, line, column, msgid, no_arg, no_arg);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return false;
		c *= 2;
	}
	if (c > SIZE_MAX / elem)
		return false;
	void *q = realloc(*p, c * elem);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

static bool vec_push(struct vec *v, char *s)
{
	void *p = v->v;
	if (!grow(&p, &v->cap, v->n + 1, sizeof *v->v))
		return false;
	v->v = p;
	v->v[v->n++] = s;
	return true;
}

/* Field text rules, on the unquoted text s[0..n): well-formed UTF-8, no
 * NUL, no control character but tab, CR and LF (a CR only gets here from
 * inside quotes), and not even those when one_line.  Returns TEXT_OK or the
 * first fault, at s[*at], with its code point in *cp and *lf the number of
 * LFs before it. */
enum text_fault { TEXT_OK, TEXT_BAD_UTF8, TEXT_NUL, TEXT_CONTROL };

static enum text_fault text_fault(const char *s, size_t n, bool one_line, size_t *at, uint32_t *cp,
				  size_t *lf)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	*lf = 0;
	while (i < n) {
		size_t k = utf8_seq(u + i, n - i, cp);
		*at = i;
		if (k == 0)
			return TEXT_BAD_UTF8;
		if (*cp == 0)
			return TEXT_NUL;
		bool layout = *cp == '\t' || *cp == '\n' || *cp == '\r';
		if ((*cp < 0x20 && (one_line || !layout)) || (*cp >= 0x7F && *cp <= 0x9F))
			return TEXT_CONTROL;
		*lf += *cp == '\n';
		i += k;
	}
	return TEXT_OK;
}

/* Reports a fault of field text s on `line`, the line of the offending byte. */
static bool text_fail(struct parser *ps, enum text_fault f, const char *s, size_t at, uint32_t cp,
		      size_t line, size_t column)
{
	if (f == TEXT_BAD_UTF8)
		return fail_with(
			ps, line, column,
			N_("invalid UTF-8 at byte {byte} of the field (0x{code}): save the "
			   "file as \"CSV UTF-8\""),
			arg_num("byte", at + 1), arg_hex("code", (unsigned char)s[at], 2));
	if (f == TEXT_NUL)
		return fail_with(ps, line, column, N_("NUL byte at byte {byte} of the field"),
				 arg_num("byte", at + 1), no_arg);
	return fail_with(ps, line, column,
			 N_("control character U+{code} at byte {byte} of the field"),
			 arg_hex("code", (unsigned)cp, 4), arg_num("byte", at + 1));
}

/* Consumes what ends a field at pos: the delimiter, a line end (LF, CRLF, or
 * a CR as the very last byte) or the end of the input. */
static enum field_end end_of_field(struct parser *ps, size_t column, bool after_quote)
{
	if (ps->pos == ps->len)
		return END_INPUT;
	unsigned char b = ps->in[ps->pos];
	if (b == ps->delim) {
		ps->pos++;
		return END_DELIM;
	}
	if (b == '\n' || (b == '\r' && (ps->pos + 1 == ps->len || ps->in[ps->pos + 1] == '\n'))) {
		ps->pos += b == '\r' && ps->pos + 1 < ps->len ? 2 : 1;
		ps->line++;
		return END_LINE;
	}
	if (b == '\r')
		fail(ps, ps->line, column,
		     N_("carriage return without a line feed (old Mac line end?)"));
	else if (after_quote)
		fail(ps, ps->line, column, N_("text after the closing quote of a quoted field"));
	else
		fail(ps, ps->line, column, N_("internal error: unexpected byte")); /* not reached */
	return END_ERROR;
}

static bool too_long(struct parser *ps, size_t line, size_t column)
{
	return fail_with(ps, line, column, N_("field longer than {max} bytes"),
			 arg_num("max", ps->lim.max_field_bytes), no_arg);
}

/* Reads the field at pos (the column-th of its row) into the arena. */
static enum field_end read_field(struct parser *ps, size_t column, bool one_line, char **out)
{
	const size_t start_line = ps->line, max = ps->lim.max_field_bytes;
	char *dst = ps->arena + ps->used;
	size_t n = 0;
	enum field_end end;

	if (ps->pos < ps->len && ps->in[ps->pos] == '"') {
		ps->pos++;
		for (;;) {
			if (ps->pos == ps->len) {
				fail(ps, start_line, column, N_("quoted field is not closed"));
				return END_ERROR;
			}
			unsigned char b = ps->in[ps->pos++];
			if (b == '"') {
				if (ps->pos == ps->len || ps->in[ps->pos] != '"')
					break;
				ps->pos++; /* "" is one quote */
			} else if (b == '\n') {
				ps->line++;
			}
			if (n == max) {
				too_long(ps, start_line, column);
				return END_ERROR;
			}
			dst[n++] = (char)b;
		}
		end = end_of_field(ps, column, true);
	} else {
		for (;;) {
			if (ps->pos == ps->len)
				break;
			unsigned char b = ps->in[ps->pos];
			if (b == ps->delim || b == '\n' || b == '\r')
				break;
			if (b == '"') {
				fail(ps, ps->line, column,
				     N_("quote inside an unquoted field (quote the whole field and "
					"double the quote)"));
				return END_ERROR;
			}
			if (n == max) {
				too_long(ps, start_line, column);
				return END_ERROR;
			}
			dst[n++] = (char)b;
			ps->pos++;
		}
		end = end_of_field(ps, column, false);
	}
	if (end == END_ERROR)
		return END_ERROR;
	dst[n] = '\0';
	ps->used += n + 1;
	size_t at = 0, lf = 0;
	uint32_t cp = 0;
	enum text_fault f = text_fault(dst, n, one_line, &at, &cp, &lf);
	if (f != TEXT_OK) {
		text_fail(ps, f, dst, at, cp, start_line + lf, column);
		return END_ERROR;
	}
	*out = dst;
	return end;
}

/* Skips blank lines (nothing between two line ends) before a row. */
static void skip_blank_lines(struct parser *ps)
{
	for (;;) {
		size_t rest = ps->len - ps->pos;
		if (rest >= 2 && ps->in[ps->pos] == '\r' && ps->in[ps->pos + 1] == '\n')
			ps->pos += 2;
		else if (rest >= 1 &&
			 (ps->in[ps->pos] == '\n' || (rest == 1 && ps->in[ps->pos] == '\r')))
			ps->pos++; /* LF, or a CR as the very last byte */
		else
			return;
		ps->line++;
	}
}

/* Reads the row at pos (not blank, not at the end) onto v, at most max
 * fields; *count is how many it read. */
static bool read_row(struct parser *ps, struct vec *v, size_t max, bool header, size_t *count)
{
	const size_t start_line = ps->line;
	size_t n = 0;
	enum field_end e;
	do {
		if (n == max) {
			if (header)
				return fail_with(ps, ps->line, n + 1, N_("more than {max} columns"),
						 arg_num("max", max), no_arg);
			return fail_with(ps, start_line, n + 1,
					 N_("row has more fields than the header's {max}"),
					 arg_num("max", max), no_arg);
		}
		char *f = NULL;
		e = read_field(ps, n + 1, !header && ps->lim.single_line, &f);
		if (e == END_ERROR)
			return false;
		if (!vec_push(v, f))
			return fail(ps, 0, 0, N_("out of memory"));
		n++;
	} while (e == END_DELIM);
	*count = n;
	return true;
}

struct name_at {
	const char *name;
	size_t idx;
};

static int name_at_cmp(const void *a, const void *b)
{
	const struct name_at *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims the header names in place; rejects empty and duplicate names. */
static bool check_header(struct parser *ps, char **names, size_t n, size_t line)
{
	for (size_t j = 0; j < n; j++) {
		char *s = names[j];
		while (is_blank(*s))
			s++;
		size_t k = strlen(s);
		while (k > 0 && is_blank(s[k - 1]))
			k--;
		s[k] = '\0';
		names[j] = s;
		if (k == 0)
			return fail(ps, line, j + 1, N_("header name is empty"));
	}
	if (n < 2)
		return true;
	struct name_at *sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		return fail(ps, 0, 0, N_("out of memory"));
	for (size_t j = 0; j < n; j++)
		sorted[j] = (struct name_at){ names[j], j };
	qsort(sorted, n, sizeof *sorted, name_at_cmp);
	/* Within equal names the order is by column, so the second of each group
	 * is where that name repeats; report the leftmost such repeat. */
	size_t dup = SIZE_MAX, first = 0;
	for (size_t i = 1; i < n; i++)
		if (sorted[i].idx < dup && strcmp(sorted[i].name, sorted[i - 1].name) == 0) {
			dup = sorted[i].idx;
			first = sorted[i - 1].idx;
		}
	free(sorted);
	if (dup == SIZE_MAX)
		return true;
	/* at most 63 bytes of the name */
	char shown[64];
	clip(shown, sizeof shown, names[dup]);
	return fail_with(ps, line, dup + 1,
			 N_("duplicate header name \"{name}\" (also column {column})"),
			 arg_text("name", shown), arg_num("column", first + 1));
}

static void set_limits(struct csv_limits *l, const struct csv_limits *given)
{
	*l = given ? *given : (struct csv_limits){ 0, 0, 0, 0, 0, false };
	if (!l->max_bytes)
		l->max_bytes = CSV_DEFAULT_MAX_BYTES;
	if (!l->max_rows)
		l->max_rows = CSV_DEFAULT_MAX_ROWS;
	if (!l->max_columns)
		l->max_columns = CSV_DEFAULT_MAX_COLUMNS;
	if (l->max_columns > INT_MAX)
		l->max_columns = INT_MAX; /* csv_column returns an int */
	if (!l->max_field_bytes)
		l->max_field_bytes = CSV_DEFAULT_MAX_FIELD_BYTES;
	if (!l->delimiter)
		l->delimiter = ',';
}

static bool starts_with(const unsigned char *s, size_t len, const char *prefix, size_t n)
{
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* Checks the input as a whole and skips the BOM. */
static bool begin(struct parser *ps)
{
	if (ps->delim != ',' && ps->delim != ';')
		return fail(ps, 0, 0, N_("unsupported delimiter (use ',' or ';')"));
	if (!ps->in && ps->len)
		return fail(ps, 0, 0, N_("no data"));
	if (ps->len > ps->lim.max_bytes)
		return fail_with(ps, 0, 0, N_("file larger than {max} bytes"),
				 arg_num("max", ps->lim.max_bytes), no_arg);
	if (starts_with(ps->in, ps->len, "\xEF\xBB\xBF", 3))
		ps->pos = 3;
	else if (starts_with(ps->in, ps->len, "\xFF\xFE", 2) ||
		 starts_with(ps->in, ps->len, "\xFE\xFF", 2))
		return fail(ps, 1, 1, N_("the file is UTF-16: save it as \"CSV UTF-8\""));
	return true;
}

struct csv_table *csv_parse_new(const char *data, size_t len, const struct csv_limits *limits,
				struct csv_error *err)
{
	struct csv_error scratch = { .line = 0 };
	struct parser ps = { .in = (const unsigned char *)data, .len = len, .line = 1 };
	ps.err = err ? err : &scratch;
	set_limits(&ps.lim, limits);
	ps.delim = (unsigned char)ps.lim.delimiter;

	struct table_block *b = NULL;
	struct vec header = { 0 }, cells = { 0 };
	size_t *lines = NULL, lines_cap = 0, n_rows = 0, n_columns = 0;

	if (!begin(&ps))
		goto fail;
	if (!(ps.arena = malloc(len + 1))) {
		fail(&ps, 0, 0, N_("out of memory"));
		goto fail;
	}

	skip_blank_lines(&ps);
	if (ps.pos == ps.len) {
		fail(&ps, 0, 0, N_("no header row"));
		goto fail;
	}
	size_t header_line = ps.line;
	if (!read_row(&ps, &header, ps.lim.max_columns, true, &n_columns) ||
	    !check_header(&ps, header.v, n_columns, header_line))
		goto fail;

	for (;;) {
		skip_blank_lines(&ps);
		if (ps.pos == ps.len)
			break;
		size_t row_line = ps.line, got = 0;
		if (n_rows == ps.lim.max_rows) {
			fail_with(&ps, row_line, 0, N_("more than {max} data rows"),
				  arg_num("max", ps.lim.max_rows), no_arg);
			goto fail;
		}
		if (!read_row(&ps, &cells, n_columns, false, &got))
			goto fail;
		if (got != n_columns) {
			fail_with(&ps, row_line, got + 1,
				  got == 1 ? N_("row has {got} field, the header has {columns}")
					   : N_("row has {got} fields, the header has {columns}"),
				  arg_num("got", got), arg_num("columns", n_columns));
			goto fail;
		}
		void *p = lines;
		if (!grow(&p, &lines_cap, n_rows + 1, sizeof *lines)) {
			fail(&ps, 0, 0, N_("out of memory"));
			goto fail;
		}
		lines = p;
		lines[n_rows++] = row_line;
	}

	if (!(b = calloc(1, sizeof *b)) ||
	    (n_rows && !(b->t.rows = malloc(n_rows * sizeof *b->t.rows)))) {
		fail(&ps, 0, 0, N_("out of memory"));
		goto fail;
	}
	for (size_t i = 0; i < n_rows; i++)
		b->t.rows[i] = cells.v + i * n_columns;
	b->t.n_columns = n_columns;
	b->t.header = header.v;
	b->t.n_rows = n_rows;
	b->t.row_line = lines;
	b->arena = ps.arena;
	b->cells = cells.v;
	return &b->t;

fail:
	if (b)
		free(b->t.rows);
	free(b);
	free(lines);
	free(cells.v);
	free(header.v);
	free(ps.arena);
	return NULL;
}

void csv_table_free(struct csv_table *t)
{
	if (!t)
		return;
	struct table_block *b = (struct table_block *)t;
	free(b->t.rows);
	free(b->t.row_line);
	free(b->t.header);
	free(b->cells);
	free(b->arena);
	free(b);
}

int csv_column(const struct csv_table *t, const char *name)
{
	if (!t || !name)
		return -1;
	for (size_t j = 0; j < t->n_columns; j++)
		if (strcmp(t->header[j], name) == 0)
			return (int)j;
	return -1;
}
