/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/conf.c (and common/conf_lex.c under it): the
 * defaults, every statement, exact "file:line:col: what is wrong"
 * messages for broken files, and conf_print() parsing back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "conf_lex.h"
#include "log.h"

#define FILE_NAME	"test.conf"

/* Parses text into *c (over a copy of the defaults); returns the code. */
static int
parse(const char *text, struct conf *c, char *err, size_t errlen)
{
	err[0] = '\0';
	return conf_parse(FILE_NAME, text, strlen(text), c, err, errlen);
}

static void
parse_ok(const char *text, struct conf *c)
{
	char	 err[512];

	if (parse(text, c, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

/* Field by field: bytes after a string's NUL do not matter. */
static void
assert_conf_equal(const struct conf *a, const struct conf *b)
{
	assert_string_equal(a->reports, b->reports);
	assert_string_equal(a->api_addr, b->api_addr);
	assert_int_equal(a->api_port, b->api_port);
	assert_string_equal(a->state_dir, b->state_dir);
	assert_int_equal(a->stale_intervals, b->stale_intervals);
	assert_int_equal(a->forget_vm_s, b->forget_vm_s);
	assert_int_equal(a->checkpoint_ms, b->checkpoint_ms);
	assert_int_equal(a->log_level, b->log_level);
	assert_string_equal(a->rrdcached, b->rrdcached);
}

/*
 * Asserts that text is refused with -EINVAL, a message that begins
 * "test.conf:line:col: " and, when want is not NULL, is exactly that
 * prefix and want; and that *out is untouched.
 */
static void
check_bad(const char *text, int line, int col, const char *want)
{
	struct conf	 c, before;
	char		 err[512], prefix[64], full[600];

	memset(&c, 0x5a, sizeof(c));
	before = c;
	assert_int_equal(parse(text, &c, err, sizeof(err)), -EINVAL);
	assert_memory_equal(&c, &before, sizeof(c));
	snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", FILE_NAME, line, col);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err,
		    prefix);
	assert_true(strlen(err) > strlen(prefix));
	if (want != NULL) {
		snprintf(full, sizeof(full), "%s%s", prefix, want);
		assert_string_equal(err, full);
	}
}

static void
test_defaults(void **state)
{
	struct conf	 c, d;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	conf_defaults(&c);
	assert_string_equal(c.reports, CONF_DEFAULT_REPORTS);
	assert_string_equal(c.api_addr, CONF_DEFAULT_API_ADDR);
	assert_int_equal(c.api_port, CONF_DEFAULT_API_PORT);
	assert_string_equal(c.state_dir, CONF_DEFAULT_STATE_DIR);
	assert_int_equal(c.stale_intervals, 3);
	assert_int_equal(c.forget_vm_s, 600);
	assert_int_equal(c.checkpoint_ms, 1000);
	assert_int_equal(c.log_level, LOG_LVL_INFO);
	assert_string_equal(c.rrdcached, "");

	/* an empty file, or only comments and blank lines: the defaults */
	memset(&d, 0x5a, sizeof(d));
	parse_ok("", &d);
	assert_conf_equal(&d, &c);
	memset(&d, 0x5a, sizeof(d));
	parse_ok("# nothing here\n\n   \t\n# still nothing", &d);
	assert_conf_equal(&d, &c);
}

static void
test_full_file(void **state)
{
	static const char text[] =
	    "# ballast-balancerd.conf\n"
	    "listen reports \"tcp://0.0.0.0:9471\"\n"
	    "listen api 10.1.2.3 port 9470   # the HTTP API\n"
	    "\n"
	    "\tstate-dir \"/srv/ballast state\"\n"
	    "stale-after 5 intervals\n"
	    "forget-vm-after 3600 seconds\n"
	    "checkpoint-every 250 ms\n"
	    "log-level debug\n";
	struct conf	 c;

	(void)state;
	parse_ok(text, &c);
	assert_string_equal(c.reports, "tcp://0.0.0.0:9471");
	assert_string_equal(c.api_addr, "10.1.2.3");
	assert_int_equal(c.api_port, 9470);
	assert_string_equal(c.state_dir, "/srv/ballast state");
	assert_int_equal(c.stale_intervals, 5);
	assert_int_equal(c.forget_vm_s, 3600);
	assert_int_equal(c.checkpoint_ms, 250);
	assert_int_equal(c.log_level, LOG_LVL_DEBUG);
}

static void
test_each_statement(void **state)
{
	struct conf	 c, d;

	(void)state;
	conf_defaults(&d);

	parse_ok("listen reports ipc:///run/ballast.sock", &c);
	assert_string_equal(c.reports, "ipc:///run/ballast.sock");
	assert_string_equal(c.api_addr, d.api_addr);
	assert_int_equal(c.api_port, d.api_port);

	parse_ok("listen api ::1 port 1\n", &c);
	assert_string_equal(c.api_addr, "::1");
	assert_int_equal(c.api_port, 1);
	assert_string_equal(c.reports, d.reports);
	parse_ok("listen api \"0.0.0.0\" port 65535\n", &c);
	assert_string_equal(c.api_addr, "0.0.0.0");
	assert_int_equal(c.api_port, 65535);

	parse_ok("state-dir /var/tmp/b\n", &c);
	assert_string_equal(c.state_dir, "/var/tmp/b");
	parse_ok("state-dir \"/q/\\\"x\\\"/\\\\y\"\n", &c);
	assert_string_equal(c.state_dir, "/q/\"x\"/\\y");

	parse_ok("stale-after 1 intervals\n", &c);
	assert_int_equal(c.stale_intervals, 1);
	parse_ok("stale-after 1000 intervals\n", &c);
	assert_int_equal(c.stale_intervals, 1000);
	assert_int_equal(c.forget_vm_s, d.forget_vm_s);

	parse_ok("forget-vm-after 10 seconds\n", &c);
	assert_int_equal(c.forget_vm_s, 10);
	parse_ok("forget-vm-after 2592000 seconds\n", &c);
	assert_int_equal(c.forget_vm_s, 2592000);

	parse_ok("checkpoint-every 100 ms\n", &c);
	assert_int_equal(c.checkpoint_ms, 100);
	parse_ok("checkpoint-every 60000 ms\n", &c);
	assert_int_equal(c.checkpoint_ms, 60000);

	parse_ok("log-level warn\n", &c);
	assert_int_equal(c.log_level, LOG_LVL_WARN);
	parse_ok("log-level info\n", &c);
	assert_int_equal(c.log_level, LOG_LVL_INFO);
	parse_ok("log-level debug\n", &c);
	assert_int_equal(c.log_level, LOG_LVL_DEBUG);
}

static void
test_separators(void **state)
{
	struct conf	 c;

	(void)state;
	/* ';' ends a statement as a newline does; CRLF is fine */
	parse_ok("stale-after 4 intervals; log-level warn;\r\n"
	    "checkpoint-every 500 ms\r\n", &c);
	assert_int_equal(c.stale_intervals, 4);
	assert_int_equal(c.log_level, LOG_LVL_WARN);
	assert_int_equal(c.checkpoint_ms, 500);
	/* the last statement may lack its newline; a later one wins */
	parse_ok("stale-after 4 intervals\nstale-after 7 intervals", &c);
	assert_int_equal(c.stale_intervals, 7);
	parse_ok("log-level debug # comment; log-level warn\n", &c);
	assert_int_equal(c.log_level, LOG_LVL_DEBUG);
}

static void
test_errors_exact(void **state)
{
	(void)state;
	check_bad("frobnicate 3\n", 1, 1, "unknown keyword \"frobnicate\" "
	    "(see ballast-balancerd.conf(5))");
	check_bad("state-dir\n", 1, 10, "expected a directory, found end of "
	    "line");
	check_bad("log-level", 1, 10, "expected a log level, found end of "
	    "file");
	check_bad("stale-after many intervals\n", 1, 13,
	    "stale-after must be a whole number from 1 to 1000, not \"many\"");
	check_bad("checkpoint-every 50 ms\n", 1, 18,
	    "checkpoint-every must be a whole number from 100 to 60000, "
	    "not \"50\"");
	check_bad("forget-vm-after 600 minutes\n", 1, 21,
	    "expected \"seconds\", found \"minutes\"");
	check_bad("stale-after 3\n", 1, 14,
	    "expected \"intervals\", found end of line");
	check_bad("state-dir \"/var/lib\n", 1, 11, "unterminated string");
	/* found by fuzz_conf: these printed as lines that did not parse */
	check_bad("state-dir \"/var/\001lib\"\n", 1, 11,
	    "a control character in a string");
	check_bad("group \"a\342\261\237\005\"\n", 1, 7,
	    "a control character in a string");
	check_bad("group \"wheel\342\261\237\"\n", 1, 7, "a group name must be "
	    "1 to 32 letters, digits, '.', '_' or '-', not starting with '-'");
	check_bad("user \"-x\"\n", 1, 6, "a user name must be 1 to 32 "
	    "letters, digits, '.', '_' or '-', not starting with '-'");
	check_bad("log-level info extra\n", 1, 16,
	    "expected end of line, found \"extra\"");
	check_bad("log-level verbose\n", 1, 11,
	    "log-level is warn, info or debug, not \"verbose\"");
	check_bad("listen web 80\n", 1, 8,
	    "listen takes \"reports\" or \"api\", not \"web\"");
	check_bad("listen api 127.0.0.1 port 70000\n", 1, 27,
	    "the port must be a whole number from 1 to 65535, not \"70000\"");
	check_bad("listen api 127.0.0.1 8470\n", 1, 22,
	    "expected \"port\", found \"8470\"");
	check_bad("{\n", 1, 1, "expected a keyword, found '{'");
}

static void
test_errors_position(void **state)
{
	(void)state;
	/* the line and column of the offending token, past comments */
	check_bad("# header\n\nlog-level info\n  bogus\n", 4, 3, NULL);
	check_bad("log-level info\n\tstale-after\n", 2, 13, NULL);
	check_bad("log-level info\nstale-after x intervals\n", 2, 13, NULL);
	check_bad("log-level info\nstale-after 3.5 intervals\n", 2, 13, NULL);
	check_bad("stale-after -1 intervals\n", 1, 13, NULL);
	check_bad("stale-after 0 intervals\n", 1, 13, NULL);
	check_bad("stale-after 1001 intervals\n", 1, 13, NULL);
	check_bad("stale-after 99999999999999999999999 intervals\n", 1, 13,
	    NULL);
	check_bad("forget-vm-after 9 seconds\n", 1, 17, NULL);
	check_bad("forget-vm-after 2592001 seconds\n", 1, 17, NULL);
	check_bad("checkpoint-every 60001 ms\n", 1, 18, NULL);
	check_bad("checkpoint-every 1000 seconds\n", 1, 23, NULL);
	check_bad("listen api 127.0.0.1 port 0\n", 1, 27, NULL);
	check_bad("listen api 127.0.0.1 port\n", 1, 26, NULL);
	check_bad("listen\n", 1, 7, NULL);
	check_bad("listen reports\n", 1, 15, NULL);
	check_bad("log-level info\n\n   state-dir \"/var\nlib\"\n", 3, 14,
	    NULL);
	check_bad("state-dir \"a\\nb\"\n", 1, 11, NULL);
	check_bad("stale-after 3 intervals extra\n", 1, 25, NULL);
	check_bad("stale-after 3 intervals; bogus 1\n", 1, 26, NULL);
	check_bad("log-level DEBUG\n", 1, 11, NULL);
	check_bad("log-level info\nlog-level 2\n", 2, 11, NULL);
	check_bad("log-level info }\n", 1, 16, NULL);
	check_bad("log-level info\n!\n", 2, 1, NULL);
}

/* Values the grammar accepts but the daemon could never use. */
static void
test_semantic_errors(void **state)
{
	(void)state;
	check_bad("listen api localhost port 8470\n", 1, 12,
	    "the API address must be an IPv4 or IPv6 literal such as "
	    "127.0.0.1 or ::1, not \"localhost\"");
	check_bad("listen reports \"udp://127.0.0.1:1\"\n", 1, 16,
	    "a reports endpoint is tcp://ADDR:PORT or ipc://PATH, not "
	    "\"udp://127.0.0.1:1\"");
	check_bad("state-dir \"\"\n", 1, 11, "state-dir is empty");
	check_bad("listen api [::1] port 8470\n", 1, 12, NULL);
}

static void
test_too_long(void **state)
{
	char	 text[2048];
	char	 arg[300];

	(void)state;
	/* 255 characters fit the reports endpoint, 256 do not */
	memcpy(arg, "tcp://", 6);
	memset(arg + 6, 'x', 249);
	arg[255] = '\0';
	snprintf(text, sizeof(text), "listen reports \"%s\"\n", arg);
	{
		struct conf	 c;

		parse_ok(text, &c);
		assert_string_equal(c.reports, arg);
	}
	memcpy(arg, "tcp://", 6);
	memset(arg + 6, 'x', 250);
	arg[256] = '\0';
	snprintf(text, sizeof(text), "listen reports \"%s\"\n", arg);
	check_bad(text, 1, 16, NULL);
	memset(arg, '1', 100);
	arg[100] = '\0';
	snprintf(text, sizeof(text), "stale-after %s intervals\n", arg);
	check_bad(text, 1, 13, NULL);
}

static void
test_error_keeps_out(void **state)
{
	struct conf	 c, before;
	char		 err[512];

	(void)state;
	/* a good statement before the bad one changes nothing either */
	parse_ok("log-level warn\nstale-after 9 intervals\n", &c);
	before = c;
	assert_int_equal(parse("log-level debug\nstale-after 10 intervals\n"
	    "checkpoint-every 5 ms\n", &c, err, sizeof(err)), -EINVAL);
	assert_memory_equal(&c, &before, sizeof(c));
	assert_int_equal(c.log_level, LOG_LVL_WARN);
	assert_string_equal(err, "test.conf:3:18: checkpoint-every must be a "
	    "whole number from 100 to 60000, not \"5\"");
	/* a short error buffer is still terminated */
	assert_int_equal(parse("bogus\n", &c, err, 12), -EINVAL);
	assert_string_equal(err, "test.conf:1");
}

static void
test_print_roundtrip(void **state)
{
	struct conf	 c, d;
	char		 buf[4096], err[512];

	(void)state;
	conf_defaults(&c);
	conf_print(&c, buf, sizeof(buf));
	memset(&d, 0x5a, sizeof(d));
	if (parse(buf, &d, err, sizeof(err)) != 0)
		fail_msg("%s in:\n%s", err, buf);
	assert_conf_equal(&d, &c);

	parse_ok("listen reports \"tcp://[::1]:9000\"\n"
	    "listen api fe80::1 port 8000\n"
	    "state-dir \"/srv/with space/ballast\"\n"
	    "stale-after 11 intervals\n"
	    "forget-vm-after 86400 seconds\n"
	    "checkpoint-every 30000 ms\n"
	    "log-level warn\n", &c);
	conf_print(&c, buf, sizeof(buf));
	memset(&d, 0x5a, sizeof(d));
	if (parse(buf, &d, err, sizeof(err)) != 0)
		fail_msg("%s in:\n%s", err, buf);
	assert_conf_equal(&d, &c);
	assert_string_equal(d.state_dir, "/srv/with space/ballast");
	assert_int_equal(d.log_level, LOG_LVL_WARN);

	c.log_level = LOG_LVL_DEBUG;
	conf_print(&c, buf, sizeof(buf));
	parse_ok(buf, &d);
	assert_int_equal(d.log_level, LOG_LVL_DEBUG);
}

/*
 * The SNMP statements' strings print quoted, so that one holding '"'
 * or '\\' reads back (fuzz/crashes/conf: agentx-socket printed raw).
 */
static void
test_print_snmp_quoted(void **state)
{
	struct conf	 c, d;
	char		 buf[8192], err[512];

	(void)state;
	parse_ok("agentx-socket \"/run/a \\\"x\\\" \\\\ b\"\n"
	    "trap-sink \"nms\\\"1:162\" community \"public\" inform\n"
	    "trap-sink \"nms2\" user \"no\\\"c\" auth sha \"12345678\" "
	    "priv aes \"abcdefgh\" engine-id \"80001f8880a1b2c3\"\n", &c);
	assert_string_equal(c.snmp.agentx, "/run/a \"x\" \\ b");
	conf_print(&c, buf, sizeof(buf));
	memset(&d, 0x5a, sizeof(d));
	if (parse(buf, &d, err, sizeof(err)) != 0)
		fail_msg("%s in:\n%s", err, buf);
	assert_string_equal(d.snmp.agentx, c.snmp.agentx);
	assert_int_equal(d.snmp.nsinks, 2);
	assert_string_equal(d.snmp.sinks[0].addr, "nms\"1:162");
	assert_int_equal(d.snmp.sinks[0].inform, 1);
	assert_string_equal(d.snmp.sinks[1].user, "no\"c");
	assert_string_equal(d.snmp.sinks[1].engine_id, "80001f8880a1b2c3");
}

/* rrdcached "ADDRESS" | none: the forms rrdcached's -l takes. */
static void
test_rrdcached(void **state)
{
	static const char *const good[] = {
		"unix:/run/rrdcached.sock", "/var/run/rrdcached.sock",
		"127.0.0.1:42217", "[::1]:42217", "localhost", "rrd.example:1",
	};
	struct conf	 c, d;
	char		 text[512], buf[4096];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "rrdcached \"%s\"\n", good[i]);
		parse_ok(text, &c);
		assert_string_equal(c.rrdcached, good[i]);
		conf_print(&c, buf, sizeof(buf));
		parse_ok(buf, &d);
		assert_conf_equal(&d, &c);
	}
	parse_ok("rrdcached \"unix:/x.sock\"\nrrdcached none\n", &c);
	assert_string_equal(c.rrdcached, "");
	conf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "rrdcached none\n"));
	check_bad("rrdcached \"unix:relative.sock\"\n", 1, 11,
	    "an rrdcached address is unix:/PATH, /PATH, HOST:PORT, "
	    "[IPV6]:PORT or HOST, not \"unix:relative.sock\"");
	check_bad("rrdcached \"127.0.0.1:0\"\n", 1, 11, NULL);
	check_bad("rrdcached \"127.0.0.1:65536\"\n", 1, 11, NULL);
	check_bad("rrdcached \"a b\"\n", 1, 11, NULL);
	check_bad("rrdcached \"a:b:c\"\n", 1, 11, NULL);
	check_bad("rrdcached \"[::1\"\n", 1, 11, NULL);
	check_bad("rrdcached\n", 1, 10, NULL);
}

