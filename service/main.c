/*
 * main.c — start, signals and wiring; nothing else.
 *
 * Order at start: configuration (exit 2 on a bad value), logs, the pool,
 * the contract, then the listener, and the migrations beside it: the
 * process serves /healthz at once and answers 503 on /readyz (and on every
 * route that needs the database: the pool stays closed) until they are
 * applied, waiting as long as it takes for PostgreSQL to answer; an
 * orchestrator starting both together sees a live process that is not yet
 * ready, not one that exits.  A real failure (an edited migration) stops
 * the process with status 1.  SIGTERM and SIGINT are taken synchronously by
 * this thread with sigwait(), so no work happens in a signal handler; the
 * listener then drains and the process exits 0.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "answers/lang.h"
#include "api/app.h"
#include "api/reply.h"
#include "auth/password.h"
#include "cache/page_cache.h"
#include "config.h"
#include "embedded.h"
#include "http/auth.h"
#include "http/dispatch.h"
#include "http/gate.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/server.h"
#include "jobs/audit_watch.h"
#include "jobs/housekeeping.h"
#include "jobs/webhooks.h"
#include "store/db.h"
#include "store/directory.h"
#include "store/migrate.h"

enum { EXIT_CONFIG = 2, EXIT_START = 1 };

/* Sizes in pages (a staff page is about 25 KB, a progress answer a few). */
static bool caches_new(struct app_caches *c)
{
	c->staff_pages = page_cache_new(1024);
	c->progress = page_cache_new(512);
	c->template_fields = page_cache_new(256);
	c->public_news = page_cache_new(256);
	return c->staff_pages && c->progress && c->template_fields && c->public_news;
}

static void caches_free(struct app_caches *c)
{
	page_cache_free(c->staff_pages);
	page_cache_free(c->progress);
	page_cache_free(c->template_fields);
	page_cache_free(c->public_news);
}

/* Returns DB_OK, or why not; logs the reason. */
static enum db_status run_migrations(struct pool *pool)
{
	enum db_status st;
	struct db *db = pool_acquire(pool, &st);
	if (!db)
		return st; /* the caller says so, as often as it sees fit */
	char err[512] = "";
	struct migrate_report rep;
	st = migrate_apply(db, &rep, err, sizeof err);
	if (st != DB_OK && !*err)
		snprintf(err, sizeof err, "%s", db_last_error(db));
	pool_release(pool, db);
	if (st != DB_OK) {
		log_event(LOG_ERROR, "migrations failed", json_pack("{s:s}", "detail", err));
		return st;
	}
	if (rep.rerecorded > 0)
		log_event(LOG_INFO, "squashed migrations re-recorded",
			  json_pack("{s:i}", "count", rep.rerecorded));
	log_event(LOG_INFO, "migrations current",
		  json_pack("{s:i, s:i, s:s, s:s}", "applied_now", rep.applied_now, "total",
			    migrate_expected(), "procedures",
			    rep.procedures_loaded ? "loaded" : "current", "procedures_sha256",
			    rep.procedures_sha256));
	return DB_OK;
}

/* `thidua migrate`: waits a little for PostgreSQL to come up; a real
 * failure, such as an edited migration, stops at once. */
static int migrate_with_retry(struct pool *pool, unsigned attempts)
{
	for (unsigned i = 0; i < attempts; i++) {
		enum db_status st = run_migrations(pool);
		if (st == DB_OK)
			return 0;
		if (st != DB_UNAVAILABLE && st != DB_BUSY)
			return -1;
		sleep(1);
	}
	log_msgf(LOG_ERROR, "migrations: cannot connect to PostgreSQL");
	return -1;
}

/*
 * The migrations of `thidua serve`, on a thread beside the listener: tried
 * until PostgreSQL answers (every second at first, then every 5 s), on a
 * one-connection pool of their own; then the service's pool opens.  A
 * real failure raises SIGTERM, so that main drains and exits 1.
 */
struct starter {
	struct pool *app_pool;
	struct pool_options opt;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool failed;
};

static bool starter_nap(struct starter *s, unsigned seconds)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&s->lock);
	while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
		;
	bool stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return !stop;
}

