/*
 * embedded.h — files compiled into the binary (see cmake/embed.cmake).
 *
 * The migrations (db/migrations/NNNN_name.sql, sorted by name), the procedures
 * (the .sql files of db/procedures/, in the order of its procedures.list) and the
 * API assets (api-spec/openapi.yaml, api-spec/docs.html) travel inside the
 * executable so that a container holds one file and a replica can never run
 * with SQL or a contract from another version.  Data is NUL-terminated; len
 * excludes the NUL.
 */
#ifndef THIDUA_EMBEDDED_H
#define THIDUA_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "0001_init.sql" */
	const char *data;
	size_t len;
};

extern const struct embedded_file thidua_migrations[];
extern const size_t thidua_migrations_count;
extern const struct embedded_file thidua_procedures[]; /* in load order */
extern const size_t thidua_procedures_count;
extern const struct embedded_file thidua_assets[];
extern const size_t thidua_assets_count;

/* Returns the asset called name, or NULL. Borrowed, static storage. */
const struct embedded_file *embedded_asset(const char *name);

#endif
