/* Unit tests: the strict CSV reader for imports and the UTF-8 validator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csv.h"

#define MAX_CELLS 16

/* One successful parse: the header then the rows, row-major, in cells. */
struct ok_row {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	struct csv_limits lim;
	size_t cols, rows;
	const char *cells[MAX_CELLS];
	size_t lines[4]; /* row_line of the first rows; 0: not checked */
};

static const struct ok_row ok_rows[] = {
	{ .name = "single_line: quoted delimiters, quotes and spaces stay; header tabs trimmed",
	  .in = "\tHọ tên\t,b\r\n\"Lưu, \"\"Văn\"\"\",  x \r\n",
	  .lim = { .single_line = true },
	  .cols = 2,
	  .rows = 1,
	  .cells = { "Họ tên", "b", "Lưu, \"Văn\"", "  x " },
	  .lines = { 2 } },
	{ .name = "LF line ends, trailing newline",
	  .in = "a,b\n1,2\n3,4\n",
	  .cols = 2,
	  .rows = 2,
	  .cells = { "a", "b", "1", "2", "3", "4" },
	  .lines = { 2, 3 } },
	{ .name = "CRLF line ends",
	  .in = "a,b\r\n1,2\r\n3,4\r\n",
	  .cols = 2,
	  .rows = 2,
	  .cells = { "a", "b", "1", "2", "3", "4" },
	  .lines = { 2, 3 } },
	{ .name = "mixed CRLF and LF",
	  .in = "a,b\r\n1,2\n3,4\r\n5,6\n",
	  .cols = 2,
	  .rows = 3,
	  .cells = { "a", "b", "1", "2", "3", "4", "5", "6" },
	  .lines = { 2, 3, 4 } },
	{ .name = "no trailing newline",
	  .in = "a,b\n1,2",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" },
	  .lines = { 2 } },
	{ .name = "a CR as the very last byte ends the line",
	  .in = "a,b\n1,2\r",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" } },
	{ .name = "UTF-8 BOM is skipped",
	  .in = "\xEF\xBB\xBFH\xE1\xBB\x8D t\xC3\xAAn,M\xC3\xA3\nA,1\n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "Họ tên", "Mã", "A", "1" },
	  .lines = { 2 } },
	{ .name = "BOM then header only",
	  .in = "\xEF\xBB\xBF"
		"a\r\n",
	  .cols = 1,
	  .rows = 0,
	  .cells = { "a" } },
	{ .name = "header only, no rows",
	  .in = "a,b\n",
	  .cols = 2,
	  .rows = 0,
	  .cells = { "a", "b" } },
	{ .name = "Vietnamese names survive byte for byte",
	  .in = "Họ và tên,Đơn vị\nNguyễn Thị Thu Hà,Ban Quản lý Khu kinh tế\nĐặng Văn Đức,Phòng "
		"Tổ "
		"chức\n",
	  .cols = 2,
	  .rows = 2,
	  .cells = { "Họ và tên", "Đơn vị", "Nguyễn Thị Thu Hà", "Ban Quản lý Khu kinh tế",
		     "Đặng Văn Đức", "Phòng Tổ chức" } },
	{ .name = "decomposed Vietnamese is kept as given (NFC is the caller's business)",
	  .in = "a\nNguye\xCC\x82\xCC\x83n\n",
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "Nguye\xCC\x82\xCC\x83n" } },
	{ .name = "4-byte UTF-8 and an inner U+FEFF are kept",
	  .in = "a\n\xF0\x9F\x98\x80\xEF\xBB\xBFx\n",
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "\xF0\x9F\x98\x80\xEF\xBB\xBFx" } },
	{ .name = "quoted field holds the delimiter",
	  .in = "a,b\n\"Pleiku, Gia Lai\",2\n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "Pleiku, Gia Lai", "2" } },
	{ .name = "quoted field holds LF and CRLF; row_line is where the row starts",
	  .in = "a,b\n\"d\xC3\xB2ng 1\nd\xC3\xB2ng 2\",x\r\n\"p\r\nq\",y\n",
	  .cols = 2,
	  .rows = 2,
	  .cells = { "a", "b", "dòng 1\ndòng 2", "x", "p\r\nq", "y" },
	  .lines = { 2, 4 } },
	{ .name = "doubled quotes inside quotes are one quote",
	  .in = "a\n\"N\xC3\xB3i \"\"kh\xC3\xB4ng\"\"\"\n",
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "Nói \"không\"" } },
	{ .name = "quoted empty and quoted delimiter",
	  .in = "a,b\n\"\",\",\"\n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "", "," } },
	{ .name = "empty fields, including a row of them",
	  .in = "a,b,c\n,,\n1,,3\n",
	  .cols = 3,
	  .rows = 2,
	  .cells = { "a", "b", "c", "", "", "", "1", "", "3" } },
	{ .name = "one column: a quoted empty value is a row, a blank line is not",
	  .in = "a\n\"\"\n\nx\n",
	  .cols = 1,
	  .rows = 2,
	  .cells = { "a", "", "x" },
	  .lines = { 2, 4 } },
	{ .name = "blank lines skipped before the header, between rows and at the end",
	  .in = "\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n\r\n",
	  .cols = 2,
	  .rows = 2,
	  .cells = { "a", "b", "1", "2", "3", "4" },
	  .lines = { 5, 8 } },
	{ .name = "header names trimmed of spaces and tabs, fields not",
	  .in = " H\xE1\xBB\x8D t\xC3\xAAn \t,\tM\xC3\xA3 \n  x , y \n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "Họ tên", "Mã", "  x ", " y " } },
	{ .name = "a quoted header name is trimmed too",
	  .in = "\" a \",b\n1,2\n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" } },
	{ .name = "semicolon delimiter: a comma is data (Vietnamese decimal comma)",
	  .in = "Họ tên;Điểm\nĐặng Văn Đức;9,5\n\"x;y\";\"1\"\n",
	  .lim = { .delimiter = ';' },
	  .cols = 2,
	  .rows = 2,
	  .cells = { "Họ tên", "Điểm", "Đặng Văn Đức", "9,5", "x;y", "1" } },
	{ .name = "comma delimiter: a semicolon is data",
	  .in = "a,b\n1;5,2\n",
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1;5", "2" } },
	{ .name = "tab inside a field is data",
	  .in = "a\nx\ty\n",
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "x\ty" } },
	{ .name = "bare CR inside quotes is data",
	  .in = "a\n\"x\ry\"\n",
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "x\ry" } },
	{ .name = "input exactly max_bytes long",
	  .in = "a,b\n1,2\n",
	  .lim = { .max_bytes = 8 },
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" } },
	{ .name = "rows exactly at max_rows (blank lines do not count)",
	  .in = "a\n1\n\n2\n\n",
	  .lim = { .max_rows = 2 },
	  .cols = 1,
	  .rows = 2,
	  .cells = { "a", "1", "2" } },
	{ .name = "max_columns above INT_MAX is clamped, not an error",
	  .in = "a,b\n1,2\n",
	  .lim = { .max_columns = (size_t)-1 },
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" } },
	{ .name = "columns exactly at max_columns",
	  .in = "a,b\n1,2\n",
	  .lim = { .max_columns = 2 },
	  .cols = 2,
	  .rows = 1,
	  .cells = { "a", "b", "1", "2" } },
	{ .name = "field exactly max_field_bytes long (bytes, not characters)",
	  .in = "a\n\xC4\x90\xE1\xBA\xB7\n",
	  .lim = { .max_field_bytes = 5 },
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "Đặ" } },
	{ .name = "doubled quotes count once toward max_field_bytes",
	  .in = "a\n\"\"\"\"\"\"\"\"\"\"\n",
	  .lim = { .max_field_bytes = 4 },
	  .cols = 1,
	  .rows = 1,
	  .cells = { "a", "\"\"\"\"" } },
};

