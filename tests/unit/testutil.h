/* SPDX-License-Identifier: ISC */
/*
 * testutil: small helpers shared by the unit tests (include after
 * cmocka.h).
 */
#ifndef BALLAST_TESTUTIL_H
#define BALLAST_TESTUTIL_H

#include <stdint.h>

#define assert_near(got, want, eps) \
	check_near((got), (want), (eps), __LINE__)

static inline void
check_near(double got, double want, double eps, int line)
{
	if (!(got >= want - eps && got <= want + eps))
		fail_msg("line %d: got %.17g, want %.17g (+-%g)", line, got,
		    want, eps);
}

/* A repeatable pseudo-random sequence (xorshift64); *s must not be 0. */
static inline uint64_t
xorshift(uint64_t *s)
{
	uint64_t	 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
