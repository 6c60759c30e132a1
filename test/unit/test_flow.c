/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_fixture.h"
#include "tw_flow.h"

/* Must match FLOW_EVICT_SAMPLE in tw_flow.c: the victim is the oldest of this many. */
#define EVICT_SAMPLE 8
#define TIMEOUT_NS 1000u
#define MAX_LOG 4096

/* Records every on_end call. */
struct end_log {
	uint32_t nb;
	uint32_t by_reason[3];
	uint64_t flow_id[MAX_LOG];
	uint8_t reason[MAX_LOG];
};

static unsigned int name_seq;

static void
log_end(void *arg, const struct tw_flow *f, enum tw_flow_end_reason reason)
{
	struct end_log *log = arg;

	ck_assert_uint_lt(reason, RTE_DIM(log->by_reason));
	log->by_reason[reason]++;
	if (log->nb < MAX_LOG) {
		log->flow_id[log->nb] = f->flow_id;
		log->reason[log->nb] = (uint8_t)reason;
	}
	log->nb++;
}

static int
log_has(const struct end_log *log, uint64_t flow_id, enum tw_flow_end_reason reason)
{
	uint32_t i;

	for (i = 0; i < RTE_MIN(log->nb, (uint32_t)MAX_LOG); i++)
		if (log->flow_id[i] == flow_id && log->reason[i] == reason)
			return 1;
	return 0;
}

static void
params_init(struct tw_flow_table_params *p, char *name, size_t name_len, uint32_t capacity)
{
	snprintf(name, name_len, "tflow%u", name_seq++);
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->capacity = capacity;
	p->frag_capacity = 64;
	p->idle_timeout_ns = TIMEOUT_NS;
	p->socket_id = SOCKET_ID_ANY;
	p->worker_id = 3;
}

static struct tw_flow_table *
table_new(uint32_t capacity, uint32_t frag_capacity, tw_flow_end_cb cb, void *arg)
{
	struct tw_flow_table_params p;
	struct tw_flow_table *ft;
	char name[32];

	params_init(&p, name, sizeof(name), capacity);
	p.frag_capacity = frag_capacity;
	p.on_end = cb;
	p.on_end_arg = arg;
	ft = tw_flow_table_create(&p);
	ck_assert_msg(ft != NULL, "create %s: %s", name, rte_strerror(rte_errno));
	return ft;
}

static void
meta_v4(struct tw_pkt_meta *m, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		uint8_t proto, uint64_t ts_ns)
{
	memset(m, 0, sizeof(*m));
	m->status = TW_PKT_OK;
	m->l3 = 4;
	m->proto = proto;
	m->sport = sport;
	m->dport = dport;
	m->src[0] = src >> 24;
	m->src[1] = src >> 16;
	m->src[2] = src >> 8;
	m->src[3] = src;
	m->dst[0] = dst >> 24;
	m->dst[1] = dst >> 16;
	m->dst[2] = dst >> 8;
	m->dst[3] = dst;
	m->wire_len = 100;
	m->ts_ns = ts_ns;
}

/* 2001:db8::<host> */
static void
meta_v6(struct tw_pkt_meta *m, uint16_t src, uint16_t sport, uint16_t dst, uint16_t dport,
		uint8_t proto, uint64_t ts_ns)
{
	memset(m, 0, sizeof(*m));
	m->status = TW_PKT_OK;
	m->l3 = 6;
	m->proto = proto;
	m->sport = sport;
	m->dport = dport;
	m->src[0] = 0x20;
	m->src[1] = 0x01;
	m->src[2] = 0x0d;
	m->src[3] = 0xb8;
	memcpy(m->dst, m->src, 4);
	m->src[14] = src >> 8;
	m->src[15] = src;
	m->dst[14] = dst >> 8;
	m->dst[15] = dst;
	m->wire_len = 200;
	m->ts_ns = ts_ns;
}

static void
meta_reverse(struct tw_pkt_meta *m)
{
	uint8_t a[16];
	uint16_t port;

	memcpy(a, m->src, 16);
	memcpy(m->src, m->dst, 16);
	memcpy(m->dst, a, 16);
	port = m->sport;
	m->sport = m->dport;
	m->dport = port;
}

static struct tw_flow *
lookup_one(struct tw_flow_table *ft, struct tw_pkt_meta *m, uint8_t *dir)
{
	struct tw_flow *f;
	uint8_t d;

	tw_flow_lookup_burst(ft, m, 1, &f, &d);
	if (dir != NULL)
		*dir = d;
	return f;
}

static void
key_assert_matches(const struct tw_flow *f, const struct tw_pkt_meta *m)
{
	struct tw_flow_key k;

	tw_flow_key_from_meta(m, &k);
	ck_assert_mem_eq(&f->key, &k, sizeof(k));
}

/* ---- create ---- */

START_TEST(test_create_null)
{
	struct tw_flow_table_params p;
	char name[32];

	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(NULL));
	ck_assert_int_eq(rte_errno, EINVAL);

	params_init(&p, name, sizeof(name), 64);
	p.name = NULL;
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);
}
END_TEST

