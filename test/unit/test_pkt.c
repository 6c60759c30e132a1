/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests of the packet parser. EAL-free: Check's default fork mode.
 *
 * Packets are described as short recipes of layers (ETH, VLAN, IP4, UDP, ...)
 * that build() turns into bytes, fixing the IPv4 total length, IPv6 payload
 * length and UDP length afterwards; SET8/SET16 then corrupt single fields
 * and CUT drops trailing bytes as a short capture would. Every parse runs on
 * an exactly-sized heap copy, so ASan or valgrind catch any over-read.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tw_pkt.h"

#define PKT_MAX		1024
#define OPS_MAX		16
#define OFF_NONE	UINT32_MAX

enum op_kind {
	OP_END = 0,
	OP_ETH,		/* a = ethertype */
	OP_SLL,		/* a = protocol */
	OP_SLL2,	/* a = protocol */
	OP_VLAN,	/* a = TCI, b = inner ethertype */
	OP_MPLS,	/* a = label, b = bottom of stack */
	OP_IP4,		/* a = protocol, b = option words, c = flags/fragment, d = id */
	OP_IP6,		/* a = next header */
	OP_EXT6,	/* a = next header, b = length field, c = total bytes */
	OP_FRAG6,	/* a = next header, b = offset (8-byte units), c = M, d = id */
	OP_TCP,		/* a = sport, b = dport, c = option words */
	OP_UDP,		/* a = sport, b = dport */
	OP_GRE,		/* a = flags/version word, b = protocol, c = option words */
	OP_B32,		/* a = big-endian word */
	OP_PAY,		/* a = bytes, b = value (pattern if 0) */
	OP_PAD,		/* a = bytes after the IP datagram (Ethernet padding) */
	OP_SET8,	/* after length fixups: byte a = b */
	OP_SET16,	/* after length fixups: bytes a, a + 1 = b (big-endian) */
	OP_CUT,		/* after everything: drop the last a bytes */
};

struct op {
	uint8_t kind;
	uint32_t a, b, c, d;
};

#define ETH(t)			{ OP_ETH, (t), 0, 0, 0 }
#define SLL(t)			{ OP_SLL, (t), 0, 0, 0 }
#define SLL2(t)			{ OP_SLL2, (t), 0, 0, 0 }
#define VLAN(tci, t)		{ OP_VLAN, (tci), (t), 0, 0 }
#define MPLS(l, s)		{ OP_MPLS, (l), (s), 0, 0 }
#define IP4(p, o, f, id)	{ OP_IP4, (p), (o), (f), (id) }
#define IP6(nh)			{ OP_IP6, (nh), 0, 0, 0 }
#define EXT6(nh, l, n)		{ OP_EXT6, (nh), (l), (n), 0 }
#define FRAG6(nh, o, mf, id)	{ OP_FRAG6, (nh), (o), (mf), (id) }
#define TCP(s, d, o)		{ OP_TCP, (s), (d), (o), 0 }
#define UDP(s, d)		{ OP_UDP, (s), (d), 0, 0 }
#define GRE(f, p, o)		{ OP_GRE, (f), (p), (o), 0 }
#define B32(v)			{ OP_B32, (v), 0, 0, 0 }
#define PAY(n)			{ OP_PAY, (n), 0, 0, 0 }
#define PAYV(n, v)		{ OP_PAY, (n), (v), 0, 0 }
#define PAD(n)			{ OP_PAD, (n), 0, 0, 0 }
#define SET8(o, v)		{ OP_SET8, (o), (v), 0, 0 }
#define SET16(o, v)		{ OP_SET16, (o), (v), 0, 0 }
#define CUT(n)			{ OP_CUT, (n), 0, 0, 0 }

struct pkt {
	uint8_t b[PKT_MAX];
	uint32_t len;
	uint32_t ip4;		/* offset of the first IPv4 header, or OFF_NONE */
	uint32_t ip6;
	uint32_t udp;
	uint32_t ip_end;	/* end of the outer IP datagram before CUT */
};

/* Expected meta. Only status is checked for errors unless the case says full. */
struct expect {
	uint8_t status;
	uint8_t l3;
	uint8_t proto;
	uint8_t flags;
	uint16_t sport;
	uint16_t dport;
	uint32_t frag_id;
	uint16_t vlan;
	uint8_t nb_vlan;
	uint8_t nb_mpls;
	uint16_t l3_off;
	uint16_t l4_off;
	uint16_t payload_off;
	uint16_t payload_len;
	uint16_t gre_proto;
	uint16_t gre_flags;
};

struct pkt_case {
	const char *name;
	unsigned int link;
	int full;		/* compare every field even if status != OK */
	struct op ops[OPS_MAX];
	struct expect x;
};

static const uint8_t ip4_src[4] = { 192, 0, 2, 1 };
static const uint8_t ip4_dst[4] = { 198, 51, 100, 2 };
static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xbe, [15] = 0xef };

/* ---- packet builder ---------------------------------------------------- */

static void
put8(struct pkt *p, uint32_t v)
{
	ck_assert_uint_lt(p->len, PKT_MAX);
	p->b[p->len++] = (uint8_t)v;
}

static void
put16(struct pkt *p, uint32_t v)
{
	put8(p, v >> 8);
	put8(p, v);
}

static void
put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v);
}

static void
put_bytes(struct pkt *p, const uint8_t *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		put8(p, v[i]);
}

static void
put_fill(struct pkt *p, uint32_t n, uint32_t v)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		put8(p, v != 0 ? v : 0xa0 + (i & 0xf));
}

static void
set16(struct pkt *p, uint32_t off, uint32_t v)
{
	ck_assert_uint_lt(off + 1, p->len + 1);
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

static void
build_eth(struct pkt *p, uint32_t etype)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	put_bytes(p, dst, sizeof(dst));
	put_bytes(p, src, sizeof(src));
	put16(p, etype);
}

static void
build_sll(struct pkt *p, uint32_t proto)
{
	put16(p, 0);		/* packet type: to us */
	put16(p, 1);		/* ARPHRD_ETHER */
	put16(p, 6);		/* address length */
	put_fill(p, 8, 0x02);
	put16(p, proto);
}

static void
build_sll2(struct pkt *p, uint32_t proto)
{
	put16(p, proto);
	put16(p, 0);		/* reserved */
	put32(p, 3);		/* interface index */
	put16(p, 1);		/* ARPHRD_ETHER */
	put8(p, 0);		/* packet type */
	put8(p, 6);		/* address length */
	put_fill(p, 8, 0x02);
}

static void
build_ip4(struct pkt *p, const struct op *o)
{
	if (p->ip4 == OFF_NONE)
		p->ip4 = p->len;
	put8(p, 0x45 + o->b);
	put8(p, 0);
	put16(p, 0);		/* total length: fixed up */
	put16(p, o->d);
	put16(p, o->c);
	put8(p, 64);
	put8(p, o->a);
	put16(p, 0);		/* checksum: not checked */
	put_bytes(p, ip4_src, 4);
	put_bytes(p, ip4_dst, 4);
	put_fill(p, o->b * 4, 0x01);	/* NOP options */
}

static void
build_ip6(struct pkt *p, const struct op *o)
{
	if (p->ip6 == OFF_NONE)
		p->ip6 = p->len;
	put32(p, 0x60012345);
	put16(p, 0);		/* payload length: fixed up */
	put8(p, o->a);
	put8(p, 64);
	put_bytes(p, ip6_src, 16);
	put_bytes(p, ip6_dst, 16);
}

