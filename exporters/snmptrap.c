/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snmptrap.h"
#include "util.h"

/* BALLAST-MIB under the documentation PEN (a placeholder, see the MIB) */
#define BALLAST_OID		1, 3, 6, 1, 4, 1, 32473
#define BALLAST_OID_LEN		7

/*
 * The objects each notification carries (bits of enum st_obj), added
 * in the order of the MIB's OBJECTS clauses.
 */
enum st_obj {
	O_HOST = 1 << 1, O_VM = 1 << 2, O_VMUUID = 1 << 3, O_VALUE = 1 << 4,
	O_THRESHOLD = 1 << 5, O_SECONDS = 1 << 6, O_DEST = 1 << 7,
	O_REASON = 1 << 8, O_TEXT = 1 << 9
};

static const struct {
	const char	*name;
	unsigned	 objs;
} st_kinds[ST_NKINDS] = {
	[ST_HOST_HOT] = { "hostHot",
	    O_HOST | O_VALUE | O_THRESHOLD | O_SECONDS | O_TEXT },
	[ST_HOST_CLEARED] = { "hostCleared",
	    O_HOST | O_VALUE | O_THRESHOLD | O_SECONDS | O_TEXT },
	[ST_CLUSTER_IMBALANCED] = { "clusterImbalanced",
	    O_VALUE | O_THRESHOLD | O_TEXT },
	[ST_CLUSTER_BALANCED] = { "clusterBalanced",
	    O_VALUE | O_THRESHOLD | O_TEXT },
	[ST_COLLECTOR_LOST] = { "collectorLost", O_HOST | O_SECONDS | O_TEXT },
	[ST_COLLECTOR_RECOVERED] = { "collectorRecovered",
	    O_HOST | O_SECONDS | O_TEXT },
	[ST_MIGRATION_STARTED] = { "migrationStarted",
	    O_VM | O_VMUUID | O_HOST | O_DEST | O_REASON | O_TEXT },
	[ST_MIGRATION_COMPLETED] = { "migrationCompleted",
	    O_VM | O_VMUUID | O_HOST | O_DEST | O_SECONDS | O_TEXT },
	[ST_MIGRATION_FAILED] = { "migrationFailed",
	    O_VM | O_VMUUID | O_HOST | O_DEST | O_SECONDS | O_REASON | O_TEXT },
	[ST_POLICY_RELOAD_FAILED] = { "policyReloadFailed", O_TEXT },
};

struct st_session {
	netsnmp_session		*ss;
	struct snmptrap_sink	 cfg;
};

struct snmptrap {
	struct st_session	 s[SNMPTRAP_MAX_SINKS];
	size_t			 n;
	struct snmptrap_stats	 stats;
	int64_t			 start_ms;	/* for sysUpTime.0 */
};

const char *
snmptrap_kind_name(enum snmptrap_kind k)
{
	return k > 0 && k < ST_NKINDS ? st_kinds[k].name : "?";
}

static int
st_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
snmptrap_parse_engine_id(const char *hex, uint8_t *out, size_t max,
    size_t *len)
{
	size_t	 n, i;
	int	 hi, lo;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	n = strlen(hex);
	/* RFC 3411: 5 to 32 octets */
	if (n % 2 != 0 || n / 2 < 5 || n / 2 > 32 || n / 2 > max)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		hi = st_hexval(hex[2 * i]);
		lo = st_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* USM keys from the passphrases; 0 or -EINVAL. */
static int
st_usm(netsnmp_session *s, const struct snmptrap_sink *k)
{
	const oid	*ap = k->auth == SNMPTRAP_SHA256 ?
	    usmHMAC192SHA256AuthProtocol : usmHMACSHA1AuthProtocol;

	s->securityName = strdup(k->user);
	s->securityNameLen = strlen(k->user);
	s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	s->securityAuthProto = snmp_duplicate_objid(ap, USM_AUTH_PROTO_SHA_LEN);
	s->securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	s->securityPrivProto = snmp_duplicate_objid(usmAESPrivProtocol,
	    USM_PRIV_PROTO_AES_LEN);
	s->securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (s->securityName == NULL || s->securityAuthProto == NULL ||
	    s->securityPrivProto == NULL)
		return -ENOMEM;
	if (generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
	    (const u_char *)k->auth_pass, strlen(k->auth_pass),
	    s->securityAuthKey, &s->securityAuthKeyLen) != SNMPERR_SUCCESS ||
	    generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
	    (const u_char *)k->priv_pass, strlen(k->priv_pass),
	    s->securityPrivKey, &s->securityPrivKeyLen) != SNMPERR_SUCCESS)
		return -EINVAL;
	return 0;
}