static void test_parse_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ok_rows / sizeof ok_rows[0]; i++) {
		const struct ok_row *r = &ok_rows[i];
		struct csv_error err = { .message = "untouched" };
		size_t len = r->len ? r->len : strlen(r->in);
		struct csv_table *t = csv_parse_new(r->in, len, &r->lim, &err);
		if (!t) {
			fail_msg("%s: line %zu column %zu: %s", r->name, err.line, err.column,
				 err.message);
			return;
		}
		if (strcmp(err.message, "untouched") != 0)
			fail_msg("%s: err written on success", r->name);
		if (t->n_columns != r->cols || t->n_rows != r->rows)
			fail_msg("%s: %zu columns, %zu rows", r->name, t->n_columns, t->n_rows);
		size_t k = 0;
		for (size_t j = 0; j < t->n_columns; j++, k++)
			if (strcmp(t->header[j], r->cells[k]) != 0)
				fail_msg("%s: header %zu is \"%s\"", r->name, j, t->header[j]);
		for (size_t row = 0; row < t->n_rows; row++) {
			for (size_t j = 0; j < t->n_columns; j++, k++)
				if (strcmp(t->rows[row][j], r->cells[k]) != 0)
					fail_msg("%s: row %zu field %zu is \"%s\"", r->name, row, j,
						 t->rows[row][j]);
			if (row < 4 && r->lines[row] && t->row_line[row] != r->lines[row])
				fail_msg("%s: row %zu starts on line %zu", r->name, row,
					 t->row_line[row]);
		}
		csv_table_free(t);
	}
}

