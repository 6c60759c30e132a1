/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring_peek_zc.h>

#include "tw_alert.h"
#include "tw_pipeline.h"

/* Confirmed hits kept per packet; more distinct signatures than this on one
 * payload is pathological and the rest are ignored. */
#define PIPE_HITS_MAX 4
/* Alerts staged per burst before one ring enqueue. */
#define PIPE_ALERTS_MAX (TW_BURST_MAX * 2)
/* Flow-table entries examined per ageing slice. */
#define PIPE_AGE_BUDGET 256

#define TW_PIPE_COUNTER_NAME(name, str) str,
static const char *const counter_names[] = {
	TW_PIPE_COUNTER_LIST(TW_PIPE_COUNTER_NAME)
};
#undef TW_PIPE_COUNTER_NAME

struct tw_pipeline {
	struct tw_pipeline_stats stats;
	struct tw_flow_table *ft;
	hs_scratch_t *scratch;
	const struct tw_sig_db *db;
	const struct tw_md *mds;
	uint32_t nb_mds;
	const struct tw_tasks *tasks;
	uint32_t block_families;
	uint32_t inspect_pkts;
	uint32_t inspect_bytes;
	uint32_t burst_scan_bytes;
	struct rte_ring *ring;
	uint16_t worker_id;
	uint8_t link;
	uint8_t depth;		/* enum tw_pipeline_depth */
	uint32_t nb_alerts;
	struct tw_alert alerts[PIPE_ALERTS_MAX];
} __rte_cache_aligned;

const char *
tw_pipe_counter_name(unsigned int c)
{
	return c < RTE_DIM(counter_names) ? counter_names[c] : "unknown";
}

void
tw_pipeline_free(struct tw_pipeline *pl)
{
	if (pl == NULL)
		return;
	tw_sig_scratch_free(pl->scratch);
	tw_flow_table_free(pl->ft);
	rte_free(pl);
}

struct tw_pipeline *
tw_pipeline_create(const struct tw_pipeline_params *p)
{
	struct tw_pipeline *pl;

	if (p == NULL || p->db == NULL || p->alert_ring == NULL ||
			p->inspect_pkts == 0 || p->inspect_bytes == 0 ||
			(p->nb_mds > 0 && p->mds == NULL)) {
		rte_errno = EINVAL;
		return NULL;
	}
	pl = rte_zmalloc_socket("tw_pipeline", sizeof(*pl), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (pl == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	pl->db = p->db;
	pl->mds = p->mds;
	pl->nb_mds = p->nb_mds;
	pl->tasks = p->tasks;
	pl->block_families = p->block_families;
	pl->inspect_pkts = RTE_MIN(p->inspect_pkts, (uint32_t)UINT8_MAX);
	pl->inspect_bytes = RTE_MIN(p->inspect_bytes, (uint32_t)UINT16_MAX);
	pl->burst_scan_bytes = p->burst_scan_bytes != 0 ? p->burst_scan_bytes : UINT32_MAX;
	pl->ring = p->alert_ring;
	pl->worker_id = p->worker_id;
	pl->link = (uint8_t)p->link;
	pl->ft = tw_flow_table_create(&p->flow);
	if (pl->ft == NULL)
		goto fail;
	pl->scratch = tw_sig_scratch_alloc(p->db);
	if (pl->scratch == NULL)
		goto fail;
	return pl;
fail:
	{
		int e = rte_errno;

		tw_pipeline_free(pl);
		rte_errno = e;
	}
	return NULL;
}

/* Stage 1: parse every packet of the burst, prefetching a few ahead. */
static inline void
stage_parse(struct tw_pipeline *pl, struct rte_mbuf **pkts, uint16_t n,
		const uint64_t *ts_ns, uint64_t now_ns, struct tw_pkt_meta *meta)
{
	const uint16_t ahead = 4;
	uint16_t i;

	/*
	 * Every mbuf header of the burst first (buf_addr, data_off, lengths),
	 * then the frame data a few packets ahead: reading the header of
	 * pkts[i + ahead] to find its data was the slowest instruction of the
	 * pipeline with cold mbufs (perf). scripts/bench, forwarding depth,
	 * TSC cycles per packet without -> with: 64b-1m 110 -> 91, storm-li
	 * 117 -> 75, 64b-1k 55 -> 43.
	 */
	for (i = 0; i < n; i++)
		rte_prefetch0(pkts[i]);
	for (i = 0; i < RTE_MIN(ahead, n); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *mb = pkts[i];

		if (i + ahead < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + ahead], void *));
		/*
		 * Headers and the inspected payload come from the first segment:
		 * receive paths here are single-segment (mempool data room above
		 * the MTU); a chained mbuf is still accounted with its full length.
		 */
		tw_pkt_parse(rte_pktmbuf_mtod(mb, const uint8_t *), rte_pktmbuf_data_len(mb),
				(enum tw_pkt_link)pl->link, &meta[i]);
		meta[i].wire_len = rte_pktmbuf_pkt_len(mb);
		meta[i].ts_ns = ts_ns != NULL ? ts_ns[i] : now_ns;
		pl->stats.parse[meta[i].status]++;
	}
}

