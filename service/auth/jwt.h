/*
 * jwt.h — access tokens: issue and verify JWS compact tokens (RFC 7515/7519,
 * the RFC 9068 profile) with ES256 or RS256, safely.
 *
 * Why not libjwt 1.10 alone: given no key it takes `alg: none`, it computes
 * an HS256 MAC with whatever key bytes it is handed (so an RSA/EC public key
 * PEM becomes a forger's HMAC secret), it checks no claim at all, and its
 * jwt_decode() refuses any `typ` other than "JWT" — so it cannot verify an
 * RFC 9068 `typ: at+jwt` token in the first place, and jwt_encode_str()
 * overwrites the typ we set.  This module therefore does the JOSE work itself
 * on OpenSSL 3 EVP: every key is bound to one kid and one algorithm; the
 * header is parsed first only to pick that key (allow-list ES256, RS256), the
 * signature is checked with the key's public half only, and only then are the
 * claims read and checked (exp, nbf, iat, iss, aud, sub, jti).
 *
 * What it does not do: no revocation (jti lists), no key fetching (no URL in
 * a token is ever followed: jku, x5u, jwk headers are ignored), no JWE.
 *
 * Threads: a keyring is built at start (jwt_keyring_new, then
 * jwt_keyring_add_public), then only read; jwt_issue_new, jwt_verify and
 * jwt_keyring_jwks_new may run concurrently on the same ring.
 */
#ifndef THIDUA_AUTH_JWT_H
#define THIDUA_AUTH_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/alg.h"

/* Tokens longer than this are rejected unread (bytes). */
#define JWT_MAX_TOKEN_LEN 8192

struct jwt_keyring; /* opaque */

struct jwt_rules { /* what a valid token must say */
	const char *issuer; /* exact match of iss; required */
	const char *audience; /* aud string equal, or aud array containing it; required */
	const char *typ; /* expected "typ" header, e.g. "at+jwt"; NULL: not checked */
	unsigned leeway_s; /* clock skew allowed on exp/nbf/iat, e.g. 30 */
	bool require_kid; /* false only for an external issuer with one key */
};

/*
 * A keyring with one signing key: an EC P-256 private key in a PEM file
 * (PKCS#8 or SEC1, unencrypted), used with ES256 under kid.  If
 * private_key_path is NULL, generates an ephemeral P-256 key (tokens then die
 * with the process; the caller logs a warning).  kid: 1 to 128 printable
 * ASCII characters other than space, '"' and '\'.  Returns a new keyring
 * (jwt_keyring_free), or NULL with a message in err (errlen bytes, may be 0).
 */
struct jwt_keyring *jwt_keyring_new(const char *private_key_path, const char *kid, char *err,
				    size_t errlen);

/*
 * Adds a verification-only public key (PEM file, SubjectPublicKeyInfo,
 * "BEGIN PUBLIC KEY") under kid, bound to alg: the previous signing key
 * during rotation, or the province SSO's key.  ES256 needs an EC P-256 key,
 * RS256 an RSA key of at least 2048 bits.  kid must be new in the ring.
 * Only a key added here may match a token without kid (see jwt_verify).
 * False with a message in err on any failure; the ring is then unchanged.
 * Not thread-safe: call before the ring is shared.
 */
bool jwt_keyring_add_public(struct jwt_keyring *kr, const char *public_key_path, const char *kid,
			    enum jwt_alg_id alg, char *err, size_t errlen);

/* Frees the ring and its keys; NULL is a no-op. */
void jwt_keyring_free(struct jwt_keyring *kr);

/*
 * RFC 7517 JWK Set of every public key in the ring, signing key first:
 * {"keys":[{"kty":"EC","crv":"P-256","x","y","kid","alg","use":"sig"},
 * {"kty":"RSA","n","e",...}]}.  Never contains private material.
 * New reference (json_decref), or NULL when out of memory.
 */
json_t *jwt_keyring_jwks_new(const struct jwt_keyring *kr);

/*
 * Signs claims (borrowed; a JSON object: sub, org, roles, unit, scope...
 * whatever the caller puts) after adding, over any value the caller gave
 * them: iss = rules->issuer, aud = rules->audience, iat = nbf = now,
 * exp = now + ttl_s, jti = 128 random bits as 32 hex digits (also written,
 * NUL-terminated, to jti_out).  Headers: alg ES256, kid of the signing key,
 * typ = rules->typ when not NULL.  now: seconds since the Unix epoch.
 * Returns a new string (free()), or NULL on bad arguments or failure.
 */
char *jwt_issue_new(const struct jwt_keyring *kr, const struct jwt_rules *rules,
		    const json_t *claims, int64_t now, unsigned ttl_s, char jti_out[33]);

enum jwt_verdict {
	JWT_VALID,
	JWT_MALFORMED, /* not a JWS compact token we can read, or bad JSON */
	JWT_ALG_REJECTED, /* alg not ES256/RS256, or not the alg bound to the key */
	JWT_UNKNOWN_KID, /* no key for this kid (or no kid where one is required) */
	JWT_BAD_SIGNATURE,
	JWT_EXPIRED,
	JWT_NOT_YET_VALID, /* nbf, or iat, in the future beyond the leeway */
	JWT_WRONG_ISSUER,
	JWT_WRONG_AUDIENCE,
	JWT_WRONG_TYPE, /* typ header is not rules->typ */
	JWT_MISSING_CLAIM, /* exp, iss, aud, sub or jti absent (or sub/jti empty) */
};

/*
 * Verifies token at time now (seconds since the Unix epoch), in this order:
 * length (JWT_MAX_TOKEN_LEN) and shape (three base64url parts, no padding);
 * header: alg on the allow-list, key by kid, alg equal to the key's, typ;
 * signature with the key's public half; then the claims: exp required and an
 * integer, now <= exp + leeway; nbf if present now >= nbf - leeway; iat if
 * present at most leeway in the future; iss; aud; sub and jti non-empty
 * strings.  A token without kid, when rules->require_kid is false, is matched
 * to the one key added with jwt_keyring_add_public for its alg, if there is
 * exactly one.  Every failure fails closed with a verdict other than
 * JWT_VALID.  On JWT_VALID *payload (if payload is not NULL) receives the
 * claims (new reference); otherwise it is set to NULL.
 */
enum jwt_verdict jwt_verify(const struct jwt_keyring *kr, const struct jwt_rules *rules,
			    const char *token, int64_t now, json_t **payload);

/* Short English text of v, for WWW-Authenticate error_description (no quotes
 * or backslashes).  Static string. */
const char *jwt_verdict_text(enum jwt_verdict v);

#endif
