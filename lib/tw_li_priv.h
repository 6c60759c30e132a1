/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_LI_PRIV_H
#define TW_LI_PRIV_H

/**
 * @file
 * Internal to the tw_li module: one validator per family file, called by
 * tw_li_validate(). Same contract as tw_li_validate(): pure, EAL-free, no
 * allocation, bounded by @p len, never reads past p + len, writes @p d only
 * when returning 1. @p d must not be NULL.
 */

#include <stdint.h>

#include "tw_li.h"

/** Big-endian 16-bit read; the caller has checked the bounds. */
static inline uint16_t
tw_li_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/** Big-endian 32-bit read; the caller has checked the bounds. */
static inline uint32_t
tw_li_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | p[3];
}

/**
 * ETSI TS 103 221-2 X2/X3 PDUs (tw_li_x2x3.c).
 *
 * @param exact_end
 *   Non-zero when @p len is a message boundary (a whole UDP datagram): the
 *   PDUs must then end exactly at @p len. Zero for a TCP segment, where the
 *   last PDU may continue in the next segment.
 */
int tw_li_x2x3_validate(const uint8_t *p, uint32_t len, int exact_end,
		struct tw_li_detail *d);

/** ETSI TS 102 232-1 PS-PDU (tw_li_hi.c). */
int tw_li_ps_pdu_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** ETSI TS 101 671 / 3GPP TS 33.108 HI2 IRIsContent (tw_li_hi.c). */
int tw_li_hi2_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** ERSPAN type I, II, III from the GRE header on (tw_li_erspan.c). */
int tw_li_erspan_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** ETSI TS 103 221-1 X1 XML over HTTP (tw_li_x1.c). */
int tw_li_x1_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** Juniper DTCP text requests and replies (tw_li_dtcp.c). */
int tw_li_dtcp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** SNMP carrying TAP MIB OIDs (tw_li_snmp.c). */
int tw_li_snmp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** PacketCable / Cisco SII content: 4/8/12/20-byte header + IP (tw_li_shim.c). */
int tw_li_packetcable_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** Juniper packet mirror / Nokia LI-shim: 8-byte header + IP or Ethernet (tw_li_shim.c). */
int tw_li_jmirror_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** Redback / Ericsson SmartEdge LI: AVP walk + IP (tw_li_shim.c). */
int tw_li_redback_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** TZSP: header, tag walk to END, inner frame (tw_li_tzsp.c). */
int tw_li_tzsp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** libpcap remote capture (rpcap) messages (tw_li_rpcap.c). */
int tw_li_rpcap_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/**
 * Parse the packet carried by a mirror or copy into @p in (tw_li.c), with
 * the project's packet parser.
 *
 * @param link
 *   TW_PKT_LINK_ETH for an Ethernet frame, TW_PKT_LINK_RAW for an IP packet.
 * @return
 *   The parser's status; @p in->l3 is 0 unless an IP header was read.
 */
enum tw_pkt_status tw_li_inner_parse(const uint8_t *p, uint32_t len, enum tw_pkt_link link,
		struct tw_li_inner *in);

#endif /* TW_LI_PRIV_H */
