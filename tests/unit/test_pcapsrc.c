/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/pcapsrc.c without a capture: the frame parser
 * (Ethernet, 802.1Q and 802.1ad tags, IPv4, IPv6, ARP, short frames)
 * and the configuration checks of pcapsrc_new().  Capturing itself is
 * tested on real interfaces by tests/integration/test_pcap.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pcapsrc.h"

static const uint8_t	 DST[6] = { 0x52, 0x54, 0, 0, 0, 2 },
			 SRC[6] = { 0x52, 0x54, 0, 0, 0, 1 };

/* A frame: MACs, n tags of type tpid, then ethertype and an IP header. */
static size_t
frame(uint8_t *b, int ntags, unsigned tpid, unsigned et, int version)
{
	size_t	 off = 12;
	int	 k;

	memset(b, 0, 128);
	memcpy(b, DST, 6);
	memcpy(b + 6, SRC, 6);
	for (k = 0; k < ntags; k++, off += 4) {
		b[off] = (uint8_t)(tpid >> 8);
		b[off + 1] = (uint8_t)tpid;
		b[off + 3] = 10;	/* VLAN 10 */
	}
	b[off] = (uint8_t)(et >> 8);
	b[off + 1] = (uint8_t)et;
	off += 2;
	b[off] = (uint8_t)(version << 4);
	if (version == 4) {
		memcpy(b + off + 12, "\x0a\x00\x00\x01", 4);
		memcpy(b + off + 16, "\xc0\x00\x02\x07", 4);
		return off + 20;
	}
	if (version == 6) {
		b[off + 8] = 0xfd;
		b[off + 23] = 1;
		b[off + 24] = 0xfd;
		b[off + 39] = 2;
		return off + 40;
	}
	return off + 28;	/* an ARP body */
}

static void
test_ipv4(void **state)
{
	struct tagg_pkt	 p;
	uint8_t		 b[128];
	size_t		 n = frame(b, 0, 0, 0x0800, 4);

	(void)state;
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), 0);
	assert_memory_equal(p.smac, SRC, 6);
	assert_memory_equal(p.dmac, DST, 6);
	assert_int_equal(p.iplen, 4);
	assert_memory_equal(p.sip, "\x0a\x00\x00\x01", 4);
	assert_memory_equal(p.dip, "\xc0\x00\x02\x07", 4);
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n - 1, &p), -1);
	assert_int_equal(pcapsrc_parse(b, 13, &p), -1);
	b[14] = 0x60;	/* says IPv4, is not */
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), -1);
}

static void
test_vlan(void **state)
{
	struct tagg_pkt	 p;
	uint8_t		 b[128];
	size_t		 n;

	(void)state;
	n = frame(b, 1, 0x8100, 0x0800, 4);
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), 0);
	assert_int_equal(p.iplen, 4);
	assert_memory_equal(p.dip, "\xc0\x00\x02\x07", 4);
	n = frame(b, 2, 0x88a8, 0x86dd, 6);	/* QinQ, IPv6 */
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), 0);
	assert_int_equal(p.iplen, 16);
	assert_int_equal(p.sip[0], 0xfd);
	assert_int_equal(p.sip[15], 1);
	assert_int_equal(p.dip[15], 2);
	assert_int_equal(pcapsrc_parse(b, 16, &p), -1);	/* cut in a tag */
	n = frame(b, 3, 0x8100, 0x0800, 4);	/* a third tag: not followed */
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), 0);
	assert_int_equal(p.iplen, 0);
}

static void
test_arp(void **state)
{
	struct tagg_pkt	 p;
	uint8_t		 b[128];
	size_t		 n = frame(b, 0, 0, 0x0806, 0);

	(void)state;
	assert_int_equal(pcapsrc_parse(b, (uint32_t)n, &p), 0);
	assert_int_equal(p.iplen, 0);
	assert_memory_equal(p.smac, SRC, 6);
}

static void
test_config(void **state)
{
	struct pcapsrc_if	 i = { "eth0", NULL };
	struct pcapsrc_config	 c;
	struct pcapsrc		*s;
	char			 err[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.ifs = &i;
	c.nifs = 1;
	c.sample_every = 1;
	c.snaplen = 128;
	c.buffer = 1 << 20;
	c.top = 64;
	assert_non_null(s = pcapsrc_new(&c, err, sizeof(err)));
	assert_int_equal(pcapsrc_fds(s, NULL, 0), 0);	/* nothing open yet */
	pcapsrc_free(s);
	c.top = 257;
	assert_null(pcapsrc_new(&c, err, sizeof(err)));
	assert_string_equal(err, "pcap: top 1 to 256, not 257");
	c.top = 64;
	c.sample_every = 0;
	assert_null(pcapsrc_new(&c, err, sizeof(err)));
	c.sample_every = 1;
	c.snaplen = 10;
	assert_null(pcapsrc_new(&c, err, sizeof(err)));
	assert_string_equal(err, "pcap: snaplen 64 to 65535, not 10");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
