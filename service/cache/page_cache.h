/*
 * page_cache.h — a bounded cache of rendered list pages, checked against a
 * revision read from PostgreSQL on every request.
 *
 * Not a second source of truth: a page is served from memory only when the
 * revision the database reports now equals the one the page was rendered
 * at, and a writer bumps the revision in the same transaction as its change
 * (db/procedures/data_revisions.sql).  A page is tagged with the revision read
 * *before* its query ran, so a change that commits in between makes the
 * tag older than the content, never newer: the next reader sees a newer
 * revision and renders again.  Each replica keeps its own cache; all state
 * stays in the database.
 */
#ifndef THIDUA_CACHE_PAGE_CACHE_H
#define THIDUA_CACHE_PAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct page_cache;

/* slots: how many pages at most (each up to a list page, ~25 KB). */
struct page_cache *page_cache_new(size_t slots);
void page_cache_free(struct page_cache *pc);

/* Copies of the page and its next cursor (NULL: last page) when key is
 * cached at revision rev; false otherwise. */
bool page_cache_get(struct page_cache *pc, const char *key, int64_t rev, char **page, char **next);
/* Stores copies, replacing whatever the key's slot held. */
void page_cache_put(struct page_cache *pc, const char *key, int64_t rev, const char *page,
		    const char *next);

#endif
