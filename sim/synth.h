/* SPDX-License-Identifier: ISC */
/*
 * synth: a seeded synthetic workload generator for the demo and for
 * tests that need no trace files.  It produces a trace_set (trace.h)
 * with a diurnal cycle, noise and occasional bursts, so the simulator
 * has one replay path for real and synthetic data.
 */
#ifndef BALLAST_SYNTH_H
#define BALLAST_SYNTH_H

#include <stdint.h>

#include "trace.h"

struct synth_params {
	uint64_t	 seed;
	size_t		 nvms;
	size_t		 nslots;	/* e.g. 1 day of 10-second slots: 8640 */
	unsigned	 slot_s;	/* slot length in seconds */
	int64_t		 start_s;	/* Unix time of slot 0 */
	double		 day_s;		/* length of the diurnal cycle, seconds */
};

/*
 * Generates nvms VMs ("vm-1" ...): sizes from a small menu (1-16 cores
 * of 2600 MHz, 2-64 GiB), a per-VM base load, a diurnal cycle with a
 * per-VM phase, multiplicative noise and rare bursts of several slots.
 * The same params always give the same set.  Returns 0 and a set to
 * free with trace_free(), or -EINVAL (nvms or nslots 0) or -ENOMEM.
 */
int	 synth_generate(const struct synth_params *, struct trace_set **out);

#endif
