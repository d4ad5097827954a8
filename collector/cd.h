/* SPDX-License-Identifier: ISC */
/*
 * cd: what the files of ballast-collectord share: the daemon's state,
 * passed explicitly, and the functions main() and the loop
 * (collectord.c) call in the others.  cdargs.c: the command line and
 * the configuration; cdstart.c: start-up, the privilege drop and
 * shutdown; cdcmd.c: the actuator and the balancer's commands;
 * creport.c: each round's HostReport.  Not a library: these log.
 */
#ifndef BALLAST_CD_H
#define BALLAST_CD_H

#include <stddef.h>
#include <stdint.h>

#include "act.h"
#include "cconf.h"
#include "cmds.h"
#include "ctraffic.h"
#include "cvmmib.h"
#include "hostsrc.h"
#include "log.h"
#include "publisher.h"
#include "virt.h"
#include "wire.h"
#include "zcurve.h"

#define CD_VERSION	"0.1.0"
#define CD_SOFTWARE	"ballast-collectord " CD_VERSION
#define DEFAULT_CONF	"/etc/ballast/ballast-collectord.conf"
#define CD_COMPLAIN_MS	60000
#define CD_NOACK_MS	30000	/* reports unacknowledged this long: say so */

struct cd_opts {
	const char	*config;
	int		 check, verbose, debug;
	const char	*uri, *balancer, *host_name, *host_uuid, *cluster;
	const char	*interval, *stats_timeout, *actuator, *exec;
	const char	*agentx;	/* --agentx-socket: serve VM-MIB */
	int		 vm_notify;	/* --vm-notifications */
};

/* The daemon's state, passed explicitly. */
struct cd {
	struct cconf		 c;
	void			*zctx;
	struct pub		*pub;
	struct virt		*virt;
	struct hostsrc		*hs;
	struct cmds		*cmds;
	const struct act_ops	*ops;
	void			*act;
	struct virt_snap	 snap;
	struct cvmmib		*mib;	/* VM-MIB over AgentX, or NULL */
	struct ctraffic		*traffic; /* pcap capture, or NULL */
	const char		*agentx;
	int			 vm_notify;
	wire_vm			*vms;
	wire_vm			**vmp;
	Ballast__V1__DirtyRate	 nodirty;
	size_t			 cap;
	unsigned		 round_ms;
	/* the report being prepared */
	int			 pending;
	int64_t			 pend_t0, pend_until, pend_real;
	struct hostsrc_sample	 hsamp;
	int			 hs_ok;
	uint64_t		 reports, late_rounds;
	int64_t			 wd_ms;	/* systemd watchdog period; 0: none */
	struct log_complaint	 conn_cpl, call_cpl, host_cpl, pub_cpl, ack_cpl;
	uint64_t		 acked;	/* the publisher's count, last seen */
	int64_t			 ack_ms; /* when it last moved (or nothing was due) */
	struct log_complaint	 curve_cpl;	/* CURVE handshakes */
	uint64_t		 curve_failed, curve_done;
	char			 server_key[ZCURVE_Z85_LEN + 1];
	struct zcurve_pair	 keys;
};

/* cdargs.c */

/*
 * Parses the command line into o; --help and --version print and
 * exit 0.  0, or -1 after the usage went to stderr.
 */
int	 cd_parse_args(struct cd_opts *o, int argc, char *argv[]);

/*
 * The configuration file (-f, else the default one when it exists),
 * the command-line options over it, the host's name and UUID.  0, or
 * -1 with the reason logged.
 */
int	 cd_load_config(struct cd *, const struct cd_opts *);

/* cdstart.c */

/*
 * The host source, the sampler, the actuator, the commands, the
 * publisher, VM-MIB and the capture.  0, or -1 with the reason logged
 * (cd_stop() frees what was started).
 */
int	 cd_start(struct cd *);

/* Drops root when a user is configured.  0, or -1 (logged). */
int	 cd_drop_privileges(struct cd *);

/* Frees everything cd_start() started, in any state it left. */
void	 cd_stop(struct cd *);

/* cdcmd.c */

/* The actuator configured: libvirt, exec or none.  0 or -1 (logged). */
int	 cd_start_actuator(struct cd *);

/* The command table over the actuator.  0, or -1 out of memory. */
int	 cd_start_cmds(struct cd *);

/* The publisher's callback for a command from the balancer. */
void	 cd_on_command(void *, const Ballast__V1__Command *);

/* creport.c */

/* An incoming migration's destination copy: not ours to report yet. */
int	 cd_incoming(const struct cd *, const struct virt_vm *);

/* At an interval: the host's figures now, and a round of the VMs. */
void	 cd_start_round(struct cd *, int64_t now);

/* Sends the report of the pending round; fresh 0: the round was late. */
void	 cd_report(struct cd *, int fresh, int64_t now);

#endif
