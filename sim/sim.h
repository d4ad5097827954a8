/* SPDX-License-Identifier: ISC */
/*
 * sim: what the files of ballast-sim share: its options, the state
 * passed explicitly, and the functions main() and the loop
 * (sim_main.c) call in the others.  simargs.c: the command line;
 * simstart.c: the workload, the traffic, the publishers and shutdown;
 * simcmd.c: the balancer's commands and their statuses.  Not a library:
 * these log, and exit on --help or out of memory.
 */
#ifndef BALLAST_SIM_H
#define BALLAST_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "log.h"
#include "publisher.h"
#include "simstat.h"
#include "simtraffic.h"
#include "trace.h"
#include "wire.h"
#include "zcurve.h"

#define SIM_VERSION	"0.1.0"
#define MAX_MUTES	64
#define CMD_MEMORY	1024	/* command ids remembered for idempotency; ids
				   hash into this many slots, so an id 1024
				   commands old may be forgotten */

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


/* simargs.c */

/*
 * Parses the command line into o, with the defaults; --help and
 * --version print and exit 0.  0, or -1 with the reason on stderr.
 */
int	 sim_parse_args(struct sim_opts *o, int argc, char *argv[]);

/* simstart.c */

/* Reads a placement file into memory (at most 1 MiB); NULL (logged). */
char	*sim_read_placement(const char *path);

/* The traces (--traces) or the synthetic workload.  0 or -1 (logged). */
int	 sim_load_workload(struct sim *);

/* --traffic FILE or --traffic-synth N: the matrix the hosts report. */
int	 sim_load_traffic(struct sim *);

/* The CURVE keys and one publisher per host.  0 or -1 (logged). */
int	 sim_start_publishers(struct sim *);

/* Frees everything main() and the functions above set up. */
void	 sim_stop(struct sim *);

/* simcmd.c */

/* Sends a command's status from the host it names. */
void	 sim_send_event(struct sim *, const struct sim_event *);

/* The remembered command `id`; create: a slot for it when unknown. */
struct simstat_cmd *sim_cmd_slot(struct sim *, uint64_t id, int create);

/* --status FILE: the simulator's own view, after a step or command. */
void	 sim_write_status(struct sim *);

/* The publisher's callback for a command to host s->cur_host. */
void	 sim_on_command(void *, const Ballast__V1__Command *);

#endif
