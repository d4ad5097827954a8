/* SPDX-License-Identifier: ISC */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>
#include <rrd_client.h>

#include "caphist.h"
#include "forecast.h"
#include "util.h"

#define CAPH_HOST_STEP	300		/* asked for; librrd may give coarser */
#define CAPH_VM_STEP	3600

/* The data sources read, and where each is in a fetch's rows. */
enum { DS_CPU = 0, DS_MEM, DS_RD, DS_WR, DS_RX, DS_TX, DS_CCAP, DS_MCAP,
    NDS };
static const char *const caph_dsname[NDS] = {
	"cpu", "mem", "disk_rd", "disk_wr", "net_rx", "net_tx", "cpu_cap",
	"mem_cap",
};

/* One rrd_fetch_r answer: rows ending at start + (i+1) step. */
struct caph_raw {
	rrd_value_t	*data;
	time_t		 start;
	unsigned long	 step, ds;
	size_t		 rows;
	int		 idx[NDS];	/* column of each DS, -1: none */
};

struct caph_name {
	char		 uuid[40];
	char		 name[CAPH_NAME_LEN];
};

struct caph_names {
	struct caph_name *v;
	size_t		 n;
};

const char *
caph_res_name(enum caph_res r)
{
	static const char *const names[CAPH_NRES] = {
		"cpu", "mem", "disk", "net",
	};

	return (unsigned)r < CAPH_NRES ? names[r] : "?";
}

struct caph *
caph_new(time_t end, unsigned long step, size_t n)
{
	struct caph	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->end = end;
	h->step = step > 0 ? step : 1;
	h->n = n;
	return h;
}

struct caph_host *
caph_add_host(struct caph *h, const char *name)
{
	struct caph_host	*v, *ho;
	size_t			 r, i;

	if ((v = realloc(h->hosts, (h->nhosts + 1) * sizeof(*v))) == NULL)
		return NULL;
	h->hosts = v;
	ho = &v[h->nhosts];
	memset(ho, 0, sizeof(*ho));
	util_strlcpy(ho->name, name, sizeof(ho->name));
	for (r = 0; r < CAPH_NRES; r++) {
		if ((ho->use[r] = malloc((h->n ? h->n : 1) *
		    sizeof(double))) == NULL) {
			while (r-- > 0)
				free(ho->use[r]);
			return NULL;
		}
		for (i = 0; i < h->n; i++)
			ho->use[r][i] = NAN;
	}
	ho->last = h->end;
	ho->current = 1;
	h->nhosts++;
	return ho;
}

struct caph_vm *
caph_add_vm(struct caph *h, const char *uuid, const char *name)
{
	struct caph_vm	*v, *vm;
	size_t		 r;

	if ((v = realloc(h->vms, (h->nvms + 1) * sizeof(*v))) == NULL)
		return NULL;
	h->vms = v;
	vm = &v[h->nvms++];
	memset(vm, 0, sizeof(*vm));
	util_strlcpy(vm->uuid, uuid, sizeof(vm->uuid));
	util_strlcpy(vm->name, name != NULL ? name : uuid, sizeof(vm->name));
	for (r = 0; r < CAPH_NRES; r++)
		vm->avg[r] = vm->p95[r] = NAN;
	vm->last = h->end;
	vm->current = 1;
	return vm;
}

void
caph_free(struct caph *h)
{
	size_t	 i, r;

	if (h == NULL)
		return;
	for (i = 0; i < h->nhosts; i++)
		for (r = 0; r < CAPH_NRES; r++)
			free(h->hosts[i].use[r]);
	free(h->hosts);
	free(h->vms);
	free(h);
}

static int
caph_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
caph_free_list(char **v, size_t n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

/*
 * The "*.rrd" names in dir/sub, sorted, without the suffix.  0 (an
 * absent folder is an empty list), -ENOMEM.
 */
static int
caph_list(const char *dir, const char *sub, char ***out, size_t *n)
{
	char		 path[PATH_MAX], **v = NULL, **nv;
	struct dirent	*de;
	DIR		*d;
	size_t		 len, cap = 0;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".rrd") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		if ((v[*n] = strndup(de->d_name, len - 4)) == NULL)
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), caph_strcmp);
	*out = v;
	return 0;
oom:
	closedir(d);
	caph_free_list(v, *n);
	*n = 0;
	return -ENOMEM;
}

/* Counts a file that cannot be read; keeps the first "FILE: why". */
static void
caph_skip(struct caph *h, const char *file, const char *why)
{
	char	*w = h->skipped_why;
	size_t	 n, len = sizeof(h->skipped_why);

	if (h->skipped++ > 0)
		return;
	if ((n = util_strlcpy(w, file, len)) + 2 < len) {
		util_strlcpy(w + n, ": ", len - n);
		util_strlcpy(w + n + 2, why != NULL ? why : "?", len - n - 2);
	}
}