/* One failed parse: where it is reported and a fragment of the message. */
struct err_row {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	struct csv_limits lim;
	size_t line, column;
	const char *msg;
};

#define D5 "ĐĐĐĐĐ"
#define D35 D5 D5 D5 D5 D5 D5 D5 /* 70 bytes: the message quotes at most 63 */

static const struct err_row err_rows[] = {
	/* encoding */
	{ "invalid UTF-8 (a Windows-1258 export) on line 3 column 2",
	  "H\xE1\xBB\x8D t\xC3\xAAn,\xC4\x90\xC6\xA1n v\xE1\xBB\x8B\nA,B\nC,Ph\xF2ng\n",
	  0,
	  { 0 },
	  3,
	  2,
	  "invalid UTF-8 at byte 3 of the field (0xF2)" },
	{ "invalid UTF-8 in the header", "a,\xFF\n", 0, { 0 }, 1, 2, "invalid UTF-8" },
	{ "overlong encoding of '/'", "a\n\xC0\xAF\n", 0, { 0 }, 2, 1, "invalid UTF-8" },
	{ "overlong 3-byte encoding", "a\n\xE0\x80\xAF\n", 0, { 0 }, 2, 1, "invalid UTF-8" },
	{ "UTF-16 surrogate encoded in UTF-8",
	  "a,b\nx,\xED\xA0\x80\n",
	  0,
	  { 0 },
	  2,
	  2,
	  "invalid UTF-8" },
	{ "code point above U+10FFFF", "a\n\xF4\x90\x80\x80\n", 0, { 0 }, 2, 1, "invalid UTF-8" },
	{ "lone continuation byte", "a\nx\x80y\n", 0, { 0 }, 2, 1, "byte 2 of the field" },
	{ "sequence truncated by the delimiter",
	  "a,b\n\xE1\xBA,x\n",
	  0,
	  { 0 },
	  2,
	  1,
	  "invalid UTF-8" },
	{ "sequence truncated by the end of input",
	  "a\n\xE1\xBA",
	  0,
	  { 0 },
	  2,
	  1,
	  "invalid UTF-8" },
	{ "bad UTF-8 on the second line of a quoted field names that line",
	  "a,b\n1,\"x\ny\xFF\"\n",
	  0,
	  { 0 },
	  3,
	  2,
	  "invalid UTF-8" },
	{ "UTF-16 LE file (Excel 'Unicode Text')",
	  "\xFF\xFE"
	  "a\0,\0b\0",
	  8,
	  { 0 },
	  1,
	  1,
	  "UTF-16" },
	{ "UTF-16 BE file", "\xFE\xFF\0a", 4, { 0 }, 1, 1, "UTF-16" },
	{ "NUL byte in a field", "a,b\n1,x\0y\n", 10, { 0 }, 2, 2, "NUL byte at byte 2" },
	{ "NUL byte in a quoted field", "a\n\"\0\"\n", 6, { 0 }, 2, 1, "NUL" },
	{ "control character U+0001", "a\nx\x01\n", 0, { 0 }, 2, 1, "control character U+0001" },
	{ "control character U+001B (escape)", "a,b\n1,\"\x1B[0m\"\n", 0, { 0 }, 2, 2, "U+001B" },
	{ "DEL is a control character", "a\n\x7F\n", 0, { 0 }, 2, 1, "U+007F" },
	{ "C1 control U+0085 (mis-decoded Windows-1252)",
	  "a\n\xC2\x85\n",
	  0,
	  { 0 },
	  2,
	  1,
	  "U+0085" },
	{ "form feed in the header",
	  "a\x0C"
	  "b\n",
	  0,
	  { 0 },
	  1,
	  1,
	  "U+000C" },
	/* quoting */
	{ "unterminated quoted field, reported where it starts",
	  "a,b\n1,2\n3,\"abc\n4,5\n",
	  0,
	  { 0 },
	  3,
	  2,
	  "not closed" },
	{ "unterminated quoted field at the very end", "a\n\"", 0, { 0 }, 2, 1, "not closed" },
	{ "quote inside an unquoted field, line 4 column 3",
	  "a,b,c\n1,2,3\n4,5,6\n7,8,9\"x\n",
	  0,
	  { 0 },
	  4,
	  3,
	  "quote inside an unquoted field" },
	{ "space before the opening quote", "a,b\n \"x\",y\n", 0, { 0 }, 2, 1, "quote inside" },
	{ "text after the closing quote",
	  "a,b\n\"x\"y,z\n",
	  0,
	  { 0 },
	  2,
	  1,
	  "after the closing quote" },
	{ "space after the closing quote",
	  "a,b\n1,\"x\" \n",
	  0,
	  { 0 },
	  2,
	  2,
	  "after the closing quote" },
	{ "text after a closing quote on the second line of the field",
	  "a,b\n1,\"x\ny\"z\n",
	  0,
	  { 0 },
	  3,
	  2,
	  "after the closing quote" },
	/* line ends */
	{ "bare CR (old Mac line end)", "a,b\r1,2\r\n", 0, { 0 }, 1, 2, "carriage return" },
	{ "bare CR after a closing quote", "a\n\"x\"\ry\n", 0, { 0 }, 2, 1, "carriage return" },
	{ "bare CR at the start of a row", "a\n\rx\n", 0, { 0 }, 2, 1, "carriage return" },
	/* shape */
	{ "too few fields: the first missing column",
	  "a,b,c\n1,2,3\n4,5\n",
	  0,
	  { 0 },
	  3,
	  3,
	  "row has 2 fields, the header has 3" },
	{ "one field where the header has two", "a,b\nx\n", 0, { 0 }, 2, 2, "row has 1 field," },
	{ "too many fields: the first extra column",
	  "a,b\n1,2\n3,4,5\n",
	  0,
	  { 0 },
	  3,
	  3,
	  "more fields than the header's 2" },
	{ "a trailing delimiter is an extra field", "a,b\n1,2,\n", 0, { 0 }, 2, 3, "more fields" },
	{ "a multi-line row is reported where it starts",
	  "a,b,c\n\"x\ny\",2\n",
	  0,
	  { 0 },
	  2,
	  3,
	  "row has 2 fields" },
	{ "a row of spaces in a two-column file", "a,b\n  \n", 0, { 0 }, 2, 2, "row has 1 field," },
	{ "semicolon file read with the semicolon delimiter but a comma row",
	  "a;b\n1,2\n",
	  0,
	  { .delimiter = ';' },
	  2,
	  2,
	  "row has 1 field," },
	/* header */
	{ "empty input", "", 0, { 0 }, 0, 0, "no header row" },
	{ "only blank lines", "\n\r\n\n", 0, { 0 }, 0, 0, "no header row" },
	{ "BOM and nothing else", "\xEF\xBB\xBF", 0, { 0 }, 0, 0, "no header row" },
	{ "empty header name", "a,,c\n1,2,3\n", 0, { 0 }, 1, 2, "header name is empty" },
	{ "header name of spaces only", "a,  \t,c\n", 0, { 0 }, 1, 2, "header name is empty" },
	{ "quoted empty header name", "\"\",b\n", 0, { 0 }, 1, 1, "header name is empty" },
	{ "trailing delimiter on the header",
	  "a,b,\n1,2,3\n",
	  0,
	  { 0 },
	  1,
	  3,
	  "header name is empty" },
	{ "duplicate header name",
	  "Họ tên,Mã,Họ tên\n",
	  0,
	  { 0 },
	  1,
	  3,
	  "duplicate header name \"Họ tên\" (also column 1)" },
	{ "duplicate after trimming", "a, b ,b\n", 0, { 0 }, 1, 3, "\"b\" (also column 2)" },
	{ "a long duplicate name is cut at a character boundary in the message (still UTF-8)",
	  D35 "," D35 "\n",
	  0,
	  { 0 },
	  1,
	  2,
	  "duplicate header name \"" D5 D5 D5 D5 D5 D5 "Đ\" (also" },
	{ "leftmost repeat is reported", "x,y,z,y,x\n", 0, { 0 }, 1, 4, "\"y\" (also column 2)" },
	{ "header after blank lines: duplicate on line 3",
	  "\n\r\na,a\n",
	  0,
	  { 0 },
	  3,
	  2,
	  "duplicate" },
	/* limits */
	{ "input over max_bytes",
	  "a,b\n1,2\n3,4\n",
	  0,
	  { .max_bytes = 11 },
	  0,
	  0,
	  "larger than 11 bytes" },
	{ "more data rows than max_rows, named at the first row too many",
	  "a\n1\n2\n\n3\n4\n",
	  0,
	  { .max_rows = 2 },
	  5,
	  0,
	  "more than 2 data rows" },
	{ "more header columns than max_columns",
	  "a,b,c\n",
	  0,
	  { .max_columns = 2 },
	  1,
	  3,
	  "more than 2 columns" },
	{ "field over max_field_bytes",
	  "a\nabcde\n",
	  0,
	  { .max_field_bytes = 4 },
	  2,
	  1,
	  "longer than 4 bytes" },
	{ "header name over max_field_bytes",
	  "abcde\n",
	  0,
	  { .max_field_bytes = 4 },
	  1,
	  1,
	  "longer than 4 bytes" },
	{ "quoted field over the limit is named where it starts",
	  "a,b\n1,\"ab\ncde\"\n",
	  0,
	  { .max_field_bytes = 4 },
	  2,
	  2,
	  "longer than 4 bytes" },
	{ "field over the default 4096 bytes is checked without a limits struct",
	  NULL,
	  0,
	  { 0 },
	  2,
	  1,
	  "longer than 4096 bytes" },
	/* single_line: a field is a one-line value, as a JSON one-line string */
	{ "single_line: LF inside a quoted field, named on the line it starts",
	  "a,b\n1,\"Lưu Văn\nMười\"\n",
	  0,
	  { .single_line = true },
	  2,
	  2,
	  "control character U+000A at byte 10 of the field" },
	{ "single_line: CRLF inside a quoted field",
	  "a\n\"x\r\ny\"\n",
	  0,
	  { .single_line = true },
	  2,
	  1,
	  "control character U+000D at byte 2" },
	{ "single_line: tab in an unquoted field",
	  "a,b\n1,x\ty\n",
	  0,
	  { .single_line = true },
	  2,
	  2,
	  "control character U+0009 at byte 2" },
	{ "single_line: a later line's LF is counted for the line",
	  "a\nok\n\"x\"\n\"y\nz\"\n",
	  0,
	  { .single_line = true },
	  4,
	  1,
	  "U+000A" },
	{ "tab is not a supported delimiter",
	  "a\tb\n",
	  0,
	  { .delimiter = '\t' },
	  0,
	  0,
	  "unsupported delimiter" },
};

