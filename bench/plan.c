/* SPDX-License-Identifier: ISC */
/*
 * bench/plan: one planning pass on seeded synthetic clusters, through
 * the daemon's own path (model -> plan_view -> planner) with the default
 * policy, and the balancer's memory per VM (model + view + pass).
 *
 *   bench/plan [--sizes 1000x50000,10000x500000] [--seed N] [--traffic]
 *
 * --traffic adds `keep-together traffic above 10MiB/s` to the policy and
 * a traffic matrix fed through balancer/traffic.c as the daemon's is:
 * each host reports one heavy pair from one of its VMs to a VM of the
 * next host (more pairs than the matrix keeps, so its bound is hit);
 * the time then includes building the planner's pairs from it.
 *
 * Prints per size: plan hosts=H vms=V seconds=S bytes_per_vm=B moves=M
 * Targets: 1,000 hosts / 50,000 VMs <= 0.5 s, 10,000 / 500,000 <= 5 s,
 * <= 2 KiB per VM.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "plan_view.h"
#include "planner.h"
#include "policy.h"
#include "traffic.h"
#include "util.h"

struct size {
	size_t		 hosts, vms;
};

static uint64_t	 rng = 88172645463325252ULL;
static struct traffic *tm;	/* --traffic: the matrix, else NULL */

