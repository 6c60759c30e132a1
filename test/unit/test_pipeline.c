/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for lib/tw_pipeline.c: real mbufs with hand-built
 * Ethernet/IPv4/IPv6 frames through tw_pipeline_burst(), a real alert ring,
 * a signature database parsed from the rules below and an inventory built
 * here. Checks alerts field by field, the inspection budget, blocking,
 * malformed input, a full alert ring and ageing.
 *
 * Needs EAL (rte_hash, rte_ring, mempool): main() initialises it first and
 * the suite runs without fork. DPDK object names are global to the process,
 * so every ring and flow table gets a fresh name.
 *
 * The X2/X3, PS-PDU and ERSPAN byte vectors are copied from test_li.c,
 * where they are decoded and sourced.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "eal_fixture.h"
#include "tw_alert.h"
#include "tw_flow.h"
#include "tw_li.h"
#include "tw_pipeline.h"
#include "tw_pkt.h"
#include "tw_policy.h"
#include "tw_sig.h"

#define WORKER 5
#define FLOW_WORKER 6
#define TIMEOUT_NS 1000u
#define NOW_NS UINT64_C(1700000000000000000)
#define FRAME_MAX 1600
#define VEC_MAX 512

/* ------------------------------------------------------------------------ */
/* Signatures and inventory                                                  */
/* ------------------------------------------------------------------------ */

#define SIG_X2X3_TCP 1000001u
#define SIG_X2X3_KEEPALIVE 1000002u
#define SIG_PS_PDU 1000003u
#define SIG_ERSPAN_II 1000007u
#define SIG_X2X3_UDP 1000009u
#define SIG_TEST 9000001u

#define NAME_X2X3_TCP "ETSI X2/X3 PDU header (TCP)"
#define NAME_TEST "tapwatch test marker"
#define NAME_PS_PDU "ETSI TS 102 232 PS-PDU header"

/* 1000001, 1000002, 1000003, 1000007, 1000009 as in conf/signatures.rules,
 * plus a validator=none test signature of severity 2. */
static const char rules[] =
	"# pipeline test rules\n"
	"sig id=1000001 rev=1 family=etsi-x2x3 severity=1 proto=tcp ports=any validator=x2x3 "
	"pattern=\"^\\x00[\\x01-\\x0f]\\x00[\\x01\\x02]\\x00[\\x00-\\x0f][\\x00-\\xff]{2}"
	"[\\x00-\\xff]{4}\\x00[\\x01-\\x10]\\x00[\\x01-\\x05]\" name=\"" NAME_X2X3_TCP "\"\n"
	"sig id=1000002 rev=1 family=etsi-x2x3 severity=1 proto=tcp ports=any validator=x2x3 "
	"pattern=\"^\\x00[\\x01-\\x0f]\\x00[\\x03\\x04]\\x00\\x00\\x00[\\x28-\\xff]\\x00\\x00"
	"\\x00\\x00\\x00\\x00\\x00\\x00\" name=\"ETSI X2/X3 keepalive\"\n"
	"sig id=1000003 rev=1 family=etsi-hi severity=1 proto=tcp ports=any validator=ps-pdu "
	"flags=dotall pattern=\"^\\x30(?:[\\x00-\\x7f]|\\x80|\\x81.|\\x82..|\\x83...)\\xa1"
	"(?:[\\x00-\\x7f]|\\x80|\\x81.|\\x82..)\\x80\\x07\\x04\\x00\\x02\\x02\\x05\\x01"
	"[\\x01-\\x7f]\\x81\" name=\"" NAME_PS_PDU "\"\n"
	"sig id=1000007 rev=1 family=erspan severity=1 proto=gre ports=any validator=erspan "
	"pattern=\"^[\\x10\\x30\\x90\\xb0]\\x00\\x88\\xbe(?:[\\x00-\\xff]{4}){1,3}[\\x10-\\x1f]\" "
	"name=\"ERSPAN type II\"\n"
	"sig id=1000009 rev=1 family=etsi-x2x3 severity=1 proto=udp ports=any validator=x2x3 "
	"pattern=\"^\\x00[\\x01-\\x0f]\\x00[\\x01-\\x04]\\x00[\\x00-\\x0f][\\x00-\\xff]{2}"
	"[\\x00-\\xff]{4}\\x00[\\x00-\\x10]\\x00[\\x00-\\x05]\" name=\"ETSI X2/X3 PDU header (UDP)\"\n"
	"sig id=9000001 rev=3 family=tzsp severity=2 proto=udp ports=37008 validator=none "
	"pattern=\"TWTEST\" name=\"" NAME_TEST "\"\n";

static const struct tw_cidr lemf_med[] = { { .l3 = 4, .prefix_len = 24, .addr = { 10, 1, 1 } } };
static const struct tw_cidr lemf_elt[] = { { .l3 = 4, .prefix_len = 24, .addr = { 10, 2, 2 } } };
static const struct tw_cidr coll_med[] = { { .l3 = 4, .prefix_len = 24, .addr = { 10, 3, 3 } } };
static const struct tw_cidr hi_med[] = { { .l3 = 4, .prefix_len = 24, .addr = { 10, 4, 4 } } };
static const struct tw_cidr v6_med[] = {
	{ .l3 = 6, .prefix_len = 48, .addr = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 } },
};

enum { MD_LEMF, MD_COLLECTOR, MD_V6, MD_HI, MD_NB };

static const struct tw_md mds[MD_NB] = {
	[MD_LEMF] = { .name = "lemf-x2x3", .mediation = lemf_med, .nb_mediation = 1,
		.elements = lemf_elt, .nb_elements = 1,
		.families = UINT32_C(1) << TW_FAMILY_ETSI_X2X3 },
	[MD_COLLECTOR] = { .name = "erspan-collector", .mediation = coll_med, .nb_mediation = 1,
		.families = UINT32_C(1) << TW_FAMILY_ERSPAN },
	[MD_V6] = { .name = "lemf-v6", .mediation = v6_med, .nb_mediation = 1 },
	[MD_HI] = { .name = "lemf-hi", .mediation = hi_med, .nb_mediation = 1,
		.elements = lemf_elt, .nb_elements = 1,
		.families = UINT32_C(1) << TW_FAMILY_ETSI_HI },
};

/* Endpoints */
#define NE "10.2.2.5"		/* network element, in lemf-x2x3's elements */
#define LEMF "10.1.1.7"		/* in lemf-x2x3's mediation prefix */
#define COLL "10.3.3.1"		/* in erspan-collector's mediation prefix */
#define HI_MD "10.4.4.7"	/* in lemf-hi's mediation prefix */
#define ROGUE_A "192.0.2.5"
#define ROGUE_B "198.51.100.7"
#define V6_MD "2001:db8:1::7"
#define V6_NE "2001:db8:2::5"
#define V6_ROGUE "2001:db8:3::7"

/* ------------------------------------------------------------------------ */
/* Payload vectors                                                           */
/* ------------------------------------------------------------------------ */

#define X_XID "6f1c2f9a 3e4b4c1d 9a2b0c1d 2e3f4a5b"
#define X_CID "00000000 00000007"
#define IPV4_UDP "4500001c 00010000 4011f96c 0a000001 0a000002 30390035 00080000"
/* X3 xCC, format 5 (IPv4), direction 3, no TLVs: 68 bytes */
#define X_X3 "0005 0002 00000028 0000001c 0005 0003" X_XID X_CID IPV4_UDP
#define X_ZERO_IDS "00000000 00000000 00000000 00000000 00000000 00000000"
/* Keepalive from the doc (section 1): HL 48, one sequence-number TLV. */
#define X_KEEPALIVE "0005 0003 00000030 00000000 0000 0000" X_ZERO_IDS \
	"0008 0004 00000001"
/* PS-PDU, the doc's example (LIID "LIID-TEST-01", CC payload): 129 bytes */
#define PS_DOMAIN "80 07 04 00 02 02 05 01 11"	/* 0.4.0.2.2.5.1.17 */
#define PS_HDR_DOC_MEMBERS PS_DOMAIN " 81 0c 'LIID-TEST-01' 82 02 'NZ'" \
	"a3 15 a0 0c 80 04 'OPER' 81 04 'NE01' 81 01 2a 82 02 'NZ'" \
	"84 01 01 85 13 '20231127175800.000Z'"
#define PS_HDR_DOC "a1 4a" PS_HDR_DOC_MEMBERS
#define PS_CC "a2 31 a1 2f 30 2d 80 01 00 a2 28 a2 26 80 04 05 03 0a 02" \
	"a1 1e 80 1c" IPV4_UDP
#define PS_PDU_DOC "30 7f" PS_HDR_DOC PS_CC
#define PS_LIID "LIID-TEST-01"
/* ERSPAN type II (zeek erspanII.pcap), GRE header on: 34 bytes */
#define ERSPAN_II "10 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00" \
	"64 00 f1 e1 03 03 64 00 f1 e1 02 02 08 00 45 00 00 64"