START_TEST(test_create_capacity)
{
	struct tw_flow_table_params p;
	struct tw_flow_table *ft;
	char name[32];

	params_init(&p, name, sizeof(name), 7);
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p.capacity = 8;
	p.frag_capacity = 7;
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p.frag_capacity = 8;
	ft = tw_flow_table_create(&p);
	ck_assert_ptr_nonnull(ft);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_create_name)
{
	char longest[TW_FLOW_NAME_MAX + 1];
	char too_long[TW_FLOW_NAME_MAX + 2];
	struct tw_flow_table_params p;
	struct tw_flow_table *ft;
	char name[32];

	params_init(&p, name, sizeof(name), 64);
	memset(too_long, 'n', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	p.name = too_long;
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	p.name = "";
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EINVAL);

	memset(longest, 'l', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	p.name = longest;
	ft = tw_flow_table_create(&p);
	ck_assert_msg(ft != NULL, "longest name: %s", rte_strerror(rte_errno));
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_create_duplicate)
{
	struct tw_flow_table_params p;
	struct tw_flow_table *a, *b, *c;
	char name[32];

	params_init(&p, name, sizeof(name), 64);
	p.name = "dup";
	a = tw_flow_table_create(&p);
	ck_assert_ptr_nonnull(a);
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EEXIST);
	/* Clashes with a's fragment table. */
	p.name = "dup_f";
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EEXIST);
	tw_flow_table_free(a);

	/* Fails after its flow hash exists: the half-built table is freed. */
	p.name = "half_f";
	b = tw_flow_table_create(&p);
	ck_assert_ptr_nonnull(b);
	p.name = "half";
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, EEXIST);
	tw_flow_table_free(b);
	c = tw_flow_table_create(&p);
	ck_assert_msg(c != NULL, "name reused after a failed create: %s",
			rte_strerror(rte_errno));
	tw_flow_table_free(c);

	/* The name is free again after free. */
	p.name = "dup";
	a = tw_flow_table_create(&p);
	ck_assert_ptr_nonnull(a);
	tw_flow_table_free(a);
}
END_TEST

START_TEST(test_create_nomem)
{
	struct tw_flow_table_params p;
	char name[32];

	/* The fixture gives EAL 256 MB; 64M flows need gigabytes. */
	params_init(&p, name, sizeof(name), UINT32_C(1) << 26);
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, ENOMEM);

	params_init(&p, name, sizeof(name), 64);
	p.frag_capacity = UINT32_C(1) << 26;
	rte_errno = 0;
	ck_assert_ptr_null(tw_flow_table_create(&p));
	ck_assert_int_eq(rte_errno, ENOMEM);
}
END_TEST

START_TEST(test_null_table)
{
	struct tw_pkt_meta m[2];
	struct tw_flow *flows[2] = { (void *)1, (void *)1 };
	struct tw_flow_stats s;
	uint8_t dirs[2] = { 9, 9 };

	tw_flow_table_free(NULL);
	tw_flow_flush(NULL);
	ck_assert_uint_eq(tw_flow_age(NULL, 0, 100), 0);
	memset(&s, 0xff, sizeof(s));
	tw_flow_stats_get(NULL, &s);
	ck_assert_uint_eq(s.created, 0);
	ck_assert_uint_eq(s.active, 0);
	meta_v4(&m[0], 1, 1, 2, 2, 6, 0);
	meta_v4(&m[1], 1, 1, 2, 2, 6, 0);
	tw_flow_lookup_burst(NULL, m, 2, flows, dirs);
	ck_assert_ptr_null(flows[0]);
	ck_assert_ptr_null(flows[1]);
	ck_assert_uint_eq(dirs[0], 0);
}
END_TEST

/* ---- key ---- */

START_TEST(test_key_symmetric_v4)
{
	struct tw_flow_key k1, k2;
	struct tw_pkt_meta m;

	meta_v4(&m, 0x0a000001, 40000, 0x0a000002, 443, 6, 0);
	memset(&k1, 0xa5, sizeof(k1));
	memset(&k2, 0x5a, sizeof(k2));
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k1), 1);
	meta_reverse(&m);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k2), 0);
	ck_assert_mem_eq(&k1, &k2, sizeof(k1));
	ck_assert_uint_eq(k1.pad[0], 0);
	ck_assert_uint_eq(k1.pad[1], 0);
	ck_assert_uint_eq(k1.port_lo, 40000);
	ck_assert_uint_eq(k1.port_hi, 443);
	ck_assert_uint_eq(k1.addr_lo[3], 1);
	ck_assert_uint_eq(k1.addr_hi[3], 2);
	ck_assert_uint_eq(k1.addr_lo[4], 0);
	ck_assert_uint_eq(k1.l3, 4);
	ck_assert_uint_eq(k1.proto, 6);

	/* The address decides before the port; bytes compare as memcmp does. */
	meta_v4(&m, 0x0b000000, 1, 0x0a0000ff, 2, 17, 0);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k1), 0);
	ck_assert_uint_eq(k1.addr_lo[0], 0x0a);
	ck_assert_uint_eq(k1.port_lo, 2);

	/* Same address: the port decides. */
	meta_v4(&m, 0x0a000001, 5000, 0x0a000001, 53, 17, 0);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k1), 0);
	ck_assert_uint_eq(k1.port_lo, 53);
	meta_reverse(&m);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k2), 1);
	ck_assert_mem_eq(&k1, &k2, sizeof(k1));

	/* Identical endpoints: src counts as lo both ways. */
	meta_v4(&m, 0x0a000001, 7, 0x0a000001, 7, 17, 0);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k1), 1);
}
END_TEST

