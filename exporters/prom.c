/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusterstat.h"
#include "prom.h"
#include "util.h"

/* A growing output buffer; a failed allocation sticks. */
struct pbuf {
	char	*p;
	size_t	 len, cap;
	int	 oom;
};

static void
pb_reserve(struct pbuf *b, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->oom || b->len + n + 1 <= b->cap)
		return;
	ncap = b->cap ? b->cap : 65536;
	while (ncap < b->len + n + 1)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->oom = 1;
		return;
	}
	b->p = np;
	b->cap = ncap;
}

static void pb_printf(struct pbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
pb_printf(struct pbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	pb_reserve(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

size_t
prom_escape(const char *s, int help, char *out, size_t len)
{
	size_t	 n = 0;
	char	 e;

	for (; *s != '\0'; s++) {
		e = *s == '\\' ? '\\' : *s == '\n' ? 'n' :
		    (*s == '"' && !help) ? '"' : 0;
		if (e != 0) {
			if (n + 1 < len)
				out[n] = '\\';
			n++;
		}
		if (n + 1 < len)
			out[n] = e != 0 ? e : *s;
		n++;
	}
	if (len > 0)
		out[n < len ? n : len - 1] = '\0';
	return n;
}

static void
pb_escaped(struct pbuf *b, const char *s, int help)
{
	size_t	 n = prom_escape(s, help, NULL, 0);

	pb_reserve(b, n);
	if (b->oom)
		return;
	prom_escape(s, help, b->p + b->len, b->cap - b->len);
	b->len += n;
}

static void
pb_family(struct pbuf *b, const char *name, const char *type,
    const char *help)
{
	pb_printf(b, "# HELP %s ", name);
	pb_escaped(b, help, 1);
	pb_printf(b, "\n# TYPE %s %s\n", name, type);
}

/* One sample; labels is "" or the text between the braces. */
static void
pb_sample(struct pbuf *b, const char *name, const char *labels, double v)
{
	const char	*open = labels[0] ? "{" : "", *close = labels[0] ? "}" : "";

	if (isnan(v))
		pb_printf(b, "%s%s%s%s NaN\n", name, open, labels, close);
	else if (isinf(v))
		pb_printf(b, "%s%s%s%s %sInf\n", name, open, labels, close,
		    v > 0 ? "+" : "-");
	else
		pb_printf(b, "%s%s%s%s %.15g\n", name, open, labels, close, v);
}

static void
pb_single(struct pbuf *b, const char *name, const char *type,
    const char *help, double v)
{
	pb_family(b, name, type, help);
	pb_sample(b, name, "", v);
}

/* ---- VMs ---- */

struct prom_vm_family {
	const char	*name, *type, *help;
	double		(*get)(const struct model_vm *);
};

#define NS(x)	((double)(x) / 1e9)

static double vm_cpu(const struct model_vm *v) { return NS(v->c.cpu_time_ns); }
static double vm_delay(const struct model_vm *v) { return NS(v->c.vcpu_delay_ns); }
static double vm_vcpus(const struct model_vm *v) { return v->vcpus; }
static double vm_max(const struct model_vm *v) { return (double)v->mem_max; }
static double vm_rss(const struct model_vm *v) { return (double)v->mem_rss; }
static double vm_balloon(const struct model_vm *v) { return (double)v->mem_balloon; }
static double vm_unused(const struct model_vm *v) { return (double)v->mem_unused; }
static double vm_rd(const struct model_vm *v) { return (double)v->c.blk_rd_bytes; }
static double vm_wr(const struct model_vm *v) { return (double)v->c.blk_wr_bytes; }
static double vm_rdo(const struct model_vm *v) { return (double)v->c.blk_rd_ops; }
static double vm_wro(const struct model_vm *v) { return (double)v->c.blk_wr_ops; }
static double vm_rx(const struct model_vm *v) { return (double)v->c.net_rx_bytes; }
static double vm_tx(const struct model_vm *v) { return (double)v->c.net_tx_bytes; }
static double vm_rxp(const struct model_vm *v) { return (double)v->c.net_rx_pkts; }
static double vm_txp(const struct model_vm *v) { return (double)v->c.net_tx_pkts; }
static double vm_rxd(const struct model_vm *v) { return (double)v->c.net_rx_drop; }
static double vm_txd(const struct model_vm *v) { return (double)v->c.net_tx_drop; }

static const struct prom_vm_family prom_vm_families[] = {
	{ "libvirt_domain_info_cpu_time_seconds_total", "counter",
	  "CPU time used by the domain, in seconds.", vm_cpu },
	{ "libvirt_domain_vcpu_delay_seconds_total", "counter",
	  "Time the domain's vCPUs were runnable but waiting for a host CPU, "
	  "summed over its vCPUs, in seconds.", vm_delay },
	{ "libvirt_domain_info_virtual_cpus", "gauge",
	  "Number of virtual CPUs of the domain.", vm_vcpus },
	{ "libvirt_domain_info_maximum_memory_bytes", "gauge",
	  "Maximum memory of the domain, in bytes.", vm_max },
	{ "libvirt_domain_memory_stats_rss_bytes", "gauge",
	  "Resident set size of the domain's process, in bytes.", vm_rss },
	{ "libvirt_domain_memory_stats_actual_balloon_bytes", "gauge",
	  "Current balloon size of the domain, in bytes.", vm_balloon },
	{ "libvirt_domain_memory_stats_unused_bytes", "gauge",
	  "Memory the domain leaves unused, in bytes.", vm_unused },
	{ "libvirt_domain_block_stats_read_bytes_total", "counter",
	  "Bytes read from the domain's block devices.", vm_rd },
	{ "libvirt_domain_block_stats_write_bytes_total", "counter",
	  "Bytes written to the domain's block devices.", vm_wr },
	{ "libvirt_domain_block_stats_read_requests_total", "counter",
	  "Read requests to the domain's block devices.", vm_rdo },
	{ "libvirt_domain_block_stats_write_requests_total", "counter",
	  "Write requests to the domain's block devices.", vm_wro },
	{ "libvirt_domain_interface_stats_receive_bytes_total", "counter",
	  "Bytes received on the domain's network interfaces.", vm_rx },
	{ "libvirt_domain_interface_stats_transmit_bytes_total", "counter",
	  "Bytes transmitted on the domain's network interfaces.", vm_tx },
	{ "libvirt_domain_interface_stats_receive_packets_total", "counter",
	  "Packets received on the domain's network interfaces.", vm_rxp },
	{ "libvirt_domain_interface_stats_transmit_packets_total", "counter",
	  "Packets transmitted on the domain's network interfaces.", vm_txp },
	{ "libvirt_domain_interface_stats_receive_drops_total", "counter",
	  "Received packets dropped on the domain's interfaces.", vm_rxd },
	{ "libvirt_domain_interface_stats_transmit_drops_total", "counter",
	  "Transmitted packets dropped on the domain's interfaces.", vm_txd },
};

/* The label text of every VM, built once: offsets into one buffer. */
static int
prom_vm_labels(const struct model *m, struct pbuf *lb, size_t **off)
{
	const struct model_vm	*vm;
	char			 us[UTIL_UUID_STRLEN];
	size_t			 i, n = model_vm_count(m);

	if ((*off = calloc(n + 1, sizeof(**off))) == NULL)
		return -ENOMEM;
	for (i = 0; (vm = model_vm_at(m, i)) != NULL; i++) {
		(*off)[i] = lb->len;
		util_uuid_fmt(vm->uuid, us);
		pb_printf(lb, "domain=\"");
		pb_escaped(lb, vm->name, 0);
		pb_printf(lb, "\",uuid=\"%s\",host=\"%s\"", us,
		    vm->host != NULL ? vm->host->name : "");
		pb_reserve(lb, 1);
		if (lb->oom)
			return -ENOMEM;
		lb->p[lb->len++] = '\0';
	}
	return 0;
}

static int
prom_vms(struct pbuf *b, const struct model *m)
{
	const struct prom_vm_family	*f;
	const struct model_vm		*vm;
	struct pbuf			 lb;
	size_t				*off, i, k;

	memset(&lb, 0, sizeof(lb));
	if (prom_vm_labels(m, &lb, &off) < 0) {
		free(lb.p);
		return -ENOMEM;
	}
	for (k = 0; k < sizeof(prom_vm_families) / sizeof(*f); k++) {
		f = &prom_vm_families[k];
		pb_family(b, f->name, f->type, f->help);
		for (i = 0; (vm = model_vm_at(m, i)) != NULL; i++)
			pb_sample(b, f->name, lb.p + off[i], f->get(vm));
	}
	free(off);
	free(lb.p);
	return 0;
}

/* ---- hosts ---- */

struct prom_host_family {
	const char	*name, *type, *help;
	double		(*get)(const struct model_host *);
};

static double h_util(const struct model_host *h) { return h->cpu_util; }
static double h_steal(const struct model_host *h) { return h->cpu_steal; }
static double h_cpus(const struct model_host *h) { return h->cpus; }
static double h_hz(const struct model_host *h) { return h->cpu_mhz * 1e6; }
static double h_mem(const struct model_host *h) { return (double)h->mem_bytes; }
static double h_used(const struct model_host *h) { return (double)h->mem_used; }
static double h_avail(const struct model_host *h) { return (double)h->mem_avail; }
static double h_vms(const struct model_host *h) { return (double)h->nvms; }
static double h_stale(const struct model_host *h) { return h->stale; }
static double h_time(const struct model_host *h) { return (double)h->sample_time_ms / 1e3; }
static double h_reports(const struct model_host *h) { return (double)h->reports; }

static const struct prom_host_family prom_host_families[] = {
	{ "ballast_host_cpu_utilization_ratio", "gauge",
	  "Busy over busy plus idle CPU time in the last interval.", h_util },
	{ "ballast_host_cpu_steal_ratio", "gauge",
	  "Stolen over busy plus idle CPU time in the last interval.", h_steal },
	{ "ballast_host_cpus", "gauge", "CPUs of the host.", h_cpus },
	{ "ballast_host_cpu_frequency_hertz", "gauge",
	  "Nominal frequency of one CPU of the host.", h_hz },
	{ "ballast_host_memory_bytes", "gauge", "Memory of the host.", h_mem },
	{ "ballast_host_memory_used_bytes", "gauge",
	  "Memory in use on the host.", h_used },
	{ "ballast_host_memory_available_bytes", "gauge",
	  "Memory available on the host.", h_avail },
	{ "ballast_host_vms", "gauge",
	  "VMs in the host's last report.", h_vms },
	{ "ballast_host_stale", "gauge",
	  "1 when the host's reports stopped for stale-after intervals.",
	  h_stale },
	{ "ballast_host_sample_timestamp_seconds", "gauge",
	  "Sample time of the host's last report (its own clock).", h_time },
	{ "ballast_host_reports_total", "counter",
	  "Reports of the host applied since the balancer started.", h_reports },
};

static void
prom_host_labels(const struct model_host *h, char *buf, size_t len)
{
	char	 us[UTIL_UUID_STRLEN], cl[2 * WIRE_MAX_CLUSTER + 2];

	util_uuid_fmt(h->uuid, us);
	prom_escape(h->cluster, 0, cl, sizeof(cl));
	snprintf(buf, len, "host=\"%s\",uuid=\"%s\",cluster=\"%s\"", h->name,
	    us, cl);
}

static void
prom_hosts(struct pbuf *b, const struct model *m)
{
	static const char *const modes[] = { "busy", "idle", "steal" };
	const struct prom_host_family	*f;
	const struct model_host		*h;
	char				 lab[320], ml[340];
	size_t				 i, k;
	uint64_t			 ns[3];

	for (k = 0; k < sizeof(prom_host_families) / sizeof(*f); k++) {
		f = &prom_host_families[k];
		pb_family(b, f->name, f->type, f->help);
		for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
			prom_host_labels(h, lab, sizeof(lab));
			pb_sample(b, f->name, lab, f->get(h));
		}
	}
	pb_family(b, "ballast_host_cpu_seconds_total", "counter",
	    "CPU time of the host by mode, in seconds.");
	for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
		prom_host_labels(h, lab, sizeof(lab));
		ns[0] = h->busy_ns;
		ns[1] = h->idle_ns;
		ns[2] = h->steal_ns;
		for (k = 0; k < 3; k++) {
			snprintf(ml, sizeof(ml), "%s,mode=\"%s\"", lab, modes[k]);
			pb_sample(b, "ballast_host_cpu_seconds_total", ml,
			    NS(ns[k]));
		}
	}
}

/* ---- the balancer ---- */

static void
prom_ingest(struct pbuf *b, const struct ingest_stats *s)
{
	static const struct ingest_stats zero;
	char	 lab[96];
	int	 i;

	if (s == NULL)
		s = &zero;
	pb_single(b, "ballast_reports_received_total", "counter",
	    "Host reports applied to the model.", (double)s->reports_received);
	pb_single(b, "ballast_reports_lost_total", "counter",
	    "Report sequence numbers never received.", (double)s->reports_lost);
	pb_single(b, "ballast_reports_late_total", "counter",
	    "Reports that arrived after a newer one.", (double)s->reports_late);
	pb_single(b, "ballast_reports_duplicate_total", "counter",
	    "Reports received again.", (double)s->reports_duplicate);
	pb_single(b, "ballast_reports_refused_total", "counter",
	    "Reports refused: sender, key and host differ, or a bound.",
	    (double)s->reports_refused);
	pb_single(b, "ballast_routes_refused_total", "counter",
	    "Messages refused: the routing id is not the host's own.",
	    (double)s->routes_refused);
	pb_single(b, "ballast_hosts_refused_total", "counter",
	    "Reports from a new host beyond max-hosts.",
	    (double)s->hosts_refused);
	pb_single(b, "ballast_handshakes_accepted_total", "counter",
	    "CURVE handshakes of authorised collectors.",
	    (double)s->handshakes.accepted);
	pb_single(b, "ballast_handshakes_refused_total", "counter",
	    "CURVE handshakes refused: unknown key or foreign routing id.",
	    (double)s->handshakes.refused);
	pb_family(b, "ballast_reports_malformed_total", "counter",
	    "Messages refused by the wire checks, by reason.");
	for (i = 1; i < WIRE_E_MAX; i++) {
		snprintf(lab, sizeof(lab), "reason=\"%s\"", wire_strerror(i));
		pb_sample(b, "ballast_reports_malformed_total", lab,
		    (double)s->malformed_by[i]);
	}
	pb_single(b, "ballast_vm_samples_total", "counter",
	    "VM samples applied to the model.", (double)s->vm_samples);
	pb_single(b, "ballast_checkpoint_errors_total", "counter",
	    "Checkpoints that could not be written.",
	    (double)s->checkpoint_errors);
}

static void
prom_plan(struct pbuf *b, const struct prom_plan_stats *p)
{
	static const struct prom_plan_stats zero;

	if (p == NULL)
		p = &zero;
	pb_single(b, "ballast_plan_passes_total", "counter",
	    "Passes of the placement planner.", (double)p->plan_passes);
	pb_family(b, "ballast_migrations_total", "counter",
	    "Live migrations ordered by the balancer, by outcome.");
	pb_sample(b, "ballast_migrations_total", "outcome=\"done\"",
	    (double)p->migrations_done);
	pb_sample(b, "ballast_migrations_total", "outcome=\"failed\"",
	    (double)p->migrations_failed);
	pb_sample(b, "ballast_migrations_total", "outcome=\"cancelled\"",
	    (double)p->migrations_cancelled);
}

static void
prom_cluster(struct pbuf *b, const struct model *m)
{
	const struct model_stats	*ms = model_stats(m);
	struct clusterstat		 cs;

	clusterstat_compute(m, &cs);
	pb_single(b, "ballast_cluster_hosts", "gauge", "Hosts known.", cs.hosts);
	pb_single(b, "ballast_cluster_stale_hosts", "gauge",
	    "Hosts whose reports stopped.", cs.stale_hosts);
	pb_single(b, "ballast_cluster_hot_hosts", "gauge",
	    "Hosts, not stale, over 80 % CPU.", cs.hot_hosts);
	pb_single(b, "ballast_cluster_vms", "gauge", "VMs known.", cs.vms);
	pb_single(b, "ballast_cluster_imbalance", "gauge",
	    "Coefficient of variation of host CPU utilisation over the hosts "
	    "that are not stale.", cs.imbalance);
	pb_single(b, "ballast_vm_resets_total", "counter",
	    "VM counter restarts seen.", (double)ms->vm_resets);
	pb_single(b, "ballast_vm_moves_total", "counter",
	    "VMs seen on a new host.", (double)ms->vm_moves);
}

static void
prom_rrd(struct pbuf *b, const struct rrdx_stats *r)
{
	pb_single(b, "ballast_rrd_updates_total", "counter",
	    "RRD updates written directly or queued for rrdcached.",
	    (double)r->updates);
	pb_single(b, "ballast_rrd_acknowledged_total", "counter",
	    "RRD updates rrdcached answered for.", (double)r->acked);
	pb_single(b, "ballast_rrd_refused_total", "counter",
	    "RRD updates refused (not counting duplicates).",
	    (double)r->refused);
	pb_single(b, "ballast_rrd_duplicates_total", "counter",
	    "RRD updates refused as already present (sent again after a "
	    "reconnection).", (double)r->duplicates);
	pb_single(b, "ballast_rrd_dropped_total", "counter",
	    "RRD updates dropped from a full queue.", (double)r->dropped);
	pb_single(b, "ballast_rrd_files_created_total", "counter",
	    "RRD files created.", (double)r->files_created);
	pb_single(b, "ballast_rrd_create_errors_total", "counter",
	    "RRD files that could not be created.", (double)r->create_errors);
	pb_single(b, "ballast_rrd_queued_updates", "gauge",
	    "RRD updates waiting for rrdcached.", (double)r->queued);
	pb_single(b, "ballast_rrdcached_connected", "gauge",
	    "1 when connected to rrdcached (0 when writing directly).",
	    r->connected && !r->direct);
}

/* Per host: bytes/s its VMs send to VMs on other hosts. */
static void
prom_traffic_hosts(struct pbuf *b, const struct model *m,
    const struct traffic *t, struct traffic_cross *c)
{
	const struct model_host	*h;
	size_t			 i, n = model_host_count(m);
	double			*per = calloc(n + 1, sizeof(*per));
	char			 lab[320];

	if (per == NULL) {
		b->oom = 1;
		return;
	}
	traffic_cross(t, m, per, c);
	pb_family(b, "ballast_traffic_cross_host_bytes_per_second", "gauge",
	    "Bytes/s the host's VMs send to VMs on other hosts (sampled, "
	    "smoothed).");
	for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
		prom_host_labels(h, lab, sizeof(lab));
		pb_sample(b, "ballast_traffic_cross_host_bytes_per_second", lab,
		    per[i]);
	}
	free(per);
}