static uint8_t x3[VEC_MAX], erspan[VEC_MAX], junk[VEC_MAX];
static uint32_t x3_len, erspan_len;
static uint8_t keepalive[VEC_MAX], ps_pdu[VEC_MAX];
static uint32_t keepalive_len, ps_pdu_len;
static const uint8_t marker[] = "..TWTEST..";
#define JUNK_BYTE 'J'

static struct tw_sig_db *db;
static struct rte_mempool *pool;
static unsigned int name_seq;

/* Hex digits (spaces ignored) and 'ASCII' runs to bytes (from test_li.c). */
static uint32_t
hex_decode(const char *s, uint8_t *out, uint32_t cap)
{
	uint32_t n = 0;
	int hi = -1, v;
	char c;

	while ((c = *s++) != '\0') {
		if (c == ' ')
			continue;
		if (c == '\'') {
			while (*s != '\'' && *s != '\0') {
				if (n == cap)
					abort();
				out[n++] = (uint8_t)*s++;
			}
			if (*s != '\'')
				abort();
			s++;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			abort();
		if (hi < 0) {
			hi = v;
		} else {
			if (n == cap)
				abort();
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* ------------------------------------------------------------------------ */
/* Frames and mbufs                                                          */
/* ------------------------------------------------------------------------ */

struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

static void
addr_parse(const char *text, uint8_t *l3, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (strchr(text, ':') != NULL) {
		*l3 = 6;
		ck_assert_int_eq(inet_pton(AF_INET6, text, addr), 1);
	} else {
		*l3 = 4;
		ck_assert_int_eq(inet_pton(AF_INET, text, addr), 1);
	}
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Ethernet + IPv4/IPv6 + TCP (20 bytes, ACK|PSH) or UDP, then the payload.
 * For GRE (47) the payload is the GRE header onwards.
 */
static void
frame_build(struct frame *f, uint8_t proto, const char *src, uint16_t sport, const char *dst,
		uint16_t dport, const uint8_t *pl, uint32_t plen)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	uint8_t sa[16], da[16], l3, l3d;
	uint32_t l4len, off;
	uint8_t *p = f->b;

	addr_parse(src, &l3, sa);
	addr_parse(dst, &l3d, da);
	ck_assert_uint_eq(l3, l3d);
	l4len = (proto == IPPROTO_TCP ? 20 : proto == IPPROTO_UDP ? 8 : 0) + plen;
	memset(f->b, 0, sizeof(f->b));
	memcpy(p, macs, sizeof(macs));
	put16(p + 12, l3 == 4 ? 0x0800 : 0x86dd);
	off = 14;
	if (l3 == 4) {
		ck_assert_uint_le(off + 20 + l4len, FRAME_MAX);
		p[off] = 0x45;
		put16(p + off + 2, (uint16_t)(20 + l4len));
		put16(p + off + 4, 0x1234);
		p[off + 8] = 64;
		p[off + 9] = proto;
		memcpy(p + off + 12, sa, 4);
		memcpy(p + off + 16, da, 4);
		put16(p + off + 10, rte_be_to_cpu_16(
				rte_ipv4_cksum((const struct rte_ipv4_hdr *)(p + off))));
		off += 20;
	} else {
		ck_assert_uint_le(off + 40 + l4len, FRAME_MAX);
		p[off] = 0x60;
		put16(p + off + 4, (uint16_t)l4len);
		p[off + 6] = proto;
		p[off + 7] = 64;
		memcpy(p + off + 8, sa, 16);
		memcpy(p + off + 24, da, 16);
		off += 40;
	}
	if (proto == IPPROTO_TCP) {
		put16(p + off, sport);
		put16(p + off + 2, dport);
		put16(p + off + 4, 0x0001);	/* seq */
		p[off + 12] = 0x50;		/* data offset 5 words */
		p[off + 13] = 0x18;		/* ACK|PSH */
		put16(p + off + 14, 65535);
		off += 20;
	} else if (proto == IPPROTO_UDP) {
		put16(p + off, sport);
		put16(p + off + 2, dport);
		put16(p + off + 4, (uint16_t)(8 + plen));
		off += 8;
	}
	if (plen > 0)
		memcpy(p + off, pl, plen);
	f->len = off + plen;
}

/* Copy frames into fresh mbufs, run one burst, free the mbufs. */
static uint16_t
burst(struct tw_pipeline *pl, const struct frame *fr, uint16_t n, const uint64_t *ts,
		uint64_t now_ns, uint8_t *drop)
{
	struct rte_mbuf *m[TW_BURST_MAX];
	uint8_t drop_local[TW_BURST_MAX];
	uint16_t i, ret;
	char *d;

	ck_assert_uint_le(n, TW_BURST_MAX);
	if (drop == NULL)
		drop = drop_local;
	for (i = 0; i < n; i++) {
		m[i] = rte_pktmbuf_alloc(pool);
		ck_assert_ptr_nonnull(m[i]);
		d = rte_pktmbuf_append(m[i], (uint16_t)fr[i].len);
		ck_assert_ptr_nonnull(d);
		memcpy(d, fr[i].b, fr[i].len);
	}
	/* every entry of drop[] must be written */
	memset(drop, 0xee, n);
	ret = tw_pipeline_burst(pl, m, n, ts, now_ns, drop);
	for (i = 0; i < n; i++)
		ck_assert_msg(drop[i] == 0 || drop[i] == 1, "drop[%u] = %u", i, drop[i]);
	rte_pktmbuf_free_bulk(m, n);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Pipeline environment                                                      */
/* ------------------------------------------------------------------------ */

struct env {
	struct tw_pipeline_params p;
	struct rte_ring *ring;
	struct tw_pipeline *pl;
	char ring_name[32];
	char flow_name[32];
};

static void
env_params(struct env *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->ring_name, sizeof(e->ring_name), "tpring%u", name_seq);
	snprintf(e->flow_name, sizeof(e->flow_name), "tpflow%u", name_seq);
	name_seq++;
	e->p.worker_id = WORKER;
	e->p.socket_id = SOCKET_ID_ANY;
	e->p.link = TW_PKT_LINK_ETH;
	e->p.db = db;
	e->p.mds = mds;
	e->p.nb_mds = MD_NB;
	e->p.block_families = 0;
	e->p.inspect_pkts = 8;
	e->p.inspect_bytes = 4096;
	e->p.flow.name = e->flow_name;
	e->p.flow.capacity = 64;
	e->p.flow.frag_capacity = 16;
	e->p.flow.idle_timeout_ns = TIMEOUT_NS;
	e->p.flow.socket_id = SOCKET_ID_ANY;
	e->p.flow.worker_id = FLOW_WORKER;
}

static void
env_start(struct env *e, unsigned int ring_size)
{
	e->ring = tw_alert_ring_create(e->ring_name, ring_size, SOCKET_ID_ANY);
	ck_assert_msg(e->ring != NULL, "ring: %s", rte_strerror(rte_errno));
	e->p.alert_ring = e->ring;
	e->pl = tw_pipeline_create(&e->p);
	ck_assert_msg(e->pl != NULL, "pipeline: %s", rte_strerror(rte_errno));
}

static void
env_init(struct env *e)
{
	env_params(e);
	env_start(e, 64);
}

static void
env_free(struct env *e)
{
	tw_pipeline_free(e->pl);
	rte_ring_free(e->ring);
}

static uint64_t
ctr(const struct env *e, enum tw_pipe_counter c)
{
	return tw_pipeline_stats(e->pl)->c[c];
}

static uint64_t
parsed(const struct env *e, enum tw_pkt_status st)
{
	return tw_pipeline_stats(e->pl)->parse[st];
}

static struct tw_flow_stats
flow_stats(const struct env *e)
{
	struct tw_flow_stats s;

	tw_pipeline_flow_stats(e->pl, &s);
	return s;
}

/* Pop everything the ring holds (up to max). */
static unsigned int
pop_all(struct env *e, struct tw_alert *a, unsigned int max)
{
	return tw_alert_ring_pop(e->ring, a, max);
}

static void
assert_addr(const uint8_t *got, const char *text)
{
	uint8_t want[16], l3;

	addr_parse(text, &l3, want);
	ck_assert_msg(memcmp(got, want, 16) == 0, "address is not %s", text);
}

/* What a test expects of one alert. */
struct want_alert {
	const char *src;
	uint16_t sport;
	const char *dst;
	uint16_t dport;
	uint8_t proto;
	uint8_t family;
	uint8_t authorized;
	const char *md_name;
	uint8_t severity;
	uint8_t action;
	uint32_t sig_id;
	uint32_t sig_rev;
	const char *sig_name;
	uint8_t kind;
	uint64_t ts_ns;
	uint8_t warrant;	/* enum tw_alert_warrant; UNCHECKED if left out */
};

static void
assert_alert(const struct tw_alert *a, const struct want_alert *w)
{
	uint8_t l3, addr[16];

	addr_parse(w->src, &l3, addr);
	assert_addr(a->src, w->src);
	assert_addr(a->dst, w->dst);
	ck_assert_uint_eq(a->l3, l3);
	ck_assert_uint_eq(a->sport, w->sport);
	ck_assert_uint_eq(a->dport, w->dport);
	ck_assert_uint_eq(a->proto, w->proto);
	ck_assert_uint_eq(a->family, w->family);
	ck_assert_uint_eq(a->authorized, w->authorized);
	ck_assert_str_eq(a->md_name, w->md_name);
	ck_assert_uint_eq(a->severity, w->severity);
	ck_assert_uint_eq(a->action, w->action);
	ck_assert_uint_eq(a->sig_id, w->sig_id);
	ck_assert_uint_eq(a->sig_rev, w->sig_rev);
	ck_assert_str_eq(a->sig_name, w->sig_name);
	ck_assert_uint_eq(a->detail.kind, w->kind);
	ck_assert_uint_eq(a->ts_ns, w->ts_ns);
	ck_assert_uint_eq(a->warrant, w->warrant);
	ck_assert_uint_eq(a->pad, 0);
	ck_assert_uint_eq(a->worker, WORKER);
	ck_assert_uint_eq(a->vlan, 0);
	ck_assert_uint_ne(a->flow_id, 0);
	ck_assert_uint_eq(a->flow_id >> 48, FLOW_WORKER);
	if (w->kind == TW_LI_KIND_X2X3) {
		ck_assert_mem_eq(a->detail.x2x3.xid, x3 + 16, 16);
		ck_assert_uint_eq(a->detail.x2x3.pdu_type, 2);
		ck_assert_uint_eq(a->detail.x2x3.header_len, 40);
	} else if (w->kind == TW_LI_KIND_ERSPAN) {
		ck_assert_uint_eq(a->detail.erspan.type, 2);
		ck_assert_uint_eq(a->detail.erspan.session_id, 100);
		ck_assert_uint_eq(a->detail.erspan.vlan, 23);
	}
}

/* ------------------------------------------------------------------------ */
/* create                                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_create_invalid)
{
	struct tw_pipeline_params p;
	struct env e;

	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(NULL));
	ck_assert_int_eq(rte_errno, EINVAL);
	tw_pipeline_free(NULL);

	env_params(&e);
	e.ring = tw_alert_ring_create(e.ring_name, 16, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(e.ring);
	e.p.alert_ring = e.ring;

	p = e.p;
	p.db = NULL;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p = e.p;
	p.alert_ring = NULL;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p = e.p;
	p.inspect_pkts = 0;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p = e.p;
	p.inspect_bytes = 0;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p = e.p;
	p.mds = NULL;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	/* the flow table's errors come through */
	p = e.p;
	p.flow.capacity = 1;
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	/* no inventory at all is fine */
	p = e.p;
	p.mds = NULL;
	p.nb_mds = 0;
	e.pl = tw_pipeline_create(&p);
	ck_assert_msg(e.pl != NULL, "%s", rte_strerror(rte_errno));

	/* a second pipeline with the same flow table name */
	rte_errno = 0;
	ck_assert_ptr_null(tw_pipeline_create(&p));
	ck_assert_int_eq(rte_errno, EEXIST);
	env_free(&e);
}
END_TEST

START_TEST(test_counter_names)
{
	unsigned int i, j;
	const char *n;

	for (i = 0; i < TW_PIPE_COUNTER_MAX; i++) {
		n = tw_pipe_counter_name(i);
		ck_assert_ptr_nonnull(n);
		ck_assert_str_ne(n, "unknown");
		ck_assert_uint_gt(strlen(n), 0);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(n, tw_pipe_counter_name(j));
	}
	ck_assert_str_eq(tw_pipe_counter_name(TW_PIPE_RX_PKTS), "rx_packets");
	ck_assert_str_eq(tw_pipe_counter_name(TW_PIPE_BLOCKED_PKTS), "blocked_packets");
	ck_assert_str_eq(tw_pipe_counter_name(TW_PIPE_NO_WARRANT), "no_warrant_alerts");
	ck_assert_str_eq(tw_pipe_counter_name(TW_PIPE_COUNTER_MAX), "unknown");
	ck_assert_str_eq(tw_pipe_counter_name(~0u), "unknown");
}
END_TEST

START_TEST(test_fresh_stats)
{
	const struct tw_pipeline_stats *st;
	struct tw_flow_stats fs;
	struct env e;
	unsigned int i;

	env_init(&e);
	st = tw_pipeline_stats(e.pl);
	for (i = 0; i < TW_PIPE_COUNTER_MAX; i++)
		ck_assert_uint_eq(st->c[i], 0);
	for (i = 0; i < TW_PKT_STATUS_MAX; i++)
		ck_assert_uint_eq(st->parse[i], 0);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.created + fs.active + fs.expired, 0);
	/* an empty burst is harmless */
	ck_assert_uint_eq(burst(e.pl, NULL, 0, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_RX_PKTS), 0);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* detect                                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_authorized_unauthorized)
{
	const struct want_alert auth = {
		NE, 40000, LEMF, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 1, "lemf-x2x3", 3,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	const struct want_alert unauth = {
		ROGUE_A, 40001, ROGUE_B, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	const struct want_alert marked = {
		ROGUE_A, 50000, ROGUE_B, 37008, IPPROTO_UDP, TW_FAMILY_TZSP, 0, "", 2,
		TW_ALERT_ALLOWED, SIG_TEST, 3, NAME_TEST, TW_LI_KIND_NONE, NOW_NS,
	};
	struct frame fr[6];
	struct tw_alert a[8];
	uint8_t drop[6];
	struct env e;
	uint16_t i;

	env_init(&e);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_A, 40001, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[2], IPPROTO_UDP, ROGUE_A, 50000, ROGUE_B, 37008, marker,
			sizeof(marker) - 1);
	ck_assert_uint_eq(burst(e.pl, fr, 3, NULL, NOW_NS, drop), 0);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(drop[i], 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 3);
	assert_alert(&a[0], &auth);
	assert_alert(&a[1], &unauth);
	assert_alert(&a[2], &marked);
	ck_assert_uint_ne(a[0].flow_id, a[1].flow_id);

	ck_assert_uint_eq(ctr(&e, TW_PIPE_RX_PKTS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_RX_BYTES), fr[0].len + fr[1].len + fr[2].len);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCAN_BYTES), 2 * x3_len + sizeof(marker) - 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_HITS), 3);
	ck_assert_uint_ge(ctr(&e, TW_PIPE_CANDIDATES), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS_UNAUTH), 2);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_BLOCKED_PKTS), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCAN_ERRORS), 0);
	ck_assert_uint_eq(parsed(&e, TW_PKT_OK), 3);
	ck_assert_uint_eq(flow_stats(&e).created, 3);

	/* later packets of the decided flows, both directions: nothing more */
	frame_build(&fr[3], IPPROTO_TCP, LEMF, 9000, NE, 40000, x3, x3_len);
	frame_build(&fr[4], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40001, x3, x3_len);
	frame_build(&fr[5], IPPROTO_UDP, ROGUE_B, 37008, ROGUE_A, 50000, marker,
			sizeof(marker) - 1);
	ck_assert_uint_eq(burst(e.pl, fr, 6, NULL, NOW_NS + 10, drop), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_HITS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 3);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_RX_PKTS), 9);
	ck_assert_uint_eq(flow_stats(&e).created, 3);
	env_free(&e);
}
END_TEST

