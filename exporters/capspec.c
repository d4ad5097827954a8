/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capspec.h"
#include "util.h"

#define CAPSPEC_MAX_S	(10LL * 366 * 86400)

int
capspec_push(const char **list, size_t *n, const char *word)
{
	if (*n >= CAP_MAX_WHATIF)
		return -E2BIG;
	list[(*n)++] = word;
	return 0;
}

/* Splits a comma-separated list into buf and the request's list. */
static int
capspec_split(const char *v, char *buf, const char **list, size_t *n)
{
	char	*p, *next;

	if (v == NULL)
		return 0;
	if (strlen(v) >= CAPSPEC_LIST_LEN)
		return -E2BIG;
	memcpy(buf, v, strlen(v) + 1);
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (*p != '\0' && capspec_push(list, n, p) < 0)
			return -E2BIG;
	}
	return 0;
}

int
capspec_request(struct capspec_req *q, struct capspec_lists *l,
    capspec_get_fn get, void *arg)
{
	memset(q, 0, sizeof(*q));
	q->range = get(arg, "range");
	q->horizon = get(arg, "horizon");
	q->slot = get(arg, "slot");
	q->buffer = get(arg, "buffer");
	q->reserve = get(arg, "reserve");
	q->core_mhz = get(arg, "core_mhz");
	q->disk_cap = get(arg, "disk_cap");
	q->net_cap = get(arg, "net_cap");
	q->end = get(arg, "end");
	if (capspec_split(get(arg, "add"), l->add, q->add, &q->nadd) < 0 ||
	    capspec_split(get(arg, "add_like"), l->like, q->add_like,
	    &q->nadd_like) < 0 ||
	    capspec_split(get(arg, "remove_host"), l->rm, q->remove_host,
	    &q->nremove_host) < 0 ||
	    capspec_split(get(arg, "add_host"), l->host, q->add_host,
	    &q->nadd_host) < 0)
		return -E2BIG;
	return 0;
}

/* Splits "123unit" into a whole number and its unit. */
static int
capspec_number(const char *s, int64_t max, int64_t *v, const char **unit)
{
	char	 num[24];
	size_t	 n = strspn(s, "0123456789");

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	*unit = s + n;
	return util_parse_i64(num, 1, max, v);
}

int
capspec_duration(const char *s, int64_t *out)
{
	static const struct { const char *u; int64_t s; } units[] = {
		{ "h", 3600 }, { "d", 86400 }, { "w", 7 * 86400 },
		{ "y", 365 * 86400 },
	};
	const char	*unit;
	int64_t		 v;
	size_t		 i;

	if (capspec_number(s, 100000, &v, &unit) < 0)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit, units[i].u) == 0) {
			if (v * units[i].s > CAPSPEC_MAX_S)
				return -ERANGE;
			*out = v * units[i].s;
			return 0;
		}
	return -EINVAL;
}

/* "4", "4c", "4cpu", "4vcpu", "4vcpus", "4cores" into a count. */
static int
capspec_cpus(const char *s, double *out)
{
	static const char *const units[] = {
		"", "c", "cpu", "cpus", "vcpu", "vcpus", "core", "cores",
	};
	const char	*unit;
	int64_t		 v;
	size_t		 i;

	if (capspec_number(s, 4096, &v, &unit) < 0)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(unit, units[i]) == 0) {
			*out = (double)v;
			return 0;
		}
	return -EINVAL;
}

/* "30%" or "30" into 0.30, from 1 % to 100 %. */
static int
capspec_share(const char *s, double min, double *out)
{
	char	 num[32];
	size_t	 n = strlen(s);
	double	 v;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	if (num[n - 1] == '%')
		num[n - 1] = '\0';
	if (util_parse_double(num, min, 100.0, &v) < 0)
		return -EINVAL;
	*out = v / 100.0;
	return 0;
}

/* Splits s at ':' into at most `max` fields of buf; returns how many. */
static size_t
capspec_fields(const char *s, char *buf, size_t len, char **f, size_t max)
{
	size_t	 n = 0;
	char	*p;

	if (util_strlcpy(buf, s, len) >= len)
		return 0;
	for (p = buf; n < max; n++) {
		f[n] = p;
		if ((p = strchr(p, ':')) == NULL)
			return n + 1;
		*p++ = '\0';
	}
	return max + 1;		/* too many */
}

int
capspec_size(const char *s, double core_mhz, struct cap_size *out)
{
	char		 buf[128], *f[3];
	double		 cpus, use = 1.0;
	uint64_t	 mem;
	size_t		 n = capspec_fields(s, buf, sizeof(buf), f, 3);

	if (n < 2 || n > 3 || capspec_cpus(f[0], &cpus) < 0 ||
	    util_parse_bytes(f[1], &mem) < 0 || mem == 0 ||
	    (n == 3 && capspec_share(f[2], 0.1, &use) < 0))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->v[CAPH_CPU] = cpus * core_mhz * use;
	out->v[CAPH_MEM] = (double)mem;
	return 0;
}

