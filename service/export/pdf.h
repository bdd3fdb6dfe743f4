/*
 * pdf.h — printed documents (decisions, certificates) as PDF: a page and
 * a cursor over Cairo, with text laid out by Pango (HarfBuzz shapes
 * Vietnamese's stacked diacritics; fontconfig finds the serif).
 *
 * export/ lays documents out and knows neither HTTP nor the database.
 * Sizes are in points (1/72 inch); text is UTF-8, set in the Unicode
 * Times-compatible Liberation Serif (Decree 30/2020: Times New Roman in
 * Unicode, TCVN 6909:2001).  A document is written to memory.
 */
#ifndef THIDUA_EXPORT_PDF_H
#define THIDUA_EXPORT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#define PDF_TYPE "application/pdf"
#define PDF_MM (72.0 / 25.4)
/* A4, portrait and landscape */
#define PDF_A4_SHORT (210.0 * PDF_MM)
#define PDF_A4_LONG (297.0 * PDF_MM)

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT, PDF_JUSTIFY };

struct pdf_margins {
	double top, right, bottom, left;
};

struct pdf;

/* A document of pages width × height with margins; NULL when out of
 * memory. */
struct pdf *pdf_new(double width, double height, struct pdf_margins margins);

/* The text box's left edge and width, and the cursor (from the top). */
double pdf_left(const struct pdf *p);
double pdf_width(const struct pdf *p);
double pdf_y(const struct pdf *p);
void pdf_set_y(struct pdf *p, double y);

/* Lays text out in the box (x, y, width) with font (a Pango font
 * description: "Liberation Serif Bold 13") and alignment; returns its
 * height.  Nothing moves. */
double pdf_text_at(struct pdf *p, double x, double y, double width, const char *text,
		   const char *font, enum pdf_align align);

/* A paragraph across the text box at the cursor, then space_after: the
 * cursor moves below it, on a new page when it does not fit. */
void pdf_paragraph(struct pdf *p, const char *text, const char *font, enum pdf_align align,
		   double space_after);

/* A horizontal line from x, width long, at y. */
void pdf_line(struct pdf *p, double x, double y, double width);

/* A row of a table across the text box: n cells of the given widths
 * (summing to the box's), each cell's text wrapped, borders drawn; the
 * row goes to a new page when it does not fit, and header (if not NULL)
 * is drawn again at the top of that page. */
void pdf_table_row(struct pdf *p, const double *widths, const char *const *cells,
		   const bool *center, int n, const char *font, const char *const *header,
		   const char *header_font);

/* Starts a new page; the cursor at its top margin. */
void pdf_new_page(struct pdf *p);

/* Ends the document: its bytes (new, *len long), NULL when it could not be
 * written.  p is freed either way. */
char *pdf_finish(struct pdf *p, size_t *len);

#endif
