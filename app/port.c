/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Port set-up: one RX and one TX queue per worker on every port, a mempool
 * per worker, and a symmetric RSS key so both directions of a flow reach
 * the same worker (per-worker flow tables depend on it).
 */

#include <inttypes.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "tw_app.h"
#include "tw_log.h"

#define APP_LOG(lvl, fmt, ...) TW_LOG(lvl, RTE_LOGTYPE_USER1, "tapwatch: " fmt, ##__VA_ARGS__)

/* Repeating 0x6d5a makes Toeplitz symmetric for IPv4/IPv6 and ports. */
static void
sym_rss_key(uint8_t *key, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		key[i] = (i & 1) ? 0x5a : 0x6d;
}

static int
port_used(const struct tw_app *app, uint16_t *ports, uint16_t *nb)
{
	const struct tw_config *c = &app->cfg;
	uint16_t i, k, p;

	*nb = 0;
	for (i = 0; i < (c->mode == TW_MODE_INLINE ? c->nb_port_pairs * 2 : c->nb_tap_ports); i++) {
		p = c->mode == TW_MODE_INLINE ? c->port_pairs[i / 2][i % 2] : c->tap_ports[i];
		for (k = 0; k < *nb; k++)
			if (ports[k] == p)
				break;
		if (k < *nb) {
			fprintf(stderr, "tapwatch: port %u is listed twice in the config: each port "
					"belongs to one pair or tap entry\n", p);
			return -EINVAL;
		}
		if (!rte_eth_dev_is_valid_port(p)) {
			fprintf(stderr, "tapwatch: port %u does not exist: %u port(s) available; "
					"add devices with -a <pci> or --vdev, or fix dpdk.%s\n", p,
					rte_eth_dev_count_avail(),
					c->mode == TW_MODE_INLINE ? "port_pairs" : "tap_ports");
			return -ENODEV;
		}
		ports[(*nb)++] = p;
	}
	return 0;
}

