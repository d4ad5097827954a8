/* SPDX-License-Identifier: ISC */
/*
 * uuidmap: an open-addressing hash map from a 16-byte UUID to a pointer
 * to a struct that begins with that UUID (so the key is not stored
 * twice).  Linear probing with backward-shift deletion; grows at 50 %.
 */
#ifndef BALLAST_UUIDMAP_H
#define BALLAST_UUIDMAP_H

#include <stddef.h>
#include <stdint.h>

struct uuidmap {
	void		**slots;	/* each points at a struct whose first 16 bytes are its key */
	size_t		  cap;		/* power of two, or 0 */
	size_t		  n;
};

/* Finds the value whose key is uuid, or NULL. */
void	*uuidmap_get(const struct uuidmap *, const uint8_t uuid[16]);
/*
 * Inserts v (keyed by its first 16 bytes); the key must not be
 * present.  Returns 0 or -ENOMEM (the map is unchanged).
 */
int	 uuidmap_put(struct uuidmap *, void *v);
/* Removes the entry with key uuid; returns it, or NULL if absent. */
void	*uuidmap_del(struct uuidmap *, const uint8_t uuid[16]);
void	 uuidmap_clear(struct uuidmap *);

#endif
