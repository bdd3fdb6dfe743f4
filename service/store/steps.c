/*
 * steps.c — workflow steps answered by a database function (see steps.h).
 */
#include "store/steps.h"

#include <stdlib.h>
#include <string.h>

static char *column(PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

enum db_status store_step(struct db *db, struct db_stmt *stmt, const char *const *values,
			  struct step_outcome *o)
{
	memset(o, 0, sizeof *o);
	enum db_status st;
	PGresult *res = db_query(db, stmt, values, &st);
	if (!res)
		return st;
	if (PQntuples(res) == 1 && PQnfields(res) == 4) {
		o->outcome = column(res, 0);
		o->detail = column(res, 1);
		o->body = column(res, 2);
		o->current = PQgetisnull(res, 0, 3) ? 0 : atoi(PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return o->outcome ? DB_OK : DB_ERROR;
}

void step_outcome_clear(struct step_outcome *o)
{
	free(o->outcome);
	free(o->detail);
	free(o->body);
	memset(o, 0, sizeof *o);
}
