/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "rrdbatch.h"
#include "util.h"

#define RB_DEFAULT_QUEUE	(64u * 1024 * 1024)
#define RB_RETRY_MS		1000
#define RB_REPLY_TIMEOUT_MS	30000	/* a batch not answered by then: reconnect */

/* A byte buffer consumed from the front. */
struct rb_buf {
	char		*p;
	size_t		 head, len, cap;
};

/* Lines acknowledged together, kept for a replay after a reconnection. */
struct rb_chunk {
	int64_t		 t_ms;
	size_t		 bytes, lines;
};

enum rb_state { RB_DOWN, RB_CONNECTING, RB_IDLE, RB_BUSY };

struct rrdbatch {
	char		 addr[512];
	size_t		 max_queue;
	int64_t		 replay_ms;
	int		 fd;
	enum rb_state	 state;
	int64_t		 next_connect;	/* monotonic ms */
	struct rb_buf	 q;		/* queued lines; the in-flight ones first */
	size_t		 qlines;
	size_t		 fl_bytes, fl_lines;	/* in flight: a prefix of q */
	struct rb_buf	 out;		/* the batch being written */
	size_t		 out_off;
	struct rb_buf	 in;		/* answer bytes not parsed yet */
	int		 phase;		/* 0: "Go ahead", 1: "N errors", 2: N lines */
	long		 nerr;
	int64_t		 sent_ms;
	struct rb_buf	 replay;
	struct rb_chunk	*chunks;
	size_t		 nchunks, chunks_cap, replay_lines;
	struct rrdbatch_stats st;
};

static char *
rb_data(const struct rb_buf *b)
{
	return b->p + b->head;
}

static int
rb_append(struct rb_buf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->head > 0 && b->head + b->len + n > b->cap) {
		memmove(b->p, b->p + b->head, b->len);
		b->head = 0;
	}
	if (b->len + n > b->cap) {
		ncap = b->cap ? b->cap : 4096;
		while (ncap < b->len + n)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -ENOMEM;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->head + b->len, s, n);
	b->len += n;
	return 0;
}

static void
rb_consume(struct rb_buf *b, size_t n)
{
	b->head += n;
	b->len -= n;
	if (b->len == 0)
		b->head = 0;
}

static void
rb_free(struct rb_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/*
 * An emptied queue gives back what a backlog (rrdcached slow or away)
 * made it grow to, so the balancer's memory returns to its usual size
 * once the backlog is sent.
 */
#define RB_KEEP_BYTES	(256 * 1024)

static void
rb_trim(struct rb_buf *b)
{
	if (b->len == 0 && b->cap > RB_KEEP_BYTES)
		rb_free(b);
}

/* Bytes and lines of the first whole lines of b that fit in max bytes. */
static size_t
rb_lines_prefix(const struct rb_buf *b, size_t max, size_t *lines)
{
	const char	*s = rb_data(b), *nl;
	size_t		 off = 0, n = 0;

	while (off < b->len &&
	    (nl = memchr(s + off, '\n', b->len - off)) != NULL) {
		if ((size_t)(nl - s) + 1 > max && n > 0)
			break;
		off = (size_t)(nl - s) + 1;
		n++;
	}
	*lines = n;
	return off;
}

static int
rb_fail(char *err, size_t errlen, int rc, const char *fmt, const char *addr)
{
	size_t	 n;

	snprintf(err, errlen, fmt, addr, strerror(-rc));
	n = strlen(err);
	if ((rc == -ENOENT || rc == -ECONNREFUSED) && n < errlen)
		snprintf(err + n, errlen - n, " (is rrdcached running and "
		    "listening there?)");
	return rc;
}

/* Splits a TCP address into host and port ("[v6]:p", "h:p", "h"). */
static int
rb_split(const char *a, char *host, size_t hlen, char *port, size_t plen)
{
	struct in6_addr	 in6;
	const char	*c, *end;
	int64_t		 v;

	if (a[0] == '[') {
		if ((end = strchr(a, ']')) == NULL)
			return -EINVAL;
		c = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && c == NULL)
			return -EINVAL;
		a++;
	} else {
		c = strrchr(a, ':');
		if (c != NULL && strchr(a, ':') != c)
			c = NULL;	/* a bare IPv6 literal */
		end = c != NULL ? c : a + strlen(a);
	}
	if (end == a || (size_t)(end - a) >= hlen)
		return -EINVAL;
	memcpy(host, a, (size_t)(end - a));
	host[end - a] = '\0';
	if (strchr(host, ':') != NULL && inet_pton(AF_INET6, host, &in6) != 1)
		return -EINVAL;	/* colons: only an IPv6 literal */
	if (c == NULL) {
		util_strlcpy(port, RRDBATCH_DEFAULT_PORT, plen);
		return 0;
	}
	if (util_parse_i64(c + 1, 1, 65535, &v) < 0)
		return -EINVAL;
	snprintf(port, plen, "%d", (int)v);
	return 0;
}

