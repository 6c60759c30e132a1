/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Config loader tests. The tests of the committed conf/ files need the
 * source tree: set TW_SOURCE_ROOT to it (meson does); without it those tests
 * pass without checking anything.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>
#include <rte_common.h>

#include "tw_config.h"
#include "tw_li.h"
#include "tw_policy.h"

#define FAM(f) (UINT32_C(1) << TW_FAMILY_ ## f)
#define TEST_NAME "<test>"

/* Task list values */
#define XID_A "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88"
#define XID_B_UPPER "6F1C2F9A-3E4B-4C1D-9A2B-0C1D2E3F4A5B"
#define L16 "LLLLLLLLLLLLLLLL"
#define LIID_64 L16 L16 L16 L16
/* 64 ports (a trailing comma each): "[" P64 "1]" is a list of 65 */
#define P4 "1, 1, 1, 1, "
#define P16 P4 P4 P4 P4
#define P64 P16 P16 P16 P16

static int
parse_str(const char *text, struct tw_config *cfg, struct tw_error *err)
{
	return tw_config_parse(text, strlen(text), TEST_NAME, cfg, err);
}

static void
assert_cidr(const struct tw_cidr *c, const char *text)
{
	struct tw_cidr want;

	ck_assert_int_eq(tw_cidr_parse(text, &want), 0);
	ck_assert_msg(c->l3 == want.l3 && c->prefix_len == want.prefix_len &&
			memcmp(c->addr, want.addr, sizeof(want.addr)) == 0,
			"CIDR is not %s", text);
}

static void
assert_defaults_scalars(const struct tw_config *c)
{
	ck_assert_uint_eq(c->workers, TW_CONFIG_DEF_WORKERS);
	ck_assert_uint_eq(c->rx_desc, TW_CONFIG_DEF_RX_DESC);
	ck_assert_uint_eq(c->tx_desc, TW_CONFIG_DEF_TX_DESC);
	ck_assert_uint_eq(c->mempool_size, TW_CONFIG_DEF_MEMPOOL_SIZE);
	ck_assert_uint_eq(c->mempool_cache, TW_CONFIG_DEF_MEMPOOL_CACHE);
	ck_assert_uint_eq(c->flow_table_size, TW_CONFIG_DEF_FLOW_TABLE);
	ck_assert_uint_eq(c->frag_table_size, TW_CONFIG_DEF_FRAG_TABLE);
	ck_assert_uint_eq(c->flow_timeout_s, TW_CONFIG_DEF_FLOW_TIMEOUT_S);
	ck_assert_uint_eq(c->inspect_pkts, TW_CONFIG_DEF_INSPECT_PKTS);
	ck_assert_uint_eq(c->inspect_bytes, TW_CONFIG_DEF_INSPECT_BYTES);
	ck_assert_uint_eq(c->alert_ring_size, TW_CONFIG_DEF_ALERT_RING);
	ck_assert_uint_eq(c->nb_port_pairs, 1);
	ck_assert_uint_eq(c->port_pairs[0][0], 0);
	ck_assert_uint_eq(c->port_pairs[0][1], 1);
	ck_assert_uint_eq(c->nb_tap_ports, 1);
	ck_assert_uint_eq(c->tap_ports[0], 0);
}

/* Default port lists, for every family not in @p skip (FAM() bits). */
static void
assert_default_family_ports(const struct tw_config *c, uint32_t skip)
{
	unsigned int i;

	for (i = 0; i < TW_FAMILY_MAX; i++) {
		if (skip & (UINT32_C(1) << i))
			continue;
		switch (i) {
		case TW_FAMILY_PACKETCABLE:
			ck_assert_uint_eq(c->nb_family_ports[i], 2);
			ck_assert_uint_eq(c->family_ports[i][0], 9000);
			ck_assert_uint_eq(c->family_ports[i][1], 10741);
			break;
		case TW_FAMILY_JMIRROR:
			ck_assert_uint_eq(c->nb_family_ports[i], 1);
			ck_assert_uint_eq(c->family_ports[i][0], 30030);
			break;
		case TW_FAMILY_RPCAP:
			ck_assert_uint_eq(c->nb_family_ports[i], 2);
			ck_assert_uint_eq(c->family_ports[i][0], 2002);
			ck_assert_uint_eq(c->family_ports[i][1], 2003);
			break;
		default:
			ck_assert_msg(c->nb_family_ports[i] == 0, "%s: %u ports",
					tw_family_name(i), c->nb_family_ports[i]);
		}
	}
}

/* No task list: storage and view both empty. */
static void
assert_no_tasks(const struct tw_config *c)
{
	ck_assert_uint_eq(c->tasks.has_xids, 0);
	ck_assert_uint_eq(c->tasks.has_liids, 0);
	ck_assert_ptr_null(c->tasks.xids);
	ck_assert_ptr_null(c->tasks.liids);
	ck_assert_uint_eq(c->tasks.nb_xids, 0);
	ck_assert_uint_eq(c->tasks.nb_liids, 0);
	ck_assert_ptr_null(c->xids);
	ck_assert_ptr_null(c->liids);
}

/* --- defaults and lifecycle ---------------------------------------------- */

START_TEST(test_defaults)
{
	struct tw_config c;

	memset(&c, 0xa5, sizeof(c));
	tw_config_defaults(&c);
	ck_assert_int_eq(c.mode, TW_MODE_TAP);
	assert_defaults_scalars(&c);
	ck_assert_uint_eq(c.stats_interval_s, TW_CONFIG_DEF_STATS_INTERVAL_S);
	ck_assert_uint_eq(c.block_families, 0);
	ck_assert_str_eq(c.path, "");
	ck_assert_str_eq(c.signatures, TW_CONFIG_DEF_SIGNATURES);
	ck_assert_str_eq(c.eve, "");
	ck_assert_ptr_null(c.mds);
	ck_assert_uint_eq(c.nb_mds, 0);
	ck_assert_ptr_null(c.cidrs);
	ck_assert_uint_eq(c.nb_cidrs, 0);
	assert_default_family_ports(&c, 0);
	assert_no_tasks(&c);
	tw_config_defaults(NULL);
}
END_TEST

START_TEST(test_free_null_zeroed_twice)
{
	struct tw_config c;

	tw_config_free(NULL);
	memset(&c, 0, sizeof(c));
	tw_config_free(&c);
	ck_assert_int_eq(parse_str("{\"mediation_devices\": [{\"name\": \"a\", "
			"\"mediation\": [\"10.0.0.1\"]}]}", &c, NULL), 0);
	ck_assert_ptr_nonnull(c.mds);
	tw_config_free(&c);
	ck_assert_ptr_null(c.mds);
	ck_assert_ptr_null(c.cidrs);
	ck_assert_uint_eq(c.nb_mds, 0);
	ck_assert_uint_eq(c.nb_cidrs, 0);
	tw_config_free(&c);
}
END_TEST