static int
port_setup(struct tw_app *app, uint16_t port)
{
	const struct tw_config *c = &app->cfg;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rss_conf rss;
	uint8_t key[64], got_key[64];
	uint16_t nb_rxd = c->rx_desc, nb_txd = c->tx_desc, q;
	int ret, socket = rte_eth_dev_socket_id(port);

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0) {
		fprintf(stderr, "tapwatch: port %u: cannot get device info: %s\n", port,
				rte_strerror(-ret));
		return ret;
	}
	if (app->nb_workers > info.max_rx_queues || app->nb_workers > info.max_tx_queues) {
		fprintf(stderr, "tapwatch: port %u (%s) supports %u RX / %u TX queues; "
				"dpdk.workers is %u: lower it\n", port, info.driver_name,
				info.max_rx_queues, info.max_tx_queues, app->nb_workers);
		return -EINVAL;
	}
	if (app->nb_workers > 1) {
		unsigned int klen = info.hash_key_size != 0 ? info.hash_key_size : 40;

		if (info.flow_type_rss_offloads == 0) {
			fprintf(stderr, "tapwatch: port %u (%s) has no RSS: with %u workers both "
					"directions of a flow would not meet; set dpdk.workers to 1\n",
					port, info.driver_name, app->nb_workers);
			return -ENOTSUP;
		}
		if (klen > sizeof(key))
			klen = sizeof(key);
		sym_rss_key(key, klen);
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_key = key;
		conf.rx_adv_conf.rss_conf.rss_key_len = (uint8_t)klen;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
				RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	ret = rte_eth_dev_configure(port, app->nb_workers, app->nb_workers, &conf);
	if (ret != 0) {
		fprintf(stderr, "tapwatch: port %u: configure failed: %s\n", port, rte_strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return ret;
	for (q = 0; q < app->nb_workers; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, socket, NULL, app->workers[q].pool);
		if (ret != 0) {
			fprintf(stderr, "tapwatch: port %u: RX queue %u set-up failed: %s\n", port, q,
					rte_strerror(-ret));
			return ret;
		}
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, socket, NULL);
		if (ret != 0) {
			fprintf(stderr, "tapwatch: port %u: TX queue %u set-up failed: %s\n", port, q,
					rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_start(port);
	if (ret != 0) {
		fprintf(stderr, "tapwatch: port %u: start failed: %s\n", port, rte_strerror(-ret));
		return ret;
	}
	/* Mirror ports and bumps in the wire see traffic for other MACs. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		APP_LOG(WARNING, "port %u: promiscuous mode refused: %s", port, rte_strerror(-ret));

	if (app->nb_workers > 1) {
		memset(&rss, 0, sizeof(rss));
		rss.rss_key = got_key;
		rss.rss_key_len = sizeof(got_key);
		if (rte_eth_dev_rss_hash_conf_get(port, &rss) != 0 ||
				memcmp(got_key, key, RTE_MIN(rss.rss_key_len, (uint8_t)40)) != 0)
			APP_LOG(WARNING, "port %u (%s): symmetric RSS key not confirmed: the two "
					"directions of a flow may reach different workers", port,
					info.driver_name);
	}
	APP_LOG(NOTICE, "port %u (%s) started: %u queue(s), %u/%u descriptors", port,
			info.driver_name, app->nb_workers, nb_rxd, nb_txd);
	return 0;
}

int
tw_ports_init(struct tw_app *app)
{
	const struct tw_config *c = &app->cfg;
	uint16_t ports[TW_CONFIG_PORTS_MAX * 2], nb_ports, i, w;
	uint32_t need;
	int ret;

	ret = port_used(app, ports, &nb_ports);
	if (ret != 0)
		return ret;
	/* Every RX ring of the worker full, plus its TX rings and a burst in flight. */
	need = (uint32_t)nb_ports * (c->rx_desc + c->tx_desc) + 2 * TW_BURST_MAX;
	if (c->mempool_size < need) {
		fprintf(stderr, "tapwatch: dpdk.mempool_size %u is too small for %u port(s) with "
				"%u RX + %u TX descriptors per worker: use at least %u\n",
				c->mempool_size, nb_ports, c->rx_desc, c->tx_desc, need);
		return -EINVAL;
	}
	for (w = 0; w < app->nb_workers; w++) {
		struct tw_worker *wk = &app->workers[w];
		char name[RTE_MEMPOOL_NAMESIZE];

		snprintf(name, sizeof(name), "tw_pool_%u", w);
		wk->pool = rte_pktmbuf_pool_create(name, c->mempool_size,
				RTE_MIN(c->mempool_cache, (uint32_t)RTE_MEMPOOL_CACHE_MAX_SIZE), 0,
				RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_lcore_to_socket_id(wk->lcore));
		if (wk->pool == NULL) {
			fprintf(stderr, "tapwatch: cannot create mempool %s (%u mbufs): %s; lower "
					"dpdk.mempool_size or give EAL more memory (-m / hugepages)\n",
					name, c->mempool_size, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		wk->nb_rx = 0;
		for (i = 0; i < nb_ports; i++) {
			struct tw_worker_rx *r = &wk->rx[wk->nb_rx++];

			r->rx_port = ports[i];
			r->queue = w;
			if (c->mode == TW_MODE_INLINE)
				r->tx_port = c->port_pairs[i / 2][(i % 2) ^ 1];
			else
				r->tx_port = TW_NO_PORT;
		}
	}
	for (i = 0; i < nb_ports; i++) {
		ret = port_setup(app, ports[i]);
		if (ret != 0)
			return ret;
	}
	return 0;
}

void
tw_ports_close(struct tw_app *app)
{
	uint16_t p;

	RTE_SET_USED(app);
	RTE_ETH_FOREACH_DEV(p) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
}

json_t *
tw_ports_stats_json(const struct tw_app *app)
{
	json_t *arr;
	uint16_t p;

	if (app->pcap_path != NULL)
		return NULL;
	arr = json_array();
	if (arr == NULL)
		return NULL;
	RTE_ETH_FOREACH_DEV(p) {
		struct rte_eth_stats s;

		if (rte_eth_stats_get(p, &s) != 0)
			continue;
		json_array_append_new(arr, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I}",
				"port", p,
				"ipackets", (json_int_t)s.ipackets,
				"opackets", (json_int_t)s.opackets,
				"imissed", (json_int_t)s.imissed,
				"ierrors", (json_int_t)s.ierrors,
				"oerrors", (json_int_t)s.oerrors,
				"rx_nombuf", (json_int_t)s.rx_nombuf));
	}
	return arr;
}
