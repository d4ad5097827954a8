/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/model.c with stale VM samples (a collector
 * that could not read a VM in time sends its last good values, marked
 * stale): the VM stays on its host and shows as stale, its counters do
 * not become the new baseline, and the next fresh sample gives the
 * rate over the whole gap -- no zero, no spike, no reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"
#include "testreport.h"
#include "testutil.h"

#define SEC	1000000000ULL

/* One report of host 1 at t seconds with VM 1's cpu time. */
static void
report(struct model *m, uint64_t seq, uint64_t t, uint64_t cpu_ns, int stale)
{
	struct trep	 h;
	wire_vm		*v;

	trep_host(&h, 1, "hv01", seq, 1700000000000ULL + t * 1000,
	    t * 8 * SEC / 2, t * 8 * SEC / 2);
	v = trep_vm(&h, 1, "web-1");
	v->cpu_time_ns = cpu_ns;
	v->stale = stale;
	trep_apply(m, &h, (int64_t)(t * 1000));
}

static const struct model_vm *
vm1(const struct model *m)
{
	uint8_t	 u[16];

	trep_vm_uuid(1, u);
	return model_vm_by_uuid(m, u);
}

static void
test_stale_keeps_baseline(void **state)
{
	struct model		*m = model_new(NULL);
	const struct model_vm	*v;

	(void)state;
	/* 2 vCPUs, one of them busy: cpu_util 0.5 */
	report(m, 1, 10, 10 * SEC, 0);
	report(m, 2, 20, 20 * SEC, 0);
	v = vm1(m);
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_false(v->stale);
	/* two stale reports: the last good counters again */
	report(m, 3, 30, 20 * SEC, 1);
	report(m, 4, 40, 20 * SEC, 1);
	v = vm1(m);
	assert_true(v->stale);
	assert_non_null(v->host);
	assert_string_equal(v->host->name, "hv01");
	assert_near(v->r.cpu_util, 0.5, 1e-9);	/* the last rates, not 0 */
	/* fresh again: 30 s of work over the 30 s since the baseline */
	report(m, 5, 50, 50 * SEC, 0);
	v = vm1(m);
	assert_false(v->stale);
	assert_near(v->r.cpu_util, 0.5, 1e-9);	/* not a 3x spike */
	assert_int_equal(v->resets, 0);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_keeps_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
