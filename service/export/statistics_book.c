/*
 * statistics_book.c — the statistics forms of a report year as a workbook
 * (see statistics_book.h), one sheet per form, laid out as the forms of
 * Circular 02/2023/TT-BNV print them: the form's number, the circular and
 * the day the report is received top left, the reporting and receiving
 * units top right, the title and the year, the table with its columns A
 * (the row's label), B (its code), C (its unit) and the numbered ones,
 * and the two signatures below.
 *
 * The rows' and columns' labels come from the document in the thread's
 * language (label_vi or label_en: the law's data carries both); the
 * frame's sentences are English msgids translated as every sentence is.
 */
#include "export/statistics_book.h"

#include <stdio.h>
#include <string.h>

#include "answers/lang.h"
#include "export/workbook.h"

/* The first three columns (A, B, C) before the figures. */
#define FIRST_FIGURE 3

/* member_vi or member_en of o, as the thread's language asks. */
static const char *in_lang(const json_t *o, const char *member)
{
	char key[40];
	snprintf(key, sizeof key, "%s_%s", member, lang_tag(lang_current()));
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : book_text(o, member);
}

/* A date "YYYY-MM-DD" as "DD/MM/YYYY" (into out, 11 bytes). */
static const char *vn_date(const char *iso, char out[11])
{
	if (strlen(iso) != 10) {
		snprintf(out, 11, "%s", iso);
		return out;
	}
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	return out;
}

/* The receiving unit's name: a province's, or the regime's (both
 * languages) for a province's own report. */
static const char *receiver_name(const json_t *doc)
{
	const json_t *r = json_object_get(doc, "receiver");
	const char *en = json_string_value(json_object_get(r, "name_en"));
	if (en && strcmp(lang_tag(lang_current()), "en") == 0)
		return en;
	return book_text(r, "name");
}

/* Rows 0-6: the frame above the table.  Returns the first header row. */
static lxw_row_t write_frame(lxw_worksheet *ws, const json_t *doc, const json_t *form,
			     lxw_col_t last, const struct book_formats *f)
{
	const json_t *regime = json_object_get(doc, "regime");
	char text[400], from[11], to[11];
	const char *due = book_text(doc, "due_on");
	snprintf(text, sizeof text, _("Form: %s"), book_text(form, "number"));
	worksheet_write_string(ws, 0, 0, text, f->bold);
	snprintf(text, sizeof text, _("Issued with %s"), book_text(regime, "document"));
	worksheet_write_string(ws, 1, 0, text, NULL);
	if (strlen(due) == 10) {
		snprintf(text, sizeof text,
			 _("Report received on: day %.2s month %.2s of the report year"), due + 8,
			 due + 5);
		worksheet_write_string(ws, 2, 0, text, NULL);
	}
	const json_t *org = json_object_get(doc, "organization");
	snprintf(text, sizeof text, _("Reporting unit: %s"), book_text(org, "name"));
	worksheet_write_string(ws, 0, FIRST_FIGURE, text, NULL);
	snprintf(text, sizeof text, _("Receiving unit: %s"), receiver_name(doc));
	worksheet_write_string(ws, 1, FIRST_FIGURE, text, NULL);
	worksheet_merge_range(ws, 4, 0, 4, last, in_lang(form, "title"), f->title);
	const json_t *period = json_object_get(doc, "period");
	snprintf(text, sizeof text, _("Year %lld (from %s to %s)"),
		 (long long)json_integer_value(json_object_get(doc, "year")),
		 vn_date(book_text(period, "from"), from), vn_date(book_text(period, "to"), to));
	worksheet_merge_range(ws, 5, 0, 5, last, text, f->bold);
	lxw_row_t row = 7;
	if (strcmp(book_text(regime, "status"), "placeholder") == 0) {
		worksheet_merge_range(ws, 6, 0, 6, last, in_lang(regime, "note"), f->wrap);
		worksheet_set_row(ws, 6, 48, NULL);
		row = 8;
	}
	return row;
}

/* Two header rows (the group over its columns, then each column's label)
 * and the row of column letters and keys.  Returns the first data row. */
