/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "api_util.h"
#include "api_plan.h"
#include "api_report.h"
#include "api_traffic.h"
#include "assets.h"
#include "graph.h"
#include "route.h"
#include "util.h"

#define API_PREFIX	"/api/v1/"

static const char *const vm_states[] = {
	"unknown", "running", "blocked", "paused", "shutdown", "shutoff",
	"crashed", "pmsuspended",
};

static json_t *
api_vm(const struct model_vm *vm)
{
	const struct model_vm_rates *r = &vm->r;
	int st = vm->state >= 0 && vm->state < 8 ? vm->state : 0;

	return json_pack("{s:o, s:s, s:o, s:s, s:i, s:f, s:f, s:f, s:I, s:I, "
	    "s:I, s:f, s:f, s:f, s:f, s:I, s:b, s:b}",
	    "uuid", api_uuid(vm->uuid), "name", vm->name,
	    "host", vm->host ? json_string(vm->host->name) : json_null(),
	    "state", vm_states[st], "vcpus", (int)vm->vcpus,
	    "cpu_util", r->cpu_util, "cpu_mhz", r->cpu_mhz,
	    "vcpu_delay", r->vcpu_delay,
	    "mem_bytes", (json_int_t)vm->mem_rss,
	    "mem_max_bytes", (json_int_t)vm->mem_max,
	    "mem_balloon_bytes", (json_int_t)vm->mem_balloon,
	    "disk_rd_bps", r->blk_rd_bps, "disk_wr_bps", r->blk_wr_bps,
	    "net_rx_bps", r->net_rx_bps, "net_tx_bps", r->net_tx_bps,
	    "resets", (json_int_t)vm->resets, "has_rates", vm->has_rates,
	    "stale", vm->stale);
}

static json_t *
api_host(const struct model_host *h, int64_t now_ms)
{
	return json_pack("{s:s, s:o, s:s, s:b, s:f, s:f, s:f, s:i, s:i, s:I, "
	    "s:I, s:I, s:i, s:f, s:I, s:f, s:I, s:b, s:o}",
	    "name", h->name, "uuid", api_uuid(h->uuid), "cluster", h->cluster,
	    "stale", h->stale, "cpu_util", h->cpu_util, "mem_util", h->mem_util,
	    "cpu_steal", h->cpu_steal, "cpus", (int)h->cpus,
	    "cpu_mhz", (int)h->cpu_mhz, "mem_bytes", (json_int_t)h->mem_bytes,
	    "mem_used_bytes", (json_int_t)h->mem_used,
	    "nic_bits_per_s", (json_int_t)h->nic_bps, "vms", (int)h->nvms,
	    "vm_cpu_mhz", h->vm_cpu_mhz,
	    "sample_time_ms", (json_int_t)h->sample_time_ms,
	    "last_report_age_s", (double)(now_ms - h->last_ms) / 1000.0,
	    "seq", (json_int_t)h->seq, "has_rates", h->has_rates,
	    "address", h->addr[0] ? json_string(h->addr) : json_null());
}

static void
api_status(const struct api_ctx *a, struct http_response *r, int64_t now_ms)
{
	const struct ingest_stats	*s = a->ingest;
	const struct model_stats	*ms = model_stats(a->model);
	json_t				*bad = json_object();
	int				 i;

	for (i = 1; i < WIRE_E_MAX; i++)
		if (s->malformed_by[i] > 0)
			json_object_set_new(bad, wire_strerror(i),
			    json_integer((json_int_t)s->malformed_by[i]));
	api_json(r, 200, json_pack("{s:s, s:I, s:i, s:i, s:i, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I}",
	    "version", BALLAST_VERSION,
	    "uptime_s", (json_int_t)((now_ms - a->start_ms) / 1000),
	    "hosts", (int)model_host_count(a->model),
	    "hosts_stale", (int)model_stale_count(a->model),
	    "vms", (int)model_vm_count(a->model),
	    "reports_received", (json_int_t)s->reports_received,
	    "reports_lost", (json_int_t)s->reports_lost,
	    "reports_late", (json_int_t)s->reports_late,
	    "reports_duplicate", (json_int_t)s->reports_duplicate,
	    "reports_malformed", (json_int_t)s->reports_malformed,
	    "reports_refused", (json_int_t)s->reports_refused,
	    "routes_refused", (json_int_t)s->routes_refused,
	    "hosts_refused", (json_int_t)s->hosts_refused,
	    "handshakes_accepted", (json_int_t)s->handshakes.accepted,
	    "handshakes_refused", (json_int_t)s->handshakes.refused,
	    "malformed_by_reason", bad,
	    "vm_samples", (json_int_t)s->vm_samples,
	    "vm_resets", (json_int_t)ms->vm_resets,
	    "vm_moves", (json_int_t)ms->vm_moves,
	    "checkpoint_errors", (json_int_t)s->checkpoint_errors));
}

