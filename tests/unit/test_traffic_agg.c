/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/traffic_agg.c: endpoint resolution (MAC, IP,
 * external, broadcast), the once-per-host counting rule on taps and on
 * a bridge, top-K with the rest in other_*, the bound on pairs, and the
 * window reset.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "traffic_agg.h"

static const uint8_t	 VM1[16] = { 1, 1 }, VM2[16] = { 2, 2 },
			 VM3[16] = { 3, 3 };
static const uint8_t	 MAC1[6] = { 0x52, 0x54, 0, 0, 0, 1 },
			 MAC2[6] = { 0x52, 0x54, 0, 0, 0, 2 },
			 MAC3[6] = { 0x52, 0x54, 0, 0, 0, 3 },
			 GW[6] = { 0x02, 0, 0, 0, 0, 0xfe },
			 BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t	 IP1[4] = { 10, 0, 0, 1 }, IP3[4] = { 10, 0, 0, 3 },
			 EXT[4] = { 192, 0, 2, 7 };

static struct tagg *
agg(size_t flows)
{
	struct tagg	*t = tagg_new(flows, 16);

	assert_non_null(t);
	assert_int_equal(tagg_map_add(t, MAC1, 6, VM1), 0);
	assert_int_equal(tagg_map_add(t, MAC2, 6, VM2), 0);
	assert_int_equal(tagg_map_add(t, IP1, 4, VM1), 0);
	assert_int_equal(tagg_map_add(t, IP3, 4, VM3), 0);	/* by IP only */
	return t;
}

static struct tagg_pkt
pkt(const uint8_t *smac, const uint8_t *dmac, const uint8_t *sip,
    const uint8_t *dip, uint32_t bytes)
{
	struct tagg_pkt	 p;

	memset(&p, 0, sizeof(p));
	memcpy(p.smac, smac, 6);
	memcpy(p.dmac, dmac, 6);
	if (sip != NULL) {
		memcpy(p.sip, sip, 4);
		memcpy(p.dip, dip, 4);
		p.iplen = 4;
	}
	p.bytes = bytes;
	return p;
}

static void
test_map(void **state)
{
	struct tagg	*t = agg(8);
	uint8_t		 vm[16];
	uint8_t		 bad[5] = { 0 };

	(void)state;
	assert_int_equal(tagg_map_find(t, MAC2, 6, vm), 1);
	assert_memory_equal(vm, VM2, 16);
	assert_int_equal(tagg_map_find(t, EXT, 4, vm), 0);
	assert_int_equal(tagg_map_add(t, bad, 5, VM1), -EINVAL);
	assert_int_equal(tagg_map_add(t, MAC2, 6, VM3), 0);	/* replaces */
	assert_int_equal(tagg_map_find(t, MAC2, 6, vm), 1);
	assert_memory_equal(vm, VM3, 16);
	tagg_map_clear(t);
	assert_int_equal(tagg_map_find(t, MAC1, 6, vm), 0);
	tagg_free(t);
	t = tagg_new(8, 2);
	assert_int_equal(tagg_map_add(t, MAC1, 6, VM1), 0);
	assert_int_equal(tagg_map_add(t, MAC2, 6, VM2), 0);
	assert_int_equal(tagg_map_add(t, MAC3, 6, VM3), -ENOSPC);
	tagg_free(t);
}

/* A VM-to-VM packet crosses both taps: counted on the source's only. */
static void
test_tap_rule(void **state)
{
	struct tagg		*t = agg(8);
	struct tagg_pair	 out[4];
	struct tagg_totals	 tot;
	struct tagg_pkt		 p;

	(void)state;
	p = pkt(MAC1, MAC2, NULL, NULL, 100);
	assert_int_equal(tagg_add(t, &p, VM1), 1);	/* source's tap */
	assert_int_equal(tagg_add(t, &p, VM2), 0);	/* destination's */
	p = pkt(GW, MAC1, EXT, IP1, 60);		/* outside -> VM1 */
	assert_int_equal(tagg_add(t, &p, VM1), 1);
	assert_int_equal(tagg_add(t, &p, VM2), 0);	/* flooded copy */
	p = pkt(GW, BCAST, NULL, NULL, 42);		/* outside broadcast */
	assert_int_equal(tagg_add(t, &p, VM1), 0);
	assert_int_equal(tagg_add(t, &p, VM2), 0);
	assert_int_equal(tagg_take(t, out, 4, &tot), 2);
	assert_int_equal(tot.packets, 2);
	assert_int_equal(tot.bytes, 160);
	assert_int_equal(out[0].src.kind, TAGG_EP_VM);
	assert_memory_equal(out[0].src.b, VM1, 16);
	assert_int_equal(out[0].dst.kind, TAGG_EP_VM);
	assert_memory_equal(out[0].dst.b, VM2, 16);
	assert_int_equal(out[0].bytes, 100);
	assert_int_equal(out[1].src.kind, TAGG_EP_ADDR);	/* by its IP */
	assert_int_equal(out[1].src.len, 4);
	assert_memory_equal(out[1].src.b, EXT, 4);
	assert_memory_equal(out[1].dst.b, VM1, 16);
	tagg_free(t);
}

