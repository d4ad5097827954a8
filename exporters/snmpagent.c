/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "snmpagent.h"

static struct {
	int		 inited, agent, started, connected;
	char		 name[64];
	int		 ping_s;
	void		(*log)(void *, int, const char *);
	void		*log_arg;
} sa;

static int
snmpagent_log_cb(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message	*m = server;
	char				 buf[512];
	size_t				 n;

	(void)major;
	(void)minor;
	(void)client;
	if (sa.log == NULL || m == NULL || m->msg == NULL)
		return 0;
	n = strlen(m->msg);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, m->msg, n);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	sa.log(sa.log_arg, m->priority, buf);
	return 0;
}

static int
snmpagent_index_cb(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)server;
	(void)client;
	sa.connected = minor == SNMPD_CALLBACK_INDEX_START;
	return 0;
}

/* Where the library reads its own files and keeps the engine's state. */
static void
snmpagent_dirs(const char *persist)
{
	if (persist == NULL) {
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
		return;
	}
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_PERSISTENT_DIR, persist);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_CONFIGURATION_DIR, persist);
}

int
snmpagent_init(const struct snmpagent_config *cfg, char *err, size_t errlen)
{
	if (sa.inited) {
		snprintf(err, errlen, "snmp: already set up");
		return -EALREADY;
	}
	memset(&sa, 0, sizeof(sa));
	snprintf(sa.name, sizeof(sa.name), "%s", cfg->name ? cfg->name : "ballast");
	sa.log = cfg->log;
	sa.log_arg = cfg->log_arg;
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    snmpagent_log_cb, NULL);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_NO_TOKEN_WARNINGS, 1);
	/* no MIB files are needed to send or serve */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	setenv("MIBS", "", 0);
	snmpagent_dirs(cfg->persist_dir);
	if (cfg->agentx != NULL) {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, 1);
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_X_SOCKET, cfg->agentx);
		sa.ping_s = cfg->ping_s ? (int)cfg->ping_s : 5;
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, sa.ping_s);
		snmp_register_callback(SNMP_CALLBACK_APPLICATION,
		    SNMPD_CALLBACK_INDEX_START, snmpagent_index_cb, NULL);
		snmp_register_callback(SNMP_CALLBACK_APPLICATION,
		    SNMPD_CALLBACK_INDEX_STOP, snmpagent_index_cb, NULL);
		if (init_agent(sa.name) != 0) {
			snprintf(err, errlen, "snmp: cannot set up the agent library");
			return -EIO;
		}
		sa.agent = 1;
	}
	sa.inited = 1;
	return 0;
}

void
snmpagent_start(void)
{
	if (!sa.inited || sa.started)
		return;
	init_snmp(sa.name);
	/* reading the configuration files puts back the library's 15 s */
	if (sa.agent)
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, sa.ping_s);
	sa.started = 1;
}

size_t
snmpagent_fds(int *fds, size_t max, int64_t *timeout_ms)
{
	fd_set		 r;
	struct timeval	 tv = { 0, 0 };
	int		 nfds = 0, block = 1, fd;
	size_t		 n = 0;
	int64_t		 t;

	if (!sa.started)
		return 0;
	FD_ZERO(&r);
	snmp_select_info(&nfds, &r, &tv, &block);
	for (fd = 0; fd < nfds && fd < FD_SETSIZE; fd++)
		if (FD_ISSET(fd, &r) && n < max)
			fds[n++] = fd;
	if (!block) {
		t = (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
		if (t < *timeout_ms)
			*timeout_ms = t;
	}
	return n;
}

void
snmpagent_run(void)
{
	fd_set		 r;
	struct timeval	 tv = { 0, 0 };
	int		 nfds = 0, block = 1, count;

	if (!sa.started)
		return;
	FD_ZERO(&r);
	snmp_select_info(&nfds, &r, &tv, &block);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	count = select(nfds, &r, NULL, NULL, &tv);
	if (count > 0)
		snmp_read(&r);
	else if (count == 0)
		snmp_timeout();
	run_alarms();
	if (sa.agent)
		netsnmp_check_outstanding_agent_requests();
}

int
snmpagent_connected(void)
{
	return sa.connected;
}

void
snmpagent_engine_id(char *buf, size_t len)
{
	u_char	 id[64];
	size_t	 n, i, k = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	n = sa.started ? snmpv3_get_engineID(id, sizeof(id)) : 0;
	for (i = 0; i < n && k + 3 <= len; i++, k += 2)
		snprintf(buf + k, len - k, "%02x", id[i]);
}

void
snmpagent_shutdown(void)
{
	if (!sa.inited)
		return;
	if (sa.started)
		snmp_shutdown(sa.name);
	if (sa.agent)
		shutdown_agent();
	memset(&sa, 0, sizeof(sa));
}
