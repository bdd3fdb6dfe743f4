/*
 * lang.h — the language of the sentences the service writes.
 *
 * Every human sentence (problem titles and details, the errors of a body,
 * explanations such as a target's basis, labels of enumerations) is written
 * in the caller's language: Vietnamese by default, English on request
 * (Accept-Language).  Sentences are English msgids in the source, marked
 * with _() where they are translated and N_() where they are only marked
 * (tables), and translated through GNU gettext catalogues: po/vi.po and
 * po/en.po, compiled by CMake with msgfmt into <locale dir>/<lang>/
 * LC_MESSAGES/thidua.mo.  Machine fields (slugs, codes, pointers) are never
 * translated.
 *
 * The language is per thread: the dispatcher picks it for each request
 * (lang_use) before anything is written, and glibc's gettext reads it from
 * the thread's locale (uselocale), which only sets LC_MESSAGES: numbers and
 * dates are never formatted by the locale.
 */
#ifndef THIDUA_ANSWERS_LANG_H
#define THIDUA_ANSWERS_LANG_H

#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_VI, LANG_EN };
#define LANG_COUNT 2
#define LANG_DEFAULT LANG_VI

/* Translates a msgid in the thread's language (borrowed, static). */
#define _(msgid) lang_text(msgid)
/* Marks a msgid for the catalogue where it is stored, not translated. */
#define N_(msgid) (msgid)

/*
 * Loads the catalogues from dir and the two locales; false with one line
 * for people when a catalogue or a locale is missing (the service would
 * otherwise answer in English without saying so).  Call once at start,
 * before any thread: it also drops LANGUAGE from the environment, which
 * would override every request's language.
 */
bool lang_init(const char *dir, char *err, size_t errlen);
void lang_free(void);

/* The language an Accept-Language header asks for (RFC 9110 §12.5.4):
 * the supported one with the highest weight; the default otherwise. */
enum lang lang_negotiate(const char *accept_language);

/* Sets the language of this thread's sentences until the next call. */
void lang_use(enum lang l);
enum lang lang_current(void);
/* "vi" or "en", for Content-Language. */
const char *lang_tag(enum lang l);

const char *lang_text(const char *msgid) __attribute__((format_arg(1)));
/* A msgid with a context (msgctxt), as labels of enumerations are. */
const char *lang_text_ctx(const char *ctx, const char *msgid);

#endif
