/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_OUTPUT_H
#define TW_OUTPUT_H

/**
 * @file
 * EVE outputs: file (or FIFO, or stdout), unix socket client, syslog
 * (RFC 5424 over UDP or TCP), Redis (list or stream). The exporter builds
 * each event's JSON once and hands it to every output; each output frames it
 * its own way into its own bounded queue (outputs[].buffer_size bytes) and
 * moves it to its sink with non-blocking I/O. Nothing here waits on a
 * network peer, except where the function says so (offline mode, exit).
 *
 * Threads: only the exporter thread (or, offline and at exit, the main
 * lcore while the exporter thread is not running) calls these functions,
 * except tw_output_stats(), which any thread may call: its counters are
 * written with relaxed atomics.
 *
 * Accounting, per output: every alert handed to tw_output_put() (or counted
 * with tw_output_drop()) is exactly one of written, dropped or pending.
 *   written  its last byte was taken by the sink: write(2)/send(2) accepted
 *            it (file, unix, syslog), or Redis replied to its command
 *   dropped  it never will be: queue full, sink lost mid-record, too big for
 *            a datagram, Redis replied with an error, in flight when the
 *            Redis connection broke, or still queued when the exit wait ended
 *   pending  queued, or sent to Redis without a reply yet
 * Non-alert events (stats) are delivered the same way but not counted.
 */

#include <stddef.h>
#include <stdint.h>

#include "tw_config.h"

struct tw_output;

/** Counters of one output (a snapshot; fields read independently). */
struct tw_output_stats {
	uint64_t written;
	uint64_t dropped;
	uint64_t pending;
	uint64_t errors;	/**< failed writes, failed connection attempts, error replies */
	int connected;		/**< the sink is open / connected now */
};

/**
 * Create an output; a file is opened now (an error other than a FIFO
 * without a reader fails), a network output connects in the background.
 *
 * @param c
 *   Its configuration (copied).
 * @param offline
 *   Offline (-r) mode: file outputs never drop (they wait for the sink);
 *   a network output whose queue is full waits while it makes progress.
 * @param errbuf
 *   Message on failure.
 * @return
 *   The output, or NULL with @p errbuf set.
 */
struct tw_output *tw_output_create(const struct tw_config_output *c, int offline,
		char *errbuf, size_t errlen);

/** Close and free; NULL is fine. Pending alerts are not counted again. */
void tw_output_free(struct tw_output *o);

/**
 * Queue one event. Live, a full queue drops the event (counted if an alert);
 * offline, see tw_output_create().
 *
 * @param json
 *   The EVE JSON object, without a newline.
 * @param len
 *   Its length.
 * @param alert
 *   1 for an alert (counted), 0 for other events (stats).
 * @param severity
 *   The alert's EVE severity (syslog severity), ignored for other events.
 * @param now_ns
 *   Wall clock (syslog TIMESTAMP, reconnect timers).
 */
void tw_output_put(struct tw_output *o, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now_ns);

/** Count an alert that could not be encoded as dropped. */
void tw_output_drop(struct tw_output *o);

/**
 * Make what progress the sink allows now without waiting: (re)connect when
 * due, send queued records, read Redis replies.
 */
void tw_output_service(struct tw_output *o, uint64_t now_ns);

/** Reopen a file output (logrotate); other outputs ignore it. */
void tw_output_reopen(struct tw_output *o);

/**
 * Wait until the outputs have sent everything they hold, then drop (and
 * count) what is left. Offline file outputs wait as long as their sink
 * works; every other output waits until @p deadline_ns, and an output that
 * makes no progress for two seconds (a dead server, a reader that stopped
 * reading) is given up on earlier. An output that was not connected gets
 * one immediate connection attempt.
 */
void tw_output_finish(struct tw_output *const *outs, unsigned int nb, uint64_t deadline_ns);

/** Read the counters (any thread). */
void tw_output_stats(const struct tw_output *o, struct tw_output_stats *st);

/** "file", "unix", "syslog", "redis". */
const char *tw_output_type(const struct tw_output *o);

/** Where it goes: "eve.json", "-", "stream:/run/x.sock", "udp:127.0.0.1:514",
 * "list:tapwatch@127.0.0.1:6379". */
const char *tw_output_target(const struct tw_output *o);

/** Write what tw_output_target() would say of @p c into @p buf. */
void tw_output_describe(const struct tw_config_output *c, char *buf, size_t size);

#endif /* TW_OUTPUT_H */
