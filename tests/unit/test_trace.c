/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for sim/trace.c (Bitbrains CSV parsing and loading) and
 * sim/synth.c (the seeded generator).  Run from the repository root:
 * the archive test reads tests/data/.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "synth.h"
#include "trace.h"

#define TARGZ	"tests/data/bitbrains-rnd-2013-07-week1-60vm.tar.gz"

#define HDR	"Timestamp [ms];\tCPU cores;\tCPU capacity provisioned " \
		"[MHZ];\tCPU usage [MHZ];\tCPU usage [%];\tMemory capacity " \
		"provisioned [KB];\tMemory usage [KB];\tDisk read throughput " \
		"[KB/s];\tDisk write throughput [KB/s];\tNetwork received " \
		"throughput [KB/s];\tNetwork transmitted throughput [KB/s]"

/* A row with the given timestamp, cores and CPU MHz; fixed other values. */
#define ROW(ts, cores, cpu) \
	ts ";\t" cores ";\t5200.0;\t" cpu ";\t1.0;\t4194304.0;\t" \
	"1048576.0;\t10.5;\t2.25;\t0.5;\t1.5\n"

struct parsed {
	struct trace_vm		 vm;
	int64_t			 first;
	size_t			 n;
	struct trace_stats	 st;
	int			 rc;
};

static void
assert_near_at(double a, double b, double eps, const char *file, int line)
{
	if (fabs(a - b) <= eps)
		return;
	print_error("%.17g is not %.17g (within %g)\n", a, b, eps);
	_fail(file, line);
}
#define assert_near(a, b, eps) \
	assert_near_at((a), (b), (eps), __FILE__, __LINE__)

/*
 * Parses exactly strlen(text) bytes from a heap copy without a
 * terminating NUL, so the sanitizers catch any read past the end.
 */
static void
parse(const char *text, struct parsed *p)
{
	size_t	 len = strlen(text);
	char	*copy = malloc(len > 0 ? len : 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	memset(p, 0, sizeof(*p));
	p->rc = trace_parse_csv(copy, len, 300, &p->vm, &p->first, &p->n,
	    &p->st);
	free(copy);
}

static void
parsed_free(struct parsed *p)
{
	int	 m;

	for (m = 0; m < TRACE_NMETRICS; m++)
		free(p->vm.v[m]);
	free(p->vm.present);
}

/* Every skip reason adds up: rows read = used + skipped. */
static void
assert_rows_add_up(const struct trace_stats *st)
{
	assert_int_equal(st->rows, st->used + st->bad_fields + st->negative +
	    st->out_of_order);
}

static void
test_parse_wellformed(void **state)
{
	struct parsed	 p;

	(void)state;
	parse(HDR "\n"
	    "600;\t2;\t5200.0;\t100.0;\t1.9;\t4194304.0;\t1048576.0;\t10.5;"
	    "\t2.25;\t0.5;\t1.5\n"
	    "899;\t2;\t5200.0;\t150.5;\t2.9;\t4194304.0;\t2097152.0;\t11;"
	    "\t3;\t0.25;\t17.333330753333335\n"
	    "1200;\t2;\t5200.0;\t1.6703488E2;\t3.2;\t4194304.0;\t1.6703488E6;"
	    "\t0.0;\t0;\t0;\t0\n", &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.first, 2);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.vm.cores, 2);
	assert_near(p.vm.cpu_cap_mhz, 5200.0, 1e-9);
	assert_near(p.vm.mem_cap_kb, 4194304.0, 1e-9);
	/* Slot 2 holds the last of its two rows. */
	assert_int_equal(p.vm.present[0], 1);
	assert_near(p.vm.v[TRACE_CPU_MHZ][0], 150.5, 1e-4);
	assert_near(p.vm.v[TRACE_MEM_KB][0], 2097152.0, 1e-1);
	assert_near(p.vm.v[TRACE_DISK_RD_KBS][0], 11.0, 1e-5);
	assert_near(p.vm.v[TRACE_DISK_WR_KBS][0], 3.0, 1e-5);
	assert_near(p.vm.v[TRACE_NET_RX_KBS][0], 0.25, 1e-6);
	assert_near(p.vm.v[TRACE_NET_TX_KBS][0], 17.333330753333335, 1e-5);
	/* Slot 3 had no row. */
	assert_int_equal(p.vm.present[1], 0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][1], 0.0, 0.0);
	assert_near(p.vm.v[TRACE_MEM_KB][1], 0.0, 0.0);
	assert_int_equal(p.vm.present[2], 1);
	assert_near(p.vm.v[TRACE_CPU_MHZ][2], 167.03488, 1e-3);
	assert_near(p.vm.v[TRACE_MEM_KB][2], 1670348.8, 0.5);
	assert_int_equal(p.st.rows, 3);
	assert_int_equal(p.st.used, 3);
	assert_int_equal(p.st.bad_fields + p.st.negative + p.st.zero_cores +
	    p.st.out_of_order, 0);
	parsed_free(&p);
}

