/*
 * config.c — THIDUA_* environment variables → struct config.
 *
 * One table describes every variable (name, default, help, how to parse it
 * and where it goes).  For secrets, NAME_FILE may name a file whose content
 * (without the trailing newline) is used instead, as container platforms
 * mount secrets as files.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/proxy.h"

enum kind { K_STRING, K_UINT, K_SIZE, K_BOOL, K_LOGLEVEL, K_ADDRESS, K_PREPARED };

struct setting {
	const char *name;
	const char *def; /* NULL: required */
	enum kind kind;
	size_t offset;
	unsigned long long min, max;
	bool secret; /* accepts NAME_FILE, never echoed in errors */
	const char *help;
};

#define AT(field) offsetof(struct config, field)

static const struct setting settings[] = {
	{ "THIDUA_DATABASE_URL", NULL, K_STRING, AT(database_url), 0, 0, true,
	  "PostgreSQL connection string (libpq URI or key=value); required" },
	{ "THIDUA_LISTEN_ADDRESS", "127.0.0.1", K_ADDRESS, AT(listen_address), 0, 0, false,
	  "IPv4 or IPv6 address to listen on (0.0.0.0 or :: for all)" },
	{ "THIDUA_PORT", "8080", K_UINT, AT(port), 1, 65535, false, "TCP port" },
	{ "THIDUA_WORKER_THREADS", "8", K_UINT, AT(worker_threads), 1, 256, false,
	  "HTTP worker threads (libmicrohttpd thread pool, poll)" },
	{ "THIDUA_MAX_CONNECTIONS", "1000", K_UINT, AT(max_connections), 1, 100000, false,
	  "open HTTP connections accepted at once" },
	{ "THIDUA_MAX_CONNECTIONS_PER_ADDRESS", "256", K_UINT, AT(max_connections_per_address), 0,
	  100000, false,
	  "open HTTP connections accepted at once from one IP address; 0: no limit (behind "
	  "a reverse proxy, every client has the proxy's address)" },
	{ "THIDUA_IDLE_TIMEOUT_S", "60", K_UINT, AT(idle_timeout_s), 1, 3600, false,
	  "seconds a client connection may wait for its next request line (bytes that do "
	  "not complete it do not extend this), or stay silent otherwise" },
	{ "THIDUA_HEAD_TIMEOUT_S", "10", K_UINT, AT(head_timeout_s), 1, 3600, false,
	  "seconds a client has to send the rest of a request's head once its request "
	  "line has arrived" },
	{ "THIDUA_BODY_TIMEOUT_S", "30", K_UINT, AT(body_timeout_s), 1, 3600, false,
	  "seconds a client has to send a request's body, plus one for every "
	  "THIDUA_BODY_MIN_RATE bytes received" },
	{ "THIDUA_BODY_MIN_RATE", "8192", K_UINT, AT(body_min_rate), 0, 1U << 30, false,
	  "bytes a second that earn a body more time (see THIDUA_BODY_TIMEOUT_S); 0: the "
	  "body timeout is absolute" },
	{ "THIDUA_BODY_BUFFER_TOTAL", "67108864", K_SIZE, AT(body_buffer_total), 1, 1ULL << 34,
	  false,
	  "bytes of request bodies held in memory at once, all connections together; a "
	  "request whose body does not fit gets 503; larger than THIDUA_BODY_LIMIT" },
	{ "THIDUA_DB_POOL_SIZE", "8", K_UINT, AT(pool_size), 1, 1000, false,
	  "PostgreSQL connections kept by each process" },
	{ "THIDUA_DB_POOL_WAIT_MS", "2000", K_UINT, AT(pool_wait_ms), 0, 60000, false,
	  "milliseconds a request waits for a free connection, or for one being opened, "
	  "before 503; 0: none" },
	{ "THIDUA_DB_PREPARED", "on", K_PREPARED, AT(db_prepared), 0, 0, false,
	  "on: named prepared statements; off: unnamed statements and no session "
	  "state, for PgBouncer in transaction mode; pooled: as off, but a statement "
	  "outside a transaction is named by its text and prepared on whichever server "
	  "connection lacks it, so PostgreSQL plans it once per server connection "
	  "(for PgBouncer before 1.21, which keeps no prepared statements)" },
	{ "THIDUA_STATEMENT_TIMEOUT_MS", "5000", K_UINT, AT(statement_timeout_ms), 1, 3600000,
	  false, "PostgreSQL statement_timeout for every statement" },
	{ "THIDUA_DB_CONNECT_TIMEOUT_S", "3", K_UINT, AT(connect_timeout_s), 1, 120, false,
	  "seconds to wait when opening a PostgreSQL connection (done by a thread of its "
	  "own: requests never wait for it longer than THIDUA_DB_POOL_WAIT_MS)" },
	{ "THIDUA_DB_TCP_USER_TIMEOUT_MS", "5000", K_UINT, AT(db_tcp_user_timeout_ms), 0, 600000,
	  false,
	  "milliseconds data sent to PostgreSQL may stay unacknowledged before the "
	  "connection is given up (TCP_USER_TIMEOUT); 0: the system's default" },
	{ "THIDUA_DB_KEEPALIVE_IDLE_S", "5", K_UINT, AT(db_keepalive_idle_s), 1, 7200, false,
	  "seconds of silence on a PostgreSQL connection before TCP keepalive probes "
	  "(every 2 s, 3 unanswered: dead)" },
	{ "THIDUA_BODY_LIMIT", "10485760", K_SIZE, AT(body_limit), 1, 1ULL << 30, false,
	  "largest request body in bytes (files: attachments, CSV imports); larger get 413; "
	  "routes that need no token take 64 KiB at most" },
	{ "THIDUA_JSON_BODY_LIMIT", "1048576", K_SIZE, AT(json_body_limit), 1, 1ULL << 30, false,
	  "largest JSON request body in bytes; larger get 413" },
	{ "THIDUA_HOUSEKEEPING_INTERVAL_S", "600", K_UINT, AT(housekeeping_interval_s), 1, 86400,
	  false,
	  "seconds between the periodic chores: purges of idempotency keys older than 24 "
	  "hours, of the public's past quotas and spent proofs, and the reminders of cases "
	  "due" },
	{ "THIDUA_AUDIT_VERIFY_INTERVAL_S", "3600", K_UINT, AT(audit_verify_interval_s), 0, 604800,
	  false,
	  "seconds between verifications of every organisation's audit chain, by one replica "
	  "of all (an advisory lock and the last run's end decide which); 0: none (GET "
	  "/v1/audit/verify still verifies one organisation's)" },
	{ "THIDUA_WEBHOOKS", "on", K_BOOL, AT(webhooks), 0, 0, false,
	  "run the thread that delivers the outbox's webhooks (every replica may: they share "
	  "the work)" },
	{ "THIDUA_WEBHOOK_BATCH", "100", K_UINT, AT(webhook_batch), 1, 1000, false,
	  "webhook deliveries claimed at once and posted side by side" },
	{ "THIDUA_WEBHOOK_POLL_MS", "1000", K_UINT, AT(webhook_poll_ms), 10, 60000, false,
	  "milliseconds between looks at the outbox when nothing is due" },
	{ "THIDUA_WEBHOOK_TIMEOUT_MS", "10000", K_UINT, AT(webhook_timeout_ms), 100, 60000, false,
	  "the longest one webhook post may take, connecting included" },
	{ "THIDUA_WEBHOOK_MAX_ATTEMPTS", "12", K_UINT, AT(webhook_max_attempts), 1, 50, false,
	  "attempts of a webhook delivery before it is given up (an admin may redeliver it)" },
	{ "THIDUA_WEBHOOK_RETRY_BASE_MS", "10000", K_UINT, AT(webhook_retry_base_ms), 10, 3600000,
	  false,
	  "the wait after a failed webhook post, doubled after each failure, at most 12 hours" },
	{ "THIDUA_WEBHOOK_ALLOW_PRIVATE", "off", K_BOOL, AT(webhook_allow_private), 0, 0, false,
	  "post webhooks to loopback and private addresses too (off: only public addresses, "
	  "checked after DNS)" },
	{ "THIDUA_SMTP_URL", "", K_STRING, AT(smtp_url), 0, 0, false,
	  "the SMTP relay the cases' reminders are mailed through (smtp://host:587 with "
	  "STARTTLS when offered, smtps://host:465); empty: no e-mail" },
	{ "THIDUA_SMTP_FROM", "thidua@localhost", K_STRING, AT(smtp_from), 0, 0, false,
	  "the sender address of the service's e-mails" },
	{ "THIDUA_SMTP_USER", "", K_STRING, AT(smtp_user), 0, 0, false,
	  "the relay's login; empty: none" },
	{ "THIDUA_SMTP_PASSWORD", "", K_STRING, AT(smtp_password), 0, 0, true,
	  "the relay's password" },
	{ "THIDUA_LOCALE_DIR", THIDUA_LOCALE_DIR_DEFAULT, K_STRING, AT(locale_dir), 0, 0, false,
	  "directory of the message catalogues (<dir>/vi/LC_MESSAGES/thidua.mo, en likewise)" },
	{ "THIDUA_LOG_LEVEL", "info", K_LOGLEVEL, AT(log_level), 0, 0, false,
	  "debug, info, warn or error" },
	{ "THIDUA_ACCESS_LOG", "on", K_BOOL, AT(access_log), 0, 0, false,
	  "one JSON line per request on stdout" },
	{ "THIDUA_UNREADY_DELAY_MS", "0", K_UINT, AT(unready_delay_ms), 0, 60000, false,
	  "after SIGTERM, milliseconds /readyz answers 503 while requests are still served, "
	  "so that load balancers stop sending before the listener closes" },
	{ "THIDUA_SHUTDOWN_DEADLINE_S", "8", K_UINT, AT(shutdown_deadline_s), 0, 600, false,
	  "seconds in-flight requests may take to finish after SIGTERM" },
	{ "THIDUA_TRUSTED_PROXIES", "", K_STRING, AT(trusted_proxies), 0, 0, false,
	  "comma-separated addresses or blocks (address/bits) of the reverse proxies in front "
	  "(HAProxy, the ingress) whose X-Forwarded-For or Forwarded names the client: the "
	  "login throttle and the public's quotas key on that client; from any other address "
	  "the headers are ignored.  Empty: nobody's" },
	{ "THIDUA_CORS_ORIGINS", "", K_STRING, AT(cors_origins), 0, 0, false,
	  "comma-separated origins allowed to call the API from a browser" },
	{ "THIDUA_PUBLIC_BASE_URL", "http://127.0.0.1:8080", K_STRING, AT(public_base_url), 0, 0,
	  false,
	  "the service's address as the public reads it (https://…, no trailing slash): "
	  "the absolute links of the news feeds" },
	{ "THIDUA_PUBLIC_CACHE_S", "10", K_UINT, AT(public_cache_s), 0, 300, false,
	  "seconds a first page of the public news is answered from memory before it is read "
	  "again; 0: read on every request" },
	{ "THIDUA_PUBLIC_CASES_PER_DAY", "5", K_UINT, AT(public_cases_per_day), 1, 1000, false,
	  "complaints, denunciations and petitions the public may lodge without a token from "
	  "one address (an IPv6 /64) a day; more get 429" },
	{ "THIDUA_PUBLIC_FEEDBACK_PER_DAY", "10", K_UINT, AT(public_feedback_per_day), 1, 1000,
	  false,
	  "pieces of feedback on disclosed candidates the public may send without a token from "
	  "one address (an IPv6 /64) a day; more get 429" },
	{ "THIDUA_PUBLIC_PROOF_BITS", "0", K_UINT, AT(public_proof_bits), 0, 24, false,
	  "zero bits of SHA-256 a proof of work must find before the public writes without a "
	  "token (GET /public/v1/{org}/challenge; 20 is about a second of a browser's work); "
	  "0: no proof asked" },
	{ "THIDUA_PUBLIC_PROOF_SECRET", "", K_STRING, AT(public_proof_secret), 0, 0, true,
	  "the key of the proof-of-work challenges, the same on every replica (at least 32 "
	  "characters); empty: a key made at start, which other replicas do not share" },
	{ "THIDUA_MIGRATE_ON_START", "on", K_BOOL, AT(migrate_on_start), 0, 0, false,
	  "apply pending migrations at start: /healthz answers at once, /readyz and the "
	  "routes that need the database answer 503 until they are applied (waiting for "
	  "PostgreSQL as long as it takes)" },
	{ "THIDUA_JWT_PRIVATE_KEY_FILE", "", K_STRING, AT(jwt_private_key_file), 0, 0, false,
	  "PEM file of the EC P-256 key that signs access tokens (ES256); empty: a key "
	  "made at start, so tokens die with the process (development only)" },
	{ "THIDUA_JWT_KID", "k1", K_STRING, AT(jwt_kid), 0, 0, false,
	  "key id (kid) of the signing key, published in /.well-known/jwks.json" },
	{ "THIDUA_JWT_PREVIOUS_PUBLIC_KEY_FILE", "", K_STRING, AT(jwt_previous_public_key_file), 0,
	  0, false, "PEM public key of the previous signing key, still accepted during rotation" },
	{ "THIDUA_JWT_PREVIOUS_KID", "", K_STRING, AT(jwt_previous_kid), 0, 0, false,
	  "key id of the previous signing key" },
	{ "THIDUA_JWT_ISSUER", "thidua", K_STRING, AT(jwt_issuer), 0, 0, false,
	  "iss of the access tokens we issue and accept" },
	{ "THIDUA_JWT_AUDIENCE", "thidua-api", K_STRING, AT(jwt_audience), 0, 0, false,
	  "aud of the access tokens we issue and accept" },
	{ "THIDUA_ACCESS_TOKEN_TTL_S", "900", K_UINT, AT(access_token_ttl_s), 60, 900, false,
	  "lifetime of an access token in seconds (at most 15 minutes)" },
	{ "THIDUA_REFRESH_TOKEN_TTL_S", "43200", K_UINT, AT(refresh_token_ttl_s), 300, 2592000,
	  false, "lifetime of a refresh token in seconds; each use rotates it" },
	{ "THIDUA_HASH_CONCURRENCY", "2", K_UINT, AT(hash_concurrency), 1, 64, false,
	  "Argon2id password hashes computed at once (each takes 19 MiB and ~25 ms)" },
	{ "THIDUA_HEAVY_CONCURRENCY", "0", K_UINT, AT(heavy_concurrency), 0, 256, false,
	  "heavy requests (a round's checked list) computed at once, first come first served; 0: "
	  "one per CPU the process may use" },
	{ "THIDUA_HEAVY_WAIT_MS", "10000", K_UINT, AT(heavy_wait_ms), 100, 120000, false,
	  "longest wait of a heavy request for its turn before a 503 with Retry-After" },
	{ "THIDUA_SSO_ISSUER", "", K_STRING, AT(sso_issuer), 0, 0, false,
	  "iss of an external issuer to trust (the province's single sign-on); empty: none" },
	{ "THIDUA_SSO_AUDIENCE", "thidua-api", K_STRING, AT(sso_audience), 0, 0, false,
	  "aud the external issuer's tokens must carry" },
	{ "THIDUA_SSO_PUBLIC_KEY_FILE", "", K_STRING, AT(sso_public_key_file), 0, 0, false,
	  "PEM public key of the external issuer" },
	{ "THIDUA_SSO_ALG", "RS256", K_STRING, AT(sso_alg), 0, 0, false,
	  "algorithm of the external issuer's key: RS256 or ES256" },
	{ "THIDUA_SSO_KID", "", K_STRING, AT(sso_kid), 0, 0, false,
	  "kid of the external issuer's key; empty: its tokens carry none" },
	{ "THIDUA_SSO_ORG_CLAIM", "org_code", K_STRING, AT(sso_org_claim), 0, 0, false,
	  "claim holding our organisation code" },
	{ "THIDUA_SSO_ROLES_CLAIM", "roles", K_STRING, AT(sso_roles_claim), 0, 0, false,
	  "claim holding the external roles (an array of strings)" },
	{ "THIDUA_SSO_ROLE_MAP", "", K_STRING, AT(sso_role_map), 0, 0, false,
	  "external=role pairs, comma-separated, e.g. tdkt-admin=admin,ubnd-xem=viewer "
	  "(organisation-wide roles only)" },
};

