/*
 * blocs.h — SQL of emulation blocs (migration 0039, db/procedures/blocs.sql).
 * org is always the caller's organisation: what it may read or write of a
 * bloc follows from its part in it (province, head, member, scorer).
 */
#ifndef THIDUA_STORE_BLOCS_H
#define THIDUA_STORE_BLOCS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* Each a new JSON string; NULL when the bloc (or year) is not visible. */
enum db_status store_blocs(struct db *db, int64_t org, char **json);
enum db_status store_bloc(struct db *db, int64_t org, int64_t id, char **json);
enum db_status store_bloc_year(struct db *db, int64_t org, int64_t id, int year, char **json);
enum db_status store_bloc_ranking(struct db *db, int64_t org, int64_t id, int year, char **json);
/* The year's head's view of its members' consolidated reports and targets
 * (bloc_reports); {"part"} alone when org may not read it. */
enum db_status store_bloc_reports(struct db *db, int64_t org, int64_t id, int year, char **json);

/* Which write of a bloc's year. */
enum bloc_write {
	BLOC_YEAR, /* the province: head and deputy */
	BLOC_PACT, /* the head */
	BLOC_TABLE, /* the head */
	BLOC_ADJUST, /* the head */
};

void store_bloc_create(const struct writer *w, const char *fields, struct write_result *r);
void store_bloc_write(const struct writer *w, enum bloc_write what, int64_t id, int year,
		      const char *fields, struct write_result *r);
void store_bloc_score(const struct writer *w, int64_t id, int year, int64_t member,
		      const char *fields, struct write_result *r);
void store_bloc_flag(const struct writer *w, int64_t id, int year, const char *fields,
		     struct write_result *r);

#endif
