/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for lib/tw_li_shim.c: PacketCable / Cisco SII content,
 * Juniper packet mirror / Nokia LI-shim, Redback LI.
 *
 * Vectors are hex strings; 'text' inside a vector is copied as ASCII. Each
 * is a whole UDP payload. These were decoded by tshark 4.0.17 as described
 * in docs/li-protocols.md section 0.3 (pcli, pcli8, pcli12, pcli20 with
 * -d pcli.payload,ip; jmirror on UDP 30030; the redbackli heuristic), with
 * the same CCCID / mid / sid / seqno / liid / sessid / label and inner
 * addresses as asserted here and inner IPv4 checksums "good":
 * "pcli 4 + IPv4/UDP", "pcli8 + IPv4/TCP", "pcli12 + IPv6/UDP",
 * "pcli20 + IPv4/TCP", "Juniper MHV 0 + IPv4/TCP", "Nokia MHV 1 egress +
 * IPv6/UDP (doc vector)", "Redback seq/liid/sess/label/dir" and "Redback
 * label first, acct id, EOH len 1". Near misses change one thing in a
 * positive vector and keep every other length and checksum consistent.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tw_li.h"
#include "tw_li_priv.h"
#include "tw_test_hex.h"

#define VEC_MAX 2048

/* Inner packets (checksums correct). */
/* IPv4/UDP 10.0.0.1:12345 -> 10.0.0.2:53, 28 bytes */
#define IPV4_UDP "4500001c 00010000 401166ce 0a000001 0a000002 30390035 00080000"
/* IPv4/TCP 192.0.2.10:5060 -> 198.51.100.20:443, 4 bytes of data, 44 bytes */
#define IPV4_TCP "4500002c 12340000 40067c46 c000020a c6336414" \
	"13c401bb 00000001 00000000 5018ffff 00000000 41424344"
/* IPv4 with a router-alert option (IHL 6), IGMPv2 172.16.1.1 -> 224.0.0.22, 32 bytes */
#define IPV4_OPT "46000020 00070000 010297a9 ac100101 e0000016 94040000 2200f902 00000000"
/* IPv6/UDP 2001:db8::1:1234 -> 2001:db8::2:5678, 4 bytes of data, 52 bytes */
#define IPV6_UDP "60000000 000c1140 20010db8 00000000 00000000 00000001" \
	"20010db8 00000000 00000000 00000002 04d2162e 000c0000 61626364"
/* IPv6/TCP 2001:db8::2:443 -> 2001:db8::1:40000, 60 bytes */
#define IPV6_TCP "60000000 00140640 20010db8 00000000 00000000 00000002" \
	"20010db8 00000000 00000000 00000001 01bb9c40 00000001 00000000 5018ffff 00000000"

/* Near misses of IPV4_UDP / IPV6_UDP. */
#define IPV4_UDP_BAD_CSUM "4500001c 00010000 401166cf 0a000001 0a000002 30390035 00080000"
#define IPV4_UDP_TOT_29 "4500001d 00010000 401166cd 0a000001 0a000002 30390035 00080000"
#define IPV4_UDP_TOT_27 "4500001b 00010000 401166cf 0a000001 0a000002 30390035 00080000"
#define IPV4_UDP_IHL_4 "4400001c 00010000 401171d0 0a000001 0a000002 30390035 00080000"
#define IPV4_UDP_VER_5 "5500001c 00010000 401156ce 0a000001 0a000002 30390035 00080000"
#define IPV6_UDP_PLEN_13 "60000000 000d1140 20010db8 00000000 00000000 00000001" \
	"20010db8 00000000 00000000 00000002 04d2162e 000c0000 61626364"

/* Mirrored Ethernet frames (Nokia "ether" mirrors). */
#define MACS "001122334455 0066778899aa"
#define ETH_IPV4_TCP MACS "0800" IPV4_TCP				/* 58 bytes */
#define ETH_VLAN_IPV6 MACS "8100 0064 86dd" IPV6_UDP			/* VLAN 100 */
#define ETH_QINQ_IPV4 MACS "88a8 00c8 8100 0064 0800" IPV4_UDP	/* S-VLAN 200 */
#define PAD18 "0000 00000000 00000000 00000000 00000000"
#define ETH_PAD_IPV4 MACS "0800" IPV4_UDP PAD18			/* 60 bytes */
/* Destination MAC 45:00:00:00:1c:00 reads like an IPv4 header start. */
#define ETH_MAC45 "450000001c00 0066778899aa 0800" IPV4_UDP

/* Expected inner packets. */
#define IN4_UDP { .l3 = 4, .proto = 17, .sport = 12345, .dport = 53, \
	.src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 } }
