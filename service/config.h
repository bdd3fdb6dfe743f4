/*
 * config.h — the service's settings, read once from THIDUA_* variables.
 *
 * config_load() validates everything before the service touches the network
 * or the database, so that a wrong value stops the start with one clear line
 * instead of surfacing later as a strange runtime error.  Every variable, its
 * default and its meaning is listed in one table in config.c, which is also
 * what `thidua --help` prints; the README's table is written from it.
 */
#ifndef THIDUA_CONFIG_H
#define THIDUA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Set by the build (CMake THIDUA_LOCALE_DIR) to where it puts the catalogues. */
#ifndef THIDUA_LOCALE_DIR_DEFAULT
#define THIDUA_LOCALE_DIR_DEFAULT "/usr/share/locale"
#endif

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* THIDUA_DB_PREPARED: how the statements reach PostgreSQL. */
enum db_prepared {
	DB_PREPARED_OFF, /* unnamed, no session state: a pooler in transaction mode */
	DB_PREPARED_ON, /* named on each connection, generic plans (the default) */
	DB_PREPARED_POOLED, /* as off, but statements outside transactions named by
			     * their text, shared by the pooler's server connections */
};

struct config {
	char *database_url; /* libpq conninfo or URI; owned */
	char *listen_address; /* IPv4 or IPv6 literal; owned */
	unsigned port;
	unsigned worker_threads; /* libmicrohttpd thread pool size */
	unsigned max_connections;
	unsigned max_connections_per_address; /* 0: no limit */
	unsigned idle_timeout_s; /* a connection's wait for its next request line */
	unsigned head_timeout_s; /* the rest of a head, once its request line came */
	unsigned body_timeout_s; /* a body, plus 1 s per body_min_rate bytes */
	unsigned body_min_rate; /* bytes per second */
	size_t body_buffer_total; /* bytes of bodies held at once, all connections */
	unsigned pool_size; /* PostgreSQL connections */
	unsigned pool_wait_ms; /* wait for a free connection before 503 */
	enum db_prepared db_prepared; /* how statements reach PostgreSQL */
	unsigned statement_timeout_ms;
	unsigned connect_timeout_s;
	unsigned db_tcp_user_timeout_ms; /* 0: the system's default */
	unsigned db_keepalive_idle_s;
	size_t body_limit; /* bytes, any body (attachments, CSV files) */
	size_t json_body_limit; /* bytes, a JSON body */
	unsigned housekeeping_interval_s; /* between purges of expired data */
	unsigned audit_verify_interval_s; /* between verifications of the audit chains; 0: none */
	bool webhooks; /* run the outbox's delivery thread */
	unsigned webhook_batch;
	unsigned webhook_poll_ms;
	unsigned webhook_timeout_ms;
	unsigned webhook_max_attempts;
	unsigned webhook_retry_base_ms;
	bool webhook_allow_private;
	char *smtp_url; /* "" : no e-mail; owned */
	char *smtp_from; /* owned */
	char *smtp_user; /* owned, may be "" */
	char *smtp_password; /* owned, may be "" */
	char *locale_dir; /* where the gettext catalogues are; owned */
	enum log_level log_level;
	bool access_log;
	unsigned shutdown_deadline_s;
	unsigned unready_delay_ms;
	char *cors_origins; /* comma-separated allow-list; owned, may be "" */
	char *trusted_proxies; /* addresses or blocks, comma-separated; owned, may be "" */
	char *public_base_url; /* the public's address of the service, no trailing slash */
	unsigned public_cache_s; /* a public first page's life in memory; 0: none */
	unsigned public_cases_per_day; /* cases lodged without a token per address a day */
	unsigned public_feedback_per_day; /* feedback sent without a token per address a day */
	unsigned public_proof_bits; /* the public's proof of work; 0: none asked */
	char *public_proof_secret; /* its key; owned, may be "" (a key made at start) */
	bool migrate_on_start;
	char *jwt_private_key_file; /* PEM, EC P-256; NULL: ephemeral key */
	char *jwt_kid;
	char *jwt_previous_public_key_file; /* verification-only key during rotation */
	char *jwt_previous_kid;
	char *jwt_issuer;
	char *jwt_audience;
	unsigned access_token_ttl_s;
	unsigned refresh_token_ttl_s;
	unsigned hash_concurrency;
	unsigned heavy_concurrency; /* threads of the gate (http/gate.h); 0: one per CPU usable */
	unsigned heavy_wait_ms;
	char *sso_issuer; /* "": no external issuer trusted */
	char *sso_audience;
	char *sso_public_key_file;
	char *sso_alg; /* "ES256" or "RS256" */
	char *sso_kid; /* "": tokens without kid */
	char *sso_org_claim;
	char *sso_roles_claim;
	char *sso_role_map;
};

/*
 * Fills cfg from the environment. Returns true on success; on failure writes
 * one line naming the variable into err and leaves cfg freeable.
 */
bool config_load(struct config *cfg, char *err, size_t errlen);
void config_free(struct config *cfg);
void config_print_help(FILE *out);
const char *log_level_name(enum log_level level);

#endif
