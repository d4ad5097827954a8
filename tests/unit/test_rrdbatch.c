/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/rrdbatch.c against a scripted rrdcached (a
 * child process on a UNIX socket): BATCH framing, the answer's error
 * lines (duplicates apart from refusals), a connection that breaks,
 * the replay of recently acknowledged lines after a reconnection, the
 * queue bound while rrdcached is away, and address checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rrdbatch.h"
#include "util.h"

static char	 tmpdir[128], sock_path[200], addr[220], got_path[200];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ballast-test-rb.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/s", tmpdir);
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	snprintf(got_path, sizeof(got_path), "%s/got", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(sock_path);
	unlink(got_path);
	return rmdir(tmpdir);
}

static void
fake_reply(int c, const char *s)
{
	if (write(c, s, strlen(s)) != (ssize_t)strlen(s))
		_exit(3);
}

/* Reads one batch (up to "."), appending its UPDATE lines to got. */
static int
fake_read_batch(int c, FILE *got)
{
	char	 line[4200];
	size_t	 n = 0;
	int	 lines = -1;

	for (;;) {
		if (read(c, line + n, 1) != 1)
			return -1;
		if (line[n] != '\n') {
			if (n + 2 < sizeof(line))
				n++;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if (strcmp(line, ".") == 0)
			return lines;
		if (strcmp(line, "BATCH") == 0) {
			fake_reply(c, "0 Go ahead.  End with dot '.' on its "
			    "own line.\n");
			lines = 0;
			continue;
		}
		fprintf(got, "%s\n", line);
		fflush(got);
		lines++;
	}
}

/*
 * Connection 1: batch 1 gets one duplicate refusal, batch 2 one "No
 * such file", then the connection is closed after reading batch 3
 * without an answer.  Connection 2: every batch is answered "0 errors".
 */
static void
fake_server(int lfd)
{
	FILE	*got = fopen(got_path, "w");
	int	 c;

	if (got == NULL || (c = accept(lfd, NULL, NULL)) < 0)
		_exit(2);
	if (fake_read_batch(c, got) < 0)
		_exit(4);
	fake_reply(c, "1 errors\n2 illegal attempt to update using time 5 when "
	    "last update time is 5 (minimum one second step)\n");
	if (fake_read_batch(c, got) < 0)
		_exit(5);
	fake_reply(c, "1 errors\n1 No such file: /x/nope.rrd\n");
	fake_read_batch(c, got);
	fprintf(got, "-- closed\n");
	fflush(got);
	close(c);
	if ((c = accept(lfd, NULL, NULL)) < 0)
		_exit(6);
	while (fake_read_batch(c, got) >= 0)
		fake_reply(c, "0 errors\n");
	fclose(got);
	_exit(0);
}

static pid_t
start_fake(void)
{
	struct sockaddr_un	 sun;
	pid_t			 pid;
	int			 lfd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	util_strlcpy(sun.sun_path, sock_path, sizeof(sun.sun_path));
	assert_true((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0)
		fake_server(lfd);
	close(lfd);
	return pid;
}

/* Runs the client until cond holds or 5 s pass. */
static int
run_until(struct rrdbatch *b, uint64_t acked)
{
	char	 err[256];
	int	 i, rc = 0;

	for (i = 0; i < 500 && rrdbatch_stats(b)->acked < acked; i++) {
		rc = rrdbatch_run(b, util_now_mono_ms(), 10, err, sizeof(err));
		if (rc == -ENOTCONN)
			usleep(10000);
	}
	return rrdbatch_stats(b)->acked >= acked ? 0 : rc ? rc : -ETIMEDOUT;
}

static void
test_batches_and_replay(void **state)
{
	const struct rrdbatch_stats	*st;
	struct rrdbatch			*b;
	char				 err[256], all[2048];
	FILE				*f;
	size_t				 n;
	pid_t				 pid;
	int				 status;

	(void)state;
	pid = start_fake();
	assert_non_null(b = rrdbatch_new(addr, 0, -1, err, sizeof(err)));
	st = rrdbatch_stats(b);
	assert_int_equal(rrdbatch_update(b, "/x/a.rrd", "5:1:2"), 0);
	assert_int_equal(rrdbatch_update(b, "/x/b.rrd", "5:U:3"), 0);
	assert_int_equal(st->queued, 2);
	assert_int_equal(run_until(b, 2), 0);
	assert_int_equal(st->duplicates, 1);
	assert_int_equal(st->refused, 0);
	assert_int_equal(st->queued, 0);
	assert_int_equal(st->connected, 1);
	assert_int_equal(rrdbatch_update(b, "/x/nope.rrd", "6:1"), 0);
	assert_int_equal(run_until(b, 3), 0);
	assert_int_equal(st->refused, 1);
	assert_non_null(strstr(st->last_refusal, "No such file"));
	/* batch 3 is never answered: kept, then sent again with the replay */
	assert_int_equal(rrdbatch_update(b, "/x/a.rrd", "15:4:5"), 0);
	assert_int_equal(run_until(b, 3 + 3 + 1), 0);
	assert_int_equal(st->replayed, 3);
	assert_int_equal(st->connects, 2);
	assert_true(st->io_errors >= 1);
	assert_int_equal(st->queued, 0);
	rrdbatch_free(b);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	assert_non_null(f = fopen(got_path, "r"));
	n = fread(all, 1, sizeof(all) - 1, f);
	all[n] = '\0';
	fclose(f);
	assert_string_equal(all,
	    "UPDATE /x/a.rrd 5:1:2\n"
	    "UPDATE /x/b.rrd 5:U:3\n"
	    "UPDATE /x/nope.rrd 6:1\n"
	    "UPDATE /x/a.rrd 15:4:5\n"
	    "-- closed\n"
	    "UPDATE /x/a.rrd 5:1:2\n"
	    "UPDATE /x/b.rrd 5:U:3\n"
	    "UPDATE /x/nope.rrd 6:1\n"
	    "UPDATE /x/a.rrd 15:4:5\n");
}

static void
test_away(void **state)
{
	const struct rrdbatch_stats	*st;
	struct rrdbatch			*b;
	char				 err[256], vals[32];
	int				 i, rc, nobufs = 0;

	(void)state;
	/* nobody listens: kept up to the bound, then the oldest dropped */
	assert_non_null(b = rrdbatch_new(addr, 300, -1, err, sizeof(err)));
	st = rrdbatch_stats(b);
	rc = rrdbatch_run(b, util_now_mono_ms(), 0, err, sizeof(err));
	assert_int_equal(rc, 0);	/* nothing queued: nothing tried */
	for (i = 0; i < 20; i++) {
		snprintf(vals, sizeof(vals), "%d:1:2:3", 100 + i);
		nobufs += rrdbatch_update(b, "/x/a.rrd", vals) == -ENOBUFS;
	}
	assert_true(nobufs > 0);
	assert_int_equal(st->dropped + st->queued, 20);
	assert_true(st->queued * 26 <= 300);
	rc = rrdbatch_run(b, util_now_mono_ms(), 0, err, sizeof(err));
	assert_true(rc < 0);
	assert_non_null(strstr(err, addr));
	assert_int_equal(st->connect_errors, 1);
	/* within the retry second: not tried again */
	rc = rrdbatch_run(b, util_now_mono_ms(), 0, err, sizeof(err));
	assert_int_equal(rc, -ENOTCONN);
	assert_int_equal(st->connect_errors, 1);
	assert_int_equal(rrdbatch_drain(b, 200, err, sizeof(err)), -ETIMEDOUT);
	assert_non_null(strstr(err, "not acknowledged"));
	assert_int_equal(rrdbatch_update(b, "/x/a b.rrd", "1:1"), -EINVAL);
	assert_int_equal(rrdbatch_update(b, "/x/a.rrd", "1:1\nFLUSHALL"),
	    -EINVAL);
	rrdbatch_free(b);
}

static void
test_addresses(void **state)
{
	char	 err[256];

	(void)state;
	assert_int_equal(rrdbatch_check_addr("unix:/run/rrdcached.sock"), 0);
	assert_int_equal(rrdbatch_check_addr("/run/rrdcached.sock"), 0);
	assert_int_equal(rrdbatch_check_addr("127.0.0.1:42217"), 0);
	assert_int_equal(rrdbatch_check_addr("localhost"), 0);
	assert_int_equal(rrdbatch_check_addr("[::1]:1"), 0);
	assert_int_equal(rrdbatch_check_addr("::1"), 0);
	assert_int_equal(rrdbatch_check_addr("unix:run.sock"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("host:0"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("host:x"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("[::1"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("[::1]x"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("a:b:c"), -EINVAL);
	assert_int_equal(rrdbatch_check_addr(""), -EINVAL);
	assert_int_equal(rrdbatch_check_addr("a b"), -EINVAL);
	assert_null(rrdbatch_new("nope:0", 0, -1, err, sizeof(err)));
	assert_non_null(strstr(err, "nope:0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batches_and_replay, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_away, setup, teardown),
		cmocka_unit_test(test_addresses),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
