/*
 * reports.h — what the handlers of reporting share (api/reports.c,
 * api/submissions.c).
 */
#ifndef THIDUA_API_REPORTS_H
#define THIDUA_API_REPORTS_H

#include "domain/report_template.h"
#include "http/validate.h"

/*
 * Adds the errors of a template or answers check (domain/report_template.h)
 * to v, each at /prefix<pointer>, worded in the request's language with the
 * values it names.
 */
void api_report_errors(struct validation *v, const struct report_errors *err, const char *prefix);

#endif
