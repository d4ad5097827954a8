/* SPDX-License-Identifier: ISC */
/*
 * bench/quality: balancing quality on a month of real traces.
 *
 *   bench/quality --traces PATH [--hosts 16,12] [--policies LIST]
 *       [--policy FILE] [--traffic-pairs N]
 *
 * Replays the traces through the quality model (qsim.h) on each cluster
 * size with: no balancing, ProxLB-style (every slot and hourly),
 * oVirt-style, Watcher-style, and ballast's planner with its default
 * policy; prints a table and, per cluster and policy, one line
 *   quality traces=NAME hosts=H policy=P hot_host_minutes=N migrations=N
 *     gib_moved=X cv=X p99=X
 * plus policy=fluid for the fluid bound.
 *
 * --traffic-pairs N adds a synthetic traffic matrix (sim/simtraffic.h:
 * N seeded pairs of random VMs, 64 KiB/s to 64 MiB/s; the traces carry
 * no pair data) that ballast's planner sees, and per cluster and policy
 *   traffic traces=NAME hosts=H policy=P cross_before_mib_s=X
 *     cross_after_mib_s=X share_before=X share_after=X
 * -- the traffic between VMs on different hosts at the start (VM i on
 * host i mod H) and under the placement the policy ends with.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baselines.h"
#include "qplan.h"
#include "qsim.h"
#include "simtraffic.h"
#include "trace.h"
#include "util.h"

static const char *policy_path;	/* --policy FILE; NULL: the defaults */
static struct simtraffic traffic;	/* --traffic-pairs N; empty: none */

struct qpolicy {
	const char	*name;
	qsim_policy	 fn;
	void		*arg;
};

static struct proxlb_arg proxlb_every = { 1 }, proxlb_hourly = { 12 };

static const char *
trace_name(const char *path)
{
	const char	*b = strrchr(path, '/');

	return b != NULL && b[1] != '\0' ? b + 1 : path;
}

static void
progress(size_t done, size_t total)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r  %3zu %%", done * 100 / total);
}

static void
report(const char *traces, size_t hosts, const char *policy, uint64_t hot,
    uint64_t migrations, double gib, double cv, double p99)
{
	printf("| %2zu | %-22s | %10llu | %10llu | %9.0f | %5.3f | %5.3f |\n",
	    hosts, policy, (unsigned long long)hot,
	    (unsigned long long)migrations, gib, cv, p99);
	fprintf(stderr, "%s", isatty(STDERR_FILENO) ? "\r" : "");
	fprintf(stdout, "quality traces=%s hosts=%zu policy=%s "
	    "hot_host_minutes=%llu migrations=%llu gib_moved=%.1f cv=%.4f "
	    "p99=%.4f\n", traces, hosts, policy, (unsigned long long)hot,
	    (unsigned long long)migrations, gib, cv, p99);
	fflush(stdout);
}

/* Cross-host traffic at the start (VM i on host i mod H) and now. */
static void
report_traffic(const char *traces, size_t hosts, const char *policy,
    const struct qsim *q)
{
	size_t	*start, i;
	double	 total, before, after;

	if (traffic.n == 0 || (start = calloc(q->nvms, sizeof(*start))) == NULL)
		return;
	for (i = 0; i < q->nvms; i++)
		start[i] = i % hosts;
	before = simtraffic_cross(&traffic, start, &total);
	after = simtraffic_cross(&traffic, q->place, &total);
	printf("traffic traces=%s hosts=%zu policy=%s cross_before_mib_s=%.1f "
	    "cross_after_mib_s=%.1f share_before=%.4f share_after=%.4f\n",
	    traces, hosts, policy, before / 1048576, after / 1048576,
	    total > 0 ? before / total : 0, total > 0 ? after / total : 0);
	free(start);
}

