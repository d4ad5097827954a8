/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uuidmap.h"

static size_t
uuidmap_hash(const uint8_t *u, size_t cap)
{
	uint64_t	 a, b;

	memcpy(&a, u, 8);
	memcpy(&b, u + 8, 8);
	a ^= b * 0x9e3779b97f4a7c15ULL;
	a ^= a >> 32;
	a *= 0xd6e8feb86659fd93ULL;
	a ^= a >> 32;
	return (size_t)a & (cap - 1);
}

void *
uuidmap_get(const struct uuidmap *m, const uint8_t uuid[16])
{
	size_t	 i;

	if (m->cap == 0)
		return NULL;
	for (i = uuidmap_hash(uuid, m->cap); m->slots[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (memcmp(m->slots[i], uuid, 16) == 0)
			return m->slots[i];
	return NULL;
}

static void
uuidmap_insert(void **slots, size_t cap, void *v)
{
	size_t	 i;

	for (i = uuidmap_hash(v, cap); slots[i] != NULL; i = (i + 1) & (cap - 1))
		;
	slots[i] = v;
}

static int
uuidmap_grow(struct uuidmap *m)
{
	size_t	  ncap = m->cap ? m->cap * 2 : 64, i;
	void	**ns;

	if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i] != NULL)
			uuidmap_insert(ns, ncap, m->slots[i]);
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int
uuidmap_put(struct uuidmap *m, void *v)
{
	if ((m->n + 1) * 2 > m->cap && uuidmap_grow(m) < 0)
		return -ENOMEM;
	uuidmap_insert(m->slots, m->cap, v);
	m->n++;
	return 0;
}

void *
uuidmap_del(struct uuidmap *m, const uint8_t uuid[16])
{
	size_t	 i, j, k, mask = m->cap - 1;
	void	*v;

	if (m->cap == 0)
		return NULL;
	for (i = uuidmap_hash(uuid, m->cap); m->slots[i] != NULL; i = (i + 1) & mask)
		if (memcmp(m->slots[i], uuid, 16) == 0)
			break;
	if ((v = m->slots[i]) == NULL)
		return NULL;
	/* Backward-shift the cluster that follows into the hole. */
	for (j = (i + 1) & mask; m->slots[j] != NULL; j = (j + 1) & mask) {
		k = uuidmap_hash(m->slots[j], m->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i] = NULL;
	m->n--;
	return v;
}

void
uuidmap_clear(struct uuidmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
