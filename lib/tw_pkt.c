/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Straight-line header walk over one contiguous frame. Two ends bound every
 * read past the network header:
 *
 *   end       min(IP end as declared by the length field, captured bytes):
 *             nothing at or beyond it is ever read;
 *   ip_end    IP end as declared (may lie beyond the capture).
 *
 * A header that crosses ip_end is malformed (BAD_*); one that stays inside
 * ip_end but crosses end was cut by the capture (TRUNC_*). So a valid packet
 * cut at any length yields a TRUNC_* status or OK with
 * TW_PKT_F_TRUNC_PAYLOAD, never a BAD_* one.
 *
 * Offsets fit in uint16_t because the frame length is clamped to 65535 first.
 * Payload and L4 fields are written only on success, so for any status other
 * than TW_PKT_OK, l4_off, payload_off and payload_len are 0.
 */

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mpls.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "tw_pkt.h"

#define ETH_HDR_LEN	14
#define SLL_HDR_LEN	16
#define SLL_PROTO_OFF	14
#define SLL2_HDR_LEN	20
#define SLL2_PROTO_OFF	0
#define VLAN_TAG_LEN	4
#define MPLS_LABEL_LEN	4
#define IPV4_HDR_LEN	20
#define IPV6_HDR_LEN	40
#define IPV6_EXT_MIN	8
#define TCP_HDR_LEN	20
#define UDP_HDR_LEN	8
#define GRE_HDR_LEN	4

/* GRE flags/version word (RFC 2784, RFC 2890; version 1 is PPTP, RFC 2637). */
#define GRE_F_CSUM	0x8000
#define GRE_F_KEY	0x2000
#define GRE_F_SEQ	0x1000
#define GRE_F_ACK	0x0080	/* version 1 only */
#define GRE_VER_MASK	0x0007

/* ip_end of an IPv6 jumbogram: unknown, and beyond any capture. */
#define IP_END_UNKNOWN	UINT32_MAX

