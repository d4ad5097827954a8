/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "capout.h"
#include "capsum.h"

static json_t *
out_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
out_days(long d)
{
	return d >= 0 ? json_integer(d) : json_null();
}

static json_t *
out_time(time_t t)
{
	struct tm	 tm;
	char		 buf[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static json_t *
out_array(const double *v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++)
		json_array_append_new(a, out_num(v[i]));
	return a;
}

static void
out_set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

/* The figures of one resource in one scenario (capacity.h). */
static json_t *
out_res(const struct cap_res *x, int r)
{
	json_t	*o = json_object();

	out_set(o, "unit", json_string(capsum_unit(r)));
	out_set(o, "capacity_known", json_boolean(x->known));
	out_set(o, "total", out_num(x->known ? x->total : NAN));
	out_set(o, "reserve", out_num(x->known ? x->reserve : NAN));
	out_set(o, "usable", out_num(x->known ? x->usable : NAN));
	out_set(o, "now", out_num(x->now));
	out_set(o, "remaining_now", out_num(x->remaining_now));
	out_set(o, "remaining_now_pct", out_num(x->remaining_now_pct));
	out_set(o, "at_horizon", out_num(x->at_h));
	out_set(o, "at_horizon_upper", out_num(x->at_h_upper));
	out_set(o, "remaining_horizon", out_num(x->remaining_h));
	out_set(o, "remaining_horizon_pct", out_num(x->remaining_h_pct));
	out_set(o, "remaining_horizon_upper", out_num(x->remaining_h_upper));
	out_set(o, "slots_now", out_num(x->slots_now));
	out_set(o, "slots_horizon", out_num(x->slots_h));
	out_set(o, "days_left", out_days(x->days_left));
	out_set(o, "days_left_upper", out_days(x->days_left_upper));
	out_set(o, "beyond_horizon", json_boolean(x->days_left == -1));
	out_set(o, "beyond_horizon_upper",
	    json_boolean(x->days_left_upper == -1));
	out_set(o, "whatif_added", out_num(x->extra));
	return o;
}

/* Adds the history's figures and the forecast of a series to o. */
static void
out_fc(json_t *o, const struct cap_fc *f, int series)
{
	json_object_set_new(o, "avg", out_num(f->avg));
	json_object_set_new(o, "p95", out_num(f->p95));
	json_object_set_new(o, "peak", out_num(f->peak));
	json_object_set_new(o, "forecast_ok", json_boolean(f->ok));
	json_object_set_new(o, "trend_per_day", out_num(f->ok ? f->line.b :
	    NAN));
	json_object_set_new(o, "trend_significant", json_boolean(f->ok &&
	    f->trend_used));
	if (!series)
		return;
	json_object_set_new(o, "daily_p95", out_array(f->daily, f->ndays));
	json_object_set_new(o, "forecast", json_pack("{s:o, s:o, s:o}",
	    "expected", out_array(f->ok ? f->expected : NULL, f->horizon),
	    "upper", out_array(f->ok ? f->upper : NULL, f->horizon),
	    "holt_winters", f->ok ? json_pack("{s:f, s:f, s:o}", "alpha",
	    f->hw.alpha, "gamma", f->hw.gamma, "rmse_day_ahead",
	    out_num(f->hw.rmse)) : json_null()));
}

static json_t *
out_cluster(const struct cap_report *rep, const struct cap_scenario *sc)
{
	json_t	*o = json_object(), *x;
	int	 r;

	for (r = 0; r < CAPH_NRES; r++) {
		x = out_res(&sc->r[r], r);
		out_fc(x, &rep->fc[r], 1);
		json_object_set_new(o, caph_res_name((enum caph_res)r), x);
	}
	return o;
}

static json_t *
out_host(const struct cap_host *h)
{
	json_t	*o, *x;
	int	 r;

	o = json_pack("{s:s, s:b, s:i, s:o, s:o, s:b}", "name", h->name,
	    "added", h->added, "vms_added", (int)h->vms_added,
	    "headroom_pct", out_num(h->headroom_pct),
	    "days_left", out_days(h->days_left),
	    "beyond_horizon", h->days_left == -1);
	for (r = 0; r < CAPH_NRES; r++) {
		x = out_res(&h->r[r], r);
		if (h->fc != NULL)
			out_fc(x, &h->fc[r], 0);
		json_object_set_new(o, caph_res_name((enum caph_res)r), x);
	}
	return o;
}

static json_t *
out_n1(const struct cap_scenario *sc)
{
	return json_pack("{s:b, s:o, s:s, s:o}", "now", sc->n1_now,
	    "horizon", sc->n1_h < 0 ? json_null() : json_boolean(sc->n1_h),
	    "host", sc->n1_host, "short_of", sc->n1_res < 0 ? json_null() :
	    json_string(caph_res_name((enum caph_res)sc->n1_res)));
}

static json_t *
out_res_name(int r)
{
	return r < 0 ? json_null() :
	    json_string(caph_res_name((enum caph_res)r));
}

/* What a scenario has besides the cluster's resources. */
static void
out_scenario(json_t *o, const struct cap_report *rep,
    const struct cap_scenario *sc)
{
	json_t	*hosts = json_array();
	size_t	 i;

	out_set(o, "cluster", out_cluster(rep, sc));
	out_set(o, "slots", json_pack("{s:o, s:o, s:o, s:o}", "now",
	    out_num(sc->slots_now), "horizon", out_num(sc->slots_h),
	    "limited_by_now", out_res_name(sc->slot_res_now),
	    "limited_by_horizon", out_res_name(sc->slot_res_h)));
	out_set(o, "n_plus_1", out_n1(sc));
	out_set(o, "consolidation", json_pack("{s:i, s:i, s:i, s:i, s:s}",
	    "hosts", (int)sc->nhosts, "needed", (int)sc->hosts_needed,
	    "freed", sc->hosts_freed, "reserve",
	    (int)rep->opts.reserve_hosts, "packed",
	    sc->packed_vms ? "VMs by their 95th percentiles" :
	    "the hosts' demand now"));
	for (i = 0; i < sc->nhosts; i++)
		json_array_append_new(hosts, out_host(&sc->hosts[sc->order[i]]));
	out_set(o, "hosts", hosts);
}

static json_t *
out_changes(const struct cap_whatif *wi)
{
	json_t	*add = json_array(), *like = json_array(), *rm = json_array();
	json_t	*nh = json_array();
	size_t	 i;

	for (i = 0; i < wi->nadd; i++)
		json_array_append_new(wi->add[i].like[0] ? like : add,
		    json_pack("{s:s, s:i, s:o, s:o}", "spec", wi->add[i].label,
		    "count", (int)wi->add[i].count, "cpu_mhz",
		    out_num(wi->add[i].size.v[CAPH_CPU]), "mem_bytes",
		    out_num(wi->add[i].size.v[CAPH_MEM])));
	for (i = 0; i < wi->nremove; i++)
		json_array_append_new(rm, json_string(wi->remove[i]));
	for (i = 0; i < wi->nnewhost; i++)
		json_array_append_new(nh, json_pack("{s:s, s:i, s:o, s:o}",
		    "spec", wi->newhost[i].label, "count",
		    (int)wi->newhost[i].count, "cpu_mhz",
		    out_num(wi->newhost[i].cap[CAPH_CPU]), "mem_bytes",
		    out_num(wi->newhost[i].cap[CAPH_MEM])));
	return json_pack("{s:o, s:o, s:o, s:o}", "add", add, "add_like", like,
	    "remove_host", rm, "add_host", nh);
}

static json_t *
out_whatif(const struct cap_report *rep)
{
	const struct cap_scenario	*w = &rep->wi;
	json_t				*o, *first = json_array();
	size_t				 i;

	o = json_pack("{s:o, s:b, s:i}", "changes", out_changes(&rep->opts.wi),
	    "fits", w->fits, "unplaced", (int)w->unplaced);
	for (i = 0; i < w->nhosts && i < 3; i++)
		if (w->hosts[w->order[i]].days_left >= 0 ||
		    w->hosts[w->order[i]].headroom_pct < 0.0)
			json_array_append_new(first,
			    json_string(w->hosts[w->order[i]].name));
	out_set(o, "first_out", first);
	out_scenario(o, rep, w);
	return o;
}

static json_t *
out_assumptions(const struct cap_report *rep)
{
	const struct cap_opts	*o = &rep->opts;
	json_t			*buf = json_object(), *lim = json_object();
	int			 r;

	for (r = 0; r < CAPH_NRES; r++) {
		out_set(buf, caph_res_name((enum caph_res)r),
		    json_real(o->buffer[r]));
		out_set(lim, caph_res_name((enum caph_res)r),
		    json_real(o->limit[r]));
	}
	return json_pack("{s:o, s:s, s:o, s:i, s:f, s:b, s:o, s:o}", "buffer",
	    buf, "buffer_from", o->buffer_from, "policy_limits", lim,
	    "reserve_hosts", (int)o->reserve_hosts, "core_mhz", o->core_mhz,
	    "core_mhz_assumed", o->core_mhz_assumed, "disk_cap_per_host",
	    out_num(o->host_cap[CAPH_DISK] > 0 ? o->host_cap[CAPH_DISK] : NAN),
	    "net_cap_per_host", out_num(o->host_cap[CAPH_NET] > 0 ?
	    o->host_cap[CAPH_NET] : NAN));
}

static json_t *
out_head(const struct cap_report *rep)
{
	json_t		*sum = json_array();
	struct capsum	 s;
	size_t		 i;

	capsum_make(rep, &s);
	for (i = 0; i < s.n; i++)
		json_array_append_new(sum, json_string(s.line[i]));
	return json_pack("{s:s, s:i, s:{s:o, s:o, s:I, s:I, s:i, s:f, s:i, "
	    "s:i, s:i}, s:i, s:{s:b, s:o, s:i, s:i}, s:o, s:o, s:o}",
	    "report", "capacity", "version", 1,
	    "history", "start", out_time(rep->start), "end", out_time(rep->end),
	    "start_unix", (json_int_t)rep->start, "end_unix",
	    (json_int_t)rep->end, "step_s", (int)rep->step, "days",
	    rep->history_days, "hosts", (int)rep->hosts_current, "hosts_gone",
	    (int)rep->hosts_gone, "vms", (int)rep->vms_current,
	    "horizon_days", (int)rep->horizon,
	    "forecast", "ok", rep->forecast_ok, "reason", rep->forecast_ok ?
	    json_null() : json_string(rep->forecast_why), "min_days",
	    CAPFC_MIN_DAYS, "good_days", CAPFC_GOOD_DAYS,
	    "assumptions", out_assumptions(rep),
	    "slot", rep->slot_known ? json_pack("{s:s, s:f, s:f}", "label",
	    rep->slot_label, "cpu_mhz", rep->slot.v[CAPH_CPU], "mem_bytes",
	    rep->slot.v[CAPH_MEM]) : json_null(),
	    "summary", sum);
}

int
capout_json(const struct cap_report *rep, char **text, size_t *len)
{
	json_t	*o;

	*text = NULL;
	if ((o = out_head(rep)) == NULL)
		return -ENOMEM;
	out_scenario(o, rep, &rep->base);
	out_set(o, "whatif", rep->has_whatif ? out_whatif(rep) : json_null());
	if (rep->note[0] != '\0')
		out_set(o, "note", json_string(rep->note));
	*text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (*text == NULL)
		return -ENOMEM;
	*len = strlen(*text);
	return 0;
}

/* A CSV number: empty when unknown. */
static void
csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.15g", v);
	else
		fputs(",", f);
}

