/* SPDX-License-Identifier: ISC */
/*
 * fmt: JSON from the balancer's API into aligned text for people.
 * See fmt.h for the contracts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fmt.h"

#define FMT_MAXCOLS	32	/* more columns than this are left out */
#define FMT_SEP		"  "	/* between two columns */
#define FMT_KEY_LEN	64	/* one alternative or stem of a field's key */
#define FMT_INDENT	"    "	/* a continued line of explain or note text */

static const struct fmt_field status_fields[] = {
	{ "version",		"version",		FMT_STR },
	{ "uptime_s",		"uptime_s",		FMT_AGE },
	{ "hosts",		"hosts",		FMT_INT },
	{ "hosts_stale",	"hosts_stale",		FMT_INT },
	{ "vms",		"vms",			FMT_INT },
	{ "reports_received",	"reports_received",	FMT_INT },
	{ "reports_lost",	"reports_lost",		FMT_INT },
	{ "reports_late",	"reports_late",		FMT_INT },
	{ "reports_duplicate",	"reports_duplicate",	FMT_INT },
	{ "reports_malformed",	"reports_malformed",	FMT_INT },
	{ "reports_refused",	"reports_refused",	FMT_INT },
	{ "routes_refused",	"routes_refused",	FMT_INT },
	{ "hosts_refused",	"hosts_refused",	FMT_INT },
	{ "handshakes_refused",	"handshakes_refused",	FMT_INT },
	{ "vm_resets",		"vm_resets",		FMT_INT },
};

static const struct fmt_field host_cols[] = {
	{ "NAME",	"name",			FMT_STR },
	{ "CLUSTER",	"cluster",		FMT_STR },
	{ "STALE",	"stale",		FMT_BOOL },
	{ "VMS",	"vms",			FMT_INT },
	{ "CPUS",	"cpus",			FMT_INT },
	{ "MHZ",	"cpu_mhz",		FMT_INT },
	{ "CPU%",	"cpu_util",		FMT_PCT },
	{ "STEAL%",	"cpu_steal",		FMT_PCT },
	{ "MEM",	"mem_bytes",		FMT_BYTES },
	{ "USED",	"mem_used_bytes",	FMT_BYTES },
	{ "MEM%",	"mem_util",		FMT_PCT },
	{ "AGE",	"last_report_age_s",	FMT_AGE },
};

static const struct fmt_field host_fields[] = {
	{ "name",		"name",			FMT_STR },
	{ "uuid",		"uuid",			FMT_STR },
	{ "cluster",		"cluster",		FMT_STR },
	{ "stale",		"stale",		FMT_BOOL },
	{ "cpus",		"cpus",			FMT_INT },
	{ "cpu_mhz",		"cpu_mhz",		FMT_INT },
	{ "cpu_util",		"cpu_util",		FMT_PCT },
	{ "cpu_steal",		"cpu_steal",		FMT_PCT },
	{ "vm_cpu_mhz",		"vm_cpu_mhz",		FMT_REAL0 },
	{ "mem_bytes",		"mem_bytes",		FMT_BYTES },
	{ "mem_used_bytes",	"mem_used_bytes",	FMT_BYTES },
	{ "mem_util",		"mem_util",		FMT_PCT },
	{ "vms",		"vms",			FMT_INT },
	{ "last_report_age_s",	"last_report_age_s",	FMT_AGE },
	{ "sample_time_ms",	"sample_time_ms",	FMT_TIME_MS },
	{ "seq",		"seq",			FMT_INT },
};

static const struct fmt_field vm_cols[] = {
	{ "NAME",	"name",			FMT_STR },
	{ "HOST",	"host",			FMT_STR },
	{ "STATE",	"state",		FMT_STR },
	{ "VCPUS",	"vcpus",		FMT_INT },
	{ "CPU%",	"cpu_util",		FMT_PCT },
	{ "MHZ",	"cpu_mhz",		FMT_REAL0 },
	{ "RSS",	"mem_bytes",		FMT_BYTES },
	{ "MAX",	"mem_max_bytes",	FMT_BYTES },
	{ "DISK-RD",	"disk_rd_bps",		FMT_RATE },
	{ "DISK-WR",	"disk_wr_bps",		FMT_RATE },
	{ "NET-RX",	"net_rx_bps",		FMT_RATE },
	{ "NET-TX",	"net_tx_bps",		FMT_RATE },
	{ "RESETS",	"resets",		FMT_INT },
	{ "UUID",	"uuid",			FMT_STR },
};

