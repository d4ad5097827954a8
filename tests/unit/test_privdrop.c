/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of common/privdrop.c.  Dropping root needs root: run as
 * another user (a developer's account) the dropping tests are skipped
 * and say so; make check runs as root.  Each drop happens in a child
 * process, which reports through its exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "privdrop.h"

static int
need_root(void)
{
	if (geteuid() == 0 && getpwnam("nobody") != NULL)
		return 1;
	print_message("skipped: it switches users, so it runs only as root "
	    "on a system with the user nobody (make check as root, as CI "
	    "does)\n");
	skip();
	return 0;
}

/* Can this process open a raw IP socket (CAP_NET_RAW)? */
static int
can_raw(void)
{
	int	 fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * In a child: drop to nobody keeping keep; exit 0 when the result is
 * as it should be (uid nobody, root not regained, raw sockets exactly
 * when CAP_NET_RAW is kept), else a code saying what went wrong.
 */
static int
drop_child(uint64_t keep)
{
	struct privdrop	 p = { "nobody", NULL, NULL, keep };
	const struct passwd *pw = getpwnam("nobody");
	char		 err[256];
	pid_t		 pid;
	int		 st;

	if ((pid = fork()) == 0) {
		if (privdrop(&p, err, sizeof(err)) != 0)
			_exit(10);
		if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid)
			_exit(11);
		if (setuid(0) == 0)
			_exit(12);
		if (can_raw() != ((keep & PRIVDROP_CAP(CAP_NET_RAW)) != 0))
			_exit(13);
		if (access("/etc/shadow", R_OK) == 0)
			_exit(14);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_drop_all(void **state)
{
	(void)state;
	if (!need_root())
		return;
	assert_true(can_raw());		/* root can, before */
	assert_int_equal(drop_child(0), 0);
}

static void
test_keep_net_raw(void **state)
{
	(void)state;
	if (!need_root())
		return;
	assert_int_equal(drop_child(PRIVDROP_CAP(CAP_NET_RAW)), 0);
}

static void
test_unknown_user(void **state)
{
	struct privdrop	 p = { "no-such-user-here", NULL, NULL, 0 };
	uid_t		 uid;
	gid_t		 gid, extra;
	char		 err[256];

	(void)state;
	assert_int_equal(privdrop_lookup(&p, &uid, &gid, &extra, err,
	    sizeof(err)), -ENOENT);
	assert_string_equal(err, "user \"no-such-user-here\" does not exist");
	if (geteuid() == 0)
		assert_int_equal(privdrop(&p, err, sizeof(err)), -ENOENT);
	else
		assert_int_equal(privdrop(&p, err, sizeof(err)), 1);
	p.user = "root";
	p.extra_group = "no-such-group-here";
	assert_int_equal(privdrop_lookup(&p, &uid, &gid, &extra, err,
	    sizeof(err)), 0);
	assert_int_equal(extra, (gid_t)-1);
	if (geteuid() == 0)	/* root is not a user to drop to */
		assert_int_equal(privdrop(&p, err, sizeof(err)), -EINVAL);
}

static void
test_chown_tree(void **state)
{
	const struct passwd	*pw;
	struct stat		 st;
	char			 dir[] = "/tmp/privdrop.XXXXXX", p[128];
	char			 err[256];

	(void)state;
	if (!need_root())
		return;
	pw = getpwnam("nobody");
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/rrd", dir);
	assert_int_equal(mkdir(p, 0750), 0);
	snprintf(p, sizeof(p), "%s/rrd/hosts", dir);
	assert_int_equal(mkdir(p, 0750), 0);
	snprintf(p, sizeof(p), "%s/rrd/hosts/hv01.rrd", dir);
	close(open(p, O_CREAT | O_WRONLY, 0640));
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(privdrop_chown_tree(dir, pw->pw_uid, pw->pw_gid, err,
	    sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/rrd/hosts/hv01.rrd", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_uid, pw->pw_uid);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_uid, pw->pw_uid);
	/* the link itself, not what it points to */
	assert_int_equal(stat("/etc/passwd", &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_true(privdrop_chown_tree("/nonexistent-dir", 1, 1, err,
	    sizeof(err)) < 0);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_all),
		cmocka_unit_test(test_keep_net_raw),
		cmocka_unit_test(test_unknown_user),
		cmocka_unit_test(test_chown_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
