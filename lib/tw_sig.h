/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_SIG_H
#define TW_SIG_H

/**
 * @file
 * Signatures: rules file -> compiled Hyperscan block-mode database, and the
 * scan that turns a payload into confirmed hits.
 *
 * The database (struct tw_sig_db) is immutable once loaded and shared
 * read-only by every worker. Each worker owns one hs_scratch_t, allocated with
 * tw_sig_scratch_alloc() off the data path. tw_sig_scan() allocates nothing,
 * logs nothing and is bounded by the payload length.
 *
 * File format (one signature per line, '#' starts a comment line):
 *
 *   sig id=1000001 rev=1 family=etsi-x2x3 severity=1 proto=tcp ports=any
 *       validator=x2x3 flags=dotall pattern="^\x00[\x01-\x0f]\x00[\x01-\x04]"
 *       name="ETSI X2/X3 PDU header"
 *
 * (shown wrapped; a signature is one line). Keys: id (1..2^31-1, unique),
 * rev (>= 1), family (a tapwatch family name), severity (1 high .. 3 low),
 * name, pattern (Hyperscan syntax, no '"' inside: write \x22), flags
 * (comma list of caseless, dotall, multiline, singlematch; default none),
 * proto (tcp, udp, gre, sctp, any; default any), ports (any, config, or a comma
 * list of ports; matches either the source or destination port; config
 * means the port list the operator configured for the signature's family,
 * see tw_sig_db_set_ports()), validator (a structural validator name,
 * default none), mitre (optional comma list of MITRE ATT&CK technique ids,
 * "T1020.001", shown in the alert's metadata). Values with spaces are quoted.
 */

#include <stdint.h>

#include <hs.h>

#include "tw_error.h"
#include "tw_li.h"
#include "tw_pkt.h"

#define TW_SIG_NAME_MAX 96
#define TW_SIG_MITRE_MAX 32	/**< "T1020.001,T1602" */
#define TW_SIG_PORTS_MAX 16
#define TW_SIG_MAX 4096

/** One signature's metadata. */
struct tw_sig {
	uint32_t id;
	uint32_t rev;
	uint8_t family;		/**< enum tw_family */
	uint8_t severity;	/**< 1 (high) .. 3 (low) */
	uint8_t proto;		/**< IP protocol, 0 = any */
	uint8_t validator;	/**< enum tw_validator */
	uint8_t ports_config;	/**< ports=config: the family's configured ports */
	uint16_t nb_ports;	/**< 0 = any port (unless ports_config) */
	uint16_t ports[TW_SIG_PORTS_MAX];
	unsigned int line;	/**< line in the rules file */
	char name[TW_SIG_NAME_MAX];
	char mitre[TW_SIG_MITRE_MAX];	/**< MITRE ATT&CK technique ids, comma list, or "" */
};

struct tw_sig_db;

/**
 * Load and compile a rules file.
 *
 * @param path
 *   Rules file.
 * @param err
 *   Filled on failure with file, line and a message naming the fix.
 * @return
 *   The database, or NULL with @p err set.
 */
struct tw_sig_db *tw_sig_db_load(const char *path, struct tw_error *err);

/**
 * Parse and compile rules held in memory (tests, fuzzing).
 *
 * @param text
 *   Rules text, need not be NUL-terminated.
 * @param len
 *   Bytes of @p text.
 * @param name
 *   Name used in error messages.
 * @param err
 *   As tw_sig_db_load().
 * @return
 *   As tw_sig_db_load().
 */
struct tw_sig_db *tw_sig_db_parse(const char *text, size_t len, const char *name,
		struct tw_error *err);

/**
 * Set the ports that "ports=config" signatures of @p family match. Call
 * after loading and before sharing the database with scanners. Until it is
 * called for a family, its ports=config signatures match any port.
 *
 * @return
 *   0, -EINVAL (bad arguments), -ENOMEM.
 */
int tw_sig_db_set_ports(struct tw_sig_db *db, unsigned int family, const uint16_t *ports,
		unsigned int nb_ports);

/** Free a database; NULL is allowed. */
void tw_sig_db_free(struct tw_sig_db *db);

/** Number of signatures. */
uint32_t tw_sig_db_count(const struct tw_sig_db *db);

/** Signature by index (0 .. count-1), or NULL. */
const struct tw_sig *tw_sig_db_get(const struct tw_sig_db *db, uint32_t idx);

/**
 * Allocate a scratch for one scanning thread (not on the data path).
 *
 * @return
 *   The scratch, or NULL (rte_errno = ENOMEM).
 */
hs_scratch_t *tw_sig_scratch_alloc(const struct tw_sig_db *db);

/** Free a scratch; NULL is allowed. */
void tw_sig_scratch_free(hs_scratch_t *scratch);

/** A confirmed hit. */
struct tw_sig_hit {
	uint32_t sig_idx;		/**< index in the database */
	struct tw_li_detail detail;	/**< filled by the validator */
};

/**
 * Scan one payload and confirm the candidates.
 *
 * Candidates failing the signature's protocol or port constraint, or its
 * validator, are discarded. Each signature is reported at most once.
 *
 * @param db
 *   Database.
 * @param scratch
 *   The calling thread's scratch.
 * @param m
 *   Packet metadata; the payload is data + m->payload_off.
 * @param payload
 *   Payload bytes.
 * @param len
 *   Payload length.
 * @param hits
 *   Output array.
 * @param max_hits
 *   Capacity of @p hits.
 * @param nb_candidates
 *   If not NULL, incremented by the Hyperscan matches seen.
 * @return
 *   Number of confirmed hits written, or a negative Hyperscan error
 *   (HS_SCAN_TERMINATED is not an error).
 */
int tw_sig_scan(const struct tw_sig_db *db, hs_scratch_t *scratch,
		const struct tw_pkt_meta *m, const uint8_t *payload, uint32_t len,
		struct tw_sig_hit *hits, unsigned int max_hits, uint64_t *nb_candidates);

/** Signatures per family, for summaries: counts[TW_FAMILY_MAX]. */
void tw_sig_db_family_counts(const struct tw_sig_db *db, uint32_t *counts);

#endif /* TW_SIG_H */