static const struct fmt_field vm_fields[] = {
	{ "uuid",		"uuid",			FMT_STR },
	{ "name",		"name",			FMT_STR },
	{ "host",		"host",			FMT_STR },
	{ "state",		"state",		FMT_STR },
	{ "vcpus",		"vcpus",		FMT_INT },
	{ "cpu_util",		"cpu_util",		FMT_PCT },
	{ "cpu_mhz",		"cpu_mhz",		FMT_REAL0 },
	{ "mem_bytes",		"mem_bytes",		FMT_BYTES },
	{ "mem_max_bytes",	"mem_max_bytes",	FMT_BYTES },
	{ "disk_rd_bps",	"disk_rd_bps",		FMT_RATE },
	{ "disk_wr_bps",	"disk_wr_bps",		FMT_RATE },
	{ "net_rx_bps",		"net_rx_bps",		FMT_RATE },
	{ "net_tx_bps",		"net_tx_bps",		FMT_RATE },
	{ "resets",		"resets",		FMT_INT },
};

static const struct fmt_field plan_summary[] = {
	{ "mode",	"mode",		FMT_STR },
	{ "passes",	"passes",	FMT_INT },
	{ "hot hosts",	"hot_hosts",	FMT_INT },
	{ "unrelieved",	"unrelieved",	FMT_INT },
};

static const struct fmt_field rec_cols[] = {
	{ "ID",		"id",			FMT_INT },
	{ "STATE",	"state",		FMT_STR },
	{ "VM",		"vm|vm_uuid",		FMT_STR },
	{ "FROM",	"from",			FMT_STR },
	{ "TO",		"to",			FMT_STR },
	{ "REASON",	"reason",		FMT_STR },
	{ "SRC%",	"src",			FMT_PCT_PAIR },
	{ "DST%",	"dst",			FMT_PCT_PAIR },
	{ "TIME",	"predicted_time_s",	FMT_SECS },
	{ "DOWNTIME",	"predicted_downtime_s",	FMT_SECS },
};

static const struct fmt_field reject_cols[] = {
	{ "VM",		"vm",		FMT_STR },
	{ "TO",		"to",		FMT_STR },
	{ "WHY",	"why",		FMT_STR },
};

static const struct fmt_field migration_cols[] = {
	{ "ID",			"id",			FMT_INT },
	{ "STATE",		"state",		FMT_STR },
	{ "VM",			"vm|vm_uuid",		FMT_STR },
	{ "FROM",		"from",			FMT_STR },
	{ "TO",			"to",			FMT_STR },
	{ "REASON",		"reason",		FMT_STR },
	{ "PROGRESS",		"progress",		FMT_PERMILLE },
	{ "WHEN",		"planned_at",		FMT_LOCAL_MS },
	{ "ERROR/OUTCOME",	"error|outcome",	FMT_STR },
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

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
		    u < NITEMS(units) - 1; u++)
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
static const char *
fmt_any(const json_t *v, char *buf)
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

/* Columns on a terminal: UTF-8 code points, not bytes. */
static size_t
fmt_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
fmt_pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

/* Writes s with control bytes (escape sequences, newlines) as '?'. */
static void
fmt_put(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		fputc((c < 0x20 || c == 0x7f) ? '?' : c, out);
	}
}

static int
fmt_right(enum fmt_kind kind)
{
	return kind != FMT_STR && kind != FMT_BOOL && kind != FMT_TIME_MS &&
	    kind != FMT_ANY && kind != FMT_LOCAL_MS;
}

/*
 * Writes text that may have several lines: control bytes but tabs and
 * newlines as '?', every line after the first preceded by `indent`.
 * Trailing line ends are dropped; one newline ends the text.
 */
static void
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

/* Each column's width: its widest cell, header included. */
static void
fmt_widths(const struct fmt_field *cols, size_t ncols, json_t *rows,
    size_t *width)
{
	char		 buf[FMT_CELL_LEN];
	json_t		*row;
	size_t		 c, i, w;

	for (c = 0; c < ncols; c++)
		width[c] = fmt_width(cols[c].label);
	json_array_foreach(rows, i, row) {
		for (c = 0; c < ncols; c++) {
			w = fmt_width(fmt_value(row, &cols[c], buf));
			if (w > width[c])
				width[c] = w;
		}
	}
}

