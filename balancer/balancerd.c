/* SPDX-License-Identifier: ISC */
/*
 * ballast-balancerd: signals and the event loop.  Start-up and shutdown
 * are in bdstart.c, the command line and the configuration in bdargs.c
 * (bd.h).  The work lives in ingest (reports in), model (the cluster),
 * web/api, and the RRD history (exporters/rrd.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include <zmq.h>

#include "bd.h"
#include "log.h"
#include "sdnotify.h"
#include "util.h"
#include "zap.h"

#define TICK_MS		250

static volatile sig_atomic_t	 got_stop, got_hup;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
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

/* SIGHUP: the CURVE keys and the authorised collectors, all or nothing. */
static void
reload_curve(struct balancerd *env)
{
	struct zcurve_pair	 kp;
	struct authcoll		 t;
	char			 err[2200];

	if (env->conf.curve_key[0] == '\0')
		return;
	if (bd_load_curve(&env->conf, &kp, &t, err, sizeof(err)) < 0) {
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
	bd_history_tick(env, now);
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

int
main(int argc, char *argv[])
{
	struct balancerd	 env;
	struct cli		 cli;
	struct sigaction	 sa;
	int			 rc;

	memset(&env, 0, sizeof(env));
	memset(&cli, 0, sizeof(cli));
	if ((rc = bd_parse_cli(&env, &cli, argc, argv)) >= 0)
		return rc;
	log_init("ballast-balancerd", LOG_LVL_INFO);
	if ((rc = bd_configure(&env, &cli)) >= 0)
		return rc;
	if (cli.check)
		return bd_check_config(&env.conf, cli.verbose);
	env.debug = cli.debug;
	log_init("ballast-balancerd", cli.debug ? LOG_LVL_DEBUG : env.conf.log_level);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = bd_start(&env);
	if (rc == 0)
		rc = bd_drop_privileges(&env);
	if (rc == 0) {
		env.wd_ms = sdnotify_watchdog_ms();
		sdnotify("READY=1");
		loop(&env);
		sdnotify("STOPPING=1");
	}
	bd_stop(&env);
	if (rc == 0)
		log_info("stopped");
	return rc == 0 ? 0 : 1;
}
