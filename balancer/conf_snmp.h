/* SPDX-License-Identifier: ISC */
/*
 * conf_snmp: the SNMP statements of ballast-balancerd.conf(5), parsed
 * here so that conf.c only dispatches to them:
 *
 *   trap-sink "127.0.0.1:162" community "public" [inform]
 *   trap-sink "nms.example:162" user "noc" auth sha "PASSPHRASE"
 *       priv aes "PASSPHRASE" [engine-id "0x80001f8880..."] [inform]
 *   trap-holddown 60 seconds
 *   trap-rate 120 per minute
 *   agentx-socket "/var/agentx/master"      (or: agentx-socket none)
 *
 * Up to SNMPTRAP_MAX_SINKS sinks; auth is sha (HMAC-SHA-96) or sha256
 * (HMAC-SHA-256-192), priv is aes (AES-128-CFB); passphrases are at
 * least 8 characters (RFC 3414).
 */
#ifndef BALLAST_CONF_SNMP_H
#define BALLAST_CONF_SNMP_H

#include <stddef.h>

#include "conf_lex.h"
#include "snmptrap.h"

struct conf_snmp {
	struct snmptrap_sink	 sinks[SNMPTRAP_MAX_SINKS];
	size_t			 nsinks;
	unsigned		 holddown_s;	/* default 60 */
	unsigned		 rate_per_min;	/* default 120 */
	char			 agentx[256];	/* "": no subagent */
};

void	conf_snmp_defaults(struct conf_snmp *);

/*
 * The statement whose keyword is the lexer's current token.  Returns 1
 * when it was one of the above (the lexer then stands on its last
 * token), 0 when the keyword is not an SNMP one, or -EINVAL with what
 * is wrong in msg (the lexer stands on the offending token).
 */
int	conf_snmp_statement(struct conf_lex *, struct conf_snmp *, char *msg,
	    size_t msglen);

/* Appends the statements in the grammar (passphrases not shown). */
void	conf_snmp_print(const struct conf_snmp *, char *buf, size_t len);

#endif
