/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_LI_H
#define TW_LI_H

/**
 * @file
 * LI protocol families, structural validators and the forensic detail they
 * extract.
 *
 * A validator confirms a Hyperscan candidate hit by walking the protocol's
 * structure (header lengths, TLV/BER/AVP walks, inner-packet consistency).
 * Validators are pure functions over a byte array: EAL-free, reentrant,
 * bounded in time by the payload length, and they never read past
 * payload + len. On success they fill struct tw_li_detail, a fixed-size value
 * with no pointers, so it can be copied into an alert.
 */

#include <stdint.h>

#include "tw_pkt.h"

/** Family names are a stable contract: see the README. */
#define TW_FAMILY_LIST(X) \
	X(ETSI_X1, "etsi-x1") \
	X(ETSI_X2X3, "etsi-x2x3") \
	X(ETSI_HI, "etsi-hi") \
	X(PACKETCABLE, "packetcable") \
	X(CISCO_TAP_MIB, "cisco-tap-mib") \
	X(JUNIPER_DTCP, "juniper-dtcp") \
	X(JMIRROR, "jmirror") \
	X(REDBACK_LI, "redback-li") \
	X(ERSPAN, "erspan") \
	X(TZSP, "tzsp") \
	X(RPCAP, "rpcap")

#define TW_FAMILY_ENUM(name, str) TW_FAMILY_ ## name,
/** LI / traffic-copy protocol family. */
enum tw_family {
	TW_FAMILY_LIST(TW_FAMILY_ENUM)
	TW_FAMILY_MAX,
};
#undef TW_FAMILY_ENUM

/** Name of a family ("etsi-x2x3"), or NULL if out of range. */
const char *tw_family_name(unsigned int family);

/** Family from its name, or -1 if unknown. */
int tw_family_from_name(const char *name);

/** Structural validators a signature may name. */
#define TW_VALIDATOR_LIST(X) \
	X(NONE, "none") \
	X(X2X3, "x2x3") \
	X(PS_PDU, "ps-pdu") \
	X(HI2, "hi2") \
	X(ERSPAN, "erspan")

#define TW_VALIDATOR_ENUM(name, str) TW_VALIDATOR_ ## name,
enum tw_validator {
	TW_VALIDATOR_LIST(TW_VALIDATOR_ENUM)
	TW_VALIDATOR_MAX,
};
#undef TW_VALIDATOR_ENUM

/** Name of a validator, or NULL if out of range. */
const char *tw_validator_name(unsigned int v);

/** Validator from its name, or -1 if unknown. */
int tw_validator_from_name(const char *name);

#define TW_LI_STR_MAX 64	/**< bytes kept of a string taken from a packet */

/** Which member of struct tw_li_detail is valid. */
enum tw_li_kind {
	TW_LI_KIND_NONE = 0,
	TW_LI_KIND_X2X3,
	TW_LI_KIND_HI,
	TW_LI_KIND_ERSPAN,
};

/** X2/X3 (ETSI TS 103 221-2) PDU header fields. */
struct tw_li_x2x3 {
	uint8_t xid[16];	/**< XID (UUID bytes) */
	uint8_t version_major;
	uint8_t version_minor;
	uint16_t pdu_type;	/**< 1 X2, 2 X3, 3 keepalive, 4 keepalive ack */
	uint16_t payload_format;
	uint16_t payload_direction;
	uint32_t header_len;
	uint32_t payload_len;
	uint16_t nb_pdus;	/**< PDUs walked in this segment */
	uint16_t nb_unknown_attrs;	/**< TLVs with a type outside 1..22 */
};

/** ETSI HI2/HI3 (TS 102 232 PS-PDU, TS 101 671 / 33.108 HI2) fields. */
struct tw_li_hi {
	/** LIID bytes as found (may be binary; escaped on output) */
	uint8_t liid[TW_LI_STR_MAX];
	uint8_t liid_len;
	uint8_t liid_truncated;	/**< LIID longer than TW_LI_STR_MAX */
	/** domain OID in dotted form, "0.4.0.2.2.5.1.17" */
	char domain_oid[48];
	/** "ps-pdu", "hi2-begin", "hi2-end", "hi2-continue", "hi2-report" */
	char record[16];
	/** PS-PDU payload: "iri", "cc", "tri", "hi1", "encrypted"; "" for HI2 */
	char payload[12];
	uint32_t sequence;	/**< PS-PDU sequenceNumber, if present */
};

/** ERSPAN (GRE 0x88BE / 0x22EB) header fields. */
struct tw_li_erspan {
	uint8_t type;		/**< 1, 2 or 3 */
	uint8_t frame_type;	/**< type III FT (0 Ethernet, 2 IP), else 0 */
	uint16_t session_id;	/**< 10-bit span session id (type II/III) */
	uint16_t vlan;		/**< original VLAN in the ERSPAN header */
	uint16_t gre_proto;
	uint32_t index;		/**< type II index */
	uint16_t inner_ethertype;	/**< ethertype of the mirrored frame */
};

/** Forensic detail of a confirmed hit: a value, no pointers. */
struct tw_li_detail {
	uint8_t kind;		/**< enum tw_li_kind */
	union {
		struct tw_li_x2x3 x2x3;
		struct tw_li_hi hi;
		struct tw_li_erspan erspan;
	};
};

/**
 * Confirm a candidate hit.
 *
 * @param v
 *   Validator to run (enum tw_validator). TW_VALIDATOR_NONE confirms
 *   everything and leaves @p d empty.
 * @param payload
 *   Payload as defined in tw_pkt.h (GRE header onwards for IP protocol 47).
 * @param len
 *   Bytes readable at @p payload.
 * @param m
 *   The packet's metadata (ports, protocol), or NULL.
 * @param d
 *   Output detail; written only on success.
 * @return
 *   1 if the structure confirms the family, 0 if not.
 */
int tw_li_validate(enum tw_validator v, const uint8_t *payload, uint32_t len,
		const struct tw_pkt_meta *m, struct tw_li_detail *d);

#endif /* TW_LI_H */
