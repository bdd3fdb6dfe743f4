/*
 * disclosures.h — SQL for public disclosure before awards and the
 * public's feedback (migration 0031, db/procedures/disclosures.sql).
 */
#ifndef THIDUA_STORE_DISCLOSURES_H
#define THIDUA_STORE_DISCLOSURES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/cases.h"
#include "store/db.h"
#include "store/write.h"

/* Who reads: `private_` readers (the Office, the admin, the head) see who
 * sent each piece of feedback; cr is the reader a case lodged from
 * feedback needs (cases.h), and its today places the period. */
struct disclosure_reader {
	bool private_;
	struct case_reader cr;
};

/* A page of the organisation's disclosures, newest first, after the id
 * after (0: from the start); one disclosure with its candidates and their
 * feedback.  Each a new JSON string. */
enum db_status store_disclosures(struct db *db, int64_t org_id, int64_t after, long limit,
				 struct civil_date today, char **json);
enum db_status store_disclosure(struct db *db, int64_t org_id, int64_t id,
				const struct disclosure_reader *dr, char **json);

/* Publishes a list (fields as POST /v1/disclosures takes them). */
void store_disclosure_create(const struct writer *w, const char *fields, struct civil_date today,
			     struct write_result *r);
/* Withdraws it (fields: reason), at version. */
void store_disclosure_withdraw(const struct writer *w, int64_t id, int version, const char *fields,
			       struct civil_date today, struct write_result *r);
/* The Office handles a piece of feedback (fields: action, note, kind). */
void store_disclosure_feedback_handle(const struct writer *w, int64_t id, int64_t feedback_id,
				      int version, const char *fields,
				      const struct disclosure_reader *dr, struct write_result *r);

/* Feedback from the public, without a token (see disclosure_feedback_post):
 * proof is the spent proof's digest (NULL: none asked) and expires its
 * challenge's expiry. */
struct public_feedback {
	const char *code; /* the organisation's */
	int64_t disclosure_id;
	const char *address_key;
	unsigned per_day;
	const char *fields;
	const unsigned char *proof; /* 32 bytes, or NULL */
	int64_t expires;
	struct civil_date today;
	const char *request_id;
};
void store_disclosure_feedback_post(struct db *db, const struct public_feedback *f,
				    struct write_result *r);

#endif