int
capspec_time(const char *s, time_t *out)
{
	static const char *const fmts[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
	};
	struct tm	 tm;
	const char	*end;
	int64_t		 v;
	size_t		 i;

	if (util_parse_i64(s, 1, INT32_MAX * 4LL, &v) == 0) {
		*out = (time_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, fmts[i], &tm)) != NULL && *end == '\0') {
			*out = timegm(&tm);
			return *out > 0 ? 0 : -EINVAL;
		}
	}
	return -EINVAL;
}

int
capspec_bits(const char *s, double *bits)
{
	static const struct { const char *u; double m; } units[] = {
		{ "", 1 }, { "k", 1e3 }, { "m", 1e6 }, { "g", 1e9 },
		{ "t", 1e12 }, { "kbit", 1e3 }, { "mbit", 1e6 },
		{ "gbit", 1e9 }, { "tbit", 1e12 }, { "bit", 1 },
	};
	char	 num[32];
	size_t	 n = strspn(s, "0123456789."), i;
	double	 v;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (util_parse_double(num, 1e-3, 1e15, &v) < 0)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(s + n, units[i].u) == 0) {
			*bits = v * units[i].m;
			return 0;
		}
	return -EINVAL;
}

/* "COUNTxREST" into the count and REST; no prefix: 1 when optional. */
static int
capspec_count(const char *s, int optional, unsigned *count,
    const char **rest)
{
	const char	*x = strchr(s, 'x');
	char		 num[16];
	int64_t		 v;

	if (x == NULL || x == s || strspn(s, "0123456789") != (size_t)(x - s)) {
		if (!optional)
			return -EINVAL;
		*count = 1;
		*rest = s;
		return 0;
	}
	if ((size_t)(x - s) >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, (size_t)(x - s));
	num[x - s] = '\0';
	if (util_parse_i64(num, 1, CAPSPEC_MAX_COUNT, &v) < 0)
		return -EINVAL;
	*count = (unsigned)v;
	*rest = x + 1;
	return 0;
}

static int
capspec_bad(char *err, size_t errlen, const char *opt, const char *word,
    const char *want)
{
	snprintf(err, errlen, "%s: \"%s\" is not %s", opt, word, want);
	return -EINVAL;
}

/* The per-host limits of the policy, and the buffers they imply. */
static void
capspec_policy(struct cap_opts *o, const struct policy *p)
{
	static const int map[CAPH_NRES] = {
		POLICY_CPU, POLICY_MEM, POLICY_DISK, POLICY_NET,
	};
	const struct policy_threshold	*hot;
	size_t				 r;

	for (r = 0; r < CAPH_NRES; r++) {
		hot = &p->hot[map[r]];
		if (r == CAPH_MEM)
			o->limit[r] = 1.0 - p->mem_headroom;
		else
			o->limit[r] = hot->set ? hot->level : 1.0;
		o->limit[r] -= p->reserve[map[r]];
		if (o->limit[r] < 0.05)
			o->limit[r] = 0.05;
		o->buffer[r] = 1.0 - o->limit[r];
	}
	o->keep_n1 = p->reserve_n1;
	util_strlcpy(o->buffer_from, "the policy", sizeof(o->buffer_from));
}

static int
capspec_whatif(const struct capspec_req *q, struct cap_opts *o, char *err,
    size_t errlen)
{
	struct cap_whatif	*wi = &o->wi;
	const char		*rest, *c;
	char			 name[CAPH_NAME_LEN];
	int64_t			 v;
	size_t			 i;

	if (q->nadd + q->nadd_like > CAP_MAX_WHATIF) {
		snprintf(err, errlen, "at most %d --add and --add-like in all",
		    CAP_MAX_WHATIF);
		return -EINVAL;
	}
	for (i = 0; i < q->nadd; i++) {
		struct cap_add	*a = &wi->add[wi->nadd++];

		util_strlcpy(a->label, q->add[i], sizeof(a->label));
		if (capspec_count(q->add[i], 0, &a->count, &rest) < 0 ||
		    capspec_size(rest, o->core_mhz, &a->size) < 0)
			return capspec_bad(err, errlen, "--add", q->add[i],
			    "COUNTxVCPUS:MEMORY[:USE], e.g. 20x4vcpu:16g:30%");
	}
	for (i = 0; i < q->nadd_like; i++) {
		struct cap_add	*a = &wi->add[wi->nadd++];

		util_strlcpy(a->label, q->add_like[i], sizeof(a->label));
		c = strrchr(q->add_like[i], ':');
		if (c == NULL ||
		    c == q->add_like[i] || (size_t)(c - q->add_like[i]) >=
		    sizeof(name) || util_parse_i64(c + 1, 1, CAPSPEC_MAX_COUNT,
		    &v) < 0)
			return capspec_bad(err, errlen, "--add-like",
			    q->add_like[i], "VMNAME:COUNT, e.g. db-3:10");
		memcpy(name, q->add_like[i], (size_t)(c - q->add_like[i]));
		name[c - q->add_like[i]] = '\0';
		util_strlcpy(a->like, name, sizeof(a->like));
		a->count = (unsigned)v;
	}
	for (i = 0; i < q->nremove_host; i++)
		util_strlcpy(wi->remove[wi->nremove++], q->remove_host[i],
		    sizeof(wi->remove[0]));
	for (i = 0; i < q->nadd_host; i++) {
		struct cap_newhost	*h = &wi->newhost[wi->nnewhost++];
		struct cap_size		 s;

		util_strlcpy(h->label, q->add_host[i], sizeof(h->label));
		if (capspec_count(q->add_host[i], 1, &h->count, &rest) < 0 ||
		    capspec_size(rest, o->core_mhz, &s) < 0)
			return capspec_bad(err, errlen, "--add-host",
			    q->add_host[i], "[COUNTx]CORES:MEMORY, e.g. 32c:256g");
		h->cap[CAPH_CPU] = s.v[CAPH_CPU];
		h->cap[CAPH_MEM] = s.v[CAPH_MEM];
	}
	return 0;
}