static void
test_load(void **state)
{
	static const char text[] = "log-level debug\nstale-after 4\n";
	struct conf	 c, before;
	char		 path[] = "/tmp/ballast-conf-XXXXXX", err[512], want[600];
	int		 fd, rc;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
	    (ssize_t)(sizeof(text) - 1));
	assert_int_equal(close(fd), 0);
	memset(&c, 0x5a, sizeof(c));
	before = c;
	rc = conf_load(path, &c, err, sizeof(err));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rc, -EINVAL);
	assert_memory_equal(&c, &before, sizeof(c));
	/* messages name the file as given */
	snprintf(want, sizeof(want), "%s:2:14: expected \"intervals\", found "
	    "end of line", path);
	assert_string_equal(err, want);

	err[0] = '\0';
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_memory_equal(&c, &before, sizeof(c));
}

/* The SNMP statements (conf_snmp.c): sinks, hold-down, rate, AgentX. */
static void
test_snmp(void **state)
{
	struct conf	 c;
	char		 buf[8192];

	(void)state;
	conf_defaults(&c);
	assert_int_equal(c.snmp.nsinks, 0);
	assert_int_equal(c.snmp.holddown_s, 60);
	assert_int_equal(c.snmp.rate_per_min, 120);
	assert_string_equal(c.snmp.agentx, "");
	parse_ok("trap-sink \"127.0.0.1:16162\" community \"public\"\n"
	    "trap-sink \"udp:nms:162\" user \"noc\" auth sha \"authpass1\" "
	    "priv aes \"privpass1\" engine-id \"0x8000c0de0102030405\" inform\n"
	    "trap-sink \"[::1]:162\" community \"c2\" inform ; log-level warn\n"
	    "trap-holddown 5 seconds\n"
	    "trap-rate 30 per minute\n"
	    "agentx-socket \"/run/agentx/master\"\n", &c);
	assert_int_equal(c.snmp.nsinks, 3);
	assert_string_equal(c.snmp.sinks[0].addr, "127.0.0.1:16162");
	assert_int_equal(c.snmp.sinks[0].version, 2);
	assert_string_equal(c.snmp.sinks[0].community, "public");
	assert_false(c.snmp.sinks[0].inform);
	assert_int_equal(c.snmp.sinks[1].version, 3);
	assert_string_equal(c.snmp.sinks[1].user, "noc");
	assert_int_equal(c.snmp.sinks[1].auth, SNMPTRAP_SHA);
	assert_string_equal(c.snmp.sinks[1].auth_pass, "authpass1");
	assert_string_equal(c.snmp.sinks[1].priv_pass, "privpass1");
	assert_string_equal(c.snmp.sinks[1].engine_id, "0x8000c0de0102030405");
	assert_true(c.snmp.sinks[1].inform);
	assert_true(c.snmp.sinks[2].inform);
	assert_int_equal(c.log_level, LOG_LVL_WARN);	/* after the ';' */
	assert_int_equal(c.snmp.holddown_s, 5);
	assert_int_equal(c.snmp.rate_per_min, 30);
	assert_string_equal(c.snmp.agentx, "/run/agentx/master");
	parse_ok("trap-sink \"h\" user \"u\" auth sha256 \"12345678\" priv aes "
	    "\"abcdefgh\"\nagentx-socket none\n", &c);
	assert_int_equal(c.snmp.sinks[0].auth, SNMPTRAP_SHA256);
	assert_string_equal(c.snmp.agentx, "");
	/* printed back, it parses again (passphrases are not shown) */
	parse_ok("trap-sink \"127.0.0.1:16162\" community \"public\" inform\n"
	    "trap-holddown 5 seconds\n", &c);
	conf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "trap-sink \"127.0.0.1:16162\" community"));
	assert_null(strstr(buf, "public"));
	parse_ok(buf, &c);
	assert_int_equal(c.snmp.nsinks, 1);
	assert_true(c.snmp.sinks[0].inform);
	assert_int_equal(c.snmp.holddown_s, 5);

	check_bad("trap-sink \"h\" community\n", 1, 24,
	    "expected a community, found end of line");
	check_bad("trap-sink \"h\" password \"x\"\n", 1, 15,
	    "trap-sink wants community \"NAME\" or user \"NAME\" auth ..., "
	    "not \"password\"");
	check_bad("trap-sink \"h\" user \"u\" auth md5 \"12345678\" priv aes "
	    "\"12345678\"\n", 1, 29, "auth is sha or sha256, not \"md5\"");
	check_bad("trap-sink \"h\" user \"u\" auth sha \"short\" priv aes "
	    "\"12345678\"\n", 1, 33,
	    "the auth passphrase must be at least 8 characters (RFC 3414)");
	check_bad("trap-sink \"h\" user \"u\" auth sha \"12345678\" priv des "
	    "\"12345678\"\n", 1, 49, "expected \"aes\", found \"des\"");
	check_bad("trap-sink \"h\" user \"u\" auth sha \"12345678\" priv aes "
	    "\"12345678\" engine-id \"xyz\"\n", 1, 74,
	    "an engine ID is 5 to 32 octets in hex, not \"xyz\"");
	check_bad("trap-sink \"h\" community \"c\" engine-id \"0x0102030405\"\n",
	    1, 29, "unexpected \"engine-id\" (trap-sink options: inform)");
	check_bad("trap-holddown 5\n", 1, 16, NULL);
	check_bad("trap-rate 0 per minute\n", 1, 11,
	    "trap-rate must be a whole number from 1 to 100000, not \"0\"");
	check_bad("trap-rate 10 per hour\n", 1, 18,
	    "expected \"minute\", found \"hour\"");
	check_bad("agentx-socket \"\"\n", 1, 15, "agentx-socket is empty");
	check_bad("trap-sink \"a\" community \"c\"\ntrap-sink \"a\" community \"c\"\n"
	    "trap-sink \"a\" community \"c\"\ntrap-sink \"a\" community \"c\"\n"
	    "trap-sink \"a\" community \"c\"\ntrap-sink \"a\" community \"c\"\n"
	    "trap-sink \"a\" community \"c\"\ntrap-sink \"a\" community \"c\"\n"
	    "trap-sink \"a\" community \"c\"\n", 9, 25,
	    "at most 8 trap-sink statements");
}

