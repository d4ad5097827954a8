/* SPDX-License-Identifier: ISC */
/*
 * fuzz_http: what the balancer's HTTP server takes apart from a request
 * before it touches the model -- the path (web/route.c, assets_find,
 * api_plan_handles), the graph path and its query (graph_parse), the
 * capacity report's query (capspec_request, capspec_apply) and the
 * operator token (route_token_eq).
 *
 * The input is a request target ("/api/v1/plan/3/approve?x=y"),
 * optionally followed by a newline and an X-Ballast-Token value.
 * libmicrohttpd splits and unescapes the query before our handlers see
 * it; here the target is cut at '?', '&' and '=' the same way and each
 * piece unescaped with libmicrohttpd's own MHD_http_unescape().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "api_plan.h"
#include "assets.h"
#include "capspec.h"
#include "fuzz.h"
#include "graph.h"
#include "route.h"
#include "util.h"
#include "wire.h"

#define FUZZ_ARGS	32
#define FUZZ_TOKEN	"0123456789abcdef0123456789abcdef"

struct query {
	const char	*key[FUZZ_ARGS], *val[FUZZ_ARGS];
	size_t		 n;
};

/* capspec_get_fn: the first value of key, as libmicrohttpd gives it. */
static const char *
query_get(void *arg, const char *key)
{
	const struct query	*q = arg;
	size_t			 i;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->key[i], key) == 0)
			return q->val[i];
	return NULL;
}

/* Cuts s (the text after '?') into q, unescaping in place. */
static void
query_parse(char *s, struct query *q)
{
	char	*amp, *eq;

	for (q->n = 0; s != NULL && q->n < FUZZ_ARGS; s = amp) {
		if ((amp = strchr(s, '&')) != NULL)
			*amp++ = '\0';
		if ((eq = strchr(s, '=')) != NULL)
			*eq++ = '\0';
		MHD_http_unescape(s);
		if (eq != NULL)
			MHD_http_unescape(eq);
		q->key[q->n] = s;
		q->val[q->n++] = eq != NULL ? eq : "";
	}
}

static void
fuzz_graph(const char *rest, struct query *q)
{
	struct graph_req	 g;
	char			 err[512];
	uint8_t			 u[16];

	err[0] = '\0';
	if (graph_parse(rest, query_get(q, "metric"), query_get(q, "start"),
	    query_get(q, "width"), query_get(q, "height"), &g, err,
	    sizeof(err)) < 0) {
		fuzz_assert(err[0] != '\0', "a graph refused without a reason",
		    rest);
		return;
	}
	fuzz_assert(memchr(g.id, '\0', sizeof(g.id)) != NULL &&
	    strchr(g.id, '/') == NULL, "a graph id that is not a name", g.id);
	if (g.kind == GRAPH_VM)
		fuzz_assert(util_uuid_parse(g.id, u) == 0,
		    "a VM graph id that is not a UUID", g.id);
}

static void
fuzz_capacity(struct query *q)
{
	static struct capspec_lists	 l;
	struct capspec_req		 req;
	struct cap_opts			 o;
	time_t				 end;
	char				 err[512];

	if (capspec_request(&req, &l, query_get, q) < 0)
		return;
	err[0] = '\0';
	if (capspec_apply(&req, NULL, 0, &o, &end, err, sizeof(err)) < 0)
		fuzz_assert(err[0] != '\0', "a report refused without a reason",
		    NULL);
}

/* POST paths under /api/v1/, as api_plan_handle takes them apart. */
static void
fuzz_action(const char *p)
{
	char		 host[WIRE_MAX_HOST_NAME + 1];
	const char	*verb;
	uint64_t	 id;
	int		 on;

	if (strncmp(p, "plan/", 5) == 0 &&
	    route_id_verb(p + 5, &id, &verb) == 0)
		fuzz_assert(id > 0 && id <= INT64_MAX, "an id out of range",
		    p);
	if (strncmp(p, "migrations/", 11) == 0)
		route_id_verb(p + 11, &id, &verb);
	if (strncmp(p, "maintenance/", 12) == 0 &&
	    route_host_verb(p + 12, host, sizeof(host), &on) == 0)
		fuzz_assert(host[0] != '\0' && (on == 0 || on == 1),
		    "an empty host or a verb that is neither", p);
}

static void
fuzz_api(const char *p, struct query *q)
{
	const char	*rest;
	uint8_t		 u[16];

	if (api_plan_handles(p))
		fuzz_action(p);
	if (route_coll(p, "hosts", &rest))
		fuzz_assert(strchr(rest, '/') == NULL, "a host with a '/'",
		    rest);
	if (route_coll(p, "vms", &rest) && rest[0] != '\0')
		util_uuid_parse(rest, u);
	if (strcmp(p, "report/capacity") == 0)
		fuzz_capacity(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query	 q;
	char		*text, *path, *query, *token;

	text = fuzz_text(data, size);
	if ((token = strchr(text, '\n')) != NULL)
		*token++ = '\0';
	path = text;
	if ((query = strchr(path, '?')) != NULL)
		*query++ = '\0';
	MHD_http_unescape(path);
	query_parse(query, &q);
	assets_find(path);
	if (strncmp(path, "/graph/", 7) == 0)
		fuzz_graph(path + 7, &q);
	if (strncmp(path, "/api/v1/", 8) == 0)
		fuzz_api(path + 8, &q);
	fuzz_assert(route_token_eq(FUZZ_TOKEN, token) ==
	    (token != NULL && strcmp(token, FUZZ_TOKEN) == 0),
	    "the token comparison disagrees with strcmp", token);
	free(text);
	return 0;
}
