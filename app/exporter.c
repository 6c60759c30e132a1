/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * The exporter: the only consumer of the workers' alert rings and the only
 * writer of the outputs. JSON is built here, once per event, never on a
 * worker, and handed to every output (output.c): each frames it its own way
 * into its own bounded queue (outputs[].buffer_size) and moves it to its
 * sink with non-blocking I/O, so a slow or dead output drops its own alerts
 * (counted) and holds up neither the other outputs nor the workers. Live,
 * the exporter runs as a DPDK control thread; offline (-r) the reader calls
 * tw_exporter_drain() after every burst instead.
 *
 * Offline, file outputs never drop: nothing races the exporter, so it waits
 * for their sink. A network output whose queue fills waits while it makes
 * progress, and drops once it has made none for two seconds. At exit every
 * output gets a bounded time to send what it holds (tw_exporter_finish()).
 *
 * Accounting is exact, per output: every alert taken from the rings is
 * written, dropped or pending there (output.h says which is which). The
 * totals in tapwatch_stats.detect (alerts_written, alerts_dropped_output,
 * alerts_pending) are those of the primary output, outputs[0], so
 * alerts_raised == alerts_written + alerts_dropped + alerts_pending holds
 * for it; tapwatch_stats.outputs[] has every output's own numbers.
 *
 * SIGHUP: tw_exporter_request_reopen() (async-signal-safe) sets a flag; the
 * exporter reopens its file outputs at its next drain (logrotate).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "output.h"
#include "tw_alert.h"
#include "tw_app.h"
#include "tw_json.h"

#define EXP_BURST 32
#define EXP_LINE_MAX 8192
#define EXP_IDLE_US 1000

struct tw_exporter {
	struct tw_output *outs[TW_CONFIG_OUTPUTS_MAX];
	unsigned int nb_outs;
	pthread_t tid;
	int running;
	volatile int stop_req;
	int reopen_req;		/* set from a signal handler */
	char line[EXP_LINE_MAX];
	struct tw_alert alerts[EXP_BURST];
};

struct tw_exporter *
tw_exporter_create(const struct tw_config_output *outs, unsigned int nb, int offline,
		char *errbuf, size_t errlen)
{
	struct tw_exporter *ex;
	unsigned int i;

	if (outs == NULL || nb == 0 || nb > TW_CONFIG_OUTPUTS_MAX) {
		snprintf(errbuf, errlen, "between 1 and %d outputs are needed, not %u",
				TW_CONFIG_OUTPUTS_MAX, nb);
		return NULL;
	}
	ex = calloc(1, sizeof(*ex));
	if (ex == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < nb; i++) {
		ex->outs[i] = tw_output_create(&outs[i], offline, errbuf, errlen);
		if (ex->outs[i] == NULL) {
			tw_exporter_free(ex);
			return NULL;
		}
		ex->nb_outs++;
	}
	return ex;
}

void
tw_exporter_free(struct tw_exporter *ex)
{
	unsigned int i;

	if (ex == NULL)
		return;
	for (i = 0; i < ex->nb_outs; i++)
		tw_output_free(ex->outs[i]);
	free(ex);
}

void
tw_exporter_request_reopen(struct tw_exporter *ex)
{
	if (ex != NULL)
		__atomic_store_n(&ex->reopen_req, 1, __ATOMIC_RELAXED);
}

static void
service_all(struct tw_exporter *ex, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < ex->nb_outs; i++)
		tw_output_service(ex->outs[i], now);
}

/* One event to every output. */
static void
fan_out(struct tw_exporter *ex, const char *json, size_t len, int alert,
		unsigned int severity, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < ex->nb_outs; i++)
		tw_output_put(ex->outs[i], json, len, alert, severity, now);
}

unsigned int
tw_exporter_drain(struct tw_exporter *ex, struct tw_app *app)
{
	unsigned int total = 0, n, i, k;
	uint64_t now;
	uint16_t w;
	int len;

	if (__atomic_exchange_n(&ex->reopen_req, 0, __ATOMIC_RELAXED))
		for (k = 0; k < ex->nb_outs; k++)
			tw_output_reopen(ex->outs[k]);
	for (w = 0; w < app->nb_workers; w++) {
		struct rte_ring *r = app->workers[w].ring;

		if (r == NULL)
			continue;
		while ((n = tw_alert_ring_pop(r, ex->alerts, EXP_BURST)) > 0) {
			now = tw_now_ns();
			for (i = 0; i < n; i++) {
				/* /tapwatch/alerts history (live only; telemetry.c) */
				tw_telemetry_alert_seen(&ex->alerts[i]);
				len = tw_json_alert_line(&ex->alerts[i], ex->line, sizeof(ex->line));
				if (len <= 0) {
					for (k = 0; k < ex->nb_outs; k++)
						tw_output_drop(ex->outs[k]);
					continue;
				}
				/* The line ends in '\n'; outputs add their own framing. */
				if (ex->line[len - 1] == '\n')
					len--;
				fan_out(ex, ex->line, (size_t)len, 1, ex->alerts[i].severity, now);
			}
			total += n;
			service_all(ex, now);
		}
	}
	service_all(ex, tw_now_ns());
	return total;
}

