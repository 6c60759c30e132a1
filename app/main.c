/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * tapwatch [EAL options] -- [tapwatch options]
 * tapwatch -r FILE [tapwatch options]            (offline: no EAL options)
 *
 * Owns global state, init order and orderly shutdown: stop flag -> wait for
 * the workers -> drain the alert rings -> final stats -> close ports -> free
 * in reverse order -> rte_eal_cleanup().
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pdump.h>

#include "tw_alert.h"
#include "tw_app.h"
#include "tw_li.h"

#define EAL_ARGS_MAX 64
/* How long a stalled sink may hold the exit before its alerts count as dropped. */
#define EXIT_FLUSH_MS 5000
/* Console status line period on a terminal (testpmd-like); logs get one per stats_interval. */
#define STATUS_TTY_NS 2000000000ull

static struct tw_app g_app;
static volatile sig_atomic_t g_hup;

uint64_t
tw_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	__atomic_store_n(&g_app.stop, 1, __ATOMIC_RELAXED);
}

static void
on_sighup(int sig)
{
	RTE_SET_USED(sig);
	g_hup = 1;
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [EAL options] -- [options]     live: inline or tap on DPDK ports\n"
		"       %s -r FILE [options]              offline: read a pcap/pcapng file\n"
		"\n"
		"Finds lawful-intercept and traffic-copy flows (ETSI X2/X3, HI2/HI3, ERSPAN, ...)\n"
		"and checks them against the mediation-device inventory; writes EVE JSON alerts.\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE     JSON config (every key optional; see conf/tapwatch.json)\n"
		"  -r, --read-pcap FILE  read packets from FILE instead of DPDK ports\n"
		"  -o, --eve FILE        EVE JSON output, '-' for stdout (overrides output.eve)\n"
		"      --check-config    validate config and signatures, print the effective config, exit\n"
		"      --idle-exit SECS  live mode: exit after SECS seconds without packets\n"
		"  -q, --quiet           no periodic status line on the console\n"
		"  -h, --help            this help\n"
		"      --version         print the version\n"
		"\n"
		"Examples:\n"
		"  %s -r capture.pcap -c conf/demo.json -o -\n"
		"  %s -l 0-2 -a 0000:3b:00.0 -a 0000:3b:00.1 -- -c /etc/tapwatch/tapwatch.json\n",
		prog, prog, prog, prog);
}

enum {
	OPT_CHECK_CONFIG = 256,
	OPT_VERSION,
	OPT_IDLE_EXIT,
};

struct cli {
	const char *config;
	const char *eve;
	int check_config;
	int help;
	int version;
};