static const char *const status_names[] = {
#define TW_PKT_STATUS_NAME(name, str) [TW_PKT_ ## name] = str,
	TW_PKT_STATUS_LIST(TW_PKT_STATUS_NAME)
#undef TW_PKT_STATUS_NAME
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline enum tw_pkt_status
done(struct tw_pkt_meta *m, enum tw_pkt_status st)
{
	m->status = (uint8_t)st;
	return st;
}

/* Success: L4 header at l4 (0 if none), payload [off, off + plen). */
static inline enum tw_pkt_status
ok(struct tw_pkt_meta *m, uint32_t l4, uint32_t off, uint32_t plen)
{
	m->l4_off = (uint16_t)l4;
	m->payload_off = (uint16_t)off;
	m->payload_len = (uint16_t)plen;
	return done(m, TW_PKT_OK);
}

/*
 * L4 at offset l4; m->proto and m->flags are set. For a first fragment the
 * UDP length covers the whole datagram, not this fragment, so it is bounded
 * rather than rejected.
 */
static __rte_always_inline enum tw_pkt_status
parse_l4(const uint8_t *data, uint32_t l4, uint32_t end, uint32_t ip_end,
		struct tw_pkt_meta *m)
{
	const struct rte_tcp_hdr *th;
	const struct rte_udp_hdr *uh;
	uint32_t hlen, ulen, avail;
	uint16_t gf;

	switch (m->proto) {
	case IPPROTO_TCP:
		if (l4 + TCP_HDR_LEN > ip_end)
			return done(m, TW_PKT_BAD_TCP_HDR);
		if (l4 + TCP_HDR_LEN > end)
			return done(m, TW_PKT_TRUNC_TCP);
		th = (const struct rte_tcp_hdr *)(data + l4);
		m->sport = rte_be_to_cpu_16(th->src_port);
		m->dport = rte_be_to_cpu_16(th->dst_port);
		hlen = (uint32_t)(th->data_off >> 4) * 4;
		if (hlen < TCP_HDR_LEN || l4 + hlen > ip_end)
			return done(m, TW_PKT_BAD_TCP_HDR);
		if (l4 + hlen > end)
			return done(m, TW_PKT_TRUNC_TCP);
		return ok(m, l4, l4 + hlen, end - l4 - hlen);
	case IPPROTO_UDP:
		if (l4 + UDP_HDR_LEN > ip_end)
			return done(m, TW_PKT_BAD_UDP_LEN);
		if (l4 + UDP_HDR_LEN > end)
			return done(m, TW_PKT_TRUNC_UDP);
		uh = (const struct rte_udp_hdr *)(data + l4);
		m->sport = rte_be_to_cpu_16(uh->src_port);
		m->dport = rte_be_to_cpu_16(uh->dst_port);
		ulen = rte_be_to_cpu_16(uh->dgram_len);
		avail = end - l4 - UDP_HDR_LEN;
		if (unlikely(ulen < UDP_HDR_LEN)) {
			/* RFC 2675 4: UDP in a jumbogram has length 0. */
			if (ulen == 0 && ip_end == IP_END_UNKNOWN)
				return ok(m, l4, l4 + UDP_HDR_LEN, avail);
			return done(m, TW_PKT_BAD_UDP_LEN);
		}
		if (ulen > ip_end - l4 && (m->flags & TW_PKT_F_FRAG) == 0)
			return done(m, TW_PKT_BAD_UDP_LEN);
		return ok(m, l4, l4 + UDP_HDR_LEN, RTE_MIN(ulen - UDP_HDR_LEN, avail));
	case IPPROTO_GRE:
		if (l4 + GRE_HDR_LEN > ip_end)
			return done(m, TW_PKT_BAD_GRE);
		if (l4 + GRE_HDR_LEN > end)
			return done(m, TW_PKT_TRUNC_GRE);
		gf = rd16(data + l4);
		m->gre_flags = gf;
		m->gre_proto = rd16(data + l4 + 2);
		if ((gf & GRE_VER_MASK) > 1)
			return done(m, TW_PKT_BAD_GRE);
		hlen = GRE_HDR_LEN + 4 * (!!(gf & GRE_F_CSUM) + !!(gf & GRE_F_KEY) +
				!!(gf & GRE_F_SEQ) +
				((gf & (GRE_F_ACK | GRE_VER_MASK)) == (GRE_F_ACK | 1)));
		if (l4 + hlen > ip_end)
			return done(m, TW_PKT_BAD_GRE);
		if (l4 + hlen > end)
			return done(m, TW_PKT_TRUNC_GRE);
		/* ERSPAN and other signatures anchor on the GRE header itself. */
		return ok(m, l4, l4, end - l4);
	default:
		return ok(m, l4, l4, end - l4);
	}
}

/*
 * parse_ipv4() and parse_l4() are forced inline into their callers: 198 ->
 * 179 instructions per packet for RX + parse + TX (callgrind, scripts/bench
 * 64b-1k, forwarding depth).
 */
static __rte_always_inline enum tw_pkt_status
parse_ipv4(const uint8_t *data, uint32_t len, uint32_t off, struct tw_pkt_meta *m)
{
	const struct rte_ipv4_hdr *ip;
	uint32_t hlen, tot, ip_end, end, l4;
	uint16_t frag;

	m->l3 = 4;
	m->l3_off = (uint16_t)off;
	if (len - off < IPV4_HDR_LEN)
		return done(m, TW_PKT_TRUNC_IPV4);
	ip = (const struct rte_ipv4_hdr *)(data + off);
	hlen = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4;
	if ((ip->version_ihl >> 4) != 4 || hlen < IPV4_HDR_LEN)
		return done(m, TW_PKT_BAD_IPV4_HDR);
	if (len - off < hlen)
		return done(m, TW_PKT_TRUNC_IPV4);
	tot = rte_be_to_cpu_16(ip->total_length);
	if (tot < hlen)
		return done(m, TW_PKT_BAD_IPV4_LEN);

	memcpy(m->src, &ip->src_addr, 4);
	memcpy(m->dst, &ip->dst_addr, 4);
	m->proto = ip->next_proto_id;
	m->frag_id = rte_be_to_cpu_16(ip->packet_id);

	/* Bytes past total length are Ethernet padding: excluded. */
	ip_end = off + tot;
	end = ip_end;
	if (end > len) {
		end = len;
		m->flags |= TW_PKT_F_TRUNC_PAYLOAD;
	}
	l4 = off + hlen;
	frag = rte_be_to_cpu_16(ip->fragment_offset);
	if (unlikely(frag & (RTE_IPV4_HDR_OFFSET_MASK | RTE_IPV4_HDR_MF_FLAG))) {
		if (frag & RTE_IPV4_HDR_OFFSET_MASK) {
			m->flags |= TW_PKT_F_FRAG_LATER;
			return ok(m, 0, l4, end - l4);
		}
		m->flags |= TW_PKT_F_FRAG;
	}
	return parse_l4(data, l4, end, ip_end, m);
}

static enum tw_pkt_status
parse_ipv6(const uint8_t *data, uint32_t len, uint32_t off, struct tw_pkt_meta *m)
{
	const struct rte_ipv6_hdr *ip;
	const struct rte_ipv6_fragment_ext *fh;
	uint32_t plen, ip_end, end, p, elen;
	uint16_t fd;
	unsigned int nb_ext;
	uint8_t nh;

	m->l3 = 6;
	m->l3_off = (uint16_t)off;
	if (len - off < IPV6_HDR_LEN)
		return done(m, TW_PKT_TRUNC_IPV6);
	ip = (const struct rte_ipv6_hdr *)(data + off);
	/* No status of its own for a wrong version nibble: counted as bad length. */
	if ((data[off] >> 4) != 6)
		return done(m, TW_PKT_BAD_IPV6_LEN);

	memcpy(m->src, ip->src_addr, 16);
	memcpy(m->dst, ip->dst_addr, 16);
	nh = ip->proto;
	p = off + IPV6_HDR_LEN;
	plen = rte_be_to_cpu_16(ip->payload_len);
	if (likely(plen != 0)) {
		ip_end = p + plen;
		end = ip_end;
		if (end > len) {
			end = len;
			m->flags |= TW_PKT_F_TRUNC_PAYLOAD;
		}
	} else if (nh == IPPROTO_HOPOPTS) {
		/* Jumbogram (RFC 2675): longer than 65535, so longer than any capture. */
		ip_end = IP_END_UNKNOWN;
		end = len;
		m->flags |= TW_PKT_F_TRUNC_PAYLOAD;
	} else if (nh == IPPROTO_NONE) {
		ip_end = p;
		end = p;
	} else {
		m->proto = nh;
		return done(m, TW_PKT_BAD_IPV6_LEN);
	}

	/* One iteration per extension header, at most TW_PKT_IPV6_EXT_MAX. */
	for (nb_ext = 0;; nb_ext++) {
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING && nh != IPPROTO_DSTOPTS &&
				nh != IPPROTO_FRAGMENT && nh != IPPROTO_AH && nh != IPPROTO_MH)
			break;
		m->proto = nh;
		if (nb_ext == TW_PKT_IPV6_EXT_MAX)
			return done(m, TW_PKT_IPV6_EXT_DEPTH);
		if (p + IPV6_EXT_MIN > ip_end)
			return done(m, TW_PKT_BAD_IPV6_EXT);
		if (p + IPV6_EXT_MIN > end)
			return done(m, TW_PKT_TRUNC_IPV6);
		if (nh == IPPROTO_FRAGMENT) {
			fh = (const struct rte_ipv6_fragment_ext *)(data + p);
			fd = rte_be_to_cpu_16(fh->frag_data);
			m->frag_id = rte_be_to_cpu_32(fh->id);
			nh = fh->next_header;
			p += RTE_IPV6_FRAG_HDR_SIZE;
			if (RTE_IPV6_GET_FO(fd) != 0) {
				m->proto = nh;
				m->flags |= TW_PKT_F_FRAG_LATER;
				return ok(m, 0, p, end - p);
			}
			if (RTE_IPV6_GET_MF(fd))
				m->flags |= TW_PKT_F_FRAG;
			continue;
		}
		if (nh == IPPROTO_AH)
			elen = ((uint32_t)data[p + 1] + 2) * 4;
		else
			elen = ((uint32_t)data[p + 1] + 1) * 8;
		if (p + elen > ip_end)
			return done(m, TW_PKT_BAD_IPV6_EXT);
		if (p + elen > end)
			return done(m, TW_PKT_TRUNC_IPV6);
		nh = data[p];
		p += elen;
	}

	m->proto = nh;
	if (nh == IPPROTO_NONE)
		return ok(m, 0, p, 0);
	return parse_l4(data, p, end, ip_end, m);
}

