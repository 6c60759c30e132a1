/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <jansson.h>
#include <rte_common.h>
#include <rte_config.h>

#include "tw_config.h"
#include "tw_li.h"
#include "tw_syslog.h"

/* A config file is a few KiB; the cap only stops a wrong path (a pcap, a
 * device) from being slurped into memory.
 */
#define CONFIG_FILE_MAX (16u << 20)

#define KEY_PATH_MAX 96		/* "mediation_devices[123].elements[45]" */
#define VALUE_TEXT_MAX 40	/* value quoted back in a message */

#define WORKERS_MAX 64
#define DESC_MIN 64
#define DESC_MAX 16384
#define MEMPOOL_MIN 1023
#define MEMPOOL_MAX 16777215
#define MEMPOOL_CACHE_MAX 512	/* RTE_MEMPOOL_CACHE_MAX_SIZE */
#define TABLE_MIN 64
#define TABLE_MAX 67108864
#define TIMEOUT_MAX 86400
#define INSPECT_PKTS_MAX 255
#define INSPECT_BYTES_MIN 64
#define INSPECT_BYTES_MAX 65535
#define STATS_INTERVAL_MAX 3600
#define ALERT_RING_MIN 64
#define ALERT_RING_MAX 1048576

static const char *const top_keys[] = {
	"mode", "dpdk", "flow", "inspection", "signatures", "output", "block",
	"mediation_devices", "ports", "authorized_tasks", "outputs", NULL,
};
static const char *const tasks_keys[] = {
	"xids", "liids", NULL,
};
static const char *const dpdk_keys[] = {
	"port_pairs", "tap_ports", "workers", "rx_descriptors", "tx_descriptors",
	"mempool_size", "mempool_cache_size", NULL,
};
static const char *const flow_keys[] = {
	"table_size", "fragment_table_size", "idle_timeout", NULL,
};
static const char *const inspection_keys[] = {
	"max_packets", "max_bytes", "burst_bytes", NULL,
};
static const char *const output_keys[] = {
	"eve", "stats_interval", "alert_ring_size", "buffer_size", NULL,
};
static const char *const md_keys[] = {
	"name", "mediation", "elements", "families", NULL,
};
/* outputs[]: the keys of each type, and all of them (for hints). */
static const char *const file_output_keys[] = {
	"type", "path", "buffer_size", NULL,
};
static const char *const unix_output_keys[] = {
	"type", "path", "mode", "buffer_size", NULL,
};
static const char *const syslog_output_keys[] = {
	"type", "server", "port", "transport", "facility", "app_name", "hostname",
	"buffer_size", NULL,
};
static const char *const redis_output_keys[] = {
	"type", "server", "port", "mode", "key", "maxlen", "buffer_size", NULL,
};
static const char *const output_any_keys[] = {
	"type", "path", "mode", "server", "port", "transport", "facility", "app_name",
	"hostname", "key", "maxlen", "buffer_size", NULL,
};
static const char *const output_type_names[TW_OUTPUT_TYPE_MAX] = {
	[TW_OUTPUT_FILE] = "file",
	[TW_OUTPUT_UNIX] = "unix",
	[TW_OUTPUT_SYSLOG] = "syslog",
	[TW_OUTPUT_REDIS] = "redis",
};
static const char *const *const output_type_keys[TW_OUTPUT_TYPE_MAX] = {
	[TW_OUTPUT_FILE] = file_output_keys,
	[TW_OUTPUT_UNIX] = unix_output_keys,
	[TW_OUTPUT_SYSLOG] = syslog_output_keys,
	[TW_OUTPUT_REDIS] = redis_output_keys,
};

/* Where each key list applies; used to suggest the right place for a key
 * written at the wrong level or with Suricata-style dashes.
 */
static const struct {
	const char *path;
	const char *const *keys;
} sections[] = {
	{ "", top_keys },
	{ "dpdk", dpdk_keys },
	{ "flow", flow_keys },
	{ "inspection", inspection_keys },
	{ "output", output_keys },
	{ "mediation_devices[]", md_keys },
	{ "authorized_tasks", tasks_keys },
	{ "outputs[]", output_any_keys },
};

/* An integer key stored in a struct tw_config field of 2 or 4 bytes. */
struct num_key {
	const char *name;
	uint32_t min;
	uint32_t max;
	int pow2;
	const char *unit;
	size_t off;
	size_t size;
};

#define NUM(name, min, max, pow2, field, unit) \
	{ name, min, max, pow2, unit, offsetof(struct tw_config, field), \
	  sizeof(((struct tw_config *)NULL)->field) }

static const struct num_key dpdk_nums[] = {
	NUM("workers", 1, WORKERS_MAX, 0, workers,
	    "worker lcores = RX queues per port"),
	NUM("rx_descriptors", DESC_MIN, DESC_MAX, 1, rx_desc,
	    "descriptors per RX queue"),
	NUM("tx_descriptors", DESC_MIN, DESC_MAX, 1, tx_desc,
	    "descriptors per TX queue"),
	NUM("mempool_size", MEMPOOL_MIN, MEMPOOL_MAX, 0, mempool_size,
	    "mbufs per worker"),
	NUM("mempool_cache_size", 0, MEMPOOL_CACHE_MAX, 0, mempool_cache,
	    "mbufs per lcore cache"),
};
static const struct num_key flow_nums[] = {
	NUM("table_size", TABLE_MIN, TABLE_MAX, 0, flow_table_size,
	    "flows per worker"),
	NUM("fragment_table_size", TABLE_MIN, TABLE_MAX, 0, frag_table_size,
	    "fragment mappings per worker"),
	NUM("idle_timeout", 1, TIMEOUT_MAX, 0, flow_timeout_s,
	    "seconds"),
};
static const struct num_key inspection_nums[] = {
	NUM("max_packets", 1, INSPECT_PKTS_MAX, 0, inspect_pkts,
	    "payload packets per direction"),
	NUM("max_bytes", INSPECT_BYTES_MIN, INSPECT_BYTES_MAX, 0, inspect_bytes,
	    "payload bytes per direction"),
	NUM("burst_bytes", 2048, 1u << 24, 0, burst_bytes,
	    "payload bytes scanned per burst of 32 packets"),
};
static const struct num_key output_nums[] = {
	NUM("stats_interval", 0, STATS_INTERVAL_MAX, 0, stats_interval_s,
	    "seconds, 0 = only at exit"),
	NUM("alert_ring_size", ALERT_RING_MIN, ALERT_RING_MAX, 1, alert_ring_size,
	    "alerts per worker ring"),
	NUM("buffer_size", 65536, 1u << 30, 0, output_buffer,
	    "bytes of EVE lines held for a slow sink"),
};