static void test_parse_errors(void **state)
{
	(void)state;
	char big[4200];
	memcpy(big, "a\n", 2);
	memset(big + 2, 'x', 4097);
	big[4099] = '\0';
	for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++) {
		const struct err_row *r = &err_rows[i];
		const char *in = r->in ? r->in : big;
		size_t len = r->len ? r->len : strlen(in);
		struct csv_error err = { .line = 99, .column = 99, .message = "untouched" };
		const struct csv_limits *lim = r->in ? &r->lim : NULL;
		struct csv_table *t = csv_parse_new(in, len, lim, &err);
		if (t) {
			csv_table_free(t);
			fail_msg("%s: accepted", r->name);
		}
		if (err.line != r->line || err.column != r->column || !strstr(err.message, r->msg))
			fail_msg("%s: got line %zu column %zu \"%s\"", r->name, err.line,
				 err.column, err.message);
		if (!utf8_valid(err.message, strlen(err.message), NULL))
			fail_msg("%s: message is not UTF-8", r->name);
		if (!err.msgid)
			fail_msg("%s: no msgid", r->name);
	}
}

/* The message is also given as a msgid with named arguments, for the api
 * layer to word in its reader's language; the English message is that
 * msgid with the arguments in place. */
static void test_error_msgid(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in, *msgid, *arg0, *value0, *arg1, *value1, *message;
	} rows[] = {
		{ "duplicate header", "Họ tên,Mã,Họ tên\n",
		  "duplicate header name \"{name}\" (also column {column})", "name", "Họ tên",
		  "column", "1", "duplicate header name \"Họ tên\" (also column 1)" },
		{ "one field of two", "a,b\n1\n", "row has {got} field, the header has {columns}",
		  "got", "1", "columns", "2", "row has 1 field, the header has 2" },
		{ "three fields of two", "a,b\n1,2,3\n",
		  "row has more fields than the header's {max}", "max", "2", NULL, NULL,
		  "row has more fields than the header's 2" },
		{ "a control character", "a\nx\x01\n",
		  "control character U+{code} at byte {byte} of the field", "code", "0001", "byte",
		  "2", "control character U+0001 at byte 2 of the field" },
		{ "no header", "", "no header row", NULL, NULL, NULL, NULL, "no header row" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct csv_error err;
		assert_null(csv_parse_new(rows[i].in, strlen(rows[i].in), NULL, &err));
		if (strcmp(err.msgid, rows[i].msgid) != 0 ||
		    strcmp(err.message, rows[i].message) != 0)
			fail_msg("%s: \"%s\" / \"%s\"", rows[i].name, err.msgid, err.message);
		const char *names[] = { rows[i].arg0, rows[i].arg1 };
		const char *values[] = { rows[i].value0, rows[i].value1 };
		for (size_t k = 0; k < CSV_ERROR_ARGS; k++) {
			bool same = names[k] ? err.args[k].name &&
						       !strcmp(err.args[k].name, names[k]) &&
						       !strcmp(err.args[k].value, values[k])
					     : !err.args[k].name;
			if (!same)
				fail_msg("%s: argument %zu", rows[i].name, k);
		}
	}
}

