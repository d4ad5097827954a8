/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "http_guard.h"

/* One client address and how many connections it has open. */
struct guard_slot {
	uint8_t		 addr[16];	/* IPv4 as v4-mapped IPv6 */
	unsigned	 n;		/* 0: free */
};

struct http_guard {
	struct http_limits	 lim;
	struct http_stats	 st;
	struct guard_slot	*slots;	/* lim.connections of them */
};

void
http_limits_defaults(struct http_limits *l)
{
	l->connections = HTTP_DEFAULT_CONNECTIONS;
	l->per_ip = HTTP_DEFAULT_PER_IP;
	l->idle_s = HTTP_DEFAULT_IDLE_S;
	l->max_body = HTTP_DEFAULT_MAX_BODY;
	l->max_header = HTTP_DEFAULT_MAX_HEADER;
	l->max_headers = HTTP_DEFAULT_MAX_HEADERS;
}

struct http_guard *
http_guard_new(const struct http_limits *lim)
{
	struct http_limits	 def;
	struct http_guard	*g;

	http_limits_defaults(&def);
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->lim = lim != NULL ? *lim : def;
#define GUARD_DEF(f)	if (g->lim.f == 0) g->lim.f = def.f
	GUARD_DEF(connections);
	GUARD_DEF(per_ip);
	GUARD_DEF(idle_s);
	GUARD_DEF(max_body);
	GUARD_DEF(max_header);
	GUARD_DEF(max_headers);
#undef GUARD_DEF
	if ((g->slots = calloc(g->lim.connections, sizeof(*g->slots))) == NULL) {
		free(g);
		return NULL;
	}
	return g;
}

void
http_guard_free(struct http_guard *g)
{
	if (g == NULL)
		return;
	free(g->slots);
	free(g);
}

const struct http_limits *
http_guard_limits(const struct http_guard *g)
{
	return &g->lim;
}

struct http_stats *
http_guard_stats(struct http_guard *g)
{
	return &g->st;
}

/* The address as 16 bytes; an unknown family maps to all zeros. */
static void
guard_key(const struct sockaddr *sa, uint8_t key[16])
{
	memset(key, 0, 16);
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6)
		memcpy(key, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, 16);
}

/* The address's slot, else a free one when want_free; NULL: none. */
static struct guard_slot *
guard_find(struct http_guard *g, const uint8_t key[16], int want_free)
{
	struct guard_slot	*free_slot = NULL;
	unsigned		 i;

	for (i = 0; i < g->lim.connections; i++) {
		if (g->slots[i].n == 0) {
			if (free_slot == NULL)
				free_slot = &g->slots[i];
			continue;
		}
		if (memcmp(g->slots[i].addr, key, 16) == 0)
			return &g->slots[i];
	}
	return want_free ? free_slot : NULL;
}

int
http_guard_admit(struct http_guard *g, const struct sockaddr *addr)
{
	struct guard_slot	*s;
	uint8_t			 key[16];

	if (g->st.open >= g->lim.connections) {
		g->st.refused_limit++;
		return -EMFILE;
	}
	guard_key(addr, key);
	/* open < connections, so a free slot exists */
	s = guard_find(g, key, 1);
	if (s->n >= g->lim.per_ip) {
		g->st.refused_per_ip++;
		return -EUSERS;
	}
	if (s->n == 0)
		memcpy(s->addr, key, 16);
	s->n++;
	g->st.open++;
	g->st.accepted++;
	return 0;
}

void
http_guard_release(struct http_guard *g, const struct sockaddr *addr)
{
	struct guard_slot	*s;
	uint8_t			 key[16];

	guard_key(addr, key);
	if ((s = guard_find(g, key, 0)) == NULL)
		return;
	s->n--;
	if (g->st.open > 0)
		g->st.open--;
}
