/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * tapwatch-bench: packets per second per worker core through the real
 * worker loop (app/worker.c tw_worker_main(): rte_eth_rx_burst ->
 * tw_pipeline_burst -> rte_eth_tx_burst), with packets held in memory.
 *
 * Each worker gets an array of mbufs built once (synthesized frames, or
 * frames read from scripts/twgen.py captures) and a net_ring port whose RX
 * and TX queue are the same rte_ring of mbuf pointers: what the worker
 * transmits comes back to it after one pass, so the same packets circulate
 * for ever, nothing is allocated or freed and no disk or pcap I/O is in the
 * measured loop. The worker's inline peer is the port itself.
 *
 * Three depths run over the same packets, interleaved round by round
 * (tw_pipeline_set_depth()): "forward" (RX, parse, TX: the limit of this
 * machine), "tracking" (+ flow table) and "full" (+ classification,
 * policy, verdicts, alerts). Rates are per worker core; the
 * ratios are medians of per-round ratios, so machine noise that hits a
 * round hits all three depths. Rates and cycles count the workers' on-CPU
 * time only (see struct sample): the machine may be shared.
 *
 * A timer thread starts and stops every run and drains the alert rings
 * every millisecond (standing in for the exporter, which runs on its own
 * thread in tapwatch).
 *
 * Usage: tapwatch-bench [EAL options] -- [options]   (see usage())
 *        tapwatch-bench --write-pcap FILE [options]  (no EAL)
 */

#define _GNU_SOURCE	/* pthread_setaffinity_np, CPU_SET */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "tw_alert.h"
#include "tw_app.h"
#include "tw_config.h"
#include "tw_flow.h"
#include "tw_sig.h"

#define BENCH_WORKERS_MAX 8
#define BENCH_ROUNDS_MAX 64
#define BENCH_ALERT_RING 65536
/* Frame lengths in mbufs exclude the 4-byte FCS: a "64-byte" frame is 60. */
#define FCS_LEN 4
#define FRAME_MAX 1518
#define DRAIN_PERIOD_NS 1000000

enum traffic {
	TR_64B,		/* 64-byte UDP and TCP */
	TR_IMIX,	/* 7:4:1 of 64/594/1518 bytes */
	TR_LI,		/* every twgen LI capture and the hard negatives */
	TR_STORM_LI,	/* every packet a new flow with an LI payload */
};

enum depth_idx {
	D_FWD,
	D_TRACK,
	D_FULL,
	D_MAX,
};

static const enum tw_pipeline_depth depth_of[D_MAX] = {
	[D_FWD] = TW_PIPELINE_PARSE,
	[D_TRACK] = TW_PIPELINE_TRACK,
	[D_FULL] = TW_PIPELINE_FULL,
};
static const char *const depth_name[D_MAX] = { "forward", "tracking", "full" };

struct scenario {
	const char *name;
	const char *what;
	enum traffic traffic;
	uint32_t flows;		/* distinct flows over all workers (TR_LI: from the files) */
	uint32_t pkts_per_flow;	/* in the replay set; alternate directions */
	uint32_t table;		/* flows per worker table; 0 = the config's */
	uint32_t warm_passes;	/* untimed passes before measuring */
	uint8_t quick;		/* part of --quick */
};

/*
 * Established scenarios warm up until every flow is decided: 8 payload
 * packets per direction are scanned (inspection.max_packets), the next
 * packet marks the flow CLEAN, so 16 packets per flow need 2 passes and 2
 * need 9. Storms size the replay set at 8x the flow table, so a flow is
 * always evicted long before its packet comes round again.
 */
static const struct scenario scenarios[] = {
	{ "64b-1k", "64-byte UDP/TCP, 1K established flows", TR_64B, 1024, 16, 0, 2, 1 },
	{ "imix-1k", "IMIX 7:4:1 64/594/1518, 1K established flows", TR_IMIX, 1024, 16, 0, 2, 1 },
	{ "li-mix", "every twgen LI capture and the hard negatives, established", TR_LI,
		0, 0, 0, 2, 1 },
	{ "64b-100k", "64-byte UDP/TCP, 100K established flows", TR_64B, 100000, 2, 131072, 9, 1 },
	{ "64b-1m", "64-byte UDP/TCP, 1M established flows", TR_64B, 1000000, 2, 1310720, 9, 0 },
	{ "storm-64b", "flow-creation storm: every 64-byte packet a new flow", TR_64B,
		524288, 1, 65536, 1, 1 },
	{ "storm-li", "first-packet classification: every packet a new LI flow", TR_STORM_LI,
		131072, 1, 16384, 1, 1 },
};

/* A frame read from a capture. */
struct frame {
	uint16_t len;
	uint8_t *data;
};

struct frames {
	struct frame *v;
	uint32_t nb;
	uint32_t cap;
};

struct bench_worker {
	struct tw_worker *w;
	struct rte_ring *replay;	/* RX and TX queue of the worker's port */
	struct rte_mempool *pool;
	struct rte_mbuf **mbufs;
	uint32_t nb_mbufs;
	uint64_t wire_bytes;		/* of the replay set */
	uint16_t port;
	uint8_t port_up;
	char port_name[32];
	uint64_t t0, t1;		/* TSC around the last run */
	uint64_t cpu0, cpu1;		/* thread CPU time (ns) around it */
} __rte_cache_aligned;

struct opts {
	const char *config;
	const char *li_dir;
	const char *write_pcap;
	const char *only[16];
	unsigned int nb_only;
	unsigned int workers;
	unsigned int rounds;
	double seconds;
	uint32_t pcap_packets;
	uint32_t pcap_flows;
	uint32_t seed;
	int quick;
	int list;
	int verbose;
	int profile;		/* only this depth + 1 (0: all three) */
};

/*
 * One run at one depth. The machine is shared: other processes take the
 * workers' cores at times, and wall-clock rates then measure the neighbours.
 * Rates and cycles are per on-CPU time (CLOCK_THREAD_CPUTIME_ID, in TSC
 * ticks at the TSC rate); wall_mpps and cpu_share show how much the run
 * actually got.
 */
struct sample {
	double mpps;		/* sum over workers of packets per on-CPU second */
	double cycles;		/* TSC ticks on CPU per packet, per worker core */
	double wall_mpps;	/* sum over workers of packets per wall second */
	double cpu_share;	/* on-CPU / wall time */
};

static struct tw_app g_app;
static struct bench_worker g_bw[BENCH_WORKERS_MAX];
static unsigned int g_nb_workers;
static volatile int g_go;
static double g_run_seconds;
static uint64_t g_alerts_drained;
static unsigned int g_port_seq;

