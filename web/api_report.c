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

/* A query argument of the request (capspec_get_fn). */
static const char *
report_arg(void *arg, const char *key)
{
	return http_query_arg(arg, key);
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
	struct capspec_lists	*l;
	struct capspec_req	 q;
	int			 rc;

	if ((l = malloc(sizeof(*l))) == NULL)
		return -ENOMEM;
	if (capspec_request(&q, l, report_arg, (void *)(uintptr_t)req) < 0) {
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
