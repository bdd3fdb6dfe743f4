/*
 * webhook_sink: the subscribers of the webhook_fanout scenario, one server
 * for all of them (each subscriber is a path: /s/<n>).  It counts what
 * arrives so that the run can prove nothing was lost or doubled:
 *
 *   POST /s/<n>   204; counted once per (path, webhook-id) and in total
 *   GET /count    200 "<total> <unique>\n"
 *
 * Signatures are not checked here (tests/api/test_webhooks.py checks them
 * with an independent implementation): the scenario measures delivery.
 * Threading mode, port and bind address: see bench_server.h.
 */
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask under -std=c17 */

#include "bench_server.h"

#define SET_BITS 22 /* 4M slots: far more than a run's 100,000 pairs */
#define SET_SIZE (1u << SET_BITS)

static uint64_t *seen; /* 0: empty; else FNV-1a of path and webhook-id */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total, unique;

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Counts (path, id) once; false when the set is full. */
static int count(const char *path, const char *id)
{
	uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL, path), id);
	if (h == 0)
		h = 1;
	int ok = 1;
	pthread_mutex_lock(&lock);
	total++;
	size_t i = (size_t)(h & (SET_SIZE - 1)), probes = 0;
	while (seen[i] && seen[i] != h && probes++ < SET_SIZE)
		i = (i + 1) & (SET_SIZE - 1);
	if (probes >= SET_SIZE)
		ok = 0;
	else if (!seen[i]) {
		seen[i] = h;
		unique++;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

static int on_post(const struct _u_request *req, struct _u_response *res, void *user_data)
{
	(void)user_data;
	const char *id = u_map_get_case(req->map_header, "webhook-id");
	if (!id) {
		ulfius_set_string_body_response(res, 400, "no webhook-id\n");
		return U_CALLBACK_COMPLETE;
	}
	if (!count(req->http_url, id)) {
		ulfius_set_string_body_response(res, 507, "full\n");
		return U_CALLBACK_COMPLETE;
	}
	res->status = 204;
	return U_CALLBACK_COMPLETE;
}

static int on_count(const struct _u_request *req, struct _u_response *res, void *user_data)
{
	(void)req;
	(void)user_data;
	char text[64];
	pthread_mutex_lock(&lock);
	snprintf(text, sizeof text, "%lu %lu\n", total, unique);
	pthread_mutex_unlock(&lock);
	ulfius_set_string_body_response(res, 200, text);
	return U_CALLBACK_COMPLETE;
}

int main(int argc, char **argv)
{
	struct bench_server srv;
	seen = calloc(SET_SIZE, sizeof *seen);
	if (!seen || bench_server_init(&srv, "webhook_sink", argc, argv, 8082) != 0)
		return 1;
	if (ulfius_add_endpoint_by_val(&srv.instance, "POST", "/s/:n", NULL, 0, &on_post, NULL) !=
		    U_OK ||
	    ulfius_add_endpoint_by_val(&srv.instance, "GET", "/count", NULL, 0, &on_count, NULL) !=
		    U_OK) {
		fprintf(stderr, "webhook_sink: ulfius_add_endpoint_by_val failed\n");
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	if (bench_server_start(&srv) != 0) {
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	bench_server_run_until_signal(&srv);
	free(seen);
	return 0;
}
