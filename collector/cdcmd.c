/* SPDX-License-Identifier: ISC */
/*
 * cdcmd: ballast-collectord's side of the balancer's commands: the
 * actuator that carries out migrations, the command table (cmds.c)
 * over it, and the glue between them and the publisher.
 */
#include <stdint.h>
#include <string.h>

#include "actuator.h"
#include "cd.h"
#include "cmds.h"
#include "exec_act.h"
#include "log.h"
#include "publisher.h"
#include "util.h"

static const char *
cmd_state_name(int s)
{
	static const char *const names[] = { "unknown", "accepted", "running",
	    "done", "failed", "cancelled", "refused" };

	return s >= 0 && s < 7 ? names[s] : "unknown";
}

static void
cd_send_status(void *arg, const struct act_update *u)
{
	struct cd			*d = arg;
	Ballast__V1__CommandStatus	 st = BALLAST__V1__COMMAND_STATUS__INIT;

	st.id = u->id;
	st.state = (Ballast__V1__CommandState)u->state;
	st.progress_permille = u->permille;
	st.error = (char *)(uintptr_t)u->error;
	st.bytes_remaining = u->remaining;
	st.elapsed_ms = u->elapsed_ms;
	if (u->state == BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING)
		log_debug("command %llu: running, %u permille, %llu bytes left",
		    (unsigned long long)u->id, u->permille,
		    (unsigned long long)u->remaining);
	else
		log_info("command %llu: %s%s%s", (unsigned long long)u->id,
		    cmd_state_name(u->state), u->error[0] ? ": " : "",
		    u->error);
	if (pub_send_status(d->pub, &st) < 0)
		log_complain(&d->pub_cpl, CD_COMPLAIN_MS, "cannot send the "
		    "status of command %llu", (unsigned long long)u->id);
}

static int
cd_here(void *arg, const uint8_t vm[16], char *name, size_t len)
{
	struct cd	*d = arg;
	size_t		 i;

	for (i = 0; i < d->snap.n; i++)
		if (memcmp(d->snap.vms[i].uuid, vm, 16) == 0 &&
		    !cd_incoming(d, &d->snap.vms[i])) {
			util_strlcpy(name, d->snap.vms[i].name, len);
			return 1;
		}
	return 0;
}

void
cd_on_command(void *arg, const Ballast__V1__Command *cmd)
{
	struct cd	*d = arg;

	cmds_on_command(d->cmds, cmd, util_now_mono_ms(), util_now_real_ms());
}

int
cd_start_actuator(struct cd *d)
{
	struct actuator_config	 ac;
	struct exec_act_config	 ec;
	char			 err[512] = "";

	if (d->c.actuator == CCONF_ACT_NONE) {
		d->ops = &act_none_ops;
		return 0;
	}
	if (d->c.actuator == CCONF_ACT_EXEC) {
		memset(&ec, 0, sizeof(ec));
		ec.command = d->c.exec;
		d->ops = &exec_act_ops;
		d->act = exec_act_new(&ec, err, sizeof(err));
	} else {
		memset(&ac, 0, sizeof(ac));
		ac.uri = d->c.uri;
		ac.host_name = d->c.host_name;
		ac.mig = d->c.mig;
		d->ops = &actuator_ops;
		d->act = actuator_new(&ac, err, sizeof(err));
	}
	if (d->act == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

int
cd_start_cmds(struct cd *d)
{
	struct cmds_config	 cc;

	memset(&cc, 0, sizeof(cc));
	cc.ops = d->ops;
	cc.act = d->act;
	cc.here = cd_here;
	cc.send = cd_send_status;
	cc.arg = d;
	cc.host_name = d->c.host_name;
	cc.timeout_ms = d->c.mig.timeout_ms;
	cc.bandwidth = d->c.mig.bandwidth;
	cc.max_downtime_ms = d->c.mig.max_downtime_ms;
	return (d->cmds = cmds_new(&cc)) == NULL ? -1 : 0;
}
