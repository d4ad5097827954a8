/* SPDX-License-Identifier: ISC */
/*
 * units: the value forms of the policy language (ballast.policy(5)),
 * read and written back: percentages ("80%"), durations ("30s", "5m",
 * "500ms"), rates ("1GiB/s") and daily windows ("22:00-06:00").
 *
 * The parsers take one whole word and check its form only: each
 * returns 0 and fills *out, or -EINVAL (not that form) or -ERANGE (the
 * number does not fit), *out untouched.  Ranges that depend on the
 * setting are the caller's.  The formatters write the shortest exact
 * form, which the parsers read back to the same value.
 */
#ifndef BALLAST_POLICY_UNITS_H
#define BALLAST_POLICY_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_BUF	32	/* enough for any formatted value */

/* A plain decimal, digits with an optional fraction: "1", "0.25". */
int	units_parse_number(const char *s, double *out);

/* "80%", "12.5%": a decimal number from 0 to 100 and '%', as 0..1. */
int	units_parse_percent(const char *s, double *frac);
void	units_fmt_percent(double frac, char *buf, size_t len);

/*
 * A whole number and a unit: "ms" (only when allow_ms), "s", "m", "h"
 * or "d".  The result is in milliseconds.
 */
int	units_parse_duration(const char *s, int allow_ms, uint64_t *ms);
/* Writes ms in the largest unit that divides it exactly ("0s" for 0). */
void	units_fmt_duration(uint64_t ms, char *buf, size_t len);

/* A size as util_parse_bytes() reads it, then "/s": bytes per second. */
int	units_parse_rate(const char *s, uint64_t *bps);
void	units_fmt_rate(uint64_t bps, char *buf, size_t len);

/*
 * "HH:MM-HH:MM" in minutes after midnight: from 00:00 to 23:59, to
 * from 00:00 to 24:00.  Equal ends are the caller's to judge.
 */
int	units_parse_window(const char *s, unsigned *from, unsigned *to);
void	units_fmt_window(unsigned from, unsigned to, char *buf, size_t len);

#endif