/* rrd_fetch_r of (start, end] at `step`; 0, or -EIO (skipped). */
static int
caph_fetch(struct caph *h, const char *file, time_t start, time_t end,
    unsigned long step, struct caph_raw *raw)
{
	char		**names = NULL;
	unsigned long	 i, k;
	time_t		 s = start, e = end;

	memset(raw, 0, sizeof(*raw));
	raw->step = step;
	rrd_clear_error();
	if (rrd_fetch_r(file, "AVERAGE", &s, &e, &raw->step, &raw->ds,
	    &names, &raw->data) != 0) {
		caph_skip(h, file, rrd_get_error());
		rrd_clear_error();
		return -EIO;
	}
	for (k = 0; k < NDS; k++)
		raw->idx[k] = -1;
	for (i = 0; i < raw->ds; i++) {
		for (k = 0; k < NDS; k++)
			if (strcmp(names[i], caph_dsname[k]) == 0)
				raw->idx[k] = (int)i;
		free(names[i]);
	}
	free(names);
	raw->start = s;
	raw->rows = raw->step > 0 && e > s ?
	    (size_t)((e - s) / (time_t)raw->step) : 0;
	return 0;
}

/* A data source's value in a row; NaN when absent or unknown. */
static double
caph_ds(const struct caph_raw *raw, size_t row, int ds)
{
	if (raw->idx[ds] < 0)
		return NAN;
	return raw->data[row * raw->ds + (size_t)raw->idx[ds]];
}

/* A resource's value in a row, from its data sources (caphist.h). */
static double
caph_value(const struct caph_raw *raw, size_t row, enum caph_res r)
{
	double	 a, b;

	switch (r) {
	case CAPH_CPU:
		return caph_ds(raw, row, DS_CPU);
	case CAPH_MEM:
		return caph_ds(raw, row, DS_MEM);
	case CAPH_DISK:
		a = caph_ds(raw, row, DS_RD);
		b = caph_ds(raw, row, DS_WR);
		if (isnan(a) && isnan(b))
			return NAN;
		return (isnan(a) ? 0.0 : a) + (isnan(b) ? 0.0 : b);
	default:
		a = caph_ds(raw, row, DS_RX);
		b = caph_ds(raw, row, DS_TX);
		if (isnan(a))
			return b;
		return isnan(b) || a >= b ? a : b;
	}
}

/*
 * Puts a host's rows on the grid: a grid row is the mean of the known
 * values of the rows that end within it.  cnt: n * CAPH_NRES scratch.
 */
static void
caph_spread(const struct caph *h, const struct caph_raw *raw,
    struct caph_host *ho, double *cnt)
{
	time_t	 g0 = h->end - (time_t)(h->n * h->step), t;
	size_t	 j, i, r;
	double	 v, *u;

	memset(cnt, 0, h->n * CAPH_NRES * sizeof(*cnt));
	for (j = 0; j < raw->rows; j++) {
		t = raw->start + (time_t)((j + 1) * raw->step);
		if (t <= g0 || t > h->end)
			continue;
		i = (size_t)((t - g0 + (time_t)h->step - 1) /
		    (time_t)h->step) - 1;
		for (r = 0; r < CAPH_NRES; r++) {
			v = caph_value(raw, j, (enum caph_res)r);
			if (isnan(v))
				continue;
			u = &ho->use[r][i];
			*u = cnt[r * h->n + i]++ > 0.0 ? *u + v : v;
		}
	}
	for (r = 0; r < CAPH_NRES; r++)
		for (i = 0; i < h->n; i++)
			if (cnt[r * h->n + i] > 1.0)
				ho->use[r][i] /= cnt[r * h->n + i];
}

/* The last known capacity of the range. */
static void
caph_capacity(const struct caph_raw *raw, struct caph_host *ho)
{
	size_t	 j;
	double	 c, m;

	for (j = raw->rows; j-- > 0;) {
		c = caph_ds(raw, j, DS_CCAP);
		m = caph_ds(raw, j, DS_MCAP);
		if (ho->cap[CAPH_CPU] == 0.0 && isfinite(c))
			ho->cap[CAPH_CPU] = c;
		if (ho->cap[CAPH_MEM] == 0.0 && isfinite(m))
			ho->cap[CAPH_MEM] = m;
	}
}

static int
caph_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct caph_name *)a)->uuid,
	    ((const struct caph_name *)b)->uuid);
}