/* The options that are plain numbers and sizes. */
static int
capspec_numbers(const struct capspec_req *q, struct cap_opts *o, char *err,
    size_t errlen)
{
	uint64_t	 b;
	double		 v;
	int64_t		 n;
	size_t		 r;

	if (q->buffer != NULL) {
		if (capspec_share(q->buffer, 0.0, &v) < 0 || v > 0.9)
			return capspec_bad(err, errlen, "--buffer", q->buffer,
			    "a percentage from 0% to 90%");
		for (r = 0; r < CAPH_NRES; r++)
			o->buffer[r] = v;
		util_strlcpy(o->buffer_from, "--buffer",
		    sizeof(o->buffer_from));
	}
	if (q->reserve != NULL) {
		if (util_parse_i64(q->reserve, 0, 100, &n) < 0)
			return capspec_bad(err, errlen, "--reserve", q->reserve,
			    "a number of hosts from 0 to 100");
		o->reserve_hosts = (unsigned)n;
	}
	if (q->disk_cap != NULL) {
		if (util_parse_bytes(q->disk_cap, &b) < 0 || b == 0)
			return capspec_bad(err, errlen, "--disk-cap",
			    q->disk_cap, "bytes per second, e.g. 512m");
		o->host_cap[CAPH_DISK] = (double)b;
	}
	if (q->net_cap != NULL) {
		if (capspec_bits(q->net_cap, &v) < 0)
			return capspec_bad(err, errlen, "--net-cap", q->net_cap,
			    "bits per second, e.g. 10g or 25gbit");
		o->host_cap[CAPH_NET] = v / 8.0;
	}
	return 0;
}

/* range, horizon, end, core MHz and slot. */
static int
capspec_times(const struct capspec_req *q, struct cap_opts *o, time_t *end,
    char *err, size_t errlen)
{
	if (q->range != NULL && (capspec_duration(q->range, &o->range_s) < 0 ||
	    o->range_s < 86400))
		return capspec_bad(err, errlen, "--range", q->range,
		    "a duration from 1d to 10y, e.g. 30d");
	if (q->horizon != NULL && (capspec_duration(q->horizon,
	    &o->horizon_s) < 0 || o->horizon_s < 86400))
		return capspec_bad(err, errlen, "--horizon", q->horizon,
		    "a duration from 1d to 10y, e.g. 90d");
	if (q->end != NULL && capspec_time(q->end, end) < 0)
		return capspec_bad(err, errlen, "--end", q->end,
		    "Unix seconds or YYYY-MM-DD[THH:MM[:SS]] (UTC)");
	if (q->core_mhz != NULL) {
		if (util_parse_double(q->core_mhz, 100.0, 20000.0,
		    &o->core_mhz) < 0)
			return capspec_bad(err, errlen, "--core-mhz",
			    q->core_mhz, "MHz from 100 to 20000");
		o->core_mhz_assumed = 0;
	}
	if (q->slot != NULL) {
		if (capspec_size(q->slot, o->core_mhz, &o->slot) < 0)
			return capspec_bad(err, errlen, "--slot", q->slot,
			    "VCPUS:MEMORY[:USE], e.g. 4vcpu:16g");
		o->slot_set = 1;
		util_strlcpy(o->slot_label, q->slot, sizeof(o->slot_label));
	}
	return 0;
}

int
capspec_apply(const struct capspec_req *q, const struct policy *pol,
    double core_mhz, struct cap_opts *o, time_t *end, char *err,
    size_t errlen)
{
	struct policy	*def = NULL;
	int		 rc;

	memset(o, 0, sizeof(*o));
	*end = 0;
	o->range_s = CAPSPEC_RANGE_S;
	o->horizon_s = CAPSPEC_HORIZON_S;
	o->reserve_hosts = 1;
	o->core_mhz = core_mhz > 0.0 ? core_mhz : CAPSPEC_CORE_MHZ;
	o->core_mhz_assumed = !(core_mhz > 0.0);
	if (pol == NULL) {
		if ((def = malloc(sizeof(*def))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		policy_defaults(def);
		pol = def;
	}
	capspec_policy(o, pol);
	free(def);
	if ((rc = capspec_times(q, o, end, err, errlen)) < 0 ||
	    (rc = capspec_numbers(q, o, err, errlen)) < 0)
		return rc;
	return capspec_whatif(q, o, err, errlen);
}
