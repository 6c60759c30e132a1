/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Operator views of tapwatch: the DPDK telemetry commands of a running
 * instance (/tapwatch/stats, /tapwatch/flows, /tapwatch/alerts,
 * /tapwatch/config; ask with dpdk-telemetry.py -f <file-prefix>) and the
 * effective configuration that --check-config prints.
 *
 * Threads. Telemetry callbacks run on DPDK's telemetry threads, one per
 * client, at any time. They read what other threads write only with relaxed
 * loads (tw_stats_collect(), the tw_exporter_* getters): never a worker's
 * flow table (lockless, single writer) and never ethdev (rte_eth_stats_get()
 * is not thread-safe and the exporter polls it for the tapwatch_stats event;
 * port counters are in that event and in DPDK's own /ethdev/stats). The
 * recent-alert history is written by the exporter thread
 * (tw_telemetry_alert_seen()) and copied out under hist.lock. 22.11 cannot
 * unregister a command, so tw_telemetry_unregister() takes life_lock for
 * writing before main frees what the callbacks read; a command after that
 * answers null.
 *
 * Each view is built as a jansson object (so /tapwatch/stats has the names
 * and numbers of the tapwatch_stats event) and converted by tel_put():
 * objects become dicts, arrays of unsigned integers or of strings become
 * arrays, other arrays (of objects, of arrays) become dicts keyed "0", "1",
 * ...; true/false become 1/0; nulls are left out. Keys are reduced to the
 * characters telemetry accepts (letters, digits, '_', '/'; anything else
 * becomes '_': family "etsi-x2x3" is key "etsi_x2x3"). Entries that would
 * take the reply past telemetry's 16 KiB are left out and the reply says
 * "truncated": 1.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_telemetry.h>

#include "tw_alert.h"
#include "tw_app.h"
#include "tw_json.h"

/* Alerts the exporter keeps for /tapwatch/alerts, and how many it shows
 * without a parameter. */
#define TEL_HISTORY 32
#define TEL_RECENT_DEFAULT 10
/* Telemetry replies are at most 16 KiB including {"<command>": ...}. */
#define TEL_REPLY_BUDGET (16 * 1024 - 128)
/* Dict nesting: each level costs the telemetry thread a 16 KiB stack buffer. */
#define TEL_DEPTH_MAX 4
/* rte_tel_data name and string value limit (RTE_TEL_MAX_STRING_LEN). */
#define TEL_STR_MAX 128

/* --- recent alerts: written by the exporter, read by telemetry ---------- */

struct tel_alert {
	uint64_t ts_ns;
	uint64_t flow_id;
	uint32_t sig_id;
	uint16_t worker;
	uint16_t sport;
	uint16_t dport;
	uint16_t vlan;
	uint8_t l3;
	uint8_t proto;
	uint8_t family;
	uint8_t severity;
	uint8_t authorized;
	uint8_t action;
	uint8_t warrant;
	uint8_t src[16];
	uint8_t dst[16];
	char sig_name[TW_SIG_NAME_MAX];
	char md_name[TW_POLICY_NAME_MAX];
};

struct tel_history {
	pthread_mutex_t lock;
	struct tel_alert ring[TEL_HISTORY];
	unsigned int next;		/* slot of the next alert */
	unsigned int count;		/* <= TEL_HISTORY */
	uint64_t seen;			/* alerts through the exporter */
	uint64_t alerts[TW_FAMILY_MAX];
	uint64_t flows[TW_FAMILY_MAX];	/* LI flows: a flow's first alert */
	uint64_t flows_unauth[TW_FAMILY_MAX];
	uint64_t last_flow[TW_WORKERS_MAX];
};

static struct tel_history hist = { .lock = PTHREAD_MUTEX_INITIALIZER };
static int hist_on;			/* live mode: the exporter records */

static pthread_rwlock_t life_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct tw_app *tel_app;	/* NULL: not registered or stopping */

static int
no_warrant_sig(uint32_t sig_id)
{
	return sig_id == TW_SIG_ID_NO_WARRANT_XID || sig_id == TW_SIG_ID_NO_WARRANT_LIID;
}

void
tw_telemetry_alert_seen(const struct tw_alert *a)
{
	struct tel_alert *h;

	if (!__atomic_load_n(&hist_on, __ATOMIC_RELAXED) || a->family >= TW_FAMILY_MAX)
		return;
	pthread_mutex_lock(&hist.lock);
	hist.seen++;
	hist.alerts[a->family]++;
	/*
	 * A flow's first alerts leave its worker's SP/SC ring together and in
	 * order (one per hit, raised when the flow is decided); later alerts of
	 * the flow can only be no-warrant ones. So a new flow id per worker is
	 * a new LI flow, counted in the family the flow was decided on.
	 */
	if (!no_warrant_sig(a->sig_id) && a->worker < TW_WORKERS_MAX &&
			hist.last_flow[a->worker] != a->flow_id) {
		hist.last_flow[a->worker] = a->flow_id;
		hist.flows[a->family]++;
		if (!a->authorized)
			hist.flows_unauth[a->family]++;
	}
	h = &hist.ring[hist.next];
	h->ts_ns = a->ts_ns;
	h->flow_id = a->flow_id;
	h->sig_id = a->sig_id;
	h->worker = a->worker;
	h->sport = a->sport;
	h->dport = a->dport;
	h->vlan = a->vlan;
	h->l3 = a->l3;
	h->proto = a->proto;
	h->family = a->family;
	h->severity = a->severity;
	h->authorized = a->authorized;
	h->action = a->action;
	h->warrant = a->warrant;
	memcpy(h->src, a->src, sizeof(h->src));
	memcpy(h->dst, a->dst, sizeof(h->dst));
	memcpy(h->sig_name, a->sig_name, sizeof(h->sig_name));
	h->sig_name[sizeof(h->sig_name) - 1] = '\0';
	memcpy(h->md_name, a->md_name, sizeof(h->md_name));
	h->md_name[sizeof(h->md_name) - 1] = '\0';
	hist.next = (hist.next + 1) % TEL_HISTORY;
	if (hist.count < TEL_HISTORY)
		hist.count++;
	pthread_mutex_unlock(&hist.lock);
}

/* --- jansson -> rte_tel_data -------------------------------------------- */

struct tel_conv {
	size_t left;		/* reply bytes still available */
	int truncated;
};

static void
tel_key(const char *in, char *out)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i < TEL_STR_MAX - 1; i++)
		out[i] = isalnum((unsigned char)in[i]) || in[i] == '_' || in[i] == '/' ?
				in[i] : '_';
	if (i == 0)
		out[i++] = '_';
	out[i] = '\0';
}