static int
run_one(const struct trace_set *ts, const char *tname, size_t hosts,
    const struct qpolicy *p)
{
	struct qsim	 q;
	struct timespec	 t0, t1;
	void		*arg = p->arg;
	char		 err[512];
	double		 secs;

	if (qsim_init(&q, ts, hosts) < 0)
		return -ENOMEM;
	if (p->fn == qplan_policy &&
	    (arg = qplan_new(ts, hosts, policy_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "quality: %s\n", err);
		qsim_free(&q);
		return -EINVAL;
	}
	if (p->fn == qplan_policy && traffic.n > 0 &&
	    qplan_traffic(arg, &traffic) < 0) {
		qplan_free(arg);
		qsim_free(&q);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	qsim_run(&q, p->fn, arg, progress);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	report(tname, hosts, p->name, q.hot_slots * 5, q.migrations, q.gib_moved,
	    q.cv_sum / (double)ts->nslots, qsim_p99(&q));
	report_traffic(tname, hosts, p->name, &q);
	if (q.refused > 0 || secs > 5)
		fprintf(stderr, "  (%s: %llu moves refused by the model; %.1f s)\n",
		    p->name, (unsigned long long)q.refused, secs);
	if (p->fn == qplan_policy)
		qplan_free(arg);
	qsim_free(&q);
	return 0;
}

static int
parse_hosts(const char *s, size_t *h, size_t *n)
{
	char	 buf[128], *p, *comma;
	int64_t	 v;

	util_strlcpy(buf, s, sizeof(buf));
	for (*n = 0, p = buf; p != NULL && *n < 8; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (util_parse_i64(p, 1, 10000, &v) < 0)
			return -1;
		h[(*n)++] = (size_t)v;
	}
	return *n > 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "traces", required_argument, NULL, 't' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "policies", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "traffic-pairs", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	const struct qpolicy all[] = {
		{ "none", NULL, NULL },
		{ "proxlb-every-slot", baseline_proxlb, &proxlb_every },
		{ "proxlb-hourly", baseline_proxlb, &proxlb_hourly },
		{ "ovirt", baseline_ovirt, NULL },
		{ "watcher", baseline_watcher, NULL },
		{ "ballast", qplan_policy, NULL },
	};
	struct trace_set *ts;
	const char	*traces = NULL, *only = NULL;
	char		 err[512];
	size_t		 hosts[8] = { 16, 12 }, nh = 2, i, k;
	int		 ch;
	int64_t		 npairs = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 't')
			traces = optarg;
		else if (ch == 'H' && parse_hosts(optarg, hosts, &nh) == 0)
			continue;
		else if (ch == 'p')
			only = optarg;
		else if (ch == 'P')
			policy_path = optarg;
		else if (ch == 'T' && util_parse_i64(optarg, 1, 1000000,
		    &npairs) == 0)
			continue;
		else {
			fprintf(stderr, "usage: quality --traces PATH [--hosts "
			    "16,12] [--policies none,ovirt,...] [--policy FILE] "
			    "[--traffic-pairs N]\n");
			return 2;
		}
	}
	if (traces == NULL) {
		fprintf(stderr, "quality: --traces PATH is required (a folder or "
		    "tarball of Bitbrains N.csv files)\n");
		return 2;
	}
	fprintf(stderr, "quality: loading %s ...\n", traces);
	if (trace_load(traces, 0, &ts, err, sizeof(err)) < 0) {
		fprintf(stderr, "quality: %s\n", err);
		return 1;
	}
	printf("traces %s: %zu VMs, %zu slots of %u s\n\n", trace_name(traces),
	    ts->nvms, ts->nslots, ts->slot_s);
	if (npairs > 0 && simtraffic_synth(&traffic, ts->nvms, 1,
	    (size_t)npairs, 64.0 * 1048576) < 0) {
		fprintf(stderr, "quality: out of memory\n");
		return 1;
	}
	printf("| H  | policy                 | hot h-min  | migrations | GiB moved | CV    | p99   |\n");
	printf("| -- | ---------------------- | ---------- | ---------- | --------- | ----- | ----- |\n");
	for (k = 0; k < nh; k++) {
		report(trace_name(traces), hosts[k], "fluid",
		    qsim_fluid_bound(ts, hosts[k]), 0, 0, 0, 0);
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if (only == NULL || strstr(only, all[i].name) != NULL)
				run_one(ts, trace_name(traces), hosts[k], &all[i]);
	}
	simtraffic_free(&traffic);
	trace_free(ts);
	return 0;
}
