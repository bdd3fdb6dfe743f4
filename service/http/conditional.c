/*
 * conditional.c — entity tags and HTTP dates (see conditional.h).
 */
#include "http/conditional.h"

#include <stdio.h>
#include <string.h>

/* The next entity tag of a list at *p: its opaque part (quotes included)
 * as [start, start + len); false at the end or on a malformed one. */
static bool next_tag(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (!*s)
		return false;
	if (s[0] == 'W' && s[1] == '/')
		s += 2;
	if (*s != '"')
		return false;
	const char *end = strchr(s + 1, '"');
	if (!end)
		return false;
	*start = s;
	*len = (size_t)(end + 1 - s);
	s = end + 1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s && *s != ',')
		return false;
	*p = s;
	return true;
}

bool http_etag_matches(const char *if_none_match, const char *etag)
{
	if (!if_none_match || !etag)
		return false;
	const char *p = if_none_match;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strcmp(p, "*") == 0)
		return true;
	size_t want = strlen(etag);
	const char *start;
	size_t len;
	while (next_tag(&p, &start, &len))
		if (len == want && memcmp(start, etag, len) == 0)
			return true;
	return false;
}

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void http_date_format(time_t t, char out[HTTP_DATE_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	/* by hand, not strftime: %a and %b follow the locale, which is set;
	 * written wide first, as the compiler cannot bound the fields (a
	 * year past 9999 would not fit and is cut, never overrun) */
	char wide[80];
	snprintf(wide, sizeof wide, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	snprintf(out, HTTP_DATE_LEN, "%.29s", wide);
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static bool in_range(int v, int lo, int hi)
{
	return v >= lo && v <= hi;
}

static bool to_time(int y, int mo, int d, int h, int mi, int s, time_t *t)
{
	if (!in_range(y, 1900, 9999) || !in_range(mo, 1, 12) || !in_range(d, 1, 31) ||
	    !in_range(h, 0, 23) || !in_range(mi, 0, 59) || !in_range(s, 0, 60))
		return false;
	long days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	*t = (time_t)(days * 86400L + h * 3600L + mi * 60L + (s == 60 ? 59 : s));
	return true;
}

/* n decimal digits at s, exactly: no sign, no space. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "HH:MM:SS" at s. */
static bool clock_at(const char *s, int *h, int *mi, int *sec)
{
	return digits(s, 2, h) && s[2] == ':' && digits(s + 3, 2, mi) && s[5] == ':' &&
	       digits(s + 6, 2, sec);
}

bool http_date_parse(const char *s, time_t *t)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT": every field at its column */
	int d, y, h, mi, sec;
	if (!s || strlen(s) != 29 || strncmp(s + 3, ", ", 2) != 0 || s[7] != ' ' || s[11] != ' ' ||
	    s[16] != ' ' || strcmp(s + 25, " GMT") != 0 || !digits(s + 5, 2, &d) ||
	    !digits(s + 12, 4, &y) || !clock_at(s + 17, &h, &mi, &sec))
		return false;
	bool day_named = false;
	for (int w = 0; w < 7; w++)
		day_named |= strncmp(s, wdays[w], 3) == 0;
	for (int m = 0; day_named && m < 12; m++)
		if (strncmp(s + 8, months[m], 3) == 0)
			return to_time(y, m + 1, d, h, mi, sec, t);
	return false;
}

bool rfc3339_parse(const char *s, time_t *t)
{
	/* "2022-12-30T09:12:00" then a fraction and the offset */
	int y, mo, d, h, mi, sec;
	if (!s || strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !clock_at(s + 11, &h, &mi, &sec))
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	long offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return false;
		offset = (*p == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
		p += 6;
	} else {
		return false;
	}
	if (*p || !to_time(y, mo, d, h, mi, sec, t))
		return false;
	*t -= (time_t)offset;
	return true;
}
