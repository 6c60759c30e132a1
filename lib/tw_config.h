/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_CONFIG_H
#define TW_CONFIG_H

/**
 * @file
 * tapwatch configuration: a JSON file -> validated, immutable struct
 * tw_config. Every key is optional; absent keys take the defaults below
 * (TW_CONFIG_DEF_*). Unknown keys are errors, so a typo never silently
 * falls back to a default. Errors name the key path ("flow.table_size"),
 * the value and the accepted range; JSON syntax errors carry the line.
 *
 * Relative paths (signatures, output.eve) are resolved against the directory
 * of the config file.
 */

#include <limits.h>
#include <stdint.h>

#include "tw_error.h"
#include "tw_li.h"
#include "tw_policy.h"

#define TW_CONFIG_PORTS_MAX 16
#define TW_CONFIG_FAMILY_PORTS_MAX 64

#define TW_CONFIG_DEF_WORKERS 1
#define TW_CONFIG_DEF_RX_DESC 1024
#define TW_CONFIG_DEF_TX_DESC 1024
#define TW_CONFIG_DEF_MEMPOOL_SIZE 8191
#define TW_CONFIG_DEF_MEMPOOL_CACHE 256
#define TW_CONFIG_DEF_FLOW_TABLE 65536
#define TW_CONFIG_DEF_FRAG_TABLE 4096
#define TW_CONFIG_DEF_FLOW_TIMEOUT_S 60
#define TW_CONFIG_DEF_INSPECT_PKTS 8
#define TW_CONFIG_DEF_INSPECT_BYTES 4096
#define TW_CONFIG_DEF_STATS_INTERVAL_S 10
#define TW_CONFIG_DEF_ALERT_RING 4096
#define TW_CONFIG_DEF_OUTPUT_BUFFER (4u << 20)
#define TW_CONFIG_DEF_SIGNATURES "signatures.rules"

/** Port mode. */
enum tw_config_mode {
	TW_MODE_TAP = 0,	/**< receive only (mirror port) */
	TW_MODE_INLINE,		/**< bump in the wire between port pairs */
};

/** Validated configuration. Owned by the caller of tw_config_load(). */
struct tw_config {
	char path[PATH_MAX];		/**< config file, "" for defaults */
	enum tw_config_mode mode;
	uint16_t port_pairs[TW_CONFIG_PORTS_MAX][2];	/**< inline */
	uint16_t nb_port_pairs;
	uint16_t tap_ports[TW_CONFIG_PORTS_MAX];	/**< tap */
	uint16_t nb_tap_ports;
	uint16_t workers;		/**< RX queues per port = worker lcores */
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint32_t mempool_size;		/**< mbufs per worker pool */
	uint32_t mempool_cache;
	uint32_t flow_table_size;	/**< flows per worker */
	uint32_t frag_table_size;	/**< fragment mappings per worker */
	uint32_t flow_timeout_s;
	uint32_t inspect_pkts;		/**< payload packets per direction */
	uint32_t inspect_bytes;		/**< payload bytes per direction */
	uint32_t stats_interval_s;	/**< 0 = only at exit */
	uint32_t alert_ring_size;	/**< alerts per worker ring */
	uint32_t output_buffer;		/**< bytes buffered for a slow EVE sink */
	uint32_t block_families;	/**< bit (1 << enum tw_family) */
	char signatures[PATH_MAX];
	char eve[PATH_MAX];		/**< "" = stdout */
	struct tw_md *mds;		/**< inventory */
	uint32_t nb_mds;
	struct tw_cidr *cidrs;		/**< storage behind mds[] */
	uint32_t nb_cidrs;
	/** "ports": per-family port lists for ports=config signatures */
	uint16_t family_ports[TW_FAMILY_MAX][TW_CONFIG_FAMILY_PORTS_MAX];
	uint16_t nb_family_ports[TW_FAMILY_MAX];	/**< 0 = no list: any port */
	struct tw_tasks tasks;		/**< "authorized_tasks" */
	uint8_t (*xids)[16];		/**< storage behind tasks.xids */
	struct tw_liid *liids;		/**< storage behind tasks.liids */
};

/**
 * Fill @p cfg with defaults (no file).
 */
void tw_config_defaults(struct tw_config *cfg);

/**
 * Load and validate a config file.
 *
 * @param path
 *   JSON file.
 * @param cfg
 *   Output; free with tw_config_free() on success and on failure.
 * @param err
 *   On failure: file, line (syntax errors) and a message naming the key.
 * @return
 *   0, or a negative errno with @p err set.
 */
int tw_config_load(const char *path, struct tw_config *cfg, struct tw_error *err);

/**
 * As tw_config_load() on text in memory; @p name is used in messages and
 * relative paths resolve against the current directory.
 */
int tw_config_parse(const char *text, size_t len, const char *name,
		struct tw_config *cfg, struct tw_error *err);

/** Free what tw_config_load() allocated; a zeroed or NULL config is fine. */
void tw_config_free(struct tw_config *cfg);

#endif /* TW_CONFIG_H */
