/*
 * public.c — the agency's public face, /public/v1, for its website: no
 * token.
 *
 * GET /public/v1/{org}/news (JSON), .../feed.atom (Atom, RFC 4287),
 * .../feed.json (JSON Feed 1.1): what the organisation has published,
 * newest first, by cursor, of a year and a kind when asked;
 * GET /public/v1/{org}/decisions/{id}, .../plans/{id} and
 * .../exemplars/{id}: one published document.  Everything is read from
 * public_items and the signed, issued or published documents
 * (db/procedures/public.sql, exemplars.sql): a draft cannot reach here.
 *
 * Built for caches: a strong ETag (a digest of the answer) and
 * Last-Modified (the organisation's newest publication), 304 for
 * If-None-Match and If-Modified-Since, Cache-Control with max-age and
 * stale-while-revalidate, Vary: Accept-Language (the titles and summaries
 * are in the caller's language; the dispatcher adds Origin with CORS).
 * The first pages are kept in memory under the revision of the
 * organisation's news (data_revisions, bumped in the transaction that
 * publishes): a page is answered from memory only at the revision read
 * now.  The revision itself is read at most every THIDUA_PUBLIC_CACHE_S
 * seconds (the freshness Cache-Control promises anyway), or at every
 * request that asks to revalidate (Cache-Control: no-cache); any other
 * page costs one indexed read of public_items.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers/lang.h"
#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "cache/page_cache.h"
#include "domain/calendar.h"
#include "export/feed.h"
#include "http/conditional.h"
#include "http/problem.h"
#include "http/validate.h"
#include "store/public.h"

#define CACHE_CONTROL "public, max-age=60, stale-while-revalidate=300"

enum news_format { NEWS_JSON, NEWS_ATOM, NEWS_JSON_FEED };

/* The kinds of public_items (migration 0031's check). */
static const char *const news_kinds[] = { "decision", "plan", "exemplar", "disclosure", NULL };

static const char *const content_types[] = {
	[NEWS_JSON] = "application/json",
	[NEWS_ATOM] = FEED_ATOM_TYPE,
	[NEWS_JSON_FEED] = FEED_JSON_TYPE,
};
static const char *const feed_names[] = {
	[NEWS_JSON] = "news",
	[NEWS_ATOM] = "feed.atom",
	[NEWS_JSON_FEED] = "feed.json",
};

/* ?cursor= as public_news writes it: "YYYY-MM-DD.kind-id" (at most 40
 * characters); day and id point into buf. */
static bool cursor_or_answer(struct call *c, char buf[48], const char **day, const char **id)
{
	const char *s = call_query(c, "cursor");
	*day = *id = NULL;
	if (!s)
		return true;
	size_t n = strlen(s);
	bool ok = n >= 14 && n <= 40 && s[10] == '.';
	for (size_t i = 0; ok && i < 10; i++)
		ok = (i == 4 || i == 7) ? s[i] == '-' : isdigit((unsigned char)s[i]);
	const char *kind = s + 11, *dash = ok ? strchr(kind, '-') : NULL;
	bool known = false;
	for (size_t i = 0; dash && news_kinds[i]; i++)
		known |= (size_t)(dash - kind) == strlen(news_kinds[i]) &&
			 strncmp(kind, news_kinds[i], (size_t)(dash - kind)) == 0;
	ok = ok && known;
	for (const char *p = dash ? dash + 1 : s; ok && *p; p++)
		ok = isdigit((unsigned char)*p);
	ok = ok && dash[1] != '\0';
	char when[11];
	struct civil_date d;
	if (ok) {
		memcpy(when, s, 10);
		when[10] = '\0';
		ok = civil_date_parse(when, &d); /* 2024-13-45 has the shape, not a day */
	}
	if (!ok) {
		api_answer_bad_query(c, "cursor", "is not a cursor this list gave");
		return false;
	}
	memcpy(buf, s, n + 1);
	buf[10] = '\0';
	*day = buf;
	*id = buf + 11;
	return true;
}

static bool news_query_or_answer(struct call *c, struct public_news_query *q, char cursor[48])
{
	long year = 0;
	if (!(q->code = api_org_code_or_answer(c)) ||
	    !api_query_int_or_answer(c, "limit", 1, 50, 20, &q->limit) ||
	    !api_query_int_or_answer(c, "year", 2000, 2100, 0, &year) ||
	    !cursor_or_answer(c, cursor, &q->after_day, &q->after_id))
		return false;
	q->year = (int)year;
	q->kind = call_query(c, "kind");
	bool known = !q->kind;
	for (size_t i = 0; q->kind && news_kinds[i]; i++)
		known |= strcmp(q->kind, news_kinds[i]) == 0;
	if (!known) {
		api_answer_bad_query(c, "kind", "must be decision, plan, exemplar or disclosure");
		return false;
	}
	q->lang = lang_tag(lang_current());
	return true;
}

