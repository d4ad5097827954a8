/* SPDX-License-Identifier: ISC */
/*
 * api_report: the capacity-planning report over the API, computed from
 * the balancer's own RRD history by exporters/capacity.h -- the same
 * code as `ballastctl report capacity --state-dir`.
 *
 *   GET /api/v1/report/capacity?format=html|csv|json
 *
 * Query parameters, all optional, as ballastctl's options of the same
 * names (capspec.h): range, horizon, slot, buffer, reserve, core_mhz,
 * disk_cap, net_cap, end; and the what-ifs add, add_like, remove_host,
 * add_host, each a comma-separated list.  The default format is json.
 * Without core_mhz, a vCPU is the hosts' median MHz per CPU as they
 * report it; without net_cap, a host's network capacity is the hosts'
 * median NIC speed, when they report one.  The policy in force gives
 * the limits and buffers.
 *
 * 400 for a bad parameter or a what-if naming no such host or VM, 404
 * when there is no history (none kept, or no host file yet), 500 when
 * the files cannot be read.  The report is computed on request, in the
 * daemon's loop: about a quarter of a second for 8 hosts and 60 VMs
 * over 30 days.
 */
#ifndef BALLAST_API_REPORT_H
#define BALLAST_API_REPORT_H

#include "api.h"
#include "http.h"

void	api_report_capacity(const struct api_ctx *,
	    const struct http_request *, struct http_response *);

#endif
