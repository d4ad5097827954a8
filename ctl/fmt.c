/* SPDX-License-Identifier: ISC */
/*
 * fmt: the values of the API's JSON as text for people, and text
 * written safely.  See fmt.h for the contracts; the tables and lists
 * are in fmt_table.c, the views in fmt_hosts.c, fmt_plan.c,
 * fmt_migrate.c, fmt_policy.c and fmt_traffic.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fmt.h"

#define FMT_KEY_LEN	64	/* one alternative or stem of a field's key */

void
fmt_bytes(char *buf, size_t len, double bytes, const char *suffix)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	size_t	 u = 0;

	if (suffix == NULL)
		suffix = "";
	if (!isfinite(bytes) || bytes < 0) {
		snprintf(buf, len, "-");
		return;
	}
	/* Step up before rounding could print "1024 B" or "1024.0 KiB". */
	if (bytes >= 1023.5) {
		for (u = 1, bytes /= 1024.0; bytes >= 1023.95 &&
		    u < FMT_NITEMS(units) - 1; u++)
			bytes /= 1024.0;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f B%s", bytes, suffix);
	else
		snprintf(buf, len, "%.1f %s%s", bytes, units[u], suffix);
}

void
fmt_age(char *buf, size_t len, double secs)
{
	long long	 s;

	if (!isfinite(secs)) {
		snprintf(buf, len, "-");
		return;
	}
	if (secs < 59.95) {		/* also clock skew's small negatives */
		snprintf(buf, len, "%.1fs", secs);
		return;
	}
	if (secs >= 1e12) {		/* nonsense; keeps the cast defined */
		snprintf(buf, len, "%.0fs", secs);
		return;
	}
	s = (long long)(secs + 0.5);
	if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* Unix milliseconds as ISO 8601 UTC; "-" outside years 1970..9999. */
static void
fmt_time_ms(char *buf, size_t len, double ms)
{
	struct tm	 tm;
	time_t		 t;
	char		 day[32];

	if (!isfinite(ms) || ms < 0 || ms >= 253402300800000.0) {
		snprintf(buf, len, "-");
		return;
	}
	t = (time_t)(ms / 1000.0);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%s.%03dZ", day, (int)fmod(ms, 1000.0));
}

/* Unix milliseconds as local time to the second; "-" if not after 1970. */
static void
fmt_local_ms(char *buf, size_t len, double ms)
{
	struct tm	 tm;
	time_t		 t;

	if (!isfinite(ms) || ms <= 0 || ms >= 253402300800000.0) {
		snprintf(buf, len, "-");
		return;
	}
	t = (time_t)(ms / 1000.0);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "-");
}

/* A duration that may be short: "30ms" under a second, else fmt_age. */
static void
fmt_secs(char *buf, size_t len, double secs)
{
	if (!isfinite(secs) || secs < 0)
		snprintf(buf, len, "-");
	else if (secs * 1000.0 < 999.5)
		snprintf(buf, len, "%.0fms", secs * 1000.0);
	else
		fmt_age(buf, len, secs);
}

