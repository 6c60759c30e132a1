/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_ring_core.h>

#include "tw_flow.h"
#include "tw_log.h"

RTE_LOG_REGISTER(tw_flow_logtype, user.tw.flow, INFO);
#define FLOW_LOG(lvl, fmt, ...) TW_LOG(lvl, tw_flow_logtype, "flow: " fmt, ##__VA_ARGS__)

/* rte_hash refuses fewer entries than one bucket (RTE_HASH_BUCKET_ENTRIES). */
#define FLOW_CAPACITY_MIN 8

/*
 * Entries compared per eviction. The victim is the least recently seen of
 * the sample: 8 reads of last_ns on the insert path, instead of an LRU list
 * that every hit would have to maintain.
 */
#define FLOW_EVICT_SAMPLE 8

#define FLOW_SEQ_MASK ((UINT64_C(1) << 48) - 1)

#define FRAG_SUFFIX "_f"

/*
 * rte_hash_create() names its rings "HT_<name>" and "HT_EXT_<name>" and
 * truncates them to RTE_RING_NAMESIZE. The longest one we cause is the
 * fragment table's extension ring; keep it whole so names never collide.
 */
static_assert(sizeof("HT_EXT_") - 1 + TW_FLOW_NAME_MAX + sizeof(FRAG_SUFFIX) - 1 <
		RTE_RING_NAMESIZE, "TW_FLOW_NAME_MAX too long for DPDK ring names");
static_assert(TW_FLOW_NAME_MAX + sizeof(FRAG_SUFFIX) <= RTE_HASH_NAMESIZE,
		"TW_FLOW_NAME_MAX too long for rte_hash names");
static_assert(sizeof(struct tw_flow_key) == 40, "tw_flow_key must stay 40 bytes");
static_assert(TW_BURST_MAX <= RTE_HASH_LOOKUP_BULK_MAX, "burst exceeds rte_hash bulk lookup");

/* Later fragments of one datagram all travel src -> dst: the key is directional. */
struct frag_key {
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t frag_id;
	uint8_t proto;
	uint8_t l3;
	uint8_t pad[2];
} __rte_aligned(8);

/* Both hashes are created with the flow key's length. */
static_assert(sizeof(struct frag_key) == sizeof(struct tw_flow_key),
		"frag_key must match the rte_hash key length");

struct frag_entry {
	struct frag_key key;	/* copy, for rte_hash_del_key() when ageing */
	uint64_t last_ns;
	uint16_t sport;
	uint16_t dport;
	uint8_t live;
} __rte_cache_aligned;

struct tw_flow_table {
	struct rte_hash *h;
	/*
	 * Indexed by rte_hash position. A position is free iff flow_id == 0:
	 * flow ids carry a sequence that starts at 1, so no live flow has 0.
	 */
	struct tw_flow *flows;
	uint32_t nb_entries;
	uint32_t age_next;
	uint32_t evict_next;
	uint16_t worker_id;
	uint64_t seq;
	uint64_t idle_timeout_ns;
	tw_flow_end_cb on_end;
	void *on_end_arg;
	struct tw_flow_stats stats;

	struct rte_hash *frag_h;
	struct frag_entry *frags;
	uint32_t nb_frags;
	uint32_t frag_age_next;
	uint32_t frag_evict_next;
};

/*
 * Flows a burst already points at (flows[] of earlier packets, positions
 * of pending hits). Eviction must not pick them: the entry would be reused
 * by the new flow while the burst still accounts and inspects through it.
 */
struct burst_held {
	struct tw_flow *const *flows;
	uint32_t nb_flows;
	const int32_t *pos;
	uint32_t nb_pos;
};

static inline uint32_t
ring_next(uint32_t p, uint32_t n)
{
	return p + 1 == n ? 0 : p + 1;
}

static inline int
is_idle(uint64_t now_ns, uint64_t last_ns, uint64_t timeout_ns)
{
	/* now_ns < last_ns happens on pcap replay and clock steps: not idle. */
	return now_ns > last_ns && now_ns - last_ns > timeout_ns;
}

