/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Redis output (hiredis, non-blocking): each event is one command, RPUSH
 * key json (mode "list") or XADD key MAXLEN ~ N * event json (mode
 * "stream", as Suricata's redis output). Commands are formatted by hiredis
 * into the output's own bounded queue; when hiredis has written its previous
 * batch, up to REDIS_BATCH_CMDS of them move into its buffer and go out
 * pipelined, and replies are read as they come. An alert is written when
 * Redis answers its command, dropped when Redis answers with an error or the
 * connection breaks before the answer (it may or may not have been stored:
 * never sent twice).
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "output_priv.h"

/* Per batch handed to hiredis: bounds its own (unbounded) buffer. */
#define REDIS_BATCH_CMDS 256
#define REDIS_BATCH_BYTES (256u << 10)
/* Commands sent and not yet answered. */
#define REDIS_IN_FLIGHT_MAX 4096

struct redis_priv {
	redisContext *c;
	int obuf_busy;			/* hiredis still holds bytes of a batch */
	int reply_error_logged;
	unsigned int head;		/* ring of in-flight commands: alert or not */
	unsigned int nb;
	uint8_t alert[REDIS_IN_FLIGHT_MAX];
};

/* hiredis says what went wrong in errstr; keep it for the log line. */
static int
redis_error(struct tw_output *o, int fallback)
{
	struct redis_priv *r = o->priv;

	if (r->c != NULL && r->c->errstr[0] != '\0')
		snprintf(o->errmsg, sizeof(o->errmsg), "%s", r->c->errstr);
	if (r->c != NULL && r->c->err == REDIS_ERR_EOF)
		return -EPIPE;
	return fallback;
}

static int
redis_connect(struct tw_output *o)
{
	struct redis_priv *r = o->priv;
	redisContext *c;
	int e;

	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return -ENOMEM;
		o->priv = r;
	}
	r->obuf_busy = 0;
	r->head = r->nb = 0;
	o->in_flight = o->nb_unacked = 0;
	/* Both connect without waiting; an IP address needs no DNS lookup. */
	errno = 0;
	c = o->conf.path[0] != '\0' ? redisConnectUnixNonBlock(o->conf.path) :
			redisConnectNonBlock(o->conf.server, o->conf.port);
	e = errno;
	if (c == NULL)
		return -ENOMEM;
	if (c->err != 0) {
		snprintf(o->errmsg, sizeof(o->errmsg), "%s", c->errstr);
		redisFree(c);
		return e != 0 ? -e : -ECONNREFUSED;
	}
	r->c = c;
	o->fd = c->fd;
	/* Done when the socket is writable (tw_output_service checks). */
	o->state = TW_OUT_CONNECTING;
	return 0;
}

static void
redis_disconnect(struct tw_output *o)
{
	struct redis_priv *r = o->priv;

	if (r != NULL && r->c != NULL) {
		redisFree(r->c);	/* closes the socket */
		r->c = NULL;
	}
	o->fd = -1;
}

static uint64_t
redis_abandon(struct tw_output *o)
{
	struct redis_priv *r = o->priv;
	uint64_t lost = o->in_flight;

	if (r != NULL) {
		r->head = r->nb = 0;
		r->obuf_busy = 0;
	}
	o->in_flight = o->nb_unacked = 0;
	return lost;
}

