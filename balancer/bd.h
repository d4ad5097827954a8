/* SPDX-License-Identifier: ISC */
/*
 * bd: what the files of ballast-balancerd share: the daemon-wide
 * state, the command line, and the functions main() and the loop
 * (balancerd.c) call in the others.  bdargs.c: the command line, the
 * configuration and -n; bdstart.c: start-up, the privilege drop, the
 * RRD history and shutdown.  Not a library: these log or print.
 */
#ifndef BALLAST_BD_H
#define BALLAST_BD_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "authcoll.h"
#include "balance.h"
#include "bsnmp.h"
#include "conf.h"
#include "http.h"
#include "ingest.h"
#include "log.h"
#include "model.h"
#include "rrd.h"
#include "traffic.h"
#include "zcurve.h"

#define DEFAULT_CONF	"/etc/ballast/ballast-balancerd.conf"

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

/* What the command line says, before the configuration file is read. */
struct cli {
	const char	*state, *reports, *api, *rrdcached, *policy;
	int		 check, verbose, debug;
};

/* bdargs.c */

/*
 * Parses the command line into env and c.  Returns -1 to go on, else
 * the exit status (help, version, usage).
 */
int	 bd_parse_cli(struct balancerd *env, struct cli *c, int argc,
	    char *argv[]);

/*
 * Reads the configuration file and lays the command line over it.
 * Returns -1 to go on, else the exit status.
 */
int	 bd_configure(struct balancerd *env, const struct cli *c);

/* -n: checks the configuration and its policy; the exit status. */
int	 bd_check_config(const struct conf *c, int verbose);

/* bdstart.c */

/*
 * CURVE: the server's key pair and the authorised collectors, both or
 * neither (*kp and *t untouched on error).  0 or -1 with err set.
 */
int	 bd_load_curve(const struct conf *c, struct zcurve_pair *kp,
	    struct authcoll *t, char *err, size_t errlen);

/*
 * The state directory's lock, the model, ingest, the history, the
 * balancer, SNMP and the API.  0, or -1 logged (bd_stop() frees what
 * was started).
 */
int	 bd_start(struct balancerd *env);

/* Started as root: becomes the configured user.  0 or -1 (logged). */
int	 bd_drop_privileges(struct balancerd *env);

/* Writes what is new to the history; failures are logged, never fatal. */
void	 bd_history_tick(struct balancerd *env, int64_t now);

/* A last checkpoint and history, then everything bd_start() made freed. */
void	 bd_stop(struct balancerd *env);

#endif
