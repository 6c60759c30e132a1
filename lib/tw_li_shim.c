/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Fixed-shim content copies: a short header, then the intercepted packet,
 * in one UDP datagram (docs/li-protocols.md sections 4, 5, 6.2, 7.1, 7.2).
 *
 *   PacketCable CCC / Cisco SII   CCCID(4) [+ 4 | + NTP ts(8) | + NTP ts(8) + case id(8)] | IP
 *   Juniper mirror / Nokia shim   [MHV(2) intercept id(30)] session id(32) | IP or Ethernet
 *   Redback / Ericsson SmartEdge  AVPs type(1) len(1) value ... EOH | IP
 *
 * None of them has a magic number, so the verdict rests on the copied
 * packet: it must be an IP datagram (or, for Nokia "ether" mirrors, an
 * Ethernet frame carrying one) whose own length fields account for every
 * byte left in the datagram, and an IPv4 header must carry a correct
 * checksum. A payload cut short therefore never validates: the caller
 * passes whole datagrams only.
 *
 * Other UDP encapsulations share the "8 bytes + IP" shape and would pass
 * that test; they are recognised by their own header consistency and
 * rejected (see shim8_foreign()).
 */

#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define IPV4_HDR_MIN		20
#define IPV6_HDR_LEN		40
#define ETHER_HDR_LEN		14
#define VLAN_TAG_LEN		4
/*
 * Frame lengths that may carry bytes after the IP packet: the Ethernet
 * minimum, 60 bytes without FCS or 64 with it (or a tag kept on a 60-byte
 * frame). Padding only ever brings a short frame up to the minimum.
 */
#define ETHER_MIN_LEN		60
#define ETHER_MIN_LEN_FCS	64

#define ETHER_TYPE_IPV4		0x0800
#define ETHER_TYPE_IPV6		0x86dd
#define ETHER_TYPE_VLAN		0x8100
#define ETHER_TYPE_QINQ		0x88a8

#define JMIRROR_HDR_LEN		8
#define JMIRROR_MHV_SHIFT	30
#define JMIRROR_ID_MASK		0x3fffffffu	/* MHV 0: 30-bit intercept id */
#define NOKIA_ID_MASK		0x1fffffffu	/* MHV 1: 29-bit intercept id */
#define NOKIA_DIR_BIT		0x20000000u	/* MHV 1: 0 ingress, 1 egress */

#define GTPU_HDR_LEN		8
#define GTPU_MSG_GPDU		0xff

#define RPCAP_MSG_PACKET	0x07

#define RB_AVP_EOH		0
#define RB_AVP_SEQNO		1
#define RB_AVP_LIID		2
#define RB_AVP_SESSID		3
#define RB_AVP_DIR		4
#define RB_AVP_LABEL		20
#define RB_AVP_ACCTID		40
#define RB_INT_AVP_LEN		4
#define RB_REQUIRED		((1u << RB_AVP_SEQNO) | (1u << RB_AVP_LIID) | (1u << RB_AVP_SESSID))
/* Wireshark's heuristic minimum: three integer AVPs and an EOH. */
#define RB_MIN_LEN		(3 * (2 + RB_INT_AVP_LEN) + 2)

