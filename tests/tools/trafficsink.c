/* SPDX-License-Identifier: ISC */
/*
 * trafficsink: a balancer stand-in for the pcap tests.  Binds a ROUTER
 * at ENDPOINT, decodes every message with proto/wire.c, acknowledges
 * each report (so none is sent twice) and prints, for each new report,
 * its traffic section and its VMs' addresses as text lines:
 *
 *   report HOST SEQ
 *   traffic SAMPLE_EVERY WINDOW_MS CAPTURED DROPPED IF_DROPPED ERRORS OTHER_BYTES OTHER_PACKETS
 *   pair SRC DST BYTES PACKETS        (an end: vm:UUID, an address, or external)
 *   addr VM-UUID ADDRESS
 *
 * Runs until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "util.h"
#include "wire.h"

static volatile sig_atomic_t	 stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
fmt_addr(const ProtobufCBinaryData *a, char *out, size_t len)
{
	const uint8_t	*b = a->data;

	if (a->len == 6)
		snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
		    b[2], b[3], b[4], b[5]);
	else if (a->len == 4 || a->len == 16)
		inet_ntop(a->len == 4 ? AF_INET : AF_INET6, b, out,
		    (socklen_t)len);
	else
		util_strlcpy(out, "external", len);
}

static void
fmt_end(const Ballast__V1__Endpoint *e, char *out, size_t len)
{
	char	 id[UTIL_UUID_STRLEN];

	if (e != NULL && e->vm.len == 16) {
		util_uuid_fmt(e->vm.data, id);
		snprintf(out, len, "vm:%s", id);
	} else if (e != NULL)
		fmt_addr(&e->addr, out, len);
	else
		util_strlcpy(out, "external", len);
}

static void
print_report(const wire_report *r)
{
	const Ballast__V1__Traffic	*t = r->traffic;
	char				 a[64], b[64], id[UTIL_UUID_STRLEN];
	size_t				 i, j;

	printf("report %s %llu\n", r->host_name, (unsigned long long)r->seq);
	for (i = 0; i < r->n_vms; i++)
		for (j = 0; j < r->vms[i]->n_addrs; j++) {
			util_uuid_fmt(r->vms[i]->uuid.data, id);
			fmt_addr(&r->vms[i]->addrs[j], a, sizeof(a));
			printf("addr %s %s\n", id, a);
		}
	if (t == NULL)
		return;
	printf("traffic %u %u %llu %llu %llu %u %llu %llu\n", t->sample_every,
	    t->window_ms, (unsigned long long)t->captured,
	    (unsigned long long)t->dropped, (unsigned long long)t->if_dropped,
	    t->errors, (unsigned long long)t->other_bytes,
	    (unsigned long long)t->other_packets);
	for (i = 0; i < t->n_pairs; i++) {
		fmt_end(t->pairs[i]->src, a, sizeof(a));
		fmt_end(t->pairs[i]->dst, b, sizeof(b));
		printf("pair %s %s %llu %llu\n", a, b,
		    (unsigned long long)t->pairs[i]->bytes,
		    (unsigned long long)t->pairs[i]->packets);
	}
}

static void
ack(void *s, const zmq_msg_t *rid, const wire_report *r)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Ack	 a = BALLAST__V1__ACK__INIT;
	uint8_t			*buf;
	size_t			 len;

	a.incarnation = r->incarnation;
	a.seq = r->seq;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	e.ack = &a;
	if ((buf = wire_pack(&e, &len)) == NULL)
		return;
	zmq_send(s, zmq_msg_data((zmq_msg_t *)(uintptr_t)rid),
	    zmq_msg_size(rid), ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(s, buf, len, ZMQ_DONTWAIT);
	free(buf);
}

static void
receive(void *s, struct wire_decoder *dec, uint64_t *last)
{
	zmq_msg_t	 rid, body;
	wire_envelope	*e;
	char		 err[256];
	unsigned	 accept = 1u << BALLAST__V1__ENVELOPE__BODY_HELLO |
	    1u << BALLAST__V1__ENVELOPE__BODY_REPORT |
	    1u << BALLAST__V1__ENVELOPE__BODY_STATUS;

	zmq_msg_init(&rid);
	zmq_msg_init(&body);
	if (zmq_msg_recv(&rid, s, 0) >= 0 && zmq_msg_recv(&body, s, 0) >= 0 &&
	    wire_decode(dec, zmq_msg_data(&body), zmq_msg_size(&body), accept,
	    &e, err, sizeof(err)) == 0 &&
	    e->body_case == BALLAST__V1__ENVELOPE__BODY_REPORT) {
		if (e->report->seq > *last) {
			print_report(e->report);
			*last = e->report->seq;
		}
		ack(s, &rid, e->report);
	}
	zmq_msg_close(&rid);
	zmq_msg_close(&body);
}

int
main(int argc, char *argv[])
{
	struct wire_decoder	*dec;
	struct sigaction	 sa;
	void			*ctx, *s;
	zmq_pollitem_t		 it;
	uint64_t		 last = 0;
	int			 zero = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: trafficsink ENDPOINT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ctx = zmq_ctx_new();
	s = zmq_socket(ctx, ZMQ_ROUTER);
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	if ((dec = wire_decoder_new()) == NULL || zmq_bind(s, argv[1]) != 0) {
		fprintf(stderr, "trafficsink: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	while (!stop) {
		it = (zmq_pollitem_t){ s, 0, ZMQ_POLLIN, 0 };
		if (zmq_poll(&it, 1, 200) > 0 && (it.revents & ZMQ_POLLIN))
			receive(s, dec, &last);
	}
	wire_decoder_free(dec);
	zmq_close(s);
	zmq_ctx_term(ctx);
	return 0;
}