/* Stage the alert of one confirmed hit. */
static inline struct tw_alert *
raise_alert(struct tw_pipeline *pl, const struct tw_pkt_meta *m, const struct tw_flow *f,
		const struct tw_sig *s, const struct tw_sig_hit *h, uint8_t warrant)
{
	struct tw_alert *a;

	pl->stats.c[TW_PIPE_ALERTS]++;
	if (unlikely(pl->nb_alerts == PIPE_ALERTS_MAX)) {
		pl->stats.c[TW_PIPE_ALERTS_DROPPED]++;
		return NULL;
	}
	a = &pl->alerts[pl->nb_alerts++];
	a->ts_ns = m->ts_ns;
	a->flow_id = f->flow_id;
	memcpy(a->src, m->src, sizeof(a->src));
	memcpy(a->dst, m->dst, sizeof(a->dst));
	a->sport = m->sport;
	a->dport = m->dport;
	a->l3 = m->l3;
	a->proto = m->proto;
	a->family = s->family;
	a->authorized = f->authorized;
	/* Authorized LI is informational; the signature's severity is for
	 * LI that no inventory entry accounts for. */
	a->severity = f->authorized ? 3 : s->severity;
	a->action = f->block ? TW_ALERT_BLOCKED : TW_ALERT_ALLOWED;
	a->vlan = m->vlan;
	a->sig_id = s->id;
	a->sig_rev = s->rev;
	a->worker = pl->worker_id;
	a->warrant = warrant;
	a->pad = 0;
	memcpy(a->sig_name, s->name, sizeof(a->sig_name));
	memcpy(a->mitre, s->mitre, sizeof(a->mitre));
	/* After a reload, an older flow's index may not be in the new inventory. */
	if (f->md_idx >= 0 && (uint32_t)f->md_idx < pl->nb_mds)
		memcpy(a->md_name, pl->mds[f->md_idx].name, sizeof(a->md_name));
	else
		memset(a->md_name, 0, sizeof(a->md_name));
	a->detail = h->detail;
	return a;
}

/*
 * Warrant reconciliation: an X2/X3 or HI flow between authorized endpoints
 * whose task (XID, LIID) is not on the operator's list. Keepalives carry no
 * task (all-zero XID) and are not checked.
 */
static uint8_t
check_warrant(const struct tw_pipeline *pl, const struct tw_li_detail *d, uint32_t *sig_id)
{
	static const uint8_t zero_xid[16];
	int listed = -1;

	if (pl->tasks == NULL)
		return TW_WARRANT_UNCHECKED;
	if (d->kind == TW_LI_KIND_X2X3 && memcmp(d->x2x3.xid, zero_xid, 16) != 0) {
		listed = tw_tasks_xid_listed(pl->tasks, d->x2x3.xid);
		*sig_id = TW_SIG_ID_NO_WARRANT_XID;
	} else if (d->kind == TW_LI_KIND_HI && d->hi.liid_len > 0) {
		listed = tw_tasks_liid_listed(pl->tasks, d->hi.liid, d->hi.liid_len);
		*sig_id = TW_SIG_ID_NO_WARRANT_LIID;
	}
	if (listed < 0)
		return TW_WARRANT_UNCHECKED;
	return listed ? TW_WARRANT_LISTED : TW_WARRANT_MISSING;
}

/* A non-zero 32-bit fingerprint of the task a hit names (FNV-1a). */
static uint32_t
task_fp(const struct tw_li_detail *d)
{
	const uint8_t *p = d->kind == TW_LI_KIND_X2X3 ? d->x2x3.xid : d->hi.liid;
	unsigned int n = d->kind == TW_LI_KIND_X2X3 ? 16 : d->hi.liid_len, i;
	uint32_t h = 2166136261u;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h != 0 ? h : 1;
}

