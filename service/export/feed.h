/*
 * feed.h — the public news of an organisation (issue 13 §4: the news feed
 * of the agency's website) as an Atom 1.0 feed (RFC 4287) and as a JSON
 * Feed 1.1 document (https://jsonfeed.org/version/1.1).
 *
 * Pure renderers: they get the news document the public API answers with
 * (GET /public/v1/{code}/news) and give bytes; they know neither HTTP nor
 * the database.  The document, borrowed:
 *
 *   { "organization": { "code", "name" },
 *     "updated":      RFC 3339 timestamp, or null when there are no items,
 *     "items": [ { "id", "kind", "title", "summary" (string or null),
 *                  "published" ("YYYY-MM-DD", Vietnam's day, or null),
 *                  "updated" (RFC 3339), "path" ("/public/v1/...") } ],
 *     "next_cursor":  string, or null on the last page }
 *
 * Both renderers accept and refuse the same documents: a missing
 * organisation code or name, item title, path, kind or updated, or a date
 * that is not one, gives NULL (the SQL that writes the document is ours,
 * so that is a bug to answer with a 500, not text to guess at).
 *
 * Identifiers are stable across pages and across the two formats: the
 * feed is base_url + "/public/v1/<code>/news", an entry is base_url + its
 * path.  base_url is the site's origin ("https://thidua.gialai.gov.vn");
 * one trailing slash is ignored.  self_path is the path (and query) the
 * feed was asked at, starting with '/'; the next page's link is self_path
 * with its cursor parameter replaced.
 *
 * The texts are Vietnamese, whatever the request's language: the feed is
 * the website's, and says so (xml:lang="vi", "language": "vi").
 */
#ifndef THIDUA_EXPORT_FEED_H
#define THIDUA_EXPORT_FEED_H

#include <jansson.h>
#include <stddef.h>

#define FEED_ATOM_TYPE "application/atom+xml"
#define FEED_JSON_TYPE "application/feed+json"

/* The Atom feed of news (UTF-8 XML, written by libxml2's xmlTextWriter),
 * as bytes (new, *len long, caller frees); NULL when news is not a news
 * document or memory runs out. */
char *feed_atom_new(const json_t *news, const char *base_url, const char *self_path, size_t *len);

/* The JSON Feed 1.1 document of news, compact UTF-8 JSON (new, caller
 * frees); NULL when news is not a news document or memory runs out. */
char *feed_json_new(const json_t *news, const char *base_url, const char *self_path);

#endif