START_TEST(test_parse_invalid_args)
{
	struct tw_config c;
	struct tw_error err;

	ck_assert_int_eq(tw_config_parse("{}", 2, TEST_NAME, NULL, &err), -EINVAL);
	ck_assert_int_eq(err.code, -EINVAL);
	ck_assert_int_eq(tw_config_parse(NULL, 2, TEST_NAME, &c, &err), -EINVAL);
	tw_config_free(&c);
	/* No error struct: still a clean failure. */
	ck_assert_int_eq(parse_str("{\"mode\": 1}", &c, NULL), -EINVAL);
	tw_config_free(&c);
	ck_assert_int_eq(tw_config_load(NULL, &c, &err), -EINVAL);
	tw_config_free(&c);
	ck_assert_int_eq(tw_config_load("x.json", NULL, &err), -EINVAL);
	/* NULL name: messages say <buffer>. */
	ck_assert_int_eq(tw_config_parse("[", 1, NULL, &c, &err), -EINVAL);
	ck_assert_str_eq(err.file, "<buffer>");
	tw_config_free(&c);
}
END_TEST

/* --- valid configs ------------------------------------------------------- */

static const char full_config[] =
	"// every key, none at its default\n"
	"{\n"
	"  \"mode\": \"inline\",   // bump in the wire\n"
	"  \"dpdk\": {\n"
	"    \"port_pairs\": [[0, 1], [3, 2]],\n"
	"    \"tap_ports\": [4, 5, 31],\n"
	"    \"workers\": 4,\n"
	"    \"rx_descriptors\": 2048, \"tx_descriptors\": 512,\n"
	"    \"mempool_size\": 32767,\n"
	"    \"mempool_cache_size\": 0\n"
	"  },\n"
	"  \"flow\": {\"table_size\": 1048576, \"fragment_table_size\": 64,\n"
	"           \"idle_timeout\": 86400},\n"
	"  \"inspection\": {\"max_packets\": 255, \"max_bytes\": 65535},\n"
	"  \"signatures\": \"/etc/tapwatch/sig.rules\",\n"
	"  \"output\": {\"eve\": \"logs/eve.json\", \"stats_interval\": 0,\n"
	"             \"alert_ring_size\": 1048576},\n"
	"  \"block\": [\"erspan\", \"tzsp\", \"erspan\"],\n"
	"  \"ports\": {\"rpcap\": [2002], \"juniper-dtcp\": [32001]},\n"
	"  \"authorized_tasks\": {\"xids\": [\"" XID_A "\"], \"liids\": [\"LIID1\"]},\n"
	"  \"mediation_devices\": [\n"
	"    {\"name\": \"md-1\", \"mediation\": [\"10.200.0.10/32\", \"2001:db8::10/128\"],\n"
	"     \"elements\": [\"10.1.0.0/24\"], \"families\": [\"etsi-x2x3\"]},\n"
	"    {\"name\": \"md-2\", \"mediation\": [\"10.200.0.20\"]},  // no elements\n"
	"    {\"name\": \"http://not-a-comment\", \"mediation\": [\"::/0\"],\n"
	"     \"elements\": [\"0.0.0.0/0\", \"::/0\"], \"families\": [\"etsi-hi\", \"rpcap\"]}\n"
	"  ]\n"
	"}\n"
	"// trailing comment without a newline";

START_TEST(test_full_config)
{
	struct tw_config c;
	struct tw_error err;
	const struct tw_md *md;

	ck_assert_msg(parse_str(full_config, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(err.code, 0);
	ck_assert_str_eq(err.file, TEST_NAME);
	ck_assert_int_eq(c.mode, TW_MODE_INLINE);
	ck_assert_uint_eq(c.nb_port_pairs, 2);
	ck_assert_uint_eq(c.port_pairs[1][0], 3);
	ck_assert_uint_eq(c.port_pairs[1][1], 2);
	ck_assert_uint_eq(c.nb_tap_ports, 3);
	ck_assert_uint_eq(c.tap_ports[2], 31);
	ck_assert_uint_eq(c.workers, 4);
	ck_assert_uint_eq(c.rx_desc, 2048);
	ck_assert_uint_eq(c.tx_desc, 512);
	ck_assert_uint_eq(c.mempool_size, 32767);
	ck_assert_uint_eq(c.mempool_cache, 0);
	ck_assert_uint_eq(c.flow_table_size, 1048576);
	ck_assert_uint_eq(c.frag_table_size, 64);
	ck_assert_uint_eq(c.flow_timeout_s, 86400);
	ck_assert_uint_eq(c.inspect_pkts, 255);
	ck_assert_uint_eq(c.inspect_bytes, 65535);
	ck_assert_str_eq(c.signatures, "/etc/tapwatch/sig.rules");
	ck_assert_str_eq(c.eve, "logs/eve.json");	/* parse: not resolved */
	ck_assert_str_eq(c.path, "");
	ck_assert_uint_eq(c.stats_interval_s, 0);
	ck_assert_uint_eq(c.alert_ring_size, 1048576);
	ck_assert_uint_eq(c.block_families, FAM(ERSPAN) | FAM(TZSP));
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_RPCAP], 1);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_RPCAP][0], 2002);
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_JUNIPER_DTCP], 1);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_JUNIPER_DTCP][0], 32001);
	assert_default_family_ports(&c, FAM(RPCAP) | FAM(JUNIPER_DTCP));
	ck_assert_uint_eq(c.tasks.has_xids, 1);
	ck_assert_uint_eq(c.tasks.nb_xids, 1);
	ck_assert_uint_eq(c.tasks.has_liids, 1);
	ck_assert_uint_eq(c.tasks.nb_liids, 1);
	ck_assert_uint_eq(c.tasks.liids[0].len, 5);

	ck_assert_uint_eq(c.nb_mds, 3);
	ck_assert_uint_eq(c.nb_cidrs, 7);
	md = &c.mds[0];
	ck_assert_str_eq(md->name, "md-1");
	ck_assert_ptr_eq(md->mediation, &c.cidrs[0]);
	ck_assert_uint_eq(md->nb_mediation, 2);
	assert_cidr(&md->mediation[0], "10.200.0.10/32");
	assert_cidr(&md->mediation[1], "2001:db8::10/128");
	ck_assert_ptr_eq(md->elements, &c.cidrs[2]);
	ck_assert_uint_eq(md->nb_elements, 1);
	assert_cidr(&md->elements[0], "10.1.0.0/24");
	ck_assert_uint_eq(md->families, FAM(ETSI_X2X3));
	md = &c.mds[1];
	ck_assert_str_eq(md->name, "md-2");
	ck_assert_ptr_eq(md->mediation, &c.cidrs[3]);
	assert_cidr(&md->mediation[0], "10.200.0.20/32");
	ck_assert_ptr_null(md->elements);
	ck_assert_uint_eq(md->nb_elements, 0);
	ck_assert_uint_eq(md->families, 0);
	md = &c.mds[2];
	ck_assert_str_eq(md->name, "http://not-a-comment");
	ck_assert_ptr_eq(md->mediation, &c.cidrs[4]);
	assert_cidr(&md->mediation[0], "::/0");
	ck_assert_ptr_eq(md->elements, &c.cidrs[5]);
	ck_assert_uint_eq(md->nb_elements, 2);
	assert_cidr(&md->elements[1], "::/0");
	ck_assert_uint_eq(md->families, FAM(ETSI_HI) | FAM(RPCAP));
	tw_config_free(&c);
}
END_TEST

