/* SPDX-License-Identifier: ISC */
/*
 * cconf: ballast-collectord's configuration file (the grammar of
 * ballast-balancerd.conf, see ballast-collectord(8)):
 *
 *   connect "qemu:///system"
 *   balancer "tcp://balancer.example:8471"
 *   balancer-key "/etc/ballast/balancer.pub"  # CURVE: trust only this
 *   key "/etc/ballast/hv01.key"                # and speak with this key
 *   insecure                                   # plain TCP off loopback
 *   host-name hv01
 *   host-uuid 0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b
 *   cluster prod
 *   interval 10 seconds
 *   stats-timeout 2000 ms
 *   refresh 60 seconds
 *   nic eth0
 *   nic-speed 10000 mbit
 *   log-level info
 *   user ballast                       # when started as root
 *   group ballast
 *   actuator libvirt                   # or exec, or none
 *   exec "qm migrate {vmid} {dest} --online"
 *   migrate {
 *           uri "qemu+tls://{host}/system"
 *           migrate-uri "tcp://{host}:49152"
 *           listen-address 0.0.0.0
 *           flags live peer2peer persist-dest undefine-source
 *           bandwidth 1G
 *           max-downtime 300 ms
 *           timeout 600 seconds
 *   }
 *   pcap sample 100 snaplen 128 buffer 4M top 64 filter "ip or ip6 or arp"
 *   pcap interface "vnet0" vm "web-1" uuid 5e1f0c3a-... mac 52:54:00:12:34:56 ip 10.0.0.5
 *   pcap interface "br0"               # a bridge: each packet seen once
 *   pcap vm "web-2" uuid ... mac 52:54:00:ab:cd:ef   # addresses only
 *   pcap libvirt yes                   # every VM's taps, from libvirt
 *
 * A pcap statement takes its words in any order; those naming an
 * interface or a VM add one entry of the static traffic map (see
 * collector/pcapsrc.h), the others set the capture's options.
 * Durations take ms, s (seconds) or min (minutes).  Every statement is
 * optional; cconf_defaults() states the defaults.  cconf_parse() fills
 * a fresh struct and changes nothing else.  Never prints: errors come
 * back as "file:line:col: what is wrong" in the caller's buffer.
 */
#ifndef BALLAST_CCONF_H
#define BALLAST_CCONF_H

#include <stddef.h>
#include <stdint.h>

#define CCONF_DEFAULT_URI	"qemu:///system"
#define CCONF_DEFAULT_BALANCER	"tcp://127.0.0.1:8471"
#define CCONF_DEFAULT_DEST_URI	"qemu+tls://{host}/system"

enum cconf_actuator {
	CCONF_ACT_LIBVIRT = 0,	/* virDomainMigrateToURI3 */
	CCONF_ACT_EXEC,		/* a command per migration */
	CCONF_ACT_NONE		/* refuses every command */
};

struct cconf_migrate {
	char		 uri[512];	/* destination libvirt URI template */
	char		 migrate_uri[512]; /* VIR_MIGRATE_PARAM_URI template; "" none */
	char		 listen[128];	/* VIR_MIGRATE_PARAM_LISTEN_ADDRESS; "" none */
	unsigned long	 flags;		/* VIR_MIGRATE_* */
	uint64_t	 bandwidth;	/* bytes/s when a command says 0; 0 none */
	unsigned	 max_downtime_ms; /* when a command says 0; 0 libvirt's */
	unsigned	 timeout_ms;	/* deadline when a command has none */
};

#define CCONF_PCAP_MAX		64	/* entries of the static map */
#define CCONF_PCAP_MAX_ADDRS	16	/* addresses of one entry */

/* One entry: a tap (interface with uuid), a bridge (interface alone)
 * or the addresses of a VM behind a bridge (uuid alone). */
struct cconf_pcap_ent {
	char		 ifname[32];	/* "": addresses only */
	char		 vm[128];	/* the VM's name, for messages */
	uint8_t		 uuid[16];
	int		 has_uuid;
	uint8_t		 addr[CCONF_PCAP_MAX_ADDRS][16];
	uint8_t		 alen[CCONF_PCAP_MAX_ADDRS];	/* 6, 4 or 16 */
	unsigned	 naddrs;
};

struct cconf_pcap {
	unsigned	 sample;	/* 1 in N; default 1 */
	unsigned	 snaplen;	/* default 128 */
	uint64_t	 buffer;	/* bytes per interface; default 4M */
	unsigned	 top;		/* pairs per report; default 64 */
	int		 immediate;	/* default no (TPACKET_V3) */
	int		 libvirt;	/* taps and addresses from libvirt;
					   default no */
	char		 filter[512];	/* default "ip or ip6 or arp" */
	struct cconf_pcap_ent ent[CCONF_PCAP_MAX];
	unsigned	 n;
};

struct cconf {
	char		 uri[512];	/* libvirt connection */
	char		 balancer[256];	/* ZeroMQ endpoint */
	char		 balancer_key[1024]; /* its CURVE public key file; "": plain */
	char		 key[1024];	/* our CURVE secret key file */
	int		 insecure;	/* plain TCP off loopback allowed */
	char		 host_name[64];	/* "": the short hostname */
	uint8_t		 host_uuid[16];
	int		 has_uuid;	/* 0: derived from the host name */
	char		 cluster[64];
	unsigned	 interval_ms;
	unsigned	 stats_timeout_ms; /* one libvirt call's bound; 0: auto */
	unsigned	 refresh_ms;	/* full domain list */
	char		 nic[32];	/* "": the default route's */
	uint64_t	 nic_bps;	/* when sysfs does not know; bits/s */
	int		 log_level;	/* enum log_level */
	enum cconf_actuator actuator;
	char		 exec[1024];	/* the exec actuator's template */
	struct cconf_migrate mig;
	struct cconf_pcap pcap;		/* no interface: no capture */
	char		 user[64];	/* started as root: run as; "": stay */
	char		 group[64];	/* "": the user's login group */
};

void	cconf_defaults(struct cconf *);

/*
 * Parses text (from `file`, for messages) over the defaults into *out.
 * Returns 0, or -EINVAL with "file:line:col: what is wrong" in err and
 * *out untouched.
 */
int	cconf_parse(const char *file, const char *text, size_t len,
	    struct cconf *out, char *err, size_t errlen);

/* Reads and parses a file; as cconf_parse, plus -errno if unreadable. */
int	cconf_load(const char *path, struct cconf *out, char *err,
	    size_t errlen);

/*
 * Checks what only the whole configuration can tell (an exec actuator
 * without a command, a timeout not below the interval, a balancer-key
 * without a key, plain TCP off loopback without insecure...) and settles
 * what depends on several statements (stats-timeout unset: 2 s, or a
 * quarter of the interval when that is less).  0 or -EINVAL with a
 * reason in err.
 */
int	cconf_check(struct cconf *, char *err, size_t errlen);

/* Parses a flags word ("live", "peer2peer", ...): 0 and *flag, or -EINVAL. */
int	cconf_flag(const char *word, unsigned long *flag);

/* Writes the configuration back in its grammar (for -nv). */
void	cconf_print(const struct cconf *, char *buf, size_t len);

#endif
