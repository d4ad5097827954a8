/* SPDX-License-Identifier: ISC */
/*
 * cmd_migrate: ballastctl's migrations, migrate [--wait], cancel and
 * maintenance.  See cmd_migrate.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd_migrate.h"
#include "ctl_api.h"
#include "fmt.h"
#include "log.h"
#include "util.h"

#define CTL_POLL_MS		1000		/* migrate --wait */
#define CTL_WAIT_MISSES		10	/* polls a migration may be unlisted */

/* Set by SIGINT or SIGTERM while migrate --wait follows a migration. */
static volatile sig_atomic_t	 ctl_interrupted;

int
cmd_migrations(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/migrations", fmt_migrations,
	    "an array");
}

int
cmd_cancel(const struct ctl *ctl, int nargs, char **args)
{
	char		 path[64], msg[96];
	json_t		*j;
	long long	 id;

	(void)nargs;
	if (ctl_parse_id("cancel", "migrations", args[0], &id) == -1)
		return ctl_usage();
	snprintf(path, sizeof(path), "/api/v1/migrations/%lld/cancel", id);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	snprintf(msg, sizeof(msg), "migration %lld: cancel requested", id);
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

/*
 * maintenance: the hosts in maintenance; maintenance enter|exit HOST:
 * puts HOST in maintenance or takes it out, and says which it is now.
 */
int
cmd_maintenance(const struct ctl *ctl, int nargs, char **args)
{
	static const struct fmt_field host = { "host", "host", FMT_STR };
	char		 esc[CTL_NAME_LEN * 3], path[CTL_NAME_LEN * 3 + 32];
	char		 buf[FMT_CELL_LEN], name[CTL_NAME_LEN];
	char		 msg[CTL_NAME_LEN + 32];
	const char	*s;
	json_t		*j, *in;
	int		 enter;

	if (nargs == 0)
		return ctl_simple(ctl, "/api/v1/maintenance", fmt_maintenance,
		    "an array");
	if (nargs != 2 || (strcmp(args[0], "enter") != 0 &&
	    strcmp(args[0], "exit") != 0)) {
		log_warnx("maintenance: expected 'ballastctl maintenance' or "
		    "'ballastctl maintenance enter|exit HOST'");
		return ctl_usage();
	}
	if (ctl_escape(esc, sizeof(esc), args[1]) == -1) {
		log_warnx("the host name \"%.40s...\" is too long", args[1]);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/api/v1/maintenance/%s/%s", esc,
	    args[0]);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	/* The balancer's word on the host, else what was asked. */
	in = json_object_get(j, "maintenance");
	enter = json_is_boolean(in) ? json_is_true(in) :
	    strcmp(args[0], "enter") == 0;
	s = fmt_value(j, &host, buf);
	fmt_sanitize(name, sizeof(name), strcmp(s, "-") != 0 ? s : args[1]);
	snprintf(msg, sizeof(msg), "%s: %s maintenance", name,
	    enter ? "in" : "not in");
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

static void
ctl_on_interrupt(int sig)
{
	(void)sig;
	ctl_interrupted = 1;
}

/* SIGINT and SIGTERM set ctl_interrupted once; a second one kills. */
static void
ctl_catch_interrupt(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ctl_on_interrupt;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Sleeps `ms` milliseconds, or less if interrupted. */
static void
ctl_nap(long ms)
{
	struct timespec	 ts, rem;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR &&
	    !ctl_interrupted)
		ts = rem;
}

/* The progress display of migrate --wait. */
struct progress {
	int	 tty;		/* one updating line, else a line per change */
	size_t	 shown;		/* length of the updating line on screen */
	char	 last[160];	/* the line shown last */
};

/* Shows `line` unless it is the one shown last. */
static void
ctl_progress(struct progress *p, const char *line)
{
	size_t	 n = strlen(line);

	if (strcmp(line, p->last) == 0)
		return;
	util_strlcpy(p->last, line, sizeof(p->last));
	if (!p->tty) {
		printf("%s\n", line);
		fflush(stdout);
		return;
	}
	printf("\r%s", line);
	for (; p->shown > n; p->shown--)	/* blank a longer old line */
		putchar(' ');
	p->shown = n;
	fflush(stdout);
}

/* Ends the updating line, if one is shown, so that others can follow. */
static void
ctl_progress_end(struct progress *p)
{
	if (p->tty && p->shown > 0)
		putchar('\n');
	p->shown = 0;
	fflush(stdout);
}

/* The object of `migrations` whose "id" is `id`, or NULL. */
static json_t *
ctl_find_migration(json_t *migrations, long long id)
{
	json_t	*m, *v;
	size_t	 i;

	json_array_foreach(migrations, i, m) {
		v = json_is_object(m) ? json_object_get(m, "id") : NULL;
		if (json_is_integer(v) && json_integer_value(v) == id)
			return m;
	}
	return NULL;
}

/*
 * Reports migration `m` (number `id`) that ended in `state`: done is a
 * line on stdout (with --json the migration's JSON instead) and 0,
 * failed or aborted a line on stderr with its error and EXIT_FAILED.
 */
static int
ctl_ended(const struct ctl *ctl, struct progress *p, json_t *m,
    long long id, const char *state)
{
	static const struct fmt_field outcome = { "o", "outcome", FMT_STR };
	static const struct fmt_field error = { "e", "error", FMT_STR };
	char		 buf[FMT_CELL_LEN], text[512], line[640];
	const char	*s;
	int		 done = strcmp(state, "done") == 0;

	s = fmt_value(m, done ? &outcome : &error, buf);
	fmt_sanitize(text, sizeof(text), s);
	if (done && !ctl->json) {
		if (strcmp(s, "-") == 0)
			snprintf(line, sizeof(line), "migration %lld done", id);
		else
			snprintf(line, sizeof(line), "migration %lld done: %s",
			    id, text);
		p->last[0] = '\0';
		ctl_progress(p, line);
	}
	ctl_progress_end(p);
	if (ctl->json) {
		json_dumpf(m, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	if (done)
		return 0;
	if (strcmp(s, "-") == 0)
		log_warnx("migration %lld %s", id, state);
	else
		log_warnx("migration %lld %s: %s", id, state, text);
	return EXIT_FAILED;
}

/*
 * After an API error while following migration `id`, whose message has
 * overwritten the updating line (see ctl_poll); returns EXIT_API.
 */
static int
ctl_lost(struct progress *p, long long id)
{
	p->shown = 0;
	log_warnx("stopped waiting; migration %lld may still run: see "
	    "'ballastctl migrations'", id);
	return EXIT_API;
}

/*
 * One poll of migrate --wait: shows migration `id`'s progress.  Returns
 * -1 to poll again, or an exit status: it ended, cannot be followed, or
 * has been unlisted too often (*misses counts that).
 */
static int
ctl_poll(const struct ctl *ctl, struct progress *p, long long id,
    int *misses)
{
	static const struct fmt_field state = { "s", "state", FMT_STR };
	char		 buf[FMT_CELL_LEN], line[160];
	const char	*st;
	json_t		*all, *m;
	int		 rc = -1;

	/*
	 * An error message of the request then overwrites the updating
	 * line, which is shorter, instead of running on from its end.
	 */
	if (p->tty && p->shown > 0) {
		putchar('\r');
		fflush(stdout);
	}
	if ((all = ctl_get(ctl, "/api/v1/migrations")) == NULL)
		return ctl_lost(p, id);
	if (!json_is_array(all)) {
		json_decref(all);
		ctl_unexpected(ctl, "/api/v1/migrations", "an array");
		return ctl_lost(p, id);
	}
	if ((m = ctl_find_migration(all, id)) == NULL) {
		if (++*misses >= CTL_WAIT_MISSES) {
			ctl_progress_end(p);
			log_warnx("migration %lld is not listed at "
			    "%s/api/v1/migrations: see 'ballastctl migrations'",
			    id, ctl->api);
			rc = EXIT_API;
		}
		json_decref(all);
		return rc;
	}
	*misses = 0;
	st = fmt_value(m, &state, buf);
	if (strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 ||
	    strcmp(st, "aborted") == 0)
		rc = ctl_ended(ctl, p, m, id, st);
	else if (!ctl->json) {
		fmt_progress(line, sizeof(line), m);
		ctl_progress(p, line);
	}
	json_decref(all);
	return rc;
}

/*
 * migrate --wait: polls GET /api/v1/migrations every CTL_POLL_MS until
 * migration `id` ends or SIGINT/SIGTERM.  Returns 0 if it is done, else
 * EXIT_FAILED or EXIT_API after saying why.
 */
static int
ctl_wait(const struct ctl *ctl, long long id)
{
	struct progress	 p;
	int		 rc, misses = 0;

	memset(&p, 0, sizeof(p));
	p.tty = !ctl->json && isatty(STDOUT_FILENO);
	ctl_catch_interrupt();
	for (;;) {
		if ((rc = ctl_poll(ctl, &p, id, &misses)) != -1)
			break;
		ctl_nap(CTL_POLL_MS);
		if (ctl_interrupted) {
			ctl_progress_end(&p);
			log_warnx("stopped waiting; migration %lld goes on: "
			    "see 'ballastctl migrations', or stop it with "
			    "'ballastctl cancel %lld'", id, id);
			return EXIT_FAILED;
		}
	}
	return rc;
}

/*
 * migrate VM HOST [--wait]: POSTs {"vm": VM, "host": HOST} and says
 * which migration started; with --wait follows it to its end.
 */
int
cmd_migrate(const struct ctl *ctl, int nargs, char **args)
{
	json_t		*req, *j, *id;
	char		*body;
	long long	 n;

	(void)nargs;
	if ((req = json_pack("{s:s, s:s}", "vm", args[0], "host",
	    args[1])) == NULL) {
		log_warnx("migrate: VM and HOST must be UTF-8 text");
		return ctl_usage();
	}
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (body == NULL) {
		log_warnx("out of memory");
		return EXIT_API;
	}
	j = ctl_action(ctl, "/api/v1/migrate", body);
	free(body);
	if (j == NULL)
		return EXIT_API;
	if (!json_is_integer(id = json_object_get(j, "id"))) {
		json_decref(j);
		return ctl_unexpected(ctl, "/api/v1/migrate",
		    "an object with an integer \"id\"");
	}
	n = (long long)json_integer_value(id);
	if (ctl->json && !ctl->wait) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else if (!ctl->json)
		printf("migration %lld started: %s to %s\n", n, args[0],
		    args[1]);
	json_decref(j);
	fflush(stdout);
	return ctl->wait ? ctl_wait(ctl, n) : 0;
}
