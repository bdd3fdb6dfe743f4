/*
 * csv.h — a strict reader for the CSV files agencies import (staff lists
 * exported from Excel or LibreOffice), and a UTF-8 validator.
 *
 * The format read: UTF-8 (a leading byte order mark is skipped), fields
 * separated by ',' (or ';' when the caller asks), RFC 4180 quoting (a quoted
 * field may hold the delimiter, line ends and "" for a quote), CRLF or LF line
 * ends, freely mixed, and a header row.  Blank lines (no bytes at all between
 * two line ends) are skipped anywhere, so a one-column file writes an empty
 * value as "".  Data fields are returned byte for byte (no trimming, no
 * Unicode normalisation: NFC is the caller's business); only header names
 * are trimmed of surrounding spaces and tabs.
 *
 * Strict on purpose: anything a spreadsheet would not write is an error
 * rather than a guess, and the error names the place (line and column) so a
 * clerk can fix the file.  Pure: no I/O, no global state, thread-safe.
 */
#ifndef THIDUA_DOMAIN_CSV_H
#define THIDUA_DOMAIN_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* Where and why parsing failed.  line is the 1-based physical line (LF
 * count + 1) and column the 1-based field number in its row; either is 0
 * when the error is not about a place (the input as a whole, or the whole
 * row).  Byte-level errors (bad UTF-8, a control character, a stray quote,
 * text after a closing quote) name the line of the offending byte, which may
 * lie inside a quoted field spanning several lines; an unterminated quoted
 * field, a field over the size limit and a row with the wrong number of
 * fields name the line where that field or row starts.
 *
 * Why is said twice, without the line and column: message is the short
 * English sentence, always NUL-terminated valid UTF-8 (safe for JSON), for
 * logs; msgid is the same sentence as an English msgid of the message
 * catalogue with a {name} for each argument of args (values as text), so
 * that the caller can word it in its reader's language
 * (answers/template.h).  msgid is static; unused args have a NULL name. */
#define CSV_ERROR_ARGS 2
struct csv_error_arg {
	const char *name; /* static, or NULL */
	char value[72]; /* NUL-terminated valid UTF-8 */
};
struct csv_error {
	size_t line;
	size_t column;
	char message[160];
	const char *msgid;
	struct csv_error_arg args[CSV_ERROR_ARGS];
};

/* A parsed file.  Owned by the caller, freed with csv_table_free as a whole:
 * every string (header names and fields) points into one block that belongs
 * to the table, so never free, realloc or keep a string after the table. */
struct csv_table {
	size_t n_columns;
	char **header; /* n_columns names, trimmed, non-empty, distinct */
	size_t n_rows; /* data rows: header excluded, blank lines skipped */
	char ***rows; /* rows[i][j], i < n_rows, j < n_columns: NUL-terminated UTF-8 */
	size_t *row_line; /* physical line (1-based) where row i starts */
};

/* Bounds for untrusted input; a field left 0 takes its default below.
 * delimiter is ',' or ';' (0 means ','); anything else is an error. */
struct csv_limits {
	size_t max_bytes; /* whole input, BOM included */
	size_t max_rows; /* data rows, header excluded */
	size_t max_columns; /* header fields; at most INT_MAX */
	size_t max_field_bytes; /* one field after unquoting, in bytes (not characters) */
	char delimiter;
	/* Every field is a one-line value: a tab, CR or LF in a field (quoted
	 * or not) is refused like any other control character, as the JSON
	 * routes refuse them in one-line strings.  Header names are not
	 * concerned. */
	bool single_line;
};

#define CSV_DEFAULT_MAX_BYTES ((size_t)8 << 20)
#define CSV_DEFAULT_MAX_ROWS ((size_t)100000)
#define CSV_DEFAULT_MAX_COLUMNS ((size_t)256)
#define CSV_DEFAULT_MAX_FIELD_BYTES ((size_t)4096)

/* Parses the whole input: data[0..len), which need not be NUL-terminated and
 * is never read past len.  limits may be NULL (all defaults).  On success
 * returns a new table (the caller frees it with csv_table_free) and leaves
 * *err alone; on failure returns NULL and fills *err (err may be NULL).
 * Errors: invalid UTF-8; an unterminated quoted field; a quote inside an
 * unquoted field; text after a closing quote; a CR not followed by LF outside
 * quotes; a row with a different number of fields than the header; no header
 * row; an empty or duplicate header name; a NUL byte; a control character
 * other than tab, CR and LF (C0, DEL and the C1 range U+0080..U+009F, which
 * betrays a Windows-1252 file decoded as Latin-1), or any at all in a data
 * field with single_line; any limit exceeded; out of memory. */
struct csv_table *csv_parse_new(const char *data, size_t len, const struct csv_limits *limits,
				struct csv_error *err);

/* Frees a table from csv_parse_new and everything in it; NULL is a no-op. */
void csv_table_free(struct csv_table *t);

/* Index of the header named name (exact byte comparison with the trimmed
 * name), or -1 when there is none (or t or name is NULL).  Borrows both. */
int csv_column(const struct csv_table *t, const char *name);

/* True when s[0..len) is well-formed UTF-8 (RFC 3629): no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
 * sequence.  U+0000 is well-formed: callers that forbid NUL check it
 * themselves.  On failure *bad_offset (if not NULL) is the offset of the
 * first byte of the first bad sequence; on success it is set to len. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

#endif