void
fmt_sanitize(char *dst, size_t len, const char *src)
{
	size_t	 i;

	if (len == 0)
		return;
	for (i = 0; i + 1 < len && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	dst[i] = '\0';
}

/* A number member as kind says into buf; "-" if it is no number. */
static const char *
fmt_number(const json_t *v, enum fmt_kind kind, char *buf)
{
	double	 d;

	if (!json_is_number(v))
		return "-";
	d = json_number_value(v);
	switch (kind) {
	case FMT_INT:
		if (json_is_integer(v))
			snprintf(buf, FMT_CELL_LEN, "%lld",
			    (long long)json_integer_value(v));
		else
			snprintf(buf, FMT_CELL_LEN, "%.0f", d);
		break;
	case FMT_PCT:
		snprintf(buf, FMT_CELL_LEN, "%.1f%%", d * 100.0);
		break;
	case FMT_BYTES:
		fmt_bytes(buf, FMT_CELL_LEN, d, NULL);
		break;
	case FMT_RATE:
		fmt_bytes(buf, FMT_CELL_LEN, d, "/s");
		break;
	case FMT_AGE:
		fmt_age(buf, FMT_CELL_LEN, d);
		break;
	case FMT_TIME_MS:
		fmt_time_ms(buf, FMT_CELL_LEN, d);
		break;
	case FMT_LOCAL_MS:
		fmt_local_ms(buf, FMT_CELL_LEN, d);
		break;
	case FMT_SECS:
		fmt_secs(buf, FMT_CELL_LEN, d);
		break;
	case FMT_REAL3:
		snprintf(buf, FMT_CELL_LEN, "%.3f", d);
		break;
	case FMT_PERMILLE:
		snprintf(buf, FMT_CELL_LEN, "%.1f%%", d / 10.0);
		break;
	default:			/* FMT_REAL0 */
		snprintf(buf, FMT_CELL_LEN, "%.0f", d);
		break;
	}
	return buf;
}

/* Any scalar in its natural form; "-" for arrays and objects. */
const char *
fmt_any(const json_t *v, char buf[FMT_CELL_LEN])
{
	if (json_is_string(v))
		return json_string_length(v) > 0 ? json_string_value(v) : "-";
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	if (json_is_integer(v)) {
		snprintf(buf, FMT_CELL_LEN, "%lld",
		    (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, FMT_CELL_LEN, "%.6g", json_real_value(v));
		return buf;
	}
	return "-";
}

/* The first of f's '|'-separated keys that renders as other than "-". */
static const char *
fmt_alternatives(const json_t *obj, const struct fmt_field *f, char *buf)
{
	struct fmt_field	 alt = *f;
	char			 key[FMT_KEY_LEN];
	const char		*p = f->key, *end, *s;
	size_t			 n;

	for (;;) {
		end = strchr(p, '|');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n < sizeof(key)) {
			memcpy(key, p, n);
			key[n] = '\0';
			alt.key = key;
			s = fmt_value(obj, &alt, buf);
			if (strcmp(s, "-") != 0)
				return s;
		}
		if (end == NULL)
			return "-";
		p = end + 1;
	}
}

/* Members STEM_before and STEM_after as "91.0%->72.5%"; see fmt.h. */
static const char *
fmt_pct_pair(const json_t *obj, const char *stem, char *buf)
{
	char		 key[FMT_KEY_LEN], b1[FMT_CELL_LEN], b2[FMT_CELL_LEN];
	const char	*before, *after;

	if (!json_is_object(obj))
		return "-";
	snprintf(key, sizeof(key), "%s_before", stem);
	before = fmt_number(json_object_get(obj, key), FMT_PCT, b1);
	snprintf(key, sizeof(key), "%s_after", stem);
	after = fmt_number(json_object_get(obj, key), FMT_PCT, b2);
	if (strcmp(before, "-") == 0 && strcmp(after, "-") == 0)
		return "-";
	/* Each side is short unless the number is absurd; both fit. */
	snprintf(buf, FMT_CELL_LEN, "%.30s->%.30s", before, after);
	return buf;
}

const char *
fmt_value(const json_t *obj, const struct fmt_field *f,
    char buf[FMT_CELL_LEN])
{
	const json_t	*v;

	if (strchr(f->key, '|') != NULL)
		return fmt_alternatives(obj, f, buf);
	if (f->kind == FMT_PCT_PAIR)
		return fmt_pct_pair(obj, f->key, buf);
	v = json_is_object(obj) ? json_object_get(obj, f->key) : NULL;
	if (v == NULL || json_is_null(v))
		return "-";
	switch (f->kind) {
	case FMT_STR:
		if (!json_is_string(v) || json_string_length(v) == 0)
			return "-";
		return json_string_value(v);
	case FMT_BOOL:
		if (!json_is_boolean(v))
			return "-";
		return json_is_true(v) ? "yes" : "no";
	case FMT_ANY:
		return fmt_any(v, buf);
	default:
		return fmt_number(v, f->kind, buf);
	}
}

void
fmt_put(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		fputc((c < 0x20 || c == 0x7f) ? '?' : c, out);
	}
}

void
fmt_put_text(FILE *out, const char *s, const char *indent)
{
	size_t		 i, n = strlen(s);
	unsigned char	 c;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' && s[i + 1] == '\n')
			continue;
		if (c == '\n') {
			fputc('\n', out);
			fputs(indent, out);
		} else
			fputc((c != '\t' && (c < 0x20 || c == 0x7f)) ?
			    '?' : c, out);
	}
	fputc('\n', out);
}
