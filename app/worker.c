/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Worker lcore loop: RX burst -> tw_pipeline_burst() -> TX burst to the
 * peer port (inline) or free (tap). Fail-open: a packet is dropped only on
 * an explicit block verdict, or counted in tx_dropped when the peer's TX
 * ring refuses it after a short retry. Nothing here blocks, allocates or
 * logs.
 */

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "tw_app.h"

/* TX retries before unsent packets are freed and counted. */
#define TX_RETRIES 4
/* Flow ageing slice at most every 1/AGE_HZ second while busy. */
#define AGE_HZ 100

static struct tw_app *worker_app;

void
tw_workers_set_app(struct tw_app *app)
{
	worker_app = app;
}

static inline void
forward(struct tw_worker *w, const struct tw_worker_rx *r, struct rte_mbuf **pkts,
		uint16_t n, const uint8_t *drop, uint16_t nb_drop)
{
	uint16_t i, k, sent, tries;

	if (r->tx_port == TW_NO_PORT) {
		rte_pktmbuf_free_bulk(pkts, n);
		w->c[TW_WORKER_FREED_TAP] += n;
		return;
	}
	k = n;
	if (unlikely(nb_drop != 0)) {
		/* Keep the order of what is forwarded; free what is blocked. */
		k = 0;
		for (i = 0; i < n; i++) {
			if (drop[i])
				rte_pktmbuf_free(pkts[i]);
			else
				pkts[k++] = pkts[i];
		}
	}
	sent = rte_eth_tx_burst(r->tx_port, r->queue, pkts, k);
	for (tries = 0; sent < k && tries < TX_RETRIES; tries++)
		sent += rte_eth_tx_burst(r->tx_port, r->queue, pkts + sent, k - sent);
	w->c[TW_WORKER_TX_PKTS] += sent;
	if (unlikely(sent < k)) {
		rte_pktmbuf_free_bulk(pkts + sent, k - sent);
		w->c[TW_WORKER_TX_DROPPED] += k - sent;
	}
}

int
tw_worker_main(void *arg)
{
	struct tw_worker *w = arg;
	struct tw_app *app = worker_app;
	struct rte_mbuf *pkts[TW_BURST_MAX];
	uint8_t drop[TW_BURST_MAX];
	const double ns_per_tsc = 1e9 / (double)app->tsc_hz;
	const uint64_t age_period = app->tsc_hz / AGE_HZ;
	uint64_t last_age = 0;

	if (app->qsbr != NULL) {
		rte_rcu_qsbr_thread_register(app->qsbr, w->id);
		rte_rcu_qsbr_thread_online(app->qsbr, w->id);
	}
	while (!__atomic_load_n(&app->stop, __ATOMIC_RELAXED)) {
		const struct tw_pipeline_rules *rules;
		uint64_t tsc = rte_rdtsc();
		uint64_t now_ns = app->start_ns + (uint64_t)((double)(tsc - app->base_tsc) * ns_per_tsc);
		unsigned int got = 0;
		uint16_t q;

		/* Hot reload: swap rules here, between bursts, on this lcore. */
		rules = __atomic_load_n(&w->mailbox, __ATOMIC_ACQUIRE);
		if (unlikely(rules != NULL)) {
			w->retired = tw_pipeline_set_rules(w->pl, rules);
			__atomic_store_n(&w->mailbox, NULL, __ATOMIC_RELEASE);
		}
		for (q = 0; q < w->nb_rx; q++) {
			const struct tw_worker_rx *r = &w->rx[q];
			uint16_t n, nb_drop;

			n = rte_eth_rx_burst(r->rx_port, r->queue, pkts, TW_BURST_MAX);
			if (n == 0)
				continue;
			got += n;
			nb_drop = tw_pipeline_burst(w->pl, pkts, n, NULL, now_ns, drop);
			forward(w, r, pkts, n, drop, nb_drop);
		}
		if (got == 0 || tsc - last_age >= age_period) {
			if (tsc - last_age >= age_period / 8) {
				tw_pipeline_idle(w->pl, now_ns);
				last_age = tsc;
			}
		}
		if (app->qsbr != NULL)
			rte_rcu_qsbr_quiescent(app->qsbr, w->id);
	}
	if (app->qsbr != NULL) {
		rte_rcu_qsbr_thread_offline(app->qsbr, w->id);
		rte_rcu_qsbr_thread_unregister(app->qsbr, w->id);
	}
	return 0;
}
