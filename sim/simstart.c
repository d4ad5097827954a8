/* SPDX-License-Identifier: ISC */
/*
 * simstart: ballast-sim's start-up and shutdown: the placement file,
 * the workload (traces or the synthetic generator), the traffic
 * matrix, the CURVE keys and one publisher per simulated host; at
 * exit, everything freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "conf_file.h"
#include "log.h"
#include "sim.h"
#include "synth.h"
#include "util.h"

/* Reads a placement file into memory (at most 1 MiB). */
char *
sim_read_placement(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	size_t	 n;

	if (f == NULL) {
		log_warn("--placement %s (not round-robin, first-fit or a "
		    "readable file)", path);
		return NULL;
	}
	if ((buf = calloc(1, 1024 * 1024 + 1)) == NULL)
		fatalx("out of memory");
	n = fread(buf, 1, 1024 * 1024, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int
sim_load_workload(struct sim *s)
{
	struct synth_params	 sp;
	char			 err[512];
	int			 rc;

	if (s->o.traces != NULL) {
		rc = trace_load(s->o.traces, s->o.vms, &s->ts, err, sizeof(err));
		if (rc < 0) {
			log_warnx("%s", err);
			return -1;
		}
		log_info("traces %s: %zu VMs, %zu slots of %u s; %llu rows, "
		    "%llu skipped (fields %llu, negative %llu, out of order "
		    "%llu), %llu rows with 0 cores kept", s->ts->source,
		    s->ts->nvms, s->ts->nslots, s->ts->slot_s,
		    (unsigned long long)s->ts->stats.rows,
		    (unsigned long long)(s->ts->stats.bad_fields +
		    s->ts->stats.negative + s->ts->stats.out_of_order),
		    (unsigned long long)s->ts->stats.bad_fields,
		    (unsigned long long)s->ts->stats.negative,
		    (unsigned long long)s->ts->stats.out_of_order,
		    (unsigned long long)s->ts->stats.zero_cores);
		return 0;
	}
	memset(&sp, 0, sizeof(sp));
	sp.seed = s->o.seed;
	sp.nvms = s->o.vms ? s->o.vms : 200;
	sp.slot_s = 10;
	sp.nslots = 8640;
	sp.day_s = 86400;
	sp.start_s = util_now_real_ms() / 1000 / sp.slot_s * sp.slot_s;
	if ((rc = synth_generate(&sp, &s->ts)) < 0) {
		log_warnx("synthetic workload: %s", strerror(-rc));
		return -1;
	}
	log_info("synthetic workload: %zu VMs, seed %llu", s->ts->nvms,
	    (unsigned long long)sp.seed);
	return 0;
}

/* --traffic FILE or --traffic-synth N: the matrix the hosts report. */
int
sim_load_traffic(struct sim *s)
{
	char	 err[512], *text = NULL;
	size_t	 len = 0;
	int	 rc;

	if (s->o.traffic == NULL && s->o.traffic_synth == 0)
		return 0;
	if ((s->tb = calloc(1, sizeof(*s->tb))) == NULL)
		fatalx("out of memory");
	if (s->o.traffic != NULL) {
		if ((rc = conf_file_read(s->o.traffic, &text, &len, err,
		    sizeof(err))) == 0)
			rc = simtraffic_parse(&s->tr, &s->c, s->o.traffic, text,
			    err, sizeof(err));
		free(text);
	} else {
		rc = simtraffic_synth(&s->tr, s->c.nvms, s->o.seed,
		    s->o.traffic_synth, 64.0 * 1048576);
		snprintf(err, sizeof(err), "--traffic-synth: %s", strerror(-rc));
	}
	if (rc < 0) {
		log_warnx("%s", err);
		return -1;
	}
	log_info("traffic: %zu VM pairs, the heaviest %.1f MiB/s",
	    s->tr.n, s->tr.n ? s->tr.p[0].bps / 1048576 : 0.0);
	return 0;
}

/* CURVE: the balancer's key and each host's (--key or --keys DIR). */
static int
load_keys(struct sim *s)
{
	char	 path[4096], err[4200];
	size_t	 i, h = s->c.p.hosts;

	if (s->o.balancer_key == NULL) {
		if (zcurve_exposed(s->o.endpoint))
			log_warnx("insecure: plain TCP to %s (give "
			    "--balancer-key and --key)", s->o.endpoint);
		return 0;
	}
	if ((s->hkeys = calloc(h, sizeof(*s->hkeys))) == NULL)
		fatalx("out of memory");
	for (i = 0; i < h; i++) {
		if (s->o.keys != NULL)
			snprintf(path, sizeof(path), "%s/%s.key", s->o.keys,
			    s->c.hosts[i].name);
		if (zcurve_read_client(s->o.balancer_key, s->o.keys != NULL ?
		    path : s->o.key, s->server_key, &s->hkeys[i], err,
		    sizeof(err)) < 0) {
			log_warnx("%s", err);
			return -1;
		}
	}
	return 0;
}

int
sim_start_publishers(struct sim *s)
{
	static const char *const caps[] = { "migrate", "cancel", "sim" };
	struct pub_config	 pc;
	char			 err[512];
	size_t			 i, h = s->c.p.hosts;

	s->pubs = calloc(h, sizeof(*s->pubs));
	s->muted = calloc(h, sizeof(*s->muted));
	s->vms = calloc(s->c.nvms, sizeof(*s->vms));
	s->vmp = calloc(s->c.nvms, sizeof(*s->vmp));
	s->dirty = calloc(s->c.nvms, sizeof(*s->dirty));
	if (s->pubs == NULL || s->muted == NULL || s->vms == NULL ||
	    s->vmp == NULL || s->dirty == NULL || (s->zctx = zmq_ctx_new()) == NULL)
		fatalx("out of memory");
	if (load_keys(s) < 0)
		return -1;
	/* a DEALER per host, with CURVE a monitor and its pipe too */
	zmq_ctx_set(s->zctx, ZMQ_MAX_SOCKETS, (int)(h * (s->hkeys ? 3 : 1) + 64));
	for (i = 0; i < h; i++) {
		memset(&pc, 0, sizeof(pc));
		if (s->hkeys != NULL) {
			pc.server_key = s->server_key;
			pc.curve = &s->hkeys[i];
		}
		pc.endpoint = s->o.endpoint;
		memcpy(pc.host_uuid, s->c.hosts[i].uuid, 16);
		pc.host_name = s->c.hosts[i].name;
		pc.software = "ballast-sim " SIM_VERSION;
		pc.caps = caps;
		pc.ncaps = 3;
		/* keep 11 minutes of reports: a balancer restart of up to
		   10 minutes loses nothing */
		pc.max_pending = (size_t)(660.0 / (s->o.step_s / s->o.speed)) + 1;
		if (pc.max_pending < 64)
			pc.max_pending = 64;
		if (pc.max_pending > 20000)
			pc.max_pending = 20000;
		pc.resend_ms = (int64_t)(s->o.step_s / s->o.speed * 3000);
		if (pc.resend_ms < 3000)
			pc.resend_ms = 3000;
		if ((s->pubs[i] = pub_new(s->zctx, &pc, err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			return -1;
		}
	}
	return 0;
}

void
sim_stop(struct sim *s)
{
	size_t	 i;

	for (i = 0; i < s->c.p.hosts; i++)
		pub_free(s->pubs[i], 1000);
	zmq_ctx_term(s->zctx);
	free(s->pubs);
	free(s->muted);
	free(s->vms);
	free(s->vmp);
	free(s->dirty);
	simtraffic_free(&s->tr);
	free(s->tb);
	sim_cluster_free(&s->c);
	trace_free(s->ts);
	free(s->placement);
	free(s->hkeys);
}