static void
build_op(struct pkt *p, const struct op *o)
{
	switch (o->kind) {
	case OP_ETH:
		build_eth(p, o->a);
		break;
	case OP_SLL:
		build_sll(p, o->a);
		break;
	case OP_SLL2:
		build_sll2(p, o->a);
		break;
	case OP_VLAN:
		put16(p, o->a);
		put16(p, o->b);
		break;
	case OP_MPLS:
		put32(p, o->a << 12 | (o->b ? 0x100 : 0) | 64);
		break;
	case OP_IP4:
		build_ip4(p, o);
		break;
	case OP_IP6:
		build_ip6(p, o);
		break;
	case OP_EXT6:
		put8(p, o->a);
		put8(p, o->b);
		put_fill(p, o->c - 2, 0x00);
		break;
	case OP_FRAG6:
		put8(p, o->a);
		put8(p, 0);
		put16(p, o->b << 3 | (o->c ? 1 : 0));
		put32(p, o->d);
		break;
	case OP_TCP:
		put16(p, o->a);
		put16(p, o->b);
		put32(p, 0x01020304);	/* seq */
		put32(p, 0);		/* ack */
		put8(p, (5 + o->c) << 4);
		put8(p, 0x18);		/* PSH ACK */
		put16(p, 65535);
		put32(p, 0);		/* checksum, urgent */
		put_fill(p, o->c * 4, 0x01);
		break;
	case OP_UDP:
		if (p->udp == OFF_NONE)
			p->udp = p->len;
		put16(p, o->a);
		put16(p, o->b);
		put16(p, 0);		/* length: fixed up */
		put16(p, 0);
		break;
	case OP_GRE:
		put16(p, o->a);
		put16(p, o->b);
		put_fill(p, o->c * 4, 0x00);
		break;
	case OP_B32:
		put32(p, o->a);
		break;
	case OP_PAY:
		put_fill(p, o->a, o->b);
		break;
	case OP_PAD:
		if (p->ip_end == OFF_NONE)
			p->ip_end = p->len;
		put_fill(p, o->a, 0x00);
		break;
	default:
		break;
	}
}

static void
build(const struct op *ops, struct pkt *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->ip4 = OFF_NONE;
	p->ip6 = OFF_NONE;
	p->udp = OFF_NONE;
	p->ip_end = OFF_NONE;
	for (i = 0; i < OPS_MAX && ops[i].kind != OP_END; i++)
		build_op(p, &ops[i]);
	if (p->ip_end == OFF_NONE)
		p->ip_end = p->len;

	if (p->ip4 != OFF_NONE)
		set16(p, p->ip4 + 2, p->ip_end - p->ip4);
	if (p->ip6 != OFF_NONE)
		set16(p, p->ip6 + 4, p->ip_end - p->ip6 - 40);
	if (p->udp != OFF_NONE)
		set16(p, p->udp + 4, p->ip_end - p->udp);

	for (i = 0; i < OPS_MAX && ops[i].kind != OP_END; i++) {
		switch (ops[i].kind) {
		case OP_SET8:
			ck_assert_uint_lt(ops[i].a, p->len);
			p->b[ops[i].a] = (uint8_t)ops[i].b;
			break;
		case OP_SET16:
			set16(p, ops[i].a, ops[i].b);
			break;
		case OP_CUT:
			ck_assert_uint_le(ops[i].a, p->len);
			p->len -= ops[i].a;
			break;
		default:
			break;
		}
	}
}

/* Parse @p len bytes of @p bytes from an exactly-sized heap copy. */
static enum tw_pkt_status
parse_copy(const uint8_t *bytes, uint32_t len, unsigned int link, struct tw_pkt_meta *m)
{
	enum tw_pkt_status st;
	uint8_t *buf;

	buf = malloc(len != 0 ? len : 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, bytes, len);
	/* Poison the output: tw_pkt_parse() must write every field. */
	memset(m, 0xa5, sizeof(*m));
	st = tw_pkt_parse(len != 0 ? buf : NULL, len, (enum tw_pkt_link)link, m);
	free(buf);
	return st;
}

/* Invariants that hold for any input. */
static void
check_invariants(const struct tw_pkt_meta *m, uint32_t len, const char *name, uint32_t k)
{
	uint32_t cap = len > UINT16_MAX ? UINT16_MAX : len;

	ck_assert_msg(m->status < TW_PKT_STATUS_MAX, "%s/%u: status %u", name, k, m->status);
	ck_assert_msg((uint32_t)m->payload_off + m->payload_len <= cap,
			"%s/%u: payload [%u, +%u) beyond %u", name, k, m->payload_off,
			m->payload_len, cap);
	ck_assert_uint_eq(m->wire_len, len);
	ck_assert_uint_eq(m->ts_ns, 0);
	ck_assert_uint_le(m->nb_vlan, TW_PKT_VLAN_MAX);
	ck_assert_uint_le(m->nb_mpls, TW_PKT_MPLS_MAX);
	ck_assert_uint_lt(m->flags, 8);
	if (m->status != TW_PKT_OK) {
		ck_assert_msg(m->payload_off == 0 && m->payload_len == 0 && m->l4_off == 0,
				"%s/%u: %s with payload fields set", name, k,
				tw_pkt_status_name(m->status));
		return;
	}
	if (m->l3 == 4)
		ck_assert_uint_eq(memcmp(m->src + 4, (uint8_t[12]){ 0 }, 12), 0);
	if (m->l4_off != 0)
		ck_assert_uint_le(m->l4_off, m->payload_off);
	if (m->l3 != 0)
		ck_assert_uint_le(m->l3_off + (m->l3 == 4 ? 20 : 40), cap);
}

/* ---- the table --------------------------------------------------------- */

#define L_ETH	TW_PKT_LINK_ETH
#define L_RAW	TW_PKT_LINK_RAW
#define L_SLL	TW_PKT_LINK_SLL
#define L_SLL2	TW_PKT_LINK_SLL2
#define OK	TW_PKT_OK
#define F_FRAG	TW_PKT_F_FRAG
#define F_LATER	TW_PKT_F_FRAG_LATER
#define F_TRUNC	TW_PKT_F_TRUNC_PAYLOAD

/*
 * Offsets: Ethernet 14, VLAN tag 4, MPLS label 4, SLL 16, SLL2 20, IPv4 20 +
 * options, IPv6 40, TCP 20 + options, UDP 8, GRE 4 + 4 per C/K/S(/A) word.
 */