START_TEST(test_key_symmetric_v6)
{
	struct tw_flow_key k1, k2;
	struct tw_pkt_meta m;

	/* Differ only in the last byte: the whole 16 bytes are compared. */
	meta_v6(&m, 0x0102, 1000, 0x0101, 2000, 17, 0);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k1), 0);
	meta_reverse(&m);
	ck_assert_int_eq(tw_flow_key_from_meta(&m, &k2), 1);
	ck_assert_mem_eq(&k1, &k2, sizeof(k1));
	ck_assert_uint_eq(k1.addr_lo[15], 0x01);
	ck_assert_uint_eq(k1.port_lo, 2000);
	ck_assert_uint_eq(k1.l3, 6);
}
END_TEST

START_TEST(test_key_distinct)
{
	struct tw_flow_key k4, k6, ku;
	struct tw_pkt_meta m;

	/* An IPv6 address whose first 4 bytes equal the IPv4 one. */
	meta_v4(&m, 0x20010db8, 1, 0x20010db8, 2, 6, 0);
	tw_flow_key_from_meta(&m, &k4);
	m.l3 = 6;
	tw_flow_key_from_meta(&m, &k6);
	ck_assert_mem_ne(&k4, &k6, sizeof(k4));

	meta_v4(&m, 0x20010db8, 1, 0x20010db8, 2, 17, 0);
	tw_flow_key_from_meta(&m, &ku);
	ck_assert_mem_ne(&k4, &ku, sizeof(k4));
}
END_TEST

/* ---- lookup ---- */

START_TEST(test_lookup_burst)
{
	struct tw_flow *flows[TW_BURST_MAX];
	struct tw_pkt_meta m[7];
	uint8_t dirs[TW_BURST_MAX];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	struct tw_flow *a, *c;

	ft = table_new(1024, 64, NULL, NULL);
	meta_v4(&m[0], 0x0a000001, 1111, 0x0a000002, 80, 6, 1000);	/* A -> B */
	m[1] = m[0];
	meta_reverse(&m[1]);						/* B -> A */
	m[1].ts_ns = 1010;
	m[1].wire_len = 1500;
	m[2] = m[0];
	m[2].ts_ns = 1020;
	meta_v6(&m[3], 5, 5353, 6, 53, 17, 1030);			/* C -> D */
	m[4] = m[3];
	m[4].ts_ns = 1040;
	m[5] = m[0];
	m[5].status = TW_PKT_TRUNC_TCP;
	m[6] = m[0];
	m[6].status = TW_PKT_NOT_IP;

	memset(flows, 0xff, sizeof(flows));
	tw_flow_lookup_burst(ft, m, RTE_DIM(m), flows, dirs);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, 2);
	ck_assert_uint_eq(s.active, 2);
	ck_assert_uint_eq(s.insert_failed, 0);

	a = flows[0];
	c = flows[3];
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_ne(a, c);
	ck_assert_ptr_eq(flows[1], a);
	ck_assert_ptr_eq(flows[2], a);
	ck_assert_ptr_eq(flows[4], c);
	ck_assert_ptr_null(flows[5]);
	ck_assert_ptr_null(flows[6]);
	ck_assert_uint_eq(dirs[0], 0);
	ck_assert_uint_eq(dirs[1], 1);
	ck_assert_uint_eq(dirs[2], 0);
	ck_assert_uint_eq(dirs[3], 0);
	ck_assert_uint_eq(dirs[4], 0);

	ck_assert_uint_eq(a->pkts[0], 2);
	ck_assert_uint_eq(a->pkts[1], 1);
	ck_assert_uint_eq(a->bytes[0], 200);
	ck_assert_uint_eq(a->bytes[1], 1500);
	ck_assert_uint_eq(a->first_ns, 1000);
	ck_assert_uint_eq(a->last_ns, 1020);
	ck_assert_uint_eq(a->init_lo, 1);
	ck_assert_uint_eq(a->state, TW_FLOW_INSPECTING);
	ck_assert_int_eq(a->md_idx, -1);
	ck_assert_uint_eq(a->flow_id >> 48, 3);
	ck_assert_uint_ne(a->flow_id & 0xffffffffffffULL, 0);
	ck_assert_uint_ne(a->flow_id, c->flow_id);
	key_assert_matches(a, &m[1]);
	key_assert_matches(c, &m[3]);
	ck_assert_uint_eq(c->pkts[0], 2);
	ck_assert_uint_eq(c->pkts[1], 0);
	ck_assert_uint_eq(c->bytes[0], 400);
	ck_assert_uint_eq(c->last_ns, 1040);

	/* Next burst: hits, no creation; an older timestamp never moves last_ns back. */
	m[0].ts_ns = 900;
	m[3].ts_ns = 5000;
	tw_flow_lookup_burst(ft, m, 5, flows, dirs);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, 2);
	ck_assert_ptr_eq(flows[0], a);
	ck_assert_ptr_eq(flows[3], c);
	ck_assert_uint_eq(a->pkts[0], 4);
	ck_assert_uint_eq(a->pkts[1], 2);
	ck_assert_uint_eq(a->last_ns, 1020);
	ck_assert_uint_eq(a->first_ns, 1000);
	ck_assert_uint_eq(c->last_ns, 5000);

	/* Empty burst. */
	tw_flow_lookup_burst(ft, m, 0, flows, dirs);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_lookup_initiator_hi)
{
	const uint8_t *src, *dst;
	uint16_t sport, dport;
	struct tw_pkt_meta m;
	struct tw_flow_table *ft;
	struct tw_flow *f;
	uint8_t dir;

	ft = table_new(64, 64, NULL, NULL);
	/* The initiator is the key's hi endpoint. */
	meta_v4(&m, 0xc0a80002, 50000, 0xc0a80001, 22, 6, 10);
	f = lookup_one(ft, &m, &dir);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(dir, 0);
	ck_assert_uint_eq(f->init_lo, 0);
	tw_flow_endpoints(f, &src, &sport, &dst, &dport);
	ck_assert_mem_eq(src, m.src, 16);
	ck_assert_mem_eq(dst, m.dst, 16);
	ck_assert_uint_eq(sport, 50000);
	ck_assert_uint_eq(dport, 22);

	meta_reverse(&m);
	ck_assert_ptr_eq(lookup_one(ft, &m, &dir), f);
	ck_assert_uint_eq(dir, 1);
	ck_assert_uint_eq(f->pkts[0], 1);
	ck_assert_uint_eq(f->pkts[1], 1);

	/* Initiator is lo. */
	meta_v4(&m, 0xc0a80001, 50000, 0xc0a80002, 22, 6, 10);
	f = lookup_one(ft, &m, &dir);
	ck_assert_uint_eq(f->init_lo, 1);
	tw_flow_endpoints(f, &src, &sport, &dst, &dport);
	ck_assert_mem_eq(src, m.src, 16);
	ck_assert_uint_eq(sport, 50000);
	ck_assert_uint_eq(dport, 22);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_lookup_full_burst)
{
	struct tw_flow *flows[TW_BURST_MAX];
	struct tw_pkt_meta m[TW_BURST_MAX];
	uint8_t dirs[TW_BURST_MAX];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t i;

	ft = table_new(256, 64, NULL, NULL);
	/* 16 flows, each seen in both directions within one burst. */
	for (i = 0; i < TW_BURST_MAX; i++) {
		meta_v4(&m[i], 0x0a000000 + i / 2, 1000, 0x0b000000, 80, 6, i);
		if (i % 2)
			meta_reverse(&m[i]);
	}
	tw_flow_lookup_burst(ft, m, TW_BURST_MAX, flows, dirs);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, TW_BURST_MAX / 2);
	for (i = 0; i < TW_BURST_MAX; i += 2) {
		ck_assert_ptr_nonnull(flows[i]);
		ck_assert_ptr_eq(flows[i], flows[i + 1]);
		ck_assert_uint_eq(dirs[i], 0);
		ck_assert_uint_eq(dirs[i + 1], 1);
		key_assert_matches(flows[i], &m[i]);
		if (i > 0)
			ck_assert_ptr_ne(flows[i], flows[i - 2]);
	}
	tw_flow_table_free(ft);
}
END_TEST

