/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostsrc.h"
#include "util.h"

#define HS_BUF		16384	/* /proc/stat of a few hundred CPUs */
#define HS_PSI		3

struct hostsrc {
	char		 root[256];
	int		 stat_fd, mem_fd, speed_fd;
	int		 psi_fd[HS_PSI];	/* cpu, memory, io; -1 if absent */
	char		 nic[32];
	uint64_t	 nic_default;
	uint32_t	 mhz;
	uint64_t	 ns_per_tick;
	char		 buf[HS_BUF];
};

static int
hs_open(const struct hostsrc *h, const char *path)
{
	char	 full[512];

	snprintf(full, sizeof(full), "%s%s", h->root, path);
	return open(full, O_RDONLY | O_CLOEXEC);
}

/* Reads a kept file from its start into h->buf.  Returns the length or -errno. */
static ssize_t
hs_pread(struct hostsrc *h, int fd)
{
	ssize_t	 n = pread(fd, h->buf, sizeof(h->buf) - 1, 0);

	if (n < 0)
		return -errno;
	h->buf[n] = '\0';
	return n;
}

/* Reads a small file once (at open). */
static int
hs_slurp(struct hostsrc *h, const char *path)
{
	int	 fd = hs_open(h, path);
	ssize_t	 n;

	if (fd < 0)
		return -errno;
	n = hs_pread(h, fd);
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* The interface of the default route, from /proc/net/route. */
static void
hs_default_nic(struct hostsrc *h)
{
	const char	*line;
	char		 ifname[32];
	unsigned long	 dest;

	if (hs_slurp(h, "/proc/net/route") < 0)
		return;
	for (line = h->buf; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (sscanf(line, "%31s %lx", ifname, &dest) == 2 && dest == 0) {
			util_strlcpy(h->nic, ifname, sizeof(h->nic));
			return;
		}
}

/* MHz per CPU: cpufreq's maximum, else /proc/cpuinfo, else 2000. */
static uint32_t
hs_mhz(struct hostsrc *h)
{
	const char	*p;
	int64_t		 khz;
	double		 mhz;
	char		*nl;

	if (hs_slurp(h, "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
	    == 0) {
		if ((nl = strchr(h->buf, '\n')) != NULL)
			*nl = '\0';
		if (util_parse_i64(h->buf, 1000, 100000000, &khz) == 0)
			return (uint32_t)(khz / 1000);
	}
	if (hs_slurp(h, "/proc/cpuinfo") == 0 &&
	    (p = strstr(h->buf, "cpu MHz")) != NULL &&
	    (p = strchr(p, ':')) != NULL && sscanf(p + 1, "%lf", &mhz) == 1 &&
	    mhz >= 1 && mhz <= 100000)
		return (uint32_t)mhz;
	return 2000;
}

struct hostsrc *
hostsrc_open(const char *root, const char *nic, uint64_t nic_default_bps,
    char *err, size_t errlen)
{
	static const char *const psi[HS_PSI] = { "/proc/pressure/cpu",
	    "/proc/pressure/memory", "/proc/pressure/io" };
	struct hostsrc	*h;
	char		 path[128];
	long		 hz = sysconf(_SC_CLK_TCK);
	int		 i;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	util_strlcpy(h->root, root != NULL ? root : "", sizeof(h->root));
	h->nic_default = nic_default_bps;
	h->ns_per_tick = 1000000000ULL / (uint64_t)(hz > 0 ? hz : 100);
	h->stat_fd = hs_open(h, "/proc/stat");
	h->mem_fd = hs_open(h, "/proc/meminfo");
	if (h->stat_fd < 0 || h->mem_fd < 0) {
		snprintf(err, errlen, "%s/proc/%s: %s", h->root,
		    h->stat_fd < 0 ? "stat" : "meminfo", strerror(errno));
		hostsrc_close(h);
		return NULL;
	}
	for (i = 0; i < HS_PSI; i++)
		h->psi_fd[i] = hs_open(h, psi[i]);
	if (nic != NULL && nic[0] != '\0')
		util_strlcpy(h->nic, nic, sizeof(h->nic));
	else
		hs_default_nic(h);
	h->speed_fd = -1;
	if (h->nic[0] != '\0') {
		snprintf(path, sizeof(path), "/sys/class/net/%s/speed", h->nic);
		h->speed_fd = hs_open(h, path);
	}
	h->mhz = hs_mhz(h);
	return h;
}

void
hostsrc_close(struct hostsrc *h)
{
	int	 i;

	if (h == NULL)
		return;
	if (h->stat_fd >= 0)
		close(h->stat_fd);
	if (h->mem_fd >= 0)
		close(h->mem_fd);
	if (h->speed_fd >= 0)
		close(h->speed_fd);
	for (i = 0; i < HS_PSI; i++)
		if (h->psi_fd[i] >= 0)
			close(h->psi_fd[i]);
	free(h);
}

const char *
hostsrc_nic(const struct hostsrc *h)
{
	return h->nic;
}

/* The "cpu" line of /proc/stat and the count of "cpuN" lines. */
static int
hs_stat(struct hostsrc *h, struct hostsrc_sample *s)
{
	uint64_t	 v[10] = { 0 };
	const char	*p;
	ssize_t		 n;
	int		 k;

	if ((n = hs_pread(h, h->stat_fd)) < 0)
		return (int)n;
	k = sscanf(h->buf, "cpu %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
	    " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &v[0], &v[1],
	    &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	if (k < 4)
		return -EPROTO;
	/* user nice system idle iowait irq softirq steal; guest time is
	   already inside user and nice */
	s->busy_ns = (v[0] + v[1] + v[2] + v[5] + v[6]) * h->ns_per_tick;
	s->idle_ns = (v[3] + v[4]) * h->ns_per_tick;
	s->steal_ns = v[7] * h->ns_per_tick;
	s->cpus = 0;
	for (p = h->buf; (p = strstr(p, "\ncpu")) != NULL; p += 4)
		if (p[4] >= '0' && p[4] <= '9')
			s->cpus++;
	if (s->cpus == 0)
		s->cpus = 1;
	return 0;
}

/* A "Name:   N kB" line of /proc/meminfo, in bytes; 0 if absent. */
static uint64_t
hs_meminfo_kb(const char *buf, const char *name)
{
	const char	*p = strstr(buf, name);
	uint64_t	 kb;

	if (p == NULL || sscanf(p + strlen(name), ": %" SCNu64, &kb) != 1)
		return 0;
	return kb * 1024;
}

static int
hs_mem(struct hostsrc *h, struct hostsrc_sample *s)
{
	ssize_t	 n;

	if ((n = hs_pread(h, h->mem_fd)) < 0)
		return (int)n;
	s->mem_total = hs_meminfo_kb(h->buf, "MemTotal");
	s->mem_avail = hs_meminfo_kb(h->buf, "MemAvailable");
	if (s->mem_avail == 0)		/* kernels before 3.14 */
		s->mem_avail = hs_meminfo_kb(h->buf, "MemFree") +
		    hs_meminfo_kb(h->buf, "\nCached");
	if (s->mem_total == 0)
		return -EPROTO;
	if (s->mem_avail > s->mem_total)
		s->mem_avail = s->mem_total;
	return 0;
}

/* "some avg10=.. avg60=.. avg300=.. total=N": N in microseconds. */
static int
hs_psi(struct hostsrc *h, int fd, uint64_t *out)
{
	const char	*p;

	if (fd < 0 || hs_pread(h, fd) < 0 || strncmp(h->buf, "some ", 5) != 0 ||
	    (p = strstr(h->buf, "total=")) == NULL ||
	    sscanf(p + 6, "%" SCNu64, out) != 1)
		return -1;
	return 0;
}

static void
hs_speed(struct hostsrc *h, struct hostsrc_sample *s)
{
	int64_t	 mbit;
	char	*nl;

	s->nic_bps = h->nic_default;
	if (h->speed_fd < 0 || hs_pread(h, h->speed_fd) <= 0)
		return;
	if ((nl = strchr(h->buf, '\n')) != NULL)
		*nl = '\0';
	if (util_parse_i64(h->buf, 1, 100000000, &mbit) == 0)
		s->nic_bps = (uint64_t)mbit * 1000000;
}

int
hostsrc_read(struct hostsrc *h, struct hostsrc_sample *s)
{
	int	 rc, ok;

	memset(s, 0, sizeof(*s));
	if ((rc = hs_stat(h, s)) < 0 || (rc = hs_mem(h, s)) < 0)
		return rc;
	ok = hs_psi(h, h->psi_fd[0], &s->psi_cpu_us) == 0;
	ok |= hs_psi(h, h->psi_fd[1], &s->psi_mem_us) == 0;
	ok |= hs_psi(h, h->psi_fd[2], &s->psi_io_us) == 0;
	s->has_psi = ok;
	hs_speed(h, s);
	s->cpu_mhz = h->mhz;
	return 0;
}
