/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/virt.c and vround.c against libvirt's test
 * driver in this process: a node XML with three domains is found and
 * read with the per-domain calls (its bulk stats say only state.*),
 * counters grow between rounds, a round is only taken once, and a URI
 * that cannot be opened gives notices, not a blocked caller.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "virt.h"

static char	 dir[64], uri[160];

static const char NODE[] =
"<node><cpu><mhz>2000</mhz><model>i686</model><active>4</active>"
"<total>4</total><nodes>1</nodes><sockets>1</sockets><cores>4</cores>"
"<threads>1</threads></cpu><memory>8388608</memory>\n"
"<domain type='test'><name>a-1</name>"
"<uuid>11111111-0000-4000-8000-000000000001</uuid><memory>524288</memory>"
"<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
"<disk type='file' device='disk'><source file='/x'/><target dev='vda'/></disk>"
"<interface type='bridge'><source bridge='br0'/><target dev='tap-a1'/>"
"</interface></devices></domain>\n"
"<domain type='test'><name>b-1</name>"
"<uuid>11111111-0000-4000-8000-000000000002</uuid><memory>524288</memory>"
"<vcpu>2</vcpu><os><type>hvm</type></os><devices/></domain>\n"
"<domain type='test'><name>c-1</name>"
"<uuid>11111111-0000-4000-8000-000000000003</uuid><memory>1048576</memory>"
"<vcpu>4</vcpu><os><type>hvm</type></os><devices>"
"<interface type='network'><source network='default'/>"
"<target dev='tap-c1'/></interface></devices></domain>\n"
"</node>\n";

static int
setup(void **state)
{
	char	 path[128];
	FILE	*f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/virt-test.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/node.xml", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(NODE, f);
	fclose(f);
	snprintf(uri, sizeof(uri), "test://%s", path);
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct virt *
start(const char *u)
{
	struct virt_config	 vc;
	struct virt		*v;
	char			 err[256] = "";

	memset(&vc, 0, sizeof(vc));
	vc.uri = u;
	vc.call_timeout_ms = 1000;
	vc.refresh_ms = 60000;
	vc.round_ms = 2000;
	if ((v = virt_new(&vc, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	return v;
}

/* Asks for a round and waits (at most 3 s) for its snapshot. */
static void
round_of(struct virt *v, struct virt_snap *s)
{
	struct pollfd	 p = { virt_fd(v), POLLIN, 0 };
	int64_t		 t0 = util_now_mono_ms();
	uint64_t	 before = s->round;

	virt_request(v);
	while (util_now_mono_ms() - t0 < 3000) {
		poll(&p, 1, 100);
		if (virt_snapshot(v, s) && s->round > before)
			return;
	}
	fail_msg("no round in 3 s");
}

static const struct virt_vm *
find(const struct virt_snap *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->vms[i].name, name) == 0)
			return &s->vms[i];
	return NULL;
}

static void
test_rounds(void **state)
{
	struct virt		*v = start(uri);
	struct virt_snap	 s;
	struct virt_notice	 n;
	const struct virt_vm	*a, *c;
	uint64_t		 cpu0, rx0;
	int			 connected = 0, found = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	round_of(v, &s);
	assert_true(s.connected);
	assert_int_equal(s.n, 3);
	assert_non_null(a = find(&s, "a-1"));
	assert_non_null(c = find(&s, "c-1"));
	assert_int_equal(a->state, VIR_DOMAIN_RUNNING);
	assert_int_equal(a->vcpus, 1);
	assert_int_equal(c->vcpus, 4);
	assert_true(a->mem_max == 524288ULL * 1024);
	assert_true(a->net_rx_bytes > 0 && a->blk_rd_bytes > 0);
	assert_false(a->stale);
	assert_true(virt_has(v, a->uuid));
	cpu0 = a->cpu_time_ns;
	rx0 = a->net_rx_bytes;
	usleep(20000);
	round_of(v, &s);
	a = find(&s, "a-1");
	assert_true(a->cpu_time_ns > cpu0);
	assert_true(a->net_rx_bytes > rx0);
	/* taken once: no newer round without a request */
	assert_int_equal(virt_snapshot(v, &s), 0);
	while (virt_notice(v, &n)) {
		connected |= n.kind == VN_CONNECTED;
		found += n.kind == VN_ADDED;
	}
	assert_true(connected);
	assert_int_equal(found, 3);
	virt_free(v);
	free(s.vms);
}

static void
test_cannot_connect(void **state)
{
	struct virt		*v = start("test:///nonexistent/node.xml");
	struct virt_snap	 s;
	struct virt_notice	 n;
	int			 failed = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	round_of(v, &s);
	assert_false(s.connected);
	assert_int_equal(s.n, 0);
	while (virt_notice(v, &n))
		if (n.kind == VN_CONNECT_FAILED) {
			failed++;
			assert_non_null(strstr(n.text, "trying again in 1 s"));
		}
	assert_int_equal(failed, 1);
	/* within the backoff no second attempt, so no second notice */
	round_of(v, &s);
	assert_int_equal(virt_notice(v, &n), 0);
	virt_free(v);
	free(s.vms);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_cannot_connect),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
