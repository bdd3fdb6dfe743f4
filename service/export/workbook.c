/*
 * workbook.c — Excel documents (see workbook.h).
 */
#include "export/workbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers/lang.h"

#define WORKBOOK_MAX_BYTES (64u << 20)

static void make_formats(lxw_workbook *wb, struct book_formats *f)
{
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->cell = workbook_add_format(wb);
	format_set_border(f->cell, LXW_BORDER_THIN);
	format_set_align(f->cell, LXW_ALIGN_VERTICAL_TOP);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->head);
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->number = workbook_add_format(wb);
	format_set_border(f->number, LXW_BORDER_THIN);
	format_set_num_format(f->number, "#,##0.00");
	f->count = workbook_add_format(wb);
	format_set_border(f->count, LXW_BORDER_THIN);
	format_set_num_format(f->count, "#,##0");
}

/* Reads the whole file; NULL on failure. */
static char *slurp(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || (size_t)st.st_size > WORKBOOK_MAX_BYTES)
		return NULL;
	char *buf = malloc((size_t)st.st_size);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n <= 0) {
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	*len = got;
	return buf;
}

char *workbook_render_new(book_fill_fn fill, const void *ctx, size_t *len)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/thidua-workbook-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	char *data = NULL;
	if (wb) {
		struct book_formats f;
		make_formats(wb, &f);
		fill(wb, &f, ctx);
		if (workbook_close(wb) == LXW_NO_ERROR)
			data = slurp(fd, len);
	}
	unlink(path);
	close(fd);
	return data;
}

void book_headings(const char *const *msgids, const char *names[8])
{
	size_t i = 0;
	while (i < 7 && msgids[i]) {
		names[i] = _(msgids[i]);
		i++;
	}
	names[i] = NULL;
}

void book_header(lxw_worksheet *ws, lxw_row_t row, const char *const *names, const double *widths,
		 const struct book_formats *f)
{
	for (lxw_col_t c = 0; names[c]; c++) {
		worksheet_set_column(ws, c, c, widths[c], NULL);
		worksheet_write_string(ws, row, c, names[c], f->head);
	}
}

const char *book_text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}
