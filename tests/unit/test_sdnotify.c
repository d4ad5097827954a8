/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of common/sdnotify.c against a real datagram socket, as
 * systemd's manager listens: what arrives, abstract addresses, the
 * watchdog period and whom it is meant for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdnotify.h"

/* A listening datagram socket at path ("@..." abstract); its fd. */
static int
listener(const char *path)
{
	struct sockaddr_un	 sun;
	size_t			 n = strlen(path);
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	assert_true((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (path[0] == '/'))), 0);
	return fd;
}

static void
expect(int fd, const char *want)
{
	char	 buf[128];
	ssize_t	 n;

	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
test_path_socket(void **state)
{
	char	 dir[] = "/tmp/sdnotify.XXXXXX", path[64];
	int	 fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(sdnotify("READY=1"), 0);
	assert_int_equal(sdnotify("WATCHDOG=1"), 0);
	expect(fd, "READY=1");
	expect(fd, "WATCHDOG=1");
	close(fd);
	unlink(path);
	rmdir(dir);
	/* the socket gone: an error, not a crash */
	assert_true(sdnotify("READY=1") < 0);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_abstract_and_none(void **state)
{
	char	 name[64];
	int	 fd;

	(void)state;
	snprintf(name, sizeof(name), "@ballast-sdnotify-%d", (int)getpid());
	fd = listener(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(sdnotify("STOPPING=1"), 0);
	expect(fd, "STOPPING=1");
	close(fd);
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_true(sdnotify("READY=1") < 0);
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(sdnotify("READY=1"), 1);
}

static void
test_watchdog(void **state)
{
	char	 pid[32];

	(void)state;
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(sdnotify_watchdog_ms(), 0);
	setenv("WATCHDOG_USEC", "3000000", 1);
	assert_int_equal(sdnotify_watchdog_ms(), 1500);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sdnotify_watchdog_ms(), 1500);
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sdnotify_watchdog_ms(), 0);	/* another's */
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "soon", 1);
	assert_int_equal(sdnotify_watchdog_ms(), 0);
	unsetenv("WATCHDOG_USEC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_and_none),
		cmocka_unit_test(test_watchdog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