static void
test_parse_zero_cores(void **state)
{
	struct parsed	 p;

	(void)state;
	parse(HDR "\n"
	    "0;\t4;\t10400.0;\t50.0;\t0.5;\t8388608.0;\t100.0;\t1;\t1;\t1;\t1\n"
	    "300;\t0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0\n"
	    "600;\t0;\t0.0;\t7.0;\t0.0;\t0.0;\t9.0;\t0.0;\t0.0;\t0.0;\t0.0\n",
	    &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 3);
	/* The rows are kept; cores and capacities come from row 1. */
	assert_int_equal(p.vm.cores, 4);
	assert_near(p.vm.cpu_cap_mhz, 10400.0, 0.0);
	assert_near(p.vm.mem_cap_kb, 8388608.0, 0.0);
	assert_int_equal(p.st.zero_cores, 2);
	assert_int_equal(p.st.used, 3);
	assert_int_equal(p.vm.present[1], 1);
	assert_int_equal(p.vm.present[2], 1);
	assert_near(p.vm.v[TRACE_CPU_MHZ][0], 50.0, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][1], 0.0, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][2], 7.0, 0.0);
	assert_near(p.vm.v[TRACE_MEM_KB][2], 9.0, 0.0);
	parsed_free(&p);

	/* Cores are the last nonzero value... */
	parse(ROW("0", "0", "1.0") ROW("300", "8", "2.0") ROW("600", "2",
	    "3.0") ROW("900", "0", "4.0"), &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.vm.cores, 2);
	assert_int_equal(p.st.zero_cores, 2);
	parsed_free(&p);

	/* ...and at least 1 when no row has any. */
	parse(ROW("0", "0", "1.0") ROW("300", "0", "2.0"), &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.vm.cores, 1);
	assert_int_equal(p.st.zero_cores, 2);
	parsed_free(&p);
}

static void
test_parse_bad_fields(void **state)
{
	struct parsed	 p;

	(void)state;
	parse(HDR "\n"
	    ROW("0", "2", "10.0")
	    ROW("300", "2", "abc")
	    ROW("600", "2", "12abc")
	    ROW("900", "2", "")
	    ROW("1200", "2", "1,5")
	    "1500;\t2;\t5200.0\n"
	    "1800;\t2;\t5200.0;\t1;\t1;\t1;\t1;\t1;\t1;\t1;\t1;\t1\n"
	    "this is not a row\n"
	    ROW("2100", "2", "20.0"), &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rows, 9);
	assert_int_equal(p.st.bad_fields, 7);
	assert_int_equal(p.st.used, 2);
	assert_rows_add_up(&p.st);
	assert_int_equal(p.first, 0);
	assert_int_equal(p.n, 8);
	assert_int_equal(p.vm.present[0], 1);
	assert_int_equal(p.vm.present[1], 0);
	assert_int_equal(p.vm.present[6], 0);
	assert_int_equal(p.vm.present[7], 1);
	assert_near(p.vm.v[TRACE_CPU_MHZ][7], 20.0, 0.0);
	parsed_free(&p);
}

