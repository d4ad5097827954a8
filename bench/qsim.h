/* SPDX-License-Identifier: ISC */
/*
 * qsim: the balancing-quality model of bench/quality, exactly as the
 * project's quality definition states it:
 *
 *   - time in 5-minute slots (slot = ts / 300); a VM's CPU demand and
 *     memory in a slot are those of its last row in the slot; a VM with
 *     no row has demand 0 there and may not be migrated in that slot;
 *   - H identical hosts of 83,200 MHz (32 x 2,600) and 256 GiB; VM i
 *     (files in numeric order) starts on host i mod H;
 *   - in each slot host loads come from the current placement; a host
 *     whose CPU demand exceeds 80 % of capacity is hot (5 host-minutes);
 *     the policy then sees that slot and earlier ones and decides; its
 *     migrations take effect from the next slot; a move may not push the
 *     destination over 256 GiB or over 80 % CPU at decision time.
 *
 * Counted: hot host-minutes, migrations, GiB moved, time-averaged
 * coefficient of variation of host CPU, p99 host CPU utilisation.
 */
#ifndef BALLAST_QSIM_H
#define BALLAST_QSIM_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define QSIM_HOST_MHZ	83200.0
#define QSIM_HOST_KB	(256.0 * 1024 * 1024)
#define QSIM_HOT	0.80

struct qmove {
	size_t		 vm;
	size_t		 to;
};

struct qsim {
	const struct trace_set	*ts;
	size_t			 nhosts, nvms;
	size_t			 slot;		/* index from ts->slot0 */
	size_t			*place;		/* VM -> host */
	double			*cpu, *mem;	/* VM demand (MHz, KB) this slot */
	uint8_t			*present;	/* VM has a row this slot */
	double			*hcpu, *hmem;	/* host load this slot */
	int			*hot_run;	/* consecutive hot slots per host */
	int64_t			*moved_at;	/* slot of a VM's last move, or -1 */
	/* results */
	uint64_t		 hot_slots, migrations, refused;
	double			 gib_moved, cv_sum;
	float			*util;		/* every host-slot utilisation */
	size_t			 nutil;
};

/* Decides the moves for the current slot; returns how many (<= max). */
typedef size_t (*qsim_policy)(const struct qsim *, void *arg,
	    struct qmove *out, size_t max);

/* Returns 0 or -ENOMEM. */
int	qsim_init(struct qsim *, const struct trace_set *, size_t nhosts);
void	qsim_free(struct qsim *);

/*
 * Replays every slot with the policy (NULL: no balancing).  `progress`
 * is called every 500 slots when not NULL.
 */
void	qsim_run(struct qsim *, qsim_policy, void *arg,
	    void (*progress)(size_t done, size_t total));

/* Would moving vm to host `to` be allowed now (memory, 80 % CPU)? */
int	qsim_fits(const struct qsim *, size_t vm, size_t to);

double	qsim_p99(struct qsim *);

/* The fluid bound's hot host-minutes for nhosts hosts. */
uint64_t qsim_fluid_bound(const struct trace_set *, size_t nhosts);

#endif