/* Bytes @p v takes in telemetry's JSON ("a": 1, "b": [2, 3]), roughly. */
static size_t
json_cost(const json_t *v)
{
	return json_dumpb(v, NULL, 0, JSON_ENCODE_ANY);
}

/* Array kind: RTE_TEL_U64_VAL, RTE_TEL_STRING_VAL, or -1 (a dict by index). */
static int
array_kind(json_t *arr)
{
	size_t i, nb_str = 0, nb_u64 = 0;
	json_t *e;

	if (json_array_size(arr) > RTE_TEL_MAX_ARRAY_ENTRIES)
		return -1;
	json_array_foreach(arr, i, e) {
		if (json_is_string(e) && json_string_length(e) < TEL_STR_MAX)
			nb_str++;
		else if (json_is_integer(e) && json_integer_value(e) >= 0)
			nb_u64++;
	}
	if (nb_u64 == json_array_size(arr))
		return RTE_TEL_U64_VAL;
	if (nb_str == json_array_size(arr))
		return RTE_TEL_STRING_VAL;
	return -1;
}

static struct rte_tel_data *tel_container(json_t *v, struct tel_conv *cv, int depth);

/* Add one entry to dict @p d; returns 0, or -1 when it was left out. */
static int
tel_put(struct rte_tel_data *d, const char *name, json_t *v, struct tel_conv *cv,
		int depth)
{
	char key[TEL_STR_MAX];
	size_t cost;
	struct rte_tel_data *c;
	json_int_t i;
	char num[32];
	int ret;

	if (json_is_null(v))
		return 0;
	tel_key(name, key);
	cost = strlen(key) + 6;
	if (json_is_object(v) || json_is_array(v)) {
		if (cost + 2 > cv->left || depth >= TEL_DEPTH_MAX) {
			cv->truncated = 1;
			return -1;
		}
		cv->left -= cost + 2;
		c = tel_container(v, cv, depth + 1);
		if (c == NULL)
			return -1;
		ret = rte_tel_data_add_dict_container(d, key, c, 0);
		if (ret < 0) {
			rte_tel_data_free(c);
			cv->truncated = 1;
			return -1;
		}
		return 0;
	}
	cost += json_cost(v);
	if (cost > cv->left) {
		cv->truncated = 1;
		return -1;
	}
	switch (json_typeof(v)) {
	case JSON_INTEGER:
		i = json_integer_value(v);
		ret = i >= 0 ? rte_tel_data_add_dict_u64(d, key, (uint64_t)i) :
				rte_tel_data_add_dict_int(d, key, i < INT32_MIN ? INT32_MIN : (int)i);
		break;
	case JSON_STRING:
		ret = rte_tel_data_add_dict_string(d, key, json_string_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		ret = rte_tel_data_add_dict_u64(d, key, json_is_true(v) ? 1 : 0);
		break;
	default:
		snprintf(num, sizeof(num), "%.6g", json_real_value(v));
		ret = rte_tel_data_add_dict_string(d, key, num);
		break;
	}
	if (ret < 0) {	/* E2BIG (> 0) is a truncated string: kept */
		cv->truncated = 1;
		return -1;
	}
	cv->left -= cost;
	return 0;
}

static struct rte_tel_data *
tel_container(json_t *v, struct tel_conv *cv, int depth)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	const char *k;
	json_t *e;
	size_t i;
	int kind;

	if (c == NULL) {
		cv->truncated = 1;
		return NULL;
	}
	if (json_is_array(v) && (kind = array_kind(v)) >= 0) {
		rte_tel_data_start_array(c, (enum rte_tel_value_type)kind);
		json_array_foreach(v, i, e) {
			size_t cost = json_cost(e) + 2;

			if (cost > cv->left) {
				cv->truncated = 1;
				break;
			}
			if (kind == RTE_TEL_U64_VAL)
				rte_tel_data_add_array_u64(c, (uint64_t)json_integer_value(e));
			else
				rte_tel_data_add_array_string(c, json_string_value(e));
			cv->left -= cost;
		}
		return c;
	}
	rte_tel_data_start_dict(c);
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			char idx[24];

			snprintf(idx, sizeof(idx), "%zu", i);
			tel_put(c, idx, e, cv, depth);
		}
	} else {
		json_object_foreach(v, k, e)
			tel_put(c, k, e, cv, depth);
	}
	return c;
}