#define IN4_TCP { .l3 = 4, .proto = 6, .sport = 5060, .dport = 443, \
	.src = { 192, 0, 2, 10 }, .dst = { 198, 51, 100, 20 } }
#define IN4_OPT { .l3 = 4, .proto = 2, .src = { 172, 16, 1, 1 }, .dst = { 224, 0, 0, 22 } }
#define V6_1 { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }
#define V6_2 { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }
#define IN6_UDP { .l3 = 6, .proto = 17, .sport = 1234, .dport = 5678, .src = V6_1, .dst = V6_2 }
#define IN6_TCP { .l3 = 6, .proto = 6, .sport = 443, .dport = 40000, .src = V6_2, .dst = V6_1 }
#define IN4_UDP_VLAN200 { .l3 = 4, .proto = 17, .sport = 12345, .dport = 53, .vlan = 200, \
	.src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 } }
#define IN6_UDP_VLAN100 { .l3 = 6, .proto = 17, .sport = 1234, .dport = 5678, .vlan = 100, \
	.src = V6_1, .dst = V6_2 }

/* A validator case: bytes, expected verdict and, for hits, the detail. */
struct shim_case {
	const char *name;
	enum tw_validator v;
	int expect;
	const char *hex;
	/*
	 * Ethernet padding (and FCS) after the inner IP packet: the datagram
	 * cut right before it validates too, cuts inside it may; every shorter
	 * cut must be rejected.
	 */
	uint32_t pad;
	struct tw_li_shim want;
};

#define PC TW_VALIDATOR_PACKETCABLE
#define JM TW_VALIDATOR_JMIRROR
#define RB TW_VALIDATOR_REDBACK

#define WANT_PC(i, hl, in) { .id = i, .header_len = hl, .inner = in }
#define WANT_JM(i, sess, m, dir, in) { .id = i, .session = sess, .mhv = m, .direction = dir, \
	.header_len = 8, .inner = in }
#define WANT_RB(s, i, sess, dir, lab, hl, in) { .seq = s, .id = i, .session = sess, \
	.direction = dir, .label = lab, .header_len = hl, .inner = in }

typedef int (*shim_validate_cb)(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

static shim_validate_cb
direct_fn(enum tw_validator v)
{
	switch (v) {
	case PC:
		return tw_li_packetcable_validate;
	case JM:
		return tw_li_jmirror_validate;
	case RB:
		return tw_li_redback_validate;
	default:
		ck_abort_msg("not a shim validator: %d", v);
		return NULL;
	}
}

/*
 * Validate from an exact-size heap copy, so any over-read is caught, both
 * through tw_li_validate() and directly; the two must agree, and a miss
 * must leave the output untouched.
 */
static int
validate_exact(enum tw_validator v, const uint8_t *bytes, uint32_t len, struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	struct tw_li_detail direct, before;
	int r, r2;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	memset(d, 0xa5, sizeof(*d));
	before = *d;
	r = tw_li_validate(v, copy, len, NULL, d);
	if (r == 0)
		ck_assert_msg(memcmp(d, &before, sizeof(*d)) == 0, "detail written on a miss");
	memset(&direct, 0x5a, sizeof(direct));
	r2 = direct_fn(v)(copy, len, &direct);
	/* The dispatcher refuses empty payloads before calling the validator. */
	if (len != 0) {
		ck_assert_int_eq(r2, r);
		if (r == 1)
			ck_assert(memcmp(&direct.shim, &d->shim, sizeof(d->shim)) == 0);
	} else {
		ck_assert_int_eq(r2, 0);
	}
	free(copy);
	return r;
}

static void
check_inner(const char *name, const struct tw_li_inner *w, const struct tw_li_inner *g)
{
	ck_assert_msg(g->l3 == w->l3, "%s: inner l3 %u, want %u", name, g->l3, w->l3);
	ck_assert_msg(g->proto == w->proto, "%s: inner proto %u, want %u", name, g->proto,
			w->proto);
	ck_assert_msg(g->sport == w->sport && g->dport == w->dport,
			"%s: inner ports %u -> %u, want %u -> %u", name, g->sport, g->dport,
			w->sport, w->dport);
	ck_assert_msg(g->vlan == w->vlan, "%s: inner vlan %u, want %u", name, g->vlan, w->vlan);
	ck_assert_msg(memcmp(g->src, w->src, sizeof(w->src)) == 0, "%s: inner src", name);
	ck_assert_msg(memcmp(g->dst, w->dst, sizeof(w->dst)) == 0, "%s: inner dst", name);
}

static void
check_shim(const char *name, const struct tw_li_shim *w, const struct tw_li_detail *d)
{
	const struct tw_li_shim *g = &d->shim;
	const uint8_t *tail;
	size_t i;

	ck_assert_msg(d->kind == TW_LI_KIND_SHIM, "%s: kind %u", name, d->kind);
	ck_assert_msg(g->id == w->id, "%s: id %#x, want %#x", name, g->id, w->id);
	ck_assert_msg(g->session == w->session, "%s: session %#x, want %#x", name,
			g->session, w->session);
	ck_assert_msg(g->seq == w->seq, "%s: seq %u, want %u", name, g->seq, w->seq);
	ck_assert_msg(g->header_len == w->header_len, "%s: header_len %u, want %u", name,
			g->header_len, w->header_len);
	ck_assert_msg(g->direction == w->direction, "%s: direction %u, want %u", name,
			g->direction, w->direction);
	ck_assert_msg(g->mhv == w->mhv, "%s: mhv %u, want %u", name, g->mhv, w->mhv);
	ck_assert_uint_eq(g->pad, 0);
	ck_assert_msg(memchr(g->label, '\0', sizeof(g->label)) != NULL, "%s: label unterminated",
			name);
	ck_assert_msg(strcmp(g->label, w->label) == 0, "%s: label \"%s\", want \"%s\"", name,
			g->label, w->label);
	/* Everything the union holds beyond the shim was zeroed. */
	tail = (const uint8_t *)d + offsetof(struct tw_li_detail, shim) + sizeof(*g);
	for (i = 0; tail + i < (const uint8_t *)d + sizeof(*d); i++)
		ck_assert_msg(tail[i] == 0, "%s: union byte %zu after the shim not zeroed", name, i);
	check_inner(name, &w->inner, &g->inner);
}

static void
run_case(const struct shim_case *c)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	uint32_t len = hex_decode(c->hex, buf, VEC_MAX);
	int r;

	r = validate_exact(c->v, buf, len, &d);
	ck_assert_msg(r == c->expect, "%s: got %d, want %d", c->name, r, c->expect);
	if (r == 1)
		check_shim(c->name, &c->want, &d);
}