/* The high-severity alert of an intercept running without a warrant. */
static int
raise_no_warrant(struct tw_pipeline *pl, const struct tw_pkt_meta *m, const struct tw_flow *f,
		const struct tw_sig *s, const struct tw_sig_hit *h, uint32_t sig_id)
{
	struct tw_alert *a = raise_alert(pl, m, f, s, h, TW_WARRANT_MISSING);

	if (a == NULL)
		return 0;
	a->sig_id = sig_id;
	a->sig_rev = 1;
	a->severity = 1;
	snprintf(a->sig_name, sizeof(a->sig_name), "%s",
			sig_id == TW_SIG_ID_NO_WARRANT_XID ?
			"LI task without warrant: X2/X3 XID not in authorized_tasks" :
			"LI task without warrant: LIID not in authorized_tasks");
	pl->stats.c[TW_PIPE_NO_WARRANT]++;
	return 1;
}

/* Decide a flow on its first confirmed hits and raise one alert per hit. */
static void
decide_li(struct tw_pipeline *pl, const struct tw_pkt_meta *m, struct tw_flow *f,
		const struct tw_sig_hit *hits, int nb_hits)
{
	const struct tw_sig *first = tw_sig_db_get(pl->db, hits[0].sig_idx);
	int md, i;

	md = tw_policy_match(pl->mds, pl->nb_mds, m->l3, m->src, m->dst, first->family);
	f->state = TW_FLOW_LI;
	f->family = first->family;
	f->sig_idx = hits[0].sig_idx;
	f->md_idx = (int16_t)md;
	f->authorized = md >= 0;
	f->block = !f->authorized && (pl->block_families & (1u << first->family)) != 0;
	f->alerted = 1;
	pl->stats.c[TW_PIPE_LI_FLOWS]++;
	if (!f->authorized)
		pl->stats.c[TW_PIPE_LI_FLOWS_UNAUTH]++;
	/* One connection carries every task of an NE: keep looking at the
	 * tasks of an authorized handover while the budget lasts.
	 */
	f->warrant_scan = pl->tasks != NULL && f->authorized &&
			(f->family == TW_FAMILY_ETSI_X2X3 || f->family == TW_FAMILY_ETSI_HI);
	f->warrant_fp = 0;
	for (i = 0; i < nb_hits; i++) {
		const struct tw_sig *s = tw_sig_db_get(pl->db, hits[i].sig_idx);
		uint32_t sig_id = 0;
		uint8_t warrant = f->authorized ?
				check_warrant(pl, &hits[i].detail, &sig_id) : TW_WARRANT_UNCHECKED;

		raise_alert(pl, m, f, s, &hits[i], warrant);
		if (warrant == TW_WARRANT_MISSING && raise_no_warrant(pl, m, f, s, &hits[i], sig_id))
			f->warrant_fp = task_fp(&hits[i].detail);
	}
}

/*
 * A later packet of a decided, authorized handover flow: each task not on
 * the list raises its own no-warrant alert, once per change of task.
 */
static void
recheck_warrant(struct tw_pipeline *pl, const struct tw_pkt_meta *m, struct tw_flow *f,
		const struct tw_sig_hit *hits, int nb_hits)
{
	int i;

	for (i = 0; i < nb_hits; i++) {
		const struct tw_sig *s = tw_sig_db_get(pl->db, hits[i].sig_idx);
		uint32_t sig_id = 0, fp;

		if (check_warrant(pl, &hits[i].detail, &sig_id) != TW_WARRANT_MISSING)
			continue;
		fp = task_fp(&hits[i].detail);
		if (fp == f->warrant_fp)
			continue;
		if (raise_no_warrant(pl, m, f, s, &hits[i], sig_id))
			f->warrant_fp = fp;
	}
}

/*
 * Stage 3: classify the payloads of flows still under inspection. A flow
 * is scanned over its first inspect_pkts payload packets or inspect_bytes
 * payload bytes per direction, whichever ends first; the verdict is cached
 * so decided flows cost only the state test.
 */