/* Small configs that must load: boundaries and comment corner cases. */
static const struct {
	const char *text;
	const char *signatures;	/* expected, or NULL to skip */
	const char *eve;	/* expected, or NULL to skip */
} good_cases[] = {
	{ "{}", TW_CONFIG_DEF_SIGNATURES, "" },
	{ "  \n{ }\n\n", NULL, NULL },
	{ "{\"dpdk\": {\"workers\": 64, \"rx_descriptors\": 64, \"tx_descriptors\": 16384,"
	  " \"mempool_size\": 1023, \"mempool_cache_size\": 512}}", NULL, NULL },
	{ "{\"dpdk\": {\"mempool_size\": 16777215}}", NULL, NULL },
	{ "{\"flow\": {\"table_size\": 64, \"fragment_table_size\": 67108864,"
	  " \"idle_timeout\": 1}}", NULL, NULL },
	{ "{\"inspection\": {\"max_packets\": 1, \"max_bytes\": 64}}", NULL, NULL },
	{ "{\"output\": {\"stats_interval\": 3600, \"alert_ring_size\": 64}}", NULL, NULL },
	{ "{\"dpdk\": {\"tap_ports\": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]}}",
	  NULL, NULL },
	{ "{\"mode\": \"inline\", \"dpdk\": {\"port_pairs\": [[0, 1], [2, 3], [4, 5], [6, 7],"
	  " [8, 9], [10, 11], [12, 13], [14, 15], [16, 17], [18, 19], [20, 21], [22, 23],"
	  " [24, 25], [26, 27], [28, 29], [30, 31]]}}", NULL, NULL },
	{ "{\"block\": []}", NULL, NULL },
	{ "{\"mediation_devices\": []}", NULL, NULL },
	{ "{\"mediation_devices\": [{\"name\": \"123456789012345678901234567890123456789"
	  "012345678901234567890123\", \"mediation\": [\"10.0.0.1\"]}]}", NULL, NULL },
	/* "//" inside strings is data, escaped quotes do not end a string. */
	{ "{\"signatures\": \"http://example//x.rules\"}", "http://example//x.rules", NULL },
	{ "{\"signatures\": \"a\\\"//b\" // \"\n}", "a\"//b", NULL },
	{ "{\"signatures\": \"a\\\\\" // ends with a backslash\n}", "a\\", NULL },
	{ "// \"quote in a comment\n{\"output\": {\"eve\": \"-\"}} // done", NULL, "" },
	{ "{\"output\": {\"eve\": \"/var/log/eve.json\"}}", NULL, "/var/log/eve.json" },
	{ "{\"output\": {\"eve\": \"out/eve.json\"}, \"signatures\": \"r/s.rules\"}",
	  "r/s.rules", "out/eve.json" },
	{ "{\r\n\"mode\": \"tap\" // CRLF\r\n}\r\n", NULL, NULL },
};

START_TEST(test_good_table)
{
	struct tw_config c;
	struct tw_error err;
	int ret;

	ret = parse_str(good_cases[_i].text, &c, &err);
	ck_assert_msg(ret == 0, "row %d: %d %s (line %u)", _i, ret, err.msg, err.line);
	if (good_cases[_i].signatures != NULL)
		ck_assert_str_eq(c.signatures, good_cases[_i].signatures);
	if (good_cases[_i].eve != NULL)
		ck_assert_str_eq(c.eve, good_cases[_i].eve);
	tw_config_free(&c);
}
END_TEST

/* --- family ports --------------------------------------------------------- */

/* jmirror's list replaced, tzsp given one; the others keep their defaults. */
START_TEST(test_family_ports)
{
	struct tw_config c;
	struct tw_error err;

	ck_assert_msg(parse_str("{\"ports\": {\"jmirror\": [30031, 65535, 1],"
			" \"tzsp\": [37008]}}", &c, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_JMIRROR], 3);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_JMIRROR][0], 30031);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_JMIRROR][1], 65535);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_JMIRROR][2], 1);
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_TZSP], 1);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_TZSP][0], 37008);
	assert_default_family_ports(&c, FAM(JMIRROR) | FAM(TZSP));
	tw_config_free(&c);

	/* a shorter list replaces a longer default whole */
	ck_assert_msg(parse_str("{\"ports\": {\"packetcable\": [2427]}}", &c, &err) == 0,
			"%s", err.msg);
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_PACKETCABLE], 1);
	ck_assert_uint_eq(c.family_ports[TW_FAMILY_PACKETCABLE][0], 2427);
	assert_default_family_ports(&c, FAM(PACKETCABLE));
	tw_config_free(&c);

	/* no key, an empty object: the defaults */
	ck_assert_int_eq(parse_str("{}", &c, &err), 0);
	assert_default_family_ports(&c, 0);
	tw_config_free(&c);
	ck_assert_int_eq(parse_str("{\"ports\": {}}", &c, &err), 0);
	assert_default_family_ports(&c, 0);
	tw_config_free(&c);
}
END_TEST

