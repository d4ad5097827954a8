/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "graph.h"
#include "rrd.h"
#include "util.h"

#define GRAPH_MAX_SERIES	3
#define GRAPH_MAX_ARGS		64
#define GRAPH_MIN_SPAN_S	60
#define GRAPH_MAX_SPAN_S	(10LL * 366 * 86400)

/* Colours per resource, the same in every graph. */
#define C_CPU	"#1F77B4"
#define C_DELAY	"#D62728"
#define C_MEM	"#2CA02C"
#define C_RD	"#FF7F0E"
#define C_WR	"#8C564B"
#define C_RX	"#9467BD"
#define C_TX	"#17BECF"
#define C_CAP	"#7F7F7F"
#define C_IMB	"#E377C2"
#define C_HOSTS	"#000000"
#define C_VMS	"#BCBD22"

struct graph_series {
	const char	*ds;
	double		 scale;		/* to base units */
	const char	*draw;		/* AREA, LINE1, LINE2 */
	const char	*color;
	const char	*legend;
};

struct graph_metric {
	const char		*name, *title, *vlabel;
	int			 base1024;
	struct graph_series	 s[GRAPH_MAX_SERIES];
};

static const struct graph_metric graph_vm_metrics[] = {
	{ "cpu", "CPU", "Hz", 0,
	  { { "cpu", 1e6, "AREA", C_CPU, "CPU used" } } },
	{ "vcpu_delay", "vCPU delay", "vCPUs waiting", 0,
	  { { "vcpu_delay", 1, "AREA", C_DELAY, "vCPU delay" } } },
	{ "mem", "memory", "bytes", 1,
	  { { "mem", 1, "AREA", C_MEM, "memory used" } } },
	{ "disk", "disk", "bytes/s", 0,
	  { { "disk_rd", 1, "LINE2", C_RD, "read" },
	    { "disk_wr", 1, "LINE2", C_WR, "write" } } },
	{ "net", "network", "bytes/s", 0,
	  { { "net_rx", 1, "LINE2", C_RX, "received" },
	    { "net_tx", 1, "LINE2", C_TX, "transmitted" } } },
};

static const struct graph_metric graph_host_metrics[] = {
	{ "cpu", "CPU", "Hz", 0,
	  { { "cpu", 1e6, "AREA", C_CPU, "CPU used" },
	    { "cpu_cap", 1e6, "LINE1", C_CAP, "capacity" } } },
	{ "vcpu_delay", "vCPU delay", "vCPUs waiting", 0,
	  { { "vcpu_delay", 1, "AREA", C_DELAY, "vCPU delay" } } },
	{ "mem", "memory", "bytes", 1,
	  { { "mem", 1, "AREA", C_MEM, "memory used" },
	    { "mem_cap", 1, "LINE1", C_CAP, "capacity" } } },
	{ "disk", "disk", "bytes/s", 0,
	  { { "disk_rd", 1, "LINE2", C_RD, "read" },
	    { "disk_wr", 1, "LINE2", C_WR, "write" } } },
	{ "net", "network", "bytes/s", 0,
	  { { "net_rx", 1, "LINE2", C_RX, "received" },
	    { "net_tx", 1, "LINE2", C_TX, "transmitted" } } },
};

static const struct graph_metric graph_cluster_metrics[] = {
	{ "imbalance", "imbalance", "CV of host CPU", 0,
	  { { "imbalance", 1, "LINE2", C_IMB, "imbalance" } } },
	{ "hosts", "hosts", "hosts", 0,
	  { { "hosts", 1, "LINE1", C_HOSTS, "hosts" },
	    { "hot_hosts", 1, "LINE2", C_DELAY, "hot (CPU over 80 pct)" },
	    { "stale_hosts", 1, "LINE2", C_CAP, "stale" } } },
	{ "vms", "VMs", "VMs", 0,
	  { { "vms", 1, "LINE2", C_VMS, "VMs" } } },
	{ "migrations", "migrations", "per hour", 0,
	  { { "migrations", 3600, "LINE2", C_CPU, "migrations per hour" } } },
};

