/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_OUTPUT_PRIV_H
#define TW_OUTPUT_PRIV_H

/*
 * Inside the outputs: the bounded record queue every output has, the output
 * object, and the operations a transport implements (output.c: file, unix,
 * syslog; output_redis.c: Redis).
 */

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <rte_common.h>

#include "output.h"

/*
 * A bounded queue of records (the framed bytes of one event each).
 * buf[head..len) is what the sink has not taken yet; records end at
 * recs[].end, the first one starting at first. head > first means the sink
 * took part of the first record (a stream write cut short).
 */
struct tw_outq_rec {
	size_t end;
	uint8_t alert;
};

struct tw_outq {
	char *buf;
	size_t cap;
	size_t first;
	size_t head;
	size_t len;
	struct tw_outq_rec *recs;
	size_t rec_cap;
	size_t rec_head;
	size_t nb_recs;
	size_t nb_alerts;
};

enum tw_output_state {
	TW_OUT_DOWN = 0,	/* closed; connect when retry_ns is due */
	TW_OUT_CONNECTING,	/* non-blocking connect in progress */
	TW_OUT_UP,
};

struct tw_output_ops {
	/* Open or start connecting: 0 with state set to UP or CONNECTING, or a
	 * negative errno (-ENXIO: a FIFO without a reader, not an error). */
	int (*connect)(struct tw_output *o);
	/* Close whatever is open; never fails. */
	void (*disconnect)(struct tw_output *o);
	/* Frame one event into o->rec: its length, or a negative errno. */
	int (*encode)(struct tw_output *o, const char *json, size_t len, int alert,
			unsigned int severity, uint64_t now_ns);
	/* Move queued records to the sink: 0 (done or would block), or a
	 * negative errno when the sink is lost. */
	int (*send)(struct tw_output *o);
	/* Read what the peer sends back (Redis replies): 0 or a negative errno. */
	int (*recv)(struct tw_output *o);
	/* Alerts sent but not yet acknowledged; dropped when the link breaks. */
	uint64_t (*abandon)(struct tw_output *o);
};

struct tw_output {
	const struct tw_output_ops *ops;
	struct tw_config_output conf;
	char target[PATH_MAX + 64];
	int fd;
	int own_fd;		/* file: 0 for stdout */
	int poll_out;		/* stdout pipe/socket: poll before writing */
	int stream;		/* a byte stream: records may be cut short */
	int sock;		/* a socket: send(MSG_NOSIGNAL), not write() */
	enum tw_output_state state;
	int offline;
	int lossless;		/* offline file output: wait, never drop */
	int stalled;		/* made no progress for a while: do not wait on it */
	int last_err;		/* last connect or I/O error (negative errno) */
	int logged_down;	/* the current outage has been reported */
	uint64_t retry_ns;
	uint64_t backoff_ns;
	uint64_t backoff_min_ns;
	uint64_t backoff_max_ns;
	uint64_t connect_deadline_ns;
	uint64_t progress_ns;	/* last time the sink took something */
	uint64_t in_flight;	/* alerts sent, not acknowledged (Redis) */
	uint64_t nb_unacked;	/* records (alerts or not) sent, not acknowledged */
	char errmsg[128];	/* the transport's words for its last error, or "" */
	struct sockaddr_storage sa;	/* syslog server */
	unsigned int sa_len;
	struct tw_outq q;
	char *rec;		/* encode scratch */
	size_t rec_cap;
	void *priv;		/* transport state (Redis context) */
	/* syslog header fields fixed at creation */
	char hostname[TW_SYSLOG_HOSTNAME_MAX + 1];
	char procid[16];
	/* counters: written by the exporter, read by anyone (relaxed) */
	uint64_t written;
	uint64_t dropped;
	uint64_t errors;
	uint64_t pending;
	int connected;
};

/* Queue: what the transports use. */
int tw_outq_front(const struct tw_outq *q, const char **data, size_t *len, int *alert);
void tw_outq_pop(struct tw_outq *q);

/* Counters and events the transports report. */
void tw_output_count(uint64_t *c, uint64_t n);
void tw_output_progress(struct tw_output *o);
int tw_output_rec_reserve(struct tw_output *o, size_t len);
void tw_output_log(const struct tw_output *o, const char *fmt, ...) __rte_format_printf(2, 3);

/* Non-blocking connect of fd to a socket address: 0 (UP or CONNECTING set)
 * or a negative errno. */
int tw_output_socket_connect(struct tw_output *o, int fd, const void *sa, unsigned int sa_len);

extern const struct tw_output_ops tw_output_redis_ops;

#endif /* TW_OUTPUT_PRIV_H */
