/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include "wire.h"

#define ARENA_CHUNK	(256 * 1024)
#define SEEN_SLOTS	(2 * WIRE_MAX_VMS)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, cap;
	max_align_t		 data[];
};

struct wire_decoder {
	ProtobufCAllocator	 alloc;
	struct arena_chunk	*chunks;
	wire_envelope		*msg;
	const uint8_t		*seen[SEEN_SLOTS];
};

static const char *const wire_errs[WIRE_E_MAX] = {
	[WIRE_OK] = "ok",
	[WIRE_E_SIZE] = "bad size",
	[WIRE_E_DECODE] = "undecodable",
	[WIRE_E_VERSION] = "unknown version",
	[WIRE_E_BODY] = "unexpected body",
	[WIRE_E_UUID] = "bad uuid",
	[WIRE_E_NAME] = "bad name",
	[WIRE_E_COUNT] = "too many items",
	[WIRE_E_DUPLICATE] = "duplicate vm",
	[WIRE_E_TIME] = "insane timestamp",
	[WIRE_E_INTERVAL] = "bad interval",
	[WIRE_E_SEQ] = "bad sequence",
	[WIRE_E_ENUM] = "unknown enum value",
	[WIRE_E_CAPACITY] = "bad capacity",
	[WIRE_E_VALUE] = "value out of range",
	[WIRE_E_ADDR] = "bad address",
};

const char *
wire_strerror(int code)
{
	if (code < 0)
		code = code < -WIRE_E_MAX ? WIRE_E_MAX : -code;	/* no -INT_MIN */
	if (code >= WIRE_E_MAX || wire_errs[code] == NULL)
		return "unknown error";
	return wire_errs[code];
}

static int
wire_fail(int code, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
wire_fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -code;
}