static void *starter_main(void *arg)
{
	struct starter *s = arg;
	struct pool *mp = pool_new(&s->opt);
	struct timespec began;
	clock_gettime(CLOCK_MONOTONIC, &began);
	for (unsigned attempt = 1; mp; attempt++) {
		enum db_status st = run_migrations(mp);
		if (st == DB_OK) {
			pool_open(s->app_pool);
			log_msgf(LOG_INFO, "ready");
			break;
		}
		if (st != DB_UNAVAILABLE && st != DB_BUSY) {
			s->failed = true;
			kill(getpid(), SIGTERM);
			break;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (attempt == 1 || attempt % 12 == 0)
			log_event(LOG_WARN,
				  "waiting for PostgreSQL: not ready until the migrations "
				  "are applied",
				  json_pack("{s:i, s:i}", "attempts", (int)attempt, "waited_s",
					    (int)(now.tv_sec - began.tv_sec)));
		if (!starter_nap(s, attempt < 10 ? 1 : 5))
			break;
	}
	if (!mp) {
		s->failed = true;
		kill(getpid(), SIGTERM);
	}
	pool_free(mp);
	return NULL;
}

static bool starter_start(struct starter *s, struct pool *app_pool,
			  const struct pool_options *app_opt)
{
	*s = (struct starter){ .app_pool = app_pool, .opt = *app_opt };
	s->opt.size = 1;
	s->opt.closed = false;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	return pthread_create(&s->thread, NULL, starter_main, s) == 0;
}

/* Stops waiting, and returns whether the migrations failed for good. */
static bool starter_stop(struct starter *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	return s->failed;
}

/* The keys that sign and verify access tokens, and the JWK Set. */
static int load_keys(struct app *app, const struct config *cfg)
{
	char err[256] = "";
	const char *path = *cfg->jwt_private_key_file ? cfg->jwt_private_key_file : NULL;
	app->keys = jwt_keyring_new(path, cfg->jwt_kid, err, sizeof err);
	if (!app->keys) {
		log_msgf(LOG_ERROR, "THIDUA_JWT_PRIVATE_KEY_FILE: %s", err);
		return -1;
	}
	if (!path)
		log_msgf(LOG_WARN,
			 "no THIDUA_JWT_PRIVATE_KEY_FILE: signing with a key made at "
			 "start; tokens die with this process and other replicas reject them");
	if (*cfg->jwt_previous_public_key_file &&
	    !jwt_keyring_add_public(app->keys, cfg->jwt_previous_public_key_file,
				    *cfg->jwt_previous_kid ? cfg->jwt_previous_kid : "previous",
				    TALG_ES256, err, sizeof err)) {
		log_msgf(LOG_ERROR, "THIDUA_JWT_PREVIOUS_PUBLIC_KEY_FILE: %s", err);
		return -1;
	}
	app->rules = (struct jwt_rules){ .issuer = cfg->jwt_issuer,
					 .audience = cfg->jwt_audience,
					 .typ = "at+jwt",
					 .leeway_s = 30,
					 .require_kid = true };
	json_t *jwks = jwt_keyring_jwks_new(app->keys);
	app->jwks_json = jwks ? json_dumps(jwks, JSON_COMPACT) : NULL;
	json_decref(jwks);
	return app->jwks_json ? 0 : -1;
}

/* The key of the public's proof-of-work challenges (auth/proof.h): the
 * configured secret's digest, the same on every replica, or random (then
 * only this process checks its own challenges).  After sodium_init. */
static void load_proof_key(struct app *app, const struct config *cfg)
{
	if (*cfg->public_proof_secret)
		crypto_hash_sha256(app->proof_key.k,
				   (const unsigned char *)cfg->public_proof_secret,
				   strlen(cfg->public_proof_secret));
	else
		randombytes_buf(app->proof_key.k, sizeof app->proof_key.k);
}

/* Our organisation id for a code named in an external token. */
static bool resolve_org(void *ctx, const char *code, int64_t *id)
{
	struct app *app = ctx;
	enum db_status st;
	struct db *db = pool_acquire(app->pool, &st);
	if (!db)
		return false;
	st = store_organization_id(db, code, id);
	pool_release(app->pool, db);
	return st == DB_OK && *id > 0;
}

/* Trust in the province's single sign-on, when configured. */
static int load_sso(struct app *app, const struct config *cfg)
{
	if (!*cfg->sso_issuer)
		return 0;
	char err[256] = "";
	enum jwt_alg_id alg;
	if (!strcmp(cfg->sso_alg, "RS256")) {
		alg = TALG_RS256;
	} else if (!strcmp(cfg->sso_alg, "ES256")) {
		alg = TALG_ES256;
	} else {
		log_msgf(LOG_ERROR, "THIDUA_SSO_ALG: RS256 or ES256, not %s", cfg->sso_alg);
		return -1;
	}
	/* its own ring, so its key never appears in our JWK Set */
	app->sso_keys = jwt_keyring_new(NULL, "unused-sso-signer", err, sizeof err);
	if (!app->sso_keys ||
	    !jwt_keyring_add_public(app->sso_keys, cfg->sso_public_key_file,
				    *cfg->sso_kid ? cfg->sso_kid : "sso", alg, err, sizeof err)) {
		log_msgf(LOG_ERROR, "THIDUA_SSO_PUBLIC_KEY_FILE: %s", err);
		return -1;
	}
	app->sso_rules = (struct jwt_rules){ .issuer = cfg->sso_issuer,
					     .audience = cfg->sso_audience,
					     .typ = NULL,
					     .leeway_s = 30,
					     .require_kid = *cfg->sso_kid != '\0' };
	app->sso.keys = app->sso_keys;
	app->sso.rules = &app->sso_rules;
	app->sso.org_claim = cfg->sso_org_claim;
	app->sso.roles_claim = cfg->sso_roles_claim;
	app->sso.resolve_org = resolve_org;
	app->sso.resolve_ctx = app;
	if (!sso_parse_role_map(&app->sso, cfg->sso_role_map, err, sizeof err)) {
		log_msgf(LOG_ERROR, "%s", err);
		return -1;
	}
	log_event(LOG_INFO, "trusting an external issuer",
		  json_pack("{s:s, s:i}", "issuer", cfg->sso_issuer, "roles_mapped",
			    (int)app->sso.n_map));
	return 0;
}

static int serve(struct app *app, const struct config *cfg, const struct pool_options *po,
		 sigset_t *sigs)
{
	struct auth_config ac = {
		.keys = app->keys,
		.rules = &app->rules,
		.sso = app->sso_keys ? &app->sso : NULL,
		.revocation = auth_revocation_start(po),
	};
	if (!ac.revocation) /* never serve tokens that cannot be revoked */
		return EXIT_START;
	auth_init(&ac);
	struct proxy_trust proxies; /* checked by config_load */
	char perr[200];
	if (proxy_trust_parse(&proxies, cfg->trusted_proxies, perr, sizeof perr))
		proxy_init(&proxies);
	struct dispatch_config dc = {
		.routes = api_routes,
		.n_routes = api_routes_count,
		.app = app,
		.body_limit = cfg->body_limit,
		.json_body_limit = cfg->json_body_limit,
		.cors_origins = cfg->cors_origins,
		.draining = http_draining,
		.after_handler = api_after_handler,
		.heavy = api_route_heavy,
	};
	dispatch_init(&dc);
	metrics_init(api_routes, api_routes_count);
	ops_register_metrics(app);
	/* the jobs' gauges, before the listener: no scrape sees the table grow */
	audit_watch_register(cfg->audit_verify_interval_s);
	if (cfg->webhooks)
		webhooks_register_metrics();

	struct http_options ho = {
		.address = cfg->listen_address,
		.port = cfg->port,
		.threads = cfg->worker_threads,
		.max_connections = cfg->max_connections,
		.max_per_address = cfg->max_connections_per_address,
		.idle_timeout_s = cfg->idle_timeout_s,
		.head_timeout_s = cfg->head_timeout_s,
		.body_timeout_s = cfg->body_timeout_s,
		.body_min_rate = cfg->body_min_rate,
		.body_budget = cfg->body_buffer_total,
		.drain_max = 2 * cfg->body_limit,
	};
	char err[256];
	struct http_server *srv = http_server_start(&ho, err, sizeof err);
	if (!srv) {
		log_msgf(LOG_ERROR, "%s", err);
		metrics_free();
		auth_revocation_stop();
		return EXIT_START;
	}
	struct starter st;
	bool starting = !pool_is_open(app->pool);
	if (starting && !starter_start(&st, app->pool, po)) {
		log_msgf(LOG_ERROR, "cannot start the migrations' thread");
		http_server_stop(srv);
		metrics_free();
		return EXIT_START;
	}
	/* reminders are mailed by the delivery thread: only when it runs */
	struct housekeeping_options hko = { .interval_s = cfg->housekeeping_interval_s,
					    .mail = cfg->webhooks && *cfg->smtp_url,
					    .audit_verify_interval_s =
						    cfg->audit_verify_interval_s };
	struct housekeeping *hk = housekeeping_start(app->pool, &hko);
	struct webhooks *wh = NULL;
	if (cfg->webhooks) {
		struct webhooks_options wo = { .batch = cfg->webhook_batch,
					       .poll_ms = cfg->webhook_poll_ms,
					       .timeout_ms = cfg->webhook_timeout_ms,
					       .max_attempts = cfg->webhook_max_attempts,
					       .retry_base_ms = cfg->webhook_retry_base_ms,
					       .allow_private = cfg->webhook_allow_private,
					       .mail = { .url = cfg->smtp_url,
							 .from = cfg->smtp_from,
							 .user = cfg->smtp_user,
							 .password = cfg->smtp_password,
							 .timeout_ms = cfg->webhook_timeout_ms,
							 .max_attempts = cfg->webhook_max_attempts,
							 .retry_base_ms =
								 cfg->webhook_retry_base_ms } };
		wh = webhooks_start(app->pool, &wo);
	}
	log_event(LOG_INFO, "listening",
		  json_pack("{s:s, s:i, s:i, s:s, s:s}", "address", cfg->listen_address, "port",
			    (int)cfg->port, "threads", (int)cfg->worker_threads, "event_loop",
			    http_uses_epoll(cfg->worker_threads, cfg->max_connections) ? "epoll"
										       : "poll",
			    "version", THIDUA_VERSION));

	int sig = 0;
	sigwait(sigs, &sig);
	bool failed = starting && starter_stop(&st);
	if (failed)
		log_msgf(LOG_ERROR, "stopping: the migrations failed");
	log_event(LOG_INFO, "draining",
		  json_pack("{s:s, s:i, s:i, s:i}", "signal", strsignal(sig), "in_flight",
			    (int)http_in_flight(), "unready_delay_ms", (int)cfg->unready_delay_ms,
			    "deadline_s", (int)cfg->shutdown_deadline_s));
	/* not ready first, still serving: a load balancer checking /readyz
	 * stops sending here before the listener closes (THIDUA_UNREADY_DELAY_MS) */
	http_server_unready();
	if (cfg->unready_delay_ms && !failed) {
		struct timespec grace = { (time_t)(cfg->unready_delay_ms / 1000),
					  (long)(cfg->unready_delay_ms % 1000) * 1000000L };
		nanosleep(&grace, NULL);
	}
	unsigned left = http_server_drain(srv, cfg->shutdown_deadline_s);
	if (left)
		log_msgf(LOG_WARN, "drain deadline passed with %u requests in flight", left);
	/* heavy requests still computing finish and resume their connections
	 * before libmicrohttpd closes them */
	gate_free();
	http_server_stop(srv);
	auth_revocation_stop();
	webhooks_stop(wh);
	housekeeping_stop(hk);
	metrics_free();
	log_msgf(LOG_INFO, "stopped");
	return failed ? EXIT_START : 0;
}

/* `thidua healthcheck`: the container's probe, with no curl in the image. */
static int healthcheck(void)
{
	const char *port_s = getenv("THIDUA_PORT");
	char *end = NULL;
	long port = port_s ? strtol(port_s, &end, 10) : 8080;
	if (port_s && (*end || port < 1 || port > 65535))
		return 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	struct timeval tv = { 3, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	static const char req[] = "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n";
	char buf[64] = "";
	int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
		 write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1) &&
		 read(fd, buf, sizeof buf - 1) > 12 && strncmp(buf + 8, " 200", 4) == 0;
	close(fd);
	return ok ? 0 : 1;
}

/* METHOD PATH PERMISSION role=scope,... machine-scopes, one route a line. */
static int print_routes(void)
{
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		printf("%s %s %s", r->method, r->path, r->permission);
		for (int role = 0; role < ROLE_COUNT; role++) {
			enum access_scope s = access_role_scope(r->permission, (enum role)role);
			if (s != SCOPE_NONE)
				printf(" %s=%s", role_name((enum role)role), access_scope_name(s));
		}
		mscope_set ms = access_machine_scopes(r->permission);
		for (int m = 0; m < MSCOPE_COUNT; m++)
			if (ms & MSCOPE_BIT(m))
				printf(" %s", machine_scope_name((enum machine_scope)m));
		printf("\n");
	}
	return 0;
}

