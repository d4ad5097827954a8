/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/ingest.c over real in-process ZeroMQ sockets:
 * DEALER sockets with a host's routing id stand in for collectors.
 * Reports are applied and ordered by sequence number (gaps, late
 * arrivals, duplicates, new incarnations, the replay floor), a sender
 * speaks only for its own host, malformed messages are counted by
 * reason, and a report is acknowledged only once it is in the
 * checkpoint, which a restarted ingest reads back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include <zmq.h>

#include "checkpoint.h"
#include "ingest.h"
#include "model.h"
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

static void
host_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x10;
	u[1] = (uint8_t)id;
	u[15] = 0x01;
}

static void
vm_uuid(int host, int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x20;
	u[1] = (uint8_t)host;
	u[2] = (uint8_t)id;
	u[15] = 0x02;
}

static void
next_endpoint(struct fx *f)
{
	snprintf(f->ep, sizeof(f->ep), "inproc://ingest-test-%d",
	    ++ep_counter);
}

/* A state directory for one test, removed by the teardown. */
static int
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
static int
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
static void
fx_open(struct fx *f, const char *state_dir)
{
	char	 err[256];

	memset(f, 0, sizeof(*f));
	assert_non_null(f->zctx = zmq_ctx_new());
	assert_non_null(f->m = model_new(NULL));
	if (state_dir != NULL)
		snprintf(f->dir, sizeof(f->dir), "%s", state_dir);
	next_endpoint(f);
	f->in = ingest_new(f->zctx, f->ep, f->m, state_dir, err, sizeof(err));
	if (f->in == NULL)
		fail_msg("ingest_new: %s", err);
}

/* Frees the ingest and starts a new one on the same model and state. */
static void
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

static void
fx_close(struct fx *f)
{
	ingest_free(f->in);
	model_free(f->m);
	assert_int_equal(zmq_ctx_term(f->zctx), 0);
}

/* A collector's DEALER for host `id`, connected to the ingest. */
static void *
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

static void
send_raw(void *s, const void *buf, size_t len)
{
	assert_int_equal(zmq_send(s, buf, len, 0), (int)len);
}

static void
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
static void
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

static void
send_report(void *s, struct hrep *h)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;

	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &h->r;
	send_env(s, &e);
}

/* Sends host id's report seq (incarnation inc, floor 1, 2 VMs). */
static void
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
static void
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
static int
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
static void
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
static void
expect_nothing(void *s)
{
	struct wire_decoder	*dec;
	wire_envelope		*e;

	assert_non_null(dec = wire_decoder_new());
	assert_int_equal(recv_env(s, dec, 100, &e), -EAGAIN);
	wire_decoder_free(dec);
}

/* Expects no Ack for a sequence number above seq on s. */
static void
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

static const struct model_host *
host_get(const struct model *m, int id)
{
	uint8_t	 u[16];

	host_uuid(id, u);
	return model_host_by_uuid(m, u);
}

static const struct model_vm *
vm_get(const struct model *m, int host, int id)
{
	uint8_t	 u[16];

	vm_uuid(host, id, u);
	return model_vm_by_uuid(m, u);
}

static void
test_reports_applied(void **state)
{
	const struct ingest_stats	*st;
	const struct model_host		*h;
	struct hrep			 r;
	struct fx			 f;
	void				*c1, *c2;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c1 = collector(&f, 1);
	c2 = collector(&f, 2);

	mk_report(&r, 1, 7, 1, 3, 10);
	send_report(c1, &r);
	mk_report(&r, 2, 9, 1, 2, 10);
	send_report(c2, &r);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);
	assert_int_equal(st->vm_samples, 5);
	assert_int_equal(model_host_count(f.m), 2);
	assert_int_equal(model_vm_count(f.m), 5);
	assert_non_null(h = host_get(f.m, 1));
	assert_string_equal(h->name, "kvm-01");
	assert_int_equal(h->nvms, 3);
	assert_int_equal(h->seq, 1);
	assert_int_equal(h->last_ms, NOW_MS);
	assert_non_null(h = host_get(f.m, 2));
	assert_int_equal(h->nvms, 2);

	/* the next report of host 1 replaces its picture */
	mk_report(&r, 1, 7, 2, 1, 20);
	send_report(c1, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->vm_samples, 6);
	assert_int_equal(host_get(f.m, 1)->seq, 2);
	assert_int_equal(host_get(f.m, 1)->nvms, 1);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 20 * SEC);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(st->reports_malformed, 0);

	zmq_close(c1);
	zmq_close(c2);
	fx_close(&f);
}