/* Never reads past len: the input is cut out of a larger buffer whose next
 * byte would close the quote (ASan would also catch an over-read of a
 * heap copy; the fuzzer does that). */
static void test_len_is_respected(void **state)
{
	(void)state;
	const char buf[] = "a\n\"x\"\n";
	struct csv_error err;
	struct csv_table *t = csv_parse_new(buf, 4, NULL, &err);
	assert_null(t);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "not closed"));
	t = csv_parse_new(buf, 2, NULL, NULL); /* "a\n": header only; err may be NULL */
	assert_non_null(t);
	assert_int_equal(t->n_rows, 0);
	csv_table_free(t);
	assert_null(csv_parse_new(NULL, 0, NULL, NULL));
	assert_null(csv_parse_new(NULL, 5, NULL, &err));
	csv_table_free(NULL);
}

static void test_huge_field(void **state)
{
	(void)state;
	const size_t n = (size_t)1 << 20;
	char *in = malloc(n + 16);
	assert_non_null(in);
	/* Raw input bounded by len, deliberately not NUL-terminated; "Ghi chú" is 8 bytes. */
	memcpy(in, "Ghi chú\n\"", 10); /* NOLINT(bugprone-not-null-terminated-result) */
	memset(in + 10, 'a', n);
	in[10 + n - 2] = '\n'; /* a newline inside the quoted field */
	memcpy(in + 10 + n, "\"\n", 2); /* NOLINT(bugprone-not-null-terminated-result) */
	size_t len = 12 + n;
	struct csv_limits lim = { .max_bytes = len, .max_field_bytes = n };
	struct csv_error err;
	struct csv_table *t = csv_parse_new(in, len, &lim, &err);
	if (!t) {
		fail_msg("huge field: %s", err.message);
		free(in);
		return;
	}
	assert_int_equal(t->n_rows, 1);
	assert_int_equal(strlen(t->rows[0][0]), n);
	assert_int_equal(t->rows[0][0][n - 2], '\n');
	csv_table_free(t);

	lim.max_field_bytes = n - 1;
	assert_null(csv_parse_new(in, len, &lim, &err));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 1);
	lim = (struct csv_limits){ .max_bytes = len - 1, .max_field_bytes = n };
	assert_null(csv_parse_new(in, len, &lim, &err));
	assert_int_equal(err.line, 0);
	free(in);
}

