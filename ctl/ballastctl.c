/* SPDX-License-Identifier: ISC */
/*
 * ballastctl: the operator's command-line client of ballast-balancerd.
 *
 * It asks the balancer's JSON API over HTTP (libcurl), parses the
 * answer (jansson) and prints either aligned tables for people (fmt.c)
 * or, with --json, the API's JSON indented for scripts.  Operator
 * actions (approve, reject, migrate, cancel, maintenance enter|exit)
 * are POSTs that carry the API token in X-Ballast-Token; reads carry
 * no token.
 *
 * Exit status: 0 success, 1 API or network error, 2 usage error.
 * Every error is one line on stderr that says what failed, where, and
 * what to do about it.
 *
 * This file holds main(), the global options and the command table;
 * the commands are in cmd_show.c (status, hosts, vms, host, vm,
 * traffic), cmd_plan.c (plan, approve, reject), cmd_migrate.c
 * (migrations, migrate, cancel, maintenance), cmd_policy.c, cmd_keys.c
 * (keygen) and report.c; what they share in ctl.c and ctl_api.c (the
 * API client).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "cmd_keys.h"
#include "cmd_migrate.h"
#include "cmd_plan.h"
#include "cmd_policy.h"
#include "cmd_show.h"
#include "ctl.h"
#include "log.h"
#include "report.h"
#include "util.h"

#define CTL_DEFAULT_API		"http://127.0.0.1:8470"
#define CTL_DEFAULT_TIMEOUT	10.0		/* seconds */

static const char ctl_help[] =
	CTL_SYNOPSIS
	"       ballastctl [--token TOKEN | --token-file FILE] ACTION\n"
	"       ballastctl policy check FILE [-v]\n"
	"       ballastctl keygen NAME [--out DIR]\n"
	"       ballastctl -h | --help | --version\n"
	"\n"
	"Commands:\n"
	"  status              the balancer's version, uptime and report"
	" counters\n"
	"  hosts               every host: load, memory, VMs, staleness\n"
	"  vms [--host NAME]   every VM, or only those on host NAME\n"
	"  host NAME           one host in detail, with its VMs\n"
	"  vm UUID|NAME        one VM in detail, by UUID or by name\n"
	"  plan [--explain]    the balancer's recommended migrations;"
	" --explain\n"
	"                      adds why, its notes and the rejected"
	" candidates\n"
	"  migrations          the recent migrations, newest first\n"
	"  maintenance         the hosts in maintenance\n"
	"  traffic             the top talking VM pairs, each host's traffic to\n"
	"                      other hosts and the cluster's cross-host share\n"
	"  policy show         the policy in force and its last reload\n"
	"  policy check FILE   check a policy file (ballast.policy(5));"
	" needs no\n"
	"                      balancer\n"
	"  keygen NAME         write a CURVE key pair: NAME.key (secret,"
	" mode 0600)\n"
	"                      and NAME.pub, in --out DIR (default .);"
	" never\n"
	"                      overwrites; needs no balancer\n"
	"  report capacity     the capacity-planning report, from the"
	" history;\n"
	"                      its options: 'ballastctl report --help'\n"
	"\n"
	"Actions (they send the API token):\n"
	"  approve ID          approve recommendation ID of the plan\n"
	"  reject ID           reject recommendation ID of the plan\n"
	"  migrate VM HOST [--wait]\n"
	"                      migrate VM (a name or a UUID) to HOST;"
	" --wait\n"
	"                      follows it to its end\n"
	"  cancel ID           cancel migration ID\n"
	"  maintenance enter|exit HOST\n"
	"                      put HOST in maintenance, or take it out\n"
	"\n"
	"Options:\n"
	"  --api URL           the balancer's API (default: $BALLAST_API,"
	" else\n"
	"                      " CTL_DEFAULT_API ")\n"
	"  --json              print the API's JSON, indented, instead of"
	" tables\n"
	"  --timeout SECONDS   give up on the API after SECONDS"
	" (default 10)\n"
	"  --token TOKEN       the API token for actions\n"
	"  --token-file FILE   read the API token from the first line of"
	" FILE\n"
	"  --cacert FILE       trust the CA certificate(s) in FILE for an"
	" https\n"
	"                      --api (default: $BALLAST_CACERT, else the"
	" system's)\n"
	"  --explain           with plan: explain the recommendations\n"
	"  --out DIR           with keygen: where the key files go\n"
	"  --wait              with migrate: show its progress until it"
	" ends\n"
	"  -v, --verbose       with policy check: print the policy back,"
	" every\n"
	"                      setting explicit\n"
	"  -h, --help          print this help and exit\n"
	"  --version           print the version and exit\n"
	"\n"
	"An action's token is the first found of: --token, $BALLAST_TOKEN,"
	" the\n"
	"file of --token-file, " CTL_TOKEN_FILE " if readable.\n"
	"Options may come before or after the command.\n"
	"Exit status: 0 success, 1 API or network error (policy check: an"
	" invalid\n"
	"or unreadable file; migrate --wait: a failed or aborted migration,"
	" or an\n"
	"interrupt), 2 usage error.\n";

