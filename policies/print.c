/* SPDX-License-Identifier: ISC */
/*
 * policy_print(): a policy back in the grammar of ballast.policy(5),
 * every setting explicit, in a fixed order, so that printing what it
 * prints parses to a policy that prints the same text.  An empty list
 * (windows, rules, pins, maintenance) is a comment.
 */
#include <stdio.h>

#include "policy.h"
#include "units.h"

/* Writes s in double quotes, with '"' and '\' escaped. */
static void
print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
print_sel(FILE *f, const struct policy_sel *sel)
{
	size_t	 i;

	for (i = 0; i < sel->n && i < POLICY_MAX_GLOBS; i++) {
		fputc(' ', f);
		print_quoted(f, sel->globs[i]);
	}
}

static void
print_when(const struct policy *p, FILE *f)
{
	char	 buf[UNITS_BUF];
	size_t	 i;

	fprintf(f, "mode %s\n", policy_mode_name(p->mode));
	for (i = 0; i < p->nwindows && i < POLICY_MAX_WINDOWS; i++) {
		units_fmt_window(p->windows[i].from_min, p->windows[i].to_min,
		    buf, sizeof(buf));
		fprintf(f, "window %s %s\n", buf,
		    policy_mode_name(p->windows[i].mode));
	}
	if (p->nwindows == 0)
		fputs("# no windows: the mode holds all day\n", f);
	units_fmt_duration((uint64_t)p->interval_s * 1000, buf, sizeof(buf));
	fprintf(f, "interval %s\n", buf);
}

static void
print_threshold(FILE *f, const char *kw, const char *cmp, int r,
    const struct policy_threshold *th)
{
	char	 pct[UNITS_BUF], dur[UNITS_BUF];

	if (!th->set) {
		fprintf(f, "%s %s off\n", kw, policy_res_name(r));
		return;
	}
	units_fmt_percent(th->level, pct, sizeof(pct));
	units_fmt_duration((uint64_t)th->for_s * 1000, dur, sizeof(dur));
	fprintf(f, "%s %s %s %s for %s\n", kw, policy_res_name(r), cmp, pct,
	    dur);
}

static void
print_levels(const struct policy *p, FILE *f)
{
	char	 pct[UNITS_BUF];
	int	 r;

	for (r = 0; r < POLICY_NRES; r++) {
		print_threshold(f, "hot", "above", r, &p->hot[r]);
		print_threshold(f, "cool", "below", r, &p->cool[r]);
	}
	units_fmt_percent(p->mem_headroom, pct, sizeof(pct));
	fprintf(f, "headroom mem %s\n", pct);
}

static void
print_imbalance(const struct policy *p, FILE *f)
{
	int	 r;

	fputs("imbalance {\n", f);
	for (r = 0; r < POLICY_NRES; r++)
		fprintf(f, "\tweight %s %.10g\n", policy_res_name(r),
		    p->weight[r]);
	fprintf(f, "\ttarget %.10g\n", p->imbalance_target);
	fprintf(f, "\tmin-benefit %.10g\n", p->min_benefit);
	fputs("}\n", f);
}

static void
print_migration(const struct policy *p, FILE *f)
{
	char	 buf[UNITS_BUF];

	fputs("migration {\n", f);
	units_fmt_rate(p->bandwidth, buf, sizeof(buf));
	fprintf(f, "\tbandwidth %s\n", buf);
	units_fmt_duration(p->max_downtime_ms, buf, sizeof(buf));
	fprintf(f, "\tmax-downtime %s\n", buf);
	fprintf(f, "\tper-pass %u\n", p->per_pass);
	fprintf(f, "\tper-host %u\n", p->per_host);
	units_fmt_duration((uint64_t)p->cooldown_s * 1000, buf, sizeof(buf));
	fprintf(f, "\tcooldown %s\n", buf);
	units_fmt_duration((uint64_t)p->timeout_s * 1000, buf, sizeof(buf));
	fprintf(f, "\ttimeout %s\n", buf);
	fprintf(f, "\tretries %u\n", p->retries);
	fprintf(f, "\tmake-room %s\n", p->make_room ? "on" : "off");
	fputs("}\n", f);
	fprintf(f, "risk peak-weight %.10g\n", p->peak_weight);
	units_fmt_percent(p->partial_headroom, buf, sizeof(buf));
	fprintf(f, "relief partial-headroom %s\n", buf);
}

static void
print_reserve(const struct policy *p, FILE *f)
{
	char	 pct[UNITS_BUF];
	int	 r;

	fprintf(f, "reserve n+%d\n", p->reserve_n1 ? 1 : 0);
	for (r = 0; r < POLICY_NRES; r++) {
		units_fmt_percent(p->reserve[r], pct, sizeof(pct));
		fprintf(f, "reserve %s %s\n", policy_res_name(r), pct);
	}
}

static void
print_rule(const struct policy_rule *r, FILE *f)
{
	static const char *const kinds[] = {
		"affinity", "anti-affinity", "run", "avoid"
	};
	unsigned	 k = (unsigned)r->kind;
	int		 hosts = r->kind == POLICY_VM_HOST ||
			    r->kind == POLICY_NOT_VM_HOST;

	fputs("rule ", f);
	print_quoted(f, r->name);
	fprintf(f, " %s %s vms", r->strength == POLICY_MUST ? "must" :
	    "should", k < 4 ? kinds[k] : "?");
	print_sel(f, &r->vms);
	if (hosts) {
		fputs(" on hosts", f);
		print_sel(f, &r->hosts);
	}
	fputc('\n', f);
}

static void
print_keep(const struct policy_keep *k, FILE *f)
{
	char	 rate[UNITS_BUF];

	if (!k->set) {
		fputs("# no keep-together\n", f);
		return;
	}
	units_fmt_rate(k->min_bps, rate, sizeof(rate));
	fprintf(f, "keep-together traffic above %s weight %g\n", rate,
	    k->weight);
}

static void
print_placement(const struct policy *p, FILE *f)
{
	size_t	 i;

	for (i = 0; i < p->nrules && i < POLICY_MAX_RULES; i++)
		print_rule(&p->rules[i], f);
	if (p->nrules == 0)
		fputs("# no rules\n", f);
	if (p->pinned.n > 0) {
		fputs("pin vms", f);
		print_sel(f, &p->pinned);
		fputc('\n', f);
	} else
		fputs("# no pinned VMs\n", f);
	print_keep(&p->keep_together, f);
	if (p->maintenance.n > 0) {
		fputs("maintenance hosts", f);
		print_sel(f, &p->maintenance);
		fputc('\n', f);
	} else
		fputs("# no hosts in maintenance\n", f);
}

void
policy_print(const struct policy *p, FILE *f)
{
	print_when(p, f);
	fputc('\n', f);
	print_levels(p, f);
	fputc('\n', f);
	print_imbalance(p, f);
	fputc('\n', f);
	print_migration(p, f);
	fputc('\n', f);
	print_reserve(p, f);
	fputc('\n', f);
	print_placement(p, f);
}
