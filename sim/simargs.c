/* SPDX-License-Identifier: ISC */
/*
 * simargs: ballast-sim's command line: the options, their checks and
 * the usage text.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim.h"
#include "util.h"
#include "wire.h"
#include "zcurve.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: ballast-sim [options]\n"
"  --traces PATH        Bitbrains-format traces: a folder or .tar(.gz|.xz) of N.csv\n"
"                       (default: the seeded synthetic generator)\n"
"  --vms N              VMs (synthetic: default 200; traces: at most N, default all)\n"
"  --hosts N            simulated hosts hv01, hv02, ... (hv001, ... from 100\n"
"                       hosts on) (default 16)\n"
"  --host-cpus N        CPUs per host (default 32)\n"
"  --host-mhz N         MHz per CPU (default 2600)\n"
"  --host-mem SIZE      memory per host, e.g. 256G (default 256G)\n"
"  --placement P        round-robin, first-fit, or a file of \"VM HOST\" lines\n"
"                       (default round-robin)\n"
"  --speed X            simulated seconds per real second (default 1)\n"
"  --step SECONDS       simulated seconds between reports (default 10)\n"
"  --bandwidth SIZE     migration bandwidth per second, e.g. 1G (default 1G)\n"
"  --max-downtime MS    default maximum downtime of a migration (default 300)\n"
"  --connect ENDPOINT   the balancer (default tcp://127.0.0.1:8471)\n"
"  --cluster NAME       cluster name in reports (default sim)\n"
"  --seed N             seed of the synthetic generator and of\n"
"                       --fail-migrations (default 1)\n"
"  --duration SECONDS   stop after this many real seconds (default: run on)\n"
"  --once               stop at the end of the traces instead of looping\n"
"  --replay             lockstep with ballast-balancerd --replay: the next\n"
"                       step is sent once every host's report is\n"
"                       acknowledged (--speed is then ignored)\n"
"  --traffic FILE       a traffic matrix: \"VM-A VM-B RATE\" lines, A sending\n"
"                       RATE bytes/s (e.g. 24MiB/s) to B, reported as a\n"
"                       collector's pcap source would\n"
"  --traffic-synth N    a seeded matrix of N random pairs instead (--seed)\n"
"  --mute HOST:SECONDS  HOST stops reporting after SECONDS real seconds\n"
"                       (a collector that died; may be repeated)\n"
"  --balancer-key FILE  CURVE: the balancer's public key; only it is talked to\n"
"  --key FILE           CURVE: the secret key every simulated host uses\n"
"  --keys DIR           CURVE: DIR/NAME.key for each host NAME instead\n"
"  --insecure           allow plain TCP to an address other than loopback\n"
"  --steps N            stop after N steps (default: run on)\n"
"  --status FILE        write the simulator's own view (each VM's host, each\n"
"                       command's deliveries and executions) as JSON to FILE\n"
"                       after every step and command\n"
"  --fail-migrations PCT  fail PCT %% of the accepted migrations at their end,\n"
"                       (default 0)\n"
"  --clock-jump SECONDS:DELTA  after SECONDS real seconds every host's clock\n"
"                       (sample_time_ms) moves by DELTA seconds, e.g. 30:-3600\n"
"  -v, --verbose        debug logging\n"
"  -h, --help           this text\n"
"      --version        print the version\n");
}

static int
parse_mute(struct sim_opts *o, const char *s)
{
	const char	*colon = strchr(s, ':');
	double		 sec;
	size_t		 n;

	if (colon == NULL || o->nmutes == MAX_MUTES ||
	    util_parse_double(colon + 1, 0, 1e9, &sec) < 0)
		return -1;
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(o->mutes[0].host))
		return -1;
	memcpy(o->mutes[o->nmutes].host, s, n);
	o->mutes[o->nmutes].host[n] = '\0';
	o->mutes[o->nmutes++].after_ms = (int64_t)(sec * 1000);
	return 0;
}

/* --clock-jump SECONDS:DELTA */
static int
parse_jump(struct sim_opts *o, const char *s)
{
	const char	*colon = strchr(s, ':');
	char		 when[32];
	double		 after, delta;

	if (colon == NULL || (size_t)(colon - s) >= sizeof(when))
		return -1;
	memcpy(when, s, (size_t)(colon - s));
	when[colon - s] = '\0';
	if (util_parse_double(when, 0, 1e9, &after) < 0 ||
	    util_parse_double(colon + 1, -1e9, 1e9, &delta) < 0 || delta == 0)
		return -1;
	o->jump_after_ms = (int64_t)(after * 1000);
	o->jump_ms = (int64_t)(delta * 1000);
	return 0;
}

