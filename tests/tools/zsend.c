/* SPDX-License-Identifier: ISC */
/*
 * zsend: a hostile collector for integration tests.  Connects a DEALER
 * to the balancer and sends `count` bad messages of one kind:
 *   garbage   random bytes
 *   version   a well-formed report with wire version 99
 *   uuid      a report whose host uuid is 15 bytes
 *   vms       a report naming the same VM twice
 *   spoof     a valid report for --host-uuid from another routing id
 *   mix       the first four in turn
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zmq.h>

#include "util.h"
#include "wire.h"

static uint8_t	 spoof_uuid[16] = { 1 };

static uint8_t *
make_report(const char *kind, unsigned i, size_t *len)
{
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	wire_report			 r = BALLAST__V1__HOST_REPORT__INIT;
	Ballast__V1__HostCapacity	 cap = BALLAST__V1__HOST_CAPACITY__INIT;
	Ballast__V1__HostCounters	 cnt = BALLAST__V1__HOST_COUNTERS__INIT;
	wire_vm				 vm = BALLAST__V1__VM_SAMPLE__INIT;
	wire_vm				*vms[2] = { &vm, &vm };
	uint8_t				 host[16], *buf;

	util_uuid_from_name("zsend", "hostile", host);
	r.host_uuid.data = strcmp(kind, "spoof") == 0 ? spoof_uuid : host;
	r.host_uuid.len = strcmp(kind, "uuid") == 0 ? 15 : 16;
	r.host_name = (char *)(uintptr_t)(strcmp(kind, "spoof") == 0 ?
	    "spoofed" : "hostile");
	r.seq = i + 1;
	r.sample_time_ms = (uint64_t)util_now_real_ms();
	r.interval_ms = 1000;
	cap.cpus = 4;
	cap.cpu_mhz = 2000;
	cap.memory_bytes = 1ULL << 33;
	r.capacity = &cap;
	r.counters = &cnt;
	vm.uuid.data = host;
	vm.uuid.len = 16;
	vm.name = (char *)(uintptr_t)"twin";
	r.vms = vms;
	r.n_vms = strcmp(kind, "vms") == 0 ? 2 : 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &r;
	buf = wire_pack(&e, len);
	if (buf != NULL && strcmp(kind, "version") == 0) {
		/* field 1 (version), varint: the first two bytes are 08 01 */
		if (*len > 2 && buf[0] == 0x08)
			buf[1] = 99;
	}
	return buf;
}

int
main(int argc, char *argv[])
{
	static const char *const mix[] = { "garbage", "version", "uuid", "vms" };
	const char	*ep, *kind;
	void		*ctx, *s;
	uint8_t		*buf, junk[512];
	int64_t		 count;
	size_t		 len, k;
	unsigned	 i;
	int		 linger = 5000, timeout = 5000;

	if (argc < 4 || util_parse_i64(argv[3], 1, 10000000, &count) < 0 ||
	    (argc == 5 && util_uuid_parse(argv[4], spoof_uuid) < 0)) {
		fprintf(stderr, "usage: zsend ENDPOINT KIND COUNT [HOST-UUID]\n");
		return 2;
	}
	ep = argv[1];
	ctx = zmq_ctx_new();
	s = zmq_socket(ctx, ZMQ_DEALER);
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof(linger));
	/* a balancer that is not there must not hang the test */
	zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof(timeout));
	if (zmq_connect(s, ep) == -1) {
		fprintf(stderr, "zsend: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	srand(42);
	for (i = 0; i < (unsigned)count; i++) {
		kind = strcmp(argv[2], "mix") == 0 ? mix[i % 4] : argv[2];
		if (strcmp(kind, "garbage") == 0) {
			len = 1 + (size_t)rand() % sizeof(junk);
			for (k = 0; k < len; k++)
				junk[k] = (uint8_t)rand();
			junk[0] = 0xff;	/* never a valid first tag */
			if (zmq_send(s, junk, len, 0) == -1)
				break;
			continue;
		}
		if ((buf = make_report(kind, i, &len)) == NULL)
			return 1;
		if (zmq_send(s, buf, len, 0) == -1) {
			free(buf);
			break;
		}
		free(buf);
	}
	if (i < (unsigned)count) {
		fprintf(stderr, "zsend: sending stalled after %u messages (%s): "
		    "is the balancer there?\n", i, zmq_strerror(zmq_errno()));
		zmq_close(s);
		zmq_ctx_term(ctx);
		return 1;
	}
	zmq_close(s);
	zmq_ctx_term(ctx);
	printf("zsend: sent %lld %s messages\n", (long long)count, argv[2]);
	return 0;
}
