/*
 * auth.h — the authorization hook every routed request passes through.
 *
 * Deny by default: a route is reachable without credentials only when its
 * permission in the route table is "public".  Every other permission needs a
 * verified caller; token verification and the role/scope decision table are
 * built by the identity work (issue 3) behind this same function, so that no
 * handler ever decides for itself whether a caller may enter.
 */
#ifndef THIDUA_HTTP_AUTH_H
#define THIDUA_HTTP_AUTH_H

#include <stdbool.h>

#include "http/call.h"

#define PERM_PUBLIC "public"

/* True when the caller may run c->route.  Otherwise *p receives the problem
 * (401 with WWW-Authenticate, or 403) for the dispatcher to send. */
bool auth_check(struct call *c, struct problem **p);

#endif
