/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of common/uuidmap.c: many random keys in and out, and
 * deletion inside probe clusters (including ones that wrap around the
 * end of the table), where backward-shift deletion must keep every
 * remaining key reachable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "uuidmap.h"

#define NKEYS		10000
#define FIRST_CAP	64	/* the table's size after its first put */

struct item {
	uint8_t		 uuid[16];	/* the key, first */
	size_t		 id;
};


static void
random_key(uint64_t *seed, uint8_t u[16])
{
	uint64_t	 a = xorshift(seed), b = xorshift(seed);

	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
}

static struct item *
make_items(size_t n, uint64_t seed)
{
	struct item	*it;
	size_t		 i;

	assert_non_null(it = calloc(n, sizeof(*it)));
	for (i = 0; i < n; i++) {
		random_key(&seed, it[i].uuid);
		it[i].id = i;
	}
	return it;
}

static void
test_empty(void **state)
{
	struct uuidmap	 m = { 0 };
	uint8_t		 u[16] = { 1, 2, 3 };

	(void)state;
	assert_null(uuidmap_get(&m, u));
	assert_null(uuidmap_del(&m, u));
	assert_int_equal(m.n, 0);
	uuidmap_clear(&m);
	assert_int_equal(m.cap, 0);
}

static void
test_many(void **state)
{
	struct uuidmap	 m = { 0 };
	struct item	*it, probe;
	size_t		 i;

	(void)state;
	it = make_items(NKEYS, 0x9e3779b97f4a7c15ULL);
	for (i = 0; i < NKEYS; i++) {
		assert_int_equal(uuidmap_put(&m, &it[i]), 0);
		assert_int_equal(m.n, i + 1);
	}
	/* a power of two, at most half full */
	assert_int_equal(m.cap & (m.cap - 1), 0);
	assert_true(m.n * 2 <= m.cap);
	for (i = 0; i < NKEYS; i++)
		assert_ptr_equal(uuidmap_get(&m, it[i].uuid), &it[i]);
	/* lookups compare the key, not the pointer */
	memcpy(probe.uuid, it[1234].uuid, 16);
	assert_ptr_equal(uuidmap_get(&m, probe.uuid), &it[1234]);
	probe.uuid[15] ^= 1;
	assert_null(uuidmap_get(&m, probe.uuid));

	/* delete every other one */
	for (i = 0; i < NKEYS; i += 2)
		assert_ptr_equal(uuidmap_del(&m, it[i].uuid), &it[i]);
	assert_int_equal(m.n, NKEYS / 2);
	for (i = 0; i < NKEYS; i++) {
		if (i % 2 == 0)
			assert_null(uuidmap_get(&m, it[i].uuid));
		else
			assert_ptr_equal(uuidmap_get(&m, it[i].uuid), &it[i]);
	}
	/* deleting again finds nothing and changes nothing */
	for (i = 0; i < NKEYS; i += 2)
		assert_null(uuidmap_del(&m, it[i].uuid));
	assert_int_equal(m.n, NKEYS / 2);

	/* put them back: all there again */
	for (i = 0; i < NKEYS; i += 2)
		assert_int_equal(uuidmap_put(&m, &it[i]), 0);
	assert_int_equal(m.n, NKEYS);
	for (i = 0; i < NKEYS; i++)
		assert_ptr_equal(uuidmap_get(&m, it[i].uuid), &it[i]);

	uuidmap_clear(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, 0);
	assert_null(m.slots);
	for (i = 0; i < NKEYS; i += 97)
		assert_null(uuidmap_get(&m, it[i].uuid));
	/* usable after clear */
	assert_int_equal(uuidmap_put(&m, &it[5]), 0);
	assert_ptr_equal(uuidmap_get(&m, it[5].uuid), &it[5]);
	uuidmap_clear(&m);
	free(it);
}