/*
 * Two rows further apart than TRACE_MAX_SLOTS: the later one is a bad
 * field, so a small file cannot make the reader allocate for a century
 * (found by fuzz_trace: two rows took 420 MB before the bound was cut).
 */
static void
test_parse_span_bound(void **state)
{
	struct parsed	 p;
	char		 text[512], far[32], last[32];

	(void)state;
	snprintf(far, sizeof(far), "%zu", TRACE_MAX_SLOTS * 300);
	snprintf(last, sizeof(last), "%zu", (TRACE_MAX_SLOTS - 1) * 300);
	snprintf(text, sizeof(text), "%s\n" ROW("0", "2", "10.0") ROW("%s",
	    "2", "20.0"), HDR, far);
	parse(text, &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.bad_fields, 1);
	assert_int_equal(p.st.used, 1);
	assert_int_equal(p.n, 1);
	parsed_free(&p);

	snprintf(text, sizeof(text), "%s\n" ROW("0", "2", "10.0") ROW("%s",
	    "2", "20.0"), HDR, last);
	parse(text, &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.used, 2);
	assert_int_equal(p.n, TRACE_MAX_SLOTS);
	assert_int_equal(p.vm.present[TRACE_MAX_SLOTS - 1], 1);
	parsed_free(&p);
}

static void
test_parse_negative(void **state)
{
	struct parsed	 p;

	(void)state;
	parse(ROW("0", "2", "10.0")
	    ROW("300", "2", "-1.5")
	    ROW("600", "2", "nan")
	    ROW("900", "2", "inf")
	    ROW("1200", "2", "1e400")
	    ROW("-300", "2", "5.0")
	    ROW("1500", "-2", "5.0")
	    ROW("1800", "2", "30.0"), &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rows, 8);
	assert_int_equal(p.st.negative, 6);
	assert_int_equal(p.st.bad_fields, 0);
	assert_int_equal(p.st.used, 2);
	assert_rows_add_up(&p.st);
	assert_int_equal(p.n, 7);
	assert_int_equal(p.vm.present[1], 0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][1], 0.0, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][6], 30.0, 0.0);
	parsed_free(&p);
}

static void
test_parse_out_of_order(void **state)
{
	struct parsed	 p;

	(void)state;
	parse(ROW("1500", "2", "1.0")	/* slot 5 */
	    ROW("2100", "2", "2.0")	/* slot 7 */
	    ROW("1800", "2", "3.0")	/* slot 6: before slot 7 */
	    ROW("1200", "2", "4.0")	/* slot 4: before the first */
	    ROW("2150", "2", "5.0")	/* slot 7 again: replaces 2.0 */
	    ROW("2400", "2", "6.0"), &p);	/* slot 8 */
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.out_of_order, 2);
	assert_int_equal(p.st.used, 4);
	assert_rows_add_up(&p.st);
	assert_int_equal(p.first, 5);
	assert_int_equal(p.n, 4);
	assert_near(p.vm.v[TRACE_CPU_MHZ][0], 1.0, 0.0);
	assert_int_equal(p.vm.present[1], 0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][1], 0.0, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][2], 5.0, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][3], 6.0, 0.0);
	parsed_free(&p);
}