/* Lexicographic order of two 16-byte addresses, as memcmp() without the call. */
static inline int
addr_cmp(const uint8_t *a, const uint8_t *b)
{
	uint64_t wa, wb;

	memcpy(&wa, a, sizeof(wa));
	memcpy(&wb, b, sizeof(wb));
	if (wa == wb) {
		memcpy(&wa, a + 8, sizeof(wa));
		memcpy(&wb, b + 8, sizeof(wb));
	}
	wa = rte_be_to_cpu_64(wa);
	wb = rte_be_to_cpu_64(wb);
	return (wa > wb) - (wa < wb);
}

int
tw_flow_key_from_meta(const struct tw_pkt_meta *m, struct tw_flow_key *k)
{
	int cmp, src_lo;

	/* IPv4 compares and copies all 16 bytes too: tw_pkt_meta zeroes the rest. */
	cmp = addr_cmp(m->src, m->dst);
	if (cmp == 0)
		cmp = (m->sport > m->dport) - (m->sport < m->dport);
	src_lo = cmp <= 0;
	if (src_lo) {
		memcpy(k->addr_lo, m->src, sizeof(k->addr_lo));
		memcpy(k->addr_hi, m->dst, sizeof(k->addr_hi));
		k->port_lo = m->sport;
		k->port_hi = m->dport;
	} else {
		memcpy(k->addr_lo, m->dst, sizeof(k->addr_lo));
		memcpy(k->addr_hi, m->src, sizeof(k->addr_hi));
		k->port_lo = m->dport;
		k->port_hi = m->sport;
	}
	k->proto = m->proto;
	k->l3 = m->l3;
	k->pad[0] = 0;
	k->pad[1] = 0;
	return src_lo;
}

static void
frag_key_from_meta(const struct tw_pkt_meta *m, struct frag_key *k)
{
	memcpy(k->src, m->src, sizeof(k->src));
	memcpy(k->dst, m->dst, sizeof(k->dst));
	k->frag_id = m->frag_id;
	k->proto = m->proto;
	k->l3 = m->l3;
	k->pad[0] = 0;
	k->pad[1] = 0;
}

static void
flow_end(struct tw_flow_table *ft, uint32_t p, enum tw_flow_end_reason reason)
{
	struct tw_flow *f = &ft->flows[p];
	int32_t ret;

	if (ft->on_end != NULL)
		ft->on_end(ft->on_end_arg, f, reason);
	ret = rte_hash_del_key(ft->h, &f->key);
	RTE_ASSERT(ret == (int32_t)p);
	RTE_SET_USED(ret);
	f->flow_id = 0;
	ft->stats.active--;
}

static int
flow_held(const struct tw_flow_table *ft, uint32_t p, const struct burst_held *held)
{
	const struct tw_flow *f = &ft->flows[p];
	uint32_t i;

	for (i = 0; i < held->nb_pos; i++)
		if (held->pos[i] == (int32_t)p)
			return 1;
	for (i = 0; i < held->nb_flows; i++)
		if (held->flows[i] == f)
			return 1;
	return 0;
}

/*
 * Sample FLOW_EVICT_SAMPLE live entries from a rotating cursor over
 * positions and evict the least recently seen. The table is full when this
 * runs, so the sample is normally the next FLOW_EVICT_SAMPLE positions; the
 * walk only goes further past entries the current burst holds.
 */
static int
flow_evict(struct tw_flow_table *ft, const struct burst_held *held)
{
	uint32_t p = ft->evict_next, victim = UINT32_MAX;
	uint32_t seen, nb_cand = 0;
	uint64_t oldest = UINT64_MAX;
	const struct tw_flow *f;

	for (seen = 0; seen < ft->nb_entries && nb_cand < FLOW_EVICT_SAMPLE; seen++) {
		f = &ft->flows[p];
		if (f->flow_id != 0 && !flow_held(ft, p, held)) {
			if (victim == UINT32_MAX || f->last_ns < oldest) {
				oldest = f->last_ns;
				victim = p;
			}
			nb_cand++;
		}
		p = ring_next(p, ft->nb_entries);
	}
	ft->evict_next = p;
	if (victim == UINT32_MAX)
		return -ENOSPC;
	flow_end(ft, victim, TW_FLOW_END_EVICTED);
	ft->stats.evicted++;
	return 0;
}