/* ------------------------------------------------------------------------ */
/* PacketCable / Cisco SII content                                           */
/* ------------------------------------------------------------------------ */

#define NTP_TS "e9b1c2d3 80000000"	/* 2024-03-29 22:44:35.5 UTC */
#define CASE_ID "00000000 00000063"

static const struct shim_case pc_cases[] = {
	/* true hits */
	{ "pcli 4 + IPv4/UDP", PC, 1, "0001e240" IPV4_UDP, 0,
		WANT_PC(123456, 4, IN4_UDP) },
	{ "pcli 4 + IPv6/TCP", PC, 1, "ffffffff" IPV6_TCP, 0,
		WANT_PC(0xffffffff, 4, IN6_TCP) },
	{ "Cisco SII 4 + IPv4 with options", PC, 1, "00000001" IPV4_OPT, 0,
		WANT_PC(1, 4, IN4_OPT) },
	{ "pcli8 + IPv4/TCP", PC, 1, "0001e240 00000007" IPV4_TCP, 0,
		WANT_PC(123456, 8, IN4_TCP) },
	{ "pcli8 + IPv6/UDP", PC, 1, "00000000 00000000" IPV6_UDP, 0,
		WANT_PC(0, 8, IN6_UDP) },
	{ "pcli12 + IPv6/UDP", PC, 1, "0001e240" NTP_TS IPV6_UDP, 0,
		WANT_PC(123456, 12, IN6_UDP) },
	{ "pcli12 + IPv4/UDP", PC, 1, "8000a001" NTP_TS IPV4_UDP, 0,
		WANT_PC(0x8000a001, 12, IN4_UDP) },
	{ "pcli20 + IPv4/TCP", PC, 1, "0001e240" NTP_TS CASE_ID IPV4_TCP, 0,
		WANT_PC(123456, 20, IN4_TCP) },
	{ "pcli20 + IPv6/TCP", PC, 1, "00000002" NTP_TS CASE_ID IPV6_TCP, 0,
		WANT_PC(2, 20, IN6_TCP) },
	{ "GTP-like flags, length not GTP's: kept", PC, 1, "30ff0000 00000001" IPV4_UDP, 0,
		WANT_PC(0x30ff0000, 8, IN4_UDP) },

	/* near misses */
	{ "IPv4 bad checksum", PC, 0, "0001e240" IPV4_UDP_BAD_CSUM },
	{ "IPv4 total length one more than the datagram", PC, 0, "0001e240" IPV4_UDP_TOT_29 },
	{ "IPv4 total length one less than the datagram", PC, 0, "0001e240" IPV4_UDP_TOT_27 },
	{ "one byte after the IPv4 packet", PC, 0, "0001e240" IPV4_UDP "00" },
	{ "IPv4 IHL 4", PC, 0, "0001e240" IPV4_UDP_IHL_4 },
	{ "IP version 5", PC, 0, "0001e240" IPV4_UDP_VER_5 },
	{ "IPv6 payload length one too many", PC, 0, "0001e240" IPV6_UDP_PLEN_13 },
	{ "header of 16 bytes", PC, 0, "0001e240" NTP_TS "00000000" IPV4_UDP },
	{ "header of 24 bytes", PC, 0, "0001e240" NTP_TS CASE_ID "00000000" IPV4_UDP },
	{ "CCCID only", PC, 0, "0001e240" },
	{ "Ethernet frame after 4 bytes", PC, 0, "0001e240" ETH_IPV4_TCP },
};

