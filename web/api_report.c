/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_report.h"
#include "api_util.h"
#include "balance.h"
#include "caphist.h"
#include "caphtml.h"
#include "capacity.h"
#include "capout.h"
#include "capspec.h"

#define REPORT_LIST_LEN	4096	/* one list parameter, copied */

/* Copies of the list parameters, cut at their commas. */
struct report_lists {
	char		 add[REPORT_LIST_LEN], like[REPORT_LIST_LEN];
	char		 rm[REPORT_LIST_LEN], host[REPORT_LIST_LEN];
};

/* Splits a comma-separated parameter into the request's list. */
static int
report_split(const char *v, char *buf, const char **list, size_t *n)
{
	char	*p, *next;

	if (v == NULL)
		return 0;
	if (strlen(v) >= REPORT_LIST_LEN)
		return -E2BIG;
	memcpy(buf, v, strlen(v) + 1);
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (*p != '\0' && capspec_push(list, n, p) < 0)
			return -E2BIG;
	}
	return 0;
}

static int
report_request(const struct http_request *req, struct report_lists *l,
    struct capspec_req *q)
{
	memset(q, 0, sizeof(*q));
	q->range = http_query_arg(req, "range");
	q->horizon = http_query_arg(req, "horizon");
	q->slot = http_query_arg(req, "slot");
	q->buffer = http_query_arg(req, "buffer");
	q->reserve = http_query_arg(req, "reserve");
	q->core_mhz = http_query_arg(req, "core_mhz");
	q->disk_cap = http_query_arg(req, "disk_cap");
	q->net_cap = http_query_arg(req, "net_cap");
	q->end = http_query_arg(req, "end");
	if (report_split(http_query_arg(req, "add"), l->add, q->add,
	    &q->nadd) < 0 || report_split(http_query_arg(req, "add_like"),
	    l->like, q->add_like, &q->nadd_like) < 0 ||
	    report_split(http_query_arg(req, "remove_host"), l->rm,
	    q->remove_host, &q->nremove_host) < 0 ||
	    report_split(http_query_arg(req, "add_host"), l->host, q->add_host,
	    &q->nadd_host) < 0)
		return -E2BIG;
	return 0;
}

static int
report_ucmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median over the hosts of MHz per CPU (nic 0) or NIC bits/s. */
static double
report_median(const struct model *m, int nic)
{
	const struct model_host	*h;
	uint64_t		 v[1024];
	size_t			 i, n = 0;

	for (i = 0; (h = model_host_at(m, i)) != NULL && n < 1024; i++)
		if ((nic ? h->nic_bps : h->cpu_mhz) > 0)
			v[n++] = nic ? h->nic_bps : h->cpu_mhz;
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(v[0]), report_ucmp);
	return (double)v[n / 2];
}

/* The options: the request's words, the policy, the model's hardware. */
static int
report_opts(const struct api_ctx *a, const struct http_request *req,
    struct cap_opts *o, time_t *end, char *err, size_t errlen)
{
	struct report_lists	*l;
	struct capspec_req	 q;
	int			 rc;

	if ((l = malloc(sizeof(*l))) == NULL)
		return -ENOMEM;
	if (report_request(req, l, &q) < 0) {
		snprintf(err, errlen, "too many or too long what-ifs (at most "
		    "%d of each)", CAP_MAX_WHATIF);
		free(l);
		return -EINVAL;
	}
	rc = capspec_apply(&q, a->bal != NULL ? balance_policy(a->bal) : NULL,
	    report_median(a->model, 0), o, end, err, errlen);
	free(l);
	if (rc == 0 && o->host_cap[CAPH_NET] <= 0.0)
		o->host_cap[CAPH_NET] = report_median(a->model, 1) / 8.0;
	return rc;
}

static int
report_render(const char *format, const struct cap_report *rep,
    struct http_response *r)
{
	/* The page has no script and loads nothing: say so to the browser. */
	static const char *const html_headers[] = {
		"Content-Security-Policy",
		"default-src 'none'; style-src 'unsafe-inline'",
		NULL
	};

	if (strcmp(format, "html") == 0) {
		r->content_type = "text/html; charset=utf-8";
		r->headers = html_headers;
		return caphtml_render(rep, &r->body, &r->len);
	}
	if (strcmp(format, "csv") == 0) {
		r->content_type = "text/csv; charset=utf-8";
		return capout_csv(rep, &r->body, &r->len);
	}
	r->content_type = "application/json";
	return capout_json(rep, &r->body, &r->len);
}

void
api_report_capacity(const struct api_ctx *a, const struct http_request *req,
    struct http_response *r)
{
	const char		*format = http_query_arg(req, "format");
	struct caph_opts	 ho;
	struct cap_opts		 o;
	struct cap_report	*rep = NULL;
	struct caph		*h = NULL;
	char			 err[1024];
	time_t			 end;
	int			 rc;

	if (format == NULL)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "html")) {
		api_error(r, 400, "format must be html, csv or json");
		return;
	}
	if (a->rrd == NULL) {
		api_error(r, 404, "no history is kept, so there is no report");
		return;
	}
	if ((rc = report_opts(a, req, &o, &end, err, sizeof(err))) < 0) {
		api_error(r, rc == -ENOMEM ? 500 : 400, rc == -ENOMEM ?
		    "out of memory" : err);
		return;
	}
	memset(&ho, 0, sizeof(ho));
	ho.dir = rrdx_dir(a->rrd);
	ho.daemon = rrdx_daemon(a->rrd);
	ho.end = end;
	ho.range_s = o.range_s;
	if ((rc = caph_load(&ho, &h, err, sizeof(err))) < 0 ||
	    (rc = cap_compute(h, &o, NULL, NULL, &rep, err, sizeof(err))) < 0)
		api_error(r, rc == -ENOENT ? 404 : rc == -EINVAL ? 400 : 500,
		    err);
	else if (report_render(format, rep, r) < 0)
		api_error(r, 500, "out of memory");
	else
		r->status = 200;
	cap_report_free(rep);
	caph_free(h);
}