/* curve, insecure, max-hosts, and the plain-TCP rule of conf_check. */
static void
test_curve(void **state)
{
	struct conf	 c;
	char		 err[512], buf[8192];

	(void)state;
	parse_ok("listen reports \"tcp://0.0.0.0:8471\"\n", &c);
	assert_int_equal(c.max_hosts, 10000);
	assert_int_equal(conf_check(&c, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "listen reports tcp://0.0.0.0:8471: plain "
	    "TCP on an address other than loopback"));
	parse_ok("listen reports \"tcp://0.0.0.0:8471\"\ninsecure\n", &c);
	assert_int_equal(conf_check(&c, err, sizeof(err)), 0);
	parse_ok("listen reports \"tcp://0.0.0.0:8471\"\n"
	    "curve secret-key \"/k/b.key\" authorized-collectors \"/k/c\"\n"
	    "max-hosts 50\n", &c);
	assert_string_equal(c.curve_key, "/k/b.key");
	assert_string_equal(c.curve_auth, "/k/c");
	assert_int_equal(c.max_hosts, 50);
	assert_int_equal(conf_check(&c, err, sizeof(err)), 0);
	conf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "curve secret-key \"/k/b.key\" "
	    "authorized-collectors \"/k/c\"\nmax-hosts 50\n"));
	parse_ok("curve none\n", &c);
	assert_string_equal(c.curve_key, "");
	parse_ok("listen reports \"tcp://127.0.0.1:8471\"\n", &c);
	assert_int_equal(conf_check(&c, err, sizeof(err)), 0);
	check_bad("curve secret-key \"/k/b.key\"\n", 1, 28, "expected "
	    "\"authorized-collectors\", found end of line");
	check_bad("curve key \"x\"\n", 1, 7, "curve takes secret-key "
	    "\"FILE\" authorized-collectors \"FILE\" or none, not \"key\"");
	check_bad("max-hosts 0\n", 1, 11, "max-hosts must be a whole number "
	    "from 1 to 20000, not \"0\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_each_statement),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_errors_exact),
		cmocka_unit_test(test_errors_position),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_error_keeps_out),
		cmocka_unit_test(test_print_roundtrip),
		cmocka_unit_test(test_curve),
		cmocka_unit_test(test_print_snmp_quoted),
		cmocka_unit_test(test_rrdcached),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_snmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