/* vms/names.tsv, sorted by UUID; a missing file is an empty map. */
static int
caph_names_load(const char *dir, struct caph_names *nm)
{
	char		 path[PATH_MAX], line[CAPH_NAME_LEN + 64], *tab;
	struct caph_name *v;
	size_t		 cap = 0;
	FILE		*f;

	memset(nm, 0, sizeof(*nm));
	snprintf(path, sizeof(path), "%s/vms/names.tsv", dir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		if (nm->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((v = realloc(nm->v, cap * sizeof(*v))) == NULL) {
				fclose(f);
				return -ENOMEM;
			}
			nm->v = v;
		}
		util_strlcpy(nm->v[nm->n].uuid, line, sizeof(nm->v[0].uuid));
		util_strlcpy(nm->v[nm->n].name, tab + 1, sizeof(nm->v[0].name));
		nm->n++;
	}
	fclose(f);
	if (nm->n > 1)
		qsort(nm->v, nm->n, sizeof(*nm->v), caph_name_cmp);
	return 0;
}

static const char *
caph_names_find(const struct caph_names *nm, const char *uuid)
{
	struct caph_name	 key, *hit;

	if (nm->n == 0)
		return NULL;
	util_strlcpy(key.uuid, uuid, sizeof(key.uuid));
	hit = bsearch(&key, nm->v, nm->n, sizeof(*nm->v), caph_name_cmp);
	return hit != NULL ? hit->name : NULL;
}

static void
caph_tell(const struct caph_opts *o, const char *what, size_t done,
    size_t total)
{
	if (o->progress != NULL)
		o->progress(o->arg, what, done, total);
}

/* The newest last update of the host files; 0 when none is readable. */
static time_t
caph_newest(struct caph *h, const char *dir, char **hosts, size_t n,
    time_t *last)
{
	char	 path[PATH_MAX];
	time_t	 t, newest = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/hosts/%s.rrd", dir, hosts[i]);
		rrd_clear_error();
		if ((t = rrd_last_r(path)) <= 0)
			caph_skip(h, path, rrd_get_error());
		rrd_clear_error();
		last[i] = t > 0 ? t : 0;
		if (last[i] > newest)
			newest = last[i];
	}
	return newest;
}

/* Fetches the hosts with data after `start`; raw[i].data NULL: none. */
static void
caph_fetch_hosts(const struct caph_opts *o, struct caph *h, char **hosts,
    const time_t *last, size_t n, time_t start, struct caph_raw *raw,
    size_t total)
{
	char	 path[PATH_MAX];
	size_t	 i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/hosts/%s.rrd", o->dir,
		    hosts[i]);
		if (last[i] > start) {
			if (o->daemon != NULL &&
			    rrdc_flush_if_daemon(o->daemon, path) != 0)
				rrd_clear_error();	/* on disk is enough */
			if (caph_fetch(h, path, start, h->end, CAPH_HOST_STEP,
			    &raw[i]) == 0)
				h->files++;
		}
		caph_tell(o, "history", i + 1, total);
	}
}

/* The grid: the coarsest step fetched, end on a step, the whole range. */
static int
caph_grid(struct caph *h, const struct caph_raw *raw, size_t n,
    int64_t range_s)
{
	size_t	 i;

	h->step = 0;
	for (i = 0; i < n; i++)
		if (raw[i].data != NULL && raw[i].step > h->step)
			h->step = raw[i].step;
	if (h->step == 0)
		return -ENOENT;
	h->end -= h->end % (time_t)h->step;
	h->n = (size_t)(range_s / (int64_t)h->step);
	if (h->n == 0)
		h->n = 1;
	return 0;
}

