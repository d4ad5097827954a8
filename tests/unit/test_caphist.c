/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/caphist.c on real RRD files of the layout of
 * exporters/rrd.h, written here with known values: the 5-minute grid,
 * the four resources from their data sources, capacities, a host that
 * stopped reporting (history, not capacity), a VM with its name from
 * names.tsv, an earlier end, an unreadable file, and an empty folder.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <rrd.h>

#include "testutil.h"

#include "caphist.h"
#include "rrd.h"

#define T0	1372636800LL		/* 2013-07-01 00:00 UTC */
#define DAYS	2
#define ROWS	(DAYS * 288)
#define VMUUID	"5f0c9a1e-0000-4000-8000-000000000001"

static char	 dir[256];

/* hv1's CPU at row i: a saw from 1000 to 1011. */
static double
hv1_cpu(size_t i)
{
	return 1000.0 + (double)(i % 12);
}

static void
update(const char *path, long long t, const char *values)
{
	char		 arg[256];
	const char	*argv[1] = { arg };

	snprintf(arg, sizeof(arg), "%lld:%s", t, values);
	rrd_clear_error();
	if (rrd_update_r(path, NULL, 1, argv) != 0)
		fail_msg("%s: %s", path, rrd_get_error());
}

static void
make(const char *sub, enum rrdx_kind k, const char *id, char *path,
    size_t len)
{
	char	 err[512];

	assert_int_equal(rrdx_path(dir, k, id, path, len), 0);
	if (rrdx_create(path, k, (time_t)T0 - 10, err, sizeof(err)) < 0)
		fail_msg("%s %s: %s", sub, id, err);
}

static int
setup(void **state)
{
	char	 p1[PATH_MAX], p2[PATH_MAX], pv[PATH_MAX], v[200];
	FILE	*f;
	size_t	 i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ballast-test-caphist.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p1, sizeof(p1), "%s/hosts", dir);
	mkdir(p1, 0755);
	snprintf(p1, sizeof(p1), "%s/vms", dir);
	mkdir(p1, 0755);
	make("host", RRDX_HOST, "hv1", p1, sizeof(p1));
	make("host", RRDX_HOST, "hv2", p2, sizeof(p2));
	make("vm", RRDX_VM, VMUUID, pv, sizeof(pv));
	for (i = 0; i < ROWS; i++) {
		/* cpu vcpu_delay mem disk_rd disk_wr net_rx net_tx caps */
		snprintf(v, sizeof(v), "%.1f:0:1e9:100:50:10:30:8000:1e10",
		    hv1_cpu(i));
		update(p1, T0 + 300LL * (long long)(i + 1), v);
		if (i < ROWS - 24)	/* hv2 stops 2 hours before the end */
			update(p2, T0 + 300LL * (long long)(i + 1),
			    "500:0:2e9:0:0:40:20:4000:5e9");
		update(pv, T0 + 300LL * (long long)(i + 1),
		    "250:0:2e9:1:2:3:4");
	}
	snprintf(p1, sizeof(p1), "%s/vms/names.tsv", dir);
	if ((f = fopen(p1, "w")) == NULL)
		return -1;
	fprintf(f, "# ballast VM names\n%s\tweb-1\n", VMUUID);
	return fclose(f);
}

static int
teardown(void **state)
{
	char	 cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct caph *
load(time_t end, int64_t range, int want)
{
	struct caph_opts	 o;
	struct caph		*h = NULL;
	char			 err[512] = "";

	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.end = end;
	o.range_s = range;
	assert_int_equal(caph_load(&o, &h, err, sizeof(err)), want);
	if (want == 0)
		assert_non_null(h);
	return h;
}

static void
test_hosts(void **state)
{
	struct caph		*h = load(0, DAYS * 86400, 0);
	const struct caph_host	*a, *b;
	size_t			 i;

	(void)state;
	/* The newest update ends the history; 5-minute rows back to T0. */
	assert_int_equal((long)h->end, (long)(T0 + DAYS * 86400));
	assert_int_equal((int)h->step, 300);
	assert_int_equal((int)h->n, ROWS);
	assert_int_equal((int)h->nhosts, 2);
	a = &h->hosts[0];
	b = &h->hosts[1];
	assert_string_equal(a->name, "hv1");
	assert_string_equal(b->name, "hv2");
	for (i = 0; i < ROWS; i++)
		assert_near(a->use[CAPH_CPU][i], hv1_cpu(i), 1e-6);
	assert_near(a->use[CAPH_MEM][ROWS - 1], 1e9, 1e-3);
	assert_near(a->use[CAPH_DISK][7], 150.0, 1e-9);	/* 100 + 50 */
	assert_near(a->use[CAPH_NET][7], 30.0, 1e-9);	/* the busier */
	assert_near(a->cap[CAPH_CPU], 8000, 0);
	assert_near(a->cap[CAPH_MEM], 1e10, 0);
	assert_true(a->current);
	/* hv2 stopped 2 hours ago: its history stays, it is not current. */
	assert_false(b->current);
	assert_near(b->use[CAPH_CPU][10], 500, 1e-9);
	assert_true(isnan(b->use[CAPH_CPU][ROWS - 1]));
	assert_near(b->use[CAPH_NET][10], 40.0, 1e-9);
	assert_int_equal((int)h->skipped, 0);
	caph_free(h);
}

static void
test_vms_and_end(void **state)
{
	struct caph	*h = load(0, DAYS * 86400, 0);

	(void)state;
	assert_int_equal((int)h->nvms, 1);
	assert_string_equal(h->vms[0].name, "web-1");
	assert_string_equal(h->vms[0].uuid, VMUUID);
	assert_near(h->vms[0].p95[CAPH_CPU], 250, 1e-6);
	assert_near(h->vms[0].avg[CAPH_MEM], 2e9, 1e-3);
	assert_near(h->vms[0].p95[CAPH_DISK], 3, 1e-9);
	assert_true(h->vms[0].current);
	caph_free(h);
	/* An end a day earlier: a day of rows, its last that day's. */
	h = load((time_t)(T0 + 86400), 86400, 0);
	assert_int_equal((long)h->end, (long)(T0 + 86400));
	assert_int_equal((int)h->n, 288);
	assert_near(h->hosts[0].use[CAPH_CPU][287], hv1_cpu(287), 1e-6);
	assert_true(h->hosts[1].current);	/* it reported then */
	caph_free(h);
}

static void
test_bad_and_empty(void **state)
{
	char		 path[PATH_MAX];
	struct caph	*h;
	FILE		*f;

	(void)state;
	snprintf(path, sizeof(path), "%s/hosts/broken.rrd", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("not an RRD file", f);
	fclose(f);
	h = load(0, DAYS * 86400, 0);
	assert_int_equal((int)h->nhosts, 2);
	assert_int_equal((int)h->skipped, 1);
	assert_non_null(strstr(h->skipped_why, "broken.rrd"));
	caph_free(h);
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty", dir);
	mkdir(path, 0755);
	{
		struct caph_opts	 o;
		char			 err[512] = "";

		memset(&o, 0, sizeof(o));
		o.dir = path;
		o.range_s = 86400;
		assert_int_equal(caph_load(&o, &h, err, sizeof(err)), -ENOENT);
		assert_non_null(strstr(err, "no host history"));
		assert_null(h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_vms_and_end),
		cmocka_unit_test(test_bad_and_empty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
