/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caphtml.h"
#include "capsum.h"
#include "capsvg.h"

static const char html_style[] =
	"body{font-family:system-ui,sans-serif;margin:24px auto;max-width:"
	"1100px;color:#222;padding:0 16px}"
	"h1{margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ccc}"
	".meta{color:#555;margin-top:0}"
	"#summary li{margin:4px 0}"
	".warning{background:#fff3cd;border:1px solid #e0b84c;padding:8px 12px}"
	"table{border-collapse:collapse;width:100%;font-size:13px}"
	"th,td{border:1px solid #ddd;padding:4px 6px;text-align:right}"
	"th:first-child,td:first-child{text-align:left}"
	"th{background:#f4f4f4}"
	"td.ok{background:#d9f2d9}td.warn{background:#fde9b5}"
	"td.short{background:#f8c9c9}td.unknown{color:#888}"
	"figure{margin:16px 0}figcaption{color:#555;font-size:13px}"
	"svg.plot{max-width:100%;height:auto;border:1px solid #eee}"
	"dt{font-weight:bold}dd{margin:0 0 6px 16px}";

/* The entity of a character HTML needs escaped, or NULL. */
static const char *
html_entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

static void
html_esc(FILE *f, const char *s)
{
	const char	*e;

	for (; *s != '\0'; s++)
		if ((e = html_entity(*s)) != NULL)
			fputs(e, f);
		else
			fputc(*s, f);
}

static const char *
html_date(char *buf, size_t len, time_t t)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

/* "12 days", "> 90 days" or "-". */
static const char *
html_days(char *buf, size_t len, const struct cap_report *rep, long d)
{
	if (d >= 0)
		snprintf(buf, len, "%ld day%s", d, d == 1 ? "" : "s");
	else if (d == -1)
		snprintf(buf, len, "&gt; %zu days", rep->horizon);
	else
		snprintf(buf, len, "-");
	return buf;
}

static const char *
html_pct(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.0f%%", v);
	else
		snprintf(buf, len, "-");
	return buf;
}

static const char *
html_count(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* The colour class of a share of usable capacity left. */
static const char *
html_class(double pct)
{
	if (!isfinite(pct))
		return "unknown";
	return pct < 0.0 ? "short" : pct < 20.0 ? "warn" : "ok";
}

static void
html_head(FILE *f, const struct cap_report *rep)
{
	char	 a[40], b[40];

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width, initial-scale=1\"><title>Capacity report - ballast"
	    "</title><style>%s</style></head>\n<body>\n<header><h1>Capacity "
	    "report</h1><p class=\"meta\">History from %s to %s (%.1f days; "
	    "%zu hosts, %zu VMs); horizon %zu days.</p></header>\n",
	    html_style, html_date(a, sizeof(a), rep->end -
	    (time_t)(rep->history_days * 86400.0)),
	    html_date(b, sizeof(b), rep->end), rep->history_days,
	    rep->hosts_current, rep->vms_current, rep->horizon);
}

