/*
 * problem.c — construction and JSON form of RFC 9457 problems.
 */
#include "http/problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/lang.h"
#include "answers/template.h"

static char *vformat_new(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

static struct problem *problem_of_type(enum problem_id id)
{
	struct problem *p = calloc(1, sizeof *p);
	if (!p)
		abort(); /* no memory for an error report: nothing sane is left */
	const struct problem_type *t = problem_type_of(id);
	p->status = t->status;
	p->slug = t->slug;
	p->title = t->title;
	return p;
}

struct problem *problem_new(enum problem_id id, const char *detail_fmt, ...)
{
	struct problem *p = problem_of_type(id);
	if (detail_fmt) {
		va_list ap;
		va_start(ap, detail_fmt);
		p->detail = vformat_new(lang_text(detail_fmt), ap);
		va_end(ap);
	}
	return p;
}

struct problem *problem_from_message(const struct message *m, const char *pointer,
				     const json_t *args)
{
	char *text = template_expand_new(m->template, args);
	struct problem *p;
	if (m->problem == P_VALIDATION) {
		p = problem_new(P_VALIDATION, N_("The request is not valid in the current state."));
		problem_add_error_text(p, pointer ? pointer : "", text ? text : "");
		free(text);
		return p;
	}
	p = problem_of_type(m->problem);
	p->detail = text;
	if (pointer)
		problem_add_error_text(p, pointer, text ? text : "");
	return p;
}

static bool errors_full(struct problem *p)
{
	if (json_array_size(p->errors) < PROBLEM_MAX_ERRORS)
		return false;
	p->errors_omitted++;
	return true;
}

void problem_add_error_text(struct problem *p, const char *pointer, const char *text)
{
	if (errors_full(p))
		return;
	if (!p->errors)
		p->errors = json_array();
	json_array_append_new(p->errors,
			      json_pack("{s:s, s:s}", "pointer", pointer, "detail", text));
}

void problem_add_error(struct problem *p, const char *pointer, const char *detail_fmt, ...)
{
	if (errors_full(p))
		return;
	va_list ap;
	va_start(ap, detail_fmt);
	char *detail = vformat_new(lang_text(detail_fmt), ap);
	va_end(ap);
	problem_add_error_text(p, pointer, detail ? detail : "");
	free(detail);
}

void problem_free(struct problem *p)
{
	if (!p)
		return;
	free(p->detail);
	free(p->allow);
	json_decref(p->errors);
	json_decref(p->extra);
	free(p);
}

json_t *problem_to_json_new(const struct problem *p, const char *instance, const char *request_id)
{
	char type[128];
	snprintf(type, sizeof type, "urn:thidua:problem:%s", p->slug);
	json_t *o = json_pack("{s:s, s:s, s:i}", "type", type, "title", lang_text(p->title),
			      "status", p->status);
	if (!o)
		return NULL;
	if (p->detail && p->errors_omitted) {
		char *detail = NULL;
		if (asprintf(&detail, "%s %s", p->detail,
			     lang_text(N_("Only the first errors are listed."))) < 0)
			detail = NULL;
		json_object_set_new(o, "detail", json_string(detail ? detail : p->detail));
		free(detail);
	} else if (p->detail) {
		json_object_set_new(o, "detail", json_string(p->detail));
	}
	if (instance)
		json_object_set_new(o, "instance", json_string(instance));
	if (request_id)
		json_object_set_new(o, "request_id", json_string(request_id));
	if (p->errors)
		json_object_set(o, "errors", p->errors);
	if (p->errors_omitted)
		json_object_set_new(o, "errors_omitted",
				    json_integer((json_int_t)p->errors_omitted));
	if (p->extra)
		json_object_update_missing(o, p->extra);
	return o;
}

void problem_set_member(struct problem *p, const char *name, json_t *value)
{
	if (!p->extra)
		p->extra = json_object();
	json_object_set_new(p->extra, name, value);
}

struct problem *problem_not_found(void)
{
	return problem_new(P_NOT_FOUND,
			   N_("No resource exists at this path, or you may not see it."));
}

struct problem *problem_bad_request(const char *pointer, const char *detail)
{
	struct problem *p = problem_of_type(P_BAD_REQUEST);
	p->detail = strdup(lang_text(detail));
	problem_add_error_text(p, pointer, lang_text(detail));
	return p;
}

struct problem *problem_unavailable(const char *detail, unsigned retry_after_s)
{
	struct problem *p = problem_of_type(P_UNAVAILABLE);
	p->detail = strdup(lang_text(detail));
	p->retry_after_s = retry_after_s;
	return p;
}

struct problem *problem_internal(void)
{
	return problem_new(
		P_INTERNAL,
		N_("The request failed on our side; quote the request_id when reporting it."));
}