/* A view (a JSON object) as the reply; takes the reference. */
static int
tel_reply(json_t *view, struct rte_tel_data *d)
{
	struct tel_conv cv = { .left = TEL_REPLY_BUDGET - 24, .truncated = 0 };
	const char *k;
	json_t *e;

	if (view == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	json_object_foreach(view, k, e)
		tel_put(d, k, e, &cv, 0);
	if (cv.truncated)
		rte_tel_data_add_dict_u64(d, "truncated", 1);
	json_decref(view);
	return 0;
}

/* --- views -------------------------------------------------------------- */

static json_t *
family_counts(const uint64_t *n)
{
	json_t *o = json_object();
	unsigned int f;

	for (f = 0; o != NULL && f < TW_FAMILY_MAX; f++)
		json_object_set_new(o, tw_family_name(f), json_integer((json_int_t)n[f]));
	return o;
}

static json_t *
view_stats(const struct tw_app *app)
{
	uint64_t now = tw_now_ns();
	json_t *ev = tw_stats_json_counters(app, now);
	json_t *view, *st;
	char ts[40];

	if (ev == NULL)
		return NULL;
	st = json_object_get(ev, "tapwatch_stats");
	view = json_object();
	if (st == NULL || view == NULL) {
		json_decref(ev);
		json_decref(view);
		return NULL;
	}
	tw_json_format_ts(now, ts, sizeof(ts));
	json_object_set_new(view, "timestamp", json_string(ts));
	json_object_update(view, st);
	json_decref(ev);
	return view;
}

static json_t *
view_flows(const struct tw_app *app)
{
	const struct tw_config *c = &app->cfg;
	json_t *view = json_object(), *per = json_array();
	uint64_t li = 0, li_unauth = 0, clean = 0;
	uint64_t flows[TW_FAMILY_MAX], unauth[TW_FAMILY_MAX];
	struct tw_flow_stats tot;
	uint16_t w;

	if (view == NULL || per == NULL) {
		json_decref(view);
		json_decref(per);
		return NULL;
	}
	memset(&tot, 0, sizeof(tot));
	for (w = 0; w < app->nb_workers; w++) {
		const struct tw_worker *wk = &app->workers[w];
		const struct tw_pipeline_stats *ps;
		struct tw_flow_stats fs;
		uint64_t wl, wu, wc;

		if (wk->pl == NULL)
			continue;
		/* The table's counters, never the table. */
		tw_pipeline_flow_stats(wk->pl, &fs);
		ps = tw_pipeline_stats(wk->pl);
		wl = tw_counter_read(&ps->c[TW_PIPE_LI_FLOWS]);
		wu = tw_counter_read(&ps->c[TW_PIPE_LI_FLOWS_UNAUTH]);
		wc = tw_counter_read(&ps->c[TW_PIPE_CLEAN_FLOWS]);
		tot.created += fs.created;
		tot.active += fs.active;
		tot.expired += fs.expired;
		tot.evicted += fs.evicted;
		tot.insert_failed += fs.insert_failed;
		tot.frag_unmatched += fs.frag_unmatched;
		li += wl;
		li_unauth += wu;
		clean += wc;
		json_array_append_new(per, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
				"s:I, s:I, s:I, s:I}",
				"worker", w,
				"created", (json_int_t)fs.created,
				"active", (json_int_t)fs.active,
				"expired", (json_int_t)fs.expired,
				"evicted", (json_int_t)fs.evicted,
				"insert_failed", (json_int_t)fs.insert_failed,
				"fragments_unmatched", (json_int_t)fs.frag_unmatched,
				"capacity", (json_int_t)c->flow_table_size,
				"fill_percent", (json_int_t)(fs.active * 100 / c->flow_table_size),
				"li_flows", (json_int_t)wl,
				"li_flows_unauthorized", (json_int_t)wu,
				"clean_flows", (json_int_t)wc));
	}
	pthread_mutex_lock(&hist.lock);
	memcpy(flows, hist.flows, sizeof(flows));
	memcpy(unauth, hist.flows_unauth, sizeof(unauth));
	pthread_mutex_unlock(&hist.lock);

	json_object_set_new(view, "workers", json_integer(app->nb_workers));
	json_object_set_new(view, "capacity_per_worker", json_integer(c->flow_table_size));
	json_object_set_new(view, "fragment_capacity_per_worker",
			json_integer(c->frag_table_size));
	json_object_set_new(view, "idle_timeout", json_integer(c->flow_timeout_s));
	json_object_set_new(view, "created", json_integer((json_int_t)tot.created));
	json_object_set_new(view, "active", json_integer((json_int_t)tot.active));
	json_object_set_new(view, "expired", json_integer((json_int_t)tot.expired));
	json_object_set_new(view, "evicted", json_integer((json_int_t)tot.evicted));
	json_object_set_new(view, "insert_failed", json_integer((json_int_t)tot.insert_failed));
	json_object_set_new(view, "fragments_unmatched",
			json_integer((json_int_t)tot.frag_unmatched));
	json_object_set_new(view, "li_flows", json_integer((json_int_t)li));
	json_object_set_new(view, "li_flows_unauthorized", json_integer((json_int_t)li_unauth));
	json_object_set_new(view, "clean_flows", json_integer((json_int_t)clean));
	/* Per family from the alerts the exporter wrote out: a flow whose
	 * alerts were lost to a full ring is in li_flows only. Which LI flows
	 * are active now would need a walk of the workers' tables: not done. */
	json_object_set_new(view, "li_flows_by_family", family_counts(flows));
	json_object_set_new(view, "li_flows_unauthorized_by_family", family_counts(unauth));
	json_object_set_new(view, "per_worker", per);
	return view;
}