/* Many rows: the arrays grow, row_line follows, rows[i] stay in place. */
static void test_many_rows(void **state)
{
	(void)state;
	const size_t rows = 20000;
	size_t cap = 64 + rows * 40, len = 0;
	char *in = malloc(cap);
	assert_non_null(in);
	len += (size_t)snprintf(in, cap, "\xEF\xBB\xBFMã,Họ tên,Ghi chú\r\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)snprintf(in + len, cap - len, "%zu,\"Nguyễn Thị %zu\",\r\n", i, i);
	struct csv_error err;
	struct csv_table *t = csv_parse_new(in, len, NULL, &err);
	if (!t) {
		fail_msg("many rows: line %zu: %s", err.line, err.message);
		free(in);
		return;
	}
	assert_int_equal(t->n_rows, rows);
	int name = csv_column(t, "Họ tên");
	assert_int_equal(name, 1);
	for (size_t i = 0; i < rows; i++) {
		char want[64];
		(void)snprintf(want, sizeof want, "Nguyễn Thị %zu", i);
		assert_string_equal(t->rows[i][name], want);
		assert_string_equal(t->rows[i][2], "");
		assert_int_equal(t->row_line[i], i + 2);
	}
	csv_table_free(t);
	struct csv_limits lim = { .max_rows = rows - 1 };
	assert_null(csv_parse_new(in, len, &lim, &err));
	assert_int_equal(err.line, rows + 1);
	free(in);
}

