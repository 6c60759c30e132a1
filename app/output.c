/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Outputs: one bounded queue each, one state machine for all of them
 * (DOWN -> CONNECTING -> UP -> DOWN ... with backoff), and the transports
 * that differ only in how a record is framed and moved: a file, FIFO or
 * stdout (JSON lines, write(2)), a unix socket client (JSON lines over a
 * stream, or one datagram each), syslog (RFC 5424, one UDP datagram each or
 * octet-counted over TCP). Redis is in output_redis.c.
 *
 * Nothing waits on a peer: sockets are non-blocking, readiness is polled
 * with a zero timeout. Only offline mode (make_room) and the exit
 * (tw_output_finish) wait, and those waits are bounded, except for an
 * offline file output, which is lossless as long as its sink works.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "output_priv.h"
#include "tw_app.h"
#include "tw_syslog.h"

#define NS_PER_MS 1000000ull
/* Shortest alert record: bounds the number of records a queue can hold. */
#define OUT_ALERT_MIN 128
/* A file (a FIFO without a reader, a failed reopen) is retried this often. */
#define OUT_FILE_RETRY_NS (200 * NS_PER_MS)
/* Network outputs reconnect after 100 ms, doubling up to 5 s. */
#define OUT_NET_BACKOFF_MIN_NS (100 * NS_PER_MS)
#define OUT_NET_BACKOFF_MAX_NS (5000 * NS_PER_MS)
#define OUT_CONNECT_TIMEOUT_NS (5000 * NS_PER_MS)
/* Waiting (offline, at exit) stops for an output idle this long. */
#define OUT_STALL_NS (2000 * NS_PER_MS)
#define OUT_WAIT_MS 10
/* UDP: ECONNREFUSED reports an earlier datagram; retry the current one. */
#define OUT_DGRAM_RETRIES 4

/* --- the queue ----------------------------------------------------------- */

static int
outq_init(struct tw_outq *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->cap = cap;
	q->rec_cap = cap / OUT_ALERT_MIN + 1;
	q->buf = malloc(cap);
	q->recs = calloc(q->rec_cap, sizeof(*q->recs));
	return q->buf != NULL && q->recs != NULL ? 0 : -ENOMEM;
}

static void
outq_free(struct tw_outq *q)
{
	free(q->buf);
	free(q->recs);
}

static struct tw_outq_rec *
outq_rec(const struct tw_outq *q, size_t i)
{
	return &q->recs[(q->rec_head + i) % q->rec_cap];
}

static void
outq_reset(struct tw_outq *q)
{
	q->first = q->head = q->len = 0;
	q->rec_head = 0;
	q->nb_recs = 0;
	q->nb_alerts = 0;
}

static int
outq_fits(const struct tw_outq *q, size_t len)
{
	return q->nb_recs < q->rec_cap && q->len - q->first + len <= q->cap;
}

/* Move the records to the front of the buffer. */
static void
outq_compact(struct tw_outq *q)
{
	size_t i, shift = q->first;

	if (shift == 0)
		return;
	memmove(q->buf, q->buf + shift, q->len - shift);
	for (i = 0; i < q->nb_recs; i++)
		outq_rec(q, i)->end -= shift;
	q->head -= shift;
	q->len -= shift;
	q->first = 0;
}

static int
outq_push(struct tw_outq *q, const char *data, size_t len, int alert)
{
	struct tw_outq_rec *r;

	if (!outq_fits(q, len))
		return -ENOSPC;
	if (q->len + len > q->cap)
		outq_compact(q);
	memcpy(q->buf + q->len, data, len);
	q->len += len;
	r = outq_rec(q, q->nb_recs);
	r->end = q->len;
	r->alert = alert != 0;
	q->nb_recs++;
	q->nb_alerts += r->alert;
	return 0;
}

int
tw_outq_front(const struct tw_outq *q, const char **data, size_t *len, int *alert)
{
	const struct tw_outq_rec *r;

	if (q->nb_recs == 0)
		return 0;
	r = outq_rec(q, 0);
	*data = q->buf + q->head;
	*len = r->end - q->head;
	if (alert != NULL)
		*alert = r->alert;
	return 1;
}