static const char *
warrant_name(uint8_t w)
{
	return w == TW_WARRANT_LISTED ? "listed" : w == TW_WARRANT_MISSING ? "missing" : "";
}

static json_t *
recent_alert_json(const struct tel_alert *h)
{
	char ts[40], src[64], dst[64], proto[16];
	json_t *o;

	tw_json_format_ts(h->ts_ns, ts, sizeof(ts));
	tw_json_format_ip(h->l3, h->src, src, sizeof(src));
	tw_json_format_ip(h->l3, h->dst, dst, sizeof(dst));
	o = json_pack("{s:s, s:i, s:I, s:I, s:s, s:s, s:i, s:s, s:b, s:o, s:s, s:s, s:i, s:s, "
			"s:i}",
			"timestamp", ts,
			"worker", h->worker,
			"flow_id", (json_int_t)h->flow_id,
			"signature_id", (json_int_t)h->sig_id,
			"signature", h->sig_name,
			"family", tw_family_name(h->family),
			"severity", h->severity,
			"action", h->action == TW_ALERT_BLOCKED ? "blocked" : "allowed",
			"authorized", h->authorized,
			"mediation_device", h->md_name[0] != '\0' ? json_string(h->md_name) :
					json_null(),
			"proto", tw_json_proto_name(h->proto, proto, sizeof(proto)),
			"src_ip", src,
			"src_port", h->sport,
			"dest_ip", dst,
			"dest_port", h->dport);
	if (o == NULL)
		return NULL;
	if (h->vlan != 0)
		json_object_set_new(o, "vlan", json_integer(h->vlan));
	if (h->warrant != TW_WARRANT_UNCHECKED)
		json_object_set_new(o, "warrant", json_string(warrant_name(h->warrant)));
	return o;
}

