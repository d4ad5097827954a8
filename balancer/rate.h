/* SPDX-License-Identifier: ISC */
/*
 * rate: turns cumulative counters into increases and rates.
 *
 * Pure functions, no state: the model keeps the previous sample.
 * A counter that went down is either a wrap of a 32-bit counter (the
 * wrapped increase is less than half its span) or a reset (the counting
 * process restarted, e.g. a VM that migrated or a collector that
 * restarted); a reset gives no increase for that interval.  A 64-bit
 * counter never wraps in practice, so any decrease is a reset.
 */
#ifndef BALLAST_RATE_H
#define BALLAST_RATE_H

#include <stdint.h>

enum rate_result {
	RATE_OK = 0,		/* *delta = cur - prev */
	RATE_WRAPPED = 1,	/* a 32-bit counter wrapped; *delta is right */
	RATE_RESET = 2		/* counter restarted; *delta is 0 */
};

/*
 * Increase from prev to cur of a counter `bits` wide (32 or 64).
 * Never fails; see enum rate_result.
 */
enum rate_result rate_delta(uint64_t prev, uint64_t cur, unsigned bits,
	    uint64_t *delta);

/* delta per second over dt_ms milliseconds; 0 when dt_ms is 0. */
double	rate_per_s(uint64_t delta, uint64_t dt_ms);

/*
 * A bounded ring of recent float values (a short window for
 * sustained-condition rules).  RATE_WINDOW values at most.
 */
#define RATE_WINDOW	32

struct rate_window {
	float		 v[RATE_WINDOW];
	uint8_t		 head;		/* next slot to write */
	uint8_t		 n;		/* values held, <= RATE_WINDOW */
};

void	rate_window_push(struct rate_window *, float);
/* The value k samples ago (0: newest).  Returns 0 and *out, or -1. */
int	rate_window_get(const struct rate_window *, unsigned k, float *out);
/* Mean of the newest n values (fewer if fewer are held); 0 if empty. */
float	rate_window_mean(const struct rate_window *, unsigned n);
/* Population standard deviation of the newest n values; 0 if empty. */
float	rate_window_sd(const struct rate_window *, unsigned n);
/* How many of the newest values in a row are above level. */
unsigned rate_window_run_above(const struct rate_window *, float level);

#endif