int
tw_exporter_write_json(struct tw_exporter *ex, json_t *obj)
{
	uint64_t now = tw_now_ns();
	char *s;

	if (obj == NULL)
		return -ENOMEM;
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (s == NULL)
		return -ENOMEM;
	fan_out(ex, s, strlen(s), 0, 0, now);
	free(s);
	service_all(ex, now);
	return 0;
}

static void *
exporter_thread(void *arg)
{
	struct tw_app *app = arg;
	struct tw_exporter *ex = app->exp;
	uint64_t interval_ns = (uint64_t)app->cfg.stats_interval_s * 1000000000ull;
	uint64_t next_stats = tw_now_ns() + interval_ns;

	while (!ex->stop_req) {
		unsigned int n = tw_exporter_drain(ex, app);

		if (interval_ns != 0 && tw_now_ns() >= next_stats) {
			uint64_t now = tw_now_ns();

			tw_exporter_write_json(ex, tw_stats_json(app, now));
			next_stats = now + interval_ns;
		}
		if (n == 0)
			usleep(EXP_IDLE_US);
	}
	return NULL;
}

int
tw_exporter_start(struct tw_exporter *ex, struct tw_app *app)
{
	int ret;

	ex->stop_req = 0;
	ret = rte_ctrl_thread_create(&ex->tid, "tw-exporter", NULL, exporter_thread, app);
	if (ret != 0)
		return -ret;
	ex->running = 1;
	return 0;
}

void
tw_exporter_stop(struct tw_exporter *ex, struct tw_app *app)
{
	if (ex->running) {
		ex->stop_req = 1;
		pthread_join(ex->tid, NULL);
		ex->running = 0;
	}
	/* Workers have stopped: whatever is left in the rings is final. */
	tw_exporter_drain(ex, app);
}

void
tw_exporter_finish(struct tw_exporter *ex, int timeout_ms)
{
	tw_output_finish(ex->outs, ex->nb_outs,
			tw_now_ns() + (uint64_t)RTE_MAX(timeout_ms, 0) * 1000000ull);
}

/* The primary output's numbers are the totals in tapwatch_stats.detect. */
static void
primary(const struct tw_exporter *ex, struct tw_output_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ex != NULL && ex->nb_outs > 0)
		tw_output_stats(ex->outs[0], st);
}

uint64_t
tw_exporter_written(const struct tw_exporter *ex)
{
	struct tw_output_stats st;

	primary(ex, &st);
	return st.written;
}

uint64_t
tw_exporter_dropped(const struct tw_exporter *ex)
{
	struct tw_output_stats st;

	primary(ex, &st);
	return st.dropped;
}

uint64_t
tw_exporter_errors(const struct tw_exporter *ex)
{
	struct tw_output_stats st;

	primary(ex, &st);
	return st.errors;
}

uint64_t
tw_exporter_pending(const struct tw_exporter *ex)
{
	struct tw_output_stats st;

	primary(ex, &st);
	return st.pending;
}

json_t *
tw_exporter_outputs_json(const struct tw_exporter *ex)
{
	struct tw_output_stats st;
	json_t *arr = json_array();
	unsigned int i;

	if (arr == NULL || ex == NULL)
		return arr;
	for (i = 0; i < ex->nb_outs; i++) {
		tw_output_stats(ex->outs[i], &st);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:b}",
				"type", tw_output_type(ex->outs[i]),
				"target", tw_output_target(ex->outs[i]),
				"written", (json_int_t)st.written,
				"dropped", (json_int_t)st.dropped,
				"pending", (json_int_t)st.pending,
				"errors", (json_int_t)st.errors,
				"connected", st.connected));
	}
	return arr;
}

void
tw_exporter_print_outputs(const struct tw_exporter *ex, FILE *f)
{
	struct tw_output_stats st;
	unsigned int i;

	if (ex == NULL)
		return;
	for (i = 0; i < ex->nb_outs; i++) {
		tw_output_stats(ex->outs[i], &st);
		fprintf(f, "tapwatch: output %s %s: written %" PRIu64 " dropped %" PRIu64
				" pending %" PRIu64 " errors %" PRIu64 "%s\n",
				tw_output_type(ex->outs[i]), tw_output_target(ex->outs[i]),
				st.written, st.dropped, st.pending, st.errors,
				st.connected ? "" : " (not connected)");
	}
}