/* An inventory entry for another family does not authorize X2/X3. */
START_TEST(test_wrong_family_unauthorized)
{
	const struct want_alert w = {
		COLL, 40000, ROGUE_B, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	struct frame fr[1];
	struct tw_alert a[2];
	struct env e;

	env_init(&e);
	frame_build(&fr[0], IPPROTO_TCP, COLL, 40000, ROGUE_B, 9000, x3, x3_len);
	burst(e.pl, fr, 1, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	assert_alert(&a[0], &w);
	env_free(&e);
}
END_TEST

START_TEST(test_ipv6)
{
	const struct want_alert auth = {
		V6_NE, 40000, V6_MD, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 1, "lemf-v6", 3,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	const struct want_alert unauth = {
		V6_NE, 40001, V6_ROGUE, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	struct frame fr[2];
	struct tw_alert a[4];
	struct env e;

	env_init(&e);
	frame_build(&fr[0], IPPROTO_TCP, V6_NE, 40000, V6_MD, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, V6_NE, 40001, V6_ROGUE, 9000, x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	assert_alert(&a[0], &auth);
	assert_alert(&a[1], &unauth);
	ck_assert_uint_eq(a[0].l3, 6);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS_UNAUTH), 1);
	env_free(&e);
}
END_TEST

/* Both directions of a flow in one burst: the alert is the hitting packet's. */
START_TEST(test_directions)
{
	const struct want_alert reply = {
		ROGUE_B, 9000, ROGUE_A, 40010, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	const struct want_alert first = {
		ROGUE_A, 40011, ROGUE_B, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	struct frame fr[5];
	struct tw_alert a[4];
	struct env e;

	env_init(&e);
	/* flow 1: initiator sends no payload; the responder's segment hits */
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 40010, ROGUE_B, 9000, NULL, 0);
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40010, x3, x3_len);
	frame_build(&fr[2], IPPROTO_TCP, ROGUE_A, 40010, ROGUE_B, 9000, x3, x3_len);
	/* flow 2: the initiator hits, the reply in the same burst does not alert again */
	frame_build(&fr[3], IPPROTO_TCP, ROGUE_A, 40011, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[4], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40011, x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 5, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	assert_alert(&a[0], &reply);
	assert_alert(&a[1], &first);
	ck_assert_uint_eq(flow_stats(&e).created, 2);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 2);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 2);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* inspection budget                                                         */
/* ------------------------------------------------------------------------ */

/*
 * One direction: two pure ACKs (not counted), n junk payloads, then X2/X3,
 * then three more X2/X3 segments. Returns the alerts raised.
 */
static unsigned int
run_late_li(struct env *e, const char *src, uint16_t sport, uint32_t nb_junk,
		uint32_t junk_len, uint64_t *scans)
{
	struct frame fr[TW_BURST_MAX];
	struct tw_alert a[4];
	uint16_t n = 0;
	uint32_t i;

	ck_assert_uint_le(nb_junk + 6, TW_BURST_MAX);
	frame_build(&fr[n++], IPPROTO_TCP, src, sport, ROGUE_B, 9000, NULL, 0);
	for (i = 0; i < nb_junk; i++) {
		frame_build(&fr[n++], IPPROTO_TCP, src, sport, ROGUE_B, 9000, junk, junk_len);
		if (i == 0)
			frame_build(&fr[n++], IPPROTO_TCP, src, sport, ROGUE_B, 9000, NULL, 0);
	}
	frame_build(&fr[n++], IPPROTO_TCP, src, sport, ROGUE_B, 9000, x3, x3_len);
	burst(e->pl, fr, n, NULL, NOW_NS, NULL);
	*scans = ctr(e, TW_PIPE_SCANS);
	/* more LI in the same flow later: scanned only within the budget */
	for (i = 0; i < 3; i++)
		frame_build(&fr[i], IPPROTO_TCP, src, sport, ROGUE_B, 9000, x3, x3_len);
	burst(e->pl, fr, 3, NULL, NOW_NS + 1, NULL);
	return pop_all(e, a, RTE_DIM(a));
}

START_TEST(test_budget_pkts)
{
	struct env e3, e4;
	uint64_t scans;

	/* inspect_pkts 3: X2/X3 in the 4th payload packet is not seen */
	env_params(&e3);
	e3.p.inspect_pkts = 3;
	env_start(&e3, 16);
	ck_assert_uint_eq(run_late_li(&e3, ROGUE_A, 40100, 3, 100, &scans), 0);
	ck_assert_uint_eq(scans, 3);
	ck_assert_uint_eq(ctr(&e3, TW_PIPE_SCANS), 3);
	ck_assert_uint_eq(ctr(&e3, TW_PIPE_LI_FLOWS), 0);
	ck_assert_uint_eq(ctr(&e3, TW_PIPE_ALERTS), 0);

	/* ... but it is in the 3rd */
	ck_assert_uint_eq(run_late_li(&e3, ROGUE_A, 40101, 2, 100, &scans), 1);
	ck_assert_uint_eq(scans, 3 + 3);
	ck_assert_uint_eq(ctr(&e3, TW_PIPE_SCANS), 6);

	/* inspect_pkts 4: the 4th payload packet is seen */
	env_params(&e4);
	e4.p.inspect_pkts = 4;
	env_start(&e4, 16);
	ck_assert_uint_eq(run_late_li(&e4, ROGUE_A, 40102, 3, 100, &scans), 1);
	ck_assert_uint_eq(scans, 4);
	ck_assert_uint_eq(ctr(&e4, TW_PIPE_SCANS), 4);
	env_free(&e3);
	env_free(&e4);
}
END_TEST

/* The budget is per direction: the responder's payloads do not use it up. */
START_TEST(test_budget_per_direction)
{
	struct frame fr[8];
	struct tw_alert a[2];
	struct env e;
	uint16_t n = 0, i;

	env_params(&e);
	e.p.inspect_pkts = 3;
	env_start(&e, 16);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40200, ROGUE_B, 9000, NULL, 0);
	for (i = 0; i < 3; i++)
		frame_build(&fr[n++], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40200, junk, 100);
	for (i = 0; i < 2; i++)
		frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40200, ROGUE_B, 9000, junk, 100);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40200, ROGUE_B, 9000, x3, x3_len);
	burst(e.pl, fr, n, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].sport, 40200);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 6);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_CLEAN_FLOWS), 0);
	env_free(&e);
}
END_TEST