static void
test_parse_crlf_blank_headers(void **state)
{
	struct parsed	 p;

	(void)state;
	/* A byte order mark, CRLF, blank lines, a repeated header, no final
	 * newline. */
	parse("\xef\xbb\xbf" HDR "\r\n"
	    "0;\t2;\t5200.0;\t10.0;\t1;\t4194304.0;\t1;\t1;\t1;\t1;\t1.25\r\n"
	    "\r\n"
	    "\n"
	    HDR "\r\n"
	    "300;\t2;\t5200.0;\t20.0;\t1;\t4194304.0;\t1;\t1;\t1;\t1;\t2.5\r\n"
	    "   \t\r\n"
	    "600;\t2;\t5200.0;\t30.0;\t1;\t4194304.0;\t1;\t1;\t1;\t1;\t9.5",
	    &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rows, 3);
	assert_int_equal(p.st.used, 3);
	assert_int_equal(p.st.bad_fields, 0);
	assert_int_equal(p.n, 3);
	assert_near(p.vm.v[TRACE_NET_TX_KBS][0], 1.25, 0.0);
	assert_near(p.vm.v[TRACE_NET_TX_KBS][1], 2.5, 0.0);
	assert_near(p.vm.v[TRACE_NET_TX_KBS][2], 9.5, 0.0);
	assert_near(p.vm.v[TRACE_CPU_MHZ][2], 30.0, 0.0);
	parsed_free(&p);

	/* Plain separators without the tab, and no header at all. */
	parse("0;2;5200;10;1;4194304;1;1;1;1;1\n"
	    "300;2;5200;11;1;4194304;1;1;1;1;1", &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.used, 2);
	assert_near(p.vm.v[TRACE_CPU_MHZ][1], 11.0, 0.0);
	parsed_free(&p);
}

static void
test_parse_empty(void **state)
{
	static const char *const empty[] = {
		"", HDR, HDR "\n", "\n\n\r\n", HDR "\r\n" HDR "\r\n",
	};
	struct parsed	 p;
	size_t		 i;
	int		 m;

	(void)state;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		parse(empty[i], &p);
		assert_int_equal(p.rc, -ENODATA);
		assert_int_equal(p.st.rows, 0);
		for (m = 0; m < TRACE_NMETRICS; m++)
			assert_null(p.vm.v[m]);
		assert_null(p.vm.present);
	}
	/* Rows, but none usable. */
	parse(HDR "\n" ROW("0", "2", "x") ROW("300", "2", "-1"), &p);
	assert_int_equal(p.rc, -ENODATA);
	assert_int_equal(p.st.rows, 2);
	assert_int_equal(p.st.bad_fields, 1);
	assert_int_equal(p.st.negative, 1);
	assert_null(p.vm.present);

	memset(&p, 0, sizeof(p));
	assert_int_equal(trace_parse_csv(NULL, 0, 300, &p.vm, &p.first, &p.n,
	    &p.st), -ENODATA);
	assert_int_equal(trace_parse_csv(ROW("0", "1", "1"), 10, 0, &p.vm,
	    &p.first, &p.n, &p.st), -EINVAL);
}

static size_t
count_present(const struct trace_set *set, size_t i)
{
	size_t	 k, n = 0;

	for (k = 0; k < set->nslots; k++)
		n += set->vms[i].present[k];
	return n;
}

