/* SPDX-License-Identifier: ISC */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capsum.h"
#include "util.h"

const char *
capsum_unit(int r)
{
	static const char *const u[CAPH_NRES] = {
		"MHz", "bytes", "bytes/s", "bytes/s",
	};

	return r >= 0 && r < CAPH_NRES ? u[r] : "";
}

char *
capsum_amount(char *buf, size_t len, int res, double v)
{
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB" };
	const char	*sfx = res == CAPH_DISK || res == CAPH_NET ? "/s" : "";
	size_t		 i = 0;
	double		 a;

	if (!isfinite(v)) {
		util_strlcpy(buf, "-", len);
		return buf;
	}
	a = fabs(v);
	if (res == CAPH_CPU) {
		if (a >= 1000.0)
			snprintf(buf, len, "%.1f GHz", v / 1000.0);
		else
			snprintf(buf, len, "%.0f MHz", v);
		return buf;
	}
	while (a >= 1024.0 && i + 1 < sizeof(bin) / sizeof(bin[0])) {
		a /= 1024.0;
		v /= 1024.0;
		i++;
	}
	snprintf(buf, len, i == 0 ? "%.0f %s%s" : "%.1f %s%s", v, bin[i], sfx);
	return buf;
}

char *
capsum_when(char *buf, size_t len, const struct cap_report *rep, long days)
{
	struct tm	 tm;
	time_t		 t;
	char		 date[32];

	if (days < 0) {
		snprintf(buf, len, "beyond the %zu-day horizon", rep->horizon);
		return buf;
	}
	if (days == 0) {
		util_strlcpy(buf, "within a day", len);
		return buf;
	}
	t = rep->end + (time_t)days * 86400;
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date),
	    "%Y-%m-%d", &tm) == 0)
		date[0] = '\0';
	snprintf(buf, len, "in about %ld day%s (%s)", days, days == 1 ? "" :
	    "s", date);
	return buf;
}

