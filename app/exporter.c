/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * The exporter: the only consumer of the workers' alert rings and the only
 * writer of the EVE output. JSON is built here, never on a worker. Live, it
 * runs as a DPDK control thread; offline (-r) the reader calls
 * tw_exporter_drain() after every burst instead.
 *
 * Output: lines go into a buffer of output.buffer_size bytes and from there
 * to the sink with write(2). A pipe or socket sink is non-blocking: when it
 * stalls, lines wait in the buffer; when the buffer is full, new alerts are
 * counted as dropped (never waited for), and writing resumes when the sink
 * drains. A reader that goes away (EPIPE) loses what was buffered (counted)
 * and the path is reopened until a reader is back. Offline, nothing races
 * the exporter, so it waits for the sink instead of dropping.
 *
 * Accounting is exact: an alert is "written" once all its bytes are in the
 * sink, "dropped" if it never will be; so alerts_raised == alerts_written +
 * alerts_dropped (ring drops + output drops) once the rings are drained.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "tw_alert.h"
#include "tw_app.h"
#include "tw_json.h"

#define EXP_BURST 32
#define EXP_LINE_MAX 8192
#define EXP_IDLE_US 1000
/* Shortest alert line: bounds the number of alert ends the buffer can hold. */
#define EXP_ALERT_MIN 128
/* Reopen a vanished FIFO reader at most this often. */
#define EXP_REOPEN_NS 200000000ull

struct tw_exporter {
	int fd;
	int own_fd;
	int nonblock;		/* FIFO or socket: never block on it */
	int lossless;		/* offline: wait for the sink instead of dropping */
	char path[PATH_MAX];
	uint64_t reopen_ns;
	pthread_t tid;
	int running;
	volatile int stop_req;
	/* buf[head..len) is pending; ends[] are the end offsets of its alerts */
	char *buf;
	size_t cap;
	size_t head;
	size_t len;
	size_t *ends;
	size_t nb_ends_cap;
	size_t ends_head;
	size_t nb_ends;
	uint64_t written;	/* alerts fully in the sink */
	uint64_t dropped;	/* alerts that never will be */
	uint64_t write_errors;	/* failed write(2) calls */
	char line[EXP_LINE_MAX];
	struct tw_alert alerts[EXP_BURST];
};

static void
count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static int
open_sink(struct tw_exporter *ex)
{
	struct stat st;
	int fd;

	fd = open(ex->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		/* Files are written blocking: the disk is not a peer that stalls. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		ex->nonblock = 0;
	} else {
		ex->nonblock = 1;
	}
	ex->fd = fd;
	return 0;
}

struct tw_exporter *
tw_exporter_create(const char *path, size_t buffer_size, int lossless, char *errbuf,
		size_t errlen)
{
	struct tw_exporter *ex = calloc(1, sizeof(*ex));
	struct stat st;
	int ret;

	if (ex == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	ex->lossless = lossless;
	ex->cap = buffer_size;
	ex->buf = malloc(ex->cap);
	ex->nb_ends_cap = ex->cap / EXP_ALERT_MIN + 1;
	ex->ends = calloc(ex->nb_ends_cap, sizeof(*ex->ends));
	if (ex->buf == NULL || ex->ends == NULL) {
		snprintf(errbuf, errlen, "out of memory for a %zu-byte output buffer", ex->cap);
		tw_exporter_free(ex);
		return NULL;
	}
	if (path == NULL || path[0] == '\0' || strcmp(path, "-") == 0) {
		ex->fd = STDOUT_FILENO;
		/* A pipe we share with the shell: poll for it rather than flip
		 * O_NONBLOCK on a file description others use too. */
		ex->nonblock = fstat(ex->fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
				S_ISSOCK(st.st_mode));
		return ex;
	}
	snprintf(ex->path, sizeof(ex->path), "%s", path);
	ex->own_fd = 1;
	ret = open_sink(ex);
	if (ret == -ENXIO) {
		/* A FIFO with no reader yet: alerts wait in the buffer for one. */
		ex->fd = -1;
		ex->nonblock = 1;
		return ex;
	}
	if (ret < 0) {
		snprintf(errbuf, errlen, "cannot open EVE output %s: %s", path, strerror(-ret));
		tw_exporter_free(ex);
		return NULL;
	}
	return ex;
}

