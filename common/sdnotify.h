/* SPDX-License-Identifier: ISC */
/*
 * sdnotify: systemd's readiness and watchdog protocol, by hand: one
 * datagram to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or
 * "@name" for the abstract namespace).  Without $NOTIFY_SOCKET (not
 * started by systemd as Type=notify) everything here does nothing.
 * Written out rather than linked from libsystemd: the protocol is one
 * sendto(), and the daemons keep no dependency on systemd.
 */
#ifndef BALLAST_SDNOTIFY_H
#define BALLAST_SDNOTIFY_H

#include <stdint.h>

/*
 * Sends state ("READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=...").
 * Returns 0 when sent, 1 when there is no $NOTIFY_SOCKET, or -errno
 * (a bad address, the socket gone).  Never prints.
 */
int	sdnotify(const char *state);

/*
 * How often to send "WATCHDOG=1": half of $WATCHDOG_USEC, in ms, when
 * the watchdog is meant for this process ($WATCHDOG_PID unset or ours);
 * else 0.
 */
int64_t	sdnotify_watchdog_ms(void);

#endif
