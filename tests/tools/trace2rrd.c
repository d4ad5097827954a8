/* SPDX-License-Identifier: ISC */
/*
 * trace2rrd: writes the RRD history a balancer would have kept for a
 * simulated cluster replaying Bitbrains traces, at the traces' own
 * timestamps, without running it -- for the capacity-report tests and
 * the forecast-accuracy figures of BENCHMARKS.md.
 *
 *   trace2rrd --traces PATH --out DIR [--hosts 8] [--host-cpus 32]
 *       [--host-mhz 2600] [--host-mem 256g] [--days N] [--vms N]
 *       [--no-vms]
 *
 * The placement is that of the balancing-quality model: VM i (files in
 * numeric order) on host hv(i mod H + 1), never moved.  A VM's value in
 * a 5-minute slot is written at the slot's end; a host's is the sum of
 * its VMs (a VM with no row in the slot counts 0 and its own file gets
 * "unknown").  Files have the layout of exporters/rrd.h (rrdx_create),
 * VM names go to vms/names.tsv, UUIDs are ballast-sim's.  --days keeps
 * the first N days from the first slot.  Prints one line: what it wrote.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rrd.h>

#include "rrd.h"
#include "trace.h"
#include "util.h"

#define T2R_BATCH	256		/* updates per rrd_update_r call */
#define T2R_LINE	256

struct t2r {
	const char		*traces, *out;
	unsigned		 hosts, cpus, mhz, days, max_vms;
	uint64_t		 mem;
	int			 vms;		/* write VM files */
	struct trace_set	*ts;
	size_t			 nslots;
};

/* A batch of "TIME:v:v..." updates for one file. */
struct t2r_batch {
	char		 buf[T2R_BATCH][T2R_LINE];
	const char	*argv[T2R_BATCH];
	int		 n;
	const char	*path;
};

static int
t2r_flush(struct t2r_batch *b)
{
	int	 rc = 0;

	if (b->n == 0)
		return 0;
	rrd_clear_error();
	if (rrd_update_r(b->path, NULL, b->n, b->argv) != 0) {
		fprintf(stderr, "trace2rrd: %s: %s\n", b->path, rrd_get_error());
		rc = -1;
	}
	b->n = 0;
	return rc;
}

static int
t2r_add(struct t2r_batch *b, const char *line)
{
	util_strlcpy(b->buf[b->n], line, T2R_LINE);
	b->argv[b->n] = b->buf[b->n];
	if (++b->n == T2R_BATCH)
		return t2r_flush(b);
	return 0;
}

static int
t2r_create(const char *dir, enum rrdx_kind k, const char *id, time_t start,
    char *path, size_t len)
{
	char	 err[1024];

	if (rrdx_path(dir, k, id, path, len) < 0 ||
	    rrdx_create(path, k, start, err, sizeof(err)) < 0) {
		fprintf(stderr, "trace2rrd: %s: %s\n", id, err);
		return -1;
	}
	return 0;
}

/* "N" or "U" for a value. */
static void
t2r_val(char *buf, size_t len, double v, int known)
{
	if (known)
		snprintf(buf, len, ":%.6f", v);
	else
		util_strlcpy(buf, ":U", len);
}

/* The time a slot's value is written at: its end. */
static time_t
t2r_time(const struct t2r *t, size_t s)
{
	return (time_t)((t->ts->slot0 + (int64_t)s + 1) * t->ts->slot_s);
}

static void
t2r_uuid(const char *name, char out[UTIL_UUID_STRLEN])
{
	uint8_t	 u[16];

	util_uuid_from_name("ballast-sim-vm", name, u);
	util_uuid_fmt(u, out);
}

/* One VM's file: its rows where it had one, unknown elsewhere. */
static int
t2r_vm(const struct t2r *t, size_t i, struct t2r_batch *b)
{
	const struct trace_vm	*vm = &t->ts->vms[i];
	char			 path[PATH_MAX], us[UTIL_UUID_STRLEN];
	char			 line[T2R_LINE], v[6][32];
	size_t			 s, m;
	int			 p;

	t2r_uuid(vm->name, us);
	if (t2r_create(t->out, RRDX_VM, us, t2r_time(t, 0) - 300, path,
	    sizeof(path)) < 0)
		return -1;
	b->path = path;
	for (s = 0; s < t->nslots; s++) {
		p = vm->present[s] != 0;
		for (m = 0; m < TRACE_NMETRICS; m++)
			t2r_val(v[m], sizeof(v[m]), vm->v[m][s] *
			    (m == TRACE_CPU_MHZ ? 1.0 : 1024.0), p);
		snprintf(line, sizeof(line), "%lld%s%s%s%s%s%s%s",
		    (long long)t2r_time(t, s), v[TRACE_CPU_MHZ], p ? ":0" :
		    ":U", v[TRACE_MEM_KB], v[TRACE_DISK_RD_KBS],
		    v[TRACE_DISK_WR_KBS], v[TRACE_NET_RX_KBS],
		    v[TRACE_NET_TX_KBS]);
		if (t2r_add(b, line) < 0)
			return -1;
	}
	return t2r_flush(b);
}