static void capsum_add(struct capsum *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
capsum_add(struct capsum *s, const char *fmt, ...)
{
	va_list	 ap;

	if (s->n >= CAPSUM_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(s->line[s->n++], CAPSUM_LEN, fmt, ap);
	va_end(ap);
}

/* The first letter of a resource's title in upper case, for a sentence. */
static void
capsum_title(char *buf, size_t len, int r)
{
	util_strlcpy(buf, cap_res_title(r), len);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* When the history is short, say so first and how much is needed. */
static void
capsum_history(const struct cap_report *rep, struct capsum *s)
{
	if (!rep->forecast_ok)
		capsum_add(s, "Not enough history for a forecast: %.1f days of "
		    "it, and a forecast needs at least %d days with data (%d or "
		    "more for a reliable one). Today's figures are shown; time "
		    "remaining is not.", rep->history_days, CAPFC_MIN_DAYS,
		    CAPFC_GOOD_DAYS);
	else if (rep->history_days < CAPFC_GOOD_DAYS)
		capsum_add(s, "The forecast rests on only %.1f days of history: "
		    "read it as rough (%d days or more make it reliable).",
		    rep->history_days, CAPFC_GOOD_DAYS);
}

/* One sentence per resource with a known capacity. */
static void
capsum_resource(const struct cap_report *rep, const struct cap_scenario *sc,
    int r, struct capsum *s)
{
	const struct cap_res	*x = &sc->r[r];
	char			 t[32], a[32], w1[64], w2[64];

	capsum_title(t, sizeof(t), r);
	if (x->remaining_now < 0.0) {
		capsum_add(s, "%s is short already: demand (the 95th percentile "
		    "of the last 7 days) is %s over usable capacity.", t,
		    capsum_amount(a, sizeof(a), r, -x->remaining_now));
		return;
	}
	if (x->days_left == -2) {
		capsum_add(s, "%s: %.0f%% of usable capacity is free today.", t,
		    x->remaining_now_pct);
		return;
	}
	capsum_when(w1, sizeof(w1), rep, x->days_left);
	capsum_when(w2, sizeof(w2), rep, x->days_left_upper);
	if (x->days_left >= 0)
		capsum_add(s, "%s runs out %s; conservatively %s.", t, w1,
		    x->days_left_upper >= 0 ? w2 + (strncmp(w2, "in ", 3) == 0 ?
		    3 : 0) : "no sooner");
	else if (x->days_left_upper >= 0)
		capsum_add(s, "%s is fine for the %zu-day horizon as forecast, "
		    "but could run out %s on the upper band.", t, rep->horizon,
		    w2);
	else
		capsum_add(s, "%s is fine for the %zu-day horizon (%.0f%% of "
		    "usable capacity free at its end).", t, rep->horizon,
		    x->remaining_h_pct);
}

/* Resources without a capacity, in one sentence. */
static void
capsum_unknown(const struct cap_scenario *sc, struct capsum *s)
{
	int	 disk = !sc->r[CAPH_DISK].known, net = !sc->r[CAPH_NET].known;

	if (disk && net)
		capsum_add(s, "Disk I/O and network have no known capacity "
		    "(give --disk-cap and --net-cap): only their use is shown.");
	else if (disk || net)
		capsum_add(s, "%s has no known capacity (give %s): only its "
		    "use is shown.", disk ? "Disk I/O" : "Network",
		    disk ? "--disk-cap" : "--net-cap");
}

static void
capsum_slots(const struct cap_report *rep, const struct cap_scenario *sc,
    struct capsum *s)
{
	char	 c[32], m[32];

	if (!rep->slot_known) {
		capsum_add(s, "No VM history to size a slot by: give --slot "
		    "for capacity remaining in VMs.");
		return;
	}
	if (sc->slot_res_now < 0)
		return;
	capsum_amount(c, sizeof(c), CAPH_CPU, rep->slot.v[CAPH_CPU]);
	capsum_amount(m, sizeof(m), CAPH_MEM, rep->slot.v[CAPH_MEM]);
	if (sc->slot_res_h >= 0)
		capsum_add(s, "Room for %.0f more VMs like %s (%s CPU, %s) "
		    "today, %.0f at the horizon; %s runs out first.",
		    sc->slots_now, rep->slot_label, c, m, sc->slots_h,
		    cap_res_title(sc->slot_res_h));
	else
		capsum_add(s, "Room for %.0f more VMs like %s (%s CPU, %s) "
		    "today; %s runs out first.", sc->slots_now,
		    rep->slot_label, c, m, cap_res_title(sc->slot_res_now));
}

static void
capsum_n1(const struct cap_scenario *sc, const char *who, struct capsum *s)
{
	if (sc->n1_now && sc->n1_h == 1)
		capsum_add(s, "%s can absorb the loss of its largest host, %s, "
		    "today and at the horizon.", who, sc->n1_host);
	else if (sc->n1_now && sc->n1_h == -1)
		capsum_add(s, "%s can absorb the loss of its largest host, %s, "
		    "today.", who, sc->n1_host);
	else if (sc->n1_now)
		capsum_add(s, "%s can absorb the loss of %s today, but not at "
		    "the horizon (%s).", who, sc->n1_host,
		    cap_res_title(sc->n1_res));
	else
		capsum_add(s, "%s cannot absorb the loss of %s today (%s).", who,
		    sc->n1_host, cap_res_title(sc->n1_res));
}

static void
capsum_consolidation(const struct cap_report *rep,
    const struct cap_scenario *sc, struct capsum *s)
{
	const char	*who = sc->packed_vms ? "the VMs need" :
	    "today's demand needs";

	if (sc->hosts_freed > 0)
		capsum_add(s, "Packed within the policy's limits, %s %u of the "
		    "%zu hosts: %d could be freed, keeping %u in reserve.", who,
		    sc->hosts_needed, sc->nhosts, sc->hosts_freed,
		    rep->opts.reserve_hosts);
	else
		capsum_add(s, "No host could be freed: packed within the "
		    "policy's limits, %s %u of the %zu hosts%s.", who,
		    sc->hosts_needed, sc->nhosts, rep->opts.reserve_hosts ?
		    ", besides the reserve" : "");
}

/* The what-if's labels, e.g. "+20x4vcpu:16g:30%, -hv03". */
static void
capsum_labels(const struct cap_whatif *wi, char *buf, size_t len)
{
	size_t	 i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < wi->nadd && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s%s",
		    off ? ", " : "", wi->add[i].like[0] ? "like " : "add ",
		    wi->add[i].label);
	for (i = 0; i < wi->nremove && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%swithout %s",
		    off ? ", " : "", wi->remove[i]);
	for (i = 0; i < wi->nnewhost && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%swith host %s",
		    off ? ", " : "", wi->newhost[i].label);
}

/* The hosts that run out first in a scenario, e.g. "hv02, hv05". */
static void
capsum_first_out(const struct cap_scenario *sc, char *buf, size_t len)
{
	size_t	 i, off = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sc->nhosts && n < 3 && off < len; i++) {
		const struct cap_host *h = &sc->hosts[sc->order[i]];

		if (h->days_left < 0 && !(h->headroom_pct < 0.0))
			break;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    n ? ", " : "", h->name);
		n++;
	}
}

