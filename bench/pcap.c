/* SPDX-License-Identifier: ISC */
/*
 * bench/pcap: the CPU the pcap source costs per million packets.
 * Captures on IFACE until it has seen PACKETS packets (or nothing came
 * for 3 s after the first) in one of three modes:
 *   bare    a bare pcap_dispatch() loop that only counts (same snaplen,
 *           buffer, filter and ring as the source);
 *   N       the collector's source (collector/pcapsrc.h) sampling 1 in
 *           N, with its aggregation and a window closed every second.
 * Prints "MODE seen=... dropped=... cpu_ms=... cpu_s_per_mpkt=..." with
 * the process's user+system CPU from ready to the end (idle polling
 * before the traffic starts costs next to nothing).  Run
 * by bench/pcap.sh, which makes the interfaces and the traffic.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <pcap/pcap.h>

#include "pcapsrc.h"
#include "util.h"

#define SNAPLEN		128
#define BUFSZ		(16 << 20)
#define FILTER		"udp"
#define IDLE_MS		3000

static double
cpu_ms(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)h;
	(void)b;
	(*(uint64_t *)(void *)user)++;
}

/* The baseline: open as pcapsrc does, count in pcap_dispatch(). */
static pcap_t *
bare_open(const char *ifname)
{
	char			 e[PCAP_ERRBUF_SIZE];
	struct bpf_program	 prog;
	pcap_t			*p;

	if ((p = pcap_create(ifname, e)) == NULL ||
	    pcap_set_snaplen(p, SNAPLEN) != 0 ||
	    pcap_set_buffer_size(p, BUFSZ) != 0 ||
	    pcap_set_timeout(p, 100) != 0 || pcap_activate(p) < 0 ||
	    pcap_compile(p, &prog, FILTER, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(p, &prog) != 0 || pcap_setnonblock(p, 1, e) != 0) {
		fprintf(stderr, "bench/pcap: %s: %s\n", ifname,
		    p ? pcap_geterr(p) : e);
		return NULL;
	}
	pcap_freecode(&prog);
	return p;
}

static struct pcapsrc *
src_open(const char *ifname, unsigned n)
{
	struct pcapsrc_if	 i = { ifname, NULL };
	struct pcapsrc_config	 c;
	struct pcapsrc		*s;
	char			 err[256];

	memset(&c, 0, sizeof(c));
	c.ifs = &i;
	c.nifs = 1;
	c.sample_every = n;
	c.snaplen = SNAPLEN;
	c.buffer = BUFSZ;
	c.filter = FILTER;
	c.top = 64;
	c.seed = 42;
	if ((s = pcapsrc_new(&c, err, sizeof(err))) == NULL ||
	    pcapsrc_open(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench/pcap: %s\n", err);
		return NULL;
	}
	return s;
}

/* One read of whichever mode; returns the packets seen so far. */
static uint64_t
step(pcap_t *p, struct pcapsrc *s, uint64_t *n, int64_t *win)
{
	Ballast__V1__Traffic	*t;
	char			 err[256];

	if (p != NULL) {
		pcap_dispatch(p, 2048, count, (u_char *)n);
		return *n;
	}
	pcapsrc_dispatch(s, 2048, err, sizeof(err));
	if (util_now_mono_ms() >= *win + 1000) {
		pcapsrc_window(s, util_now_real_ms(), &t);
		*win = util_now_mono_ms();
	}
	return pcapsrc_seen(s);
}

int
main(int argc, char *argv[])
{
	struct pcap_stat	 st;
	struct pcapsrc		*s = NULL;
	struct pollfd		 pfd;
	Ballast__V1__Traffic	*t;
	pcap_t			*p = NULL;
	int64_t			 want, n = 0, last = 0, win;
	uint64_t		 bare = 0, seen = 0, dropped;
	double			 c0 = 0, c;

	if (argc != 4 || util_parse_i64(argv[2], 1, INT64_MAX, &want) < 0 ||
	    (strcmp(argv[3], "bare") != 0 &&
	    util_parse_i64(argv[3], 1, 1000000, &n) < 0)) {
		fprintf(stderr, "usage: bench/pcap IFACE PACKETS bare|N\n");
		return 2;
	}
	if (n == 0 ? (p = bare_open(argv[1])) == NULL :
	    (s = src_open(argv[1], (unsigned)n)) == NULL)
		return 1;
	pfd.fd = p ? pcap_get_selectable_fd(p) : 0;
	if (s != NULL)
		pcapsrc_fds(s, &pfd.fd, 1);
	pfd.events = POLLIN;
	printf("ready\n");
	fflush(stdout);
	win = util_now_mono_ms();
	c0 = cpu_ms();
	while (seen < (uint64_t)want &&
	    (last == 0 || util_now_mono_ms() - last < IDLE_MS)) {
		poll(&pfd, 1, 100);
		if ((c = (double)step(p, s, &bare, &win)) > (double)seen) {
			seen = (uint64_t)c;
			last = util_now_mono_ms();
		}
	}
	c = cpu_ms() - c0;
	if (p != NULL) {
		dropped = pcap_stats(p, &st) == 0 ? st.ps_drop : 0;
		pcap_close(p);
	} else {
		pcapsrc_window(s, util_now_real_ms(), &t);
		dropped = t->dropped;
		pcapsrc_free(s);
	}
	printf("%s seen=%llu dropped=%llu cpu_ms=%.0f cpu_s_per_mpkt=%.3f\n",
	    argv[3], (unsigned long long)seen, (unsigned long long)dropped, c,
	    seen ? c / 1e3 / ((double)seen / 1e6) : 0.0);
	return 0;
}
