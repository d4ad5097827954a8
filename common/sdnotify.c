/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sdnotify.h"
#include "util.h"

int
sdnotify(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	size_t			 n;
	socklen_t		 len;
	int			 fd, rc = 0;

	if (path == NULL || path[0] == '\0')
		return 1;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path))
		return -EINVAL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (const struct sockaddr *)&sun, len) == -1)
		rc = -errno;
	close(fd);
	return rc;
}

int64_t
sdnotify_watchdog_ms(void)
{
	const char	*usec = getenv("WATCHDOG_USEC");
	const char	*pid = getenv("WATCHDOG_PID");
	int64_t		 us, p;

	if (usec == NULL || util_parse_i64(usec, 1, INT64_MAX, &us) < 0)
		return 0;
	if (pid != NULL && (util_parse_i64(pid, 1, INT64_MAX, &p) < 0 ||
	    p != (int64_t)getpid()))
		return 0;
	return us / 2000 > 0 ? us / 2000 : 1;
}