static json_t *
view_alerts(const struct tw_app *app, const char *params)
{
	struct tel_alert recent[TEL_HISTORY];
	uint64_t flows[TW_FAMILY_MAX], unauth[TW_FAMILY_MAX], alerts[TW_FAMILY_MAX], seen;
	unsigned int want = TEL_RECENT_DEFAULT, n, i;
	struct tw_totals t;
	json_t *view, *arr;

	if (params != NULL && params[0] != '\0') {
		char *end;
		unsigned long v = strtoul(params, &end, 10);

		if (*end != '\0' || v > TEL_HISTORY)
			return NULL;
		want = (unsigned int)v;
	}
	pthread_mutex_lock(&hist.lock);
	n = RTE_MIN(want, hist.count);
	for (i = 0; i < n; i++)	/* newest first */
		recent[i] = hist.ring[(hist.next + TEL_HISTORY - 1 - i) % TEL_HISTORY];
	memcpy(flows, hist.flows, sizeof(flows));
	memcpy(unauth, hist.flows_unauth, sizeof(unauth));
	memcpy(alerts, hist.alerts, sizeof(alerts));
	seen = hist.seen;
	pthread_mutex_unlock(&hist.lock);

	tw_stats_collect(app, &t);
	view = json_object();
	arr = json_array();
	if (view == NULL || arr == NULL) {
		json_decref(view);
		json_decref(arr);
		return NULL;
	}
	/* alerts_raised == written + dropped + pending, as in tapwatch_stats */
	json_object_set_new(view, "raised", json_integer((json_int_t)t.pipe[TW_PIPE_ALERTS]));
	json_object_set_new(view, "written", json_integer((json_int_t)t.alerts_written));
	json_object_set_new(view, "dropped", json_integer((json_int_t)
			(t.pipe[TW_PIPE_ALERTS_DROPPED] + t.alerts_dropped_output)));
	json_object_set_new(view, "pending", json_integer((json_int_t)t.alerts_pending_output));
	json_object_set_new(view, "dropped_ring",
			json_integer((json_int_t)t.pipe[TW_PIPE_ALERTS_DROPPED]));
	json_object_set_new(view, "dropped_output",
			json_integer((json_int_t)t.alerts_dropped_output));
	json_object_set_new(view, "output_write_errors", json_integer((json_int_t)t.write_errors));
	json_object_set_new(view, "no_warrant_alerts",
			json_integer((json_int_t)t.pipe[TW_PIPE_NO_WARRANT]));
	json_object_set_new(view, "li_flows", json_integer((json_int_t)t.pipe[TW_PIPE_LI_FLOWS]));
	json_object_set_new(view, "li_flows_unauthorized",
			json_integer((json_int_t)t.pipe[TW_PIPE_LI_FLOWS_UNAUTH]));
	json_object_set_new(view, "exported", json_integer((json_int_t)seen));
	json_object_set_new(view, "li_flows_by_family", family_counts(flows));
	json_object_set_new(view, "li_flows_unauthorized_by_family", family_counts(unauth));
	json_object_set_new(view, "alerts_by_family", family_counts(alerts));
	for (i = 0; i < n; i++)
		json_array_append_new(arr, recent_alert_json(&recent[i]));
	json_object_set_new(view, "recent", arr);
	return view;
}

static json_t *
view_config(const struct tw_app *app)
{
	const struct tw_config *c = &app->cfg;
	uint32_t counts[TW_FAMILY_MAX];
	json_t *view = json_object(), *cfg = tw_config_json(app), *sigs = json_object();
	json_t *tasks;
	unsigned int f;

	if (view == NULL || cfg == NULL || sigs == NULL) {
		json_decref(view);
		json_decref(cfg);
		json_decref(sigs);
		return NULL;
	}
	json_object_set_new(view, "config_file", json_string(c->path[0] != '\0' ? c->path :
			"(defaults)"));
	/* Task lists can be long: their sizes here, the lists in --check-config. */
	tasks = json_object();
	if (tasks != NULL) {
		json_object_set_new(tasks, "xids", c->tasks.has_xids ?
				json_integer(c->tasks.nb_xids) : json_string("not checked"));
		json_object_set_new(tasks, "liids", c->tasks.has_liids ?
				json_integer(c->tasks.nb_liids) : json_string("not checked"));
		json_object_set_new(cfg, "authorized_tasks", tasks);
	}
	json_object_update(view, cfg);
	json_decref(cfg);
	tw_sig_db_family_counts(app->db, counts);
	for (f = 0; f < TW_FAMILY_MAX; f++)
		json_object_set_new(sigs, tw_family_name(f), json_integer(counts[f]));
	json_object_set_new(view, "signature_count", json_integer(tw_sig_db_count(app->db)));
	json_object_set_new(view, "signatures_by_family", sigs);
	return view;
}

/* --- telemetry callbacks ------------------------------------------------- */

enum tel_view {
	TEL_STATS,
	TEL_FLOWS,
	TEL_ALERTS,
	TEL_CONFIG,
};

static int
tel_answer(enum tel_view which, const char *params, struct rte_tel_data *d)
{
	json_t *view = NULL;
	int ret;

	pthread_rwlock_rdlock(&life_lock);
	if (tel_app == NULL) {
		pthread_rwlock_unlock(&life_lock);
		return -EAGAIN;		/* stopping: the reply is null */
	}
	switch (which) {
	case TEL_STATS:
		view = view_stats(tel_app);
		break;
	case TEL_FLOWS:
		view = view_flows(tel_app);
		break;
	case TEL_ALERTS:
		view = view_alerts(tel_app, params);
		break;
	case TEL_CONFIG:
		view = view_config(tel_app);
		break;
	}
	ret = tel_reply(view, d);
	pthread_rwlock_unlock(&life_lock);
	return ret;
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return tel_answer(TEL_STATS, params, d);
}

static int
tel_flows(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return tel_answer(TEL_FLOWS, params, d);
}

static int
tel_alerts(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return tel_answer(TEL_ALERTS, params, d);
}

static int
tel_config(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return tel_answer(TEL_CONFIG, params, d);
}

