/* SPDX-License-Identifier: ISC */
/*
 * bench/rrd: sustained VM-updates per second through ballast's real RRD
 * exporter (exporters/rrd.c: the model read at each tick, one file per
 * VM and host, BATCH over its own socket) with a real rrdcached, and,
 * in the same run and on the same files: librrd's rrdc_update() one
 * value per call, and direct rrd_update_r() one value per call.
 *
 * The workload is the steady state of a cluster reporting every 10 s
 * under rrdcached's default write timeout (-w 300): each VM file gets
 * 30 values per write.  A window is 30 ticks of the model (sample time
 * +10 s each, every host reporting), then FLUSHALL, then the wait
 * until rrdcached says (STATS DataSetsWritten) that every value is in
 * the files.  "Queued" is until rrdcached answered the last BATCH;
 * "sustained" is until the values are on disk.  Files are created in
 * an untimed first round.
 *
 *   bench/rrd [--vms 1000] [--per-host 50] [--values 30] [--windows 3]
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "clusterstat.h"
#include "model.h"
#include "rrd.h"
#include "rrdbatch.h"
#include "util.h"
#include "wire.h"

#define T0_S		1700000000LL
#define SEC		1000000000ULL
#define TARGET		50000.0

struct host {
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
	wire_vm				*vms, **vmp;
	uint8_t				 hu[16], (*vu)[16];
	char				 name[32], (*vname)[32];
};

struct bench {
	size_t		 vms, per_host, values, windows, nhosts;
	struct host	*hosts;
	struct model	*model;
	struct rrdx	*rrdx;
	char		 dir[64], rrd_dir[128], addr[160];
	pid_t		 rrdcached;
	int64_t		 t;		/* sample time of the last round, s */
};

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "rrd: %s: %s\n", what, why);
	exit(1);
}

static void
parse(struct bench *b, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "vms", required_argument, NULL, 'v' },
		{ "per-host", required_argument, NULL, 'p' },
		{ "values", required_argument, NULL, 'n' },
		{ "windows", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t	 v;
	int	 ch;

	b->vms = 1000;
	b->per_host = 50;
	b->values = 30;
	b->windows = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == '?' || util_parse_i64(optarg, 1, 100000, &v) < 0) {
			fprintf(stderr, "usage: rrd [--vms N] [--per-host N] "
			    "[--values N] [--windows N]\n");
			exit(2);
		}
		if (ch == 'v') b->vms = (size_t)v;
		else if (ch == 'p') b->per_host = (size_t)v;
		else if (ch == 'n') b->values = (size_t)v;
		else b->windows = (size_t)v;
	}
	if (b->per_host > WIRE_MAX_VMS)
		die("--per-host", "at most 4096");
	b->nhosts = (b->vms + b->per_host - 1) / b->per_host;
}

static void
build_host(struct bench *b, size_t h)
{
	struct host	*ho = &b->hosts[h];
	size_t		 i, n = b->per_host;

	if (h == b->nhosts - 1 && b->vms % b->per_host)
		n = b->vms % b->per_host;
	if ((ho->vms = calloc(n, sizeof(*ho->vms))) == NULL ||
	    (ho->vmp = calloc(n, sizeof(*ho->vmp))) == NULL ||
	    (ho->vu = calloc(n, sizeof(*ho->vu))) == NULL ||
	    (ho->vname = calloc(n, sizeof(*ho->vname))) == NULL)
		die("build", "out of memory");
	ballast__v1__host_report__init(&ho->r);
	ballast__v1__host_capacity__init(&ho->cap);
	ballast__v1__host_counters__init(&ho->ctr);
	snprintf(ho->name, sizeof(ho->name), "bh%04zu", h);
	util_uuid_from_name("bench-host", ho->name, ho->hu);
	ho->r.host_uuid.data = ho->hu;
	ho->r.host_uuid.len = 16;
	ho->r.host_name = ho->name;
	ho->r.cluster = (char *)(uintptr_t)"bench";
	ho->r.incarnation = 1;
	ho->r.interval_ms = 10000;
	ho->cap.cpus = 64;
	ho->cap.cpu_mhz = 2600;
	ho->cap.memory_bytes = 512ULL << 30;
	ho->r.capacity = &ho->cap;
	ho->r.counters = &ho->ctr;
	for (i = 0; i < n; i++) {
		ballast__v1__vm_sample__init(&ho->vms[i]);
		snprintf(ho->vname[i], sizeof(ho->vname[i]), "bv%06zu",
		    h * b->per_host + i);
		util_uuid_from_name("bench-vm", ho->vname[i], ho->vu[i]);
		ho->vms[i].uuid.data = ho->vu[i];
		ho->vms[i].uuid.len = 16;
		ho->vms[i].name = ho->vname[i];
		ho->vms[i].state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
		ho->vms[i].vcpus = 2;
		ho->vms[i].mem_max_bytes = 4ULL << 30;
		ho->vms[i].mem_rss_bytes = 2ULL << 30;
		ho->vmp[i] = &ho->vms[i];
	}
	ho->r.vms = ho->vmp;
	ho->r.n_vms = n;
}

