/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_FLOW_H
#define TW_FLOW_H

/**
 * @file
 * Per-worker flow table over rte_hash.
 *
 * One table per worker lcore, never shared: no locks. Keys are symmetric
 * (the lower address/port endpoint first), so both directions of a flow find
 * one entry; the entry remembers which endpoint sent the first packet, and
 * direction 0 ("to server") is from that endpoint.
 *
 * The table is bounded: when it is full, the least recently seen of a small
 * sample of entries is evicted (counted) to make room. Idle flows are expired
 * in bounded slices by tw_flow_age(). Later IPv4/IPv6 fragments, which carry no
 * ports, are mapped to their first fragment's flow through a small fragment
 * table keyed by (src, dst, proto, id).
 *
 * The table and its entries are allocated at create time; lookups allocate
 * nothing.
 */

#include <stdint.h>

#include "tw_pkt.h"

/** Symmetric flow key (40 bytes, zero padded). */
struct tw_flow_key {
	uint8_t addr_lo[16];
	uint8_t addr_hi[16];
	uint16_t port_lo;
	uint16_t port_hi;
	uint8_t proto;
	uint8_t l3;
	uint8_t pad[2];
} __rte_aligned(8);	/* rte_hash_crc reads the key 8 bytes at a time */

/** Classification state of a flow. */
enum tw_flow_state {
	TW_FLOW_INSPECTING = 0,	/**< still within the inspection budget */
	TW_FLOW_LI,		/**< a signature confirmed: verdict cached */
	TW_FLOW_CLEAN,		/**< budget spent without a hit */
};

/** Why a flow left the table. */
enum tw_flow_end_reason {
	TW_FLOW_END_TIMEOUT = 0,
	TW_FLOW_END_EVICTED,
	TW_FLOW_END_SHUTDOWN,
};

/** One flow; one cache line of hot state plus the key. */
struct tw_flow {
	uint64_t pkts[2];	/**< per direction: 0 from initiator */
	uint64_t bytes[2];
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t flow_id;
	uint16_t scan_bytes[2];	/**< payload bytes inspected per direction */
	uint8_t scan_pkts[2];	/**< payload packets inspected per direction */
	uint8_t state;		/**< enum tw_flow_state */
	uint8_t init_lo;	/**< 1 if the initiator is the key's lo endpoint */
	uint8_t family;		/**< enum tw_family when state == TW_FLOW_LI */
	uint8_t authorized;
	uint8_t block;		/**< drop this flow's packets (inline block action) */
	uint8_t alerted;
	int16_t md_idx;		/**< authorizing inventory entry or -1 */
	uint32_t sig_idx;	/**< signature that decided the flow */
	/**
	 * Decided LI flow still scanned (within the inspection budget) for the
	 * tasks it carries: warrant reconciliation of later XIDs / LIIDs.
	 */
	uint8_t warrant_scan;
	uint8_t pad2[3];
	uint32_t warrant_fp;	/**< fingerprint of the last unlisted task raised */
	struct tw_flow_key key;
} __rte_cache_aligned;

/**
 * Called for each flow leaving the table (timeout, eviction, shutdown), on the
 * worker that owns it. Must not block.
 */
typedef void (*tw_flow_end_cb)(void *arg, const struct tw_flow *f,
		enum tw_flow_end_reason reason);

/**
 * Longest table name, in characters. DPDK derives ring names from each
 * rte_hash name ("HT_EXT_<name>"; the fragment table is "<name>_f") and
 * silently truncates them to RTE_RING_NAMESIZE, so a longer name could make
 * two tables, or a table and its own fragment table, collide (EEXIST).
 */
#define TW_FLOW_NAME_MAX 19

/** Parameters of tw_flow_table_create(). */
struct tw_flow_table_params {
	const char *name;		/**< unique per table, <= TW_FLOW_NAME_MAX chars */
	uint32_t capacity;		/**< max flows, >= 8 */
	uint32_t frag_capacity;		/**< max fragment mappings, >= 8 */
	uint64_t idle_timeout_ns;	/**< expire flows idle this long */
	int socket_id;
	uint16_t worker_id;		/**< high bits of flow ids */
	tw_flow_end_cb on_end;		/**< optional */
	void *on_end_arg;
};

/** Counters of one table. */
struct tw_flow_stats {
	uint64_t created;
	uint64_t expired;
	uint64_t evicted;
	uint64_t insert_failed;	/**< packet went on without a flow */
	uint64_t frag_unmatched;	/**< later fragment whose first was not seen */
	uint64_t active;
};

struct tw_flow_table;

/**
 * Create a table.
 *
 * @return
 *   The table, or NULL with rte_errno set (EINVAL, ENOMEM, EEXIST).
 */
struct tw_flow_table *tw_flow_table_create(const struct tw_flow_table_params *p);

/** Free a table (without calling on_end); NULL is allowed. */
void tw_flow_table_free(struct tw_flow_table *ft);

/** Build the symmetric key of a parsed packet; returns 1 if src is "lo". */
int tw_flow_key_from_meta(const struct tw_pkt_meta *m, struct tw_flow_key *k);

/**
 * Find or create the flow of each packet and account it.
 *
 * Contract: meta[i].status != TW_PKT_OK => flows[i] == NULL. For every other
 * packet flows[i] is its flow (created if new, evicting if full) or NULL if
 * no entry could be had (counted), and dirs[i] is 0 if the packet comes from
 * the initiator, else 1. Packet and byte counters and last_ns are updated
 * with meta[i].wire_len and meta[i].ts_ns.
 *
 * @param ft
 *   Table.
 * @param meta
 *   Parsed packets.
 * @param n
 *   Number of packets, <= TW_BURST_MAX.
 * @param flows
 *   Output: flow of each packet.
 * @param dirs
 *   Output: direction of each packet.
 */
void tw_flow_lookup_burst(struct tw_flow_table *ft, struct tw_pkt_meta *meta,
		uint16_t n, struct tw_flow **flows, uint8_t *dirs);

/**
 * Expire idle flows, looking at no more than @p budget entries.
 *
 * @return
 *   Number of flows expired.
 */
uint32_t tw_flow_age(struct tw_flow_table *ft, uint64_t now_ns, uint32_t budget);

/** End every flow (reason shutdown) and empty the table. */
void tw_flow_flush(struct tw_flow_table *ft);

/** Copy the table's counters. */
void tw_flow_stats_get(const struct tw_flow_table *ft, struct tw_flow_stats *s);

/**
 * Endpoint addresses and ports of a flow, initiator first.
 */
void tw_flow_endpoints(const struct tw_flow *f, const uint8_t **src, uint16_t *sport,
		const uint8_t **dst, uint16_t *dport);

#endif /* TW_FLOW_H */