static const struct pkt_case cases[] = {
	/* Ethernet, IPv4 */
	{ "eth_ipv4_tcp", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0x0101), TCP(40000, 443, 0), PAY(10) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 40000, .dport = 443,
			.frag_id = 0x0101, .l3_off = 14, .l4_off = 34, .payload_off = 54,
			.payload_len = 10 } },
	{ "eth_ipv4_tcp_options", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(40000, 443, 3), PAY(10) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 40000, .dport = 443,
			.l3_off = 14, .l4_off = 34, .payload_off = 66, .payload_len = 10 } },
	{ "eth_ipv4_options_udp", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 2, 0, 2), UDP(5353, 53), PAY(20) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 5353, .dport = 53,
			.frag_id = 2, .l3_off = 14, .l4_off = 42, .payload_off = 50,
			.payload_len = 20 } },
	{ "eth_ipv4_ihl15_tcp", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 10, 0, 3), TCP(1, 2, 0), PAY(5) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 1, .dport = 2, .frag_id = 3,
			.l3_off = 14, .l4_off = 74, .payload_off = 94, .payload_len = 5 } },
	{ "eth_ipv4_udp_padding", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 4), UDP(1000, 2000), PAY(4), PAD(14) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1000, .dport = 2000,
			.frag_id = 4, .l3_off = 14, .l4_off = 34, .payload_off = 42,
			.payload_len = 4 } },
	{ "eth_ipv4_udp_capture_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 5), UDP(1000, 2000), PAY(100), CUT(40) },
		{ .status = OK, .l3 = 4, .proto = 17, .flags = F_TRUNC, .sport = 1000,
			.dport = 2000, .frag_id = 5, .l3_off = 14, .l4_off = 34,
			.payload_off = 42, .payload_len = 60 } },
	{ "eth_ipv4_tcp_capture_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(80, 40000, 0), PAY(100), CUT(1) },
		{ .status = OK, .l3 = 4, .proto = 6, .flags = F_TRUNC, .sport = 80,
			.dport = 40000, .l3_off = 14, .l4_off = 34, .payload_off = 54,
			.payload_len = 99 } },
	{ "eth_ipv4_tcp_headers_only", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(80, 40000, 0) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 80, .dport = 40000,
			.l3_off = 14, .l4_off = 34, .payload_off = 54, .payload_len = 0 } },
	{ "eth_ipv4_udp_shorter_than_ip", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(7, 9), PAY(20), SET16(38, 12) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 7, .dport = 9, .l3_off = 14,
			.l4_off = 34, .payload_off = 42, .payload_len = 4 } },
	{ "eth_ipv4_udp_empty", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(7, 9) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 7, .dport = 9, .l3_off = 14,
			.l4_off = 34, .payload_off = 42, .payload_len = 0 } },
	{ "eth_ipv4_icmp", L_ETH, 0,
		{ ETH(0x0800), IP4(1, 0, 0, 6), PAY(12) },
		{ .status = OK, .l3 = 4, .proto = 1, .frag_id = 6, .l3_off = 14,
			.l4_off = 34, .payload_off = 34, .payload_len = 12 } },
	{ "eth_ipv4_df_not_fragment", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0x4000, 1), TCP(1, 2, 0), PAY(1) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 1, .dport = 2, .frag_id = 1,
			.l3_off = 14, .l4_off = 34, .payload_off = 54, .payload_len = 1 } },

	/* IPv4 fragments */
	{ "eth_ipv4_frag_first_udp", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0x2000, 0x1234), UDP(4000, 2152), PAY(64),
			SET16(38, 1480) },
		{ .status = OK, .l3 = 4, .proto = 17, .flags = F_FRAG, .sport = 4000,
			.dport = 2152, .frag_id = 0x1234, .l3_off = 14, .l4_off = 34,
			.payload_off = 42, .payload_len = 64 } },
	{ "eth_ipv4_frag_first_tcp", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0x2000, 0x99), TCP(1, 2, 0), PAY(16) },
		{ .status = OK, .l3 = 4, .proto = 6, .flags = F_FRAG, .sport = 1, .dport = 2,
			.frag_id = 0x99, .l3_off = 14, .l4_off = 34, .payload_off = 54,
			.payload_len = 16 } },
	{ "eth_ipv4_frag_later", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0x00b9, 0x1234), PAY(30) },
		{ .status = OK, .l3 = 4, .proto = 17, .flags = F_LATER, .frag_id = 0x1234,
			.l3_off = 14, .l4_off = 0, .payload_off = 34, .payload_len = 30 } },
	{ "eth_ipv4_frag_later_mf", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0x2001, 0x55), PAY(24) },
		{ .status = OK, .l3 = 4, .proto = 6, .flags = F_LATER, .frag_id = 0x55,
			.l3_off = 14, .payload_off = 34, .payload_len = 24 } },
	{ "eth_ipv4_frag_later_gre", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0x0010, 0x77), PAY(20) },
		{ .status = OK, .l3 = 4, .proto = 47, .flags = F_LATER, .frag_id = 0x77,
			.l3_off = 14, .payload_off = 34, .payload_len = 20 } },
	{ "eth_ipv4_frag_later_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0x0100, 0x56), PAY(100), CUT(50) },
		{ .status = OK, .l3 = 4, .proto = 6, .flags = F_LATER | F_TRUNC,
			.frag_id = 0x56, .l3_off = 14, .payload_off = 34, .payload_len = 50 } },

	/* Other link types */
	{ "raw_ipv4_udp", L_RAW, 0,
		{ IP4(17, 0, 0, 9), UDP(123, 123), PAY(48) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 123, .dport = 123,
			.frag_id = 9, .l3_off = 0, .l4_off = 20, .payload_off = 28,
			.payload_len = 48 } },
	{ "raw_ipv6_tcp", L_RAW, 0,
		{ IP6(6), TCP(22, 50000, 0), PAY(7) },
		{ .status = OK, .l3 = 6, .proto = 6, .sport = 22, .dport = 50000,
			.l3_off = 0, .l4_off = 40, .payload_off = 60, .payload_len = 7 } },
	{ "sll_ipv4_tcp", L_SLL, 0,
		{ SLL(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), PAY(3) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 1, .dport = 2, .l3_off = 16,
			.l4_off = 36, .payload_off = 56, .payload_len = 3 } },
	{ "sll2_ipv6_udp", L_SLL2, 0,
		{ SLL2(0x86dd), IP6(17), UDP(546, 547), PAY(9) },
		{ .status = OK, .l3 = 6, .proto = 17, .sport = 546, .dport = 547,
			.l3_off = 20, .l4_off = 60, .payload_off = 68, .payload_len = 9 } },
	{ "sll_vlan_ipv4_udp", L_SLL, 0,
		{ SLL(0x8100), VLAN(5, 0x0800), IP4(17, 0, 0, 0), UDP(1, 2), PAY(1) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .vlan = 5,
			.nb_vlan = 1, .l3_off = 20, .l4_off = 40, .payload_off = 48,
			.payload_len = 1 } },
	{ "sll2_mpls_ipv4_udp", L_SLL2, 0,
		{ SLL2(0x8847), MPLS(3, 1), IP4(17, 0, 0, 0), UDP(1, 2), PAY(2) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .nb_mpls = 1,
			.l3_off = 24, .l4_off = 44, .payload_off = 52, .payload_len = 2 } },

	/* VLAN */
	{ "eth_vlan_ipv4_tcp", L_ETH, 0,
		{ ETH(0x8100), VLAN(100, 0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), PAY(2) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 1, .dport = 2, .vlan = 100,
			.nb_vlan = 1, .l3_off = 18, .l4_off = 38, .payload_off = 58,
			.payload_len = 2 } },
	{ "eth_vlan_pcp_dei", L_ETH, 0,
		{ ETH(0x8100), VLAN(0xf000 | 42, 0x0800), IP4(17, 0, 0, 0), UDP(1, 2) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .vlan = 42,
			.nb_vlan = 1, .l3_off = 18, .l4_off = 38, .payload_off = 46,
			.payload_len = 0 } },
	{ "eth_qinq_88a8", L_ETH, 0,
		{ ETH(0x88a8), VLAN(200, 0x8100), VLAN(300, 0x0800), IP4(17, 0, 0, 0),
			UDP(1, 2), PAY(4) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .vlan = 200,
			.nb_vlan = 2, .l3_off = 22, .l4_off = 42, .payload_off = 50,
			.payload_len = 4 } },
	{ "eth_qinq_9100_ipv6", L_ETH, 0,
		{ ETH(0x9100), VLAN(7, 0x8100), VLAN(8, 0x86dd), IP6(6), TCP(1, 2, 0) },
		{ .status = OK, .l3 = 6, .proto = 6, .sport = 1, .dport = 2, .vlan = 7,
			.nb_vlan = 2, .l3_off = 22, .l4_off = 62, .payload_off = 82,
			.payload_len = 0 } },
	{ "eth_vlan_4_tags", L_ETH, 0,
		{ ETH(0x88a8), VLAN(1, 0x8100), VLAN(2, 0x8100), VLAN(3, 0x9100),
			VLAN(4, 0x0800), IP4(17, 0, 0, 0), UDP(1, 2), PAY(1) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .vlan = 1,
			.nb_vlan = 4, .l3_off = 30, .l4_off = 50, .payload_off = 58,
			.payload_len = 1 } },

	/* MPLS */
	{ "eth_mpls_ipv4_udp", L_ETH, 0,
		{ ETH(0x8847), MPLS(100, 1), IP4(17, 0, 0, 0), UDP(1, 2), PAY(3) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .nb_mpls = 1,
			.l3_off = 18, .l4_off = 38, .payload_off = 46, .payload_len = 3 } },
	{ "eth_mpls3_ipv6_tcp", L_ETH, 0,
		{ ETH(0x8847), MPLS(16, 0), MPLS(17, 0), MPLS(2, 1), IP6(6), TCP(1, 2, 0),
			PAY(5) },
		{ .status = OK, .l3 = 6, .proto = 6, .sport = 1, .dport = 2, .nb_mpls = 3,
			.l3_off = 26, .l4_off = 66, .payload_off = 86, .payload_len = 5 } },
	{ "eth_mpls8_ipv4_icmp", L_ETH, 0,
		{ ETH(0x8847), MPLS(1, 0), MPLS(2, 0), MPLS(3, 0), MPLS(4, 0), MPLS(5, 0),
			MPLS(6, 0), MPLS(7, 0), MPLS(8, 1), IP4(1, 0, 0, 0), PAY(8) },
		{ .status = OK, .l3 = 4, .proto = 1, .nb_mpls = 8, .l3_off = 46,
			.l4_off = 66, .payload_off = 66, .payload_len = 8 } },
	{ "eth_mpls_multicast_ipv4", L_ETH, 0,
		{ ETH(0x8848), MPLS(1, 1), IP4(17, 0, 0, 0), UDP(1, 2), PAY(2) },
		{ .status = OK, .l3 = 4, .proto = 17, .sport = 1, .dport = 2, .nb_mpls = 1,
			.l3_off = 18, .l4_off = 38, .payload_off = 46, .payload_len = 2 } },
	{ "eth_vlan_mpls_ipv4", L_ETH, 0,
		{ ETH(0x8100), VLAN(10, 0x8847), MPLS(5, 1), IP4(6, 0, 0, 0), TCP(1, 2, 0),
			PAY(1) },
		{ .status = OK, .l3 = 4, .proto = 6, .sport = 1, .dport = 2, .vlan = 10,
			.nb_vlan = 1, .nb_mpls = 1, .l3_off = 22, .l4_off = 42,
			.payload_off = 62, .payload_len = 1 } },

	/* IPv6 extension headers */
	{ "eth_ipv6_hbh_rt_dst_tcp", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), EXT6(43, 0, 8), EXT6(60, 1, 16), EXT6(6, 0, 8),
			TCP(1, 2, 2), PAY(6) },
		{ .status = OK, .l3 = 6, .proto = 6, .sport = 1, .dport = 2, .l3_off = 14,
			.l4_off = 86, .payload_off = 114, .payload_len = 6 } },
	{ "eth_ipv6_ah_udp", L_ETH, 0,
		{ ETH(0x86dd), IP6(51), EXT6(17, 4, 24), UDP(500, 500), PAY(10) },
		{ .status = OK, .l3 = 6, .proto = 17, .sport = 500, .dport = 500,
			.l3_off = 14, .l4_off = 78, .payload_off = 86, .payload_len = 10 } },
	{ "eth_ipv6_mobility", L_ETH, 0,
		{ ETH(0x86dd), IP6(135), EXT6(59, 1, 16) },
		{ .status = OK, .l3 = 6, .proto = 59, .l3_off = 14, .payload_off = 70,
			.payload_len = 0 } },
	{ "eth_ipv6_8_ext", L_ETH, 0,
		{ ETH(0x86dd), IP6(60), EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8),
			EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8),
			EXT6(17, 0, 8), UDP(1, 2), PAY(1) },
		{ .status = OK, .l3 = 6, .proto = 17, .sport = 1, .dport = 2, .l3_off = 14,
			.l4_off = 118, .payload_off = 126, .payload_len = 1 } },
	{ "eth_ipv6_no_next_header", L_ETH, 0,
		{ ETH(0x86dd), IP6(59), PAY(8) },
		{ .status = OK, .l3 = 6, .proto = 59, .l3_off = 14, .payload_off = 54,
			.payload_len = 0 } },
	{ "eth_ipv6_empty_no_next_header", L_ETH, 0,
		{ ETH(0x86dd), IP6(59) },
		{ .status = OK, .l3 = 6, .proto = 59, .l3_off = 14, .payload_off = 54,
			.payload_len = 0 } },
	{ "eth_ipv6_jumbo_udp", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), EXT6(17, 0, 8), UDP(1, 2), PAY(20), SET16(18, 0),
			SET16(66, 0) },
		{ .status = OK, .l3 = 6, .proto = 17, .flags = F_TRUNC, .sport = 1,
			.dport = 2, .l3_off = 14, .l4_off = 62, .payload_off = 70,
			.payload_len = 20 } },
	{ "eth_ipv6_esp", L_ETH, 0,
		{ ETH(0x86dd), IP6(50), PAY(24) },
		{ .status = OK, .l3 = 6, .proto = 50, .l3_off = 14, .l4_off = 54,
			.payload_off = 54, .payload_len = 24 } },
	{ "eth_ipv6_udp_capture_cut", L_ETH, 0,
		{ ETH(0x86dd), IP6(17), UDP(1, 2), PAY(30), CUT(10) },
		{ .status = OK, .l3 = 6, .proto = 17, .flags = F_TRUNC, .sport = 1,
			.dport = 2, .l3_off = 14, .l4_off = 54, .payload_off = 62,
			.payload_len = 20 } },

	/* IPv6 fragments */
	{ "eth_ipv6_frag_first_tcp", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), FRAG6(6, 0, 1, 0xdeadbeef), TCP(1, 2, 0), PAY(10) },
		{ .status = OK, .l3 = 6, .proto = 6, .flags = F_FRAG, .sport = 1, .dport = 2,
			.frag_id = 0xdeadbeef, .l3_off = 14, .l4_off = 62, .payload_off = 82,
			.payload_len = 10 } },
	{ "eth_ipv6_frag_later_udp", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), FRAG6(17, 100, 1, 1), PAY(40) },
		{ .status = OK, .l3 = 6, .proto = 17, .flags = F_LATER, .frag_id = 1,
			.l3_off = 14, .payload_off = 62, .payload_len = 40 } },
	{ "eth_ipv6_frag_last", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), FRAG6(6, 185, 0, 2), PAY(16) },
		{ .status = OK, .l3 = 6, .proto = 6, .flags = F_LATER, .frag_id = 2,
			.l3_off = 14, .payload_off = 62, .payload_len = 16 } },
	{ "eth_ipv6_frag_atomic", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), FRAG6(17, 0, 0, 0x42), UDP(1, 2), PAY(2) },
		{ .status = OK, .l3 = 6, .proto = 17, .sport = 1, .dport = 2,
			.frag_id = 0x42, .l3_off = 14, .l4_off = 62, .payload_off = 70,
			.payload_len = 2 } },
	{ "eth_ipv6_hbh_frag_first_udp", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), EXT6(44, 0, 8), FRAG6(17, 0, 1, 7), UDP(1, 2), PAY(3),
			SET16(74, 1400) },
		{ .status = OK, .l3 = 6, .proto = 17, .flags = F_FRAG, .sport = 1, .dport = 2,
			.frag_id = 7, .l3_off = 14, .l4_off = 70, .payload_off = 78,
			.payload_len = 3 } },

	/* GRE and ERSPAN: payload is the GRE header onwards */
	{ "eth_ipv4_gre_ipv4", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x0000, 0x0800, 0), PAY(28) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 32, .gre_proto = 0x0800 } },
	{ "eth_ipv4_gre_csum_key_seq", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0xb000, 0x6558, 3), PAY(60) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 76, .gre_proto = 0x6558,
			.gre_flags = 0xb000 } },
	{ "eth_ipv4_gre_key", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x2000, 0x0800, 1), PAY(20) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 28, .gre_proto = 0x0800,
			.gre_flags = 0x2000 } },
	{ "eth_ipv4_gre_csum", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x8000, 0x86dd, 1), PAY(40) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 48, .gre_proto = 0x86dd,
			.gre_flags = 0x8000 } },
	{ "eth_ipv4_gre_v1_pptp", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x3081, 0x880b, 3), PAY(20) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 36, .gre_proto = 0x880b,
			.gre_flags = 0x3081 } },
	{ "erspan_type1", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x0000, 0x88be, 0), PAY(60) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 64, .gre_proto = 0x88be } },
	{ "erspan_type2", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x1000, 0x88be, 1), B32(0x10170864),
			B32(0), PAY(60) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 76, .gre_proto = 0x88be,
			.gre_flags = 0x1000 } },
	{ "erspan_type3", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x1000, 0x22eb, 1), B32(0x20010064),
			B32(0x12345678), B32(0), PAY(60) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 14, .l4_off = 34,
			.payload_off = 34, .payload_len = 80, .gre_proto = 0x22eb,
			.gre_flags = 0x1000 } },
	{ "erspan_type3_no_seq_vlan", L_ETH, 0,
		{ ETH(0x8100), VLAN(12, 0x0800), IP4(47, 0, 0, 0), GRE(0x0000, 0x22eb, 0),
			B32(0x20010064), B32(0), B32(0), PAY(20) },
		{ .status = OK, .l3 = 4, .proto = 47, .vlan = 12, .nb_vlan = 1,
			.l3_off = 18, .l4_off = 38, .payload_off = 38, .payload_len = 36,
			.gre_proto = 0x22eb } },
	{ "erspan_type2_over_ipv6", L_ETH, 0,
		{ ETH(0x86dd), IP6(47), GRE(0x1000, 0x88be, 1), B32(0x10170864), B32(0),
			PAY(10) },
		{ .status = OK, .l3 = 6, .proto = 47, .l3_off = 14, .l4_off = 54,
			.payload_off = 54, .payload_len = 26, .gre_proto = 0x88be,
			.gre_flags = 0x1000 } },
	{ "erspan_type3_sll2", L_SLL2, 0,
		{ SLL2(0x0800), IP4(47, 0, 0, 0), GRE(0x1000, 0x22eb, 1), B32(0x20010064),
			B32(0), B32(0), PAY(4) },
		{ .status = OK, .l3 = 4, .proto = 47, .l3_off = 20, .l4_off = 40,
			.payload_off = 40, .payload_len = 24, .gre_proto = 0x22eb,
			.gre_flags = 0x1000 } },
	{ "erspan_type2_capture_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x1000, 0x88be, 1), B32(0x10170864),
			B32(0), PAY(60), CUT(30) },
		{ .status = OK, .l3 = 4, .proto = 47, .flags = F_TRUNC, .l3_off = 14,
			.l4_off = 34, .payload_off = 34, .payload_len = 46,
			.gre_proto = 0x88be, .gre_flags = 0x1000 } },

	/* Not IP */
	{ "eth_arp", L_ETH, 1,
		{ ETH(0x0806), PAY(28) },
		{ .status = TW_PKT_NOT_IP } },
	{ "eth_lldp", L_ETH, 0, { ETH(0x88cc), PAY(20) }, { .status = TW_PKT_NOT_IP } },
	{ "eth_pppoe", L_ETH, 0, { ETH(0x8864), PAY(20) }, { .status = TW_PKT_NOT_IP } },
	{ "eth_8023_llc", L_ETH, 0, { ETH(0x0026), PAY(38) }, { .status = TW_PKT_NOT_IP } },
	{ "eth_vlan_arp", L_ETH, 1,
		{ ETH(0x8100), VLAN(3, 0x0806), PAY(28) },
		{ .status = TW_PKT_NOT_IP, .vlan = 3, .nb_vlan = 1 } },
	{ "raw_nibble_5", L_RAW, 0, { PAYV(20, 0x50) }, { .status = TW_PKT_NOT_IP } },
	{ "raw_empty", L_RAW, 0, { { OP_END } }, { .status = TW_PKT_NOT_IP } },
	{ "sll_llc", L_SLL, 0, { SLL(0x0004), PAY(10) }, { .status = TW_PKT_NOT_IP } },
	{ "sll2_arp", L_SLL2, 0, { SLL2(0x0806), PAY(28) }, { .status = TW_PKT_NOT_IP } },
	{ "unknown_link", 42, 1,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0) },
		{ .status = TW_PKT_NOT_IP } },

	/* Link-layer truncation and depth */
	{ "eth_empty", L_ETH, 1, { { OP_END } }, { .status = TW_PKT_TRUNC_ETH } },
	{ "eth_13_bytes", L_ETH, 0, { ETH(0x0800), CUT(1) }, { .status = TW_PKT_TRUNC_ETH } },
	{ "sll_empty", L_SLL, 0, { { OP_END } }, { .status = TW_PKT_TRUNC_SLL } },
	{ "sll_15_bytes", L_SLL, 0, { SLL(0x0800), CUT(1) }, { .status = TW_PKT_TRUNC_SLL } },
	{ "sll2_19_bytes", L_SLL2, 0,
		{ SLL2(0x0800), CUT(1) },
		{ .status = TW_PKT_TRUNC_SLL } },
	{ "sll2_16_bytes", L_SLL2, 0,
		{ SLL(0x0800) },
		{ .status = TW_PKT_TRUNC_SLL } },
	{ "vlan_no_tag", L_ETH, 0, { ETH(0x8100) }, { .status = TW_PKT_TRUNC_VLAN } },
	{ "vlan_cut_tag", L_ETH, 0,
		{ ETH(0x8100), VLAN(1, 0x0800), CUT(1) },
		{ .status = TW_PKT_TRUNC_VLAN } },
	{ "qinq_cut_inner_tag", L_ETH, 1,
		{ ETH(0x88a8), VLAN(9, 0x8100), VLAN(2, 0x0800), CUT(2) },
		{ .status = TW_PKT_TRUNC_VLAN, .vlan = 9, .nb_vlan = 1 } },
	{ "vlan_5_tags", L_ETH, 1,
		{ ETH(0x8100), VLAN(1, 0x8100), VLAN(2, 0x8100), VLAN(3, 0x8100),
			VLAN(4, 0x8100), VLAN(5, 0x0800), IP4(17, 0, 0, 0), UDP(1, 2) },
		{ .status = TW_PKT_VLAN_DEPTH, .vlan = 1, .nb_vlan = 4 } },
	{ "mpls_no_label", L_ETH, 0, { ETH(0x8847) }, { .status = TW_PKT_TRUNC_MPLS } },
	{ "mpls_cut_label", L_ETH, 0,
		{ ETH(0x8847), MPLS(1, 0), MPLS(2, 1), CUT(1) },
		{ .status = TW_PKT_TRUNC_MPLS } },
	{ "mpls_nothing_after_bos", L_ETH, 1,
		{ ETH(0x8847), MPLS(1, 1) },
		{ .status = TW_PKT_TRUNC_MPLS, .nb_mpls = 1 } },
	{ "mpls_no_bos", L_ETH, 0, { ETH(0x8847), MPLS(1, 0) }, { .status = TW_PKT_TRUNC_MPLS } },
	{ "mpls_9_labels", L_ETH, 1,
		{ ETH(0x8847), MPLS(1, 0), MPLS(2, 0), MPLS(3, 0), MPLS(4, 0), MPLS(5, 0),
			MPLS(6, 0), MPLS(7, 0), MPLS(8, 0), MPLS(9, 1), IP4(17, 0, 0, 0),
			UDP(1, 2) },
		{ .status = TW_PKT_MPLS_DEPTH, .nb_mpls = 8 } },
	{ "mpls_pw_control_word", L_ETH, 0,
		{ ETH(0x8847), MPLS(1, 1), B32(0), ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2) },
		{ .status = TW_PKT_MPLS_PAYLOAD } },
	{ "mpls_eth_pw", L_ETH, 0,
		{ ETH(0x8847), MPLS(1, 1), ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2) },
		{ .status = TW_PKT_MPLS_PAYLOAD } },
	{ "mpls_nibble_1", L_ETH, 1,
		{ ETH(0x8848), MPLS(1, 0), MPLS(2, 1), PAYV(20, 0x10) },
		{ .status = TW_PKT_MPLS_PAYLOAD, .nb_mpls = 2 } },

	/* IPv4 errors */
	{ "ipv4_no_header", L_ETH, 0, { ETH(0x0800) }, { .status = TW_PKT_TRUNC_IPV4 } },
	{ "ipv4_19_bytes", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), CUT(21) },
		{ .status = TW_PKT_TRUNC_IPV4 } },
	{ "ipv4_options_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(1, 2, 0, 0), CUT(4) },
		{ .status = TW_PKT_TRUNC_IPV4 } },
	{ "ipv4_version_6", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), SET8(14, 0x65) },
		{ .status = TW_PKT_BAD_IPV4_HDR } },
	{ "ipv4_ihl_4", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), SET8(14, 0x44) },
		{ .status = TW_PKT_BAD_IPV4_HDR } },
	{ "raw_ipv4_ihl_0", L_RAW, 0,
		{ IP4(6, 0, 0, 0), TCP(1, 2, 0), SET8(0, 0x40) },
		{ .status = TW_PKT_BAD_IPV4_HDR } },
	{ "ipv4_total_19", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), SET16(16, 19) },
		{ .status = TW_PKT_BAD_IPV4_LEN } },
	{ "ipv4_total_0", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), SET16(16, 0) },
		{ .status = TW_PKT_BAD_IPV4_LEN } },
	{ "ipv4_total_inside_options", L_ETH, 1,
		{ ETH(0x0800), IP4(17, 2, 0, 0), UDP(1, 2), SET16(16, 24) },
		{ .status = TW_PKT_BAD_IPV4_LEN, .l3 = 4, .l3_off = 14 } },

	/* IPv6 errors */
	{ "ipv6_no_header", L_ETH, 0, { ETH(0x86dd) }, { .status = TW_PKT_TRUNC_IPV6 } },
	{ "ipv6_39_bytes", L_ETH, 0,
		{ ETH(0x86dd), IP6(6), TCP(1, 2, 0), CUT(21) },
		{ .status = TW_PKT_TRUNC_IPV6 } },
	{ "ipv6_ext_cut_short", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), EXT6(6, 1, 16), TCP(1, 2, 0), CUT(32) },
		{ .status = TW_PKT_TRUNC_IPV6 } },
	{ "ipv6_ext_cut_long", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), EXT6(6, 1, 16), TCP(1, 2, 0), CUT(24) },
		{ .status = TW_PKT_TRUNC_IPV6 } },
	{ "ipv6_frag_cut", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), FRAG6(6, 0, 1, 1), TCP(1, 2, 0), CUT(24) },
		{ .status = TW_PKT_TRUNC_IPV6 } },
	{ "ipv6_version_4", L_ETH, 0,
		{ ETH(0x86dd), IP6(6), TCP(1, 2, 0), SET8(14, 0x40) },
		{ .status = TW_PKT_BAD_IPV6_LEN } },
	{ "ipv6_plen_0_tcp", L_ETH, 1,
		{ ETH(0x86dd), IP6(6), TCP(1, 2, 0), SET16(18, 0) },
		{ .status = TW_PKT_BAD_IPV6_LEN, .l3 = 6, .proto = 6, .l3_off = 14 } },
	{ "ipv6_ext_past_plen", L_ETH, 0,
		{ ETH(0x86dd), IP6(60), EXT6(6, 0, 8), TCP(1, 2, 0), SET8(55, 10) },
		{ .status = TW_PKT_BAD_IPV6_EXT } },
	{ "ipv6_ext_min_past_plen", L_ETH, 0,
		{ ETH(0x86dd), IP6(0), PAY(4) },
		{ .status = TW_PKT_BAD_IPV6_EXT } },
	{ "ipv6_ah_past_plen", L_ETH, 0,
		{ ETH(0x86dd), IP6(51), EXT6(6, 4, 24), TCP(1, 2, 0), SET8(55, 20) },
		{ .status = TW_PKT_BAD_IPV6_EXT } },
	{ "ipv6_frag_past_plen", L_ETH, 0,
		{ ETH(0x86dd), IP6(44), PAY(6), PAD(10) },
		{ .status = TW_PKT_BAD_IPV6_EXT } },
	{ "ipv6_9_ext", L_ETH, 1,
		{ ETH(0x86dd), IP6(60), EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8),
			EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8), EXT6(60, 0, 8),
			EXT6(60, 0, 8), EXT6(17, 0, 8), UDP(1, 2) },
		{ .status = TW_PKT_IPV6_EXT_DEPTH, .l3 = 6, .proto = 60, .l3_off = 14 } },

	/* TCP errors */
	{ "tcp_cut_header", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), CUT(10) },
		{ .status = TW_PKT_TRUNC_TCP } },
	{ "tcp_cut_options", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 3), CUT(4) },
		{ .status = TW_PKT_TRUNC_TCP } },
	{ "ipv6_tcp_cut", L_RAW, 0,
		{ IP6(6), TCP(1, 2, 0), CUT(1) },
		{ .status = TW_PKT_TRUNC_TCP } },
	{ "tcp_doff_4", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), PAY(10), SET8(46, 0x40) },
		{ .status = TW_PKT_BAD_TCP_HDR } },
	{ "tcp_doff_past_ip", L_ETH, 1,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), PAY(10), SET8(46, 0xf0) },
		{ .status = TW_PKT_BAD_TCP_HDR, .l3 = 4, .proto = 6, .sport = 1, .dport = 2,
			.l3_off = 14 } },
	{ "tcp_ip_too_short", L_ETH, 0,
		{ ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0), SET16(16, 30) },
		{ .status = TW_PKT_BAD_TCP_HDR } },

	/* UDP errors */
	{ "udp_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2), CUT(4) },
		{ .status = TW_PKT_TRUNC_UDP } },
	{ "udp_len_7", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2), PAY(4), SET16(38, 7) },
		{ .status = TW_PKT_BAD_UDP_LEN } },
	{ "udp_len_past_ip", L_ETH, 1,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2), PAY(4), SET16(38, 100) },
		{ .status = TW_PKT_BAD_UDP_LEN, .l3 = 4, .proto = 17, .sport = 1, .dport = 2,
			.l3_off = 14 } },
	{ "udp_ip_too_short", L_ETH, 0,
		{ ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2), SET16(16, 24) },
		{ .status = TW_PKT_BAD_UDP_LEN } },
	{ "ipv6_udp_len_0_not_jumbo", L_ETH, 0,
		{ ETH(0x86dd), IP6(17), UDP(1, 2), PAY(4), SET16(58, 0) },
		{ .status = TW_PKT_BAD_UDP_LEN } },

	/* GRE errors */
	{ "gre_cut_2", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0, 0x0800, 0), CUT(2) },
		{ .status = TW_PKT_TRUNC_GRE } },
	{ "gre_cut_options", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0xb000, 0x6558, 3), CUT(5) },
		{ .status = TW_PKT_TRUNC_GRE } },
	{ "gre_v1_ack_cut", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x3081, 0x880b, 3), CUT(1) },
		{ .status = TW_PKT_TRUNC_GRE } },
	{ "gre_version_2", L_ETH, 1,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x0002, 0x0800, 0), PAY(4) },
		{ .status = TW_PKT_BAD_GRE, .l3 = 4, .proto = 47, .l3_off = 14,
			.gre_proto = 0x0800, .gre_flags = 0x0002 } },
	{ "gre_version_7", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x0007, 0x88be, 0), PAY(4) },
		{ .status = TW_PKT_BAD_GRE } },
	{ "gre_options_past_ip", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x3000, 0x88be, 2), SET16(16, 28) },
		{ .status = TW_PKT_BAD_GRE } },
	{ "gre_ip_too_short", L_ETH, 0,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0, 0x0800, 0), SET16(16, 22) },
		{ .status = TW_PKT_BAD_GRE } },
};