START_TEST(test_packetcable)
{
	run_case(&pc_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Juniper packet mirror / Nokia LI-shim                                     */
/* ------------------------------------------------------------------------ */

static const struct shim_case jm_cases[] = {
	/* true hits */
	{ "Juniper MHV 0 + IPv4/TCP", JM, 1, "00003039 00000065" IPV4_TCP, 0,
		WANT_JM(12345, 101, 0, 0, IN4_TCP) },
	{ "Juniper MHV 0 + IPv6/UDP, all-ones ids", JM, 1, "3fffffff ffffffff" IPV6_UDP, 0,
		WANT_JM(0x3fffffff, 0xffffffff, 0, 0, IN6_UDP) },
	{ "Juniper MHV 0 + IPv4 with options", JM, 1, "00000001 00000001" IPV4_OPT, 0,
		WANT_JM(1, 1, 0, 0, IN4_OPT) },
	{ "Nokia MHV 1 egress + IPv6/UDP (doc vector)", JM, 1, "60002710 00004e20" IPV6_UDP, 0,
		WANT_JM(10000, 20000, 1, 2, IN6_UDP) },
	{ "Nokia MHV 1 ingress + IPv4/UDP", JM, 1, "40000457 00000001" IPV4_UDP, 0,
		WANT_JM(1111, 1, 1, 1, IN4_UDP) },
	{ "Nokia MHV 1 egress + Ethernet IPv4/TCP", JM, 1, "60000457 00000002" ETH_IPV4_TCP, 0,
		WANT_JM(1111, 2, 1, 2, IN4_TCP) },
	{ "Nokia MHV 1 ingress + Ethernet 802.1Q IPv6", JM, 1, "5fffffff 00000003" ETH_VLAN_IPV6,
		0, WANT_JM(0x1fffffff, 3, 1, 1, IN6_UDP_VLAN100) },
	{ "Nokia MHV 0 + Ethernet QinQ IPv4", JM, 1, "00000010 00000004" ETH_QINQ_IPV4, 0,
		WANT_JM(16, 4, 0, 0, IN4_UDP_VLAN200) },
	{ "Nokia ether, minimum frame with padding", JM, 1, "40000001 00000005" ETH_PAD_IPV4, 18,
		WANT_JM(1, 5, 1, 1, IN4_UDP) },
	{ "Nokia ether, 58-byte frame padded to 60", JM, 1, "40000001 00000007" ETH_IPV4_TCP
		"0000", 2, WANT_JM(1, 7, 1, 1, IN4_TCP) },
	{ "Nokia ether, 58-byte frame padded to 60 + FCS", JM, 1, "40000001 00000007"
		ETH_IPV4_TCP "0000 1a2b3c4d", 6, WANT_JM(1, 7, 1, 1, IN4_TCP) },
	{ "Nokia ether, destination MAC 45:00:..", JM, 1, "60000001 00000006" ETH_MAC45, 0,
		WANT_JM(1, 6, 1, 2, IN4_UDP) },
	{ "GTP-like flags, length not GTP's: kept", JM, 1, "30ff0000 00000001" IPV4_UDP, 0,
		WANT_JM(0x30ff0000, 1, 0, 0, IN4_UDP) },
	{ "intercept id 0x08000001 + Ethernet: not VXLAN", JM, 1, "08000001 00123400" ETH_IPV4_TCP,
		0, WANT_JM(0x08000001, 0x00123400, 0, 0, IN4_TCP) },

	/* near misses */
	{ "MHV 2", JM, 0, "80003039 00000065" IPV4_TCP },
	{ "MHV 3", JM, 0, "c0003039 00000065" IPV4_TCP },
	{ "IPv4 bad checksum", JM, 0, "00003039 00000065" IPV4_UDP_BAD_CSUM },
	{ "IPv4 total length one more than the datagram", JM, 0, "00003039 00000065"
		IPV4_UDP_TOT_29 },
	{ "one byte after the IPv4 packet", JM, 0, "00003039 00000065" IPV4_UDP "00" },
	{ "IPv6 payload length one too many", JM, 0, "00003039 00000065" IPV6_UDP_PLEN_13 },
	{ "12-byte header", JM, 0, "00003039 00000065 00000000" IPV4_UDP },
	{ "header only", JM, 0, "00003039 00000065" },
	{ "Ethernet ARP", JM, 0, "40000001 00000001" MACS "0806 0001 0800 0604 0001"
		"0066778899aa 0a000001 000000000000 0a000002" PAD18 },
	{ "Ethernet 802.1Q then ARP", JM, 0, "40000001 00000001" MACS "8100 0064 0806"
		IPV4_UDP },
	{ "Ethernet type IPv4 carrying IPv6", JM, 0, "40000001 00000001" MACS "0800" IPV6_UDP },
	{ "Ethernet type IPv6 carrying IPv4", JM, 0, "40000001 00000001" MACS "86dd" IPV4_TCP },
	{ "Ethernet IPv4 bad checksum", JM, 0, "40000001 00000001" MACS "0800"
		IPV4_UDP_BAD_CSUM },
	{ "Ethernet, 1 trailing byte after a 58-byte frame", JM, 0, "40000001 00000001"
		ETH_IPV4_TCP "00" },
	{ "Ethernet, 4 trailing bytes after a 58-byte frame", JM, 0, "40000001 00000001"
		ETH_IPV4_TCP "00000000" },
	{ "Ethernet, 4 trailing bytes after a 70-byte frame", JM, 0, "40000001 00000001"
		ETH_VLAN_IPV6 "00000000" },
	{ "Ethernet, five VLAN tags", JM, 0, "40000001 00000001" MACS
		"8100 0001 8100 0002 8100 0003 8100 0004 8100 0005 0800" IPV4_UDP },
};

START_TEST(test_jmirror)
{
	run_case(&jm_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Redback / Ericsson SmartEdge LI                                           */
/* ------------------------------------------------------------------------ */

#define RB_SEQ(x) "0104 " x
#define RB_LIID(x) "0204 " x
#define RB_SESS(x) "0304 " x
#define RB_EOH "0000"
#define L36 "0123456789abcdefghijklmnopqrstuvwxyz"
#define LABEL_233 "14e9 '" L36 L36 L36 L36 L36 L36 "0123456789abcdefg'"
#define LABEL_234 "14ea '" L36 L36 L36 L36 L36 L36 "0123456789abcdefgh'"
#define RB_IDS RB_SEQ("00000007") RB_LIID("000003e8") RB_SESS("00000065")

static const struct shim_case rb_cases[] = {
	/* true hits */
	{ "Redback seq/liid/sess/label/dir", RB, 1,
		RB_IDS "140a 'intercept1' 0401 01" RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 2, "intercept1", 35, IN4_UDP) },
	{ "Redback label first, acct id, EOH len 1", RB, 1,
		"1405 'lab-2'" RB_SESS("0000abcd") "2806 'acct-1'" RB_LIID("12345678")
		RB_SEQ("00000001") "0001 00" IPV6_UDP, 0,
		WANT_RB(1, 0x12345678, 0xabcd, 0, "lab-2", 36, IN6_UDP) },
	{ "Redback liid, seq, sess, minimal header", RB, 1,
		RB_LIID("00000002") RB_SEQ("ffffffff") RB_SESS("00000003") RB_EOH IPV4_TCP, 0,
		WANT_RB(0xffffffff, 2, 3, 0, "", 20, IN4_TCP) },
	{ "Redback direction first, value 0", RB, 1,
		"0401 00" RB_SESS("00000003") RB_SEQ("00000001") RB_LIID("00000002") RB_EOH
		IPV6_TCP, 0,
		WANT_RB(1, 2, 3, 1, "", 23, IN6_TCP) },
	{ "Redback direction value 7: unknown", RB, 1,
		RB_IDS "0401 07" RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 0, "", 23, IN4_UDP) },
	{ "Redback empty direction and label", RB, 1,
		RB_IDS "0400 1400" RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 0, "", 24, IN4_UDP) },
	{ "Redback repeated seqno: first kept", RB, 1,
		RB_IDS RB_SEQ("00000008") RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 0, "", 26, IN4_UDP) },
	{ "Redback label with control byte and NUL", RB, 1,
		RB_IDS "1408 'ab' 01 'cd' 00 'ef'" RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 0, "ab.cd", 30, IN4_UDP) },
	{ "Redback header of 255 bytes, label cut to 31", RB, 1,
		RB_IDS LABEL_233 RB_EOH IPV4_UDP, 0,
		WANT_RB(7, 1000, 101, 0, "0123456789abcdefghijklmnopqrstu", 255, IN4_UDP) },
	{ "Redback IPv4 with options", RB, 1, RB_IDS RB_EOH IPV4_OPT, 0,
		WANT_RB(7, 1000, 101, 0, "", 20, IN4_OPT) },

	/* near misses */
	{ "header of 256 bytes", RB, 0, RB_IDS LABEL_234 RB_EOH IPV4_UDP },
	{ "no seqno", RB, 0, RB_LIID("000003e8") RB_SESS("00000065") "1402 'ab'" RB_EOH
		IPV4_UDP },
	{ "no LI id", RB, 0, RB_SEQ("00000007") RB_SESS("00000065") "1402 'ab'" RB_EOH
		IPV4_UDP },
	{ "no session id", RB, 0, RB_SEQ("00000007") RB_LIID("000003e8") "1402 'ab'" RB_EOH
		IPV4_UDP },
	{ "seqno of length 2", RB, 0, "0102 0007" RB_LIID("000003e8") RB_SESS("00000065")
		"1402 'ab'" RB_EOH IPV4_UDP },
	{ "LI id of length 5", RB, 0, RB_SEQ("00000007") "0205 00000003e8"
		RB_SESS("00000065") RB_EOH IPV4_UDP },
	{ "EOH first", RB, 0, RB_EOH RB_IDS RB_EOH IPV4_UDP },
	{ "EOH of length 2", RB, 0, RB_IDS "0002 0000" IPV4_UDP },
	{ "unknown AVP type 5", RB, 0, RB_IDS "0501 00" RB_EOH IPV4_UDP },
	{ "unknown AVP type 21", RB, 0, RB_IDS "1501 00" RB_EOH IPV4_UDP },
	{ "no EOH", RB, 0, RB_IDS IPV4_UDP },
	{ "label runs past the end", RB, 0, RB_IDS "14ff 'abc'" },
	{ "IPv4 bad checksum", RB, 0, RB_IDS RB_EOH IPV4_UDP_BAD_CSUM },
	{ "one byte after the IPv4 packet", RB, 0, RB_IDS RB_EOH IPV4_UDP "00" },
	{ "IPv6 payload length one too many", RB, 0, RB_IDS RB_EOH IPV6_UDP_PLEN_13 },
	{ "AVPs only, 19 bytes", RB, 0, RB_IDS "0401" },
	{ "Ethernet after EOH", RB, 0, RB_IDS RB_EOH ETH_IPV4_TCP },
};