static lxw_row_t write_header(lxw_worksheet *ws, lxw_row_t row, const json_t *form,
			      const struct book_formats *f)
{
	/* TRANSLATORS: column B and C of a statistics form: the row's code and unit */
	worksheet_merge_range(ws, row, 0, row + 1, 0, "", f->head);
	worksheet_merge_range(ws, row, 1, row + 1, 1, _("Code"), f->head);
	worksheet_merge_range(ws, row, 2, row + 1, 2, _("Unit of measure"), f->head);
	worksheet_write_string(ws, row + 2, 0, "A", f->head);
	worksheet_write_string(ws, row + 2, 1, "B", f->head);
	worksheet_write_string(ws, row + 2, 2, "C", f->head);
	const json_t *cols = json_object_get(form, "columns");
	size_t n = json_array_size(cols);
	for (size_t i = 0; i < n;) {
		const json_t *c = json_array_get(cols, i);
		const char *group = in_lang(c, "group");
		size_t j = i + 1; /* the columns under the same group */
		while (*group && j < n &&
		       strcmp(in_lang(json_array_get(cols, j), "group"), group) == 0)
			j++;
		lxw_col_t first = (lxw_col_t)(FIRST_FIGURE + i);
		if (*group) {
			if (j - i > 1)
				worksheet_merge_range(ws, row, first, row,
						      (lxw_col_t)(FIRST_FIGURE + j - 1), group,
						      f->head);
			else
				worksheet_write_string(ws, row, first, group, f->head);
			for (size_t k = i; k < j; k++)
				worksheet_write_string(ws, row + 1, (lxw_col_t)(FIRST_FIGURE + k),
						       in_lang(json_array_get(cols, k), "label"),
						       f->head);
		} else {
			worksheet_merge_range(ws, row, first, row + 1, first, in_lang(c, "label"),
					      f->head);
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		worksheet_write_string(ws, row + 2, (lxw_col_t)(FIRST_FIGURE + i),
				       book_text(json_array_get(cols, i), "key"), f->head);
	worksheet_set_row(ws, row + 1, 60, NULL);
	return row + 3;
}

static lxw_row_t write_rows(lxw_worksheet *ws, lxw_row_t row, const json_t *form,
			    const struct book_formats *f)
{
	size_t i, k;
	json_t *r, *v;
	json_array_foreach(json_object_get(form, "rows"), i, r)
	{
		bool heading = json_is_true(json_object_get(r, "heading"));
		worksheet_write_string(ws, row, 0, in_lang(r, "label"),
				       heading ? f->head : f->wrap);
		worksheet_write_string(ws, row, 1, book_text(r, "code"), f->cell);
		worksheet_write_string(ws, row, 2, in_lang(r, "unit"), f->cell);
		json_array_foreach(json_object_get(r, "values"), k, v)
			worksheet_write_number(ws, row, (lxw_col_t)(FIRST_FIGURE + k),
					       (double)json_integer_value(v), f->count);
		if (heading)
			for (k = 0; k < json_array_size(json_object_get(form, "columns")); k++)
				worksheet_write_blank(ws, row, (lxw_col_t)(FIRST_FIGURE + k),
						      f->cell);
		row++;
	}
	return row;
}

/* The records a section does not place (its rows add up to less than
 * the row they make up), so that a reader sees why. */
static lxw_row_t write_gaps(lxw_worksheet *ws, lxw_row_t row, const json_t *form)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(form, "gaps"), i, g)
	{
		char text[300];
		snprintf(text, sizeof text,
			 _("Note: %lld counted in row %s are not placed in any row of section "
			   "%lld."),
			 (long long)json_integer_value(json_object_get(g, "missing")),
			 book_text(g, "row"),
			 (long long)json_integer_value(json_object_get(g, "section")));
		worksheet_write_string(ws, row++, 0, text, NULL);
	}
	return row;
}

static void write_signatures(lxw_worksheet *ws, lxw_row_t row, lxw_col_t last,
			     const struct book_formats *f)
{
	worksheet_write_string(ws, row, last, _("…, day … month … year …"), NULL);
	worksheet_write_string(ws, row + 1, 0, _("Prepared by"), f->bold);
	worksheet_write_string(ws, row + 2, 0, _("(Signature, full name)"), NULL);
	worksheet_write_string(ws, row + 1, last, _("Head of the unit"), f->bold);
	worksheet_write_string(ws, row + 2, last, _("(Signature, full name, seal)"), NULL);
}

static void write_form(lxw_workbook *wb, const json_t *doc, const json_t *form,
		       const struct book_formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, book_text(form, "form"));
	size_t ncols = json_array_size(json_object_get(form, "columns"));
	lxw_col_t last = (lxw_col_t)(FIRST_FIGURE + (ncols ? ncols : 1) - 1);
	worksheet_set_column(ws, 0, 0, 58, NULL);
	worksheet_set_column(ws, 1, 1, 7, NULL);
	worksheet_set_column(ws, 2, 2, 12, NULL);
	worksheet_set_column(ws, FIRST_FIGURE, last, 14, NULL);
	lxw_row_t row = write_frame(ws, doc, form, last, f);
	row = write_header(ws, row, form, f);
	row = write_rows(ws, row, form, f);
	row = write_gaps(ws, row + 1, form);
	write_signatures(ws, row + 1, last, f);
}

static void fill_statistics(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	const json_t *doc = ctx;
	size_t i;
	json_t *form;
	json_array_foreach(json_object_get(doc, "forms"), i, form) write_form(wb, doc, form, f);
}

char *statistics_book_new(const json_t *doc, size_t *len)
{
	return workbook_render_new(fill_statistics, doc, len);
}