/* One line of the table; the header if row is NULL. */
static void
fmt_row(FILE *out, const struct fmt_field *cols, size_t ncols,
    const json_t *row, const size_t *width)
{
	char		 buf[FMT_CELL_LEN];
	const char	*s;
	size_t		 c, pad;

	for (c = 0; c < ncols; c++) {
		s = row == NULL ? cols[c].label :
		    fmt_value(row, &cols[c], buf);
		pad = width[c] - fmt_width(s);
		if (c > 0)
			fputs(FMT_SEP, out);
		if (fmt_right(cols[c].kind))
			fmt_pad(out, pad);
		fmt_put(out, s);
		if (!fmt_right(cols[c].kind) && c + 1 < ncols)
			fmt_pad(out, pad);
	}
	fputc('\n', out);
}

void
fmt_table(FILE *out, const struct fmt_field *cols, size_t ncols,
    json_t *rows)
{
	size_t		 width[FMT_MAXCOLS];
	json_t		*row;
	size_t		 i;

	if (ncols > FMT_MAXCOLS)
		ncols = FMT_MAXCOLS;
	if (!json_is_array(rows))
		rows = NULL;
	fmt_widths(cols, ncols, rows, width);
	fmt_row(out, cols, ncols, NULL, width);
	json_array_foreach(rows, i, row)
		fmt_row(out, cols, ncols, row, width);
}

/* Whether `key` is one of the fields' keys. */
static int
fmt_known(const struct fmt_field *fields, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].key, key) == 0)
			return 1;
	return 0;
}

/* One "label: value" line, the value starting at column width + 2. */
static void
fmt_pair(FILE *out, const char *label, const char *value, size_t width)
{
	fmt_put(out, label);
	fputc(':', out);
	fmt_pad(out, width - fmt_width(label) + 1);
	fmt_put(out, value);
	fputc('\n', out);
}

void
fmt_pairs(FILE *out, const struct fmt_field *fields, size_t n,
    json_t *obj, int extras)
{
	char		 buf[FMT_CELL_LEN];
	const char	*key;
	json_t		*v;
	size_t		 i, w, width = 0;

	for (i = 0; i < n; i++)
		if ((w = fmt_width(fields[i].label)) > width)
			width = w;
	if (extras && json_is_object(obj)) {
		json_object_foreach(obj, key, v)
			if (!fmt_known(fields, n, key) &&
			    !json_is_array(v) && !json_is_object(v) &&
			    (w = fmt_width(key)) > width)
				width = w;
	}
	for (i = 0; i < n; i++)
		fmt_pair(out, fields[i].label,
		    fmt_value(obj, &fields[i], buf), width);
	if (!extras || !json_is_object(obj))
		return;
	json_object_foreach(obj, key, v) {
		if (fmt_known(fields, n, key) || json_is_array(v) ||
		    json_is_object(v))
			continue;
		fmt_pair(out, key, json_is_null(v) ? "-" : fmt_any(v, buf),
		    width);
	}
}

int
fmt_status(FILE *out, json_t *status)
{
	if (!json_is_object(status))
		return -1;
	fmt_pairs(out, status_fields, NITEMS(status_fields), status, 1);
	return 0;
}

int
fmt_hosts(FILE *out, json_t *hosts)
{
	if (!json_is_array(hosts))
		return -1;
	fmt_table(out, host_cols, NITEMS(host_cols), hosts);
	return 0;
}

int
fmt_host(FILE *out, json_t *host)
{
	json_t	*vms;

	if (!json_is_object(host))
		return -1;
	fmt_pairs(out, host_fields, NITEMS(host_fields), host, 1);
	vms = json_object_get(host, "vm_list");
	if (json_is_array(vms) && json_array_size(vms) > 0) {
		fputc('\n', out);
		fmt_table(out, vm_cols, NITEMS(vm_cols), vms);
	}
	return 0;
}

int
fmt_vms(FILE *out, json_t *vms)
{
	if (!json_is_array(vms))
		return -1;
	fmt_table(out, vm_cols, NITEMS(vm_cols), vms);
	return 0;
}

int
fmt_vm(FILE *out, json_t *vm)
{
	if (!json_is_object(vm))
		return -1;
	fmt_pairs(out, vm_fields, NITEMS(vm_fields), vm, 1);
	return 0;
}

