/* SPDX-License-Identifier: ISC */
/*
 * snmpmib: read-only MIB tables and scalars served from callbacks, on
 * the net-snmp agent library (snmpagent.h).
 *
 * A table is its entry's OID, a range of column numbers and three
 * callbacks: how many rows there are, row i's index (the OID suffix
 * after entry.column), and one cell's value.  Rows must come in
 * ascending index order (as OIDs compare); the engine answers GET,
 * GETNEXT and GETBULK by binary search, so a walk of n rows costs
 * O(n log n) callbacks and nothing is copied.  A group of scalars is a
 * table of one row whose index is 0.  SETs are refused (notWritable).
 *
 * The callbacks run inside snmpagent_run(), in the caller's thread.
 */
#ifndef BALLAST_SNMPMIB_H
#define BALLAST_SNMPMIB_H

#include <stddef.h>
#include <stdint.h>

#define SMIB_MAX_OID	128
#define SMIB_STR	256

typedef unsigned long	smib_oid;	/* net-snmp's oid */

enum smib_type {
	SMIB_INTEGER = 0,	/* Integer32 and enumerations: v.i */
	SMIB_UNSIGNED,		/* Unsigned32: v.u */
	SMIB_GAUGE,		/* Gauge32: v.u */
	SMIB_COUNTER,		/* Counter32: v.u */
	SMIB_COUNTER64,		/* Counter64: v.u */
	SMIB_TIMETICKS,		/* TimeTicks: v.u (centiseconds) */
	SMIB_STRING,		/* OCTET STRING: str, len */
	SMIB_OID,		/* OBJECT IDENTIFIER: oid, len (sub-identifiers) */
	SMIB_IPADDR		/* IpAddress: str, len 4 */
};

struct smib_val {
	enum smib_type	 type;
	int64_t		 i;
	uint64_t	 u;
	size_t		 len;
	char		 str[SMIB_STR];
	smib_oid	 oid[SMIB_MAX_OID];
};

struct smib_table {
	const char	*name;		/* for the registration */
	smib_oid	 entry[SMIB_MAX_OID];
	size_t		 entry_len;
	unsigned	 first_col, last_col;
	void		*arg;
	size_t		(*rows)(void *arg);
	/* row i's index into idx (SMIB_MAX_OID at most); returns its length */
	size_t		(*index)(void *arg, size_t row, smib_oid *idx);
	/* 0 and *v, or -1 when the row has no such cell */
	int		(*cell)(void *arg, size_t row, unsigned col,
			    struct smib_val *v);
};

/*
 * Registers t (kept by pointer: it must outlive the agent) under
 * entry.first_col .. entry.last_col.  Returns 0 or -EIO.
 */
int	smib_register(struct smib_table *t);

/*
 * The engine without the agent, for tests: the first cell after
 * name (exact = 0) or at name (exact = 1).  Returns 0 with its OID in
 * out/outlen and its value in *v, or -1 when there is none.
 */
int	smib_lookup(const struct smib_table *t, const smib_oid *name,
	    size_t len, int exact, smib_oid *out, size_t *outlen,
	    struct smib_val *v);

/* Helpers for callbacks. */
void	smib_set_str(struct smib_val *v, const char *s);
void	smib_set_bytes(struct smib_val *v, const void *p, size_t n);
void	smib_set_int(struct smib_val *v, int64_t i);
void	smib_set_uint(struct smib_val *v, enum smib_type t, uint64_t u);
/* Appends a string's bytes as sub-identifiers; returns the new length. */
size_t	smib_oid_str(smib_oid *idx, size_t at, const char *s, int implied);
/* Compares two OIDs as SNMP orders them: <0, 0, >0. */
int	smib_oid_cmp(const smib_oid *a, size_t alen, const smib_oid *b,
	    size_t blen);

#endif