struct cmd {
	const char	*name;
	int		 minargs, maxargs;	/* after the name */
	unsigned	 opts;			/* CMD_* it takes */
	const char	*synopsis;
	/* args[0..nargs-1]: the arguments, none of them empty */
	int		(*run)(const struct ctl *, int nargs, char **args);
};

enum {
	OPT_API = 256,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_VERSION,
	OPT_HOST,
	OPT_EXPLAIN,
	OPT_WAIT,
	OPT_TOKEN,
	OPT_TOKEN_FILE,
	OPT_CACERT,
	OPT_OUT
};

static const struct option ctl_opts[] = {
	{ "api",	required_argument,	NULL,	OPT_API },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "host",	required_argument,	NULL,	OPT_HOST },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ "explain",	no_argument,		NULL,	OPT_EXPLAIN },
	{ "wait",	no_argument,		NULL,	OPT_WAIT },
	{ "token",	required_argument,	NULL,	OPT_TOKEN },
	{ "token-file",	required_argument,	NULL,	OPT_TOKEN_FILE },
	{ "cacert",	required_argument,	NULL,	OPT_CACERT },
	{ "out",	required_argument,	NULL,	OPT_OUT },
	{ NULL,		0,			NULL,	0 }
};

static const struct cmd ctl_cmds[] = {
	{ "status",	0, 0, CMD_JSON,		"status",	cmd_status },
	{ "hosts",	0, 0, CMD_JSON,		"hosts",	cmd_hosts },
	{ "vms",	0, 0, CMD_JSON | CMD_HOST, "vms [--host NAME]",
	    cmd_vms },
	{ "host",	1, 1, CMD_JSON,		"host NAME",	cmd_host },
	{ "vm",		1, 1, CMD_JSON,		"vm UUID|NAME",	cmd_vm },
	{ "plan",	0, 0, CMD_JSON | CMD_EXPLAIN, "plan [--explain]",
	    cmd_plan },
	{ "migrations",	0, 0, CMD_JSON,		"migrations",
	    cmd_migrations },
	{ "approve",	1, 1, CMD_JSON,		"approve ID",	cmd_approve },
	{ "reject",	1, 1, CMD_JSON,		"reject ID",	cmd_reject },
	{ "migrate",	2, 2, CMD_JSON | CMD_WAIT, "migrate VM HOST [--wait]",
	    cmd_migrate },
	{ "cancel",	1, 1, CMD_JSON,		"cancel ID",	cmd_cancel },
	{ "maintenance", 0, 2, CMD_JSON,
	    "maintenance [enter|exit HOST]", cmd_maintenance },
	{ "traffic",	0, 0, CMD_JSON,		"traffic",	cmd_traffic },
};

/*
 * Checks a base URL and copies it to ctl->api without trailing '/'.
 * `what` names its source for the message.  0, or -1 if it is bad.
 */
static int
ctl_set_api(struct ctl *ctl, const char *url, const char *what)
{
	size_t	 n;

	if ((strncasecmp(url, "http://", 7) != 0 || url[7] == '\0') &&
	    (strncasecmp(url, "https://", 8) != 0 || url[8] == '\0')) {
		log_warnx("%s wants an http:// or https:// URL, not \"%s\"",
		    what, url);
		return -1;
	}
	if (util_strlcpy(ctl->api, url, sizeof(ctl->api)) >=
	    sizeof(ctl->api) - CTL_NAME_LEN * 3 - 32) {
		log_warnx("%s is too long", what);
		return -1;
	}
	for (n = strlen(ctl->api); n > 0 && ctl->api[n - 1] == '/'; n--)
		ctl->api[n - 1] = '\0';
	return 0;
}

/* Reports getopt's ':' (no argument) or '?' (unknown option). */
static int
ctl_bad_option(int ch, const char *arg)
{
	if (ch == ':')
		log_warnx("option %s wants an argument", arg);
	else if (optopt != 0)
		log_warnx("unknown option -%c", optopt);
	else
		log_warnx("unknown or ambiguous option %s", arg);
	return ctl_usage();
}

/* --token TOKEN or --token-file FILE (`ch`): -1, or EXIT_USAGE. */
static int
ctl_token_option(struct ctl *ctl, int ch)
{
	if (*optarg == '\0') {
		log_warnx("%s wants a non-empty argument",
		    ch == OPT_TOKEN ? "--token" : "--token-file");
		return ctl_usage();
	}
	if (ch == OPT_TOKEN)
		ctl->token = optarg;
	else
		ctl->token_file = optarg;
	return -1;
}

/*
 * Takes option `ch` (getopt_long's) with its argument; --api's is kept
 * in *api.  Returns -1 to go on, or the exit status (help, version and
 * usage errors).
 */