static void
check_case(const struct pkt_case *c, const struct tw_pkt_meta *m, uint32_t len)
{
	const struct expect *x = &c->x;

	ck_assert_msg(m->status == x->status, "%s: status %s, expected %s", c->name,
			tw_pkt_status_name(m->status), tw_pkt_status_name(x->status));
	check_invariants(m, len, c->name, len);
	if (x->status != TW_PKT_OK && !c->full)
		return;
#define EQ(f) ck_assert_msg(m->f == x->f, "%s: " #f " %u, expected %u", c->name, \
		(unsigned int)m->f, (unsigned int)x->f)
	EQ(l3);
	EQ(proto);
	EQ(flags);
	EQ(sport);
	EQ(dport);
	EQ(frag_id);
	EQ(vlan);
	EQ(nb_vlan);
	EQ(nb_mpls);
	EQ(l3_off);
	EQ(l4_off);
	EQ(payload_off);
	EQ(payload_len);
	EQ(gre_proto);
	EQ(gre_flags);
#undef EQ
}

START_TEST(test_table)
{
	const struct pkt_case *c = &cases[_i];
	struct tw_pkt_meta m;
	struct pkt p;

	build(c->ops, &p);
	parse_copy(p.b, p.len, c->link, &m);
	check_case(c, &m, p.len);
}
END_TEST

