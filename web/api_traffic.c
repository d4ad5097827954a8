/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api_traffic.h"
#include "api_util.h"
#include "traffic.h"
#include "util.h"

/* One end of a pair: its name, UUID and host (null when unplaced). */
static void
at_end(json_t *o, const char *key, const struct model *m,
    const uint8_t uuid[16])
{
	const struct model_vm	*vm = model_vm_by_uuid(m, uuid);
	char			 k[32];

	json_object_set_new(o, key, vm ? json_string(vm->name) : json_null());
	snprintf(k, sizeof(k), "%s_uuid", key);
	json_object_set_new(o, k, api_uuid(uuid));
	snprintf(k, sizeof(k), "%s_host", key);
	json_object_set_new(o, k, vm && vm->host ?
	    json_string(vm->host->name) : json_null());
}

static json_t *
at_pair(const struct model *m, const struct traffic_pair *p)
{
	const struct model_vm	*s = model_vm_by_uuid(m, p->src);
	const struct model_vm	*d = model_vm_by_uuid(m, p->dst);
	json_t			*o = json_object();

	at_end(o, "src", m, p->src);
	at_end(o, "dst", m, p->dst);
	json_object_set_new(o, "bps", json_real(p->bps));
	json_object_set_new(o, "cross_host", json_boolean(s && d && s->host &&
	    d->host && s->host != d->host));
	return o;
}

static json_t *
at_stats(const struct traffic_stats *st)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I}",
	    "reports", (json_int_t)st->reports,
	    "pairs_seen", (json_int_t)st->pairs_seen,
	    "pairs_counted", (json_int_t)st->pairs_counted,
	    "pairs_duplicate", (json_int_t)st->pairs_dup,
	    "pairs_external", (json_int_t)st->pairs_external,
	    "pairs_evicted", (json_int_t)st->pairs_evicted,
	    "addrs_refused", (json_int_t)st->addrs_refused,
	    "captured", (json_int_t)st->captured,
	    "dropped", (json_int_t)st->dropped,
	    "if_dropped", (json_int_t)st->if_dropped,
	    "errors", (json_int_t)st->errors);
}

static json_t *
at_hosts(const struct api_ctx *a, struct traffic_cross *c)
{
	size_t	 i, n = model_host_count(a->model);
	double	*per = calloc(n + 1, sizeof(*per));
	json_t	*arr = json_array();

	traffic_cross(a->traffic, a->model, per, c);
	for (i = 0; per != NULL && i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:f}", "name",
		    model_host_at(a->model, i)->name, "cross_bps", per[i]));
	free(per);
	return arr;
}

static void
at_json(const struct api_ctx *a, const struct traffic_pair *top, size_t n,
    size_t total, struct http_response *r)
{
	struct traffic_cross	 c;
	json_t			*pairs = json_array(), *hosts;
	size_t			 i;

	for (i = 0; i < n; i++)
		json_array_append_new(pairs, at_pair(a->model, &top[i]));
	hosts = at_hosts(a, &c);
	api_json(r, 200, json_pack("{s:o, s:I, s:o, s:{s:f, s:f, s:f, s:f}, "
	    "s:o, s:{s:I, s:f}}", "pairs", pairs, "pairs_total",
	    (json_int_t)total, "hosts", hosts, "cluster", "vm_bps", c.vm_bps,
	    "cross_bps", c.cross_bps, "cross_fraction", c.fraction,
	    "external_bps", c.external_bps, "stats",
	    at_stats(traffic_stats(a->traffic)), "limits", "max_pairs",
	    (json_int_t)TRAFFIC_MAX_PAIRS, "tau_s", TRAFFIC_TAU_S));
}

/* A name or host for CSV: "-" when unknown; no commas or quotes. */
static void
at_csv_cell(FILE *f, const char *s, int last)
{
	for (s = s ? s : "-"; *s != '\0'; s++)
		fputc(*s == ',' || *s == '"' || *s == '\n' ? '_' : *s, f);
	fputc(last ? '\n' : ',', f);
}

static void
at_csv(const struct api_ctx *a, const struct traffic_pair *top, size_t n,
    struct http_response *r)
{
	const struct model_vm	*s, *d;
	char			*buf = NULL;
	size_t			 len = 0, i;
	FILE			*f = open_memstream(&buf, &len);

	if (f == NULL) {
		api_error(r, 500, "out of memory");
		return;
	}
	fputs("src,src_host,dst,dst_host,bps,cross_host\n", f);
	for (i = 0; i < n; i++) {
		s = model_vm_by_uuid(a->model, top[i].src);
		d = model_vm_by_uuid(a->model, top[i].dst);
		at_csv_cell(f, s ? s->name : NULL, 0);
		at_csv_cell(f, s && s->host ? s->host->name : NULL, 0);
		at_csv_cell(f, d ? d->name : NULL, 0);
		at_csv_cell(f, d && d->host ? d->host->name : NULL, 0);
		fprintf(f, "%.0f,%d\n", top[i].bps, s && d && s->host &&
		    d->host && s->host != d->host);
	}
	fclose(f);
	r->status = 200;
	r->body = buf;
	r->len = len;
	r->content_type = "text/csv; charset=utf-8";
}

void
api_traffic(const struct api_ctx *a, const struct http_request *req,
    struct http_response *r)
{
	const char		*format = http_query_arg(req, "format");
	const char		*topq = http_query_arg(req, "top");
	struct traffic_pair	*top;
	int64_t			 v = API_TRAFFIC_TOP;
	size_t			 n, total;

	if (a->traffic == NULL) {
		api_error(r, 404, "no traffic matrix is kept");
		return;
	}
	if (format == NULL)
		format = "json";
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
		api_error(r, 400, "format must be json or csv");
		return;
	}
	if (topq != NULL && util_parse_i64(topq, 1, API_TRAFFIC_TOP_MAX,
	    &v) < 0) {
		api_error(r, 400, "top must be a whole number from 1 to 1000");
		return;
	}
	if ((top = calloc((size_t)v, sizeof(*top))) == NULL) {
		api_error(r, 500, "out of memory");
		return;
	}
	total = traffic_top(a->traffic, top, (size_t)v);
	n = total < (size_t)v ? total : (size_t)v;
	if (strcmp(format, "csv") == 0)
		at_csv(a, top, n, r);
	else
		at_json(a, top, n, total, r);
	free(top);
}
