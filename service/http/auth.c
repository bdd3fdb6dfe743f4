/*
 * auth.c — deny-by-default authorization hook (see auth.h).
 *
 * No verifier is configured yet, so every non-public route answers 401 with
 * the RFC 6750 challenge.  This is the single place the token wrapper and
 * the permission table will plug into.
 */
#include "http/auth.h"

#include <string.h>

bool auth_check(struct call *c, struct problem **p)
{
	if (strcmp(c->route->permission, PERM_PUBLIC) == 0)
		return true;
	const char *authz = call_req_header(c, "Authorization");
	if (!authz) {
		call_set_header(c, "WWW-Authenticate", "Bearer realm=\"thidua\"");
		*p = problem_new(401, "unauthorized", "Unauthorized",
				 "This operation needs a bearer token.");
		return false;
	}
	call_set_header(c, "WWW-Authenticate",
			"Bearer realm=\"thidua\", error=\"invalid_token\", "
			"error_description=\"token not accepted\"");
	*p = problem_new(401, "unauthorized", "Unauthorized", "The bearer token was not accepted.");
	return false;
}
