/* SPDX-License-Identifier: ISC */
/*
 * cdargs: ballast-collectord's command line and configuration: the
 * options, the file they override, and the defaults taken from the
 * host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd.h"
#include "cconf.h"
#include "log.h"
#include "util.h"
#include "wire.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: ballast-collectord [-dnv] [-f file] [--connect uri] [--balancer endpoint]\n"
"                          [--host-name name] [--host-uuid uuid] [--cluster name]\n"
"                          [--interval seconds] [--stats-timeout ms]\n"
"                          [--actuator libvirt|exec|none] [--exec command]\n"
"                          [--agentx-socket path] [--vm-notifications]\n"
"  -f, --config file       configuration (default " DEFAULT_CONF "\n"
"                          when it exists, else built-in defaults)\n"
"  -n, --check             check the configuration, print \"configuration OK\"\n"
"                          and exit; with -v print it back\n"
"  -v, --verbose           with -n: print the parsed configuration\n"
"  -d, --debug             log debug messages\n"
"      --connect uri       libvirt URI (default " CCONF_DEFAULT_URI ")\n"
"      --balancer endpoint the balancer's reports endpoint (default\n"
"                          " CCONF_DEFAULT_BALANCER ")\n"
"      --host-name name    this host's name in reports (default: the short\n"
"                          hostname)\n"
"      --host-uuid uuid    this host's UUID (default: derived from its name)\n"
"      --cluster name      cluster name in reports\n"
"      --interval seconds  between reports (default 10; e.g. 0.5)\n"
"      --stats-timeout ms  the bound on one libvirt call (default 2000, or\n"
"                          a quarter of the interval when that is less)\n"
"      --actuator kind     how migrations run: libvirt (default), exec or none\n"
"      --exec command      the exec actuator's command template\n"
"      --agentx-socket path serve VM-MIB (RFC 7666) as an AgentX subagent of\n"
"                          the master agent at path\n"
"      --vm-notifications  with --agentx-socket: send VM-MIB's lifecycle\n"
"                          notifications (vmRunning, vmPaused, ...)\n"
"  -h, --help              this text\n"
"      --version           print the version\n");
}

int
cd_parse_args(struct cd_opts *o, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug", no_argument, NULL, 'd' },
		{ "connect", required_argument, NULL, 'c' },
		{ "balancer", required_argument, NULL, 'b' },
		{ "host-name", required_argument, NULL, 'H' },
		{ "host-uuid", required_argument, NULL, 'U' },
		{ "cluster", required_argument, NULL, 'C' },
		{ "interval", required_argument, NULL, 'i' },
		{ "stats-timeout", required_argument, NULL, 't' },
		{ "actuator", required_argument, NULL, 'a' },
		{ "exec", required_argument, NULL, 'e' },
		{ "agentx-socket", required_argument, NULL, 'X' },
		{ "vm-notifications", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, "f:nvdh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->config = optarg; break;
		case 'n': o->check = 1; break;
		case 'v': o->verbose = 1; break;
		case 'd': o->debug = 1; break;
		case 'c': o->uri = optarg; break;
		case 'b': o->balancer = optarg; break;
		case 'H': o->host_name = optarg; break;
		case 'U': o->host_uuid = optarg; break;
		case 'C': o->cluster = optarg; break;
		case 'i': o->interval = optarg; break;
		case 't': o->stats_timeout = optarg; break;
		case 'a': o->actuator = optarg; break;
		case 'e': o->exec = optarg; break;
		case 'X': o->agentx = optarg; break;
		case 'N': o->vm_notify = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("%s\n", CD_SOFTWARE); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* The short hostname, made a valid host name. */
static void
default_host_name(char *out, size_t len)
{
	char	 h[256];
	size_t	 i;

	if (gethostname(h, sizeof(h)) < 0)
		util_strlcpy(h, "localhost", sizeof(h));
	h[sizeof(h) - 1] = '\0';
	h[strcspn(h, ".")] = '\0';
	for (i = 0; h[i] != '\0'; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' &&
		    h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
		    h[i] == '-' || h[i] == '_'))
			h[i] = '-';
	util_strlcpy(out, h[0] ? h : "localhost", len > 64 ? 64 : len);
}

