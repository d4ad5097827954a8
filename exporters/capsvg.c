/* SPDX-License-Identifier: ISC */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capsum.h"
#include "capsvg.h"

#define SVG_W		880
#define SVG_H		280
#define SVG_ML		84	/* room for the value labels */
#define SVG_MR		16
#define SVG_MT		28	/* room for the legend */
#define SVG_MB		40	/* room for the dates */

/* Colours per resource, as in the graphs of web/graph.c. */
static const char *const svg_color[CAPH_NRES] = {
	"#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD",
};

/* The plot's domain: seconds across, the resource's units up. */
struct svg_plot {
	double		 t0, t1, v1;
	time_t		 end;
	int		 res;
};

static double
svg_x(const struct svg_plot *p, double t)
{
	return SVG_ML + (t - p->t0) / (p->t1 - p->t0) *
	    (SVG_W - SVG_ML - SVG_MR);
}

static double
svg_y(const struct svg_plot *p, double v)
{
	if (v < 0.0)
		v = 0.0;
	return SVG_MT + (1.0 - v / p->v1) * (SVG_H - SVG_MT - SVG_MB);
}

static void
svg_max(double *m, const double *v, size_t n, double extra)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++)
		if (isfinite(v[i]) && v[i] + extra > *m)
			*m = v[i] + extra;
}

/* The domain: the range and the horizon; 0 to above the highest value. */
static void
svg_domain(struct svg_plot *p, const struct cap_report *rep,
    const struct cap_scenario *sc, int res)
{
	const struct cap_fc	*f = &rep->fc[res];
	const struct cap_res	*x = &sc->r[res];
	double			 m = 0.0, lim;
	double			 days = ceil(f->history_days);

	p->res = res;
	p->end = rep->end;
	p->t0 = (double)rep->end - (days > 1.0 ? days : 1.0) * 86400.0;
	p->t1 = (double)rep->end + (double)rep->horizon * 86400.0;
	svg_max(&m, f->hourly, f->nhours, 0.0);
	svg_max(&m, f->daily, f->ndays, 0.0);
	if (x->known)
		svg_max(&m, &x->total, 1, 0.0);
	lim = 3.0 * m;		/* a wild forecast does not flatten the rest */
	if (f->ok)
		svg_max(&m, f->upper, f->horizon, x->extra);
	if (lim > 0.0 && m > lim)
		m = lim;
	p->v1 = m > 0.0 ? m * 1.08 : 1.0;
}

/* Value grid lines and their labels. */
static void
svg_yaxis(FILE *f, const struct svg_plot *p)
{
	char	 label[32];
	double	 v, y;
	int	 i;

	for (i = 0; i <= 4; i++) {
		v = p->v1 * i / 4.0;
		y = svg_y(p, v);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/>", SVG_ML, y, SVG_W - SVG_MR, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
		    "font-size=\"11\" fill=\"#444\">%s</text>\n", SVG_ML - 6,
		    y + 4, capsum_amount(label, sizeof(label), p->res, v));
	}
}

/* Date ticks, at most about ten, on whole days. */
static void
svg_xaxis(FILE *f, const struct svg_plot *p)
{
	static const int steps[] = { 1, 2, 5, 7, 14, 30, 61, 91, 182, 365 };
	double		 days = (p->t1 - p->t0) / 86400.0, x;
	char		 label[16];
	struct tm	 tm;
	time_t		 t;
	size_t		 i;
	int		 step = 730;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (days / steps[i] <= 10.0) {
			step = steps[i];
			break;
		}
	t = (time_t)p->t0 - (time_t)p->t0 % 86400 + 86400;
	for (; (double)t <= p->t1; t += (time_t)step * 86400) {
		x = svg_x(p, (double)t);
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(label, sizeof(label), "%b %d", &tm) == 0)
			continue;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">%s"
		    "</text>\n", x, SVG_MT, x, SVG_H - SVG_MB, x,
		    SVG_H - SVG_MB + 16, label);
	}
}

/* A line through points spaced `step` apart, the last at `last`. */
static void
svg_line(FILE *f, const struct svg_plot *p, const char *cls,
    const char *style, const double *v, size_t n, double last, double step)
{
	size_t	 i;
	int	 pen = 0;

	fprintf(f, "<path class=\"%s\" fill=\"none\" %s d=\"", cls, style);
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			pen = 0;
			continue;
		}
		fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', svg_x(p, last -
		    (double)(n - 1 - i) * step), svg_y(p, v[i]));
		pen = 1;
	}
	fputs("\"/>\n", f);
}

/* Steps, one level per day from `from`: days[i] + extra over day i. */
static void
svg_steps(FILE *f, const struct svg_plot *p, const double *v, size_t n,
    double from, double extra, int back, int pen)
{
	size_t	 k, i;
	double	 a, b;

	for (k = 0; k < n; k++) {
		i = back ? n - 1 - k : k;
		if (!isfinite(v[i])) {
			pen = 0;
			continue;
		}
		a = svg_x(p, from + (double)(back ? i + 1 : i) * 86400.0);
		b = svg_x(p, from + (double)(back ? i : i + 1) * 86400.0);
		fprintf(f, "%c%.1f %.1fL%.1f %.1f", pen ? 'L' : 'M', a,
		    svg_y(p, v[i] + extra), b, svg_y(p, v[i] + extra));
		pen = 1;
	}
}

