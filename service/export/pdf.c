/*
 * pdf.c — printed documents over Cairo and Pango (see pdf.h).
 *
 * One PangoLayout is reused for every text of a document, and font
 * descriptions are parsed once per document: a decision's annexed list of
 * a thousand rows lays out five thousand cells.
 */
#include "export/pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define FONT_CACHE 8
#define CELL_PAD 3.0
#define MAX_COLUMNS 16

static const bool centered[MAX_COLUMNS] = { true, true, true, true, true, true, true, true,
					    true, true, true, true, true, true, true, true };

struct font_slot {
	char *name;
	PangoFontDescription *desc;
};

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *layout;
	struct font_slot fonts[FONT_CACHE];
	double width, height;
	struct pdf_margins m;
	double y;
	/* the bytes written so far */
	char *buf;
	size_t len, cap;
	bool failed;
};

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int n)
{
	struct pdf *p = closure;
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 65536;
		while (cap < p->len + n)
			cap *= 2;
		char *grown = realloc(p->buf, cap);
		if (!grown) {
			p->failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		p->buf = grown;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, data, n);
	p->len += n;
	return CAIRO_STATUS_SUCCESS;
}

struct pdf *pdf_new(double width, double height, struct pdf_margins margins)
{
	struct pdf *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->width = width;
	p->height = height;
	p->m = margins;
	p->y = margins.top;
	p->surface = cairo_pdf_surface_create_for_stream(collect, p, width, height);
	p->cr = cairo_create(p->surface);
	p->layout = pango_cairo_create_layout(p->cr);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS || !p->layout) {
		free(pdf_finish(p, &(size_t){ 0 }));
		return NULL;
	}
	/* sizes in points: the PDF's unit, not Pango's default 96 dpi */
	pango_cairo_context_set_resolution(pango_layout_get_context(p->layout), 72.0);
	pango_layout_context_changed(p->layout);
	pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	cairo_set_line_width(p->cr, 0.6);
	return p;
}

double pdf_left(const struct pdf *p)
{
	return p->m.left;
}

double pdf_width(const struct pdf *p)
{
	return p->width - p->m.left - p->m.right;
}

double pdf_y(const struct pdf *p)
{
	return p->y;
}

void pdf_set_y(struct pdf *p, double y)
{
	p->y = y;
}

/* The parsed description of font, kept for the document. */
static const PangoFontDescription *font_of(struct pdf *p, const char *font)
{
	int free_slot = -1;
	for (int i = 0; i < FONT_CACHE; i++) {
		if (p->fonts[i].name && strcmp(p->fonts[i].name, font) == 0)
			return p->fonts[i].desc;
		if (!p->fonts[i].name && free_slot < 0)
			free_slot = i;
	}
	int i = free_slot >= 0 ? free_slot : FONT_CACHE - 1;
	free(p->fonts[i].name);
	if (p->fonts[i].desc)
		pango_font_description_free(p->fonts[i].desc);
	p->fonts[i].name = strdup(font);
	p->fonts[i].desc = pango_font_description_from_string(font);
	return p->fonts[i].desc;
}

/* Sets the shared layout up for text in a box width wide; its height. */
static double prepare(struct pdf *p, double width, const char *text, const char *font,
		      enum pdf_align align)
{
	pango_layout_set_font_description(p->layout, font_of(p, font));
	pango_layout_set_width(p->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_justify(p->layout, align == PDF_JUSTIFY);
	pango_layout_set_alignment(p->layout, align == PDF_CENTER  ? PANGO_ALIGN_CENTER
					      : align == PDF_RIGHT ? PANGO_ALIGN_RIGHT
								   : PANGO_ALIGN_LEFT);
	pango_layout_set_text(p->layout, text ? text : "", -1);
	int w, h;
	pango_layout_get_size(p->layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->layout);
}

double pdf_text_at(struct pdf *p, double x, double y, double width, const char *text,
		   const char *font, enum pdf_align align)
{
	double h = prepare(p, width, text, font, align);
	show(p, x, y);
	return h;
}

void pdf_new_page(struct pdf *p)
{
	cairo_show_page(p->cr);
	p->y = p->m.top;
}

static bool fits(const struct pdf *p, double h)
{
	return p->y + h <= p->height - p->m.bottom;
}

void pdf_paragraph(struct pdf *p, const char *text, const char *font, enum pdf_align align,
		   double space_after)
{
	double h = prepare(p, pdf_width(p), text, font, align);
	if (!fits(p, h) && p->y > p->m.top)
		pdf_new_page(p);
	show(p, p->m.left, p->y);
	p->y += h + space_after;
}

void pdf_line(struct pdf *p, double x, double y, double width)
{
	cairo_move_to(p->cr, x, y);
	cairo_line_to(p->cr, x + width, y);
	cairo_stroke(p->cr);
}

/* Draws a row at the cursor, its height already known. */
static void draw_row(struct pdf *p, const double *widths, const char *const *cells,
		     const bool *center, int n, const char *font, double h)
{
	double x = p->m.left;
	for (int i = 0; i < n; i++) {
		prepare(p, widths[i] - 2 * CELL_PAD, cells[i], font,
			center && center[i] ? PDF_CENTER : PDF_LEFT);
		show(p, x + CELL_PAD, p->y + CELL_PAD);
		cairo_rectangle(p->cr, x, p->y, widths[i], h);
		x += widths[i];
	}
	cairo_stroke(p->cr);
	p->y += h;
}

static double row_height(struct pdf *p, const double *widths, const char *const *cells, int n,
			 const char *font)
{
	double h = 0;
	for (int i = 0; i < n; i++) {
		double c = prepare(p, widths[i] - 2 * CELL_PAD, cells[i], font, PDF_LEFT);
		if (c > h)
			h = c;
	}
	return h + 2 * CELL_PAD;
}

void pdf_table_row(struct pdf *p, const double *widths, const char *const *cells,
		   const bool *center, int n, const char *font, const char *const *header,
		   const char *header_font)
{
	double h = row_height(p, widths, cells, n, font);
	if (!fits(p, h) && p->y > p->m.top) {
		pdf_new_page(p);
		if (header) {
			double hh = row_height(p, widths, header, n, header_font);
			draw_row(p, widths, header, n <= MAX_COLUMNS ? centered : NULL, n,
				 header_font, hh);
		}
	}
	draw_row(p, widths, cells, center, n, font, h);
}

char *pdf_finish(struct pdf *p, size_t *len)
{
	for (int i = 0; i < FONT_CACHE; i++) {
		free(p->fonts[i].name);
		if (p->fonts[i].desc)
			pango_font_description_free(p->fonts[i].desc);
	}
	if (p->layout)
		g_object_unref(p->layout);
	if (p->cr)
		cairo_destroy(p->cr); /* finishing the surface emits the last page */
	if (p->surface) {
		cairo_surface_finish(p->surface);
		if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
			p->failed = true;
		cairo_surface_destroy(p->surface);
	}
	char *out = p->failed ? NULL : p->buf;
	if (p->failed)
		free(p->buf);
	*len = out ? p->len : 0;
	free(p);
	return out;
}