/* The path of a UNIX socket address, or NULL for TCP. */
static const char *
rb_unix_path(const char *a)
{
	if (strncmp(a, "unix:", 5) == 0)
		return a + 5;
	return a[0] == '/' ? a : NULL;
}

int
rrdbatch_check_addr(const char *a)
{
	struct sockaddr_un	 sun;
	const char		*path;
	char			 host[256], port[8];

	if (a == NULL || a[0] == '\0' || strlen(a) >= 512 ||
	    strpbrk(a, " \t\r\n") != NULL)
		return -EINVAL;
	if ((path = rb_unix_path(a)) != NULL)
		return path[0] == '/' && strlen(path) < sizeof(sun.sun_path) ?
		    0 : -EINVAL;
	return rb_split(a, host, sizeof(host), port, sizeof(port));
}

/* Opens a non-blocking socket and starts connecting.  fd or -errno. */
static int
rb_open(const char *a, int *inprogress)
{
	struct sockaddr_un	 sun;
	struct addrinfo		 hints, *res = NULL;
	const char		*path;
	char			 host[256], port[8];
	int			 fd, rc;

	*inprogress = 0;
	if ((path = rb_unix_path(a)) != NULL) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		util_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			rc = -errno;
			close(fd);
			return rc == -EAGAIN ? -ECONNREFUSED : rc;
		}
		return fd;
	}
	if (rb_split(a, host, sizeof(host), port, sizeof(port)) < 0)
		return -EINVAL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &res) != 0 || res == NULL)
		return -EHOSTUNREACH;
	fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, res->ai_protocol);
	if (fd == -1) {
		rc = -errno;
		freeaddrinfo(res);
		return rc;
	}
	rc = connect(fd, res->ai_addr, res->ai_addrlen) == -1 ? -errno : 0;
	freeaddrinfo(res);
	if (rc == -EINPROGRESS)
		*inprogress = 1;
	else if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

