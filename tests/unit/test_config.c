/* Unit tests: THIDUA_* parsing, defaults, one-line errors, *_FILE secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static const char *const vars[] = { "THIDUA_DATABASE_URL",
				    "THIDUA_DATABASE_URL_FILE",
				    "THIDUA_PORT",
				    "THIDUA_LOG_LEVEL",
				    "THIDUA_DB_PREPARED",
				    "THIDUA_LISTEN_ADDRESS",
				    "THIDUA_BODY_LIMIT",
				    "THIDUA_BODY_BUFFER_TOTAL",
				    "THIDUA_MAX_CONNECTIONS_PER_ADDRESS",
				    "THIDUA_DB_TCP_USER_TIMEOUT_MS",
				    "THIDUA_AUDIT_VERIFY_INTERVAL_S",
				    NULL };

static int reset(void **state)
{
	(void)state;
	for (size_t i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	setenv("THIDUA_DATABASE_URL", "dbname=x", 1);
	struct config c;
	char err[256];
	assert_true(config_load(&c, err, sizeof err));
	assert_int_equal(c.port, 8080);
	assert_string_equal(c.listen_address, "127.0.0.1");
	assert_int_equal(c.db_prepared, DB_PREPARED_ON);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_int_equal(c.body_limit, 10485760);
	assert_int_equal(c.json_body_limit, 1048576);
	assert_string_equal(c.cors_origins, "");
	/* hostile clients and a broken network (issue 10) */
	assert_int_equal(c.max_connections_per_address, 256);
	assert_int_equal(c.idle_timeout_s, 60);
	assert_int_equal(c.head_timeout_s, 10);
	assert_int_equal(c.body_timeout_s, 30);
	assert_int_equal(c.body_min_rate, 8192);
	assert_int_equal(c.body_buffer_total, 64 << 20);
	assert_int_equal(c.db_tcp_user_timeout_ms, 5000);
	assert_int_equal(c.db_keepalive_idle_s, 5);
	/* the audit chains verified hourly (issue 15 §5) */
	assert_int_equal(c.audit_verify_interval_s, 3600);
	config_free(&c);
}

static void test_body_budget_above_body_limit(void **state)
{
	(void)state;
	setenv("THIDUA_DATABASE_URL", "dbname=x", 1);
	setenv("THIDUA_BODY_LIMIT", "1000", 1);
	setenv("THIDUA_BODY_BUFFER_TOTAL", "1000", 1);
	struct config c;
	char err[256] = "";
	/* a chunked body of the largest size holds the limit and one byte */
	assert_false(config_load(&c, err, sizeof err));
	assert_non_null(strstr(err, "THIDUA_BODY_BUFFER_TOTAL (1000) must be larger than "
				    "THIDUA_BODY_LIMIT (1000)"));
	config_free(&c);
	setenv("THIDUA_BODY_BUFFER_TOTAL", "1001", 1);
	setenv("THIDUA_MAX_CONNECTIONS_PER_ADDRESS", "0", 1);
	setenv("THIDUA_DB_TCP_USER_TIMEOUT_MS", "0", 1);
	assert_true(config_load(&c, err, sizeof err));
	assert_int_equal(c.max_connections_per_address, 0); /* no limit */
	assert_int_equal(c.db_tcp_user_timeout_ms, 0); /* the system's */
	config_free(&c);
}

static void test_missing_url(void **state)
{
	(void)state;
	struct config c;
	char err[256];
	assert_false(config_load(&c, err, sizeof err));
	assert_non_null(strstr(err, "THIDUA_DATABASE_URL is required"));
	assert_null(strchr(err, '\n'));
	config_free(&c);
}

struct bad {
	const char *var, *value, *expect;
};