/* ------------------------------------------------------------------------ */
/* Packet synthesis                                                          */

static inline uint32_t
xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* Printable filler: never starts like a binary LI header or a text command. */
static void
fill_payload(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t s = seed * 2654435761u + 1, i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)('a' + xorshift(&s) % 26);
}

/* One IMIX cycle of 12 frames: 7 x 64, 4 x 594, 1 x 1518, spread out. */
static const uint16_t imix_cycle[12] = {
	64, 594, 64, 64, 594, 64, 1518, 64, 594, 64, 64, 594,
};

struct l4_spec {
	uint8_t src[4];
	uint8_t dst[4];
	uint16_t sport;
	uint16_t dport;
	uint8_t tcp;
	uint8_t tcp_flags;
	uint32_t seq;
	uint32_t ack;
};

/*
 * Ethernet/IPv4/UDP or TCP frame of @p frame_len bytes (FCS excluded, at
 * least 60) into @p p; returns the length. Payload is printable filler.
 */
static uint16_t
build_frame(uint8_t *p, uint16_t frame_len, const struct l4_spec *s, uint32_t seed)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint16_t l4_len = s->tcp ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr);
	uint16_t hdrs = (uint16_t)(sizeof(*eth) + sizeof(*ip) + l4_len);
	uint16_t plen;

	if (frame_len < 60)
		frame_len = 60;
	plen = (uint16_t)(frame_len - hdrs);
	memset(p, 0, hdrs);
	memcpy(eth->dst_addr.addr_bytes, "\x02\x00\x00\x00\x00\x02", 6);
	memcpy(eth->src_addr.addr_bytes, "\x02\x00\x00\x00\x00\x01", 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(frame_len - sizeof(*eth)));
	ip->packet_id = rte_cpu_to_be_16((uint16_t)seed);
	ip->time_to_live = 64;
	ip->next_proto_id = s->tcp ? IPPROTO_TCP : IPPROTO_UDP;
	memcpy(&ip->src_addr, s->src, 4);
	memcpy(&ip->dst_addr, s->dst, 4);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (s->tcp) {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

		th->src_port = rte_cpu_to_be_16(s->sport);
		th->dst_port = rte_cpu_to_be_16(s->dport);
		th->sent_seq = rte_cpu_to_be_32(s->seq);
		th->recv_ack = rte_cpu_to_be_32(s->ack);
		th->data_off = 5 << 4;
		th->tcp_flags = s->tcp_flags;
		th->rx_win = rte_cpu_to_be_16(65535);
		/* SYN and bare ACKs carry no data. */
		if (s->tcp_flags & (RTE_TCP_SYN_FLAG)) {
			plen = 0;
			ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*th));
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
		fill_payload((uint8_t *)(th + 1), plen, seed);
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	} else {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(ip + 1);

		uh->src_port = rte_cpu_to_be_16(s->sport);
		uh->dst_port = rte_cpu_to_be_16(s->dport);
		uh->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*uh) + plen));
		fill_payload((uint8_t *)(uh + 1), plen, seed);
		uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
	}
	return frame_len;
}

static const uint16_t server_ports[8] = { 443, 80, 53, 8080, 5060, 1194, 3478, 123 };

/* Endpoints of synthetic flow @p f (0 .. 4M): the client address is unique. */
static void
flow_spec(uint32_t f, int reverse, struct l4_spec *s)
{
	uint8_t cli[4] = { 100, (uint8_t)(64 | ((f >> 16) & 0x3f)), (uint8_t)(f >> 8), (uint8_t)f };
	uint8_t srv[4] = { 198, 18, (uint8_t)((f >> 8) & 0x0f), (uint8_t)(f * 7) };
	uint16_t cport = (uint16_t)(10000 + f % 50000);
	uint16_t sport = server_ports[(f >> 1) % 8];

	memset(s, 0, sizeof(*s));
	s->tcp = f & 1;
	s->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	if (!reverse) {
		memcpy(s->src, cli, 4);
		memcpy(s->dst, srv, 4);
		s->sport = cport;
		s->dport = sport;
	} else {
		memcpy(s->src, srv, 4);
		memcpy(s->dst, cli, 4);
		s->sport = sport;
		s->dport = cport;
	}
}

/* ------------------------------------------------------------------------ */
/* Captures                                                                  */

static int
frames_add(struct frames *fs, const uint8_t *data, uint32_t len)
{
	struct frame *f;

	if (fs->nb == fs->cap) {
		uint32_t ncap = fs->cap ? fs->cap * 2 : 1024;
		struct frame *nv = realloc(fs->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -ENOMEM;
		fs->v = nv;
		fs->cap = ncap;
	}
	f = &fs->v[fs->nb];
	if (len > FRAME_MAX)
		len = FRAME_MAX;
	f->data = malloc(len);
	if (f->data == NULL)
		return -ENOMEM;
	memcpy(f->data, data, len);
	f->len = (uint16_t)len;
	fs->nb++;
	return 0;
}

static void
frames_free(struct frames *fs)
{
	uint32_t i;

	for (i = 0; i < fs->nb; i++)
		free(fs->v[i].data);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every frame of the twgen captures in @p dir, file after file in name
 * order, each in capture order: every LI family and the hard negatives;
 * background.pcap and sample.pcap (which repeats the others) left out.
 */
static int
load_li(const char *dir, struct frames *fs)
{
	char errbuf[PCAP_ERRBUF_SIZE], path[4096];
	char *names[64];
	unsigned int i, nb = 0;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct dirent *de;
	pcap_t *pc;
	DIR *d;
	int ret = 0;

	if (dir == NULL) {
		fprintf(stderr, "tapwatch-bench: LI scenarios need --li-dir (scripts/twgen.py "
				"--seed 1 --out DIR)\n");
		return -EINVAL;
	}
	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "tapwatch-bench: %s: %s (run scripts/twgen.py --seed 1 --out %s)\n",
				dir, strerror(errno), dir);
		return -ENOENT;
	}
	while ((de = readdir(d)) != NULL && nb < RTE_DIM(names)) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".pcap") != 0 ||
				strcmp(de->d_name, "background.pcap") == 0 ||
				strcmp(de->d_name, "sample.pcap") == 0)
			continue;
		names[nb] = strdup(de->d_name);
		if (names[nb] != NULL)
			nb++;
	}
	closedir(d);
	qsort(names, nb, sizeof(names[0]), cmp_str);
	for (i = 0; i < nb && ret == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		pc = pcap_open_offline(path, errbuf);
		if (pc == NULL) {
			fprintf(stderr, "tapwatch-bench: %s: %s\n", path, errbuf);
			ret = -ENOENT;
			break;
		}
		if (pcap_datalink(pc) != DLT_EN10MB) {
			fprintf(stderr, "tapwatch-bench: %s: not an Ethernet capture, skipped\n", path);
			pcap_close(pc);
			continue;
		}
		while (ret == 0 && pcap_next_ex(pc, &hdr, &data) == 1)
			ret = frames_add(fs, data, hdr->caplen);
		pcap_close(pc);
	}
	for (i = 0; i < nb; i++)
		free(names[i]);
	if (ret == 0 && fs->nb == 0) {
		fprintf(stderr, "tapwatch-bench: no capture in %s (run scripts/twgen.py --seed 1 "
				"--out %s)\n", dir, dir);
		ret = -ENOENT;
	}
	return ret;
}