/* One host's file: the sums of its VMs, and its capacity. */
static int
t2r_host(const struct t2r *t, unsigned h, struct t2r_batch *b)
{
	char	 path[PATH_MAX], name[32], line[T2R_LINE];
	double	 sum[TRACE_NMETRICS];
	size_t	 s, i, m;

	snprintf(name, sizeof(name), "hv%02u", h + 1);
	if (t2r_create(t->out, RRDX_HOST, name, t2r_time(t, 0) - 300, path,
	    sizeof(path)) < 0)
		return -1;
	b->path = path;
	for (s = 0; s < t->nslots; s++) {
		memset(sum, 0, sizeof(sum));
		for (i = h; i < t->ts->nvms; i += t->hosts)
			for (m = 0; m < TRACE_NMETRICS; m++)
				if (t->ts->vms[i].present[s])
					sum[m] += t->ts->vms[i].v[m][s];
		snprintf(line, sizeof(line), "%lld:%.6f:0:%.6f:%.6f:%.6f:%.6f:"
		    "%.6f:%u:%llu", (long long)t2r_time(t, s),
		    sum[TRACE_CPU_MHZ], sum[TRACE_MEM_KB] * 1024.0,
		    sum[TRACE_DISK_RD_KBS] * 1024.0,
		    sum[TRACE_DISK_WR_KBS] * 1024.0,
		    sum[TRACE_NET_RX_KBS] * 1024.0,
		    sum[TRACE_NET_TX_KBS] * 1024.0, t->cpus * t->mhz,
		    (unsigned long long)t->mem);
		if (t2r_add(b, line) < 0)
			return -1;
	}
	return t2r_flush(b);
}

static int
t2r_names(const struct t2r *t)
{
	char	 path[PATH_MAX], us[UTIL_UUID_STRLEN];
	FILE	*f;
	size_t	 i;

	snprintf(path, sizeof(path), "%s/vms/names.tsv", t->out);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "trace2rrd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# ballast VM names: UUID, a tab, the last name reported\n");
	for (i = 0; i < t->ts->nvms; i++) {
		t2r_uuid(t->ts->vms[i].name, us);
		fprintf(f, "%s\t%s\n", us, t->ts->vms[i].name);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
t2r_num(const char *opt, const char *arg, int64_t min, int64_t max,
    unsigned *out)
{
	int64_t	 v;

	if (util_parse_i64(arg, min, max, &v) < 0) {
		fprintf(stderr, "trace2rrd: %s wants a number from %lld to "
		    "%lld\n", opt, (long long)min, (long long)max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
t2r_option(struct t2r *t, int ch, const char *arg)
{
	switch (ch) {
	case 't':
		t->traces = arg;
		return 0;
	case 'o':
		t->out = arg;
		return 0;
	case 'H':
		return t2r_num("--hosts", arg, 1, 1000, &t->hosts);
	case 'c':
		return t2r_num("--host-cpus", arg, 1, 1024, &t->cpus);
	case 'z':
		return t2r_num("--host-mhz", arg, 100, 10000, &t->mhz);
	case 'm':
		return util_parse_bytes(arg, &t->mem) < 0 ? -1 : 0;
	case 'd':
		return t2r_num("--days", arg, 1, 366, &t->days);
	case 'v':
		return t2r_num("--vms", arg, 1, 100000, &t->max_vms);
	case 'n':
		t->vms = 0;
		return 0;
	default:
		return -1;
	}
}

static int
t2r_options(int argc, char **argv, struct t2r *t)
{
	static const struct option opts[] = {
		{ "traces", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "host-cpus", required_argument, NULL, 'c' },
		{ "host-mhz", required_argument, NULL, 'z' },
		{ "host-mem", required_argument, NULL, 'm' },
		{ "days", required_argument, NULL, 'd' },
		{ "vms", required_argument, NULL, 'v' },
		{ "no-vms", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		rc = t2r_option(t, ch, optarg);
	if (rc == 0 && (t->traces == NULL || t->out == NULL))
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "usage: trace2rrd --traces PATH --out DIR "
		    "[--hosts H] [--host-cpus N] [--host-mhz MHZ] [--host-mem "
		    "BYTES] [--days N] [--vms N] [--no-vms]\n");
	return rc;
}

static int
t2r_mkdir(const char *out, const char *sub)
{
	char	 dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s%s", out, sub);
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "trace2rrd: %s: %s\n", dir, strerror(errno));
	return -1;
}

static int
t2r_write(struct t2r *t)
{
	struct t2r_batch	*b;
	size_t			 i;
	int			 rc = 0;

	if (t2r_mkdir(t->out, "") < 0 || t2r_mkdir(t->out, "/hosts") < 0 ||
	    t2r_mkdir(t->out, "/vms") < 0 || (b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < t->hosts; i++)
		rc = t2r_host(t, (unsigned)i, b);
	for (i = 0; rc == 0 && t->vms && i < t->ts->nvms; i++)
		rc = t2r_vm(t, i, b);
	free(b);
	if (rc == 0)
		rc = t2r_names(t);
	return rc;
}

int
main(int argc, char **argv)
{
	struct t2r	 t;
	char		 err[512];
	int		 rc;

	memset(&t, 0, sizeof(t));
	t.hosts = 8;
	t.cpus = 32;
	t.mhz = 2600;
	t.mem = 256ULL << 30;
	t.vms = 1;
	if (t2r_options(argc, argv, &t) < 0)
		return 2;
	if (trace_load(t.traces, t.max_vms, &t.ts, err, sizeof(err)) < 0) {
		fprintf(stderr, "trace2rrd: %s\n", err);
		return 1;
	}
	t.nslots = t.ts->nslots;
	if (t.days > 0 && (size_t)t.days * 86400 / t.ts->slot_s < t.nslots)
		t.nslots = (size_t)t.days * 86400 / t.ts->slot_s;
	rc = t2r_write(&t);
	if (rc == 0)
		printf("trace2rrd: %zu VMs on %u hosts, %zu slots from %lld to "
		    "%lld into %s\n", t.ts->nvms, t.hosts, t.nslots,
		    (long long)t2r_time(&t, 0), (long long)t2r_time(&t,
		    t.nslots - 1), t.out);
	trace_free(t.ts);
	return rc == 0 ? 0 : 1;
}
