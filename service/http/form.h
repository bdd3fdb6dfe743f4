/*
 * form.h — application/x-www-form-urlencoded bodies (the WHATWG URL
 * standard's form encoding), for the one route that must take them:
 * POST /v1/auth/token, whose OAuth 2.0 clients send their grants so
 * (RFC 6749 §4.3.2, §4.4.2).
 */
#ifndef THIDUA_HTTP_FORM_H
#define THIDUA_HTTP_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* true for application/x-www-form-urlencoded (parameters ignored). */
bool media_type_is_form(const char *content_type);

/*
 * The form's fields as a JSON object of strings: '+' is a space, %XX a
 * byte, each name and value valid UTF-8 without NUL.  NULL when the body
 * is none of that, or names a field twice (RFC 6749 §3.2: a parameter
 * appears once) — *why says which, an English msgid.
 */
json_t *form_parse(const char *body, size_t len, const char **why);

#endif