/* An IPv4 header is intact when its ones' complement sum, checksum included, is 0xffff. */
static int
ipv4_csum_ok(const uint8_t *p, uint32_t hlen)
{
	uint32_t sum = 0, i;

	for (i = 0; i < hlen; i += 2)
		sum += tw_li_be16(p + i);
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/*
 * A sound IP header at p whose declared packet fits in len bytes: IPv4 with
 * IHL >= 5, total length covering the header and a correct checksum, or
 * IPv6 with 40 + payload length <= len. Returns 4 or 6 and the declared
 * length in *ip_len, else 0. No IPv6 jumbogram fits in a UDP datagram, so a
 * payload length of 0 means a bare 40-byte header.
 */
static unsigned int
ip_header_sound(const uint8_t *p, uint32_t len, uint32_t *ip_len)
{
	uint32_t hlen, tot;

	if (len < IPV4_HDR_MIN)
		return 0;
	switch (p[0] >> 4) {
	case 4:
		hlen = (uint32_t)(p[0] & 0x0f) * 4;
		if (hlen < IPV4_HDR_MIN || hlen > len)
			return 0;
		tot = tw_li_be16(p + 2);
		if (tot < hlen || tot > len || !ipv4_csum_ok(p, hlen))
			return 0;
		*ip_len = tot;
		return 4;
	case 6:
		if (len < IPV6_HDR_LEN)
			return 0;
		tot = IPV6_HDR_LEN + (uint32_t)tw_li_be16(p + 4);
		if (tot > len)
			return 0;
		*ip_len = tot;
		return 6;
	default:
		return 0;
	}
}

/* Exactly one sound IP packet fills [p, p + len): 4 or 6, else 0. */
static unsigned int
ip_exact(const uint8_t *p, uint32_t len)
{
	uint32_t ip_len;
	unsigned int l3 = ip_header_sound(p, len, &ip_len);

	return l3 != 0 && ip_len == len ? l3 : 0;
}

/*
 * A mirrored Ethernet frame fills [p, p + len): Ethernet II with ethertype
 * IPv4, IPv6, 802.1Q or 802.1ad (tags walked up to TW_PKT_VLAN_MAX), then a
 * sound IP packet of the announced version that ends the frame. Bytes after
 * the IP packet are only accepted in a frame of exactly the minimum size
 * (padding, FCS); a larger frame with trailing bytes is refused, so a
 * mirror that kept the FCS on every frame would not validate.
 */
static int
eth_exact(const uint8_t *p, uint32_t len)
{
	uint32_t off = ETHER_HDR_LEN, ip_len;
	unsigned int nb_tags = 0, l3;
	uint16_t et;

	if (len < ETHER_HDR_LEN)
		return 0;
	et = tw_li_be16(p + 12);
	while (et == ETHER_TYPE_VLAN || et == ETHER_TYPE_QINQ) {
		if (nb_tags == TW_PKT_VLAN_MAX || len - off < VLAN_TAG_LEN)
			return 0;
		et = tw_li_be16(p + off + 2);
		off += VLAN_TAG_LEN;
		nb_tags++;
	}
	if (et != ETHER_TYPE_IPV4 && et != ETHER_TYPE_IPV6)
		return 0;
	l3 = ip_header_sound(p + off, len - off, &ip_len);
	if (l3 != (et == ETHER_TYPE_IPV4 ? 4u : 6u))
		return 0;
	return off + ip_len == len || len == ETHER_MIN_LEN || len == ETHER_MIN_LEN_FCS;
}

/*
 * GTPv1-U (3GPP TS 29.281) G-PDU: flags 0x30..0x37 (version 1, PT 1, E/S/PN
 * in the low bits), message type 0xff, length == bytes after the 8-byte
 * mandatory header. It carries a subscriber IP packet at offset 8 (12 with
 * E/S/PN), exactly where a jmirror or 8/12-byte PacketCable header puts it,
 * and 0x30 reads as MHV 00. A genuine shim matches all three fields only
 * if its intercept id is 0x30ff0000 + (len - 8) or so: not worth keeping.
 */
static int
looks_like_gtpu(const uint8_t *p, uint32_t len)
{
	return len >= GTPU_HDR_LEN && (p[0] & 0xf8) == 0x30 && p[1] == GTPU_MSG_GPDU &&
		tw_li_be16(p + 2) == len - GTPU_HDR_LEN;
}

/*
 * Other 8-byte headers followed by a packet:
 * - VXLAN (RFC 7348) `08 00 00 00 VNI 00` then Ethernet, the same shape as
 *   a Nokia "ether" mirror with MHV 00;
 * - VXLAN-GPE `0c 00 00 NP VNI 00` (flags I|P, next protocol 1 IPv4,
 *   2 IPv6, 3 Ethernet, 4 NSH) then IP or Ethernet;
 * - GTPv1-U, above;
 * - an rpcap packet message `00 07 00 00 plen` (plen == len - 8). Its
 *   20-byte packet header never passes the IP check either; this just
 *   says so up front.
 */
static int
shim8_foreign(const uint8_t *p, uint32_t len)
{
	if (len < JMIRROR_HDR_LEN)
		return 0;
	if (looks_like_gtpu(p, len))
		return 1;
	if (p[1] == 0 && p[2] == 0 && p[7] == 0 &&
			((p[0] == 0x08 && p[3] == 0) ||
			((p[0] & 0xfc) == 0x0c && p[3] >= 1 && p[3] <= 4)))
		return 1;
	return p[0] == 0 && p[1] == RPCAP_MSG_PACKET && p[2] == 0 && p[3] == 0 &&
		tw_li_be32(p + 4) == len - JMIRROR_HDR_LEN;
}

/*
 * PacketCable CCC / Cisco SII content. The header length is not signalled:
 * try 4, 8, 12 and 20 bytes in that order and keep the first after which
 * exactly one IP packet fills the datagram. The 8- and 12-byte layouts are
 * skipped when the datagram reads as GTPv1-U (8 + IP, or 12 + IP with
 * E/S/PN), the 8-byte one also for VXLAN-GPE and rpcap. Direction stays 0:
 * the CCCID sub-structure (FreeSWITCH puts a direction in its low 2 bits)
 * is implementation-specific.
 */
int
tw_li_packetcable_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	static const uint8_t hdr_lens[] = { 4, 8, 12, 20 };
	struct tw_li_detail out;
	struct tw_li_shim *s = &out.shim;
	unsigned int i;
	uint32_t hl;

	for (i = 0; i < RTE_DIM(hdr_lens); i++) {
		hl = hdr_lens[i];
		if (len <= hl)
			return 0;
		if (hl == 8 && shim8_foreign(p, len))
			continue;
		if (hl == 12 && looks_like_gtpu(p, len))
			continue;
		if (ip_exact(p + hl, len - hl) == 0)
			continue;
		memset(&out, 0, sizeof(out));
		out.kind = TW_LI_KIND_SHIM;
		s->id = tw_li_be32(p);
		s->header_len = (uint8_t)hl;
		tw_li_inner_parse(p + hl, len - hl, TW_PKT_LINK_RAW, &s->inner);
		*d = out;
		return 1;
	}
	return 0;
}

