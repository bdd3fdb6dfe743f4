/*
 * calendar.c — civil dates in Vietnam (see calendar.h).
 *
 * Day counting uses the days-from-civil algorithm (H. Hinnant), exact for
 * the proleptic Gregorian calendar, so nothing here depends on the C
 * library's time zone or locale.
 */
#include "domain/calendar.h"

#include <stdio.h>
#include <string.h>

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t civil_days(struct civil_date d)
{
	int64_t y = d.year - (d.month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = (d.month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static struct civil_date from_days(int64_t z)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	struct civil_date d = { (int)(yoe + era * 400 + (m <= 2)), (int)m,
				(int)(doy - (153 * mp + 2) / 5 + 1) };
	return d;
}

struct civil_date vn_date_of(int64_t t)
{
	return from_days(floor_div(t + VN_UTC_OFFSET_S, 86400));
}

static int days_in_month(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

bool civil_date_parse(const char *s, struct civil_date *out)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int v[3] = { 0, 0, 0 };
	const int start[] = { 0, 5, 8 }, width[] = { 4, 2, 2 };
	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < width[f]; i++) {
			char ch = s[start[f] + i];
			if (ch < '0' || ch > '9')
				return false;
			v[f] = v[f] * 10 + (ch - '0');
		}
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return false;
	*out = (struct civil_date){ v[0], v[1], v[2] };
	return true;
}

int64_t vn_day_end(struct civil_date d)
{
	return (civil_days(d) + 1) * 86400 - VN_UTC_OFFSET_S;
}

bool vn_deadline_passed(struct civil_date deadline, int64_t t)
{
	return t >= vn_day_end(deadline);
}

const char *vn_document_date(char out[VN_DOC_DATE_LEN], struct civil_date d)
{
	snprintf(out, VN_DOC_DATE_LEN, "ngày %02d tháng %s%d năm %d", d.day,
		 d.month <= 2 ? "0" : "", d.month, d.year);
	return out;
}
