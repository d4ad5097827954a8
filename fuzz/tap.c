/* SPDX-License-Identifier: ISC */
/*
 * tap: records the real messages between collectors (or the simulator)
 * and a balancer, for the fuzzers' seed corpora (fuzz/seeds.sh).
 *
 *   tap FRONT BACK DIR SECONDS
 *
 * Binds a ROUTER on FRONT for the collectors; for each collector it
 * connects a DEALER with the same routing id to the balancer at BACK,
 * so the balancer sees the collector itself.  Every message is passed
 * on unchanged and written to DIR as up-N (collector to balancer) or
 * down-N (balancer to collector).  Stops after SECONDS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "util.h"

#define TAP_PEERS	64
#define TAP_ID_MAX	64

struct tap_peer {
	uint8_t		 id[TAP_ID_MAX];
	size_t		 idlen;
	void		*sock;
};

struct tap {
	void		*ctx, *front;
	const char	*back, *dir;
	struct tap_peer	 peers[TAP_PEERS];
	size_t		 n;
	unsigned	 seq;
};

static void
tap_save(struct tap *t, const char *way, const void *buf, size_t len)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s-%05u", t->dir, way, t->seq++);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		return;
	}
	fwrite(buf, 1, len, f);
	fclose(f);
}

static struct tap_peer *
tap_peer(struct tap *t, const void *id, size_t len)
{
	struct tap_peer	*p;
	size_t		 i;

	for (i = 0; i < t->n; i++)
		if (t->peers[i].idlen == len && memcmp(t->peers[i].id, id, len) == 0)
			return &t->peers[i];
	if (t->n == TAP_PEERS || len > TAP_ID_MAX)
		return NULL;
	p = &t->peers[t->n];
	memcpy(p->id, id, len);
	p->idlen = len;
	if ((p->sock = zmq_socket(t->ctx, ZMQ_DEALER)) == NULL ||
	    zmq_setsockopt(p->sock, ZMQ_ROUTING_ID, id, len) != 0 ||
	    zmq_connect(p->sock, t->back) != 0)
		return NULL;
	t->n++;
	return p;
}

/* One message from a collector: [id][payload]. */
static void
tap_up(struct tap *t)
{
	uint8_t		 id[TAP_ID_MAX];
	zmq_msg_t	 msg;
	struct tap_peer	*p;
	int		 idlen;

	if ((idlen = zmq_recv(t->front, id, sizeof(id), ZMQ_DONTWAIT)) < 0)
		return;
	zmq_msg_init(&msg);
	if (zmq_msg_recv(&msg, t->front, 0) >= 0 &&
	    (p = tap_peer(t, id, (size_t)idlen)) != NULL) {
		tap_save(t, "up", zmq_msg_data(&msg), zmq_msg_size(&msg));
		zmq_send(p->sock, zmq_msg_data(&msg), zmq_msg_size(&msg), 0);
	}
	zmq_msg_close(&msg);
}

/* One message from the balancer to peer p. */
static void
tap_down(struct tap *t, struct tap_peer *p)
{
	zmq_msg_t	 msg;

	zmq_msg_init(&msg);
	if (zmq_msg_recv(&msg, p->sock, ZMQ_DONTWAIT) >= 0) {
		tap_save(t, "down", zmq_msg_data(&msg), zmq_msg_size(&msg));
		zmq_send(t->front, p->id, p->idlen, ZMQ_SNDMORE);
		zmq_send(t->front, zmq_msg_data(&msg), zmq_msg_size(&msg), 0);
	}
	zmq_msg_close(&msg);
}

static void
tap_run(struct tap *t, int64_t end_ms)
{
	zmq_pollitem_t	 items[TAP_PEERS + 1];
	size_t		 i, n;

	while (util_now_mono_ms() < end_ms) {
		items[0] = (zmq_pollitem_t){ t->front, 0, ZMQ_POLLIN, 0 };
		for (i = 0; i < t->n; i++)
			items[i + 1] = (zmq_pollitem_t){ t->peers[i].sock, 0,
			    ZMQ_POLLIN, 0 };
		n = t->n;
		if (zmq_poll(items, (int)n + 1, 200) <= 0)
			continue;
		if (items[0].revents & ZMQ_POLLIN)
			tap_up(t);
		for (i = 0; i < n; i++)
			if (items[i + 1].revents & ZMQ_POLLIN)
				tap_down(t, &t->peers[i]);
	}
}

int
main(int argc, char **argv)
{
	struct tap	 t;
	int64_t		 secs;
	size_t		 i;
	int		 zero = 0;

	memset(&t, 0, sizeof(t));
	if (argc != 5 || util_parse_i64(argv[4], 1, 3600, &secs) < 0) {
		fprintf(stderr, "usage: tap FRONT BACK DIR SECONDS\n");
		return 2;
	}
	t.back = argv[2];
	t.dir = argv[3];
	if ((t.ctx = zmq_ctx_new()) == NULL ||
	    (t.front = zmq_socket(t.ctx, ZMQ_ROUTER)) == NULL ||
	    zmq_bind(t.front, argv[1]) != 0) {
		fprintf(stderr, "tap: %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
		return 1;
	}
	tap_run(&t, util_now_mono_ms() + secs * 1000);
	for (i = 0; i < t.n; i++) {
		zmq_setsockopt(t.peers[i].sock, ZMQ_LINGER, &zero, sizeof(zero));
		zmq_close(t.peers[i].sock);
	}
	zmq_setsockopt(t.front, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_close(t.front);
	zmq_ctx_term(t.ctx);
	printf("tap: %u messages\n", t.seq);
	return 0;
}