/* Budget spent both ways without a hit: the flow is clean, for good. */
START_TEST(test_budget_clean)
{
	struct frame fr[8];
	struct tw_alert a[2];
	struct env e;
	uint16_t n = 0;

	env_params(&e);
	e.p.inspect_pkts = 2;
	env_start(&e, 16);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40300, ROGUE_B, 9000, junk, 100);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40300, junk, 100);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40300, ROGUE_B, 9000, junk, 100);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40300, junk, 100);
	burst(e.pl, fr, n, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 4);
	n = 0;
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40300, ROGUE_B, 9000, junk, 100);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_A, 40300, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[n++], IPPROTO_TCP, ROGUE_B, 9000, ROGUE_A, 40300, x3, x3_len);
	burst(e.pl, fr, n, NULL, NOW_NS + 1, NULL);
	burst(e.pl, fr, n, NULL, NOW_NS + 2, NULL);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 4);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_CLEAN_FLOWS), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 0);
	env_free(&e);
}
END_TEST

START_TEST(test_budget_bytes)
{
	struct env e100, e200, e64;
	struct tw_alert a[2];
	struct frame fr[1];
	uint64_t scans;

	/* 100 bytes: two 60-byte junk segments use it up */
	env_params(&e100);
	e100.p.inspect_pkts = 50;
	e100.p.inspect_bytes = 100;
	env_start(&e100, 16);
	ck_assert_uint_eq(run_late_li(&e100, ROGUE_A, 40400, 2, 60, &scans), 0);
	ck_assert_uint_eq(scans, 2);
	ck_assert_uint_eq(ctr(&e100, TW_PIPE_SCANS), 2);
	ck_assert_uint_eq(ctr(&e100, TW_PIPE_ALERTS), 0);

	/* 200 bytes: the X2/X3 segment after them is still inspected */
	env_params(&e200);
	e200.p.inspect_pkts = 50;
	e200.p.inspect_bytes = 200;
	env_start(&e200, 16);
	ck_assert_uint_eq(run_late_li(&e200, ROGUE_A, 40401, 2, 60, &scans), 1);
	ck_assert_uint_eq(scans, 3);

	/* 64 bytes: a 68-byte X2/X3 TCP segment is scanned in part, its header whole */
	env_params(&e64);
	e64.p.inspect_bytes = 64;
	env_start(&e64, 16);
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 40402, ROGUE_B, 9000, x3, x3_len);
	burst(e64.pl, fr, 1, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e64, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(ctr(&e64, TW_PIPE_SCAN_BYTES), 64);
	env_free(&e100);
	env_free(&e200);
	env_free(&e64);
}
END_TEST

/*
 * "scanned over its first inspect_pkts payload packets or inspect_bytes
 * payload bytes per direction" (tw_pipeline.c, stage_classify): a segment
 * that starts inside the byte budget is scanned only up to its end.
 */
START_TEST(test_budget_bytes_exact)
{
	struct frame fr[4];
	uint64_t scanned;
	struct env e;
	uint16_t i;

	env_params(&e);
	e.p.inspect_pkts = 50;
	e.p.inspect_bytes = 100;
	env_start(&e, 16);

	for (i = 0; i < 4; i++)
		frame_build(&fr[i], IPPROTO_TCP, ROGUE_A, 40500, ROGUE_B, 9000, junk, 60);
	burst(e.pl, fr, 4, NULL, NOW_NS, NULL);
	scanned = ctr(&e, TW_PIPE_SCAN_BYTES);
	/* free first: without fork a failed check would leak the pipeline */
	env_free(&e);
	ck_assert_msg(scanned <= 100,
			"scanned %" PRIu64 " bytes of one direction with inspect_bytes 100", scanned);
}
END_TEST

/*
 * Scan work per burst is bounded: 8 flows of 500-byte payloads with a
 * 1600-byte burst bound scan 4 payloads (the 4th crosses the bound), defer
 * the other 4 without charging their flows, and still forward all 8; the
 * next burst scans the deferred ones.
 */
