/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of proto/wire.c: a good HostReport survives wire_pack and
 * wire_decode intact, and every rule of the wire contract refuses a
 * message that breaks it with its own code and a reason.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "wire.h"

#define ACCEPT_ALL	((1u << BALLAST__V1__ENVELOPE__BODY_HELLO) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_REPORT) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_ACK) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_COMMAND) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_STATUS))
#define ACCEPT_REPORT	(1u << BALLAST__V1__ENVELOPE__BODY_REPORT)

#define T_2020_MS	1577836800000ULL	/* 2020-01-01 */
#define T_1999_MS	915148800000ULL		/* 1999-01-01 */
#define T_2101_MS	4133980800000ULL	/* 2101-01-01 */

static const uint8_t host_uuid[16] = {
	0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
	0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
};

/* One envelope carrying a valid HostReport with n VMs. */
struct rep {
	wire_envelope			 env;
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
	Ballast__V1__DirtyRate		 dirty;
	wire_vm				*vm;
	wire_vm				**vmp;
	uint8_t				(*vm_uuid)[16];
	char				(*vm_name)[32];
	size_t				 n;
	uint8_t				 uuid[16];
	char				 host_name[128];
	char				 cluster[128];
};

static void
rep_init(struct rep *p, size_t n)
{
	size_t	 i;

	memset(p, 0, sizeof(*p));
	ballast__v1__envelope__init(&p->env);
	ballast__v1__host_report__init(&p->r);
	ballast__v1__host_capacity__init(&p->cap);
	ballast__v1__host_counters__init(&p->ctr);
	ballast__v1__dirty_rate__init(&p->dirty);
	p->n = n;
	p->vm = calloc(n + 1, sizeof(*p->vm));
	p->vmp = calloc(n + 1, sizeof(*p->vmp));
	p->vm_uuid = calloc(n + 1, sizeof(*p->vm_uuid));
	p->vm_name = calloc(n + 1, sizeof(*p->vm_name));
	assert_non_null(p->vm);
	assert_non_null(p->vmp);
	assert_non_null(p->vm_uuid);
	assert_non_null(p->vm_name);

	memcpy(p->uuid, host_uuid, 16);
	snprintf(p->host_name, sizeof(p->host_name), "kvm-01.example");
	snprintf(p->cluster, sizeof(p->cluster), "prod");
	p->r.host_uuid.data = p->uuid;
	p->r.host_uuid.len = 16;
	p->r.host_name = p->host_name;
	p->r.cluster = p->cluster;
	p->r.seq = 7;
	p->r.incarnation = 1234;
	p->r.sample_time_ms = T_2020_MS;
	p->r.interval_ms = 1000;
	p->cap.cpus = 32;
	p->cap.cpu_mhz = 2400;
	p->cap.memory_bytes = 256ULL << 30;
	p->cap.nic_bps = 10000000000ULL;
	p->r.capacity = &p->cap;
	p->ctr.cpu_busy_ns = 5000000000ULL;
	p->ctr.cpu_idle_ns = 90000000000ULL;
	p->ctr.mem_used_bytes = 100ULL << 30;
	p->ctr.mem_available_bytes = 150ULL << 30;
	p->r.counters = &p->ctr;
	p->dirty.bytes_per_s = 4096;
	for (i = 0; i < n; i++) {
		ballast__v1__vm_sample__init(&p->vm[i]);
		p->vm_uuid[i][0] = 0xaa;
		p->vm_uuid[i][1] = (uint8_t)(i >> 8);
		p->vm_uuid[i][2] = (uint8_t)i;
		p->vm_uuid[i][15] = 0x01;
		snprintf(p->vm_name[i], sizeof(p->vm_name[i]), "vm %zu", i);
		p->vm[i].uuid.data = p->vm_uuid[i];
		p->vm[i].uuid.len = 16;
		p->vm[i].name = p->vm_name[i];
		p->vm[i].state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
		p->vm[i].vcpus = 2;
		p->vm[i].cpu_time_ns = 1000000000ULL * (i + 1);
		p->vm[i].mem_max_bytes = 4ULL << 30;
		p->vm[i].mem_rss_bytes = 2ULL << 30;
		p->vm[i].net_rx_bytes = 12345;
		if (i == 0)
			p->vm[i].dirty = &p->dirty;
		p->vmp[i] = &p->vm[i];
	}
	p->r.n_vms = n;
	p->r.vms = p->vmp;
	p->env.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	p->env.report = &p->r;
}