static int
apply_actuator(struct cconf *c, const char *s)
{
	if (strcmp(s, "libvirt") == 0)
		c->actuator = CCONF_ACT_LIBVIRT;
	else if (strcmp(s, "exec") == 0)
		c->actuator = CCONF_ACT_EXEC;
	else if (strcmp(s, "none") == 0)
		c->actuator = CCONF_ACT_NONE;
	else
		return -1;
	return 0;
}

static int
opt_error(const char *msg)
{
	log_warnx("%s", msg);
	return -1;
}

/* Command-line options over the file's values.  0 or -1 (printed). */
static int
apply_opts(struct cconf *c, const struct cd_opts *o)
{
	double	 sec;
	int64_t	 ms;

	if (o->uri)
		util_strlcpy(c->uri, o->uri, sizeof(c->uri));
	if (o->balancer && strncmp(o->balancer, "tcp://", 6) != 0 &&
	    strncmp(o->balancer, "ipc://", 6) != 0)
		return opt_error("--balancer: tcp://HOST:PORT or ipc://PATH");
	if (o->balancer)
		util_strlcpy(c->balancer, o->balancer, sizeof(c->balancer));
	if (o->host_name && (util_strlcpy(c->host_name, o->host_name,
	    sizeof(c->host_name)) >= sizeof(c->host_name) ||
	    wire_check_name(c->host_name, WIRE_MAX_HOST_NAME, 0) < 0))
		return opt_error("--host-name: 1 to 63 of [A-Za-z0-9._-]");
	if (o->host_uuid && util_uuid_parse(o->host_uuid, c->host_uuid) < 0)
		return opt_error("--host-uuid: not a UUID");
	c->has_uuid |= o->host_uuid != NULL;
	if (o->cluster && (util_strlcpy(c->cluster, o->cluster,
	    sizeof(c->cluster)) >= sizeof(c->cluster) ||
	    wire_check_name(c->cluster, WIRE_MAX_CLUSTER, 0) < 0))
		return opt_error("--cluster: 1 to 63 of [A-Za-z0-9._-]");
	if (o->interval) {
		if (util_parse_double(o->interval, 0.1, 3600, &sec) < 0)
			return opt_error("--interval: seconds from 0.1 to 3600");
		c->interval_ms = (unsigned)(sec * 1000);
	}
	if (o->stats_timeout) {
		if (util_parse_i64(o->stats_timeout, 10, 600000, &ms) < 0)
			return opt_error("--stats-timeout: ms from 10 to 600000");
		c->stats_timeout_ms = (unsigned)ms;
	}
	if (o->actuator && apply_actuator(c, o->actuator) < 0)
		return opt_error("--actuator: libvirt, exec or none");
	if (o->exec)
		util_strlcpy(c->exec, o->exec, sizeof(c->exec));
	return 0;
}

int
cd_load_config(struct cd *d, const struct cd_opts *o)
{
	const char	*path = o->config;
	char		 err[1024];
	int		 rc;

	cconf_defaults(&d->c);
	if (path == NULL && access(DEFAULT_CONF, F_OK) == 0)
		path = DEFAULT_CONF;
	if (path != NULL && (rc = cconf_load(path, &d->c, err,
	    sizeof(err))) < 0) {
		log_warnx("%s%s", err, rc == -ENOENT ? " (name the "
		    "configuration with -f, or leave -f out for the built-in "
		    "defaults; see ballast-collectord(8))" : "");
		return -1;
	}
	if (apply_opts(&d->c, o) < 0)
		return -1;
	if (d->c.host_name[0] == '\0')
		default_host_name(d->c.host_name, sizeof(d->c.host_name));
	if (!d->c.has_uuid)
		util_uuid_from_name("ballast-host", d->c.host_name,
		    d->c.host_uuid);
	if (cconf_check(&d->c, err, sizeof(err)) < 0) {
		log_warnx("%s%s%s", path ? path : "", path ? ": " : "", err);
		return -1;
	}
	return 0;
}