/* Every status value is produced by at least one table row. */
START_TEST(test_table_covers_statuses)
{
	unsigned int seen[TW_PKT_STATUS_MAX] = { 0 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		ck_assert_uint_lt(cases[i].x.status, TW_PKT_STATUS_MAX);
		seen[cases[i].x.status]++;
	}
	for (i = 0; i < TW_PKT_STATUS_MAX; i++)
		ck_assert_msg(seen[i] != 0, "no table row for %s", tw_pkt_status_name(i));
}
END_TEST

/* ---- arguments and edges ----------------------------------------------- */

START_TEST(test_len0)
{
	static const uint8_t byte = 0x45;
	static const unsigned int links[] = { L_ETH, L_RAW, L_SLL, L_SLL2 };
	static const uint8_t want[] = {
		TW_PKT_TRUNC_ETH, TW_PKT_NOT_IP, TW_PKT_TRUNC_SLL, TW_PKT_TRUNC_SLL,
	};
	struct tw_pkt_meta m;
	unsigned int i;

	for (i = 0; i < RTE_DIM(links); i++) {
		memset(&m, 0xff, sizeof(m));
		ck_assert_int_eq(tw_pkt_parse(NULL, 0, links[i], &m), want[i]);
		ck_assert_uint_eq(m.status, want[i]);
		ck_assert_uint_eq(m.wire_len, 0);
		check_invariants(&m, 0, "len0_null", i);

		/* A readable byte that len says not to read. */
		ck_assert_int_eq(tw_pkt_parse(&byte, 0, links[i], &m), want[i]);
		check_invariants(&m, 0, "len0", i);
	}
}
END_TEST

