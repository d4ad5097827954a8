/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"

static int
fc_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
fc_percentile(const double *v, size_t n, double p, double *out)
{
	double	*w;
	size_t	 i, k = 0, rank;

	if (!(p > 0.0 && p <= 1.0))
		return -EINVAL;
	if ((w = malloc((n > 0 ? n : 1) * sizeof(*w))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			w[k++] = v[i];
	if (k == 0) {
		free(w);
		return -ENODATA;
	}
	qsort(w, k, sizeof(*w), fc_cmp);
	rank = (size_t)ceil(p * (double)k - 1e-9);
	*out = w[rank > 0 ? rank - 1 : 0];
	free(w);
	return 0;
}

double
fc_mean(const double *v, size_t n)
{
	double	 sum = 0.0;
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			sum += v[i];
			k++;
		}
	return k > 0 ? sum / (double)k : NAN;
}

double
fc_max(const double *v, size_t n)
{
	double	 m = NAN;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && !(v[i] <= m))
			m = v[i];
	return m;
}

/* Critical values, dof 1 to 30, then the normal limit approached as 1/dof. */
static const double fc_t95_tab[30] = {
	6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
	1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
	1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
};
static const double fc_t975_tab[30] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

static double
fc_t(const double tab[30], double z, size_t dof)
{
	if (dof == 0)
		dof = 1;
	if (dof <= 30)
		return tab[dof - 1];
	return z + (tab[29] - z) * 30.0 / (double)dof;
}

double
fc_t95(size_t dof)
{
	return fc_t(fc_t95_tab, 1.645, dof);
}

double
fc_t975(size_t dof)
{
	return fc_t(fc_t975_tab, 1.960, dof);
}

int
fc_lsq(const double *y, size_t n, struct fc_line *out)
{
	struct fc_line	 l;
	double		 sy = 0.0, sx = 0.0, sxy = 0.0, sse = 0.0, r;
	size_t		 i;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < n; i++)
		if (isfinite(y[i])) {
			sx += (double)i;
			sy += y[i];
			l.n++;
		}
	if (l.n < FC_MIN_LSQ)
		return -ENODATA;
	l.xbar = sx / (double)l.n;
	for (i = 0; i < n; i++)
		if (isfinite(y[i])) {
			l.sxx += ((double)i - l.xbar) * ((double)i - l.xbar);
			sxy += ((double)i - l.xbar) * (y[i] - sy / (double)l.n);
		}
	if (l.sxx <= 0.0)
		return -ENODATA;
	l.b = sxy / l.sxx;
	l.a = sy / (double)l.n - l.b * l.xbar;
	for (i = 0; i < n; i++)
		if (isfinite(y[i])) {
			r = y[i] - (l.a + l.b * (double)i);
			sse += r * r;
		}
	l.s = sqrt(sse / (double)(l.n - 2));
	l.se_b = l.s / sqrt(l.sxx);
	/* A perfect line has no error: any slope it has is real. */
	l.significant = l.se_b > 1e-12 * (fabs(l.b) + fabs(l.a)) ?
	    fabs(l.b) / l.se_b > fc_t975(l.n - 2) : l.b != 0.0;
	*out = l;
	return 0;
}

double
fc_line_at(const struct fc_line *l, double x)
{
	return l->a + l->b * x;
}

double
fc_line_band(const struct fc_line *l, double x)
{
	double	 d = x - l->xbar;

	return fc_t95(l->n - 2) * l->s *
	    sqrt(1.0 + 1.0 / (double)l->n + d * d / l->sxx);
}

/* The mean of the finite values of y[from..to-1], NaN if none. */
static double
fc_span_mean(const double *y, size_t from, size_t to)
{
	return fc_mean(y + from, to - from);
}