static void test_column(void **state)
{
	(void)state;
	const char in[] = " Mã , Họ tên ,Đơn vị\n1,Đặng Văn Đức,Ban\n";
	struct csv_table *t = csv_parse_new(in, sizeof in - 1, NULL, NULL);
	assert_non_null(t);
	static const struct {
		const char *name;
		int want;
	} rows[] = {
		{ "Mã", 0 },	  { "Họ tên", 1 },  { "Đơn vị", 2 }, { " Họ tên ", -1 },
		{ "họ tên", -1 }, { "Ho ten", -1 }, { "", -1 },	     { "Đơn", -1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (csv_column(t, rows[i].name) != rows[i].want)
			fail_msg("csv_column(\"%s\") = %d", rows[i].name,
				 csv_column(t, rows[i].name));
	assert_int_equal(csv_column(t, NULL), -1);
	assert_int_equal(csv_column(NULL, "Mã"), -1);
	csv_table_free(t);
}

struct utf8_row {
	const char *name;
	const char *s;
	size_t len; /* 0: strlen(s) */
	bool valid;
	size_t bad_offset; /* len when valid */
};

static const struct utf8_row utf8_rows[] = {
	{ "empty", "", 0, true, 0 },
	{ "ASCII", "abc", 0, true, 3 },
	{ "Vietnamese precomposed", "Nguyễn Thị Thu Hà", 0, true, 22 },
	{ "U+0000 is well-formed", "a\0b", 3, true, 3 },
	{ "largest 2-byte U+07FF", "\xDF\xBF", 0, true, 2 },
	{ "smallest 3-byte U+0800", "\xE0\xA0\x80", 0, true, 3 },
	{ "last before surrogates U+D7FF", "\xED\x9F\xBF", 0, true, 3 },
	{ "first after surrogates U+E000", "\xEE\x80\x80", 0, true, 3 },
	{ "U+FFFF", "\xEF\xBF\xBF", 0, true, 3 },
	{ "smallest 4-byte U+10000", "\xF0\x90\x80\x80", 0, true, 4 },
	{ "largest U+10FFFF", "\xF4\x8F\xBF\xBF", 0, true, 4 },
	{ "overlong 2-byte C0 80 (NUL)", "a\xC0\x80", 0, false, 1 },
	{ "overlong 2-byte C1 BF", "\xC1\xBF", 0, false, 0 },
	{ "overlong 3-byte E0 9F BF", "ab\xE0\x9F\xBF", 0, false, 2 },
	{ "overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", 0, false, 0 },
	{ "surrogate U+D800", "\xED\xA0\x80", 0, false, 0 },
	{ "surrogate U+DFFF", "x\xED\xBF\xBF", 0, false, 1 },
	{ "above U+10FFFF: F4 90", "\xF4\x90\x80\x80", 0, false, 0 },
	{ "F5 lead byte", "\xF5\x80\x80\x80", 0, false, 0 },
	{ "FF byte", "\xFF", 0, false, 0 },
	{ "lone continuation", "ab\x80", 0, false, 2 },
	{ "truncated 2-byte at end", "abc\xC3", 0, false, 3 },
	{ "truncated 3-byte at end", "\xE1\xBA", 0, false, 0 },
	{ "truncated 4-byte at end", "\xF0\x9F\x98", 0, false, 0 },
	{ "truncated 3-byte before ASCII",
	  "\xE1\xBA"
	  "a",
	  0, false, 0 },
	{ "len cuts a valid sequence", "\xC3\xA0", 1, false, 0 },
	{ "Windows-1258 'ò' (F2) then ASCII", "Ph\xF2ng", 0, false, 2 },
};

static void test_utf8_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof utf8_rows / sizeof utf8_rows[0]; i++) {
		const struct utf8_row *r = &utf8_rows[i];
		size_t len = r->len ? r->len : strlen(r->s), off = 12345;
		bool v = utf8_valid(r->s, len, &off);
		if (v != r->valid || off != r->bad_offset)
			fail_msg("%s: valid=%d offset=%zu", r->name, v, off);
		if (utf8_valid(r->s, len, NULL) != r->valid)
			fail_msg("%s: differs without bad_offset", r->name);
	}
	assert_true(utf8_valid(NULL, 0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),	 cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_len_is_respected), cmocka_unit_test(test_huge_field),
		cmocka_unit_test(test_many_rows),	 cmocka_unit_test(test_column),
		cmocka_unit_test(test_utf8_valid),	 cmocka_unit_test(test_error_msgid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