void
tw_outq_pop(struct tw_outq *q)
{
	struct tw_outq_rec *r = outq_rec(q, 0);

	q->nb_alerts -= r->alert;
	q->first = q->head = r->end;
	q->rec_head = (q->rec_head + 1) % q->rec_cap;
	if (--q->nb_recs == 0)
		outq_reset(q);
}

/* The sink took @p n more bytes: returns the alerts now complete. */
static uint64_t
outq_consume(struct tw_outq *q, size_t n)
{
	uint64_t alerts = 0;
	struct tw_outq_rec *r;

	q->head += n;
	while (q->nb_recs > 0 && (r = outq_rec(q, 0))->end <= q->head) {
		alerts += r->alert;
		q->nb_alerts -= r->alert;
		q->first = r->end;
		q->rec_head = (q->rec_head + 1) % q->rec_cap;
		q->nb_recs--;
	}
	if (q->nb_recs == 0)
		outq_reset(q);
	return alerts;
}

/* Drop the record the sink took only part of: its rest must not reach a
 * new reader or connection, where it would not be a record. */
static uint64_t
outq_drop_partial(struct tw_outq *q)
{
	int alert;

	if (q->nb_recs == 0 || q->head == q->first)
		return 0;
	alert = outq_rec(q, 0)->alert;
	tw_outq_pop(q);
	return (uint64_t)alert;
}

/* --- common -------------------------------------------------------------- */

