/* SPDX-License-Identifier: ISC */
/*
 * ballast-sim: a trace-driven simulated cluster that speaks exactly the
 * collector protocol, one publisher (DEALER socket) per simulated host.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zmq.h>

#include "cluster.h"
#include "log.h"
#include "publisher.h"
#include "simstat.h"
#include "synth.h"
#include "conf_file.h"
#include "simtraffic.h"
#include "trace.h"
#include "util.h"
#include "zcurve.h"

#define SIM_VERSION	"0.1.0"
#define MAX_MUTES	64
#define CMD_MEMORY	1024	/* command ids remembered for idempotency; ids
				   hash into this many slots, so an id 1024
				   commands old may be forgotten */
#define PROGRESS_MS	10000

struct sim_mute {
	char		 host[16];
	int64_t		 after_ms;
};

struct sim_opts {
	const char	*traces;
	const char	*endpoint;
	size_t		 vms;
	uint64_t	 seed;
	double		 speed;
	double		 step_s;
	double		 duration_s;
	int		 loop;
	int		 replay;	/* lockstep with a balancer in --replay */
	const char	*balancer_key;	/* CURVE: its public key file */
	const char	*key;		/* one secret key for every host */
	const char	*keys;		/* or a folder of NAME.key, one a host */
	int		 insecure;
	uint64_t	 max_steps;	/* --steps: 0 = no limit */
	const char	*status;	/* --status FILE, or NULL */
	int64_t		 jump_after_ms;	/* --clock-jump: when (real time) */
	int64_t		 jump_ms;	/* by how much; 0 = never */
	struct sim_params p;
	struct sim_mute	 mutes[MAX_MUTES];
	size_t		 nmutes;
	const char	*traffic;	/* --traffic FILE */
	size_t		 traffic_synth;	/* --traffic-synth N pairs */
};

/* The daemon-wide state, passed explicitly. */
struct sim {
	struct sim_opts	 o;
	struct trace_set *ts;
	struct sim_cluster c;
	void		*zctx;
	struct pub	**pubs;
	int		*muted;
	struct simstat_cmd cmds[CMD_MEMORY];
	size_t		 ncmds;
	wire_vm		*vms;
	wire_vm		**vmp;
	Ballast__V1__DirtyRate *dirty;
	uint64_t	 steps, reports;
	size_t		 cur_host;	/* for the command callback */
	char		*placement;	/* placement file text */
	struct simtraffic tr;		/* the traffic matrix, maybe empty */
	struct simtraffic_buf *tb;	/* one host's traffic section */
	char		 server_key[ZCURVE_Z85_LEN + 1];
	struct zcurve_pair *hkeys;	/* CURVE keys per host, or NULL */
	uint64_t	 epoch;		/* highest balancer epoch obeyed */
	struct log_complaint handshake;
	uint64_t	 hs_failed;	/* handshake failures logged so far */
	struct log_complaint stalled;	/* replay without acknowledgements */
	struct log_complaint status_fail;	/* --status cannot be written */
	int		 jumped;	/* --clock-jump has happened */
};

static volatile sig_atomic_t	 got_stop;

static void
on_signal(int sig)
{
	(void)sig;
	got_stop = 1;
}

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

static int
parse_args(struct sim_opts *o, int argc, char *argv[])
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

/* Reads a placement file into memory (at most 1 MiB). */
static char *
read_placement(const char *path)
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

static int
load_workload(struct sim *s)
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
static int
load_traffic(struct sim *s)
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

static int
start_publishers(struct sim *s)
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

static void
send_event(struct sim *s, const struct sim_event *ev)
{
	Ballast__V1__CommandStatus	 st = BALLAST__V1__COMMAND_STATUS__INIT;

	st.id = ev->cmd_id;
	st.state = (Ballast__V1__CommandState)ev->state;
	st.progress_permille = ev->permille;
	st.error = (char *)(uintptr_t)ev->error;
	st.bytes_remaining = ev->bytes_left;
	st.elapsed_ms = ev->elapsed_ms;
	pub_send_status(s->pubs[ev->host], &st);
}

/* Remembers the latest status of a command (bounded, see CMD_MEMORY). */
static struct simstat_cmd *
cmd_slot(struct sim *s, uint64_t id, int create)
{
	size_t	 i;

	for (i = 0; i < s->ncmds; i++)
		if (s->cmds[i].id == id)
			return &s->cmds[i];
	if (!create)
		return NULL;
	i = s->ncmds < CMD_MEMORY ? s->ncmds++ : id % CMD_MEMORY;
	memset(&s->cmds[i], 0, sizeof(s->cmds[i]));
	s->cmds[i].id = id;
	return &s->cmds[i];
}

