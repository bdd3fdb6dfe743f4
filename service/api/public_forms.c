/*
 * public_forms.c — what the public sends without a token: complaints,
 * denunciations and petitions (POST /public/v1/{org}/cases), feedback on
 * a disclosed candidate (POST /public/v1/{org}/disclosures/{id}/feedback),
 * and the challenge of the proof of work that may guard both (GET
 * /public/v1/{org}/challenge).
 *
 * Bounded before the database is written: the body is at most what a
 * route without a token takes (64 KiB) and every member is bounded; when
 * THIDUA_PUBLIC_PROOF_BITS is set, a proof of work (auth/proof.h) in the
 * Thidua-Proof header, each challenge spent once; and one address (an
 * IPv6 /64) sends at most THIDUA_PUBLIC_CASES_PER_DAY cases and
 * THIDUA_PUBLIC_FEEDBACK_PER_DAY pieces of feedback a Vietnamese day
 * (429 with Retry-After until midnight there).  The address is kept only
 * in the quota table, purged by housekeeping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers/registry.h"
#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/proof.h"
#include "http/problem.h"
#include "http/validate.h"
#include "store/cases.h"
#include "store/disclosures.h"

#define PROOF_TTL_S 600
#define PROOF_HEADER "Thidua-Proof"

/* A proof checked before the database: `asked` when one was required. */
struct proof {
	bool asked;
	unsigned char digest[32];
	int64_t expires;
};

static bool proof_or_answer(struct call *c, struct proof *p)
{
	static const char *const codes[] = {
		[PROOF_MALFORMED] = "public-proof-malformed",
		[PROOF_FORGED] = "public-proof-forged",
		[PROOF_EXPIRED] = "public-proof-expired",
		[PROOF_WEAK] = "public-proof-weak",
	};
	unsigned bits = c->app->cfg->public_proof_bits;
	p->asked = bits > 0;
	p->expires = 0;
	if (!p->asked)
		return true;
	const char *h = call_req_header(c, PROOF_HEADER);
	const char *code = "public-proof-missing";
	if (h) {
		enum proof_result pr = proof_check(&c->app->proof_key, bits, (int64_t)time(NULL), h,
						   p->digest, &p->expires);
		if (pr == PROOF_OK)
			return true;
		code = codes[pr];
	}
	json_t *args = json_pack("{s:I}", "bits", (json_int_t)bits);
	call_problem(c, problem_from_message(message_find(code), "/header/thidua-proof", args));
	json_decref(args);
	return false;
}

/* What a write of the public needs once its body is valid: the proof
 * checked, the body as text (owned), a connection, and the key of the
 * client's address in the quota (prefix: which quota). */
struct public_write {
	struct proof proof;
	char *body;
	struct db *db;
	char key[80];
};

static bool public_write_begin(struct call *c, struct validation *v, const char *prefix,
			       struct public_write *pw)
{
	pw->body = NULL;
	if (!api_valid_or_answer(c, v) || !proof_or_answer(c, &pw->proof) ||
	    !(pw->body = api_json_text_or_answer(c, c->body)) || !(pw->db = api_db_or_answer(c))) {
		free(pw->body);
		return false;
	}
	char ip[64];
	call_client_address(c, ip, sizeof ip);
	snprintf(pw->key, sizeof pw->key, "%s:%s", prefix, ip);
	return true;
}

/* A write's answer; a quota refused (quota_code) says when the day ends
 * in Vietnam, when the quota is renewed. */
static void answer_public_write(struct call *c, struct write_result *r, const char *quota_code)
{
	if (r->outcome == WRITE_REFUSED && strcmp(r->code, quota_code) == 0) {
		char wait[16];
		snprintf(wait, sizeof wait, "%ld",
			 86400L - (long)((time(NULL) + 7L * 3600L) % 86400));
		call_set_header(c, "Retry-After", wait);
	}
	api_answer_write(c, r, "");
}

/* GET /public/v1/{org}/challenge: a challenge to work on, never cached;
 * bits 0 when none is asked (a client may still send one). */