/* A v3 trap: this engine is the authoritative one. */
static int
st_trap_engine(netsnmp_session *s, const struct snmptrap_sink *k)
{
	u_char	 id[32];
	size_t	 len = 0;

	if (k->engine_id[0] != '\0') {
		if (snmptrap_parse_engine_id(k->engine_id, id, sizeof(id),
		    &len) < 0)
			return -EINVAL;
	} else
		len = snmpv3_get_engineID(id, sizeof(id));
	if (len == 0)
		return -EINVAL;
	s->securityEngineID = netsnmp_memdup(id, len);
	s->contextEngineID = netsnmp_memdup(id, len);
	if (s->securityEngineID == NULL || s->contextEngineID == NULL)
		return -ENOMEM;
	s->securityEngineIDLen = s->contextEngineIDLen = len;
	s->engineBoots = snmpv3_local_snmpEngineBoots();
	s->engineTime = snmpv3_local_snmpEngineTime();
	s->flags |= SNMP_FLAGS_DONT_PROBE;
	return 0;
}

static void
st_session_free(netsnmp_session *s)
{
	free(s->securityName);
	free(s->securityAuthProto);
	free(s->securityPrivProto);
	free(s->securityEngineID);
	free(s->contextEngineID);
	free(s->community);
}

static int
st_open(struct st_session *ses, char *err, size_t errlen)
{
	const struct snmptrap_sink	*k = &ses->cfg;
	netsnmp_session			 s;
	int				 rc = 0;

	snmp_sess_init(&s);
	s.peername = ses->cfg.addr;
	s.retries = k->inform ? (int)(k->retries ? k->retries : 3) : 0;
	s.timeout = (long)(k->timeout_ms ? k->timeout_ms : 2000) * 1000L;
	if (k->version == 3) {
		s.version = SNMP_VERSION_3;
		rc = st_usm(&s, k);
		if (rc == 0 && !k->inform)
			rc = st_trap_engine(&s, k);
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)strdup(k->community);
		s.community_len = strlen(k->community);
		if (s.community == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0 && (ses->ss = snmp_open(&s)) == NULL)
		rc = -EIO;
	if (rc < 0)
		snprintf(err, errlen, "trap sink %s: %s", k->addr, rc == -EIO ?
		    snmp_api_errstring(snmp_errno) : rc == -ENOMEM ?
		    "out of memory" : "bad engine ID or passphrase");
	s.peername = NULL;
	st_session_free(&s);
	return rc;
}