void
tw_config_defaults(struct tw_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = TW_MODE_TAP;
	cfg->port_pairs[0][0] = 0;
	cfg->port_pairs[0][1] = 1;
	cfg->nb_port_pairs = 1;
	cfg->tap_ports[0] = 0;
	cfg->nb_tap_ports = 1;
	cfg->workers = TW_CONFIG_DEF_WORKERS;
	cfg->rx_desc = TW_CONFIG_DEF_RX_DESC;
	cfg->tx_desc = TW_CONFIG_DEF_TX_DESC;
	cfg->mempool_size = TW_CONFIG_DEF_MEMPOOL_SIZE;
	cfg->mempool_cache = TW_CONFIG_DEF_MEMPOOL_CACHE;
	cfg->flow_table_size = TW_CONFIG_DEF_FLOW_TABLE;
	cfg->frag_table_size = TW_CONFIG_DEF_FRAG_TABLE;
	cfg->flow_timeout_s = TW_CONFIG_DEF_FLOW_TIMEOUT_S;
	cfg->inspect_pkts = TW_CONFIG_DEF_INSPECT_PKTS;
	cfg->inspect_bytes = TW_CONFIG_DEF_INSPECT_BYTES;
	cfg->burst_bytes = TW_CONFIG_DEF_BURST_BYTES;
	cfg->stats_interval_s = TW_CONFIG_DEF_STATS_INTERVAL_S;
	cfg->alert_ring_size = TW_CONFIG_DEF_ALERT_RING;
	cfg->output_buffer = TW_CONFIG_DEF_OUTPUT_BUFFER;
	/* One output: stdout (output.eve's default). */
	cfg->outputs[0].type = TW_OUTPUT_FILE;
	cfg->outputs[0].buffer_size = TW_CONFIG_DEF_OUTPUT_BUFFER;
	cfg->nb_outputs = 1;
	snprintf(cfg->signatures, sizeof(cfg->signatures), "%s", TW_CONFIG_DEF_SIGNATURES);
	/* Port-bound families: where their content is found unless told otherwise. */
	cfg->family_ports[TW_FAMILY_PACKETCABLE][0] = 9000;	/* Wireshark's historic pcli */
	cfg->family_ports[TW_FAMILY_PACKETCABLE][1] = 10741;	/* FreeSWITCH mod_pcli */
	cfg->nb_family_ports[TW_FAMILY_PACKETCABLE] = 2;
	cfg->family_ports[TW_FAMILY_JMIRROR][0] = 30030;
	cfg->nb_family_ports[TW_FAMILY_JMIRROR] = 1;
	cfg->family_ports[TW_FAMILY_RPCAP][0] = 2002;		/* rpcapd passive */
	cfg->family_ports[TW_FAMILY_RPCAP][1] = 2003;		/* rpcapd active */
	cfg->nb_family_ports[TW_FAMILY_RPCAP] = 2;
}

void
tw_config_free(struct tw_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->mds);
	cfg->mds = NULL;
	cfg->nb_mds = 0;
	free(cfg->cidrs);
	cfg->cidrs = NULL;
	cfg->nb_cidrs = 0;
	free(cfg->xids);
	cfg->xids = NULL;
	free(cfg->liids);
	cfg->liids = NULL;
	memset(&cfg->tasks, 0, sizeof(cfg->tasks));
}

/* Quote @p v back to the user as compact JSON, shortened if long. */
static const char *
describe(const json_t *v, char *buf, size_t size)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	if (s == NULL) {
		snprintf(buf, size, "an unprintable value");
		return buf;
	}
	if (strlen(s) >= size)
		snprintf(buf, size, "%.*s...", (int)(size - 4), s);
	else
		snprintf(buf, size, "%s", s);
	free(s);
	return buf;
}

/* Key paths are for messages: a long one is cut short, never overflows. */
static void
path_fmt(char *out, const char *fmt, ...) __rte_format_printf(2, 3);

static void
path_fmt(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, KEY_PATH_MAX, fmt, ap);
	va_end(ap);
}

static void
path_key(char *out, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		path_fmt(out, "%.48s", key);
	else
		path_fmt(out, "%s.%.48s", parent, key);
}

static void
path_index(char *out, const char *parent, size_t i)
{
	path_fmt(out, "%s[%zu]", parent, i);
}

static void
join_names(const char *const *names, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; names[i] != NULL && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
				i == 0 ? "" : ", ", names[i]);
}

static void
family_names(char *buf, size_t size)
{
	const char *names[TW_FAMILY_MAX + 1];
	unsigned int i;

	for (i = 0; i < TW_FAMILY_MAX; i++)
		names[i] = tw_family_name(i) != NULL ? tw_family_name(i) : "?";
	names[TW_FAMILY_MAX] = NULL;
	join_names(names, buf, size);
}

static int
key_listed(const char *const *keys, const char *key)
{
	unsigned int i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

/* Find where a misplaced or misspelt-with-dashes key belongs:
 * "rx-descriptors" -> "rx_descriptors"; "table_size" at top -> "flow.table_size".
 */
static void
suggest(const char *section, const char *key, char *buf, size_t size)
{
	char norm[64];
	unsigned int s, k;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(norm) - 1 && key[i] != '\0'; i++)
		norm[i] = key[i] == '-' ? '_' : key[i];
	norm[i] = '\0';

	/* The section the key was found in first, then the others. */
	for (s = 0; s < RTE_DIM(sections); s++) {
		if (strcmp(sections[s].path, section) != 0)
			continue;
		for (k = 0; sections[s].keys[k] != NULL; k++) {
			if (strcmp(sections[s].keys[k], norm) == 0) {
				snprintf(buf, size, "did you mean \"%s\"? ", norm);
				return;
			}
		}
	}
	for (s = 0; s < RTE_DIM(sections); s++) {
		for (k = 0; sections[s].keys[k] != NULL; k++) {
			if (strcmp(sections[s].keys[k], norm) != 0)
				continue;
			if (strcmp(sections[s].path, section) == 0)
				snprintf(buf, size, "did you mean \"%s\"? ", norm);
			else if (sections[s].path[0] == '\0')
				snprintf(buf, size, "did you mean top-level \"%s\"? ", norm);
			else
				snprintf(buf, size, "did you mean \"%s.%s\"? ",
						sections[s].path, norm);
			return;
		}
	}
}

/* Unknown keys are errors: a typo must not silently become a default. */
static int
check_keys(json_t *obj, const char *path, const char *section,
		const char *const *keys, struct tw_error *err)
{
	char kpath[KEY_PATH_MAX];
	char hint[96];
	char list[160];
	const char *key;
	void *it;

	for (it = json_object_iter(obj); it != NULL; it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		if (key_listed(keys, key))
			continue;
		path_key(kpath, path, key);
		suggest(section, key, hint, sizeof(hint));
		join_names(keys, list, sizeof(list));
		return tw_error_set(err, -EINVAL, 0, "%s: unknown key; %saccepted keys %s: %s",
				kpath, hint, path[0] == '\0' ? "at the top level" : "here",
				list);
	}
	return 0;
}

static int
expect_object(json_t *v, const char *path, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];

	if (json_is_object(v))
		return 0;
	return tw_error_set(err, -EINVAL, 0, "%s: expected an object {...}, got %s",
			path[0] == '\0' ? "top level" : path, describe(v, got, sizeof(got)));
}

static int
parse_uint(json_t *v, const char *path, const struct num_key *nk, uint32_t *out,
		struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_int_t x;

	if (json_is_integer(v)) {
		x = json_integer_value(v);
		if (x >= nk->min && x <= nk->max &&
				(!nk->pow2 || (x & (x - 1)) == 0)) {
			*out = (uint32_t)x;
			return 0;
		}
	}
	return tw_error_set(err, -EINVAL, 0, "%s: expected %s between %u and %u, got %s (unit: %s)",
			path, nk->pow2 ? "a power of two" : "an integer", nk->min, nk->max,
			describe(v, got, sizeof(got)), nk->unit);
}