/* The top pairs, labelled by their VMs and hosts. */
static void
prom_traffic_pairs(struct pbuf *b, const struct model *m,
    const struct traffic *t)
{
	struct traffic_pair	 top[PROM_TRAFFIC_PAIRS];
	const struct model_vm	*s, *d;
	char			 e[4][2 * WIRE_MAX_VM_NAME + 2], lab[1100];
	size_t			 i, n;

	n = traffic_top(t, top, PROM_TRAFFIC_PAIRS);
	pb_family(b, "ballast_traffic_pair_bytes_per_second", "gauge",
	    "Bytes/s from one VM to another, the top pairs (sampled, "
	    "smoothed).");
	for (i = 0; i < n && i < PROM_TRAFFIC_PAIRS; i++) {
		if ((s = model_vm_by_uuid(m, top[i].src)) == NULL ||
		    (d = model_vm_by_uuid(m, top[i].dst)) == NULL)
			continue;
		prom_escape(s->name, 0, e[0], sizeof(e[0]));
		prom_escape(d->name, 0, e[1], sizeof(e[1]));
		prom_escape(s->host ? s->host->name : "", 0, e[2], sizeof(e[2]));
		prom_escape(d->host ? d->host->name : "", 0, e[3], sizeof(e[3]));
		snprintf(lab, sizeof(lab), "src=\"%s\",dst=\"%s\",src_host=\"%s\","
		    "dst_host=\"%s\"", e[0], e[1], e[2], e[3]);
		pb_sample(b, "ballast_traffic_pair_bytes_per_second", lab,
		    top[i].bps);
	}
}