/* The feeds are the website's, in Vietnamese whatever the reader's
 * language (export/feed.h says so in them: xml:lang, "language"). */
static bool negotiated(enum news_format f)
{
	return f == NEWS_JSON;
}

/* The answer's strong ETag: a digest of its bytes (BLAKE2b, 128 bits). */
static void body_etag(const char *body, size_t len, char out[36])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
	out[0] = '"';
	sodium_bin2hex(out + 1, 33, h, sizeof h);
	out[33] = '"';
	out[34] = '\0';
}

/* A rendered page: its bytes, tag and date (Last-Modified, "" when the
 * organisation has published nothing). */
struct rendered {
	char *body;
	char etag[36];
	char modified[HTTP_DATE_LEN];
};

/* The feed's own path with the query that makes it, for its self link. */
static void self_path(const struct public_news_query *q, enum news_format f, char *out, size_t len)
{
	int n = snprintf(out, len, "/public/v1/%s/%s?limit=%ld", q->code, feed_names[f], q->limit);
	if (q->year && n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, "&year=%d", q->year);
	if (q->kind && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "&kind=%s", q->kind);
}

/* Renders the news document text in format f into r; false when out of
 * memory (text is consumed). */
static bool render(struct call *c, const struct public_news_query *q, enum news_format f,
		   char *text, struct rendered *r)
{
	json_t *doc = json_loads(text, 0, NULL);
	time_t t;
	const char *updated = json_string_value(json_object_get(doc, "updated"));
	r->modified[0] = '\0';
	if (updated && rfc3339_parse(updated, &t))
		http_date_format(t, r->modified);
	char self[160];
	self_path(q, f, self, sizeof self);
	size_t len = 0;
	if (f == NEWS_JSON) {
		r->body = text;
		text = NULL;
	} else if (f == NEWS_ATOM) {
		r->body = doc ? feed_atom_new(doc, c->app->cfg->public_base_url, self, &len) : NULL;
	} else {
		r->body = doc ? feed_json_new(doc, c->app->cfg->public_base_url, self) : NULL;
	}
	free(text);
	json_decref(doc);
	if (r->body)
		body_etag(r->body, strlen(r->body), r->etag);
	return r->body != NULL;
}

/* The key of a first page in the cache; false for pages not cached. */
static bool cache_key(const struct public_news_query *q, enum news_format f, char *out, size_t len)
{
	if (q->after_day)
		return false;
	snprintf(out, len, "%d|%s|%s|%ld|%d|%s", (int)f, q->code, q->lang, q->limit, q->year,
		 q->kind ? q->kind : "");
	return true;
}

/* The time bucket of now: a revision kept in memory is read again in the
 * next bucket, so none is older than THIDUA_PUBLIC_CACHE_S. */
static int64_t cache_bucket(unsigned ttl)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec / ttl;
}

/* Whether the caller asks for an answer checked with the origin
 * (RFC 9111 §5.2.1: no-cache, max-age=0): the revision is then read from
 * the database, never from memory. */
static bool revalidate(struct call *c)
{
	const char *cc = call_req_header(c, "Cache-Control");
	return cc && (strstr(cc, "no-cache") || strstr(cc, "max-age=0"));
}

/* The revision of the organisation's news (-1: no such organisation):
 * from memory while younger than THIDUA_PUBLIC_CACHE_S, else read with
 * one query, on a connection taken into *db. */
static bool revision_or_answer(struct call *c, const char *code, struct db **db, int64_t *rev)
{
	unsigned ttl = c->app->cfg->public_cache_s;
	struct page_cache *pc = c->app->caches.public_news;
	char key[64], *text = NULL, *none = NULL;
	snprintf(key, sizeof key, "rev|%s", code);
	if (ttl && !revalidate(c) && page_cache_get(pc, key, cache_bucket(ttl), &text, &none)) {
		*rev = strtoll(text, NULL, 10);
		free(text);
		free(none);
		return true;
	}
	if (!(*db = api_db_or_answer(c)))
		return false;
	enum db_status st = store_public_revision(*db, code, rev);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "public revision");
		return false;
	}
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)*rev);
	if (ttl)
		page_cache_put(pc, key, cache_bucket(ttl), num, NULL);
	return true;
}

/* A first page rendered at revision rev, from memory. */
static bool cached(struct call *c, const char *key, int64_t rev, struct rendered *r)
{
	char *meta = NULL;
	if (!page_cache_get(c->app->caches.public_news, key, rev, &r->body, &meta))
		return false;
	/* meta: the tag, a newline, the date */
	const char *nl = meta ? strchr(meta, '\n') : NULL;
	bool ok = nl && nl - meta < 36;
	if (ok) {
		memcpy(r->etag, meta, (size_t)(nl - meta));
		r->etag[nl - meta] = '\0';
		snprintf(r->modified, sizeof r->modified, "%s", nl + 1);
	} else {
		free(r->body);
		r->body = NULL;
	}
	free(meta);
	return ok;
}

