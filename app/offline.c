/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Offline mode (-r): packets from a pcap or pcapng file, read by libpcap,
 * copied into mbufs and pushed through the same tw_pipeline_burst() the
 * worker lcores run, with the capture's own timestamps (so flow timeouts
 * follow capture time). The exporter is drained after every burst, so no
 * alert can be lost to a full ring however fast the file is read.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "tw_app.h"

/* Data room: the largest frame an offloaded capture can hold. */
#define OFFLINE_DATA_ROOM UINT16_MAX
#define OFFLINE_POOL_SIZE (2 * TW_BURST_MAX - 1)

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229

static int
link_from_dlt(int dlt, enum tw_pkt_link *link)
{
	switch (dlt) {
	case DLT_EN10MB:
		*link = TW_PKT_LINK_ETH;
		return 0;
	case DLT_RAW:
	case 14:	/* DLT_RAW as OpenBSD numbers it */
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		*link = TW_PKT_LINK_RAW;
		return 0;
	case DLT_LINUX_SLL:
		*link = TW_PKT_LINK_SLL;
		return 0;
	case DLT_LINUX_SLL2:
		*link = TW_PKT_LINK_SLL2;
		return 0;
	}
	return -ENOTSUP;
}

/* The link type is a pipeline parameter: main creates the pipeline after
 * asking us what the file holds. */
int
tw_offline_link(const char *path, enum tw_pkt_link *link)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc;
	int dlt;

	pc = pcap_open_offline(path, errbuf);
	if (pc == NULL) {
		fprintf(stderr, "tapwatch: cannot read %s: %s\n", path, errbuf);
		return -EINVAL;
	}
	dlt = pcap_datalink(pc);
	pcap_close(pc);
	if (link_from_dlt(dlt, link) != 0) {
		fprintf(stderr, "tapwatch: %s: link type %d (%s) is not supported: tapwatch reads "
				"Ethernet, raw IP and Linux cooked (SLL, SLL2) captures\n", path, dlt,
				pcap_datalink_val_to_name(dlt) != NULL ?
				pcap_datalink_val_to_name(dlt) : "unknown");
		return -ENOTSUP;
	}
	return 0;
}

/*
 * Progress on a terminal (stderr a TTY, no -q): one line redrawn about once
 * a second, from the first second on, so short runs print nothing; erased at
 * the end. The position is the capture stream's (pcap_file(): pcap and
 * pcapng alike); a pipe has no size, so then only packets and rate.
 */
struct progress {
	FILE *fp;
	uint64_t size;		/* 0: unknown */
	uint64_t hz;		/* 0: off */
	uint64_t start_tsc;
	uint64_t next_tsc;
	int shown;
};

static void
progress_init(struct progress *p, const struct tw_app *app, pcap_t *pc)
{
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (app->quiet || !isatty(STDERR_FILENO) || app->tsc_hz == 0)
		return;
	p->hz = app->tsc_hz;
	p->fp = pcap_file(pc);
	if (p->fp != NULL && fstat(fileno(p->fp), &st) == 0 && S_ISREG(st.st_mode))
		p->size = (uint64_t)st.st_size;
	p->start_tsc = rte_rdtsc();
	p->next_tsc = p->start_tsc + p->hz;
}

static void
progress_update(struct progress *p, const struct tw_worker *w, uint64_t nb_read)
{
	uint64_t now = rte_rdtsc();
	double elapsed;
	char where[96] = "";
	long pos;

	if (p->hz == 0 || now < p->next_tsc)
		return;
	p->next_tsc = now + p->hz;
	elapsed = (double)(now - p->start_tsc) / (double)p->hz;
	pos = p->fp != NULL ? ftell(p->fp) : -1;
	if (p->size > 0 && pos > 0) {
		double done = RTE_MIN((double)pos / (double)p->size, 1.0);
		uint64_t left_s = (uint64_t)(elapsed * (1 - done) / done);

		snprintf(where, sizeof(where), "%.1f%% of %.1f MB, ", done * 100,
				(double)p->size / 1e6);
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
				"%" PRIu64 ":%02u left | ", left_s / 60, (unsigned int)(left_s % 60));
	}
	fprintf(stderr, "\rtapwatch: %s%" PRIu64 " packets, %.2f Mpps | alerts %" PRIu64 "\033[K",
			where, nb_read, (double)nb_read / elapsed / 1e6,
			tw_counter_read(&tw_pipeline_stats(w->pl)->c[TW_PIPE_ALERTS]));
	fflush(stderr);
	p->shown = 1;
}

