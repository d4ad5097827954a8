/* SPDX-License-Identifier: ISC */
/*
 * bdargs: ballast-balancerd's command line, its configuration file
 * with the command line laid over it, and -n (check and exit).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authcoll.h"
#include "bd.h"
#include "conf.h"
#include "policy.h"
#include "rrdbatch.h"
#include "util.h"
#include "zcurve.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: ballast-balancerd [-dnv] [-f file] [--state-dir dir]\n"
"                         [--reports endpoint] [--api addr:port]\n"
"                         [--rrdcached addr] [-p file] [--replay]\n"
"  -f, --config file       configuration (default " DEFAULT_CONF "\n"
"                          when it exists, else built-in defaults)\n"
"  -n, --check             check the configuration, print \"configuration OK\"\n"
"                          and exit; with -v print it back\n"
"  -v, --verbose           with -n: print the parsed configuration and policy\n"
"  -p, --policy file       the balancing policy (ballast.policy(5); default:\n"
"                          the configuration's, else the built-in defaults)\n"
"      --replay            replay mode: the reports' sample times are the\n"
"                          clock; a step is planned once every host has\n"
"                          reported it, and acknowledged at once, so a\n"
"                          simulator in --replay runs as fast as planning\n"
"  -d, --debug             log debug messages\n"
"      --state-dir dir     where state is kept (default " CONF_DEFAULT_STATE_DIR ")\n"
"      --reports endpoint  ZeroMQ endpoint for collectors (default\n"
"                          " CONF_DEFAULT_REPORTS ")\n"
"      --api addr:port     JSON API address (default 127.0.0.1:8470)\n"
"      --rrdcached addr    write the RRD history through rrdcached at addr\n"
"                          (unix:/path or host:port; default none: the\n"
"                          files are written directly)\n"
"  -h, --help              this text\n"
"      --version           print the version\n");
}

/* Splits "addr:port" or "[v6]:port" into the configuration. */
static int
parse_api(const char *s, struct conf *c)
{
	const char	*colon = strrchr(s, ':');
	int64_t		 port;
	size_t		 alen;

	if (colon == NULL || util_parse_i64(colon + 1, 1, 65535, &port) < 0)
		return -EINVAL;
	alen = (size_t)(colon - s);
	if (alen >= 2 && s[0] == '[' && s[alen - 1] == ']') {
		s++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(c->api_addr))
		return -EINVAL;
	memcpy(c->api_addr, s, alen);
	c->api_addr[alen] = '\0';
	c->api_port = (int)port;
	return 0;
}

/* -n: the configuration and the policy it names; -v prints both. */
int
bd_check_config(const struct conf *c, int verbose)
{
	struct policy		*pol;
	struct zcurve_pair	 kp;
	struct authcoll		 t;
	char			 err[2200], buf[8192];
	int		 rc = 0;

	if ((pol = calloc(1, sizeof(*pol))) == NULL)
		return 1;
	if (c->policy[0] == '\0')
		policy_defaults(pol);
	else if (policy_load(c->policy, pol, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
	}
	if (rc == 0 && c->curve_key[0] != '\0' &&
	    bd_load_curve(c, &kp, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
	} else if (rc == 0 && c->curve_key[0] != '\0') {
		authcoll_clear(&t);
		explicit_bzero(&kp, sizeof(kp));
	}
	if (rc == 0 && verbose) {
		conf_print(c, buf, sizeof(buf));
		fputs(buf, stdout);
		printf("# policy %s\n", c->policy[0] ? c->policy : "(built-in defaults)");
		policy_print(pol, stdout);
	}
	if (rc == 0)
		printf("configuration OK\n");
	free(pol);
	return rc;
}

/* Returns -1 to go on, else the exit status (help, version, usage). */
int
bd_parse_cli(struct balancerd *env, struct cli *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug", no_argument, NULL, 'd' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "reports", required_argument, NULL, 'r' },
		{ "api", required_argument, NULL, 'a' },
		{ "rrdcached", required_argument, NULL, 'R' },
		{ "policy", required_argument, NULL, 'p' },
		{ "replay", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "f:nvdhp:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': env->conf_path = optarg; break;
		case 'n': c->check = 1; break;
		case 'v': c->verbose = 1; break;
		case 'd': c->debug = 1; break;
		case 's': c->state = optarg; break;
		case 'r': c->reports = optarg; break;
		case 'a': c->api = optarg; break;
		case 'R': c->rrdcached = optarg; break;
		case 'p': c->policy = optarg; break;
		case 'Y': env->replay = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ballast-balancerd %s\n", BALLAST_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/*
 * Reads the configuration file and lays the command line over it.
 * Returns -1 to go on, else the exit status.
 */
int
bd_configure(struct balancerd *env, const struct cli *c)
{
	char	 err[512];
	int	 rc;

	if (env->conf_path == NULL && access(DEFAULT_CONF, F_OK) == 0)
		env->conf_path = DEFAULT_CONF;
	conf_defaults(&env->conf);
	if (env->conf_path != NULL && (rc = conf_load(env->conf_path,
	    &env->conf, err, sizeof(err))) < 0) {
		fprintf(stderr, "%s%s\n", err, rc == -ENOENT ? " (name the "
		    "configuration with -f, or leave -f out for the built-in "
		    "defaults; see ballast-balancerd.conf(5))" : "");
		return 1;
	}
	if (c->state != NULL)
		util_strlcpy(env->conf.state_dir, c->state, sizeof(env->conf.state_dir));
	if (c->reports != NULL)
		util_strlcpy(env->conf.reports, c->reports, sizeof(env->conf.reports));
	if (c->api != NULL && parse_api(c->api, &env->conf) < 0) {
		fprintf(stderr, "ballast-balancerd: --api wants addr:port, "
		    "e.g. 127.0.0.1:8470\n");
		return 2;
	}
	if (c->rrdcached != NULL && strcmp(c->rrdcached, "none") != 0 &&
	    rrdbatch_check_addr(c->rrdcached) < 0) {
		fprintf(stderr, "ballast-balancerd: --rrdcached wants unix:/PATH, "
		    "/PATH, HOST:PORT, [IPV6]:PORT or HOST\n");
		return 2;
	}
	if (c->rrdcached != NULL)
		util_strlcpy(env->conf.rrdcached, strcmp(c->rrdcached, "none") == 0 ?
		    "" : c->rrdcached, sizeof(env->conf.rrdcached));
	if (c->policy != NULL)
		util_strlcpy(env->conf.policy, c->policy, sizeof(env->conf.policy));
	if (conf_check(&env->conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "ballast-balancerd: %s\n", err);
		return 1;
	}
	return -1;
}
