/*
 * common.c — answers shared by every resource.
 */
#include "api/app.h"

struct problem *problem_from_db(enum db_status st)
{
	switch (st) {
	case DB_UNAVAILABLE:
		return problem_unavailable("The database cannot be reached; try again shortly.", 2);
	case DB_BUSY:
		return problem_unavailable("The service is busy; try again shortly.", 1);
	case DB_TIMEOUT:
		return problem_unavailable("The database took too long to answer; try again.", 2);
	case DB_CONFLICT:
		return problem_new(409, "conflict", "Conflict",
				   "A concurrent change got in the way; repeat the request.");
	case DB_OK:
	case DB_ERROR:
		break;
	}
	return problem_internal();
}
