/* SPDX-License-Identifier: ISC */
/*
 * prom: the Prometheus text exposition format (version 0.0.4) of the
 * model and the balancer's own counters, for GET /metrics.
 *
 * Per VM, named as the libvirt exporters name them, with the labels
 * domain (the VM's name), uuid and host (its host's name, "" when no
 * host reports it now):
 *
 *   libvirt_domain_info_cpu_time_seconds_total        counter
 *   libvirt_domain_vcpu_delay_seconds_total            counter
 *   libvirt_domain_info_virtual_cpus                   gauge
 *   libvirt_domain_info_maximum_memory_bytes           gauge
 *   libvirt_domain_memory_stats_rss_bytes              gauge
 *   libvirt_domain_memory_stats_actual_balloon_bytes   gauge
 *   libvirt_domain_memory_stats_unused_bytes           gauge
 *   libvirt_domain_block_stats_{read,write}_bytes_total       counter
 *   libvirt_domain_block_stats_{read,write}_requests_total    counter
 *   libvirt_domain_interface_stats_{receive,transmit}_bytes_total   counter
 *   libvirt_domain_interface_stats_{receive,transmit}_packets_total counter
 *   libvirt_domain_interface_stats_{receive,transmit}_drops_total   counter
 *
 * The counters are the collectors' cumulative counters as reported:
 * they restart from zero when a VM's QEMU process does (a migration),
 * which Prometheus's rate() handles.  Per host (labels host, uuid,
 * cluster): ballast_host_* gauges and the CPU time counters.  The
 * balancer itself: ballast_reports_*_total, ballast_plan_passes_total,
 * ballast_migrations_total{outcome}, ballast_cluster_imbalance,
 * ballast_cluster_hot_hosts and, with an RRD exporter, ballast_rrd_*.
 * With a traffic matrix (traffic.h): ballast_traffic_* -- per host, the
 * bytes/s its VMs send to VMs on other hosts; for the cluster, VM-to-VM,
 * cross-host and external bytes/s and the cross-host fraction; the top
 * PROM_TRAFFIC_PAIRS pairs (labels src, dst, src_host, dst_host); the
 * matrix's pair and capture counters.
 * ballast_cluster_hot_hosts, with an RRD exporter ballast_rrd_*, and with
 * the HTTP server's counters ballast_http_* (connections accepted and
 * open, refused by bound, closed idle).
 *
 * Every family has its HELP and TYPE lines and its samples together.
 * Label values are escaped (\\, \" and \n), as is HELP text.
 * A pure function of its inputs: no state, no output.
 */
#ifndef BALLAST_PROM_H
#define BALLAST_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "http_guard.h"
#include "ingest.h"
#include "model.h"
#include "rrd.h"
#include "traffic.h"

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* The planner's counters; until the planner lands the daemon passes NULL. */
struct prom_plan_stats {
	uint64_t	 plan_passes;
	uint64_t	 migrations_done, migrations_failed, migrations_cancelled;
};

struct prom_sources {
	const struct model		*model;		/* required */
	const struct ingest_stats	*ingest;	/* NULL: zeros */
	const struct prom_plan_stats	*plan;		/* NULL: zeros */
	const struct rrdx_stats		*rrd;		/* NULL: no ballast_rrd_* */
	const struct traffic		*traffic;	/* NULL: no ballast_traffic_* */
	const struct http_stats		*http;		/* NULL: no ballast_http_* */
	double				 uptime_s;
};

#define PROM_TRAFFIC_PAIRS	20

/*
 * Renders the exposition into a malloc'd, NUL-terminated buffer the
 * caller frees (*out, *len without the NUL).  0 or -ENOMEM (nothing
 * returned).
 */
int	prom_render(const struct prom_sources *, char **out, size_t *len);

/*
 * Appends s to out as a label value (escaping \, " and newline) or,
 * with help set, as HELP text (escaping \ and newline).  Returns the
 * length it needs without the NUL, as snprintf does.  For tests.
 */
size_t	prom_escape(const char *s, int help, char *out, size_t len);

#endif
