/* SPDX-License-Identifier: ISC */
/*
 * hostsrc: the host's own counters for a collector's reports, read from
 * /proc/stat (busy, idle and steal time), /proc/meminfo,
 * /proc/pressure/{cpu,memory,io} where the kernel has them, and the
 * NIC's speed from /sys/class/net/IF/speed.
 *
 * Every file is opened once and read again with pread() at each
 * sample, so a sample costs no open() and a full file table later
 * cannot stop it.  Never prints; errors come back as -errno (and a
 * reason in the caller's buffer where there is one).
 */
#ifndef BALLAST_HOSTSRC_H
#define BALLAST_HOSTSRC_H

#include <stddef.h>
#include <stdint.h>

struct hostsrc_sample {
	uint64_t	 busy_ns, idle_ns, steal_ns;	/* all CPUs, cumulative */
	uint64_t	 mem_total, mem_avail;		/* bytes */
	int		 has_psi;
	uint64_t	 psi_cpu_us, psi_mem_us, psi_io_us; /* "some" totals */
	uint32_t	 cpus;		/* online, from /proc/stat */
	uint32_t	 cpu_mhz;	/* as found at open */
	uint64_t	 nic_bps;	/* bits/s; the default when unknown */
};

struct hostsrc;

/*
 * Opens the files under root ("" or NULL: the real /proc and /sys;
 * tests pass a directory holding proc/ and sys/).  nic "" takes the
 * interface of the default route; nic_default_bps is used when its
 * speed is unknown (virtual NICs say -1).  Returns NULL with a reason
 * in err when /proc/stat or /proc/meminfo cannot be opened.
 */
struct hostsrc	*hostsrc_open(const char *root, const char *nic,
		    uint64_t nic_default_bps, char *err, size_t errlen);
void		 hostsrc_close(struct hostsrc *);

/* Reads one sample.  0, or -errno (-EPROTO: a file it cannot parse). */
int		 hostsrc_read(struct hostsrc *, struct hostsrc_sample *);

/* The NIC whose speed is read ("" when none was found). */
const char	*hostsrc_nic(const struct hostsrc *);

#endif
