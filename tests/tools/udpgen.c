/* SPDX-License-Identifier: ISC */
/*
 * udpgen: known traffic for the pcap tests and bench/pcap.  Sends COUNT
 * UDP datagrams of PAYLOAD bytes to ADDRESS PORT (IPv4 or IPv6), at most
 * PPS per second when given (0: as fast as it can).  On IPv4 Ethernet
 * each one is PAYLOAD + 42 bytes on the wire (14 + 20 + 8 of headers).
 * Prints how many it sent; exits 1 if any send failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

static int
dest(const char *ip, int64_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*in = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
		return AF_INET6;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	static char		 buf[65507];
	int64_t			 port, count, size, pps = 0, i, t0, due;
	int			 fd, af, failed = 0;

	if ((argc != 5 && argc != 6) ||
	    util_parse_i64(argv[2], 1, 65535, &port) < 0 ||
	    util_parse_i64(argv[3], 0, INT64_MAX, &count) < 0 ||
	    util_parse_i64(argv[4], 0, (int64_t)sizeof(buf), &size) < 0 ||
	    (argc == 6 && util_parse_i64(argv[5], 0, 100000000, &pps) < 0) ||
	    (af = dest(argv[1], port, &ss, &sl)) < 0) {
		fprintf(stderr, "usage: udpgen ADDRESS PORT COUNT PAYLOAD "
		    "[PPS]\n");
		return 2;
	}
	if ((fd = socket(af, SOCK_DGRAM, 0)) < 0) {
		perror("udpgen: socket");
		return 1;
	}
	memset(buf, 'b', sizeof(buf));
	t0 = util_now_mono_ns();
	for (i = 0; i < count; i++) {
		if (pps > 0 && (due = t0 + i * 1000000000 / pps) >
		    util_now_mono_ns() + 1000000)
			usleep((useconds_t)((due - util_now_mono_ns()) / 1000));
		while (sendto(fd, buf, (size_t)size, 0, (struct sockaddr *)&ss,
		    sl) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("udpgen: sendto");
				failed = 1;
				break;
			}
			usleep(100);
		}
		if (failed)
			break;
	}
	close(fd);
	printf("udpgen: sent %lld datagrams of %lld bytes\n", (long long)i,
	    (long long)size);
	return failed;
}