static int
parse_nums(json_t *obj, const char *parent, const struct num_key *nums, size_t nb,
		struct tw_config *cfg, struct tw_error *err)
{
	char path[KEY_PATH_MAX];
	json_t *v;
	uint32_t x = 0;
	size_t i;
	int ret;

	for (i = 0; i < nb; i++) {
		v = json_object_get(obj, nums[i].name);
		if (v == NULL)
			continue;
		path_key(path, parent, nums[i].name);
		ret = parse_uint(v, path, &nums[i], &x, err);
		if (ret < 0)
			return ret;
		if (nums[i].size == sizeof(uint16_t))
			*(uint16_t *)((char *)cfg + nums[i].off) = (uint16_t)x;
		else
			*(uint32_t *)((char *)cfg + nums[i].off) = x;
	}
	return 0;
}

/* Prefix @p base (the config directory with its '/', or "") to a relative
 * path.
 */
static int
resolve_path(const char *base, const char *rel, char *out, const char *path,
		struct tw_error *err)
{
	int n;

	if (rel[0] == '/')
		base = "";
	n = snprintf(out, PATH_MAX, "%s%s", base, rel);
	if (n < 0 || n >= PATH_MAX)
		return tw_error_set(err, -ENAMETOOLONG, 0,
				"%s: path too long (%d bytes once resolved, max %d); shorten it",
				path, n, PATH_MAX - 1);
	return 0;
}

static int
parse_path(json_t *v, const char *path, const char *base, int allow_stdout,
		char *out, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	const char *s;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return tw_error_set(err, -EINVAL, 0, "%s: expected a file path%s, got %s",
				path, allow_stdout ? " or \"-\" for stdout" : "",
				describe(v, got, sizeof(got)));
	s = json_string_value(v);
	if (allow_stdout && strcmp(s, "-") == 0) {
		out[0] = '\0';
		return 0;
	}
	return resolve_path(base, s, out, path, err);
}

static int
parse_port(json_t *v, const char *path, uint16_t *out, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_int_t x;

	if (json_is_integer(v)) {
		x = json_integer_value(v);
		if (x >= 0 && x < RTE_MAX_ETHPORTS) {
			*out = (uint16_t)x;
			return 0;
		}
	}
	return tw_error_set(err, -EINVAL, 0,
			"%s: expected a DPDK port id between 0 and %d, got %s",
			path, RTE_MAX_ETHPORTS - 1, describe(v, got, sizeof(got)));
}

static int
parse_tap_ports(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	static const char parent[] = "dpdk.tap_ports";
	char path[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	json_t *item;
	size_t i, j;
	int ret;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
			json_array_size(v) > TW_CONFIG_PORTS_MAX)
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected an array of 1 to %d port ids like [0], got %s",
				parent, TW_CONFIG_PORTS_MAX, describe(v, got, sizeof(got)));
	json_array_foreach(v, i, item) {
		path_index(path, parent, i);
		ret = parse_port(item, path, &cfg->tap_ports[i], err);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++)
			if (cfg->tap_ports[j] == cfg->tap_ports[i])
				return tw_error_set(err, -EINVAL, 0,
						"%s: port %u is already listed at %s[%zu]; "
						"list each port once",
						path, cfg->tap_ports[i], parent, j);
	}
	cfg->nb_tap_ports = (uint16_t)json_array_size(v);
	return 0;
}

static int
parse_port_pairs(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	static const char parent[] = "dpdk.port_pairs";
	char path[KEY_PATH_MAX];
	char ppath[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	json_t *pair;
	uint16_t *ports;
	size_t i, j;
	int k, ret;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
			json_array_size(v) > TW_CONFIG_PORTS_MAX)
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected an array of 1 to %d port pairs like [[0, 1]], got %s",
				parent, TW_CONFIG_PORTS_MAX, describe(v, got, sizeof(got)));
	json_array_foreach(v, i, pair) {
		path_index(path, parent, i);
		if (!json_is_array(pair) || json_array_size(pair) != 2)
			return tw_error_set(err, -EINVAL, 0,
					"%s: expected a pair of port ids like [0, 1], got %s",
					path, describe(pair, got, sizeof(got)));
		ports = cfg->port_pairs[i];
		for (k = 0; k < 2; k++) {
			path_index(ppath, path, (size_t)k);
			ret = parse_port(json_array_get(pair, (size_t)k), ppath, &ports[k], err);
			if (ret < 0)
				return ret;
		}
		if (ports[0] == ports[1])
			return tw_error_set(err, -EINVAL, 0,
					"%s: port %u is paired with itself; "
					"a pair is two different ports",
					path, ports[0]);
		/* A port belongs to one pair: its RX queues feed one peer. */
		for (j = 0; j < i; j++)
			for (k = 0; k < 2; k++)
				if (cfg->port_pairs[j][0] == ports[k] ||
						cfg->port_pairs[j][1] == ports[k])
					return tw_error_set(err, -EINVAL, 0,
							"%s: port %u is already in %s[%zu]; "
							"a port can be in one pair only",
							path, ports[k], parent, j);
	}
	cfg->nb_port_pairs = (uint16_t)json_array_size(v);
	return 0;
}

static int
parse_mode(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	const char *s = json_string_value(v);

	if (s != NULL && strcmp(s, "tap") == 0) {
		cfg->mode = TW_MODE_TAP;
		return 0;
	}
	if (s != NULL && strcmp(s, "inline") == 0) {
		cfg->mode = TW_MODE_INLINE;
		return 0;
	}
	return tw_error_set(err, -EINVAL, 0, "mode: expected \"tap\" or \"inline\", got %s",
			describe(v, got, sizeof(got)));
}

/* @p key is the name to omit when an empty list is refused ("families"),
 * or NULL when an empty list is fine.
 */