#define N_SETTINGS (sizeof settings / sizeof settings[0])

const char *log_level_name(enum log_level level)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	return (unsigned)level < 4 ? names[level] : "info";
}

/* Reads a secret file; returns a new string without trailing newlines. */
static char *read_secret_file(const char *path, char *err, size_t errlen, const char *name)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s_FILE: cannot read %s: %s", name, path, strerror(errno));
		return NULL;
	}
	char *buf = calloc(1, 65536);
	size_t n = buf ? fread(buf, 1, 65535, f) : 0;
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s_FILE: out of memory", name);
		return NULL;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return buf;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "1", "yes" };
	static const char *const no[] = { "off", "false", "0", "no" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_ull(const char *v, unsigned long long *out)
{
	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

static bool address_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 45)
		return false;
	return strspn(v, "0123456789abcdefABCDEF.:") == n;
}

static bool apply(struct config *cfg, const struct setting *s, const char *v, char *err,
		  size_t errlen)
{
	char *base = (char *)cfg + s->offset;
	unsigned long long n;
	switch (s->kind) {
	case K_STRING:
	case K_ADDRESS:
		if (s->kind == K_ADDRESS && !address_ok(v))
			goto bad;
		free(*(char **)base);
		*(char **)base = strdup(v);
		return *(char **)base != NULL;
	case K_UINT:
	case K_SIZE:
		if (!parse_ull(v, &n) || n < s->min || n > s->max) {
			snprintf(err, errlen,
				 "%s: expected a whole number from %llu to %llu, got \"%s\"",
				 s->name, s->min, s->max, v);
			return false;
		}
		if (s->kind == K_UINT)
			*(unsigned *)base = (unsigned)n;
		else
			*(size_t *)base = (size_t)n;
		return true;
	case K_BOOL:
		if (!parse_bool(v, (bool *)base))
			goto bad;
		return true;
	case K_PREPARED: {
		bool on;
		if (strcasecmp(v, "pooled") == 0)
			*(enum db_prepared *)base = DB_PREPARED_POOLED;
		else if (parse_bool(v, &on))
			*(enum db_prepared *)base = on ? DB_PREPARED_ON : DB_PREPARED_OFF;
		else
			goto bad;
		return true;
	}
	case K_LOGLEVEL:
		for (int l = LOG_DEBUG; l <= LOG_ERROR; l++) {
			if (strcasecmp(v, log_level_name((enum log_level)l)) == 0) {
				*(enum log_level *)base = (enum log_level)l;
				return true;
			}
		}
		goto bad;
	}
bad:
	snprintf(err, errlen, "%s: invalid value \"%s\" (see thidua --help)", s->name, v);
	return false;
}