static double
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static long
rss_bytes(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 pages = 0, rss = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

/*
 * The traffic section of host h's second report: its VM 0 sends 20 to
 * 60 MiB/s to VM 1 of host h - 1 (1-in-10 sampled, over 10 s).
 */
static void
feed_traffic(wire_report *r, size_t h, size_t hosts)
{
	static Ballast__V1__Traffic		 t;
	static Ballast__V1__TrafficPair		 p, *pp = &p;
	static Ballast__V1__Endpoint		 s, d;
	static uint8_t				 su[16], du[16];
	char					 name[32];

	ballast__v1__traffic__init(&t);
	ballast__v1__traffic_pair__init(&p);
	ballast__v1__endpoint__init(&s);
	ballast__v1__endpoint__init(&d);
	snprintf(name, sizeof(name), "vm%u-0", (unsigned)h);
	util_uuid_from_name("bench-plan-vm", name, su);
	snprintf(name, sizeof(name), "vm%u-1", (unsigned)((h + hosts - 1) % hosts));
	util_uuid_from_name("bench-plan-vm", name, du);
	s.vm = (ProtobufCBinaryData){ 16, su };
	d.vm = (ProtobufCBinaryData){ 16, du };
	p.src = &s;
	p.dst = &d;
	p.bytes = (uint64_t)(20 + h % 41) << 20;	/* x10 / 10 s */
	t.window_ms = 10000;
	t.sample_every = 10;
	t.pairs = &pp;
	t.n_pairs = 1;
	r->traffic = &t;
}

/* Two reports per host: the second gives every VM its rates. */
static void
feed(struct model *m, size_t hosts, size_t vms)
{
	Ballast__V1__HostCapacity cap = BALLAST__V1__HOST_CAPACITY__INIT;
	Ballast__V1__HostCounters cnt = BALLAST__V1__HOST_COUNTERS__INIT;
	wire_report	 r = BALLAST__V1__HOST_REPORT__INIT;
	size_t		 per = vms / hosts, h, i, k;
	wire_vm		*vm = calloc(per, sizeof(*vm)), **vp = calloc(per, sizeof(*vp));
	uint8_t		(*uu)[16] = calloc(per, 16), hu[16];
	char		(*names)[32] = calloc(per, 32), hn[32];
	double		 hostload, *share = calloc(per, sizeof(double));

	cap.cpus = 64;
	cap.cpu_mhz = 2600;
	cap.memory_bytes = 512ULL << 30;
	r.capacity = &cap;
	r.counters = &cnt;
	r.interval_ms = 10000;
	for (h = 0; h < hosts; h++) {
		snprintf(hn, sizeof(hn), "hv%05u", (unsigned)h);
		util_uuid_from_name("bench-plan", hn, hu);
		/* one host in ten runs hot */
		hostload = h % 10 == 0 ? 0.85 + 0.1 * rnd() : 0.2 + 0.5 * rnd();
		for (i = 0; i < per; i++) {
			snprintf(names[i], sizeof(names[i]), "vm%u-%u", (unsigned)h, (unsigned)i);
			util_uuid_from_name("bench-plan-vm", names[i], uu[i]);
			share[i] = rnd();
		}
		for (k = 0; k < 2; k++) {
			r.host_uuid.data = hu;
			r.host_uuid.len = 16;
			r.host_name = hn;
			r.seq = k + 1;
			r.sample_time_ms = 1700000000000ULL + k * 10000;
			cnt.cpu_busy_ns = (uint64_t)(k * 640e9 * hostload);
			cnt.cpu_idle_ns = (uint64_t)(k * 640e9 * (1 - hostload));
			cnt.mem_used_bytes = per * (4ULL << 30);
			for (i = 0; i < per; i++) {
				ballast__v1__vm_sample__init(&vm[i]);
				vm[i].uuid.data = uu[i];
				vm[i].uuid.len = 16;
				vm[i].name = names[i];
				vm[i].state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
				vm[i].vcpus = 4;
				vm[i].cpu_time_ns = (uint64_t)(k * 640e9 * hostload *
				    share[i] * 2 / (double)per);
				vm[i].mem_rss_bytes = 4ULL << 30;
				vm[i].mem_max_bytes = 8ULL << 30;
				vp[i] = &vm[i];
			}
			r.vms = vp;
			r.n_vms = per;
			r.traffic = NULL;
			if (tm != NULL && k == 1)
				feed_traffic(&r, h, hosts);
			model_apply_report(m, &r, (int64_t)(k * 10000));
			if (tm != NULL)
				traffic_apply_report(tm, m, &r);
		}
	}
	free(vm);
	free(vp);
	free(uu);
	free(names);
	free(share);
}

static void
run(const struct size *sz, const struct policy *pol)
{
	struct model_limits	 lim = { 3, 600, 100000, 2000000 };
	struct model		*m;
	struct plan_view	 pv;
	struct plan		 plan;
	struct timespec		 t0, t1;
	long			 r0, r1;
	double			 secs;

	memset(&pv, 0, sizeof(pv));
	memset(&plan, 0, sizeof(plan));
	r0 = rss_bytes();
	if ((m = model_new(&lim)) == NULL ||
	    (pol->keep_together.set && (tm = traffic_new(NULL)) == NULL))
		exit(1);
	feed(m, sz->hosts, sz->vms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (plan_view_build(&pv, m, pol, NULL, 20000) < 0 ||
	    plan_view_traffic(&pv, m, tm) < 0 ||
	    planner_run(&pv.in, &plan) < 0)
		exit(1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r1 = rss_bytes();
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("plan hosts=%zu vms=%zu seconds=%.3f bytes_per_vm=%.0f moves=%zu "
	    "hot=%zu pairs=%zu\n", sz->hosts, model_vm_count(m), secs,
	    (double)(r1 - r0) / (double)sz->vms, plan.nmoves, plan.hot_hosts,
	    pv.in.npairs);
	fflush(stdout);
	plan_free(&plan);
	plan_view_free(&pv);
	model_free(m);
	traffic_free(tm);
	tm = NULL;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'r' },
		{ "traffic", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct size	 sizes[8] = { { 1000, 50000 }, { 10000, 500000 } };
	struct policy	*pol;
	size_t		 n = 2, i;
	char		*p, *comma;
	int		 ch, traffic = 0;
	int64_t		 v;
	unsigned long	 h, vm;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 't')
			traffic = 1;
		else if (ch == 'r' && util_parse_i64(optarg, 1, INT64_MAX, &v) == 0)
			rng = (uint64_t)v;
		else if (ch == 's') {
			for (n = 0, p = optarg; p != NULL && n < 8; p = comma) {
				if ((comma = strchr(p, ',')) != NULL)
					*comma++ = '\0';
				if (sscanf(p, "%lux%lu", &h, &vm) == 2 && h > 0 && vm >= h)
					sizes[n++] = (struct size){ h, vm };
			}
		} else {
			fprintf(stderr, "usage: plan [--sizes HxV,...] [--seed N] "
			    "[--traffic]\n");
			return 2;
		}
	}
	if ((pol = calloc(1, sizeof(*pol))) == NULL)
		return 1;
	policy_defaults(pol);
	pol->per_pass = 50;
	pol->hot[POLICY_CPU].for_s = 0;	/* two reports: hot from the first */
	if (traffic) {
		pol->keep_together.set = 1;
		pol->keep_together.min_bps = 10 << 20;
		pol->keep_together.weight = 1;
	}
	printf("plan: one pass, default policy with per-pass 50 and hot from "
	    "the first report, one host in ten hot%s; targets 1000x50000 <= 0.5 s, 10000x500000 <= 5 s, "
	    "<= 2048 bytes per VM\n", traffic ? ", keep-together over a "
	    "traffic matrix of one heavy pair per host" : "");
	for (i = 0; i < n; i++)
		run(&sizes[i], pol);
	free(pol);
	return 0;
}
