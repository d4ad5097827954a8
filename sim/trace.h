/* SPDX-License-Identifier: ISC */
/*
 * trace: per-VM workload traces in the GWA-T-12 Bitbrains format,
 * resampled onto fixed slots.
 *
 * A trace set is what the simulator replays: for each VM and each slot,
 * the demand in effect during that slot.  Following the balancing-quality
 * model, slot = floor(ts / slot_s); a VM's value in a slot is that of its
 * last row in the slot; a slot with no row has value 0 and present = 0.
 * The synthetic generator (synth.h) produces the same structure.
 */
#ifndef BALLAST_TRACE_H
#define BALLAST_TRACE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The longest span of one VM or of a set, in slots: 2^20 slots of
 * 300 s are about ten years.  A VM's arrays take 25 bytes a slot over
 * its whole span, so a file of a few rows far apart must not be able
 * to ask for more (2^24, the bound before, let two rows 160 years
 * apart take 420 MB); a row beyond it is counted as a bad field.
 */
#define TRACE_MAX_SLOTS	((size_t)1 << 20)

/* Metrics kept per slot, in trace units. */
enum trace_metric {
	TRACE_CPU_MHZ = 0,	/* CPU usage [MHZ] */
	TRACE_MEM_KB,		/* Memory usage [KB] */
	TRACE_DISK_RD_KBS,	/* Disk read throughput [KB/s] */
	TRACE_DISK_WR_KBS,	/* Disk write throughput [KB/s] */
	TRACE_NET_RX_KBS,	/* Network received throughput [KB/s] */
	TRACE_NET_TX_KBS,	/* Network transmitted throughput [KB/s] */
	TRACE_NMETRICS
};

struct trace_vm {
	char		 name[32];	/* "vm-N" for file N.csv */
	unsigned	 number;	/* N of N.csv; synthetic: index + 1 */
	unsigned	 cores;		/* last nonzero "CPU cores"; at least 1 */
	double		 cpu_cap_mhz;	/* CPU capacity provisioned [MHZ] */
	double		 mem_cap_kb;	/* Memory capacity provisioned [KB] */
	float		*v[TRACE_NMETRICS];	/* each nslots long */
	uint8_t		*present;	/* 1 where the slot had a row */
};

/* Rows read and skipped, by reason, so a loader can say what it dropped. */
struct trace_stats {
	uint64_t	 files;
	uint64_t	 rows;		/* data rows read */
	uint64_t	 used;		/* rows that set a slot */
	uint64_t	 bad_fields;	/* wrong field count or unparsable number */
	uint64_t	 negative;	/* a negative or non-finite value */
	uint64_t	 zero_cores;	/* rows with 0 CPU cores (kept, cores from an earlier row) */
	uint64_t	 out_of_order;	/* timestamp before an earlier row's slot */
	uint64_t	 empty_files;	/* files with no usable row (VM left out) */
};

struct trace_set {
	struct trace_vm	*vms;		/* in numeric file order */
	size_t		 nvms;
	int64_t		 slot0;		/* first slot number (ts / slot_s) */
	size_t		 nslots;	/* slots from slot0 to the last row's slot */
	unsigned	 slot_s;	/* slot length in seconds: 300 for Bitbrains */
	struct trace_stats stats;
	char		 source[256];	/* the path or "synthetic seed N" */
};

/*
 * Loads every "N.csv" below `path`: a folder, or a .tar, .tar.gz or
 * .tar.xz archive (read with libarchive, never unpacked to disk).
 * Other files are ignored.  At most max_vms VMs (0: no limit), taking
 * the lowest file numbers.  Returns 0 and a set the caller frees with
 * trace_free(), or a negative errno with a reason in err (no readable
 * file, no usable row, out of memory); nothing is returned on error.
 */
int	 trace_load(const char *path, size_t max_vms, struct trace_set **out,
	    char *err, size_t errlen);

/*
 * Parses one CSV file's text into `vm` on slots of `slot_s` seconds.
 * Exposed for tests and the loader; rows are added to *stats.
 * On success the slots run from the first to the last usable row:
 * *first_slot is set and vm->v/present are allocated with *nslots.
 * Returns 0, -ENODATA when no row was usable, -ENOMEM.
 */
int	 trace_parse_csv(const char *text, size_t len, unsigned slot_s,
	    struct trace_vm *vm, int64_t *first_slot, size_t *nslots,
	    struct trace_stats *stats);

/* Value of metric m for VM i at absolute slot s (0 outside the range). */
double	 trace_value(const struct trace_set *, size_t i, enum trace_metric m,
	    int64_t slot);

void	 trace_free(struct trace_set *);

#endif
