/* SPDX-License-Identifier: ISC */
/*
 * graph: the history graphs, drawn in memory by librrd's rrd_graph_v()
 * from the files of exporters/rrd.h.
 *
 *   GET /graph/host/NAME.png    /graph/host/NAME.svg
 *   GET /graph/vm/UUID.png      /graph/vm/UUID.svg
 *   GET /graph/cluster.png      /graph/cluster.svg
 *
 * Query parameters (all optional):
 *
 *   metric   host and VM: cpu (default), vcpu_delay, mem, disk, net;
 *            cluster: imbalance (default), hosts, vms, migrations
 *   start    how far back the graph goes from its end: -N followed by
 *            s, min, h, d, w or y (e.g. -1h, -30min, -7d); at least
 *            60 s and at most 10 years; default -1d
 *   width    the whole image's width in pixels, 300 to 3000 (default 800)
 *   height   the whole image's height in pixels, 200 to 2000 (default 300)
 *
 * A graph ends at its file's last update (after asking rrdcached, when
 * there is one, to flush that file), so a trace replayed with old
 * timestamps is drawn where its data is.  Every graph has a title, a
 * vertical axis in base units (Hz, bytes, bytes/s, vCPUs) and a legend
 * with the last, average and maximum values; each resource keeps its
 * colour everywhere (CPU blue, vCPU delay red, memory green, disk
 * read/write orange/brown, network receive/transmit purple/cyan,
 * capacity grey).
 *
 * graph_parse() validates; graph_render() draws.  Neither prints:
 * failures are -errno with a sentence in the caller's buffer.
 */
#ifndef BALLAST_GRAPH_H
#define BALLAST_GRAPH_H

#include <stddef.h>
#include <stdint.h>

enum graph_kind { GRAPH_HOST = 0, GRAPH_VM, GRAPH_CLUSTER };
enum graph_fmt { GRAPH_PNG = 0, GRAPH_SVG };

struct graph_req {
	enum graph_kind	 kind;
	enum graph_fmt	 fmt;
	char		 id[64];	/* host name or canonical VM UUID */
	int		 metric;	/* index in the kind's table */
	int64_t		 span_s;	/* from start= */
	unsigned	 width, height;
};

/* Where the files are; daemon NULL when there is no rrdcached. */
struct graph_env {
	const char	*rrd_dir;
	const char	*daemon;
};

/*
 * Parses `path` (what follows "/graph/": "host/NAME.png",
 * "vm/UUID.svg", "cluster.png") and the query parameters (NULL: the
 * default).  0, or -EINVAL with a sentence for the client in err.
 */
int		 graph_parse(const char *path, const char *metric,
		    const char *start, const char *width, const char *height,
		    struct graph_req *out, char *err, size_t errlen);

/*
 * Draws the graph into a malloc'd image (*img, *len) the caller frees.
 * name, when not NULL, goes into a VM's title with its UUID.  Returns
 * 0, -ENOENT when there is no such file yet, or -EIO with librrd's
 * message in err.
 */
int		 graph_render(const struct graph_env *, const struct graph_req *,
		    const char *name, uint8_t **img, size_t *len, char *err,
		    size_t errlen);

const char	*graph_content_type(enum graph_fmt);

#endif