static void
test_gap_late_duplicate(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 3, 1);
	send_seq(c, 1, 3, 2);
	send_seq(c, 1, 3, 5);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->reports_lost, 2);		/* 3 and 4 */
	assert_int_equal(host_get(f.m, 1)->seq, 5);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 50 * SEC);

	/* 3 fills the gap late: not applied over the newer counters */
	send_seq(c, 1, 3, 3);
	pump(&f, 4);
	assert_int_equal(st->reports_lost, 1);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->vm_samples, 6);
	assert_int_equal(host_get(f.m, 1)->seq, 5);
	assert_int_equal(host_get(f.m, 1)->busy_ns, 50 * SEC);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 50 * SEC);

	send_seq(c, 1, 3, 4);
	pump(&f, 5);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_duplicate, 0);

	/* repeats of the newest, of an old one and of a filled gap */
	send_seq(c, 1, 3, 5);
	send_seq(c, 1, 3, 2);
	send_seq(c, 1, 3, 3);
	pump(&f, 8);
	assert_int_equal(st->reports_duplicate, 3);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(host_get(f.m, 1)->seq, 5);

	/* and the sequence goes on */
	send_seq(c, 1, 3, 6);
	pump(&f, 9);
	assert_int_equal(st->reports_received, 4);
	assert_int_equal(host_get(f.m, 1)->seq, 6);
	assert_int_equal(st->reports_lost, 0);

	zmq_close(c);
	fx_close(&f);
}

static void
test_first_report_sets_baseline(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	/* a collector met in mid-sequence has lost nothing we know of */
	send_seq(c, 1, 3, 40);
	send_seq(c, 1, 3, 42);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);
	assert_int_equal(st->reports_lost, 1);		/* only 41 */

	zmq_close(c);
	fx_close(&f);
}

static void
test_new_incarnation(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 100, 1);
	send_seq(c, 1, 100, 2);
	send_seq(c, 1, 100, 3);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);

	/* the collector restarted: its numbers begin again at 1 */
	send_seq(c, 1, 200, 1);
	pump(&f, 4);
	assert_int_equal(st->reports_received, 4);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(host_get(f.m, 1)->seq, 1);

	send_seq(c, 1, 200, 2);
	send_seq(c, 1, 200, 2);
	send_seq(c, 1, 200, 4);
	pump(&f, 7);
	assert_int_equal(st->reports_received, 6);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 1);		/* 3 of the new one */
	assert_int_equal(host_get(f.m, 1)->seq, 4);

	zmq_close(c);
	fx_close(&f);
}

static void
test_replay_floor(void **state)
{
	const struct ingest_stats	*st;
	struct hrep			 r;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 5, 1);
	send_seq(c, 1, 5, 6);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 4);		/* 2..5 */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 1);

	/* the sender holds nothing below 4 now: 2 and 3 are gone */
	mk_report(&r, 1, 5, 7, 2, 70);
	r.r.replay_floor = 4;
	send_report(c, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->reports_lost, 4);		/* still lost */
	/* the ack moves up to the first gap still open */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 3);

	/* a 2 arriving now no longer fills a gap; 4 still does */
	send_seq(c, 1, 5, 2);
	pump(&f, 4);
	assert_int_equal(st->reports_late, 0);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 4);
	send_seq(c, 1, 5, 4);
	pump(&f, 5);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_lost, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 4);

	zmq_close(c);
	fx_close(&f);
}