static void
rep_free(struct rep *p)
{
	free(p->vm);
	free(p->vmp);
	free(p->vm_uuid);
	free(p->vm_name);
}

/*
 * Packs e and decodes it with a fresh decoder.  Returns wire_decode()'s
 * result; the reason goes to err.  Checks that *out is only set on
 * success.
 */
static int
pack_decode(wire_envelope *e, unsigned accept, char *err, size_t errlen)
{
	struct wire_decoder	*d;
	wire_envelope		*out = NULL;
	uint8_t			*buf;
	size_t			 len = 0;
	int			 rc;

	assert_non_null(buf = wire_pack(e, &len));
	assert_true(len > 0);
	assert_non_null(d = wire_decoder_new());
	err[0] = '\0';
	rc = wire_decode(d, buf, len, accept, &out, err, errlen);
	if (rc == 0)
		assert_non_null(out);
	else
		assert_null(out);
	wire_decoder_free(d);
	free(buf);
	return rc;
}

/* Asserts that e is refused with exactly -code and a reason. */
static void
expect_reject(wire_envelope *e, unsigned accept, int code)
{
	char	 err[256];
	int	 rc;

	rc = pack_decode(e, accept, err, sizeof(err));
	if (rc != -code)
		fail_msg("got %d (%s: %s), want %d (%s)", rc,
		    wire_strerror(rc), err, -code, wire_strerror(code));
	assert_true(strlen(err) > 0);
}

static void
expect_ok(wire_envelope *e, unsigned accept)
{
	char	 err[256];
	int	 rc;

	rc = pack_decode(e, accept, err, sizeof(err));
	if (rc != 0)
		fail_msg("refused: %d %s", rc, err);
}

/* Decodes raw bytes; asserts -code and a reason. */
static void
expect_raw(const void *buf, size_t len, int code)
{
	struct wire_decoder	*d;
	wire_envelope		*out = NULL;
	char			 err[256] = "";
	int			 rc;

	assert_non_null(d = wire_decoder_new());
	rc = wire_decode(d, buf, len, ACCEPT_ALL, &out, err, sizeof(err));
	assert_int_equal(rc, -code);
	assert_true(strlen(err) > 0);
	assert_null(out);
	wire_decoder_free(d);
}

static void
test_report_roundtrip(void **state)
{
	struct rep		 p;
	struct wire_decoder	*d;
	wire_envelope		*out = NULL;
	wire_report		*r;
	uint8_t			*buf;
	size_t			 len = 0, i;
	char			 err[256];

	(void)state;
	rep_init(&p, 3);
	p.env.version = 0;	/* wire_pack sets it */
	assert_non_null(buf = wire_pack(&p.env, &len));
	assert_int_equal(p.env.version, WIRE_VERSION);
	assert_non_null(d = wire_decoder_new());
	assert_int_equal(wire_decode(d, buf, len, ACCEPT_REPORT, &out, err,
	    sizeof(err)), 0);
	assert_non_null(out);
	assert_int_equal(out->version, WIRE_VERSION);
	assert_int_equal(out->body_case, BALLAST__V1__ENVELOPE__BODY_REPORT);
	r = out->report;
	assert_int_equal(r->host_uuid.len, 16);
	assert_memory_equal(r->host_uuid.data, host_uuid, 16);
	assert_string_equal(r->host_name, "kvm-01.example");
	assert_string_equal(r->cluster, "prod");
	assert_int_equal(r->seq, 7);
	assert_int_equal(r->incarnation, 1234);
	assert_int_equal(r->sample_time_ms, T_2020_MS);
	assert_int_equal(r->interval_ms, 1000);
	assert_non_null(r->capacity);
	assert_int_equal(r->capacity->cpus, 32);
	assert_int_equal(r->capacity->cpu_mhz, 2400);
	assert_int_equal(r->capacity->memory_bytes, 256ULL << 30);
	assert_non_null(r->counters);
	assert_int_equal(r->counters->cpu_busy_ns, 5000000000ULL);
	assert_int_equal(r->counters->cpu_idle_ns, 90000000000ULL);
	assert_int_equal(r->n_vms, 3);
	for (i = 0; i < 3; i++) {
		assert_memory_equal(r->vms[i]->uuid.data, p.vm_uuid[i], 16);
		assert_string_equal(r->vms[i]->name, p.vm_name[i]);
		assert_int_equal(r->vms[i]->vcpus, 2);
		assert_int_equal(r->vms[i]->cpu_time_ns, 1000000000ULL * (i + 1));
	}
	assert_non_null(r->vms[0]->dirty);
	assert_int_equal(r->vms[0]->dirty->bytes_per_s, 4096);
	assert_null(r->vms[1]->dirty);

	/* The same decoder takes the same report again: no stale dedup. */
	out = NULL;
	assert_int_equal(wire_decode(d, buf, len, ACCEPT_REPORT, &out, err,
	    sizeof(err)), 0);
	assert_non_null(out);
	assert_int_equal(out->report->n_vms, 3);
	wire_decoder_free(d);
	free(buf);
	rep_free(&p);
}