START_TEST(test_null_data)
{
	struct tw_pkt_meta m;

	/* NULL data is treated as no bytes, whatever len says. */
	ck_assert_int_eq(tw_pkt_parse(NULL, 100, TW_PKT_LINK_ETH, &m), TW_PKT_TRUNC_ETH);
	ck_assert_uint_eq(m.wire_len, 100);
	ck_assert_int_eq(tw_pkt_parse(NULL, 100, TW_PKT_LINK_RAW, &m), TW_PKT_NOT_IP);
}
END_TEST

/* Every field is written, whatever was in *m before. */
START_TEST(test_meta_fully_written)
{
	static const struct op ops[OPS_MAX] = { ETH(0x0806), PAY(28) };
	struct tw_pkt_meta m, zero;
	struct pkt p;

	build(ops, &p);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(tw_pkt_parse(p.b, p.len, TW_PKT_LINK_ETH, &m), TW_PKT_NOT_IP);
	memset(&zero, 0, sizeof(zero));
	zero.status = TW_PKT_NOT_IP;
	zero.wire_len = p.len;
	ck_assert_uint_eq(memcmp(&m, &zero, sizeof(m)), 0);
}
END_TEST

START_TEST(test_input_untouched)
{
	static const struct op ops[OPS_MAX] = {
		ETH(0x8100), VLAN(1, 0x0800), IP4(47, 1, 0, 0), GRE(0xb000, 0x88be, 3), PAY(40),
	};
	struct tw_pkt_meta m;
	struct pkt p, q;

	build(ops, &p);
	memcpy(&q, &p, sizeof(q));
	ck_assert_int_eq(tw_pkt_parse(p.b, p.len, TW_PKT_LINK_ETH, &m), TW_PKT_OK);
	ck_assert_uint_eq(memcmp(&p, &q, sizeof(p)), 0);
}
END_TEST

