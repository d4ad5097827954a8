/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of web/graph.c: parameter validation (paths, metric,
 * start, width, height) with the messages a client gets, and drawing
 * from a real RRD file: PNG magic bytes and IHDR size, an SVG root, and
 * a missing file.
 */
#include <errno.h>
#include <limits.h>
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
#include <rrd.h>

#include "graph.h"
#include "rrd.h"

#define T0	1372636800LL

static char	 tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ballast-test-graph.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
parse(const char *path, const char *metric, const char *start,
    const char *w, const char *h, struct graph_req *g, char *err, size_t len)
{
	err[0] = '\0';
	return graph_parse(path, metric, start, w, h, g, err, len);
}

/* Asserts a refusal whose message contains `want`. */
static void
bad(const char *path, const char *metric, const char *start, const char *w,
    const char *h, const char *want)
{
	struct graph_req	 g;
	char			 err[512];

	assert_int_equal(parse(path, metric, start, w, h, &g, err, sizeof(err)),
	    -EINVAL);
	if (strstr(err, want) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", path, err, want);
}

static void
test_parse_ok(void **state)
{
	struct graph_req	 g;
	char			 err[512];

	(void)state;
	assert_int_equal(parse("host/hv-01.png", NULL, NULL, NULL, NULL, &g,
	    err, sizeof(err)), 0);
	assert_int_equal(g.kind, GRAPH_HOST);
	assert_int_equal(g.fmt, GRAPH_PNG);
	assert_string_equal(g.id, "hv-01");
	assert_int_equal(g.metric, 0);
	assert_int_equal(g.span_s, 86400);
	assert_int_equal(g.width, 800);
	assert_int_equal(g.height, 300);
	assert_int_equal(parse("vm/0A000000-0000-0000-0000-0000000000FF.svg",
	    "net", "-30min", "300", "2000", &g, err, sizeof(err)), 0);
	assert_int_equal(g.kind, GRAPH_VM);
	assert_int_equal(g.fmt, GRAPH_SVG);
	assert_string_equal(g.id, "0a000000-0000-0000-0000-0000000000ff");
	assert_int_equal(g.metric, 4);
	assert_int_equal(g.span_s, 1800);
	assert_int_equal(g.width, 300);
	assert_int_equal(g.height, 2000);
	assert_int_equal(parse("cluster.png", "migrations", "-7d", "3000",
	    "200", &g, err, sizeof(err)), 0);
	assert_int_equal(g.kind, GRAPH_CLUSTER);
	assert_int_equal(g.span_s, 7 * 86400);
	assert_int_equal(parse("cluster.svg", "hosts", "-1y", NULL, NULL, &g,
	    err, sizeof(err)), 0);
	assert_int_equal(g.span_s, 365 * 86400);
	assert_int_equal(parse("host/h.png", "mem", "-2w", NULL, NULL, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.span_s, 14 * 86400);
	assert_int_equal(parse("host/h.png", NULL, "-60s", NULL, NULL, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.span_s, 60);
	assert_int_equal(parse("host/h.png", NULL, "-1h", NULL, NULL, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.span_s, 3600);
	assert_int_equal(graph_content_type(GRAPH_PNG)[6], 'p');
	assert_string_equal(graph_content_type(GRAPH_SVG), "image/svg+xml");
}

static void
test_parse_bad(void **state)
{
	(void)state;
	bad("host/hv01.png", "bogus", NULL, NULL, NULL,
	    "metric must be one of: cpu vcpu_delay mem disk net");
	bad("cluster.png", "cpu", NULL, NULL, NULL,
	    "metric must be one of: imbalance hosts vms migrations");
	bad("host/hv01.png", "", NULL, NULL, NULL, "metric must be");
	bad("host/hv01.png", NULL, "1h", NULL, NULL, "start must be -N");
	bad("host/hv01.png", NULL, "-", NULL, NULL, "start must be -N");
	bad("host/hv01.png", NULL, "-1x", NULL, NULL, "start must be -N");
	bad("host/hv01.png", NULL, "-0h", NULL, NULL, "start must be -N");
	bad("host/hv01.png", NULL, "-59s", NULL, NULL, "from 60 s");
	bad("host/hv01.png", NULL, "-11y", NULL, NULL, "10 years");
	bad("host/hv01.png", NULL, "-1h ", NULL, NULL, "start must be -N");
	bad("host/hv01.png", NULL, "-99999999999999999999d", NULL, NULL,
	    "start must be -N");
	bad("host/hv01.png", NULL, NULL, "299", NULL,
	    "width must be a whole number of pixels from 300 to 3000");
	bad("host/hv01.png", NULL, NULL, "3001", NULL, "width must be");
	bad("host/hv01.png", NULL, NULL, "8x", NULL, "width must be");
	bad("host/hv01.png", NULL, NULL, "", NULL, "width must be");
	bad("host/hv01.png", NULL, NULL, NULL, "199",
	    "height must be a whole number of pixels from 200 to 2000");
	bad("host/hv01.png", NULL, NULL, NULL, "-300", "height must be");
	bad("host/hv01.gif", NULL, NULL, NULL, NULL, "NAME.png or NAME.svg");
	bad("host/hv01", NULL, NULL, NULL, NULL, "NAME.png or NAME.svg");
	bad("host/.png", NULL, NULL, NULL, NULL, "not a host name");
	bad("host/a/b.png", NULL, NULL, NULL, NULL, "not a host name");
	bad("host/..png", NULL, NULL, NULL, NULL, "not a host name");
	bad("vm/xyz.png", NULL, NULL, NULL, NULL, "not a UUID");
	bad("vm/../../etc/passwd.png", NULL, NULL, NULL, NULL, "not a UUID");
	bad("cluster.jpg", NULL, NULL, NULL, NULL, "no such graph");
	bad("", NULL, NULL, NULL, NULL, "no such graph");
	bad("hosts/hv01.png", NULL, NULL, NULL, NULL, "no such graph");
	bad("host/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa.png", NULL, NULL, NULL, NULL, "too long");
}

/* A host file with an hour of values, under tmpdir/rrd/hosts. */
static void
make_host_file(void)
{
	char		 path[PATH_MAX], err[512], val[128];
	const char	*argv[1] = { val };
	int		 i;

	snprintf(path, sizeof(path), "%s/hosts", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/hosts/hv01.rrd", tmpdir);
	assert_int_equal(rrdx_create(path, RRDX_HOST, T0, err, sizeof(err)), 0);
	for (i = 1; i <= 360; i++) {
		snprintf(val, sizeof(val), "%lld:%d:0.5:%d:100:200:300:400:"
		    "16000:68719476736", T0 + 10LL * i, 1000 + i * 10,
		    1 << 30);
		if (rrd_update_r(path, NULL, 1, argv) != 0)
			fail_msg("rrd_update_r: %s", rrd_get_error());
	}
}

static void
render(const char *path, const char *metric, const char *w, const char *h,
    uint8_t **img, size_t *len)
{
	struct graph_env	 env = { tmpdir, NULL };
	struct graph_req	 g;
	char			 err[512];

	assert_int_equal(parse(path, metric, "-1h", w, h, &g, err,
	    sizeof(err)), 0);
	if (graph_render(&env, &g, NULL, img, len, err, sizeof(err)) != 0)
		fail_msg("graph_render: %s", err);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
test_render(void **state)
{
	static const char *const metrics[] = {
		"cpu", "vcpu_delay", "mem", "disk", "net",
	};
	struct graph_env	 env = { tmpdir, NULL };
	struct graph_req	 g;
	uint8_t			*img;
	size_t			 len, i;
	char			 err[512];

	(void)state;
	make_host_file();
	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		render("host/hv01.png", metrics[i], "640", "240", &img, &len);
		assert_true(len > 24);
		assert_memory_equal(img, "\x89PNG\r\n\x1a\n", 8);
		assert_memory_equal(img + 12, "IHDR", 4);
		assert_int_equal(be32(img + 16), 640);
		assert_int_equal(be32(img + 20), 240);
		free(img);
	}
	render("host/hv01.png", NULL, "300", "200", &img, &len);
	assert_int_equal(be32(img + 16), 300);
	assert_int_equal(be32(img + 20), 200);
	free(img);
	render("host/hv01.svg", "mem", NULL, NULL, &img, &len);
	img = realloc(img, len + 1);
	img[len] = '\0';
	assert_non_null(strstr((char *)img, "<svg"));
	assert_non_null(strstr((char *)img, "viewBox=\"0 0 800 300\""));
	assert_non_null(strstr((char *)img, "</svg>"));
	free(img);
	/* no file: -ENOENT, a sentence, nothing returned */
	assert_int_equal(parse("host/hv02.png", NULL, NULL, NULL, NULL, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(graph_render(&env, &g, NULL, &img, &len, err,
	    sizeof(err)), -ENOENT);
	assert_null(img);
	assert_non_null(strstr(err, "no history"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
