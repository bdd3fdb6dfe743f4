"""API test: configuration is validated at start; one line, exit status 2."""

import re
import unittest

from harness import ApiTest, main, run_cli, pg_url

ALL_VARS = ["THIDUA_DATABASE_URL", "THIDUA_LISTEN_ADDRESS", "THIDUA_PORT",
            "THIDUA_WORKER_THREADS", "THIDUA_DB_POOL_SIZE", "THIDUA_DB_PREPARED",
            "THIDUA_STATEMENT_TIMEOUT_MS", "THIDUA_BODY_LIMIT", "THIDUA_LOG_LEVEL",
            "THIDUA_SHUTDOWN_DEADLINE_S", "THIDUA_CORS_ORIGINS",
            "THIDUA_AUDIT_VERIFY_INTERVAL_S"]


def clean_env(**kw):
    env = {k: "" for k in ALL_VARS}
    env.pop("THIDUA_DATABASE_URL")
    env.update(kw)
    return env


class ConfigTest(ApiTest):
    def run_bad(self, env):
        import os
        base = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
        base.update(env)
        import subprocess
        from harness import BIN
        return subprocess.run([BIN], env=base, capture_output=True, text=True, timeout=30)

    def assertOneLineExit2(self, out, must_contain):
        self.assertEqual(out.returncode, 2, out.stderr)
        lines = out.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, out.stderr)
        self.assertIn(must_contain, lines[0])

    def test_missing_database_url(self):
        out = self.run_bad({})
        self.assertOneLineExit2(out, "THIDUA_DATABASE_URL is required")

    def test_bad_values(self):
        url = pg_url(self.db)
        cases = [("THIDUA_PORT", "99999"), ("THIDUA_PORT", "http"),
                 ("THIDUA_LOG_LEVEL", "verbose"), ("THIDUA_DB_PREPARED", "perhaps"),
                 ("THIDUA_WORKER_THREADS", "0"), ("THIDUA_BODY_LIMIT", "-1"),
                 ("THIDUA_LISTEN_ADDRESS", "example.com"),
                 ("THIDUA_TRUSTED_PROXIES", "haproxy.local"),
                 ("THIDUA_TRUSTED_PROXIES", "10.0.0.0/33"),
                 ("THIDUA_AUDIT_VERIFY_INTERVAL_S", "hourly")]
        for var, value in cases:
            with self.subTest(var=var, value=value):
                out = self.run_bad({"THIDUA_DATABASE_URL": url, var: value})
                self.assertOneLineExit2(out, var)

    def test_secret_not_echoed(self):
        out = self.run_bad({"THIDUA_DATABASE_URL": "postgresql://u:pw-s3cret@h/db",
                            "THIDUA_DATABASE_URL_FILE": "/nonexistent"})
        self.assertEqual(out.returncode, 2)
        self.assertNotIn("pw-s3cret", out.stderr + out.stdout)

    def test_help_lists_every_variable_with_default(self):
        out = run_cli(["--help"])
        self.assertEqual(out.returncode, 0)
        for var in ALL_VARS:
            self.assertRegex(out.stdout, re.escape(var) + r"\s+default: ")

    def test_unknown_command(self):
        out = run_cli(["frobnicate"])
        self.assertEqual(out.returncode, 2)

    def test_version(self):
        out = run_cli(["--version"])
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r"^thidua \d+\.\d+\.\d+ ")


if __name__ == "__main__":
    main()