/* Mark alerts whose last byte is now in the sink as written. */
static void
settle(struct tw_exporter *ex)
{
	uint64_t n = 0;

	while (ex->nb_ends > 0 && ex->ends[ex->ends_head] <= ex->head) {
		ex->ends_head = (ex->ends_head + 1) % ex->nb_ends_cap;
		ex->nb_ends--;
		n++;
	}
	if (n > 0)
		count(&ex->written, n);
	if (ex->head == ex->len) {
		ex->head = ex->len = 0;
		ex->ends_head = 0;
	}
}

/* The sink is gone: what it did not take is lost. */
static void
sink_lost(struct tw_exporter *ex, uint64_t now_ns)
{
	count(&ex->dropped, ex->nb_ends);
	ex->nb_ends = 0;
	ex->head = ex->len = 0;
	ex->ends_head = 0;
	if (ex->own_fd && ex->fd >= 0) {
		close(ex->fd);
		ex->fd = -1;
		ex->reopen_ns = now_ns + EXP_REOPEN_NS;
	}
}

/*
 * Write what the sink takes now. Returns 0 when the buffer is empty or the
 * sink would block, -1 when the sink is gone.
 */
static int
flush_some(struct tw_exporter *ex)
{
	ssize_t n;

	if (ex->fd < 0 && ex->own_fd) {
		uint64_t now = tw_now_ns();

		if (now < ex->reopen_ns || open_sink(ex) != 0) {
			ex->fd = -1;
			if (now >= ex->reopen_ns)
				ex->reopen_ns = now + EXP_REOPEN_NS;
			return 0;
		}
	}
	while (ex->head < ex->len) {
		if (ex->nonblock && ex->fd == STDOUT_FILENO) {
			struct pollfd pfd = { .fd = ex->fd, .events = POLLOUT };

			if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLOUT))
				break;
		}
		n = write(ex->fd, ex->buf + ex->head, ex->len - ex->head);
		if (n > 0) {
			ex->head += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		count(&ex->write_errors, 1);
		settle(ex);
		sink_lost(ex, tw_now_ns());
		return -1;
	}
	settle(ex);
	return 0;
}

/* Wait until the sink takes everything (offline, shutdown of a live sink). */
static void
flush_all(struct tw_exporter *ex, int timeout_ms)
{
	uint64_t deadline = tw_now_ns() + (uint64_t)timeout_ms * 1000000ull;

	while (ex->head < ex->len) {
		struct pollfd pfd = { .fd = ex->fd, .events = POLLOUT };

		if (flush_some(ex) < 0 || ex->head == ex->len)
			break;
		if (timeout_ms >= 0 && tw_now_ns() >= deadline)
			break;
		if (ex->fd >= 0)
			poll(&pfd, 1, 10);
		else
			usleep(10000);
	}
}

/* Append one line; alerts that do not fit are dropped, never waited for live. */
static void
append(struct tw_exporter *ex, const char *line, size_t len, int is_alert)
{
	if (ex->len + len > ex->cap && ex->head > 0) {
		memmove(ex->buf, ex->buf + ex->head, ex->len - ex->head);
		for (size_t i = 0, k = ex->ends_head; i < ex->nb_ends; i++) {
			ex->ends[k] -= ex->head;
			k = (k + 1) % ex->nb_ends_cap;
		}
		ex->len -= ex->head;
		ex->head = 0;
	}
	if (ex->len + len > ex->cap && ex->lossless) {
		flush_all(ex, -1);
		settle(ex);
	}
	if (ex->len + len > ex->cap || (is_alert && ex->nb_ends == ex->nb_ends_cap)) {
		if (is_alert)
			count(&ex->dropped, 1);
		return;
	}
	memcpy(ex->buf + ex->len, line, len);
	ex->len += len;
	if (is_alert) {
		ex->ends[(ex->ends_head + ex->nb_ends) % ex->nb_ends_cap] = ex->len;
		ex->nb_ends++;
	}
}