/* ---- ageing ---- */

START_TEST(test_age_budget)
{
	static struct end_log log;
	uint64_t ids[300];
	struct tw_pkt_meta m;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	struct tw_flow *f;
	uint32_t i, n, calls, total;

	memset(&log, 0, sizeof(log));
	ft = table_new(1024, 64, log_end, &log);
	for (i = 0; i < RTE_DIM(ids); i++) {
		meta_v4(&m, 0x0a000000 + i, 1000, 0x0b000001, 80, 6, 10000 + i);
		f = lookup_one(ft, &m, NULL);
		ck_assert_ptr_nonnull(f);
		ids[i] = f->flow_id;
	}
	/* Keep flow 0 alive. */
	meta_v4(&m, 0x0a000000, 1000, 0x0b000001, 80, 6, 20000);
	f = lookup_one(ft, &m, NULL);
	ck_assert_uint_eq(f->flow_id, ids[0]);

	/* Idle for less than the timeout: a full sweep expires nothing. */
	ck_assert_uint_eq(tw_flow_age(ft, 10000 + TIMEOUT_NS, 1u << 20), 0);
	/* A clock behind last_ns expires nothing either. */
	ck_assert_uint_eq(tw_flow_age(ft, 0, 1u << 20), 0);
	ck_assert_uint_eq(log.nb, 0);

	/* Bounded slices: one call looks at 64 entries of a 1024-entry table. */
	n = tw_flow_age(ft, 20000 + TIMEOUT_NS, 64);
	ck_assert_uint_le(n, 64);
	ck_assert_uint_lt(n, RTE_DIM(ids) - 1);
	total = n;
	for (calls = 1; total < RTE_DIM(ids) - 1 && calls < 100; calls++)
		total += tw_flow_age(ft, 20000 + TIMEOUT_NS, 64);
	ck_assert_uint_eq(total, RTE_DIM(ids) - 1);
	ck_assert_uint_ge(calls, (RTE_DIM(ids) - 1 + 63) / 64);
	ck_assert_uint_le(calls, 1024 / 64 + 1);

	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.expired, RTE_DIM(ids) - 1);
	ck_assert_uint_eq(s.active, 1);
	ck_assert_uint_eq(log.nb, RTE_DIM(ids) - 1);
	ck_assert_uint_eq(log.by_reason[TW_FLOW_END_TIMEOUT], RTE_DIM(ids) - 1);
	ck_assert(!log_has(&log, ids[0], TW_FLOW_END_TIMEOUT));
	for (i = 1; i < RTE_DIM(ids); i++)
		ck_assert_msg(log_has(&log, ids[i], TW_FLOW_END_TIMEOUT), "flow %u", i);

	/* An expired flow comes back as a new one. */
	meta_v4(&m, 0x0a000005, 1000, 0x0b000001, 80, 6, 30000);
	f = lookup_one(ft, &m, NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_ne(f->flow_id, ids[5]);
	ck_assert_uint_eq(f->pkts[0], 1);
	ck_assert_uint_eq(f->first_ns, 30000);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, RTE_DIM(ids) + 1);
	ck_assert_uint_eq(s.active, 2);

	/* Flow 0 expires once it too is idle. */
	total = 0;
	for (calls = 0; calls < 100; calls++)
		total += tw_flow_age(ft, 20000 + TIMEOUT_NS + 1, 64);
	ck_assert_uint_eq(total, 1);
	ck_assert(log_has(&log, ids[0], TW_FLOW_END_TIMEOUT));
	tw_flow_table_free(ft);
}
END_TEST

