/* SPDX-License-Identifier: ISC */
/*
 * api_traffic: the VM-to-VM traffic matrix over the API (traffic.h).
 *
 *   GET /api/v1/traffic?top=N&format=json|csv
 *
 * json (the default): {"pairs": the top N directed pairs by rate
 * (default 20, at most 1000), each with the VMs' names, UUIDs and hosts,
 * "bps" and "cross_host"; "pairs_total"; "hosts": per host, "cross_bps"
 * (what its VMs send to VMs on other hosts); "cluster": "vm_bps",
 * "cross_bps", "cross_fraction", "external_bps"; "stats": the matrix's
 * counters; "limits": "max_pairs", "tau_s"}.  csv: one line per pair,
 * src,src_host,dst,dst_host,bps,cross_host, after a header line.
 *
 * 400 for a bad parameter; 404 when the daemon keeps no matrix.
 */
#ifndef BALLAST_API_TRAFFIC_H
#define BALLAST_API_TRAFFIC_H

#include "api.h"
#include "http.h"

#define API_TRAFFIC_TOP		20
#define API_TRAFFIC_TOP_MAX	1000

void	api_traffic(const struct api_ctx *, const struct http_request *,
	    struct http_response *);

#endif