static int
parse_args(int argc, char **argv, struct cli *cli, struct tw_app *app)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "read-pcap", required_argument, NULL, 'r' },
		{ "eve", required_argument, NULL, 'o' },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "idle-exit", required_argument, NULL, OPT_IDLE_EXIT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	unsigned long v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:r:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli->config = optarg;
			break;
		case 'r':
			app->pcap_path = optarg;
			break;
		case 'o':
			cli->eve = optarg;
			break;
		case 'q':
			app->quiet = 1;
			break;
		case 'h':
			cli->help = 1;
			break;
		case OPT_CHECK_CONFIG:
			cli->check_config = 1;
			break;
		case OPT_VERSION:
			cli->version = 1;
			break;
		case OPT_IDLE_EXIT:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0 || v > 86400) {
				fprintf(stderr, "tapwatch: --idle-exit %s: give seconds in 1..86400\n",
						optarg);
				return -EINVAL;
			}
			app->idle_exit_s = (unsigned int)v;
			break;
		case ':':
			fprintf(stderr, "tapwatch: option %s needs a value (see --help)\n",
					argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "tapwatch: unknown option %s (see --help; EAL options go "
					"before --)\n", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tapwatch: unexpected argument %s (see --help)\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* Copy a NUL-terminated text of at most @p n bytes, control bytes as \xHH. */
static void
escape_ctl(const char *in, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && in[i] != '\0' && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static void
print_error(const char *what, const struct tw_error *err)
{
	char file[4 * sizeof(err->file)], msg[4 * sizeof(err->msg)];

	/* Messages quote the user's files: never echo their control bytes
	 * (terminal escape sequences) to the console. */
	escape_ctl(err->file, sizeof(err->file), file, sizeof(file));
	escape_ctl(err->msg, sizeof(err->msg), msg, sizeof(msg));
	if (err->line > 0)
		fprintf(stderr, "tapwatch: %s error: %s:%u: %s\n", what, file, err->line, msg);
	else
		fprintf(stderr, "tapwatch: %s error: %s: %s\n", what, file, msg);
}

/*
 * EAL's runtime directory holds the telemetry socket (a control channel
 * into the process): owner only, whatever the umask.
 */
static void
restrict_runtime_dir(void)
{
	char path[PATH_MAX];
	const char *dir = rte_eal_get_runtime_dir();

	if (dir == NULL || dir[0] == '\0')
		return;
	if (chmod(dir, S_IRWXU) != 0 && errno != ENOENT)
		fprintf(stderr, "tapwatch: warning: cannot restrict %s: %s\n", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/dpdk_telemetry.v2", dir);
	if (chmod(path, S_IRUSR | S_IWUSR) != 0 && errno != ENOENT)
		fprintf(stderr, "tapwatch: warning: cannot restrict %s: %s\n", path,
				strerror(errno));
}

/* Keys a reload cannot change under running workers: they shape ports and memory. */
static void
warn_restart_keys(const struct tw_config *old, const struct tw_config *c)
{
	if (old->mode != c->mode || old->workers != c->workers ||
			old->nb_port_pairs != c->nb_port_pairs ||
			old->nb_tap_ports != c->nb_tap_ports ||
			memcmp(old->port_pairs, c->port_pairs, sizeof(c->port_pairs)) != 0 ||
			memcmp(old->tap_ports, c->tap_ports, sizeof(c->tap_ports)) != 0 ||
			old->rx_desc != c->rx_desc || old->tx_desc != c->tx_desc ||
			old->mempool_size != c->mempool_size ||
			old->flow_table_size != c->flow_table_size ||
			old->frag_table_size != c->frag_table_size ||
			old->flow_timeout_s != c->flow_timeout_s ||
			old->inspect_pkts != c->inspect_pkts ||
			old->inspect_bytes != c->inspect_bytes ||
			old->alert_ring_size != c->alert_ring_size)
		fprintf(stderr, "tapwatch: SIGHUP: mode, dpdk, flow, inspection or ring settings "
				"changed: they take effect on restart; signatures, inventory, tasks, "
				"ports and block list are applied now\n");
}

/*
 * SIGHUP (systemctl reload): signatures, inventory, authorized tasks, family
 * ports and the block list are replaced without stopping traffic. Everything
 * is loaded and compiled here, off the workers; a bad file is reported and
 * the running rules stay. Each worker takes the new rules from its mailbox
 * between two bursts. Two RCU grace periods later (every worker has reported
 * a quiescent state after a loop iteration that began after the post, and
 * has finished that iteration) nothing uses the old rules and they are freed.
 */
static void
reload(struct tw_app *app)
{
	struct tw_pipeline_rules *rules = NULL;
	const struct tw_config *cur = app->live_cfg != NULL ? app->live_cfg : &app->cfg;
	struct tw_config *cfg;
	struct tw_sig_db *db = NULL;
	struct tw_error err;
	uint16_t w;
	unsigned int i;

	tw_stats_clear_status(stderr);
	if (app->cfg.path[0] == '\0') {
		fprintf(stderr, "tapwatch: SIGHUP: running on defaults (no -c): nothing to reload\n");
		return;
	}
	if (app->pending.phase != 0) {
		fprintf(stderr, "tapwatch: SIGHUP: the previous reload is still being applied; "
				"send SIGHUP again once it is reported\n");
		return;
	}
	cfg = calloc(1, sizeof(*cfg));
	rules = calloc(app->nb_workers, sizeof(*rules));
	if (cfg == NULL || rules == NULL) {
		fprintf(stderr, "tapwatch: SIGHUP: out of memory; running rules kept\n");
		goto fail;
	}
	if (tw_config_load(app->cfg.path, cfg, &err) != 0) {
		print_error("SIGHUP: config", &err);
		goto fail_msg;
	}
	db = tw_sig_db_load(cfg->signatures, &err);
	if (db == NULL) {
		print_error("SIGHUP: signature", &err);
		goto fail_msg;
	}
	for (i = 0; i < TW_FAMILY_MAX; i++)
		if (cfg->nb_family_ports[i] != 0 &&
				tw_sig_db_set_ports(db, i, cfg->family_ports[i],
					cfg->nb_family_ports[i]) != 0)
			goto fail_nomem;
	for (w = 0; w < app->nb_workers; w++) {
		rules[w].db = db;
		rules[w].scratch = tw_sig_scratch_alloc(db);
		if (rules[w].scratch == NULL)
			goto fail_nomem;
		rules[w].mds = cfg->mds;
		rules[w].nb_mds = cfg->nb_mds;
		rules[w].tasks = cfg->tasks.has_xids || cfg->tasks.has_liids ? &cfg->tasks : NULL;
		rules[w].block_families = cfg->mode == TW_MODE_INLINE ? cfg->block_families : 0;
	}
	warn_restart_keys(cur, cfg);

	for (w = 0; w < app->nb_workers; w++)
		__atomic_store_n(&app->workers[w].mailbox, &rules[w], __ATOMIC_RELEASE);
	/* The old rules are freed by reload_poll() after two grace periods. */
	app->pending.rules = rules;
	app->pending.cfg = cfg;
	app->pending.db = db;
	app->pending.phase = 1;
	app->pending.token = rte_rcu_qsbr_start(app->qsbr);
	return;

fail_nomem:
	fprintf(stderr, "tapwatch: SIGHUP: out of memory for the new rules; running rules kept\n");
	goto fail;
fail_msg:
	fprintf(stderr, "tapwatch: SIGHUP: running rules kept\n");
fail:
	if (rules != NULL)
		for (w = 0; w < app->nb_workers; w++)
			tw_sig_scratch_free(rules[w].scratch);
	free(rules);
	tw_sig_db_free(db);
	if (cfg != NULL)
		tw_config_free(cfg);
	free(cfg);
}

/* Switch app->live_* to the posted rules and free what they replace. */
static void
reload_complete(struct tw_app *app)
{
	struct tw_pending_reload *pr = &app->pending;
	uint16_t w;

	for (w = 0; w < app->nb_workers; w++) {
		struct tw_worker *wk = &app->workers[w];

		if (__atomic_load_n(&wk->mailbox, __ATOMIC_ACQUIRE) != NULL) {
			/* Never taken (the workers stopped first): keep the old one. */
			wk->mailbox = NULL;
			tw_sig_scratch_free(pr->rules[w].scratch);
		} else {
			tw_sig_scratch_free(wk->retired);
		}
		wk->retired = NULL;
	}
	tw_sig_db_free(app->live_db);
	if (app->live_cfg != NULL) {
		tw_config_free(app->live_cfg);
		free(app->live_cfg);
	}
	app->live_db = pr->db;
	app->live_cfg = pr->cfg;
	app->nb_reloads++;
	fprintf(stderr, "tapwatch: SIGHUP: reloaded %s: %u signatures, %u mediation devices, "
			"%u+%u authorized tasks (reload %u)\n", app->cfg.path,
			tw_sig_db_count(pr->db), pr->cfg->nb_mds, pr->cfg->tasks.nb_xids,
			pr->cfg->tasks.nb_liids, app->nb_reloads);
	free(pr->rules);
	memset(pr, 0, sizeof(*pr));
}

/*
 * A posted reload completes after two RCU grace periods: after the first,
 * every worker has reported a quiescent state after the post, so the loop
 * iteration it runs next began after the post and takes the mailbox; after
 * the second, that iteration is over and no burst uses the old rules.
 * Polled from the main loop, so a worker that waits for packets never
 * holds the control thread.
 */
static void
reload_poll(struct tw_app *app)
{
	struct tw_pending_reload *pr = &app->pending;

	if (pr->phase == 0 || rte_rcu_qsbr_check(app->qsbr, pr->token, false) != 1)
		return;
	if (pr->phase == 1) {
		pr->phase = 2;
		pr->token = rte_rcu_qsbr_start(app->qsbr);
		return;
	}
	reload_complete(app);
}

/*
 * rte_pdump lets dpdk-dumpcap (a secondary process) copy packets from the
 * ports. It needs EAL's shared config (mp_socket: no --no-shconf or
 * --in-memory) and hugepages (a --no-huge primary's memory cannot be mapped by
 * a secondary); rte_pdump_init() succeeds without them, so say which it is.
 */
static int
pdump_start(const struct tw_app *app)
{
	const char *dir = rte_eal_get_runtime_dir();
	const char *prefix = strrchr(dir, '/') != NULL ? strrchr(dir, '/') + 1 : dir;
	char path[PATH_MAX];

	if (rte_pdump_init() != 0) {
		fprintf(stderr, "tapwatch: warning: packet capture (rte_pdump) unavailable: %s\n",
				rte_strerror(rte_errno));
		return 0;
	}
	if (app->quiet)
		return 1;
	snprintf(path, sizeof(path), "%s/mp_socket", dir);
	if (rte_eal_has_hugepages() && access(path, F_OK) == 0)
		fprintf(stderr, "tapwatch: packet capture: dpdk-dumpcap --file-prefix=%s -i <port>\n",
				prefix);
	else
		fprintf(stderr, "tapwatch: packet capture with dpdk-dumpcap needs hugepages and "
				"EAL's shared config (no --no-huge, --no-shconf, --in-memory)\n");
	return 1;
}

/* EAL arguments for offline mode: no hugepages, no PCI, nothing shared. */
static int
offline_eal_args(const struct tw_app *app, char *prog, char **eal, char store[][48])
{
	uint64_t mem_mb;
	int n = 0;

	/* Flow and fragment tables (~400 B per entry with the hash), mbufs, rings. */
	mem_mb = 128 + ((uint64_t)app->cfg.flow_table_size + app->cfg.frag_table_size) * 400 /
			(1u << 20);
	snprintf(store[0], sizeof(store[0]), "%" PRIu64, mem_mb);
	snprintf(store[1], sizeof(store[1]), "--file-prefix=tapwatch-r%d", (int)getpid());
	eal[n++] = prog;
	eal[n++] = (char *)"--no-huge";
	eal[n++] = (char *)"-m";
	eal[n++] = store[0];
	eal[n++] = (char *)"--no-shconf";
	eal[n++] = (char *)"--no-pci";
	eal[n++] = (char *)"--no-telemetry";
	eal[n++] = (char *)"-l";
	eal[n++] = (char *)"0";
	eal[n++] = store[1];
	eal[n++] = (char *)"--log-level=lib.*:error";
	eal[n] = NULL;
	return n;
}

static int
setup_workers(struct tw_app *app, enum tw_pkt_link link)
{
	const struct tw_config *c = &app->cfg;
	unsigned int lcore = rte_get_main_lcore();
	uint16_t w;

	app->nb_workers = app->pcap_path != NULL ? 1 : c->workers;
	if (app->pcap_path == NULL && rte_lcore_count() < (unsigned int)app->nb_workers + 1) {
		fprintf(stderr, "tapwatch: %u worker(s) need %u lcores (one main + one per worker); "
				"EAL has %u: pass e.g. -l 0-%u before --\n", app->nb_workers,
				app->nb_workers + 1, rte_lcore_count(), app->nb_workers);
		return -EINVAL;
	}
	app->workers = rte_zmalloc("tw_workers", sizeof(*app->workers) * app->nb_workers,
			RTE_CACHE_LINE_SIZE);
	if (app->workers == NULL)
		return -ENOMEM;
	for (w = 0; w < app->nb_workers; w++) {
		struct tw_worker *wk = &app->workers[w];
		struct tw_pipeline_params pp;
		char rname[32], fname[32];

		wk->id = w;
		if (app->pcap_path == NULL) {
			lcore = rte_get_next_lcore(lcore, 1, 0);
			wk->lcore = lcore;
		} else {
			wk->lcore = rte_get_main_lcore();
		}
		snprintf(rname, sizeof(rname), "tw_alerts_%u", w);
		wk->ring = tw_alert_ring_create(rname, c->alert_ring_size,
				(int)rte_lcore_to_socket_id(wk->lcore));
		if (wk->ring == NULL) {
			fprintf(stderr, "tapwatch: cannot create alert ring %s (%u alerts): %s\n", rname,
					c->alert_ring_size, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		snprintf(fname, sizeof(fname), "tw_flows_%u", w);
		memset(&pp, 0, sizeof(pp));
		pp.worker_id = w;
		pp.socket_id = (int)rte_lcore_to_socket_id(wk->lcore);
		pp.link = link;
		pp.db = app->db;
		pp.mds = c->mds;
		pp.nb_mds = c->nb_mds;
		/* Blocking needs a wire to withhold packets from. */
		pp.block_families = c->mode == TW_MODE_INLINE && app->pcap_path == NULL ?
				c->block_families : 0;
		pp.tasks = c->tasks.has_xids || c->tasks.has_liids ? &c->tasks : NULL;
		pp.inspect_pkts = c->inspect_pkts;
		pp.inspect_bytes = c->inspect_bytes;
		pp.burst_scan_bytes = c->burst_bytes;
		pp.alert_ring = wk->ring;
		pp.flow.name = fname;
		pp.flow.capacity = c->flow_table_size;
		pp.flow.frag_capacity = c->frag_table_size;
		pp.flow.idle_timeout_ns = (uint64_t)c->flow_timeout_s * 1000000000ull;
		pp.flow.socket_id = pp.socket_id;
		pp.flow.worker_id = w;
		wk->pl = tw_pipeline_create(&pp);
		if (wk->pl == NULL) {
			fprintf(stderr, "tapwatch: cannot create worker %u's pipeline (flow table of %u "
					"entries): %s; lower flow.table_size or give EAL more memory\n", w,
					c->flow_table_size, rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	return 0;
}

static void
teardown_workers(struct tw_app *app)
{
	uint16_t w;

	if (app->workers == NULL)
		return;
	for (w = 0; w < app->nb_workers; w++) {
		tw_pipeline_free(app->workers[w].pl);
		rte_ring_free(app->workers[w].ring);
		rte_mempool_free(app->workers[w].pool);
	}
	rte_free(app->workers);
	app->workers = NULL;
	rte_free(app->qsbr);
	app->qsbr = NULL;
	tw_sig_db_free(app->live_db);
	app->live_db = NULL;
	if (app->live_cfg != NULL) {
		tw_config_free(app->live_cfg);
		free(app->live_cfg);
		app->live_cfg = NULL;
	}
}

static int
run_live(struct tw_app *app)
{
	struct tw_totals prev;
	uint64_t last_rx = 0, idle_since = tw_now_ns(), last_status = tw_now_ns();
	uint64_t interval_ns = (uint64_t)app->cfg.stats_interval_s * 1000000000ull;
	/* A terminal gets a live status line; a log one line per stats interval. */
	uint64_t status_ns = isatty(STDERR_FILENO) && (interval_ns == 0 ||
			interval_ns > STATUS_TTY_NS) ? STATUS_TTY_NS : interval_ns;
	uint16_t w;
	int ret;

	ret = tw_ports_init(app);
	if (ret != 0)
		return ret;
	ret = tw_exporter_start(app->exp, app);
	if (ret != 0) {
		fprintf(stderr, "tapwatch: cannot start the exporter thread: %s\n", strerror(-ret));
		return ret;
	}
	/* Quiescent-state tracking of the workers, for hot reload. */
	app->qsbr = rte_zmalloc("tw_qsbr", rte_rcu_qsbr_get_memsize(app->nb_workers),
			RTE_CACHE_LINE_SIZE);
	if (app->qsbr == NULL || rte_rcu_qsbr_init(app->qsbr, app->nb_workers) != 0) {
		fprintf(stderr, "tapwatch: cannot set up RCU for %u workers\n", app->nb_workers);
		return -ENOMEM;
	}
	tw_workers_set_app(app);
	for (w = 0; w < app->nb_workers; w++) {
		ret = rte_eal_remote_launch(tw_worker_main, &app->workers[w], app->workers[w].lcore);
		if (ret != 0) {
			fprintf(stderr, "tapwatch: cannot launch worker %u on lcore %u: %s\n", w,
					app->workers[w].lcore, strerror(-ret));
			__atomic_store_n(&app->stop, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	memset(&prev, 0, sizeof(prev));
	fprintf(stderr, "tapwatch: running %s on %u worker(s); Ctrl-C to stop\n",
			app->cfg.mode == TW_MODE_INLINE ? "inline" : "tap", app->nb_workers);
	while (!__atomic_load_n(&app->stop, __ATOMIC_RELAXED)) {
		struct tw_totals t;
		uint64_t now;

		usleep(100 * 1000);
		now = tw_now_ns();
		if (g_hup) {
			g_hup = 0;
			reload(app);
			/* logrotate: the exporter reopens its file outputs. */
			tw_exporter_request_reopen(app->exp);
		}
		reload_poll(app);
		if (!app->quiet && status_ns != 0 && now - last_status >= status_ns) {
			tw_stats_print_status(app, stderr, (double)(now - last_status) / 1e9, &prev);
			last_status = now;
		}
		if (app->idle_exit_s != 0) {
			tw_stats_collect(app, &t);
			if (t.pipe[TW_PIPE_RX_PKTS] != last_rx) {
				last_rx = t.pipe[TW_PIPE_RX_PKTS];
				idle_since = now;
			} else if (now - idle_since >= (uint64_t)app->idle_exit_s * 1000000000ull) {
				tw_stats_clear_status(stderr);
				fprintf(stderr, "tapwatch: no packets for %us: exiting (--idle-exit)\n",
						app->idle_exit_s);
				__atomic_store_n(&app->stop, 1, __ATOMIC_RELAXED);
			}
		}
	}
	if (!app->quiet)
		tw_stats_clear_status(stderr);
	rte_eal_mp_wait_lcore();
	/* Workers are done: a reload still in flight can be settled now. */
	if (app->pending.phase != 0)
		reload_complete(app);
	for (w = 0; w < app->nb_workers; w++)
		tw_pipeline_flush(app->workers[w].pl);
	tw_exporter_stop(app->exp, app);
	return 0;
}

int
main(int argc, char **argv)
{
	struct tw_app *app = &g_app;
	struct cli cli;
	struct tw_error err;
	char *eal_argv[EAL_ARGS_MAX + 1];
	char eal_store[2][48];
	char **app_argv = argv;
	char errbuf[256];
	enum tw_pkt_link link = TW_PKT_LINK_ETH;
	int app_argc = argc, eal_argc = 0, i, sep = -1, ret, status = EXIT_FAILURE;
	char runtime_dir[PATH_MAX] = "";
	mode_t old_umask;
	int pdump_on = 0;

	memset(&cli, 0, sizeof(cli));
	/* EAL options come before "--"; without "--" everything is ours. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	if (sep > 0) {
		if (sep > EAL_ARGS_MAX) {
			fprintf(stderr, "tapwatch: too many EAL options\n");
			return EXIT_FAILURE;
		}
		for (i = 0; i < sep; i++)
			eal_argv[i] = argv[i];
		eal_argv[sep] = NULL;
		eal_argc = sep;
		app_argv = argv + sep;
		app_argv[0] = argv[0];
		app_argc = argc - sep;
	}
	if (parse_args(app_argc, app_argv, &cli, app) != 0)
		return EXIT_FAILURE;
	if (cli.help) {
		usage(stdout, argv[0]);
		return EXIT_SUCCESS;
	}
	if (cli.version) {
		printf("tapwatch %s\n", TW_VERSION);
		return EXIT_SUCCESS;
	}

	if (cli.config != NULL) {
		ret = tw_config_load(cli.config, &app->cfg, &err);
		if (ret != 0) {
			print_error("config", &err);
			tw_config_free(&app->cfg);
			return EXIT_FAILURE;
		}
	} else {
		tw_config_defaults(&app->cfg);
	}
	app->eve_path = cli.eve != NULL ? (strcmp(cli.eve, "-") == 0 ? "" : cli.eve) :
			app->cfg.eve;
	/* -o replaces the config's file outputs and becomes the primary output. */
	if (cli.eve != NULL && (ret = tw_config_set_eve(&app->cfg, cli.eve)) != 0) {
		fprintf(stderr, "tapwatch: -o %s: %s\n", cli.eve, ret == -ENOSPC ?
				"no room beside the config's network outputs (8 at most)" :
				strerror(-ret));
		goto out_config;
	}
	app->db = tw_sig_db_load(app->cfg.signatures, &err);
	if (app->db == NULL) {
		print_error("signature", &err);
		if (cli.config == NULL)
			fprintf(stderr, "tapwatch: hint: give a config with -c (e.g. conf/tapwatch.json) "
					"whose \"signatures\" key names the rules file\n");
		goto out_config;
	}
	for (i = 0; i < TW_FAMILY_MAX; i++) {
		if (app->cfg.nb_family_ports[i] == 0)
			continue;
		if (tw_sig_db_set_ports(app->db, (unsigned int)i, app->cfg.family_ports[i],
				app->cfg.nb_family_ports[i]) != 0) {
			fprintf(stderr, "tapwatch: out of memory for the port lists\n");
			goto out_db;
		}
	}
	if (cli.check_config) {
		tw_config_print(app, stdout);
		status = EXIT_SUCCESS;
		goto out_db;
	}
	if (app->pcap_path != NULL && tw_offline_link(app->pcap_path, &link) != 0)
		goto out_db;

	if (sep < 0 && app->pcap_path != NULL)
		eal_argc = offline_eal_args(app, argv[0], eal_argv, eal_store);
	else if (sep < 0) {
		eal_argv[0] = argv[0];
		eal_argv[1] = NULL;
		eal_argc = 1;
	}
	/* Everything EAL creates (runtime dir, mp_socket, telemetry) owner-only. */
	old_umask = umask(077);
	ret = rte_eal_init(eal_argc, eal_argv);
	umask(old_umask);
	if (ret < 0) {
		fprintf(stderr, "tapwatch: EAL initialisation failed: %s (without hugepages pass "
				"--no-huge -m 512 --no-pci before --)\n", rte_strerror(rte_errno));
		goto out_db;
	}
	restrict_runtime_dir();
	if (app->pcap_path == NULL)
		pdump_on = pdump_start(app);
	app->tsc_hz = rte_get_tsc_hz();
	app->base_tsc = rte_rdtsc();
	app->start_ns = tw_now_ns();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* systemctl reload: hot reload (reload()), never die of it. */
	signal(SIGHUP, on_sighup);
	/* A sink reader that goes away is an EPIPE to count, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);

	if (setup_workers(app, link) != 0)
		goto out_eal;
	app->exp = tw_exporter_create(app->cfg.outputs, app->cfg.nb_outputs,
			app->pcap_path != NULL, errbuf, sizeof(errbuf));
	if (app->exp == NULL) {
		fprintf(stderr, "tapwatch: %s\n", errbuf);
		goto out_eal;
	}
	/* Offline runs EAL without telemetry: nothing to ask. */
	if (app->pcap_path == NULL && tw_telemetry_register(app) != 0)
		fprintf(stderr, "tapwatch: warning: cannot register the /tapwatch/* telemetry "
				"commands\n");
	ret = app->pcap_path != NULL ? tw_offline_run(app) : run_live(app);
	if (ret == 0) {
		/* Alerts first, so the final stats account for every one of them. */
		tw_exporter_stop(app->exp, app);
		tw_exporter_finish(app->exp, EXIT_FLUSH_MS);
		tw_exporter_write_json(app->exp, tw_stats_json(app, tw_now_ns()));
		tw_exporter_finish(app->exp, EXIT_FLUSH_MS);
		tw_stats_print_summary(app, stderr);
		status = EXIT_SUCCESS;
	}
	if (app->pcap_path == NULL) {
		tw_telemetry_unregister();
		if (pdump_on)
			rte_pdump_uninit();
		pdump_on = 0;
		tw_ports_close(app);
	}
out_eal:
	/* Before what the telemetry callbacks read is freed. */
	tw_telemetry_unregister();
	if (pdump_on)
		rte_pdump_uninit();
	tw_exporter_free(app->exp);
	teardown_workers(app);
	if (rte_eal_get_runtime_dir() != NULL)
		snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	/* EAL leaves its (now empty) runtime directory behind. */
	if (runtime_dir[0] != '\0')
		rmdir(runtime_dir);
out_db:
	tw_sig_db_free(app->db);
out_config:
	tw_config_free(&app->cfg);
	return status;
}
