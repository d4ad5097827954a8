/* SPDX-License-Identifier: ISC */
/*
 * fmt_hosts: the views of status, hosts, one host, VMs and one VM.
 * See fmt.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fmt.h"

static const struct fmt_field status_fields[] = {
	{ "version",		"version",		FMT_STR },
	{ "uptime_s",		"uptime_s",		FMT_AGE },
	{ "hosts",		"hosts",		FMT_INT },
	{ "hosts_stale",	"hosts_stale",		FMT_INT },
	{ "vms",		"vms",			FMT_INT },
	{ "reports_received",	"reports_received",	FMT_INT },
	{ "reports_lost",	"reports_lost",		FMT_INT },
	{ "reports_late",	"reports_late",		FMT_INT },
	{ "reports_duplicate",	"reports_duplicate",	FMT_INT },
	{ "reports_malformed",	"reports_malformed",	FMT_INT },
	{ "reports_refused",	"reports_refused",	FMT_INT },
	{ "routes_refused",	"routes_refused",	FMT_INT },
	{ "hosts_refused",	"hosts_refused",	FMT_INT },
	{ "handshakes_refused",	"handshakes_refused",	FMT_INT },
	{ "vm_resets",		"vm_resets",		FMT_INT },
};

static const struct fmt_field host_cols[] = {
	{ "NAME",	"name",			FMT_STR },
	{ "CLUSTER",	"cluster",		FMT_STR },
	{ "STALE",	"stale",		FMT_BOOL },
	{ "VMS",	"vms",			FMT_INT },
	{ "CPUS",	"cpus",			FMT_INT },
	{ "MHZ",	"cpu_mhz",		FMT_INT },
	{ "CPU%",	"cpu_util",		FMT_PCT },
	{ "STEAL%",	"cpu_steal",		FMT_PCT },
	{ "MEM",	"mem_bytes",		FMT_BYTES },
	{ "USED",	"mem_used_bytes",	FMT_BYTES },
	{ "MEM%",	"mem_util",		FMT_PCT },
	{ "AGE",	"last_report_age_s",	FMT_AGE },
};

static const struct fmt_field host_fields[] = {
	{ "name",		"name",			FMT_STR },
	{ "uuid",		"uuid",			FMT_STR },
	{ "cluster",		"cluster",		FMT_STR },
	{ "stale",		"stale",		FMT_BOOL },
	{ "cpus",		"cpus",			FMT_INT },
	{ "cpu_mhz",		"cpu_mhz",		FMT_INT },
	{ "cpu_util",		"cpu_util",		FMT_PCT },
	{ "cpu_steal",		"cpu_steal",		FMT_PCT },
	{ "vm_cpu_mhz",		"vm_cpu_mhz",		FMT_REAL0 },
	{ "mem_bytes",		"mem_bytes",		FMT_BYTES },
	{ "mem_used_bytes",	"mem_used_bytes",	FMT_BYTES },
	{ "mem_util",		"mem_util",		FMT_PCT },
	{ "vms",		"vms",			FMT_INT },
	{ "last_report_age_s",	"last_report_age_s",	FMT_AGE },
	{ "sample_time_ms",	"sample_time_ms",	FMT_TIME_MS },
	{ "seq",		"seq",			FMT_INT },
};

static const struct fmt_field vm_cols[] = {
	{ "NAME",	"name",			FMT_STR },
	{ "HOST",	"host",			FMT_STR },
	{ "STATE",	"state",		FMT_STR },
	{ "VCPUS",	"vcpus",		FMT_INT },
	{ "CPU%",	"cpu_util",		FMT_PCT },
	{ "MHZ",	"cpu_mhz",		FMT_REAL0 },
	{ "RSS",	"mem_bytes",		FMT_BYTES },
	{ "MAX",	"mem_max_bytes",	FMT_BYTES },
	{ "DISK-RD",	"disk_rd_bps",		FMT_RATE },
	{ "DISK-WR",	"disk_wr_bps",		FMT_RATE },
	{ "NET-RX",	"net_rx_bps",		FMT_RATE },
	{ "NET-TX",	"net_tx_bps",		FMT_RATE },
	{ "RESETS",	"resets",		FMT_INT },
	{ "UUID",	"uuid",			FMT_STR },
};

static const struct fmt_field vm_fields[] = {
	{ "uuid",		"uuid",			FMT_STR },
	{ "name",		"name",			FMT_STR },
	{ "host",		"host",			FMT_STR },
	{ "state",		"state",		FMT_STR },
	{ "vcpus",		"vcpus",		FMT_INT },
	{ "cpu_util",		"cpu_util",		FMT_PCT },
	{ "cpu_mhz",		"cpu_mhz",		FMT_REAL0 },
	{ "mem_bytes",		"mem_bytes",		FMT_BYTES },
	{ "mem_max_bytes",	"mem_max_bytes",	FMT_BYTES },
	{ "disk_rd_bps",	"disk_rd_bps",		FMT_RATE },
	{ "disk_wr_bps",	"disk_wr_bps",		FMT_RATE },
	{ "net_rx_bps",		"net_rx_bps",		FMT_RATE },
	{ "net_tx_bps",		"net_tx_bps",		FMT_RATE },
	{ "resets",		"resets",		FMT_INT },
};

int
fmt_status(FILE *out, json_t *status)
{
	if (!json_is_object(status))
		return -1;
	fmt_pairs(out, status_fields, FMT_NITEMS(status_fields), status, 1);
	return 0;
}

int
fmt_hosts(FILE *out, json_t *hosts)
{
	if (!json_is_array(hosts))
		return -1;
	fmt_table(out, host_cols, FMT_NITEMS(host_cols), hosts);
	return 0;
}

int
fmt_host(FILE *out, json_t *host)
{
	json_t	*vms;

	if (!json_is_object(host))
		return -1;
	fmt_pairs(out, host_fields, FMT_NITEMS(host_fields), host, 1);
	vms = json_object_get(host, "vm_list");
	if (json_is_array(vms) && json_array_size(vms) > 0) {
		fputc('\n', out);
		fmt_table(out, vm_cols, FMT_NITEMS(vm_cols), vms);
	}
	return 0;
}

int
fmt_vms(FILE *out, json_t *vms)
{
	if (!json_is_array(vms))
		return -1;
	fmt_table(out, vm_cols, FMT_NITEMS(vm_cols), vms);
	return 0;
}

int
fmt_vm(FILE *out, json_t *vm)
{
	if (!json_is_object(vm))
		return -1;
	fmt_pairs(out, vm_fields, FMT_NITEMS(vm_fields), vm, 1);
	return 0;
}

json_t *
fmt_vms_on_host(json_t *vms, const char *host)
{
	json_t		*sel, *vm, *h;
	size_t		 i;

	if (!json_is_array(vms) || (sel = json_array()) == NULL)
		return NULL;
	json_array_foreach(vms, i, vm) {
		h = json_is_object(vm) ? json_object_get(vm, "host") : NULL;
		if (!json_is_string(h) || strcmp(json_string_value(h), host))
			continue;
		if (json_array_append(sel, vm) != 0) {
			json_decref(sel);
			return NULL;
		}
	}
	return sel;
}