/* ---- eviction ---- */

/* Mirror of the live flows, to check each victim against the others. */
struct evict_check {
	struct tw_flow_table *ft;
	uint32_t nb_live;
	uint64_t id[128];
	uint64_t last_ns[128];
	uint32_t nb_evicted;
	uint32_t min_newer;
};

static void
evict_check_end(void *arg, const struct tw_flow *f, enum tw_flow_end_reason reason)
{
	struct evict_check *ec = arg;
	uint32_t i, newer = 0, found = UINT32_MAX;

	ck_assert_int_eq(reason, TW_FLOW_END_EVICTED);
	for (i = 0; i < ec->nb_live; i++) {
		if (ec->id[i] == f->flow_id)
			found = i;
		else if (ec->last_ns[i] > f->last_ns)
			newer++;
	}
	if (found == UINT32_MAX) {
		ck_abort_msg("evicted flow %" PRIx64 " is not live", f->flow_id);
		return;
	}
	ck_assert_uint_eq(ec->last_ns[found], f->last_ns);
	ec->min_newer = RTE_MIN(ec->min_newer, newer);
	ec->nb_live--;
	ec->id[found] = ec->id[ec->nb_live];
	ec->last_ns[found] = ec->last_ns[ec->nb_live];
	ec->nb_evicted++;
}

static void
evict_check_touch(struct evict_check *ec, const struct tw_flow *f)
{
	uint32_t i;

	for (i = 0; i < ec->nb_live; i++) {
		if (ec->id[i] == f->flow_id) {
			ec->last_ns[i] = f->last_ns;
			return;
		}
	}
	ck_assert_uint_lt(ec->nb_live, RTE_DIM(ec->id));
	ec->id[ec->nb_live] = f->flow_id;
	ec->last_ns[ec->nb_live] = f->last_ns;
	ec->nb_live++;
}

