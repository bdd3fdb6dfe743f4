/*
 * conn.c — a connection's error record and its closing (see conn.h).
 */
#include "store/conn.h"

#include <stdio.h>
#include <string.h>

void conn_set_error(struct db *db, const char *sqlstate, const char *msg)
{
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", sqlstate ? sqlstate : "");
	snprintf(db->error, sizeof db->error, "%s", msg ? msg : "");
	size_t n = strlen(db->error);
	while (n > 0 && db->error[n - 1] == '\n')
		db->error[--n] = '\0';
}

void conn_drop(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	db->in_tx = false;
	memset(db->prepared, 0, sizeof db->prepared);
}
