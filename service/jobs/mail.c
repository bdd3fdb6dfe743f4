/*
 * mail.c — the queued e-mails, sent with libcurl's SMTP (see mail.h).
 *
 * A message is plain UTF-8 text: its subject encoded as RFC 2047 asks
 * (base64), its lines ended by CRLF; libcurl adds the dot-stuffing SMTP
 * needs.  The relay is the operator's (a setting, not something an
 * administrator types), so no address check applies to it.
 */
#include "jobs/mail.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/log.h"
#include "store/db.h"
#include "store/webhooks.h"

/* The lease of a claimed message outlives its sending by this much. */
#define LEASE_SLACK_S 5

/* The whole message (headers and body, CRLF line ends); NULL when out of
 * memory. */
static char *message_text(const struct email_job *j, const char *from)
{
	size_t slen = strlen(j->subject), blen = strlen(j->body);
	size_t b64len = sodium_base64_ENCODED_LEN(slen, sodium_base64_VARIANT_ORIGINAL);
	char *subject = malloc(b64len);
	char *body = malloc(2 * blen + 3);
	if (!subject || !body) {
		free(subject);
		free(body);
		return NULL;
	}
	sodium_bin2base64(subject, b64len, (const unsigned char *)j->subject, slen,
			  sodium_base64_VARIANT_ORIGINAL);
	size_t k = 0;
	for (size_t i = 0; i < blen; i++) {
		if (j->body[i] == '\n' && (i == 0 || j->body[i - 1] != '\r'))
			body[k++] = '\r';
		body[k++] = j->body[i];
	}
	body[k] = '\0';
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	char *text = NULL;
	if (asprintf(&text,
		     "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: =?UTF-8?B?%s?=\r\n"
		     "Message-ID: <%s@thidua>\r\nMIME-Version: 1.0\r\n"
		     "Content-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n%s",
		     date, from, j->recipient, subject, j->message_id, body) < 0)
		text = NULL;
	free(subject);
	free(body);
	return text;
}

struct upload {
	const char *text;
	size_t left;
};

static size_t read_upload(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->text, k);
	u->text += k;
	u->left -= k;
	return k;
}

/* Sends one message; NULL when the relay took it, else why not (err). */
static const char *send_one(CURL *curl, const struct mail_options *o, const struct email_job *j,
			    char *err, size_t errlen)
{
	char *text = message_text(j, o->from);
	if (!text)
		return "out of memory";
	struct curl_slist *rcpt = curl_slist_append(NULL, j->recipient);
	struct upload up = { text, strlen(text) };
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, o->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
	/* STARTTLS when the relay offers it; smtps:// is TLS from the start */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, o->from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	if (o->user && *o->user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	CURLcode rc = rcpt ? curl_easy_perform(curl) : CURLE_OUT_OF_MEMORY;
	curl_slist_free_all(rcpt);
	free(text);
	if (rc == CURLE_OK)
		return NULL;
	long code = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (code)
		snprintf(err, errlen, "SMTP %ld: %s", code, curl_easy_strerror(rc));
	else
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
	return err;
}

size_t mail_round(struct pool *pool, const struct mail_options *o, int batch)
{
	if (!o->url || !*o->url)
		return 0;
	enum db_status st;
	struct db *db = pool_acquire(pool, &st);
	if (!db)
		return 0;
	struct email_job *jobs = NULL;
	size_t n = 0;
	int lease = (int)((o->timeout_ms + 999) / 1000) * batch + LEASE_SLACK_S;
	st = store_email_claim(db, batch, lease, &jobs, &n);
	pool_release(pool, db);
	if (st != DB_OK || n == 0) {
		store_email_jobs_free(jobs, n);
		return 0;
	}
	struct email_outcome *out = calloc(n, sizeof *out);
	char(*errs)[128] = calloc(n, sizeof *errs);
	CURL *curl = curl_easy_init();
	if (out && errs && curl) {
		for (size_t i = 0; i < n; i++) {
			out[i].id = jobs[i].id;
			out[i].error = send_one(curl, o, &jobs[i], errs[i], sizeof errs[i]);
		}
		db = pool_acquire(pool, &st);
		if (db) {
			st = store_email_record(db, out, n, (int)o->max_attempts,
						(int)o->retry_base_ms);
			pool_release(pool, db);
		}
		if (st != DB_OK)
			log_msgf(
				LOG_WARN,
				"mail: %zu outcomes not recorded; sent again when their leases end",
				n);
	}
	if (curl)
		curl_easy_cleanup(curl);
	free(errs);
	free(out);
	store_email_jobs_free(jobs, n);
	return n;
}