static void
test_report_empty_and_bounds_ok(void **state)
{
	struct rep	 p;
	char		 name[WIRE_MAX_HOST_NAME + 1];

	(void)state;
	/* no VMs, no cluster, limits exactly on the bounds */
	rep_init(&p, 0);
	p.cluster[0] = '\0';
	expect_ok(&p.env, ACCEPT_REPORT);
	memset(name, 'h', WIRE_MAX_HOST_NAME);
	name[WIRE_MAX_HOST_NAME] = '\0';
	p.r.host_name = name;
	p.r.sample_time_ms = WIRE_MIN_TIME_MS;
	p.r.interval_ms = WIRE_MIN_INTERVAL_MS;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.r.sample_time_ms = WIRE_MAX_TIME_MS;
	p.r.interval_ms = WIRE_MAX_INTERVAL_MS;
	expect_ok(&p.env, ACCEPT_REPORT);
	rep_free(&p);

	rep_init(&p, WIRE_MAX_VMS);
	expect_ok(&p.env, ACCEPT_REPORT);
	rep_free(&p);
}

static void
test_size(void **state)
{
	uint8_t	*big;

	(void)state;
	expect_raw("", 0, WIRE_E_SIZE);
	big = calloc(1, WIRE_MAX_MSG_BYTES + 1);
	assert_non_null(big);
	expect_raw(big, WIRE_MAX_MSG_BYTES + 1, WIRE_E_SIZE);
	/* at the limit the size is fine, the zeros are not a message */
	expect_raw(big, WIRE_MAX_MSG_BYTES, WIRE_E_DECODE);
	free(big);
}

static void
test_garbage(void **state)
{
	static const uint8_t ff[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	/* field 3 (report), length 100, but only 2 bytes follow */
	static const uint8_t trunc[] = { 0x08, 0x01, 0x1a, 0x64, 0x0a, 0x10 };

	(void)state;
	expect_raw(ff, sizeof(ff), WIRE_E_DECODE);
	expect_raw(trunc, sizeof(trunc), WIRE_E_DECODE);
	expect_raw("hello, world", 12, WIRE_E_DECODE);
}

static void
test_version(void **state)
{
	struct rep	 p;
	uint8_t		*buf;
	size_t		 len = 0;
	char		 err[256] = "";

	(void)state;
	rep_init(&p, 1);
	assert_non_null(buf = wire_pack(&p.env, &len));
	/* field 1 (version) comes first: tag 0x08, varint 1 */
	assert_int_equal(buf[0], 0x08);
	assert_int_equal(buf[1], WIRE_VERSION);
	buf[1] = 2;
	expect_raw(buf, len, WIRE_E_VERSION);
	free(buf);

	/* and wire_validate() on its own */
	p.env.version = 0;
	assert_int_equal(wire_validate(&p.env, NULL, err, sizeof(err)),
	    -WIRE_E_VERSION);
	assert_true(strlen(err) > 0);
	p.env.version = WIRE_VERSION;
	assert_int_equal(wire_validate(&p.env, NULL, err, sizeof(err)), 0);
	rep_free(&p);
}

static void
test_body(void **state)
{
	struct rep	 p;
	wire_envelope	 empty = BALLAST__V1__ENVELOPE__INIT;

	(void)state;
	expect_reject(&empty, ACCEPT_ALL, WIRE_E_BODY);
	rep_init(&p, 1);
	expect_reject(&p.env, ACCEPT_ALL & ~ACCEPT_REPORT, WIRE_E_BODY);
	expect_reject(&p.env, 0, WIRE_E_BODY);
	expect_ok(&p.env, ACCEPT_REPORT);
	rep_free(&p);
}

static void
test_uuid(void **state)
{
	struct rep	 p;
	uint8_t		 zero[16] = { 0 };

	(void)state;
	rep_init(&p, 2);
	p.r.host_uuid.len = 15;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	p.r.host_uuid.len = 0;
	p.r.host_uuid.data = NULL;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	p.r.host_uuid.data = zero;
	p.r.host_uuid.len = 16;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	p.r.host_uuid.data = p.uuid;
	expect_ok(&p.env, ACCEPT_REPORT);

	p.vm[1].uuid.len = 17;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	p.vm[1].uuid.data = zero;
	p.vm[1].uuid.len = 16;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	p.vm[1].uuid.len = 0;
	p.vm[1].uuid.data = NULL;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_UUID);
	rep_free(&p);
}

