/* SPDX-License-Identifier: ISC */
/*
 * ballast-sim: a trace-driven simulated cluster that speaks exactly the
 * collector protocol, one publisher (DEALER socket) per simulated host.
 *
 * This file holds main(), the signals and the loop; the rest is in
 * simargs.c, simstart.c and simcmd.c (sim.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zmq.h>

#include "cluster.h"
#include "log.h"
#include "publisher.h"
#include "sim.h"
#include "util.h"

#define PROGRESS_MS	10000

static volatile sig_atomic_t	 got_stop;

static void
on_signal(int sig)
{
	(void)sig;
	got_stop = 1;
}

static void
step(struct sim *s, int64_t elapsed_ms)
{
	struct sim_event	*ev;
	Ballast__V1__HostCapacity cap;
	Ballast__V1__HostCounters cnt;
	wire_report		 r;
	struct simstat_cmd	*known;
	size_t			 i, j, n;

	/* one event per migration at most: room for every VM */
	if ((ev = calloc(s->c.nvms, sizeof(*ev))) == NULL)
		fatalx("out of memory");
	n = sim_cluster_step(&s->c, (int64_t)(s->o.step_s * 1000), ev, s->c.nvms);
	for (i = 0; i < n; i++) {
		if ((known = sim_cmd_slot(s, ev[i].cmd_id, 0)) != NULL)
			known->ev = ev[i];
		sim_send_event(s, &ev[i]);
	}
	if (s->o.jump_ms != 0 && !s->jumped && elapsed_ms >= s->o.jump_after_ms) {
		s->jumped = 1;
		log_info("every host's clock moves by %+lld s (--clock-jump)",
		    (long long)(s->o.jump_ms / 1000));
	}
	for (i = 0; i < s->c.p.hosts; i++) {
		for (j = 0; j < s->o.nmutes && !s->muted[i]; j++)
			if (strcmp(s->o.mutes[j].host, s->c.hosts[i].name) == 0 &&
			    elapsed_ms >= s->o.mutes[j].after_ms) {
				s->muted[i] = 1;
				log_info("%s stops reporting (--mute)",
				    s->c.hosts[i].name);
			}
		if (s->muted[i])
			continue;
		sim_cluster_report(&s->c, i, &r, &cap, &cnt, s->vms, s->vmp,
		    s->dirty);
		if (s->tr.n > 0)
			simtraffic_report(&s->tr, &s->c, i,
			    (uint32_t)(s->o.step_s * 1000), s->tb, &r);
		if (s->jumped)
			r.sample_time_ms = (uint64_t)((int64_t)r.sample_time_ms +
			    s->o.jump_ms);
		/* in replay the step is the clock the balancer runs on */
		r.interval_ms = (uint32_t)(s->o.replay ? s->o.step_s * 1000 :
		    s->o.step_s / s->o.speed * 1000);
		pub_send_report(s->pubs[i], &r, util_now_mono_ms());
		s->reports++;
	}
	free(ev);
	s->steps++;
	sim_write_status(s);
}

