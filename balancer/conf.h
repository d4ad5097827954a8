/* SPDX-License-Identifier: ISC */
/*
 * conf: ballast-balancerd's configuration file (ballast-balancerd.conf(5)).
 *
 *   # comments run to the end of the line
 *   listen reports "tcp://127.0.0.1:8471"
 *   listen api 127.0.0.1 port 8470
 *   state-dir "/var/lib/ballast"
 *   stale-after 3 intervals
 *   forget-vm-after 600 seconds
 *   checkpoint-every 1000 ms
 *   log-level info
 *   rrdcached "unix:/run/rrdcached.sock"
 *   policy "/etc/ballast/default.policy"
 *   api-token "a-long-random-secret"
 *   tls cert "/etc/ballast/api.crt" key "/etc/ballast/api.key"
 *   api-connections 256
 *   api-connections-per-ip 32
 *   api-idle-timeout 30 seconds
 *   api-max-body 64k
 *   api-max-header 16k
 *   api-max-header-fields 64
 *   user ballast
 *   group ballast
 *   curve secret-key "/etc/ballast/balancer.key" \
 *         authorized-collectors "/etc/ballast/collectors"   (one line)
 *   insecure                 # plain TCP reports off loopback
 *   max-hosts 10000
 *
 * One statement per line; every statement is optional and states its
 * default in conf_defaults().  conf_parse() fills a fresh struct and
 * changes nothing else, so a reload keeps the old one on error.
 */
#ifndef BALLAST_CONF_H
#define BALLAST_CONF_H

#include <stddef.h>

#include "conf_snmp.h"
#include "http_guard.h"

#define CONF_DEFAULT_REPORTS	"tcp://127.0.0.1:8471"
#define CONF_DEFAULT_API_ADDR	"127.0.0.1"
#define CONF_DEFAULT_API_PORT	8470
#define CONF_DEFAULT_STATE_DIR	"/var/lib/ballast"
#define CONF_DEFAULT_USER	"ballast"

struct conf {
	char		 reports[256];	/* ZeroMQ endpoint to bind */
	char		 api_addr[64];	/* IPv4 or IPv6 literal */
	int		 api_port;
	char		 state_dir[1024];
	unsigned	 stale_intervals;
	unsigned	 forget_vm_s;
	unsigned	 checkpoint_ms;
	int		 log_level;	/* enum log_level */
	char		 rrdcached[256]; /* rrdcached address; "": write RRDs directly */
	char		 policy[1024];	/* policy file; "": the built-in defaults */
	char		 api_token[128]; /* operator token; "": generate one */
	struct conf_snmp snmp;		/* trap sinks, AgentX (conf_snmp.h) */
	char		 tls_cert[1024]; /* PEM files; "": plain HTTP */
	char		 tls_key[1024];
	struct http_limits api_limits;	/* the API's bounds (http_guard.h) */
	char		 user[64];	/* run as, when started as root */
	int		 user_set;	/* user named in the file */
	char		 group[64];	/* "": the user's login group */
	char		 curve_key[1024]; /* CURVE secret key file; "": plain */
	char		 curve_auth[1024]; /* authorised-collectors file */
	int		 insecure;	/* plain TCP reports off loopback allowed */
	unsigned	 max_hosts;
};

void	conf_defaults(struct conf *);

/*
 * Parses text (from `file`, for messages) over the defaults into *out.
 * Returns 0, or -EINVAL with "file:line:col: what is wrong" in err and
 * *out untouched.
 */
int	conf_parse(const char *file, const char *text, size_t len,
	    struct conf *out, char *err, size_t errlen);

/* Reads and parses a file; as conf_parse, plus -errno if unreadable. */
int	conf_load(const char *path, struct conf *out, char *err, size_t errlen);

/*
 * What only the whole configuration can tell: plain TCP reports on an
 * address other than loopback without insecure.  0 or -EPERM with the
 * reason and the fix in err.
 */
int	conf_check(const struct conf *, char *err, size_t errlen);

/* Writes the configuration back in the file's grammar (for -nv). */
void	conf_print(const struct conf *, char *buf, size_t len);

#endif
