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
 * Relative paths (signatures, output.eve, outputs[].path) are resolved
 * against the directory of the config file.
 */

#include <limits.h>
#include <stdint.h>

#include "tw_error.h"
#include "tw_li.h"
#include "tw_policy.h"
#include "tw_syslog.h"

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
#define TW_CONFIG_DEF_BURST_BYTES 65536
#define TW_CONFIG_DEF_STATS_INTERVAL_S 10
#define TW_CONFIG_DEF_ALERT_RING 4096
#define TW_CONFIG_DEF_OUTPUT_BUFFER (4u << 20)
#define TW_CONFIG_DEF_SIGNATURES "signatures.rules"

/* "outputs": where EVE events go (see struct tw_config_output). */
#define TW_CONFIG_OUTPUTS_MAX 8
#define TW_CONFIG_OUTPUT_SERVER_MAX 46		/* INET6_ADDRSTRLEN */
#define TW_CONFIG_REDIS_KEY_MAX 255
#define TW_CONFIG_DEF_SYSLOG_SERVER "127.0.0.1"
#define TW_CONFIG_DEF_SYSLOG_PORT 514
#define TW_CONFIG_DEF_SYSLOG_FACILITY TW_SYSLOG_FACILITY_LOCAL5
#define TW_CONFIG_DEF_SYSLOG_APP_NAME "tapwatch"
#define TW_CONFIG_DEF_REDIS_SERVER "127.0.0.1"
#define TW_CONFIG_DEF_REDIS_PORT 6379
#define TW_CONFIG_DEF_REDIS_KEY "tapwatch"
#define TW_CONFIG_DEF_REDIS_MAXLEN 100000

/** Port mode. */
enum tw_config_mode {
	TW_MODE_TAP = 0,	/**< receive only (mirror port) */
	TW_MODE_INLINE,		/**< bump in the wire between port pairs */
};

/** Output types ("outputs[].type"). */
enum tw_output_type {
	TW_OUTPUT_FILE = 0,	/**< "file": JSON lines to a file, FIFO or stdout */
	TW_OUTPUT_UNIX,		/**< "unix": client of a listening unix socket */
	TW_OUTPUT_SYSLOG,	/**< "syslog": RFC 5424 over UDP or TCP */
	TW_OUTPUT_REDIS,	/**< "redis": RPUSH to a list or XADD to a stream */
	TW_OUTPUT_TYPE_MAX,
};

/**
 * One output. Which fields apply depends on the type; the others are zero.
 * Relative file and unix socket paths are resolved against the config
 * file's directory.
 */
struct tw_config_output {
	enum tw_output_type type;
	uint32_t buffer_size;		/**< bytes queued for this output */
	/** file: path, "" = stdout; unix: socket path; redis: unix socket path
	 * when "server" is a path, else "" */
	char path[PATH_MAX];
	/** syslog, redis over TCP: IPv4 or IPv6 address (no DNS: never blocks) */
	char server[TW_CONFIG_OUTPUT_SERVER_MAX];
	uint16_t port;			/**< syslog, redis over TCP */
	uint8_t dgram;			/**< unix "mode": "dgram"; syslog "transport": "udp" */
	uint8_t redis_stream;		/**< redis "mode": "stream" (else "list") */
	uint8_t facility;		/**< syslog: 0..23 */
	char app_name[TW_SYSLOG_APP_NAME_MAX + 1];	/**< syslog APP-NAME */
	char hostname[TW_SYSLOG_HOSTNAME_MAX + 1];	/**< syslog HOSTNAME, "" = the host's */
	char key[TW_CONFIG_REDIS_KEY_MAX + 1];		/**< redis key */
	uint32_t maxlen;		/**< redis stream: MAXLEN ~ N, 0 = no trimming */
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
	uint32_t burst_bytes;		/**< payload bytes scanned per burst */
	uint32_t stats_interval_s;	/**< 0 = only at exit */
	uint32_t alert_ring_size;	/**< alerts per worker ring */
	uint32_t output_buffer;		/**< bytes buffered for a slow EVE sink */
	uint32_t block_families;	/**< bit (1 << enum tw_family) */
	char signatures[PATH_MAX];
	char eve[PATH_MAX];		/**< "" = stdout */
	/** "outputs", or the one file output that output.eve (or its default,
	 * stdout) stands for when "outputs" is absent; outputs[0] is primary */
	struct tw_config_output outputs[TW_CONFIG_OUTPUTS_MAX];
	uint16_t nb_outputs;		/**< >= 1 */
	uint8_t outputs_listed;		/**< "outputs" was in the file */
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

/**
 * Apply the command line's -o: every file output is replaced by one file
 * output at @p path ("-" = stdout), which becomes outputs[0] (the primary
 * output); network outputs stay, in their order, after it. Its buffer is the
 * first replaced file output's buffer_size, else output.buffer_size. Also
 * sets cfg->eve.
 *
 * @return
 *   0; -EINVAL for NULL arguments or an empty path, -ENAMETOOLONG for a path
 *   of PATH_MAX bytes or more, -ENOSPC if TW_CONFIG_OUTPUTS_MAX network
 *   outputs leave no room for it.
 */
int tw_config_set_eve(struct tw_config *cfg, const char *path);

/** "file", "unix", "syslog", "redis"; NULL for an unknown type. */
const char *tw_config_output_type_name(enum tw_output_type type);

/** Free what tw_config_load() allocated; a zeroed or NULL config is fine. */
void tw_config_free(struct tw_config *cfg);

#endif /* TW_CONFIG_H */