static int
ctl_option(int ch, struct ctl *ctl, const char **api, const char *arg)
{
	switch (ch) {
	case OPT_API:
		*api = optarg;
		break;
	case OPT_JSON:
		ctl->json = 1;
		break;
	case OPT_TIMEOUT:
		if (util_parse_double(optarg, 0.001, 86400.0,
		    &ctl->timeout) != 0) {
			log_warnx("--timeout wants seconds from 0.001 "
			    "to 86400, not \"%s\"", optarg);
			return ctl_usage();
		}
		break;
	case OPT_HOST:
		ctl->host = optarg;
		break;
	case OPT_EXPLAIN:
		ctl->explain = 1;
		break;
	case OPT_WAIT:
		ctl->wait = 1;
		break;
	case OPT_TOKEN:
	case OPT_TOKEN_FILE:
		return ctl_token_option(ctl, ch);
	case OPT_CACERT:
		ctl->cacert = optarg;
		break;
	case OPT_OUT:
		ctl->out = optarg;
		break;
	case 'v':
		ctl->verbose = 1;
		break;
	case 'h':
		fputs(ctl_help, stdout);
		return 0;
	case OPT_VERSION:
		puts("ballastctl " CTL_VERSION);
		return 0;
	default:
		return ctl_bad_option(ch, arg);
	}
	return -1;
}

/*
 * The CA file and the API after the options: --cacert, else
 * $BALLAST_CACERT; --api `api`, else $BALLAST_API, else the default.
 * Returns -1 to go on, or EXIT_USAGE for a bad URL.
 */
static int
ctl_defaults(struct ctl *ctl, const char *api)
{
	const char	*env;

	env = getenv("BALLAST_CACERT");
	if (ctl->cacert == NULL && env != NULL && *env != '\0')
		ctl->cacert = env;
	if (api != NULL)
		return ctl_set_api(ctl, api, "--api") == 0 ? -1 : ctl_usage();
	env = getenv("BALLAST_API");
	if (env != NULL && *env != '\0')
		return ctl_set_api(ctl, env, "BALLAST_API") == 0 ? -1 :
		    ctl_usage();
	return ctl_set_api(ctl, CTL_DEFAULT_API, "the default") == 0 ? -1 :
	    ctl_usage();
}

/*
 * Parses the options, wherever they stand.  Returns -1 to go on with
 * the command at argv[optind], or the exit status (help, version and
 * usage errors).
 */
static int
ctl_options(int argc, char **argv, struct ctl *ctl)
{
	const char	*api = NULL;
	int		 ch, rc;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hv", ctl_opts, NULL)) != -1)
		if ((rc = ctl_option(ch, ctl, &api, argv[optind - 1])) != -1)
			return rc;
	return ctl_defaults(ctl, api);
}

/* Runs the command argv[0] with its arguments; returns an exit status. */
static int
ctl_run(const struct ctl *ctl, int argc, char **argv)
{
	const struct cmd	*cmd = NULL;
	size_t			 i;

	if (argc < 1) {
		log_warnx("no command given");
		return ctl_usage();
	}
	if (strcmp(argv[0], "policy") == 0)
		return cmd_policy(ctl, argc, argv);
	if (strcmp(argv[0], "keygen") == 0)
		return cmd_keygen(ctl, argc, argv);
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(argv[0], ctl_cmds[i].name) == 0)
			cmd = &ctl_cmds[i];
	if (cmd == NULL) {
		log_warnx("unknown command \"%s\"", argv[0]);
		return ctl_usage();
	}
	for (i = 1; i < (size_t)argc && *argv[i] != '\0'; i++)
		;
	if (argc - 1 < cmd->minargs || argc - 1 > cmd->maxargs ||
	    i < (size_t)argc) {
		log_warnx("%s: expected 'ballastctl %s'", argv[0],
		    cmd->synopsis);
		return ctl_usage();
	}
	if (ctl_owned(ctl, cmd->opts, argv[0]) == -1)
		return ctl_usage();
	if (ctl->host != NULL && *ctl->host == '\0') {
		log_warnx("--host wants a host name");
		return ctl_usage();
	}
	return cmd->run(ctl, argc - 1, argv + 1);
}

/* Is the command "report"?  It has options of its own (report.h). */
static int
ctl_is_report(int argc, char **argv)
{
	const char	*args[sizeof(ctl_opts) / sizeof(ctl_opts[0])];
	size_t		 i, n = 0;

	for (i = 0; ctl_opts[i].name != NULL; i++)
		if (ctl_opts[i].has_arg == required_argument)
			args[n++] = ctl_opts[i].name;
	args[n] = NULL;
	return report_is_command(argc, argv, args);
}

int
main(int argc, char **argv)
{
	struct ctl	 ctl;
	int		 rc;

	log_init("ballastctl", LOG_LVL_WARN);
	if (ctl_is_report(argc, argv))
		return report_main(argc, argv);
	memset(&ctl, 0, sizeof(ctl));
	ctl.timeout = CTL_DEFAULT_TIMEOUT;
	if ((rc = ctl_options(argc, argv, &ctl)) != -1)
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("cannot initialise libcurl");
		return EXIT_API;
	}
	rc = ctl_run(&ctl, argc - optind, argv + optind);
	curl_global_cleanup();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("cannot write to standard output");
		rc = EXIT_API;
	}
	return rc;
}