/* The hosts' rows and capacity onto the grid. */
static int
caph_make_hosts(struct caph *h, char **hosts, const time_t *last,
    const struct caph_raw *raw, size_t n)
{
	struct caph_host	*ho;
	double			*cnt;
	size_t			 i;

	if ((cnt = malloc(h->n * CAPH_NRES * sizeof(*cnt))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (raw[i].data == NULL)
			continue;
		if ((ho = caph_add_host(h, hosts[i])) == NULL) {
			free(cnt);
			return -ENOMEM;
		}
		caph_spread(h, &raw[i], ho, cnt);
		caph_capacity(&raw[i], ho);
		ho->last = last[i];
		ho->current = last[i] >= h->end - CAPH_CURRENT_S;
	}
	free(cnt);
	return 0;
}

/* A VM's mean and 95th percentile per resource over its rows. */
static int
caph_vm_figures(const struct caph *h, const struct caph_raw *raw,
    struct caph_vm *vm)
{
	double	*col;
	size_t	 j, k, r;
	time_t	 t;

	if ((col = malloc((raw->rows ? raw->rows : 1) * sizeof(*col))) == NULL)
		return -ENOMEM;
	for (r = 0; r < CAPH_NRES; r++) {
		for (j = k = 0; j < raw->rows; j++) {
			t = raw->start + (time_t)((j + 1) * raw->step);
			if (t <= h->end)
				col[k++] = caph_value(raw, j, (enum caph_res)r);
		}
		vm->avg[r] = fc_mean(col, k);
		if (fc_percentile(col, k, 0.95, &vm->p95[r]) < 0)
			vm->p95[r] = NAN;
	}
	free(col);
	return 0;
}

/* One VM file: skipped when it has no data in the range. */
static int
caph_one_vm(const struct caph_opts *o, struct caph *h,
    const struct caph_names *nm, const char *uuid, time_t start)
{
	struct caph_raw	 raw;
	struct caph_vm	*vm;
	char		 path[PATH_MAX];
	time_t		 last;
	int		 rc;

	snprintf(path, sizeof(path), "%s/vms/%s.rrd", o->dir, uuid);
	rrd_clear_error();
	if ((last = rrd_last_r(path)) <= 0)
		caph_skip(h, path, rrd_get_error());
	rrd_clear_error();
	if (last <= start)
		return 0;
	if (caph_fetch(h, path, start, h->end, CAPH_VM_STEP, &raw) < 0)
		return 0;
	h->files++;
	if ((vm = caph_add_vm(h, uuid, caph_names_find(nm, uuid))) == NULL) {
		free(raw.data);
		return -ENOMEM;
	}
	vm->last = last;
	vm->current = last >= h->end - CAPH_CURRENT_S;
	rc = caph_vm_figures(h, &raw, vm);
	free(raw.data);
	return rc;
}

static int
caph_load_vms(const struct caph_opts *o, struct caph *h, char **vms,
    size_t nvms, size_t done, size_t total)
{
	struct caph_names	 nm;
	time_t			 start = h->end - (time_t)(h->n * h->step);
	size_t			 i;
	int			 rc = 0;

	if ((rc = caph_names_load(o->dir, &nm)) < 0)
		return rc;
	for (i = 0; i < nvms && rc == 0; i++) {
		rc = caph_one_vm(o, h, &nm, vms[i], start);
		caph_tell(o, "history", done + i + 1, total);
	}
	free(nm.v);
	return rc;
}

/* Hosts: list, newest update, fetch, grid, rows.  -ENOENT: none. */
static int
caph_load_hosts(const struct caph_opts *o, struct caph *h, char **hosts,
    size_t n, size_t total, char *err, size_t errlen)
{
	struct caph_raw	*raw;
	time_t		*last, newest;
	size_t		 i;
	int		 rc;

	raw = calloc(n ? n : 1, sizeof(*raw));
	last = calloc(n ? n : 1, sizeof(*last));
	if (raw == NULL || last == NULL) {
		free(raw);
		free(last);
		return -ENOMEM;
	}
	newest = caph_newest(h, o->dir, hosts, n, last);
	h->end = o->end > 0 && o->end < newest ? o->end : newest;
	caph_fetch_hosts(o, h, hosts, last, n, h->end - (time_t)o->range_s,
	    raw, total);
	if ((rc = caph_grid(h, raw, n, o->range_s)) == 0)
		rc = caph_make_hosts(h, hosts, last, raw, n);
	else
		snprintf(err, errlen, "no host history in %s/hosts%s%s",
		    o->dir, h->skipped ? ": " : " (is it the balancer's rrd "
		    "directory?)", h->skipped ? h->skipped_why : "");
	for (i = 0; i < n; i++)
		free(raw[i].data);
	free(raw);
	free(last);
	return rc;
}

int
caph_load(const struct caph_opts *o, struct caph **out, char *err,
    size_t errlen)
{
	struct caph	*h;
	char		**hosts = NULL, **vms = NULL;
	size_t		 nh = 0, nv = 0;
	int		 rc;

	*out = NULL;
	if (o->dir == NULL || o->range_s <= 0) {
		snprintf(err, errlen, "no RRD directory or no range");
		return -EINVAL;
	}
	if ((h = caph_new(0, 1, 0)) == NULL)
		return -ENOMEM;
	if ((rc = caph_list(o->dir, "hosts", &hosts, &nh)) < 0 ||
	    (rc = caph_list(o->dir, "vms", &vms, &nv)) < 0)
		goto done;
	rc = caph_load_hosts(o, h, hosts, nh, nh + nv, err, errlen);
	if (rc == 0)
		rc = caph_load_vms(o, h, vms, nv, nh, nh + nv);
done:
	caph_free_list(hosts, nh);
	caph_free_list(vms, nv);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory reading the history");
	if (rc < 0) {
		caph_free(h);
		return rc;
	}
	*out = h;
	return 0;
}