/*
 * Insert a key the bulk lookup missed. An earlier packet of the same burst
 * may have created it since, hence the second lookup, needed only once this
 * burst created something.
 */
static int32_t
flow_insert(struct tw_flow_table *ft, const struct tw_flow_key *key, hash_sig_t sig,
		int src_lo, uint64_t ts_ns, uint32_t *nb_new, const struct burst_held *held)
{
	struct tw_flow *f;
	int32_t p;

	if (*nb_new > 0) {
		p = rte_hash_lookup_with_hash(ft->h, key, sig);
		if (p >= 0)
			return p;
	}
	p = rte_hash_add_key_with_hash(ft->h, key, sig);
	/* With the extension table, -ENOSPC means every key slot is taken. */
	if (p == -ENOSPC && flow_evict(ft, held) == 0)
		p = rte_hash_add_key_with_hash(ft->h, key, sig);
	if (p < 0)
		return p;

	f = &ft->flows[p];
	memset(f, 0, sizeof(*f));
	ft->seq = (ft->seq + 1) & FLOW_SEQ_MASK;
	if (ft->seq == 0)
		ft->seq = 1;
	f->flow_id = ((uint64_t)ft->worker_id << 48) | ft->seq;
	f->first_ns = ts_ns;
	f->last_ns = ts_ns;
	f->state = TW_FLOW_INSPECTING;
	f->init_lo = (uint8_t)src_lo;
	f->md_idx = -1;
	f->key = *key;
	(*nb_new)++;
	ft->stats.created++;
	ft->stats.active++;
	return p;
}

/*
 * Mappings are best effort: when the table is full the least recently seen
 * of a sample is dropped, uncounted (its later fragments show up as
 * frag_unmatched), and if insertion still fails the mapping is skipped.
 */
static int
frag_evict(struct tw_flow_table *ft)
{
	uint32_t p = ft->frag_evict_next, victim = UINT32_MAX;
	uint32_t seen, nb_cand = 0;
	uint64_t oldest = UINT64_MAX;
	struct frag_entry *e;

	for (seen = 0; seen < ft->nb_frags && nb_cand < FLOW_EVICT_SAMPLE; seen++) {
		e = &ft->frags[p];
		if (e->live) {
			if (victim == UINT32_MAX || e->last_ns < oldest) {
				oldest = e->last_ns;
				victim = p;
			}
			nb_cand++;
		}
		p = ring_next(p, ft->nb_frags);
	}
	ft->frag_evict_next = p;
	if (victim == UINT32_MAX)
		return -ENOSPC;
	e = &ft->frags[victim];
	rte_hash_del_key(ft->frag_h, &e->key);
	e->live = 0;
	return 0;
}

/* Fragments are rare on carrier links: single lookups, not bulk. */
static void
frag_record(struct tw_flow_table *ft, const struct tw_pkt_meta *m)
{
	struct frag_entry *e;
	struct frag_key k;
	int32_t p;

	frag_key_from_meta(m, &k);
	p = rte_hash_add_key(ft->frag_h, &k);
	if (p == -ENOSPC && frag_evict(ft) == 0)
		p = rte_hash_add_key(ft->frag_h, &k);
	if (p < 0)
		return;
	e = &ft->frags[p];
	/* A live entry at p is this key: a repeated first fragment. */
	if (e->live) {
		e->last_ns = RTE_MAX(e->last_ns, m->ts_ns);
	} else {
		e->key = k;
		e->last_ns = m->ts_ns;
		e->live = 1;
	}
	e->sport = m->sport;
	e->dport = m->dport;
}

