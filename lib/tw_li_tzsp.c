/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * TZSP (Tazmen Sniffer Protocol) validator. The payload is one UDP datagram
 * (default port 37008, but senders such as MikroTik let the operator pick
 * any port):
 *
 *   version(1) = 1 | type(1) 0..5 | encapsulation(2) | tagged fields | frame
 *
 * Types 4 (keepalive) and 5 (port opener) are the bare 4-byte header. The
 * others carry tags up to END: tag 0 is a one-byte pad, tag 1 is END, every
 * other tag is tag(1) len(1) value(len). The captured frame follows END.
 *
 * The datagram is taken as whole: for encapsulation 1 the mirrored frame must
 * hold the complete IP packet (or ARP / 802.3 frame) its headers announce,
 * unless an original-length tag says the sender sliced it. This is what
 * rejects a cut datagram. The flip side: the first fragment of an
 * IP-fragmented TZSP datagram (a full-size mirrored frame over a 1500-byte
 * MTU) is rejected too, because this validator is not told whether the
 * datagram was fragmented.
 */

#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define TZSP_VERSION 1
#define TZSP_HDR_LEN 4
#define TZSP_TYPE_MAX 5
#define TZSP_TYPE_KEEPALIVE 4
#define TZSP_TYPE_PORT_OPENER 5

#define TZSP_ENCAP_ETHERNET 1
#define TZSP_ENCAP_802_11 18
#define TZSP_ENCAP_PRISM 119
#define TZSP_ENCAP_AVS 127

#define TZSP_TAG_PAD 0
#define TZSP_TAG_END 1
#define TZSP_TAG_ORIGINAL_LENGTH 41

/*
 * Real senders put a handful of tags (or none) before END. The bound keeps
 * the walk short on a datagram of pad bytes and counts pads too.
 */
#define TZSP_TAGS_MAX 64

#define ETHER_HDR_LEN 14
#define ETHER_MAX_8023_LEN 1500
#define VLAN_TAG_LEN 4
#define VLAN_DEPTH_MAX 4
#define ARP_MIN_LEN 28
#define IPV4_MIN_HDR_LEN 20
#define IPV6_HDR_LEN 40

/* The encapsulation names the link type of the frame after the tags. */
static int
encap_known(uint16_t encap)
{
	return encap == TZSP_ENCAP_ETHERNET || encap == TZSP_ENCAP_802_11 ||
		encap == TZSP_ENCAP_PRISM || encap == TZSP_ENCAP_AVS;
}

/*
 * Walk the tags from offset 4 to END. Returns the offset just past END, or 0
 * if the walk runs off the datagram or takes too many steps. Sets *sliced
 * when an original-length tag is present (the sender may have cut the frame).
 */
static uint32_t
tag_walk(const uint8_t *p, uint32_t len, int *sliced)
{
	uint32_t off = TZSP_HDR_LEN;
	unsigned int nb;

	for (nb = 0; nb < TZSP_TAGS_MAX; nb++) {
		if (off >= len)
			return 0;
		switch (p[off]) {
		case TZSP_TAG_END:
			return off + 1;
		case TZSP_TAG_PAD:
			off++;
			break;
		default:
			if (len - off < 2 || len - off - 2 < p[off + 1])
				return 0;
			if (p[off] == TZSP_TAG_ORIGINAL_LENGTH)
				*sliced = 1;
			off += 2 + p[off + 1];
			break;
		}
	}
	return 0;
}

/* Ethertypes a mirrored Ethernet frame starts with (li-protocols.md 8.3). */
static int
ethertype_sane(uint16_t et)
{
	return et <= ETHER_MAX_8023_LEN || et == 0x0800 || et == 0x86dd ||
		et == 0x0806 || et == 0x8100 || et == 0x88a8 || et == 0x88cc;
}

/*
 * Is the mirrored Ethernet frame as long as its own headers say? Frames may
 * carry padding or an FCS after the packet, so only "too short" fails.
 * Ethertypes without a length field (LLDP, unknown after a VLAN tag) pass.
 */
static int
frame_complete(const uint8_t *f, uint32_t len)
{
	uint32_t off = ETHER_HDR_LEN - 2;
	unsigned int depth;
	uint16_t et;

	et = tw_li_be16(f + off);
	for (depth = 0; (et == 0x8100 || et == 0x88a8) && depth < VLAN_DEPTH_MAX; depth++) {
		off += VLAN_TAG_LEN;
		if (len < off + 2)
			return 0;
		et = tw_li_be16(f + off);
	}
	off += 2;		/* first byte after the ethertype */

	if (et <= ETHER_MAX_8023_LEN)
		return len - off >= et;
	switch (et) {
	case 0x0800:
		if (len - off < IPV4_MIN_HDR_LEN || (f[off] >> 4) != 4)
			return 0;
		return len - off >= tw_li_be16(f + off + 2);
	case 0x86dd:
		if (len - off < IPV6_HDR_LEN || (f[off] >> 4) != 6)
			return 0;
		return len - off - IPV6_HDR_LEN >= tw_li_be16(f + off + 4);
	case 0x0806:
		return len - off >= ARP_MIN_LEN;
	default:
		return 1;
	}
}

int
tw_li_tzsp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_tzsp *t = &out.tzsp;
	uint32_t hl;
	uint16_t encap;
	int sliced = 0;

	if (len < TZSP_HDR_LEN || p[0] != TZSP_VERSION || p[1] > TZSP_TYPE_MAX)
		return 0;
	encap = tw_li_be16(p + 2);
	if (!encap_known(encap))
		return 0;

	memset(&out, 0, sizeof(out));
	if (p[1] == TZSP_TYPE_KEEPALIVE || p[1] == TZSP_TYPE_PORT_OPENER) {
		if (len != TZSP_HDR_LEN)
			return 0;
		hl = TZSP_HDR_LEN;
	} else {
		hl = tag_walk(p, len, &sliced);
		if (hl == 0 || hl == len)
			return 0;	/* no END, or nothing captured after it */
		if (encap == TZSP_ENCAP_ETHERNET) {
			if (len - hl < ETHER_HDR_LEN ||
					!ethertype_sane(tw_li_be16(p + hl + 12)))
				return 0;
			if (!sliced && !frame_complete(p + hl, len - hl))
				return 0;
			tw_li_inner_parse(p + hl, len - hl, TW_PKT_LINK_ETH, &t->inner);
		}
		/* 802.11 / Prism / AVS: radio headers, no inner parse. */
	}

	t->version = p[0];
	t->type = p[1];
	t->encap = encap;
	t->header_len = (uint16_t)hl;
	out.kind = TW_LI_KIND_TZSP;
	*d = out;
	return 1;
}
