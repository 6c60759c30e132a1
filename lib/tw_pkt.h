/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_PKT_H
#define TW_PKT_H

/**
 * @file
 * Packet parser: frame bytes -> struct tw_pkt_meta.
 *
 * tw_pkt_parse() is pure and EAL-free: it reads only the bytes it is given,
 * bounds-checks every header read and never writes outside @p m. Malformed
 * input is data: it sets m->status and the caller counts it. The packet is
 * still forwarded whatever the status.
 *
 * Handled: Ethernet II, 802.1Q / 802.1ad / QinQ (up to TW_PKT_VLAN_MAX tags),
 * MPLS label stacks (up to TW_PKT_MPLS_MAX labels, IPv4/IPv6 guessed from the
 * first nibble after bottom of stack), IPv4 (options, fragments), IPv6
 * (hop-by-hop, routing, destination options, fragment, AH extension headers),
 * TCP, UDP, GRE (RFC 2784/2890 flags, ERSPAN protocol types).
 *
 * For GRE (IP protocol 47) the "payload" is the GRE header onwards, because
 * the ERSPAN signatures anchor on the GRE header itself. For other L4
 * protocols the payload is the L4 payload. The payload length is bounded by
 * both the IP length fields and the captured bytes.
 *
 * Fragments: the first fragment (offset 0) is parsed down to L4 and flagged
 * TW_PKT_F_FRAG; later fragments carry no L4 header and are flagged
 * TW_PKT_F_FRAG_LATER with ports 0: the flow table maps them to the flow of
 * their first fragment through (src, dst, proto, frag_id).
 */

#include <stdint.h>

#include <rte_common.h>

/** Packets per burst, everywhere in the pipeline. */
#define TW_BURST_MAX 32
#define TW_PKT_VLAN_MAX 4
#define TW_PKT_MPLS_MAX 8
#define TW_PKT_IPV6_EXT_MAX 8

/**
 * Parse results. TW_PKT_OK and TW_PKT_NOT_IP are normal; every other value is
 * a malformed-packet reason with its own counter.
 */
#define TW_PKT_STATUS_LIST(X) \
	X(OK, "ok") \
	X(NOT_IP, "not_ip") \
	X(TRUNC_ETH, "truncated_ethernet") \
	X(TRUNC_SLL, "truncated_linux_cooked") \
	X(TRUNC_VLAN, "truncated_vlan") \
	X(VLAN_DEPTH, "vlan_too_deep") \
	X(TRUNC_MPLS, "truncated_mpls") \
	X(MPLS_DEPTH, "mpls_too_deep") \
	X(MPLS_PAYLOAD, "mpls_unknown_payload") \
	X(TRUNC_IPV4, "truncated_ipv4") \
	X(BAD_IPV4_HDR, "bad_ipv4_header") \
	X(BAD_IPV4_LEN, "bad_ipv4_length") \
	X(TRUNC_IPV6, "truncated_ipv6") \
	X(BAD_IPV6_LEN, "bad_ipv6_length") \
	X(BAD_IPV6_EXT, "bad_ipv6_ext_header") \
	X(IPV6_EXT_DEPTH, "ipv6_ext_too_deep") \
	X(TRUNC_TCP, "truncated_tcp") \
	X(BAD_TCP_HDR, "bad_tcp_header") \
	X(TRUNC_UDP, "truncated_udp") \
	X(BAD_UDP_LEN, "bad_udp_length") \
	X(TRUNC_GRE, "truncated_gre") \
	X(BAD_GRE, "bad_gre_header")

#define TW_PKT_STATUS_ENUM(name, str) TW_PKT_ ## name,
/** Parse status of one packet. */
enum tw_pkt_status {
	TW_PKT_STATUS_LIST(TW_PKT_STATUS_ENUM)
	TW_PKT_STATUS_MAX,
};
#undef TW_PKT_STATUS_ENUM

/** Flags in tw_pkt_meta.flags. */
#define TW_PKT_F_FRAG		0x01	/**< first fragment of a fragmented datagram */
#define TW_PKT_F_FRAG_LATER	0x02	/**< non-first fragment: no L4 header */
#define TW_PKT_F_TRUNC_PAYLOAD	0x04	/**< capture shorter than IP says */

/** Link-layer framing of the bytes handed to tw_pkt_parse(). */
enum tw_pkt_link {
	TW_PKT_LINK_ETH = 0,	/**< Ethernet II (DLT_EN10MB, every DPDK port) */
	TW_PKT_LINK_RAW,	/**< raw IPv4/IPv6 (DLT_RAW, LINKTYPE_IPV4/IPV6) */
	TW_PKT_LINK_SLL,	/**< Linux cooked v1, 16-byte header */
	TW_PKT_LINK_SLL2,	/**< Linux cooked v2, 20-byte header */
};

/**
 * What the pipeline needs of one packet. Fields are ordered by use: the flow
 * key first, then offsets for classification.
 */
struct tw_pkt_meta {
	uint8_t status;		/**< enum tw_pkt_status */
	uint8_t l3;		/**< 4 or 6; 0 if not IP */
	uint8_t proto;		/**< IP protocol (after IPv6 extension headers) */
	uint8_t flags;		/**< TW_PKT_F_* */
	uint16_t sport;		/**< host order; 0 if the protocol has no ports */
	uint16_t dport;		/**< host order */
	uint8_t src[16];	/**< IPv4 uses the first 4 bytes, rest zero */
	uint8_t dst[16];
	uint32_t frag_id;	/**< IPv4 ID or IPv6 fragment identification */
	uint16_t vlan;		/**< outermost VLAN ID, 0 if untagged */
	uint8_t nb_vlan;
	uint8_t nb_mpls;
	uint16_t l3_off;	/**< offset of the IP header in the frame */
	uint16_t l4_off;	/**< offset of the L4 header, 0 if none */
	uint16_t payload_off;	/**< offset of the payload (see @file) */
	uint16_t payload_len;	/**< payload bytes present, bounded by IP length */
	uint16_t gre_proto;	/**< GRE protocol type when proto == 47 */
	uint16_t gre_flags;	/**< GRE flags/version word when proto == 47 */
	uint32_t wire_len;	/**< frame length as received */
	uint64_t ts_ns;		/**< packet time, ns since the epoch */
};

/**
 * Parse one frame.
 *
 * @param data
 *   First byte of the frame.
 * @param len
 *   Bytes readable at @p data.
 * @param link
 *   Framing of @p data (enum tw_pkt_link).
 * @param m
 *   Output; fully written on every call.
 * @return
 *   m->status (enum tw_pkt_status).
 */
enum tw_pkt_status tw_pkt_parse(const uint8_t *data, uint32_t len,
		enum tw_pkt_link link, struct tw_pkt_meta *m);

/** Counter name of a status ("truncated_ipv4"), or "unknown". */
const char *tw_pkt_status_name(unsigned int status);

#endif /* TW_PKT_H */