static inline int
is_vlan_tpid(uint16_t etype)
{
	return etype == RTE_ETHER_TYPE_VLAN || etype == RTE_ETHER_TYPE_QINQ ||
		etype == RTE_ETHER_TYPE_QINQ1;
}

/* Network layer at @p off, announced by @p etype. */
static enum tw_pkt_status
parse_ethertype(const uint8_t *data, uint32_t len, uint32_t off, uint16_t etype,
		struct tw_pkt_meta *m)
{
	const struct rte_mpls_hdr *mh;
	unsigned int bos;

	if (unlikely(is_vlan_tpid(etype))) {
		do {
			const struct rte_vlan_hdr *vh;

			if (m->nb_vlan == TW_PKT_VLAN_MAX)
				return done(m, TW_PKT_VLAN_DEPTH);
			if (len - off < VLAN_TAG_LEN)
				return done(m, TW_PKT_TRUNC_VLAN);
			vh = (const struct rte_vlan_hdr *)(data + off);
			if (m->nb_vlan == 0)
				m->vlan = rte_be_to_cpu_16(vh->vlan_tci) & RTE_VLAN_ID_MASK;
			etype = rte_be_to_cpu_16(vh->eth_proto);
			off += VLAN_TAG_LEN;
			m->nb_vlan++;
		} while (is_vlan_tpid(etype));
	}