/* Loads the 60-VM week: counts from the CSVs, checked with awk. */
static void
test_load_targz(void **state)
{
	struct trace_set	*set = NULL;
	char			 err[256] = "";
	size_t			 i;

	(void)state;
	assert_int_equal(trace_load(TARGZ, 0, &set, err, sizeof(err)), 0);
	assert_non_null(set);
	assert_int_equal(set->nvms, 60);
	for (i = 0; i < set->nvms; i++) {
		char	 want[32];

		snprintf(want, sizeof(want), "vm-%zu", i + 1);
		assert_string_equal(set->vms[i].name, want);
		assert_int_equal(set->vms[i].number, i + 1);
		assert_true(set->vms[i].cores >= 1);
	}
	assert_int_equal(set->slot_s, 300);
	assert_string_equal(set->source, TARGZ);
	/*
	 * Most files cover 2013-07-01 .. 07-07 (2,016 slots), but 14.csv
	 * holds 428 samples from 07-28 to 07-30, so the set spans the
	 * month: slots 4575432 .. 4584071.
	 */
	assert_int_equal(set->slot0, 1372629804 / 300);
	assert_int_equal(set->nslots, 8640);
	assert_int_equal(count_present(set, 0), 2016);
	assert_int_equal(set->vms[0].present[2015], 1);
	assert_int_equal(set->vms[0].present[2016], 0);
	assert_int_equal(set->vms[13].present[0], 0);
	assert_int_equal(set->vms[13].present[1375093346 / 300 -
	    set->slot0], 1);
	assert_int_equal(set->vms[13].present[set->nslots - 1], 1);

	/* 1.csv's first row: 1372629804; 2; 5851.9989; 87.7799835; ... */
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, set->slot0),
	    87.7799835, 1e-4);
	assert_near(trace_value(set, 0, TRACE_MEM_KB, set->slot0),
	    1034592.8, 0.1);
	assert_near(trace_value(set, 0, TRACE_DISK_RD_KBS, set->slot0),
	    160.86666666666667, 1e-4);
	assert_int_equal(set->vms[0].cores, 2);
	assert_near(set->vms[0].cpu_cap_mhz, 5851.9989, 1e-6);
	/* Capacities are the last nonzero ones: 1.csv's memory grows. */
	assert_near(set->vms[0].mem_cap_kb, 8388608.0, 0.0);
	/* 60.csv's last row: 1373235563; 8; 20799.997056; 77.99998896;
	 * 0.375; 4.0755088E7; 167771.2; 0.0; 1.0; 0.0; 1.0 */
	assert_near(trace_value(set, 59, TRACE_CPU_MHZ, 1373235563 / 300),
	    77.99998896, 1e-4);
	assert_near(trace_value(set, 59, TRACE_MEM_KB, 1373235563 / 300),
	    167771.2, 0.1);
	assert_near(trace_value(set, 59, TRACE_DISK_WR_KBS, 1373235563 / 300),
	    1.0, 0.0);
	assert_int_equal(set->vms[59].cores, 8);
	assert_near(set->vms[59].mem_cap_kb, 40755088.0, 0.0);
	/* 38.csv and 54.csv report 0 cores in all their 2,016 rows. */
	assert_int_equal(set->vms[37].cores, 1);
	assert_int_equal(set->vms[53].cores, 1);
	assert_int_equal(count_present(set, 37), 2016);

	assert_int_equal(set->stats.files, 60);
	assert_int_equal(set->stats.rows, 119372);
	assert_int_equal(set->stats.used, 119372);
	assert_int_equal(set->stats.zero_cores, 16719);
	assert_int_equal(set->stats.bad_fields, 0);
	assert_int_equal(set->stats.negative, 0);
	assert_int_equal(set->stats.out_of_order, 0);
	assert_int_equal(set->stats.empty_files, 0);
	trace_free(set);
}

