/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "snmpmib.h"

_Static_assert(sizeof(oid) == sizeof(smib_oid), "net-snmp's oid");

int
smib_oid_cmp(const smib_oid *a, size_t alen, const smib_oid *b, size_t blen)
{
	size_t	 i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* The first row whose index is > key (strict) or >= key. */
static size_t
smib_search(const struct smib_table *t, size_t nrows, const smib_oid *key,
    size_t klen, int strict)
{
	smib_oid	 idx[SMIB_MAX_OID];
	size_t		 lo = 0, hi = nrows, mid, ilen;
	int		 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		ilen = t->index(t->arg, mid, idx);
		c = smib_oid_cmp(idx, ilen, key, klen);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* entry.col.index of row r into out. */
static int
smib_name(const struct smib_table *t, size_t r, unsigned col, smib_oid *out,
    size_t *outlen)
{
	smib_oid	 idx[SMIB_MAX_OID];
	size_t		 ilen = t->index(t->arg, r, idx);

	if (t->entry_len + 1 + ilen > SMIB_MAX_OID)
		return -1;
	memcpy(out, t->entry, t->entry_len * sizeof(*out));
	out[t->entry_len] = col;
	memcpy(out + t->entry_len + 1, idx, ilen * sizeof(*out));
	*outlen = t->entry_len + 1 + ilen;
	return 0;
}

static int
smib_exact(const struct smib_table *t, const smib_oid *name, size_t len,
    smib_oid *out, size_t *outlen, struct smib_val *v)
{
	smib_oid	 idx[SMIB_MAX_OID];
	size_t		 el = t->entry_len, nrows, r, ilen;
	smib_oid	 col;

	if (len <= el + 1 || smib_oid_cmp(name, el, t->entry, el) != 0)
		return -1;
	col = name[el];
	if (col < t->first_col || col > t->last_col)
		return -1;
	nrows = t->rows(t->arg);
	r = smib_search(t, nrows, name + el + 1, len - el - 1, 0);
	if (r >= nrows)
		return -1;
	ilen = t->index(t->arg, r, idx);
	if (smib_oid_cmp(idx, ilen, name + el + 1, len - el - 1) != 0 ||
	    t->cell(t->arg, r, (unsigned)col, v) < 0)
		return -1;
	memcpy(out, name, len * sizeof(*out));
	*outlen = len;
	return 0;
}

/*
 * Where a GETNEXT from name starts: column *col, row *row.  Returns -1
 * when name is past the table.
 */
static int
smib_start(const struct smib_table *t, const smib_oid *name, size_t len,
    size_t nrows, unsigned *col, size_t *row)
{
	size_t	 el = t->entry_len, n = len < el ? len : el;
	int	 c = smib_oid_cmp(name, n, t->entry, n);

	*col = t->first_col;
	*row = 0;
	if (c < 0 || len <= el)
		return c > 0 ? -1 : 0;
	if (c > 0)
		return -1;
	if (name[el] < t->first_col)
		return 0;
	if (name[el] > t->last_col)
		return -1;
	*col = (unsigned)name[el];
	*row = smib_search(t, nrows, name + el + 1, len - el - 1, 1);
	return 0;
}

int
smib_lookup(const struct smib_table *t, const smib_oid *name, size_t len,
    int exact, smib_oid *out, size_t *outlen, struct smib_val *v)
{
	size_t		 nrows, r;
	unsigned	 col;

	v->type = SMIB_INTEGER;
	v->i = 0;
	v->u = 0;
	v->len = 0;
	if (exact)
		return smib_exact(t, name, len, out, outlen, v);
	nrows = t->rows(t->arg);
	if (smib_start(t, name, len, nrows, &col, &r) < 0)
		return -1;
	for (; col <= t->last_col; col++, r = 0)
		for (; r < nrows; r++)
			if (t->cell(t->arg, r, col, v) == 0)
				return smib_name(t, r, col, out, outlen);
	return -1;
}

/* The value into the varbind. */
static void
smib_put(netsnmp_variable_list *vb, const struct smib_val *v)
{
	struct counter64	 c64;
	long			 l;
	u_long			 ul;

	switch (v->type) {
	case SMIB_INTEGER:
		l = (long)v->i;
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		return;
	case SMIB_COUNTER64:
		c64.high = (u_long)(v->u >> 32);
		c64.low = (u_long)(v->u & 0xffffffffu);
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c64, sizeof(c64));
		return;
	case SMIB_STRING:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->str, v->len);
		return;
	case SMIB_IPADDR:
		snmp_set_var_typed_value(vb, ASN_IPADDRESS, v->str, 4);
		return;
	case SMIB_OID:
		snmp_set_var_typed_value(vb, ASN_OBJECT_ID, v->oid,
		    v->len * sizeof(oid));
		return;
	default:
		break;
	}
	ul = (u_long)(v->u & 0xffffffffu);
	snmp_set_var_typed_value(vb, v->type == SMIB_GAUGE ? ASN_GAUGE :
	    v->type == SMIB_COUNTER ? ASN_COUNTER : v->type == SMIB_TIMETICKS ?
	    ASN_TIMETICKS : ASN_UNSIGNED, &ul, sizeof(ul));
}

