/* SPDX-License-Identifier: ISC */
/*
 * fuzz: what every fuzz target shares.  Each fuzz/fuzz_X.c defines
 * LLVMFuzzerTestOneInput; clang's libFuzzer drives it (make fuzz), and
 * fuzz/replay.c feeds it the committed corpus and crashes (make check).
 * A target aborts when a property it checks fails, so the fuzzer and
 * the replay both count it as a crash.  A parser that takes a length
 * gets the input itself, not a NUL-terminated copy: libFuzzer and the
 * replay both hand over a buffer of exactly that size, so ASan catches
 * a read past its end.
 */
#ifndef BALLAST_FUZZ_H
#define BALLAST_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd NUL-terminated copy of data (abort when out of memory). */
char	*fuzz_text(const uint8_t *data, size_t size);

/* Aborts with a message when cond is false. */
void	 fuzz_assert(int cond, const char *what, const char *detail);

#endif
