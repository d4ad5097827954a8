/* SPDX-License-Identifier: ISC */
/*
 * ctl: what every ballastctl command shares about its command line --
 * the parsed options (struct ctl), the exit statuses, the options a
 * command may take (CMD_*), and the usage errors.  The commands live
 * in cmd_*.c, the API client in ctl_api.c, main() in ballastctl.c.
 *
 * These functions print their one-line message on stderr (log.h);
 * they keep no state.
 */
#ifndef BALLAST_CTL_CTL_H
#define BALLAST_CTL_CTL_H

#define CTL_VERSION		"0.1.0"
#define CTL_URL_LEN		2048
#define CTL_NAME_LEN		256		/* a host name, escaped */
#define CTL_TOKEN_FILE		"/var/lib/ballast/api.token"

/* Exit statuses. */
#define EXIT_API		1
#define EXIT_INVALID		1	/* policy check: a bad file */
#define EXIT_FAILED		1	/* migrate --wait: not done */
#define EXIT_USAGE		2

#define CTL_SYNOPSIS \
	"usage: ballastctl [--api URL] [--json] [--timeout SECONDS] COMMAND\n"

/* What the command line asked for. */
struct ctl {
	char		 api[CTL_URL_LEN];	/* base URL, no trailing '/' */
	double		 timeout;		/* seconds, > 0 */
	int		 json;			/* --json */
	int		 verbose;		/* -v, for policy check */
	int		 explain;		/* --explain, for plan */
	int		 wait;			/* --wait, for migrate */
	const char	*host;			/* vms --host NAME, or NULL */
	const char	*token;			/* --token TOKEN, or NULL */
	const char	*token_file;		/* --token-file FILE, or NULL */
	const char	*cacert;		/* --cacert FILE, or NULL */
	const char	*out;			/* keygen --out DIR, or NULL */
};

/* The options that belong to one command; see ctl_owned. */
#define CMD_HOST	0x01		/* vms --host NAME */
#define CMD_EXPLAIN	0x02		/* plan --explain */
#define CMD_WAIT	0x04		/* migrate --wait */
#define CMD_VERBOSE	0x08		/* policy check -v */
#define CMD_JSON	0x10		/* --json: every command that asks */
#define CMD_OUT		0x20		/* keygen --out DIR */

/* Points at --help after a usage error (on stderr); returns EXIT_USAGE. */
int	ctl_usage(void);

/*
 * Says which option given on the command line `name` does not take,
 * if any: the options of `opts` (CMD_*) are allowed.  Returns 0, or -1
 * after saying which option belongs elsewhere.
 */
int	ctl_owned(const struct ctl *ctl, unsigned opts, const char *name);

/*
 * Parses the ID argument `s` of the command `cmd` into *id; `list` is
 * the command that shows the IDs.  0, or -1 after saying what is wrong
 * (*id untouched).
 */
int	ctl_parse_id(const char *cmd, const char *list, const char *s,
	    long long *id);

#endif
