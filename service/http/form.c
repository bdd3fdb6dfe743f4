/*
 * form.c — application/x-www-form-urlencoded bodies (see form.h).
 */
#include "http/form.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answers/lang.h"

bool media_type_is_form(const char *ct)
{
	if (!ct)
		return false;
	size_t len = strcspn(ct, ";");
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	return len == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) into out (n + 1 bytes at least); its length, or -1 when
 * a '%' is not followed by two hex digits or a NUL byte comes out. */
static long decode(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			int hi = i + 1 < n ? hex(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			ch = (char)(hi << 4 | lo);
			i += 2;
		}
		if (ch == '\0')
			return -1;
		out[k++] = ch;
	}
	out[k] = '\0';
	return (long)k;
}

json_t *form_parse(const char *body, size_t len, const char **why)
{
	json_t *form = json_object();
	char *name = malloc(len + 1), *value = malloc(len + 1);
	*why = N_("out of memory");
	if (!form || !name || !value)
		goto fail;
	for (size_t at = 0; at < len;) {
		size_t end = at;
		while (end < len && body[end] != '&')
			end++;
		const char *pair = body + at;
		size_t plen = end - at, eq = 0;
		while (eq < plen && pair[eq] != '=')
			eq++;
		at = end + 1;
		if (plen == 0)
			continue; /* "a=1&&b=2" */
		long nl = decode(pair, eq, name);
		long vl = decode(pair + (eq < plen ? eq + 1 : plen), eq < plen ? plen - eq - 1 : 0,
				 value);
		if (nl <= 0 || vl < 0) {
			*why = N_("the form is not well encoded (a percent sign without two hex "
				  "digits, a NUL, "
				  "or a field without a name)");
			goto fail;
		}
		json_t *v = json_stringn(value, (size_t)vl); /* NULL: not UTF-8 */
		if (!v) {
			*why = N_("the form's fields must be UTF-8");
			goto fail;
		}
		if (json_object_get(form, name)) {
			json_decref(v);
			*why = N_("a field of the form is given twice");
			goto fail;
		}
		if (json_object_set_new(form, name, v) != 0) { /* a name not UTF-8 */
			*why = N_("the form's fields must be UTF-8");
			goto fail;
		}
	}
	free(name);
	free(value);
	return form;
fail:
	free(name);
	free(value);
	json_decref(form);
	return NULL;
}
