/*
 * decision_book.c — a decision's annexed list as a workbook (see
 * decision_book.h).
 *
 * One sheet: the issuer, the title of the list, the decision's title, its
 * number and date, its signer; then a row per award in the decision's
 * order, and the total of the bonuses.  Headings and labels are in the
 * request's language; what the decision says (names, units, awards,
 * achievements) stays as signed, in Vietnamese, as on the printed list.
 * Bonuses are numbers (VND) and the total is a SUM of them, so the
 * Office's own sums and filters work.
 */
#include "export/decision_book.h"

#include <stdio.h>

#include "answers/lang.h"
#include "export/paper.h"
#include "export/workbook.h"

#define AMOUNT_COL 5 /* the last of six columns, No. to the bonus */

/* Rows 0..4: the issuer, the list's title, the decision's title, its
 * number and date, its signer; returns the header row. */
static lxw_row_t write_title(lxw_worksheet *ws, const json_t *d, const struct book_formats *f)
{
	/* a signer's name and title are up to 200 characters each, in UTF-8 */
	char when[11], line[1400];
	worksheet_write_string(ws, 0, 0, book_text(d, "organization"), f->bold);
	worksheet_merge_range(ws, 1, 0, 1, AMOUNT_COL,
			      _("LIST OF INDIVIDUALS AND COLLECTIVES COMMENDED"), f->title);
	worksheet_write_string(ws, 2, 0, book_text(d, "title"), f->bold);
	paper_short_date(book_text(d, "decided_on"), when);
	snprintf(line, sizeof line, _("Attached to Decision No. %s of %s"),
		 book_text(d, "number_text"), when);
	worksheet_write_string(ws, 3, 0, line, NULL);
	snprintf(line, sizeof line, _("Signed by %s, %s"), book_text(d, "signer_name"),
		 book_text(d, "signer_title"));
	worksheet_write_string(ws, 4, 0, line, NULL);
	return 6;
}

static void write_item(lxw_worksheet *ws, lxw_row_t row, const json_t *item,
		       const struct book_formats *f)
{
	const char *pos = book_text(item, "position_title"), *unit = book_text(item, "unit");
	char who[800]; /* "Chuyên viên, Phòng Quản lý Đầu tư"; a collective has no position */
	snprintf(who, sizeof who, "%s%s%s", pos, *pos && *unit ? ", " : "", unit);
	/* No. is the award's position: the list's order, 1 to n, and the
	 * number its certificate carries in the golden book (số sổ vàng) */
	worksheet_write_number(
		ws, row, 0, (double)json_integer_value(json_object_get(item, "position")), f->cell);
	worksheet_write_string(ws, row, 1, book_text(item, "name"), f->wrap);
	worksheet_write_string(ws, row, 2, who, f->wrap);
	worksheet_write_string(ws, row, 3, book_text(item, "award_name_vi"), f->wrap);
	worksheet_write_string(ws, row, 4, book_text(item, "achievement"), f->wrap);
	const json_t *amount = json_object_get(item, "amount"); /* VND; null: no bonus */
	if (json_is_integer(amount))
		worksheet_write_number(ws, row, AMOUNT_COL, (double)json_integer_value(amount),
				       f->count);
	else
		worksheet_write_blank(ws, row, AMOUNT_COL, f->cell);
}

/* The total row at row, below the items from first: a SUM, so the total
 * follows an edit, with the decision's total_amount as its value for a
 * reader that does not compute. */
static void write_total(lxw_worksheet *ws, lxw_row_t first, lxw_row_t row, const json_t *d,
			const struct book_formats *f)
{
	double total = (double)json_integer_value(json_object_get(d, "total_amount"));
	worksheet_merge_range(ws, row, 0, row, AMOUNT_COL - 1, _("Total"), f->head);
	if (row == first) {
		worksheet_write_number(ws, row, AMOUNT_COL, total, f->count);
		return;
	}
	char range[LXW_MAX_CELL_RANGE_LENGTH], formula[LXW_MAX_CELL_RANGE_LENGTH + 8];
	lxw_rowcol_to_range(range, first, AMOUNT_COL, row - 1, AMOUNT_COL);
	snprintf(formula, sizeof formula, "=SUM(%s)", range);
	worksheet_write_formula_num(ws, row, AMOUNT_COL, formula, f->count, total);
}

static void write_list(lxw_worksheet *ws, lxw_row_t row, const json_t *d,
		       const struct book_formats *f)
{
	/* TRANSLATORS: headings of the columns of a decision's list */
	static const char *const msgids[] = { N_("No."),
					      N_("Recipient"),
					      N_("Position, unit"),
					      N_("Title or form"),
					      N_("Achievement"),
					      N_("Bonus (VND)"),
					      NULL };
	static const double widths[] = { 6, 28, 34, 26, 44, 16 };
	const char *names[8];
	book_headings(msgids, names);
	book_header(ws, row, names, widths, f);
	/* printed, the header repeats on every page, as on the PDF's list */
	worksheet_repeat_rows(ws, row, row);
	lxw_row_t first = ++row;
	size_t i;
	const json_t *item;
	json_array_foreach(json_object_get(d, "items"), i, item)
	{
		write_item(ws, row++, item, f);
	}
	write_total(ws, first, row, d, f);
}

static void fill_decision(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	const json_t *d = ctx;
	/* TRANSLATORS: a sheet name: at most 31 characters, no [ ] : * ? / or backslash */
	lxw_worksheet *ws = workbook_add_worksheet(wb, _("Awards list"));
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0); /* as wide as the paper, as long as it takes */
	write_list(ws, write_title(ws, d, f), d, f);
}

char *decision_book_new(const json_t *decision, size_t *len)
{
	return workbook_render_new(fill_decision, decision, len);
}
