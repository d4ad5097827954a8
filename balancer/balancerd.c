/* SPDX-License-Identifier: ISC */
/*
 * ballast-balancerd: start-up, signals and the event loop.  The work
 * lives in ingest (reports in), model (the cluster), web/api, and the
 * RRD history (exporters/rrd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "api.h"
#include "balance.h"
#include "bsnmp.h"
#include "dstate.h"
#include "clusterstat.h"
#include "conf.h"
#include "http.h"
#include "ingest.h"
#include "log.h"
#include "model.h"
#include "privdrop.h"
#include "rrd.h"
#include "rrdbatch.h"
#include "traffic.h"
#include "sdnotify.h"
#include "util.h"
#include "zap.h"
#include "zcurve.h"

#define DEFAULT_CONF	"/etc/ballast/ballast-balancerd.conf"
#define TICK_MS		250

/* The daemon-wide state, passed explicitly. */
struct balancerd {
	struct conf	 conf;
	const char	*conf_path;
	void		*zctx;
	struct model	*model;
	struct ingest	*ingest;
	struct traffic	*traffic;	/* the VM-to-VM traffic matrix */
	struct http	*http;
	struct api_ctx	 api;
	struct rrdx	*rrd;		/* the RRD history */
	struct balance	*bal;		/* policy, planner, executor */
	struct bsnmp	*snmp;		/* traps and BALLAST-MIB, or NULL */
	struct prom_plan_stats plan_stats;
	uint64_t	 epoch;
	char		 token[128];	/* operator token for POSTs */
	int		 replay;	/* --replay: report times are the clock */
	int64_t		 vnow;		/* replay: the step being planned */
	int64_t		 vseen_ms;	/* replay: when a newer step was first seen */
	int		 token_new;	/* generated at this start */
	struct log_complaint rrd_complaint;
	int		 lock_fd;
	int		 debug;		/* -d: overrides log-level */
	int64_t		 wd_ms;		/* systemd watchdog period; 0: none */
	struct zcurve_pair keys;	/* CURVE server keys, when configured */
};

static volatile sig_atomic_t	 got_stop, got_hup;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: ballast-balancerd [-dnv] [-f file] [--state-dir dir]\n"
"                         [--reports endpoint] [--api addr:port]\n"
"                         [--rrdcached addr] [-p file] [--replay]\n"
"  -f, --config file       configuration (default " DEFAULT_CONF "\n"
"                          when it exists, else built-in defaults)\n"
"  -n, --check             check the configuration, print \"configuration OK\"\n"
"                          and exit; with -v print it back\n"
"  -v, --verbose           with -n: print the parsed configuration and policy\n"
"  -p, --policy file       the balancing policy (ballast.policy(5); default:\n"
"                          the configuration's, else the built-in defaults)\n"
"      --replay            replay mode: the reports' sample times are the\n"
"                          clock; a step is planned once every host has\n"
"                          reported it, and acknowledged at once, so a\n"
"                          simulator in --replay runs as fast as planning\n"
"  -d, --debug             log debug messages\n"
"      --state-dir dir     where state is kept (default " CONF_DEFAULT_STATE_DIR ")\n"
"      --reports endpoint  ZeroMQ endpoint for collectors (default\n"
"                          " CONF_DEFAULT_REPORTS ")\n"
"      --api addr:port     JSON API address (default 127.0.0.1:8470)\n"
"      --rrdcached addr    write the RRD history through rrdcached at addr\n"
"                          (unix:/path or host:port; default none: the\n"
"                          files are written directly)\n"
"  -h, --help              this text\n"
"      --version           print the version\n");
}

/* Splits "addr:port" or "[v6]:port" into the configuration. */
static int
parse_api(const char *s, struct conf *c)
{
	const char	*colon = strrchr(s, ':');
	int64_t		 port;
	size_t		 alen;

	if (colon == NULL || util_parse_i64(colon + 1, 1, 65535, &port) < 0)
		return -EINVAL;
	alen = (size_t)(colon - s);
	if (alen >= 2 && s[0] == '[' && s[alen - 1] == ']') {
		s++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(c->api_addr))
		return -EINVAL;
	memcpy(c->api_addr, s, alen);
	c->api_addr[alen] = '\0';
	c->api_port = (int)port;
	return 0;
}