json_t *
fmt_vms_on_host(json_t *vms, const char *host)
{
	json_t		*sel, *vm, *h;
	size_t		 i;

	if (!json_is_array(vms) || (sel = json_array()) == NULL)
		return NULL;
	json_array_foreach(vms, i, vm) {
		h = json_is_object(vm) ? json_object_get(vm, "host") : NULL;
		if (!json_is_string(h) || strcmp(json_string_value(h), host))
			continue;
		if (json_array_append(sel, vm) != 0) {
			json_decref(sel);
			return NULL;
		}
	}
	return sel;
}

/* "mode: approve  passes: 12  ...  imbalance: 0.214 -> 0.102" */
static void
fmt_plan_summary(FILE *out, json_t *plan)
{
	static const struct fmt_field before =
	    { "imbalance", "imbalance_before", FMT_REAL3 };
	static const struct fmt_field after =
	    { "imbalance", "imbalance_after", FMT_REAL3 };
	char	 buf[FMT_CELL_LEN];
	size_t	 i;

	for (i = 0; i < NITEMS(plan_summary); i++) {
		fmt_put(out, plan_summary[i].label);
		fputs(": ", out);
		fmt_put(out, fmt_value(plan, &plan_summary[i], buf));
		fputs(FMT_SEP, out);
	}
	fputs("imbalance: ", out);
	fmt_put(out, fmt_value(plan, &before, buf));
	fputs(" -> ", out);
	fmt_put(out, fmt_value(plan, &after, buf));
	fputc('\n', out);
}

/* The summary, a blank line and the recommendations; see fmt.h. */
static void
fmt_plan_body(FILE *out, json_t *plan)
{
	json_t	*recs;

	fmt_plan_summary(out, plan);
	fputc('\n', out);
	recs = json_object_get(plan, "recommendations");
	if (json_is_array(recs) && json_array_size(recs) > 0)
		fmt_table(out, rec_cols, NITEMS(rec_cols), recs);
	else
		fputs("no recommendations\n", out);
}

/* "  17: text" or "  17 (rule NAME): text", continued lines indented. */
static void
fmt_explanation(FILE *out, json_t *rec)
{
	static const struct fmt_field id = { "ID", "id", FMT_INT };
	static const struct fmt_field rule = { "rule", "rule", FMT_STR };
	static const struct fmt_field text = { "explain", "explain", FMT_STR };
	char		 buf[FMT_CELL_LEN];
	const char	*r;

	fputs("  ", out);
	fmt_put(out, fmt_value(rec, &id, buf));
	if (strcmp(r = fmt_value(rec, &rule, buf), "-") != 0) {
		fputs(" (rule ", out);
		fmt_put(out, r);
		fputc(')', out);
	}
	fputs(": ", out);
	fmt_put_text(out, fmt_value(rec, &text, buf), FMT_INDENT);
}

/* "Explanations:" and "Notes:", each entry on its own line. */
static void
fmt_plan_texts(FILE *out, json_t *plan)
{
	json_t	*recs, *notes, *v;
	size_t	 i;

	fputs("\nExplanations:\n", out);
	recs = json_object_get(plan, "recommendations");
	if (!json_is_array(recs) || json_array_size(recs) == 0)
		fputs("  none\n", out);
	json_array_foreach(recs, i, v)
		fmt_explanation(out, v);

	fputs("\nNotes:\n", out);
	notes = json_object_get(plan, "notes");
	if (!json_is_array(notes) || json_array_size(notes) == 0)
		fputs("  none\n", out);
	json_array_foreach(notes, i, v) {
		fputs("  ", out);
		fmt_put_text(out, json_is_string(v) &&
		    json_string_length(v) > 0 ? json_string_value(v) : "-",
		    FMT_INDENT);
	}
}

/* "Rejected candidates (2 of 12):" and their table, or ": none". */
static void
fmt_plan_rejected(FILE *out, json_t *plan)
{
	json_t		*rej, *tot;
	size_t		 n;
	long long	 total;

	rej = json_object_get(plan, "rejected");
	n = json_is_array(rej) ? json_array_size(rej) : 0;
	tot = json_object_get(plan, "rejected_total");
	total = json_is_integer(tot) ? (long long)json_integer_value(tot) : 0;
	if (n == 0 && total <= 0) {
		fputs("\nRejected candidates: none\n", out);
		return;
	}
	if (total > (long long)n)
		fprintf(out, "\nRejected candidates (%zu of %lld):\n", n,
		    total);
	else
		fprintf(out, "\nRejected candidates (%zu):\n", n);
	fmt_table(out, reject_cols, NITEMS(reject_cols), rej);
}

