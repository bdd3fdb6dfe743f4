/*
 * hello: the smallest possible ulfius + jansson server, used as the
 * baseline for the service's cheap endpoints (e.g. GET /healthz).
 *
 *   GET /hello  ->  200 {"status":"ok"}
 *
 * Threading mode, port and bind address: see bench_server.h.
 */
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask under -std=c17 */

#include <jansson.h>

#include "bench_server.h"

static int callback_hello(const struct _u_request *request, struct _u_response *response,
			  void *user_data)
{
	(void)request;
	(void)user_data;
	/* Build and serialise a json_t per request, as a real handler would. */
	json_t *body = json_pack("{ss}", "status", "ok");
	if (body == NULL) {
		return U_CALLBACK_ERROR;
	}
	int rc = ulfius_set_json_body_response(response, 200, body);
	json_decref(body);
	return rc == U_OK ? U_CALLBACK_COMPLETE : U_CALLBACK_ERROR;
}

int main(int argc, char **argv)
{
	struct bench_server srv;
	if (bench_server_init(&srv, "hello", argc, argv, 8081) != 0) {
		return 1;
	}
	if (ulfius_add_endpoint_by_val(&srv.instance, "GET", "/hello", NULL, 0, &callback_hello,
				       NULL) != U_OK) {
		fprintf(stderr, "hello: ulfius_add_endpoint_by_val failed\n");
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	if (bench_server_start(&srv) != 0) {
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	bench_server_run_until_signal(&srv);
	return 0;
}