int
tw_telemetry_register(const struct tw_app *app)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/tapwatch/stats", tel_stats,
		  "tapwatch counters, totals and per worker. No parameters" },
		{ "/tapwatch/flows", tel_flows,
		  "Flow tables per worker, LI flows per family. No parameters" },
		{ "/tapwatch/alerts", tel_alerts,
		  "Alert accounting, LI flows, last N alerts. Parameter: N<=32" },
		{ "/tapwatch/config", tel_config,
		  "Effective config, signatures, inventory. No parameters" },
	};
	unsigned int i;
	int ret;

	pthread_rwlock_wrlock(&life_lock);
	tel_app = app;
	pthread_rwlock_unlock(&life_lock);
	__atomic_store_n(&hist_on, 1, __ATOMIC_RELAXED);
	for (i = 0; i < RTE_DIM(cmds); i++) {
		ret = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
tw_telemetry_unregister(void)
{
	__atomic_store_n(&hist_on, 0, __ATOMIC_RELAXED);
	/* Waits for a command in progress; later ones answer null. */
	pthread_rwlock_wrlock(&life_lock);
	tel_app = NULL;
	pthread_rwlock_unlock(&life_lock);
}

/* --- effective configuration --------------------------------------------- */

static json_t *
cidrs_json(const struct tw_cidr *c, uint32_t n)
{
	json_t *arr = json_array();
	char ip[64], text[80];
	uint32_t i;

	for (i = 0; arr != NULL && i < n; i++) {
		tw_json_format_ip(c[i].l3, c[i].addr, ip, sizeof(ip));
		snprintf(text, sizeof(text), "%s/%u", ip, c[i].prefix_len);
		json_array_append_new(arr, json_string(text));
	}
	return arr;
}

static json_t *
families_json(uint32_t mask)
{
	json_t *arr = json_array();
	unsigned int f;

	for (f = 0; arr != NULL && f < TW_FAMILY_MAX; f++)
		if (mask & (1u << f))
			json_array_append_new(arr, json_string(tw_family_name(f)));
	return arr;
}

static void
xid_text(const uint8_t *x, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			"%02x%02x%02x%02x%02x%02x", x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7],
			x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15]);
}

/* A relative path as an absolute one, so the printed config loads from anywhere. */
static json_t *
abs_path_json(const char *path)
{
	char cwd[PATH_MAX], buf[2 * PATH_MAX];

	if (path[0] == '\0')
		return json_string("-");
	if (strcmp(path, "-") == 0)
		return json_string(path);
	if (realpath(path, cwd) != NULL)	/* exists: also without "..", links */
		return json_string(cwd);
	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return json_string(path);
	snprintf(buf, sizeof(buf), "%s/%s", cwd, strncmp(path, "./", 2) == 0 ? path + 2 : path);
	return json_string(buf);
}

/* outputs[i] as the config file writes it. */
static json_t *
output_json(const struct tw_config_output *o)
{
	json_t *j = json_object();

	if (j == NULL)
		return NULL;
	json_object_set_new(j, "type", json_string(tw_config_output_type_name(o->type)));
	switch (o->type) {
	case TW_OUTPUT_FILE:
		json_object_set_new(j, "path", abs_path_json(o->path));
		break;
	case TW_OUTPUT_UNIX:
		json_object_set_new(j, "path", abs_path_json(o->path));
		json_object_set_new(j, "mode", json_string(o->dgram ? "dgram" : "stream"));
		break;
	case TW_OUTPUT_SYSLOG:
		json_object_set_new(j, "server", json_string(o->server));
		json_object_set_new(j, "port", json_integer(o->port));
		json_object_set_new(j, "transport", json_string(o->dgram ? "udp" : "tcp"));
		json_object_set_new(j, "facility", json_string(tw_syslog_facility_name(o->facility)));
		json_object_set_new(j, "app_name", json_string(o->app_name));
		if (o->hostname[0] != '\0')
			json_object_set_new(j, "hostname", json_string(o->hostname));
		break;
	default:	/* redis */
		json_object_set_new(j, "server", json_string(o->path[0] != '\0' ? o->path :
				o->server));
		if (o->path[0] == '\0')
			json_object_set_new(j, "port", json_integer(o->port));
		json_object_set_new(j, "mode", json_string(o->redis_stream ? "stream" : "list"));
		json_object_set_new(j, "key", json_string(o->key));
		if (o->redis_stream)
			json_object_set_new(j, "maxlen", json_integer(o->maxlen));
		break;
	}
	json_object_set_new(j, "buffer_size", json_integer(o->buffer_size));
	return j;
}

