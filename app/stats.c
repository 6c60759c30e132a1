/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Counters: each worker writes its own (pipeline, flow table, worker), the
 * main lcore and the exporter read them with relaxed loads and add them up.
 */

#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tw_app.h"
#include "tw_json.h"

#define TW_WORKER_COUNTER_NAME(name, str) str,
static const char *const worker_counter_names[] = {
	TW_WORKER_COUNTER_LIST(TW_WORKER_COUNTER_NAME)
};
#undef TW_WORKER_COUNTER_NAME

void
tw_stats_collect(const struct tw_app *app, struct tw_totals *t)
{
	uint16_t w;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (w = 0; w < app->nb_workers; w++) {
		const struct tw_worker *wk = &app->workers[w];
		const struct tw_pipeline_stats *ps;
		struct tw_flow_stats fs;

		for (i = 0; i < TW_WORKER_COUNTER_MAX; i++)
			t->worker[i] += tw_counter_read(&wk->c[i]);
		if (wk->pl == NULL)
			continue;
		ps = tw_pipeline_stats(wk->pl);
		for (i = 0; i < TW_PIPE_COUNTER_MAX; i++)
			t->pipe[i] += tw_counter_read(&ps->c[i]);
		for (i = 0; i < TW_PKT_STATUS_MAX; i++)
			t->parse[i] += tw_counter_read(&ps->parse[i]);
		tw_pipeline_flow_stats(wk->pl, &fs);
		t->flow.created += fs.created;
		t->flow.expired += fs.expired;
		t->flow.evicted += fs.evicted;
		t->flow.insert_failed += fs.insert_failed;
		t->flow.frag_unmatched += fs.frag_unmatched;
		t->flow.active += fs.active;
	}
	t->alerts_written = tw_exporter_written(app->exp);
	t->alerts_dropped_output = tw_exporter_dropped(app->exp);
	t->alerts_pending_output = tw_exporter_pending(app->exp);
	t->write_errors = tw_exporter_errors(app->exp);
}

static uint64_t
malformed_total(const struct tw_totals *t)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < TW_PKT_STATUS_MAX; i++)
		if (i != TW_PKT_OK && i != TW_PKT_NOT_IP)
			sum += t->parse[i];
	return sum;
}

/* The counters an operator compares across workers (RSS balance, drops). */
static json_t *
per_worker_json(const struct tw_app *app)
{
	json_t *arr = json_array();
	uint16_t w;

	if (arr == NULL)
		return NULL;
	for (w = 0; w < app->nb_workers; w++) {
		const struct tw_worker *wk = &app->workers[w];
		const struct tw_pipeline_stats *ps;
		struct tw_flow_stats fs;

		if (wk->pl == NULL)
			continue;
		ps = tw_pipeline_stats(wk->pl);
		tw_pipeline_flow_stats(wk->pl, &fs);
		json_array_append_new(arr, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I}",
				"worker", w,
				"rx_packets", (json_int_t)tw_counter_read(&ps->c[TW_PIPE_RX_PKTS]),
				"tx_packets", (json_int_t)tw_counter_read(&wk->c[TW_WORKER_TX_PKTS]),
				"tx_dropped", (json_int_t)tw_counter_read(&wk->c[TW_WORKER_TX_DROPPED]),
				"alerts_raised", (json_int_t)tw_counter_read(&ps->c[TW_PIPE_ALERTS]),
				"alerts_dropped",
				(json_int_t)tw_counter_read(&ps->c[TW_PIPE_ALERTS_DROPPED]),
				"flows_active", (json_int_t)fs.active));
	}
	return arr;
}