static const struct graph_metric *
graph_metrics(enum graph_kind k, size_t *n)
{
	switch (k) {
	case GRAPH_HOST:
		*n = sizeof(graph_host_metrics) / sizeof(graph_host_metrics[0]);
		return graph_host_metrics;
	case GRAPH_VM:
		*n = sizeof(graph_vm_metrics) / sizeof(graph_vm_metrics[0]);
		return graph_vm_metrics;
	default:
		*n = sizeof(graph_cluster_metrics) /
		    sizeof(graph_cluster_metrics[0]);
		return graph_cluster_metrics;
	}
}

const char *
graph_content_type(enum graph_fmt f)
{
	return f == GRAPH_SVG ? "image/svg+xml" : "image/png";
}

/* Splits "NAME.png" into the id and the format. */
static int
graph_object(const char *s, struct graph_req *g, char *err, size_t errlen)
{
	const char	*dot = strrchr(s, '.');
	size_t		 n;

	if (dot == NULL || (strcmp(dot, ".png") != 0 && strcmp(dot, ".svg"))) {
		snprintf(err, errlen, "a graph is NAME.png or NAME.svg");
		return -EINVAL;
	}
	g->fmt = strcmp(dot, ".svg") == 0 ? GRAPH_SVG : GRAPH_PNG;
	n = (size_t)(dot - s);
	if (n >= sizeof(g->id)) {
		snprintf(err, errlen, "the name is too long");
		return -EINVAL;
	}
	memcpy(g->id, s, n);
	g->id[n] = '\0';
	return 0;
}

static int
graph_path(const char *path, struct graph_req *g, char *err, size_t errlen)
{
	char	 scratch[PATH_MAX];
	uint8_t	 u[16];

	if (strcmp(path, "cluster.png") == 0 || strcmp(path, "cluster.svg") == 0) {
		g->kind = GRAPH_CLUSTER;
		return graph_object(path, g, err, errlen);
	}
	if (strncmp(path, "host/", 5) == 0) {
		g->kind = GRAPH_HOST;
		if (graph_object(path + 5, g, err, errlen) < 0)
			return -EINVAL;
		if (rrdx_path("", RRDX_HOST, g->id, scratch, sizeof(scratch)) < 0) {
			snprintf(err, errlen, "not a host name (letters, digits, "
			    "'.', '_' and '-')");
			return -EINVAL;
		}
		return 0;
	}
	if (strncmp(path, "vm/", 3) == 0) {
		g->kind = GRAPH_VM;
		if (graph_object(path + 3, g, err, errlen) < 0)
			return -EINVAL;
		if (util_uuid_parse(g->id, u) < 0) {
			snprintf(err, errlen, "not a UUID (want 8-4-4-4-12 hex "
			    "digits)");
			return -EINVAL;
		}
		util_uuid_fmt(u, g->id);
		return 0;
	}
	snprintf(err, errlen, "no such graph; try /graph/cluster.png, "
	    "/graph/host/NAME.png or /graph/vm/UUID.png");
	return -EINVAL;
}

/* "-N" and a unit into seconds. */
static int
graph_span(const char *s, int64_t *out)
{
	static const struct { const char *u; int64_t s; } units[] = {
		{ "s", 1 }, { "min", 60 }, { "h", 3600 }, { "d", 86400 },
		{ "w", 7 * 86400 }, { "y", 365 * 86400 },
	};
	char	 num[16];
	size_t	 n, i;
	int64_t	 v;

	if (s[0] != '-')
		return -EINVAL;
	n = strspn(s + 1, "0123456789");
	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s + 1, n);
	num[n] = '\0';
	if (util_parse_i64(num, 1, 1000000000, &v) < 0)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s + 1 + n, units[i].u) == 0) {
			if (v > GRAPH_MAX_SPAN_S / units[i].s ||
			    v * units[i].s < GRAPH_MIN_SPAN_S)
				return -ERANGE;
			*out = v * units[i].s;
			return 0;
		}
	return -EINVAL;
}