json_t *
tw_config_json(const struct tw_app *app)
{
	const struct tw_config *c = &app->cfg;
	json_t *root = json_object(), *pairs, *taps, *ports, *mds, *tasks, *out;
	unsigned int i, k;
	char text[48];

	if (root == NULL)
		return NULL;
	json_object_set_new(root, "mode", json_string(c->mode == TW_MODE_INLINE ? "inline" :
			"tap"));
	pairs = json_array();
	for (i = 0; pairs != NULL && i < c->nb_port_pairs; i++)
		json_array_append_new(pairs, json_pack("[i, i]", c->port_pairs[i][0],
				c->port_pairs[i][1]));
	taps = json_array();
	for (i = 0; taps != NULL && i < c->nb_tap_ports; i++)
		json_array_append_new(taps, json_integer(c->tap_ports[i]));
	json_object_set_new(root, "dpdk", json_pack("{s:o, s:o, s:i, s:i, s:i, s:I, s:I}",
			"port_pairs", pairs,
			"tap_ports", taps,
			"workers", c->workers,
			"rx_descriptors", c->rx_desc,
			"tx_descriptors", c->tx_desc,
			"mempool_size", (json_int_t)c->mempool_size,
			"mempool_cache_size", (json_int_t)c->mempool_cache));
	json_object_set_new(root, "flow", json_pack("{s:I, s:I, s:I}",
			"table_size", (json_int_t)c->flow_table_size,
			"fragment_table_size", (json_int_t)c->frag_table_size,
			"idle_timeout", (json_int_t)c->flow_timeout_s));
	json_object_set_new(root, "inspection", json_pack("{s:I, s:I, s:I}",
			"max_packets", (json_int_t)c->inspect_pkts,
			"max_bytes", (json_int_t)c->inspect_bytes,
			"burst_bytes", (json_int_t)c->burst_bytes));
	json_object_set_new(root, "signatures", abs_path_json(c->signatures));
	out = json_pack("{s:I, s:I, s:I}",
			"stats_interval", (json_int_t)c->stats_interval_s,
			"alert_ring_size", (json_int_t)c->alert_ring_size,
			"buffer_size", (json_int_t)c->output_buffer);
	/* output.eve and "outputs" exclude each other: the file is then in outputs. */
	if (out != NULL && !c->outputs_listed) {
		json_t *rest = json_deep_copy(out);

		json_object_clear(out);
		json_object_set_new(out, "eve", abs_path_json(c->eve));
		json_object_update(out, rest);
		json_decref(rest);
	}
	json_object_set_new(root, "output", out);
	if (c->outputs_listed) {
		json_t *outs = json_array();

		for (i = 0; outs != NULL && i < c->nb_outputs; i++)
			json_array_append_new(outs, output_json(&c->outputs[i]));
		json_object_set_new(root, "outputs", outs);
	}
	ports = json_object();
	for (i = 0; ports != NULL && i < TW_FAMILY_MAX; i++) {
		json_t *list;

		if (c->nb_family_ports[i] == 0)
			continue;
		list = json_array();
		for (k = 0; list != NULL && k < c->nb_family_ports[i]; k++)
			json_array_append_new(list, json_integer(c->family_ports[i][k]));
		json_object_set_new(ports, tw_family_name(i), list);
	}
	json_object_set_new(root, "ports", ports);
	if (c->tasks.has_xids || c->tasks.has_liids) {
		tasks = json_object();
		if (tasks != NULL && c->tasks.has_xids) {
			json_t *xids = json_array();

			for (i = 0; xids != NULL && i < c->tasks.nb_xids; i++) {
				xid_text(c->tasks.xids[i], text, sizeof(text));
				json_array_append_new(xids, json_string(text));
			}
			json_object_set_new(tasks, "xids", xids);
		}
		if (tasks != NULL && c->tasks.has_liids) {
			json_t *liids = json_array();

			for (i = 0; liids != NULL && i < c->tasks.nb_liids; i++)
				json_array_append_new(liids, json_stringn(
						(const char *)c->tasks.liids[i].b,
						c->tasks.liids[i].len));
			json_object_set_new(tasks, "liids", liids);
		}
		json_object_set_new(root, "authorized_tasks", tasks);
	}
	json_object_set_new(root, "block", families_json(c->block_families));
	mds = json_array();
	for (i = 0; mds != NULL && i < c->nb_mds; i++) {
		const struct tw_md *md = &c->mds[i];
		json_t *e = json_object();

		if (e == NULL)
			break;
		json_object_set_new(e, "name", json_string(md->name));
		json_object_set_new(e, "mediation", cidrs_json(md->mediation, md->nb_mediation));
		/* Absent keys mean "any element" and "every family", as in the file. */
		if (md->nb_elements > 0)
			json_object_set_new(e, "elements", cidrs_json(md->elements,
					md->nb_elements));
		if (md->families != 0)
			json_object_set_new(e, "families", families_json(md->families));
		json_array_append_new(mds, e);
	}
	json_object_set_new(root, "mediation_devices", mds);
	return root;
}

/* Does @p v hold an object anywhere? */
static int
has_object(json_t *v)
{
	json_t *e;
	size_t i;

	if (json_is_object(v))
		return 1;
	json_array_foreach(v, i, e)
		if (has_object(e))
			return 1;
	return 0;
}

