/* SPDX-License-Identifier: ISC */
/*
 * api: the JSON API (/api/v1/...), read-only over the model.
 *
 *   GET /api/v1/status          counts and ingest counters
 *   GET /api/v1/hosts           array of hosts
 *   GET /api/v1/hosts/{name}    one host, with "vm_list"
 *   GET /api/v1/vms             array of VMs
 *   GET /api/v1/vms/{uuid}      one VM
 *   GET /api/v1/report/capacity the capacity report (api_report.h)
 *   GET /api/v1/traffic         the VM-to-VM traffic matrix (api_traffic.h)
 *
 *
 * and, beside the API, read-only too:
 *
 *   GET /metrics                Prometheus text exposition (prom.h)
 *   GET /graph/...              history graphs, PNG or SVG (graph.h)
 *   GET /, /static/...          the operator dashboard (assets.h)
 *
 * Errors are {"error": "..."} with 400, 404 or 405 (500 when a graph
 * cannot be drawn).
 */
#ifndef BALLAST_API_H
#define BALLAST_API_H

#include <stdint.h>

#include "http.h"
#include "ingest.h"
#include "model.h"
#include "prom.h"
#include "rrd.h"

#define BALLAST_VERSION	"0.1.0"

/* What the API reads; all of it owned by the daemon. */
struct api_ctx {
	const struct model		*model;
	const struct traffic		*traffic;	/* NULL: none */
	const struct ingest_stats	*ingest;
	int64_t				 start_ms;	/* monotonic */
	const struct rrdx		*rrd;		/* NULL: no history */
	const struct prom_plan_stats	*plan;		/* NULL until the planner */
	struct balance			*bal;		/* NULL: no planner (tests) */
	const char			*token;		/* operator token for POSTs */
	const struct http_stats		*http;		/* NULL: not in /metrics */
};

/* An http_handler: arg is a struct api_ctx. */
void	api_handle(void *arg, const struct http_request *,
	    struct http_response *);

#endif