START_TEST(test_evict_fill)
{
	static struct end_log log;
	struct tw_flow *flows[TW_BURST_MAX];
	struct tw_pkt_meta m[TW_BURST_MAX];
	uint8_t dirs[TW_BURST_MAX];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t b, i, j, flow = 0;
	const uint32_t cap = 64, nb_flows = 10 * 64;

	memset(&log, 0, sizeof(log));
	ft = table_new(cap, 64, log_end, &log);
	for (b = 0; b < nb_flows / TW_BURST_MAX; b++) {
		for (i = 0; i < TW_BURST_MAX; i++, flow++)
			meta_v4(&m[i], 0x0a000000 + flow, 4000, 0x0b000001, 443, 6, flow);
		tw_flow_lookup_burst(ft, m, TW_BURST_MAX, flows, dirs);
		for (i = 0; i < TW_BURST_MAX; i++) {
			ck_assert_msg(flows[i] != NULL, "burst %u pkt %u", b, i);
			key_assert_matches(flows[i], &m[i]);
			ck_assert_uint_eq(flows[i]->pkts[0], 1);
			/* No flow of this burst was evicted and reused within it. */
			for (j = 0; j < i; j++)
				ck_assert_ptr_ne(flows[i], flows[j]);
		}
		tw_flow_stats_get(ft, &s);
		ck_assert_uint_le(s.active, cap);
	}
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, nb_flows);
	ck_assert_uint_eq(s.insert_failed, 0);
	ck_assert_uint_eq(s.active, cap);
	ck_assert_uint_eq(s.evicted, nb_flows - cap);
	ck_assert_uint_eq(log.by_reason[TW_FLOW_END_EVICTED], nb_flows - cap);
	ck_assert_uint_eq(log.nb, nb_flows - cap);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_evict_oldest)
{
	static struct evict_check ec;
	struct tw_pkt_meta m;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	struct tw_flow *f, *hot;
	uint64_t hot_id, ts = 1;
	uint32_t i;

	memset(&ec, 0, sizeof(ec));
	ec.min_newer = UINT32_MAX;
	ft = table_new(64, 64, evict_check_end, &ec);
	meta_v4(&m, 0x0c000000, 1, 0x0b000001, 443, 6, ts++);
	hot = lookup_one(ft, &m, NULL);
	hot_id = hot->flow_id;
	evict_check_touch(&ec, hot);
	for (i = 0; i < 640; i++) {
		meta_v4(&m, 0x0a000000 + i, 4000, 0x0b000001, 443, 6, ts++);
		f = lookup_one(ft, &m, NULL);
		ck_assert_ptr_nonnull(f);
		evict_check_touch(&ec, f);
		/* A flow in use is never the oldest of a sample of a full table. */
		meta_v4(&m, 0x0c000000, 1, 0x0b000001, 443, 6, ts++);
		ck_assert_ptr_eq(lookup_one(ft, &m, NULL), hot);
		ck_assert_uint_eq(hot->flow_id, hot_id);
		evict_check_touch(&ec, hot);
	}
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(ec.nb_evicted, 641 - 64);
	ck_assert_uint_eq(s.evicted, 641 - 64);
	ck_assert_uint_eq(s.active, 64);
	/* Each victim was the oldest of its sample: at least that many were newer. */
	ck_assert_uint_ge(ec.min_newer, EVICT_SAMPLE - 1);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_evict_all_held)
{
	struct tw_flow *flows[TW_BURST_MAX];
	struct tw_pkt_meta m[TW_BURST_MAX];
	uint8_t dirs[TW_BURST_MAX];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t i, nb_ok = 0;

	/* 32 new flows into 8 slots: the burst cannot evict its own flows. */
	ft = table_new(8, 8, NULL, NULL);
	for (i = 0; i < TW_BURST_MAX; i++)
		meta_v4(&m[i], 0x0a000000 + i, 4000, 0x0b000001, 443, 6, i);
	tw_flow_lookup_burst(ft, m, TW_BURST_MAX, flows, dirs);
	for (i = 0; i < TW_BURST_MAX; i++) {
		if (flows[i] == NULL)
			continue;
		nb_ok++;
		key_assert_matches(flows[i], &m[i]);
	}
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(nb_ok, 8);
	ck_assert_uint_eq(s.created, 8);
	ck_assert_uint_eq(s.evicted, 0);
	ck_assert_uint_eq(s.insert_failed, TW_BURST_MAX - 8);

	/*
	 * 16 other new flows: the first 8 evict the previous burst's flows, the
	 * rest find only flows of their own burst.
	 */
	for (i = 0; i < TW_BURST_MAX; i++)
		m[i].ts_ns += 100;
	tw_flow_lookup_burst(ft, m + 8, 16, flows, dirs);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.active, 8);
	ck_assert_uint_eq(s.evicted, 8);
	ck_assert_uint_eq(s.insert_failed, TW_BURST_MAX - 8 + 8);
	for (i = 0; i < 8; i++) {
		ck_assert_ptr_nonnull(flows[i]);
		key_assert_matches(flows[i], &m[8 + i]);
		ck_assert_ptr_null(flows[8 + i]);
	}
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_evict_oversized_burst)
{
	struct tw_flow *flows[2 * TW_BURST_MAX];
	struct tw_pkt_meta m[2 * TW_BURST_MAX];
	uint8_t dirs[2 * TW_BURST_MAX];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t i, nb_ok = 0;

	/*
	 * Beyond the contract (n > TW_BURST_MAX), handled in chunks: the second
	 * chunk must not evict flows the first one handed out.
	 */
	ft = table_new(8, 8, NULL, NULL);
	for (i = 0; i < RTE_DIM(m); i++)
		meta_v4(&m[i], 0x0a000000 + i, 4000, 0x0b000001, 443, 6, i);
	tw_flow_lookup_burst(ft, m, RTE_DIM(m), flows, dirs);
	for (i = 0; i < RTE_DIM(m); i++) {
		if (flows[i] == NULL)
			continue;
		nb_ok++;
		key_assert_matches(flows[i], &m[i]);
	}
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(nb_ok, 8);
	ck_assert_uint_eq(s.evicted, 0);
	ck_assert_uint_eq(s.insert_failed, RTE_DIM(m) - 8);
	tw_flow_table_free(ft);
}
END_TEST

/* ---- fragments ---- */

static void
frag_pair(struct tw_pkt_meta *first, struct tw_pkt_meta *later, uint32_t id)
{
	first->flags = TW_PKT_F_FRAG;
	first->frag_id = id;
	*later = *first;
	later->flags = TW_PKT_F_FRAG_LATER;
	later->sport = 0;
	later->dport = 0;
	later->ts_ns = first->ts_ns + 1;
}