START_TEST(test_budget_per_burst)
{
	struct frame fr[8];
	uint64_t scans, deferred, scans2;
	struct env e;
	uint16_t i, drops;

	env_params(&e);
	e.p.burst_scan_bytes = 1600;
	env_start(&e, 32);
	for (i = 0; i < 8; i++)
		frame_build(&fr[i], IPPROTO_TCP, ROGUE_A, (uint16_t)(41000 + i), ROGUE_B, 9000,
				junk, 500);
	drops = burst(e.pl, fr, 8, NULL, NOW_NS, NULL);
	scans = ctr(&e, TW_PIPE_SCANS);
	deferred = ctr(&e, TW_PIPE_SCAN_DEFERRED);
	burst(e.pl, fr + 4, 4, NULL, NOW_NS + 1000, NULL);
	scans2 = ctr(&e, TW_PIPE_SCANS);
	env_free(&e);
	ck_assert_uint_eq(drops, 0);
	ck_assert_uint_eq(scans, 4);
	ck_assert_uint_eq(deferred, 4);
	ck_assert_uint_eq(scans2, 8);
}
END_TEST

/*
 * A UDP datagram longer than the byte budget is scanned in part: the X2/X3
 * validator must not then take the part for the whole datagram (it wants
 * the PDUs of a whole datagram to end at its end, tw_li.c).
 */
START_TEST(test_budget_truncated_udp)
{
	struct env all, e64;
	struct tw_alert a[2];
	struct frame fr[1];
	unsigned int nb;
	uint64_t cand;

	frame_build(&fr[0], IPPROTO_UDP, ROGUE_A, 40600, ROGUE_B, 9000, x3, x3_len);
	/* control: the datagram is X2/X3 over UDP */
	env_init(&all);
	burst(all.pl, fr, 1, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&all, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].sig_id, SIG_X2X3_UDP);
	env_free(&all);

	/* its first 64 bytes hold the whole 40-byte PDU header */
	env_params(&e64);
	e64.p.inspect_bytes = 64;
	env_start(&e64, 16);
	burst(e64.pl, fr, 1, NULL, NOW_NS, NULL);
	nb = pop_all(&e64, a, RTE_DIM(a));
	cand = ctr(&e64, TW_PIPE_CANDIDATES);
	/* free first: without fork a failed check would leak the pipeline */
	env_free(&e64);
	ck_assert_msg(nb == 1, "X2/X3 UDP datagram of %u bytes missed with inspect_bytes 64 "
			"(candidates %" PRIu64 ")", x3_len, cand);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* block                                                                     */
/* ------------------------------------------------------------------------ */

#define ROGUE_GRE_A "192.0.2.10"
#define ROGUE_GRE_B "192.0.2.11"
#define GRE_PEER "192.0.2.99"

static void
block_frames(struct frame *fr)
{
	frame_build(&fr[0], IPPROTO_GRE, ROGUE_GRE_A, 0, ROGUE_GRE_B, 0, erspan, erspan_len);
	frame_build(&fr[1], IPPROTO_GRE, COLL, 0, GRE_PEER, 0, erspan, erspan_len);
	frame_build(&fr[2], IPPROTO_TCP, ROGUE_A, 40700, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[3], IPPROTO_UDP, ROGUE_A, 40701, ROGUE_B, 53, junk, 100);
}

START_TEST(test_block)
{
	const struct want_alert blocked = {
		ROGUE_GRE_A, 0, ROGUE_GRE_B, 0, IPPROTO_GRE, TW_FAMILY_ERSPAN, 0, "", 1,
		TW_ALERT_BLOCKED, SIG_ERSPAN_II, 1, "ERSPAN type II", TW_LI_KIND_ERSPAN, NOW_NS,
	};
	const struct want_alert allowed = {
		COLL, 0, GRE_PEER, 0, IPPROTO_GRE, TW_FAMILY_ERSPAN, 1, "erspan-collector", 3,
		TW_ALERT_ALLOWED, SIG_ERSPAN_II, 1, "ERSPAN type II", TW_LI_KIND_ERSPAN, NOW_NS,
	};
	const struct want_alert x2x3 = {
		ROGUE_A, 40700, ROGUE_B, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	};
	static const uint8_t want_drop2[] = { 1, 1, 0, 1, 0, 0 };
	uint8_t gre_plain[40];
	struct frame fr[6];
	struct tw_alert a[8];
	uint8_t drop[6];
	struct env e;
	unsigned int i;

	env_params(&e);
	e.p.block_families = UINT32_C(1) << TW_FAMILY_ERSPAN;
	env_start(&e, 16);
	block_frames(fr);
	ck_assert_uint_eq(burst(e.pl, fr, 4, NULL, NOW_NS, drop), 1);
	ck_assert_uint_eq(drop[0], 1);
	ck_assert_uint_eq(drop[1], 0);
	ck_assert_uint_eq(drop[2], 0);
	ck_assert_uint_eq(drop[3], 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_BLOCKED_PKTS), 1);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 3);
	assert_alert(&a[0], &blocked);
	assert_alert(&a[1], &allowed);
	assert_alert(&a[2], &x2x3);

	/* the verdict is cached: every later packet of the flow, either way */
	frame_build(&fr[0], IPPROTO_GRE, ROGUE_GRE_A, 0, ROGUE_GRE_B, 0, erspan, erspan_len);
	frame_build(&fr[1], IPPROTO_GRE, ROGUE_GRE_B, 0, ROGUE_GRE_A, 0, erspan, erspan_len);
	frame_build(&fr[2], IPPROTO_GRE, COLL, 0, GRE_PEER, 0, erspan, erspan_len);
	/* plain GRE (IPv4 inside) in the blocked flow: no ERSPAN, still dropped */
	memcpy(gre_plain, "\x00\x00\x08\x00", 4);
	memset(gre_plain + 4, JUNK_BYTE, sizeof(gre_plain) - 4);
	frame_build(&fr[3], IPPROTO_GRE, ROGUE_GRE_A, 0, ROGUE_GRE_B, 0, gre_plain,
			sizeof(gre_plain));
	frame_build(&fr[4], IPPROTO_TCP, ROGUE_A, 40700, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[5], IPPROTO_UDP, ROGUE_GRE_A, 1, ROGUE_GRE_B, 2, junk, 40);
	ck_assert_uint_eq(burst(e.pl, fr, 6, NULL, NOW_NS + 1, drop), 3);
	for (i = 0; i < RTE_DIM(want_drop2); i++)
		ck_assert_msg(drop[i] == want_drop2[i], "drop[%u] = %u", i, drop[i]);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_BLOCKED_PKTS), 4);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 3);
	env_free(&e);
}
END_TEST

START_TEST(test_block_off)
{
	struct frame fr[4];
	struct tw_alert a[8];
	uint8_t drop[4];
	struct env e;
	unsigned int i;

	env_init(&e);
	block_frames(fr);
	ck_assert_uint_eq(burst(e.pl, fr, 4, NULL, NOW_NS, drop), 0);
	ck_assert_uint_eq(burst(e.pl, fr, 4, NULL, NOW_NS + 1, drop), 0);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(drop[i], 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_BLOCKED_PKTS), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(a[i].action, TW_ALERT_ALLOWED);
	ck_assert_uint_eq(a[0].family, TW_FAMILY_ERSPAN);
	ck_assert_uint_eq(a[0].authorized, 0);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* malformed                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_malformed)
{
	struct frame fr[5];
	struct tw_alert a[2];
	uint8_t drop[5];
	struct env e;
	unsigned int i;

	env_params(&e);
	e.p.block_families = UINT32_MAX;
	env_start(&e, 16);
	/* truncated IPv4: 10 bytes of header */
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 40800, ROGUE_B, 9000, x3, x3_len);
	fr[0].len = 14 + 10;
	/* TCP data offset of 2 words, X2/X3 behind it */
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_A, 40801, ROGUE_B, 9000, x3, x3_len);
	fr[1].b[14 + 20 + 12] = 0x20;
	/* IP version 5 */
	frame_build(&fr[2], IPPROTO_TCP, ROGUE_A, 40802, ROGUE_B, 9000, x3, x3_len);
	fr[2].b[14] = 0x55;
	/* capture cut inside the TCP header */
	frame_build(&fr[3], IPPROTO_TCP, ROGUE_A, 40803, ROGUE_B, 9000, x3, x3_len);
	fr[3].len = 14 + 20 + 10;
	/* ARP */
	frame_build(&fr[4], IPPROTO_TCP, ROGUE_A, 40804, ROGUE_B, 9000, NULL, 0);
	fr[4].b[12] = 0x08;
	fr[4].b[13] = 0x06;

	ck_assert_uint_eq(burst(e.pl, fr, 5, NULL, NOW_NS, drop), 0);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(drop[i], 0);
	ck_assert_uint_eq(parsed(&e, TW_PKT_TRUNC_IPV4), 1);
	ck_assert_uint_eq(parsed(&e, TW_PKT_BAD_TCP_HDR), 1);
	ck_assert_uint_eq(parsed(&e, TW_PKT_BAD_IPV4_HDR), 1);
	ck_assert_uint_eq(parsed(&e, TW_PKT_TRUNC_TCP), 1);
	ck_assert_uint_eq(parsed(&e, TW_PKT_NOT_IP), 1);
	ck_assert_uint_eq(parsed(&e, TW_PKT_OK), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_RX_PKTS), 5);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_SCANS), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_FLOW), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_BLOCKED_PKTS), 0);
	ck_assert_uint_eq(flow_stats(&e).created, 0);
	ck_assert_uint_eq(flow_stats(&e).active, 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 0);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* alert ring                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_ring_full)
{
	struct frame fr[8];
	struct tw_alert a[8];
	struct env e;
	uint16_t i;

	env_params(&e);
	env_start(&e, 4);
	for (i = 0; i < 6; i++)
		frame_build(&fr[i], IPPROTO_TCP, ROGUE_A, (uint16_t)(41000 + i), ROGUE_B, 9000,
				x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 6, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 6);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 2);
	ck_assert_uint_eq(rte_ring_count(e.ring), 4);

	/* still full: two more flows, two more drops */
	for (i = 0; i < 2; i++)
		frame_build(&fr[i], IPPROTO_TCP, ROGUE_A, (uint16_t)(41006 + i), ROGUE_B, 9000,
				x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS + 1, NULL), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 8);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 4);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 8);
	ck_assert_uint_eq(rte_ring_count(e.ring), 4);

	/* the ring kept the first four */
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 4);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(a[i].sport, 41000 + i);

	/* drained: the next alert goes through */
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 41008, ROGUE_B, 9000, x3, x3_len);
	burst(e.pl, fr, 1, NULL, NOW_NS + 2, NULL);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 9);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 4);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].sport, 41008);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ageing and time                                                           */