static void
test_missing_bounded(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 2, 1);
	send_seq(c, 1, 2, 100);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 98);

	/* only the newest CKPT_MISSING_MAX gaps are remembered */
	send_seq(c, 1, 2, 100 - CKPT_MISSING_MAX - 1);
	pump(&f, 3);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 98);
	send_seq(c, 1, 2, 100 - CKPT_MISSING_MAX);
	send_seq(c, 1, 2, 99);
	pump(&f, 5);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_lost, 96);

	zmq_close(c);
	fx_close(&f);
}

static void
test_sender_must_match(void **state)
{
	const struct ingest_stats	*st;
	struct hrep			 r;
	struct fx			 f;
	void				*c1, *odd;
	int				 zero = 0;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c1 = collector(&f, 1);

	/* host 1's collector speaking for host 2 */
	mk_report(&r, 2, 1, 1, 2, 10);
	send_report(c1, &r);
	pump(&f, 1);
	assert_int_equal(st->reports_refused, 1);
	assert_int_equal(st->reports_received, 0);
	assert_int_equal(model_host_count(f.m), 0);
	assert_int_equal(model_vm_count(f.m), 0);

	/* a sender whose routing id is not 'H' + uuid at all */
	assert_non_null(odd = zmq_socket(f.zctx, ZMQ_DEALER));
	assert_int_equal(zmq_setsockopt(odd, ZMQ_ROUTING_ID, "X123", 4), 0);
	assert_int_equal(zmq_setsockopt(odd, ZMQ_LINGER, &zero, sizeof(zero)),
	    0);
	assert_int_equal(zmq_connect(odd, f.ep), 0);
	mk_report(&r, 1, 1, 1, 2, 10);
	send_report(odd, &r);
	pump(&f, 2);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(model_host_count(f.m), 0);

	/* the same report from its own host is taken */
	send_report(c1, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(model_host_count(f.m), 1);
	assert_null(host_get(f.m, 2));

	zmq_close(odd);
	zmq_close(c1);
	fx_close(&f);
}

static void
test_malformed(void **state)
{
	const struct ingest_stats	*st;
	Ballast__V1__Ack		 ack = BALLAST__V1__ACK__INIT;
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	struct hrep			 r;
	struct fx			 f;
	uint8_t				 buf[4096];
	static const uint8_t		 junk[] = { 0x12, 0x7f, 0x00 };
	size_t				 len, i;
	uint64_t			 sum = 0;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_raw(c, junk, sizeof(junk));		/* truncated */
	send_raw(c, junk, 0);				/* empty */
	mk_report(&r, 1, 1, 1, 2, 10);			/* a version 2 */
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &r.r;
	e.version = 2;
	assert_true(ballast__v1__envelope__get_packed_size(&e) <= sizeof(buf));
	len = ballast__v1__envelope__pack(&e, buf);
	send_raw(c, buf, len);
	ballast__v1__envelope__init(&e);		/* for collectors */
	ack.incarnation = 1;
	ack.seq = 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	e.ack = &ack;
	send_env(c, &e);
	mk_report(&r, 1, 1, 0, 2, 10);			/* seq 0 */
	send_report(c, &r);
	mk_report(&r, 1, 1, 1, 2, 10);			/* the same VM twice */
	r.vm[1].uuid.data = r.vu[0];
	send_report(c, &r);
	pump(&f, 6);

	assert_int_equal(st->reports_malformed, 6);
	assert_int_equal(st->malformed_by[WIRE_E_DECODE], 1);
	assert_int_equal(st->malformed_by[WIRE_E_SIZE], 1);
	assert_int_equal(st->malformed_by[WIRE_E_VERSION], 1);
	assert_int_equal(st->malformed_by[WIRE_E_BODY], 1);
	assert_int_equal(st->malformed_by[WIRE_E_SEQ], 1);
	assert_int_equal(st->malformed_by[WIRE_E_DUPLICATE], 1);
	for (i = 0; i < WIRE_E_MAX; i++)
		sum += st->malformed_by[i];
	assert_int_equal(sum, 6);
	assert_int_equal(st->reports_received, 0);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(model_host_count(f.m), 0);

	/* the connection still works */
	send_seq(c, 1, 1, 1);
	pump(&f, 7);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(st->reports_malformed, 6);

	zmq_close(c);
	fx_close(&f);
}

static void
status_cb(void *arg, const Ballast__V1__CommandStatus *s)
{
	struct status_seen	*seen = arg;

	seen->calls++;
	seen->id = s->id;
	seen->state = (int)s->state;
	seen->permille = s->progress_permille;
	assert_int_equal(s->host_uuid.len, 16);
	memcpy(seen->host, s->host_uuid.data, 16);
}

static void
send_hello(void *s, int id)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Hello	 h = BALLAST__V1__HELLO__INIT;
	char			*caps[] = { (char *)(uintptr_t)"migrate" };
	char			 name[32];
	uint8_t			 u[16];

	host_uuid(id, u);
	snprintf(name, sizeof(name), "kvm-%02d", id);
	h.host_uuid.data = u;
	h.host_uuid.len = 16;
	h.host_name = name;
	h.software = (char *)(uintptr_t)"test 1.0";
	h.capabilities = caps;
	h.n_capabilities = 1;
	h.incarnation = 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_HELLO;
	e.hello = &h;
	send_env(s, &e);
}

