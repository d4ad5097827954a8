/* SPDX-License-Identifier: ISC */
/*
 * alarm: conditions that a NOC sees as raise/clear pairs, deduplicated
 * and rate-limited so that a flapping condition does not flood it.
 *
 * The caller states every condition on every tick (alarm_update with
 * the key and whether it holds now); the set answers when a raise or a
 * clear is to be sent.  Rules:
 *   - a key starts cleared; only a change of state is ever sent, so
 *     raises and clears alternate for each key (deduplication);
 *   - after a key sent a change, it sends none for `holddown_ms`
 *     (hold-down): a change that reverts within it is never sent, one
 *     that lasts is sent when the hold-down ends -- at most one
 *     notification per key per hold-down, and the last one sent always
 *     matches the condition once it is steady;
 *   - over all keys, at most `per_min` changes a minute (a token
 *     bucket of that size): the others wait, still in order of keys.
 * Pure: no clock (now_ms is passed), no output.
 */
#ifndef BALLAST_ALARM_H
#define BALLAST_ALARM_H

#include <stddef.h>
#include <stdint.h>

struct alarm_config {
	unsigned	 holddown_ms;	/* default 60000 */
	unsigned	 per_min;	/* default 120 */
};

struct alarm_stats {
	uint64_t	 raised, cleared;
	uint64_t	 held;		/* changes kept back by a hold-down */
	uint64_t	 limited;	/* ticks a change waited for the rate limit */
	size_t		 keys;
};

#define ALARM_KEY_MAX	96

struct alarm_set;

/* NULL config: the defaults; returns NULL when out of memory. */
struct alarm_set *alarm_new(const struct alarm_config *);
void		  alarm_free(struct alarm_set *);

/*
 * States the condition of key now.  Returns 1 (send the raise now),
 * -1 (send the clear now) or 0 (nothing to send; also when out of
 * memory).  *since_ms, when not NULL, gets the time of the key's
 * previous change sent (0: none), e.g. how long an alarm was raised.
 */
int		  alarm_update(struct alarm_set *, const char *key, int active,
		    int64_t now_ms, int64_t *since_ms);

/* Is the key raised as far as the NOC knows? */
int		  alarm_raised(const struct alarm_set *, const char *key);

void		  alarm_stats(const struct alarm_set *, struct alarm_stats *);

#endif
