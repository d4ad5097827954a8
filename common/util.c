/* SPDX-License-Identifier: ISC */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static int64_t
util_clock_ns(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t
util_now_mono_ns(void)
{
	return util_clock_ns(CLOCK_MONOTONIC);
}

int64_t
util_now_mono_ms(void)
{
	return util_clock_ns(CLOCK_MONOTONIC) / 1000000LL;
}

int64_t
util_now_real_ms(void)
{
	return util_clock_ns(CLOCK_REALTIME) / 1000000LL;
}

int
util_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
util_parse_double(const char *s, double min, double max, double *out)
{
	char	*end;
	double	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
util_parse_bytes(const char *s, uint64_t *out)
{
	static const struct { const char *sfx; unsigned shift; } sfx[] = {
		{ "", 0 }, { "b", 0 }, { "k", 10 }, { "kib", 10 }, { "m", 20 },
		{ "mib", 20 }, { "g", 30 }, { "gib", 30 }, { "t", 40 },
		{ "tib", 40 },
	};
	char		*end;
	unsigned long long v;
	size_t		 i;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (strcasecmp(end, sfx[i].sfx) != 0)
			continue;
		if (sfx[i].shift > 0 && v > (UINT64_MAX >> sfx[i].shift))
			return -ERANGE;
		*out = (uint64_t)v << sfx[i].shift;
		return 0;
	}
	return -EINVAL;
}

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t	 n = strlen(src);

	if (size > 0) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
util_uuid_fmt(const uint8_t u[UTIL_UUID_LEN], char out[UTIL_UUID_STRLEN])
{
	snprintf(out, UTIL_UUID_STRLEN,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
	    u[10], u[11], u[12], u[13], u[14], u[15]);
}

int
util_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
util_parse_mac(const char *s, uint8_t out[6])
{
	int	 k, hi, lo;

	for (k = 0; k < 6; k++, s += 3) {
		if ((hi = util_hexval((unsigned char)s[0])) < 0 ||
		    (lo = util_hexval((unsigned char)s[1])) < 0 ||
		    s[2] != (k == 5 ? '\0' : ':'))
			return -EINVAL;
		out[k] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int
util_uuid_parse(const char *s, uint8_t u[UTIL_UUID_LEN])
{
	uint8_t	 tmp[UTIL_UUID_LEN];
	int	 i, n = 0, hi, lo;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -EINVAL;
			continue;
		}
		hi = util_hexval((unsigned char)s[i]);
		lo = util_hexval((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		tmp[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(u, tmp, sizeof(tmp));
	return 0;
}

int
util_secret_equal(const char *want, const char *got)
{
	size_t		 n = strlen(want), i, j = 0;
	unsigned	 diff = 0;

	/* got is read up to its NUL and then again from its start */
	for (i = 0; i < n; i++) {
		diff |= (unsigned char)(want[i] ^ got[j]);
		j = got[j] != '\0' ? j + 1 : 0;
	}
	diff |= (unsigned char)got[j];	/* got must end where want does */
	return diff == 0;
}

uint64_t
util_hash64(const void *p, size_t n)
{
	const uint8_t	*b = p;
	uint64_t	 h = 14695981039346656037ULL;	/* FNV-1a offset basis */
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
util_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
util_uuid_from_name(const char *ns, const char *name, uint8_t u[UTIL_UUID_LEN])
{
	uint64_t	 hn = util_hash64(ns, strlen(ns));
	uint64_t	 hm = util_hash64(name, strlen(name));
	uint64_t	 a, b;

	a = util_mix64(hn ^ util_mix64(hm));
	b = util_mix64(a ^ hm ^ 0x9e3779b97f4a7c15ULL);
	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x50);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

void
util_sleep_ms(int64_t ms, volatile int *stop)
{
	struct timespec	 ts, rem;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR) {
		if (stop != NULL && *stop)
			return;
		ts = rem;
	}
}

uint64_t
util_splitmix64(uint64_t *s)
{
	uint64_t	 z;

	*s += 0x9e3779b97f4a7c15ULL;
	z = *s;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int
util_append_whole(int fd, const void *buf, size_t len)
{
	off_t	 end = lseek(fd, 0, SEEK_END);
	ssize_t	 n;
	int	 rc;

	errno = 0;
	n = write(fd, buf, len);
	if (n == (ssize_t)len)
		return 0;
	rc = n < 0 && errno ? -errno : -ENOSPC;
	if (n > 0 && end >= 0 && ftruncate(fd, end) == -1)
		rc = -errno;
	return rc;
}