static void
test_names(void **state)
{
	struct rep	 p;
	char		 longname[WIRE_MAX_VM_NAME + 2];

	(void)state;
	rep_init(&p, 2);
	p.r.host_name = (char *)(uintptr_t)"";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	memset(longname, 'h', WIRE_MAX_HOST_NAME + 1);
	longname[WIRE_MAX_HOST_NAME + 1] = '\0';
	p.r.host_name = longname;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.host_name = (char *)(uintptr_t)"kvm 01";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.host_name = (char *)(uintptr_t)"kvm/01";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.host_name = (char *)(uintptr_t)"kvm\n01";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.host_name = p.host_name;
	expect_ok(&p.env, ACCEPT_REPORT);

	/* a VM name may hold spaces, but not 128 characters */
	memset(longname, 'v', WIRE_MAX_VM_NAME + 1);
	longname[WIRE_MAX_VM_NAME + 1] = '\0';
	p.vm[1].name = longname;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	longname[WIRE_MAX_VM_NAME] = '\0';
	expect_ok(&p.env, ACCEPT_REPORT);
	p.vm[1].name = (char *)(uintptr_t)"";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.vm[1].name = (char *)(uintptr_t)"web\t1";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.vm[1].name = p.vm_name[1];

	/* an empty cluster is allowed, a bad one is not */
	p.r.cluster = (char *)(uintptr_t)"prod east";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.cluster = (char *)(uintptr_t)"prod/east";
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	memset(longname, 'c', WIRE_MAX_CLUSTER + 1);
	longname[WIRE_MAX_CLUSTER + 1] = '\0';
	p.r.cluster = longname;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_NAME);
	p.r.cluster = (char *)(uintptr_t)"";
	expect_ok(&p.env, ACCEPT_REPORT);
	rep_free(&p);
}

static void
test_check_name(void **state)
{
	char	 s[80];

	(void)state;
	memset(s, 'a', sizeof(s));
	s[63] = '\0';
	assert_int_equal(wire_check_name(s, 63, 0), 0);
	s[63] = 'a';
	s[64] = '\0';
	assert_int_equal(wire_check_name(s, 63, 0), -WIRE_E_NAME);
	assert_int_equal(wire_check_name(NULL, 63, 0), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("", 63, 1), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("a b", 63, 0), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("a b", 63, 1), 0);
	assert_int_equal(wire_check_name("A-z_0.9", 63, 0), 0);
	assert_int_equal(wire_check_name("a\"b", 63, 1), 0);
	assert_int_equal(wire_check_name("a\"b", 63, 0), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("caf\xc3\xa9", 63, 1), 0);
	assert_int_equal(wire_check_name("caf\xc3\xa9", 63, 0), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("caf\xc3(", 63, 1), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("\xed\xa0\x80", 63, 1), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("tab\there", 63, 1), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("del\x7f", 63, 1), -WIRE_E_NAME);
	assert_int_equal(wire_check_name("web(1) [prod]", 63, 1), 0);
}

