/*
 * fuzz_inputs.c — libFuzzer target for the parsers that read untrusted bytes
 * before any handler runs: the route matcher (percent-decoding of path
 * segments), the query string parser, the X-Request-Id check, the
 * Content-Type check, the CORS allow-list match, strict date parsing, the
 * conditional request's entity tags and dates (which /public/v1 reads from
 * strangers), the token endpoint's form (application/x-www-form-urlencoded), the public's proof of work (the Thidua-Proof header), and the council ballot's hex and group elements, which a
 * stranger sends without logging in.  Every input goes through all of them; the
 * sanitizers turn any overflow or UB into a crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "domain/calendar.h"
#include <sodium.h>

#include "answers/lang.h"
#include "auth/ballot.h"
#include "auth/proof.h"
#include "domain/csv.h"
#include "http/conditional.h"
#include "http/dispatch.h"
#include "http/form.h"
#include "http/proxy.h"
#include "http/query.h"
#include "http/router.h"

static void h(struct call *c)
{
	(void)c;
}

static const struct route routes[] = {
	{ "GET", "/healthz", h, "public", BODY_NONE, NULL },
	{ "GET", "/v1/plans/{id}", h, "plan.read", BODY_NONE, NULL },
	{ "POST", "/v1/plans/{id}/issue", h, "plan.issue", BODY_NONE, NULL },
	{ "GET", "/v1/units/{a}/staff/{b}/x/{c}/y/{d}/z/{e}/w/{f}/v/{g}/u/{h}/t/{i}", h, "x",
	  BODY_NONE, NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* C strings stop at the first NUL, as they do from MHD */

	const struct route *r;
	struct path_params pp;
	char allow[64];
	static const char *const methods[] = { "GET", "HEAD", "POST", "DELETE" };
	enum match_result m = router_match(routes, sizeof routes / sizeof routes[0],
					   methods[size % 4], s, &r, &pp, allow, sizeof allow);
	if (m == MATCH_FOUND)
		for (size_t i = 0; i < pp.count; i++)
			if (strlen(pp.values[i]) >= ROUTER_MAX_SEGMENT)
				abort();
	/* the token endpoint's form, the raw bytes (NULs included): what it
	 * yields is an object of UTF-8 strings, or nothing */
	const char *why = NULL;
	json_t *form = form_parse((const char *)data, size, &why);
	if (form) {
		const char *k;
		json_t *v;
		json_object_foreach(form, k, v) if (!json_is_string(v) ||
						    !utf8_valid(k, strlen(k), NULL)) abort();
		json_decref(form);
	} else if (!why) {
		abort();
	}
	struct _u_map *query;
	struct query_problem qp;
	query_parse(s, &query, &qp);
	if (query) {
		/* what a handler may read: at most the limit, every name and value UTF-8 */
		const char **keys = u_map_enum_keys(query);
		int n = u_map_count(query);
		if (n > QUERY_MAX_PARAMS)
			abort();
		for (int i = 0; i < n; i++) {
			const char *v = u_map_get(query, keys[i]);
			if (!utf8_valid(keys[i], strlen(keys[i]), NULL) || !v ||
			    !utf8_valid(v, strlen(v), NULL))
				abort();
		}
		u_map_clean_full(query);
	}
	/* forwarding headers from behind a trusted proxy: the client named is
	 * an address of the family named */
	static struct proxy_trust pt;
	if (!pt.n) {
		char perr[200];
		if (!proxy_trust_parse(&pt, "127.0.0.1,10.0.0.0/8,fd00::/8", perr, sizeof perr))
			abort();
	}
	struct proxy_addr peer = { .family = AF_INET, .addr = { 127, 0, 0, 1 } };
	struct proxy_addr who = proxy_client(&pt, &peer, NULL, s);
	struct proxy_addr who2 = proxy_client(&pt, &peer, s, NULL);
	if ((who.family != AF_INET && who.family != AF_INET6) ||
	    (who2.family != AF_INET && who2.family != AF_INET6))
		abort();
	(void)request_id_valid(s);
	(void)lang_negotiate(s); /* Accept-Language */
	(void)media_type_is_json(s);
	(void)cors_origin_allowed(s, "https://portal.example");
	(void)cors_origin_allowed("https://a.example, https://b.example", s);
	(void)http_etag_matches(s, "\"0123456789abcdef0123456789abcdef\"");
	time_t t;
	if (http_date_parse(s, &t)) {
		/* a date read back is the date written */
		char out[HTTP_DATE_LEN];
		time_t again;
		http_date_format(t, out);
		if (!http_date_parse(out, &again) || again != t)
			abort();
	}
	(void)rfc3339_parse(s, &t);
	/* a stranger's proof of work: nothing but our shape is read, and
	 * what checks here is nothing a fuzzer can forge */
	static const struct proof_key pk = { { 7 } };
	unsigned char digest[32];
	int64_t expires;
	if (sodium_init() >= 0 && proof_check(&pk, 0, 0, s, digest, &expires) == PROOF_OK)
		abort();
	/* a ballot's token and evaluation (64 hex digits each), and a member's
	 * blinded element, under a fixed key */
	static unsigned char secret[BALLOT_BYTES], key[BALLOT_BYTES];
	static bool keyed;
	if (!keyed && sodium_init() >= 0) {
		ballot_keypair(secret, key);
		keyed = true;
	}
	unsigned char bytes[BALLOT_BYTES], z[BALLOT_BYTES];
	if (ballot_hex_decode(s, bytes)) {
		if (ballot_check(secret, (int64_t)size, bytes, bytes))
			abort(); /* a forgery would have to know the key */
		(void)ballot_evaluate(secret, bytes, z);
	}
	struct civil_date d;
	if (civil_date_parse(s, &d) && (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31))
		abort();
	free(s);
	return 0;
}