/* The resources a scenario is short of now, e.g. "CPU by 25.1 GHz". */
static void
capsum_short(const struct cap_scenario *sc, char *buf, size_t len)
{
	char	 a[32];
	size_t	 off = 0;
	int	 r;

	buf[0] = '\0';
	for (r = 0; r < CAPH_NRES && off < len; r++)
		if (sc->r[r].known && sc->r[r].remaining_now < 0.0)
			off += (size_t)snprintf(buf + off, len - off, "%s%s by %s",
			    off ? ", " : "", cap_res_title(r), capsum_amount(a,
			    sizeof(a), r, -sc->r[r].remaining_now));
}

static void
capsum_whatif(const struct cap_report *rep, struct capsum *s)
{
	const struct cap_scenario	*w = &rep->wi;
	char				 l[256], f[160], when[64], t[32];
	int				 r;

	capsum_labels(&rep->opts.wi, l, sizeof(l));
	capsum_short(w, f, sizeof(f));
	if (w->fits && f[0] != '\0')
		capsum_add(s, "What-if (%s): it fits on the hosts today, but "
		    "leaves the cluster short of its N+1 reserve and buffer: %s.",
		    l, f);
	else if (w->fits)
		capsum_add(s, "What-if (%s): it fits today.", l);
	else if (w->unplaced > 0)
		capsum_add(s, "What-if (%s): it does not fit: %u of the added "
		    "VMs find no host with room.", l, w->unplaced);
	else
		capsum_add(s, "What-if (%s): it does not fit: the hosts left "
		    "cannot hold today's demand.", l);
	for (r = 0; r <= CAPH_MEM; r++) {
		if (!w->r[r].known || w->r[r].days_left == -2)
			continue;
		util_strlcpy(t, cap_res_title(r), sizeof(t));
		capsum_when(when, sizeof(when), rep, w->r[r].days_left);
		capsum_add(s, "With it, %s %s %s (now: %s).", t,
		    w->r[r].days_left >= 0 ? "runs out" : "lasts", when,
		    rep->base.r[r].days_left >= 0 ? capsum_when(f, sizeof(f),
		    rep, rep->base.r[r].days_left) : "beyond the horizon");
	}
	capsum_first_out(w, f, sizeof(f));
	if (f[0] != '\0')
		capsum_add(s, "With it, the first hosts out of room: %s.", f);
	capsum_n1(w, "With it, the cluster", s);
}

void
capsum_make(const struct cap_report *rep, struct capsum *s)
{
	int	 r;

	memset(s, 0, sizeof(*s));
	capsum_history(rep, s);
	for (r = 0; r < CAPH_NRES; r++)
		if (rep->base.r[r].known)
			capsum_resource(rep, &rep->base, r, s);
	capsum_unknown(&rep->base, s);
	capsum_n1(&rep->base, "The cluster", s);
	capsum_slots(rep, &rep->base, s);
	capsum_consolidation(rep, &rep->base, s);
	if (rep->has_whatif)
		capsum_whatif(rep, s);
}