static void
test_count_and_duplicate(void **state)
{
	struct rep	 p;
	char		 err[256] = "";
	const uint8_t	**seen;

	(void)state;
	rep_init(&p, WIRE_MAX_VMS + 1);
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_COUNT);
	rep_free(&p);

	rep_init(&p, 5);
	memcpy(p.vm_uuid[4], p.vm_uuid[1], 16);
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_DUPLICATE);
	/* wire_validate() with no table skips the check, with one does it */
	p.env.version = WIRE_VERSION;
	assert_int_equal(wire_validate(&p.env, NULL, err, sizeof(err)), 0);
	seen = calloc(2 * WIRE_MAX_VMS, sizeof(*seen));
	assert_non_null(seen);
	assert_int_equal(wire_validate(&p.env, seen, err, sizeof(err)),
	    -WIRE_E_DUPLICATE);
	assert_true(strlen(err) > 0);
	/* differing in the last byte only is not a duplicate */
	p.vm_uuid[4][15] ^= 0x80;
	assert_int_equal(wire_validate(&p.env, seen, err, sizeof(err)), 0);
	expect_ok(&p.env, ACCEPT_REPORT);
	free(seen);
	rep_free(&p);
}

static void
test_time_interval_seq(void **state)
{
	struct rep	 p;

	(void)state;
	rep_init(&p, 1);
	p.r.sample_time_ms = T_1999_MS;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_TIME);
	p.r.sample_time_ms = T_2101_MS;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_TIME);
	p.r.sample_time_ms = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_TIME);
	p.r.sample_time_ms = T_2020_MS;

	p.r.interval_ms = 10;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_INTERVAL);
	p.r.interval_ms = 2 * 3600 * 1000;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_INTERVAL);
	p.r.interval_ms = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_INTERVAL);
	p.r.interval_ms = 1000;

	p.r.seq = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_SEQ);
	p.r.seq = 1;
	expect_ok(&p.env, ACCEPT_REPORT);

	/* a VM's own read time: within an hour of the report's, either way */
	p.vm[0].read_offset_ms = WIRE_MAX_READ_OFFSET_MS;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.vm[0].read_offset_ms = -WIRE_MAX_READ_OFFSET_MS;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.vm[0].read_offset_ms = WIRE_MAX_READ_OFFSET_MS + 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_TIME);
	p.vm[0].read_offset_ms = -WIRE_MAX_READ_OFFSET_MS - 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_TIME);
	p.vm[0].read_offset_ms = 0;
	rep_free(&p);
}

static void
test_vm_enum_and_values(void **state)
{
	struct rep	 p;

	(void)state;
	rep_init(&p, 2);
	p.vm[1].state = (Ballast__V1__VmState)99;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ENUM);
	p.vm[1].state = (Ballast__V1__VmState)-1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ENUM);
	p.vm[1].state = BALLAST__V1__VM_STATE__VM_STATE_PMSUSPENDED;
	expect_ok(&p.env, ACCEPT_REPORT);

	p.vm[1].vcpus = 5000;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_VALUE);
	p.vm[1].vcpus = 4096;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.vm[0].mem_rss_bytes = (1ULL << 50) + 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_VALUE);
	p.vm[0].mem_rss_bytes = 0;
	p.vm[0].mem_max_bytes = UINT64_MAX;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_VALUE);
	rep_free(&p);
}