static int
frag_resolve(struct tw_flow_table *ft, struct tw_pkt_meta *m)
{
	struct frag_entry *e;
	struct frag_key k;
	int32_t p;

	frag_key_from_meta(m, &k);
	p = rte_hash_lookup(ft->frag_h, &k);
	if (p < 0)
		return p;
	e = &ft->frags[p];
	e->last_ns = RTE_MAX(e->last_ns, m->ts_ns);
	m->sport = e->sport;
	m->dport = e->dport;
	return 0;
}

/*
 * One burst of at most TW_BURST_MAX packets; flows[] and dirs[] are the
 * caller's whole arrays, this chunk starting at @base.
 *
 * Pass 1 handles fragments in packet order (a first fragment must be mapped
 * before a later one of the same burst looks it up) and builds the keys of
 * OK packets. Then one bulk lookup, a prefetch of every hit's first cache
 * line (all the accounting touches), and pass 2 in packet order creates the
 * misses and accounts.
 */
static void
lookup_chunk(struct tw_flow_table *ft, struct tw_pkt_meta *meta, uint32_t nb,
		struct tw_flow **flows, uint8_t *dirs, uint32_t base)
{
	struct tw_flow_key keys[TW_BURST_MAX];
	const void *key_ptrs[TW_BURST_MAX];
	hash_sig_t sigs[TW_BURST_MAX];
	int32_t pos[TW_BURST_MAX];
	uint8_t src_lo[TW_BURST_MAX];
	uint8_t idx[TW_BURST_MAX];
	struct burst_held held;
	struct tw_pkt_meta *m;
	struct tw_flow *f;
	uint32_t i, k, nb_keys = 0, nb_new = 0;
	uint8_t dir;

	for (i = 0; i < nb; i++) {
		m = &meta[i];
		flows[base + i] = NULL;
		dirs[base + i] = 0;
		if (m->status != TW_PKT_OK)
			continue;
		if (m->flags & TW_PKT_F_FRAG_LATER) {
			if (frag_resolve(ft, m) != 0) {
				ft->stats.frag_unmatched++;
				continue;
			}
		} else if (m->flags & TW_PKT_F_FRAG) {
			frag_record(ft, m);
		}
		src_lo[nb_keys] = (uint8_t)tw_flow_key_from_meta(m, &keys[nb_keys]);
		key_ptrs[nb_keys] = &keys[nb_keys];
		/* Same function and seed as the table: hash once, reuse on insert. */
		sigs[nb_keys] = rte_hash_crc(&keys[nb_keys], sizeof(keys[0]), 0);
		idx[nb_keys] = (uint8_t)i;
		nb_keys++;
	}
	if (nb_keys == 0)
		return;

	rte_hash_lookup_with_hash_bulk(ft->h, key_ptrs, sigs, nb_keys, pos);
	for (k = 0; k < nb_keys; k++)
		if (pos[k] >= 0)
			rte_prefetch0(&ft->flows[pos[k]]);

	held.flows = flows;
	held.nb_flows = base;
	held.pos = pos;
	held.nb_pos = nb_keys;
	for (k = 0; k < nb_keys; k++) {
		m = &meta[idx[k]];
		if (pos[k] < 0) {
			pos[k] = flow_insert(ft, &keys[k], sigs[k], src_lo[k], m->ts_ns,
					&nb_new, &held);
			if (pos[k] < 0) {
				ft->stats.insert_failed++;
				continue;
			}
		}
		f = &ft->flows[pos[k]];
		dir = src_lo[k] == f->init_lo ? 0 : 1;
		f->pkts[dir]++;
		f->bytes[dir] += m->wire_len;
		f->last_ns = RTE_MAX(f->last_ns, m->ts_ns);
		flows[base + idx[k]] = f;
		dirs[base + idx[k]] = dir;
	}
}