/* ------------------------------------------------------------------------ */

START_TEST(test_idle_expire)
{
	struct tw_flow_stats fs;
	struct frame fr[3];
	struct tw_alert a[4];
	struct env e;

	env_init(&e);
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 42000, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_A, 42001, ROGUE_B, 9000, junk, 100);
	frame_build(&fr[2], IPPROTO_UDP, ROGUE_A, 42002, ROGUE_B, 53, junk, 100);
	burst(e.pl, fr, 3, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.created, 3);
	ck_assert_uint_eq(fs.active, 3);

	/* idle exactly the timeout: kept */
	tw_pipeline_idle(e.pl, NOW_NS + TIMEOUT_NS);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.expired, 0);
	ck_assert_uint_eq(fs.active, 3);

	/* beyond it: gone */
	tw_pipeline_idle(e.pl, NOW_NS + TIMEOUT_NS + 1);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.expired, 3);
	ck_assert_uint_eq(fs.active, 0);

	/* the verdict went with the flow: the same 5-tuple is a new flow, inspected again */
	burst(e.pl, fr, 1, NULL, NOW_NS + 2 * TIMEOUT_NS, NULL);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.created, 4);
	ck_assert_uint_eq(fs.active, 1);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 2);

	/* flush ends the rest */
	tw_pipeline_flush(e.pl);
	ck_assert_uint_eq(flow_stats(&e).active, 0);
	env_free(&e);
}
END_TEST

/* Packet times come from ts_ns[] when given, else every packet gets now_ns. */
START_TEST(test_timestamps)
{
	const uint64_t ts[2] = { 5000, 7000 };
	struct tw_flow_stats fs;
	struct frame fr[2];
	struct tw_alert a[4];
	struct env e;

	env_init(&e);
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 43000, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_A, 43001, ROGUE_B, 9000, x3, x3_len);
	burst(e.pl, fr, 2, ts, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	ck_assert_uint_eq(a[0].ts_ns, 5000);
	ck_assert_uint_eq(a[1].ts_ns, 7000);
	/* the flows were last seen at 5000 and 7000, not at now_ns */
	tw_pipeline_idle(e.pl, 7000 + TIMEOUT_NS);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.expired, 1);
	tw_pipeline_idle(e.pl, 7000 + TIMEOUT_NS + 1);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.expired, 2);
	ck_assert_uint_eq(fs.active, 0);

	/* without ts_ns: now_ns */
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 43002, ROGUE_B, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, ROGUE_A, 43003, ROGUE_B, 9000, x3, x3_len);
	burst(e.pl, fr, 2, NULL, NOW_NS, NULL);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	ck_assert_uint_eq(a[0].ts_ns, NOW_NS);
	ck_assert_uint_eq(a[1].ts_ns, NOW_NS);
	tw_pipeline_idle(e.pl, 7000 + TIMEOUT_NS + 1);
	ck_assert_uint_eq(flow_stats(&e).active, 2);
	tw_pipeline_idle(e.pl, NOW_NS + TIMEOUT_NS + 1);
	fs = flow_stats(&e);
	ck_assert_uint_eq(fs.active, 0);
	ck_assert_uint_eq(fs.expired, 4);
	env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* warrant reconciliation                                                    */
/* ------------------------------------------------------------------------ */

/* X_XID as bytes: the task of every X2/X3 vector here. */
static const uint8_t xid_x3[][16] = {
	{ 0x6f, 0x1c, 0x2f, 0x9a, 0x3e, 0x4b, 0x4c, 0x1d,
	  0x9a, 0x2b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b },
};
/* Some other task. */
static const uint8_t xid_other[][16] = {
	{ 0x2b, 0x4c, 0x0e, 0x6a, 0x9f, 0x1d, 0x4c, 0x3b,
	  0x8a, 0x7e, 0x5d, 0x2f, 0x1c, 0x0b, 0x9a, 0x88 },
};
static const struct tw_liid liid_doc[] = {
	{ .len = 5, .b = "LIID1" },
	{ .len = 12, .b = PS_LIID },
};
/* A prefix of the vector's LIID, and the LIID with one more byte. */
static const struct tw_liid liid_near[] = {
	{ .len = 11, .b = "LIID-TEST-0" },
	{ .len = 13, .b = "LIID-TEST-01X" },
};

#define NO_WARRANT_XID_NAME "LI task without warrant: X2/X3 XID not in authorized_tasks"
#define NO_WARRANT_LIID_NAME "LI task without warrant: LIID not in authorized_tasks"

static void
tasks_xids(struct tw_tasks *t, const uint8_t (*xids)[16], uint32_t n)
{
	memset(t, 0, sizeof(*t));
	t->has_xids = 1;
	t->xids = xids;
	t->nb_xids = n;
}

static void
tasks_liids(struct tw_tasks *t, const struct tw_liid *liids, uint32_t n)
{
	memset(t, 0, sizeof(*t));
	t->has_liids = 1;
	t->liids = liids;
	t->nb_liids = n;
}

static void
env_tasks(struct env *e, const struct tw_tasks *t)
{
	env_params(e);
	e->p.tasks = t;
	env_start(e, 128);
}

/* The authorized X2/X3 flow NE:40000 -> LEMF:9000, one X3 segment. */
static const struct want_alert x3_auth = {
	NE, 40000, LEMF, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 1, "lemf-x2x3", 3,
	TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
	TW_WARRANT_UNCHECKED,
};

/* The authorized HI flow NE:40000 -> HI_MD:6000, one PS-PDU segment. */
static const struct want_alert hi_auth = {
	NE, 40000, HI_MD, 6000, IPPROTO_TCP, TW_FAMILY_ETSI_HI, 1, "lemf-hi", 3,
	TW_ALERT_ALLOWED, SIG_PS_PDU, 1, NAME_PS_PDU, TW_LI_KIND_HI, NOW_NS,
	TW_WARRANT_UNCHECKED,
};

/* One burst of one frame; returns the alerts popped. */
static unsigned int
run_one(struct env *e, const struct frame *fr, struct tw_alert *a, unsigned int max)
{
	ck_assert_uint_eq(burst(e->pl, fr, 1, NULL, NOW_NS, NULL), 0);
	return pop_all(e, a, max);
}

/* The built-in alert that goes with @p normal: same flow and packet. */
static void
assert_no_warrant(const struct tw_alert *a, const struct tw_alert *normal, uint32_t sig_id)
{
	ck_assert_uint_eq(a->sig_id, sig_id);
	ck_assert_uint_eq(a->sig_rev, 1);
	ck_assert_uint_eq(a->severity, 1);
	ck_assert_uint_eq(a->warrant, TW_WARRANT_MISSING);
	ck_assert_str_eq(a->sig_name, sig_id == TW_SIG_ID_NO_WARRANT_XID ?
			NO_WARRANT_XID_NAME : NO_WARRANT_LIID_NAME);
	ck_assert_ptr_nonnull(strstr(a->sig_name, "without warrant"));
	ck_assert_uint_eq(a->flow_id, normal->flow_id);
	ck_assert_uint_eq(a->ts_ns, normal->ts_ns);
	ck_assert_mem_eq(a->src, normal->src, 16);
	ck_assert_mem_eq(a->dst, normal->dst, 16);
	ck_assert_uint_eq(a->sport, normal->sport);
	ck_assert_uint_eq(a->dport, normal->dport);
	ck_assert_uint_eq(a->proto, normal->proto);
	ck_assert_uint_eq(a->family, normal->family);
	ck_assert_uint_eq(a->authorized, 1);
	ck_assert_str_eq(a->md_name, normal->md_name);
	ck_assert_uint_eq(a->action, TW_ALERT_ALLOWED);
	ck_assert_uint_eq(a->worker, WORKER);
	ck_assert_uint_eq(a->pad, 0);
	ck_assert_mem_eq(&a->detail, &normal->detail, sizeof(a->detail));
}