START_TEST(test_frag_v4)
{
	struct tw_pkt_meta first, later, unmatched;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	struct tw_flow *f;
	uint8_t dir;

	ft = table_new(64, 16, NULL, NULL);
	meta_v4(&first, 0x0a000002, 5060, 0x0a000001, 5060, 17, 100);
	frag_pair(&first, &later, 0x1234);
	f = lookup_one(ft, &first, NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_eq(lookup_one(ft, &later, &dir), f);
	ck_assert_uint_eq(dir, 0);
	ck_assert_uint_eq(later.sport, 5060);
	ck_assert_uint_eq(later.dport, 5060);
	ck_assert_uint_eq(f->pkts[0], 2);
	ck_assert_uint_eq(f->last_ns, 101);

	/* Other id, other protocol, other direction: no mapping. */
	unmatched = later;
	unmatched.sport = 0;
	unmatched.dport = 0;
	unmatched.frag_id = 0x1235;
	ck_assert_ptr_null(lookup_one(ft, &unmatched, NULL));
	unmatched.frag_id = 0x1234;
	unmatched.proto = 6;
	ck_assert_ptr_null(lookup_one(ft, &unmatched, NULL));
	unmatched.proto = 17;
	meta_reverse(&unmatched);
	ck_assert_ptr_null(lookup_one(ft, &unmatched, NULL));

	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.frag_unmatched, 3);
	ck_assert_uint_eq(s.created, 1);
	ck_assert_uint_eq(s.insert_failed, 0);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_frag_v6_same_burst)
{
	struct tw_flow *flows[4];
	struct tw_pkt_meta m[4];
	uint8_t dirs[4];
	struct tw_flow_stats s;
	struct tw_flow_table *ft;

	ft = table_new(64, 16, NULL, NULL);
	/* Later fragment first: unmatched. Then first, later, and the reply. */
	meta_v6(&m[1], 9, 4500, 1, 4500, 17, 100);
	frag_pair(&m[1], &m[2], 0xdeadbeef);
	m[0] = m[2];
	meta_v6(&m[3], 1, 4500, 9, 4500, 17, 200);
	tw_flow_lookup_burst(ft, m, 4, flows, dirs);
	ck_assert_ptr_null(flows[0]);
	ck_assert_ptr_nonnull(flows[1]);
	ck_assert_ptr_eq(flows[2], flows[1]);
	ck_assert_ptr_eq(flows[3], flows[1]);
	ck_assert_uint_eq(dirs[2], 0);
	ck_assert_uint_eq(dirs[3], 1);
	ck_assert_uint_eq(flows[1]->pkts[0], 2);
	ck_assert_uint_eq(flows[1]->bytes[0], 400);
	ck_assert_uint_eq(m[2].sport, 4500);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.frag_unmatched, 1);
	ck_assert_uint_eq(s.created, 1);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_frag_table_full)
{
	struct tw_pkt_meta first, later;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t i, nb_matched = 0;

	/* 40 datagrams through 8 fragment mappings. */
	ft = table_new(64, 8, NULL, NULL);
	for (i = 0; i < 40; i++) {
		meta_v4(&first, 0x0a000001, 2152, 0x0a000002, 2152, 17, 100 + i);
		frag_pair(&first, &later, i);
		ck_assert_ptr_nonnull(lookup_one(ft, &first, NULL));
		/* The newest mapping always survives. */
		ck_assert_ptr_nonnull(lookup_one(ft, &later, NULL));
	}
	for (i = 0; i < 40; i++) {
		meta_v4(&first, 0x0a000001, 2152, 0x0a000002, 2152, 17, 1000);
		frag_pair(&first, &later, i);
		if (lookup_one(ft, &later, NULL) != NULL)
			nb_matched++;
	}
	ck_assert_uint_eq(nb_matched, 8);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.frag_unmatched, 32);
	ck_assert_uint_eq(s.created, 1);
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_frag_age)
{
	struct tw_pkt_meta first, later, later2;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;

	ft = table_new(64, 16, NULL, NULL);
	meta_v4(&first, 0x0a000001, 1, 0x0a000002, 2, 17, 100);
	frag_pair(&first, &later, 7);
	later2 = later;
	ck_assert_ptr_nonnull(lookup_one(ft, &first, NULL));
	/* Fragment mappings (16 + 1 positions) age in slices too. */
	tw_flow_age(ft, 100 + TIMEOUT_NS, 1000);
	ck_assert_ptr_nonnull(lookup_one(ft, &later, NULL));
	tw_flow_age(ft, 101 + TIMEOUT_NS + 1, 1000);
	ck_assert_ptr_null(lookup_one(ft, &later2, NULL));
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.frag_unmatched, 1);
	ck_assert_uint_eq(s.expired, 1);

	/* Later fragments keep the mapping alive past its first fragment's age. */
	meta_v4(&first, 0x0a000001, 1, 0x0a000002, 2, 17, 10000);
	frag_pair(&first, &later, 8);
	later.ts_ns = 10000 + TIMEOUT_NS;
	later2 = later;
	ck_assert_ptr_nonnull(lookup_one(ft, &first, NULL));
	ck_assert_ptr_nonnull(lookup_one(ft, &later, NULL));
	tw_flow_age(ft, 10000 + TIMEOUT_NS + 500, 1000);
	ck_assert_ptr_nonnull(lookup_one(ft, &later2, NULL));
	tw_flow_table_free(ft);
}
END_TEST

