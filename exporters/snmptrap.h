/* SPDX-License-Identifier: ISC */
/*
 * snmptrap: BALLAST-MIB notifications to the configured sinks, through
 * the net-snmp library (set up first with snmpagent.h) -- SNMPv2c with
 * a community, or SNMPv3 USM authPriv (SHA or SHA-256, AES-128); as
 * traps, or as informs that the library resends until acknowledged.
 *
 * A v3 trap is sent with this engine as the authoritative one: the
 * receiver needs the user created for this engine's ID (the sink's
 * engine-id, else the local engine's, see snmpagent_engine_id()).  A
 * v3 inform discovers the receiver's engine ID itself.
 *
 * Each notification carries sysUpTime.0, snmpTrapOID.0, snmpTrapAddress.0
 * when the event names the host's IPv4 address, and the objects the MIB
 * lists for it.  Which events to send and how often is decided by the
 * caller (notify.h); this module only builds and sends.
 */
#ifndef BALLAST_SNMPTRAP_H
#define BALLAST_SNMPTRAP_H

#include <stddef.h>
#include <stdint.h>

#define SNMPTRAP_MAX_SINKS	8

enum snmptrap_auth { SNMPTRAP_SHA = 0, SNMPTRAP_SHA256 };

struct snmptrap_sink {
	char		 addr[128];	/* "udp:HOST:PORT", "HOST:PORT", "HOST" */
	int		 version;	/* 2 (v2c) or 3 */
	char		 community[64];
	char		 user[64];
	int		 auth;		/* enum snmptrap_auth */
	char		 auth_pass[128];
	char		 priv_pass[128];	/* AES-128 */
	char		 engine_id[80];	/* hex; "": the local engine's */
	int		 inform;
	unsigned	 retries;	/* informs: resends, default 3 */
	unsigned	 timeout_ms;	/* informs: per try, default 2000 */
};

/* The notifications: numbers under ballastNotifications. */
enum snmptrap_kind {
	ST_HOST_HOT = 1,
	ST_HOST_CLEARED,
	ST_CLUSTER_IMBALANCED,
	ST_CLUSTER_BALANCED,
	ST_COLLECTOR_LOST,
	ST_COLLECTOR_RECOVERED,
	ST_MIGRATION_STARTED,
	ST_MIGRATION_COMPLETED,
	ST_MIGRATION_FAILED,
	ST_POLICY_RELOAD_FAILED,
	ST_NKINDS
};

struct snmptrap_event {
	enum snmptrap_kind kind;
	char		 host[64];	/* the host it is about; a migration's source */
	char		 vm[128];
	char		 vm_uuid[40];
	char		 dest[64];
	char		 reason[128];
	char		 text[256];
	int64_t		 value, threshold;	/* thousandths */
	int64_t		 seconds;
	uint8_t		 addr[4];	/* the host's IPv4 address ... */
	int		 has_addr;	/* ... when known (snmpTrapAddress.0) */
};

struct snmptrap_stats {
	uint64_t	 sent;		/* handed to the network */
	uint64_t	 errors;	/* could not be sent */
	uint64_t	 acked;		/* informs acknowledged */
	uint64_t	 timeouts;	/* informs never acknowledged */
};

struct snmptrap;

/* Opens a session per sink; NULL with a reason in err. */
struct snmptrap	*snmptrap_new(const struct snmptrap_sink *, size_t n,
		    char *err, size_t errlen);
void		 snmptrap_free(struct snmptrap *);

/*
 * Sends ev to every sink.  Returns how many sinks took it; when one
 * did not, err says why (the others are still tried).
 */
int		 snmptrap_send(struct snmptrap *, const struct snmptrap_event *,
		    char *err, size_t errlen);
void		 snmptrap_stats(const struct snmptrap *, struct snmptrap_stats *);

/* "hostHot", ... as in BALLAST-MIB; "?" out of range. */
const char	*snmptrap_kind_name(enum snmptrap_kind);

/* Parses an engine ID in hex ("0x" optional): 0 and its length, or -EINVAL. */
int		 snmptrap_parse_engine_id(const char *hex, uint8_t *out,
		    size_t max, size_t *len);

#endif