/* The forecast: the band up to the conservative value, the expected. */
static void
svg_forecast(FILE *f, const struct svg_plot *p, const struct cap_fc *fc,
    double extra, const char *color)
{
	fprintf(f, "<path class=\"band\" fill=\"%s\" fill-opacity=\"0.18\" "
	    "stroke=\"none\" d=\"", color);
	svg_steps(f, p, fc->upper, fc->horizon, (double)p->end, extra, 0, 0);
	svg_steps(f, p, fc->expected, fc->horizon, (double)p->end, extra, 1, 1);
	fputs("Z\"/>\n", f);
	fprintf(f, "<path class=\"fc\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" stroke-dasharray=\"6 3\" d=\"", color);
	svg_steps(f, p, fc->expected, fc->horizon, (double)p->end, extra, 0, 0);
	fputs("\"/>\n", f);
}

static void
svg_hline(FILE *f, const struct svg_plot *p, const char *cls, double v,
    const char *style)
{
	fprintf(f, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
	    "y2=\"%.1f\" %s/>\n", cls, SVG_ML, svg_y(p, v), SVG_W - SVG_MR,
	    svg_y(p, v), style);
}

static void
svg_legend(FILE *f, const char *color, int forecast)
{
	fprintf(f, "<g font-size=\"11\" fill=\"#333\">"
	    "<rect x=\"%d\" y=\"8\" width=\"14\" height=\"3\" fill=\"%s\" "
	    "fill-opacity=\"0.5\"/><text x=\"%d\" y=\"13\">hourly mean</text>"
	    "<rect x=\"%d\" y=\"8\" width=\"14\" height=\"3\" fill=\"%s\"/>"
	    "<text x=\"%d\" y=\"13\">daily p95</text>", SVG_ML, color,
	    SVG_ML + 18, SVG_ML + 110, color, SVG_ML + 128);
	if (forecast)
		fprintf(f, "<rect x=\"%d\" y=\"5\" width=\"14\" height=\"9\" "
		    "fill=\"%s\" fill-opacity=\"0.25\"/><text x=\"%d\" y=\"13\">"
		    "forecast p95, band to conservative</text>", SVG_ML + 210,
		    color, SVG_ML + 228);
	fprintf(f, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"10\" "
	    "stroke=\"#D62728\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
	    "<text x=\"%d\" y=\"13\">usable</text>"
	    "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"10\" stroke=\"#7F7F7F\"/>"
	    "<text x=\"%d\" y=\"13\">total</text></g>\n", SVG_ML + 460,
	    SVG_ML + 474, SVG_ML + 478, SVG_ML + 530, SVG_ML + 544,
	    SVG_ML + 548);
}

void
capsvg_plot(FILE *f, const struct cap_report *rep,
    const struct cap_scenario *sc, int res)
{
	const struct cap_fc	*fc = &rep->fc[res];
	const struct cap_res	*x = &sc->r[res];
	const char		*c = svg_color[res];
	struct svg_plot		 p;
	char			 style[96];

	svg_domain(&p, rep, sc, res);
	fprintf(f, "<svg class=\"plot\" id=\"plot-%s\" role=\"img\" "
	    "aria-label=\"%s: history and forecast\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "font-family=\"sans-serif\">\n", caph_res_name((enum caph_res)res),
	    cap_res_title(res), SVG_W, SVG_H, SVG_W, SVG_H);
	svg_yaxis(f, &p);
	svg_xaxis(f, &p);
	fprintf(f, "<clipPath id=\"clip-%s\"><rect x=\"%d\" y=\"%d\" "
	    "width=\"%d\" height=\"%d\"/></clipPath><g clip-path=\""
	    "url(#clip-%s)\">\n", caph_res_name((enum caph_res)res), SVG_ML,
	    SVG_MT, SVG_W - SVG_ML - SVG_MR, SVG_H - SVG_MT - SVG_MB,
	    caph_res_name((enum caph_res)res));
	snprintf(style, sizeof(style), "stroke=\"%s\" stroke-opacity=\"0.45\" "
	    "stroke-width=\"1\"", c);
	svg_line(f, &p, "hist", style, fc->hourly, fc->nhours,
	    (double)rep->end - 1800.0, 3600.0);
	fprintf(f, "<path class=\"p95\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" d=\"", c);
	svg_steps(f, &p, fc->daily, fc->ndays, (double)rep->end -
	    (double)fc->ndays * 86400.0, 0.0, 0, 0);
	fputs("\"/>\n", f);
	if (fc->ok)
		svg_forecast(f, &p, fc, x->extra, c);
	else
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
		    "fill=\"#a33\">no forecast</text>\n", svg_x(&p,
		    (double)rep->end) + 8, SVG_MT + 20);
	if (x->known) {
		svg_hline(f, &p, "total", x->total, "stroke=\"#7F7F7F\"");
		svg_hline(f, &p, "usable", x->usable, "stroke=\"#D62728\" "
		    "stroke-width=\"2\" stroke-dasharray=\"4 3\"");
	}
	fputs("</g>\n", f);
	fprintf(f, "<line class=\"now\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
	    "y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"2 2\"/>\n",
	    svg_x(&p, (double)rep->end), SVG_MT, svg_x(&p, (double)rep->end),
	    SVG_H - SVG_MB);
	svg_legend(f, c, fc->ok);
	fputs("</svg>\n", f);
}
