/* SPDX-License-Identifier: ISC */
/*
 * snmpagent: the net-snmp library in one process -- set up once, as a
 * plain client (to send notifications) or also as an AgentX subagent of
 * the local snmpd (to serve MIBs registered with snmpmib.h), and driven
 * from the caller's event loop without blocking.
 *
 * The library keeps global state, so there is one per process:
 * snmpagent_init() before anything else that uses net-snmp, then
 * snmpagent_start() once the MIBs are registered.  Nothing here prints:
 * the library's own messages go to cfg->log (or nowhere).  No MIB file
 * is needed to send or serve: MIBS is set empty when unset, so that the
 * library reads none.
 *
 * AgentX: with cfg->agentx set the process connects to the master
 * agent's socket ("/run/agentx/master", "tcp:127.0.0.1:705"); when the
 * master goes away or is not there yet, the library tries again every
 * cfg->ping_s seconds and registers the MIBs again once it is back.
 */
#ifndef BALLAST_SNMPAGENT_H
#define BALLAST_SNMPAGENT_H

#include <stddef.h>
#include <stdint.h>

struct snmpagent_config {
	const char	*name;		/* application name (net-snmp's "type") */
	const char	*agentx;	/* master agent socket; NULL: no subagent */
	const char	*persist_dir;	/* engine ID and boots kept here; NULL: none */
	unsigned	 ping_s;	/* AgentX reconnect/ping interval, default 5 */
	/* the library's messages: priority as syslog's (LOG_ERR...) */
	void		(*log)(void *arg, int priority, const char *msg);
	void		*log_arg;
};

/*
 * Sets the library up.  Returns 0 or -errno with a reason in err; a
 * second call returns -EALREADY.
 */
int	snmpagent_init(const struct snmpagent_config *, char *err, size_t errlen);

/* Starts serving (the subagent connects); call after registering MIBs. */
void	snmpagent_start(void);

/*
 * The library's descriptors, to poll for reading: writes at most max
 * into fds and returns how many there are; *timeout_ms is lowered to
 * when the library next wants to run (its alarms, retransmissions),
 * never raised.
 */
size_t	snmpagent_fds(int *fds, size_t max, int64_t *timeout_ms);

/* Handles what is readable and what is due; never blocks. */
void	snmpagent_run(void);

/* Is the subagent connected to the master now? */
int	snmpagent_connected(void);

/* The local SNMP engine ID in hex ("80001f88..."), for v3 receivers. */
void	snmpagent_engine_id(char *buf, size_t len);

/* Closes every session and frees the library's state. */
void	snmpagent_shutdown(void);

#endif