/* Addresses of VMs and the traffic section: sizes and counts. */
static void
test_traffic(void **state)
{
	struct rep			 p;
	Ballast__V1__Traffic		 t;
	Ballast__V1__TrafficPair	 pair[2], *pairp[WIRE_MAX_PAIRS + 1];
	Ballast__V1__Endpoint		 a, b;
	ProtobufCBinaryData		 addrs[WIRE_MAX_ADDRS + 1];
	uint8_t				 mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	uint8_t				 ip[5] = { 10, 0, 0, 7, 0 };
	size_t				 i;

	(void)state;
	rep_init(&p, 2);
	for (i = 0; i <= WIRE_MAX_ADDRS; i++) {
		addrs[i].data = i % 2 ? ip : mac;
		addrs[i].len = i % 2 ? 4 : 6;
	}
	p.vm[0].addrs = addrs;
	p.vm[0].n_addrs = WIRE_MAX_ADDRS;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.vm[0].n_addrs = WIRE_MAX_ADDRS + 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_COUNT);
	p.vm[0].n_addrs = 2;
	addrs[1].len = 5;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ADDR);
	addrs[1].len = 4;

	ballast__v1__traffic__init(&t);
	ballast__v1__endpoint__init(&a);
	ballast__v1__endpoint__init(&b);
	for (i = 0; i < 2; i++)
		ballast__v1__traffic_pair__init(&pair[i]);
	for (i = 0; i <= WIRE_MAX_PAIRS; i++)
		pairp[i] = &pair[i % 2];
	a.vm = p.vm[0].uuid;
	b.addr.data = ip;
	b.addr.len = 4;
	pair[0].src = &a;
	pair[0].dst = &b;
	pair[0].bytes = 1500;
	pair[0].packets = 1;
	pair[1].src = &b;		/* external source: no endpoint at all */
	t.sample_every = 100;
	t.window_ms = 1000;
	t.pairs = pairp;
	t.n_pairs = 2;
	p.r.traffic = &t;
	expect_ok(&p.env, ACCEPT_REPORT);
	t.n_pairs = WIRE_MAX_PAIRS;
	expect_ok(&p.env, ACCEPT_REPORT);
	t.n_pairs = WIRE_MAX_PAIRS + 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_COUNT);
	t.n_pairs = 2;
	t.sample_every = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_VALUE);
	t.sample_every = 1;
	b.addr.len = 5;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ADDR);
	b.addr.len = 4;
	a.addr = b.addr;		/* a uuid and an address: ambiguous */
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ADDR);
	a.addr.len = 0;
	a.vm.len = 15;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_ADDR);
	a.vm.len = 16;
	t.window_ms = WIRE_MAX_INTERVAL_MS + 1;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_INTERVAL);
	rep_free(&p);
}

static void
test_capacity(void **state)
{
	struct rep	 p;

	(void)state;
	rep_init(&p, 1);
	p.r.capacity = NULL;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_CAPACITY);
	p.r.capacity = &p.cap;
	p.cap.cpus = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_CAPACITY);
	p.cap.cpus = 32;
	p.cap.cpu_mhz = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_CAPACITY);
	p.cap.cpu_mhz = 2400;
	p.cap.memory_bytes = 0;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_CAPACITY);
	p.cap.memory_bytes = 1ULL << 30;
	expect_ok(&p.env, ACCEPT_REPORT);
	p.r.counters = NULL;
	expect_reject(&p.env, ACCEPT_REPORT, WIRE_E_CAPACITY);
	rep_free(&p);
}

static void
test_hello(void **state)
{
	wire_envelope		 env = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Hello	 h = BALLAST__V1__HELLO__INIT;
	char			*caps[WIRE_MAX_CAPS + 1];
	uint8_t			 u[16];
	size_t			 i;

	(void)state;
	memcpy(u, host_uuid, 16);
	for (i = 0; i <= WIRE_MAX_CAPS; i++)
		caps[i] = (char *)(uintptr_t)"migrate";
	h.host_uuid.data = u;
	h.host_uuid.len = 16;
	h.host_name = (char *)(uintptr_t)"kvm-01";
	h.software = (char *)(uintptr_t)"ballast-sim 0.1";
	h.n_capabilities = 2;
	h.capabilities = caps;
	h.incarnation = 42;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_HELLO;
	env.hello = &h;
	expect_ok(&env, ACCEPT_ALL);
	expect_reject(&env, ACCEPT_REPORT, WIRE_E_BODY);

	h.host_uuid.len = 15;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_UUID);
	h.host_uuid.len = 16;
	h.host_name = (char *)(uintptr_t)"kvm 01";
	expect_reject(&env, ACCEPT_ALL, WIRE_E_NAME);
	h.host_name = (char *)(uintptr_t)"kvm-01";
	h.n_capabilities = WIRE_MAX_CAPS + 1;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_COUNT);
	h.n_capabilities = WIRE_MAX_CAPS;
	expect_ok(&env, ACCEPT_ALL);
	caps[1] = (char *)(uintptr_t)"mig rate";
	expect_reject(&env, ACCEPT_ALL, WIRE_E_NAME);
	caps[1] = (char *)(uintptr_t)"cancel";
	h.software = (char *)(uintptr_t)"sim\x01";
	expect_reject(&env, ACCEPT_ALL, WIRE_E_NAME);
	h.software = (char *)(uintptr_t)"";
	expect_ok(&env, ACCEPT_ALL);
}

