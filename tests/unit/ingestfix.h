/* SPDX-License-Identifier: ISC */
/*
 * ingestfix: an ingest over in-process ZeroMQ sockets, DEALER sockets
 * standing in for collectors, and reports built and sent by number, for
 * the ingest unit tests (test_ingest.c, test_ingest_ack.c; include after
 * cmocka.h).
 */
#ifndef BALLAST_INGESTFIX_H
#define BALLAST_INGESTFIX_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "checkpoint.h"
#include "ingest.h"
#include "model.h"
#include "util.h"
#include "wire.h"

#define MAXV		8
#define T0_MS		1700000000000ULL	/* a sample time in 2023 */
#define SEC		1000000000ULL		/* ns */
#define NOW_MS		5000
#define WAIT_MS		2000			/* for inproc to deliver */

#define ACCEPT_BALANCER	((1u << BALLAST__V1__ENVELOPE__BODY_ACK) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_COMMAND))

/* One ingest with its context and model; dir is "" without a state dir. */
struct fx {
	void		*zctx;
	struct model	*m;
	struct ingest	*in;
	char		 ep[64];
	char		 dir[64];
};

/* The last status the callback saw. */
struct status_seen {
	int		 calls;
	uint64_t	 id;
	int		 state;
	unsigned	 permille;
	uint8_t		 host[16];
};

/* A HostReport under construction, with room for MAXV VMs. */
struct hrep {
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
	wire_vm				 vm[MAXV];
	wire_vm				*vmp[MAXV];
	uint8_t				 vu[MAXV][16];
	char				 vname[MAXV][32];
	uint8_t				 hu[16];
	char				 hname[64];
};

static int	 ep_counter;

static inline void
host_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x10;
	u[1] = (uint8_t)id;
	u[15] = 0x01;
}

static inline void
vm_uuid(int host, int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x20;
	u[1] = (uint8_t)host;
	u[2] = (uint8_t)id;
	u[15] = 0x02;
}

static inline void
next_endpoint(struct fx *f)
{
	snprintf(f->ep, sizeof(f->ep), "inproc://ingest-test-%d",
	    ++ep_counter);
}

