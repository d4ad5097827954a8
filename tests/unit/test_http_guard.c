/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of web/http_guard.c (the API's connection bounds and their
 * counters) and of the api-*, user and group statements of
 * balancer/conf.c that set them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "http_guard.h"

static struct sockaddr_in
v4(const char *a)
{
	struct sockaddr_in	 s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return s;
}

#define SA(s)	((const struct sockaddr *)(const void *)&(s))

static void
test_per_ip_and_total(void **state)
{
	struct http_limits	 l = { .connections = 5, .per_ip = 3 };
	struct http_guard	*g;
	struct sockaddr_in	 a = v4("10.0.0.1"), b = v4("10.0.0.2");
	struct sockaddr_in	 c = v4("10.0.0.3");
	const struct http_stats	*st;
	int			 i;

	(void)state;
	assert_non_null(g = http_guard_new(&l));
	st = http_guard_stats(g);
	for (i = 0; i < 3; i++)
		assert_int_equal(http_guard_admit(g, SA(a)), 0);
	assert_int_equal(http_guard_admit(g, SA(a)), -EUSERS);
	assert_int_equal(http_guard_admit(g, SA(b)), 0);
	assert_int_equal(http_guard_admit(g, SA(b)), 0);
	/* 5 open: the total bound, whoever asks */
	assert_int_equal(http_guard_admit(g, SA(c)), -EMFILE);
	assert_int_equal(st->open, 5);
	assert_int_equal(st->accepted, 5);
	assert_int_equal(st->refused_per_ip, 1);
	assert_int_equal(st->refused_limit, 1);
	/* one of a's closes: c gets in, a again only up to its bound */
	http_guard_release(g, SA(a));
	assert_int_equal(http_guard_admit(g, SA(c)), 0);
	http_guard_release(g, SA(b));
	assert_int_equal(http_guard_admit(g, SA(a)), 0);
	assert_int_equal(http_guard_admit(g, SA(a)), -EMFILE);
	assert_int_equal(st->open, 5);
	http_guard_free(g);
}

static void
test_release_frees_slots(void **state)
{
	struct http_limits	 l = { .connections = 2, .per_ip = 2 };
	struct http_guard	*g;
	struct sockaddr_in	 a;
	char			 addr[32];
	int			 i;

	(void)state;
	assert_non_null(g = http_guard_new(&l));
	/* many addresses one after the other: slots are reused */
	for (i = 0; i < 1000; i++) {
		snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 250, i % 250);
		a = v4(addr);
		assert_int_equal(http_guard_admit(g, SA(a)), 0);
		http_guard_release(g, SA(a));
	}
	assert_int_equal(http_guard_stats(g)->open, 0);
	/* releasing an address never admitted changes nothing */
	http_guard_release(g, SA(a));
	assert_int_equal(http_guard_stats(g)->open, 0);
	http_guard_free(g);
}

static void
test_defaults(void **state)
{
	struct http_limits	 zero;
	struct http_guard	*g;
	const struct http_limits *l;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_non_null(g = http_guard_new(&zero));
	l = http_guard_limits(g);
	assert_int_equal(l->connections, HTTP_DEFAULT_CONNECTIONS);
	assert_int_equal(l->per_ip, HTTP_DEFAULT_PER_IP);
	assert_int_equal(l->idle_s, HTTP_DEFAULT_IDLE_S);
	assert_int_equal(l->max_body, HTTP_DEFAULT_MAX_BODY);
	assert_int_equal(l->max_header, HTTP_DEFAULT_MAX_HEADER);
	assert_int_equal(l->max_headers, HTTP_DEFAULT_MAX_HEADERS);
	http_guard_free(g);
}

static void
test_conf_statements(void **state)
{
	static const char text[] =
	    "api-connections 100\n"
	    "api-connections-per-ip 10\n"
	    "api-idle-timeout 5 seconds\n"
	    "api-max-body 1m\n"
	    "api-max-header 8KiB\n"
	    "api-max-header-fields 30\n"
	    "user balr\n"
	    "group adm\n";
	struct conf	 c, d;
	char		 err[512], buf[8192];

	(void)state;
	conf_defaults(&c);
	assert_string_equal(c.user, "ballast");
	assert_string_equal(c.group, "");
	assert_int_equal(c.api_limits.connections, HTTP_DEFAULT_CONNECTIONS);
	assert_int_equal(conf_parse("t", text, strlen(text), &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.api_limits.connections, 100);
	assert_int_equal(c.api_limits.per_ip, 10);
	assert_int_equal(c.api_limits.idle_s, 5);
	assert_int_equal(c.api_limits.max_body, 1024 * 1024);
	assert_int_equal(c.api_limits.max_header, 8192);
	assert_int_equal(c.api_limits.max_headers, 30);
	assert_string_equal(c.user, "balr");
	assert_string_equal(c.group, "adm");
	/* printed back, it parses to the same */
	conf_print(&c, buf, sizeof(buf));
	assert_int_equal(conf_parse("p", buf, strlen(buf), &d, err,
	    sizeof(err)), 0);
	assert_memory_equal(&d.api_limits, &c.api_limits, sizeof(c.api_limits));
	assert_string_equal(d.user, "balr");
	assert_string_equal(d.group, "adm");
	assert_int_equal(conf_parse("t", "api-max-body 12\n", 16, &c, err,
	    sizeof(err)), -EINVAL);
	assert_string_equal(err, "t:1:14: api-max-body must be a size from "
	    "1024 to 67108864 bytes (k and m suffixes allowed), not \"12\"");
	assert_int_equal(conf_parse("t", "api-connections 0\n", 18, &c, err,
	    sizeof(err)), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_ip_and_total),
		cmocka_unit_test(test_release_frees_slots),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_conf_statements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