static void
test_command(void **state)
{
	wire_envelope		 env = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Command	 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 m = BALLAST__V1__MIGRATE__INIT;
	Ballast__V1__Cancel	 k = BALLAST__V1__CANCEL__INIT;
	uint8_t			 vu[16], du[16];

	(void)state;
	memset(vu, 0x11, sizeof(vu));
	memset(du, 0x22, sizeof(du));
	m.vm_uuid.data = vu;
	m.vm_uuid.len = 16;
	m.dest_host_uuid.data = du;
	m.dest_host_uuid.len = 16;
	m.dest_host_name = (char *)(uintptr_t)"kvm-02";
	c.id = 9;
	c.epoch = 3;
	c.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	c.migrate = &m;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_COMMAND;
	env.command = &c;
	expect_ok(&env, ACCEPT_ALL);

	m.vm_uuid.len = 8;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_UUID);
	m.vm_uuid.len = 16;
	memset(du, 0, sizeof(du));
	expect_reject(&env, ACCEPT_ALL, WIRE_E_UUID);
	memset(du, 0x22, sizeof(du));
	m.dest_host_name = (char *)(uintptr_t)"";
	expect_reject(&env, ACCEPT_ALL, WIRE_E_NAME);
	m.dest_host_name = (char *)(uintptr_t)"kvm-02";
	c.id = 0;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	c.id = 9;

	c.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	c.cancel = &k;
	k.command_id = 0;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	k.command_id = 8;
	expect_ok(&env, ACCEPT_ALL);
	c.id = 0;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	c.id = 9;

	c.op_case = BALLAST__V1__COMMAND__OP__NOT_SET;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_BODY);
}

static void
test_status(void **state)
{
	wire_envelope			 env = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__CommandStatus	 s = BALLAST__V1__COMMAND_STATUS__INIT;
	uint8_t				 u[16];
	char				 longerr[WIRE_MAX_ERROR_TEXT + 2];

	(void)state;
	memcpy(u, host_uuid, 16);
	s.id = 5;
	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING;
	s.progress_permille = 500;
	s.host_uuid.data = u;
	s.host_uuid.len = 16;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_STATUS;
	env.status = &s;
	expect_ok(&env, ACCEPT_ALL);

	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_UNKNOWN;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_ENUM);
	s.state = (Ballast__V1__CommandState)7;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_ENUM);
	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
	expect_ok(&env, ACCEPT_ALL);

	s.progress_permille = 1001;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	s.progress_permille = 1000;
	expect_ok(&env, ACCEPT_ALL);

	memset(longerr, 'e', sizeof(longerr) - 1);
	longerr[sizeof(longerr) - 1] = '\0';
	s.error = longerr;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	longerr[WIRE_MAX_ERROR_TEXT] = '\0';
	expect_ok(&env, ACCEPT_ALL);

	s.id = 0;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_VALUE);
	s.id = 5;
	s.host_uuid.len = 0;
	s.host_uuid.data = NULL;
	expect_reject(&env, ACCEPT_ALL, WIRE_E_UUID);
}

static void
test_ack(void **state)
{
	wire_envelope		 env = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Ack	 a = BALLAST__V1__ACK__INIT;

	(void)state;
	a.incarnation = 1;
	a.seq = 2;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	env.ack = &a;
	expect_ok(&env, 1u << BALLAST__V1__ENVELOPE__BODY_ACK);
	expect_reject(&env, ACCEPT_REPORT, WIRE_E_BODY);
}

static void
test_strerror(void **state)
{
	const char	*s, *t, *unknown;
	int		 i, j;

	(void)state;
	unknown = wire_strerror(WIRE_E_MAX);
	assert_non_null(unknown);
	assert_true(strlen(unknown) > 0);
	for (i = 0; i < WIRE_E_MAX; i++) {
		s = wire_strerror(i);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, unknown);
		assert_ptr_equal(wire_strerror(-i), s);
		for (j = 0; j < i; j++)
			assert_string_not_equal(wire_strerror(j), s);
	}
	assert_string_equal(wire_strerror(-WIRE_E_MAX), unknown);
	assert_string_equal(wire_strerror(1000), unknown);
	assert_string_equal(wire_strerror(-1000), unknown);
	t = wire_strerror(INT_MIN);
	assert_non_null(t);
	assert_string_equal(t, unknown);
}