static inline void
stage_classify(struct tw_pipeline *pl, struct rte_mbuf **pkts, uint16_t n,
		const struct tw_pkt_meta *meta, struct tw_flow **flows, const uint8_t *dirs)
{
	struct tw_sig_hit hits[PIPE_HITS_MAX];
	uint32_t burst_bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		const struct tw_pkt_meta *m = &meta[i];
		struct tw_flow *f = flows[i];
		const uint8_t *payload;
		uint32_t len;
		uint8_t d;
		int nh;

		if (f == NULL || (f->state != TW_FLOW_INSPECTING && !f->warrant_scan))
			continue;
		if (m->payload_len == 0 || (m->flags & TW_PKT_F_FRAG_LATER))
			continue;
		/*
		 * Scan work per burst is bounded, so payloads built to be slow
		 * cannot starve forwarding: past the bound, flows wait for a
		 * later packet, their own budget untouched.
		 */
		if (unlikely(burst_bytes >= pl->burst_scan_bytes)) {
			pl->stats.c[TW_PIPE_SCAN_DEFERRED]++;
			continue;
		}
		d = dirs[i];
		if (f->scan_pkts[d] >= pl->inspect_pkts || f->scan_bytes[d] >= pl->inspect_bytes) {
			if (f->scan_pkts[d ^ 1] >= pl->inspect_pkts ||
					f->scan_bytes[d ^ 1] >= pl->inspect_bytes) {
				if (f->state == TW_FLOW_INSPECTING) {
					f->state = TW_FLOW_CLEAN;
					pl->stats.c[TW_PIPE_CLEAN_FLOWS]++;
				}
				f->warrant_scan = 0;
			}
			continue;
		}
		payload = rte_pktmbuf_mtod_offset(pkts[i], const uint8_t *, m->payload_off);
		len = RTE_MIN((uint32_t)m->payload_len, pl->inspect_bytes - f->scan_bytes[d]);
		f->scan_pkts[d]++;
		f->scan_bytes[d] = (uint16_t)(f->scan_bytes[d] + len);
		burst_bytes += len;
		pl->stats.c[TW_PIPE_SCANS]++;
		pl->stats.c[TW_PIPE_SCAN_BYTES] += len;
		if (unlikely(len < m->payload_len)) {
			/* Budget cut: validators must not take this for a whole datagram. */
			struct tw_pkt_meta cut = *m;

			cut.flags |= TW_PKT_F_TRUNC_PAYLOAD;
			nh = tw_sig_scan(pl->db, pl->scratch, &cut, payload, len, hits,
					PIPE_HITS_MAX, &pl->stats.c[TW_PIPE_CANDIDATES]);
		} else {
			nh = tw_sig_scan(pl->db, pl->scratch, m, payload, len, hits,
					PIPE_HITS_MAX, &pl->stats.c[TW_PIPE_CANDIDATES]);
		}
		if (unlikely(nh < 0)) {
			pl->stats.c[TW_PIPE_SCAN_ERRORS]++;
			continue;
		}
		if (nh > 0) {
			pl->stats.c[TW_PIPE_HITS] += (uint64_t)nh;
			if (f->state == TW_FLOW_INSPECTING)
				decide_li(pl, m, f, hits, nh);
			else
				recheck_warrant(pl, m, f, hits, nh);
		}
	}
}

/*
 * Enqueue staged alerts without waiting. Same result as tw_alert_ring_push()
 * but copied with memcpy() into the reserved ring slots, where rte_ring's
 * element copy moves a 456-byte alert as 114 separate 32-bit words: ~60
 * fewer instructions per alert (callgrind, scripts/bench storm-li, ~1% of a
 * first-packet classification; no cycle difference measurable on the
 * shared test VM). Zero-copy enqueue needs a single-producer ring, which an
 * alert ring is (tw_alert.c).
 */
static inline unsigned int
push_alerts(struct rte_ring *r, const struct tw_alert *alerts, unsigned int n)
{
	struct rte_ring_zc_data zcd;
	unsigned int got;

	got = rte_ring_enqueue_zc_burst_elem_start(r, sizeof(*alerts), n, &zcd, NULL);
	if (got == 0)
		return 0;
	memcpy(zcd.ptr1, alerts, (size_t)zcd.n1 * sizeof(*alerts));
	if (got > zcd.n1)
		memcpy(zcd.ptr2, alerts + zcd.n1, (size_t)(got - zcd.n1) * sizeof(*alerts));
	rte_ring_enqueue_zc_elem_finish(r, got);
	return got;
}