/*
 * Juniper packet mirror / Nokia LI-shim: word 0 is [MHV 2][intercept id 30],
 * or for MHV 01 [MHV 2][direction 1][intercept id 29]; word 1 is the session
 * id. MHV 10 and 11 are not defined. The copy is an IP packet (Juniper,
 * Nokia ip-only) or an Ethernet frame (Nokia ether); IP is tried first since
 * a MAC address may start with 0x4_ or 0x6_.
 */
int
tw_li_jmirror_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_shim *s = &out.shim;
	enum tw_pkt_link link;
	uint32_t w0;

	if (len <= JMIRROR_HDR_LEN)
		return 0;
	w0 = tw_li_be32(p);
	if ((w0 >> JMIRROR_MHV_SHIFT) > 1 || shim8_foreign(p, len))
		return 0;
	if (ip_exact(p + JMIRROR_HDR_LEN, len - JMIRROR_HDR_LEN) != 0)
		link = TW_PKT_LINK_RAW;
	else if (eth_exact(p + JMIRROR_HDR_LEN, len - JMIRROR_HDR_LEN))
		link = TW_PKT_LINK_ETH;
	else
		return 0;

	memset(&out, 0, sizeof(out));
	out.kind = TW_LI_KIND_SHIM;
	s->mhv = (uint8_t)(w0 >> JMIRROR_MHV_SHIFT);
	if (s->mhv == 1) {
		s->id = w0 & NOKIA_ID_MASK;
		s->direction = (w0 & NOKIA_DIR_BIT) ? 2 : 1;
	} else {
		s->id = w0 & JMIRROR_ID_MASK;
	}
	s->session = tw_li_be32(p + 4);
	s->header_len = JMIRROR_HDR_LEN;
	tw_li_inner_parse(p + JMIRROR_HDR_LEN, len - JMIRROR_HDR_LEN, link, &s->inner);
	*d = out;
	return 1;
}

