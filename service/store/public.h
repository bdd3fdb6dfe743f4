/*
 * public.h — SQL of what the agency has published, for /public/v1
 * (migration 0028, db/procedures/public.sql).
 */
#ifndef THIDUA_STORE_PUBLIC_H
#define THIDUA_STORE_PUBLIC_H

#include <stdint.h>

#include "store/db.h"

/* A page of an organisation's news (see public_news in public.sql). */
struct public_news_query {
	const char *code; /* the organisation's code */
	const char *lang; /* "vi" or "en" */
	long limit;
	const char *after_day, *after_id; /* the cursor's parts; NULL: the first page */
	int year; /* 0: any */
	const char *kind; /* NULL: any */
};

/* The revision of an organisation's public news (data_revisions, topic
 * "public"): 0 before anything was published, -1 when no organisation
 * has the code. */
enum db_status store_public_revision(struct db *db, const char *code, int64_t *rev);

/* Each a new JSON string; NULL when the organisation, or the document,
 * is not there (or not published). */
enum db_status store_public_news(struct db *db, const struct public_news_query *q, char **json);
enum db_status store_public_decision(struct db *db, const char *code, int64_t id, char **json);
enum db_status store_public_plan(struct db *db, const char *code, int64_t id, char **json);
enum db_status store_public_exemplar(struct db *db, const char *code, int64_t id, char **json);
/* A disclosure as it stands on `today` (upcoming, open or closed). */
enum db_status store_public_disclosure(struct db *db, const char *code, int64_t id,
				       struct civil_date today, char **json);

#endif