START_TEST(test_redback)
{
	run_case(&rb_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Other protocols of the same shape: every shim validator must refuse       */
/* ------------------------------------------------------------------------ */

struct foreign_case {
	const char *name;
	const char *hex;
};

static const struct foreign_case foreign_cases[] = {
	/* GTPv1-U G-PDU, TEID 1: 8 bytes then IPv4, length == len - 8 */
	{ "GTPv1-U 8 + IPv4", "30ff001c 00000001" IPV4_UDP },
	{ "GTPv1-U 8 + IPv6", "30ff0034 00abcdef" IPV6_UDP },
	/* S flag: sequence number, N-PDU, next extension: 12 bytes then IPv4 */
	{ "GTPv1-U with sequence number, 12 + IPv4", "32ff0020 00000001 00070000" IPV4_UDP },
	{ "GTPv1-U with PDU session container, 16 + IPv4", "34ff0024 00000001 00000085"
		"01100900" IPV4_UDP },
	/* VXLAN, VNI 0x1234, then Ethernet */
	{ "VXLAN + Ethernet IPv4", "08000000 00123400" ETH_IPV4_TCP },
	{ "VXLAN + Ethernet 802.1Q IPv6", "08000000 00000100" ETH_VLAN_IPV6 },
	/* VXLAN-GPE, next protocol 1 (IPv4) / 2 (IPv6) / 3 (Ethernet) */
	{ "VXLAN-GPE + IPv4", "0c000001 00123400" IPV4_UDP },
	{ "VXLAN-GPE + IPv6", "0c000002 00123400" IPV6_TCP },
	{ "VXLAN-GPE + Ethernet", "0c000003 00123400" ETH_IPV4_TCP },
	/*
	 * rpcap packet message: 00 07 00 00 plen, then ts sec (0x45.. at byte
	 * 8), ts usec, caplen, len, npkt, then an Ethernet frame.
	 */
	{ "rpcap packet message, 0x45 at byte 8", "00070000 0000003e 456a1b2c 0001e240"
		"0000002a 0000002a 00000001" MACS "0800" IPV4_UDP },
	{ "rpcap packet message, plen off by one", "00070000 0000003f 456a1b2c 0001e240"
		"0000002a 0000002a 00000001" MACS "0800" IPV4_UDP },
	/* ERSPAN III frame 9 of tcpdump/erspan-type-iii-ft-0.pcap, GRE header on */
	{ "ERSPAN III (GRE payload)",
		"000022eb 20140000 6ecc8a9b 00000006 005056ac 18a0f8c2 8890d27b 81000014"
		"08004500 0054a116 40003f01 67430a1d 0b010a1d 14150800 eda53fcb 00ea2a64"
		"905d0000 00004310 0d000000 00001011 12131415 16171819 1a1b1c1d 1e1f2021"
		"22232425 26272829 2a2b2c2d 2e2f3031 32333435 3637" },
	/* DNS query for example.com */
	{ "DNS query", "12340100 00010000 00000000 07'example' 03'com' 00 00010001" },
	{ "zeros, 64 bytes", "00000000 00000000 00000000 00000000 00000000 00000000"
		"00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000"
		"00000000 00000000" },
	{ "0xff, 48 bytes", "ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff"
		"ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff" },
};

static const enum tw_validator shim_validators[] = { PC, JM, RB };

START_TEST(test_foreign)
{
	static uint8_t buf[VEC_MAX];
	const struct foreign_case *c = &foreign_cases[_i];
	struct tw_li_detail d;
	uint32_t len = hex_decode(c->hex, buf, VEC_MAX);
	unsigned int k;

	for (k = 0; k < RTE_DIM(shim_validators); k++)
		ck_assert_msg(validate_exact(shim_validators[k], buf, len, &d) == 0,
				"%s accepted by %s", c->name,
				tw_validator_name(shim_validators[k]));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Dispatcher                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_dispatch)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	uint32_t len = hex_decode("0001e240" IPV4_UDP, buf, VEC_MAX);
	unsigned int k;

	ck_assert_int_eq(tw_validator_from_name("packetcable"), TW_VALIDATOR_PACKETCABLE);
	ck_assert_int_eq(tw_validator_from_name("jmirror"), TW_VALIDATOR_JMIRROR);
	ck_assert_int_eq(tw_validator_from_name("redback"), TW_VALIDATOR_REDBACK);
	ck_assert_int_eq(tw_family_from_name("packetcable"), TW_FAMILY_PACKETCABLE);
	ck_assert_int_eq(tw_family_from_name("jmirror"), TW_FAMILY_JMIRROR);
	ck_assert_int_eq(tw_family_from_name("redback-li"), TW_FAMILY_REDBACK_LI);

	/* NULL detail: verdict only */
	ck_assert_int_eq(tw_li_validate(PC, buf, len, NULL, NULL), 1);
	/* NULL or empty payload */
	for (k = 0; k < RTE_DIM(shim_validators); k++) {
		memset(&d, 0xa5, sizeof(d));
		ck_assert_int_eq(tw_li_validate(shim_validators[k], NULL, 0, NULL, &d), 0);
		ck_assert_int_eq(tw_li_validate(shim_validators[k], NULL, 64, NULL, &d), 0);
		ck_assert_int_eq(tw_li_validate(shim_validators[k], buf, 0, NULL, &d), 0);
		ck_assert_uint_eq(d.kind, 0xa5);
	}
	/* Direct calls with a zero length never dereference p. */
	ck_assert_int_eq(tw_li_packetcable_validate(buf, 0, &d), 0);
	ck_assert_int_eq(tw_li_jmirror_validate(buf, 0, &d), 0);
	ck_assert_int_eq(tw_li_redback_validate(buf, 0, &d), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Truncation sweep, mutations, random payloads                              */
/* ------------------------------------------------------------------------ */

struct case_table {
	const struct shim_case *cases;
	unsigned int nb;
};

static const struct case_table all_tables[] = {
	{ pc_cases, RTE_DIM(pc_cases) },
	{ jm_cases, RTE_DIM(jm_cases) },
	{ rb_cases, RTE_DIM(rb_cases) },
};

/*
 * Every vector cut at every length, into an exact-size buffer: no crash,
 * no over-read (ASan / valgrind), and since every layout's lengths must
 * account for the whole datagram, a cut positive never validates, except
 * when the cut removes exactly the Ethernet padding.
 */
START_TEST(test_truncation_sweep)
{
	static uint8_t buf[VEC_MAX];
	const struct shim_case *c;
	struct tw_li_detail d;
	unsigned int t, i;
	uint32_t len, cut;
	int r;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			c = &all_tables[t].cases[i];
			len = hex_decode(c->hex, buf, VEC_MAX);
			for (cut = 0; cut < len; cut++) {
				r = validate_exact(c->v, buf, cut, &d);
				if (c->expect == 0)
					continue;
				if (cut < len - c->pad) {
					ck_assert_msg(r == 0, "%s cut at %u of %u validates",
							c->name, cut, len);
				} else if (cut == len - c->pad) {
					ck_assert_msg(r == 1, "%s cut %u: unpadded frame rejected",
							c->name, cut);
					check_shim(c->name, &c->want, &d);
				} else if (r == 1) {
					/* inside the padding: a 60-byte frame of a 64 */
					check_shim(c->name, &c->want, &d);
				}
			}
		}
	}
}
END_TEST

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t
rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* A hit must describe bytes that exist: header + inner IP inside the datagram. */
static void
check_hit_sane(const struct tw_li_detail *d, uint32_t len)
{
	ck_assert_uint_eq(d->kind, TW_LI_KIND_SHIM);
	ck_assert_uint_le((uint32_t)d->shim.header_len + 20, len);
	ck_assert(memchr(d->shim.label, '\0', sizeof(d->shim.label)) != NULL);
	ck_assert(d->shim.direction <= 2 && d->shim.mhv <= 1);
}

/* Every byte of every vector replaced by a few values, under each validator. */
START_TEST(test_byte_mutations)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x04, 0x45, 0x60, 0x7f, 0x80, 0xff };
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	unsigned int t, i, k, v;
	uint32_t len, pos;
	uint8_t orig;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			len = hex_decode(all_tables[t].cases[i].hex, buf, VEC_MAX);
			for (pos = 0; pos < len; pos++) {
				orig = buf[pos];
				for (k = 0; k < RTE_DIM(values); k++) {
					buf[pos] = values[k];
					for (v = 0; v < RTE_DIM(shim_validators); v++)
						if (validate_exact(shim_validators[v], buf, len, &d))
							check_hit_sane(&d, len);
				}
				buf[pos] = orig;
			}
		}
	}
}
END_TEST