START_TEST(test_frag_recycle)
{
	struct tw_pkt_meta first, later;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	uint32_t round, i;
	uint64_t ts = 100;

	/* Expired mappings free their slots for new ones, round after round. */
	ft = table_new(64, 8, NULL, NULL);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 8; i++) {
			meta_v4(&first, 0x0a000001, 1, 0x0a000002, 2, 17, ts);
			frag_pair(&first, &later, round * 8 + i);
			ck_assert_ptr_nonnull(lookup_one(ft, &first, NULL));
		}
		for (i = 0; i < 8; i++) {
			meta_v4(&first, 0x0a000001, 1, 0x0a000002, 2, 17, ts);
			frag_pair(&first, &later, round * 8 + i);
			ck_assert_msg(lookup_one(ft, &later, NULL) != NULL, "round %u id %u",
					round, i);
		}
		ts += 10 * TIMEOUT_NS;
		tw_flow_age(ft, ts, 1000);
	}
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.frag_unmatched, 0);
	ck_assert_uint_eq(s.created, 5);
	ck_assert_uint_eq(s.expired, 5);
	tw_flow_table_free(ft);
}
END_TEST

/* ---- flush ---- */

START_TEST(test_flush)
{
	static struct end_log log;
	struct tw_pkt_meta first, later;
	uint64_t ids[100];
	struct tw_pkt_meta m;
	struct tw_flow_stats s;
	struct tw_flow_table *ft;
	struct tw_flow *f;
	uint32_t i;

	memset(&log, 0, sizeof(log));
	ft = table_new(128, 16, log_end, &log);
	for (i = 0; i < RTE_DIM(ids); i++) {
		meta_v6(&m, i + 1, 1000, 0xffff, 80, 6, 10);
		f = lookup_one(ft, &m, NULL);
		ck_assert_ptr_nonnull(f);
		ids[i] = f->flow_id;
	}
	meta_v4(&first, 0x0a000001, 1, 0x0a000002, 2, 17, 100);
	frag_pair(&first, &later, 7);
	ck_assert_ptr_nonnull(lookup_one(ft, &first, NULL));

	tw_flow_flush(ft);
	ck_assert_uint_eq(log.nb, RTE_DIM(ids) + 1);
	ck_assert_uint_eq(log.by_reason[TW_FLOW_END_SHUTDOWN], RTE_DIM(ids) + 1);
	for (i = 0; i < RTE_DIM(ids); i++)
		ck_assert(log_has(&log, ids[i], TW_FLOW_END_SHUTDOWN));
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.active, 0);
	ck_assert_uint_eq(s.created, RTE_DIM(ids) + 1);

	/* Empty: nothing to age or flush, the mapping is gone, flows come back new. */
	ck_assert_uint_eq(tw_flow_age(ft, UINT64_MAX, 1u << 20), 0);
	tw_flow_flush(ft);
	ck_assert_uint_eq(log.nb, RTE_DIM(ids) + 1);
	ck_assert_ptr_null(lookup_one(ft, &later, NULL));
	meta_v6(&m, 1, 1000, 0xffff, 80, 6, 20);
	f = lookup_one(ft, &m, NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->pkts[0], 1);
	for (i = 0; i < RTE_DIM(ids); i++)
		ck_assert_uint_ne(f->flow_id, ids[i]);
	tw_flow_stats_get(ft, &s);
	ck_assert_uint_eq(s.created, RTE_DIM(ids) + 2);
	ck_assert_uint_eq(s.active, 1);
	ck_assert_uint_eq(s.frag_unmatched, 1);
	tw_flow_table_free(ft);
}
END_TEST

static Suite *
flow_suite(void)
{
	Suite *s = suite_create("flow");
	TCase *tc;

	tc = tcase_create("create");
	tcase_add_test(tc, test_create_null);
	tcase_add_test(tc, test_create_capacity);
	tcase_add_test(tc, test_create_name);
	tcase_add_test(tc, test_create_duplicate);
	tcase_add_test(tc, test_create_nomem);
	tcase_add_test(tc, test_null_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("key");
	tcase_add_test(tc, test_key_symmetric_v4);
	tcase_add_test(tc, test_key_symmetric_v6);
	tcase_add_test(tc, test_key_distinct);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_test(tc, test_lookup_burst);
	tcase_add_test(tc, test_lookup_initiator_hi);
	tcase_add_test(tc, test_lookup_full_burst);
	suite_add_tcase(s, tc);

	tc = tcase_create("ageing");
	tcase_add_test(tc, test_age_budget);
	suite_add_tcase(s, tc);

	tc = tcase_create("eviction");
	tcase_add_test(tc, test_evict_fill);
	tcase_add_test(tc, test_evict_oldest);
	tcase_add_test(tc, test_evict_all_held);
	tcase_add_test(tc, test_evict_oversized_burst);
	suite_add_tcase(s, tc);

	tc = tcase_create("fragments");
	tcase_add_test(tc, test_frag_v4);
	tcase_add_test(tc, test_frag_v6_same_burst);
	tcase_add_test(tc, test_frag_table_full);
	tcase_add_test(tc, test_frag_age);
	tcase_add_test(tc, test_frag_recycle);
	suite_add_tcase(s, tc);

	tc = tcase_create("flush");
	tcase_add_test(tc, test_flush);
	suite_add_tcase(s, tc);

	return s;
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int nb_failed;

	RTE_SET_USED(argc);
	/* EAL first: its threads do not survive fork(), so the suite runs without. */
	tw_test_eal_init(argv[0]);
	sr = srunner_create(flow_suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rte_eal_cleanup();
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
