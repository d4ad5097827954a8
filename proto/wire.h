/* SPDX-License-Identifier: ISC */
/*
 * wire: frames, decodes, validates and bounds every ballast message.
 *
 * Nothing from a socket is used before wire_decode() has accepted it.
 * The module keeps no global state and never prints: a rejection comes
 * back as a negative code (see enum wire_err) and a one-line reason in
 * the caller's buffer.
 */
#ifndef BALLAST_WIRE_H
#define BALLAST_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "ballast.pb-c.h"

#define WIRE_VERSION		1
#define WIRE_MAX_MSG_BYTES	(8 * 1024 * 1024)	/* ZMQ_MAXMSGSIZE */
#define WIRE_MAX_VMS		4096	/* VMs in one HostReport */
#define WIRE_MAX_HOST_NAME	63
#define WIRE_MAX_VM_NAME	127
#define WIRE_MAX_CLUSTER	63
#define WIRE_MAX_ERROR_TEXT	511
#define WIRE_MAX_CAPS		32
#define WIRE_MAX_ADDRS		16	/* addresses of one VM */
#define WIRE_MAX_PAIRS		256	/* traffic pairs in one report */
#define WIRE_MIN_TIME_MS	946684800000ULL		/* 2000-01-01 */
#define WIRE_MAX_TIME_MS	4102444800000ULL	/* 2100-01-01 */
#define WIRE_MIN_INTERVAL_MS	50
#define WIRE_MAX_INTERVAL_MS	3600000
#define WIRE_MAX_READ_OFFSET_MS	3600000	/* a VM's read time off the report's */
#define WIRE_ROUTING_ID_LEN	17	/* 'H' + host UUID */
#define WIRE_ROUTING_SECRET_LEN	16	/* CURVE: and a collector's secret */
#define WIRE_ROUTING_ID_CURVE_LEN (WIRE_ROUTING_ID_LEN + WIRE_ROUTING_SECRET_LEN)

typedef Ballast__V1__Envelope		wire_envelope;
typedef Ballast__V1__HostReport		wire_report;
typedef Ballast__V1__VmSample		wire_vm;

/* Why a message was refused; wire_strerror() names each. */
enum wire_err {
	WIRE_OK = 0,
	WIRE_E_SIZE = 1,	/* empty or over the size limit */
	WIRE_E_DECODE,		/* not a protobuf Envelope */
	WIRE_E_VERSION,		/* unknown major version */
	WIRE_E_BODY,		/* no body, or a body this side never receives */
	WIRE_E_UUID,		/* a UUID that is not 16 bytes, or all zero */
	WIRE_E_NAME,		/* empty, too long or unprintable name */
	WIRE_E_COUNT,		/* too many VMs or capabilities */
	WIRE_E_DUPLICATE,	/* the same VM twice in one report */
	WIRE_E_TIME,		/* sample time outside 2000..2100 */
	WIRE_E_INTERVAL,	/* interval outside 50 ms .. 1 h */
	WIRE_E_SEQ,		/* sequence number 0 */
	WIRE_E_ENUM,		/* unknown VM or command state */
	WIRE_E_CAPACITY,	/* missing or impossible host capacity */
	WIRE_E_VALUE,		/* a value out of its range */
	WIRE_E_ADDR,		/* an address that is not 6, 4 or 16 bytes */
	WIRE_E_MAX
};

const char	*wire_strerror(int code);	/* code may be negative */

/*
 * A decoder: holds the scratch space used to decode and check a
 * message (an arena that is reset for every message, and a table for
 * duplicate detection), so the hot path does not allocate once warm.
 * A message returned by wire_decode() stays valid until the next call
 * on the same decoder or wire_decoder_free().
 */
struct wire_decoder;

/* Returns NULL only when out of memory. */
struct wire_decoder *wire_decoder_new(void);
void	 wire_decoder_free(struct wire_decoder *);

/*
 * Decodes and validates one message.  `accept` is a bitmask of
 * (1 << BALLAST__V1__ENVELOPE__BODY_*) the receiver expects.
 * Returns 0 and sets *out, or -WIRE_E_* with a reason in err.
 */
int	wire_decode(struct wire_decoder *, const void *buf, size_t len,
	    unsigned accept, wire_envelope **out, char *err, size_t errlen);

/*
 * Checks a decoded message against every bound above (wire_decode()
 * calls it; exposed for tests and for senders checking themselves).
 * `seen` is scratch of at least 2 * WIRE_MAX_VMS slots, or NULL to skip
 * the duplicate check.  Returns 0 or -WIRE_E_* with a reason in err.
 */
int	wire_validate(const wire_envelope *, const uint8_t **seen,
	    char *err, size_t errlen);

/*
 * Checks a name of at most max bytes: with text 0, [A-Za-z0-9._-] only
 * (host, cluster and capability names); with text 1, any valid UTF-8
 * without control characters (VM names, software strings).
 * Returns 0 or -WIRE_E_NAME.
 */
int	wire_check_name(const char *s, size_t max, int text);

/*
 * Packs an envelope (its version is set to WIRE_VERSION).  Returns a
 * malloc'd buffer and its length in *len, or NULL when out of memory.
 */
uint8_t	*wire_pack(wire_envelope *, size_t *len);

/* Routing id of a host: 'H' followed by its 16-byte UUID. */
void	 wire_routing_id(const uint8_t uuid[16], uint8_t out[WIRE_ROUTING_ID_LEN]);

/*
 * With CURVE, a collector's routing id is 'H', its UUID and 16 random
 * bytes (getrandom(2)) that it chooses at start and that travel only
 * inside the encrypted handshake: no other connection can take it, so
 * the balancer's commands for the host reach that collector only.
 * Returns 0, or -errno with out unchanged.
 */
int	 wire_routing_id_secret(const uint8_t uuid[16],
	    uint8_t out[WIRE_ROUTING_ID_CURVE_LEN]);

/*
 * 1 when rid (len bytes) is host uuid's routing id in the form expected
 * (curve: with the secret, WIRE_ROUTING_ID_CURVE_LEN; else
 * WIRE_ROUTING_ID_LEN bytes), else 0.
 */
int	 wire_routing_id_is(const uint8_t *rid, size_t len,
	    const uint8_t uuid[16], int curve);

#endif
