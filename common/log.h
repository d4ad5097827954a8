/* SPDX-License-Identifier: ISC */
/*
 * log: the one logging module of every ballast program.
 *
 * Messages go to stderr (a terminal or journald) with a level prefix.
 * Library-like modules never call these; daemons log at the boundary.
 */
#ifndef BALLAST_LOG_H
#define BALLAST_LOG_H

#include <stdint.h>

enum log_level { LOG_LVL_WARN = 0, LOG_LVL_INFO = 1, LOG_LVL_DEBUG = 2 };

/* Sets the program name and the most verbose level printed. */
void	log_init(const char *progname, int level);
int	log_level(void);

/* log_warn appends strerror(errno) and leaves errno as it found it. */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs and exits 1: only at start-up or for a broken invariant. */
/*
 * A logging callback for libraries that speak in syslog priorities
 * (net-snmp's): msg at the matching level (LOG_WARNING and worse as a
 * warning, down to LOG_INFO as info, the rest as debug), prefixed by
 * the string `prefix` points to and ": ".
 */
void	log_syslog_cb(void *prefix, int priority, const char *msg);

void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * A rate limiter for a repeated external failure (collectd's c_complain):
 * log_complain() prints at most once per `interval_ms` and says how many
 * were suppressed; log_release() prints one "recovered" line if a failure
 * had been reported.  Zero-initialise the struct.
 */
struct log_complaint {
	int64_t		last_ms;
	uint64_t	suppressed;
	int		active;
};
void	log_complain(struct log_complaint *, int64_t interval_ms,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	log_release(struct log_complaint *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