static int
parse_families(json_t *v, const char *parent, const char *key, uint32_t *mask,
		struct tw_error *err)
{
	char path[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	char names[200];
	json_t *item;
	size_t i;
	int f;

	if (!json_is_array(v))
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected an array of family names like [\"erspan\"], got %s",
				parent, describe(v, got, sizeof(got)));
	if (json_array_size(v) == 0 && key != NULL)
		return tw_error_set(err, -EINVAL, 0,
				"%s: an empty list allows no family; "
				"omit \"%s\" to allow every family",
				parent, key);
	*mask = 0;
	json_array_foreach(v, i, item) {
		path_index(path, parent, i);
		f = json_is_string(item) ? tw_family_from_name(json_string_value(item)) : -1;
		if (f < 0 || f >= TW_FAMILY_MAX) {
			family_names(names, sizeof(names));
			return tw_error_set(err, -EINVAL, 0,
					"%s: unknown family %s; valid names: %s",
					path, describe(item, got, sizeof(got)), names);
		}
		*mask |= UINT32_C(1) << f;
	}
	return 0;
}

/* "10.1.0.1/24" -> "10.1.0.0/24": the likeliest CIDR mistake gets its fix.
 * Returns -1 if @p text is wrong in some other way.
 */
static int
network_of(const char *text, char *buf, size_t size, unsigned int *full_len)
{
	char addr_text[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	struct tw_cidr host;
	unsigned long plen;
	unsigned int i, keep;
	char *end;

	if (slash == NULL || (size_t)(slash - text) >= sizeof(addr_text) ||
			!isdigit((unsigned char)slash[1]))
		return -1;
	memcpy(addr_text, text, (size_t)(slash - text));
	addr_text[slash - text] = '\0';
	if (tw_cidr_parse(addr_text, &host) < 0)
		return -1;
	plen = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || plen >= host.prefix_len)
		return -1;
	for (i = 0; i < sizeof(host.addr); i++) {
		keep = plen > i * 8 ? (unsigned int)RTE_MIN(plen - i * 8, 8ul) : 0;
		host.addr[i] &= (uint8_t)(0xff00u >> keep);
	}
	if (inet_ntop(host.l3 == 4 ? AF_INET : AF_INET6, host.addr, addr_text,
			sizeof(addr_text)) == NULL)
		return -1;
	snprintf(buf, size, "%s/%lu", addr_text, plen);
	*full_len = host.prefix_len;
	return 0;
}

/* Parse a CIDR array into @p dst (sized by the caller's first pass). */
static int
parse_cidrs(json_t *v, const char *parent, struct tw_cidr *dst, uint32_t *nb,
		struct tw_error *err)
{
	char path[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	char net[INET6_ADDRSTRLEN + 4];
	unsigned int full_len;
	const char *text;
	json_t *item;
	size_t i;

	json_array_foreach(v, i, item) {
		path_index(path, parent, i);
		text = json_string_value(item);
		if (text == NULL)
			return tw_error_set(err, -EINVAL, 0,
					"%s: expected an address or CIDR string like "
					"\"10.0.0.0/24\", "
					"got %s", path, describe(item, got, sizeof(got)));
		if (tw_cidr_parse(text, &dst[i]) == 0)
			continue;
		if (network_of(text, net, sizeof(net), &full_len) == 0)
			return tw_error_set(err, -EINVAL, 0,
					"%s: \"%s\" has host bits set; "
					"write \"%s\" for the network "
					"or \"%.*s/%u\" for the host", path, text, net,
					(int)(strchr(text, '/') - text), text, full_len);
		return tw_error_set(err, -EINVAL, 0,
				"%s: %s is not an IPv4/IPv6 address or CIDR; write \"10.0.0.0/24\" "
				"or \"2001:db8::/64\" with the host bits zero",
				path, describe(item, got, sizeof(got)));
	}
	*nb = (uint32_t)json_array_size(v);
	return 0;
}

static int
parse_md(json_t *v, size_t idx, struct tw_config *cfg, struct tw_error *err)
{
	struct tw_md *md = &cfg->mds[idx];
	char parent[KEY_PATH_MAX];
	char path[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	json_t *name, *med, *elts, *fams;
	/* No CIDR storage when no entry lists one: never offset a NULL pointer. */
	struct tw_cidr *next = cfg->cidrs != NULL ? cfg->cidrs + cfg->nb_cidrs : NULL;
	size_t j, len;
	int ret;

	path_index(parent, "mediation_devices", idx);
	if (!json_is_object(v))
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected an object like {\"name\": \"md-1\", \"mediation\": "
				"[\"10.0.0.1\"]}, got %s",
				parent, describe(v, got, sizeof(got)));
	ret = check_keys(v, parent, "mediation_devices[]", md_keys, err);
	if (ret < 0)
		return ret;

	name = json_object_get(v, "name");
	path_key(path, parent, "name");
	if (name == NULL)
		return tw_error_set(err, -EINVAL, 0,
				"%s: missing; "
				"give each mediation device a unique name of 1 to %d characters",
				path, TW_POLICY_NAME_MAX - 1);
	len = json_is_string(name) ? json_string_length(name) : 0;
	if (len >= TW_POLICY_NAME_MAX)
		return tw_error_set(err, -EINVAL, 0,
				"%s: \"%.24s...\" is %zu characters long; shorten it to at most %d",
				path, json_string_value(name), len, TW_POLICY_NAME_MAX - 1);
	if (len == 0)
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected a string of 1 to %d characters, got %s",
				path, TW_POLICY_NAME_MAX - 1, describe(name, got, sizeof(got)));
	memcpy(md->name, json_string_value(name), len + 1);
	for (j = 0; j < idx; j++)
		if (strcmp(cfg->mds[j].name, md->name) == 0)
			return tw_error_set(err, -EINVAL, 0,
					"%s: \"%s\" is already used by mediation_devices[%zu]; "
					"names must be unique",
					path, md->name, j);

	med = json_object_get(v, "mediation");
	path_key(path, parent, "mediation");
	if (med == NULL)
		return tw_error_set(err, -EINVAL, 0,
				"%s: missing; "
				"list the device's own addresses, e.g. [\"10.200.0.10/32\"]",
				path);
	if (!json_is_array(med) || json_array_size(med) == 0)
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected a non-empty array of addresses or CIDRs like "
				"[\"10.200.0.10/32\"], got %s",
				path, describe(med, got, sizeof(got)));
	ret = parse_cidrs(med, path, next, &md->nb_mediation, err);
	if (ret < 0)
		return ret;
	md->mediation = next;
	next += md->nb_mediation;
	cfg->nb_cidrs += md->nb_mediation;

	elts = json_object_get(v, "elements");
	path_key(path, parent, "elements");
	if (elts != NULL) {
		if (!json_is_array(elts))
			return tw_error_set(err, -EINVAL, 0,
					"%s: expected an array of addresses or CIDRs like "
					"[\"10.1.0.0/24\"], got %s",
					path, describe(elts, got, sizeof(got)));
		if (json_array_size(elts) == 0)
			return tw_error_set(err, -EINVAL, 0,
					"%s: an empty list matches no address; "
					"omit \"elements\" to allow any address",
					path);
		ret = parse_cidrs(elts, path, next, &md->nb_elements, err);
		if (ret < 0)
			return ret;
		md->elements = next;
		cfg->nb_cidrs += md->nb_elements;
	}