	if (likely(etype == RTE_ETHER_TYPE_IPV4))
		return parse_ipv4(data, len, off, m);
	if (etype == RTE_ETHER_TYPE_IPV6)
		return parse_ipv6(data, len, off, m);
	if (etype != RTE_ETHER_TYPE_MPLS && etype != RTE_ETHER_TYPE_MPLSM)
		return done(m, TW_PKT_NOT_IP);

	do {
		if (m->nb_mpls == TW_PKT_MPLS_MAX)
			return done(m, TW_PKT_MPLS_DEPTH);
		if (len - off < MPLS_LABEL_LEN)
			return done(m, TW_PKT_TRUNC_MPLS);
		mh = (const struct rte_mpls_hdr *)(data + off);
		bos = mh->bs;
		off += MPLS_LABEL_LEN;
		m->nb_mpls++;
	} while (bos == 0);

	/*
	 * MPLS does not say what it carries: guess from the first nibble, as
	 * Linux and Wireshark do. A pseudowire control word (0000) or an
	 * Ethernet pseudowire lands in MPLS_PAYLOAD.
	 */
	if (off >= len)
		return done(m, TW_PKT_TRUNC_MPLS);
	switch (data[off] >> 4) {
	case 4:
		return parse_ipv4(data, len, off, m);
	case 6:
		return parse_ipv6(data, len, off, m);
	default:
		return done(m, TW_PKT_MPLS_PAYLOAD);
	}
}

enum tw_pkt_status
tw_pkt_parse(const uint8_t *data, uint32_t len, enum tw_pkt_link link,
		struct tw_pkt_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->wire_len = len;
	if (unlikely(data == NULL))
		len = 0;
	/* Offsets are uint16_t: parse the first 64 KiB of a larger frame. */
	if (unlikely(len > UINT16_MAX))
		len = UINT16_MAX;

	switch (link) {
	case TW_PKT_LINK_ETH:
		if (unlikely(len < ETH_HDR_LEN))
			return done(m, TW_PKT_TRUNC_ETH);
		return parse_ethertype(data, len, ETH_HDR_LEN, rd16(data + 12), m);
	case TW_PKT_LINK_RAW:
		if (len == 0)
			return done(m, TW_PKT_NOT_IP);
		if ((data[0] >> 4) == 4)
			return parse_ipv4(data, len, 0, m);
		if ((data[0] >> 4) == 6)
			return parse_ipv6(data, len, 0, m);
		return done(m, TW_PKT_NOT_IP);
	case TW_PKT_LINK_SLL:
		if (len < SLL_HDR_LEN)
			return done(m, TW_PKT_TRUNC_SLL);
		return parse_ethertype(data, len, SLL_HDR_LEN, rd16(data + SLL_PROTO_OFF), m);
	case TW_PKT_LINK_SLL2:
		if (len < SLL2_HDR_LEN)
			return done(m, TW_PKT_TRUNC_SLL);
		return parse_ethertype(data, len, SLL2_HDR_LEN, rd16(data + SLL2_PROTO_OFF), m);
	default:
		return done(m, TW_PKT_NOT_IP);
	}
}

const char *
tw_pkt_status_name(unsigned int status)
{
	if (status >= RTE_DIM(status_names))
		return "unknown";
	return status_names[status];
}
