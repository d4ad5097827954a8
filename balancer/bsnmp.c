/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ballastmib.h"
#include "bsnmp.h"
#include "log.h"
#include "notify.h"
#include "snmpagent.h"
#include "snmptrap.h"
#include "util.h"

static char snmp_prefix[] = "snmp";

struct bsnmp {
	struct snmptrap		*trap;
	struct notify		*notify;
	struct ballastmib	*mib;
	int			 agentx, was_connected;
	struct log_complaint	 send_complaint;
};

static void
bsnmp_send(void *arg, const struct snmptrap_event *ev)
{
	struct bsnmp	*s = arg;
	char		 err[512];
	int		 n;

	if (s->trap == NULL)
		return;
	err[0] = '\0';
	n = snmptrap_send(s->trap, ev, err, sizeof(err));
	log_info("notification %s: %s (%d sink%s)", snmptrap_kind_name(ev->kind),
	    ev->text, n, n == 1 ? "" : "s");
	if (err[0] != '\0')
		log_complain(&s->send_complaint, 10000, "notification: %s", err);
	else
		log_release(&s->send_complaint, "notifications: sending again");
}

static int
bsnmp_library(const struct conf_snmp *c, const char *state_dir)
{
	struct snmpagent_config	 ac;
	char			 dir[1100], err[512];

	snprintf(dir, sizeof(dir), "%s/snmp", state_dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("snmp: cannot create %s", dir);
		return -1;
	}
	memset(&ac, 0, sizeof(ac));
	ac.name = "ballast-balancerd";
	ac.agentx = c->agentx[0] ? c->agentx : NULL;
	ac.persist_dir = dir;
	ac.ping_s = 5;
	ac.log = log_syslog_cb;
	ac.log_arg = snmp_prefix;
	if (snmpagent_init(&ac, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

static int
bsnmp_traps(struct bsnmp *s, const struct conf_snmp *c)
{
	struct alarm_config	 ac;
	char			 err[512], id[80];

	if (c->nsinks == 0)
		return 0;
	if ((s->trap = snmptrap_new(c->sinks, c->nsinks, err, sizeof(err))) ==
	    NULL) {
		log_warnx("%s", err);
		return -1;
	}
	ac.holddown_ms = c->holddown_s * 1000;
	ac.per_min = c->rate_per_min;
	if ((s->notify = notify_new(&ac, bsnmp_send, s)) == NULL) {
		log_warnx("notifications: out of memory");
		return -1;
	}
	snmpagent_engine_id(id, sizeof(id));
	log_info("notifications to %zu trap sink%s (hold-down %us, at most %u "
	    "a minute); SNMP engine ID %s", c->nsinks, c->nsinks == 1 ? "" : "s",
	    c->holddown_s, c->rate_per_min, id);
	return 0;
}

int
bsnmp_start(const struct conf_snmp *c, const char *state_dir,
    const struct model *m, const struct balance *bal, struct bsnmp **out)
{
	struct bsnmp	*s;
	char		 err[512];

	*out = NULL;
	if (c->nsinks == 0 && c->agentx[0] == '\0')
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL || bsnmp_library(c, state_dir) < 0) {
		free(s);
		return -1;
	}
	*out = s;
	if (c->agentx[0] != '\0') {
		if ((s->mib = ballastmib_new(m, bal, err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			return -1;
		}
		s->agentx = 1;
		log_info("BALLAST-MIB: AgentX subagent of the master agent at %s",
		    c->agentx);
	}
	snmpagent_start();
	return bsnmp_traps(s, c);
}

size_t
bsnmp_fds(struct bsnmp *s, int *fds, size_t max, int64_t *wait_ms)
{
	return s == NULL ? 0 : snmpagent_fds(fds, max, wait_ms);
}

void
bsnmp_run(struct bsnmp *s)
{
	int	 c;

	if (s == NULL)
		return;
	snmpagent_run();
	if (s->agentx && (c = snmpagent_connected()) != s->was_connected) {
		if (c)
			log_info("BALLAST-MIB: connected to the master agent");
		else
			log_warnx("BALLAST-MIB: lost the master agent; trying "
			    "again every 5 s");
		s->was_connected = c;
	}
}

void
bsnmp_tick(struct bsnmp *s, const struct model *m, const struct balance *bal,
    int64_t now_ms)
{
	if (s != NULL && s->notify != NULL)
		notify_tick(s->notify, m, bal, now_ms);
}

void
bsnmp_stop(struct bsnmp *s)
{
	if (s == NULL)
		return;
	notify_free(s->notify);
	snmptrap_free(s->trap);
	snmpagent_shutdown();
	ballastmib_free(s->mib);
	free(s);
}