static void
prom_traffic(struct pbuf *b, const struct model *m, const struct traffic *t)
{
	const struct traffic_stats	*st = traffic_stats(t);
	struct traffic_cross		 c;

	prom_traffic_hosts(b, m, t, &c);
	prom_traffic_pairs(b, m, t);
	pb_single(b, "ballast_traffic_vm_bytes_per_second", "gauge",
	    "Bytes/s between VMs of the cluster.", c.vm_bps);
	pb_single(b, "ballast_traffic_cross_host_total_bytes_per_second",
	    "gauge", "Bytes/s between VMs on different hosts.", c.cross_bps);
	pb_single(b, "ballast_traffic_cross_host_ratio", "gauge",
	    "Fraction of the VM-to-VM traffic that crosses hosts.", c.fraction);
	pb_single(b, "ballast_traffic_external_bytes_per_second", "gauge",
	    "Bytes/s to or from no known VM.", c.external_bps);
	pb_family(b, "ballast_traffic_pairs_total", "counter",
	    "Traffic pairs in host reports, by what became of them.");
	pb_sample(b, "ballast_traffic_pairs_total", "outcome=\"counted\"",
	    (double)st->pairs_counted);
	pb_sample(b, "ballast_traffic_pairs_total", "outcome=\"duplicate\"",
	    (double)st->pairs_dup);
	pb_sample(b, "ballast_traffic_pairs_total", "outcome=\"external\"",
	    (double)st->pairs_external);
	pb_single(b, "ballast_traffic_pairs_evicted_total", "counter",
	    "Pairs dropped from the matrix by its bound.",
	    (double)st->pairs_evicted);
	pb_single(b, "ballast_traffic_captured_packets_total", "counter",
	    "Packets the hosts' capture saw.", (double)st->captured);
	pb_family(b, "ballast_traffic_dropped_packets_total", "counter",
	    "Packets the hosts' capture lost, by where.");
	pb_sample(b, "ballast_traffic_dropped_packets_total",
	    "where=\"buffer\"", (double)st->dropped);
	pb_sample(b, "ballast_traffic_dropped_packets_total",
	    "where=\"interface\"", (double)st->if_dropped);
	pb_single(b, "ballast_traffic_capture_errors_total", "counter",
	    "Capture errors the hosts reported.", (double)st->errors);
}