void
tw_exporter_free(struct tw_exporter *ex)
{
	if (ex == NULL)
		return;
	if (ex->own_fd && ex->fd >= 0)
		close(ex->fd);
	free(ex->ends);
	free(ex->buf);
	free(ex);
}

unsigned int
tw_exporter_drain(struct tw_exporter *ex, struct tw_app *app)
{
	unsigned int total = 0, n, i;
	uint16_t w;
	int len;

	for (w = 0; w < app->nb_workers; w++) {
		struct rte_ring *r = app->workers[w].ring;

		if (r == NULL)
			continue;
		while ((n = tw_alert_ring_pop(r, ex->alerts, EXP_BURST)) > 0) {
			for (i = 0; i < n; i++) {
				len = tw_json_alert_line(&ex->alerts[i], ex->line, sizeof(ex->line));
				if (len < 0) {
					count(&ex->dropped, 1);
					continue;
				}
				append(ex, ex->line, (size_t)len, 1);
			}
			total += n;
			flush_some(ex);
		}
	}
	flush_some(ex);
	return total;
}

int
tw_exporter_write_json(struct tw_exporter *ex, json_t *obj)
{
	char *s;

	if (obj == NULL)
		return -ENOMEM;
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (s == NULL)
		return -ENOMEM;
	append(ex, s, strlen(s), 0);
	append(ex, "\n", 1, 0);
	free(s);
	flush_some(ex);
	return 0;
}

static void *
exporter_thread(void *arg)
{
	struct tw_app *app = arg;
	struct tw_exporter *ex = app->exp;
	uint64_t interval_ns = (uint64_t)app->cfg.stats_interval_s * 1000000000ull;
	uint64_t next_stats = tw_now_ns() + interval_ns;

	while (!ex->stop_req) {
		unsigned int n = tw_exporter_drain(ex, app);

		if (interval_ns != 0 && tw_now_ns() >= next_stats) {
			uint64_t now = tw_now_ns();

			tw_exporter_write_json(ex, tw_stats_json(app, now));
			next_stats = now + interval_ns;
		}
		if (n == 0)
			usleep(EXP_IDLE_US);
	}
	return NULL;
}

int
tw_exporter_start(struct tw_exporter *ex, struct tw_app *app)
{
	int ret;

	ex->stop_req = 0;
	ret = rte_ctrl_thread_create(&ex->tid, "tw-exporter", NULL, exporter_thread, app);
	if (ret != 0)
		return -ret;
	ex->running = 1;
	return 0;
}

void
tw_exporter_stop(struct tw_exporter *ex, struct tw_app *app)
{
	if (ex->running) {
		ex->stop_req = 1;
		pthread_join(ex->tid, NULL);
		ex->running = 0;
	}
	/* Workers have stopped: whatever is left in the rings is final. */
	tw_exporter_drain(ex, app);
}

void
tw_exporter_finish(struct tw_exporter *ex, int timeout_ms)
{
	/* A sink that never comes back must not hold the shutdown forever. */
	flush_all(ex, ex->lossless ? -1 : timeout_ms);
	if (ex->nb_ends > 0 || ex->head < ex->len) {
		count(&ex->dropped, ex->nb_ends);
		ex->nb_ends = 0;
		ex->head = ex->len = 0;
	}
}

uint64_t
tw_exporter_written(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->written, __ATOMIC_RELAXED) : 0;
}

uint64_t
tw_exporter_dropped(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->dropped, __ATOMIC_RELAXED) : 0;
}

uint64_t
tw_exporter_errors(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->write_errors, __ATOMIC_RELAXED) : 0;
}

uint64_t
tw_exporter_pending(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->nb_ends, __ATOMIC_RELAXED) : 0;
}
