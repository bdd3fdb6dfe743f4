/*
 * template.c — sentences with named arguments (see template.h).
 */
#include "answers/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/labels.h"
#include "answers/lang.h"

/* A growing string; on allocation failure it stays NULL. */
struct text {
	char *s;
	size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (!t->s)
		return; /* failed before */
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 128;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *grown = realloc(t->s, cap);
		if (!grown) {
			free(t->s);
			*t = (struct text){ NULL, 0, 1 };
			return;
		}
		t->s = grown;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_adds(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

/* One argument's value, through its label set when one is named. */
static void add_value(struct text *t, const json_t *v, const char *set)
{
	char num[32];
	if (json_is_string(v)) {
		text_adds(t, set ? label_of(set, json_string_value(v)) : json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		text_adds(t, num);
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				text_adds(t, _(" or "));
			add_value(t, json_array_get(v, i), set);
		}
	} else {
		text_adds(t, "?");
	}
}

char *template_expand_new(const char *msgid, const json_t *args)
{
	const char *p = lang_text(msgid);
	struct text t = { malloc(128), 0, 128 };
	if (!t.s)
		return NULL;
	t.s[0] = '\0';
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			text_adds(&t, p);
			break;
		}
		text_add(&t, p, (size_t)(open - p));
		char name[64] = "", set[64] = "";
		size_t inner = (size_t)(close - open - 1);
		const char *bar = memchr(open + 1, '|', inner);
		size_t nlen = bar ? (size_t)(bar - open - 1) : inner;
		if (nlen < sizeof name)
			memcpy(name, open + 1, nlen);
		if (bar && (size_t)(close - bar - 1) < sizeof set)
			memcpy(set, bar + 1, (size_t)(close - bar - 1));
		add_value(&t, json_object_get(args, name), *set ? set : NULL);
		p = close + 1;
	}
	return t.s;
}
