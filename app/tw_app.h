/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_APP_H
#define TW_APP_H

/**
 * @file
 * Application state shared by main, ports, workers, the exporter and stats.
 *
 * Threads: the main lcore owns setup, signals, the console status line and
 * shutdown; each worker lcore owns its struct tw_worker (pipeline, flow
 * table, scratch, counters, alert ring producer side); the exporter control
 * thread owns the EVE output and the consumer side of every alert ring.
 * Counters are written by one thread and read by others with relaxed loads.
 */

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "tw_config.h"
#include "tw_pipeline.h"
#include "tw_sig.h"

#define TW_WORKERS_MAX 64
#define TW_WORKER_RX_MAX (TW_CONFIG_PORTS_MAX * 2)
#define TW_NO_PORT UINT16_MAX

/** Worker counters beside the pipeline's. */
#define TW_WORKER_COUNTER_LIST(X) \
	X(TX_PKTS, "tx_packets") \
	X(TX_DROPPED, "tx_dropped") \
	X(FREED_TAP, "tap_packets_freed")

#define TW_WORKER_COUNTER_ENUM(name, str) TW_WORKER_ ## name,
enum tw_worker_counter {
	TW_WORKER_COUNTER_LIST(TW_WORKER_COUNTER_ENUM)
	TW_WORKER_COUNTER_MAX,
};
#undef TW_WORKER_COUNTER_ENUM

/** One RX queue a worker polls, and where its packets go. */
struct tw_worker_rx {
	uint16_t rx_port;
	uint16_t queue;
	uint16_t tx_port;	/**< peer port (inline) or TW_NO_PORT (tap) */
};

/** Per-worker state; one cache-aligned block per lcore. */
struct tw_worker {
	uint64_t c[TW_WORKER_COUNTER_MAX];
	struct tw_pipeline *pl;
	struct rte_ring *ring;		/**< alert ring, this worker produces */
	struct rte_mempool *pool;	/**< this worker's RX queues' mbufs */
	struct tw_worker_rx rx[TW_WORKER_RX_MAX];
	uint16_t nb_rx;
	uint16_t id;
	unsigned int lcore;
	/** Hot reload: rules the control thread posts, taken between bursts. */
	const struct tw_pipeline_rules *mailbox;
	hs_scratch_t *retired;		/**< scratch replaced by the last reload */
} __rte_cache_aligned;

struct tw_exporter;

/** A hot reload posted to the workers, freed after two RCU grace periods. */
struct tw_pending_reload {
	struct tw_pipeline_rules *rules;	/**< one per worker */
	struct tw_config *cfg;
	struct tw_sig_db *db;
	uint64_t token;
	int phase;			/**< 0 none, 1 first grace period, 2 second */
};

/** The application. */
struct tw_app {
	struct tw_config cfg;
	struct tw_sig_db *db;
	struct tw_worker *workers;	/**< nb_workers entries */
	uint16_t nb_workers;
	struct tw_exporter *exp;
	const char *pcap_path;		/**< -r */
	const char *eve_path;		/**< effective output, "" = stdout */
	unsigned int idle_exit_s;	/**< --idle-exit, 0 = never */
	int quiet;			/**< no console status line */
	uint64_t start_ns;		/**< wall clock at start */
	uint64_t tsc_hz;
	uint64_t base_tsc;
	volatile int stop;		/**< set by signals and idle exit */
	struct rte_rcu_qsbr *qsbr;	/**< workers' quiescent states (hot reload) */
	struct tw_config *live_cfg;	/**< inventory/tasks in force (reloaded), or NULL */
	struct tw_sig_db *live_db;	/**< signatures in force after a reload, or NULL */
	uint32_t nb_reloads;
	struct tw_pending_reload pending;
};

/* Relaxed read of a counter another thread writes. */
static inline uint64_t
tw_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Wall-clock now in ns since the epoch. */
uint64_t tw_now_ns(void);

/* port.c */
int tw_ports_init(struct tw_app *app);
void tw_ports_close(struct tw_app *app);
json_t *tw_ports_stats_json(const struct tw_app *app);

/* worker.c */
int tw_worker_main(void *arg);
void tw_workers_set_app(struct tw_app *app);

/* exporter.c: fans every event out to the configured outputs (output.h) */
struct tw_exporter *tw_exporter_create(const struct tw_config_output *outs, unsigned int nb,
		int offline, char *errbuf, size_t errlen);
void tw_exporter_free(struct tw_exporter *ex);
/* Async-signal-safe (SIGHUP): file outputs are reopened at the next drain. */
void tw_exporter_request_reopen(struct tw_exporter *ex);
unsigned int tw_exporter_drain(struct tw_exporter *ex, struct tw_app *app);
int tw_exporter_write_json(struct tw_exporter *ex, json_t *obj);
int tw_exporter_start(struct tw_exporter *ex, struct tw_app *app);
void tw_exporter_stop(struct tw_exporter *ex, struct tw_app *app);
void tw_exporter_finish(struct tw_exporter *ex, int timeout_ms);
uint64_t tw_exporter_written(const struct tw_exporter *ex);
uint64_t tw_exporter_dropped(const struct tw_exporter *ex);
uint64_t tw_exporter_errors(const struct tw_exporter *ex);
uint64_t tw_exporter_pending(const struct tw_exporter *ex);
/* tapwatch_stats.outputs[]: {type, target, written, dropped, pending, errors, connected} */
json_t *tw_exporter_outputs_json(const struct tw_exporter *ex);
void tw_exporter_print_outputs(const struct tw_exporter *ex, FILE *f);

/* stats.c */
struct tw_totals {
	uint64_t pipe[TW_PIPE_COUNTER_MAX];
	uint64_t parse[TW_PKT_STATUS_MAX];
	uint64_t worker[TW_WORKER_COUNTER_MAX];
	struct tw_flow_stats flow;
	uint64_t alerts_written;
	uint64_t alerts_dropped_output;	/**< buffer full, sink gone, encoding failed */
	uint64_t alerts_pending_output;	/**< buffered, not yet in the sink */
	uint64_t write_errors;
};
void tw_stats_collect(const struct tw_app *app, struct tw_totals *t);
json_t *tw_stats_json(const struct tw_app *app, uint64_t now_ns);
void tw_stats_print_summary(const struct tw_app *app, FILE *f);
void tw_stats_print_status(const struct tw_app *app, FILE *f, double interval_s,
		struct tw_totals *prev);
/* As tw_stats_json() without the ethdev port counters: any thread may call it. */
json_t *tw_stats_json_counters(const struct tw_app *app, uint64_t now_ns);
/* Erase the status line tw_stats_print_status() keeps on a terminal. */
void tw_stats_clear_status(FILE *f);

/* telemetry.c: operator views (DPDK telemetry commands, --check-config) */
struct tw_alert;
int tw_telemetry_register(const struct tw_app *app);
void tw_telemetry_unregister(void);
void tw_telemetry_alert_seen(const struct tw_alert *a);	/* exporter thread */
json_t *tw_config_json(const struct tw_app *app);
void tw_config_print(const struct tw_app *app, FILE *f);

/* offline.c */
int tw_offline_link(const char *path, enum tw_pkt_link *link);
int tw_offline_run(struct tw_app *app);

#endif /* TW_APP_H */
