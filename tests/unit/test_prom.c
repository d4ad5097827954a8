/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/prom.c: the text exposition format (HELP and
 * TYPE for every family, each family's samples together), label and
 * HELP escaping, the libvirt-exporter names with domain/uuid/host
 * labels, and values from the model, ingest, planner and RRD counters,
 * and the traffic matrix's families.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "testreport.h"

#include "prom.h"
#include "traffic.h"
#include "util.h"

#define T0_MS	1700000000000ULL
#define SEC	1000000000ULL

/* hv01: vm-1 and a VM with " and \ in its name; hv02: vm-3. */
static struct model *
build(void)
{
	struct model	*m = model_new(NULL);
	struct trep	 h;
	wire_vm		*v;
	int		 k;

	for (k = 0; k < 2; k++) {
		trep_host(&h, 1, "hv01", (uint64_t)k + 1, T0_MS + 10000ULL * k,
		    15ULL * SEC * k, 65ULL * SEC * k);
		v = trep_vm(&h, 1, "vm-1");
		v->cpu_time_ns = 300 * SEC + 10 * SEC * (uint64_t)k;
		v->blk_rd_bytes = 4096;
		v->net_tx_bytes = 1234567890123ULL;
		v->net_rx_drop = 7;
		v = trep_vm(&h, 2, "odd \"name\" \\ here");
		v->vcpu_delay_ns = 1500 * SEC / 1000;
		trep_apply(m, &h, 1000 * k);
		trep_host(&h, 2, "hv02", (uint64_t)k + 1, T0_MS + 10000ULL * k,
		    40ULL * SEC * k, 40ULL * SEC * k);
		trep_vm(&h, 3, "vm-3");
		trep_apply(m, &h, 1000 * k);
	}
	return m;
}

static char *
render(const struct model *m, const struct ingest_stats *is,
    const struct prom_plan_stats *ps, const struct rrdx_stats *rs)
{
	struct prom_sources	 src;
	char			*out;
	size_t			 len;

	memset(&src, 0, sizeof(src));
	src.model = m;
	src.ingest = is;
	src.plan = ps;
	src.rrd = rs;
	src.uptime_s = 42;
	assert_int_equal(prom_render(&src, &out, &len), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

/* Asserts that `line` is one whole line of text. */
static void
has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p++;
	}
	fail_msg("no line \"%s\"", line);
}

/* The metric name of a sample line, into buf. */
static void
sample_name(const char *line, char *buf, size_t len)
{
	size_t	 n = strcspn(line, "{ ");

	assert_true(n < len);
	memcpy(buf, line, n);
	buf[n] = '\0';
}

/*
 * Every sample's family was announced by # HELP then # TYPE right
 * before its first sample, once, and its samples are together.
 */
static void
check_format(const char *text)
{
	char	 line[1024], name[256], fam[256] = "", help[256] = "";
	char	 seen[256][128];
	size_t	 nseen = 0, i, n;
	const char *p = text, *nl;
	int	 typed = 0, samples = 0;

	while ((nl = strchr(p, '\n')) != NULL) {
		n = (size_t)(nl - p);
		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (strncmp(line, "# HELP ", 7) == 0) {
			sample_name(line + 7, help, sizeof(help));
			for (i = 0; i < nseen; i++)
				if (strcmp(seen[i], help) == 0)
					fail_msg("family %s announced twice", help);
			assert_true(nseen < 256);
			util_strlcpy(seen[nseen++], help, sizeof(seen[0]));
			typed = 0;
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			sample_name(line + 7, fam, sizeof(fam));
			assert_string_equal(fam, help);
			assert_true(strstr(line, " counter") != NULL ||
			    strstr(line, " gauge") != NULL);
			typed = 1;
			continue;
		}
		assert_true(line[0] != '#' && line[0] != '\0');
		sample_name(line, name, sizeof(name));
		if (!typed || strcmp(name, fam) != 0)
			fail_msg("sample %s outside its family (%s)", name, fam);
		if (strstr(line, "_total") != NULL)
			assert_non_null(strstr(text, "_total counter"));
		samples++;
	}
	assert_true(*p == '\0');	/* ends with a newline */
	assert_true(samples > 0);
}

static void
test_format(void **state)
{
	struct model	*m = build();
	char		*out;

	(void)state;
	out = render(m, NULL, NULL, NULL);
	check_format(out);
	assert_null(strstr(out, "ballast_rrd_"));
	free(out);
	model_free(m);
}

static void
test_vm_series(void **state)
{
	struct model	*m = build();
	char		*out, line[512], us[UTIL_UUID_STRLEN];
	uint8_t		 u[16];

	(void)state;
	out = render(m, NULL, NULL, NULL);
	trep_vm_uuid(1, u);
	util_uuid_fmt(u, us);
	snprintf(line, sizeof(line), "libvirt_domain_info_cpu_time_seconds_total"
	    "{domain=\"vm-1\",uuid=\"%s\",host=\"hv01\"} 310", us);
	has_line(out, line);
	snprintf(line, sizeof(line), "libvirt_domain_block_stats_read_bytes_total"
	    "{domain=\"vm-1\",uuid=\"%s\",host=\"hv01\"} 4096", us);
	has_line(out, line);
	snprintf(line, sizeof(line),
	    "libvirt_domain_interface_stats_transmit_bytes_total"
	    "{domain=\"vm-1\",uuid=\"%s\",host=\"hv01\"} 1234567890123", us);
	has_line(out, line);
	snprintf(line, sizeof(line),
	    "libvirt_domain_interface_stats_receive_drops_total"
	    "{domain=\"vm-1\",uuid=\"%s\",host=\"hv01\"} 7", us);
	has_line(out, line);
	snprintf(line, sizeof(line), "libvirt_domain_memory_stats_rss_bytes"
	    "{domain=\"vm-1\",uuid=\"%s\",host=\"hv01\"} 1073741824", us);
	has_line(out, line);
	/* " and \ escaped in the label value */
	trep_vm_uuid(2, u);
	util_uuid_fmt(u, us);
	snprintf(line, sizeof(line), "libvirt_domain_vcpu_delay_seconds_total"
	    "{domain=\"odd \\\"name\\\" \\\\ here\",uuid=\"%s\",host=\"hv01\"} "
	    "1.5", us);
	has_line(out, line);
	/* every family the issue names is there */
	assert_non_null(strstr(out, "# TYPE libvirt_domain_block_stats_write_bytes"
	    "_total counter\n"));
	assert_non_null(strstr(out, "# TYPE libvirt_domain_interface_stats_"
	    "receive_bytes_total counter\n"));
	assert_non_null(strstr(out, "# TYPE libvirt_domain_memory_stats_"
	    "actual_balloon_bytes gauge\n"));
	free(out);
	model_free(m);
}

static void
test_host_and_balancer(void **state)
{
	struct model		*m = build();
	struct ingest_stats	 is;
	struct prom_plan_stats	 ps = { 5, 3, 1, 2 };
	struct rrdx_stats	 rs;
	char			*out;

	(void)state;
	memset(&is, 0, sizeof(is));
	is.reports_received = 1000;
	is.reports_lost = 2;
	is.reports_malformed = 9;
	is.malformed_by[WIRE_E_TIME] = 9;
	memset(&rs, 0, sizeof(rs));
	rs.updates = 77;
	rs.queued = 3;
	rs.connected = 1;
	out = render(m, &is, &ps, &rs);
	check_format(out);
	has_line(out, "ballast_reports_received_total 1000");
	has_line(out, "ballast_reports_lost_total 2");
	has_line(out, "ballast_reports_malformed_total{reason=\"insane "
	    "timestamp\"} 9");
	has_line(out, "ballast_plan_passes_total 5");
	has_line(out, "ballast_migrations_total{outcome=\"done\"} 3");
	has_line(out, "ballast_migrations_total{outcome=\"failed\"} 1");
	has_line(out, "ballast_migrations_total{outcome=\"cancelled\"} 2");
	has_line(out, "ballast_rrd_updates_total 77");
	has_line(out, "ballast_rrd_queued_updates 3");
	has_line(out, "ballast_rrdcached_connected 1");
	has_line(out, "ballast_uptime_seconds 42");
	has_line(out, "ballast_cluster_hosts 2");
	has_line(out, "ballast_cluster_vms 3");
	/* hv01 at 15/80 = 0.1875, hv02 at 0.5: CV = 0.15625 / 0.34375 */
	has_line(out, "ballast_cluster_imbalance 0.454545454545455");
	has_line(out, "ballast_cluster_hot_hosts 0");
	assert_non_null(strstr(out, "ballast_host_cpu_utilization_ratio{host="
	    "\"hv02\",uuid=\""));
	assert_non_null(strstr(out, ",cluster=\"test\"} 0.5\n"));
	assert_non_null(strstr(out, ",mode=\"busy\"} 15\n"));
	free(out);
	model_free(m);
}

static void
test_escape(void **state)
{
	char	 buf[64];

	(void)state;
	assert_int_equal(prom_escape("a\"b\\c\nd", 0, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	assert_int_equal(prom_escape("a\"b\\c\nd", 1, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "a\"b\\\\c\\nd");
	assert_int_equal(prom_escape("plain", 0, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "plain");
	/* truncated but terminated; the needed length is still returned */
	assert_int_equal(prom_escape("\"\"\"\"", 0, buf, 4), 8);
	assert_string_equal(buf, "\\\"\\");
	assert_int_equal(prom_escape("", 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void
test_empty_model(void **state)
{
	struct model	*m = model_new(NULL);
	char		*out;

	(void)state;
	out = render(m, NULL, NULL, NULL);
	/* families without samples still have HELP and TYPE */
	assert_non_null(strstr(out, "# HELP libvirt_domain_info_cpu_time_"
	    "seconds_total "));
	has_line(out, "ballast_cluster_imbalance 0");
	has_line(out, "ballast_reports_received_total 0");
	free(out);
	model_free(m);
}

/*
 * The traffic families: hv01 reports vm-1 -> vm-3 (on hv02), 3000 bytes
 * in a 1 s window sampled 1 in 2: 6000 bytes/s, all across hosts.
 */
static void
test_traffic(void **state)
{
	struct model		*m = build();
	struct traffic		*t = traffic_new(NULL);
	Ballast__V1__Traffic	 x = BALLAST__V1__TRAFFIC__INIT;
	Ballast__V1__TrafficPair p = BALLAST__V1__TRAFFIC_PAIR__INIT, *pp = &p;
	Ballast__V1__Endpoint	 s = BALLAST__V1__ENDPOINT__INIT;
	Ballast__V1__Endpoint	 d = BALLAST__V1__ENDPOINT__INIT;
	struct prom_sources	 src;
	struct trep		 h;
	uint8_t			 su[16], du[16];
	char			*out;
	size_t			 len;

	(void)state;
	assert_non_null(t);
	trep_vm_uuid(1, su);
	trep_vm_uuid(3, du);
	s.vm = (ProtobufCBinaryData){ 16, su };
	d.vm = (ProtobufCBinaryData){ 16, du };
	p.src = &s;
	p.dst = &d;
	p.bytes = 3000;
	x.window_ms = 1000;
	x.sample_every = 2;
	x.pairs = &pp;
	x.n_pairs = 1;
	x.dropped = 5;
	trep_host(&h, 1, "hv01", 3, T0_MS + 20000, 20 * SEC, 130 * SEC);
	trep_vm(&h, 1, "vm-1");
	h.r.traffic = &x;
	trep_apply(m, &h, 2000);
	assert_int_equal(traffic_apply_report(t, m, &h.r), 0);
	memset(&src, 0, sizeof(src));
	src.model = m;
	src.traffic = t;
	assert_int_equal(prom_render(&src, &out, &len), 0);
	check_format(out);
	has_line(out, "ballast_traffic_pair_bytes_per_second{src=\"vm-1\","
	    "dst=\"vm-3\",src_host=\"hv01\",dst_host=\"hv02\"} 6000");
	assert_non_null(strstr(out, "ballast_traffic_cross_host_bytes_per_"
	    "second{host=\"hv01\","));
	assert_non_null(strstr(out, ",cluster=\"test\"} 6000\n"));
	has_line(out, "ballast_traffic_vm_bytes_per_second 6000");
	has_line(out, "ballast_traffic_cross_host_ratio 1");
	has_line(out, "ballast_traffic_pairs_total{outcome=\"counted\"} 1");
	has_line(out, "ballast_traffic_dropped_packets_total{where=\"buffer\"} 5");
	free(out);
	traffic_free(t);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_vm_series),
		cmocka_unit_test(test_host_and_balancer),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
