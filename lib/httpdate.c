/*
 * httpdate.c - HTTP-date (RFC 9110 section 5.6.7): IMF-fixdate out, and the
 * three formats a recipient must accept in (IMF-fixdate, the obsolete
 * RFC 850 form, asctime), in English whatever the locale, without the TZ.
 */
#include "internal.h"

#include <string.h>
#include <time.h>

static const char day_names[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat" };
static const char month_names[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
/* RFC 850's day-name-l, the long names, in the same order. */
static const char *const long_day_names[7] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* The civil date of a day count since 1970-01-01 (Howard Hinnant's
 * civil_from_days): gmtime_r without its lock and time zone machinery. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int rsp__imf_fixdate(time_t t, char out[30])
{
	int64_t v = (int64_t)t;
	/* 1601-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, checked first: no
	 * arithmetic below can then overflow, whatever time_t holds. */
	if (v < -11644473600LL || v > 253402300799LL)
		return RSP_EINVAL;
	int64_t days = v / 86400 - (v % 86400 < 0);
	int64_t secs = v - days * 86400, y;
	int mon, mday;
	civil_from_days(days, &y, &mon, &mday);
	if (y < 1601 || y > 9999)
		return RSP_EINVAL;
	struct tm tm;
	tm.tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	tm.tm_mday = mday;
	tm.tm_mon = mon - 1;
	tm.tm_hour = (int)(secs / 3600);
	tm.tm_min = (int)(secs / 60 % 60);
	tm.tm_sec = (int)(secs % 60);
	int year = (int)y;
	/* "Sun, 06 Nov 1994 08:49:37 GMT": fixed columns, no printf. */
	memcpy(out, day_names[tm.tm_wday], 3);
	out[3] = ',';
	out[4] = ' ';
	put2(out + 5, tm.tm_mday);
	out[7] = ' ';
	memcpy(out + 8, month_names[tm.tm_mon], 3);
	out[11] = ' ';
	put2(out + 12, year / 100);
	put2(out + 14, year % 100);
	out[16] = ' ';
	put2(out + 17, tm.tm_hour);
	out[19] = ':';
	put2(out + 20, tm.tm_min);
	out[22] = ':';
	put2(out + 23, tm.tm_sec);
	memcpy(out + 25, " GMT", 5); /* with the NUL */
	return RSP_OK;
}

int rsp_http_date(time_t t, char out[30])
{
	if (out == NULL)
		return RSP_EINVAL;
	return rsp__imf_fixdate(t, out);
}

/* ---- parsing --------------------------------------------------------- */

struct cursor {
	const char *p, *end;
};

static bool lit(struct cursor *c, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Exactly n digits (n <= 4). */
static int digits(struct cursor *c, size_t n)
{
	int v = 0;
	if ((size_t)(c->end - c->p) < n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return -1;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	return v;
}

/* One of the names of table (count entries, compared case-sensitively as
 * the grammar says); its index, or -1. */
static int name_of(struct cursor *c, const char *const *table, int count)
{
	for (int i = 0; i < count; i++) {
		size_t n = strlen(table[i]);
		if ((size_t)(c->end - c->p) >= n &&
		    memcmp(c->p, table[i], n) == 0) {
			c->p += n;
			return i;
		}
	}
	return -1;
}

static int short_day(struct cursor *c)
{
	const char *t[7];
	for (int i = 0; i < 7; i++)
		t[i] = day_names[i];
	return name_of(c, t, 7);
}

static int month(struct cursor *c)
{
	const char *t[12];
	for (int i = 0; i < 12; i++)
		t[i] = month_names[i];
	return name_of(c, t, 12);
}

/* time-of-day = hour ":" minute ":" second; second 60 is a leap second. */
static bool time_of_day(struct cursor *c, int *h, int *m, int *s)
{
	*h = digits(c, 2);
	if (*h < 0 || !lit(c, ":"))
		return false;
	*m = digits(c, 2);
	if (*m < 0 || !lit(c, ":"))
		return false;
	*s = digits(c, 2);
	return *s >= 0 && *h <= 23 && *m <= 59 && *s <= 60;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), without the C library's time zone. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool to_time(int y, int mon, int d, int h, int mi, int s, time_t *out)
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31 };
	if (d < 1 || d > mdays[mon] || (mon == 1 && d == 29 && !leap(y)))
		return false;
	int64_t v =
	    days_from_civil(y, mon + 1, d) * 86400 + h * 3600 + mi * 60 + s;
	if ((int64_t)(time_t)v != v)
		return false;
	*out = (time_t)v;
	return true;
}

/* IMF-fixdate = day-name "," SP day SP month SP year SP time-of-day SP GMT */
static bool imf_fixdate(struct cursor *c, time_t *t)
{
	int h, mi, s, d, mon, y;
	if (short_day(c) < 0 || !lit(c, ", ") || (d = digits(c, 2)) < 0 ||
	    !lit(c, " ") || (mon = month(c)) < 0 || !lit(c, " ") ||
	    (y = digits(c, 4)) < 0 || !lit(c, " ") ||
	    !time_of_day(c, &h, &mi, &s) || !lit(c, " GMT") || c->p != c->end)
		return false;
	return to_time(y, mon, d, h, mi, s, t);
}

/* rfc850-date = day-name-l "," SP day-month-year SP time-of-day SP GMT,
 * day-month-year = 2DIGIT "-" month "-" 2DIGIT.  A two-digit year that
 * would lie more than 50 years ahead is the latest such year in the past
 * (RFC 9110 section 5.6.7), judged against now. */
static bool rfc850_date(struct cursor *c, time_t now, time_t *t)
{
	int h, mi, s, d, mon, yy;
	if (name_of(c, long_day_names, 7) < 0 || !lit(c, ", ") ||
	    (d = digits(c, 2)) < 0 || !lit(c, "-") || (mon = month(c)) < 0 ||
	    !lit(c, "-") || (yy = digits(c, 2)) < 0 || !lit(c, " ") ||
	    !time_of_day(c, &h, &mi, &s) || !lit(c, " GMT") || c->p != c->end)
		return false;
	struct tm tm;
	int this_year = gmtime_r(&now, &tm) != NULL ? tm.tm_year + 1900 : 1970;
	int y = this_year - this_year % 100 + yy;
	if (y > this_year + 50)
		y -= 100;
	return to_time(y, mon, d, h, mi, s, t);
}

/* asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP
 * time-of-day SP year */
static bool asctime_date(struct cursor *c, time_t *t)
{
	int h, mi, s, d, mon, y;
	if (short_day(c) < 0 || !lit(c, " ") || (mon = month(c)) < 0 ||
	    !lit(c, " "))
		return false;
	if (lit(c, " "))
		d = digits(c, 1);
	else
		d = digits(c, 2);
	if (d < 0 || !lit(c, " ") || !time_of_day(c, &h, &mi, &s) ||
	    !lit(c, " ") || (y = digits(c, 4)) < 0 || c->p != c->end)
		return false;
	return to_time(y, mon, d, h, mi, s, t);
}

int rsp__parse_http_date(const char *s, size_t len, time_t now, time_t *t)
{
	/* Leading and trailing OWS belong to the field, not to the date. */
	while (len > 0 && rsp__is_ws(*s)) {
		s++;
		len--;
	}
	while (len > 0 && rsp__is_ws(s[len - 1]))
		len--;
	struct cursor c = { s, s + len };
	if (len == 29 && imf_fixdate(&c, t))
		return RSP_OK;
	c.p = s;
	if (len == 24 && asctime_date(&c, t))
		return RSP_OK;
	c.p = s;
	if (len >= 30 && len <= 33 && rfc850_date(&c, now, t))
		return RSP_OK;
	return RSP_EINVAL;
}

int rsp_parse_http_date(const char *s, ssize_t len, time_t *t)
{
	time_t v;
	if (s == NULL || t == NULL)
		return RSP_EINVAL;
	if (rsp__parse_http_date(s, rsp__len(s, len), time(NULL), &v) != RSP_OK)
		return RSP_EINVAL;
	*t = v;
	return RSP_OK;
}