/* Rules between settings, once each is valid on its own. */
static bool config_check(const struct config *cfg, char *err, size_t errlen)
{
	/* a chunked body of the largest size holds THIDUA_BODY_LIMIT + 1 bytes */
	if (cfg->body_buffer_total <= cfg->body_limit) {
		snprintf(err, errlen,
			 "THIDUA_BODY_BUFFER_TOTAL (%zu) must be larger than THIDUA_BODY_LIMIT "
			 "(%zu)",
			 cfg->body_buffer_total, cfg->body_limit);
		return false;
	}
	struct proxy_trust proxies;
	if (!proxy_trust_parse(&proxies, cfg->trusted_proxies, err, errlen))
		return false;
	if (*cfg->public_proof_secret && strlen(cfg->public_proof_secret) < 32) {
		snprintf(err, errlen, "THIDUA_PUBLIC_PROOF_SECRET: at least 32 characters");
		return false;
	}
	size_t n = strlen(cfg->public_base_url);
	if (strncmp(cfg->public_base_url, "http://", 7) != 0 &&
	    strncmp(cfg->public_base_url, "https://", 8) != 0) {
		snprintf(err, errlen, "THIDUA_PUBLIC_BASE_URL must start with http:// or https://");
		return false;
	}
	if (n > 200 || cfg->public_base_url[n - 1] == '/' ||
	    strpbrk(cfg->public_base_url, " \t\r\n\"<>") != NULL) {
		snprintf(err, errlen,
			 "THIDUA_PUBLIC_BASE_URL must be a URL of at most 200 characters without "
			 "a trailing slash");
		return false;
	}
	return true;
}

