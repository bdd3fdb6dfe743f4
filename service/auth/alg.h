/*
 * alg.h — the signing algorithms the token modules know (JOSE "alg").
 *
 * A header of its own so that jose.h, the modules' shared internals, and
 * jwt.h, their public face, both name it without including each other.
 */
#ifndef THIDUA_AUTH_ALG_H
#define THIDUA_AUTH_ALG_H

enum jwt_alg_id { TALG_ES256, TALG_RS256 };

#endif
