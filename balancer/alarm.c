/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "util.h"

struct alarm_entry {
	char		 key[ALARM_KEY_MAX];
	int		 used;
	int		 sent;		/* the state the NOC knows */
	int		 held;		/* a change is waiting (counted once) */
	int64_t		 last_ms;	/* the last change sent; 0: none */
};

struct alarm_set {
	struct alarm_config	 cfg;
	struct alarm_entry	*tab;	/* open addressing, power of two */
	size_t			 cap, n;
	double			 tokens;
	int64_t			 refill_ms;
	struct alarm_stats	 stats;
};

struct alarm_set *
alarm_new(const struct alarm_config *cfg)
{
	struct alarm_set	*as;

	if ((as = calloc(1, sizeof(*as))) == NULL)
		return NULL;
	as->cfg.holddown_ms = cfg ? cfg->holddown_ms : 60000;
	as->cfg.per_min = cfg && cfg->per_min ? cfg->per_min : 120;
	as->cap = 64;
	if ((as->tab = calloc(as->cap, sizeof(*as->tab))) == NULL) {
		free(as);
		return NULL;
	}
	as->tokens = as->cfg.per_min;
	return as;
}

void
alarm_free(struct alarm_set *as)
{
	if (as == NULL)
		return;
	free(as->tab);
	free(as);
}

static size_t
alarm_slot(const struct alarm_entry *tab, size_t cap, const char *key)
{
	size_t	 i = (size_t)util_hash64(key, strlen(key)) & (cap - 1);

	while (tab[i].used && strcmp(tab[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static int
alarm_grow(struct alarm_set *as)
{
	struct alarm_entry	*t;
	size_t			 cap = as->cap * 2, i;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < as->cap; i++)
		if (as->tab[i].used)
			t[alarm_slot(t, cap, as->tab[i].key)] = as->tab[i];
	free(as->tab);
	as->tab = t;
	as->cap = cap;
	return 0;
}

static struct alarm_entry *
alarm_find(struct alarm_set *as, const char *key, int add)
{
	struct alarm_entry	*e;

	if (add && (as->n + 1) * 2 > as->cap && alarm_grow(as) < 0)
		return NULL;
	e = &as->tab[alarm_slot(as->tab, as->cap, key)];
	if (e->used || !add)
		return e->used ? e : NULL;
	util_strlcpy(e->key, key, sizeof(e->key));
	e->used = 1;
	as->n++;
	return e;
}

/* The token bucket: per_min tokens, refilled continuously. */
static int
alarm_take(struct alarm_set *as, int64_t now_ms)
{
	double	 cap = as->cfg.per_min;

	if (as->refill_ms != 0 && now_ms > as->refill_ms)
		as->tokens += (double)(now_ms - as->refill_ms) * cap / 60000.0;
	if (as->tokens > cap)
		as->tokens = cap;
	as->refill_ms = now_ms;
	if (as->tokens < 1.0)
		return 0;
	as->tokens -= 1.0;
	return 1;
}

int
alarm_update(struct alarm_set *as, const char *key, int active,
    int64_t now_ms, int64_t *since_ms)
{
	struct alarm_entry	*e;

	active = active != 0;
	if ((e = alarm_find(as, key, active)) == NULL)
		return 0;	/* never raised: nothing to clear */
	if (since_ms != NULL)
		*since_ms = e->last_ms;
	if (e->sent == active) {
		e->held = 0;
		return 0;
	}
	if (e->last_ms != 0 && now_ms - e->last_ms < as->cfg.holddown_ms) {
		if (!e->held)
			as->stats.held++;
		e->held = 1;
		return 0;
	}
	if (!alarm_take(as, now_ms)) {
		as->stats.limited++;
		return 0;
	}
	e->held = 0;
	e->sent = active;
	e->last_ms = now_ms != 0 ? now_ms : 1;
	if (active)
		as->stats.raised++;
	else
		as->stats.cleared++;
	return active ? 1 : -1;
}

int
alarm_raised(const struct alarm_set *as, const char *key)
{
	size_t	 i = alarm_slot(as->tab, as->cap, key);

	return as->tab[i].used && as->tab[i].sent;
}

void
alarm_stats(const struct alarm_set *as, struct alarm_stats *out)
{
	*out = as->stats;
	out->keys = as->n;
}