/* One report of every host, 10 s after the last; counters grow. */
static void
round_reports(struct bench *b, uint64_t k)
{
	struct host	*ho;
	size_t		 h, i;

	b->t = T0_S + 10 * (int64_t)k;
	for (h = 0; h < b->nhosts; h++) {
		ho = &b->hosts[h];
		ho->r.seq = k + 1;
		ho->r.sample_time_ms = (uint64_t)b->t * 1000;
		ho->ctr.cpu_busy_ns = k * 10 * 20 * SEC;
		ho->ctr.cpu_idle_ns = k * 10 * 44 * SEC;
		for (i = 0; i < ho->r.n_vms; i++) {
			ho->vms[i].cpu_time_ns = k * 10 * SEC * (1 + i % 3) / 2;
			ho->vms[i].blk_rd_bytes = k * 10 * 4096 * (i + 1);
			ho->vms[i].net_rx_bytes = k * 10 * 1500 * (i + 1);
		}
		if (model_apply_report(b->model, &ho->r, (int64_t)k * 10000) < 0)
			die("model_apply_report", "refused");
	}
}

static void
tick(struct bench *b)
{
	struct clusterstat		 cs;
	struct rrdx_cluster_sample	 s;
	char				 err[512];

	clusterstat_compute(b->model, &cs);
	memset(&s, 0, sizeof(s));
	s.imbalance = cs.imbalance;
	s.hosts = cs.hosts;
	s.vms = cs.vms;
	if (rrdx_tick(b->rrdx, b->model, &s, util_now_mono_ms(), err,
	    sizeof(err)) < 0)
		die("rrdx_tick", err);
}