START_TEST(test_warrant_xid_listed)
{
	struct want_alert w = x3_auth;
	struct tw_alert a[4];
	struct frame fr[1];
	struct tw_tasks t;
	struct env e;

	tasks_xids(&t, xid_x3, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	w.warrant = TW_WARRANT_LISTED;
	assert_alert(&a[0], &w);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 1);
	env_free(&e);
}
END_TEST

START_TEST(test_warrant_xid_missing)
{
	struct want_alert w = x3_auth;
	struct tw_alert a[4];
	struct frame fr[2];
	struct tw_tasks t;
	struct env e;

	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 2);
	/* the flow's own alert first, marked; then the built-in one */
	w.warrant = TW_WARRANT_MISSING;
	assert_alert(&a[0], &w);
	assert_no_warrant(&a[1], &a[0], TW_SIG_ID_NO_WARRANT_XID);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 2);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS_UNAUTH), 0);

	/* the decided flow, both ways: nothing more */
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, LEMF, 9000, NE, 40000, x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS + 1, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	env_free(&e);

	/* a configured empty list: no XID is listed */
	tasks_xids(&t, NULL, 0);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 2);
	assert_alert(&a[0], &w);
	assert_no_warrant(&a[1], &a[0], TW_SIG_ID_NO_WARRANT_XID);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	env_free(&e);
}
END_TEST

/* Unauthorized endpoints are alerted on as such; their task is not checked. */
START_TEST(test_warrant_unauthorized)
{
	const struct want_alert w = {
		ROGUE_A, 40001, ROGUE_B, 9000, IPPROTO_TCP, TW_FAMILY_ETSI_X2X3, 0, "", 1,
		TW_ALERT_ALLOWED, SIG_X2X3_TCP, 1, NAME_X2X3_TCP, TW_LI_KIND_X2X3, NOW_NS,
		TW_WARRANT_UNCHECKED,
	};
	struct tw_alert a[4];
	struct frame fr[1];
	struct tw_tasks t;
	struct env e;

	/* XID not listed */
	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 40001, ROGUE_B, 9000, x3, x3_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	assert_alert(&a[0], &w);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_LI_FLOWS_UNAUTH), 1);
	env_free(&e);

	/* XID listed: still unchecked */
	tasks_xids(&t, xid_x3, 1);
	env_tasks(&e, &t);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	assert_alert(&a[0], &w);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);

	/* a mediation device for another family: unauthorized, unchecked */
	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40002, HI_MD, 9000, x3, x3_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].authorized, 0);
	ck_assert_uint_eq(a[0].warrant, TW_WARRANT_UNCHECKED);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);
}
END_TEST

/* No task list (tasks NULL): authorized flows are not checked. */
START_TEST(test_warrant_no_tasks)
{
	struct tw_alert a[4];
	struct frame fr[2];
	struct tw_tasks t;
	struct env e;

	env_tasks(&e, NULL);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, NE, 40000, HI_MD, 6000, ps_pdu, ps_pdu_len);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	assert_alert(&a[0], &x3_auth);
	assert_alert(&a[1], &hi_auth);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);

	/* a tw_tasks with neither list configured is the same */
	memset(&t, 0, sizeof(t));
	env_tasks(&e, &t);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	assert_alert(&a[0], &x3_auth);
	assert_alert(&a[1], &hi_auth);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);
}
END_TEST

/* Keepalives carry no task (all-zero XID): not checked, even against an empty list. */
START_TEST(test_warrant_keepalive)
{
	struct tw_alert a[4];
	struct frame fr[3];
	struct tw_tasks t;
	struct env e;

	tasks_xids(&t, NULL, 0);
	env_tasks(&e, &t);
	/* both ways */
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, keepalive, keepalive_len);
	frame_build(&fr[1], IPPROTO_TCP, LEMF, 9000, NE, 40000, keepalive, keepalive_len);
	frame_build(&fr[2], IPPROTO_TCP, NE, 40000, LEMF, 9000, keepalive, keepalive_len);
	ck_assert_uint_eq(burst(e.pl, fr, 3, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].sig_id, SIG_X2X3_KEEPALIVE);
	ck_assert_uint_eq(a[0].authorized, 1);
	ck_assert_str_eq(a[0].md_name, "lemf-x2x3");
	ck_assert_uint_eq(a[0].detail.kind, TW_LI_KIND_X2X3);
	ck_assert_uint_eq(a[0].detail.x2x3.pdu_type, 3);
	ck_assert_uint_eq(a[0].warrant, TW_WARRANT_UNCHECKED);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 1);
	env_free(&e);
}
END_TEST

/*
 * A keepalive first hides the task that follows in the same connection:
 * the flow is decided on the keepalive (warrant UNCHECKED, tw_pipeline.c
 * check_warrant) and never scanned again, so the X3 PDUs of an unlisted
 * task raise nothing.
 */
START_TEST(test_warrant_keepalive_then_task)
{
	struct tw_alert a[8];
	struct frame fr[1];
	struct tw_tasks t;
	unsigned int n, i, nb_missing = 0;
	uint64_t no_warrant;
	struct env e;

	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, keepalive, keepalive_len);
	n = run_one(&e, fr, a, RTE_DIM(a));
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 1, NULL, NOW_NS + 1, NULL), 0);
	n += pop_all(&e, a + n, RTE_DIM(a) - n);
	for (i = 0; i < n; i++)
		nb_missing += a[i].sig_id == TW_SIG_ID_NO_WARRANT_XID;
	no_warrant = ctr(&e, TW_PIPE_NO_WARRANT);
	env_free(&e);
	ck_assert_msg(nb_missing == 1 && no_warrant == 1,
			"keepalive, then X3 of an unlisted task: %u no-warrant alerts, counter %"
			PRIu64 ", want 1 and 1", nb_missing, no_warrant);
}
END_TEST

/* The same within one segment: keepalive, X3 (the validator reports the first PDU). */
START_TEST(test_warrant_keepalive_then_task_one_segment)
{
	uint8_t pl[2 * VEC_MAX];
	struct tw_alert a[8];
	struct frame fr[1];
	struct tw_tasks t;
	unsigned int n, i, nb_missing = 0;
	struct env e;

	memcpy(pl, keepalive, keepalive_len);
	memcpy(pl + keepalive_len, x3, x3_len);
	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, pl, keepalive_len + x3_len);
	n = run_one(&e, fr, a, RTE_DIM(a));
	for (i = 0; i < n; i++)
		nb_missing += a[i].sig_id == TW_SIG_ID_NO_WARRANT_XID;
	env_free(&e);
	ck_assert_msg(nb_missing == 1, "keepalive + X3 of an unlisted task in one segment: "
			"%u alerts, %u of them no-warrant, want 1", n, nb_missing);
}
END_TEST

START_TEST(test_warrant_liid)
{
	struct want_alert w = hi_auth;
	struct tw_alert a[4];
	struct frame fr[1];
	struct tw_tasks t;
	struct env e;

	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, HI_MD, 6000, ps_pdu, ps_pdu_len);

	/* listed (second of two) */
	tasks_liids(&t, liid_doc, RTE_DIM(liid_doc));
	env_tasks(&e, &t);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	w.warrant = TW_WARRANT_LISTED;
	assert_alert(&a[0], &w);
	ck_assert_uint_eq(a[0].detail.hi.liid_len, sizeof(PS_LIID) - 1);
	ck_assert_mem_eq(a[0].detail.hi.liid, PS_LIID, sizeof(PS_LIID) - 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);

	/* not listed: only a prefix, and a longer LIID starting with it */
	tasks_liids(&t, liid_near, RTE_DIM(liid_near));
	env_tasks(&e, &t);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 2);
	w.warrant = TW_WARRANT_MISSING;
	assert_alert(&a[0], &w);
	assert_no_warrant(&a[1], &a[0], TW_SIG_ID_NO_WARRANT_LIID);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 2);
	env_free(&e);

	/* unauthorized HI endpoints: unchecked */
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, ROGUE_A, 40000, ROGUE_B, 6000, ps_pdu, ps_pdu_len);
	ck_assert_uint_eq(run_one(&e, fr, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(a[0].sig_id, SIG_PS_PDU);
	ck_assert_uint_eq(a[0].authorized, 0);
	ck_assert_uint_eq(a[0].severity, 1);
	ck_assert_uint_eq(a[0].warrant, TW_WARRANT_UNCHECKED);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);
}
END_TEST