void
tw_output_count(uint64_t *c, uint64_t n)
{
	if (n != 0)
		__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static void
set_pending(struct tw_output *o)
{
	__atomic_store_n(&o->pending, (uint64_t)o->q.nb_alerts + o->in_flight, __ATOMIC_RELAXED);
}

static void
set_connected(struct tw_output *o, int v)
{
	__atomic_store_n(&o->connected, v, __ATOMIC_RELAXED);
}

void
tw_output_progress(struct tw_output *o)
{
	o->progress_ns = tw_now_ns();
	o->stalled = 0;
}

int
tw_output_rec_reserve(struct tw_output *o, size_t len)
{
	char *p;

	if (len <= o->rec_cap)
		return 0;
	p = realloc(o->rec, len);
	if (p == NULL)
		return -ENOMEM;
	o->rec = p;
	o->rec_cap = len;
	return 0;
}

void
tw_output_log(const struct tw_output *o, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* stderr: stdout may be the EVE output. */
	fprintf(stderr, "tapwatch: output %s %s: %s\n", tw_output_type(o), o->target, msg);
}

static int
idle(const struct tw_output *o)
{
	return o->q.nb_recs == 0 && o->nb_unacked == 0;
}

static void
schedule_retry(struct tw_output *o, uint64_t now)
{
	o->retry_ns = now + o->backoff_ns;
	o->backoff_ns = RTE_MIN(o->backoff_ns * 2, o->backoff_max_ns);
}

/*
 * The sink is gone, or never came: close it, keep the queue (a new reader
 * or connection gets it), drop the record cut short and what was in flight.
 */
static void
output_down(struct tw_output *o, int err, uint64_t now)
{
	int was_up = o->state == TW_OUT_UP;
	uint64_t lost = 0;

	if (o->stream)
		lost += outq_drop_partial(&o->q);
	if (o->ops->abandon != NULL)
		lost += o->ops->abandon(o);
	tw_output_count(&o->dropped, lost);
	/* A FIFO without a reader is waited for, not an error. */
	if (err != -ENXIO)
		tw_output_count(&o->errors, 1);
	o->ops->disconnect(o);
	o->state = TW_OUT_DOWN;
	o->last_err = err;
	set_connected(o, 0);
	if (!o->logged_down && err != -ENXIO) {
		tw_output_log(o, "%s: %s; retrying (%s held)", was_up ? "lost" : "cannot connect",
				o->errmsg[0] != '\0' ? o->errmsg : strerror(-err),
				lost > 0 ? "alerts in flight dropped, the rest" : "events");
		o->logged_down = 1;
	}
	o->errmsg[0] = '\0';
	schedule_retry(o, now);
	set_pending(o);
}

static void
output_up(struct tw_output *o)
{
	o->state = TW_OUT_UP;
	if (o->logged_down)
		tw_output_log(o, "connected again");
	o->logged_down = 0;
	o->backoff_ns = o->backoff_min_ns;
	o->last_err = 0;
	set_connected(o, 1);
	tw_output_progress(o);
}

static void
output_connect(struct tw_output *o, uint64_t now)
{
	int ret = o->ops->connect(o);

	if (ret < 0) {
		output_down(o, ret, now);
		return;
	}
	if (o->state == TW_OUT_CONNECTING)
		o->connect_deadline_ns = now + OUT_CONNECT_TIMEOUT_NS;
	else
		output_up(o);
}

/* A non-blocking connect completes when the socket is writable. */
static void
check_connecting(struct tw_output *o, uint64_t now)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
	socklen_t sl = sizeof(int);
	int soerr = 0;

	if (poll(&pfd, 1, 0) <= 0) {
		if (now >= o->connect_deadline_ns)
			output_down(o, -ETIMEDOUT, now);
		return;
	}
	if (getsockopt(o->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr != 0) {
		output_down(o, -soerr, now);
		return;
	}
	output_up(o);
}

void
tw_output_service(struct tw_output *o, uint64_t now)
{
	int ret;

	if (o->state == TW_OUT_DOWN) {
		if (now < o->retry_ns)
			return;
		output_connect(o, now);
	}
	if (o->state == TW_OUT_CONNECTING)
		check_connecting(o, now);
	if (o->state != TW_OUT_UP || idle(o))
		return;
	if (o->ops->recv != NULL) {
		ret = o->ops->recv(o);
		if (ret < 0) {
			output_down(o, ret, now);
			return;
		}
	}
	ret = o->ops->send(o);
	if (ret < 0)
		output_down(o, ret, now);
	set_pending(o);
}

/* Sleep until the output can move or @p ms pass. */
static void
wait_io(const struct tw_output *o, int ms)
{
	struct pollfd pfd = { .fd = o->fd };

	if (o->fd < 0 || o->state == TW_OUT_DOWN) {
		usleep((useconds_t)ms * 1000);
		return;
	}
	pfd.events = o->state == TW_OUT_CONNECTING || (o->q.nb_recs > 0 && o->nb_unacked == 0) ?
			POLLOUT : POLLIN;
	poll(&pfd, 1, ms);
}

/* No progress since max(@p since, last progress) for OUT_STALL_NS? Progress
 * stamped after @p now was read is newer than now: not stalled. */
static int
no_progress(const struct tw_output *o, uint64_t since, uint64_t now)
{
	uint64_t last = RTE_MAX(since, o->progress_ns);

	return now > last && now - last >= OUT_STALL_NS;
}

/* A lossless output stops waiting only when its sink has failed for good. */
static int
sink_failed(const struct tw_output *o)
{
	return o->state == TW_OUT_DOWN && o->last_err != 0 && o->last_err != -ENXIO;
}

/*
 * The queue has no room for @p need bytes. Live: try once, then the caller
 * drops. Offline: a file output waits for its sink (lossless); a network
 * output waits while it makes progress, and after two seconds without any it
 * is marked stalled and drops until it moves again.
 */
static void
make_room(struct tw_output *o, size_t need, uint64_t now)
{
	uint64_t start = now;

	tw_output_service(o, now);
	if (outq_fits(&o->q, need) || !o->offline || o->stalled ||
			need > o->q.cap)
		return;
	for (;;) {
		wait_io(o, OUT_WAIT_MS);
		now = tw_now_ns();
		tw_output_service(o, now);
		if (outq_fits(&o->q, need))
			return;
		if (o->lossless) {
			if (sink_failed(o))
				return;
			continue;
		}
		if (no_progress(o, start, now)) {
			o->stalled = 1;
			tw_output_log(o, "not keeping up for %llu ms: dropping alerts until it "
					"does", (unsigned long long)(OUT_STALL_NS / NS_PER_MS));
			return;
		}
	}
}

void
tw_output_put(struct tw_output *o, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now_ns)
{
	int n = o->ops->encode(o, json, len, alert, severity, now_ns);

	if (n >= 0 && !outq_fits(&o->q, (size_t)n))
		make_room(o, (size_t)n, now_ns);
	if (n < 0 || outq_push(&o->q, o->rec, (size_t)n, alert) != 0) {
		if (alert)
			tw_output_count(&o->dropped, 1);
		return;
	}
	set_pending(o);
}

void
tw_output_drop(struct tw_output *o)
{
	tw_output_count(&o->dropped, 1);
}

/* Give up on what is still queued or in flight. */
static void
abandon_all(struct tw_output *o, uint64_t now)
{
	uint64_t lost;

	/* A record cut short, or requests still unanswered, leave the stream in
	 * a state no new record can follow: close it (it reconnects). */
	if (o->state != TW_OUT_DOWN && ((o->stream && o->q.head != o->q.first) ||
			o->nb_unacked > 0)) {
		o->ops->disconnect(o);
		o->state = TW_OUT_DOWN;
		o->retry_ns = now;
		set_connected(o, 0);
	}
	lost = o->q.nb_alerts;
	outq_reset(&o->q);
	if (o->ops->abandon != NULL)
		lost += o->ops->abandon(o);
	tw_output_count(&o->dropped, lost);
	set_pending(o);
}

void
tw_output_finish(struct tw_output *const *outs, unsigned int nb, uint64_t deadline_ns)
{
	uint64_t start = tw_now_ns(), now;
	uint8_t gave_up[TW_CONFIG_OUTPUTS_MAX] = { 0 };
	unsigned int i;
	int busy;

	nb = RTE_MIN(nb, (unsigned int)TW_CONFIG_OUTPUTS_MAX);
	for (i = 0; i < nb; i++) {
		/* One more try now for an output that is down, rather than after
		 * its backoff; one that stalled before is not waited for again. */
		if (outs[i]->state == TW_OUT_DOWN)
			outs[i]->retry_ns = start;
		gave_up[i] = outs[i]->stalled && !outs[i]->lossless;
	}
	do {
		now = tw_now_ns();
		busy = 0;
		for (i = 0; i < nb; i++) {
			struct tw_output *o = outs[i];

			if (gave_up[i])
				continue;
			tw_output_service(o, now);
			if (idle(o))
				continue;
			if (o->lossless ? sink_failed(o) : (now >= deadline_ns ||
					no_progress(o, start, now))) {
				o->stalled = !o->lossless;
				gave_up[i] = 1;
				continue;
			}
			busy = 1;
		}
		if (busy)
			usleep(1000);
	} while (busy);
	for (i = 0; i < nb; i++)
		if (!idle(outs[i]))
			abandon_all(outs[i], now);
}

void
tw_output_reopen(struct tw_output *o)
{
	uint64_t now = tw_now_ns();

	if (o->conf.type != TW_OUTPUT_FILE || o->conf.path[0] == '\0')
		return;
	if (o->state == TW_OUT_UP) {
		tw_output_count(&o->dropped, outq_drop_partial(&o->q));
		o->ops->disconnect(o);
		o->state = TW_OUT_DOWN;
		set_connected(o, 0);
	}
	o->retry_ns = now;
	o->backoff_ns = o->backoff_min_ns;
	tw_output_service(o, now);
}

void
tw_output_stats(const struct tw_output *o, struct tw_output_stats *st)
{
	st->written = __atomic_load_n(&o->written, __ATOMIC_RELAXED);
	st->dropped = __atomic_load_n(&o->dropped, __ATOMIC_RELAXED);
	st->pending = __atomic_load_n(&o->pending, __ATOMIC_RELAXED);
	st->errors = __atomic_load_n(&o->errors, __ATOMIC_RELAXED);
	st->connected = __atomic_load_n(&o->connected, __ATOMIC_RELAXED);
}

const char *
tw_output_type(const struct tw_output *o)
{
	return tw_config_output_type_name(o->conf.type);
}

const char *
tw_output_target(const struct tw_output *o)
{
	return o->target;
}

/* --- sockets and byte moving shared by the transports --------------------- */

int
tw_output_socket_connect(struct tw_output *o, int fd, const void *sa, unsigned int sa_len)
{
	int ret;

	if (connect(fd, (const struct sockaddr *)sa, (socklen_t)sa_len) == 0) {
		o->fd = fd;
		o->state = TW_OUT_UP;
		return 0;
	}
	if (errno == EINPROGRESS) {
		o->fd = fd;
		o->state = TW_OUT_CONNECTING;
		return 0;
	}
	ret = -errno;
	close(fd);
	return ret;
}

static void
fd_disconnect(struct tw_output *o)
{
	if (o->fd >= 0 && o->own_fd)
		close(o->fd);
	o->fd = -1;
}

/* JSON lines: the EVE line with its newline. */
static int
line_encode(struct tw_output *o, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now_ns)
{
	RTE_SET_USED(alert);
	RTE_SET_USED(severity);
	RTE_SET_USED(now_ns);
	if (tw_output_rec_reserve(o, len + 1) < 0)
		return -ENOMEM;
	memcpy(o->rec, json, len);
	o->rec[len] = '\n';
	return (int)(len + 1);
}

/* Bytes to a stream: whatever the sink takes, records may be cut anywhere. */
static int
stream_send(struct tw_output *o)
{
	struct tw_outq *q = &o->q;
	ssize_t n;

	while (q->head < q->len) {
		if (o->poll_out) {
			/* stdout shared with the shell: poll, never flip O_NONBLOCK
			 * on a file description others use too. */
			struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };

			if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLOUT))
				break;
		}
		if (o->sock)
			n = send(o->fd, q->buf + q->head, q->len - q->head,
					MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			n = write(o->fd, q->buf + q->head, q->len - q->head);
		if (n > 0) {
			tw_output_count(&o->written, outq_consume(q, (size_t)n));
			tw_output_progress(o);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/* One record per datagram: sent whole or not at all. */
static int
dgram_send(struct tw_output *o)
{
	unsigned int refused = 0;
	const char *p;
	size_t len;
	ssize_t n;
	int alert;

	while (tw_outq_front(&o->q, &p, &len, &alert)) {
		n = send(o->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			tw_outq_pop(&o->q);
			tw_output_count(&o->written, (uint64_t)alert);
			tw_output_progress(o);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			break;
		if (errno == EMSGSIZE) {
			/* Larger than a datagram can be: it never will be sent. */
			if (o->errors == 0)
				tw_output_log(o, "a %zu-byte event is too large for a datagram: "
						"dropped", len);
			tw_outq_pop(&o->q);
			tw_output_count(&o->dropped, (uint64_t)alert);
			tw_output_count(&o->errors, 1);
			continue;
		}
		if (errno == ECONNREFUSED && o->conf.type == TW_OUTPUT_SYSLOG &&
				refused++ < OUT_DGRAM_RETRIES) {
			/* UDP: an ICMP unreachable for an earlier datagram. */
			tw_output_count(&o->errors, 1);
			continue;
		}
		return -errno;
	}
	return 0;
}

/* Stream peers send nothing: readable means closed (or junk to discard). */
static int
stream_recv(struct tw_output *o)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLIN };
	char sink[512];
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	n = recv(o->fd, sink, sizeof(sink), MSG_DONTWAIT);
	if (n == 0)
		return -EPIPE;
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		return -errno;
	return 0;
}

/* --- file, FIFO, stdout -------------------------------------------------- */

static int
file_connect(struct tw_output *o)
{
	struct stat st;
	int fd;

	if (o->conf.path[0] == '\0') {
		o->fd = STDOUT_FILENO;
		o->own_fd = 0;
		o->poll_out = fstat(o->fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
				S_ISSOCK(st.st_mode));
		o->state = TW_OUT_UP;
		return 0;
	}
	fd = open(o->conf.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	if (fd < 0)
		return -errno;
	/* Files are written blocking: the disk is not a peer that stalls. A
	 * FIFO stays non-blocking: its reader is. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	o->fd = fd;
	o->own_fd = 1;
	o->state = TW_OUT_UP;
	return 0;
}

static const struct tw_output_ops file_ops = {
	.connect = file_connect,
	.disconnect = fd_disconnect,
	.encode = line_encode,
	.send = stream_send,
};

/* --- unix socket client ---------------------------------------------------- */

static int
unix_connect(struct tw_output *o)
{
	size_t len = strnlen(o->conf.path, sizeof(o->conf.path));
	struct sockaddr_un sun;
	int fd;

	/* The config checked that the path fits; never trust that twice. */
	if (len >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, o->conf.path, len);
	fd = socket(AF_UNIX, (o->conf.dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	o->own_fd = 1;
	return tw_output_socket_connect(o, fd, &sun, sizeof(sun));
}

static const struct tw_output_ops unix_stream_ops = {
	.connect = unix_connect,
	.disconnect = fd_disconnect,
	.encode = line_encode,
	.send = stream_send,
	.recv = stream_recv,
};

static const struct tw_output_ops unix_dgram_ops = {
	.connect = unix_connect,
	.disconnect = fd_disconnect,
	.encode = line_encode,
	.send = dgram_send,
};

/* --- syslog ---------------------------------------------------------------- */

static int
syslog_connect(struct tw_output *o)
{
	int fd = socket(o->sa.ss_family, (o->conf.dgram ? SOCK_DGRAM : SOCK_STREAM) |
			SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	o->own_fd = 1;
	return tw_output_socket_connect(o, fd, &o->sa, o->sa_len);
}

static int
syslog_encode(struct tw_output *o, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now_ns)
{
	struct tw_syslog_header h = {
		.facility = o->conf.facility,
		.severity = alert ? tw_syslog_severity_from_alert(severity) : TW_SYSLOG_INFO,
		.hostname = o->hostname,
		.app_name = o->conf.app_name,
		.procid = o->procid,
		.msgid = alert ? "alert" : "stats",
	};

	if (tw_output_rec_reserve(o, len + TW_SYSLOG_HEADER_MAX + 16) < 0)
		return -ENOMEM;
	return tw_syslog_format(o->rec, o->rec_cap, &h, now_ns, json, len,
			o->conf.dgram ? TW_SYSLOG_FRAME_NONE : TW_SYSLOG_FRAME_OCTET);
}

static const struct tw_output_ops syslog_udp_ops = {
	.connect = syslog_connect,
	.disconnect = fd_disconnect,
	.encode = syslog_encode,
	.send = dgram_send,
};

static const struct tw_output_ops syslog_tcp_ops = {
	.connect = syslog_connect,
	.disconnect = fd_disconnect,
	.encode = syslog_encode,
	.send = stream_send,
	.recv = stream_recv,
};

/* --- creation -------------------------------------------------------------- */

static int
server_addr(struct tw_output *o)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&o->sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&o->sa;

	memset(&o->sa, 0, sizeof(o->sa));
	if (inet_pton(AF_INET, o->conf.server, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(o->conf.port);
		o->sa_len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, o->conf.server, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(o->conf.port);
		o->sa_len = sizeof(*s6);
		return 0;
	}
	return -EINVAL;
}

/* "host:port", IPv6 in brackets. */
static void
host_port(const struct tw_config_output *c, char *buf, size_t size)
{
	if (c->path[0] != '\0')
		snprintf(buf, size, "%s", c->path);
	else if (strchr(c->server, ':') != NULL)
		snprintf(buf, size, "[%s]:%u", c->server, c->port);
	else
		snprintf(buf, size, "%s:%u", c->server, c->port);
}

void
tw_output_describe(const struct tw_config_output *c, char *buf, size_t size)
{
	char hp[PATH_MAX + 8];

	switch (c->type) {
	case TW_OUTPUT_FILE:
		snprintf(buf, size, "%s", c->path[0] != '\0' ? c->path : "-");
		break;
	case TW_OUTPUT_UNIX:
		snprintf(buf, size, "%s:%s", c->dgram ? "dgram" : "stream", c->path);
		break;
	case TW_OUTPUT_SYSLOG:
		host_port(c, hp, sizeof(hp));
		snprintf(buf, size, "%s:%s", c->dgram ? "udp" : "tcp", hp);
		break;
	case TW_OUTPUT_REDIS:
	default:
		host_port(c, hp, sizeof(hp));
		snprintf(buf, size, "%s:%s@%s", c->redis_stream ? "stream" : "list", c->key, hp);
		break;
	}
}

/* HOSTNAME: the configured one, else the machine's if RFC 5424 allows it. */
static void
syslog_identity(struct tw_output *o)
{
	char host[sizeof(o->hostname)];

	snprintf(o->procid, sizeof(o->procid), "%d", (int)getpid());
	if (o->conf.hostname[0] != '\0') {
		snprintf(o->hostname, sizeof(o->hostname), "%s", o->conf.hostname);
		return;
	}
	memset(host, 0, sizeof(host));
	if (gethostname(host, sizeof(host) - 1) == 0 &&
			tw_syslog_field_valid(host, TW_SYSLOG_HOSTNAME_MAX))
		memcpy(o->hostname, host, sizeof(host));
	else
		o->hostname[0] = '\0';	/* written as "-" */
}

struct tw_output *
tw_output_create(const struct tw_config_output *c, int offline, char *errbuf, size_t errlen)
{
	struct tw_output *o = calloc(1, sizeof(*o));
	int ret;

	if (o == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	o->conf = *c;
	o->fd = -1;
	o->offline = offline;
	o->state = TW_OUT_DOWN;
	o->backoff_min_ns = OUT_NET_BACKOFF_MIN_NS;
	o->backoff_max_ns = OUT_NET_BACKOFF_MAX_NS;
	tw_output_describe(c, o->target, sizeof(o->target));
	if (outq_init(&o->q, c->buffer_size) < 0) {
		snprintf(errbuf, errlen, "out of memory for the %u-byte buffer of output %s",
				c->buffer_size, o->target);
		goto fail;
	}
	switch (c->type) {
	case TW_OUTPUT_FILE:
		o->ops = &file_ops;
		o->stream = 1;
		o->lossless = offline;
		o->backoff_min_ns = o->backoff_max_ns = OUT_FILE_RETRY_NS;
		break;
	case TW_OUTPUT_UNIX:
		o->ops = c->dgram ? &unix_dgram_ops : &unix_stream_ops;
		o->stream = !c->dgram;
		o->sock = 1;
		break;
	case TW_OUTPUT_SYSLOG:
		o->ops = c->dgram ? &syslog_udp_ops : &syslog_tcp_ops;
		o->stream = !c->dgram;
		o->sock = 1;
		syslog_identity(o);
		if (server_addr(o) < 0) {
			snprintf(errbuf, errlen, "output %s: %s is not an IP address", o->target,
					c->server);
			goto fail;
		}
		break;
	case TW_OUTPUT_REDIS:
		o->ops = &tw_output_redis_ops;
		break;
	default:
		snprintf(errbuf, errlen, "output type %d is unknown", (int)c->type);
		goto fail;
	}
	o->backoff_ns = o->backoff_min_ns;

	/* A file that cannot be opened is a startup error, as it always was
	 * (a FIFO without a reader is waited for); a network peer that is not
	 * there yet is retried. */
	ret = o->ops->connect(o);
	if (ret < 0 && c->type == TW_OUTPUT_FILE && ret != -ENXIO) {
		snprintf(errbuf, errlen, "cannot open EVE output %s: %s", c->path,
				strerror(-ret));
		goto fail;
	}
	if (ret < 0)
		output_down(o, ret, tw_now_ns());
	else if (o->state == TW_OUT_CONNECTING)
		o->connect_deadline_ns = tw_now_ns() + OUT_CONNECT_TIMEOUT_NS;
	else
		output_up(o);
	return o;
fail:
	tw_output_free(o);
	return NULL;
}

void
tw_output_free(struct tw_output *o)
{
	if (o == NULL)
		return;
	if (o->ops != NULL && o->state != TW_OUT_DOWN)
		o->ops->disconnect(o);
	free(o->priv);
	free(o->rec);
	outq_free(&o->q);
	free(o);
}
