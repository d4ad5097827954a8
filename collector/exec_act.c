/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_act.h"
#include "util.h"

#define ST(x)	BALLAST__V1__COMMAND_STATE__CMD_STATE_##x
#define EA_ARG	1024

extern char **environ;

struct ea_run {
	struct ea_run	*next;
	struct act_req	 req;
	pid_t		 pid;
	int		 errfd;		/* its stderr, non-blocking; -1 at EOF */
	char		 err[400];	/* the tail of its stderr */
	size_t		 errlen;
	int64_t		 start_ms, update_ms, term_ms;
	int		 cancel, deadline_hit;
	int		 status, exited;
};

struct exec_act {
	struct exec_act_config	 cfg;
	char			 tmpl[1024];
	char			*words[EXEC_ACT_MAX_ARGS];
	size_t			 nwords;
	struct ea_run		*list;
};

/* Splits the template at spaces and tabs (in place, into tmpl). */
static int
ea_split(struct exec_act *e, char *err, size_t len)
{
	char	*p = e->tmpl;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (e->nwords == EXEC_ACT_MAX_ARGS - 1) {
			snprintf(err, len, "exec: more than %d words",
			    EXEC_ACT_MAX_ARGS - 1);
			return -1;
		}
		e->words[e->nwords++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (e->nwords == 0) {
		snprintf(err, len, "exec: the command is empty");
		return -1;
	}
	return 0;
}

void *
exec_act_new(const struct exec_act_config *cfg, char *err, size_t errlen)
{
	struct exec_act	*e;
	struct act_req	 probe;
	char		 buf[EA_ARG];
	size_t		 i;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->cfg = *cfg;
	if (e->cfg.progress_ms == 0)
		e->cfg.progress_ms = 1000;
	if (e->cfg.kill_after_ms == 0)
		e->cfg.kill_after_ms = 5000;
	if (util_strlcpy(e->tmpl, cfg->command, sizeof(e->tmpl)) >=
	    sizeof(e->tmpl) || ea_split(e, err, errlen) < 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "exec: the command is too long");
		free(e);
		return NULL;
	}
	memset(&probe, 0, sizeof(probe));
	for (i = 0; i < e->nwords; i++)
		if (act_expand(e->words[i], &probe, buf, sizeof(buf)) == -EINVAL) {
			snprintf(err, errlen, "exec: \"%s\" names an unknown "
			    "{name} (known: {vm} {vmid} {uuid} {host} {dest} "
			    "{dest_uuid})", e->words[i]);
			free(e);
			return NULL;
		}
	e->cfg.command = e->tmpl;
	return e;
}

static void
ea_free_argv(char **argv)
{
	size_t	 i;

	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
}

/* argv for req: each word expanded.  0 or -errno with a reason. */
static int
ea_argv(const struct exec_act *e, const struct act_req *r, char **argv,
    char *err, size_t len)
{
	char	 buf[EA_ARG];
	size_t	 i;

	memset(argv, 0, EXEC_ACT_MAX_ARGS * sizeof(*argv));
	for (i = 0; i < e->nwords; i++) {
		if (act_expand(e->words[i], r, buf, sizeof(buf)) < 0 ||
		    (argv[i] = strdup(buf)) == NULL) {
			snprintf(err, len, "exec: cannot expand \"%s\"",
			    e->words[i]);
			ea_free_argv(argv);
			return -EINVAL;
		}
	}
	return 0;
}

static int
ea_spawn(struct ea_run *run, char **argv, char *err, size_t len)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	int				 pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		snprintf(err, len, "exec: pipe: %s", strerror(errno));
		return -errno;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	posix_spawnattr_init(&at);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(&run->pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		snprintf(err, len, "exec: %s: %s", argv[0], strerror(rc));
		return -rc;
	}
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	run->errfd = pfd[0];
	return 0;
}

