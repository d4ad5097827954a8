/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/rrd.c (direct writes, without rrdcached): the
 * file layout, paths, creation on first sight with values readable by
 * rrd_fetch_r at the reports' timestamps, host sums, unknown rates
 * after a first sample or a migration, the VM name map, a restart on
 * the same files, and a file that cannot be created (a full disk).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>
#include <rrd.h>

#include "testutil.h"
#include "testreport.h"

#include "rrd.h"
#include "util.h"

#define T0	1372636800LL		/* 2013-07-01 00:00 UTC, as the traces */
#define SEC	1000000000ULL

static char	 tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ballast-test-rrd.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct rrdx *
open_rrdx(void)
{
	struct rrdx_config	 cfg;
	struct rrdx		*x;
	char			 dir[PATH_MAX + 8], err[512];

	snprintf(dir, sizeof(dir), "%s/rrd", tmpdir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = dir;
	cfg.create_retry_ms = 1;
	if ((x = rrdx_new(&cfg, err, sizeof(err))) == NULL)
		fail_msg("rrdx_new: %s", err);
	return x;
}

static void
tick(struct rrdx *x, const struct model *m, int want_ok)
{
	struct rrdx_cluster_sample	 cs = { 0.25, 1, 0, 0, 2, 0 };
	char				 err[512] = "";
	int				 rc;

	rc = rrdx_tick(x, m, &cs, util_now_mono_ms(), err, sizeof(err));
	if (want_ok && rc != 0)
		fail_msg("rrdx_tick: %d %s", rc, err);
}

/*
 * The value of data source `ds` in the 10 s row ending at t (a
 * multiple of 10), read back with rrd_fetch_r.
 */
static double
fetch(const char *path, const char *ds, int64_t t)
{
	time_t		 start = (time_t)(t - 10), end = (time_t)t;
	unsigned long	 step, nds, i;
	char		**names;
	rrd_value_t	*data;
	double		 v = -1;

	rrd_clear_error();
	if (rrd_fetch_r(path, "AVERAGE", &start, &end, &step, &nds, &names,
	    &data) != 0)
		fail_msg("rrd_fetch_r %s: %s", path, rrd_get_error());
	assert_int_equal(step, 10);
	for (i = 0; i < nds; i++) {
		if (strcmp(names[i], ds) == 0)
			v = data[(size_t)((t - 10 - start) / 10) * nds + i];
		rrd_freemem(names[i]);
	}
	rrd_freemem(names);
	rrd_freemem(data);
	return v;
}

static void
path_of(enum rrdx_kind k, const char *id, char *buf, size_t len)
{
	char	 dir[PATH_MAX + 8];

	snprintf(dir, sizeof(dir), "%s/rrd", tmpdir);
	assert_int_equal(rrdx_path(dir, k, id, buf, len), 0);
}

static void
test_paths(void **state)
{
	char	 buf[256];

	(void)state;
	assert_int_equal(rrdx_path("/s/rrd", RRDX_HOST, "hv-01.a_b", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "/s/rrd/hosts/hv-01.a_b.rrd");
	assert_int_equal(rrdx_path("/s/rrd", RRDX_VM,
	    "0A000000-0000-0000-0000-0000000000FF", buf, sizeof(buf)), 0);
	assert_string_equal(buf,
	    "/s/rrd/vms/0a000000-0000-0000-0000-0000000000ff.rrd");
	assert_int_equal(rrdx_path("/s/rrd", RRDX_CLUSTER, NULL, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "/s/rrd/cluster.rrd");
	assert_int_equal(rrdx_path("/s", RRDX_HOST, "a/b", buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(rrdx_path("/s", RRDX_HOST, "..", buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(rrdx_path("/s", RRDX_HOST, "", buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(rrdx_path("/s", RRDX_VM, "not-a-uuid", buf,
	    sizeof(buf)), -EINVAL);
	assert_int_equal(rrdx_path("/s", RRDX_HOST, "hv01", buf, 10),
	    -ENAMETOOLONG);
}

/* Looks one key up in rrd_info_r's answer. */
static const rrd_info_t *
info_get(const rrd_info_t *i, const char *key)
{
	for (; i != NULL; i = i->next)
		if (strcmp(i->key, key) == 0)
			return i;
	fail_msg("no %s in rrd info", key);
	return NULL;
}

static void
test_layout(void **state)
{
	static const struct { const char *cf; unsigned long pdp, rows; } rra[] = {
		{ "AVERAGE", 1, 8640 }, { "AVERAGE", 6, 10080 },
		{ "MAX", 6, 10080 }, { "AVERAGE", 30, 8928 }, { "MAX", 30, 8928 },
		{ "AVERAGE", 360, 8784 }, { "MAX", 360, 8784 },
		{ "AVERAGE", 8640, 1827 }, { "MAX", 8640, 1827 },
	};
	const char *const	*ds;
	rrd_info_t		*info;
	char			 path[PATH_MAX], key[64], err[512];
	size_t			 n, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/layout.rrd", tmpdir);
	assert_int_equal(rrdx_create(path, RRDX_HOST, T0, err, sizeof(err)), 0);
	assert_int_equal(rrdx_create(path, RRDX_HOST, T0, err, sizeof(err)),
	    -EEXIST);
	rrd_clear_error();
	assert_non_null(info = rrd_info_r(path));
	assert_int_equal(info_get(info, "step")->value.u_cnt, RRDX_STEP_S);
	assert_int_equal(info_get(info, "last_update")->value.u_cnt, T0);
	ds = rrdx_ds_names(RRDX_HOST, &n);
	assert_int_equal(n, 9);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "ds[%s].type", ds[i]);
		assert_string_equal(info_get(info, key)->value.u_str, "GAUGE");
		snprintf(key, sizeof(key), "ds[%s].minimal_heartbeat", ds[i]);
		assert_int_equal(info_get(info, key)->value.u_cnt,
		    RRDX_HEARTBEAT_S);
	}
	for (i = 0; i < sizeof(rra) / sizeof(rra[0]); i++) {
		snprintf(key, sizeof(key), "rra[%zu].cf", i);
		assert_string_equal(info_get(info, key)->value.u_str, rra[i].cf);
		snprintf(key, sizeof(key), "rra[%zu].pdp_per_row", i);
		assert_int_equal(info_get(info, key)->value.u_cnt, rra[i].pdp);
		snprintf(key, sizeof(key), "rra[%zu].rows", i);
		assert_int_equal(info_get(info, key)->value.u_cnt, rra[i].rows);
	}
	rrd_info_free(info);
	ds = rrdx_ds_names(RRDX_VM, &n);
	assert_int_equal(n, 7);
	assert_string_equal(ds[0], "cpu");
	ds = rrdx_ds_names(RRDX_CLUSTER, &n);
	assert_int_equal(n, 6);
	snprintf(path, sizeof(path), "%s/cluster-layout.rrd", tmpdir);
	assert_int_equal(rrdx_create(path, RRDX_CLUSTER, T0, err,
	    sizeof(err)), 0);
	assert_non_null(info = rrd_info_r(path));
	assert_string_equal(info_get(info, "ds[migrations].type")->value.u_str,
	    "DERIVE");
	assert_string_equal(info_get(info, "ds[imbalance].type")->value.u_str,
	    "GAUGE");
	rrd_info_free(info);
}

/*
 * Report k of host hv01 at T0 + 300 k: vm-1 uses one CPU, reads
 * 1000 B/s and receives 500 B/s with 0.1 s/s of vCPU delay; vm-2 uses
 * half a CPU and writes 2000 B/s; the host is busy 1.5 CPUs of 8.
 */
static void
report(struct model *m, int k, int with_vm1)
{
	struct trep	 h;
	wire_vm		*v;
	uint64_t	 s = 300ULL * (uint64_t)k;

	trep_host(&h, 1, "hv01", (uint64_t)k + 1, (uint64_t)(T0 + 300 * k) * 1000,
	    s * 3 * SEC / 2, s * 13 * SEC / 2);
	if (with_vm1) {
		v = trep_vm(&h, 1, "vm-1");
		v->cpu_time_ns = s * SEC;
		v->vcpu_delay_ns = s * SEC / 10;
		v->blk_rd_bytes = s * 1000;
		v->net_rx_bytes = s * 500;
	}
	v = trep_vm(&h, 2, "web \"two\"");
	v->cpu_time_ns = s * SEC / 2;
	v->blk_wr_bytes = s * 2000;
	v->mem_rss_bytes = 2ULL << 30;
	trep_apply(m, &h, 1000 * k);
}

static void
test_direct_writes(void **state)
{
	struct model	*m = model_new(NULL);
	struct rrdx	*x = open_rrdx();
	char		 vm1[PATH_MAX], vm2[PATH_MAX], host[PATH_MAX], cl[PATH_MAX];
	uint8_t		 u[16];
	char		 us[UTIL_UUID_STRLEN];
	int64_t		 t;
	int		 k;

	(void)state;
	trep_vm_uuid(1, u);
	util_uuid_fmt(u, us);
	path_of(RRDX_VM, us, vm1, sizeof(vm1));
	trep_vm_uuid(2, u);
	util_uuid_fmt(u, us);
	path_of(RRDX_VM, us, vm2, sizeof(vm2));
	path_of(RRDX_HOST, "hv01", host, sizeof(host));
	path_of(RRDX_CLUSTER, NULL, cl, sizeof(cl));
	for (k = 0; k < 3; k++) {
		report(m, k, 1);
		tick(x, m, 1);
		tick(x, m, 1);		/* nothing new: nothing written */
	}
	assert_int_equal(rrdx_stats(x)->files_created, 4);
	assert_int_equal(rrdx_stats(x)->updates, 3 * 4);
	assert_int_equal(rrdx_stats(x)->refused, 0);
	/* the first sample: memory known, rates unknown */
	assert_true(isnan(fetch(vm1, "cpu", T0)));
	assert_near(fetch(vm1, "mem", T0), 1 << 30, 1);
	assert_true(isnan(fetch(host, "cpu", T0)));
	for (t = T0 + 10; t <= T0 + 600; t += 10) {
		assert_near(fetch(vm1, "cpu", t), TREP_MHZ, 1e-6);
		assert_near(fetch(vm1, "vcpu_delay", t), 0.1, 1e-9);
		assert_near(fetch(vm1, "disk_rd", t), 1000, 1e-6);
		assert_near(fetch(vm1, "net_rx", t), 500, 1e-6);
		assert_near(fetch(vm1, "disk_wr", t), 0, 1e-9);
		assert_near(fetch(vm2, "cpu", t), TREP_MHZ / 2, 1e-6);
		assert_near(fetch(vm2, "disk_wr", t), 2000, 1e-6);
		assert_near(fetch(vm2, "mem", t), 2ULL << 30, 1);
		/* the host: its own CPU, the sums of its VMs */
		assert_near(fetch(host, "cpu", t), 1.5 * TREP_MHZ, 1e-6);
		assert_near(fetch(host, "disk_rd", t), 1000, 1e-6);
		assert_near(fetch(host, "disk_wr", t), 2000, 1e-6);
		assert_near(fetch(host, "vcpu_delay", t), 0.1, 1e-9);
		assert_near(fetch(host, "cpu_cap", t), 8 * TREP_MHZ, 1e-6);
		assert_near(fetch(host, "mem_cap", t), 64.0 * (1 << 30), 1);
		assert_near(fetch(cl, "imbalance", t), 0.25, 1e-9);
		assert_near(fetch(cl, "vms", t), 2, 1e-9);
	}
	/* past the last update: nothing yet */
	rrd_clear_error();
	assert_int_equal(rrd_last_r(vm1), T0 + 600);
	rrdx_free(x);
	model_free(m);
}

/* Restart on the same files; then vm-1 moves away and comes back. */
static void
test_restart_and_move(void **state)
{
	struct model	*m = model_new(NULL), *m2;
	struct rrdx	*x = open_rrdx();
	char		 vm1[PATH_MAX], us[UTIL_UUID_STRLEN];
	uint8_t		 u[16];
	struct trep	 h;
	wire_vm		*v;

	(void)state;
	trep_vm_uuid(1, u);
	util_uuid_fmt(u, us);
	path_of(RRDX_VM, us, vm1, sizeof(vm1));
	report(m, 0, 1);
	tick(x, m, 1);
	report(m, 1, 1);
	tick(x, m, 1);
	rrdx_free(x);
	/* a new balancer: its first report is older than the files */
	x = open_rrdx();
	m2 = model_new(NULL);
	report(m2, 1, 1);
	tick(x, m2, 1);
	report(m2, 2, 1);
	tick(x, m2, 1);
	assert_int_equal(rrdx_stats(x)->files_created, 0);
	assert_int_equal(rrdx_stats(x)->refused, 0);
	assert_near(fetch(vm1, "cpu", T0 + 600), TREP_MHZ, 1e-6);
	/* vm-1 moves to hv02, where its counters start again */
	report(m2, 3, 0);
	trep_host(&h, 2, "hv02", 1, (uint64_t)(T0 + 900) * 1000, SEC, 7 * SEC);
	v = trep_vm(&h, 1, "vm-1");
	v->cpu_time_ns = SEC;
	trep_apply(m2, &h, 5000);
	tick(x, m2, 1);
	assert_true(isnan(fetch(vm1, "cpu", T0 + 900)));
	assert_near(fetch(vm1, "mem", T0 + 900), 1 << 30, 1);
	assert_int_equal(rrdx_stats(x)->refused, 0);
	rrdx_free(x);
	model_free(m);
	model_free(m2);
}

static void
test_name_map(void **state)
{
	struct model	*m = model_new(NULL);
	struct rrdx	*x = open_rrdx();
	char		 path[PATH_MAX + 32], line[256], us[UTIL_UUID_STRLEN];
	char		 want[300], err[256];
	uint8_t		 u[16];
	FILE		*f;
	int		 found = 0;

	(void)state;
	report(m, 0, 1);
	tick(x, m, 1);
	assert_int_equal(rrdx_flush(x, 1000, err, sizeof(err)), 0);
	trep_vm_uuid(2, u);
	util_uuid_fmt(u, us);
	assert_string_equal(rrdx_vm_name(x, u), "web \"two\"");
	rrdx_free(x);
	snprintf(path, sizeof(path), "%s/rrd/vms/names.tsv", tmpdir);
	snprintf(want, sizeof(want), "%s\tweb \"two\"\n", us);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		found += strcmp(line, want) == 0;
	fclose(f);
	assert_int_equal(found, 1);
	/* read back by the next exporter on the same directory */
	x = open_rrdx();
	assert_string_equal(rrdx_vm_name(x, u), "web \"two\"");
	trep_vm_uuid(9, u);
	assert_null(rrdx_vm_name(x, u));
	rrdx_free(x);
	model_free(m);
}

/* A file that cannot be written (as on a full disk): no crash, retried. */
static void
test_create_failure(void **state)
{
	struct model	*m = model_new(NULL);
	struct rrdx	*x = open_rrdx();
	struct rlimit	 old, lim;
	char		 err[512] = "", host[PATH_MAX];
	int		 rc;

	(void)state;
	path_of(RRDX_HOST, "hv01", host, sizeof(host));
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 100000;		/* bytes: less than one file */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	report(m, 0, 1);
	rc = rrdx_tick(x, m, NULL, util_now_mono_ms(), err, sizeof(err));
	setrlimit(RLIMIT_FSIZE, &old);
	assert_true(rc < 0);
	assert_non_null(strstr(err, "cannot create"));
	assert_true(rrdx_stats(x)->create_errors >= 1);
	assert_int_equal(access(host, F_OK), -1);	/* no partial file */
	/* room again: the next sample creates the files */
	usleep(5000);
	report(m, 1, 1);
	tick(x, m, 1);
	assert_int_equal(access(host, F_OK), 0);
	assert_near(fetch(host, "cpu", T0 + 300), 1.5 * TREP_MHZ, 1e-6);
	rrdx_free(x);
	model_free(m);
}

static void
test_bad_daemon_address(void **state)
{
	struct rrdx_config	 cfg;
	char			 dir[PATH_MAX + 8], err[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/rrd", tmpdir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = dir;
	cfg.daemon = "unix:relative";
	assert_null(rrdx_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "unix:relative"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_writes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restart_and_move, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_name_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_daemon_address, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