START_TEST(test_addresses)
{
	static const struct op ops4[OPS_MAX] = { ETH(0x0800), IP4(6, 0, 0, 0), TCP(1, 2, 0) };
	static const struct op ops6[OPS_MAX] = { ETH(0x86dd), IP6(17), UDP(1, 2) };
	static const uint8_t zero[12] = { 0 };
	struct tw_pkt_meta m;
	struct pkt p;

	build(ops4, &p);
	ck_assert_int_eq(parse_copy(p.b, p.len, TW_PKT_LINK_ETH, &m), TW_PKT_OK);
	ck_assert_uint_eq(m.l3, 4);
	ck_assert_uint_eq(memcmp(m.src, ip4_src, 4), 0);
	ck_assert_uint_eq(memcmp(m.dst, ip4_dst, 4), 0);
	ck_assert_uint_eq(memcmp(m.src + 4, zero, 12), 0);
	ck_assert_uint_eq(memcmp(m.dst + 4, zero, 12), 0);

	build(ops6, &p);
	ck_assert_int_eq(parse_copy(p.b, p.len, TW_PKT_LINK_ETH, &m), TW_PKT_OK);
	ck_assert_uint_eq(m.l3, 6);
	ck_assert_uint_eq(memcmp(m.src, ip6_src, 16), 0);
	ck_assert_uint_eq(memcmp(m.dst, ip6_dst, 16), 0);
}
END_TEST

/* Frames above 64 KiB: offsets stay in uint16_t, wire_len keeps the truth. */
START_TEST(test_large_frame)
{
	const uint32_t len = 70000;
	struct tw_pkt_meta m;
	uint8_t *buf;
	struct pkt p;
	static const struct op ops[OPS_MAX] = { ETH(0x0800), IP4(17, 0, 0, 0), UDP(1, 2) };

	build(ops, &p);
	buf = calloc(1, len);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, p.b, p.len);
	buf[16] = 0xff;		/* IPv4 total length 65535 */
	buf[17] = 0xff;
	buf[38] = 0xff;		/* UDP length 65515 */
	buf[39] = 0xeb;
	ck_assert_int_eq(tw_pkt_parse(buf, len, TW_PKT_LINK_ETH, &m), TW_PKT_OK);
	ck_assert_uint_eq(m.wire_len, len);
	ck_assert_uint_eq(m.payload_off, 42);
	/* 14 + 65535 > 65535 parsed bytes: the datagram is cut at the clamp. */
	ck_assert_uint_eq(m.flags, TW_PKT_F_TRUNC_PAYLOAD);
	ck_assert_uint_eq(m.payload_len, UINT16_MAX - 42);
	check_invariants(&m, len, "large", 0);
	free(buf);
}
END_TEST