static void
prom_http(struct pbuf *b, const struct http_stats *h)
{
	pb_single(b, "ballast_http_connections_total", "counter",
	    "API connections accepted.", (double)h->accepted);
	pb_single(b, "ballast_http_connections_open", "gauge",
	    "API connections open now.", (double)h->open);
	pb_family(b, "ballast_http_refused_total", "counter",
	    "API connections and requests refused by a bound, by bound.");
	pb_sample(b, "ballast_http_refused_total", "bound=\"connections\"",
	    (double)h->refused_limit);
	pb_sample(b, "ballast_http_refused_total", "bound=\"per_ip\"",
	    (double)h->refused_per_ip);
	pb_sample(b, "ballast_http_refused_total", "bound=\"header\"",
	    (double)h->refused_header);
	pb_sample(b, "ballast_http_refused_total", "bound=\"body\"",
	    (double)h->refused_body);
	pb_single(b, "ballast_http_idle_closed_total", "counter",
	    "API connections closed by the idle timeout.",
	    (double)h->timed_out);
}

int
prom_render(const struct prom_sources *src, char **out, size_t *len)
{
	struct pbuf	 b;

	memset(&b, 0, sizeof(b));
	*out = NULL;
	*len = 0;
	if (prom_vms(&b, src->model) < 0) {
		free(b.p);
		return -ENOMEM;
	}
	prom_hosts(&b, src->model);
	prom_cluster(&b, src->model);
	prom_ingest(&b, src->ingest);
	prom_plan(&b, src->plan);
	if (src->rrd != NULL)
		prom_rrd(&b, src->rrd);
	if (src->traffic != NULL)
		prom_traffic(&b, src->model, src->traffic);
	if (src->http != NULL)
		prom_http(&b, src->http);
	pb_single(&b, "ballast_uptime_seconds", "gauge",
	    "Seconds since the balancer started.", src->uptime_s);
	pb_reserve(&b, 1);
	if (b.oom) {
		free(b.p);
		return -ENOMEM;
	}
	b.p[b.len] = '\0';
	*out = b.p;
	*len = b.len;
	return 0;
}