static void
progress(struct sim *s)
{
	char		 when[32];
	time_t		 t = (time_t)(s->c.t_ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	log_info("simulated %s UTC: %llu steps, %llu reports, %llu "
	    "migrations done, %llu failed", when, (unsigned long long)s->steps,
	    (unsigned long long)s->reports,
	    (unsigned long long)s->c.migrations_done,
	    (unsigned long long)s->c.migrations_failed);
}

static int
trace_done(const struct sim *s)
{
	int64_t	 end = (s->ts->slot0 + (int64_t)s->ts->nslots) *
	    (int64_t)s->ts->slot_s * 1000;

	return !s->o.loop && s->c.t_ms >= end;
}

/* Replay: has the balancer acknowledged every host's last report? */
static int
all_acked(const struct sim *s)
{
	size_t	 i;

	for (i = 0; i < s->c.p.hosts; i++)
		if (!s->muted[i] && pub_stats(s->pubs[i])->pending > 0)
			return 0;
	return 1;
}

/* When is the next step due?  Replay: once acknowledged, or after 5 s. */
static int
step_due(struct sim *s, int64_t now, int64_t *next, int64_t interval)
{
	if (!s->o.replay) {
		if (now < *next)
			return 0;
		*next += interval;
		if (*next < now - 10 * interval)
			*next = now;	/* fell far behind: do not burst */
		return 1;
	}
	if (!all_acked(s) && now < *next)
		return 0;
	if (!all_acked(s))
		log_complain(&s->stalled, 30000, "replay: no acknowledgement "
		    "from the balancer in 5 s (is it running with --replay?)");
	*next = now + 5000;
	return 1;
}

/* CURVE handshake failures of any host, rate-limited. */
static void
handshakes(struct sim *s)
{
	const struct pub_stats	*ps;
	uint64_t		 failed = 0;
	size_t			 i, last = 0;

	for (i = 0; s->hkeys != NULL && i < s->c.p.hosts; i++) {
		ps = pub_stats(s->pubs[i]);
		if (ps->handshake_failed > 0)
			last = i;
		failed += ps->handshake_failed;
	}
	if (failed == s->hs_failed)
		return;
	s->hs_failed = failed;
	log_complain(&s->handshake, 10000, "CURVE handshake with the "
	    "balancer at %s failed (%llu times; %s: %s)", s->o.endpoint,
	    (unsigned long long)failed, s->c.hosts[last].name,
	    pub_stats(s->pubs[last])->handshake_error);
}

static void
run(struct sim *s)
{
	zmq_pollitem_t	*items;
	int64_t		 start = util_now_mono_ms(), next = start, now, last_prog;
	int64_t		 interval = (int64_t)(s->o.step_s / s->o.speed * 1000);
	size_t		 i, h = s->c.p.hosts;

	if ((items = calloc(h, sizeof(*items))) == NULL)
		fatalx("out of memory");
	last_prog = start;
	while (!got_stop) {
		now = util_now_mono_ms();
		for (i = 0; i < h; i++)
			items[i] = (zmq_pollitem_t){ pub_socket(s->pubs[i]), 0,
			    ZMQ_POLLIN, 0 };
		zmq_poll(items, (int)h, s->o.replay ? 20 :
		    next > now ? (long)(next - now) : 0);
		for (i = 0; i < h; i++) {
			s->cur_host = i;
			if (items[i].revents & ZMQ_POLLIN)
				pub_dispatch(s->pubs[i], sim_on_command, s);
		}
		now = util_now_mono_ms();
		if ((s->o.max_steps == 0 || s->steps < s->o.max_steps) &&
		    step_due(s, now, &next, interval))
			step(s, now - start);
		for (i = 0; i < h; i++)
			pub_tick(s->pubs[i], now);
		handshakes(s);
		if (now - last_prog >= PROGRESS_MS) {
			progress(s);
			last_prog = now;
		}
		if ((s->o.duration_s > 0 && now - start >= s->o.duration_s * 1000) ||
		    trace_done(s) || (s->o.max_steps > 0 &&
		    s->steps >= s->o.max_steps && (!s->o.replay || all_acked(s))))
			break;
	}
	free(items);
}

int
main(int argc, char *argv[])
{
	struct sim	 s;
	struct sigaction sa;
	char		 err[512];
	size_t		 i;

	memset(&s, 0, sizeof(s));
	log_init("ballast-sim", LOG_LVL_INFO);
	if (sim_parse_args(&s.o, argc, argv) < 0)
		return 2;
	if (sim_load_workload(&s) < 0)
		return 1;
	if (s.o.p.placement == SIM_PLACE_FILE &&
	    (s.placement = sim_read_placement(s.o.p.placement_name)) == NULL)
		return 1;
	s.o.p.placement_text = s.placement;
	s.o.p.fail_seed = s.o.seed;
	if (sim_cluster_init(&s.c, s.ts, &s.o.p, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 1;
	}
	if (sim_load_traffic(&s) < 0)
		return 1;
	for (i = 0; i < s.o.nmutes; i++)
		if (sim_cluster_host(&s.c, s.o.mutes[i].host) < 0)
			fatalx("--mute: no host named %s (hosts are hv01..)",
			    s.o.mutes[i].host);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (sim_start_publishers(&s) < 0)
		return 1;
	log_info("%zu hosts, %zu VMs, a report every %.2f s per host to %s",
	    s.c.p.hosts, s.c.nvms, s.o.step_s / s.o.speed, s.o.endpoint);
	run(&s);
	progress(&s);
	sim_stop(&s);
	return 0;
}