/* max_vms keeps the lowest numbers, whatever the archive's order. */
static void
test_load_targz_max(void **state)
{
	struct trace_set	*set = NULL;
	char			 err[256];
	size_t			 i;

	(void)state;
	assert_int_equal(trace_load(TARGZ, 5, &set, err, sizeof(err)), 0);
	assert_int_equal(set->nvms, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(set->vms[i].number, i + 1);
	assert_int_equal(set->slot0, 1372629804 / 300);
	assert_int_equal(set->nslots, 1373234963 / 300 - set->slot0 + 1);
	assert_int_equal(set->stats.files, 5);
	assert_int_equal(set->stats.rows, 5 * 2016);
	trace_free(set);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Setup: a fresh temporary folder, its path in *state. */
static int
tmpdir_setup(void **state)
{
	static const char	 tmpl[] = "/tmp/ballast-test-trace-XXXXXX";
	char			*dir = malloc(sizeof(tmpl));

	if (dir == NULL)
		return -1;
	memcpy(dir, tmpl, sizeof(tmpl));
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* Teardown: removes the folder and all below it, pass or fail. */
static int
tmpdir_teardown(void **state)
{
	char	*dir = *state;
	int	 rc;

	rc = nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return rc;
}

/* Writes the folder the folder tests load. */
static void
make_folder(const char *dir)
{
	char	 sub[512];

	write_file(dir, "2.csv", HDR "\n" ROW("3000", "2", "21.0")
	    ROW("3300", "2", "22.0") ROW("3900", "2", "23.0"));
	write_file(dir, "10.csv", ROW("3600", "4", "101.0")
	    ROW("4200", "4", "102.0"));
	write_file(dir, "3.csv", "");
	write_file(dir, "4.csv", HDR "\n");
	write_file(dir, "notes.txt", ROW("0", "1", "1.0"));
	write_file(dir, "x1.csv", ROW("0", "1", "1.0"));
	write_file(dir, "5.csv.bak", ROW("0", "1", "1.0"));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(sub, "7.csv", ROW("2700", "1", "71.0"));
}

static void
test_load_folder(void **state)
{
	struct trace_set	*set = NULL;
	const char		*dir = *state;
	char			 err[256], sub[512];

	make_folder(dir);
	assert_int_equal(trace_load(dir, 0, &set, err, sizeof(err)), 0);
	/* Numeric order (not 10, 2, 7), the one in sub/ included. */
	assert_int_equal(set->nvms, 3);
	assert_string_equal(set->vms[0].name, "vm-2");
	assert_string_equal(set->vms[1].name, "vm-7");
	assert_string_equal(set->vms[2].name, "vm-10");
	assert_int_equal(set->vms[2].cores, 4);
	/* Slots 9 (7.csv) to 14 (10.csv), every VM aligned on slot 9. */
	assert_int_equal(set->slot0, 9);
	assert_int_equal(set->nslots, 6);
	assert_int_equal(count_present(set, 0), 3);
	assert_int_equal(count_present(set, 1), 1);
	assert_int_equal(count_present(set, 2), 2);
	assert_int_equal(set->vms[0].present[0], 0);
	assert_int_equal(set->vms[0].present[1], 1);
	assert_int_equal(set->vms[2].present[3], 1);
	assert_int_equal(set->vms[2].present[5], 1);
	assert_near(trace_value(set, 1, TRACE_CPU_MHZ, 9), 71.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 9), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 10), 21.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 12), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 13), 23.0, 0.0);
	assert_near(trace_value(set, 2, TRACE_CPU_MHZ, 12), 101.0, 0.0);
	assert_near(trace_value(set, 2, TRACE_CPU_MHZ, 14), 102.0, 0.0);
	assert_near(trace_value(set, 2, TRACE_MEM_KB, 14), 1048576.0, 0.0);
	assert_int_equal(set->stats.files, 5);
	assert_int_equal(set->stats.empty_files, 2);
	assert_int_equal(set->stats.rows, 6);
	assert_int_equal(set->stats.used, 6);
	trace_free(set);

	/* The two lowest numbers; 10.csv's slot 14 leaves the span. */
	assert_int_equal(trace_load(dir, 2, &set, err, sizeof(err)), 0);
	assert_int_equal(set->nvms, 2);
	assert_string_equal(set->vms[0].name, "vm-2");
	assert_string_equal(set->vms[1].name, "vm-7");
	assert_int_equal(set->slot0, 9);
	assert_int_equal(set->nslots, 5);
	assert_int_equal(set->stats.rows, 4);
	trace_free(set);

	/* Two files with one number is an error. */
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	write_file(sub, "2.csv", ROW("0", "1", "1.0"));
	set = NULL;
	assert_int_equal(trace_load(dir, 0, &set, err, sizeof(err)), -EEXIST);
	assert_null(set);
	assert_non_null(strstr(err, "2.csv"));
}

static void
test_load_errors(void **state)
{
	struct trace_set	*set = (struct trace_set *)&set;
	const char		*dir = *state;
	char			 err[256] = "";
	int			 rc;

	rc = trace_load("tests/data/no-such-trace.tar.gz", 0, &set, err,
	    sizeof(err));
	assert_true(rc < 0);
	assert_int_equal(rc, -ENOENT);
	assert_null(set);
	assert_non_null(strstr(err, "no-such-trace.tar.gz"));

	/* An empty folder, then one with only an empty file. */
	err[0] = '\0';
	assert_int_equal(trace_load(dir, 0, &set, err, sizeof(err)), -ENOENT);
	assert_true(strlen(err) > 0);
	write_file(dir, "1.csv", HDR "\n");
	err[0] = '\0';
	assert_int_equal(trace_load(dir, 0, &set, err, sizeof(err)),
	    -ENODATA);
	assert_null(set);
	assert_true(strlen(err) > 0);

	/* A file that is neither a folder nor an archive. */
	write_file(dir, "plain.txt", "hello, not a tar archive\n");
	{
		char	 path[512];

		snprintf(path, sizeof(path), "%s/plain.txt", dir);
		err[0] = '\0';
		rc = trace_load(path, 0, &set, err, sizeof(err));
		assert_true(rc < 0);
		assert_null(set);
		assert_true(strlen(err) > 0);
	}

	/* No error buffer at all is allowed. */
	assert_true(trace_load("tests/data/no-such-trace.tar.gz", 0, &set,
	    NULL, 0) < 0);
	assert_true(trace_load("", 0, &set, err, sizeof(err)) < 0);
}