void
tw_flow_lookup_burst(struct tw_flow_table *ft, struct tw_pkt_meta *meta,
		uint16_t n, struct tw_flow **flows, uint8_t *dirs)
{
	uint32_t base, nb, i;

	if (ft == NULL) {
		for (i = 0; i < n; i++) {
			flows[i] = NULL;
			dirs[i] = 0;
		}
		return;
	}
	/* n > TW_BURST_MAX breaks the contract; chunking keeps the stack bounded. */
	for (base = 0; base < n; base += nb) {
		nb = RTE_MIN((uint32_t)n - base, (uint32_t)TW_BURST_MAX);
		lookup_chunk(ft, meta + base, nb, flows, dirs, base);
	}
}

/*
 * Ageing walks our entry array by position, not rte_hash_iterate(): the
 * iterator skips empty slots internally, over the main and the (mostly
 * empty) extension buckets, so one call can scan the whole bucket array.
 * Measured at 1.5-3.6 ms for a 1M-flow table without hugepages, whatever
 * the budget; a position walk costs exactly @budget entry reads.
 */
uint32_t
tw_flow_age(struct tw_flow_table *ft, uint64_t now_ns, uint32_t budget)
{
	uint32_t i, nb, p, nb_expired = 0;
	struct frag_entry *e;

	if (ft == NULL)
		return 0;

	nb = RTE_MIN(budget, ft->nb_entries);
	p = ft->age_next;
	for (i = 0; i < nb; i++) {
		if (ft->flows[p].flow_id != 0 &&
				is_idle(now_ns, ft->flows[p].last_ns, ft->idle_timeout_ns)) {
			flow_end(ft, p, TW_FLOW_END_TIMEOUT);
			nb_expired++;
		}
		p = ring_next(p, ft->nb_entries);
	}
	ft->age_next = p;
	ft->stats.expired += nb_expired;

	nb = RTE_MIN(budget, ft->nb_frags);
	p = ft->frag_age_next;
	for (i = 0; i < nb; i++) {
		e = &ft->frags[p];
		if (e->live && is_idle(now_ns, e->last_ns, ft->idle_timeout_ns)) {
			rte_hash_del_key(ft->frag_h, &e->key);
			e->live = 0;
		}
		p = ring_next(p, ft->nb_frags);
	}
	ft->frag_age_next = p;

	return nb_expired;
}

void
tw_flow_flush(struct tw_flow_table *ft)
{
	uint32_t p;

	if (ft == NULL)
		return;
	for (p = 0; p < ft->nb_entries; p++) {
		if (ft->flows[p].flow_id == 0)
			continue;
		if (ft->on_end != NULL)
			ft->on_end(ft->on_end_arg, &ft->flows[p], TW_FLOW_END_SHUTDOWN);
		ft->flows[p].flow_id = 0;
	}
	rte_hash_reset(ft->h);
	for (p = 0; p < ft->nb_frags; p++)
		ft->frags[p].live = 0;
	rte_hash_reset(ft->frag_h);
	ft->age_next = 0;
	ft->evict_next = 0;
	ft->frag_age_next = 0;
	ft->frag_evict_next = 0;
	/* Flow ids keep counting: they stay unique across a flush. */
	ft->stats.active = 0;
}

void
tw_flow_stats_get(const struct tw_flow_table *ft, struct tw_flow_stats *s)
{
	if (s == NULL)
		return;
	if (ft == NULL) {
		memset(s, 0, sizeof(*s));
		return;
	}
	*s = ft->stats;
}

void
tw_flow_endpoints(const struct tw_flow *f, const uint8_t **src, uint16_t *sport,
		const uint8_t **dst, uint16_t *dport)
{
	if (f->init_lo) {
		*src = f->key.addr_lo;
		*sport = f->key.port_lo;
		*dst = f->key.addr_hi;
		*dport = f->key.port_hi;
	} else {
		*src = f->key.addr_hi;
		*sport = f->key.port_hi;
		*dst = f->key.addr_lo;
		*dport = f->key.port_lo;
	}
}

void
tw_flow_table_free(struct tw_flow_table *ft)
{
	if (ft == NULL)
		return;
	rte_hash_free(ft->frag_h);
	rte_free(ft->frags);
	rte_hash_free(ft->h);
	rte_free(ft->flows);
	rte_free(ft);
}

