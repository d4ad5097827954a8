/* SPDX-License-Identifier: ISC */
#include <math.h>

#include "rate.h"

#define U32_SPAN	(1ULL << 32)

enum rate_result
rate_delta(uint64_t prev, uint64_t cur, unsigned bits, uint64_t *delta)
{
	uint64_t	 wrapped;

	if (cur >= prev) {
		*delta = cur - prev;
		return RATE_OK;
	}
	/*
	 * Went down.  A 32-bit counter that wrapped once has increased by
	 * less than half its span; anything else is a restart of the
	 * counting process.
	 */
	if (bits == 32 && prev < U32_SPAN && cur < U32_SPAN) {
		wrapped = U32_SPAN - prev + cur;
		if (wrapped < U32_SPAN / 2) {
			*delta = wrapped;
			return RATE_WRAPPED;
		}
	}
	*delta = 0;
	return RATE_RESET;
}

double
rate_per_s(uint64_t delta, uint64_t dt_ms)
{
	if (dt_ms == 0)
		return 0.0;
	return (double)delta * 1000.0 / (double)dt_ms;
}

void
rate_window_push(struct rate_window *w, float v)
{
	w->v[w->head] = v;
	w->head = (uint8_t)((w->head + 1) % RATE_WINDOW);
	if (w->n < RATE_WINDOW)
		w->n++;
}

int
rate_window_get(const struct rate_window *w, unsigned k, float *out)
{
	if (k >= w->n)
		return -1;
	*out = w->v[(w->head + RATE_WINDOW - 1 - k) % RATE_WINDOW];
	return 0;
}

float
rate_window_mean(const struct rate_window *w, unsigned n)
{
	float	 sum = 0, v = 0;
	unsigned i;

	if (n > w->n)
		n = w->n;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		rate_window_get(w, i, &v);
		sum += v;
	}
	return sum / (float)n;
}

float
rate_window_sd(const struct rate_window *w, unsigned n)
{
	float	 mean = rate_window_mean(w, n), v = 0, sq = 0;
	unsigned i;

	if (n > w->n)
		n = w->n;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		rate_window_get(w, i, &v);
		sq += (v - mean) * (v - mean);
	}
	return sqrtf(sq / (float)n);
}

unsigned
rate_window_run_above(const struct rate_window *w, float level)
{
	unsigned i;
	float	 v = 0;

	for (i = 0; i < w->n; i++)
		if (rate_window_get(w, i, &v) < 0 || !(v > level))
			break;
	return i;
}