static void
test_random_ops(void **state)
{
	struct uuidmap	 m = { 0 };
	struct item	*it;
	char		*in;
	uint64_t	 seed = 42;
	size_t		 i, k, n = 0, nkeys = 2000;

	(void)state;
	it = make_items(nkeys, 7);
	assert_non_null(in = calloc(nkeys, 1));
	for (i = 0; i < 50000; i++) {
		k = xorshift(&seed) % nkeys;
		if (in[k]) {
			assert_ptr_equal(uuidmap_del(&m, it[k].uuid), &it[k]);
			in[k] = 0;
			n--;
		} else {
			assert_null(uuidmap_get(&m, it[k].uuid));
			assert_int_equal(uuidmap_put(&m, &it[k]), 0);
			in[k] = 1;
			n++;
		}
		assert_int_equal(m.n, n);
		if (i % 1000 == 0)
			for (k = 0; k < nkeys; k++)
				assert_ptr_equal(uuidmap_get(&m, it[k].uuid),
				    in[k] ? &it[k] : NULL);
	}
	for (k = 0; k < nkeys; k++)
		assert_ptr_equal(uuidmap_get(&m, it[k].uuid),
		    in[k] ? &it[k] : NULL);
	uuidmap_clear(&m);
	free(in);
	free(it);
}

/* The slot a key takes in an empty table of FIRST_CAP: its home. */
static size_t
home_slot(struct item *x)
{
	struct uuidmap	 m = { 0 };
	size_t		 i, home = SIZE_MAX;

	assert_int_equal(uuidmap_put(&m, x), 0);
	assert_int_equal(m.cap, FIRST_CAP);
	for (i = 0; i < m.cap; i++)
		if (m.slots[i] == x)
			home = i;
	uuidmap_clear(&m);
	assert_true(home != SIZE_MAX);
	return home;
}

/*
 * Builds a cluster of 20 keys whose homes are 60..63 and 0..1, so the
 * run of occupied slots wraps past the end of the table, then deletes
 * them in many orders, checking every key after every deletion.
 */
static void
test_wrapping_cluster(void **state)
{
	static const size_t want_home[] = { 60, 60, 61, 62, 62, 62, 63, 63,
	    0, 0, 1, 60, 63, 0, 62, 61, 1, 1, 0, 63 };
	const size_t	 nw = sizeof(want_home) / sizeof(want_home[0]);
	struct item	*pool, *set[sizeof(want_home) / sizeof(want_home[0])];
	struct uuidmap	 m = { 0 };
	char		 used[4096] = { 0 }, gone[32];
	size_t		 npool = 4096, i, j, k, h, order[32], round;
	uint64_t	 seed = 1;

	(void)state;
	pool = make_items(npool, 12345);
	for (i = 0; i < nw; i++) {
		set[i] = NULL;
		for (j = 0; j < npool && set[i] == NULL; j++) {
			if (used[j])
				continue;
			h = home_slot(&pool[j]);
			if (h == want_home[i]) {
				set[i] = &pool[j];
				used[j] = 1;
			}
		}
		assert_non_null(set[i]);
	}
	for (round = 0; round < 200; round++) {
		for (i = 0; i < nw; i++)
			assert_int_equal(uuidmap_put(&m, set[i]), 0);
		assert_int_equal(m.cap, FIRST_CAP);
		/* the cluster really wraps */
		assert_non_null(m.slots[FIRST_CAP - 1]);
		assert_non_null(m.slots[0]);
		for (i = 0; i < nw; i++)
			order[i] = i;
		/* round 0: in order; 1: reversed; then shuffled */
		if (round == 1)
			for (i = 0; i < nw; i++)
				order[i] = nw - 1 - i;
		else if (round > 1)
			for (i = nw - 1; i > 0; i--) {
				k = xorshift(&seed) % (i + 1);
				j = order[i];
				order[i] = order[k];
				order[k] = j;
			}
		memset(gone, 0, sizeof(gone));
		for (i = 0; i < nw; i++) {
			k = order[i];
			assert_ptr_equal(uuidmap_del(&m, set[k]->uuid), set[k]);
			gone[k] = 1;
			for (j = 0; j < nw; j++)
				assert_ptr_equal(uuidmap_get(&m, set[j]->uuid),
				    gone[j] ? NULL : set[j]);
		}
		assert_int_equal(m.n, 0);
		for (i = 0; i < FIRST_CAP; i++)
			assert_null(m.slots[i]);
	}
	uuidmap_clear(&m);
	free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_random_ops),
		cmocka_unit_test(test_wrapping_cluster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
