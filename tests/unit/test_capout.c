/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the capacity report's renderers (capout.c, caphtml.c,
 * capsvg.c): the JSON parses and carries the figures and the summary,
 * with null for what is unknown; the CSV has a line per scenario, scope
 * and resource; the HTML stands alone (no script, no external asset),
 * has its four plots and escapes the names it shows.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "testutil.h"

#include "capacity.h"
#include "caphtml.h"
#include "capout.h"
#include "capspec.h"

#define GIB	(1024.0 * 1024.0 * 1024.0)
#define ROWS	(10 * 24)

/* Two hosts, one with a name that needs escaping, rising CPU. */
static struct cap_report *
report(size_t known_rows, int whatif)
{
	struct capspec_req	 q;
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph_host	*ho;
	struct caph		*c = caph_new(1375221600, 3600, ROWS);
	char			 err[256];
	time_t			 end;
	size_t			 i, j;

	for (j = 0; j < 2; j++) {
		assert_non_null(ho = caph_add_host(c, j ? "hv<2>&" : "hv1"));
		ho->cap[CAPH_CPU] = 10000;
		ho->cap[CAPH_MEM] = 64 * GIB;
		for (i = ROWS - known_rows; i < ROWS; i++) {
			ho->use[CAPH_CPU][i] = 2000 + 10.0 * (double)i;
			ho->use[CAPH_MEM][i] = 8 * GIB;
		}
	}
	assert_non_null(caph_add_vm(c, "00000000-0000-0000-0000-000000000001",
	    "db-1"));
	c->vms[0].p95[CAPH_CPU] = 500;
	c->vms[0].p95[CAPH_MEM] = 4 * GIB;
	memset(&q, 0, sizeof(q));
	if (whatif)
		capspec_push(q.add, &q.nadd, "3x2vcpu:4g:50%");
	assert_int_equal(capspec_apply(&q, NULL, 0, &o, &end, err,
	    sizeof(err)), 0);
	if (cap_compute(c, &o, NULL, NULL, &rep, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	caph_free(c);
	return rep;
}

static void
test_json(void **state)
{
	struct cap_report	*rep = report(ROWS, 1);
	json_error_t		 jerr;
	json_t			*j, *cpu, *wadd;
	char			*text;
	size_t			 len;

	(void)state;
	assert_int_equal(capout_json(rep, &text, &len), 0);
	assert_non_null(j = json_loadb(text, len, 0, &jerr));
	assert_string_equal(json_string_value(json_object_get(j, "report")),
	    "capacity");
	assert_true(json_is_true(json_object_get(json_object_get(j,
	    "forecast"), "ok")));
	assert_true(json_array_size(json_object_get(j, "summary")) >= 3);
	cpu = json_object_get(json_object_get(j, "cluster"), "cpu");
	/* 20 GHz total, 10 in reserve, x 0.8: 8 GHz usable */
	assert_near(json_real_value(json_object_get(cpu, "usable")), 8000,
	    1e-6);
	assert_int_equal(json_array_size(json_object_get(json_object_get(cpu,
	    "forecast"), "expected")), 90);
	assert_true(json_is_null(json_object_get(json_object_get(
	    json_object_get(j, "cluster"), "disk"), "usable")));
	assert_int_equal(json_array_size(json_object_get(j, "hosts")), 2);
	assert_true(json_is_object(json_object_get(j, "whatif")));
	wadd = json_object_get(json_object_get(json_object_get(j, "whatif"),
	    "changes"), "add");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(wadd, 0), "count")), 3);
	json_decref(j);
	free(text);
	cap_report_free(rep);
}

static size_t
lines(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_csv(void **state)
{
	struct cap_report	*rep = report(ROWS, 1);
	char			*text;
	size_t			 len;

	(void)state;
	assert_int_equal(capout_csv(rep, &text, &len), 0);
	/* header + 2 scenarios x (cluster + 2 hosts) x 4 resources */
	assert_int_equal((int)lines(text), 1 + 2 * 3 * 4);
	assert_non_null(strstr(text, "scenario,scope,name,resource,unit,"));
	assert_non_null(strstr(text, "\nbaseline,cluster,cluster,cpu,MHz,"
	    "20000,10000,8000,"));
	assert_non_null(strstr(text, "\nwhatif,host,hv<2>&,mem,bytes,"));
	free(text);
	cap_report_free(rep);
}

static void
test_html(void **state)
{
	struct cap_report	*rep = report(ROWS, 1);
	char			*text;
	size_t			 len;

	(void)state;
	assert_int_equal(caphtml_render(rep, &text, &len), 0);
	assert_int_equal((int)strlen(text), (int)len);
	assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(text, "id=\"plot-cpu\""));
	assert_non_null(strstr(text, "id=\"plot-mem\""));
	assert_non_null(strstr(text, "id=\"plot-disk\""));
	assert_non_null(strstr(text, "id=\"plot-net\""));
	assert_non_null(strstr(text, "class=\"band\""));
	assert_non_null(strstr(text, "id=\"whatif\""));
	assert_non_null(strstr(text, "hv&lt;2&gt;&amp;"));
	assert_null(strstr(text, "hv<2>"));
	assert_null(strstr(text, "<script"));
	assert_null(strstr(text, "src="));
	assert_null(strstr(text, "href="));
	assert_null(strstr(text, "short-history"));
	free(text);
	cap_report_free(rep);
	/* Two days only: the warning, no band. */
	rep = report(48, 0);
	assert_int_equal(caphtml_render(rep, &text, &len), 0);
	assert_non_null(strstr(text, "id=\"short-history\""));
	assert_non_null(strstr(text, "needs at least 3 days"));
	assert_null(strstr(text, "class=\"band\""));
	free(text);
	cap_report_free(rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