struct rrdbatch *
rrdbatch_new(const char *addr, size_t max_queue, int64_t replay_ms,
    char *err, size_t errlen)
{
	struct rrdbatch	*b;

	if (rrdbatch_check_addr(addr) < 0) {
		snprintf(err, errlen, "rrdcached address \"%s\" is neither "
		    "unix:/PATH, /PATH, HOST:PORT, [IPV6]:PORT nor HOST",
		    addr ? addr : "");
		return NULL;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	util_strlcpy(b->addr, addr, sizeof(b->addr));
	b->max_queue = max_queue ? max_queue : RB_DEFAULT_QUEUE;
	b->replay_ms = replay_ms < 0 ? 10000 : replay_ms;
	b->fd = -1;
	return b;
}

void
rrdbatch_free(struct rrdbatch *b)
{
	if (b == NULL)
		return;
	if (b->fd >= 0)
		close(b->fd);
	rb_free(&b->q);
	rb_free(&b->out);
	rb_free(&b->in);
	rb_free(&b->replay);
	free(b->chunks);
	free(b);
}

/* Drops the oldest queued line (never one in flight).  0 or -1. */
static int
rb_drop_oldest(struct rrdbatch *b)
{
	const char	*s = rb_data(&b->q);
	const char	*nl;

	if (b->fl_bytes > 0 || b->q.len == 0)
		return -1;
	if ((nl = memchr(s, '\n', b->q.len)) == NULL)
		return -1;
	rb_consume(&b->q, (size_t)(nl - s) + 1);
	b->qlines--;
	b->st.dropped++;
	return 0;
}

int
rrdbatch_update(struct rrdbatch *b, const char *file, const char *values)
{
	char	 line[RRDBATCH_MAX_LINE + 2];
	int	 n, dropped = 0;

	if (strpbrk(file, " \t\r\n") != NULL || strpbrk(values, " \t\r\n"))
		return -EINVAL;
	n = snprintf(line, sizeof(line), "UPDATE %s %s\n", file, values);
	if (n < 0 || n > RRDBATCH_MAX_LINE)
		return -EINVAL;
	while (b->q.len + (size_t)n > b->max_queue) {
		if (rb_drop_oldest(b) < 0) {
			b->st.dropped++;
			return -ENOBUFS;
		}
		dropped = 1;
	}
	if (rb_append(&b->q, line, (size_t)n) < 0) {
		b->st.dropped++;
		return -ENOBUFS;
	}
	b->qlines++;
	b->st.queued = b->qlines;
	return dropped ? -ENOBUFS : 0;
}

static void
rb_close(struct rrdbatch *b, int64_t now, int retry_now)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (b->state == RB_BUSY)
		b->st.io_errors++;
	b->state = RB_DOWN;
	b->fl_bytes = b->fl_lines = 0;
	b->out.len = b->out.head = 0;
	b->out_off = 0;
	b->in.len = b->in.head = 0;
	b->st.connected = 0;
	b->next_connect = retry_now ? 0 : now + RB_RETRY_MS;
}

/* Puts the recently acknowledged lines back in front of the queue. */
static int
rb_requeue_replay(struct rrdbatch *b)
{
	struct rb_buf	 nq;

	if (b->replay.len == 0)
		return 0;
	memset(&nq, 0, sizeof(nq));
	if (rb_append(&nq, rb_data(&b->replay), b->replay.len) < 0 ||
	    rb_append(&nq, rb_data(&b->q), b->q.len) < 0) {
		rb_free(&nq);
		return -ENOMEM;
	}
	rb_free(&b->q);
	b->q = nq;
	b->qlines += b->replay_lines;
	b->st.replayed += b->replay_lines;
	b->replay.len = b->replay.head = 0;
	b->nchunks = b->replay_lines = 0;
	return 0;
}

static int
rb_connected(struct rrdbatch *b)
{
	b->state = RB_IDLE;
	b->st.connects++;
	b->st.connected = 1;
	return rb_requeue_replay(b);
}

static int
rb_connect(struct rrdbatch *b, int64_t now, char *err, size_t errlen)
{
	int	 fd, inprogress;

	if ((fd = rb_open(b->addr, &inprogress)) < 0) {
		b->st.connect_errors++;
		b->next_connect = now + RB_RETRY_MS;
		return rb_fail(err, errlen, fd, "rrdcached at %s: %s", b->addr);
	}
	b->fd = fd;
	if (inprogress) {
		b->state = RB_CONNECTING;
		return 0;
	}
	return rb_connected(b);
}