static int
lock_state_dir(struct balancerd *env)
{
	char	 path[1100];

	if (mkdir(env->conf.state_dir, 0750) == -1 && errno != EEXIST) {
		log_warnx("cannot create state directory %s: %s (create it, "
		    "writable by the user the balancer starts as, or set "
		    "state-dir or --state-dir)", env->conf.state_dir,
		    strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/balancerd.lock", env->conf.state_dir);
	env->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (env->lock_fd == -1) {
		log_warnx("cannot write in state directory %s: %s (it must "
		    "be writable by the user the balancer starts as)",
		    env->conf.state_dir, strerror(errno));
		return -1;
	}
	if (flock(env->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		log_warnx("another ballast-balancerd uses %s; stop it or pick "
		    "another --state-dir", env->conf.state_dir);
		return -1;
	}
	return 0;
}

/* The RRD history under STATE/rrd, through rrdcached when configured. */
static int
start_history(struct balancerd *env)
{
	struct rrdx_config	 cfg;
	char			 dir[1100], err[512];

	snprintf(dir, sizeof(dir), "%s/rrd", env->conf.state_dir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = dir;
	cfg.daemon = env->conf.rrdcached[0] != '\0' ? env->conf.rrdcached : NULL;
	if ((env->rrd = rrdx_new(&cfg, err, sizeof(err))) == NULL) {
		log_warnx("history: %s", err);
		return -1;
	}
	if (cfg.daemon == NULL)
		log_info("history: no rrdcached configured; writing the RRD "
		    "files in %s directly", rrdx_dir(env->rrd));
	else
		log_info("history: RRD files in %s, written through rrdcached "
		    "at %s", rrdx_dir(env->rrd), cfg.daemon);
	return 0;
}

/* Writes what is new to the history; failures are logged, never fatal. */
static void
history_tick(struct balancerd *env, int64_t now)
{
	struct clusterstat		 cs;
	struct rrdx_cluster_sample	 s;
	char				 err[512];

	clusterstat_compute(env->model, &cs);
	memset(&s, 0, sizeof(s));
	s.imbalance = cs.imbalance;
	s.hosts = cs.hosts;
	s.hot_hosts = cs.hot_hosts;
	s.stale_hosts = cs.stale_hosts;
	s.vms = cs.vms;
	s.migrations_total = env->bal ? executor_total(balance_executor(env->bal),
	    MIG_DONE) : 0;
	if (rrdx_tick(env->rrd, env->model, &s, now, err, sizeof(err)) < 0)
		log_complain(&env->rrd_complaint, 10000, "history: %s", err);
	else
		log_release(&env->rrd_complaint, "history: writing again");
}

static int
send_command(void *arg, const uint8_t host[16], Ballast__V1__Command *cmd)
{
	struct balancerd	*env = arg;

	return ingest_send_command(env->ingest, host, cmd);
}

static void
on_status(void *arg, const Ballast__V1__CommandStatus *s)
{
	struct balancerd	*env = arg;

	balance_on_status(env->bal, s, util_now_mono_ms());
}

/* The epoch, the operator token, the policy and the executor. */
static int
start_balance(struct balancerd *env)
{
	struct balance_config	 bc;
	char			 err[512];
	int			 generated;

	if (dstate_epoch(env->conf.state_dir, &env->epoch, err, sizeof(err)) < 0 ||
	    dstate_token(env->conf.state_dir, env->conf.api_token, env->token,
	    sizeof(env->token), &generated, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return -1;
	}
	memset(&bc, 0, sizeof(bc));
	bc.policy_path = env->conf.policy[0] ? env->conf.policy : NULL;
	bc.state_dir = env->conf.state_dir;
	bc.epoch = env->epoch;
	bc.send = send_command;
	bc.send_arg = env;
	if ((env->bal = balance_new(&bc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	ingest_on_status(env->ingest, on_status, env);
	ingest_set_replay(env->ingest, env->replay);
	ingest_set_traffic(env->ingest, env->traffic);
	balance_set_traffic(env->bal, env->traffic);
	log_info("epoch %llu; policy %s, mode %s; operator token in %s/api.token%s",
	    (unsigned long long)env->epoch, bc.policy_path ? bc.policy_path :
	    "(built-in defaults)", policy_mode_name(balance_mode(env->bal)),
	    env->conf.state_dir, generated ? " (new)" : "");
	env->token_new = generated;
	return 0;
}

/* Reads a PEM file (at most 1 MiB) into a malloc'd string; NULL: err. */
static char *
read_pem(const char *path, char *err, size_t errlen)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "tls: cannot read %s: %s (the tls "
		    "statement names the certificate and key; see "
		    "ballast-balancerd.conf(5))", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(1024 * 1024 + 1)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, 1024 * 1024 + 1, f);
	fclose(f);
	if (n == 0 || n > 1024 * 1024) {
		free(buf);
		snprintf(err, errlen, "tls: %s: empty or larger than 1 MiB", path);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The API and dashboard, over TLS when the configuration says so. */
static int
start_api(struct balancerd *env)
{
	char	 err[512], *cert = NULL, *key = NULL;
	int	 tls = env->conf.tls_cert[0] != '\0';

	err[0] = '\0';
	if (tls && ((cert = read_pem(env->conf.tls_cert, err, sizeof(err))) == NULL ||
	    (key = read_pem(env->conf.tls_key, err, sizeof(err))) == NULL)) {
		free(cert);
		log_warnx("%s", err);
		return -1;
	}
	env->http = http_new_tls(env->conf.api_addr, env->conf.api_port, cert,
	    key, &env->conf.api_limits, api_handle, &env->api, err, sizeof(err));
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	if (env->http == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	env->api.http = http_stats(env->http);
	log_info("listening for reports on %s; API on %s://%s%s%s:%d/api/v1/",
	    env->conf.reports, tls ? "https" : "http",
	    strchr(env->conf.api_addr, ':') ? "[" : "", env->conf.api_addr,
	    strchr(env->conf.api_addr, ':') ? "]" : "", env->conf.api_port);
	log_info("dashboard: %s://%s%s%s:%d/ (operator token: %s)",
	    tls ? "https" : "http", strchr(env->conf.api_addr, ':') ? "[" : "",
	    env->conf.api_addr, strchr(env->conf.api_addr, ':') ? "]" : "",
	    env->conf.api_port, env->token_new ? env->token :
	    env->conf.api_token[0] ? "api-token in the configuration" :
	    "in STATE/api.token");
	return 0;
}

/* Counters for /metrics, refreshed every tick. */
static void
plan_stats(struct balancerd *env)
{
	const struct executor	*ex = balance_executor(env->bal);

	env->plan_stats.plan_passes = balance_passes(env->bal);
	env->plan_stats.migrations_done = executor_total(ex, MIG_DONE);
	env->plan_stats.migrations_failed = executor_total(ex, MIG_FAILED);
	env->plan_stats.migrations_cancelled = executor_total(ex, MIG_ABORTED);
}

/*
 * CURVE: the server's key pair and the authorised collectors, both or
 * neither (*kp and *t untouched on error).  0 or -1 with err set.
 */
static int
load_curve(const struct conf *c, struct zcurve_pair *kp, struct authcoll *t,
    char *err, size_t errlen)
{
	struct zcurve_pair	 k;
	struct authcoll		 nt;

	if (zcurve_read_secret(c->curve_key, &k, err, errlen) < 0 ||
	    authcoll_load(c->curve_auth, &nt, err, errlen) < 0)
		return -1;
	*kp = k;
	*t = nt;
	explicit_bzero(&k, sizeof(k));
	return 0;
}

/* The report channel: CURVE and its ZAP handler, or plain. */
static int
start_ingest(struct balancerd *env)
{
	struct ingest_opts	 o;
	struct authcoll		 t;
	char			 err[2200];
	int			 curve = env->conf.curve_key[0] != '\0';

	memset(&o, 0, sizeof(o));
	o.endpoint = env->conf.reports;
	o.max_hosts = env->conf.max_hosts;
	if (curve && load_curve(&env->conf, &env->keys, &t, err,
	    sizeof(err)) < 0) {
		log_warnx("%s", err);
		return -1;
	}
	o.curve = curve ? &env->keys : NULL;
	env->ingest = ingest_new_opts(env->zctx, &o, env->model,
	    env->conf.state_dir, err, sizeof(err));
	if (env->ingest == NULL) {
		if (curve)
			authcoll_clear(&t);
		log_warnx("%s", err);
		return -1;
	}
	if (curve) {
		log_info("reports on CURVE: balancer key %s, %zu authorised "
		    "collectors in %s", env->keys.pub, t.n, env->conf.curve_auth);
		zap_set_table(ingest_zap(env->ingest), &t);
	} else if (zcurve_exposed(env->conf.reports))
		log_warnx("insecure: reports and commands on %s in plain TCP; "
		    "anyone who can reach it can feed reports and read "
		    "commands (configure curve; see SECURITY.md)",
		    env->conf.reports);
	return 0;
}

static int
start(struct balancerd *env)
{
	struct model_limits	 lim;

	if (lock_state_dir(env) < 0)
		return -1;
	memset(&lim, 0, sizeof(lim));
	lim.stale_intervals = env->conf.stale_intervals;
	lim.forget_vm_s = env->conf.forget_vm_s;
	if ((env->zctx = zmq_ctx_new()) == NULL ||
	    (env->model = model_new(&lim)) == NULL ||
	    (env->traffic = traffic_new(NULL)) == NULL)
		fatalx("out of memory");
	if (start_ingest(env) < 0)
		return -1;
	if (start_history(env) < 0 || start_balance(env) < 0 ||
	    bsnmp_start(&env->conf.snmp, env->conf.state_dir, env->model,
	    env->bal, &env->snmp) < 0)
		return -1;
	env->api.model = env->model;
	env->api.traffic = env->traffic;
	env->api.bal = env->bal;
	env->api.token = env->token;
	env->api.plan = &env->plan_stats;
	env->api.ingest = ingest_stats(env->ingest);
	env->api.start_ms = util_now_mono_ms();
	env->api.rrd = env->rrd;
	return start_api(env);
}

/*
 * Started as root: everything is bound and open, so the state directory
 * goes to the configured user and the balancer becomes that user.  The
 * default user missing (a machine where the package is not installed)
 * is a warning; a user named in the configuration missing is an error.
 */
static int
drop_privileges(struct balancerd *env)
{
	struct privdrop	 p = { env->conf.user, env->conf.group, NULL, 0 };
	uid_t		 uid;
	gid_t		 gid, extra;
	char		 err[512];
	int		 rc;

	if (geteuid() != 0)
		return 0;
	rc = privdrop_lookup(&p, &uid, &gid, &extra, err, sizeof(err));
	if (rc == -ENOENT && !env->conf.user_set && env->conf.group[0] == '\0') {
		log_warnx("running as root: %s (create it with \"adduser "
		    "--system --group %s\", or name another with \"user\")",
		    err, env->conf.user);
		return 0;
	}
	if (rc < 0 || privdrop_chown_tree(env->conf.state_dir, uid, gid, err,
	    sizeof(err)) < 0 || privdrop(&p, err, sizeof(err)) < 0) {
		log_warnx("%s%s", err, rc == -ENOENT ? " (create it, or name "
		    "another with \"user\" or \"group\" in the configuration)" :
		    "");
		return -1;
	}
	log_info("running as user %s (uid %u, gid %u)", env->conf.user,
	    (unsigned)uid, (unsigned)gid);
	return 0;
}

/* SIGHUP: the CURVE keys and the authorised collectors, all or nothing. */
static void
reload_curve(struct balancerd *env)
{
	struct zcurve_pair	 kp;
	struct authcoll		 t;
	char			 err[2200];

	if (env->conf.curve_key[0] == '\0')
		return;
	if (load_curve(&env->conf, &kp, &t, err, sizeof(err)) < 0) {
		log_warnx("CURVE reload failed, keeping the running keys and "
		    "authorised collectors: %s", err);
		return;
	}
	if (strcmp(kp.secret, env->keys.secret) != 0 &&
	    ingest_rekey(env->ingest, &kp, err, sizeof(err)) < 0) {
		authcoll_clear(&t);
		log_warnx("CURVE reload failed, keeping the running keys and "
		    "authorised collectors: %s", err);
		return;
	}
	log_info("CURVE reloaded: balancer key %s%s, %zu authorised "
	    "collectors", kp.pub, strcmp(kp.pub, env->keys.pub) ? " (new)" : "",
	    t.n);
	env->keys = kp;
	explicit_bzero(&kp, sizeof(kp));
	zap_set_table(ingest_zap(env->ingest), &t);
}

static void
reload(struct balancerd *env)
{
	struct conf	 c;
	char		 err[512];

	reload_curve(env);
	if (balance_reload(env->bal, err, sizeof(err)) < 0)
		log_warnx("policy reload failed, keeping the running policy: %s",
		    err);
	else
		log_info("policy reloaded: mode %s",
		    policy_mode_name(balance_mode(env->bal)));
	if (env->conf_path == NULL)
		return;
	if (conf_load(env->conf_path, &c, err, sizeof(err)) < 0) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		return;
	}
	env->conf.log_level = c.log_level;
	log_init("ballast-balancerd", env->debug ? LOG_LVL_DEBUG : c.log_level);
	log_info("reloaded %s: log-level applied; the other statements take "
	    "effect at the next start", env->conf_path);
}

/* Everything that runs on the clock: model, planner, executor, history. */
static void
tick(struct balancerd *env, int64_t now)
{
	model_tick(env->model, now);
	balance_maybe_pass(env->bal, env->model, now);
	balance_tick(env->bal, env->model, now);
	plan_stats(env);
	history_tick(env, now);
	bsnmp_tick(env->snmp, env->model, env->bal, now);
}

/*
 * Replay: the newest sample time is the clock.  A step runs once every
 * host in service has reported it (or a second after the first did, so
 * that a silent host cannot stop the replay); then everything received
 * is acknowledged at once, which lets a simulator in --replay go on.
 */
static void
replay_step(struct balancerd *env, int64_t wall)
{
	const struct model_host	*h;
	int64_t			 lo = INT64_MAX, hi = 0, t;
	size_t			 i;

	for (i = 0; (h = model_host_at(env->model, i)) != NULL; i++) {
		if (h->stale)
			continue;
		t = (int64_t)h->sample_time_ms;
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	if (hi > env->vnow) {
		if (env->vseen_ms == 0)
			env->vseen_ms = wall;
		if (lo == hi || wall - env->vseen_ms > 1000) {
			env->vnow = hi;
			env->vseen_ms = 0;
			tick(env, env->vnow);
		}
	}
	ingest_checkpoint(env->ingest);
}

static void
loop(struct balancerd *env)
{
	zmq_pollitem_t	 items[3 + BSNMP_MAX_FDS];
	struct zap	*zap = ingest_zap(env->ingest);
	int		 sfd[BSNMP_MAX_FDS];
	int64_t		 now, next_tick, next_ckpt, next_wd, wait, t;
	size_t		 n, i;

	next_tick = next_ckpt = next_wd = util_now_mono_ms();
	while (!got_stop) {
		now = util_now_mono_ms();
		if (env->wd_ms > 0 && now >= next_wd) {
			sdnotify("WATCHDOG=1");
			next_wd = now + env->wd_ms;
		}
		wait = (next_tick < next_ckpt ? next_tick : next_ckpt) - now;
		if (env->wd_ms > 0 && next_wd - now < wait)
			wait = next_wd - now;
		t = http_timeout_ms(env->http);
		if (t >= 0 && t < wait)
			wait = t;
		items[0] = (zmq_pollitem_t){ ingest_socket(env->ingest), 0, ZMQ_POLLIN, 0 };
		items[1] = (zmq_pollitem_t){ NULL, http_fd(env->http), ZMQ_POLLIN, 0 };
		items[2] = (zmq_pollitem_t){ zap ? zap_socket(zap) : NULL, -1,
		    zap ? ZMQ_POLLIN : 0, 0 };
		n = bsnmp_fds(env->snmp, sfd, BSNMP_MAX_FDS, &wait);
		for (i = 0; i < n; i++)
			items[3 + i] = (zmq_pollitem_t){ NULL, sfd[i], ZMQ_POLLIN, 0 };
		if (zmq_poll(items, (int)(3 + n), wait < 0 ? 0 : (long)wait) == -1 &&
		    zmq_errno() != EINTR)
			fatalx("zmq_poll: %s", zmq_strerror(zmq_errno()));
		now = util_now_mono_ms();
		if (items[2].revents & ZMQ_POLLIN)
			zap_drain(zap);
		if (items[0].revents & ZMQ_POLLIN)
			ingest_drain(env->ingest, env->replay ? env->vnow : now, 1000);
		http_run(env->http);
		bsnmp_run(env->snmp);
		if (env->replay)
			replay_step(env, now);
		else if (now >= next_tick) {
			tick(env, now);
			next_tick = now + TICK_MS;
		}
		if (now >= next_ckpt) {
			ingest_checkpoint(env->ingest);
			next_ckpt = now + env->conf.checkpoint_ms;
		}
		if (got_hup) {
			got_hup = 0;
			reload(env);
		}
	}
}

/* The last samples, then everything queued for rrdcached and FLUSHALL. */
static void
stop_history(struct balancerd *env)
{
	char	 err[512];

	if (env->rrd == NULL)
		return;
	history_tick(env, util_now_mono_ms());
	if (rrdx_flush(env->rrd, 5000, err, sizeof(err)) < 0)
		log_warnx("history: %s", err);
	rrdx_free(env->rrd);
	env->rrd = NULL;
}

static void
stop(struct balancerd *env)
{
	if (env->ingest != NULL)
		ingest_checkpoint(env->ingest);
	stop_history(env);
	http_free(env->http);
	bsnmp_stop(env->snmp);
	balance_free(env->bal);
	ingest_free(env->ingest);
	traffic_free(env->traffic);
	model_free(env->model);
	if (env->zctx != NULL)
		zmq_ctx_term(env->zctx);
	if (env->lock_fd > 0)
		close(env->lock_fd);
}

/* -n: the configuration and the policy it names; -v prints both. */
static int
check_config(const struct conf *c, int verbose)
{
	struct policy		*pol;
	struct zcurve_pair	 kp;
	struct authcoll		 t;
	char			 err[2200], buf[8192];
	int		 rc = 0;

	if ((pol = calloc(1, sizeof(*pol))) == NULL)
		return 1;
	if (c->policy[0] == '\0')
		policy_defaults(pol);
	else if (policy_load(c->policy, pol, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
	}
	if (rc == 0 && c->curve_key[0] != '\0' &&
	    load_curve(c, &kp, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
	} else if (rc == 0 && c->curve_key[0] != '\0') {
		authcoll_clear(&t);
		explicit_bzero(&kp, sizeof(kp));
	}
	if (rc == 0 && verbose) {
		conf_print(c, buf, sizeof(buf));
		fputs(buf, stdout);
		printf("# policy %s\n", c->policy[0] ? c->policy : "(built-in defaults)");
		policy_print(pol, stdout);
	}
	if (rc == 0)
		printf("configuration OK\n");
	free(pol);
	return rc;
}

/* What the command line says, before the configuration file is read. */
struct cli {
	const char	*state, *reports, *api, *rrdcached, *policy;
	int		 check, verbose, debug;
};

/* Returns -1 to go on, else the exit status (help, version, usage). */
static int
parse_cli(struct balancerd *env, struct cli *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug", no_argument, NULL, 'd' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "reports", required_argument, NULL, 'r' },
		{ "api", required_argument, NULL, 'a' },
		{ "rrdcached", required_argument, NULL, 'R' },
		{ "policy", required_argument, NULL, 'p' },
		{ "replay", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "f:nvdhp:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': env->conf_path = optarg; break;
		case 'n': c->check = 1; break;
		case 'v': c->verbose = 1; break;
		case 'd': c->debug = 1; break;
		case 's': c->state = optarg; break;
		case 'r': c->reports = optarg; break;
		case 'a': c->api = optarg; break;
		case 'R': c->rrdcached = optarg; break;
		case 'p': c->policy = optarg; break;
		case 'Y': env->replay = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ballast-balancerd %s\n", BALLAST_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/*
 * Reads the configuration file and lays the command line over it.
 * Returns -1 to go on, else the exit status.
 */
static int
configure(struct balancerd *env, const struct cli *c)
{
	char	 err[512];
	int	 rc;

	if (env->conf_path == NULL && access(DEFAULT_CONF, F_OK) == 0)
		env->conf_path = DEFAULT_CONF;
	conf_defaults(&env->conf);
	if (env->conf_path != NULL && (rc = conf_load(env->conf_path,
	    &env->conf, err, sizeof(err))) < 0) {
		fprintf(stderr, "%s%s\n", err, rc == -ENOENT ? " (name the "
		    "configuration with -f, or leave -f out for the built-in "
		    "defaults; see ballast-balancerd.conf(5))" : "");
		return 1;
	}
	if (c->state != NULL)
		util_strlcpy(env->conf.state_dir, c->state, sizeof(env->conf.state_dir));
	if (c->reports != NULL)
		util_strlcpy(env->conf.reports, c->reports, sizeof(env->conf.reports));
	if (c->api != NULL && parse_api(c->api, &env->conf) < 0) {
		fprintf(stderr, "ballast-balancerd: --api wants addr:port, "
		    "e.g. 127.0.0.1:8470\n");
		return 2;
	}
	if (c->rrdcached != NULL && strcmp(c->rrdcached, "none") != 0 &&
	    rrdbatch_check_addr(c->rrdcached) < 0) {
		fprintf(stderr, "ballast-balancerd: --rrdcached wants unix:/PATH, "
		    "/PATH, HOST:PORT, [IPV6]:PORT or HOST\n");
		return 2;
	}
	if (c->rrdcached != NULL)
		util_strlcpy(env->conf.rrdcached, strcmp(c->rrdcached, "none") == 0 ?
		    "" : c->rrdcached, sizeof(env->conf.rrdcached));
	if (c->policy != NULL)
		util_strlcpy(env->conf.policy, c->policy, sizeof(env->conf.policy));
	if (conf_check(&env->conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "ballast-balancerd: %s\n", err);
		return 1;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	struct balancerd	 env;
	struct cli		 cli;
	struct sigaction	 sa;
	int			 rc;

	memset(&env, 0, sizeof(env));
	memset(&cli, 0, sizeof(cli));
	if ((rc = parse_cli(&env, &cli, argc, argv)) >= 0)
		return rc;
	log_init("ballast-balancerd", LOG_LVL_INFO);
	if ((rc = configure(&env, &cli)) >= 0)
		return rc;
	if (cli.check)
		return check_config(&env.conf, cli.verbose);
	env.debug = cli.debug;
	log_init("ballast-balancerd", cli.debug ? LOG_LVL_DEBUG : env.conf.log_level);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = start(&env);
	if (rc == 0)
		rc = drop_privileges(&env);
	if (rc == 0) {
		env.wd_ms = sdnotify_watchdog_ms();
		sdnotify("READY=1");
		loop(&env);
		sdnotify("STOPPING=1");
	}
	stop(&env);
	if (rc == 0)
		log_info("stopped");
	return rc == 0 ? 0 : 1;
}