/* rte_hash_create() leaves rte_errno alone on some allocation failures. */
static struct rte_hash *
hash_create(const char *name, uint32_t entries, int socket_id, int *err)
{
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = entries,
		.key_len = sizeof(struct tw_flow_key),
		.hash_func = rte_hash_crc,
		.hash_func_init_val = 0,
		.socket_id = socket_id,
		/* Inserts then fail only when every key slot is taken. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash *h;

	rte_errno = 0;
	h = rte_hash_create(&hp);
	if (h == NULL)
		*err = rte_errno != 0 ? rte_errno : ENOMEM;
	return h;
}

struct tw_flow_table *
tw_flow_table_create(const struct tw_flow_table_params *p)
{
	char frag_name[RTE_HASH_NAMESIZE];
	struct tw_flow_table *ft = NULL;
	size_t len;
	int err;

	if (p == NULL || p->name == NULL) {
		FLOW_LOG(ERR, "table create: %s is NULL", p == NULL ? "params" : "params->name");
		rte_errno = EINVAL;
		return NULL;
	}
	len = strnlen(p->name, TW_FLOW_NAME_MAX + 1);
	if (len == 0 || len > TW_FLOW_NAME_MAX) {
		FLOW_LOG(ERR, "table name '%.*s' must be 1 to %d characters",
				TW_FLOW_NAME_MAX + 1, p->name, TW_FLOW_NAME_MAX);
		rte_errno = EINVAL;
		return NULL;
	}
	if (p->capacity < FLOW_CAPACITY_MIN || p->frag_capacity < FLOW_CAPACITY_MIN) {
		FLOW_LOG(ERR, "table %s: capacity %u and frag_capacity %u must be >= %d",
				p->name, p->capacity, p->frag_capacity, FLOW_CAPACITY_MIN);
		rte_errno = EINVAL;
		return NULL;
	}
	ft = rte_zmalloc_socket("tw_flow_table", sizeof(*ft), RTE_CACHE_LINE_SIZE,
			p->socket_id);
	if (ft == NULL) {
		err = ENOMEM;
		goto fail;
	}
	ft->worker_id = p->worker_id;
	ft->idle_timeout_ns = p->idle_timeout_ns;
	ft->on_end = p->on_end;
	ft->on_end_arg = p->on_end_arg;

	ft->h = hash_create(p->name, p->capacity, p->socket_id, &err);
	if (ft->h == NULL)
		goto fail;
	/* One spare entry beyond the largest position costs 128 bytes. */
	ft->nb_entries = (uint32_t)rte_hash_max_key_id(ft->h) + 1;
	ft->flows = rte_zmalloc_socket("tw_flow_entries",
			(size_t)ft->nb_entries * sizeof(struct tw_flow), RTE_CACHE_LINE_SIZE,
			p->socket_id);
	if (ft->flows == NULL) {
		err = ENOMEM;
		goto fail;
	}

	snprintf(frag_name, sizeof(frag_name), "%s" FRAG_SUFFIX, p->name);
	ft->frag_h = hash_create(frag_name, p->frag_capacity, p->socket_id, &err);
	if (ft->frag_h == NULL)
		goto fail;
	ft->nb_frags = (uint32_t)rte_hash_max_key_id(ft->frag_h) + 1;
	ft->frags = rte_zmalloc_socket("tw_flow_frags",
			(size_t)ft->nb_frags * sizeof(struct frag_entry), RTE_CACHE_LINE_SIZE,
			p->socket_id);
	if (ft->frags == NULL) {
		err = ENOMEM;
		goto fail;
	}
	return ft;

fail:
	FLOW_LOG(ERR, "table %s (%u flows, %u fragments, socket %d): %s%s", p->name,
			p->capacity, p->frag_capacity, p->socket_id, rte_strerror(err),
			err == EEXIST ? ": table names must be unique" : "");
	tw_flow_table_free(ft);
	rte_errno = err;
	return NULL;
}