static void
start_rrdcached(struct bench *b)
{
	char	 sock[128], jdir[96], pid[96], *ans = NULL, err[256];
	int	 i;

	snprintf(sock, sizeof(sock), "unix:%s/rrdcached.sock", b->dir);
	snprintf(jdir, sizeof(jdir), "%s/journal", b->dir);
	snprintf(pid, sizeof(pid), "%s/rrdcached.pid", b->dir);
	util_strlcpy(b->addr, sock, sizeof(b->addr));
	if (mkdir(jdir, 0750) == -1 || mkdir(b->rrd_dir, 0750) == -1)
		die(b->dir, strerror(errno));
	if ((b->rrdcached = fork()) == -1)
		die("fork", strerror(errno));
	if (b->rrdcached == 0) {
		execlp("rrdcached", "rrdcached", "-g", "-l", sock, "-b",
		    b->rrd_dir, "-B", "-j", jdir, "-p", pid, "-w", "300",
		    "-f", "3600", "-t", "4", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if (rrdbatch_command(b->addr, "PING", 1000, &ans, err,
		    sizeof(err)) == 0) {
			free(ans);
			return;
		}
		util_sleep_ms(50, NULL);
	}
	die("rrdcached does not answer", err);
}

/* rrdcached's DataSetsWritten: values written to the files so far. */
static uint64_t
written(const struct bench *b)
{
	char		*ans = NULL, *p, err[256];
	int64_t		 v = 0;
	size_t		 n;
	char		 num[24];

	if (rrdbatch_command(b->addr, "STATS", 5000, &ans, err,
	    sizeof(err)) < 0)
		die("STATS", err);
	if ((p = strstr(ans, "DataSetsWritten: ")) != NULL) {
		p += strlen("DataSetsWritten: ");
		n = strspn(p, "0123456789");
		if (n > 0 && n < sizeof(num)) {
			memcpy(num, p, n);
			num[n] = '\0';
			util_parse_i64(num, 0, INT64_MAX, &v);
		}
	}
	free(ans);
	return (uint64_t)v;
}

static void
flush_and_wait(struct bench *b, uint64_t want)
{
	char	 err[512];

	if (rrdx_flush(b->rrdx, 60000, err, sizeof(err)) < 0)
		die("rrdx_flush", err);
	while (written(b) < want)
		util_sleep_ms(2, NULL);
}

static double
now_s(void)
{
	return (double)util_now_mono_ns() / 1e9;
}

/* The exporter with rrdcached: returns queued and sustained rates. */
static void
run_exporter(struct bench *b, double *queued, double *sustained)
{
	const struct rrdx_stats	*st = rrdx_stats(b->rrdx);
	uint64_t		 k = 1, w0, u0, vm_updates = 0;
	double			 t0, tq = 0, t1;
	size_t			 win, i;

	round_reports(b, 0);		/* untimed: creates the files */
	tick(b);
	flush_and_wait(b, st->updates);
	w0 = written(b);
	u0 = st->updates;
	t0 = now_s();
	for (win = 0; win < b->windows; win++) {
		t1 = now_s();
		for (i = 0; i < b->values; i++, k++) {
			round_reports(b, k);
			tick(b);
			vm_updates += b->vms;
		}
		while (st->queued > 0)
			tick(b);
		tq += now_s() - t1;
		flush_and_wait(b, w0 + (st->updates - u0) - st->duplicates);
	}
	t1 = now_s();
	if (st->refused > 0 || st->dropped > 0)
		die("rrdcached", "refused or dropped updates");
	*queued = (double)vm_updates / tq;
	*sustained = (double)vm_updates / (t1 - t0);
}

/* The VM files' paths, in model order. */
static char **
vm_paths(const struct bench *b)
{
	const struct model_vm	*vm;
	char			**p, us[UTIL_UUID_STRLEN];
	size_t			 i, n = model_vm_count(b->model);

	if ((p = calloc(n, sizeof(*p))) == NULL)
		die("paths", "out of memory");
	for (i = 0; (vm = model_vm_at(b->model, i)) != NULL; i++) {
		util_uuid_fmt(vm->uuid, us);
		if ((p[i] = malloc(PATH_MAX)) == NULL ||
		    rrdx_path(b->rrd_dir, RRDX_VM, us, p[i], PATH_MAX) < 0)
			die("paths", "out of memory");
	}
	return p;
}

/* One value per call: librrd's rrdc_update(), or rrd_update_r(). */
static double
run_single(struct bench *b, char **paths, int daemon, size_t rounds)
{
	const char	*argv[1];
	char		 val[128];
	size_t		 r, i;
	double		 t0;
	int		 rc;

	if (daemon && rrdc_connect(b->addr) != 0)
		die("rrdc_connect", rrd_get_error());
	t0 = now_s();
	for (r = 0; r < rounds; r++) {
		b->t += 10;
		snprintf(val, sizeof(val), "%lld:1300:0:2147483648:40960:0:"
		    "15000:0", (long long)b->t);
		argv[0] = val;
		for (i = 0; i < b->vms; i++) {
			rc = daemon ? rrdc_update(paths[i], 1, argv) :
			    rrd_update_r(paths[i], NULL, 1, argv);
			if (rc != 0)
				die(paths[i], rrd_get_error());
		}
	}
	t0 = now_s() - t0;
	if (daemon)
		rrdc_disconnect();
	return (double)(rounds * b->vms) / t0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
cleanup(struct bench *b)
{
	int	 status;

	if (b->rrdcached > 0) {
		kill(b->rrdcached, SIGTERM);
		waitpid(b->rrdcached, &status, 0);
	}
	nftw(b->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(int argc, char *argv[])
{
	struct rrdx_config	 cfg;
	struct bench		 b;
	char			 err[512], **paths, *ans = NULL;
	double			 queued, sustained, single, direct;
	uint64_t		 before;
	size_t			 i;

	memset(&b, 0, sizeof(b));
	parse(&b, argc, argv);
	snprintf(b.dir, sizeof(b.dir), "/tmp/ballast-bench-rrd.XXXXXX");
	if (mkdtemp(b.dir) == NULL)
		die("mkdtemp", strerror(errno));
	snprintf(b.rrd_dir, sizeof(b.rrd_dir), "%s/rrd", b.dir);
	start_rrdcached(&b);
	if ((b.hosts = calloc(b.nhosts, sizeof(*b.hosts))) == NULL ||
	    (b.model = model_new(NULL)) == NULL)
		die("build", "out of memory");
	for (i = 0; i < b.nhosts; i++)
		build_host(&b, i);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = b.rrd_dir;
	cfg.daemon = b.addr;
	cfg.create_budget_ms = 1000000;
	if ((b.rrdx = rrdx_new(&cfg, err, sizeof(err))) == NULL)
		die("rrdx_new", err);
	printf("rrd: %zu VMs on %zu hosts, %zu values per VM file per write, "
	    "%zu windows, rrdcached -t 4 -j\n", b.vms, b.nhosts, b.values,
	    b.windows);
	run_exporter(&b, &queued, &sustained);
	paths = vm_paths(&b);
	before = written(&b);
	single = run_single(&b, paths, 1, b.values);
	if (rrdbatch_command(b.addr, "FLUSHALL", 5000, &ans, err,
	    sizeof(err)) < 0)
		die("FLUSHALL", err);
	free(ans);
	while (written(&b) < before + b.values * b.vms)
		util_sleep_ms(2, NULL);
	direct = run_single(&b, paths, 0, b.values);
	printf("exporter through rrdcached, BATCH, queued:      %9.0f "
	    "VM-updates/s\n", queued);
	printf("exporter through rrdcached, sustained (on disk): %9.0f "
	    "VM-updates/s\n", sustained);
	printf("librrd rrdc_update, one value per call, queued: %9.0f "
	    "VM-updates/s\n", single);
	printf("direct rrd_update_r, one value per call:        %9.0f "
	    "VM-updates/s\n", direct);
	printf("bench rrd sustained_per_s=%.0f direct_per_s=%.0f ratio=%.2f "
	    "target=%.0f %s\n", sustained, direct, sustained / direct, TARGET,
	    sustained >= TARGET ? "PASS" : "FAIL");
	for (i = 0; i < b.vms; i++)
		free(paths[i]);
	free(paths);
	rrdx_free(b.rrdx);
	model_free(b.model);
	cleanup(&b);
	return sustained >= TARGET ? 0 : 1;
}
