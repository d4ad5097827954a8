/* SPDX-License-Identifier: ISC */
#include <stdio.h>

#include <jansson.h>

#include "fmt.h"
#include "fmt_traffic.h"

static const struct fmt_field cluster_fields[] = {
	{ "VM-to-VM", "vm_bps", FMT_RATE },
	{ "across hosts", "cross_bps", FMT_RATE },
	{ "across hosts, share", "cross_fraction", FMT_PCT },
	{ "to or from outside", "external_bps", FMT_RATE },
};

static const struct fmt_field pair_cols[] = {
	{ "FROM", "src", FMT_STR },
	{ "ON", "src_host", FMT_STR },
	{ "TO", "dst", FMT_STR },
	{ "ON", "dst_host", FMT_STR },
	{ "RATE", "bps", FMT_RATE },
	{ "CROSS-HOST", "cross_host", FMT_BOOL },
};

static const struct fmt_field host_cols[] = {
	{ "HOST", "name", FMT_STR },
	{ "SENT TO OTHER HOSTS", "cross_bps", FMT_RATE },
};

int
fmt_traffic(FILE *out, json_t *traffic)
{
	json_t	*pairs;

	if (!json_is_object(traffic))
		return -1;
	fmt_pairs(out, cluster_fields, FMT_NITEMS(cluster_fields),
	    json_object_get(traffic, "cluster"), 0);
	pairs = json_object_get(traffic, "pairs");
	fputc('\n', out);
	if (json_is_array(pairs) && json_array_size(pairs) > 0)
		fmt_table(out, pair_cols, FMT_NITEMS(pair_cols), pairs);
	else
		fputs("no VM-to-VM traffic reported\n", out);
	fputc('\n', out);
	fmt_table(out, host_cols, FMT_NITEMS(host_cols),
	    json_object_get(traffic, "hosts"));
	return 0;
}