void public_challenge(struct call *c)
{
	if (!api_org_code_or_answer(c))
		return;
	unsigned bits = c->app->cfg->public_proof_bits;
	char challenge[PROOF_CHALLENGE_MAX];
	int64_t now = (int64_t)time(NULL);
	proof_challenge(&c->app->proof_key, bits, now, PROOF_TTL_S, challenge);
	json_t *doc = json_pack("{s:s, s:I, s:b, s:I, s:s, s:s, s:s}", "challenge", challenge,
				"bits", (json_int_t)bits, "required", bits > 0, "expires_in",
				(json_int_t)PROOF_TTL_S, "algorithm", "sha-256-leading-zero-bits",
				"header", PROOF_HEADER, "format", "<challenge>:<counter>");
	call_set_header(c, "Cache-Control", "no-store");
	call_json(c, 200, doc);
}

/* POST /public/v1/{org}/cases: a complaint, denunciation or petition from
 * anyone, without a token.  Bounded before it reaches the Office: the
 * body is at most what a route without a token takes (64 KiB), every
 * member is bounded, and one address lodges at most
 * THIDUA_PUBLIC_CASES_PER_DAY a day (429 beyond).  The answer is a
 * receipt: the reference to quote and the day the Office must accept or
 * refuse it by. */
void public_case_lodge(struct call *c)
{
	static const char *const fields[] = { "kind",	     "summary",	       "about", "decision",
					      "lodger_name", "lodger_contact", NULL };
	const char *code = api_org_code_or_answer(c);
	if (!code)
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_enum(&v, "kind", true, lodged_case_kinds, &s);
	field_nonblank_text(&v, "summary", true, 5000, &s);
	if (api_field_given(&v, "about"))
		field_string(&v, "about", false, 0, 500, &s);
	if (api_field_given(&v, "decision") && field_string(&v, "decision", false, 1, 30, &s) &&
	    (strncmp(s, "decision-", 9) != 0 || !s[9] || s[9 + strspn(s + 9, "0123456789")]))
		validation_fail(&v, "decision",
				"must be the id of a published decision "
				"(decision-12)");
	if (api_field_given(&v, "lodger_name"))
		field_string(&v, "lodger_name", false, 0, 200, &s);
	if (api_field_given(&v, "lodger_contact"))
		field_string(&v, "lodger_contact", false, 0, 300, &s);
	struct public_write pw;
	if (!public_write_begin(c, &v, "ip", &pw))
		return;
	struct write_result r;
	store_case_lodge_public(pw.db, code, pw.key, c->app->cfg->public_cases_per_day, pw.body,
				api_today(), pw.proof.asked ? pw.proof.digest : NULL,
				pw.proof.expires, c->request_id, &r);
	free(pw.body);
	answer_public_write(c, &r, "public-case-quota");
}

/* POST /public/v1/{org}/disclosures/{id}/feedback: anyone's word on a
 * candidate of an open list; a name and a contact when the list asks
 * for them.  The answer is a receipt. */
void public_disclosure_feedback(struct call *c)
{
	static const char *const fields[] = { "position", "body", "author_name", "author_contact",
					      NULL };
	const char *code = api_org_code_or_answer(c);
	int64_t id;
	if (!code || !api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t n;
	field_int(&v, "position", true, 1, 100000, &n);
	field_nonblank_text(&v, "body", true, 5000, &s);
	if (api_field_given(&v, "author_name"))
		field_string(&v, "author_name", false, 0, 200, &s);
	if (api_field_given(&v, "author_contact"))
		field_string(&v, "author_contact", false, 0, 300, &s);
	struct public_write pw;
	if (!public_write_begin(c, &v, "feedback", &pw))
		return;
	struct public_feedback f = {
		.code = code,
		.disclosure_id = id,
		.address_key = pw.key,
		.per_day = c->app->cfg->public_feedback_per_day,
		.fields = pw.body,
		.proof = pw.proof.asked ? pw.proof.digest : NULL,
		.expires = pw.proof.expires,
		.today = api_today(),
		.request_id = c->request_id,
	};
	struct write_result r;
	store_disclosure_feedback_post(pw.db, &f, &r);
	free(pw.body);
	answer_public_write(c, &r, "public-feedback-quota");
}