bool config_load(struct config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		const char *v = getenv(s->name);
		char *from_file = NULL;
		if (s->secret) {
			char fname[96];
			snprintf(fname, sizeof fname, "%s_FILE", s->name);
			const char *path = getenv(fname);
			if (path && *path) {
				if (v) {
					snprintf(err, errlen, "%s and %s are both set; use one",
						 s->name, fname);
					return false;
				}
				from_file = read_secret_file(path, err, errlen, s->name);
				if (!from_file)
					return false;
				v = from_file;
			}
		}
		if (!v)
			v = s->def;
		if (!v || (s->def == NULL && *v == '\0')) {
			snprintf(err, errlen, "%s is required: %s", s->name, s->help);
			free(from_file);
			return false;
		}
		/* Secrets are K_STRING, which never echoes the value. */
		bool ok = apply(cfg, s, v, err, errlen);
		free(from_file);
		if (!ok)
			return false;
	}
	return config_check(cfg, err, errlen);
}

void config_free(struct config *cfg)
{
	free(cfg->database_url);
	free(cfg->listen_address);
	free(cfg->cors_origins);
	free(cfg->trusted_proxies);
	free(cfg->public_base_url);
	free(cfg->public_proof_secret);
	free(cfg->smtp_url);
	free(cfg->smtp_from);
	free(cfg->smtp_user);
	free(cfg->smtp_password);
	free(cfg->locale_dir);
	free(cfg->jwt_private_key_file);
	free(cfg->jwt_kid);
	free(cfg->jwt_previous_public_key_file);
	free(cfg->jwt_previous_kid);
	free(cfg->jwt_issuer);
	free(cfg->jwt_audience);
	free(cfg->sso_issuer);
	free(cfg->sso_audience);
	free(cfg->sso_public_key_file);
	free(cfg->sso_alg);
	free(cfg->sso_kid);
	free(cfg->sso_org_claim);
	free(cfg->sso_roles_claim);
	free(cfg->sso_role_map);
	memset(cfg, 0, sizeof *cfg);
}

void config_print_help(FILE *out)
{
	fprintf(out,
		"thidua %s — emulation and commendation (thi đua – khen thưởng) service\n\n"
		"Usage:\n"
		"  thidua               apply migrations (unless disabled) and serve\n"
		"  thidua migrate       apply pending migrations and exit\n"
		"  thidua healthcheck   probe http://127.0.0.1:$THIDUA_PORT/healthz; exit 0 if "
		"alive\n"
		"  thidua routes        print the route table (METHOD PATH PERMISSION "
		"role=scope...)\n"
		"  thidua hash-password print the Argon2id hash of the password on standard input\n"
		"  thidua --version     print the version\n"
		"  thidua --help        this text\n\n"
		"Configuration (environment variables; *_FILE reads a secret from a file):\n",
		THIDUA_VERSION);
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		fprintf(out, "  %-28s default: %s\n      %s\n", s->name,
			s->def ? (*s->def ? s->def : "(empty)") : "(required)", s->help);
	}
	fprintf(out,
		"\nA bad or missing value prints one line to stderr and exits with status 2.\n");
}