static void
test_value_range(void **state)
{
	struct trace_set	*set = NULL;
	const char		*dir = *state;
	char			 err[256];

	write_file(dir, "1.csv", ROW("3000", "2", "5.0") ROW("3300", "2",
	    "6.0"));
	assert_int_equal(trace_load(dir, 0, &set, err, sizeof(err)), 0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 10), 5.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 11), 6.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 9), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, 12), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, -1), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, INT64_MAX), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_CPU_MHZ, INT64_MIN), 0.0, 0.0);
	assert_near(trace_value(set, 1, TRACE_CPU_MHZ, 10), 0.0, 0.0);
	assert_near(trace_value(set, 0, TRACE_NMETRICS, 10), 0.0, 0.0);
	assert_near(trace_value(NULL, 0, TRACE_CPU_MHZ, 10), 0.0, 0.0);
	trace_free(set);
	trace_free(NULL);
}

static const struct synth_params synth_base = {
	.seed = 42, .nvms = 20, .nslots = 8640, .slot_s = 10,
	.start_s = 1372629800, .day_s = 86400.0,
};

/* Whether VM i of a and b have the same sizes and series. */
static int
same_vm(const struct trace_set *a, const struct trace_set *b, size_t i,
    size_t nslots)
{
	int	 m;

	if (a->vms[i].cores != b->vms[i].cores ||
	    a->vms[i].mem_cap_kb != b->vms[i].mem_cap_kb)
		return 0;
	for (m = 0; m < TRACE_NMETRICS; m++)
		if (memcmp(a->vms[i].v[m], b->vms[i].v[m],
		    nslots * sizeof(float)) != 0)
			return 0;
	return 1;
}

static void
test_synth_deterministic(void **state)
{
	struct synth_params	 p = synth_base;
	struct trace_set	*a = NULL, *b = NULL, *c = NULL;
	size_t			 i, differ = 0;

	(void)state;
	assert_int_equal(synth_generate(&p, &a), 0);
	assert_int_equal(synth_generate(&p, &b), 0);
	assert_int_equal(a->nvms, 20);
	assert_int_equal(a->nslots, 8640);
	assert_int_equal(a->slot_s, 10);
	assert_int_equal(a->slot0, 137262980);
	assert_string_equal(a->source, "synthetic seed 42");
	for (i = 0; i < a->nvms; i++) {
		char	 want[32];

		snprintf(want, sizeof(want), "vm-%zu", i + 1);
		assert_string_equal(a->vms[i].name, want);
		assert_int_equal(a->vms[i].number, i + 1);
		assert_true(same_vm(a, b, i, p.nslots));
	}
	p.seed = 43;
	assert_int_equal(synth_generate(&p, &c), 0);
	assert_string_equal(c->source, "synthetic seed 43");
	for (i = 0; i < a->nvms; i++)
		differ += !same_vm(a, c, i, p.nslots);
	assert_int_equal(differ, a->nvms);
	trace_free(c);

	/* A VM's series does not depend on how many VMs there are. */
	p.seed = 42;
	p.nvms = 3;
	assert_int_equal(synth_generate(&p, &c), 0);
	assert_int_equal(c->nvms, 3);
	for (i = 0; i < c->nvms; i++)
		assert_true(same_vm(a, c, i, p.nslots));
	trace_free(c);
	trace_free(b);
	trace_free(a);
}