static int
parse_num(const char *opt, const char *s, double min, double max, double *out)
{
	if (util_parse_double(s, min, max, out) == 0)
		return 0;
	fprintf(stderr, "ballast-sim: %s wants a number from %g to %g, not "
	    "\"%s\"\n", opt, min, max, s);
	return -1;
}

static int
parse_size(const char *opt, const char *s, uint64_t *out)
{
	if (util_parse_bytes(s, out) == 0 && *out > 0)
		return 0;
	fprintf(stderr, "ballast-sim: %s wants a size such as 256G, not \"%s\"\n",
	    opt, s);
	return -1;
}

static int
parse_count(const char *opt, const char *s, int64_t min, int64_t max,
    int64_t *out)
{
	if (util_parse_i64(s, min, max, out) == 0)
		return 0;
	fprintf(stderr, "ballast-sim: %s wants a whole number from %lld to "
	    "%lld, not \"%s\"\n", opt, (long long)min, (long long)max, s);
	return -1;
}

static int
parse_opt(struct sim_opts *o, int ch, const char *arg)
{
	int64_t	 n;

	switch (ch) {
	case 't': o->traces = arg; return 0;
	case 'V': if (parse_count("--vms", arg, 1, 1000000, &n)) return -1;
		o->vms = (size_t)n; return 0;
	case 'H': if (parse_count("--hosts", arg, 1, 10000, &n)) return -1;
		o->p.hosts = (size_t)n; return 0;
	case 'c': if (parse_count("--host-cpus", arg, 1, 4096, &n)) return -1;
		o->p.host_cpus = (unsigned)n; return 0;
	case 'z': if (parse_count("--host-mhz", arg, 100, 10000, &n)) return -1;
		o->p.host_mhz = (unsigned)n; return 0;
	case 'm': return parse_size("--host-mem", arg, &o->p.host_mem);
	case 'b': return parse_size("--bandwidth", arg, &o->p.bandwidth);
	case 'D': if (parse_count("--max-downtime", arg, 1, 60000, &n)) return -1;
		o->p.max_downtime_ms = (unsigned)n; return 0;
	case 's': return parse_num("--speed", arg, 0.001, 1e7, &o->speed);
	case 'S': return parse_num("--step", arg, 0.05, 86400, &o->step_s);
	case 'd': return parse_num("--duration", arg, 0, 1e9, &o->duration_s);
	case 'e': o->endpoint = arg; return 0;
	case 'C': o->p.cluster = arg; return 0;
	case 'r': if (parse_count("--seed", arg, 0, INT64_MAX, &n)) return -1;
		o->seed = (uint64_t)n; return 0;
	case 'o': o->loop = 0; return 0;
	case 'B': o->balancer_key = arg; return 0;
	case 'K': o->key = arg; return 0;
	case 'Y': o->keys = arg; return 0;
	case 'I': o->insecure = 1; return 0;
	case 'y': o->replay = 1; return 0;
	case 'T': o->traffic = arg; return 0;
	case 'X': if (parse_count("--traffic-synth", arg, 1, 1000000, &n))
			return -1;
		o->traffic_synth = (size_t)n; return 0;
	case 'n': if (parse_count("--steps", arg, 1, INT64_MAX, &n)) return -1;
		o->max_steps = (uint64_t)n; return 0;
	case 'U': o->status = arg; return 0;
	case 'F': if (parse_count("--fail-migrations", arg, 0, 100, &n))
			return -1;
		o->p.fail_pct = (unsigned)n; return 0;
	case 'J':
		if (parse_jump(o, arg) == 0)
			return 0;
		fprintf(stderr, "ballast-sim: --clock-jump wants SECONDS:DELTA, "
		    "DELTA not 0\n");
		return -1;
	case 'M':
		if (parse_mute(o, arg) == 0)
			return 0;
		fprintf(stderr, "ballast-sim: --mute wants HOST:SECONDS\n");
		return -1;
	case 'P':
		if (strcmp(arg, "round-robin") == 0)
			o->p.placement = SIM_PLACE_ROUND_ROBIN;
		else if (strcmp(arg, "first-fit") == 0)
			o->p.placement = SIM_PLACE_FIRST_FIT;
		else {
			o->p.placement = SIM_PLACE_FILE;
			o->p.placement_name = arg;
		}
		return 0;
	}
	return -1;
}