struct snmptrap *
snmptrap_new(const struct snmptrap_sink *sinks, size_t n, char *err,
    size_t errlen)
{
	struct snmptrap	*st;
	size_t		 i;

	if (n > SNMPTRAP_MAX_SINKS) {
		snprintf(err, errlen, "at most %d trap sinks",
		    SNMPTRAP_MAX_SINKS);
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->start_ms = util_now_mono_ms();
	for (i = 0; i < n; i++) {
		st->s[i].cfg = sinks[i];
		if (st_open(&st->s[i], err, errlen) < 0) {
			snmptrap_free(st);
			return NULL;
		}
		st->n++;
	}
	return st;
}

void
snmptrap_free(struct snmptrap *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		if (st->s[i].ss != NULL)
			snmp_close(st->s[i].ss);
	free(st);
}

static void
st_add_str(netsnmp_pdu *pdu, unsigned obj, const char *s)
{
	oid	 name[] = { BALLAST_OID, 1, 5, 0, 0 };

	name[BALLAST_OID_LEN + 2] = obj;
	snmp_pdu_add_variable(pdu, name, OID_LENGTH(name), ASN_OCTET_STR,
	    s, strlen(s));
}

static void
st_add_num(netsnmp_pdu *pdu, unsigned obj, u_char type, int64_t v)
{
	oid	 name[] = { BALLAST_OID, 1, 5, 0, 0 };
	long	 l = (long)v;

	name[BALLAST_OID_LEN + 2] = obj;
	snmp_pdu_add_variable(pdu, name, OID_LENGTH(name), type, &l, sizeof(l));
}

static void
st_objects(netsnmp_pdu *pdu, const struct snmptrap_event *ev)
{
	unsigned	 o = st_kinds[ev->kind].objs;

	if (o & O_VM)
		st_add_str(pdu, 2, ev->vm);
	if (o & O_VMUUID)
		st_add_str(pdu, 3, ev->vm_uuid);
	if (o & O_HOST)
		st_add_str(pdu, 1, ev->host);
	if (o & O_VALUE)
		st_add_num(pdu, 4, ASN_INTEGER, ev->value);
	if (o & O_THRESHOLD)
		st_add_num(pdu, 5, ASN_INTEGER, ev->threshold);
	if (o & O_DEST)
		st_add_str(pdu, 7, ev->dest);
	if (o & O_SECONDS)
		st_add_num(pdu, 6, ASN_UNSIGNED,
		    ev->seconds > 0 ? ev->seconds : 0);
	if (o & O_REASON)
		st_add_str(pdu, 8, ev->reason);
	if (o & O_TEXT)
		st_add_str(pdu, 9, ev->text);
}

static netsnmp_pdu *
st_pdu(const struct snmptrap *st, const struct snmptrap_event *ev, int inform)
{
	static const oid uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
	static const oid trapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	static const oid trapaddr[] = { 1, 3, 6, 1, 6, 3, 18, 1, 3, 0 };
	oid		 kind[] = { BALLAST_OID, 0, 0 };
	netsnmp_pdu	*pdu;
	long		 up = (long)((util_now_mono_ms() - st->start_ms) / 10);

	if ((pdu = snmp_pdu_create(inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2))
	    == NULL)
		return NULL;
	kind[BALLAST_OID_LEN + 1] = ev->kind;
	snmp_pdu_add_variable(pdu, uptime, OID_LENGTH(uptime), ASN_TIMETICKS,
	    &up, sizeof(up));
	snmp_pdu_add_variable(pdu, trapoid, OID_LENGTH(trapoid), ASN_OBJECT_ID,
	    kind, sizeof(kind));
	if (ev->has_addr)
		snmp_pdu_add_variable(pdu, trapaddr, OID_LENGTH(trapaddr),
		    ASN_IPADDRESS, ev->addr, 4);
	st_objects(pdu, ev);
	return pdu;
}

static int
st_inform_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct snmptrap	*st = magic;

	(void)s;
	(void)reqid;
	(void)pdu;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		st->stats.acked++;
	else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT)
		st->stats.timeouts++;
	return 1;
}

int
snmptrap_send(struct snmptrap *st, const struct snmptrap_event *ev,
    char *err, size_t errlen)
{
	struct st_session	*ses;
	netsnmp_pdu		*pdu;
	size_t			 i;
	int			 n = 0;

	if (ev->kind <= 0 || ev->kind >= ST_NKINDS)
		return 0;
	for (i = 0; i < st->n; i++) {
		ses = &st->s[i];
		pdu = st_pdu(st, ev, ses->cfg.inform);
		if (pdu != NULL && (ses->cfg.inform ?
		    snmp_async_send(ses->ss, pdu, st_inform_cb, st) :
		    snmp_send(ses->ss, pdu)) != 0) {
			st->stats.sent++;
			n++;
			continue;
		}
		if (pdu != NULL)
			snmp_free_pdu(pdu);
		st->stats.errors++;
		snprintf(err, errlen, "trap sink %s: %s", ses->cfg.addr,
		    pdu == NULL ? "out of memory" :
		    snmp_api_errstring(ses->ss->s_snmp_errno));
	}
	return n;
}

void
snmptrap_stats(const struct snmptrap *st, struct snmptrap_stats *out)
{
	*out = st->stats;
}