/* `thidua hash-password`: Argon2id of the password on stdin, for seeding
 * accounts; the password never appears in argv or the environment. */
static int hash_password_cmd(void)
{
	char pw[PASSWORD_MAX_LENGTH + 2];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "thidua: no password on standard input\n");
		return EXIT_CONFIG;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	char hash[PASSWORD_HASH_MAX];
	if (strlen(pw) < PASSWORD_MIN_LENGTH) {
		fprintf(stderr, "thidua: a password needs at least %d characters\n",
			PASSWORD_MIN_LENGTH);
		return EXIT_CONFIG;
	}
	if (!password_init(1) || !password_hash(pw, hash))
		return EXIT_START;
	printf("%s\n", hash);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "serve";
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		config_print_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("thidua %s (%s)\n", THIDUA_VERSION, THIDUA_COMMIT);
		return 0;
	}
	if (!strcmp(cmd, "healthcheck"))
		return healthcheck();
	if (!strcmp(cmd, "routes"))
		return print_routes();
	if (!strcmp(cmd, "hash-password"))
		return hash_password_cmd();
	if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "migrate") != 0) {
		fprintf(stderr, "thidua: unknown command \"%s\" (see thidua --help)\n", cmd);
		return EXIT_CONFIG;
	}

	struct config cfg;
	char err[512];
	if (!config_load(&cfg, err, sizeof err)) {
		fprintf(stderr, "thidua: %s\n", err);
		config_free(&cfg);
		return EXIT_CONFIG;
	}
	log_init(cfg.log_level, cfg.access_log);
	size_t statements = 0;
	if (!db_statements_check(&statements, err, sizeof err)) {
		log_msgf(LOG_ERROR, "%s", err); /* a bug of this build: no start can fix it */
		config_free(&cfg);
		return EXIT_START;
	}
	if (!lang_init(cfg.locale_dir, err, sizeof err)) {
		log_msgf(LOG_ERROR, "THIDUA_LOCALE_DIR: %s", err);
		config_free(&cfg);
		return EXIT_START;
	}

	/* Block the signals before any thread exists; this thread sigwait()s. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Every connection starts with these settings (libpq sends them in its
	 * startup packet, which PgBouncer forwards): instants leave PostgreSQL as
	 * RFC 3339 in UTC and dates as YYYY-MM-DD, whatever the server's or the
	 * database's own TimeZone and DateStyle say.  Before any thread exists,
	 * as setenv requires. */
	setenv("PGTZ", "UTC", 1);
	setenv("PGDATESTYLE", "ISO, YMD", 1);
	/* libcurl (the webhooks' posts) sets itself up once, before threads */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_msgf(LOG_ERROR, "cannot initialise libcurl");
		config_free(&cfg);
		return EXIT_START;
	}
	bool migrate_only = !strcmp(cmd, "migrate");
	struct pool_options po = {
		.url = cfg.database_url,
		.size = cfg.pool_size,
		.wait_ms = cfg.pool_wait_ms,
		.prepared = cfg.db_prepared,
		.statement_timeout_ms = cfg.statement_timeout_ms,
		.connect_timeout_s = cfg.connect_timeout_s,
		.tcp_user_timeout_ms = cfg.db_tcp_user_timeout_ms,
		.keepalive_idle_s = cfg.db_keepalive_idle_s,
		/* serving: closed until the migrations are applied (serve()) */
		.closed = !migrate_only && cfg.migrate_on_start,
	};
	struct app app = { .cfg = &cfg,
			   .pool = pool_new(&po),
			   .openapi_lock = PTHREAD_MUTEX_INITIALIZER };
	int rc = EXIT_START;
	if (!app.pool || !caches_new(&app.caches))
		goto out;
	if (migrate_only) {
		rc = migrate_with_retry(app.pool, 10) == 0 ? 0 : EXIT_START;
		goto out;
	}
	if (load_keys(&app, &cfg) != 0 || load_sso(&app, &cfg) != 0)
		goto out;
	if (!password_init(cfg.hash_concurrency)) {
		log_msgf(LOG_ERROR, "cannot initialise libsodium");
		goto out;
	}
	load_proof_key(&app, &cfg);
	if (!gate_init(cfg.heavy_concurrency, cfg.heavy_wait_ms)) {
		log_msgf(LOG_ERROR, "cannot set up the gate of heavy requests");
		goto out;
	}
	rc = serve(&app, &cfg, &po, &sigs);
	gate_free();
out:
	free(app.openapi_json);
	free(app.jwks_json);
	jwt_keyring_free(app.keys);
	jwt_keyring_free(app.sso_keys);
	pool_free(app.pool);
	caches_free(&app.caches);
	lang_free();
	curl_global_cleanup();
	config_free(&cfg);
	return rc;
}
