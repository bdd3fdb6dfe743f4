/*
 * fund_book.c — a year's emulation fund as a workbook (see fund_book.h).
 *
 * One sheet: the title with the year, the fund's figures (size, the share
 * set aside with its percentage, what remains for awards, paid, balance),
 * then the table of payments (No., recipient, award, decision date,
 * coefficient, bonus, paid, payment date, reason beyond the balance).
 * Amounts are numbers, so the Office's sums work; headings are in the
 * request's language.
 */
#include "export/fund_book.h"

#include <stdio.h>

#include "answers/lang.h"
#include "export/workbook.h"

static double number_of(const json_t *o, const char *key)
{
	return (double)json_integer_value(json_object_get(o, key));
}

/* Rows 4..8: the fund's figures; returns the next free row. */
static lxw_row_t write_figures(lxw_worksheet *ws, const json_t *doc, const struct book_formats *f)
{
	char set_aside[120];
	snprintf(set_aside, sizeof set_aside, _("Set aside for organising (%lld%%)"),
		 (long long)json_integer_value(json_object_get(doc, "set_aside_percent")));
	const struct {
		const char *label, *key;
	} rows[] = { { _("Fund of the year (VND)"), "size" },
		     { set_aside, "set_aside" },
		     { _("For awards"), "for_awards" },
		     { _("Paid"), "paid" },
		     { _("Balance"), "balance" } };
	lxw_row_t row = 4;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, row++) {
		worksheet_write_string(ws, row, 1, rows[i].label, f->bold);
		worksheet_write_number(ws, row, 3, number_of(doc, rows[i].key), f->number);
	}
	return row + 1;
}

static void write_payments(lxw_worksheet *ws, lxw_row_t row, const json_t *doc,
			   const struct book_formats *f)
{
	static const char *const first[] = { N_("No."),		N_("Recipient"),
					     N_("Award"),	N_("Decision date"),
					     N_("Coefficient"), N_("Bonus (VND)"),
					     N_("Paid (VND)"),	NULL };
	static const char *const second[] = { N_("Paid on"), N_("Reason beyond the balance"),
					      NULL };
	static const double widths[] = { 6, 30, 28, 14, 12, 16, 16, 14, 40 };
	const char *a[8], *b[8], *names[10];
	book_headings(first, a);
	book_headings(second, b);
	for (int k = 0; k < 7; k++)
		names[k] = a[k];
	names[7] = b[0];
	names[8] = b[1];
	names[9] = NULL;
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "payments"), i, p)
	{
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, book_text(p, "recipient"), f->cell);
		worksheet_write_string(
			ws, row, 2,
			book_text(p, lang_current() == LANG_EN ? "award_name_en" : "award_name_vi"),
			f->cell);
		worksheet_write_string(ws, row, 3, book_text(p, "decision_date"), f->cell);
		worksheet_write_string(ws, row, 4, book_text(p, "coefficient"), f->cell);
		worksheet_write_number(ws, row, 5, number_of(p, "full_amount"), f->number);
		worksheet_write_number(ws, row, 6, number_of(p, "amount"), f->number);
		worksheet_write_string(ws, row, 7, book_text(p, "paid_on"), f->cell);
		worksheet_write_string(ws, row, 8, book_text(p, "override_reason"), f->wrap);
		row++;
	}
}

static void fill_fund(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	const json_t *doc = ctx;
	char title[160];
	snprintf(title, sizeof title, _("EMULATION AND COMMENDATION FUND, YEAR %lld"),
		 (long long)json_integer_value(json_object_get(doc, "year")));
	/* TRANSLATORS: a sheet name: at most 31 characters, no [ ] : * ? / or backslash */
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Fund"));
	worksheet_merge_range(ws, 1, 0, 1, 8, title, f->title);
	worksheet_write_string(ws, 2, 1, book_text(doc, "source_document"), f->cell);
	write_payments(ws, write_figures(ws, doc, f), doc, f);
}

char *fund_book_new(const json_t *doc, size_t *len)
{
	return workbook_render_new(fill_fund, doc, len);
}
