/* SPDX-License-Identifier: ISC */
/*
 * simcmd: ballast-sim's side of the balancer's commands: migrations
 * and cancels carried out on the simulated cluster, answered as a
 * collector would (idempotent ids, epoch fencing), and remembered for
 * --status.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "sim.h"
#include "util.h"

void
sim_send_event(struct sim *s, const struct sim_event *ev)
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
struct simstat_cmd *
sim_cmd_slot(struct sim *s, uint64_t id, int create)
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
	if ((mig = sim_cmd_slot(s, mev.cmd_id, 0)) != NULL)
		mig->ev = mev;
	sim_send_event(s, &mev);
	ev->state = BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE;
	ev->permille = 1000;
}

void
sim_write_status(struct sim *s)
{
	struct simstat_counts	 n = { s->steps, s->reports };
	char			 err[512];

	if (s->o.status != NULL && simstat_write(s->o.status, &s->c, s->cmds,
	    s->ncmds, &n, err, sizeof(err)) < 0)
		log_complain(&s->status_fail, 30000, "%s", err);
}

void
sim_on_command(void *arg, const Ballast__V1__Command *cmd)
{
	struct sim	*s = arg;
	struct simstat_cmd *known = sim_cmd_slot(s, cmd->id, 0);
	struct sim_event ev;

	if (known != NULL) {		/* idempotent: answer, never redo */
		known->received++;
		sim_send_event(s, &known->ev);
		sim_write_status(s);
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
		sim_send_event(s, &ev);
		return;
	}
	s->epoch = cmd->epoch;
	if (cmd->op_case == BALLAST__V1__COMMAND__OP_MIGRATE)
		sim_cluster_migrate(&s->c, s->cur_host, cmd, &ev);
	else
		cancel(s, cmd, &ev);
	known = sim_cmd_slot(s, cmd->id, 1);
	known->ev = ev;
	known->epoch = cmd->epoch;
	known->received = known->executed = 1;
	log_info("command %llu on %s: %s%s%s", (unsigned long long)cmd->id,
	    s->c.hosts[s->cur_host].name,
	    ev.state == BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED ?
	    "refused" : "accepted", ev.error[0] ? ": " : "", ev.error);
	sim_send_event(s, &ev);
	sim_write_status(s);
}
