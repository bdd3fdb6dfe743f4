"""PgBouncer's metrics for Prometheus: Debian's prometheus-pgbouncer-exporter
(1.7), started with two corrections for bookworm's PgBouncer (1.18).

- It reads SHOW STATS's column total_requests, which PgBouncer 1.8 renamed
  total_query_count: every scrape failed with KeyError.  The metric keeps the
  exporter's name (pgbouncer_stats_requests_total).
- It opens one connection at start and never another: once PgBouncer
  restarts, every scrape fails ("connection already closed").  Here the
  connection is opened when a scrape needs it and again after it broke.

Run it with Debian's /usr/bin/python3 and the exporter's own options."""

from prometheus_pgbouncer_exporter import cli, collectors, utils

metrics = collectors.StatsCollector.metrics
if "total_requests" in metrics:
    metrics["total_query_count"] = metrics.pop("total_requests")


class Reconnecting:
    """Stands for the exporter's connection: a new one whenever the last is
    closed (a failed scrape closes it)."""

    def __init__(self, *args):
        self.args = args
        self.conn = None

    def cursor(self):
        if self.conn is None or self.conn.closed:
            self.conn = utils.get_connection(*self.args)
        return self.conn.cursor()


cli.get_connection = Reconnecting
cli.main()