/* Random multi-byte mutations of the positives, random lengths. */
START_TEST(test_random_mutations)
{
	static uint8_t buf[VEC_MAX];
	const struct shim_case *c;
	struct tw_li_detail d;
	uint32_t seed = 0x7a9c31u, len, n, k, nb_flips;
	unsigned int t, i, iter, v;

	for (iter = 0; iter < 4000; iter++) {
		t = rnd(&seed) % RTE_DIM(all_tables);
		i = rnd(&seed) % all_tables[t].nb;
		c = &all_tables[t].cases[i];
		len = hex_decode(c->hex, buf, VEC_MAX);
		nb_flips = 1 + rnd(&seed) % 4;
		for (k = 0; k < nb_flips && len != 0; k++)
			buf[rnd(&seed) % len] = (uint8_t)rnd(&seed);
		/* sometimes also cut or extend with random bytes */
		n = rnd(&seed) % 4;
		if (n == 0 && len != 0)
			len = rnd(&seed) % len;
		else if (n == 1)
			for (k = rnd(&seed) % 16; k > 0 && len < VEC_MAX; k--)
				buf[len++] = (uint8_t)rnd(&seed);
		for (v = 0; v < RTE_DIM(shim_validators); v++)
			if (validate_exact(shim_validators[v], buf, len, &d))
				check_hit_sane(&d, len);
	}
}
END_TEST

