/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * ERSPAN validator. The payload starts at the GRE header (RFC 2784/2890):
 *
 *   GRE 0x88BE, S clear  type I:   GRE | Ethernet frame
 *   GRE 0x88BE, S set    type II:  GRE | Ver=1 VLAN | COS En T Session | Rsvd Index | frame
 *   GRE 0x22EB           type III: GRE | Ver=2 VLAN | COS BSO T Session | Timestamp |
 *                                  SGT | P FT HwID D Gra O | [8-byte platform subheader] | frame
 *
 * Type III usually has S set, but Cisco kit also sends it with S clear
 * (zeek gre-erspan3-dot1q.pcap), so S is not required there. The mirrored
 * frame must look like Ethernet unless type III says otherwise (FT != 0).
 */

#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define GRE_F_CSUM 0x8000
#define GRE_F_ROUTING 0x4000
#define GRE_F_KEY 0x2000
#define GRE_F_SEQ 0x1000
#define GRE_F_STRICT 0x0800
#define GRE_RECUR_HI 0x0400
#define GRE_VERSION 0x0007

#define GRE_PROTO_ERSPAN_II 0x88be	/* types I and II */
#define GRE_PROTO_ERSPAN_III 0x22eb

#define ERSPAN_II_HDR_LEN 8
#define ERSPAN_III_HDR_LEN 12
#define ERSPAN_III_PLATFORM_LEN 8
#define ETHER_HDR_LEN 14
#define ETHER_MAX_8023_LEN 1500		/* below this the type field is a length */

/*
 * Ethertypes expected in a mirrored frame: the doc's list plus a few
 * link-local control protocols that span sessions routinely carry.
 */
static int
ethertype_sane(uint16_t et)
{
	if (et <= ETHER_MAX_8023_LEN)
		return 1;			/* 802.3 + LLC: STP, CDP, ... */
	switch (et) {
	case 0x0800:	/* IPv4 */
	case 0x0806:	/* ARP */
	case 0x8035:	/* RARP */
	case 0x8100:	/* 802.1Q */
	case 0x86dd:	/* IPv6 */
	case 0x8809:	/* slow protocols: LACP, OAM */
	case 0x8847:	/* MPLS */
	case 0x8848:	/* MPLS multicast */
	case 0x8863:	/* PPPoE discovery */
	case 0x8864:	/* PPPoE session */
	case 0x888e:	/* 802.1X EAPOL */
	case 0x88a8:	/* 802.1ad */
	case 0x88cc:	/* LLDP */
	case 0x88e5:	/* MACsec */
	case 0x88e7:	/* 802.1ah I-tag */
	case 0x88f7:	/* PTP */
	case 0x8902:	/* CFM */
	case 0x9100:	/* pre-standard QinQ */
		return 1;
	default:
		return 0;
	}
}

int
tw_li_erspan_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_erspan *e = &out.erspan;
	uint32_t gre_len, inner;
	uint16_t flags, w;

	if (len < 4)
		return 0;
	flags = tw_li_be16(p);
	/*
	 * RFC 2784: version 0; the RFC 1701 routing, strict-route and
	 * recursion bits must be clear (receivers discard otherwise).
	 */
	if ((flags & (GRE_VERSION | GRE_F_ROUTING | GRE_F_STRICT | GRE_RECUR_HI)) != 0)
		return 0;
	gre_len = 4;
	if (flags & GRE_F_CSUM)
		gre_len += 4;		/* checksum + reserved1 */
	if (flags & GRE_F_KEY)
		gre_len += 4;
	if (flags & GRE_F_SEQ)
		gre_len += 4;
	if (len < gre_len)
		return 0;

	memset(&out, 0, sizeof(out));
	e->gre_proto = tw_li_be16(p + 2);
	switch (e->gre_proto) {
	case GRE_PROTO_ERSPAN_II:
		if ((flags & GRE_F_SEQ) == 0) {
			e->type = 1;
			inner = gre_len;
			break;
		}
		if (len - gre_len < ERSPAN_II_HDR_LEN || (p[gre_len] >> 4) != 1)
			return 0;
		e->type = 2;
		e->vlan = tw_li_be16(p + gre_len) & 0x0fff;
		e->session_id = tw_li_be16(p + gre_len + 2) & 0x03ff;
		e->index = tw_li_be32(p + gre_len + 4) & 0x000fffff;
		inner = gre_len + ERSPAN_II_HDR_LEN;
		break;
	case GRE_PROTO_ERSPAN_III:
		if (len - gre_len < ERSPAN_III_HDR_LEN || (p[gre_len] >> 4) != 2)
			return 0;
		e->type = 3;
		e->vlan = tw_li_be16(p + gre_len) & 0x0fff;
		e->session_id = tw_li_be16(p + gre_len + 2) & 0x03ff;
		/* P(1) FT(5) HwID(6) D(1) Gra(2) O(1) */
		w = tw_li_be16(p + gre_len + 10);
		e->frame_type = (w >> 10) & 0x1f;
		inner = gre_len + ERSPAN_III_HDR_LEN;
		if (w & 0x0001) {
			if (len - inner < ERSPAN_III_PLATFORM_LEN)
				return 0;
			inner += ERSPAN_III_PLATFORM_LEN;
		}
		break;
	default:
		return 0;	/* 0x6558 (TEB) and the rest are not ERSPAN */
	}

	/* FT != 0 (e.g. 2 = IP, 7 in the tcpdump sample): header checks only. */
	if (e->frame_type == 0) {
		if (len - inner < ETHER_HDR_LEN)
			return 0;
		e->inner_ethertype = tw_li_be16(p + inner + 12);
		if (!ethertype_sane(e->inner_ethertype))
			return 0;
		tw_li_inner_parse(p + inner, len - inner, TW_PKT_LINK_ETH, &e->inner);
	} else if (e->frame_type == 2) {
		/* FT 2: the mirrored IP packet without its Ethernet header. */
		tw_li_inner_parse(p + inner, len - inner, TW_PKT_LINK_RAW, &e->inner);
	}

	out.kind = TW_LI_KIND_ERSPAN;
	*d = out;
	return 1;
}