/* JSON for people: objects one key a line, short lists of values on one line. */
static void
print_json(FILE *f, json_t *v, int indent)
{
	const char *k;
	json_t *e;
	size_t i, n;
	char *s;

	s = json_dumps(v, JSON_ENCODE_ANY);
	if (s != NULL && !has_object(v) && strlen(s) + (size_t)indent <= 96) {
		fputs(s, f);
		free(s);
		return;
	}
	free(s);
	n = json_is_object(v) ? json_object_size(v) : json_array_size(v);
	fputs(json_is_object(v) ? "{" : "[", f);
	i = 0;
	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			json_t *key = json_string(k);

			s = key != NULL ? json_dumps(key, JSON_ENCODE_ANY) : NULL;
			json_decref(key);
			fprintf(f, "\n%*s%s: ", indent + 2, "", s != NULL ? s : "\"\"");
			free(s);
			print_json(f, e, indent + 2);
			fputs(++i < n ? "," : "", f);
		}
	} else {
		json_array_foreach(v, i, e) {
			fprintf(f, "\n%*s", indent + 2, "");
			print_json(f, e, indent + 2);
			fputs(i + 1 < n ? "," : "", f);
		}
	}
	fprintf(f, "\n%*s%s", indent, "", json_is_object(v) ? "}" : "]");
}

void
tw_config_print(const struct tw_app *app, FILE *f)
{
	const struct tw_config *c = &app->cfg;
	uint32_t counts[TW_FAMILY_MAX];
	json_t *root = tw_config_json(app);
	unsigned int i, j;
	char ip[64];

	fprintf(f, "// tapwatch %s --check-config: %s\n", TW_VERSION,
			c->path[0] != '\0' ? c->path : "(no file: defaults)");
	fprintf(f, "// The effective configuration: every key with its value, defaults filled\n"
			"// in, paths resolved. It is itself a valid config file.\n");
	if (root != NULL)
		print_json(f, root, 0);
	else
		fprintf(f, "// (out of memory printing the configuration)");
	fprintf(f, "\n");
	json_decref(root);

	fprintf(f, "// signatures: %s: %u\n", c->signatures, tw_sig_db_count(app->db));
	tw_sig_db_family_counts(app->db, counts);
	for (i = 0; i < TW_FAMILY_MAX; i++)
		fprintf(f, "//   %-14s %u\n", tw_family_name(i), counts[i]);
	fprintf(f, "// mediation devices: %u\n", c->nb_mds);
	for (i = 0; i < c->nb_mds; i++) {
		const struct tw_md *md = &c->mds[i];

		fprintf(f, "//   %s: mediation", md->name);
		for (j = 0; j < md->nb_mediation; j++) {
			tw_json_format_ip(md->mediation[j].l3, md->mediation[j].addr, ip, sizeof(ip));
			fprintf(f, "%s %s/%u", j ? "," : "", ip, md->mediation[j].prefix_len);
		}
		fprintf(f, "; elements");
		if (md->nb_elements == 0)
			fprintf(f, " any");
		for (j = 0; j < md->nb_elements; j++) {
			tw_json_format_ip(md->elements[j].l3, md->elements[j].addr, ip, sizeof(ip));
			fprintf(f, "%s %s/%u", j ? "," : "", ip, md->elements[j].prefix_len);
		}
		fprintf(f, "; families");
		if (md->families == 0)
			fprintf(f, " all");
		for (j = 0; j < TW_FAMILY_MAX; j++)
			if (md->families & (1u << j))
				fprintf(f, " %s", tw_family_name(j));
		fprintf(f, "\n");
	}
	fprintf(f, "// family ports (ports=config signatures):");
	for (i = 0, j = 0; i < TW_FAMILY_MAX; i++) {
		unsigned int k;

		if (c->nb_family_ports[i] == 0)
			continue;
		fprintf(f, "%s %s", j++ ? ";" : "", tw_family_name(i));
		for (k = 0; k < c->nb_family_ports[i]; k++)
			fprintf(f, "%s%u", k ? "," : " ", c->family_ports[i][k]);
	}
	fprintf(f, "%s\n", j == 0 ? " none" : "");
	fprintf(f, "// authorized tasks: ");
	if (c->tasks.has_xids)
		fprintf(f, "%u XIDs", c->tasks.nb_xids);
	else
		fprintf(f, "XIDs not checked");
	if (c->tasks.has_liids)
		fprintf(f, ", %u LIIDs\n", c->tasks.nb_liids);
	else
		fprintf(f, ", LIIDs not checked\n");
	fprintf(f, "// block (inline, unauthorized):");
	for (i = 0, j = 0; i < TW_FAMILY_MAX; i++)
		if (c->block_families & (1u << i))
			fprintf(f, " %s", tw_family_name(i)), j++;
	fprintf(f, "%s\n", j == 0 ? " none" : c->mode == TW_MODE_INLINE ? "" : " (tap mode: "
			"alerts only)");
	fprintf(f, "// configuration OK\n");
}
