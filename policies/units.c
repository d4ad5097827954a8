/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "util.h"

#define UNITS_MAX_COUNT	1000000000LL	/* the number in a duration */

/*
 * Parses the first n bytes of s as a plain decimal, digits with an
 * optional fraction ("80", "0.25"): no sign, exponent, hex or blanks.
 */
static int
units_decimal(const char *s, size_t n, double *out)
{
	char	 buf[UNITS_BUF];
	size_t	 i, dots = 0, digits = 0;

	if (n == 0 || n >= sizeof(buf))
		return n == 0 ? -EINVAL : -ERANGE;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (dots++ > 0 || digits == 0 || i + 1 == n)
				return -EINVAL;
		} else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else
			return -EINVAL;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return util_parse_double(buf, 0.0, 1e15, out);
}

int
units_parse_number(const char *s, double *out)
{
	return units_decimal(s, strlen(s), out);
}

int
units_parse_percent(const char *s, double *frac)
{
	size_t	 n = strlen(s);
	double	 v;
	int	 rc;

	if (n < 2 || s[n - 1] != '%')
		return -EINVAL;
	if ((rc = units_decimal(s, n - 1, &v)) < 0)
		return rc;
	*frac = v / 100.0;
	return 0;
}

void
units_fmt_percent(double frac, char *buf, size_t len)
{
	snprintf(buf, len, "%.10g%%", frac * 100.0);
}

int
units_parse_duration(const char *s, int allow_ms, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 },
	};
	char	 num[UNITS_BUF];
	size_t	 n = strspn(s, "0123456789"), i;
	int64_t	 v;
	int	 rc;

	if (n == 0 || n >= sizeof(num))
		return n == 0 ? -EINVAL : -ERANGE;
	memcpy(num, s, n);
	num[n] = '\0';
	for (i = allow_ms ? 0 : 1; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].unit) != 0)
			continue;
		if ((rc = util_parse_i64(num, 0, UNITS_MAX_COUNT, &v)) < 0)
			return rc;
		*ms = (uint64_t)v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

void
units_fmt_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		{ "s", 1000 },
	};
	size_t	 i;

	for (i = 0; ms != 0 && i < sizeof(units) / sizeof(units[0]); i++)
		if (ms % units[i].ms == 0) {
			snprintf(buf, len, "%" PRIu64 "%s", ms / units[i].ms,
			    units[i].unit);
			return;
		}
	snprintf(buf, len, ms == 0 ? "0s" : "%" PRIu64 "ms", ms);
}

int
units_parse_rate(const char *s, uint64_t *bps)
{
	char	 size[UNITS_BUF];
	size_t	 n = strlen(s);

	if (n < 3 || strcmp(s + n - 2, "/s") != 0)
		return -EINVAL;
	if (n - 2 >= sizeof(size))
		return -ERANGE;
	memcpy(size, s, n - 2);
	size[n - 2] = '\0';
	return util_parse_bytes(size, bps);
}

void
units_fmt_rate(uint64_t bps, char *buf, size_t len)
{
	static const char *const unit[] = { "TiB", "GiB", "MiB", "KiB" };
	unsigned	 i, shift;

	for (i = 0; bps != 0 && i < 4; i++) {
		shift = 40 - 10 * i;
		if (bps % ((uint64_t)1 << shift) == 0) {
			snprintf(buf, len, "%" PRIu64 "%s/s", bps >> shift,
			    unit[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64 "B/s", bps);
}

/* "HH:MM" at s, exactly: minutes after midnight, up to 24:00. */
static int
units_clock(const char *s, unsigned *min)
{
	unsigned	 h, m;
	int		 i;

	for (i = 0; i < 5; i++)
		if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
			return -EINVAL;
	h = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
	m = (unsigned)(s[3] - '0') * 10 + (unsigned)(s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -EINVAL;
	*min = h * 60 + m;
	return 0;
}

int
units_parse_window(const char *s, unsigned *from, unsigned *to)
{
	unsigned	 f, t;

	if (strlen(s) != 11 || s[5] != '-' || units_clock(s, &f) < 0 ||
	    units_clock(s + 6, &t) < 0 || f >= 24 * 60)
		return -EINVAL;
	*from = f;
	*to = t;
	return 0;
}

void
units_fmt_window(unsigned from, unsigned to, char *buf, size_t len)
{
	snprintf(buf, len, "%02u:%02u-%02u:%02u", from / 60 % 100, from % 60,
	    to / 60 % 100, to % 60);
}