static void
html_summary(FILE *f, const struct cap_report *rep)
{
	struct capsum	 s;
	size_t		 i;

	capsum_make(rep, &s);
	fputs("<section id=\"summary\"><h2>Summary</h2>\n", f);
	if (!rep->forecast_ok) {
		fputs("<p class=\"warning\" id=\"short-history\">", f);
		html_esc(f, rep->forecast_why);
		fputs(".</p>\n", f);
	}
	fputs("<ul>\n", f);
	for (i = 0; i < s.n; i++) {
		fputs("<li>", f);
		html_esc(f, s.line[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul></section>\n", f);
}

/* One resource's row of the cluster table. */
static void
html_cluster_row(FILE *f, const struct cap_report *rep,
    const struct cap_scenario *sc, int r)
{
	const struct cap_fc	*fc = &rep->fc[r];
	const struct cap_res	*x = &sc->r[r];
	char			 b[12][48];

	fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td>%s%s</td><td>%s</td><td>%s</td>",
	    cap_res_title(r), capsum_amount(b[0], 48, r, fc->avg),
	    capsum_amount(b[1], 48, r, fc->p95),
	    capsum_amount(b[2], 48, r, fc->peak),
	    capsum_amount(b[3], 48, r, x->now),
	    fc->ok ? capsum_amount(b[4], 48, r, fc->line.b) : "-",
	    fc->ok ? (fc->trend_used ? "/day" : "/day (not significant)") : "",
	    capsum_amount(b[5], 48, r, x->known ? x->total : NAN),
	    capsum_amount(b[6], 48, r, x->known ? x->usable : NAN));
	fprintf(f, "<td class=\"%s\">%s (%s)</td><td>%s / %s</td>"
	    "<td class=\"%s\">%s</td><td>%s / %s</td><td>%s / %s</td></tr>\n",
	    html_class(x->remaining_now_pct),
	    capsum_amount(b[7], 48, r, x->remaining_now),
	    html_pct(b[8], 48, x->remaining_now_pct),
	    capsum_amount(b[9], 48, r, x->at_h),
	    capsum_amount(b[10], 48, r, x->at_h_upper),
	    html_class(x->remaining_h_pct), html_pct(b[11], 48,
	    x->remaining_h_pct), html_count(b[0], 48, x->slots_now),
	    html_count(b[1], 48, x->slots_h), html_days(b[2], 48, rep,
	    x->days_left), html_days(b[3], 48, rep, x->days_left_upper));
}

static void
html_cluster(FILE *f, const struct cap_report *rep)
{
	int	 r;

	fputs("<section id=\"cluster\"><h2>Cluster</h2>\n<table><tr><th>"
	    "resource</th><th>mean</th><th>p95</th><th>peak</th><th>now (p95, "
	    "7 days)</th><th>trend</th><th>total</th><th>usable</th><th>free "
	    "now</th><th>at horizon (expected / conservative)</th><th>free at "
	    "horizon</th><th>VM slots (now / horizon)</th><th>time left "
	    "(expected / conservative)</th></tr>\n", f);
	for (r = 0; r < CAPH_NRES; r++)
		html_cluster_row(f, rep, &rep->base, r);
	fputs("</table></section>\n", f);
}

static void
html_plots(FILE *f, const struct cap_report *rep)
{
	int	 r;

	fputs("<section id=\"plots\"><h2>History and forecast</h2>\n", f);
	for (r = 0; r < CAPH_NRES; r++) {
		fprintf(f, "<figure><h3>%s</h3>\n", cap_res_title(r));
		capsvg_plot(f, rep, &rep->base, r);
		fprintf(f, "<figcaption>The cluster's %s: hourly means and "
		    "daily 95th percentiles of the history, then the forecast "
		    "daily 95th percentile with its band up to the conservative "
		    "estimate%s.</figcaption></figure>\n", cap_res_title(r),
		    rep->base.r[r].known ? "; the dashed red line is usable "
		    "capacity" : "; no capacity is known for it");
	}
	fputs("</section>\n", f);
}

/* One host's cell for a resource: now / usable and the share free. */
static void
html_host_cell(FILE *f, const struct cap_res *x, int r)
{
	char	 a[48], b[48], c[16];

	fprintf(f, "<td class=\"%s\">%s / %s (%s free)</td>",
	    html_class(x->remaining_now_pct), capsum_amount(a, sizeof(a), r,
	    x->now), capsum_amount(b, sizeof(b), r, x->known ? x->usable : NAN),
	    html_pct(c, sizeof(c), x->remaining_now_pct));
}

static void
html_hosts(FILE *f, const struct cap_report *rep,
    const struct cap_scenario *sc, const char *id, const char *title)
{
	const struct cap_host	*h;
	char			 d[48];
	size_t			 i;
	int			 r;

	fprintf(f, "<section id=\"%s\"><h2>%s</h2>\n<table><tr><th>host"
	    "</th>", id, title);
	for (r = 0; r < CAPH_NRES; r++)
		fprintf(f, "<th>%s: now / usable</th>", cap_res_title(r));
	fprintf(f, "<th>time left</th>%s</tr>\n", sc == &rep->wi ?
	    "<th>VMs added</th>" : "");
	for (i = 0; i < sc->nhosts; i++) {
		h = &sc->hosts[sc->order[i]];
		fputs("<tr><td>", f);
		html_esc(f, h->name);
		fprintf(f, "%s</td>", h->added ? " (added)" : "");
		for (r = 0; r < CAPH_NRES; r++)
			html_host_cell(f, &h->r[r], r);
		fprintf(f, "<td>%s</td>", html_days(d, sizeof(d), rep,
		    h->days_left));
		if (sc == &rep->wi)
			fprintf(f, "<td>%u</td>", h->vms_added);
		fputs("</tr>\n", f);
	}
	fputs("</table></section>\n", f);
}

/* Baseline and what-if side by side, per resource with a capacity. */
static void
html_whatif(FILE *f, const struct cap_report *rep)
{
	const struct cap_scenario	*b = &rep->base, *w = &rep->wi;
	char				 s[8][48];
	int				 r;

	fputs("<section id=\"whatif\"><h2>What-if</h2>\n<p>", f);
	if (w->fits && w->r[CAPH_CPU].remaining_now >= 0.0 &&
	    w->r[CAPH_MEM].remaining_now >= 0.0)
		fputs("<strong>It fits</strong>: every added VM finds a host "
		    "with room today", f);
	else if (w->fits)
		fputs("<strong>It fits on the hosts</strong> today, but leaves "
		    "the cluster short of its N+1 reserve and buffer (see free "
		    "now)", f);
	else
		fprintf(f, "<strong>It does not fit</strong>: %u added VM%s "
		    "find no host with room, or the hosts left cannot hold "
		    "today's demand", w->unplaced, w->unplaced == 1 ? "" : "s");
	fprintf(f, ". The cluster %s absorb the loss of ", w->n1_now ?
	    "can" : "cannot");
	html_esc(f, w->n1_host);
	fputs(" with it.</p>\n<table><tr><th>resource</th><th>free now: "
	    "baseline</th><th>free now: what-if</th><th>time left: baseline"
	    "</th><th>time left: what-if</th><th>conservative: what-if</th>"
	    "</tr>\n", f);
	for (r = 0; r < CAPH_NRES; r++) {
		if (!b->r[r].known)
			continue;
		fprintf(f, "<tr><td>%s</td><td class=\"%s\">%s</td><td "
		    "class=\"%s\">%s</td><td>%s</td><td>%s</td><td>%s</td>"
		    "</tr>\n", cap_res_title(r),
		    html_class(b->r[r].remaining_now_pct),
		    capsum_amount(s[0], 48, r, b->r[r].remaining_now),
		    html_class(w->r[r].remaining_now_pct),
		    capsum_amount(s[1], 48, r, w->r[r].remaining_now),
		    html_days(s[2], 48, rep, b->r[r].days_left),
		    html_days(s[3], 48, rep, w->r[r].days_left),
		    html_days(s[4], 48, rep, w->r[r].days_left_upper));
	}
	fputs("</table></section>\n", f);
	html_hosts(f, rep, w, "whatif-hosts", "What-if: hosts, first out of "
	    "room first");
}

static void
html_checks(FILE *f, const struct cap_report *rep)
{
	const struct cap_scenario	*b = &rep->base;

	fputs("<section id=\"n1\"><h2>N+1</h2><p>", f);
	fprintf(f, "The largest host whose loss matters is <strong>");
	html_esc(f, b->n1_host);
	fprintf(f, "</strong>. Without it, the other hosts' usable capacity "
	    "%s today's demand and %s the forecast at the horizon.</p>"
	    "</section>\n", b->n1_now ? "holds" : "does <strong>not</strong> "
	    "hold", b->n1_h == 1 ? "holds" : b->n1_h == 0 ? "does <strong>"
	    "not</strong> hold" : "cannot yet be said to hold (no forecast)");
	fprintf(f, "<section id=\"consolidation\"><h2>Consolidation</h2><p>"
	    "Packed first-fit by %s within the policy's limits (CPU %.0f%%, "
	    "memory %.0f%% of each host), the cluster needs %u of its %zu "
	    "hosts: <strong>%d</strong> could be freed, keeping %u in reserve."
	    "</p></section>\n", b->packed_vms ? "the VMs' 95th percentiles" :
	    "today's demand", 100.0 * rep->opts.limit[CAPH_CPU],
	    100.0 * rep->opts.limit[CAPH_MEM], b->hosts_needed, b->nhosts,
	    b->hosts_freed, rep->opts.reserve_hosts);
}

static void
html_assumptions(FILE *f, const struct cap_report *rep)
{
	const struct cap_opts	*o = &rep->opts;
	char			 a[48], c[48];

	fprintf(f, "<section id=\"assumptions\"><h2>How it is computed</h2>"
	    "<dl><dt>Usable capacity</dt><dd>(total - the %u largest host%s, "
	    "the N+1 reserve) x (1 - buffer); buffer from %s: CPU %.0f%%, "
	    "memory %.0f%%, disk %.0f%%, network %.0f%%.</dd>", o->reserve_hosts,
	    o->reserve_hosts == 1 ? "" : "s", o->buffer_from,
	    100 * o->buffer[CAPH_CPU], 100 * o->buffer[CAPH_MEM],
	    100 * o->buffer[CAPH_DISK], 100 * o->buffer[CAPH_NET]);
	fprintf(f, "<dt>Demand</dt><dd>Now: the 95th percentile of the last 7 "
	    "days. Trend: least squares on the daily 95th percentiles, used "
	    "when significant. Seasonal forecast: Holt-Winters on hourly means "
	    "with a daily season. Conservative: the trend's 95%% prediction "
	    "bound added.</dd><dt>Time left</dt><dd>Whole days until the "
	    "forecast daily 95th percentile first passes usable capacity.</dd>");
	fputs("<dt>VM slots</dt><dd>Free capacity in VMs like ", f);
	html_esc(f, rep->slot_known ? rep->slot_label : "(no VM history)");
	fprintf(f, ": %s CPU, %s memory.</dd><dt>vCPU</dt><dd>%.0f MHz%s.</dd>"
	    "</dl>",
	    capsum_amount(a, sizeof(a), CAPH_CPU, rep->slot.v[CAPH_CPU]),
	    capsum_amount(c, sizeof(c), CAPH_MEM, rep->slot.v[CAPH_MEM]),
	    o->core_mhz, o->core_mhz_assumed ? " (assumed: give --core-mhz)" :
	    "");
	if (rep->note[0] != '\0') {
		fputs("<p class=\"warning\">", f);
		html_esc(f, rep->note);
		fputs("</p>", f);
	}
	fputs("</section>\n", f);
}

int
caphtml_render(const struct cap_report *rep, char **text, size_t *len)
{
	FILE	*f;

	*text = NULL;
	if ((f = open_memstream(text, len)) == NULL)
		return -ENOMEM;
	html_head(f, rep);
	html_summary(f, rep);
	if (rep->has_whatif)
		html_whatif(f, rep);
	html_cluster(f, rep);
	html_plots(f, rep);
	html_hosts(f, rep, &rep->base, "hosts", "Hosts, first out of room "
	    "first");
	html_checks(f, rep);
	html_assumptions(f, rep);
	fputs("<footer><p class=\"meta\">ballast capacity report</p></footer>"
	    "\n</body></html>\n", f);
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}
