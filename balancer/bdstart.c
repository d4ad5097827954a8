/* SPDX-License-Identifier: ISC */
/*
 * bdstart: ballast-balancerd's start-up and shutdown: the state
 * directory's lock, the report channel (CURVE or plain), the RRD
 * history, the epoch, token, policy and executor, SNMP, the API (TLS
 * or plain); then, started as root, the drop to the configured user;
 * at exit, the last checkpoint and history and everything freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "bd.h"
#include "clusterstat.h"
#include "dstate.h"
#include "log.h"
#include "privdrop.h"
#include "util.h"
#include "zap.h"

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
void
bd_history_tick(struct balancerd *env, int64_t now)
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

/*
 * CURVE: the server's key pair and the authorised collectors, both or
 * neither (*kp and *t untouched on error).  0 or -1 with err set.
 */
int
bd_load_curve(const struct conf *c, struct zcurve_pair *kp, struct authcoll *t,
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
	if (curve && bd_load_curve(&env->conf, &env->keys, &t, err,
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

int
bd_start(struct balancerd *env)
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
int
bd_drop_privileges(struct balancerd *env)
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

/* The last samples, then everything queued for rrdcached and FLUSHALL. */
static void
stop_history(struct balancerd *env)
{
	char	 err[512];

	if (env->rrd == NULL)
		return;
	bd_history_tick(env, util_now_mono_ms());
	if (rrdx_flush(env->rrd, 5000, err, sizeof(err)) < 0)
		log_warnx("history: %s", err);
	rrdx_free(env->rrd);
	env->rrd = NULL;
}

void
bd_stop(struct balancerd *env)
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