static int
redis_encode(struct tw_output *o, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now_ns)
{
	const char *argv[8];
	size_t argvlen[8];
	char maxlen[24];
	char *cmd = NULL;
	int argc = 0, n;

	RTE_SET_USED(alert);
	RTE_SET_USED(severity);
	RTE_SET_USED(now_ns);
	snprintf(maxlen, sizeof(maxlen), "%u", o->conf.maxlen);
#define ARG(s, l) do { argv[argc] = (s); argvlen[argc] = (l); argc++; } while (0)
	if (o->conf.redis_stream) {
		ARG("XADD", 4);
		ARG(o->conf.key, strlen(o->conf.key));
		if (o->conf.maxlen != 0) {
			/* "~": Redis trims whole nodes, cheaply, to at least N entries. */
			ARG("MAXLEN", 6);
			ARG("~", 1);
			ARG(maxlen, strlen(maxlen));
		}
		ARG("*", 1);
		ARG("event", 5);
	} else {
		ARG("RPUSH", 5);
		ARG(o->conf.key, strlen(o->conf.key));
	}
	ARG(json, len);
#undef ARG
	n = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
	if (n < 0 || cmd == NULL)
		return -ENOMEM;
	if (tw_output_rec_reserve(o, (size_t)n) < 0) {
		redisFreeCommand(cmd);
		return -ENOMEM;
	}
	memcpy(o->rec, cmd, (size_t)n);
	redisFreeCommand(cmd);
	return n;
}

static int
redis_send(struct tw_output *o)
{
	struct redis_priv *r = o->priv;
	size_t len, bytes = 0;
	unsigned int n = 0;
	const char *p;
	int alert, done = 0;

	if (!r->obuf_busy) {
		while (n < REDIS_BATCH_CMDS && bytes < REDIS_BATCH_BYTES &&
				r->nb < REDIS_IN_FLIGHT_MAX &&
				tw_outq_front(&o->q, &p, &len, &alert)) {
			if (redisAppendFormattedCommand(r->c, p, len) != REDIS_OK)
				return redis_error(o, -ENOMEM);
			r->alert[(r->head + r->nb) % REDIS_IN_FLIGHT_MAX] = (uint8_t)alert;
			r->nb++;
			o->nb_unacked++;
			o->in_flight += (uint64_t)alert;
			tw_outq_pop(&o->q);
			n++;
			bytes += len;
		}
		if (n == 0)
			return 0;
		r->obuf_busy = 1;
	}
	if (redisBufferWrite(r->c, &done) != REDIS_OK)
		return redis_error(o, -EIO);
	r->obuf_busy = !done;
	return 0;
}

static int
redis_recv(struct tw_output *o)
{
	struct redis_priv *r = o->priv;
	redisReply *rep;
	void *reply;
	int alert;

	if (r->nb == 0) {
		/* Nothing asked: readable means the server closed an idle link. */
		struct pollfd pfd = { .fd = o->fd, .events = POLLIN };

		if (poll(&pfd, 1, 0) <= 0)
			return 0;
	}
	if (redisBufferRead(r->c) != REDIS_OK)
		return redis_error(o, -EIO);
	for (;;) {
		reply = NULL;
		if (redisGetReplyFromReader(r->c, &reply) != REDIS_OK)
			return redis_error(o, -EPROTO);
		if (reply == NULL)
			return 0;
		rep = reply;
		if (r->nb == 0) {
			/* A reply to nothing we sent: the stream is not ours to trust. */
			freeReplyObject(reply);
			snprintf(o->errmsg, sizeof(o->errmsg), "unexpected reply from the server");
			return -EPROTO;
		}
		alert = r->alert[r->head];
		r->head = (r->head + 1) % REDIS_IN_FLIGHT_MAX;
		r->nb--;
		o->nb_unacked--;
		o->in_flight -= (uint64_t)alert;
		if (rep->type == REDIS_REPLY_ERROR) {
			if (!r->reply_error_logged)
				tw_output_log(o, "the server refused an event: %.*s",
						(int)RTE_MIN(rep->len, (size_t)160), rep->str);
			r->reply_error_logged = 1;
			tw_output_count(&o->errors, 1);
			tw_output_count(&o->dropped, (uint64_t)alert);
		} else {
			tw_output_count(&o->written, (uint64_t)alert);
		}
		freeReplyObject(reply);
		tw_output_progress(o);
	}
}

const struct tw_output_ops tw_output_redis_ops = {
	.connect = redis_connect,
	.disconnect = redis_disconnect,
	.encode = redis_encode,
	.send = redis_send,
	.recv = redis_recv,
	.abandon = redis_abandon,
};