	fams = json_object_get(v, "families");
	path_key(path, parent, "families");
	if (fams != NULL)
		return parse_families(fams, path, "families", &md->families, err);
	return 0;
}

static int
parse_mds(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_t *md, *list;
	size_t i, nb_cidrs = 0;
	int ret;

	if (!json_is_array(v))
		return tw_error_set(err, -EINVAL, 0,
				"mediation_devices: expected an array of objects like "
				"[{\"name\": \"md-1\", \"mediation\": [\"10.0.0.1\"]}], got %s",
				describe(v, got, sizeof(got)));
	if (json_array_size(v) == 0)
		return 0;

	/* First pass sizes the one CIDR allocation; shapes are checked in the
	 * second.
	 */
	json_array_foreach(v, i, md) {
		list = json_object_get(md, "mediation");
		nb_cidrs += json_is_array(list) ? json_array_size(list) : 0;
		list = json_object_get(md, "elements");
		nb_cidrs += json_is_array(list) ? json_array_size(list) : 0;
	}
	if (json_array_size(v) > UINT32_MAX || nb_cidrs > UINT32_MAX)
		return tw_error_set(err, -E2BIG, 0, "mediation_devices: too many entries");

	cfg->mds = calloc(json_array_size(v), sizeof(*cfg->mds));
	if (nb_cidrs > 0)
		cfg->cidrs = calloc(nb_cidrs, sizeof(*cfg->cidrs));
	if (cfg->mds == NULL || (nb_cidrs > 0 && cfg->cidrs == NULL))
		return tw_error_set(err, -ENOMEM, 0,
				"mediation_devices: out of memory for %zu devices and %zu CIDRs",
				json_array_size(v), nb_cidrs);

	json_array_foreach(v, i, md) {
		ret = parse_md(md, i, cfg, err);
		if (ret < 0)
			return ret;
		cfg->nb_mds++;
	}
	return 0;
}

/* "ports": {"<family>": [port, ...], ...}: replaces that family's list. */
static int
parse_family_ports(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	char path[128], names[256];
	const char *key;
	json_t *list, *p;
	size_t i;
	int fam, ret;

	ret = expect_object(v, "ports", err);
	if (ret < 0)
		return ret;
	json_object_foreach(v, key, list) {
		fam = tw_family_from_name(key);
		if (fam < 0) {
			family_names(names, sizeof(names));
			return tw_error_set(err, -EINVAL, 0,
					"ports.%s: unknown family; use one of: %s", key, names);
		}
		path_key(path, "ports", key);
		if (!json_is_array(list) || json_array_size(list) == 0 ||
				json_array_size(list) > TW_CONFIG_FAMILY_PORTS_MAX)
			return tw_error_set(err, -EINVAL, 0,
					"%s: expected a list of 1 to %d ports; omit the key to "
					"keep the family's default ports", path,
					TW_CONFIG_FAMILY_PORTS_MAX);
		json_array_foreach(list, i, p) {
			char ipath[160];
			json_int_t n;

			path_index(ipath, path, i);
			n = json_is_integer(p) ? json_integer_value(p) : -1;
			if (n < 1 || n > 65535) {
				char d[64];

				return tw_error_set(err, -EINVAL, 0,
						"%s: expected a port number between 1 and 65535, "
						"got %s", ipath, describe(p, d, sizeof(d)));
			}
			cfg->family_ports[fam][i] = (uint16_t)n;
		}
		cfg->nb_family_ports[fam] = (uint16_t)json_array_size(list);
	}
	return 0;
}

/* "authorized_tasks": {"xids": ["uuid", ...], "liids": ["LIID", ...]} */
static int
parse_tasks(json_t *v, struct tw_config *cfg, struct tw_error *err)
{
	json_t *xids, *liids, *e;
	char path[64], d[64];
	size_t i, n;
	int ret;

	ret = expect_object(v, "authorized_tasks", err);
	if (ret == 0)
		ret = check_keys(v, "authorized_tasks", "authorized_tasks", tasks_keys, err);
	if (ret < 0)
		return ret;
	xids = json_object_get(v, "xids");
	if (xids != NULL) {
		if (!json_is_array(xids))
			return tw_error_set(err, -EINVAL, 0, "authorized_tasks.xids: expected a list "
					"of XIDs (UUID text), got %s", describe(xids, d, sizeof(d)));
		n = json_array_size(xids);
		cfg->xids = calloc(n > 0 ? n : 1, sizeof(*cfg->xids));
		if (cfg->xids == NULL)
			return tw_error_set(err, -ENOMEM, 0, "authorized_tasks.xids: out of memory");
		json_array_foreach(xids, i, e) {
			path_index(path, "authorized_tasks.xids", i);
			if (!json_is_string(e) || tw_xid_parse(json_string_value(e), cfg->xids[i]) != 0)
				return tw_error_set(err, -EINVAL, 0, "%s: %s is not an XID; write it as "
						"a UUID, e.g. \"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88\"",
						path, describe(e, d, sizeof(d)));
		}
		cfg->tasks.has_xids = 1;
		cfg->tasks.xids = (const uint8_t (*)[16])cfg->xids;
		cfg->tasks.nb_xids = (uint32_t)n;
	}
	liids = json_object_get(v, "liids");
	if (liids != NULL) {
		if (!json_is_array(liids))
			return tw_error_set(err, -EINVAL, 0, "authorized_tasks.liids: expected a list "
					"of LIID strings, got %s", describe(liids, d, sizeof(d)));
		n = json_array_size(liids);
		cfg->liids = calloc(n > 0 ? n : 1, sizeof(*cfg->liids));
		if (cfg->liids == NULL)
			return tw_error_set(err, -ENOMEM, 0, "authorized_tasks.liids: out of memory");
		json_array_foreach(liids, i, e) {
			size_t len = json_is_string(e) ? json_string_length(e) : 0;

			path_index(path, "authorized_tasks.liids", i);
			if (len == 0 || len > TW_TASK_LIID_MAX)
				return tw_error_set(err, -EINVAL, 0, "%s: expected an LIID string of 1 "
						"to %d bytes, got %s", path, TW_TASK_LIID_MAX,
						describe(e, d, sizeof(d)));
			cfg->liids[i].len = (uint8_t)len;
			memcpy(cfg->liids[i].b, json_string_value(e), len);
		}
		cfg->tasks.has_liids = 1;
		cfg->tasks.liids = cfg->liids;
		cfg->tasks.nb_liids = (uint32_t)n;
	}
	return 0;
}

/* --- outputs ------------------------------------------------------------- */

const char *
tw_config_output_type_name(enum tw_output_type type)
{
	return (unsigned int)type < TW_OUTPUT_TYPE_MAX ? output_type_names[type] : NULL;
}

/* A string key whose value is one of @p choices; returns the index. */
static int
parse_choice(json_t *v, const char *path, const char *const *choices, unsigned int *out,
		struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	char list[96];
	size_t used = 0;
	unsigned int i;

	for (i = 0; choices[i] != NULL; i++) {
		if (json_is_string(v) && strcmp(json_string_value(v), choices[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; choices[i] != NULL && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
				i == 0 ? "" : choices[i + 1] == NULL ? " or " : ", ", choices[i]);
	return tw_error_set(err, -EINVAL, 0, "%s: expected %s, got %s", path, list,
			describe(v, got, sizeof(got)));
}

static int
parse_net_port(json_t *v, const char *path, uint16_t *out, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;

	if (x < 1 || x > 65535)
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected a port number between 1 and 65535, got %s",
				path, describe(v, got, sizeof(got)));
	*out = (uint16_t)x;
	return 0;
}

/* A unix socket path has to fit sockaddr_un.sun_path with its NUL. */
static int
check_sun_path(const char *p, const char *path, struct tw_error *err)
{
	struct sockaddr_un sun;
	size_t len = strlen(p);

	if (len >= sizeof(sun.sun_path))
		return tw_error_set(err, -ENAMETOOLONG, 0,
				"%s: \"%.24s...\" is %zu bytes once resolved; a unix socket "
				"path has at most %zu: use a shorter (or absolute) path",
				path, p, len, sizeof(sun.sun_path) - 1);
	return 0;
}

/* syslog and redis servers: an address, never a name (no DNS on the exporter). */
static int
parse_server(json_t *v, const char *path, int allow_unix, struct tw_config_output *o,
		struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	uint8_t addr[16];
	const char *s = json_string_value(v);

	if (s != NULL && allow_unix && s[0] == '/') {
		if (strlen(s) >= sizeof(o->path))
			return tw_error_set(err, -ENAMETOOLONG, 0, "%s: path too long", path);
		snprintf(o->path, sizeof(o->path), "%s", s);
		return check_sun_path(o->path, path, err);
	}
	if (s != NULL && strlen(s) < sizeof(o->server) &&
			(inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1)) {
		snprintf(o->server, sizeof(o->server), "%s", s);
		return 0;
	}
	return tw_error_set(err, -EINVAL, 0,
			"%s: expected an IPv4 or IPv6 address like \"127.0.0.1\"%s, got %s "
			"(host names are not resolved: the exporter never waits for DNS)",
			path, allow_unix ? " or an absolute unix socket path" : "",
			describe(v, got, sizeof(got)));
}

/* syslog APP-NAME and HOSTNAME: RFC 5424 PRINTUSASCII, bounded. */
static int
parse_syslog_field(json_t *v, const char *path, size_t max, char *out, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	const char *s = json_string_value(v);

	if (s == NULL || !tw_syslog_field_valid(s, max))
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected 1 to %zu printable ASCII characters without "
				"spaces (RFC 5424), got %s", path, max,
				describe(v, got, sizeof(got)));
	snprintf(out, max + 1, "%s", s);
	return 0;
}

/* A key of another output type: say so rather than "unknown key". */
static int
check_output_keys(json_t *v, const char *parent, enum tw_output_type type,
		struct tw_error *err)
{
	const char *const *keys = output_type_keys[type];
	char kpath[KEY_PATH_MAX];
	char list[160];
	char norm[64];
	const char *key;
	unsigned int t;
	size_t i;
	void *it;

	for (it = json_object_iter(v); it != NULL; it = json_object_iter_next(v, it)) {
		key = json_object_iter_key(it);
		for (i = 0; i < sizeof(norm) - 1 && key[i] != '\0'; i++)
			norm[i] = key[i] == '-' ? '_' : key[i];
		norm[i] = '\0';
		if (key_listed(keys, norm) || !key_listed(output_any_keys, norm))
			continue;
		for (t = 0; t < TW_OUTPUT_TYPE_MAX; t++)
			if (key_listed(output_type_keys[t], norm))
				break;
		path_key(kpath, parent, key);
		join_names(keys, list, sizeof(list));
		return tw_error_set(err, -EINVAL, 0,
				"%s: not a key of a %s output (%s outputs have it); "
				"accepted keys here: %s", kpath, output_type_names[type],
				output_type_names[t], list);
	}
	return check_keys(v, parent, "outputs[]", keys, err);
}

static int
parse_output(json_t *v, size_t idx, const char *base, struct tw_config *cfg,
		struct tw_error *err)
{
	static const char *const types[] = { "file", "unix", "syslog", "redis", NULL };
	static const char *const unix_modes[] = { "stream", "dgram", NULL };
	static const char *const transports[] = { "tcp", "udp", NULL };
	static const char *const redis_modes[] = { "list", "stream", NULL };
	static const struct num_key buffer_key = {
		"buffer_size", 65536, 1u << 30, 0, "bytes queued for this output", 0, 0,
	};
	static const struct num_key maxlen_key = {
		"maxlen", 0, UINT32_MAX, 0, "stream entries kept, 0 = no trimming", 0, 0,
	};
	struct tw_config_output *o = &cfg->outputs[idx];
	char parent[KEY_PATH_MAX];
	char path[KEY_PATH_MAX];
	char got[VALUE_TEXT_MAX];
	unsigned int type, choice;
	json_t *x;
	size_t j;
	int ret;

	path_index(parent, "outputs", idx);
	if (!json_is_object(v))
		return tw_error_set(err, -EINVAL, 0,
				"%s: expected an object like {\"type\": \"file\", \"path\": "
				"\"eve.json\"}, got %s", parent, describe(v, got, sizeof(got)));
	path_key(path, parent, "type");
	x = json_object_get(v, "type");
	if (x == NULL)
		return tw_error_set(err, -EINVAL, 0,
				"%s: missing; give one of \"file\", \"unix\", \"syslog\", "
				"\"redis\"", path);
	ret = parse_choice(x, path, types, &type, err);
	if (ret == 0)
		ret = check_output_keys(v, parent, (enum tw_output_type)type, err);
	if (ret < 0)
		return ret;

	memset(o, 0, sizeof(*o));
	o->type = (enum tw_output_type)type;
	o->buffer_size = cfg->output_buffer;
	x = json_object_get(v, "buffer_size");
	path_key(path, parent, "buffer_size");
	if (x != NULL && (ret = parse_uint(x, path, &buffer_key, &o->buffer_size, err)) < 0)
		return ret;

	switch (o->type) {
	case TW_OUTPUT_FILE:
	case TW_OUTPUT_UNIX:
		x = json_object_get(v, "path");
		path_key(path, parent, "path");
		if (x == NULL)
			return tw_error_set(err, -EINVAL, 0, "%s: missing; give the %s",
					path, o->type == TW_OUTPUT_FILE ?
					"file to append EVE lines to (\"-\" for stdout)" :
					"path of the listening unix socket");
		ret = parse_path(x, path, base, o->type == TW_OUTPUT_FILE, o->path, err);
		if (ret == 0 && o->type == TW_OUTPUT_UNIX)
			ret = check_sun_path(o->path, path, err);
		if (ret < 0)
			return ret;
		/* Two writers of one file or socket interleave: list each once. */
		for (j = 0; j < idx; j++)
			if (cfg->outputs[j].type == o->type &&
					strcmp(cfg->outputs[j].path, o->path) == 0)
				return tw_error_set(err, -EINVAL, 0,
						"%s: %s is already written by outputs[%zu]; "
						"list each %s once", path,
						o->path[0] != '\0' ? o->path : "stdout", j,
						o->type == TW_OUTPUT_FILE ? "file" : "socket");
		if (o->type == TW_OUTPUT_UNIX) {
			x = json_object_get(v, "mode");
			path_key(path, parent, "mode");
			choice = 0;
			if (x != NULL && (ret = parse_choice(x, path, unix_modes, &choice,
					err)) < 0)
				return ret;
			o->dgram = choice == 1;
		}
		return 0;
	case TW_OUTPUT_SYSLOG:
		snprintf(o->server, sizeof(o->server), "%s", TW_CONFIG_DEF_SYSLOG_SERVER);
		o->port = TW_CONFIG_DEF_SYSLOG_PORT;
		o->dgram = 1;
		o->facility = TW_CONFIG_DEF_SYSLOG_FACILITY;
		snprintf(o->app_name, sizeof(o->app_name), "%s", TW_CONFIG_DEF_SYSLOG_APP_NAME);
		x = json_object_get(v, "server");
		path_key(path, parent, "server");
		if (x != NULL && (ret = parse_server(x, path, 0, o, err)) < 0)
			return ret;
		x = json_object_get(v, "port");
		path_key(path, parent, "port");
		if (x != NULL && (ret = parse_net_port(x, path, &o->port, err)) < 0)
			return ret;
		x = json_object_get(v, "transport");
		path_key(path, parent, "transport");
		if (x != NULL) {
			ret = parse_choice(x, path, transports, &choice, err);
			if (ret < 0)
				return ret;
			o->dgram = choice == 1;
		}
		x = json_object_get(v, "facility");
		path_key(path, parent, "facility");
		if (x != NULL) {
			ret = tw_syslog_facility_from_name(json_string_value(x));
			if (ret < 0) {
				char names[200];
				const char *fn[TW_SYSLOG_FACILITY_MAX + 2];
				unsigned int f;

				for (f = 0; f <= TW_SYSLOG_FACILITY_MAX; f++)
					fn[f] = tw_syslog_facility_name(f);
				fn[f] = NULL;
				join_names(fn, names, sizeof(names));
				return tw_error_set(err, -EINVAL, 0,
						"%s: unknown facility %s; use one of: %s", path,
						describe(x, got, sizeof(got)), names);
			}
			o->facility = (uint8_t)ret;
		}
		x = json_object_get(v, "app_name");
		path_key(path, parent, "app_name");
		if (x != NULL && (ret = parse_syslog_field(x, path, TW_SYSLOG_APP_NAME_MAX,
				o->app_name, err)) < 0)
			return ret;
		x = json_object_get(v, "hostname");
		path_key(path, parent, "hostname");
		if (x != NULL && (ret = parse_syslog_field(x, path, TW_SYSLOG_HOSTNAME_MAX,
				o->hostname, err)) < 0)
			return ret;
		return 0;
	case TW_OUTPUT_REDIS:
	default:
		snprintf(o->server, sizeof(o->server), "%s", TW_CONFIG_DEF_REDIS_SERVER);
		o->port = TW_CONFIG_DEF_REDIS_PORT;
		snprintf(o->key, sizeof(o->key), "%s", TW_CONFIG_DEF_REDIS_KEY);
		x = json_object_get(v, "server");
		path_key(path, parent, "server");
		if (x != NULL) {
			o->server[0] = '\0';
			if ((ret = parse_server(x, path, 1, o, err)) < 0)
				return ret;
		}
		x = json_object_get(v, "port");
		path_key(path, parent, "port");
		if (x != NULL && o->path[0] != '\0')
			return tw_error_set(err, -EINVAL, 0,
					"%s: a unix socket server has no port; remove it", path);
		if (x != NULL && (ret = parse_net_port(x, path, &o->port, err)) < 0)
			return ret;
		if (o->path[0] != '\0')
			o->port = 0;
		x = json_object_get(v, "mode");
		path_key(path, parent, "mode");
		choice = 0;
		if (x != NULL && (ret = parse_choice(x, path, redis_modes, &choice, err)) < 0)
			return ret;
		o->redis_stream = choice == 1;
		x = json_object_get(v, "key");
		path_key(path, parent, "key");
		if (x != NULL) {
			if (!json_is_string(x) || json_string_length(x) == 0 ||
					json_string_length(x) > TW_CONFIG_REDIS_KEY_MAX ||
					strlen(json_string_value(x)) != json_string_length(x))
				return tw_error_set(err, -EINVAL, 0,
						"%s: expected a key name of 1 to %d bytes, got %s",
						path, TW_CONFIG_REDIS_KEY_MAX,
						describe(x, got, sizeof(got)));
			snprintf(o->key, sizeof(o->key), "%s", json_string_value(x));
		}
		x = json_object_get(v, "maxlen");
		path_key(path, parent, "maxlen");
		if (x != NULL && !o->redis_stream)
			return tw_error_set(err, -EINVAL, 0,
					"%s: applies to \"mode\": \"stream\" only; a list is "
					"trimmed by its consumer", path);
		o->maxlen = o->redis_stream ? TW_CONFIG_DEF_REDIS_MAXLEN : 0;
		if (x != NULL && (ret = parse_uint(x, path, &maxlen_key, &o->maxlen, err)) < 0)
			return ret;
		return 0;
	}
}

static int
parse_outputs(json_t *v, const char *base, struct tw_config *cfg, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_t *item;
	size_t i;
	int ret;

	if (!json_is_array(v) || json_array_size(v) > TW_CONFIG_OUTPUTS_MAX)
		return tw_error_set(err, -EINVAL, 0,
				"outputs: expected an array of 1 to %d outputs like "
				"[{\"type\": \"file\", \"path\": \"eve.json\"}], got %s",
				TW_CONFIG_OUTPUTS_MAX, describe(v, got, sizeof(got)));
	if (json_array_size(v) == 0)
		return tw_error_set(err, -EINVAL, 0,
				"outputs: an empty list writes events nowhere; give at least "
				"one, e.g. [{\"type\": \"file\", \"path\": \"eve.json\"}]");
	json_array_foreach(v, i, item) {
		ret = parse_output(item, i, base, cfg, err);
		if (ret < 0)
			return ret;
	}
	cfg->nb_outputs = (uint16_t)json_array_size(v);
	cfg->outputs_listed = 1;
	return 0;
}

int
tw_config_set_eve(struct tw_config *cfg, const char *path)
{
	struct tw_config_output keep[TW_CONFIG_OUTPUTS_MAX];
	uint32_t buffer_size;
	unsigned int i, n = 0;
	int have_file = 0;

	if (cfg == NULL || path == NULL || path[0] == '\0')
		return -EINVAL;
	if (strlen(path) >= sizeof(cfg->eve))
		return -ENAMETOOLONG;
	buffer_size = cfg->output_buffer;
	for (i = 0; i < cfg->nb_outputs; i++) {
		if (cfg->outputs[i].type == TW_OUTPUT_FILE) {
			if (!have_file)
				buffer_size = cfg->outputs[i].buffer_size;
			have_file = 1;
			continue;
		}
		keep[n++] = cfg->outputs[i];
	}
	if (n >= TW_CONFIG_OUTPUTS_MAX)
		return -ENOSPC;
	snprintf(cfg->eve, sizeof(cfg->eve), "%s", strcmp(path, "-") == 0 ? "" : path);
	memset(&cfg->outputs[0], 0, sizeof(cfg->outputs[0]));
	cfg->outputs[0].type = TW_OUTPUT_FILE;
	cfg->outputs[0].buffer_size = buffer_size;
	snprintf(cfg->outputs[0].path, sizeof(cfg->outputs[0].path), "%s", cfg->eve);
	for (i = 0; i < n; i++)
		cfg->outputs[i + 1] = keep[i];
	cfg->nb_outputs = (uint16_t)(n + 1);
	return 0;
}

static int
parse_section(json_t *root, const char *key, const char *const *keys,
		const struct num_key *nums, size_t nb_nums, json_t **out,
		struct tw_config *cfg, struct tw_error *err)
{
	json_t *v = json_object_get(root, key);
	int ret;

	*out = v;
	if (v == NULL)
		return 0;
	ret = expect_object(v, key, err);
	if (ret == 0)
		ret = check_keys(v, key, key, keys, err);
	if (ret == 0)
		ret = parse_nums(v, key, nums, nb_nums, cfg, err);
	return ret;
}

static int
parse_root(json_t *root, const char *base, struct tw_config *cfg, struct tw_error *err)
{
	char got[VALUE_TEXT_MAX];
	json_t *sec, *v;
	int ret;

	ret = expect_object(root, "", err);
	if (ret < 0)
		return ret;
	ret = check_keys(root, "", "", top_keys, err);
	if (ret < 0)
		return ret;

	v = json_object_get(root, "mode");
	ret = v != NULL ? parse_mode(v, cfg, err) : 0;
	if (ret < 0)
		return ret;

	ret = parse_section(root, "dpdk", dpdk_keys, dpdk_nums, RTE_DIM(dpdk_nums), &sec,
			cfg, err);
	if (ret < 0)
		return ret;
	if (sec != NULL) {
		v = json_object_get(sec, "tap_ports");
		ret = v != NULL ? parse_tap_ports(v, cfg, err) : 0;
		if (ret < 0)
			return ret;
		v = json_object_get(sec, "port_pairs");
		ret = v != NULL ? parse_port_pairs(v, cfg, err) : 0;
		if (ret < 0)
			return ret;
	}

	ret = parse_section(root, "flow", flow_keys, flow_nums, RTE_DIM(flow_nums), &sec,
			cfg, err);
	if (ret < 0)
		return ret;
	ret = parse_section(root, "inspection", inspection_keys, inspection_nums,
			RTE_DIM(inspection_nums), &sec, cfg, err);
	if (ret < 0)
		return ret;

	v = json_object_get(root, "signatures");
	if (v != NULL)
		ret = parse_path(v, "signatures", base, 0, cfg->signatures, err);
	else
		ret = resolve_path(base, TW_CONFIG_DEF_SIGNATURES, cfg->signatures,
				"signatures", err);
	if (ret < 0)
		return ret;

	ret = parse_section(root, "output", output_keys, output_nums, RTE_DIM(output_nums),
			&sec, cfg, err);
	if (ret < 0)
		return ret;
	if (sec != NULL) {
		v = json_object_get(sec, "eve");
		ret = v != NULL ? parse_path(v, "output.eve", base, 1, cfg->eve, err) : 0;
		if (ret < 0)
			return ret;
		if (v != NULL && json_object_get(root, "outputs") != NULL)
			return tw_error_set(err, -EINVAL, 0,
					"output.eve: cannot be combined with \"outputs\"; list the "
					"file there instead: {\"type\": \"file\", \"path\": %s}",
					describe(v, got, sizeof(got)));
	}
	/* Without "outputs", output.eve (default stdout) is the one output. */
	cfg->outputs[0].type = TW_OUTPUT_FILE;
	cfg->outputs[0].buffer_size = cfg->output_buffer;
	snprintf(cfg->outputs[0].path, sizeof(cfg->outputs[0].path), "%s", cfg->eve);
	cfg->nb_outputs = 1;
	v = json_object_get(root, "outputs");
	ret = v != NULL ? parse_outputs(v, base, cfg, err) : 0;
	if (ret < 0)
		return ret;

	v = json_object_get(root, "block");
	ret = v != NULL ? parse_families(v, "block", NULL, &cfg->block_families, err) : 0;
	if (ret < 0)
		return ret;

	v = json_object_get(root, "ports");
	ret = v != NULL ? parse_family_ports(v, cfg, err) : 0;
	if (ret < 0)
		return ret;

	v = json_object_get(root, "authorized_tasks");
	ret = v != NULL ? parse_tasks(v, cfg, err) : 0;
	if (ret < 0)
		return ret;

	v = json_object_get(root, "mediation_devices");
	return v != NULL ? parse_mds(v, cfg, err) : 0;
}

/* Blank out // comments outside strings, byte for byte, so jansson's line
 * and column numbers still point into the user's file.
 */
static void
strip_comments(char *s, size_t len)
{
	int in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"') {
			in_string = 1;
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			for (; i < len && s[i] != '\n'; i++)
				s[i] = ' ';
		}
	}
}