/* Label AVP as a C string: printable ASCII kept, other bytes as '.', stop at NUL. */
static void
copy_label(char *dst, size_t cap, const uint8_t *v, uint32_t vlen)
{
	size_t i;

	for (i = 0; i < vlen && i + 1 < cap && v[i] != '\0'; i++)
		dst[i] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '.';
	dst[i] = '\0';
}

/*
 * Redback / Ericsson SmartEdge LI, after Wireshark's redbackli heuristic:
 * AVP types limited to {0, 1, 2, 3, 4, 20, 40}; seqno, LI id and session id
 * are 4 bytes and all three present; EOH (len 0 or 1) is not first and ends
 * the header; at least 20 bytes. Unlike Wireshark we also require the AVPs
 * to lie inside the datagram, the EOH, and one IP packet filling the rest.
 * A header longer than 255 bytes (header_len is 8 bits) is rejected; real
 * ones hold a handful of short AVPs.
 *
 * Repeated AVPs: the first occurrence is reported. The direction AVP has
 * no public definition (Wireshark shows raw bytes); a first byte of 0 or 1
 * is reported as direction 1 or 2 on the assumption that Redback counts
 * like Nokia (0 from, 1 to the subscriber): UNVERIFIED. Any other value
 * leaves direction 0.
 */
int
tw_li_redback_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_shim *s = &out.shim;
	uint32_t off = 0, alen, found = 0, bit;
	const uint8_t *v;
	uint8_t type;
	int eoh = 0;

	if (len < RB_MIN_LEN)
		return 0;
	memset(&out, 0, sizeof(out));
	while (!eoh) {
		if (len - off < 2)
			return 0;
		type = p[off];
		alen = p[off + 1];
		if (alen > len - off - 2)
			return 0;
		v = p + off + 2;
		bit = 0;
		switch (type) {
		case RB_AVP_EOH:
			if (alen > 1 || off == 0)
				return 0;
			eoh = 1;
			break;
		case RB_AVP_SEQNO:
		case RB_AVP_LIID:
		case RB_AVP_SESSID:
			if (alen != RB_INT_AVP_LEN)
				return 0;
			bit = 1u << type;
			if (found & bit)
				break;
			if (type == RB_AVP_SEQNO)
				s->seq = tw_li_be32(v);
			else if (type == RB_AVP_LIID)
				s->id = tw_li_be32(v);
			else
				s->session = tw_li_be32(v);
			break;
		case RB_AVP_DIR:
			bit = 1u << type;
			if ((found & bit) == 0 && alen >= 1 && v[0] <= 1)
				s->direction = (uint8_t)(v[0] + 1);
			break;
		case RB_AVP_LABEL:
			bit = 1u << type;
			if ((found & bit) == 0)
				copy_label(s->label, sizeof(s->label), v, alen);
			break;
		case RB_AVP_ACCTID:
			break;
		default:
			return 0;
		}
		found |= bit;
		off += 2 + alen;
	}
	if ((found & RB_REQUIRED) != RB_REQUIRED || off > UINT8_MAX)
		return 0;
	if (ip_exact(p + off, len - off) == 0)
		return 0;

	out.kind = TW_LI_KIND_SHIM;
	s->header_len = (uint8_t)off;
	tw_li_inner_parse(p + off, len - off, TW_PKT_LINK_RAW, &s->inner);
	*d = out;
	return 1;
}