static void keep(struct call *c, const char *key, int64_t rev, const struct rendered *r)
{
	char meta[36 + HTTP_DATE_LEN + 2];
	snprintf(meta, sizeof meta, "%s\n%s", r->etag, r->modified);
	page_cache_put(c->app->caches.public_news, key, rev, r->body, meta);
}

/* Whether the caller holds this answer already (§13.2.2: If-None-Match
 * first; If-Modified-Since only without it). */
static bool not_modified(struct call *c, const struct rendered *r)
{
	const char *inm = call_req_header(c, "If-None-Match");
	if (inm)
		return http_etag_matches(inm, r->etag);
	const char *ims = call_req_header(c, "If-Modified-Since");
	time_t since, modified;
	return ims && r->modified[0] && http_date_parse(ims, &since) &&
	       http_date_parse(r->modified, &modified) && modified <= since;
}

/* Answers r (taking its body) with the headers of a public answer, in the
 * caller's language when lang (else in Vietnamese). */
static void answer_public(struct call *c, const char *content_type, bool lang, struct rendered *r)
{
	call_set_header(c, "ETag", r->etag);
	if (r->modified[0])
		call_set_header(c, "Last-Modified", r->modified);
	call_set_header(c, "Cache-Control", CACHE_CONTROL);
	if (lang) {
		call_add_vary(c, "Accept-Language");
		call_language_headers(c);
	} else {
		call_set_header(c, "Content-Language", "vi");
	}
	if (not_modified(c, r)) {
		free(r->body);
		call_take(c, 304, content_type, NULL, 0);
		return;
	}
	call_take(c, 200, content_type, r->body, strlen(r->body));
}

static void news(struct call *c, enum news_format f)
{
	struct public_news_query q = { 0 };
	char cursor[48], key[200];
	struct rendered r = { 0 };
	struct db *db = NULL;
	int64_t rev;
	if (!news_query_or_answer(c, &q, cursor) || !revision_or_answer(c, q.code, &db, &rev))
		return;
	if (rev < 0) {
		call_problem(c, problem_not_found());
		return;
	}
	if (!negotiated(f))
		q.lang = "vi";
	bool keyed = cache_key(&q, f, key, sizeof key);
	if (!keyed || !cached(c, key, rev, &r)) {
		char *text = NULL;
		if (!db && !(db = api_db_or_answer(c)))
			return;
		enum db_status st = store_public_news(db, &q, &text);
		if (st != DB_OK || !text) {
			api_answer_read(c, st, text);
			return;
		}
		if (!render(c, &q, f, text, &r)) {
			call_problem(c, problem_internal());
			return;
		}
		/* tagged with the revision read before the query: a publication
		 * committed in between makes the tag older, never newer */
		if (keyed)
			keep(c, key, rev, &r);
	}
	answer_public(c, content_types[f], negotiated(f), &r);
}

void public_news(struct call *c)
{
	news(c, NEWS_JSON);
}

void public_feed_atom(struct call *c)
{
	news(c, NEWS_ATOM);
}

void public_feed_json(struct call *c)
{
	news(c, NEWS_JSON_FEED);
}

/* One published document, read through fetch. */
static void document(struct call *c,
		     enum db_status (*fetch)(struct db *, const char *, int64_t, char **))
{
	const char *code = api_org_code_or_answer(c);
	int64_t id;
	struct db *db;
	char *text = NULL;
	if (!code || !api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = fetch(db, code, id, &text);
	if (st != DB_OK || !text) {
		api_answer_read(c, st, text);
		return;
	}
	/* no Last-Modified: a document changes after it is published (an
	 * award revoked, a plan closed) without a date to say so; its ETag,
	 * a digest of what it says, does */
	struct rendered r = { .body = text };
	body_etag(text, strlen(text), r.etag);
	answer_public(c, "application/json", false, &r);
}

void public_decision_get(struct call *c)
{
	document(c, store_public_decision);
}

void public_plan_get(struct call *c)
{
	document(c, store_public_plan);
}

void public_exemplar_get(struct call *c)
{
	document(c, store_public_exemplar);
}

/* A disclosure's state (upcoming, open, closed) is of today. */
static enum db_status fetch_disclosure(struct db *db, const char *code, int64_t id, char **json)
{
	return store_public_disclosure(db, code, id, api_today(), json);
}

void public_disclosure_get(struct call *c)
{
	document(c, fetch_disclosure);
}