static int
config_parse(const char *text, size_t len, const char *name, const char *base,
		struct tw_config *cfg, struct tw_error *err)
{
	json_error_t jerr;
	unsigned int line;
	json_t *root;
	char *buf;
	int ret;

	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		snprintf(err->file, sizeof(err->file), "%s", name);
	}
	/* Defaults first, so the caller's tw_config_free() is safe on every
	 * path.
	 */
	tw_config_defaults(cfg);
	if (cfg == NULL || (text == NULL && len > 0))
		return tw_error_set(err, -EINVAL, 0, "invalid arguments to the config parser");

	buf = malloc(len + 1);
	if (buf == NULL)
		return tw_error_set(err, -ENOMEM, 0, "out of memory for a %zu-byte config", len);
	if (len > 0)
		memcpy(buf, text, len);
	buf[len] = '\0';
	strip_comments(buf, len);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (root == NULL) {
		line = jerr.line > 0 ? (unsigned int)jerr.line : 0;
		if (json_error_code(&jerr) == json_error_duplicate_key)
			return tw_error_set(err, -EINVAL, line,
					"line %d: %s; each key may appear once per object",
					jerr.line, jerr.text);
		return tw_error_set(err, -EINVAL, line,
				"JSON syntax error at line %d, column %d: %s; fix the JSON "
				"(// line comments are allowed, trailing commas are not)",
				jerr.line, jerr.column, jerr.text);
	}

	ret = parse_root(root, base, cfg, err);
	json_decref(root);
	if (ret < 0)
		tw_config_free(cfg);
	return ret;
}