static void
csv_days(FILE *f, long d)
{
	if (d >= 0)
		fprintf(f, ",%ld", d);
	else
		fputs(d == -1 ? ",beyond" : ",", f);
}

/* A name, quoted when it holds a comma, a quote or a line break. */
static void
csv_name(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
csv_line(FILE *f, const char *scen, const char *scope, const char *name,
    int r, const struct cap_res *x, const struct cap_fc *fc)
{
	fprintf(f, "%s,%s,", scen, scope);
	csv_name(f, name);
	fprintf(f, ",%s,%s", caph_res_name((enum caph_res)r), capsum_unit(r));
	csv_num(f, x->known ? x->total : NAN);
	csv_num(f, x->known ? x->reserve : NAN);
	csv_num(f, x->known ? x->usable : NAN);
	csv_num(f, fc != NULL ? fc->avg : NAN);
	csv_num(f, fc != NULL ? fc->p95 : NAN);
	csv_num(f, fc != NULL ? fc->peak : NAN);
	csv_num(f, x->now);
	csv_num(f, fc != NULL && fc->ok ? fc->line.b : NAN);
	csv_num(f, x->remaining_now);
	csv_num(f, x->remaining_now_pct);
	csv_num(f, x->at_h);
	csv_num(f, x->at_h_upper);
	csv_num(f, x->remaining_h);
	csv_num(f, x->remaining_h_pct);
	csv_num(f, x->slots_now);
	csv_num(f, x->slots_h);
	csv_days(f, x->days_left);
	csv_days(f, x->days_left_upper);
	fputc('\n', f);
}

static void
csv_scenario(FILE *f, const struct cap_report *rep,
    const struct cap_scenario *sc, const char *scen)
{
	const struct cap_host	*h;
	size_t			 i;
	int			 r;

	for (r = 0; r < CAPH_NRES; r++)
		csv_line(f, scen, "cluster", "cluster", r, &sc->r[r],
		    &rep->fc[r]);
	for (i = 0; i < sc->nhosts; i++) {
		h = &sc->hosts[sc->order[i]];
		for (r = 0; r < CAPH_NRES; r++)
			csv_line(f, scen, "host", h->name, r, &h->r[r],
			    h->fc != NULL ? &h->fc[r] : NULL);
	}
}

int
capout_csv(const struct cap_report *rep, char **text, size_t *len)
{
	FILE	*f;

	*text = NULL;
	if ((f = open_memstream(text, len)) == NULL)
		return -ENOMEM;
	fputs("scenario,scope,name,resource,unit,total,reserve,usable,avg,p95,"
	    "peak,now,trend_per_day,remaining_now,remaining_now_pct,"
	    "at_horizon,at_horizon_upper,remaining_horizon,"
	    "remaining_horizon_pct,slots_now,slots_horizon,days_left,"
	    "days_left_upper\n", f);
	csv_scenario(f, rep, &rep->base, "baseline");
	if (rep->has_whatif)
		csv_scenario(f, rep, &rep->wi, "whatif");
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}
