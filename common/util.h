/* SPDX-License-Identifier: ISC */
/*
 * util: small helpers every module may use: clocks, checked number
 * parsing (no atoi/atof), bounded string copies and UUIDs.
 */
#ifndef BALLAST_UTIL_H
#define BALLAST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_UUID_LEN		16
#define UTIL_UUID_STRLEN	37	/* 36 characters and the NUL */

int64_t	util_now_mono_ms(void);
int64_t	util_now_real_ms(void);
int64_t	util_now_mono_ns(void);

/*
 * Parses the whole of `s` as a decimal integer in [min, max].
 * Returns 0 and sets *out, or -EINVAL (not a number, trailing text)
 * or -ERANGE (out of bounds); *out is untouched on error.
 */
int	util_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* As util_parse_i64 for a finite double. */
int	util_parse_double(const char *s, double min, double max, double *out);
/*
 * Parses a size with an optional binary suffix (k, m, g, t; KiB, MiB,
 * GiB, TiB, case-insensitive) into bytes.  Same returns as above.
 */
int	util_parse_bytes(const char *s, uint64_t *out);

/*
 * Copies at most size-1 bytes and always terminates (when size > 0).
 * Returns strlen(src); a return >= size means the copy was truncated.
 */
size_t	util_strlcpy(char *dst, const char *src, size_t size);

/* Formats 16 bytes as the canonical 36-character lower-case form. */
void	util_uuid_fmt(const uint8_t uuid[UTIL_UUID_LEN],
	    char out[UTIL_UUID_STRLEN]);
/* The value of one hexadecimal digit (either case), or -1. */
int	util_hexval(int c);
/* Parses "52:54:00:12:34:56" (either case) into 6 bytes: 0 or -EINVAL. */
int	util_parse_mac(const char *s, uint8_t out[6]);
/* Parses the canonical form (either case).  0 or -EINVAL. */
int	util_uuid_parse(const char *s, uint8_t uuid[UTIL_UUID_LEN]);
/*
 * Derives a stable name-based UUID (version 5 layout, FNV-based rather
 * than SHA-1: stable across runs, not for cryptographic use).
 */
void	util_uuid_from_name(const char *ns, const char *name,
	    uint8_t uuid[UTIL_UUID_LEN]);
/* 64-bit FNV-1a over a byte string. */
uint64_t util_hash64(const void *p, size_t n);
/*
 * Whether the string `got` equals the secret `want`, in a time that
 * depends on the secret's length only: neither where `got` differs nor
 * its length shows in the timing.  0 or 1.
 */
int	util_secret_equal(const char *want, const char *got);

/*
 * The next number of a splitmix64 stream (Steele, Lea, Flood) whose
 * state is *s: seeded, repeatable, not for cryptographic use.
 */
uint64_t util_splitmix64(uint64_t *s);

/*
 * Appends len bytes to the end of fd (its only writer) as one piece: a
 * short write (a full disk) is cut off again, so that the file never
 * keeps part of them (a log line that the next one would be glued to).
 * Returns 0 or -errno (-ENOSPC for a short write).
 */
int	util_append_whole(int fd, const void *buf, size_t len);

/* Sleeps for ms milliseconds, restarting after signals unless *stop. */
void	util_sleep_ms(int64_t ms, volatile int *stop);

#endif