/* Checks one synthetic VM's sizes and values; returns its peak share. */
static double
check_synth_vm(const struct trace_set *set, size_t i)
{
	const struct trace_vm	*vm = &set->vms[i];
	double			 cap = vm->cores * 2600.0, lo = cap, hi = 0;
	double			 sum = 0, kb = 1024.0 * 1024.0, x;
	size_t			 k;
	int			 m;

	assert_true(vm->cores == 1 || vm->cores == 2 || vm->cores == 4 ||
	    vm->cores == 8 || vm->cores == 16);
	assert_near(vm->cpu_cap_mhz, cap, 0.0);
	assert_true(vm->mem_cap_kb >= 2 * kb && vm->mem_cap_kb <= 64 * kb);
	for (k = 0; k < set->nslots; k++) {
		assert_int_equal(vm->present[k], 1);
		x = vm->v[TRACE_CPU_MHZ][k];
		assert_true(x >= 0 && x <= cap);
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		sum += x;
		x = vm->v[TRACE_MEM_KB][k];
		assert_true(x >= 0.3 * vm->mem_cap_kb * 0.9999 &&
		    x <= 0.9 * vm->mem_cap_kb * 1.0001);
		for (m = TRACE_DISK_RD_KBS; m < TRACE_NMETRICS; m++) {
			x = vm->v[m][k];
			assert_true(isfinite(x) && x >= 0 && x < 1e5);
		}
	}
	assert_true(hi > lo);
	/* The base load is 5-60 % of capacity; allow for the cycle. */
	assert_true(sum / set->nslots >= 0.02 * cap);
	assert_true(sum / set->nslots <= 0.75 * cap);
	return hi / cap;
}

static void
test_synth_bounds(void **state)
{
	struct synth_params	 p = synth_base;
	struct trace_set	*set = NULL;
	size_t			 i, bursts = 0;

	(void)state;
	assert_int_equal(synth_generate(&p, &set), 0);
	for (i = 0; i < set->nvms; i++)
		bursts += check_synth_vm(set, i) >= 0.7;
	/* About one burst per VM a day reaches 70-100 % of capacity. */
	assert_true(bursts >= 5);
	trace_free(set);

	/* Slot 0 is floor(start_s / slot_s), also before the epoch. */
	p.nvms = 1;
	p.nslots = 3;
	p.start_s = -5;
	assert_int_equal(synth_generate(&p, &set), 0);
	assert_int_equal(set->slot0, -1);
	assert_int_equal(set->nslots, 3);
	trace_free(set);
}

static void
test_synth_invalid(void **state)
{
	struct synth_params	 p = synth_base;
	struct trace_set	*set = (struct trace_set *)&set;

	(void)state;
	p.nvms = 0;
	assert_int_equal(synth_generate(&p, &set), -EINVAL);
	assert_null(set);
	p = synth_base;
	p.nslots = 0;
	assert_int_equal(synth_generate(&p, &set), -EINVAL);
	assert_null(set);
	p = synth_base;
	p.slot_s = 0;
	assert_int_equal(synth_generate(&p, &set), -EINVAL);
	assert_null(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_wellformed),
		cmocka_unit_test(test_parse_zero_cores),
		cmocka_unit_test(test_parse_bad_fields),
		cmocka_unit_test(test_parse_negative),
		cmocka_unit_test(test_parse_span_bound),
		cmocka_unit_test(test_parse_out_of_order),
		cmocka_unit_test(test_parse_crlf_blank_headers),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_load_targz),
		cmocka_unit_test(test_load_targz_max),
		cmocka_unit_test_setup_teardown(test_load_folder, tmpdir_setup,
		    tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, tmpdir_setup,
		    tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_value_range, tmpdir_setup,
		    tmpdir_teardown),
		cmocka_unit_test(test_synth_deterministic),
		cmocka_unit_test(test_synth_bounds),
		cmocka_unit_test(test_synth_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
