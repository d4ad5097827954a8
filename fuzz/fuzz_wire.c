/* SPDX-License-Identifier: ISC */
/*
 * fuzz_wire: every message a socket can deliver goes through
 * wire_decode() (protobuf-c unpacking into the decoder's arena, then
 * every bound of the wire contract) with every body kind accepted.
 * Properties: a refusal has a code wire_strerror() names and a reason;
 * an accepted message packs again, and the packed form is accepted too
 * and packs to the same bytes.  Fields this side does not know are
 * dropped before packing again: protobuf-c keeps them as they came,
 * even where they are not valid protobuf (a field number 0 in a
 * non-minimal varint), and ballast never packs a received message.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "wire.h"

#define ACCEPT_ALL	((1u << BALLAST__V1__ENVELOPE__BODY_HELLO) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_REPORT) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_ACK) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_COMMAND) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_STATUS))

static struct wire_decoder	*dec, *dec2;

/* Drops the unknown fields of m and of every message inside it. */
static void
fuzz_strip(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	const ProtobufCFieldDescriptor		*f;
	const char				*base = (const char *)m;
	ProtobufCMessage *const			*sub;
	size_t					 i, k, n;

	m->n_unknown_fields = 0;
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		sub = (ProtobufCMessage *const *)(base + f->offset);
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			if (*sub != NULL)
				fuzz_strip(*sub);
			continue;
		}
		n = *(const size_t *)(base + f->quantifier_offset);
		sub = *(ProtobufCMessage **const *)(base + f->offset);
		for (k = 0; k < n; k++)
			fuzz_strip(sub[k]);
	}
}

static void
fuzz_roundtrip(wire_envelope *e)
{
	wire_envelope	*again;
	uint8_t		*buf, *buf2;
	size_t		 len, len2;
	char		 err[256];

	fuzz_strip(&e->base);
	if ((buf = wire_pack(e, &len)) == NULL)
		abort();
	fuzz_assert(wire_decode(dec2, buf, len, ACCEPT_ALL, &again, err,
	    sizeof(err)) == 0, "a packed accepted message is refused", err);
	if ((buf2 = wire_pack(again, &len2)) == NULL)
		abort();
	fuzz_assert(len == len2 && memcmp(buf, buf2, len) == 0,
	    "packing is not stable", NULL);
	free(buf);
	free(buf2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wire_envelope	*e = NULL;
	char		 err[256];
	int		 rc;

	if (dec == NULL && ((dec = wire_decoder_new()) == NULL ||
	    (dec2 = wire_decoder_new()) == NULL))
		abort();
	err[0] = '\0';
	rc = wire_decode(dec, data, size, ACCEPT_ALL, &e, err, sizeof(err));
	if (rc < 0) {
		fuzz_assert(rc > -WIRE_E_MAX && wire_strerror(rc) != NULL &&
		    err[0] != '\0', "a refusal without a code or reason", NULL);
		return 0;
	}
	fuzz_assert(e != NULL && e->body_case !=
	    BALLAST__V1__ENVELOPE__BODY__NOT_SET, "accepted without a body",
	    NULL);
	fuzz_roundtrip(e);
	return 0;
}