int
tw_config_parse(const char *text, size_t len, const char *name,
		struct tw_config *cfg, struct tw_error *err)
{
	return config_parse(text, len, name != NULL ? name : "<buffer>", "", cfg, err);
}

static int
read_file(const char *path, char **out, size_t *out_len, struct tw_error *err)
{
	size_t cap = 4096, len = 0, n;
	char *buf = NULL, *p;
	FILE *f;
	int e;

	errno = 0;
	f = fopen(path, "rb");
	if (f == NULL) {
		e = errno;
		return tw_error_set(err, -e, 0, "cannot open the config file: %s; check the path",
				strerror(e));
	}
	buf = malloc(cap);
	if (buf == NULL) {
		e = ENOMEM;
		goto fail;
	}
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len > CONFIG_FILE_MAX) {
			free(buf);
			fclose(f);
			return tw_error_set(err, -EFBIG, 0,
					"the config file is larger than %u bytes; "
					"is this the right file?",
					CONFIG_FILE_MAX);
		}
		if (len == cap) {
			p = realloc(buf, cap * 2);
			if (p == NULL) {
				e = ENOMEM;
				goto fail;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		e = errno != 0 ? errno : EIO;
		goto fail;
	}
	fclose(f);
	*out = buf;
	*out_len = len;
	return 0;

fail:
	free(buf);
	fclose(f);
	return tw_error_set(err, -e, 0, "cannot read the config file: %s", strerror(e));
}

int
tw_config_load(const char *path, struct tw_config *cfg, struct tw_error *err)
{
	char base[PATH_MAX];
	const char *slash;
	size_t len = 0, base_len;
	char *text = NULL;
	int ret;

	if (path == NULL || cfg == NULL) {
		if (err != NULL)
			memset(err, 0, sizeof(*err));
		if (cfg != NULL)
			tw_config_defaults(cfg);
		return tw_error_set(err, -EINVAL, 0, "no config file given");
	}
	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		snprintf(err->file, sizeof(err->file), "%s", path);
	}
	tw_config_defaults(cfg);
	if (strlen(path) >= sizeof(cfg->path))
		return tw_error_set(err, -ENAMETOOLONG, 0, "config file path longer than %d bytes",
				PATH_MAX - 1);

	/* Relative paths in the file are relative to the file, not to the
	 * directory tapwatch happens to be started from.
	 */
	slash = strrchr(path, '/');
	base_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	memcpy(base, path, base_len);
	base[base_len] = '\0';

	ret = read_file(path, &text, &len, err);
	if (ret < 0)
		return ret;
	ret = config_parse(text, len, path, base, cfg, err);
	free(text);
	if (ret == 0)
		snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	return ret;
}
