/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_PIPELINE_H
#define TW_PIPELINE_H

/**
 * @file
 * The per-burst inspection pipeline: parse -> flow lookup -> classify ->
 * policy -> verdict. The worker lcores, the offline reader (-r) and the
 * benchmark all call tw_pipeline_burst(); only where packets come from and
 * go to differs.
 *
 * One struct tw_pipeline per worker: it owns the flow table, the Hyperscan
 * scratch and the counters, and is the single producer of its alert ring. It
 * never blocks, allocates, logs or formats JSON: a full alert ring is counted
 * (alerts_dropped) and the burst goes on.
 */

#include <stdint.h>

#include <hs.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "tw_flow.h"
#include "tw_pkt.h"
#include "tw_policy.h"
#include "tw_sig.h"

/** Pipeline counters (besides parse status and flow table counters). */
#define TW_PIPE_COUNTER_LIST(X) \
	X(RX_PKTS, "rx_packets") \
	X(RX_BYTES, "rx_bytes") \
	X(SCANS, "scanned_payloads") \
	X(SCAN_BYTES, "scanned_bytes") \
	X(SCAN_ERRORS, "scan_errors") \
	X(SCAN_DEFERRED, "scans_deferred") \
	X(CANDIDATES, "signature_candidates") \
	X(HITS, "signature_hits") \
	X(FRAG_LATER, "later_fragments") \
	X(NO_FLOW, "packets_without_flow") \
	X(LI_FLOWS, "li_flows") \
	X(LI_FLOWS_UNAUTH, "li_flows_unauthorized") \
	X(CLEAN_FLOWS, "clean_flows") \
	X(ALERTS, "alerts_raised") \
	X(ALERTS_DROPPED, "alerts_dropped") \
	X(NO_WARRANT, "no_warrant_alerts") \
	X(BLOCKED_PKTS, "blocked_packets")

#define TW_PIPE_COUNTER_ENUM(name, str) TW_PIPE_ ## name,
enum tw_pipe_counter {
	TW_PIPE_COUNTER_LIST(TW_PIPE_COUNTER_ENUM)
	TW_PIPE_COUNTER_MAX,
};
#undef TW_PIPE_COUNTER_ENUM

/** Name of a pipeline counter. */
const char *tw_pipe_counter_name(unsigned int c);

/** Counters of one pipeline; written by its worker only. */
struct tw_pipeline_stats {
	uint64_t c[TW_PIPE_COUNTER_MAX];
	uint64_t parse[TW_PKT_STATUS_MAX];	/**< by enum tw_pkt_status */
} __rte_cache_aligned;

/** Parameters of tw_pipeline_create(). */
struct tw_pipeline_params {
	uint16_t worker_id;
	int socket_id;
	enum tw_pkt_link link;		/**< framing of the mbufs */
	const struct tw_sig_db *db;	/**< shared, read-only */
	const struct tw_md *mds;	/**< shared, read-only inventory */
	uint32_t nb_mds;
	uint32_t block_families;	/**< bit (1 << enum tw_family) */
	const struct tw_tasks *tasks;	/**< authorized tasks, or NULL: no warrant check */
	uint32_t inspect_pkts;		/**< per direction */
	uint32_t inspect_bytes;		/**< per direction */
	uint32_t burst_scan_bytes;	/**< payload bytes scanned per burst, 0 = no bound */
	struct rte_ring *alert_ring;	/**< SP side owned by this pipeline */
	struct tw_flow_table_params flow;
};

struct tw_pipeline;

/** How far tw_pipeline_burst() takes a burst (benchmarks; default FULL). */
enum tw_pipeline_depth {
	TW_PIPELINE_FULL = 0,	/**< parse, flow, classify, policy, verdicts, alerts */
	TW_PIPELINE_TRACK,	/**< parse and flow tracking, no classification */
	TW_PIPELINE_PARSE,	/**< parse only */
};

/**
 * Create a pipeline (flow table, scratch) for one worker.
 *
 * @return
 *   The pipeline, or NULL with rte_errno set.
 */
struct tw_pipeline *tw_pipeline_create(const struct tw_pipeline_params *p);

/** Free a pipeline; NULL is allowed. Flows are not ended. */
void tw_pipeline_free(struct tw_pipeline *pl);

/**
 * Inspect a burst.
 *
 * @param pl
 *   The worker's pipeline.
 * @param pkts
 *   Received packets (not freed, not sent: the caller forwards them).
 * @param n
 *   Number of packets, <= TW_BURST_MAX.
 * @param ts_ns
 *   Packet times in ns since the epoch, one per packet, or NULL to use
 *   @p now_ns for every packet.
 * @param now_ns
 *   Wall-clock time of the burst.
 * @param drop
 *   Output: drop[i] = 1 if packet i must not be forwarded (explicit block
 *   verdict), else 0.
 * @return
 *   Number of packets to drop (0 in the common case: forward all).
 */
uint16_t tw_pipeline_burst(struct tw_pipeline *pl, struct rte_mbuf **pkts, uint16_t n,
		const uint64_t *ts_ns, uint64_t now_ns, uint8_t *drop);

/**
 * Make every later tw_pipeline_burst() stop after a stage: forwarding,
 * flow tracking and full inspection are then measured through the same
 * worker loop (scripts/bench). A shallower depth returns 0 (forward all);
 * counters other than rx_packets, rx_bytes and parse status stay still, and
 * flows are tracked but never classified. Call while the worker is stopped.
 */
void tw_pipeline_set_depth(struct tw_pipeline *pl, enum tw_pipeline_depth depth);

/** Housekeeping when idle: expire idle flows (a bounded slice). */
void tw_pipeline_idle(struct tw_pipeline *pl, uint64_t now_ns);

/** End every flow (shutdown). */
void tw_pipeline_flush(struct tw_pipeline *pl);

/** The worker's counters (read with relaxed loads from other threads). */
const struct tw_pipeline_stats *tw_pipeline_stats(const struct tw_pipeline *pl);

/** The worker's flow table counters. */
void tw_pipeline_flow_stats(const struct tw_pipeline *pl, struct tw_flow_stats *s);

/** What a hot reload replaces: signatures, inventory, tasks, block list. */
struct tw_pipeline_rules {
	const struct tw_sig_db *db;
	hs_scratch_t *scratch;		/**< for db, owned by the pipeline once set */
	const struct tw_md *mds;
	uint32_t nb_mds;
	const struct tw_tasks *tasks;	/**< NULL: no warrant check */
	uint32_t block_families;
};

/**
 * Switch the pipeline to new rules. Called on the pipeline's own worker
 * between bursts (the worker polls a mailbox the control thread fills), so
 * nothing races it. Flows already decided keep their verdict; new flows and
 * flows still under inspection use the new rules.
 *
 * @return
 *   The scratch the pipeline used before: free it once the control thread
 *   knows no burst can still be using it (after an RCU grace period).
 */
hs_scratch_t *tw_pipeline_set_rules(struct tw_pipeline *pl, const struct tw_pipeline_rules *r);

#endif /* TW_PIPELINE_H */