static void test_bad_values(void **state)
{
	(void)state;
	static const struct bad rows[] = {
		{ "THIDUA_PORT", "0", "THIDUA_PORT: expected a whole number from 1 to 65535" },
		{ "THIDUA_PORT", "70000", "THIDUA_PORT" },
		{ "THIDUA_PORT", "80a", "THIDUA_PORT" },
		{ "THIDUA_PORT", "-1", "THIDUA_PORT" },
		{ "THIDUA_PORT", "", "THIDUA_PORT" },
		{ "THIDUA_LOG_LEVEL", "loud", "THIDUA_LOG_LEVEL: invalid value \"loud\"" },
		{ "THIDUA_DB_PREPARED", "maybe", "THIDUA_DB_PREPARED" },
		{ "THIDUA_DB_PREPARED", "pool", "THIDUA_DB_PREPARED: invalid value \"pool\"" },
		{ "THIDUA_LISTEN_ADDRESS", "localhost", "THIDUA_LISTEN_ADDRESS" },
		{ "THIDUA_BODY_LIMIT", "99999999999999999999", "THIDUA_BODY_LIMIT" },
		{ "THIDUA_AUDIT_VERIFY_INTERVAL_S", "604801",
		  "THIDUA_AUDIT_VERIFY_INTERVAL_S: expected a whole number from 0 to 604800" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		reset(NULL);
		setenv("THIDUA_DATABASE_URL", "dbname=x", 1);
		setenv(rows[i].var, rows[i].value, 1);
		struct config c;
		char err[256] = "";
		if (config_load(&c, err, sizeof err))
			fail_msg("%s=%s accepted", rows[i].var, rows[i].value);
		if (!strstr(err, rows[i].expect))
			fail_msg("%s=%s: error \"%s\"", rows[i].var, rows[i].value, err);
		config_free(&c);
	}
}

static void test_good_values(void **state)
{
	(void)state;
	setenv("THIDUA_DATABASE_URL", "dbname=x", 1);
	setenv("THIDUA_PORT", "9000", 1);
	setenv("THIDUA_LOG_LEVEL", "WARN", 1);
	setenv("THIDUA_DB_PREPARED", "off", 1);
	setenv("THIDUA_LISTEN_ADDRESS", "::1", 1);
	setenv("THIDUA_AUDIT_VERIFY_INTERVAL_S", "0", 1); /* no periodic verification */
	struct config c;
	char err[256];
	assert_true(config_load(&c, err, sizeof err));
	assert_int_equal(c.port, 9000);
	assert_int_equal(c.audit_verify_interval_s, 0);
	assert_int_equal(c.log_level, LOG_WARN);
	assert_int_equal(c.db_prepared, DB_PREPARED_OFF);
	assert_string_equal(c.listen_address, "::1");
	config_free(&c);
	/* the third mode, for PgBouncer in transaction mode (db.c: run_shared) */
	setenv("THIDUA_DB_PREPARED", "Pooled", 1);
	assert_true(config_load(&c, err, sizeof err));
	assert_int_equal(c.db_prepared, DB_PREPARED_POOLED);
	config_free(&c);
}

static void test_secret_file(void **state)
{
	(void)state;
	char path[] = "/tmp/thidua-secret-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char content[] = "postgresql://u:s3cret@h/db\n";
	assert_int_equal(write(fd, content, sizeof content - 1), sizeof content - 1);
	close(fd);
	setenv("THIDUA_DATABASE_URL_FILE", path, 1);
	struct config c;
	char err[256];
	assert_true(config_load(&c, err, sizeof err));
	assert_string_equal(c.database_url, "postgresql://u:s3cret@h/db");
	config_free(&c);
	/* both set is ambiguous, and the error must not print the secret */
	setenv("THIDUA_DATABASE_URL", "postgresql://u:other@h/db", 1);
	assert_false(config_load(&c, err, sizeof err));
	assert_null(strstr(err, "s3cret"));
	assert_null(strstr(err, "other"));
	config_free(&c);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, reset),
		cmocka_unit_test_setup(test_missing_url, reset),
		cmocka_unit_test_setup(test_bad_values, reset),
		cmocka_unit_test_setup(test_good_values, reset),
		cmocka_unit_test_setup(test_secret_file, reset),
		cmocka_unit_test_setup(test_body_budget_above_body_limit, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