static void
smib_one(const struct smib_table *t, netsnmp_agent_request_info *reqinfo,
    netsnmp_request_info *req)
{
	netsnmp_variable_list	*vb = req->requestvb;
	smib_oid		 out[SMIB_MAX_OID];
	size_t			 outlen;
	static struct smib_val	 v;	/* large; one request at a time */

	switch (reqinfo->mode) {
	case MODE_GET:
		if (smib_lookup(t, vb->name, vb->name_length, 1, out, &outlen,
		    &v) < 0)
			netsnmp_set_request_error(reqinfo, req,
			    SNMP_NOSUCHINSTANCE);
		else
			smib_put(vb, &v);
		break;
	case MODE_GETNEXT:
		/* nothing found: the agent goes on to the next subtree */
		if (smib_lookup(t, vb->name, vb->name_length, 0, out, &outlen,
		    &v) == 0) {
			snmp_set_var_objid(vb, out, outlen);
			smib_put(vb, &v);
		}
		break;
	default:
		netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
		break;
	}
}

static int
smib_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct smib_table	*t = handler->myvoid;
	netsnmp_request_info	*r;

	(void)reg;
	for (r = requests; r != NULL; r = r->next)
		if (!r->processed)
			smib_one(t, reqinfo, r);
	return SNMP_ERR_NOERROR;
}

int
smib_register(struct smib_table *t)
{
	netsnmp_handler_registration	*reg;
	smib_oid			 root[SMIB_MAX_OID];
	size_t				 rlen = t->entry_len;

	memcpy(root, t->entry, rlen * sizeof(*root));
	if (t->first_col == t->last_col)
		root[rlen++] = t->first_col;
	reg = netsnmp_create_handler_registration(t->name, smib_handler, root,
	    rlen, HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -EIO;
	reg->handler->myvoid = t;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK)
		return -EIO;
	return 0;
}

void
smib_set_str(struct smib_val *v, const char *s)
{
	smib_set_bytes(v, s, strlen(s));
}

void
smib_set_bytes(struct smib_val *v, const void *p, size_t n)
{
	if (n > sizeof(v->str))
		n = sizeof(v->str);
	v->type = SMIB_STRING;
	memcpy(v->str, p, n);
	v->len = n;
}

void
smib_set_int(struct smib_val *v, int64_t i)
{
	v->type = SMIB_INTEGER;
	v->i = i;
}

void
smib_set_uint(struct smib_val *v, enum smib_type t, uint64_t u)
{
	v->type = t;
	v->u = u;
}

size_t
smib_oid_str(smib_oid *idx, size_t at, const char *s, int implied)
{
	size_t	 n = strlen(s), i;

	if (!implied && at < SMIB_MAX_OID)
		idx[at++] = n;
	for (i = 0; i < n && at < SMIB_MAX_OID; i++)
		idx[at++] = (unsigned char)s[i];
	return at;
}
