/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"
#include "util.h"

static const char	*log_prog = "ballast";
static int		 log_max = LOG_LVL_INFO;

void
log_init(const char *progname, int level)
{
	log_prog = progname;
	log_max = level;
}

int
log_level(void)
{
	return log_max;
}

static void
log_vemit(const char *tag, const char *fmt, va_list ap, const char *suffix)
{
	char	 buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, "%s: %s%s: %s\n", log_prog, tag, buf, suffix);
	else
		fprintf(stderr, "%s: %s%s\n", log_prog, tag, buf);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit("", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit("", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_max < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	log_vemit("", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_max < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vemit("debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_syslog_cb(void *prefix, int priority, const char *msg)
{
	const char	*pre = prefix != NULL ? prefix : "library";

	if (priority <= LOG_WARNING)
		log_warnx("%s: %s", pre, msg);
	else if (priority <= LOG_INFO)
		log_info("%s: %s", pre, msg);
	else
		log_debug("%s: %s", pre, msg);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit("fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void
log_complain(struct log_complaint *c, int64_t interval_ms, const char *fmt, ...)
{
	va_list	 ap;
	int64_t	 now = util_now_mono_ms();
	char	 note[64];

	if (c->active && now - c->last_ms < interval_ms) {
		c->suppressed++;
		return;
	}
	note[0] = '\0';
	if (c->suppressed > 0)
		snprintf(note, sizeof(note), " (%llu similar suppressed)",
		    (unsigned long long)c->suppressed);
	c->active = 1;
	c->last_ms = now;
	c->suppressed = 0;
	va_start(ap, fmt);
	log_vemit("", fmt, ap, NULL);
	va_end(ap);
	if (note[0] != '\0')
		fprintf(stderr, "%s: %s\n", log_prog, note + 1);
}

void
log_release(struct log_complaint *c, const char *fmt, ...)
{
	va_list	 ap;

	if (!c->active)
		return;
	c->active = 0;
	c->suppressed = 0;
	va_start(ap, fmt);
	log_vemit("", fmt, ap, NULL);
	va_end(ap);
}