static void
test_routing_id(void **state)
{
	uint8_t	 id[WIRE_ROUTING_ID_LEN];

	(void)state;
	wire_routing_id(host_uuid, id);
	assert_int_equal(id[0], 'H');
	assert_memory_equal(id + 1, host_uuid, 16);
}

/* CURVE: 'H', the UUID, then a secret that differs every time. */
static void
test_routing_id_secret(void **state)
{
	uint8_t	 a[WIRE_ROUTING_ID_CURVE_LEN], b[WIRE_ROUTING_ID_CURVE_LEN];
	uint8_t	 other[16];

	(void)state;
	assert_int_equal(wire_routing_id_secret(host_uuid, a), 0);
	assert_int_equal(wire_routing_id_secret(host_uuid, b), 0);
	assert_int_equal(a[0], 'H');
	assert_memory_equal(a + 1, host_uuid, 16);
	assert_memory_not_equal(a + WIRE_ROUTING_ID_LEN,
	    b + WIRE_ROUTING_ID_LEN, WIRE_ROUTING_SECRET_LEN);
	assert_true(wire_routing_id_is(a, sizeof(a), host_uuid, 1));
	assert_false(wire_routing_id_is(a, sizeof(a), host_uuid, 0));
	assert_false(wire_routing_id_is(a, WIRE_ROUTING_ID_LEN, host_uuid, 1));
	assert_true(wire_routing_id_is(a, WIRE_ROUTING_ID_LEN, host_uuid, 0));
	memcpy(other, host_uuid, 16);
	other[15] ^= 1;
	assert_false(wire_routing_id_is(a, sizeof(a), other, 1));
	a[0] = 'X';
	assert_false(wire_routing_id_is(a, sizeof(a), host_uuid, 1));
}


static void
test_fuzz(void **state)
{
	struct rep		 p;
	struct wire_decoder	*d;
	wire_envelope		*out;
	uint8_t			*good, buf[512];
	size_t			 glen = 0, len, i, j;
	uint64_t		 seed = 0x0123456789abcdefULL;
	char			 err[256];
	int			 rc, nok = 0;

	(void)state;
	rep_init(&p, 4);
	assert_non_null(good = wire_pack(&p.env, &glen));
	assert_true(glen <= sizeof(buf));
	assert_non_null(d = wire_decoder_new());
	for (i = 0; i < 10000; i++) {
		if (i % 2 == 0) {
			/* pure noise */
			len = 1 + xorshift(&seed) % sizeof(buf);
			for (j = 0; j < len; j++)
				buf[j] = (uint8_t)xorshift(&seed);
		} else {
			/* a good report with a few bytes changed or cut */
			memcpy(buf, good, glen);
			len = glen;
			for (j = 0; j < 1 + xorshift(&seed) % 4; j++)
				buf[xorshift(&seed) % glen] = (uint8_t)xorshift(&seed);
			if (xorshift(&seed) % 4 == 0)
				len = 1 + xorshift(&seed) % glen;
		}
		out = NULL;
		err[0] = '\0';
		rc = wire_decode(d, buf, len, ACCEPT_ALL, &out, err,
		    sizeof(err));
		if (rc == 0) {
			assert_non_null(out);
			nok++;
		} else {
			assert_true(rc < 0 && rc > -WIRE_E_MAX);
			assert_null(out);
			assert_true(strlen(err) > 0);
		}
	}
	/* the decoder still works afterwards */
	out = NULL;
	assert_int_equal(wire_decode(d, good, glen, ACCEPT_REPORT, &out, err,
	    sizeof(err)), 0);
	assert_non_null(out);
	assert_int_equal(out->report->n_vms, 4);
	assert_string_equal(out->report->host_name, "kvm-01.example");
	assert_true(nok < 10000);
	wire_decoder_free(d);
	free(good);
	rep_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_roundtrip),
		cmocka_unit_test(test_traffic),
		cmocka_unit_test(test_report_empty_and_bounds_ok),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_check_name),
		cmocka_unit_test(test_count_and_duplicate),
		cmocka_unit_test(test_time_interval_seq),
		cmocka_unit_test(test_vm_enum_and_values),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_routing_id),
		cmocka_unit_test(test_routing_id_secret),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
