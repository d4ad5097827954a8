/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/checkpoint.c: save and load give back what was
 * saved, a missing file is -ENOENT, a damaged one -EINVAL naming the
 * path, and a failed save leaves the previous file as it was.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "checkpoint.h"

struct tmp {
	char	 dir[64];
	char	 path[128];	/* dir/ckpt.json */
};

static int
tmp_setup(void **state)
{
	struct tmp	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/ballast-ckpt-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/ckpt.json", t->dir);
	*state = t;
	return 0;
}

/* Removes the few names the tests create, then the directory. */
static int
tmp_teardown(void **state)
{
	static const char *const names[] = { "ckpt.json", "ckpt.json.tmp",
	    "file", NULL };
	struct tmp	*t = *state;
	char		 p[192];
	size_t		 i;

	chmod(t->dir, 0700);
	for (i = 0; names[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", t->dir, names[i]);
		if (unlink(p) == -1)
			rmdir(p);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The whole file in a malloc'd string. */
static char *
read_file(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 len;

	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_non_null(buf = malloc((size_t)len + 1));
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void
mk_peer(struct ckpt_peer *p, uint8_t id, uint64_t inc, uint64_t seq,
    size_t nmissing)
{
	size_t	 i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < 16; i++)
		p->uuid[i] = (uint8_t)(id * 16 + i);
	p->incarnation = inc;
	p->seq = seq;
	for (i = 0; i < nmissing; i++)
		p->missing[i] = seq - nmissing - 1 + i;
	p->nmissing = nmissing;
}

static void
assert_peer_equal(const struct ckpt_peer *a, const struct ckpt_peer *b)
{
	size_t	 i;

	assert_memory_equal(a->uuid, b->uuid, 16);
	assert_int_equal(a->incarnation, b->incarnation);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->nmissing, b->nmissing);
	for (i = 0; i < a->nmissing; i++)
		assert_int_equal(a->missing[i], b->missing[i]);
}

static void
test_roundtrip(void **state)
{
	struct tmp		*t = *state;
	struct ckpt_peer	 pv[4], *got = NULL;
	const struct ckpt_peer	*pp[4];
	uint64_t		 lost = 0;
	size_t			 n = 99, i;
	char			 err[512] = "";

	mk_peer(&pv[0], 1, 1700000000000123ULL, 500, 0);
	mk_peer(&pv[1], 2, 1, 1, 0);
	mk_peer(&pv[2], 3, 42, 1000, 3);
	mk_peer(&pv[3], 4, (1ULL << 62) + 5, 100000, CKPT_MISSING_MAX);
	for (i = 0; i < 4; i++)
		pp[i] = &pv[i];
	if (checkpoint_save(t->path, pp, 4, 17, err, sizeof(err)) != 0)
		fail_msg("save: %s", err);
	/* the temporary file is gone */
	assert_int_equal(access(t->path, F_OK), 0);
	{
		char	 tp[160];

		snprintf(tp, sizeof(tp), "%s.tmp", t->path);
		assert_int_equal(access(tp, F_OK), -1);
	}
	if (checkpoint_load(t->path, &got, &n, &lost, err, sizeof(err)) != 0)
		fail_msg("load: %s", err);
	assert_non_null(got);
	assert_int_equal(n, 4);
	assert_int_equal(lost, 17);
	for (i = 0; i < 4; i++)
		assert_peer_equal(&got[i], &pv[i]);
	free(got);

	/* a second save replaces the first; zero peers is fine */
	got = NULL;
	assert_int_equal(checkpoint_save(t->path, NULL, 0, 3, err,
	    sizeof(err)), 0);
	assert_int_equal(checkpoint_load(t->path, &got, &n, &lost, err,
	    sizeof(err)), 0);
	assert_non_null(got);
	assert_int_equal(n, 0);
	assert_int_equal(lost, 3);
	free(got);
}

static void
test_missing_file(void **state)
{
	struct tmp		*t = *state;
	struct ckpt_peer	*got = NULL;
	uint64_t		 lost = 77;
	size_t			 n = 77;
	char			 err[256] = "";

	assert_int_equal(checkpoint_load(t->path, &got, &n, &lost, err,
	    sizeof(err)), -ENOENT);
	assert_null(got);
	assert_int_equal(n, 77);
	assert_int_equal(lost, 77);
}

/* Asserts that a file holding text loads as -EINVAL naming the path. */
static void
check_damaged(const struct tmp *t, const char *text)
{
	struct ckpt_peer	*got = NULL;
	uint64_t		 lost = 77;
	size_t			 n = 77;
	char			 err[512] = "";

	write_file(t->path, text);
	assert_int_equal(checkpoint_load(t->path, &got, &n, &lost, err,
	    sizeof(err)), -EINVAL);
	if (strstr(err, t->path) == NULL)
		fail_msg("message \"%s\" does not name the file (%s)", err,
		    text);
	assert_null(got);
	assert_int_equal(n, 77);
	assert_int_equal(lost, 77);
}

static void
test_damaged(void **state)
{
	struct tmp	*t = *state;

	/* not JSON */
	check_damaged(t, "");
	check_damaged(t, "this is not json\n");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":[");
	/* JSON, but not a checkpoint */
	check_damaged(t, "[1, 2, 3]\n");
	check_damaged(t, "{}\n");
	check_damaged(t, "{\"version\":1,\"reports_lost\":\"3\",\"hosts\":[]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":-1,\"hosts\":[]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":{}}");
	/* a damaged host entry */
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":[7]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":["
	    "{\"uuid\":\"not-a-uuid\",\"incarnation\":1,\"seq\":2,"
	    "\"missing\":[]}]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":["
	    "{\"uuid\":\"00112233-4455-6677-8899-aabbccddeeff\","
	    "\"incarnation\":1,\"seq\":-2,\"missing\":[]}]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":["
	    "{\"uuid\":\"00112233-4455-6677-8899-aabbccddeeff\","
	    "\"incarnation\":1,\"seq\":2,\"missing\":[\"x\"]}]}");
	check_damaged(t, "{\"version\":1,\"reports_lost\":3,\"hosts\":["
	    "{\"uuid\":\"00112233-4455-6677-8899-aabbccddeeff\","
	    "\"incarnation\":1,\"seq\":2}]}");
}

static void
test_too_many_missing(void **state)
{
	struct tmp	*t = *state;
	char		 text[2048];
	size_t		 off, i;

	off = (size_t)snprintf(text, sizeof(text), "{\"version\":1,"
	    "\"reports_lost\":0,\"hosts\":[{\"uuid\":"
	    "\"00112233-4455-6677-8899-aabbccddeeff\",\"incarnation\":1,"
	    "\"seq\":1000,\"missing\":[");
	for (i = 0; i <= CKPT_MISSING_MAX; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%zu",
		    i ? "," : "", i + 1);
	snprintf(text + off, sizeof(text) - off, "]}]}");
	assert_true(strlen(text) < sizeof(text) - 1);
	check_damaged(t, text);
}

static void
test_save_fails(void **state)
{
	struct tmp		*t = *state;
	struct ckpt_peer	 pv, *got = NULL;
	const struct ckpt_peer	*pp[1] = { &pv };
	char			 bad[192], tp[160], err[512], *before, *after;
	uint64_t		 lost = 0;
	size_t			 n = 0;
	int			 rc;

	mk_peer(&pv, 9, 5, 50, 2);
	assert_int_equal(checkpoint_save(t->path, pp, 1, 4, err, sizeof(err)),
	    0);
	before = read_file(t->path);

	/* into a directory that does not exist */
	snprintf(bad, sizeof(bad), "%s/nonexistent/ckpt.json", t->dir);
	err[0] = '\0';
	assert_int_equal(checkpoint_save(bad, pp, 1, 5, err, sizeof(err)),
	    -ENOENT);
	assert_non_null(strstr(err, bad));

	/* under something that is not a directory */
	snprintf(bad, sizeof(bad), "%s/file", t->dir);
	write_file(bad, "x");
	snprintf(bad, sizeof(bad), "%s/file/ckpt.json", t->dir);
	err[0] = '\0';
	assert_int_equal(checkpoint_save(bad, pp, 1, 5, err, sizeof(err)),
	    -ENOTDIR);
	assert_true(strlen(err) > 0);

	/*
	 * The temporary file cannot be created (a directory is in its
	 * place, which stops root as well): the old file stays intact.
	 */
	snprintf(tp, sizeof(tp), "%s.tmp", t->path);
	assert_int_equal(mkdir(tp, 0700), 0);
	pv.seq = 60;
	err[0] = '\0';
	rc = checkpoint_save(t->path, pp, 1, 6, err, sizeof(err));
	assert_true(rc < 0);
	assert_int_equal(rc, -EISDIR);
	assert_non_null(strstr(err, t->path));
	after = read_file(t->path);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(rmdir(tp), 0);

	/* a read-only directory, where permissions apply */
	if (geteuid() != 0) {
		assert_int_equal(chmod(t->dir, 0500), 0);
		rc = checkpoint_save(t->path, pp, 1, 7, err, sizeof(err));
		assert_int_equal(chmod(t->dir, 0700), 0);
		assert_int_equal(rc, -EACCES);
		after = read_file(t->path);
		assert_string_equal(after, before);
		free(after);
	}

	/* and it still loads as it was saved */
	assert_int_equal(checkpoint_load(t->path, &got, &n, &lost, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(lost, 4);
	assert_int_equal(got[0].seq, 50);
	assert_int_equal(got[0].nmissing, 2);
	free(got);
	free(before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_damaged, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_too_many_missing,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_save_fails, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