/* with_ports: also the ethdev counters (rte_eth_stats_get: one thread only). */
static json_t *
stats_json(const struct tw_app *app, uint64_t now_ns, int with_ports)
{
	struct tw_totals t;
	json_t *root, *st, *capture, *decoder, *flow, *detect, *ports;
	char ts[40];
	unsigned int i;

	tw_stats_collect(app, &t);
	tw_json_format_ts(now_ns, ts, sizeof(ts));
	root = json_object();
	st = json_object();
	capture = json_object();
	decoder = json_object();
	flow = json_object();
	detect = json_object();
	if (root == NULL || st == NULL || capture == NULL || decoder == NULL || flow == NULL ||
			detect == NULL)
		goto fail;

	json_object_set_new(root, "timestamp", json_string(ts));
	json_object_set_new(root, "event_type", json_string("tapwatch_stats"));
	json_object_set_new(st, "uptime",
			json_integer((json_int_t)((now_ns - app->start_ns) / 1000000000ull)));
	json_object_set_new(st, "workers", json_integer(app->nb_workers));
	ports = per_worker_json(app);
	if (ports != NULL)
		json_object_set_new(st, "per_worker", ports);

	json_object_set_new(capture, "rx_packets", json_integer((json_int_t)t.pipe[TW_PIPE_RX_PKTS]));
	json_object_set_new(capture, "rx_bytes", json_integer((json_int_t)t.pipe[TW_PIPE_RX_BYTES]));
	for (i = 0; i < TW_WORKER_COUNTER_MAX; i++)
		json_object_set_new(capture, worker_counter_names[i],
				json_integer((json_int_t)t.worker[i]));
	json_object_set_new(capture, "blocked_packets",
			json_integer((json_int_t)t.pipe[TW_PIPE_BLOCKED_PKTS]));
	ports = with_ports ? tw_ports_stats_json(app) : NULL;
	if (ports != NULL)
		json_object_set_new(capture, "ports", ports);

	json_object_set_new(decoder, "malformed", json_integer((json_int_t)malformed_total(&t)));
	for (i = 0; i < TW_PKT_STATUS_MAX; i++)
		if (i != TW_PKT_OK)
			json_object_set_new(decoder, tw_pkt_status_name(i),
					json_integer((json_int_t)t.parse[i]));
	json_object_set_new(decoder, "ok", json_integer((json_int_t)t.parse[TW_PKT_OK]));
	json_object_set_new(decoder, "later_fragments",
			json_integer((json_int_t)t.pipe[TW_PIPE_FRAG_LATER]));

	json_object_set_new(flow, "created", json_integer((json_int_t)t.flow.created));
	json_object_set_new(flow, "active", json_integer((json_int_t)t.flow.active));
	json_object_set_new(flow, "expired", json_integer((json_int_t)t.flow.expired));
	json_object_set_new(flow, "evicted", json_integer((json_int_t)t.flow.evicted));
	json_object_set_new(flow, "insert_failed", json_integer((json_int_t)t.flow.insert_failed));
	json_object_set_new(flow, "fragments_unmatched",
			json_integer((json_int_t)t.flow.frag_unmatched));
	json_object_set_new(flow, "packets_without_flow",
			json_integer((json_int_t)t.pipe[TW_PIPE_NO_FLOW]));

	for (i = 0; i < TW_PIPE_COUNTER_MAX; i++) {
		if (i == TW_PIPE_RX_PKTS || i == TW_PIPE_RX_BYTES || i == TW_PIPE_BLOCKED_PKTS ||
				i == TW_PIPE_FRAG_LATER || i == TW_PIPE_NO_FLOW ||
				i == TW_PIPE_ALERTS_DROPPED)
			continue;
		json_object_set_new(detect, tw_pipe_counter_name(i),
				json_integer((json_int_t)t.pipe[i]));
	}
	/* alerts_raised == alerts_written + alerts_dropped + alerts_pending */
	json_object_set_new(detect, "alerts_written", json_integer((json_int_t)t.alerts_written));
	json_object_set_new(detect, "alerts_dropped", json_integer((json_int_t)
			(t.pipe[TW_PIPE_ALERTS_DROPPED] + t.alerts_dropped_output)));
	json_object_set_new(detect, "alerts_pending", json_integer((json_int_t)
			t.alerts_pending_output));
	json_object_set_new(detect, "alerts_dropped_ring",
			json_integer((json_int_t)t.pipe[TW_PIPE_ALERTS_DROPPED]));
	json_object_set_new(detect, "alerts_dropped_output",
			json_integer((json_int_t)t.alerts_dropped_output));
	json_object_set_new(detect, "output_write_errors",
			json_integer((json_int_t)t.write_errors));

	json_object_set_new(st, "capture", capture);
	json_object_set_new(st, "decoder", decoder);
	json_object_set_new(st, "flow", flow);
	json_object_set_new(st, "detect", detect);
	/* Per output; detect's alerts_written/dropped_output/pending are outputs[0]'s. */
	ports = tw_exporter_outputs_json(app->exp);
	if (ports != NULL)
		json_object_set_new(st, "outputs", ports);
	json_object_set_new(root, "tapwatch_stats", st);
	return root;
fail:
	json_decref(root);
	json_decref(st);
	json_decref(capture);
	json_decref(decoder);
	json_decref(flow);
	json_decref(detect);
	return NULL;
}

json_t *
tw_stats_json(const struct tw_app *app, uint64_t now_ns)
{
	return stats_json(app, now_ns, 1);
}

json_t *
tw_stats_json_counters(const struct tw_app *app, uint64_t now_ns)
{
	return stats_json(app, now_ns, 0);
}