static void
api_hosts(const struct api_ctx *a, const char *name, struct http_response *r,
    int64_t now_ms)
{
	const struct model_host	*h;
	json_t			*arr, *o;
	size_t			 i;

	if (name[0] == '\0') {
		arr = json_array();
		for (i = 0; (h = model_host_at(a->model, i)) != NULL; i++)
			json_array_append_new(arr, api_host(h, now_ms));
		api_json(r, 200, arr);
		return;
	}
	if ((h = model_host_by_name(a->model, name)) == NULL) {
		api_error(r, 404, "no such host (ballastctl hosts lists them)");
		return;
	}
	o = api_host(h, now_ms);
	arr = json_array();
	for (i = 0; i < h->nvms; i++)
		json_array_append_new(arr, api_vm(h->vms[i]));
	json_object_set_new(o, "vm_list", arr);
	api_json(r, 200, o);
}

static void
api_vms(const struct api_ctx *a, const char *id, struct http_response *r)
{
	const struct model_vm	*vm;
	uint8_t			 u[16];
	json_t			*arr;
	size_t			 i;

	if (id[0] == '\0') {
		arr = json_array();
		for (i = 0; (vm = model_vm_at(a->model, i)) != NULL; i++)
			json_array_append_new(arr, api_vm(vm));
		api_json(r, 200, arr);
		return;
	}
	if (util_uuid_parse(id, u) < 0) {
		api_error(r, 400, "not a UUID (want 8-4-4-4-12 hex digits)");
		return;
	}
	if ((vm = model_vm_by_uuid(a->model, u)) == NULL) {
		api_error(r, 404, "no such VM");
		return;
	}
	api_json(r, 200, api_vm(vm));
}

static void
api_metrics(const struct api_ctx *a, struct http_response *r, int64_t now_ms)
{
	struct prom_sources	 src;

	memset(&src, 0, sizeof(src));
	src.model = a->model;
	src.ingest = a->ingest;
	src.plan = a->plan;
	src.rrd = a->rrd != NULL ? rrdx_stats(a->rrd) : NULL;
	src.traffic = a->traffic;
	src.http = a->http;
	src.uptime_s = (double)(now_ms - a->start_ms) / 1000.0;
	if (prom_render(&src, &r->body, &r->len) < 0) {
		api_error(r, 500, "out of memory");
		return;
	}
	r->status = 200;
	r->content_type = PROM_CONTENT_TYPE;
}

/* GET /graph/...: 400 for a bad parameter, 404 when no history yet. */
static void
api_graph(const struct api_ctx *a, const struct http_request *req,
    struct http_response *r)
{
	struct graph_req	 g;
	struct graph_env	 env;
	const char		*name = NULL;
	uint8_t			*img, u[16];
	char			 err[512];
	size_t			 len;
	int			 rc;

	if (a->rrd == NULL) {
		api_error(r, 404, "no history is kept");
		return;
	}
	if (graph_parse(req->path + strlen("/graph/"),
	    http_query_arg(req, "metric"), http_query_arg(req, "start"),
	    http_query_arg(req, "width"), http_query_arg(req, "height"), &g,
	    err, sizeof(err)) < 0) {
		api_error(r, 400, err);
		return;
	}
	if (g.kind == GRAPH_VM && util_uuid_parse(g.id, u) == 0)
		name = rrdx_vm_name(a->rrd, u);
	env.rrd_dir = rrdx_dir(a->rrd);
	env.daemon = rrdx_daemon(a->rrd);
	if ((rc = graph_render(&env, &g, name, &img, &len, err,
	    sizeof(err))) < 0) {
		api_error(r, rc == -ENOENT ? 404 : 500, err);
		return;
	}
	r->status = 200;
	r->body = (char *)img;
	r->len = len;
	r->content_type = graph_content_type(g.fmt);
}

void
api_handle(void *arg, const struct http_request *req, struct http_response *r)
{
	const struct api_ctx	*a = arg;
	const char		*p, *rest;
	int64_t			 now = util_now_mono_ms();
	int			 metrics, graph;

	metrics = strcmp(req->path, "/metrics") == 0;
	graph = strncmp(req->path, "/graph/", strlen("/graph/")) == 0;
	if ((metrics || graph) && strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		api_error(r, 405, "this endpoint is read-only");
		return;
	}
	if (metrics) {
		api_metrics(a, r, now);
		return;
	}
	if (graph) {
		api_graph(a, req, r);
		return;
	}
	if (assets_serve(req, r))
		return;
	if (strncmp(req->path, API_PREFIX, strlen(API_PREFIX)) != 0) {
		api_error(r, 404, "not found; the API is under /api/v1/ and the "
		    "dashboard at /");
		return;
	}
	p = req->path + strlen(API_PREFIX);
	if (api_plan_handles(p)) {
		api_plan_handle(a, req, p, r);
		return;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		api_error(r, 405, "this endpoint is read-only");
		return;
	}
	if (strcmp(p, "status") == 0)
		api_status(a, r, now);
	else if (route_coll(p, "hosts", &rest))
		api_hosts(a, rest, r, now);
	else if (route_coll(p, "vms", &rest))
		api_vms(a, rest, r);
	else if (strcmp(p, "report/capacity") == 0)
		api_report_capacity(a, req, r);
	else if (strcmp(p, "traffic") == 0)
		api_traffic(a, req, r);
	else
		api_error(r, 404, "no such endpoint");
}