/*
 * Frames that raise an alert on their own (first-packet classification):
 * parsed and scanned here, with the database the pipeline uses.
 */
static int
select_alerting(const struct tw_sig_db *db, const struct tw_config *cfg,
		const struct frames *in, struct frames *out)
{
	struct tw_sig_hit hits[4];
	hs_scratch_t *scratch = tw_sig_scratch_alloc(db);
	struct tw_pkt_meta m;
	uint32_t i, len;
	int ret = 0;

	if (scratch == NULL)
		return -ENOMEM;
	for (i = 0; i < in->nb && ret == 0; i++) {
		const struct frame *f = &in->v[i];

		if (tw_pkt_parse(f->data, f->len, TW_PKT_LINK_ETH, &m) != TW_PKT_OK ||
				m.payload_len == 0 || (m.flags & TW_PKT_F_FRAG_LATER))
			continue;
		len = RTE_MIN((uint32_t)m.payload_len, cfg->inspect_bytes);
		if (tw_sig_scan(db, scratch, &m, f->data + m.payload_off, len, hits,
				RTE_DIM(hits), NULL) > 0)
			ret = frames_add(out, f->data, f->len);
	}
	tw_sig_scratch_free(scratch);
	return ret;
}

/* Make a frame's flow unique: rewrite the low 24 bits of the source address. */
static void
uniquify(uint8_t *data, uint16_t len, uint32_t id)
{
	struct tw_pkt_meta m;
	uint8_t *src;

	if (tw_pkt_parse(data, len, TW_PKT_LINK_ETH, &m) != TW_PKT_OK)
		return;
	if (m.l3 == 4)
		src = data + m.l3_off + 12 + 1;
	else
		src = data + m.l3_off + 8 + 13;
	src[0] = (uint8_t)(id >> 16);
	src[1] = (uint8_t)(id >> 8);
	src[2] = (uint8_t)id;
}

/* Worker a captured frame belongs to: symmetric, like the RSS key tapwatch programs. */
static unsigned int
frame_worker(const struct frame *f, unsigned int nb_workers)
{
	struct tw_pkt_meta m;
	struct tw_flow_key k;

	if (nb_workers == 1 || tw_pkt_parse(f->data, f->len, TW_PKT_LINK_ETH, &m) != TW_PKT_OK)
		return 0;
	tw_flow_key_from_meta(&m, &k);
	return rte_hash_crc(&k, sizeof(k), 0) % nb_workers;
}

/* ------------------------------------------------------------------------ */
/* Replay set: mbufs and their ring port                                     */

