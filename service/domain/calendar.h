/*
 * calendar.h — the legal calendar: days as Vietnam counts them.
 *
 * Deadlines, periods and the dates of decisions are calendar days in
 * Asia/Ho_Chi_Minh (UTC+7 all year; Vietnam has kept no daylight saving
 * time since 1975), whatever time zone the server runs in.  Pure functions.
 */
#ifndef THIDUA_DOMAIN_CALENDAR_H
#define THIDUA_DOMAIN_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct civil_date {
	int year;
	int month; /* 1..12 */
	int day; /* 1..31 */
};

#define VN_UTC_OFFSET_S ((int64_t)7 * 3600)

/* The calendar day in Vietnam at the instant t (seconds since the epoch). */
struct civil_date vn_date_of(int64_t t);

/* Days since 1970-01-01 of a valid date (proleptic Gregorian). */
int64_t civil_days(struct civil_date d);

/* Parses "YYYY-MM-DD" strictly (real dates only); false otherwise. */
bool civil_date_parse(const char *s, struct civil_date *out);

/* The instant (seconds since the epoch) day d ends in Vietnam: 00:00 of
 * the next day, UTC+7. */
int64_t vn_day_end(struct civil_date d);

/* True when a deadline on day `deadline` has passed at instant t:
 * the whole of the deadline day counts, in Vietnam's time. */
bool vn_deadline_passed(struct civil_date deadline, int64_t t);

/* The date of an administrative document in words, as Decree 30/2020
 * (Appendix I) writes it: "ngày 05 tháng 02 năm 2022", "ngày 30 tháng 12
 * năm 2022" — days below 10 and the months January and February with a
 * leading zero, other months without. */
#define VN_DOC_DATE_LEN 40
const char *vn_document_date(char out[VN_DOC_DATE_LEN], struct civil_date d);

#endif