/*
 * One X2/X3 connection carries the PDUs of every task between an NE and its
 * MF (TS 103 221-2: the XID is per PDU). A listed task first hides an
 * unlisted one later in the same connection: the flow is decided on its
 * first hit and never scanned again.
 */
START_TEST(test_warrant_second_task)
{
	uint8_t x3_other[VEC_MAX];
	struct tw_alert a[8];
	struct frame fr[1];
	struct tw_tasks t;
	unsigned int n, i, nb_missing = 0;
	uint64_t no_warrant;
	struct env e;

	memcpy(x3_other, x3, x3_len);
	memcpy(x3_other + 16, xid_other[0], 16);
	tasks_xids(&t, xid_x3, 1);
	env_tasks(&e, &t);
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	n = run_one(&e, fr, a, RTE_DIM(a));
	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3_other, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, 1, NULL, NOW_NS + 1, NULL), 0);
	n += pop_all(&e, a + n, RTE_DIM(a) - n);
	for (i = 0; i < n; i++)
		nb_missing += a[i].sig_id == TW_SIG_ID_NO_WARRANT_XID;
	no_warrant = ctr(&e, TW_PIPE_NO_WARRANT);
	env_free(&e);
	ck_assert_msg(nb_missing == 1 && no_warrant == 1,
			"listed task, then an unlisted one in the same connection: %u no-warrant "
			"alerts, counter %" PRIu64 ", want 1 and 1", nb_missing, no_warrant);
}
END_TEST

/* Each list checks its own kind of flow; the other kind stays unchecked. */
START_TEST(test_warrant_one_list_only)
{
	const struct tw_tasks both = {
		.has_xids = 1, .xids = xid_x3, .nb_xids = 1,
		.has_liids = 1, .liids = liid_doc, .nb_liids = RTE_DIM(liid_doc),
	};
	struct want_alert wx = x3_auth, wh = hi_auth;
	struct tw_alert a[8];
	struct frame fr[2];
	struct tw_tasks t;
	struct env e;

	frame_build(&fr[0], IPPROTO_TCP, NE, 40000, LEMF, 9000, x3, x3_len);
	frame_build(&fr[1], IPPROTO_TCP, NE, 40000, HI_MD, 6000, ps_pdu, ps_pdu_len);

	/* XIDs only (an empty list): X2/X3 missing, HI unchecked */
	tasks_xids(&t, NULL, 0);
	env_tasks(&e, &t);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 3);
	wx.warrant = TW_WARRANT_MISSING;
	assert_alert(&a[0], &wx);
	assert_no_warrant(&a[1], &a[0], TW_SIG_ID_NO_WARRANT_XID);
	wh.warrant = TW_WARRANT_UNCHECKED;
	assert_alert(&a[2], &wh);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	env_free(&e);

	/* LIIDs only (an empty list): HI missing, X2/X3 unchecked */
	tasks_liids(&t, NULL, 0);
	env_tasks(&e, &t);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 3);
	wx.warrant = TW_WARRANT_UNCHECKED;
	assert_alert(&a[0], &wx);
	wh.warrant = TW_WARRANT_MISSING;
	assert_alert(&a[1], &wh);
	assert_no_warrant(&a[2], &a[1], TW_SIG_ID_NO_WARRANT_LIID);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 1);
	env_free(&e);

	/* both lists, both listed */
	env_tasks(&e, &both);
	ck_assert_uint_eq(burst(e.pl, fr, 2, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2);
	wx.warrant = TW_WARRANT_LISTED;
	assert_alert(&a[0], &wx);
	wh.warrant = TW_WARRANT_LISTED;
	assert_alert(&a[1], &wh);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), 0);
	env_free(&e);
}
END_TEST

/* A full burst of unlisted tasks: two alerts per packet, none dropped. */
START_TEST(test_warrant_full_burst)
{
	struct tw_alert a[2 * TW_BURST_MAX + 1];
	struct frame fr[TW_BURST_MAX];
	struct tw_tasks t;
	struct env e;
	uint16_t i;

	tasks_xids(&t, xid_other, 1);
	env_tasks(&e, &t);
	for (i = 0; i < TW_BURST_MAX; i++)
		frame_build(&fr[i], IPPROTO_TCP, NE, (uint16_t)(44000 + i), LEMF, 9000, x3, x3_len);
	ck_assert_uint_eq(burst(e.pl, fr, TW_BURST_MAX, NULL, NOW_NS, NULL), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS), 2 * TW_BURST_MAX);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_ALERTS_DROPPED), 0);
	ck_assert_uint_eq(ctr(&e, TW_PIPE_NO_WARRANT), TW_BURST_MAX);
	ck_assert_uint_eq(pop_all(&e, a, RTE_DIM(a)), 2 * TW_BURST_MAX);
	for (i = 0; i < TW_BURST_MAX; i++) {
		ck_assert_uint_eq(a[2 * i].sig_id, SIG_X2X3_TCP);
		ck_assert_uint_eq(a[2 * i].sport, 44000 + i);
		ck_assert_uint_eq(a[2 * i].warrant, TW_WARRANT_MISSING);
		assert_no_warrant(&a[2 * i + 1], &a[2 * i], TW_SIG_ID_NO_WARRANT_XID);
	}
	env_free(&e);
}
END_TEST

static Suite *
pipeline_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc;

	tc = tcase_create("create");
	tcase_add_test(tc, test_create_invalid);
	tcase_add_test(tc, test_counter_names);
	tcase_add_test(tc, test_fresh_stats);
	suite_add_tcase(s, tc);

	tc = tcase_create("detect");
	tcase_add_test(tc, test_authorized_unauthorized);
	tcase_add_test(tc, test_wrong_family_unauthorized);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_directions);
	suite_add_tcase(s, tc);

	tc = tcase_create("budget");
	tcase_add_test(tc, test_budget_pkts);
	tcase_add_test(tc, test_budget_per_direction);
	tcase_add_test(tc, test_budget_clean);
	tcase_add_test(tc, test_budget_bytes);
	tcase_add_test(tc, test_budget_bytes_exact);
	tcase_add_test(tc, test_budget_truncated_udp);
	tcase_add_test(tc, test_budget_per_burst);
	suite_add_tcase(s, tc);

	tc = tcase_create("block");
	tcase_add_test(tc, test_block);
	tcase_add_test(tc, test_block_off);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("ring");
	tcase_add_test(tc, test_ring_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("warrant");
	tcase_add_test(tc, test_warrant_xid_listed);
	tcase_add_test(tc, test_warrant_xid_missing);
	tcase_add_test(tc, test_warrant_unauthorized);
	tcase_add_test(tc, test_warrant_no_tasks);
	tcase_add_test(tc, test_warrant_keepalive);
	tcase_add_test(tc, test_warrant_liid);
	tcase_add_test(tc, test_warrant_one_list_only);
	tcase_add_test(tc, test_warrant_full_burst);
	suite_add_tcase(s, tc);

	/* Tasks that reconciliation misses today (decided on the first hit). */
	tc = tcase_create("warrant-gaps");
	tcase_add_test(tc, test_warrant_keepalive_then_task);
	tcase_add_test(tc, test_warrant_keepalive_then_task_one_segment);
	tcase_add_test(tc, test_warrant_second_task);
	suite_add_tcase(s, tc);

	tc = tcase_create("ageing");
	tcase_add_test(tc, test_idle_expire);
	tcase_add_test(tc, test_timestamps);
	suite_add_tcase(s, tc);

	return s;
}

int
main(int argc, char **argv)
{
	struct tw_error err;
	SRunner *sr;
	int nb_failed;

	RTE_SET_USED(argc);
	/* EAL first: its threads do not survive fork(), so the suite runs without. */
	tw_test_eal_init(argv[0]);

	db = tw_sig_db_parse(rules, sizeof(rules) - 1, "<pipeline rules>", &err);
	if (db == NULL) {
		fprintf(stderr, "rules line %u: %s\n", err.line, err.msg);
		return EXIT_FAILURE;
	}
	pool = rte_pktmbuf_pool_create("tp_pool", 127, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "mempool: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	x3_len = hex_decode(X_X3, x3, sizeof(x3));
	keepalive_len = hex_decode(X_KEEPALIVE, keepalive, sizeof(keepalive));
	ps_pdu_len = hex_decode(PS_PDU_DOC, ps_pdu, sizeof(ps_pdu));
	erspan_len = hex_decode(ERSPAN_II, erspan, sizeof(erspan));
	memset(junk, JUNK_BYTE, sizeof(junk));

	sr = srunner_create(pipeline_suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rte_mempool_free(pool);
	tw_sig_db_free(db);
	rte_eal_cleanup();
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
