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
	X(ERSPAN, "erspan") \
	X(X1, "x1") \
	X(SNMP_TAP, "snmp-tap") \
	X(DTCP, "dtcp") \
	X(PACKETCABLE, "packetcable") \
	X(JMIRROR, "jmirror") \
	X(REDBACK, "redback") \
	X(TZSP, "tzsp") \
	X(RPCAP, "rpcap")

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
	TW_LI_KIND_X1,
	TW_LI_KIND_SNMP,
	TW_LI_KIND_DTCP,
	TW_LI_KIND_SHIM,	/**< packetcable, jmirror/Nokia, redback-li */
	TW_LI_KIND_TZSP,
	TW_LI_KIND_RPCAP,
};

/**
 * The packet carried inside a mirror or copy (the subscriber being copied),
 * as far as it could be parsed. l3 == 0: not parsed (not IP, or cut short).
 */
struct tw_li_inner {
	uint8_t l3;		/**< 4 or 6; 0 if unknown */
	uint8_t proto;
	uint16_t sport;		/**< 0 if the protocol has no ports */
	uint16_t dport;
	uint16_t vlan;		/**< inner outermost VLAN, 0 if none */
	uint8_t src[16];
	uint8_t dst[16];
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
	struct tw_li_inner inner;
};

/** ETSI TS 103 221-1 X1 (XML over HTTP) message, when in clear. */
struct tw_li_x1 {
	char root[32];		/**< "X1Request", "X1Response", "X1TopLevelErrorResponse" */
	char message[48];	/**< xsi:type of the first message, "ActivateTaskRequest" */
	char xid[40];		/**< first <xId> (task UUID), "" if absent */
	char target[64];	/**< first target identifier, "e164Number:491701234567" */
	char ne[32];		/**< neIdentifier, "" if absent */
	uint8_t nb_xids;	/**< <xId> elements seen in this segment */
	uint8_t nb_messages;	/**< x1RequestMessage / x1ResponseMessage seen */
};

/** SNMP on a TAP MIB (Cisco SII, CableLabs PKTC-ES-TAP). */
struct tw_li_snmp {
	uint8_t version;	/**< 0 v1, 1 v2c, 3 v3 */
	uint8_t pdu;		/**< PDU tag & 0x1f: 0 get, 1 getnext, 2 response, 3 set, ... */
	uint8_t encrypted;	/**< v3 with privacy: OIDs invisible */
	uint8_t md_l3;		/**< 4/6 when a mediation address was set, else 0 */
	uint8_t md_addr[16];	/**< cTap2MediationDestAddress (or equivalent) */
	uint16_t md_port;	/**< cTap2MediationDestPort, 0 if absent */
	char community[32];	/**< v1/v2c community, or v3 msgUserName */
	char mib[32];		/**< "CISCO-TAP2-MIB" */
	char table[40];		/**< "cTap2MediationTable", or "" */
	char oid[64];		/**< first TAP OID, dotted */
};

/** Juniper DTCP request or reply. */
struct tw_li_dtcp {
	char command[12];	/**< ADD, DELETE, LIST, ENABLE, DISABLE; "REPLY" for replies */
	char version[12];	/**< "DTCP/0.7" */
	uint16_t status;	/**< reply status code, 0 for requests */
	uint16_t dest_port;	/**< X-JTap-Cdest-Dest-Port, 0 if absent */
	char dest_addr[48];	/**< X-JTap-Cdest-Dest-Address */
	char intercept_id[24];	/**< X-MD-Intercept-Id */
	char criteria_id[24];	/**< Criteria-ID, "" if absent */
};

/** Fixed-shim content copies: PacketCable/Cisco SII, Juniper/Nokia mirror, Redback. */
struct tw_li_shim {
	uint32_t id;		/**< CCCID, intercept id, or Redback LI id */
	uint32_t session;	/**< jmirror/Nokia session id, Redback session id; 0 if none */
	uint32_t seq;		/**< Redback sequence number; 0 if none */
	uint8_t header_len;	/**< bytes before the inner packet */
	uint8_t direction;	/**< Nokia MHV=01 direction bit + 1, else 0 (unknown) */
	uint8_t mhv;		/**< jmirror/Nokia mirror header version (2 bits) */
	uint8_t pad;
	char label[32];		/**< Redback label AVP, "" if absent */
	struct tw_li_inner inner;
};

/** TZSP header. */
struct tw_li_tzsp {
	uint8_t version;
	uint8_t type;		/**< 0 received tag list, 1 packet for transmit, ... */
	uint16_t encap;		/**< 1 Ethernet, 18 802.11, ... */
	uint16_t header_len;	/**< header + tags */
	struct tw_li_inner inner;
};

/** rpcap message. */
struct tw_li_rpcap {
	uint8_t version;
	uint8_t type;		/**< 0x07 packet, 0x08 auth request, 0x84 startcap reply, ... */
	uint16_t value;
	uint32_t plen;
	char message[24];	/**< "packet", "auth-request", "startcap-reply", ... */
	struct tw_li_inner inner;	/**< for packet messages */
};

/** Forensic detail of a confirmed hit: a value, no pointers. */
struct tw_li_detail {
	uint8_t kind;		/**< enum tw_li_kind */
	union {
		struct tw_li_x2x3 x2x3;
		struct tw_li_hi hi;
		struct tw_li_erspan erspan;
		struct tw_li_x1 x1;
		struct tw_li_snmp snmp;
		struct tw_li_dtcp dtcp;
		struct tw_li_shim shim;
		struct tw_li_tzsp tzsp;
		struct tw_li_rpcap rpcap;
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