/* The benchmark's forwarding and tracking baselines (tw_pipeline_set_depth()). */
static __rte_noinline uint16_t
burst_shallow(struct tw_pipeline *pl, struct rte_mbuf **pkts, uint16_t n,
		const uint64_t *ts_ns, uint64_t now_ns, uint8_t *drop)
{
	struct tw_pkt_meta meta[TW_BURST_MAX];
	struct tw_flow *flows[TW_BURST_MAX];
	uint8_t dirs[TW_BURST_MAX];
	uint16_t i;

	stage_parse(pl, pkts, n, ts_ns, now_ns, meta);
	if (pl->depth == TW_PIPELINE_TRACK)
		tw_flow_lookup_burst(pl->ft, meta, n, flows, dirs);
	for (i = 0; i < n; i++) {
		pl->stats.c[TW_PIPE_RX_BYTES] += meta[i].wire_len;
		drop[i] = 0;
	}
	pl->stats.c[TW_PIPE_RX_PKTS] += n;
	return 0;
}

void
tw_pipeline_set_depth(struct tw_pipeline *pl, enum tw_pipeline_depth depth)
{
	if (pl != NULL && depth <= TW_PIPELINE_PARSE)
		pl->depth = (uint8_t)depth;
}

uint16_t
tw_pipeline_burst(struct tw_pipeline *pl, struct rte_mbuf **pkts, uint16_t n,
		const uint64_t *ts_ns, uint64_t now_ns, uint8_t *drop)
{
	struct tw_pkt_meta meta[TW_BURST_MAX];
	struct tw_flow *flows[TW_BURST_MAX];
	uint8_t dirs[TW_BURST_MAX];
	uint16_t i, nb_drop = 0;
	uint32_t pushed;

	if (unlikely(n > TW_BURST_MAX))
		n = TW_BURST_MAX;
	if (unlikely(pl->depth != TW_PIPELINE_FULL))
		return burst_shallow(pl, pkts, n, ts_ns, now_ns, drop);
	stage_parse(pl, pkts, n, ts_ns, now_ns, meta);
	tw_flow_lookup_burst(pl->ft, meta, n, flows, dirs);
	stage_classify(pl, pkts, n, meta, flows, dirs);

	/* Stage 4: verdicts, counters. Only an explicit block drops. */
	for (i = 0; i < n; i++) {
		const struct tw_flow *f = flows[i];

		pl->stats.c[TW_PIPE_RX_BYTES] += meta[i].wire_len;
		drop[i] = 0;
		if (f == NULL) {
			if (meta[i].status == TW_PKT_OK)
				pl->stats.c[TW_PIPE_NO_FLOW]++;
			continue;
		}
		if (meta[i].flags & TW_PKT_F_FRAG_LATER)
			pl->stats.c[TW_PIPE_FRAG_LATER]++;
		if (unlikely(f->block)) {
			drop[i] = 1;
			nb_drop++;
		}
	}
	pl->stats.c[TW_PIPE_RX_PKTS] += n;
	pl->stats.c[TW_PIPE_BLOCKED_PKTS] += nb_drop;

	/* Stage 5: hand alerts to the exporter; a full ring is counted, not waited on. */
	if (pl->nb_alerts > 0) {
		pushed = push_alerts(pl->ring, pl->alerts, pl->nb_alerts);
		pl->stats.c[TW_PIPE_ALERTS_DROPPED] += pl->nb_alerts - pushed;
		pl->nb_alerts = 0;
	}
	return nb_drop;
}

void
tw_pipeline_idle(struct tw_pipeline *pl, uint64_t now_ns)
{
	tw_flow_age(pl->ft, now_ns, PIPE_AGE_BUDGET);
}

void
tw_pipeline_flush(struct tw_pipeline *pl)
{
	tw_flow_flush(pl->ft);
}

const struct tw_pipeline_stats *
tw_pipeline_stats(const struct tw_pipeline *pl)
{
	return &pl->stats;
}

void
tw_pipeline_flow_stats(const struct tw_pipeline *pl, struct tw_flow_stats *s)
{
	tw_flow_stats_get(pl->ft, s);
}

hs_scratch_t *
tw_pipeline_set_rules(struct tw_pipeline *pl, const struct tw_pipeline_rules *r)
{
	hs_scratch_t *old = pl->scratch;

	pl->db = r->db;
	pl->scratch = r->scratch;
	pl->mds = r->mds;
	pl->nb_mds = r->nb_mds;
	pl->tasks = r->tasks;
	pl->block_families = r->block_families;
	return old;
}