int
tw_offline_run(struct tw_app *app)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct tw_worker *w = &app->workers[0];
	struct rte_mbuf *pkts[TW_BURST_MAX];
	uint64_t ts[TW_BURST_MAX];
	uint8_t drop[TW_BURST_MAX];
	uint64_t nb_read = 0, nb_truncated = 0, last_ts = 0;
	struct rte_mempool *pool;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct progress prog;
	pcap_t *pc;
	int rc = 1, ret = 0;
	uint16_t n;

	pc = pcap_open_offline_with_tstamp_precision(app->pcap_path, PCAP_TSTAMP_PRECISION_NANO,
			errbuf);
	if (pc == NULL) {
		fprintf(stderr, "tapwatch: cannot read %s: %s\n", app->pcap_path, errbuf);
		return -EINVAL;
	}
	pool = rte_pktmbuf_pool_create("tw_offline", OFFLINE_POOL_SIZE, 0, 0, OFFLINE_DATA_ROOM,
			SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "tapwatch: cannot create the offline mbuf pool: %s\n",
				rte_strerror(rte_errno));
		pcap_close(pc);
		return -ENOMEM;
	}

	progress_init(&prog, app, pc);
	while (rc == 1) {
		n = 0;
		while (n < TW_BURST_MAX && (rc = pcap_next_ex(pc, &hdr, &data)) == 1) {
			struct rte_mbuf *mb = rte_pktmbuf_alloc(pool);
			uint32_t len = hdr->caplen;
			char *dst;

			if (mb == NULL) {	/* cannot happen: the burst is freed each round */
				ret = -ENOMEM;
				rc = -1;
				break;
			}
			if (len > rte_pktmbuf_tailroom(mb)) {
				len = rte_pktmbuf_tailroom(mb);
				nb_truncated++;
			}
			dst = rte_pktmbuf_append(mb, (uint16_t)len);
			memcpy(dst, data, len);
			ts[n] = (uint64_t)hdr->ts.tv_sec * 1000000000ull + (uint64_t)hdr->ts.tv_usec;
			/* Captures are not always in time order; flow time never goes back. */
			if (ts[n] < last_ts)
				ts[n] = last_ts;
			last_ts = ts[n];
			pkts[n++] = mb;
		}
		if (n > 0) {
			tw_pipeline_burst(w->pl, pkts, n, ts, last_ts, drop);
			rte_pktmbuf_free_bulk(pkts, n);
			w->c[TW_WORKER_FREED_TAP] += n;
			nb_read += n;
			progress_update(&prog, w, nb_read);
			/* Ageing follows capture time; a slice per 1024 packets keeps it off
			 * the per-burst path (it was 12% of -r CPU time when run every burst). */
			if ((nb_read & ~(uint64_t)1023) != ((nb_read - n) & ~(uint64_t)1023))
				tw_pipeline_idle(w->pl, last_ts);
			tw_exporter_drain(app->exp, app);
		}
		if (__atomic_load_n(&app->stop, __ATOMIC_RELAXED))
			break;
	}
	if (prog.shown)
		tw_stats_clear_status(stderr);
	if (rc == -1 && ret == 0) {
		/* A capture cut short (the recorder was killed) is common: keep what we read. */
		fprintf(stderr, "tapwatch: warning: %s: %s after %" PRIu64 " packets; results "
				"cover the packets read\n", app->pcap_path, pcap_geterr(pc), nb_read);
	}
	if (nb_truncated > 0)
		fprintf(stderr, "tapwatch: warning: %" PRIu64 " packets longer than %u bytes were "
				"inspected truncated\n", nb_truncated, OFFLINE_DATA_ROOM - RTE_PKTMBUF_HEADROOM);
	tw_pipeline_flush(w->pl);
	tw_exporter_drain(app->exp, app);
	pcap_close(pc);
	rte_mempool_free(pool);
	return ret;
}