/* Arena allocator: bump allocation, freed all at once per message. */
static void *
arena_alloc(void *ctx, size_t size)
{
	struct wire_decoder	*d = ctx;
	struct arena_chunk	*c = d->chunks;
	size_t			 need, cap;
	void			*p;

	need = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (c == NULL || c->cap - c->used < need) {
		cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = d->chunks;
		d->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

static void
arena_free(void *ctx, void *p)
{
	(void)ctx;
	(void)p;
}

/* Keeps the newest (largest) chunk, frees the rest. */
static void
arena_reset(struct wire_decoder *d)
{
	struct arena_chunk	*c, *next;

	if (d->chunks == NULL)
		return;
	for (c = d->chunks->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	d->chunks->next = NULL;
	d->chunks->used = 0;
}

struct wire_decoder *
wire_decoder_new(void)
{
	struct wire_decoder	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->alloc.alloc = arena_alloc;
	d->alloc.free = arena_free;
	d->alloc.allocator_data = d;
	return d;
}

void
wire_decoder_free(struct wire_decoder *d)
{
	struct arena_chunk	*c, *next;

	if (d == NULL)
		return;
	for (c = d->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(d);
}

/* Length of the UTF-8 sequence at p (1..4), or 0 if it is not valid. */
static size_t
wire_utf8_len(const unsigned char *p)
{
	size_t	 n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) ||	/* overlong */
	    (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||	/* surrogates */
	    (n == 4 && p[0] == 0xf0 && p[1] < 0x90) ||
	    (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

static int
wire_strict_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int
wire_check_name(const char *s, size_t max, int text)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	if (s == NULL || s[0] == '\0')
		return -WIRE_E_NAME;
	while (p[i] != '\0') {
		if (!text) {
			if (!wire_strict_char(p[i]))
				return -WIRE_E_NAME;
			n = 1;
		} else if (p[i] < 0x20 || p[i] == 0x7f ||
		    (n = wire_utf8_len(p + i)) == 0)
			return -WIRE_E_NAME;
		i += n;
		if (i > max)
			return -WIRE_E_NAME;
	}
	return 0;
}

static int
wire_check_uuid(const ProtobufCBinaryData *u)
{
	size_t	 i;

	if (u->len != 16 || u->data == NULL)
		return -WIRE_E_UUID;
	for (i = 0; i < 16; i++)
		if (u->data[i] != 0)
			return 0;
	return -WIRE_E_UUID;
}

/* Returns 1 if uuid was already in the table, else inserts it. */
static int
wire_seen(const uint8_t **seen, const uint8_t *uuid)
{
	uint64_t	 h, l;
	size_t		 i;

	memcpy(&h, uuid, sizeof(h));
	memcpy(&l, uuid + 8, sizeof(l));
	h ^= l * 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 31;
	h *= 0x9e3779b97f4a7c15ULL;
	for (i = h % SEEN_SLOTS;; i = (i + 1) % SEEN_SLOTS) {
		if (seen[i] == NULL) {
			seen[i] = uuid;
			return 0;
		}
		if (memcmp(seen[i], uuid, 16) == 0)
			return 1;
	}
}

/* An address is a MAC (6 bytes), an IPv4 (4) or an IPv6 (16) address. */
static int
wire_check_addr(const ProtobufCBinaryData *a, int may_be_empty)
{
	if (a->len == 0)
		return may_be_empty ? 0 : -1;
	return (a->len == 4 || a->len == 6 || a->len == 16) ? 0 : -1;
}

static int
wire_validate_vm(const wire_vm *vm, size_t idx, char *err, size_t errlen)
{
	size_t	i;

	if (wire_check_uuid(&vm->uuid) < 0)
		return wire_fail(WIRE_E_UUID, err, errlen,
		    "vm %zu: uuid is %zu bytes or nil, want 16", idx,
		    vm->uuid.len);
	if (wire_check_name(vm->name, WIRE_MAX_VM_NAME, 1) < 0)
		return wire_fail(WIRE_E_NAME, err, errlen,
		    "vm %zu: name empty, longer than %d bytes, not UTF-8 or "
		    "with control characters", idx, WIRE_MAX_VM_NAME);
	if ((int)vm->state < 0 || vm->state > BALLAST__V1__VM_STATE__VM_STATE_PMSUSPENDED)
		return wire_fail(WIRE_E_ENUM, err, errlen,
		    "vm %zu: unknown state %d", idx, (int)vm->state);
	if (vm->vcpus > 4096)
		return wire_fail(WIRE_E_VALUE, err, errlen,
		    "vm %zu: %u vcpus", idx, vm->vcpus);
	if (vm->mem_rss_bytes > (1ULL << 50) || vm->mem_max_bytes > (1ULL << 50))
		return wire_fail(WIRE_E_VALUE, err, errlen,
		    "vm %zu: memory over 1 PiB", idx);
	if (vm->read_offset_ms > WIRE_MAX_READ_OFFSET_MS ||
	    vm->read_offset_ms < -WIRE_MAX_READ_OFFSET_MS)
		return wire_fail(WIRE_E_TIME, err, errlen,
		    "vm %zu: read %d ms off the report's sample time, at most "
		    "1 h either way", idx, (int)vm->read_offset_ms);
	if (vm->n_addrs > WIRE_MAX_ADDRS)
		return wire_fail(WIRE_E_COUNT, err, errlen,
		    "vm %zu: %zu addresses, at most %d", idx, vm->n_addrs,
		    WIRE_MAX_ADDRS);
	for (i = 0; i < vm->n_addrs; i++)
		if (wire_check_addr(&vm->addrs[i], 0) < 0)
			return wire_fail(WIRE_E_ADDR, err, errlen,
			    "vm %zu: address %zu is %zu bytes, want 6, 4 or 16",
			    idx, i, vm->addrs[i].len);
	return 0;
}

static int
wire_check_endpoint(const Ballast__V1__Endpoint *e)
{
	if (e == NULL)
		return 0;
	if (e->vm.len != 0)
		return (wire_check_uuid(&e->vm) == 0 && e->addr.len == 0) ?
		    0 : -1;
	return wire_check_addr(&e->addr, 1);
}

static int
wire_validate_traffic(const Ballast__V1__Traffic *t, char *err, size_t errlen)
{
	size_t	i;

	if (t->sample_every == 0)
		return wire_fail(WIRE_E_VALUE, err, errlen,
		    "traffic: sample_every 0 (1 means every packet)");
	if (t->window_ms > WIRE_MAX_INTERVAL_MS)
		return wire_fail(WIRE_E_INTERVAL, err, errlen,
		    "traffic: window %u ms over %d", t->window_ms,
		    WIRE_MAX_INTERVAL_MS);
	if (t->n_pairs > WIRE_MAX_PAIRS)
		return wire_fail(WIRE_E_COUNT, err, errlen,
		    "traffic: %zu pairs, at most %d", t->n_pairs,
		    WIRE_MAX_PAIRS);
	for (i = 0; i < t->n_pairs; i++)
		if (wire_check_endpoint(t->pairs[i]->src) < 0 ||
		    wire_check_endpoint(t->pairs[i]->dst) < 0)
			return wire_fail(WIRE_E_ADDR, err, errlen,
			    "traffic: pair %zu: an end is neither a 16-byte "
			    "VM uuid nor a 6, 4 or 16-byte address", i);
	return 0;
}

static int
wire_validate_report(const wire_report *r, const uint8_t **seen,
    char *err, size_t errlen)
{
	const Ballast__V1__HostCapacity	*cap = r->capacity;
	size_t				 i;
	int				 rc;

	if (wire_check_uuid(&r->host_uuid) < 0)
		return wire_fail(WIRE_E_UUID, err, errlen,
		    "report: host uuid is %zu bytes or nil, want 16",
		    r->host_uuid.len);
	if (wire_check_name(r->host_name, WIRE_MAX_HOST_NAME, 0) < 0)
		return wire_fail(WIRE_E_NAME, err, errlen,
		    "report: host name empty, longer than %d or not "
		    "[A-Za-z0-9._-]", WIRE_MAX_HOST_NAME);
	if (r->cluster[0] != '\0' &&
	    wire_check_name(r->cluster, WIRE_MAX_CLUSTER, 0) < 0)
		return wire_fail(WIRE_E_NAME, err, errlen,
		    "report: bad cluster name");
	if (r->seq == 0)
		return wire_fail(WIRE_E_SEQ, err, errlen,
		    "report: sequence number 0 (they start at 1)");
	if (r->sample_time_ms < WIRE_MIN_TIME_MS ||
	    r->sample_time_ms > WIRE_MAX_TIME_MS)
		return wire_fail(WIRE_E_TIME, err, errlen,
		    "report: sample time %llu ms is not between 2000 and 2100",
		    (unsigned long long)r->sample_time_ms);
	if (r->interval_ms < WIRE_MIN_INTERVAL_MS ||
	    r->interval_ms > WIRE_MAX_INTERVAL_MS)
		return wire_fail(WIRE_E_INTERVAL, err, errlen,
		    "report: interval %u ms not in %d..%d", r->interval_ms,
		    WIRE_MIN_INTERVAL_MS, WIRE_MAX_INTERVAL_MS);
	if (cap == NULL || cap->cpus == 0 || cap->cpus > 65536 ||
	    cap->cpu_mhz == 0 || cap->cpu_mhz > 100000 ||
	    cap->memory_bytes == 0 || cap->memory_bytes > (1ULL << 52))
		return wire_fail(WIRE_E_CAPACITY, err, errlen,
		    "report: host capacity missing or impossible");
	if (r->counters == NULL)
		return wire_fail(WIRE_E_CAPACITY, err, errlen,
		    "report: host counters missing");
	if (r->n_vms > WIRE_MAX_VMS)
		return wire_fail(WIRE_E_COUNT, err, errlen,
		    "report: %zu vms, at most %d", r->n_vms, WIRE_MAX_VMS);
	if (seen != NULL)
		memset(seen, 0, SEEN_SLOTS * sizeof(*seen));
	for (i = 0; i < r->n_vms; i++) {
		if ((rc = wire_validate_vm(r->vms[i], i, err, errlen)) < 0)
			return rc;
		if (seen != NULL && wire_seen(seen, r->vms[i]->uuid.data))
			return wire_fail(WIRE_E_DUPLICATE, err, errlen,
			    "report: vm %zu appears twice", i);
	}
	if (r->traffic != NULL)
		return wire_validate_traffic(r->traffic, err, errlen);
	return 0;
}

static int
wire_validate_hello(const Ballast__V1__Hello *h, char *err, size_t errlen)
{
	size_t	 i;

	if (wire_check_uuid(&h->host_uuid) < 0)
		return wire_fail(WIRE_E_UUID, err, errlen,
		    "hello: host uuid is %zu bytes or nil", h->host_uuid.len);
	if (wire_check_name(h->host_name, WIRE_MAX_HOST_NAME, 0) < 0)
		return wire_fail(WIRE_E_NAME, err, errlen,
		    "hello: bad host name");
	if (h->n_capabilities > WIRE_MAX_CAPS)
		return wire_fail(WIRE_E_COUNT, err, errlen,
		    "hello: %zu capabilities", h->n_capabilities);
	for (i = 0; i < h->n_capabilities; i++)
		if (wire_check_name(h->capabilities[i], 31, 0) < 0)
			return wire_fail(WIRE_E_NAME, err, errlen,
			    "hello: bad capability %zu", i);
	if (h->software[0] != '\0' && wire_check_name(h->software, 63, 1) < 0)
		return wire_fail(WIRE_E_NAME, err, errlen,
		    "hello: bad software string");
	return 0;
}

static int
wire_validate_command(const Ballast__V1__Command *c, char *err, size_t errlen)
{
	const Ballast__V1__Migrate	*m;

	if (c->id == 0)
		return wire_fail(WIRE_E_VALUE, err, errlen, "command: id 0");
	switch (c->op_case) {
	case BALLAST__V1__COMMAND__OP_MIGRATE:
		m = c->migrate;
		if (wire_check_uuid(&m->vm_uuid) < 0 ||
		    wire_check_uuid(&m->dest_host_uuid) < 0)
			return wire_fail(WIRE_E_UUID, err, errlen,
			    "migrate: bad vm or destination uuid");
		if (wire_check_name(m->dest_host_name, WIRE_MAX_HOST_NAME, 0) < 0)
			return wire_fail(WIRE_E_NAME, err, errlen,
			    "migrate: bad destination name");
		return 0;
	case BALLAST__V1__COMMAND__OP_CANCEL:
		if (c->cancel->command_id == 0)
			return wire_fail(WIRE_E_VALUE, err, errlen,
			    "cancel: command id 0");
		return 0;
	default:
		return wire_fail(WIRE_E_BODY, err, errlen, "command: no operation");
	}
}

static int
wire_validate_status(const Ballast__V1__CommandStatus *s, char *err,
    size_t errlen)
{
	if (s->id == 0)
		return wire_fail(WIRE_E_VALUE, err, errlen, "status: id 0");
	if ((int)s->state <= 0 || s->state > BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED)
		return wire_fail(WIRE_E_ENUM, err, errlen,
		    "status: unknown state %d", (int)s->state);
	if (s->progress_permille > 1000)
		return wire_fail(WIRE_E_VALUE, err, errlen,
		    "status: progress %u of 1000", s->progress_permille);
	if (strlen(s->error) > WIRE_MAX_ERROR_TEXT)
		return wire_fail(WIRE_E_VALUE, err, errlen,
		    "status: error text too long");
	if (wire_check_uuid(&s->host_uuid) < 0)
		return wire_fail(WIRE_E_UUID, err, errlen,
		    "status: bad host uuid");
	return 0;
}

int
wire_validate(const wire_envelope *e, const uint8_t **seen, char *err,
    size_t errlen)
{
	if (e->version != WIRE_VERSION)
		return wire_fail(WIRE_E_VERSION, err, errlen,
		    "version %u, this side speaks %d", e->version, WIRE_VERSION);
	switch (e->body_case) {
	case BALLAST__V1__ENVELOPE__BODY_HELLO:
		return wire_validate_hello(e->hello, err, errlen);
	case BALLAST__V1__ENVELOPE__BODY_REPORT:
		return wire_validate_report(e->report, seen, err, errlen);
	case BALLAST__V1__ENVELOPE__BODY_ACK:
		return 0;
	case BALLAST__V1__ENVELOPE__BODY_COMMAND:
		return wire_validate_command(e->command, err, errlen);
	case BALLAST__V1__ENVELOPE__BODY_STATUS:
		return wire_validate_status(e->status, err, errlen);
	default:
		return wire_fail(WIRE_E_BODY, err, errlen, "envelope has no body");
	}
}

int
wire_decode(struct wire_decoder *d, const void *buf, size_t len,
    unsigned accept, wire_envelope **out, char *err, size_t errlen)
{
	wire_envelope	*e;
	int		 rc;

	arena_reset(d);
	d->msg = NULL;
	if (len == 0 || len > WIRE_MAX_MSG_BYTES)
		return wire_fail(WIRE_E_SIZE, err, errlen,
		    "message of %zu bytes (limit %d)", len, WIRE_MAX_MSG_BYTES);
	e = ballast__v1__envelope__unpack(&d->alloc, len, buf);
	if (e == NULL)
		return wire_fail(WIRE_E_DECODE, err, errlen,
		    "%zu bytes that are not a ballast Envelope", len);
	d->msg = e;
	if (e->body_case == BALLAST__V1__ENVELOPE__BODY__NOT_SET ||
	    (accept & (1u << e->body_case)) == 0)
		return wire_fail(WIRE_E_BODY, err, errlen,
		    "body %d not expected here", (int)e->body_case);
	if ((rc = wire_validate(e, d->seen, err, errlen)) < 0)
		return rc;
	*out = e;
	return 0;
}

uint8_t *
wire_pack(wire_envelope *e, size_t *len)
{
	uint8_t	*buf;
	size_t	 n;

	e->version = WIRE_VERSION;
	n = ballast__v1__envelope__get_packed_size(e);
	if ((buf = malloc(n > 0 ? n : 1)) == NULL)
		return NULL;
	*len = ballast__v1__envelope__pack(e, buf);
	return buf;
}

void
wire_routing_id(const uint8_t uuid[16], uint8_t out[WIRE_ROUTING_ID_LEN])
{
	out[0] = 'H';
	memcpy(out + 1, uuid, 16);
}

int
wire_routing_id_secret(const uint8_t uuid[16],
    uint8_t out[WIRE_ROUTING_ID_CURVE_LEN])
{
	uint8_t	 secret[WIRE_ROUTING_SECRET_LEN];
	ssize_t	 n;

	do
		n = getrandom(secret, sizeof(secret), 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -errno;
	if (n != (ssize_t)sizeof(secret))
		return -EIO;
	wire_routing_id(uuid, out);
	memcpy(out + WIRE_ROUTING_ID_LEN, secret, sizeof(secret));
	explicit_bzero(secret, sizeof(secret));
	return 0;
}

int
wire_routing_id_is(const uint8_t *rid, size_t len, const uint8_t uuid[16],
    int curve)
{
	return len == (curve ? WIRE_ROUTING_ID_CURVE_LEN : WIRE_ROUTING_ID_LEN) &&
	    rid[0] == 'H' && memcmp(rid + 1, uuid, 16) == 0;
}