/* The long options; the short ones are only -v and -h. */
static const struct option sim_longopts[] = {
	{ "traces", required_argument, NULL, 't' },
	{ "vms", required_argument, NULL, 'V' },
	{ "hosts", required_argument, NULL, 'H' },
	{ "host-cpus", required_argument, NULL, 'c' },
	{ "host-mhz", required_argument, NULL, 'z' },
	{ "host-mem", required_argument, NULL, 'm' },
	{ "placement", required_argument, NULL, 'P' },
	{ "speed", required_argument, NULL, 's' },
	{ "step", required_argument, NULL, 'S' },
	{ "bandwidth", required_argument, NULL, 'b' },
	{ "max-downtime", required_argument, NULL, 'D' },
	{ "connect", required_argument, NULL, 'e' },
	{ "cluster", required_argument, NULL, 'C' },
	{ "seed", required_argument, NULL, 'r' },
	{ "duration", required_argument, NULL, 'd' },
	{ "once", no_argument, NULL, 'o' },
	{ "replay", no_argument, NULL, 'y' },
	{ "mute", required_argument, NULL, 'M' },
	{ "traffic", required_argument, NULL, 'T' },
	{ "traffic-synth", required_argument, NULL, 'X' },
	{ "balancer-key", required_argument, NULL, 'B' },
	{ "key", required_argument, NULL, 'K' },
	{ "keys", required_argument, NULL, 'Y' },
	{ "insecure", no_argument, NULL, 'I' },
	{ "steps", required_argument, NULL, 'n' },
	{ "status", required_argument, NULL, 'U' },
	{ "fail-migrations", required_argument, NULL, 'F' },
	{ "clock-jump", required_argument, NULL, 'J' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'W' },
	{ NULL, 0, NULL, 0 }
};

int
sim_parse_args(struct sim_opts *o, int argc, char *argv[])
{
	char	 err[600];
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->endpoint = "tcp://127.0.0.1:8471";
	o->speed = 1;
	o->step_s = 10;
	o->seed = 1;
	o->loop = 1;
	o->p.hosts = 16;
	while ((ch = getopt_long(argc, argv, "vh", sim_longopts, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			exit(0);
		}
		if (ch == 'W') {
			printf("ballast-sim %s\n", SIM_VERSION);
			exit(0);
		}
		if (ch == 'v') {
			log_init("ballast-sim", LOG_LVL_DEBUG);
			continue;
		}
		if (ch == '?' || parse_opt(o, ch, optarg) < 0) {
			if (ch == '?')
				usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if ((o->balancer_key != NULL) != (o->key != NULL || o->keys != NULL)) {
		fprintf(stderr, "ballast-sim: CURVE wants --balancer-key and "
		    "--key or --keys\n");
		return -1;
	}
	if (zcurve_check_plain(o->endpoint, o->balancer_key != NULL,
	    o->insecure, "--connect", err, sizeof(err)) < 0) {
		fprintf(stderr, "ballast-sim: %s\n", err);
		return -1;
	}
	if (o->replay && o->step_s * 1000 > WIRE_MAX_INTERVAL_MS) {
		fprintf(stderr, "ballast-sim: --replay wants a --step of at most "
		    "an hour\n");
		return -1;
	}
	if (!o->replay && (o->step_s / o->speed * 1000 < WIRE_MIN_INTERVAL_MS ||
	    o->step_s / o->speed * 1000 > WIRE_MAX_INTERVAL_MS)) {
		fprintf(stderr, "ballast-sim: --step / --speed gives a report "
		    "every %.3f s; keep it between 0.05 s and 1 h\n",
		    o->step_s / o->speed);
		return -1;
	}
	return 0;
}
