/*
 * lang.c — languages, catalogues and sentence templates (see lang.h).
 *
 * glibc's gettext looks a message up in the catalogue of the LC_MESSAGES
 * locale of the calling thread, so each language is a locale object made
 * once at start (newlocale with LC_MESSAGES only) and a request's thread
 * switches to it with uselocale(): no global state changes per request and
 * threads never see each other's language.  The catalogues are found by
 * language ("vi", "en") under the directory given at start.
 */
#include "answers/lang.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DOMAIN "thidua"

static const struct {
	const char *tag; /* Content-Language, and the catalogue's Language */
	const char *locale; /* a locale whose LC_MESSAGES name leads to the catalogue */
} langs[LANG_COUNT] = {
	[LANG_VI] = { "vi", "vi_VN.UTF-8" },
	[LANG_EN] = { "en", "en_US.UTF-8" },
};

static locale_t locales[LANG_COUNT];
static __thread enum lang current = LANG_DEFAULT;

/* The catalogue of l is loaded when its header (the translation of "")
 * names its language. */
static bool catalogue_loaded(enum lang l)
{
	char want[32];
	snprintf(want, sizeof want, "Language: %s\n", langs[l].tag);
	return strstr(dgettext(DOMAIN, ""), want) != NULL;
}

bool lang_init(const char *dir, char *err, size_t errlen)
{
	/* LANGUAGE would take precedence over every thread's locale */
	unsetenv("LANGUAGE");
	if (!bindtextdomain(DOMAIN, dir) || !bind_textdomain_codeset(DOMAIN, "UTF-8")) {
		snprintf(err, errlen, "cannot bind the message catalogues to %s", dir);
		return false;
	}
	for (int i = 0; i < LANG_COUNT; i++) {
		locales[i] = newlocale(LC_MESSAGES_MASK, langs[i].locale, (locale_t)0);
		if (!locales[i]) {
			snprintf(err, errlen,
				 "the locale %s is not installed (Debian: install locales, enable "
				 "%s in /etc/locale.gen and run locale-gen)",
				 langs[i].locale, langs[i].locale);
			lang_free();
			return false;
		}
	}
	for (int i = 0; i < LANG_COUNT; i++) {
		lang_use((enum lang)i);
		bool ok = catalogue_loaded((enum lang)i);
		lang_use(LANG_DEFAULT);
		if (!ok) {
			snprintf(err, errlen, "no message catalogue %s/%s/LC_MESSAGES/%s.mo", dir,
				 langs[i].tag, DOMAIN);
			lang_free();
			return false;
		}
	}
	uselocale(LC_GLOBAL_LOCALE);
	current = LANG_DEFAULT;
	return true;
}

void lang_free(void)
{
	uselocale(LC_GLOBAL_LOCALE);
	for (int i = 0; i < LANG_COUNT; i++) {
		if (locales[i])
			freelocale(locales[i]);
		locales[i] = (locale_t)0;
	}
}

void lang_use(enum lang l)
{
	current = l;
	if (locales[l])
		uselocale(locales[l]);
}

enum lang lang_current(void)
{
	return current;
}

const char *lang_tag(enum lang l)
{
	return langs[l].tag;
}

const char *lang_text(const char *msgid)
{
	return msgid && *msgid ? dgettext(DOMAIN, msgid) : msgid;
}

const char *lang_text_ctx(const char *ctx, const char *msgid)
{
	char key[512];
	int n = snprintf(key, sizeof key, "%s\004%s", ctx, msgid);
	if (n < 0 || (size_t)n >= sizeof key)
		return msgid;
	const char *t = dgettext(DOMAIN, key);
	return t == key ? msgid : t;
}

/* A qvalue ("0", "0.5", "1", "1.000") in thousandths; -1 when malformed. */
static int qvalue(const char *d, const char *end)
{
	if (d >= end || (*d != '0' && *d != '1'))
		return -1;
	int v = *d++ == '1' ? 1000 : 0;
	if (d < end && *d == '.')
		for (int place = 100, k = 0; ++d < end && k < 3 && *d >= '0' && *d <= '9';
		     place /= 10, k++)
			v += (*d - '0') * place;
	return v > 1000 ? 1000 : v;
}

/* One language-range of Accept-Language (len bytes at s): the language it
 * names and its weight in thousandths; false when we serve no such
 * language or the weight is malformed. */
static bool range_of(const char *s, size_t len, enum lang *l, int *q)
{
	const char *end = s + len;
	const char *semi = memchr(s, ';', len);
	size_t tag = (size_t)((semi ? semi : end) - s);
	while (tag > 0 && (s[tag - 1] == ' ' || s[tag - 1] == '\t'))
		tag--;
	*q = 1000;
	if (semi) {
		const char *w = semi + 1;
		while (w < end && (*w == ' ' || *w == '\t'))
			w++;
		if (w + 2 <= end && (w[0] == 'q' || w[0] == 'Q') && w[1] == '=')
			*q = qvalue(w + 2, end);
		if (*q < 0)
			return false;
	}
	if (tag == 1 && s[0] == '*') {
		*l = LANG_DEFAULT;
		return true;
	}
	for (int i = 0; i < LANG_COUNT; i++) {
		size_t n = strlen(langs[i].tag);
		if (tag >= n && strncasecmp(s, langs[i].tag, n) == 0 && (tag == n || s[n] == '-')) {
			*l = (enum lang)i;
			return true;
		}
	}
	return false;
}

enum lang lang_negotiate(const char *h)
{
	enum lang best = LANG_DEFAULT;
	int best_q = 0;
	for (int ranges = 0; h && *h && ranges < 64; ranges++) {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		size_t len = strcspn(h, ",");
		enum lang l;
		int q;
		if (len && range_of(h, len, &l, &q) && q > best_q) {
			best = l;
			best_q = q;
		}
		h += len;
	}
	return best;
}
