/*
 * consolidation_book.c — a consolidated report as a workbook (see
 * consolidation_book.h): a sheet of the fields with their totals, one of
 * the units' narratives, and one of the units that have not reported.
 *
 * Sheet names, headings and the names of field types and aggregates are
 * English msgids, written in the language of the thread (the request's:
 * Vietnamese unless the caller asks for English).  They are capitalised
 * as cells and headings are, so they are not the lower-case labels of
 * answers/labels.c.
 */
#include "export/consolidation_book.h"

#include <stdio.h>
#include <string.h>

#include "answers/lang.h"
#include "export/workbook.h"

/* ---- the workbook ---------------------------------------------------------- */

/* The translated name of code in a {code, msgid} table; the code itself
 * when the table does not know it. */
static const char *name_of(const char *code, const char *const (*names)[2])
{
	for (size_t i = 0; names[i][0]; i++)
		if (strcmp(code, names[i][0]) == 0)
			return _(names[i][1]);
	return code;
}

/* A field's type (domain/report_template.h), as its cell reads. */
static const char *type_name(const char *type)
{
	static const char *const names[][2] = {
		{ "number", N_("Number") },	  { "percent", N_("Percentage (%)") },
		{ "boolean", N_("Yes/No") },	  { "text", N_("Short text") },
		{ "narrative", N_("Narrative") }, { NULL, NULL },
	};
	return name_of(type, names);
}

/* How a field is consolidated, as its cell reads. */
static const char *aggregate_name(const char *aggregate)
{
	static const char *const names[][2] = {
		{ "sum", N_("Sum") },
		{ "ratio", N_("Ratio recomputed from the numerator and denominator") },
		{ "average", N_("Average") },
		{ "count", N_("Count of yes answers") },
		{ "collate", N_("Collated by unit") },
		{ "none", N_("Not consolidated") },
		{ NULL, NULL },
	};
	return name_of(aggregate, names);
}

/* Rows 0 and 1: the agency, the period's title; row 2: what the sheet is.
 * Returns the header row. */
static lxw_row_t write_heading(lxw_worksheet *ws, const char *org_name, const json_t *doc,
			       const char *what, lxw_col_t last_col, const struct book_formats *f)
{
	worksheet_write_string(ws, 0, 0, org_name, f->bold);
	worksheet_write_string(ws, 1, 0, book_text(json_object_get(doc, "period"), "title"),
			       f->bold);
	worksheet_merge_range(ws, 2, 0, 2, last_col, what, f->title);
	return 4;
}

/* A decimal string ("58.14") as a number cell; null as an empty cell. */
static void write_decimal(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const json_t *v,
			  const struct book_formats *f)
{
	if (json_is_string(v))
		worksheet_write_number(ws, row, col, strtod(json_string_value(v), NULL), f->number);
	else if (json_is_integer(v))
		worksheet_write_number(ws, row, col, (double)json_integer_value(v), f->count);
	else
		worksheet_write_blank(ws, row, col, f->cell);
}