START_TEST(test_status_names)
{
	unsigned int i, j;

	ck_assert_str_eq(tw_pkt_status_name(TW_PKT_OK), "ok");
	ck_assert_str_eq(tw_pkt_status_name(TW_PKT_NOT_IP), "not_ip");
	ck_assert_str_eq(tw_pkt_status_name(TW_PKT_TRUNC_IPV4), "truncated_ipv4");
	ck_assert_str_eq(tw_pkt_status_name(TW_PKT_BAD_GRE), "bad_gre_header");
	ck_assert_str_eq(tw_pkt_status_name(TW_PKT_STATUS_MAX), "unknown");
	ck_assert_str_eq(tw_pkt_status_name(UINT32_MAX), "unknown");
	for (i = 0; i < TW_PKT_STATUS_MAX; i++) {
		ck_assert_ptr_nonnull(tw_pkt_status_name(i));
		ck_assert_str_ne(tw_pkt_status_name(i), "unknown");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(tw_pkt_status_name(i), tw_pkt_status_name(j));
	}
}
END_TEST

/* ---- truncation sweep and mutation ------------------------------------- */

struct sweep_case {
	const char *name;
	unsigned int link;
	struct op ops[OPS_MAX];
};

static const struct sweep_case sweeps[] = {
	{ "eth_vlan_ipv4_tcp_opts", L_ETH,
		{ ETH(0x8100), VLAN(10, 0x0800), IP4(6, 3, 0, 1), TCP(1, 2, 3), PAY(20) } },
	{ "eth_ipv4_udp_padding", L_ETH,
		{ ETH(0x0800), IP4(17, 1, 0, 0), UDP(53, 53), PAY(4), PAD(10) } },
	{ "eth_ipv4_icmp", L_ETH, { ETH(0x0800), IP4(1, 0, 0, 0), PAY(16) } },
	{ "eth_qinq_mpls_ipv6_tcp", L_ETH,
		{ ETH(0x88a8), VLAN(1, 0x8100), VLAN(2, 0x8847), MPLS(1, 0), MPLS(2, 1),
			IP6(6), TCP(1, 2, 1), PAY(12) } },
	{ "sll_ipv4_gre_cks", L_SLL,
		{ SLL(0x0800), IP4(47, 0, 0, 0), GRE(0xb000, 0x88be, 3), PAY(20) } },
	{ "eth_ipv4_gre_v1_pptp", L_ETH,
		{ ETH(0x0800), IP4(47, 0, 0, 0), GRE(0x3081, 0x880b, 3), PAY(8) } },
	{ "sll2_ipv6_ext_udp", L_SLL2,
		{ SLL2(0x86dd), IP6(0), EXT6(43, 0, 8), EXT6(51, 1, 16), EXT6(60, 2, 16),
			EXT6(17, 0, 8), UDP(1, 2), PAY(9) } },
	{ "raw_ipv6_frag_first_tcp", L_RAW,
		{ IP6(44), FRAG6(6, 0, 1, 5), TCP(1, 2, 2), PAY(5) } },
	{ "raw_ipv4_frag_later", L_RAW, { IP4(17, 0, 0x0040, 9), PAY(20) } },
	{ "eth_ipv6_frag_later", L_ETH,
		{ ETH(0x86dd), IP6(60), EXT6(44, 0, 8), FRAG6(17, 3, 0, 1), PAY(16) } },
	{ "eth_ipv6_jumbo_udp", L_ETH,
		{ ETH(0x86dd), IP6(0), EXT6(17, 0, 8), UDP(1, 2), PAY(20), SET16(18, 0),
			SET16(66, 0) } },
	{ "eth_ipv6_no_next_header", L_ETH, { ETH(0x86dd), IP6(59), PAY(8) } },
	{ "eth_mpls_ipv4_gre_erspan3", L_ETH,
		{ ETH(0x8847), MPLS(1, 1), IP4(47, 0, 0, 0), GRE(0x1000, 0x22eb, 1),
			B32(0x20010064), B32(0), B32(0), PAY(14) } },
};

static int
is_trunc(unsigned int st)
{
	switch (st) {
	case TW_PKT_TRUNC_ETH:
	case TW_PKT_TRUNC_SLL:
	case TW_PKT_TRUNC_VLAN:
	case TW_PKT_TRUNC_MPLS:
	case TW_PKT_TRUNC_IPV4:
	case TW_PKT_TRUNC_IPV6:
	case TW_PKT_TRUNC_TCP:
	case TW_PKT_TRUNC_UDP:
	case TW_PKT_TRUNC_GRE:
		return 1;
	default:
		return 0;
	}
}

/*
 * Every prefix of a valid packet parses to a TRUNC_* status, or to OK with
 * the same headers and a payload cut where the capture ends.
 */
START_TEST(test_truncation_sweep)
{
	const struct sweep_case *c = &sweeps[_i];
	struct tw_pkt_meta full, m;
	uint32_t k, want_len;
	struct pkt p;

	build(c->ops, &p);
	ck_assert_int_eq(parse_copy(p.b, p.len, c->link, &full), TW_PKT_OK);
	check_invariants(&full, p.len, c->name, p.len);

	for (k = 0; k < p.len; k++) {
		parse_copy(p.b, k, c->link, &m);
		check_invariants(&m, k, c->name, k);
		if (m.status != TW_PKT_OK) {
			ck_assert_msg(is_trunc(m.status) ||
					(c->link == L_RAW && k == 0 && m.status == TW_PKT_NOT_IP),
					"%s/%u: %s", c->name, k, tw_pkt_status_name(m.status));
			continue;
		}
		ck_assert_msg(m.l3 == full.l3 && m.proto == full.proto &&
				m.sport == full.sport && m.dport == full.dport &&
				m.l3_off == full.l3_off && m.l4_off == full.l4_off &&
				m.payload_off == full.payload_off &&
				m.gre_flags == full.gre_flags && m.gre_proto == full.gre_proto &&
				m.frag_id == full.frag_id && m.nb_vlan == full.nb_vlan &&
				m.nb_mpls == full.nb_mpls,
				"%s/%u: headers differ from the full parse", c->name, k);
		want_len = RTE_MIN((uint32_t)full.payload_len, k - full.payload_off);
		ck_assert_msg(m.payload_len == want_len, "%s/%u: payload_len %u, expected %u",
				c->name, k, m.payload_len, want_len);
		if (k < p.ip_end)
			ck_assert_msg(m.flags == (full.flags | TW_PKT_F_TRUNC_PAYLOAD),
					"%s/%u: flags %#x", c->name, k, m.flags);
		else
			ck_assert_uint_eq(m.flags, full.flags);
	}
}
END_TEST

/* Random byte corruption and lengths: no crash, no over-read, invariants hold. */
START_TEST(test_mutation)
{
	const struct sweep_case *c = &sweeps[_i];
	struct tw_pkt_meta m;
	uint32_t seed = 0x9e3779b9u * (_i + 1);
	uint8_t buf[PKT_MAX];
	unsigned int iter;
	struct pkt p;

	build(c->ops, &p);
	for (iter = 0; iter < 3000; iter++) {
		unsigned int n, j;
		uint32_t len;

		memcpy(buf, p.b, p.len);
		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 4;
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			/* Headers live in the first ~100 bytes: aim there. */
			buf[(seed >> 8) % RTE_MIN(p.len, 100u)] = (uint8_t)(seed >> 24);
		}
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 4 == 0 ? (seed >> 4) % (p.len + 1) : p.len;
		parse_copy(buf, len, c->link, &m);
		check_invariants(&m, len, c->name, iter);
	}
}
END_TEST

static Suite *
pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc;

	tc = tcase_create("args");
	tcase_add_test(tc, test_len0);
	tcase_add_test(tc, test_null_data);
	tcase_add_test(tc, test_meta_fully_written);
	tcase_add_test(tc, test_input_untouched);
	tcase_add_test(tc, test_status_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_loop_test(tc, test_table, 0, RTE_DIM(cases));
	tcase_add_test(tc, test_table_covers_statuses);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_large_frame);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_loop_test(tc, test_truncation_sweep, 0, RTE_DIM(sweeps));
	tcase_add_loop_test(tc, test_mutation, 0, RTE_DIM(sweeps));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pkt_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