/* A state directory for one test, removed by the teardown. */
static inline int
tmp_setup(void **state)
{
	char	*dir;

	if ((dir = calloc(1, 64)) == NULL)
		return -1;
	snprintf(dir, 64, "/tmp/ballast-ingest-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* Removes the few names the tests create, then the directory. */
static inline int
tmp_teardown(void **state)
{
	static const char *const names[] = { "ingest.checkpoint",
	    "ingest.checkpoint.tmp", "file", NULL };
	char	*dir = *state, p[128];
	size_t	 i;

	for (i = 0; names[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	free(dir);
	return 0;
}

/* Starts an ingest; state_dir NULL: without a checkpoint. */
static inline void
fx_open(struct fx *f, const char *state_dir)
{
	char	 err[256];

	memset(f, 0, sizeof(*f));
	assert_non_null(f->zctx = zmq_ctx_new());
	assert_non_null(f->m = model_new(NULL));
	if (state_dir != NULL)
		util_strlcpy(f->dir, state_dir, sizeof(f->dir));
	next_endpoint(f);
	f->in = ingest_new(f->zctx, f->ep, f->m, state_dir, err, sizeof(err));
	if (f->in == NULL)
		fail_msg("ingest_new: %s", err);
}

/* Frees the ingest and starts a new one on the same model and state. */
static inline void
fx_restart(struct fx *f)
{
	char	 err[256];

	ingest_free(f->in);
	next_endpoint(f);
	f->in = ingest_new(f->zctx, f->ep, f->m,
	    f->dir[0] != '\0' ? f->dir : NULL, err, sizeof(err));
	if (f->in == NULL)
		fail_msg("ingest_new after a restart: %s", err);
}

static inline void
fx_close(struct fx *f)
{
	ingest_free(f->in);
	model_free(f->m);
	assert_int_equal(zmq_ctx_term(f->zctx), 0);
}

/* A collector's DEALER for host `id`, connected to the ingest. */
static inline void *
collector(struct fx *f, int id)
{
	uint8_t	 u[16], rid[WIRE_ROUTING_ID_LEN];
	void	*s;
	int	 zero = 0;

	host_uuid(id, u);
	wire_routing_id(u, rid);
	assert_non_null(s = zmq_socket(f->zctx, ZMQ_DEALER));
	assert_int_equal(zmq_setsockopt(s, ZMQ_ROUTING_ID, rid, sizeof(rid)),
	    0);
	assert_int_equal(zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero)), 0);
	assert_int_equal(zmq_connect(s, f->ep), 0);
	return s;
}

static inline void
send_raw(void *s, const void *buf, size_t len)
{
	assert_int_equal(zmq_send(s, buf, len, 0), (int)len);
}

static inline void
send_env(void *s, wire_envelope *e)
{
	uint8_t	*buf;
	size_t	 len;

	assert_non_null(buf = wire_pack(e, &len));
	send_raw(s, buf, len);
	free(buf);
}

/*
 * Starts a report of host `id` with sequence number seq of incarnation
 * inc, and nvms VMs whose CPU time is cpu_s seconds.
 */
static inline void
mk_report(struct hrep *h, int id, uint64_t inc, uint64_t seq, size_t nvms,
    uint64_t cpu_s)
{
	size_t	 i;

	assert_true(nvms <= MAXV);
	memset(h, 0, sizeof(*h));
	ballast__v1__host_report__init(&h->r);
	ballast__v1__host_capacity__init(&h->cap);
	ballast__v1__host_counters__init(&h->ctr);
	host_uuid(id, h->hu);
	snprintf(h->hname, sizeof(h->hname), "kvm-%02d", id);
	h->r.host_uuid.data = h->hu;
	h->r.host_uuid.len = 16;
	h->r.host_name = h->hname;
	h->r.cluster = (char *)(uintptr_t)"test";
	h->r.seq = seq;
	h->r.incarnation = inc;
	h->r.replay_floor = 1;
	h->r.sample_time_ms = T0_MS + seq * 1000;
	h->r.interval_ms = 1000;
	h->cap.cpus = 16;
	h->cap.cpu_mhz = 2400;
	h->cap.memory_bytes = 64ULL << 30;
	h->cap.nic_bps = 10000000000ULL;
	h->r.capacity = &h->cap;
	h->ctr.cpu_busy_ns = cpu_s * SEC;
	h->ctr.cpu_idle_ns = 1000 * SEC;
	h->ctr.mem_used_bytes = 16ULL << 30;
	h->ctr.mem_available_bytes = 48ULL << 30;
	h->r.counters = &h->ctr;
	for (i = 0; i < nvms; i++) {
		ballast__v1__vm_sample__init(&h->vm[i]);
		vm_uuid(id, (int)i, h->vu[i]);
		snprintf(h->vname[i], sizeof(h->vname[i]), "vm-%d-%zu", id, i);
		h->vm[i].uuid.data = h->vu[i];
		h->vm[i].uuid.len = 16;
		h->vm[i].name = h->vname[i];
		h->vm[i].state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
		h->vm[i].vcpus = 2;
		h->vm[i].cpu_time_ns = cpu_s * SEC;
		h->vm[i].mem_max_bytes = 4ULL << 30;
		h->vm[i].mem_rss_bytes = 1ULL << 30;
		h->vmp[i] = &h->vm[i];
	}
	h->r.vms = h->vmp;
	h->r.n_vms = nvms;
}

static inline void
send_report(void *s, struct hrep *h)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;

	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &h->r;
	send_env(s, &e);
}

/* Sends host id's report seq (incarnation inc, floor 1, 2 VMs). */
static inline void
send_seq(void *s, int id, uint64_t inc, uint64_t seq)
{
	struct hrep	 h;

	mk_report(&h, id, inc, seq, 2, seq * 10);
	send_report(s, &h);
}

/*
 * Drains until ingest has seen `total` messages in all, waiting for
 * inproc to deliver them; fails if they do not come.
 */
static inline void
pump(struct fx *f, uint64_t total)
{
	zmq_pollitem_t	 it;
	int		 i, rc;

	for (i = 0; i < WAIT_MS && ingest_stats(f->in)->messages < total; i++) {
		it.socket = ingest_socket(f->in);
		it.fd = 0;
		it.events = ZMQ_POLLIN;
		it.revents = 0;
		zmq_poll(&it, 1, 1);
		rc = ingest_drain(f->in, NOW_MS, 1000);
		assert_true(rc >= 0);
	}
	assert_int_equal(ingest_stats(f->in)->messages, total);
}

/*
 * Receives one message from the balancer on a collector's socket within
 * wait_ms and decodes it with dec.  Returns 0 and sets *e, -EAGAIN when
 * nothing came, or fails on a message wire_decode refuses.
 */
static inline int
recv_env(void *s, struct wire_decoder *dec, long wait_ms, wire_envelope **e)
{
	zmq_pollitem_t	 it = { .socket = s, .events = ZMQ_POLLIN };
	zmq_msg_t	 msg;
	char		 err[256];
	int		 rc;

	if (zmq_poll(&it, 1, wait_ms) <= 0)
		return -EAGAIN;
	zmq_msg_init(&msg);
	assert_true(zmq_msg_recv(&msg, s, 0) >= 0);
	rc = wire_decode(dec, zmq_msg_data(&msg), zmq_msg_size(&msg),
	    ACCEPT_BALANCER, e, err, sizeof(err));
	zmq_msg_close(&msg);
	if (rc != 0)
		fail_msg("the balancer sent a bad message: %s", err);
	return 0;
}

/* Expects an Ack{inc, seq} on s. */
static inline void
expect_ack(void *s, uint64_t inc, uint64_t seq)
{
	struct wire_decoder	*dec;
	wire_envelope		*e;

	assert_non_null(dec = wire_decoder_new());
	assert_int_equal(recv_env(s, dec, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_ACK);
	assert_int_equal(e->ack->incarnation, inc);
	assert_int_equal(e->ack->seq, seq);
	wire_decoder_free(dec);
}

/* Expects nothing more on s for a little while. */
static inline void
expect_nothing(void *s)
{
	struct wire_decoder	*dec;
	wire_envelope		*e;

	assert_non_null(dec = wire_decoder_new());
	assert_int_equal(recv_env(s, dec, 100, &e), -EAGAIN);
	wire_decoder_free(dec);
}

/* Expects no Ack for a sequence number above seq on s. */
static inline void
expect_no_ack_above(void *s, uint64_t seq)
{
	struct wire_decoder	*dec;
	wire_envelope		*e;

	assert_non_null(dec = wire_decoder_new());
	while (recv_env(s, dec, 100, &e) == 0)
		if (e->body_case == BALLAST__V1__ENVELOPE__BODY_ACK &&
		    e->ack->seq > seq)
			fail_msg("acknowledged %llu, beyond %llu",
			    (unsigned long long)e->ack->seq,
			    (unsigned long long)seq);
	wire_decoder_free(dec);
}

static inline const struct model_host *
host_get(const struct model *m, int id)
{
	uint8_t	 u[16];

	host_uuid(id, u);
	return model_host_by_uuid(m, u);
}

static inline const struct model_vm *
vm_get(const struct model *m, int host, int id)
{
	uint8_t	 u[16];

	vm_uuid(host, id, u);
	return model_vm_by_uuid(m, u);
}

#endif