static void
send_status(void *s, int id, uint64_t cmd, unsigned permille)
{
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__CommandStatus	 st = BALLAST__V1__COMMAND_STATUS__INIT;
	uint8_t				 u[16];

	host_uuid(id, u);
	st.id = cmd;
	st.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING;
	st.progress_permille = permille;
	st.host_uuid.data = u;
	st.host_uuid.len = 16;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_STATUS;
	e.status = &st;
	send_env(s, &e);
}

static void
test_hello_and_status(void **state)
{
	const struct ingest_stats	*st;
	struct status_seen		 seen;
	struct fx			 f;
	uint8_t				 u[16];
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	memset(&seen, 0, sizeof(seen));
	ingest_on_status(f.in, status_cb, &seen);
	c = collector(&f, 1);

	send_hello(c, 1);
	send_status(c, 1, 42, 250);
	pump(&f, 2);
	assert_int_equal(st->hellos, 1);
	assert_int_equal(st->statuses, 1);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.id, 42);
	assert_int_equal(seen.state,
	    BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING);
	assert_int_equal(seen.permille, 250);
	host_uuid(1, u);
	assert_memory_equal(seen.host, u, 16);

	/* host 1 speaking for host 3 */
	send_hello(c, 3);
	send_status(c, 3, 43, 500);
	pump(&f, 4);
	assert_int_equal(st->hellos, 1);
	assert_int_equal(st->statuses, 1);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.id, 42);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_and_restart(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	uint64_t			 s;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	for (s = 1; s <= 5; s++)
		send_seq(c, 1, 77, s);
	pump(&f, 5);
	assert_int_equal(st->reports_received, 5);
	expect_nothing(c);			/* nothing durable yet */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 77, 5);
	assert_int_equal(st->acks_sent, 1);
	assert_int_equal(st->checkpoint_errors, 0);
	/* nothing new: no second ack */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_nothing(c);
	assert_int_equal(st->acks_sent, 1);
	zmq_close(c);

	fx_restart(&f);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_lost, 0);
	c = collector(&f, 1);
	send_seq(c, 1, 77, 8);
	pump(&f, 1);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(st->reports_lost, 2);		/* 6 and 7 */
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(host_get(f.m, 1)->seq, 8);

	/* nothing acknowledged beyond the first gap */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_no_ack_above(c, 5);

	send_seq(c, 1, 77, 6);
	send_seq(c, 1, 77, 7);
	pump(&f, 3);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(host_get(f.m, 1)->seq, 8);

	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 77, 8);

	/* a repeat of something acknowledged before the restart */
	send_seq(c, 1, 77, 3);
	pump(&f, 4);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_late, 2);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_keeps_gaps(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 9, 1);
	send_seq(c, 1, 9, 4);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 9, 1);
	zmq_close(c);

	fx_restart(&f);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_lost, 2);		/* read back */
	c = collector(&f, 1);
	send_seq(c, 1, 9, 3);
	send_seq(c, 1, 9, 4);
	pump(&f, 2);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_lost, 1);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_received, 0);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_error_no_ack(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	char				 file[128], sdir[160];
	FILE				*fp;
	void				*c;

	snprintf(file, sizeof(file), "%s/file", (const char *)*state);
	assert_non_null(fp = fopen(file, "w"));
	fclose(fp);
	snprintf(sdir, sizeof(sdir), "%s/state", file);	/* under a file */

	fx_open(&f, sdir);		/* no checkpoint to read: goes on */
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 4, 1);
	send_seq(c, 1, 4, 2);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);

	assert_true(ingest_checkpoint(f.in) < 0);
	assert_int_equal(st->checkpoint_errors, 1);
	assert_int_equal(st->acks_sent, 0);
	expect_nothing(c);
	/* and again: still nothing acknowledged */
	assert_true(ingest_checkpoint(f.in) < 0);
	assert_int_equal(st->checkpoint_errors, 2);
	expect_nothing(c);
	/* ingest goes on */
	send_seq(c, 1, 4, 3);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);

	zmq_close(c);
	fx_close(&f);
}

