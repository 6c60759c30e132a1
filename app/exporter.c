/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * The exporter: the only consumer of the workers' alert rings and the only
 * writer of the EVE output. JSON is built here, never on a worker. Live, it
 * runs as a DPDK control thread; offline (-r) the reader calls
 * tw_exporter_drain() after every burst instead.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_lcore.h>
#include <rte_log.h>

#include "tw_alert.h"
#include "tw_app.h"
#include "tw_json.h"
#include "tw_log.h"

#define EXP_BURST 32
#define EXP_LINE_MAX 8192
#define EXP_IDLE_US 1000

struct tw_exporter {
	FILE *out;
	int own_file;
	pthread_t tid;
	int running;
	volatile int stop_req;
	uint64_t written;	/* alerts written */
	uint64_t errors;	/* alerts that could not be encoded or written */
	char line[EXP_LINE_MAX];
	struct tw_alert alerts[EXP_BURST];
};

struct tw_exporter *
tw_exporter_create(const char *path, char *errbuf, size_t errlen)
{
	struct tw_exporter *ex = calloc(1, sizeof(*ex));

	if (ex == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (path == NULL || path[0] == '\0' || strcmp(path, "-") == 0) {
		ex->out = stdout;
	} else {
		/* Append, as Suricata does: a restart never truncates evidence. */
		ex->out = fopen(path, "a");
		if (ex->out == NULL) {
			snprintf(errbuf, errlen, "cannot open EVE output %s: %s", path,
					strerror(errno));
			free(ex);
			return NULL;
		}
		ex->own_file = 1;
	}
	setvbuf(ex->out, NULL, _IOFBF, 1 << 16);
	return ex;
}

void
tw_exporter_free(struct tw_exporter *ex)
{
	if (ex == NULL)
		return;
	if (ex->out != NULL) {
		fflush(ex->out);
		if (ex->own_file)
			fclose(ex->out);
	}
	free(ex);
}

static void
write_line(struct tw_exporter *ex, const char *line, size_t len, int is_alert)
{
	if (fwrite(line, 1, len, ex->out) != len) {
		if (is_alert)
			__atomic_fetch_add(&ex->errors, 1, __ATOMIC_RELAXED);
		return;
	}
	if (is_alert)
		__atomic_fetch_add(&ex->written, 1, __ATOMIC_RELAXED);
}

unsigned int
tw_exporter_drain(struct tw_exporter *ex, struct tw_app *app)
{
	unsigned int total = 0, n, i;
	uint16_t w;
	int len;

	for (w = 0; w < app->nb_workers; w++) {
		struct rte_ring *r = app->workers[w].ring;

		if (r == NULL)
			continue;
		while ((n = tw_alert_ring_pop(r, ex->alerts, EXP_BURST)) > 0) {
			for (i = 0; i < n; i++) {
				len = tw_json_alert_line(&ex->alerts[i], ex->line, sizeof(ex->line));
				if (len < 0) {
					__atomic_fetch_add(&ex->errors, 1, __ATOMIC_RELAXED);
					continue;
				}
				write_line(ex, ex->line, (size_t)len, 1);
			}
			total += n;
		}
	}
	return total;
}

int
tw_exporter_write_json(struct tw_exporter *ex, json_t *obj)
{
	char *s;
	size_t len;

	if (obj == NULL)
		return -ENOMEM;
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (s == NULL)
		return -ENOMEM;
	len = strlen(s);
	write_line(ex, s, len, 0);
	write_line(ex, "\n", 1, 0);
	free(s);
	return 0;
}

static void *
exporter_thread(void *arg)
{
	struct tw_app *app = arg;
	struct tw_exporter *ex = app->exp;
	uint64_t interval_ns = (uint64_t)app->cfg.stats_interval_s * 1000000000ull;
	uint64_t next_stats = tw_now_ns() + interval_ns;
	int dirty = 0;

	while (!ex->stop_req) {
		unsigned int n = tw_exporter_drain(ex, app);

		if (n > 0)
			dirty = 1;
		if (interval_ns != 0 && tw_now_ns() >= next_stats) {
			uint64_t now = tw_now_ns();

			tw_exporter_write_json(ex, tw_stats_json(app, now));
			next_stats = now + interval_ns;
			dirty = 1;
		}
		if (n == 0) {
			/* Idle: make what we have visible to tail -f and the SIEM shipper. */
			if (dirty) {
				fflush(ex->out);
				dirty = 0;
			}
			usleep(EXP_IDLE_US);
		}
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
	fflush(ex->out);
}

uint64_t
tw_exporter_written(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->written, __ATOMIC_RELAXED) : 0;
}

uint64_t
tw_exporter_errors(const struct tw_exporter *ex)
{
	return ex != NULL ? __atomic_load_n(&ex->errors, __ATOMIC_RELAXED) : 0;
}
