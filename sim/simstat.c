/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "simstat.h"
#include "util.h"

static const char *
simstat_state(int state)
{
	switch (state) {
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_ACCEPTED: return "accepted";
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING: return "running";
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE: return "done";
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED: return "failed";
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED: return "refused";
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_CANCELLED: return "cancelled";
	default: return "unknown";
	}
}

static json_t *
simstat_vms(const struct sim_cluster *c)
{
	json_t	*a = json_array();
	char	 u[UTIL_UUID_STRLEN];
	size_t	 i;

	for (i = 0; i < c->nvms; i++) {
		util_uuid_fmt(c->vms[i].uuid, u);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}",
		    "name", c->vms[i].tv->name, "uuid", u,
		    "host", c->hosts[c->vms[i].host].name,
		    "migrating", c->vms[i].mig != NULL));
	}
	return a;
}

static json_t *
simstat_json(const struct sim_cluster *c, const struct simstat_cmd *cmds,
    size_t ncmds, const struct simstat_counts *n)
{
	json_t	*hosts = json_object(), *a = json_array();
	size_t	 i;

	for (i = 0; i < c->p.hosts; i++)
		json_object_set_new(hosts, c->hosts[i].name,
		    json_integer((json_int_t)c->hosts[i].nvms));
	for (i = 0; i < ncmds; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:i, s:i, s:s}",
		    "id", (json_int_t)cmds[i].id,
		    "epoch", (json_int_t)cmds[i].epoch,
		    "received", (int)cmds[i].received,
		    "executed", (int)cmds[i].executed,
		    "state", simstat_state(cmds[i].ev.state)));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
	    "t_ms", (json_int_t)c->t_ms, "steps", (json_int_t)n->steps,
	    "reports", (json_int_t)n->reports,
	    "migrations_done", (json_int_t)c->migrations_done,
	    "migrations_failed", (json_int_t)c->migrations_failed,
	    "migrations_injected", (json_int_t)c->migrations_injected,
	    "hosts", hosts, "vms", simstat_vms(c), "commands", a);
}

int
simstat_write(const char *path, const struct sim_cluster *c,
    const struct simstat_cmd *cmds, size_t ncmds,
    const struct simstat_counts *n, char *err, size_t errlen)
{
	char	 tmp[4096];
	json_t	*o;
	int	 rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "status file %s: name too long", path);
		return -ENAMETOOLONG;
	}
	if ((o = simstat_json(c, cmds, ncmds, n)) == NULL) {
		snprintf(err, errlen, "status file %s: out of memory", path);
		return -ENOMEM;
	}
	if (json_dump_file(o, tmp, JSON_COMPACT) != 0 || rename(tmp, path) != 0) {
		rc = errno ? -errno : -EIO;
		snprintf(err, errlen, "status file %s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	json_decref(o);
	return rc;
}