static void
test_ack_resent_after_duplicate(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 12, 1);
	send_seq(c, 1, 12, 2);
	pump(&f, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 12, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_nothing(c);

	/* the collector missed the ack and sends 2 again */
	send_seq(c, 1, 12, 2);
	pump(&f, 3);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 12, 2);
	assert_int_equal(st->acks_sent, 2);

	zmq_close(c);
	fx_close(&f);
}

static void
test_send_command(void **state)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 mig = BALLAST__V1__MIGRATE__INIT;
	struct wire_decoder	*dec;
	wire_envelope		*e;
	struct fx		 f;
	uint8_t			 vu[16], hu[16];
	void			*c;

	(void)state;
	fx_open(&f, NULL);
	c = collector(&f, 1);
	send_hello(c, 1);		/* the ROUTER now knows the peer */
	pump(&f, 1);

	vm_uuid(1, 3, vu);
	host_uuid(2, hu);
	mig.vm_uuid.data = vu;
	mig.vm_uuid.len = 16;
	mig.dest_host_uuid.data = hu;
	mig.dest_host_uuid.len = 16;
	mig.dest_host_name = (char *)(uintptr_t)"kvm-02";
	mig.max_downtime_ms = 300;
	cmd.id = 1234;
	cmd.epoch = 99;
	cmd.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	cmd.migrate = &mig;
	host_uuid(1, hu);
	assert_int_equal(ingest_send_command(f.in, hu, &cmd), 0);

	assert_non_null(dec = wire_decoder_new());
	assert_int_equal(recv_env(c, dec, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_COMMAND);
	assert_int_equal(e->command->id, 1234);
	assert_int_equal(e->command->epoch, 99);
	assert_int_equal(e->command->op_case, BALLAST__V1__COMMAND__OP_MIGRATE);
	assert_memory_equal(e->command->migrate->vm_uuid.data, vu, 16);
	assert_string_equal(e->command->migrate->dest_host_name, "kvm-02");
	assert_int_equal(e->command->migrate->max_downtime_ms, 300);
	wire_decoder_free(dec);

	/* nobody is connected as host 5 */
	host_uuid(5, hu);
	assert_int_equal(ingest_send_command(f.in, hu, &cmd), -EHOSTUNREACH);

	zmq_close(c);
	fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reports_applied),
		cmocka_unit_test(test_gap_late_duplicate),
		cmocka_unit_test(test_first_report_sets_baseline),
		cmocka_unit_test(test_new_incarnation),
		cmocka_unit_test(test_replay_floor),
		cmocka_unit_test(test_missing_bounded),
		cmocka_unit_test(test_sender_must_match),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_hello_and_status),
		cmocka_unit_test_setup_teardown(test_checkpoint_and_restart,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_keeps_gaps,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_error_no_ack,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_ack_resent_after_duplicate,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_send_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