static int
worker_mbufs(struct bench_worker *bw, unsigned int wid, uint32_t nb, uint16_t data_room)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	int socket = (int)rte_socket_id();

	snprintf(name, sizeof(name), "bench_pool_%u", wid);
	bw->pool = rte_pktmbuf_pool_create(name, nb, 0, 0,
			(uint16_t)(RTE_PKTMBUF_HEADROOM + data_room), socket);
	if (bw->pool == NULL) {
		fprintf(stderr, "tapwatch-bench: mbuf pool of %u x %u bytes: %s (raise -m)\n", nb,
				data_room, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	bw->mbufs = calloc(nb, sizeof(*bw->mbufs));
	if (bw->mbufs == NULL || rte_pktmbuf_alloc_bulk(bw->pool, bw->mbufs, nb) != 0)
		return -ENOMEM;
	bw->nb_mbufs = nb;
	return 0;
}

static int
mbuf_set(struct rte_mbuf *mb, const uint8_t *data, uint16_t len)
{
	char *dst;

	rte_pktmbuf_reset(mb);
	dst = rte_pktmbuf_append(mb, len);
	if (dst == NULL)
		return -ENOSPC;
	memcpy(dst, data, len);
	return 0;
}

static uint16_t
scenario_frame_len(const struct scenario *sc, uint32_t i)
{
	if (sc->traffic == TR_IMIX)
		return (uint16_t)(imix_cycle[i % RTE_DIM(imix_cycle)] - FCS_LEN);
	return 64 - FCS_LEN;
}

/*
 * Synthetic replay set of worker @p wid: its share of the flows (flow f goes
 * to worker f % nb_workers), each flow's packets alternating direction, and
 * flows interleaved so that a burst holds 32 different flows.
 */
static int
build_synthetic(const struct scenario *sc, struct bench_worker *bw, unsigned int wid,
		unsigned int nb_workers)
{
	uint32_t nb_flows = (sc->flows + nb_workers - 1 - wid) / nb_workers;
	uint32_t nb = nb_flows * sc->pkts_per_flow, i;
	uint8_t buf[FRAME_MAX];
	int ret;

	ret = worker_mbufs(bw, wid, nb, sc->traffic == TR_IMIX ? FRAME_MAX : 64);
	if (ret != 0)
		return ret;
	for (i = 0; i < nb; i++) {
		uint32_t k = i / nb_flows;
		uint32_t f = (i % nb_flows) * nb_workers + wid;
		struct l4_spec s;
		uint16_t len;

		flow_spec(f, k & 1, &s);
		s.seq = 1000 + k * 1000;
		len = build_frame(buf, scenario_frame_len(sc, i), &s, i);
		if (mbuf_set(bw->mbufs[i], buf, len) != 0)
			return -ENOSPC;
		bw->wire_bytes += len + FCS_LEN;
	}
	return 0;
}

static int
build_from_frames(const struct scenario *sc, const struct frames *fs, struct bench_worker *bw,
		unsigned int wid, unsigned int nb_workers)
{
	uint32_t nb = 0, i, k = 0, id;
	uint16_t max_len = 64;
	uint8_t buf[FRAME_MAX];
	int ret;

	if (sc->traffic == TR_STORM_LI) {
		nb = (sc->flows + nb_workers - 1 - wid) / nb_workers;
	} else {
		for (i = 0; i < fs->nb; i++)
			if (frame_worker(&fs->v[i], nb_workers) == wid)
				nb++;
	}
	if (nb == 0)
		return -ENOENT;
	for (i = 0; i < fs->nb; i++)
		max_len = RTE_MAX(max_len, fs->v[i].len);
	ret = worker_mbufs(bw, wid, nb, max_len);
	if (ret != 0)
		return ret;
	for (i = 0; k < nb; i++) {
		const struct frame *f = &fs->v[i % fs->nb];

		if (sc->traffic == TR_STORM_LI) {
			memcpy(buf, f->data, f->len);
			id = i * nb_workers + wid;
			uniquify(buf, f->len, id);
			ret = mbuf_set(bw->mbufs[k++], buf, f->len);
		} else {
			if (frame_worker(f, nb_workers) != wid)
				continue;
			ret = mbuf_set(bw->mbufs[k++], f->data, f->len);
		}
		if (ret != 0)
			return ret;
		bw->wire_bytes += f->len + FCS_LEN;
	}
	return 0;
}

/* The worker's port: one queue pair on one ring, so TX feeds the next RX. */
static int
worker_port(struct bench_worker *bw, unsigned int wid)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_eth_conf conf;
	struct rte_ring *rings[1];
	uint32_t i;
	int port, ret;

	snprintf(name, sizeof(name), "bench_replay_%u", wid);
	bw->replay = rte_ring_create(name, rte_align32pow2(bw->nb_mbufs + 1),
			(int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (bw->replay == NULL)
		return -rte_errno;
	/* Unique per scenario: a closed ring port's name is not reusable at once. */
	snprintf(bw->port_name, sizeof(bw->port_name), "net_ring_bench%u_%u", g_port_seq++, wid);
	rings[0] = bw->replay;
	port = rte_eth_from_rings(bw->port_name, rings, 1, rings, 1, rte_socket_id());
	if (port < 0)
		return -rte_errno;
	bw->port = (uint16_t)port;
	bw->port_up = 1;
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(bw->port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(bw->port, 0, 1024, rte_socket_id(), NULL, bw->pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(bw->port, 0, 1024, rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(bw->port);
	if (ret != 0)
		return ret;
	for (i = 0; i < bw->nb_mbufs; i++)
		if (rte_ring_enqueue(bw->replay, bw->mbufs[i]) != 0)
			return -ENOSPC;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Runs                                                                      */

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
drain_alerts(void)
{
	static struct tw_alert buf[64];
	unsigned int i, n;

	for (i = 0; i < g_nb_workers; i++) {
		do {
			n = tw_alert_ring_pop(g_bw[i].w->ring, buf, RTE_DIM(buf));
			g_alerts_drained += n;
		} while (n == RTE_DIM(buf));
	}
}

/* Start the workers, stop them after g_run_seconds, drain alerts meanwhile. */
static void *
timer_main(void *arg)
{
	uint64_t start, end;
	struct timespec nap = { 0, DRAIN_PERIOD_NS };

	RTE_SET_USED(arg);
	start = mono_ns();
	end = start + (uint64_t)(g_run_seconds * 1e9);
	__atomic_store_n(&g_go, 1, __ATOMIC_RELEASE);
	while (mono_ns() < end) {
		nanosleep(&nap, NULL);
		drain_alerts();
	}
	__atomic_store_n(&g_app.stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static uint64_t
thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
bench_lcore(void *arg)
{
	struct bench_worker *bw = arg;

	while (!__atomic_load_n(&g_go, __ATOMIC_ACQUIRE))
		rte_pause();
	bw->cpu0 = thread_cpu_ns();
	bw->t0 = rte_rdtsc();
	tw_worker_main(bw->w);
	bw->t1 = rte_rdtsc();
	bw->cpu1 = thread_cpu_ns();
	return 0;
}

struct counters {
	uint64_t tx;
	uint64_t scans;
	uint64_t alerts;
	uint64_t alerts_dropped;
	uint64_t created;
};

static void
counters_get(unsigned int i, struct counters *c)
{
	const struct tw_pipeline_stats *ps = tw_pipeline_stats(g_bw[i].w->pl);
	struct tw_flow_stats fs;

	tw_pipeline_flow_stats(g_bw[i].w->pl, &fs);
	c->tx = g_bw[i].w->c[TW_WORKER_TX_PKTS];
	c->scans = ps->c[TW_PIPE_SCANS];
	c->alerts = ps->c[TW_PIPE_ALERTS];
	c->alerts_dropped = ps->c[TW_PIPE_ALERTS_DROPPED];
	c->created = fs.created;
}

struct run_result {
	struct sample s;
	uint64_t pkts;
	uint64_t scans;
	uint64_t alerts;
	uint64_t alerts_dropped;
	uint64_t created;
};

/*
 * Put a worker's replay ring back where it was before a run of @p pkts
 * packets: forwarding moves through the ring without touching the flow
 * table, and a storm must keep meeting the packets whose flows left the
 * table longest ago.
 */
static void
ring_rewind(struct bench_worker *bw, uint64_t pkts)
{
	void *tmp[256];
	uint32_t k = (uint32_t)((bw->nb_mbufs - pkts % bw->nb_mbufs) % bw->nb_mbufs), n;

	while (k > 0) {
		n = rte_ring_dequeue_burst(bw->replay, tmp, RTE_MIN(k, (uint32_t)RTE_DIM(tmp)),
				NULL);
		rte_ring_enqueue_bulk(bw->replay, tmp, n, NULL);
		k -= n;
	}
}

/* One timed run of every worker at one depth. */
static int
run_depth(enum depth_idx d, double seconds, struct run_result *r)
{
	struct counters before[BENCH_WORKERS_MAX], after;
	double tsc_hz = (double)rte_get_tsc_hz(), cpu_s = 0, wall_s = 0;
	cpu_set_t all;
	pthread_t timer;
	unsigned int i;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < g_nb_workers; i++) {
		tw_pipeline_set_depth(g_bw[i].w->pl, depth_of[d]);
		counters_get(i, &before[i]);
	}
	__atomic_store_n(&g_app.stop, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&g_go, 0, __ATOMIC_RELEASE);
	g_run_seconds = seconds;
	for (i = 1; i < g_nb_workers; i++) {
		ret = rte_eal_remote_launch(bench_lcore, &g_bw[i], g_bw[i].w->lcore);
		if (ret != 0) {
			fprintf(stderr, "tapwatch-bench: cannot launch worker %u on lcore %u: %s\n",
					i, g_bw[i].w->lcore, strerror(-ret));
			return ret;
		}
	}
	ret = pthread_create(&timer, NULL, timer_main, NULL);
	if (ret != 0)
		return -ret;
	/* The timer may run anywhere: it wakes once a millisecond. */
	CPU_ZERO(&all);
	for (i = 0; i < (unsigned int)ncpu && i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	pthread_setaffinity_np(timer, sizeof(all), &all);
	bench_lcore(&g_bw[0]);
	rte_eal_mp_wait_lcore();
	pthread_join(timer, NULL);
	drain_alerts();

	for (i = 0; i < g_nb_workers; i++) {
		double wall = (double)(g_bw[i].t1 - g_bw[i].t0) / tsc_hz;
		double cpu = (double)(g_bw[i].cpu1 - g_bw[i].cpu0) / 1e9;
		uint64_t pkts;

		counters_get(i, &after);
		pkts = after.tx - before[i].tx;
		if (d == D_FWD)
			ring_rewind(&g_bw[i], pkts);
		r->pkts += pkts;
		r->scans += after.scans - before[i].scans;
		r->alerts += after.alerts - before[i].alerts;
		r->alerts_dropped += after.alerts_dropped - before[i].alerts_dropped;
		r->created += after.created - before[i].created;
		if (cpu > 0 && wall > 0) {
			r->s.mpps += (double)pkts / cpu / 1e6;
			r->s.wall_mpps += (double)pkts / wall / 1e6;
		}
		cpu_s += cpu;
		wall_s += wall;
	}
	r->s.cycles = r->pkts > 0 ? cpu_s * tsc_hz / (double)r->pkts : 0;
	r->s.cpu_share = wall_s > 0 ? cpu_s / wall_s : 0;
	return 0;
}

/* Untimed passes over the replay set through the pipeline itself. */
static void
warm_up(const struct scenario *sc)
{
	uint8_t drop[TW_BURST_MAX];
	uint32_t p, i, n;
	unsigned int w;

	for (w = 0; w < g_nb_workers; w++) {
		struct bench_worker *bw = &g_bw[w];

		tw_pipeline_set_depth(bw->w->pl, TW_PIPELINE_FULL);
		for (p = 0; p < sc->warm_passes; p++) {
			for (i = 0; i < bw->nb_mbufs; i += n) {
				n = RTE_MIN((uint32_t)TW_BURST_MAX, bw->nb_mbufs - i);
				tw_pipeline_burst(bw->w->pl, bw->mbufs + i, (uint16_t)n, NULL,
						tw_now_ns(), drop);
			}
			drain_alerts();
		}
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, unsigned int n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------------------ */
/* Scenario set-up and teardown                                              */

static int
setup_workers(const struct scenario *sc, const struct tw_config *cfg,
		const struct tw_sig_db *db, const struct frames *fs)
{
	unsigned int lcore = rte_get_main_lcore(), i;
	int ret;

	g_app.workers = rte_zmalloc("bench_workers", sizeof(*g_app.workers) * g_nb_workers,
			RTE_CACHE_LINE_SIZE);
	if (g_app.workers == NULL)
		return -ENOMEM;
	g_app.nb_workers = (uint16_t)g_nb_workers;
	for (i = 0; i < g_nb_workers; i++) {
		struct bench_worker *bw = &g_bw[i];
		struct tw_worker *w = &g_app.workers[i];
		struct tw_pipeline_params pp;
		char name[32];

		memset(bw, 0, sizeof(*bw));
		bw->w = w;
		w->id = (uint16_t)i;
		w->lcore = lcore;
		if (i + 1 < g_nb_workers)
			lcore = rte_get_next_lcore(lcore, 1, 0);
		snprintf(name, sizeof(name), "bench_alerts_%u", i);
		w->ring = tw_alert_ring_create(name, BENCH_ALERT_RING, (int)rte_socket_id());
		if (w->ring == NULL)
			return -ENOMEM;
		snprintf(name, sizeof(name), "bench_flows_%u", i);
		memset(&pp, 0, sizeof(pp));
		pp.worker_id = (uint16_t)i;
		pp.socket_id = (int)rte_socket_id();
		pp.link = TW_PKT_LINK_ETH;
		pp.db = db;
		pp.mds = cfg->mds;
		pp.nb_mds = cfg->nb_mds;
		pp.tasks = cfg->tasks.has_xids || cfg->tasks.has_liids ? &cfg->tasks : NULL;
		pp.inspect_pkts = cfg->inspect_pkts;
		pp.inspect_bytes = cfg->inspect_bytes;
		pp.alert_ring = w->ring;
		pp.flow.name = name;
		pp.flow.capacity = sc->table != 0 ? sc->table : cfg->flow_table_size;
		pp.flow.frag_capacity = cfg->frag_table_size;
		pp.flow.idle_timeout_ns = (uint64_t)cfg->flow_timeout_s * 1000000000ull;
		pp.flow.socket_id = pp.socket_id;
		pp.flow.worker_id = (uint16_t)i;
		w->pl = tw_pipeline_create(&pp);
		if (w->pl == NULL) {
			fprintf(stderr, "tapwatch-bench: worker %u pipeline (%u flows): %s (raise -m)\n",
					i, pp.flow.capacity, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		if (sc->traffic == TR_64B || sc->traffic == TR_IMIX)
			ret = build_synthetic(sc, bw, i, g_nb_workers);
		else
			ret = build_from_frames(sc, fs, bw, i, g_nb_workers);
		if (ret != 0) {
			fprintf(stderr, "tapwatch-bench: worker %u packets: %s\n", i, strerror(-ret));
			return ret;
		}
		w->pool = bw->pool;
		ret = worker_port(bw, i);
		if (ret != 0) {
			fprintf(stderr, "tapwatch-bench: worker %u ring port: %s\n", i,
					rte_strerror(-ret));
			return ret;
		}
		w->rx[0].rx_port = bw->port;
		w->rx[0].queue = 0;
		w->rx[0].tx_port = bw->port;
		w->nb_rx = 1;
	}
	return 0;
}

static void
teardown_workers(void)
{
	unsigned int i;

	for (i = 0; i < g_nb_workers; i++) {
		struct bench_worker *bw = &g_bw[i];

		if (bw->w == NULL)
			continue;
		if (bw->port_up) {
			rte_eth_dev_stop(bw->port);
			rte_eth_dev_close(bw->port);
			rte_vdev_uninit(bw->port_name);
		}
		rte_ring_free(bw->replay);
		if (bw->mbufs != NULL && bw->pool != NULL)
			rte_pktmbuf_free_bulk(bw->mbufs, bw->nb_mbufs);
		free(bw->mbufs);
		rte_mempool_free(bw->pool);
		tw_pipeline_free(bw->w->pl);
		rte_ring_free(bw->w->ring);
		memset(bw, 0, sizeof(*bw));
	}
	rte_free(g_app.workers);
	g_app.workers = NULL;
}

static int
run_scenario(const struct scenario *sc, const struct opts *o, const struct tw_config *cfg,
		const struct tw_sig_db *db, const struct frames *li, const struct frames *alerting)
{
	double mpps[D_MAX][BENCH_ROUNDS_MAX], cyc[D_MAX][BENCH_ROUNDS_MAX];
	double wall[D_MAX][BENCH_ROUNDS_MAX], share[D_MAX][BENCH_ROUNDS_MAX];
	double rf[BENCH_ROUNDS_MAX], rt[BENCH_ROUNDS_MAX];
	uint64_t pkts = 0, scans = 0, alerts = 0, dropped = 0, created = 0, wire = 0, nb_set = 0;
	struct run_result r;
	unsigned int round, k, i;
	int ret;

	fprintf(stderr, "bench: %s, %u worker(s): %s\n", sc->name, g_nb_workers, sc->what);
	ret = setup_workers(sc, cfg, db, sc->traffic == TR_STORM_LI ? alerting : li);
	if (ret != 0) {
		teardown_workers();
		return ret;
	}
	for (i = 0; i < g_nb_workers; i++) {
		wire += g_bw[i].wire_bytes;
		nb_set += g_bw[i].nb_mbufs;
	}
	warm_up(sc);
	/* A short run through the real loop: caches on the workers' own cores. */
	ret = o->profile ? 0 : run_depth(D_FULL, RTE_MIN(0.2, o->seconds), &r);
	if (ret != 0)
		goto out;

	if (o->profile != 0) {
		/* For perf/callgrind: one depth only, no ratios. */
		for (round = 0; round < o->rounds; round++) {
			ret = run_depth((enum depth_idx)(o->profile - 1), o->seconds, &r);
			if (ret != 0)
				goto out;
			fprintf(stderr, "  %-8s %8.3f Mpps %7.1f cycles/pkt, %" PRIu64 " packets\n",
					depth_name[o->profile - 1], r.s.mpps, r.s.cycles, r.pkts);
		}
		goto out;
	}
	for (round = 0; round < o->rounds; round++) {
		for (k = 0; k < D_MAX; k++) {
			/* Rotate the order so no depth always runs first. */
			enum depth_idx d = (enum depth_idx)((k + round) % D_MAX);

			ret = run_depth(d, o->seconds, &r);
			if (ret != 0)
				goto out;
			mpps[d][round] = r.s.mpps;
			cyc[d][round] = r.s.cycles;
			wall[d][round] = r.s.wall_mpps;
			share[d][round] = r.s.cpu_share;
			if (d == D_FULL) {
				pkts += r.pkts;
				scans += r.scans;
				alerts += r.alerts;
				dropped += r.alerts_dropped;
				created += r.created;
			}
			if (o->verbose)
				fprintf(stderr, "  round %u %-8s %8.3f Mpps %7.1f cycles/pkt "
						"(wall %.3f Mpps, %.0f%% on CPU)\n", round,
						depth_name[d], r.s.mpps, r.s.cycles, r.s.wall_mpps,
						100 * r.s.cpu_share);
		}
		rf[round] = mpps[D_FULL][round] / mpps[D_FWD][round];
		rt[round] = mpps[D_FULL][round] / mpps[D_TRACK][round];
	}

	{
		double m[D_MAX], c[D_MAX], wm, sh;

		for (k = 0; k < D_MAX; k++) {
			m[k] = median(mpps[k], o->rounds);
			c[k] = median(cyc[k], o->rounds);
		}
		wm = median(wall[D_FULL], o->rounds);
		sh = median(share[D_FULL], o->rounds);
		printf("{\"name\":\"%s\",\"workers\":%u,\"mpps\":%.3f,\"cycles_per_pkt\":%.1f,"
				"\"ratio_vs_forward\":%.3f,\"ratio_vs_tracking\":%.3f,"
				"\"mpps_forward\":%.3f,\"mpps_tracking\":%.3f,"
				"\"cycles_forward\":%.1f,\"cycles_tracking\":%.1f,"
				"\"scans_per_pkt\":%.4f,\"new_flows_per_pkt\":%.4f,"
				"\"alerts_per_pkt\":%.4f,\"alerts_dropped\":%" PRIu64 ","
				"\"replay_pkts\":%" PRIu64 ",\"avg_frame_bytes\":%.0f,"
				"\"wall_mpps\":%.3f,\"cpu_share\":%.2f,"
				"\"rounds\":%u,\"seconds\":%.2f}\n",
				sc->name, g_nb_workers, m[D_FULL], c[D_FULL],
				median(rf, o->rounds), median(rt, o->rounds),
				m[D_FWD], m[D_TRACK], c[D_FWD], c[D_TRACK],
				pkts ? (double)scans / (double)pkts : 0,
				pkts ? (double)created / (double)pkts : 0,
				pkts ? (double)alerts / (double)pkts : 0, dropped,
				nb_set, nb_set ? (double)wire / (double)nb_set : 0,
				wm, sh, o->rounds, o->seconds);
		fflush(stdout);
	}
out:
	teardown_workers();
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Large capture for tapwatch -r and Suricata                                */

struct bg_flow {
	uint32_t seq[2];
	uint32_t nb;		/* packets sent */
};

/*
 * @p nb_pkts frames: background flows (60% UDP, 40% TCP with a three-way
 * handshake and consistent sequence numbers), IMIX sizes, round robin over
 * the flows, with the twgen LI captures (if given) merged in at even
 * spacing, in capture order. 1 us between frames.
 */
static int
write_pcap(const struct opts *o)
{
	struct frames li = { 0 };
	struct bg_flow *flows;
	uint8_t buf[FRAME_MAX];
	pcap_dumper_t *dump;
	pcap_t *dead;
	uint64_t ts_us = (uint64_t)1767225600 * 1000000;	/* 2026-01-01T00:00:00Z */
	uint32_t i, next_li = 0, every = 0, rnd = o->seed;

	if (o->li_dir != NULL && load_li(o->li_dir, &li) != 0)
		return 1;
	flows = calloc(o->pcap_flows, sizeof(*flows));
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (flows == NULL || dead == NULL)
		return 1;
	dump = pcap_dump_open(dead, o->write_pcap);
	if (dump == NULL) {
		fprintf(stderr, "tapwatch-bench: %s: %s\n", o->write_pcap, pcap_geterr(dead));
		return 1;
	}
	if (li.nb > 0)
		every = o->pcap_packets / (li.nb + 1);
	for (i = 0; i < o->pcap_packets; i++, ts_us++) {
		struct pcap_pkthdr h;
		const uint8_t *data = buf;
		uint16_t len;

		if (every != 0 && next_li < li.nb && i == (next_li + 1) * every) {
			data = li.v[next_li].data;
			len = li.v[next_li].len;
			next_li++;
		} else {
			uint32_t f = xorshift(&rnd) % o->pcap_flows;
			struct bg_flow *bf = &flows[f];
			struct l4_spec s;
			int tcp = (f % 10) < 4, rev;

			if (tcp && bf->nb < 3) {
				/* SYN, SYN-ACK, ACK */
				rev = bf->nb == 1;
				flow_spec(f, rev, &s);
				s.tcp = 1;
				if (bf->nb == 0) {
					bf->seq[0] = xorshift(&rnd);
					bf->seq[1] = xorshift(&rnd);
				}
				s.tcp_flags = bf->nb == 0 ? RTE_TCP_SYN_FLAG : bf->nb == 1 ?
						RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG : RTE_TCP_ACK_FLAG;
				s.seq = bf->nb == 2 ? bf->seq[0] + 1 : bf->seq[rev];
				s.ack = bf->nb == 0 ? 0 : bf->seq[!rev] + 1;
				len = build_frame(buf, 60, &s, i);
				if (bf->nb == 2) {
					/* bare ACK: no payload */
					struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + 14);
					struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

					ip->total_length = rte_cpu_to_be_16(40);
					ip->hdr_checksum = 0;
					ip->hdr_checksum = rte_ipv4_cksum(ip);
					th->cksum = 0;
					th->cksum = rte_ipv4_udptcp_cksum(ip, th);
					bf->seq[0] += 1;
					bf->seq[1] += 1;
				}
			} else {
				uint16_t flen = (uint16_t)(imix_cycle[xorshift(&rnd) % 12] - FCS_LEN);

				rev = (int)(xorshift(&rnd) & 1);
				flow_spec(f, rev, &s);
				s.tcp = (uint8_t)tcp;
				s.tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
				if (tcp) {
					s.seq = bf->seq[rev];
					s.ack = bf->seq[!rev];
				}
				len = build_frame(buf, flen, &s, i);
				if (tcp)
					bf->seq[rev] += (uint32_t)(len - 54);
			}
			bf->nb++;
		}
		h.ts.tv_sec = (time_t)(ts_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
		h.caplen = len;
		h.len = len;
		pcap_dump((u_char *)dump, &h, data);
	}
	pcap_dump_close(dump);
	pcap_close(dead);
	free(flows);
	fprintf(stderr, "tapwatch-bench: wrote %u packets (%u from %s) to %s\n", o->pcap_packets,
			next_li, o->li_dir != NULL ? o->li_dir : "-", o->write_pcap);
	frames_free(&li);
	return 0;
}

/* ------------------------------------------------------------------------ */

static void
usage(FILE *f, const char *prog)
{
	unsigned int i;

	fprintf(f,
		"Usage: %s [EAL options] -- [options]\n"
		"       %s --write-pcap FILE [--packets N] [--flows N] [--li-dir DIR]\n"
		"\n"
		"Measures the worker loop (RX, tw_pipeline_burst, TX) over packets held in\n"
		"memory, at three depths: forward, tracking, full. One JSON line per scenario.\n"
		"\n"
		"  -c, --config FILE     tapwatch config (inventory, budgets, signatures)\n"
		"      --li-dir DIR      scripts/twgen.py output, for li-mix and storm-li\n"
		"  -s, --scenario NAME   run this scenario (repeatable; default: all, or the\n"
		"                        --quick set)\n"
		"  -w, --workers N       worker lcores (1..%d; EAL needs N lcores)\n"
		"      --seconds S       per depth per round (default 1.0)\n"
		"      --rounds R        rounds; medians are taken over them (default 5)\n"
		"      --quick           the quick set, 0.25 s x 3 rounds\n"
		"      --list            list scenarios\n"
		"      --profile DEPTH   run only forward, tracking or full (for perf, callgrind)\n"
		"  -v, --verbose         every round on stderr\n"
		"      --write-pcap FILE write a large capture (background + LI) and exit\n"
		"      --packets N       frames in that capture (default 1000000)\n"
		"      --flows N         background flows in it (default 20000)\n"
		"      --seed N          (default 1)\n"
		"\nScenarios:\n", prog, prog, BENCH_WORKERS_MAX);
	for (i = 0; i < RTE_DIM(scenarios); i++)
		fprintf(f, "  %-10s %s%s\n", scenarios[i].name, scenarios[i].what,
				scenarios[i].quick ? "" : " (not in --quick)");
}

enum {
	OPT_LI_DIR = 256,
	OPT_SECONDS,
	OPT_ROUNDS,
	OPT_QUICK,
	OPT_LIST,
	OPT_WRITE_PCAP,
	OPT_PACKETS,
	OPT_FLOWS,
	OPT_SEED,
	OPT_PROFILE,
};

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "li-dir", required_argument, NULL, OPT_LI_DIR },
		{ "scenario", required_argument, NULL, 's' },
		{ "workers", required_argument, NULL, 'w' },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "rounds", required_argument, NULL, OPT_ROUNDS },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "verbose", no_argument, NULL, 'v' },
		{ "write-pcap", required_argument, NULL, OPT_WRITE_PCAP },
		{ "packets", required_argument, NULL, OPT_PACKETS },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:s:w:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_LI_DIR:
			o->li_dir = optarg;
			break;
		case 's':
			if (o->nb_only == RTE_DIM(o->only))
				return -EINVAL;
			o->only[o->nb_only++] = optarg;
			break;
		case 'w':
			o->workers = (unsigned int)atoi(optarg);
			if (o->workers < 1 || o->workers > BENCH_WORKERS_MAX)
				return -EINVAL;
			break;
		case OPT_SECONDS:
			o->seconds = atof(optarg);
			if (!(o->seconds >= 0.01 && o->seconds <= 60))
				return -EINVAL;
			break;
		case OPT_ROUNDS:
			o->rounds = (unsigned int)atoi(optarg);
			if (o->rounds < 1 || o->rounds > BENCH_ROUNDS_MAX)
				return -EINVAL;
			break;
		case OPT_QUICK:
			o->quick = 1;
			break;
		case OPT_LIST:
			o->list = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case OPT_WRITE_PCAP:
			o->write_pcap = optarg;
			break;
		case OPT_PACKETS:
			o->pcap_packets = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case OPT_FLOWS:
			o->pcap_flows = (uint32_t)strtoul(optarg, NULL, 10);
			if (o->pcap_flows < 2 || o->pcap_flows > 4000000)
				return -EINVAL;
			break;
		case OPT_SEED:
			o->seed = (uint32_t)strtoul(optarg, NULL, 10) | 1;
			break;
		case OPT_PROFILE:
			for (o->profile = 0; o->profile < D_MAX; o->profile++)
				if (strcmp(optarg, depth_name[o->profile]) == 0)
					break;
			if (o->profile == D_MAX)
				return -EINVAL;
			o->profile++;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(EXIT_SUCCESS);
		default:
			return -EINVAL;
		}
	}
	return optind == argc ? 0 : -EINVAL;
}

static int
wanted(const struct opts *o, const struct scenario *sc)
{
	unsigned int i;

	if (o->nb_only == 0)
		return !o->quick || sc->quick;
	for (i = 0; i < o->nb_only; i++)
		if (strcmp(o->only[i], sc->name) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {
		.workers = 1, .rounds = 5, .seconds = 1.0,
		.pcap_packets = 1000000, .pcap_flows = 20000, .seed = 1,
	};
	struct frames li = { 0 }, alerting = { 0 };
	struct tw_config cfg;
	struct tw_error err;
	struct tw_sig_db *db = NULL;
	int sep = -1, i, ret, status = EXIT_FAILURE, eal_argc;
	unsigned int s, nb_run = 0;
	int need_li = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	/* Options after "--", or all of them when there is no EAL part. */
	{
		int oargc = sep < 0 ? argc : argc - sep;
		char **oargv = sep < 0 ? argv : argv + sep;
		char *prog = argv[0];

		if (sep >= 0)
			oargv[0] = prog;
		if (parse_args(oargc, oargv, &o) != 0) {
			usage(stderr, prog);
			return EXIT_FAILURE;
		}
	}
	if (o.quick) {
		if (o.seconds == 1.0)
			o.seconds = 0.25;
		if (o.rounds == 5)
			o.rounds = 3;
	}
	if (o.list) {
		usage(stdout, argv[0]);
		return EXIT_SUCCESS;
	}
	if (o.write_pcap != NULL)
		return write_pcap(&o) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;

	memset(&cfg, 0, sizeof(cfg));
	if (o.config != NULL)
		ret = tw_config_load(o.config, &cfg, &err);
	else {
		tw_config_defaults(&cfg);
		ret = 0;
	}
	if (ret != 0) {
		fprintf(stderr, "tapwatch-bench: config %s:%u: %s\n", err.file, err.line, err.msg);
		goto out_cfg;
	}
	db = tw_sig_db_load(cfg.signatures, &err);
	if (db == NULL) {
		fprintf(stderr, "tapwatch-bench: signatures %s:%u: %s\n", err.file, err.line, err.msg);
		goto out_cfg;
	}
	for (i = 0; i < TW_FAMILY_MAX; i++)
		if (cfg.nb_family_ports[i] > 0 && tw_sig_db_set_ports(db, (unsigned int)i,
				cfg.family_ports[i], cfg.nb_family_ports[i]) != 0)
			goto out_db;

	for (s = 0; s < RTE_DIM(scenarios); s++)
		if (wanted(&o, &scenarios[s]) && (scenarios[s].traffic == TR_LI ||
				scenarios[s].traffic == TR_STORM_LI))
			need_li = 1;
	if (need_li) {
		if (load_li(o.li_dir, &li) != 0)
			goto out_db;
		if (select_alerting(db, &cfg, &li, &alerting) != 0 || alerting.nb == 0) {
			fprintf(stderr, "tapwatch-bench: no frame in %s raises an alert on its own\n",
					o.li_dir);
			goto out_db;
		}
	}

	eal_argc = sep < 0 ? 1 : sep;
	ret = rte_eal_init(eal_argc, argv);
	if (ret < 0) {
		fprintf(stderr, "tapwatch-bench: EAL: %s (try --no-huge -m 1024 --no-shconf "
				"--no-pci -l 0-1 before --)\n", rte_strerror(rte_errno));
		goto out_db;
	}
	if (rte_lcore_count() < o.workers) {
		fprintf(stderr, "tapwatch-bench: %u workers need %u lcores; EAL has %u (-l 0-%u)\n",
				o.workers, o.workers, rte_lcore_count(), o.workers - 1);
		goto out_eal;
	}
	g_nb_workers = o.workers;
	g_app.tsc_hz = rte_get_tsc_hz();
	g_app.base_tsc = rte_rdtsc();
	g_app.start_ns = tw_now_ns();
	tw_workers_set_app(&g_app);
	fprintf(stderr, "bench: TSC %.3f GHz, %u signatures, %u-packet bursts, inspection %u "
			"packets / %u bytes per direction, %u LI frames (%u alerting)\n",
			(double)g_app.tsc_hz / 1e9, tw_sig_db_count(db), TW_BURST_MAX,
			cfg.inspect_pkts, cfg.inspect_bytes, li.nb, alerting.nb);

	for (s = 0; s < RTE_DIM(scenarios); s++) {
		if (!wanted(&o, &scenarios[s]))
			continue;
		nb_run++;
		if (run_scenario(&scenarios[s], &o, &cfg, db, &li, &alerting) != 0)
			goto out_eal;
	}
	if (nb_run == 0) {
		fprintf(stderr, "tapwatch-bench: no such scenario (see --list)\n");
		goto out_eal;
	}
	status = EXIT_SUCCESS;
out_eal:
	rte_eal_cleanup();
out_db:
	tw_sig_db_free(db);
	frames_free(&li);
	frames_free(&alerting);
out_cfg:
	tw_config_free(&cfg);
	return status;
}

/* tw_app.h declares it; the worker loop does not call it, the warm-up does. */
uint64_t
tw_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