static int
graph_size(const char *s, const char *what, int64_t min, int64_t max,
    unsigned *out, char *err, size_t errlen)
{
	int64_t	 v;

	if (s == NULL)
		return 0;
	if (util_parse_i64(s, min, max, &v) < 0) {
		snprintf(err, errlen, "%s must be a whole number of pixels from "
		    "%lld to %lld", what, (long long)min, (long long)max);
		return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

int
graph_parse(const char *path, const char *metric, const char *start,
    const char *width, const char *height, struct graph_req *g, char *err,
    size_t errlen)
{
	const struct graph_metric	*t;
	size_t				 n, i, off;

	memset(g, 0, sizeof(*g));
	g->span_s = 86400;
	g->width = 800;
	g->height = 300;
	if (graph_path(path, g, err, errlen) < 0)
		return -EINVAL;
	t = graph_metrics(g->kind, &n);
	if (metric != NULL) {
		for (i = 0; i < n && strcmp(metric, t[i].name) != 0; i++)
			continue;
		if (i == n) {
			off = (size_t)snprintf(err, errlen, "metric must be one "
			    "of:");
			for (i = 0; i < n && off < errlen; i++)
				off += (size_t)snprintf(err + off, errlen - off,
				    " %s", t[i].name);
			return -EINVAL;
		}
		g->metric = (int)i;
	}
	if (start != NULL && graph_span(start, &g->span_s) < 0) {
		snprintf(err, errlen, "start must be -N followed by s, min, h, "
		    "d, w or y (e.g. -1h, -7d), from 60 s to 10 years back");
		return -EINVAL;
	}
	if (graph_size(width, "width", 300, 3000, &g->width, err, errlen) < 0 ||
	    graph_size(height, "height", 200, 2000, &g->height, err,
	    errlen) < 0)
		return -EINVAL;
	return 0;
}

/* The file path with ':' escaped, as a DEF wants it. */
static void
graph_escape_path(const char *p, char *out, size_t len)
{
	size_t	 n = 0;

	for (; *p != '\0' && n + 3 < len; p++) {
		if (*p == ':' || *p == '\\')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n] = '\0';
}

struct graph_args {
	const char	*argv[GRAPH_MAX_ARGS];
	char		 buf[GRAPH_MAX_ARGS][PATH_MAX + 64];
	int		 argc;
};

static void graph_arg(struct graph_args *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
graph_arg(struct graph_args *a, const char *fmt, ...)
{
	va_list	 ap;

	if (a->argc >= GRAPH_MAX_ARGS)
		return;
	va_start(ap, fmt);
	vsnprintf(a->buf[a->argc], sizeof(a->buf[a->argc]), fmt, ap);
	va_end(ap);
	a->argv[a->argc] = a->buf[a->argc];
	a->argc++;
}

static void
graph_series_args(struct graph_args *a, const struct graph_series *s,
    int i, const char *file)
{
	graph_arg(a, "DEF:r%d=%s:%s:AVERAGE", i, file, s->ds);
	graph_arg(a, "DEF:m%d=%s:%s:MAX", i, file, s->ds);
	graph_arg(a, "CDEF:v%d=r%d,%.17g,*", i, i, s->scale);
	graph_arg(a, "CDEF:x%d=m%d,%.17g,*", i, i, s->scale);
	graph_arg(a, "%s:v%d%s:%-12s", s->draw, i, s->color, s->legend);
	graph_arg(a, "GPRINT:v%d:LAST:last %%7.2lf %%s", i);
	graph_arg(a, "GPRINT:v%d:AVERAGE:avg %%7.2lf %%s", i);
	graph_arg(a, "GPRINT:x%d:MAX:max %%7.2lf %%s\\l", i);
}

static void
graph_build(struct graph_args *a, const struct graph_req *g,
    const struct graph_metric *m, const char *file, const char *name,
    time_t end)
{
	char	 esc[2 * PATH_MAX];
	int	 i;

	graph_escape_path(file, esc, sizeof(esc));
	graph_arg(a, "graphv");
	graph_arg(a, "-");
	graph_arg(a, "--imgformat=%s", g->fmt == GRAPH_SVG ? "SVG" : "PNG");
	graph_arg(a, "--width=%u", g->width);
	graph_arg(a, "--height=%u", g->height);
	graph_arg(a, "--full-size-mode");
	graph_arg(a, "--start=%lld", (long long)(end - g->span_s));
	graph_arg(a, "--end=%lld", (long long)end);
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "--vertical-label=%s", m->vlabel);
	if (m->base1024)
		graph_arg(a, "--base=1024");
	if (g->kind == GRAPH_CLUSTER)
		graph_arg(a, "--title=cluster: %s", m->title);
	else if (g->kind == GRAPH_VM && name != NULL)
		graph_arg(a, "--title=%s (%s): %s", name, g->id, m->title);
	else
		graph_arg(a, "--title=%s: %s", g->id, m->title);
	for (i = 0; i < GRAPH_MAX_SERIES && m->s[i].ds != NULL; i++)
		graph_series_args(a, &m->s[i], i, esc);
}

/* Copies the "image" blob out of rrd_graph_v's answer. */
static int
graph_image(rrd_info_t *info, uint8_t **img, size_t *len)
{
	for (; info != NULL; info = info->next)
		if (strcmp(info->key, "image") == 0 && info->type == RD_I_BLO) {
			if ((*img = malloc(info->value.u_blo.size)) == NULL)
				return -ENOMEM;
			memcpy(*img, info->value.u_blo.ptr,
			    info->value.u_blo.size);
			*len = info->value.u_blo.size;
			return 0;
		}
	return -EIO;
}

int
graph_render(const struct graph_env *env, const struct graph_req *g,
    const char *name, uint8_t **img, size_t *len, char *err, size_t errlen)
{
	static const enum rrdx_kind kinds[] = { RRDX_HOST, RRDX_VM, RRDX_CLUSTER };
	const struct graph_metric	*t;
	struct graph_args		*a;
	rrd_info_t			*info;
	char				 file[PATH_MAX];
	time_t				 end;
	size_t				 n;
	int				 rc;

	*img = NULL;
	*len = 0;
	t = graph_metrics(g->kind, &n);
	if (rrdx_path(env->rrd_dir, kinds[g->kind], g->id, file,
	    sizeof(file)) < 0 || access(file, R_OK) != 0) {
		snprintf(err, errlen, "no history for this %s yet",
		    g->kind == GRAPH_HOST ? "host" : g->kind == GRAPH_VM ?
		    "VM" : "cluster");
		return -ENOENT;
	}
	if (env->daemon != NULL && rrdc_flush_if_daemon(env->daemon, file) != 0)
		rrd_clear_error();	/* rrdcached away: draw what is on disk */
	rrd_clear_error();
	if ((end = rrd_last_r(file)) <= 0) {
		snprintf(err, errlen, "%s: %s", file, rrd_get_error());
		rrd_clear_error();
		return -EIO;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -ENOMEM;
	graph_build(a, g, &t[g->metric < (int)n ? g->metric : 0], file, name,
	    end);
	info = rrd_graph_v(a->argc, (char **)(uintptr_t)a->argv);
	free(a);
	if (info == NULL) {
		snprintf(err, errlen, "cannot draw the graph: %s",
		    rrd_get_error());
		rrd_clear_error();
		return -EIO;
	}
	rc = graph_image(info, img, len);
	rrd_info_free(info);
	if (rc < 0)
		snprintf(err, errlen, "librrd returned no image");
	return rc;
}
