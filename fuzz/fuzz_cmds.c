/* SPDX-License-Identifier: ISC */
/*
 * fuzz_cmds: the collector's command path as far as it runs without
 * libvirt -- what the balancer's socket delivers goes through
 * wire_decode() with the collector's mask (ack, command), and an
 * accepted command through cmds_on_command() twice (the second time
 * is a repeat) and cmds_tick().
 *
 * The actuator is a stand-in (libvirt cannot run inside a fuzzer): it
 * accepts every migration, expands the destination template of the
 * exec actuator with act_expand() as exec_act.c would, and reports
 * each migration done on the next poll.  Properties: a repeated
 * command never starts anything and is answered with the state it has
 * already; every status sent carries the command's id and a known
 * state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cmds.h"
#include "fuzz.h"
#include "wire.h"

#define ACCEPT_COLLECTOR ((1u << BALLAST__V1__ENVELOPE__BODY_ACK) | \
			  (1u << BALLAST__V1__ENVELOPE__BODY_COMMAND))
#define TEMPLATE	"virsh migrate --live {vm} qemu+ssh://{dest}/system " \
			"{uuid} {dest_uuid} {host} {vmid}"

struct fake {
	struct act_req	 running[4];
	size_t		 n;
	unsigned	 starts, sends;
	struct act_update last;
};

static int
fake_start(void *arg, const struct act_req *req, char *err, size_t errlen)
{
	struct fake	*f = arg;
	char		 cmd[1024];
	int		 rc;

	f->starts++;
	if ((rc = act_expand(TEMPLATE, req, cmd, sizeof(cmd))) < 0 ||
	    f->n == sizeof(f->running) / sizeof(f->running[0])) {
		snprintf(err, errlen, "cannot start");
		return rc < 0 ? rc : -EBUSY;
	}
	f->running[f->n++] = *req;
	return 0;
}

static int
fake_cancel(void *arg, uint64_t id)
{
	struct fake	*f = arg;
	size_t		 i;

	for (i = 0; i < f->n; i++)
		if (f->running[i].id == id)
			return 0;
	return -ENOENT;
}

static uint64_t
fake_busy(void *arg, const uint8_t vm[16])
{
	struct fake	*f = arg;
	size_t		 i;

	for (i = 0; i < f->n; i++)
		if (memcmp(f->running[i].vm, vm, 16) == 0)
			return f->running[i].id;
	return 0;
}

static size_t
fake_poll(void *arg, int64_t now_ms, struct act_update *up, size_t max)
{
	struct fake	*f = arg;
	size_t		 n = 0;

	(void)now_ms;
	while (f->n > 0 && n < max) {
		memset(&up[n], 0, sizeof(up[n]));
		up[n].id = f->running[--f->n].id;
		up[n].state = BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE;
		up[n++].permille = 1000;
	}
	return n;
}

static int
fake_fd(void *arg)
{
	(void)arg;
	return -1;
}

static void
fake_free(void *arg)
{
	(void)arg;
}

static const struct act_ops fake_ops = {
	"fuzz", fake_start, fake_cancel, fake_busy, fake_poll, fake_fd,
	fake_free
};

/* Every VM runs here but those whose UUID ends in 0xff. */
static int
fake_here(void *arg, const uint8_t vm[16], char *name, size_t len)
{
	(void)arg;
	snprintf(name, len, "vm-%02x%02x", vm[0], vm[1]);
	return vm[15] != 0xff;
}

static void
fake_send(void *arg, const struct act_update *u)
{
	struct fake	*f = arg;

	fuzz_assert(u->id != 0, "a status without a command id", NULL);
	fuzz_assert(u->state > BALLAST__V1__COMMAND_STATE__CMD_STATE_UNKNOWN &&
	    u->state <= BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED,
	    "a status with an unknown state", NULL);
	fuzz_assert(strlen(u->error) <= WIRE_MAX_ERROR_TEXT,
	    "an error text past the wire's bound", NULL);
	f->sends++;
	f->last = *u;
}

static void
fuzz_command(const Ballast__V1__Command *cmd)
{
	struct fake		 f;
	struct cmds_config	 cfg;
	struct cmds		*c;
	struct act_update	 first;
	unsigned		 starts;

	memset(&f, 0, sizeof(f));
	memset(&cfg, 0, sizeof(cfg));
	cfg.ops = &fake_ops;
	cfg.act = &f;
	cfg.here = fake_here;
	cfg.send = fake_send;
	cfg.arg = &f;
	cfg.host_name = "hv01";
	cfg.timeout_ms = 60000;
	if ((c = cmds_new(&cfg)) == NULL)
		abort();
	cmds_on_command(c, cmd, 1000000, 1700000000000);
	first = f.last;
	starts = f.starts;
	cmds_on_command(c, cmd, 1000001, 1700000000001);
	fuzz_assert(f.starts == starts, "a repeated command started again",
	    NULL);
	fuzz_assert(cmd->id == 0 || (f.last.id == cmd->id &&
	    f.last.state == first.state), "a repeat answered differently",
	    NULL);
	cmds_tick(c, 1000002);
	cmds_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wire_decoder	*dec;
	wire_envelope			*e;
	char				 err[256];

	if (dec == NULL && (dec = wire_decoder_new()) == NULL)
		abort();
	if (wire_decode(dec, data, size, ACCEPT_COLLECTOR, &e, err,
	    sizeof(err)) < 0)
		return 0;
	if (e->body_case == BALLAST__V1__ENVELOPE__BODY_COMMAND)
		fuzz_command(e->command);
	return 0;
}