static void write_fields(lxw_workbook *wb, const char *org, const json_t *doc,
			 const struct book_formats *f)
{
	/* TRANSLATORS: headings of the first sheet's columns; No.: the ordinal */
	static const char *const msgids[] = { N_("No."),
					      N_("Indicator"),
					      N_("Field type"),
					      N_("Consolidation method"),
					      N_("Consolidated value"),
					      N_("Breakdown"),
					      N_("Units that reported"),
					      NULL };
	static const double widths[] = { 6, 44, 14, 26, 14, 26, 12 };
	const char *names[8];
	book_headings(msgids, names);
	/* TRANSLATORS: a sheet name: at most 31 characters, no [ ] : * ? / or backslash */
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Summary"));
	lxw_row_t row = write_heading(ws, org, doc, _("CONSOLIDATED REPORT"), 6, f);
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "fields"), i, e)
	{
		const char *aggregate = book_text(e, "aggregate");
		const json_t *detail = json_object_get(e, "detail");
		char text[160] = "";
		if (strcmp(aggregate, "ratio") == 0)
			snprintf(text, sizeof text, "%s / %s", book_text(detail, "numerator"),
				 book_text(detail, "denominator"));
		else if (strcmp(aggregate, "count") == 0)
			snprintf(text, sizeof text, _("Yes: %lld; No: %lld"),
				 (long long)json_integer_value(json_object_get(detail, "yes")),
				 (long long)json_integer_value(json_object_get(detail, "no")));
		else if (strcmp(aggregate, "collate") == 0)
			/* TRANSLATORS: names the sheet of narratives as translated */
			snprintf(text, sizeof text, "%s", _("See the Narratives sheet"));
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, book_text(e, "label"), f->wrap);
		worksheet_write_string(ws, row, 2, type_name(book_text(e, "type")), f->cell);
		worksheet_write_string(ws, row, 3, aggregate_name(aggregate), f->wrap);
		write_decimal(ws, row, 4, json_object_get(e, "value"), f);
		worksheet_write_string(ws, row, 5, text, f->wrap);
		worksheet_write_number(ws, row, 6,
				       (double)json_integer_value(json_object_get(e, "reported")),
				       f->count);
		row++;
	}
	char total[200];
	snprintf(total, sizeof total,
		 _("Units expected to report: %lld; reported: %zu; not reported: %zu"),
		 (long long)json_integer_value(json_object_get(doc, "units_expected")),
		 json_array_size(json_object_get(doc, "units_reported")),
		 json_array_size(json_object_get(doc, "units_missing")));
	worksheet_write_string(ws, row + 1, 1, total, f->bold);
}

static void write_narratives(lxw_workbook *wb, const char *org, const json_t *doc,
			     const struct book_formats *f)
{
	static const char *const msgids[] = { N_("No."), N_("Reporting unit"), N_("Content"),
					      NULL };
	static const double widths[] = { 6, 34, 90 };
	const char *names[8];
	book_headings(msgids, names);
	/* TRANSLATORS: a sheet name: at most 31 characters, no [ ] : * ? / or backslash */
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Narratives"));
	lxw_row_t row = write_heading(ws, org, doc, _("NARRATIVES"), 2, f);
	book_header(ws, row++, names, widths, f);
	size_t i, k;
	json_t *n, *s;
	json_array_foreach(json_object_get(doc, "narratives"), i, n)
	{
		worksheet_merge_range(ws, row, 0, row, 2, book_text(n, "label"), f->bold);
		row++;
		json_array_foreach(json_object_get(n, "sections"), k, s)
		{
			worksheet_write_number(ws, row, 0, (double)(k + 1), f->cell);
			worksheet_write_string(ws, row, 1, book_text(s, "unit_name"), f->cell);
			worksheet_write_string(ws, row, 2, book_text(s, "text"), f->wrap);
			row++;
		}
	}
}

static void write_missing(lxw_workbook *wb, const char *org, const json_t *doc,
			  const struct book_formats *f)
{
	static const char *const msgids[] = { N_("No."), N_("Units that have not reported"), NULL };
	static const double widths[] = { 6, 50 };
	const char *names[8];
	book_headings(msgids, names);
	/* TRANSLATORS: a sheet name: at most 31 characters, no [ ] : * ? / or backslash */
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Not reported"));
	lxw_row_t row = write_heading(ws, org, doc, _("UNITS THAT HAVE NOT REPORTED"), 1, f);
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(doc, "units_missing"), i, u)
	{
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, book_text(u, "unit_name"), f->cell);
		row++;
	}
}

/* What the workbook is made of: the document and the organisation's name. */
struct consolidation_book {
	const json_t *doc;
	const char *org;
};

static void fill_consolidation(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	const struct consolidation_book *b = ctx;
	write_fields(wb, b->org, b->doc, f);
	write_narratives(wb, b->org, b->doc, f);
	write_missing(wb, b->org, b->doc, f);
}

char *consolidation_book_new(const json_t *doc, const char *org, size_t *len)
{
	struct consolidation_book b = { doc, org ? org : "" };
	return workbook_render_new(fill_consolidation, &b, len);
}
