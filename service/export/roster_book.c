/*
 * roster_book.c — the registration roster as a workbook (see roster_book.h).
 *
 * The layout such rosters are sent in: the agency's name, the title with
 * the year and the plan's number, then a table of individuals (STT, full
 * name, position, unit, title registered, commitment, status) and a sheet
 * of collectives.  Headings are English msgids written in the language of
 * the thread (the request's: Vietnamese unless the caller asks for
 * English), capitalised as headings are; the titles' names are the
 * catalogue's Vietnamese ones, as the roster document carries them.
 */
#include "export/roster_book.h"

#include <stdio.h>
#include <string.h>

#include "answers/lang.h"
#include "export/workbook.h"

/* A registration's status as its cell reads (submitted or accepted). */
static const char *status_name(const char *status)
{
	return status && strcmp(status, "accepted") == 0 ? _("Accepted") : _("Submitted");
}

/* The plan's year, for the titles. */
static long long year_of(const json_t *doc)
{
	return (long long)json_integer_value(json_object_get(json_object_get(doc, "plan"), "year"));
}

/* Rows 0..3: agency, title, plan reference; returns the header row. */
static lxw_row_t write_heading(lxw_worksheet *ws, const json_t *doc, const char *title,
			       lxw_col_t last_col, const struct book_formats *f)
{
	const json_t *plan = json_object_get(doc, "plan");
	char ref[200];
	snprintf(ref, sizeof ref, _("(Attached to plan No. %s/%s)"), book_text(plan, "number"),
		 book_text(plan, "symbol"));
	worksheet_write_string(ws, 0, 0, book_text(json_object_get(doc, "organization"), "name"),
			       f->bold);
	worksheet_merge_range(ws, 2, 0, 2, last_col, title, f->title);
	worksheet_merge_range(ws, 3, 0, 3, last_col, ref, f->cell);
	return 5;
}

static void write_individuals(lxw_workbook *wb, const json_t *doc, const struct book_formats *f)
{
	static const char *const msgids[] = { N_("No."),
					      N_("Full name"),
					      N_("Position"),
					      N_("Unit"),
					      N_("Title registered"),
					      N_("Commitment"),
					      N_("Status"),
					      NULL };
	static const double widths[] = { 6, 28, 22, 34, 26, 40, 18 };
	const char *names[8];
	book_headings(msgids, names);
	char title[200];
	snprintf(title, sizeof title, _("LIST OF INDIVIDUALS REGISTERED FOR EMULATION IN %lld"),
		 year_of(doc));
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Individuals"));
	lxw_row_t row = write_heading(ws, doc, title, 6, f);
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "individuals"), i, e)
	{
		worksheet_write_number(
			ws, row, 0, (double)json_integer_value(json_object_get(e, "stt")), f->cell);
		worksheet_write_string(ws, row, 1, book_text(e, "full_name"), f->cell);
		worksheet_write_string(ws, row, 2, book_text(e, "position"), f->cell);
		worksheet_write_string(ws, row, 3, book_text(e, "unit_name"), f->cell);
		worksheet_write_string(ws, row, 4, book_text(e, "title_name"), f->cell);
		worksheet_write_string(ws, row, 5, book_text(e, "commitment"), f->wrap);
		worksheet_write_string(ws, row, 6, status_name(book_text(e, "status")), f->cell);
		row++;
	}
	char total[120];
	snprintf(total, sizeof total, _("Total: %zu individuals"),
		 json_array_size(json_object_get(doc, "individuals")));
	worksheet_write_string(ws, row + 1, 1, total, f->bold);
}

static void write_collectives(lxw_workbook *wb, const json_t *doc, const struct book_formats *f)
{
	static const char *const msgids[] = {
		N_("No."),	   N_("Collective"), N_("Titles registered"),
		N_("Commitments"), N_("Status"),     NULL
	};
	static const double widths[] = { 6, 40, 40, 50, 18 };
	const char *names[8];
	book_headings(msgids, names);
	char title[200];
	snprintf(title, sizeof title, _("LIST OF COLLECTIVES REGISTERED FOR EMULATION IN %lld"),
		 year_of(doc));
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Collectives"));
	lxw_row_t row = write_heading(ws, doc, title, 4, f);
	book_header(ws, row++, names, widths, f);
	size_t i, k;
	json_t *e, *t;
	json_array_foreach(json_object_get(doc, "collectives"), i, e)
	{
		char titles[600] = "";
		size_t used = 0;
		json_array_foreach(json_object_get(e, "title_names"), k, t) used +=
			(size_t)snprintf(titles + used,
					 used < sizeof titles ? sizeof titles - used : 0, "%s%s",
					 k ? "; " : "", json_string_value(t));
		worksheet_write_number(
			ws, row, 0, (double)json_integer_value(json_object_get(e, "stt")), f->cell);
		worksheet_write_string(ws, row, 1, book_text(e, "unit_name"), f->cell);
		worksheet_write_string(ws, row, 2, titles, f->wrap);
		worksheet_write_string(ws, row, 3, book_text(e, "commitments"), f->wrap);
		worksheet_write_string(ws, row, 4, status_name(book_text(e, "status")), f->cell);
		row++;
	}
}

static void fill_roster(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	write_individuals(wb, ctx, f);
	write_collectives(wb, ctx, f);
}

char *roster_book_new(const json_t *doc, size_t *len)
{
	return workbook_render_new(fill_roster, doc, len);
}