/* On a bridge every packet is seen once: all count; endpoints resolve
 * by MAC first, then by IP; a non-IP broadcast's end is "none". */
static void
test_bridge(void **state)
{
	struct tagg		*t = agg(8);
	struct tagg_pair	 out[4];
	struct tagg_totals	 tot;
	struct tagg_pkt		 p;

	(void)state;
	p = pkt(GW, GW, EXT, IP3, 1000);	/* VM3 known by its IP only */
	assert_int_equal(tagg_add(t, &p, NULL), 1);
	p = pkt(MAC2, BCAST, NULL, NULL, 42);	/* an ARP request */
	assert_int_equal(tagg_add(t, &p, NULL), 1);
	assert_int_equal(tagg_take(t, out, 4, &tot), 2);
	assert_int_equal(out[0].bytes, 1000);
	assert_memory_equal(out[0].dst.b, VM3, 16);
	assert_memory_equal(out[1].src.b, VM2, 16);
	assert_int_equal(out[1].dst.kind, TAGG_EP_NONE);
	tagg_free(t);
}

/* Top 2 of 4 pairs by bytes; the rest in other_*; then a new window. */
static void
test_top_and_reset(void **state)
{
	struct tagg		*t = agg(8);
	struct tagg_pair	 out[4];
	struct tagg_totals	 tot;
	struct tagg_pkt		 a = pkt(MAC1, MAC2, NULL, NULL, 100),
				 b = pkt(MAC2, MAC1, NULL, NULL, 300),
				 c = pkt(MAC1, GW, IP1, EXT, 50),
				 d = pkt(MAC2, GW, NULL, NULL, 70);
	int			 i;

	(void)state;
	for (i = 0; i < 5; i++)
		tagg_add(t, &a, NULL);		/* 500 bytes */
	tagg_add(t, &b, NULL);			/* 300 */
	for (i = 0; i < 3; i++)
		tagg_add(t, &c, NULL);		/* 150 */
	tagg_add(t, &d, NULL);			/* 70 */
	assert_int_equal(tagg_take(t, out, 2, &tot), 2);
	assert_int_equal(tot.pairs, 4);
	assert_int_equal(out[0].bytes, 500);
	assert_int_equal(out[0].packets, 5);
	assert_int_equal(out[1].bytes, 300);
	assert_int_equal(tot.other_bytes, 220);
	assert_int_equal(tot.other_packets, 4);
	assert_int_equal(tot.bytes, 1020);
	/* the window is empty again, the map kept */
	assert_int_equal(tagg_take(t, out, 2, &tot), 0);
	assert_int_equal(tot.bytes, 0);
	tagg_add(t, &c, NULL);
	assert_int_equal(tagg_take(t, out, 2, &tot), 1);
	assert_memory_equal(out[0].src.b, VM1, 16);
	assert_memory_equal(out[0].dst.b, EXT, 4);
	tagg_free(t);
}

/* More pairs than max_flows: the extra go to other_*, nothing lost. */
static void
test_bound(void **state)
{
	struct tagg		*t = agg(2);
	struct tagg_pair	 out[4];
	struct tagg_totals	 tot;
	struct tagg_pkt		 p;
	uint8_t			 ip[4] = { 198, 51, 100, 0 };
	int			 i;

	(void)state;
	for (i = 0; i < 5; i++) {
		ip[3] = (uint8_t)i;
		p = pkt(MAC1, GW, IP1, ip, 10);
		assert_int_equal(tagg_add(t, &p, VM1), 1);
	}
	assert_int_equal(tagg_take(t, out, 4, &tot), 2);
	assert_int_equal(tot.overflow, 3);
	assert_int_equal(tot.other_bytes, 30);
	assert_int_equal(tot.other_packets, 3);
	assert_int_equal(out[0].bytes + out[1].bytes + tot.other_bytes, 50);
	tagg_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_tap_rule),
		cmocka_unit_test(test_bridge),
		cmocka_unit_test(test_top_and_reset),
		cmocka_unit_test(test_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