static int
rb_check_connecting(struct rrdbatch *b, int64_t now, char *err, size_t errlen)
{
	socklen_t	 sl = sizeof(int);
	int		 soerr = 0;

	if (getsockopt(b->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
		soerr = errno;
	if (soerr != 0) {
		rb_close(b, now, 0);
		b->st.connect_errors++;
		return rb_fail(err, errlen, -soerr, "rrdcached at %s: %s",
		    b->addr);
	}
	return rb_connected(b);
}

/* Builds "BATCH", the first lines of the queue and "." into out. */
static int
rb_start_batch(struct rrdbatch *b, int64_t now)
{
	b->fl_bytes = rb_lines_prefix(&b->q, RRDBATCH_MAX_BATCH, &b->fl_lines);
	b->out.len = b->out.head = 0;
	b->out_off = 0;
	if (rb_append(&b->out, "BATCH\n", 6) < 0 ||
	    rb_append(&b->out, rb_data(&b->q), b->fl_bytes) < 0 ||
	    rb_append(&b->out, ".\n", 2) < 0) {
		b->fl_bytes = b->fl_lines = 0;
		return -ENOMEM;
	}
	b->phase = 0;
	b->nerr = 0;
	b->sent_ms = now;
	b->state = RB_BUSY;
	b->st.batches++;
	return 0;
}

/* Moves the answered lines to the replay window and prunes it. */
static void
rb_acked(struct rrdbatch *b, int64_t now)
{
	struct rb_chunk	*nc;
	size_t		 ncap, i = 0, bytes = 0;

	if (b->replay_ms > 0 && b->nchunks == b->chunks_cap) {
		ncap = b->chunks_cap ? b->chunks_cap * 2 : 16;
		if ((nc = reallocarray(b->chunks, ncap, sizeof(*nc))) != NULL) {
			b->chunks = nc;
			b->chunks_cap = ncap;
		}
	}
	if (b->replay_ms > 0 && b->nchunks < b->chunks_cap &&
	    rb_append(&b->replay, rb_data(&b->q), b->fl_bytes) == 0) {
		b->chunks[b->nchunks++] = (struct rb_chunk){ now, b->fl_bytes,
		    b->fl_lines };
		b->replay_lines += b->fl_lines;
	}
	rb_consume(&b->q, b->fl_bytes);
	rb_trim(&b->q);
	b->qlines -= b->fl_lines;
	b->st.acked += b->fl_lines;
	b->fl_bytes = b->fl_lines = 0;
	b->state = RB_IDLE;
	while (i < b->nchunks && (now - b->chunks[i].t_ms > b->replay_ms ||
	    b->replay.len - bytes > b->max_queue / 4)) {
		bytes += b->chunks[i].bytes;
		b->replay_lines -= b->chunks[i].lines;
		i++;
	}
	rb_consume(&b->replay, bytes);
	rb_trim(&b->replay);
	memmove(b->chunks, b->chunks + i, (b->nchunks - i) * sizeof(*b->chunks));
	b->nchunks -= i;
}

/* One error line of a batch answer: "COMMAND-NUMBER message". */
static void
rb_refusal(struct rrdbatch *b, const char *line)
{
	if (strstr(line, "minimum one second step") != NULL ||
	    strstr(line, "illegal attempt to update") != NULL) {
		b->st.duplicates++;
		return;
	}
	b->st.refused++;
	util_strlcpy(b->st.last_refusal, line, sizeof(b->st.last_refusal));
}

/* The status code that starts an answer line ("0 Go ahead", "2 errors"). */
static int
rb_status(const char *line, int64_t *v)
{
	char	 num[24];
	size_t	 n = strcspn(line, " ");

	if (n == 0 || n >= sizeof(num))
		return -EPROTO;
	memcpy(num, line, n);
	num[n] = '\0';
	return util_parse_i64(num, -1000000, INT32_MAX, v) < 0 ? -EPROTO : 0;
}

/*
 * Parses the complete answer lines: phase 0 the "0 Go ahead" line,
 * phase 1 the "N errors" line, phase 2 the N error lines.
 * Returns 1 when the batch is answered, 0 when more is to come,
 * -EPROTO when rrdcached refused the BATCH itself.
 */
static int
rb_parse(struct rrdbatch *b, int64_t now)
{
	char		*s, *nl;
	int64_t		 v;

	while (b->in.len > 0 &&
	    (nl = memchr((s = rb_data(&b->in)), '\n', b->in.len)) != NULL) {
		*nl = '\0';
		if (b->phase == 2) {
			rb_refusal(b, s);
			b->nerr--;
		} else {
			if (rb_status(s, &v) < 0 || v < 0) {
				util_strlcpy(b->st.last_refusal, s,
				    sizeof(b->st.last_refusal));
				return -EPROTO;
			}
			if (b->phase++ == 1)
				b->nerr = (long)v;
		}
		rb_consume(&b->in, (size_t)(nl - s) + 1);
		if (b->phase == 2 && b->nerr <= 0) {
			rb_acked(b, now);
			return 1;
		}
	}
	return 0;
}

static int
rb_read(struct rrdbatch *b, int64_t now)
{
	char	 buf[8192];
	ssize_t	 n;
	int	 rc;

	for (;;) {
		n = read(b->fd, buf, sizeof(buf));
		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (b->state != RB_BUSY)
			return -EPROTO;		/* nothing was asked */
		if (rb_append(&b->in, buf, (size_t)n) < 0)
			return -ENOMEM;
		if ((rc = rb_parse(b, now)) != 0)
			return rc < 0 ? rc : 0;
	}
}

static int
rb_write(struct rrdbatch *b)
{
	ssize_t	 n;

	while (b->out_off < b->out.len) {
		n = send(b->fd, rb_data(&b->out) + b->out_off,
		    b->out.len - b->out_off, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		b->out_off += (size_t)n;
	}
	return 0;
}

/* One poll and the I/O it allows.  1: progress, 0: timed out, <0 error. */
static int
rb_step(struct rrdbatch *b, int64_t now, int wait_ms)
{
	struct pollfd	 p;
	int		 rc;

	p.fd = b->fd;
	p.events = POLLIN;
	if (b->state == RB_CONNECTING ||
	    (b->state == RB_BUSY && b->out_off < b->out.len))
		p.events |= POLLOUT;
	p.revents = 0;
	if ((rc = poll(&p, 1, wait_ms)) <= 0)
		return rc < 0 && errno != EINTR ? -errno : 0;
	if (b->state == RB_CONNECTING)
		return 1;
	if (p.revents & (POLLIN | POLLHUP | POLLERR))
		if ((rc = rb_read(b, now)) < 0)
			return rc;
	if ((p.revents & POLLOUT) && b->state == RB_BUSY)
		if ((rc = rb_write(b)) < 0)
			return rc;
	return 1;
}

static int
rb_io_error(struct rrdbatch *b, int64_t now, int rc, char *err, size_t errlen)
{
	if (rc == -EPROTO)
		snprintf(err, errlen, "rrdcached at %s answered \"%s\"; "
		    "reconnecting", b->addr, b->st.last_refusal);
	else
		rb_fail(err, errlen, rc, "rrdcached at %s: %s; reconnecting "
		    "(updates are kept)", b->addr);
	rb_close(b, now, 1);
	return rc;
}

int
rrdbatch_run(struct rrdbatch *b, int64_t now, int timeout_ms, char *err,
    size_t errlen)
{
	int64_t	 deadline = util_now_mono_ms() + timeout_ms, left;
	int	 rc;

	for (;;) {
		if (b->state == RB_DOWN) {
			if (b->qlines == 0)
				return 0;
			if (now < b->next_connect) {
				snprintf(err, errlen, "rrdcached at %s is not "
				    "reachable; %zu updates waiting", b->addr,
				    b->qlines);
				return -ENOTCONN;
			}
			if ((rc = rb_connect(b, now, err, errlen)) < 0)
				return rc;
		}
		if (b->state == RB_IDLE) {
			if (b->qlines == 0)
				return 0;
			if ((rc = rb_start_batch(b, now)) < 0)
				return rc;
		}
		left = deadline - util_now_mono_ms();
		rc = rb_step(b, now, left > 0 ? (int)left : 0);
		if (rc < 0)
			return rb_io_error(b, now, rc, err, errlen);
		if (rc > 0 && b->state == RB_CONNECTING &&
		    (rc = rb_check_connecting(b, now, err, errlen)) < 0)
			return rc;
		if (b->state == RB_BUSY && now - b->sent_ms > RB_REPLY_TIMEOUT_MS)
			return rb_io_error(b, now, -ETIMEDOUT, err, errlen);
		if (rc == 0 && left <= 0)
			return 0;
		b->st.queued = b->qlines;
	}
}

int
rrdbatch_drain(struct rrdbatch *b, int timeout_ms, char *err, size_t errlen)
{
	int64_t	 end = util_now_mono_ms() + timeout_ms, now;
	char	*ans = NULL;
	int	 rc = 0;

	while (b->qlines > 0) {
		now = util_now_mono_ms();
		if (now >= end) {
			snprintf(err, errlen, "rrdcached at %s: %zu updates not "
			    "acknowledged after %d ms", b->addr, b->qlines,
			    timeout_ms);
			return -ETIMEDOUT;
		}
		rc = rrdbatch_run(b, now, (int)(end - now), err, errlen);
		if (rc == -ENOTCONN)
			util_sleep_ms((b->next_connect < end ? b->next_connect :
			    end) - now, NULL);
	}
	now = util_now_mono_ms();
	rc = rrdbatch_command(b->addr, "FLUSHALL", end > now ? (int)(end - now) : 1,
	    &ans, err, errlen);
	free(ans);
	return rc;
}

/* Blocking read of one line into buf (without the newline). */
static int
rb_read_line(int fd, struct rb_buf *in, struct rb_buf *line)
{
	char	 buf[4096], *nl;
	ssize_t	 n;

	for (;;) {
		if (in->len > 0 &&
		    (nl = memchr(rb_data(in), '\n', in->len)) != NULL) {
			line->len = line->head = 0;
			if (rb_append(line, rb_data(in),
			    (size_t)(nl - rb_data(in)) + 1) < 0)
				return -ENOMEM;
			rb_consume(in, (size_t)(nl - rb_data(in)) + 1);
			return 0;
		}
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			return n == 0 ? -ECONNRESET : (errno == EAGAIN ?
			    -ETIMEDOUT : -errno);
		if (rb_append(in, buf, (size_t)n) < 0)
			return -ENOMEM;
	}
}

static int
rb_blocking_fd(const char *addr, int timeout_ms)
{
	struct timeval	 tv;
	struct pollfd	 p;
	int		 fd, inprogress, fl;

	if ((fd = rb_open(addr, &inprogress)) < 0)
		return fd;
	if (inprogress) {
		p = (struct pollfd){ fd, POLLOUT, 0 };
		if (poll(&p, 1, timeout_ms) <= 0) {
			close(fd);
			return -ETIMEDOUT;
		}
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

int
rrdbatch_command(const char *addr, const char *cmd, int timeout_ms,
    char **out, char *err, size_t errlen)
{
	struct rb_buf	 in, line, all;
	int64_t		 more;
	int		 fd, rc;

	*out = NULL;
	if ((fd = rb_blocking_fd(addr, timeout_ms)) < 0)
		return rb_fail(err, errlen, fd, "rrdcached at %s: %s", addr);
	memset(&in, 0, sizeof(in));
	memset(&line, 0, sizeof(line));
	memset(&all, 0, sizeof(all));
	rc = send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0 ? -errno : 0;
	if (rc == 0 && (rc = rb_read_line(fd, &in, &line)) == 0) {
		rc = rb_append(&all, rb_data(&line), line.len);
		if (rc == 0 && (rc = rb_append(&line, "", 1)) == 0 &&
		    rb_status(rb_data(&line), &more) < 0)
			rc = -EPROTO;
		while (rc == 0 && more-- > 0 &&
		    (rc = rb_read_line(fd, &in, &line)) == 0)
			rc = rb_append(&all, rb_data(&line), line.len);
	}
	close(fd);
	rb_free(&in);
	rb_free(&line);
	if (rc == 0 && (rc = rb_append(&all, "", 1)) == 0) {
		*out = all.p;
		return 0;
	}
	rb_free(&all);
	return rb_fail(err, errlen, rc, "rrdcached at %s: %s", addr);
}

const struct rrdbatch_stats *
rrdbatch_stats(const struct rrdbatch *b)
{
	return &b->st;
}
