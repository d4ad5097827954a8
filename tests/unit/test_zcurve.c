/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of common/zcurve.c: key files written by keygen (modes,
 * no overwrite) read back as the same pair, a secret key others may
 * read is refused, a damaged key file says what it wants, and the
 * plain-TCP rule (loopback and IPC allowed, anything else only with
 * CURVE or insecure).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "zcurve.h"

static char	 dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ballast-zcurve.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static mode_t
mode_of(const char *name)
{
	char		 p[128];
	struct stat	 st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(stat(p, &st), 0);
	return st.st_mode & 0777;
}

static void
test_keygen_roundtrip(void **state)
{
	struct zcurve_pair	 kp;
	char			 pub[ZCURVE_Z85_LEN + 1], p[128], again[41];
	char			 err[256];
	uint8_t			 bin[ZCURVE_BIN_LEN];

	(void)state;
	assert_int_equal(zcurve_keygen(dir, "hv01", pub, err, sizeof(err)), 0);
	assert_int_equal(strlen(pub), ZCURVE_Z85_LEN);
	assert_int_equal(mode_of("hv01.key"), 0600);
	assert_int_equal(mode_of("hv01.pub"), 0644);
	snprintf(p, sizeof(p), "%s/hv01.key", dir);
	assert_int_equal(zcurve_read_secret(p, &kp, err, sizeof(err)), 0);
	assert_string_equal(kp.pub, pub);	/* derived from the secret */
	snprintf(p, sizeof(p), "%s/hv01.pub", dir);
	assert_int_equal(zcurve_read_public(p, again, err, sizeof(err)), 0);
	assert_string_equal(again, pub);
	assert_int_equal(zcurve_decode(pub, bin), 0);
	/* never overwritten */
	assert_int_equal(zcurve_keygen(dir, "hv01", NULL, err, sizeof(err)),
	    -EEXIST);
	assert_non_null(strstr(err, "not overwritten"));
	assert_int_equal(zcurve_read_public(p, again, err, sizeof(err)), 0);
	assert_string_equal(again, pub);
}

static void
test_secret_perms(void **state)
{
	struct zcurve_pair	 kp;
	char			 p[128], err[256];

	(void)state;
	assert_int_equal(zcurve_keygen(dir, "open", NULL, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/open.key", dir);
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(zcurve_read_secret(p, &kp, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "chmod 600"));
}

static void
test_bad_files(void **state)
{
	char	 p[128], out[41], err[256];
	FILE	*f;

	(void)state;
	snprintf(p, sizeof(p), "%s/bad.pub", dir);
	assert_non_null(f = fopen(p, "w"));
	fputs("# a comment\n\nshort-key\n", f);
	fclose(f);
	assert_int_equal(zcurve_read_public(p, out, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a CURVE key"));
	snprintf(p, sizeof(p), "%s/missing.pub", dir);
	assert_int_equal(zcurve_read_public(p, out, err, sizeof(err)), -ENOENT);
	assert_int_equal(zcurve_decode("not-forty", (uint8_t[32]){ 0 }), -EINVAL);
}

static void
test_plain_rule(void **state)
{
	char	 err[512];

	(void)state;
	assert_int_equal(zcurve_exposed("tcp://127.0.0.1:8471"), 0);
	assert_int_equal(zcurve_exposed("tcp://127.1.2.3:8471"), 0);
	assert_int_equal(zcurve_exposed("tcp://[::1]:8471"), 0);
	assert_int_equal(zcurve_exposed("tcp://localhost:8471"), 0);
	assert_int_equal(zcurve_exposed("ipc:///run/ballast.sock"), 0);
	assert_int_equal(zcurve_exposed("tcp://0.0.0.0:8471"), 1);
	assert_int_equal(zcurve_exposed("tcp://*:8471"), 1);
	assert_int_equal(zcurve_exposed("tcp://10.0.0.1:8471"), 1);
	assert_int_equal(zcurve_exposed("tcp://balancer.example:8471"), 1);
	assert_int_equal(zcurve_exposed("tcp://127.0.0.1:0;10.0.0.1:8471"), 1);
	assert_int_equal(zcurve_check_plain("tcp://10.0.0.1:1", 1, 0, "x",
	    err, sizeof(err)), 0);
	assert_int_equal(zcurve_check_plain("tcp://10.0.0.1:1", 0, 1, "x",
	    err, sizeof(err)), 0);
	assert_int_equal(zcurve_check_plain("tcp://127.0.0.1:1", 0, 0, "x",
	    err, sizeof(err)), 0);
	assert_int_equal(zcurve_check_plain("tcp://10.0.0.1:1", 0, 0,
	    "listen reports", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "listen reports tcp://10.0.0.1:1: plain TCP"));
	assert_non_null(strstr(err, "or say \"insecure\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen_roundtrip),
		cmocka_unit_test(test_secret_perms),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_plain_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