int
fmt_plan(FILE *out, json_t *plan)
{
	if (!json_is_object(plan))
		return -1;
	fmt_plan_body(out, plan);
	return 0;
}

int
fmt_plan_explain(FILE *out, json_t *plan)
{
	if (!json_is_object(plan))
		return -1;
	fmt_plan_body(out, plan);
	fmt_plan_texts(out, plan);
	fmt_plan_rejected(out, plan);
	return 0;
}

int
fmt_migrations(FILE *out, json_t *migrations)
{
	if (!json_is_array(migrations))
		return -1;
	fmt_table(out, migration_cols, NITEMS(migration_cols), migrations);
	return 0;
}

int
fmt_maintenance(FILE *out, json_t *hosts)
{
	json_t	*h;
	size_t	 i;

	if (!json_is_array(hosts))
		return -1;
	fputs("HOST\n", out);
	json_array_foreach(hosts, i, h) {
		fmt_put(out, json_is_string(h) && json_string_length(h) > 0 ?
		    json_string_value(h) : "-");
		fputc('\n', out);
	}
	return 0;
}

/*
 * ": last reload ok at TIME" or "...failed at TIME: ERROR; ...", without
 * " at TIME" if the time is missing or 0; nothing without "ok".
 */
static void
fmt_reload(FILE *out, const json_t *reload)
{
	static const struct fmt_field time = { "time", "time", FMT_LOCAL_MS };
	static const struct fmt_field error = { "error", "error", FMT_STR };
	const json_t	*ok;
	const char	*t;
	char		 buf[FMT_CELL_LEN];

	ok = json_is_object(reload) ? json_object_get(reload, "ok") : NULL;
	if (!json_is_boolean(ok))
		return;
	fputs(": last reload ", out);
	fputs(json_is_true(ok) ? "ok" : "failed", out);
	if (strcmp(t = fmt_value(reload, &time, buf), "-") != 0) {
		fputs(" at ", out);
		fmt_put(out, t);
	}
	if (json_is_true(ok))
		return;
	fputs(": ", out);
	fmt_put(out, fmt_value(reload, &error, buf));
	fputs("; the policy below stays in force", out);
}

int
fmt_policy(FILE *out, json_t *policy)
{
	static const struct fmt_field file = { "file", "file", FMT_STR };
	static const struct fmt_field mode = { "mode", "mode", FMT_STR };
	static const struct fmt_field text = { "text", "text", FMT_STR };
	char		 buf[FMT_CELL_LEN];
	const char	*s;

	if (!json_is_object(policy))
		return -1;
	fputs("# ", out);
	if (strcmp(s = fmt_value(policy, &file, buf), "-") == 0)
		s = "the built-in default policy";
	fmt_put(out, s);
	fputs(" (mode ", out);
	fmt_put(out, fmt_value(policy, &mode, buf));
	fputc(')', out);
	fmt_reload(out, json_object_get(policy, "reload"));
	fputc('\n', out);
	if (strcmp(s = fmt_value(policy, &text, buf), "-") != 0)
		fmt_put_text(out, s, "");
	return 0;
}

void
fmt_progress(char *buf, size_t len, const json_t *migration)
{
	static const struct fmt_field id = { "ID", "id", FMT_INT };
	static const struct fmt_field state = { "STATE", "state", FMT_STR };
	static const struct fmt_field progress =
	    { "PROGRESS", "progress", FMT_PERMILLE };
	char		 b1[FMT_CELL_LEN], b2[FMT_CELL_LEN], b3[FMT_CELL_LEN];
	char		 st[FMT_CELL_LEN];
	const char	*pct;

	fmt_sanitize(st, sizeof(st), fmt_value(migration, &state, b2));
	pct = fmt_value(migration, &progress, b3);
	if (strcmp(pct, "-") == 0)
		snprintf(buf, len, "migration %s: %s",
		    fmt_value(migration, &id, b1), st);
	else
		snprintf(buf, len, "migration %s: %s %s",
		    fmt_value(migration, &id, b1), st, pct);
}