/* The state after the first season, from the first two (see forecast.h). */
static int
fc_hw_init(const double *y, size_t m, int trend, struct fc_hw *w)
{
	double	 m1 = fc_span_mean(y, 0, m), m2 = fc_span_mean(y, m, 2 * m);
	double	 c = ((double)m - 1.0) / 2.0;
	size_t	 i;

	if (!isfinite(m1) || !isfinite(m2))
		return -ENODATA;
	w->trend = trend ? (m2 - m1) / (double)m : 0.0;
	w->level = m1 + w->trend * c;
	for (i = 0; i < m; i++)
		w->season[i] = isfinite(y[i]) ?
		    y[i] - (m1 + w->trend * ((double)i - c)) : 0.0;
	return 0;
}

/* One observation at t (NaN: carried over). */
static void
fc_hw_step(struct fc_hw *w, double y, size_t t)
{
	double	*s = &w->season[t % w->m], l;

	if (!isfinite(y)) {
		w->level += w->trend;
		return;
	}
	l = w->alpha * (y - *s) + (1.0 - w->alpha) * (w->level + w->trend);
	w->trend = w->beta * (l - w->level) + (1.0 - w->beta) * w->trend;
	*s = w->gamma * (y - l) + (1.0 - w->gamma) * *s;
	w->level = l;
}

int
fc_hw_run(const double *y, size_t n, size_t m, double alpha, double beta,
    double gamma, size_t h, struct fc_hw *out)
{
	struct fc_hw	 w;
	double		 rl[FC_MAX_SEASON], rb[FC_MAX_SEASON], e;
	size_t		 t;

	if (m < 1 || m > FC_MAX_SEASON || h < 1 || h > m || n < 2 * m ||
	    !(alpha > 0.0 && alpha < 1.0) || !(gamma > 0.0 && gamma < 1.0) ||
	    !(beta >= 0.0 && beta < 1.0))
		return -EINVAL;
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.h = h;
	w.alpha = alpha;
	w.beta = beta;
	w.gamma = gamma;
	if (fc_hw_init(y, m, beta > 0.0, &w) < 0)
		return -ENODATA;
	/* rl/rb[t % h]: the state after observation t (m-1: the start). */
	rl[(m - 1) % h] = w.level;
	rb[(m - 1) % h] = w.trend;
	for (t = m; t < n; t++) {
		if (t >= m - 1 + h && isfinite(y[t])) {
			e = y[t] - (rl[t % h] + (double)h * rb[t % h] +
			    w.season[t % m]);
			w.sse += e * e;
			w.nerr++;
		}
		fc_hw_step(&w, y[t], t);
		rl[t % h] = w.level;
		rb[t % h] = w.trend;
	}
	w.n = n;
	w.rmse = w.nerr > 0 ? sqrt(w.sse / (double)w.nerr) : 0.0;
	*out = w;
	return 0;
}

int
fc_hw_fit(const double *y, size_t n, size_t m, size_t h, int trend,
    struct fc_hw *out)
{
	static const double alphas[] = { .01, .02, .05, .1, .2, .3, .5, .7 };
	static const double gammas[] = { .05, .1, .2, .3, .5 };
	static const double betas[] = { .01, .05, .1, .2 };
	struct fc_hw	 w, best;
	double		 tol = 0.0;
	size_t		 i, j, k, nb = trend ? 4 : 1;
	int		 rc, have = 0;

	/* Errors within rounding of the data's own size are a tie. */
	for (i = 0; i < n; i++)
		if (isfinite(y[i]))
			tol += y[i] * y[i];
	tol *= 1e-12;
	memset(&best, 0, sizeof(best));
	for (i = 0; i < sizeof(alphas) / sizeof(alphas[0]); i++)
		for (k = 0; k < nb; k++)
			for (j = 0; j < sizeof(gammas) / sizeof(gammas[0]);
			    j++) {
				rc = fc_hw_run(y, n, m, alphas[i],
				    trend ? betas[k] : 0.0, gammas[j], h, &w);
				if (rc < 0)
					return rc;
				if (!have || w.sse < best.sse * (1.0 - 1e-9) -
				    tol) {
					best = w;
					have = 1;
				}
			}
	*out = best;
	return 0;
}

double
fc_hw_forecast(const struct fc_hw *w, size_t k)
{
	return w->level + (double)k * w->trend +
	    w->season[(w->n - 1 + k) % w->m];
}
