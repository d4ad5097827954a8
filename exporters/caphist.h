/* SPDX-License-Identifier: ISC */
/*
 * caphist: the history a capacity report is computed from, read from
 * the RRD files of exporters/rrd.h with librrd (rrd_fetch_r), or built
 * in memory by a test.
 *
 * Hosts: every hosts/NAME.rrd with data in the range, as AVERAGE rows
 * on one time grid: the coarsest step the files give for the range (5
 * minutes for up to a month back from their last update, else 1 hour
 * or 1 day), finer rows averaged onto it.  Per host and row, four
 * resources:
 *
 *   CAPH_CPU    MHz used                  (DS cpu)
 *   CAPH_MEM    bytes used                (DS mem)
 *   CAPH_DISK   bytes/s, read + write     (DS disk_rd + disk_wr)
 *   CAPH_NET    bytes/s, the busier of received and transmitted
 *
 * and its capacity: the last cpu_cap (MHz) and mem_cap (bytes) of the
 * range.  The files hold no disk or network capacity: cap[] is 0 there.
 *
 * VMs: every vms/UUID.rrd with data in the range, read at 1-hour steps
 * and kept as their mean and 95th percentile per resource, with the
 * name vms/names.tsv gives them (else their UUID).
 *
 * A host or VM is current when its file was updated in the last
 * CAPH_CURRENT_S before the end: the others (gone hosts, deleted VMs)
 * count in the history of demand but not in today's capacity or VMs.
 *
 * Nothing here prints: failures are -errno with a sentence in err.
 */
#ifndef BALLAST_CAPHIST_H
#define BALLAST_CAPHIST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CAPH_CURRENT_S	3600
#define CAPH_NAME_LEN	256

enum caph_res { CAPH_CPU = 0, CAPH_MEM, CAPH_DISK, CAPH_NET, CAPH_NRES };

struct caph_host {
	char		 name[CAPH_NAME_LEN];
	double		*use[CAPH_NRES];	/* caph.n rows each, NaN: unknown */
	double		 cap[CAPH_NRES];	/* 0: unknown */
	time_t		 last;			/* the file's last update */
	int		 current;
};

struct caph_vm {
	char		 uuid[40];
	char		 name[CAPH_NAME_LEN];
	double		 avg[CAPH_NRES], p95[CAPH_NRES];	/* NaN: unknown */
	time_t		 last;
	int		 current;
};

struct caph {
	time_t		 end;		/* the end of the last row */
	unsigned long	 step;		/* seconds per row */
	size_t		 n;		/* rows; row i ends at end - (n-1-i) step */
	struct caph_host *hosts;	/* caph_load: sorted by name */
	size_t		 nhosts;
	struct caph_vm	*vms;
	size_t		 nvms;
	size_t		 files;		/* files read */
	size_t		 skipped;	/* files that could not be read */
	char		 skipped_why[512];	/* the first of them, and why */
};

/* Called after each file: what is being read, done of total. */
typedef void	(*caph_progress)(void *arg, const char *what, size_t done,
		    size_t total);

struct caph_opts {
	const char	*dir;		/* the RRD directory (STATE/rrd) */
	const char	*daemon;	/* rrdcached: host files flushed first */
	time_t		 end;		/* 0: the newest host file's last update */
	int64_t		 range_s;	/* how far back, > 0 */
	caph_progress	 progress;	/* NULL: none */
	void		*arg;
};

/*
 * Reads the history.  Returns 0 and a struct the caller frees with
 * caph_free(); -ENOENT when there is no host file with data in the
 * range (err says where it looked), -EINVAL for bad options, -ENOMEM.
 * A file librrd cannot read is skipped and counted, not fatal.
 */
int		 caph_load(const struct caph_opts *, struct caph **out,
		    char *err, size_t errlen);

/*
 * An empty history of n rows of `step` seconds ending at `end`, to be
 * filled with caph_add_host() and caph_add_vm() (tests, tools).  NULL
 * when out of memory.
 */
struct caph	*caph_new(time_t end, unsigned long step, size_t n);
/*
 * A new host with every row NaN and no capacity, or a new VM with every
 * figure NaN; NULL when out of memory.  The pointer is good until the
 * next addition of the same kind.
 */
struct caph_host *caph_add_host(struct caph *, const char *name);
struct caph_vm	*caph_add_vm(struct caph *, const char *uuid,
		    const char *name);
void		 caph_free(struct caph *);

const char	*caph_res_name(enum caph_res);	/* "cpu", "mem", ... */

#endif