static int
ea_start(void *arg, const struct act_req *r, char *err, size_t len)
{
	struct exec_act	*e = arg;
	struct ea_run	*run;
	char		*argv[EXEC_ACT_MAX_ARGS];
	int		 rc;

	if ((rc = ea_argv(e, r, argv, err, len)) < 0)
		return rc;
	if ((run = calloc(1, sizeof(*run))) == NULL) {
		ea_free_argv(argv);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	run->req = *r;
	rc = ea_spawn(run, argv, err, len);
	ea_free_argv(argv);
	if (rc < 0) {
		free(run);
		return rc;
	}
	run->start_ms = run->update_ms = util_now_mono_ms();
	run->next = e->list;
	e->list = run;
	return 0;
}

static int
ea_cancel(void *arg, uint64_t id)
{
	struct exec_act	*e = arg;
	struct ea_run	*r;

	for (r = e->list; r != NULL; r = r->next)
		if (r->req.id == id && !r->exited) {
			r->cancel = 1;
			return 0;
		}
	return -ENOENT;
}

static uint64_t
ea_busy(void *arg, const uint8_t vm[16])
{
	struct exec_act	*e = arg;
	struct ea_run	*r;

	for (r = e->list; r != NULL; r = r->next)
		if (memcmp(r->req.vm, vm, 16) == 0)
			return r->req.id;
	return 0;
}

/* Keeps the tail of what the command wrote to its standard error. */
static void
ea_read_err(struct ea_run *r)
{
	char	 buf[512];
	ssize_t	 n;
	size_t	 keep, cap = sizeof(r->err) - 1;

	while (r->errfd >= 0 && (n = read(r->errfd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			n = 0;
		}
		if (n == 0)
			break;
		if ((size_t)n >= cap) {
			memcpy(r->err, buf + n - cap, cap);
			r->errlen = cap;
		} else {
			keep = r->errlen + (size_t)n > cap ? cap - (size_t)n :
			    r->errlen;
			memmove(r->err, r->err + r->errlen - keep, keep);
			memcpy(r->err + keep, buf, (size_t)n);
			r->errlen = keep + (size_t)n;
		}
		r->err[r->errlen] = '\0';
	}
	if (r->errfd >= 0)
		close(r->errfd);
	r->errfd = -1;
}

/* SIGTERM at the deadline or a cancel, SIGKILL if it lingers. */
static void
ea_signal(const struct exec_act *e, struct ea_run *r, int64_t now)
{
	if (!r->deadline_hit && !r->cancel && now >= r->req.deadline_ms)
		r->deadline_hit = 1;
	if ((r->cancel || r->deadline_hit) && r->term_ms == 0) {
		kill(-r->pid, SIGTERM);
		r->term_ms = now;
	} else if (r->term_ms != 0 && now - r->term_ms >= e->cfg.kill_after_ms)
		kill(-r->pid, SIGKILL);
}

/* The tail of stderr as one line: newlines and tabs become spaces. */
static void
ea_flatten(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (p > s && p[-1] == ' ')
		*--p = '\0';
}

static void
ea_final(struct ea_run *r, int64_t now, struct act_update *u)
{
	memset(u, 0, sizeof(*u));
	u->id = r->req.id;
	u->elapsed_ms = act_elapsed(r->start_ms, now);
	ea_flatten(r->err);
	if (r->cancel) {
		u->state = ST(CANCELLED);
		snprintf(u->error, sizeof(u->error), "cancelled: the command "
		    "was stopped");
	} else if (r->deadline_hit) {
		u->state = ST(FAILED);
		snprintf(u->error, sizeof(u->error), "deadline passed after "
		    "%llu s: the command was stopped%s%s",
		    (unsigned long long)(u->elapsed_ms / 1000),
		    r->err[0] ? "; " : "", r->err);
	} else if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0) {
		u->state = ST(DONE);
		u->permille = 1000;
	} else {
		u->state = ST(FAILED);
		if (WIFEXITED(r->status))
			snprintf(u->error, sizeof(u->error), "exit %d: %s",
			    WEXITSTATUS(r->status), r->err[0] ? r->err :
			    "(nothing on standard error)");
		else
			snprintf(u->error, sizeof(u->error), "killed by signal "
			    "%d: %s", WTERMSIG(r->status), r->err);
	}
}

/* One run: 1 and *u when there is an update. */
static int
ea_poll_one(struct exec_act *e, struct ea_run *r, int64_t now,
    struct act_update *u)
{
	pid_t	 p;

	if (r->errfd >= 0)
		ea_read_err(r);
	if ((p = waitpid(r->pid, &r->status, WNOHANG)) == r->pid ||
	    (p < 0 && errno == ECHILD)) {
		if (p < 0)
			r->status = 255 << 8;	/* reaped elsewhere: unknown */
		r->exited = 1;
		if (r->errfd >= 0)
			ea_read_err(r);
		ea_final(r, now, u);
		return 1;
	}
	ea_signal(e, r, now);
	if (now - r->update_ms < e->cfg.progress_ms)
		return 0;
	memset(u, 0, sizeof(*u));
	u->id = r->req.id;
	u->state = ST(RUNNING);
	u->elapsed_ms = act_elapsed(r->start_ms, now);
	r->update_ms = now;
	return 1;
}

static size_t
ea_poll(void *arg, int64_t now, struct act_update *out, size_t max)
{
	struct exec_act	*e = arg;
	struct ea_run	**pp, *r;
	size_t		 n = 0;

	for (pp = &e->list; (r = *pp) != NULL && n < max; ) {
		if (ea_poll_one(e, r, now, &out[n]))
			n++;
		if (r->exited) {
			if (r->errfd >= 0)
				close(r->errfd);
			*pp = r->next;
			free(r);
			continue;
		}
		pp = &r->next;
	}
	return n;
}

static int
ea_fd(void *arg)
{
	(void)arg;
	return -1;
}

/* Stops what runs (SIGTERM, then SIGKILL) and reaps it. */
static void
ea_free(void *arg)
{
	struct exec_act	*e = arg;
	struct ea_run	*r, *next;

	if (e == NULL)
		return;
	for (r = e->list; r != NULL; r = next) {
		next = r->next;
		kill(-r->pid, SIGTERM);
		util_sleep_ms(100, NULL);
		if (waitpid(r->pid, NULL, WNOHANG) != r->pid) {
			kill(-r->pid, SIGKILL);
			waitpid(r->pid, NULL, 0);
		}
		if (r->errfd >= 0)
			close(r->errfd);
		free(r);
	}
	free(e);
}

const struct act_ops exec_act_ops = {
	"exec", ea_start, ea_cancel, ea_busy, ea_poll, ea_fd, ea_free
};