void
tw_stats_print_summary(const struct tw_app *app, FILE *f)
{
	struct tw_totals t;
	unsigned int i;

	tw_stats_collect(app, &t);
	fprintf(f, "tapwatch: packets rx %" PRIu64 " tx %" PRIu64 " tx_dropped %" PRIu64
			" blocked %" PRIu64 " bytes %" PRIu64 "\n",
			t.pipe[TW_PIPE_RX_PKTS], t.worker[TW_WORKER_TX_PKTS],
			t.worker[TW_WORKER_TX_DROPPED], t.pipe[TW_PIPE_BLOCKED_PKTS],
			t.pipe[TW_PIPE_RX_BYTES]);
	fprintf(f, "tapwatch: decoder ok %" PRIu64 " not_ip %" PRIu64 " malformed %" PRIu64,
			t.parse[TW_PKT_OK], t.parse[TW_PKT_NOT_IP], malformed_total(&t));
	for (i = 0; i < TW_PKT_STATUS_MAX; i++)
		if (i != TW_PKT_OK && i != TW_PKT_NOT_IP && t.parse[i] != 0)
			fprintf(f, " %s %" PRIu64, tw_pkt_status_name(i), t.parse[i]);
	fprintf(f, "\n");
	fprintf(f, "tapwatch: flows created %" PRIu64 " active %" PRIu64 " expired %" PRIu64
			" evicted %" PRIu64 " insert_failed %" PRIu64 "\n",
			t.flow.created, t.flow.active, t.flow.expired, t.flow.evicted,
			t.flow.insert_failed);
	fprintf(f, "tapwatch: detect scans %" PRIu64 " li_flows %" PRIu64 " unauthorized %" PRIu64
			" alerts raised %" PRIu64 " written %" PRIu64 " dropped %" PRIu64
			" (ring %" PRIu64 ", output %" PRIu64 ") write_errors %" PRIu64 "\n",
			t.pipe[TW_PIPE_SCANS], t.pipe[TW_PIPE_LI_FLOWS], t.pipe[TW_PIPE_LI_FLOWS_UNAUTH],
			t.pipe[TW_PIPE_ALERTS], t.alerts_written,
			t.pipe[TW_PIPE_ALERTS_DROPPED] + t.alerts_dropped_output,
			t.pipe[TW_PIPE_ALERTS_DROPPED], t.alerts_dropped_output, t.write_errors);
	tw_exporter_print_outputs(app->exp, f);
}

/*
 * One line: on a terminal it is redrawn in place (and clipped to its width,
 * so it never wraps), elsewhere (a log, the journal) it is a new line each
 * time. Port counters (imissed) are not here: rte_eth_stats_get() belongs to
 * the exporter's thread.
 */
void
tw_stats_print_status(const struct tw_app *app, FILE *f, double interval_s,
		struct tw_totals *prev)
{
	struct tw_totals t;
	struct winsize ws;
	char line[256];
	double rx, tx, gbps;
	uint64_t up_s = (tw_now_ns() - app->start_ns) / 1000000000ull;
	int tty = isatty(fileno(f)), n;

	tw_stats_collect(app, &t);
	if (interval_s <= 0)
		interval_s = 1;
	rx = (double)(t.pipe[TW_PIPE_RX_PKTS] - prev->pipe[TW_PIPE_RX_PKTS]) / interval_s / 1e6;
	tx = (double)(t.worker[TW_WORKER_TX_PKTS] - prev->worker[TW_WORKER_TX_PKTS]) /
			interval_s / 1e6;
	gbps = (double)(t.pipe[TW_PIPE_RX_BYTES] - prev->pipe[TW_PIPE_RX_BYTES]) * 8 /
			interval_s / 1e9;
	n = snprintf(line, sizeof(line), "tapwatch: %" PRIu64 ":%02u:%02u rx %.3f Mpps %.2f Gb/s "
			"tx %.3f Mpps | dropped %" PRIu64 " blocked %" PRIu64 " | flows %" PRIu64
			" li %" PRIu64 " (%" PRIu64 " unauth) | alerts %" PRIu64 " lost %" PRIu64,
			up_s / 3600, (unsigned int)(up_s / 60 % 60), (unsigned int)(up_s % 60),
			rx, gbps, tx, t.worker[TW_WORKER_TX_DROPPED], t.pipe[TW_PIPE_BLOCKED_PKTS],
			t.flow.active, t.pipe[TW_PIPE_LI_FLOWS], t.pipe[TW_PIPE_LI_FLOWS_UNAUTH],
			t.pipe[TW_PIPE_ALERTS],
			t.pipe[TW_PIPE_ALERTS_DROPPED] + t.alerts_dropped_output);
	if (tty) {
		if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && n >= ws.ws_col &&
				ws.ws_col < sizeof(line))
			line[ws.ws_col - 1] = '\0';
		fprintf(f, "\r%s\033[K", line);
	} else {
		fprintf(f, "%s\n", line);
	}
	fflush(f);
	*prev = t;
}

void
tw_stats_clear_status(FILE *f)
{
	if (isatty(fileno(f))) {
		fputs("\r\033[K", f);
		fflush(f);
	}
}