/* TW_CONFIG_FAMILY_PORTS_MAX ports fit, in order. */
START_TEST(test_family_ports_max)
{
	char text[1024];
	struct tw_config c;
	struct tw_error err;
	size_t len;
	unsigned int i;

	len = (size_t)snprintf(text, sizeof(text), "{\"ports\": {\"rpcap\": [");
	for (i = 0; i < TW_CONFIG_FAMILY_PORTS_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%u", i ? ", " : "",
				60000 + i);
	snprintf(text + len, sizeof(text) - len, "]}}");
	ck_assert_uint_lt(strlen(text), sizeof(text) - 1);
	ck_assert_msg(parse_str(text, &c, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(c.nb_family_ports[TW_FAMILY_RPCAP], TW_CONFIG_FAMILY_PORTS_MAX);
	for (i = 0; i < TW_CONFIG_FAMILY_PORTS_MAX; i++)
		ck_assert_uint_eq(c.family_ports[TW_FAMILY_RPCAP][i], 60000 + i);
	assert_default_family_ports(&c, FAM(RPCAP));
	tw_config_free(&c);
}
END_TEST

/* --- authorized tasks ------------------------------------------------------ */

START_TEST(test_tasks)
{
	static const uint8_t a[16] = {
		0x2b, 0x4c, 0x0e, 0x6a, 0x9f, 0x1d, 0x4c, 0x3b,
		0x8a, 0x7e, 0x5d, 0x2f, 0x1c, 0x0b, 0x9a, 0x88,
	};
	static const uint8_t b[16] = {
		0x6f, 0x1c, 0x2f, 0x9a, 0x3e, 0x4b, 0x4c, 0x1d,
		0x9a, 0x2b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b,
	};
	struct tw_config c;
	struct tw_error err;
	uint8_t other[16];

	ck_assert_msg(parse_str("{\"authorized_tasks\": {"
			"\"xids\": [\"" XID_A "\", \"" XID_B_UPPER "\"],"
			" \"liids\": [\"LIID1\", \"LIID-TEST-01\", \"" LIID_64 "\"]}}",
			&c, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(c.tasks.has_xids, 1);
	ck_assert_uint_eq(c.tasks.nb_xids, 2);
	ck_assert_ptr_nonnull(c.xids);
	ck_assert_ptr_eq(c.tasks.xids, c.xids);
	ck_assert_mem_eq(c.tasks.xids[0], a, 16);
	ck_assert_mem_eq(c.tasks.xids[1], b, 16);
	ck_assert_uint_eq(c.tasks.has_liids, 1);
	ck_assert_uint_eq(c.tasks.nb_liids, 3);
	ck_assert_ptr_nonnull(c.liids);
	ck_assert_ptr_eq(c.tasks.liids, c.liids);
	ck_assert_uint_eq(c.tasks.liids[0].len, 5);
	ck_assert_mem_eq(c.tasks.liids[0].b, "LIID1", 5);
	ck_assert_uint_eq(c.tasks.liids[1].len, 12);
	ck_assert_mem_eq(c.tasks.liids[1].b, "LIID-TEST-01", 12);
	ck_assert_uint_eq(c.tasks.liids[2].len, 64);
	ck_assert_mem_eq(c.tasks.liids[2].b, LIID_64, 64);

	/* the view answers the pipeline's questions */
	ck_assert_int_eq(tw_tasks_xid_listed(&c.tasks, a), 1);
	ck_assert_int_eq(tw_tasks_xid_listed(&c.tasks, b), 1);
	memcpy(other, a, 16);
	other[15] ^= 1;
	ck_assert_int_eq(tw_tasks_xid_listed(&c.tasks, other), 0);
	ck_assert_int_eq(tw_tasks_liid_listed(&c.tasks, (const uint8_t *)"LIID-TEST-01", 12), 1);
	ck_assert_int_eq(tw_tasks_liid_listed(&c.tasks, (const uint8_t *)"LIID-TEST-0", 11), 0);
	tw_config_free(&c);
}
END_TEST

/* has_xids / has_liids follow the keys, not the list sizes. */
static const struct {
	const char *text;
	uint8_t has_xids;
	uint8_t has_liids;
	uint32_t nb_xids;
	uint32_t nb_liids;
} tasks_presence[] = {
	{ "{}", 0, 0, 0, 0 },
	{ "{\"authorized_tasks\": {}}", 0, 0, 0, 0 },
	{ "{\"authorized_tasks\": {\"xids\": []}}", 1, 0, 0, 0 },
	{ "{\"authorized_tasks\": {\"liids\": []}}", 0, 1, 0, 0 },
	{ "{\"authorized_tasks\": {\"xids\": [\"" XID_A "\"]}}", 1, 0, 1, 0 },
	{ "{\"authorized_tasks\": {\"liids\": [\"a\", \"b\"]}}", 0, 1, 0, 2 },
	{ "{\"authorized_tasks\": {\"liids\": [\"a\"], \"xids\": []}}", 1, 1, 0, 1 },
};

START_TEST(test_tasks_presence)
{
	static const uint8_t zero[16];
	struct tw_config c;
	struct tw_error err;

	ck_assert_msg(parse_str(tasks_presence[_i].text, &c, &err) == 0, "row %d: %s", _i,
			err.msg);
	ck_assert_uint_eq(c.tasks.has_xids, tasks_presence[_i].has_xids);
	ck_assert_uint_eq(c.tasks.has_liids, tasks_presence[_i].has_liids);
	ck_assert_uint_eq(c.tasks.nb_xids, tasks_presence[_i].nb_xids);
	ck_assert_uint_eq(c.tasks.nb_liids, tasks_presence[_i].nb_liids);
	/* storage only behind a configured list */
	ck_assert_int_eq(c.xids != NULL, tasks_presence[_i].has_xids);
	ck_assert_int_eq(c.liids != NULL, tasks_presence[_i].has_liids);
	/* an unconfigured list is not checked, an empty one lists nothing */
	ck_assert_int_eq(tw_tasks_xid_listed(&c.tasks, zero),
			tasks_presence[_i].has_xids ? 0 : -1);
	ck_assert_int_eq(tw_tasks_liid_listed(&c.tasks, (const uint8_t *)"z", 1),
			tasks_presence[_i].has_liids ? 0 : -1);
	tw_config_free(&c);
}
END_TEST

/* tw_config_free releases the task storage and clears the view (valgrind). */
START_TEST(test_tasks_free)
{
	struct tw_config c;
	struct tw_error err;

	ck_assert_msg(parse_str("{\"authorized_tasks\": {\"xids\": [\"" XID_A "\"],"
			" \"liids\": [\"LIID1\"]}}", &c, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(c.xids);
	ck_assert_ptr_nonnull(c.liids);
	tw_config_free(&c);
	assert_no_tasks(&c);
	tw_config_free(&c);
	assert_no_tasks(&c);

	/* parse, free, parse again into the same struct */
	ck_assert_int_eq(parse_str("{\"authorized_tasks\": {\"liids\": [\"x\"]}}", &c, &err), 0);
	ck_assert_ptr_null(c.xids);
	ck_assert_ptr_nonnull(c.liids);
	tw_config_free(&c);
	assert_no_tasks(&c);
}
END_TEST

/* --- bad configs ---------------------------------------------------------- */

static const struct {
	const char *text;
	unsigned int line;	/* err->line: syntax errors only */
	const char *msg;	/* substring of err->msg */
} bad_cases[] = {
	/* JSON syntax; line numbers survive comment stripping */
	{ "{\n  \"mode\": \"tap\",\n}\n", 3, "syntax error at line 3" },
	{ "{\n  \"mode\": \"tap\"\n", 3, "syntax error" },
	{ "// one\n// two \"\n{\n  \"mode\": tap\n}\n", 4, "syntax error at line 4" },
	{ "{ // the rest is a comment }", 1, "syntax error" },
	{ "{\n/* block comments are not allowed */\n}", 2, "syntax error at line 2" },
	{ "{\"mode\": \"tap\" / \"inline\"}", 1, "syntax error" },
	{ "", 1, "syntax error" },
	{ "{} {}", 1, "syntax error" },
	{ "{\n\"mode\": \"tap\",\n\n\"mode\": \"inline\"\n}", 4, "duplicate object key" },
	{ "{\"flow\": {\n\"table_size\": 64,\n\"table_size\": 128}}", 3, "duplicate object key" },
	/* shape */
	{ "[1]", 0, "top level: expected an object" },
	{ "{\"dpdk\": []}", 0, "dpdk: expected an object {...}, got []" },
	{ "{\"flow\": 5}", 0, "flow: expected an object" },
	/* unknown keys */
	{ "{\"modes\": \"tap\"}", 0,
	  "modes: unknown key; accepted keys at the top level: mode, dpdk, flow, inspection, "
	  "signatures, output, block, mediation_devices" },
	{ "{\"rx_descriptors\": 1024}", 0,
	  "rx_descriptors: unknown key; did you mean \"dpdk.rx_descriptors\"?" },
	{ "{\"dpdk\": {\"rx-descriptors\": 1024}}", 0,
	  "dpdk.rx-descriptors: unknown key; did you mean \"rx_descriptors\"? accepted keys here: "
	  "port_pairs, tap_ports, workers" },
	{ "{\"flow\": {\"mode\": \"tap\"}}", 0,
	  "flow.mode: unknown key; did you mean top-level \"mode\"?" },
	{ "{\"output\": {\"eve_file\": \"x\"}}", 0, "output.eve_file: unknown key; accepted" },
	{ "{\"inspection\": {\"max_pkts\": 8}}", 0, "inspection.max_pkts: unknown key" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"], "
	  "\"iface\": \"x\"}]}", 0,
	  "mediation_devices[0].iface: unknown key; accepted keys here: name, mediation, "
	  "elements, families" },
	/* types and ranges */
	{ "{\"flow\": {\"table_size\": \"big\"}}", 0,
	  "flow.table_size: expected an integer between 64 and 67108864, got \"big\"" },
	{ "{\"flow\": {\"table_size\": 63}}", 0, "between 64 and 67108864, got 63" },
	{ "{\"flow\": {\"idle_timeout\": 0}}", 0,
	  "flow.idle_timeout: expected an integer between 1 and 86400, got 0 (unit: seconds)" },
	{ "{\"dpdk\": {\"workers\": 65}}", 0,
	  "dpdk.workers: expected an integer between 1 and 64" },
	{ "{\"dpdk\": {\"workers\": 1.0}}", 0, "dpdk.workers: expected an integer" },
	{ "{\"dpdk\": {\"workers\": true}}", 0, "got true" },
	{ "{\"dpdk\": {\"workers\": -1}}", 0, "got -1" },
	{ "{\"dpdk\": {\"rx_descriptors\": 1000}}", 0,
	  "dpdk.rx_descriptors: expected a power of two between 64 and 16384, got 1000" },
	{ "{\"dpdk\": {\"tx_descriptors\": 32768}}", 0, "dpdk.tx_descriptors: expected a power" },
	{ "{\"dpdk\": {\"mempool_size\": 1022}}", 0, "dpdk.mempool_size: expected an integer" },
	{ "{\"dpdk\": {\"mempool_cache_size\": 513}}", 0, "between 0 and 512" },
	{ "{\"inspection\": {\"max_packets\": 256}}", 0, "inspection.max_packets: expected" },
	{ "{\"inspection\": {\"max_bytes\": 63}}", 0, "inspection.max_bytes: expected" },
	{ "{\"output\": {\"stats_interval\": 3601}}", 0, "output.stats_interval: expected" },
	{ "{\"output\": {\"alert_ring_size\": 1000}}", 0,
	  "output.alert_ring_size: expected a power of two between 64 and 1048576" },
	{ "{\"flow\": {\"table_size\": 99999999999999999999}}", 1, "too big integer" },
	{ "{\"mode\": \"ips\"}", 0, "mode: expected \"tap\" or \"inline\", got \"ips\"" },
	{ "{\"mode\": \"TAP\"}", 0, "mode: expected \"tap\" or \"inline\"" },
	{ "{\"signatures\": \"\"}", 0, "signatures: expected a file path, got \"\"" },
	{ "{\"signatures\": [\"a\"]}", 0, "signatures: expected a file path" },
	{ "{\"output\": {\"eve\": 5}}", 0, "output.eve: expected a file path or \"-\" for stdout" },
	{ "{\"flow\": {\"table_size\": \"this is a rather long string that will be cut\"}}", 0,
	  "got \"this is a rather long string that w... (unit: flows per worker)" },
	/* ports */
	{ "{\"dpdk\": {\"port_pairs\": [[0]]}}", 0,
	  "dpdk.port_pairs[0]: expected a pair of port ids like [0, 1], got [0]" },
	{ "{\"dpdk\": {\"port_pairs\": [0, 1]}}", 0,
	  "dpdk.port_pairs[0]: expected a pair of port ids" },
	{ "{\"dpdk\": {\"port_pairs\": [[0, 1, 2]]}}", 0, "dpdk.port_pairs[0]: expected a pair" },
	{ "{\"dpdk\": {\"port_pairs\": []}}", 0, "dpdk.port_pairs: expected an array of 1 to 16" },
	{ "{\"dpdk\": {\"port_pairs\": [[0, 0]]}}", 0,
	  "dpdk.port_pairs[0]: port 0 is paired with itself" },
	{ "{\"dpdk\": {\"port_pairs\": [[0, 1], [2, 1]]}}", 0,
	  "dpdk.port_pairs[1]: port 1 is already in dpdk.port_pairs[0]" },
	{ "{\"dpdk\": {\"port_pairs\": [[0, \"1\"]]}}", 0,
	  "dpdk.port_pairs[0][1]: expected a DPDK port id between 0 and" },
	{ "{\"dpdk\": {\"tap_ports\": []}}", 0, "dpdk.tap_ports: expected an array of 1 to 16" },
	{ "{\"dpdk\": {\"tap_ports\": 0}}", 0, "dpdk.tap_ports: expected an array" },
	{ "{\"dpdk\": {\"tap_ports\": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]}}",
	  0, "dpdk.tap_ports: expected an array of 1 to 16" },
	{ "{\"dpdk\": {\"tap_ports\": [65535]}}", 0, "dpdk.tap_ports[0]: expected a DPDK port id" },
	{ "{\"dpdk\": {\"tap_ports\": [1, 2, 1]}}", 0,
	  "dpdk.tap_ports[2]: port 1 is already listed at dpdk.tap_ports[0]" },
	/* families */
	{ "{\"block\": [\"x2\"]}", 0,
	  "block[0]: unknown family \"x2\"; valid names: etsi-x1, etsi-x2x3, etsi-hi, " },
	{ "{\"block\": \"erspan\"}", 0, "block: expected an array of family names" },
	{ "{\"block\": [\"erspan\", 7]}", 0, "block[1]: unknown family 7; valid names" },
	/* mediation devices */
	{ "{\"mediation_devices\": {}}", 0, "mediation_devices: expected an array of objects" },
	{ "{\"mediation_devices\": [\"md-1\"]}", 0, "mediation_devices[0]: expected an object" },
	{ "{\"mediation_devices\": [{\"mediation\": [\"10.0.0.1\"]}]}", 0,
	  "mediation_devices[0].name: missing; give each mediation device a unique name" },
	{ "{\"mediation_devices\": [{\"name\": \"\", \"mediation\": [\"10.0.0.1\"]}]}", 0,
	  "mediation_devices[0].name: expected a string of 1 to 63 characters, got \"\"" },
	{ "{\"mediation_devices\": [{\"name\": \"123456789012345678901234567890123456789"
	  "0123456789012345678901234\", \"mediation\": [\"10.0.0.1\"]}]}", 0,
	  "mediation_devices[0].name: \"123456789012345678901234...\" is 64 characters long; "
	  "shorten it to at most 63" },
	{ "{\"mediation_devices\": [{\"name\": 5, \"mediation\": [\"10.0.0.1\"]}]}", 0,
	  "mediation_devices[0].name: expected a string" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"]},"
	  " {\"name\": \"a\", \"mediation\": [\"10.0.0.2\"]}]}", 0,
	  "mediation_devices[1].name: \"a\" is already used by mediation_devices[0]" },
	{ "{\"mediation_devices\": [{\"name\": \"a\"}]}", 0,
	  "mediation_devices[0].mediation: missing; list the device's own addresses" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": []}]}", 0,
	  "mediation_devices[0].mediation: expected a non-empty array" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": \"10.0.0.1\"}]}", 0,
	  "mediation_devices[0].mediation: expected a non-empty array" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"]},"
	  " {\"name\": \"b\", \"mediation\": [\"10.0.0.1/33\"]}]}", 0,
	  "mediation_devices[1].mediation[0]: \"10.0.0.1/33\" "
	  "is not an IPv4/IPv6 address or CIDR" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [167772161]}]}", 0,
	  "mediation_devices[0].mediation[0]: expected an address or CIDR string" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"],"
	  " \"elements\": []}]}", 0,
	  "mediation_devices[0].elements: an empty list matches no address; omit \"elements\"" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"],"
	  " \"elements\": {}}]}", 0, "mediation_devices[0].elements: expected an array" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"],"
	  " \"elements\": [\"10.1.0.1/24\"]}]}", 0,
	  "mediation_devices[0].elements[0]: \"10.1.0.1/24\" has host bits set; write "
	  "\"10.1.0.0/24\" for the network or \"10.1.0.1/32\" for the host" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"2001:db8::1:2/100\"]}]}",
	  0, "mediation_devices[0].mediation[0]: \"2001:db8::1:2/100\" has host bits set; write "
	  "\"2001:db8::/100\" for the network or \"2001:db8::1:2/128\" for the host" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1 /32\"]}]}",
	  0, "mediation_devices[0].mediation[0]: \"10.0.0.1 /32\" is not an IPv4/IPv6 address" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"],"
	  " \"families\": [\"etsi-x2x3\", \"x3\"]}]}", 0,
	  "mediation_devices[0].families[1]: unknown family \"x3\"; valid names: etsi-x1" },
	{ "{\"mediation_devices\": [{\"name\": \"a\", \"mediation\": [\"10.0.0.1\"],"
	  " \"families\": []}]}", 0,
	  "mediation_devices[0].families: an empty list allows no family; omit \"families\"" },
	/* family ports */
	{ "{\"modes\": 1}", 0, "accepted keys at the top level: mode, dpdk, flow, inspection, "
	  "signatures, output, block, mediation_devices, ports, authorized_tasks" },
	{ "{\"ports\": [30030]}", 0, "ports: expected an object {...}, got [30030]" },
	{ "{\"ports\": \"jmirror\"}", 0, "ports: expected an object {...}, got \"jmirror\"" },
	{ "{\"ports\": {\"jmirrors\": [30030]}}", 0,
	  "ports.jmirrors: unknown family; use one of: etsi-x1, etsi-x2x3, etsi-hi, packetcable, "
	  "cisco-tap-mib, juniper-dtcp, jmirror, redback-li, erspan, tzsp, rpcap" },
	{ "{\"ports\": {\"JMIRROR\": [30030]}}", 0, "ports.JMIRROR: unknown family" },
	{ "{\"ports\": {\"\": [30030]}}", 0, "ports.: unknown family" },
	{ "{\"ports\": {\"jmirror\": []}}", 0,
	  "ports.jmirror: expected a list of 1 to 64 ports; omit the key to keep the family's "
	  "default ports" },
	{ "{\"ports\": {\"jmirror\": [" P64 "1]}}", 0,
	  "ports.jmirror: expected a list of 1 to 64 ports" },
	{ "{\"ports\": {\"jmirror\": 30030}}", 0,
	  "ports.jmirror: expected a list of 1 to 64 ports" },
	{ "{\"ports\": {\"jmirror\": {\"a\": 1}}}", 0, "ports.jmirror: expected a list" },
	{ "{\"ports\": {\"jmirror\": null}}", 0, "ports.jmirror: expected a list" },
	{ "{\"ports\": {\"jmirror\": [0]}}", 0,
	  "ports.jmirror[0]: expected a port number between 1 and 65535, got 0" },
	{ "{\"ports\": {\"jmirror\": [30030, 65536]}}", 0,
	  "ports.jmirror[1]: expected a port number between 1 and 65535, got 65536" },
	{ "{\"ports\": {\"jmirror\": [\"30030\"]}}", 0,
	  "ports.jmirror[0]: expected a port number between 1 and 65535, got \"30030\"" },
	{ "{\"ports\": {\"jmirror\": [-1]}}", 0, "ports.jmirror[0]: expected a port number" },
	{ "{\"ports\": {\"jmirror\": [4294967297]}}", 0, "got 4294967297" },
	{ "{\"ports\": {\"jmirror\": [30030.0]}}", 0, "ports.jmirror[0]: expected a port number" },
	{ "{\"ports\": {\"jmirror\": [true]}}", 0, "ports.jmirror[0]: expected a port number" },
	{ "{\"ports\": {\"jmirror\": [[30030]]}}", 0, "got [30030]" },
	{ "{\"ports\": {\"tzsp\": [37008], \"rpcap\": [2002, 0]}}", 0, "ports.rpcap[1]: expected" },
	{ "{\"ports\": {\"jmirror\": [30030], \"jmirror\": [30031]}}", 1, "duplicate object key" },
	/* authorized tasks */
	{ "{\"authorized_tasks\": [\"" XID_A "\"]}", 0,
	  "authorized_tasks: expected an object {...}, got [\"2b4c0e6a" },
	{ "{\"authorized_tasks\": {\"xid\": []}}", 0,
	  "authorized_tasks.xid: unknown key; accepted keys here: xids, liids" },
	{ "{\"authorized_tasks\": {\"xids\": [], \"warrants\": []}}", 0,
	  "authorized_tasks.warrants: unknown key" },
	{ "{\"xids\": []}", 0, "xids: unknown key; did you mean \"authorized_tasks.xids\"?" },
	{ "{\"authorized_tasks\": {\"xids\": \"" XID_A "\"}}", 0,
	  "authorized_tasks.xids: expected a list of XIDs (UUID text), got \"2b4c0e6a" },
	{ "{\"authorized_tasks\": {\"xids\": {}}}", 0,
	  "authorized_tasks.xids: expected a list of XIDs (UUID text), got {}" },
	{ "{\"authorized_tasks\": {\"xids\": [\"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8\"]}}", 0,
	  "authorized_tasks.xids[0]: \"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8\" is not an XID; "
	  "write it as a UUID, e.g. \"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88\"" },
	{ "{\"authorized_tasks\": {\"xids\": [\"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a888\"]}}", 0,
	  "authorized_tasks.xids[0]: \"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a888\" is not an XID" },
	{ "{\"authorized_tasks\": {\"xids\": [\"" XID_A "\", "
	  "\"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8z\"]}}", 0,
	  "authorized_tasks.xids[1]: \"2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8z\" is not an XID" },
	{ "{\"authorized_tasks\": {\"xids\": [\"2b4c0e6a9f1d4c3b8a7e5d2f1c0b9a88\"]}}", 0,
	  "authorized_tasks.xids[0]: \"2b4c0e6a9f1d4c3b8a7e5d2f1c0b9a88\" is not an XID" },
	{ "{\"authorized_tasks\": {\"xids\": [\"{" XID_A "}\"]}}", 0,
	  "authorized_tasks.xids[0]: \"{2b4c0e6a" },
	{ "{\"authorized_tasks\": {\"xids\": [5]}}", 0,
	  "authorized_tasks.xids[0]: 5 is not an XID" },
	{ "{\"authorized_tasks\": {\"xids\": [null]}}", 0,
	  "authorized_tasks.xids[0]: null is not an XID" },
	{ "{\"authorized_tasks\": {\"liids\": \"LIID1\"}}", 0,
	  "authorized_tasks.liids: expected a list of LIID strings, got \"LIID1\"" },
	{ "{\"authorized_tasks\": {\"liids\": [\"\"]}}", 0,
	  "authorized_tasks.liids[0]: expected an LIID string of 1 to 64 bytes, got \"\"" },
	{ "{\"authorized_tasks\": {\"liids\": [\"LIID1\", \"" LIID_64 "L\"]}}", 0,
	  "authorized_tasks.liids[1]: expected an LIID string of 1 to 64 bytes, got \"LLLL" },
	{ "{\"authorized_tasks\": {\"liids\": [7]}}", 0,
	  "authorized_tasks.liids[0]: expected an LIID string of 1 to 64 bytes, got 7" },
	{ "{\"authorized_tasks\": {\"liids\": [[\"LIID1\"]]}}", 0,
	  "authorized_tasks.liids[0]: expected an LIID string of 1 to 64 bytes, got [\"LIID1\"]" },
	/* a later error frees task storage already built */
	{ "{\"authorized_tasks\": {\"xids\": [\"" XID_A "\"], \"liids\": [\"\"]}}", 0,
	  "authorized_tasks.liids[0]: expected an LIID string" },
	{ "{\"authorized_tasks\": {\"xids\": [\"" XID_A "\"], \"liids\": [\"LIID1\"]},"
	  " \"mediation_devices\": {}}", 0, "mediation_devices: expected an array of objects" },
	/* "//" inside a string is not a comment */
	{ "{\"mode\": \"tap // inline\"}", 0,
	  "mode: expected \"tap\" or \"inline\", got \"tap // inline\"" },
	{ "{\"signatures\": \"a\\\"//b\", \"x\": 1}", 0, "x: unknown key" },
};

START_TEST(test_bad_table)
{
	struct tw_config c;
	struct tw_error err;
	int ret;

	ret = parse_str(bad_cases[_i].text, &c, &err);
	ck_assert_msg(ret == -EINVAL, "row %d: returned %d", _i, ret);
	ck_assert_int_eq(err.code, -EINVAL);
	ck_assert_str_eq(err.file, TEST_NAME);
	ck_assert_msg(strstr(err.msg, bad_cases[_i].msg) != NULL,
			"row %d: message \"%s\" lacks \"%s\"", _i, err.msg, bad_cases[_i].msg);
	ck_assert_msg(err.line == bad_cases[_i].line, "row %d: line %u, want %u (%s)",
			_i, err.line, bad_cases[_i].line, err.msg);
	/* A failed parse leaves nothing allocated. */
	ck_assert_ptr_null(c.mds);
	ck_assert_ptr_null(c.cidrs);
	assert_no_tasks(&c);
	tw_config_free(&c);
}
END_TEST

/* --- files ---------------------------------------------------------------- */

struct tmpdir {
	char dir[64];
	char path[128];
};

static const char *
write_tmp(struct tmpdir *t, const char *name, const char *text)
{
	FILE *f;

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/tw-test-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	f = fopen(t->path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return t->path;
}

static void
remove_tmp(struct tmpdir *t)
{
	unlink(t->path);
	rmdir(t->dir);
}

START_TEST(test_load_relative_paths)
{
	struct tmpdir t;
	struct tw_config c;
	struct tw_error err;
	char want[256];
	const char *path;

	path = write_tmp(&t, "a.json",
			"{\"signatures\": \"rules/x.rules\","
			" \"output\": {\"eve\": \"eve.json\"}}\n");
	ck_assert_msg(tw_config_load(path, &c, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(c.path, path);
	ck_assert_str_eq(err.file, path);
	snprintf(want, sizeof(want), "%s/rules/x.rules", t.dir);
	ck_assert_str_eq(c.signatures, want);
	snprintf(want, sizeof(want), "%s/eve.json", t.dir);
	ck_assert_str_eq(c.eve, want);
	tw_config_free(&c);
	remove_tmp(&t);

	/* Absolute paths and stdout are kept; the default rules file sits
	 * next to the config.
	 */
	path = write_tmp(&t, "b.json", "{\"output\": {\"eve\": \"-\"}} // stdout\n");
	ck_assert_msg(tw_config_load(path, &c, &err) == 0, "%s", err.msg);
	snprintf(want, sizeof(want), "%s/signatures.rules", t.dir);
	ck_assert_str_eq(c.signatures, want);
	ck_assert_str_eq(c.eve, "");
	tw_config_free(&c);
	remove_tmp(&t);

	path = write_tmp(&t, "c.json", "{\"signatures\": \"/abs/s.rules\","
			" \"output\": {\"eve\": \"/abs/eve.json\"}}");
	ck_assert_msg(tw_config_load(path, &c, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(c.signatures, "/abs/s.rules");
	ck_assert_str_eq(c.eve, "/abs/eve.json");
	tw_config_free(&c);
	remove_tmp(&t);
}
END_TEST

/* A config named without a directory resolves against the current one. */
START_TEST(test_load_in_cwd)
{
	struct tmpdir t;
	struct tw_config c;
	struct tw_error err;
	char cwd[PATH_MAX];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	write_tmp(&t, "d.json", "{\"output\": {\"eve\": \"eve.json\"}}");
	ck_assert_int_eq(chdir(t.dir), 0);
	ck_assert_msg(tw_config_load("d.json", &c, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(c.signatures, "signatures.rules");
	ck_assert_str_eq(c.eve, "eve.json");
	ck_assert_str_eq(c.path, "d.json");
	tw_config_free(&c);
	remove_tmp(&t);
	/* Without fork (CK_FORK=no) later tests share the cwd. */
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_load_errors)
{
	struct tmpdir t;
	struct tw_config c;
	struct tw_error err;
	const char *path;

	ck_assert_int_eq(tw_config_load("/nonexistent/tapwatch.json", &c, &err), -ENOENT);
	ck_assert_int_eq(err.code, -ENOENT);
	ck_assert_str_eq(err.file, "/nonexistent/tapwatch.json");
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open the config file"));
	tw_config_free(&c);

	ck_assert_int_eq(tw_config_load("/tmp", &c, &err), -EISDIR);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot read the config file"));
	tw_config_free(&c);

	/* A syntax error in a file: file and line for "file:line: msg". */
	path = write_tmp(&t, "bad.json", "// header\n{\n  \"mode\": \"tap\"\n  \"flow\": {}\n}\n");
	ck_assert_int_eq(tw_config_load(path, &c, &err), -EINVAL);
	ck_assert_str_eq(err.file, path);
	ck_assert_uint_eq(err.line, 4);
	ck_assert_str_eq(c.path, "");
	tw_config_free(&c);
	remove_tmp(&t);

	/* Semantic error in a file: the key path, no line. */
	path = write_tmp(&t, "bad2.json", "{\n  \"flow\": {\"idle_timeout\": 0}\n}\n");
	ck_assert_int_eq(tw_config_load(path, &c, &err), -EINVAL);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "flow.idle_timeout"));
	tw_config_free(&c);
	remove_tmp(&t);
}
END_TEST

/* Files around the reader's 4 KiB first buffer and its growth. */
static const size_t file_sizes[] = { 2, 4095, 4096, 4097, 8192, 100000 };

START_TEST(test_load_sizes)
{
	size_t size = file_sizes[_i];
	struct tmpdir t;
	struct tw_config c;
	struct tw_error err;
	char *text;
	size_t i;

	/* "{" + comment lines + "\n}"; the last key proves the tail was read. */
	text = malloc(size + 1);
	ck_assert_ptr_nonnull(text);
	memset(text, ' ', size);
	text[0] = '{';
	for (i = 1; i + 64 < size; i += 64) {
		text[i] = '\n';
		text[i + 1] = '/';
		text[i + 2] = '/';
	}
	text[size - 1] = '}';
	text[size] = '\0';
	if (size > 32)
		memcpy(&text[size - 24], "\n\"mode\": \"inline\"", 17);
	write_tmp(&t, "s.json", text);
	free(text);
	ck_assert_msg(tw_config_load(t.path, &c, &err) == 0, "size %zu: %s", size, err.msg);
	ck_assert_int_eq(c.mode, size > 32 ? TW_MODE_INLINE : TW_MODE_TAP);
	tw_config_free(&c);
	remove_tmp(&t);
}
END_TEST

/* --- the committed conf/ files ------------------------------------------- */

static int
load_conf(const char *name, struct tw_config *c, char *dir, size_t dir_size)
{
	const char *root = getenv("TW_SOURCE_ROOT");
	struct tw_error err;
	char path[PATH_MAX];

	if (root == NULL || root[0] == '\0')
		return -1;
	snprintf(dir, dir_size, "%s/conf", root);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_msg(tw_config_load(path, c, &err) == 0, "%s:%u: %s", err.file, err.line,
			err.msg);
	return 0;
}

/* The reference config documents the defaults: its values must be them. */
START_TEST(test_reference_conf)
{
	struct tw_config c;
	char dir[PATH_MAX - 32];
	char want[PATH_MAX];

	if (load_conf("tapwatch.json", &c, dir, sizeof(dir)) < 0)
		return;
	ck_assert_int_eq(c.mode, TW_MODE_TAP);
	assert_defaults_scalars(&c);
	ck_assert_uint_eq(c.stats_interval_s, TW_CONFIG_DEF_STATS_INTERVAL_S);
	ck_assert_uint_eq(c.block_families, 0);
	snprintf(want, sizeof(want), "%s/%s", dir, TW_CONFIG_DEF_SIGNATURES);
	ck_assert_str_eq(c.signatures, want);
	ck_assert_str_eq(c.eve, "");
	ck_assert_uint_ge(c.nb_mds, 1);
	assert_default_family_ports(&c, 0);
	assert_no_tasks(&c);
	tw_config_free(&c);
}
END_TEST

static const struct {
	const char *a;
	const char *b;
	unsigned int family;
	int want;
} demo_flows[] = {
	{ "10.200.0.10", "10.1.0.5", TW_FAMILY_ETSI_X2X3, 0 },
	{ "10.1.0.5", "10.200.0.10", TW_FAMILY_ETSI_HI, 0 },
	{ "2001:db8:200::10", "2001:db8:1::5", TW_FAMILY_ETSI_HI, 0 },
	{ "10.200.0.10", "10.9.0.5", TW_FAMILY_ETSI_X2X3, -1 },
	{ "10.200.0.10", "10.1.0.5", TW_FAMILY_ERSPAN, -1 },
	{ "192.0.2.1", "10.200.0.20", TW_FAMILY_ERSPAN, 1 },
	{ "2001:db8:200::20", "2001:db8:ffff::1", TW_FAMILY_ERSPAN, 1 },
	{ "10.200.0.20", "10.1.0.5", TW_FAMILY_ETSI_X2X3, -1 },
	{ "10.200.0.30", "10.1.0.5", TW_FAMILY_ETSI_X2X3, -1 },
	{ "10.200.0.30", "10.1.0.5", TW_FAMILY_CISCO_TAP_MIB, 2 },
	{ "10.1.0.5", "10.200.0.40", TW_FAMILY_JMIRROR, 3 },
	{ "10.9.0.5", "10.200.0.40", TW_FAMILY_PACKETCABLE, -1 },
	{ "10.9.0.5", "10.200.0.20", TW_FAMILY_TZSP, 1 },
};

/* The demo inventory: the generator and the e2e tests rely on it. */
START_TEST(test_demo_conf)
{
	struct tw_config c;
	char dir[PATH_MAX - 32];
	char want[PATH_MAX];
	uint8_t a[16], b[16];
	unsigned int i;
	int v6;

	if (load_conf("demo.json", &c, dir, sizeof(dir)) < 0)
		return;
	ck_assert_int_eq(c.mode, TW_MODE_TAP);
	ck_assert_uint_eq(c.stats_interval_s, 0);
	ck_assert_str_eq(c.eve, "");
	snprintf(want, sizeof(want), "%s/signatures.rules", dir);
	ck_assert_str_eq(c.signatures, want);

	ck_assert_uint_eq(c.nb_mds, 4);
	ck_assert_str_eq(c.mds[0].name, "md-core");
	ck_assert_uint_eq(c.mds[0].nb_mediation, 2);
	assert_cidr(&c.mds[0].mediation[0], "10.200.0.10/32");
	assert_cidr(&c.mds[0].mediation[1], "2001:db8:200::10/128");
	ck_assert_uint_eq(c.mds[0].nb_elements, 2);
	assert_cidr(&c.mds[0].elements[0], "10.1.0.0/24");
	assert_cidr(&c.mds[0].elements[1], "2001:db8:1::/64");
	ck_assert_uint_eq(c.mds[0].families, FAM(ETSI_X2X3) | FAM(ETSI_HI));
	ck_assert_str_eq(c.mds[1].name, "md-mirror");
	ck_assert_uint_eq(c.mds[1].nb_mediation, 2);
	assert_cidr(&c.mds[1].mediation[0], "10.200.0.20/32");
	assert_cidr(&c.mds[1].mediation[1], "2001:db8:200::20/128");
	ck_assert_ptr_null(c.mds[1].elements);
	ck_assert_uint_eq(c.mds[1].families, FAM(ERSPAN) | FAM(TZSP) | FAM(RPCAP));
	ck_assert_str_eq(c.mds[2].name, "admf-1");
	assert_cidr(&c.mds[2].mediation[0], "10.200.0.30/32");
	ck_assert_uint_eq(c.mds[2].nb_elements, 2);
	ck_assert_uint_eq(c.mds[2].families,
			FAM(ETSI_X1) | FAM(CISCO_TAP_MIB) | FAM(JUNIPER_DTCP));
	ck_assert_str_eq(c.mds[3].name, "md-content");
	assert_cidr(&c.mds[3].mediation[1], "2001:db8:200::40/128");
	ck_assert_uint_eq(c.mds[3].families,
			FAM(PACKETCABLE) | FAM(JMIRROR) | FAM(REDBACK_LI));

	for (i = 0; i < RTE_DIM(demo_flows); i++) {
		v6 = strchr(demo_flows[i].a, ':') != NULL;
		ck_assert_int_eq(inet_pton(v6 ? AF_INET6 : AF_INET, demo_flows[i].a, a), 1);
		ck_assert_int_eq(inet_pton(v6 ? AF_INET6 : AF_INET, demo_flows[i].b, b), 1);
		ck_assert_msg(tw_policy_match(c.mds, c.nb_mds, v6 ? 6 : 4, a, b,
				demo_flows[i].family) == demo_flows[i].want,
				"demo flow %u: %s <-> %s", i, demo_flows[i].a, demo_flows[i].b);
	}
	tw_config_free(&c);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("lifecycle");
	tcase_add_test(tc, test_parse_invalid_args);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_free_null_zeroed_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(tc, test_bad_table, 0, RTE_DIM(bad_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("good");
	tcase_add_test(tc, test_full_config);
	tcase_add_loop_test(tc, test_good_table, 0, RTE_DIM(good_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("family-ports");
	tcase_add_test(tc, test_family_ports);
	tcase_add_test(tc, test_family_ports_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("tasks");
	tcase_add_test(tc, test_tasks);
	tcase_add_loop_test(tc, test_tasks_presence, 0, RTE_DIM(tasks_presence));
	tcase_add_test(tc, test_tasks_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_load_relative_paths);
	tcase_add_test(tc, test_load_in_cwd);
	tcase_add_loop_test(tc, test_load_sizes, 0, RTE_DIM(file_sizes));
	tcase_add_test(tc, test_reference_conf);
	tcase_add_test(tc, test_demo_conf);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
