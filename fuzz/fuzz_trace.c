/* SPDX-License-Identifier: ISC */
/*
 * fuzz_trace: the Bitbrains CSV reader (sim/trace_csv.c trace_parse_csv)
 * on any text, on 300 s slots.  Properties: on success the slots are
 * allocated and at least one is present, every value is finite and not
 * negative; every row is counted once as used or as a reason to skip.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trace.h"

static void
fuzz_check(const struct trace_vm *vm, size_t n)
{
	size_t	 k, present = 0;
	int	 m;

	fuzz_assert(n > 0 && vm->present != NULL, "no slots on success", NULL);
	for (k = 0; k < n; k++) {
		present += vm->present[k];
		for (m = 0; m < TRACE_NMETRICS; m++)
			fuzz_assert(isfinite(vm->v[m][k]) && vm->v[m][k] >= 0,
			    "a negative or non-finite value kept", NULL);
	}
	fuzz_assert(present > 0, "no slot present on success", NULL);
	fuzz_assert(vm->cores >= 1, "a VM with no cores", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_stats	 st;
	struct trace_vm		 vm;
	int64_t			 first = 0;
	size_t			 n = 0;
	int			 rc, m;

	memset(&st, 0, sizeof(st));
	memset(&vm, 0, sizeof(vm));
	rc = trace_parse_csv((const char *)data, size, 300, &vm, &first, &n, &st);
	fuzz_assert(rc == 0 || rc == -ENODATA || rc == -ENOMEM,
	    "an undocumented return", NULL);
	fuzz_assert(st.used <= st.rows, "more rows used than read", NULL);
	if (rc == 0)
		fuzz_check(&vm, n);
	for (m = 0; m < TRACE_NMETRICS; m++)
		free(vm.v[m]);
	free(vm.present);
	return 0;
}