/* Random payloads: no validator accepts noise. */
START_TEST(test_random_payloads)
{
	static uint8_t buf[512];
	struct tw_li_detail d;
	uint32_t seed = 0xc0ffeeu, len, k;
	unsigned int iter, v;

	for (iter = 0; iter < 3000; iter++) {
		len = rnd(&seed) % sizeof(buf);
		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)rnd(&seed);
		/* a third start like a plausible shim: small first byte, IP at 4 or 8 */
		if (iter % 3 == 0 && len > 8) {
			buf[0] &= 0x3f;
			buf[4] = 0x45;
			buf[8] = (iter & 1) ? 0x45 : 0x60;
		}
		for (v = 0; v < RTE_DIM(shim_validators); v++)
			ck_assert_msg(validate_exact(shim_validators[v], buf, len, &d) == 0,
					"random payload %u (len %u) accepted by %s", iter, len,
					tw_validator_name(shim_validators[v]));
	}
}
END_TEST

static Suite *
li_shim_suite(void)
{
	Suite *s = suite_create("li_shim");
	TCase *tc;

	tc = tcase_create("packetcable");
	tcase_add_loop_test(tc, test_packetcable, 0, RTE_DIM(pc_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("jmirror");
	tcase_add_loop_test(tc, test_jmirror, 0, RTE_DIM(jm_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("redback");
	tcase_add_loop_test(tc, test_redback, 0, RTE_DIM(rb_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("foreign");
	tcase_add_loop_test(tc, test_foreign, 0, RTE_DIM(foreign_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("dispatch");
	tcase_add_test(tc, test_dispatch);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	/* Valgrind runs these a few hundred thousand validations slowly. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_byte_mutations);
	tcase_add_test(tc, test_random_mutations);
	tcase_add_test(tc, test_random_payloads);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(li_shim_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