/*
 * A cancel: the migration it names gets its CANCELLED status (sent and
 * remembered now), and the cancel command itself is DONE, or REFUSED
 * when no such migration runs here.
 */
static void
cancel(struct sim *s, const Ballast__V1__Command *cmd, struct sim_event *ev)
{
	struct sim_event	 mev;
	struct simstat_cmd	*mig;

	memset(ev, 0, sizeof(*ev));
	ev->cmd_id = cmd->id;
	ev->host = s->cur_host;
	if (sim_cluster_cancel(&s->c, cmd->cancel->command_id, &mev) < 0) {
		ev->state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
		util_strlcpy(ev->error, "no such migration running here",
		    sizeof(ev->error));
		return;
	}
	if ((mig = cmd_slot(s, mev.cmd_id, 0)) != NULL)
		mig->ev = mev;
	send_event(s, &mev);
	ev->state = BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE;
	ev->permille = 1000;
}

static void
write_status(struct sim *s)
{
	struct simstat_counts	 n = { s->steps, s->reports };
	char			 err[512];

	if (s->o.status != NULL && simstat_write(s->o.status, &s->c, s->cmds,
	    s->ncmds, &n, err, sizeof(err)) < 0)
		log_complain(&s->status_fail, 30000, "%s", err);
}

static void
on_command(void *arg, const Ballast__V1__Command *cmd)
{
	struct sim	*s = arg;
	struct simstat_cmd *known = cmd_slot(s, cmd->id, 0);
	struct sim_event ev;

	if (known != NULL) {		/* idempotent: answer, never redo */
		known->received++;
		send_event(s, &known->ev);
		write_status(s);
		return;
	}
	if (cmd->epoch < s->epoch) {	/* fencing, as collector/cmds.h */
		memset(&ev, 0, sizeof(ev));
		ev.cmd_id = cmd->id;
		ev.host = s->cur_host;
		ev.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
		snprintf(ev.error, sizeof(ev.error), "from balancer epoch %llu; "
		    "epoch %llu has been obeyed since",
		    (unsigned long long)cmd->epoch, (unsigned long long)s->epoch);
		log_info("command %llu refused: %s", (unsigned long long)cmd->id,
		    ev.error);
		send_event(s, &ev);
		return;
	}
	s->epoch = cmd->epoch;
	if (cmd->op_case == BALLAST__V1__COMMAND__OP_MIGRATE)
		sim_cluster_migrate(&s->c, s->cur_host, cmd, &ev);
	else
		cancel(s, cmd, &ev);
	known = cmd_slot(s, cmd->id, 1);
	known->ev = ev;
	known->epoch = cmd->epoch;
	known->received = known->executed = 1;
	log_info("command %llu on %s: %s%s%s", (unsigned long long)cmd->id,
	    s->c.hosts[s->cur_host].name,
	    ev.state == BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED ?
	    "refused" : "accepted", ev.error[0] ? ": " : "", ev.error);
	send_event(s, &ev);
	write_status(s);
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
		if ((known = cmd_slot(s, ev[i].cmd_id, 0)) != NULL)
			known->ev = ev[i];
		send_event(s, &ev[i]);
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
	write_status(s);
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
				pub_dispatch(s->pubs[i], on_command, s);
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
	if (parse_args(&s.o, argc, argv) < 0)
		return 2;
	if (load_workload(&s) < 0)
		return 1;
	if (s.o.p.placement == SIM_PLACE_FILE &&
	    (s.placement = read_placement(s.o.p.placement_name)) == NULL)
		return 1;
	s.o.p.placement_text = s.placement;
	s.o.p.fail_seed = s.o.seed;
	if (sim_cluster_init(&s.c, s.ts, &s.o.p, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 1;
	}
	if (load_traffic(&s) < 0)
		return 1;
	for (i = 0; i < s.o.nmutes; i++)
		if (sim_cluster_host(&s.c, s.o.mutes[i].host) < 0)
			fatalx("--mute: no host named %s (hosts are hv01..)",
			    s.o.mutes[i].host);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (start_publishers(&s) < 0)
		return 1;
	log_info("%zu hosts, %zu VMs, a report every %.2f s per host to %s",
	    s.c.p.hosts, s.c.nvms, s.o.step_s / s.o.speed, s.o.endpoint);
	run(&s);
	progress(&s);
	for (i = 0; i < s.c.p.hosts; i++)
		pub_free(s.pubs[i], 1000);
	zmq_ctx_term(s.zctx);
	free(s.pubs);
	free(s.muted);
	free(s.vms);
	free(s.vmp);
	free(s.dirty);
	simtraffic_free(&s.tr);
	free(s.tb);
	sim_cluster_free(&s.c);
	trace_free(s.ts);
	free(s.placement);
	free(s.hkeys);
	return 0;
}
