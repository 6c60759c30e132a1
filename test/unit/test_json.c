/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests of the EVE JSON encoder. EAL-free: Check's default fork mode.
 *
 * Every alert is also parsed back with json_loads(), which rejects invalid
 * UTF-8, so "it loads" is itself a check of the escaping. Set
 * TW_JSON_EVE_OUT=<file> to append every alert line the tests build to a file,
 * for scripts/eve-check.py.
 */

#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include <rte_errno.h>

#include "tw_json.h"

#define LINE_CAP 8192

/* Suricata's etc/schema.json "timestamp" pattern, in POSIX ERE. */
#define TS_PATTERN "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]+[+-][0-9]+$"

/* 2026-01-01T00:00:01.000250 UTC */
#define TS_2026 ((1767225600ULL + 1) * 1000000000ULL + 250000ULL)

static void
emit_line(const char *line)
{
	const char *path = getenv("TW_JSON_EVE_OUT");
	FILE *f;

	if (path == NULL || path[0] == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL)
		return;
	fputs(line, f);
	fclose(f);
}

static void
ts_check_pattern(const char *ts)
{
	regex_t re;

	ck_assert_int_eq(regcomp(&re, TS_PATTERN, REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, ts, 0, NULL, 0) == 0, "\"%s\" does not match", ts);
	regfree(&re);
}

/* An unauthorized X2/X3 alert over TCP, as in the README example. */
static void
alert_base(struct tw_alert *a)
{
	static const uint8_t src[4] = { 10, 1, 0, 21 };
	static const uint8_t dst[4] = { 10, 200, 0, 10 };

	memset(a, 0, sizeof(*a));
	a->ts_ns = TS_2026;
	a->flow_id = 1234;
	memcpy(a->src, src, sizeof(src));
	memcpy(a->dst, dst, sizeof(dst));
	a->sport = 40000;
	a->dport = 50001;
	a->l3 = 4;
	a->proto = 6;
	a->family = TW_FAMILY_ETSI_X2X3;
	a->severity = 1;
	a->action = TW_ALERT_ALLOWED;
	a->sig_id = 1000001;
	a->sig_rev = 1;
	snprintf(a->sig_name, sizeof(a->sig_name), "ETSI X2/X3 PDU header");
}

static void
alert_x2x3(struct tw_alert *a)
{
	static const uint8_t xid[16] = {
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
		0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	};
	struct tw_li_x2x3 *x = &a->detail.x2x3;

	alert_base(a);
	a->detail.kind = TW_LI_KIND_X2X3;
	memcpy(x->xid, xid, sizeof(xid));
	x->version_major = 0;
	x->version_minor = 5;
	x->pdu_type = 2;
	x->payload_format = 5;
	x->payload_direction = 3;
	x->header_len = 40;
	x->payload_len = 60;
	x->nb_pdus = 3;
}

static void
alert_hi(struct tw_alert *a)
{
	static const uint8_t dst6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	};
	static const uint8_t src6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21,
	};
	struct tw_li_hi *h = &a->detail.hi;

	alert_base(a);
	a->l3 = 6;
	memcpy(a->src, src6, sizeof(src6));
	memcpy(a->dst, dst6, sizeof(dst6));
	a->family = TW_FAMILY_ETSI_HI;
	a->authorized = 1;
	a->severity = 3;
	a->sig_id = 1000101;
	a->sig_rev = 2;
	snprintf(a->sig_name, sizeof(a->sig_name), "ETSI TS 102 232 PS-PDU");
	snprintf(a->md_name, sizeof(a->md_name), "md-core");
	a->detail.kind = TW_LI_KIND_HI;
	memcpy(h->liid, "LIID-4711", 9);
	h->liid_len = 9;
	snprintf(h->domain_oid, sizeof(h->domain_oid), "0.4.0.2.2.5.1.17");
	snprintf(h->record, sizeof(h->record), "ps-pdu");
	snprintf(h->payload, sizeof(h->payload), "iri");
	h->sequence = 4000000000U;
}

static void
alert_erspan(struct tw_alert *a, uint8_t type)
{
	static const uint8_t src[4] = { 192, 0, 2, 1 };
	static const uint8_t dst[4] = { 198, 51, 100, 7 };
	struct tw_li_erspan *e = &a->detail.erspan;

	alert_base(a);
	memcpy(a->src, src, sizeof(src));
	memcpy(a->dst, dst, sizeof(dst));
	a->proto = 47;
	a->sport = 0;
	a->dport = 0;
	a->vlan = 100;
	a->family = TW_FAMILY_ERSPAN;
	a->severity = 2;
	a->action = TW_ALERT_BLOCKED;
	a->sig_id = 1000301;
	snprintf(a->sig_name, sizeof(a->sig_name), "ERSPAN type %u", type);
	a->detail.kind = TW_LI_KIND_ERSPAN;
	e->type = type;
	e->session_id = 100;
	e->vlan = 23;
	if (type == 2) {
		e->gre_proto = 0x88be;
		e->index = 0x12345;
	} else {
		e->gre_proto = 0x22eb;
		e->frame_type = 2;
	}
	e->inner_ethertype = 0x0800;
}

/* Encode @p a as a line, check its framing, parse it back. */
static json_t *
line_load(const struct tw_alert *a, char *line, size_t cap)
{
	json_error_t err;
	json_t *o;
	int n;

	n = tw_json_alert_line(a, line, cap);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(line), (size_t)n);
	ck_assert_int_eq(line[n - 1], '\n');
	ck_assert_ptr_null(memchr(line, '\n', (size_t)n - 1));
	ck_assert_msg(strncmp(line, "{\"timestamp\":\"", 14) == 0, "timestamp not first: %s", line);
	emit_line(line);

	o = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &err);
	ck_assert_msg(o != NULL, "json_loads: %s: %s", err.text, line);
	ck_assert(json_is_object(o));
	return o;
}

static json_t *
alert_load(const struct tw_alert *a)
{
	char line[LINE_CAP];

	return line_load(a, line, sizeof(line));
}

static const char *
get_str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_string(v), "\"%s\" is not a string", key);
	return json_string_value(v);
}

static json_int_t
get_int(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

static json_t *
get_obj(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_object(v), "\"%s\" is not an object", key);
	return v;
}

/* The common header and "alert" object of alert_base(). */
static void
check_header(const json_t *o, const char *src_ip, const char *dest_ip)
{
	ck_assert_str_eq(get_str(o, "timestamp"), "2026-01-01T00:00:01.000250+0000");
	ck_assert_int_eq(get_int(o, "flow_id"), 1234);
	ck_assert_str_eq(get_str(o, "event_type"), "alert");
	ck_assert_str_eq(get_str(o, "src_ip"), src_ip);
	ck_assert_str_eq(get_str(o, "dest_ip"), dest_ip);
}

/* ---- arguments ---------------------------------------------------------- */

START_TEST(test_args_null)
{
	struct tw_alert a;
	char buf[64];

	alert_base(&a);
	ck_assert_int_eq(tw_json_format_ts(0, NULL, 64), -EINVAL);

	rte_errno = 0;
	ck_assert_ptr_null(tw_json_alert(NULL));
	ck_assert_int_eq(rte_errno, EINVAL);

	ck_assert_int_eq(tw_json_alert_line(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(tw_json_alert_line(&a, NULL, 0), -EINVAL);

	/* format_ip: NULL buffer is a no-op, NULL address gives "" */
	tw_json_format_ip(4, a.src, NULL, 64);
	strcpy(buf, "x");
	tw_json_format_ip(4, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");

	/* proto_name: known names need no buffer, numbers do */
	ck_assert_str_eq(tw_json_proto_name(6, NULL, 0), "TCP");
	ck_assert_ptr_null(tw_json_proto_name(200, NULL, 0));
}
END_TEST

START_TEST(test_args_invalid)
{
	char buf[64];

	strcpy(buf, "x");
	tw_json_format_ip(5, (const uint8_t *)"\x0a\x00\x00\x01", buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	strcpy(buf, "x");
	tw_json_format_ip(0, (const uint8_t *)"\x0a\x00\x00\x01", buf, sizeof(buf));
	ck_assert_str_eq(buf, "");

	/* "200" needs 4 bytes */
	ck_assert_ptr_null(tw_json_proto_name(200, buf, 3));
	ck_assert_str_eq(buf, "");
	ck_assert_str_eq(tw_json_proto_name(200, buf, 4), "200");
}
END_TEST

/* ---- timestamps --------------------------------------------------------- */

static const struct {
	uint64_t ts_ns;
	const char *text;
} ts_cases[] = {
	{ 0, "1970-01-01T00:00:00.000000+0000" },
	{ 999, "1970-01-01T00:00:00.000000+0000" },	/* < 1 us */
	{ 1000, "1970-01-01T00:00:00.000001+0000" },
	{ TS_2026, "2026-01-01T00:00:01.000250+0000" },
	/* microseconds are truncated, not rounded */
	{ TS_2026 + 999, "2026-01-01T00:00:01.000250+0000" },
	{ 1767225600ULL * 1000000000ULL - 1, "2025-12-31T23:59:59.999999+0000" },
	/* leap years: 2024-02-29, 2000-02-29 (divisible by 400) */
	{ (1709164800ULL + 86399) * 1000000000ULL + 999999999ULL,
		"2024-02-29T23:59:59.999999+0000" },
	{ 1709251200ULL * 1000000000ULL, "2024-03-01T00:00:00.000000+0000" },
	{ 951782400ULL * 1000000000ULL + 123456789ULL, "2000-02-29T00:00:00.123456+0000" },
	/* 1900 and 2100 are not leap years: 2100-02-28 + 1 day = 03-01 */
	{ (4107456000ULL + 86400) * 1000000000ULL, "2100-03-01T00:00:00.000000+0000" },
	{ UINT64_MAX, "2554-07-21T23:34:33.709551+0000" },
};

START_TEST(test_ts_format)
{
	char buf[64];
	unsigned int i;
	int n;

	for (i = 0; i < RTE_DIM(ts_cases); i++) {
		n = tw_json_format_ts(ts_cases[i].ts_ns, buf, sizeof(buf));
		ck_assert_int_eq(n, 31);
		ck_assert_str_eq(buf, ts_cases[i].text);
		ts_check_pattern(buf);
	}
}
END_TEST

START_TEST(test_ts_cap)
{
	char buf[32];

	ck_assert_int_eq(tw_json_format_ts(TS_2026, buf, 32), 31);
	ck_assert_str_eq(buf, "2026-01-01T00:00:01.000250+0000");

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(tw_json_format_ts(TS_2026, buf, 31), -ENOSPC);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(tw_json_format_ts(TS_2026, buf, 1), -ENOSPC);
	ck_assert_int_eq(tw_json_format_ts(TS_2026, buf, 0), -ENOSPC);
}
END_TEST

/* ---- addresses and protocols -------------------------------------------- */

START_TEST(test_ip_format)
{
	static const uint8_t v4[16] = { 10, 200, 0, 10 };
	static const uint8_t v6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	};
	static const uint8_t v6_mapped[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1,
	};
	static const uint8_t v6_full[16] = {
		0xfe, 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
		0xde, 0xf0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
	};
	char buf[46];
	char small[8];

	tw_json_format_ip(4, v4, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.200.0.10");
	tw_json_format_ip(6, v6, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8::1");
	tw_json_format_ip(6, v6_mapped, buf, sizeof(buf));
	ck_assert_str_eq(buf, "::ffff:192.0.2.1");
	tw_json_format_ip(6, v6_full, buf, sizeof(buf));
	ck_assert_str_eq(buf, "fe80:1234:5678:9abc:def0:1122:3344:5566");

	/* too small: empty, never a truncated address */
	tw_json_format_ip(4, v4, small, sizeof(small));
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_proto_names)
{
	static const struct {
		uint8_t proto;
		const char *name;
	} cases[] = {
		{ 1, "ICMP" }, { 6, "TCP" }, { 17, "UDP" }, { 47, "GRE" },
		{ 58, "IPv6-ICMP" }, { 132, "SCTP" },
		{ 0, "0" }, { 2, "2" }, { 50, "50" }, { 255, "255" },
	};
	char buf[8];
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++)
		ck_assert_str_eq(tw_json_proto_name(cases[i].proto, buf, sizeof(buf)),
				cases[i].name);
}
END_TEST

/* ---- alerts ------------------------------------------------------------- */

START_TEST(test_alert_x2x3)
{
	struct tw_alert a;
	json_t *o, *al, *li, *x;

	alert_x2x3(&a);
	o = alert_load(&a);
	check_header(o, "10.1.0.21", "10.200.0.10");
	ck_assert_int_eq(get_int(o, "src_port"), 40000);
	ck_assert_int_eq(get_int(o, "dest_port"), 50001);
	ck_assert_str_eq(get_str(o, "proto"), "TCP");
	ck_assert_ptr_null(json_object_get(o, "vlan"));

	al = get_obj(o, "alert");
	ck_assert_str_eq(get_str(al, "action"), "allowed");
	ck_assert_int_eq(get_int(al, "gid"), 1);
	ck_assert_int_eq(get_int(al, "signature_id"), 1000001);
	ck_assert_int_eq(get_int(al, "rev"), 1);
	ck_assert_str_eq(get_str(al, "signature"), "ETSI X2/X3 PDU header");
	ck_assert_str_eq(get_str(al, "category"), "Unauthorized lawful intercept");
	ck_assert_int_eq(get_int(al, "severity"), 1);
	ck_assert_uint_eq(json_object_size(al), 7);

	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "etsi-x2x3");
	ck_assert(json_is_false(json_object_get(li, "authorized")));
	ck_assert(json_is_null(json_object_get(li, "mediation_device")));
	ck_assert_uint_eq(json_object_size(li), 4);

	x = get_obj(li, "x2x3");
	ck_assert_str_eq(get_str(x, "xid"), "12345678-9abc-4def-8001-020304050607");
	ck_assert_str_eq(get_str(x, "pdu_type"), "x3");
	ck_assert_int_eq(get_int(x, "pdu_type_id"), 2);
	ck_assert_int_eq(get_int(x, "payload_format"), 5);
	ck_assert_str_eq(get_str(x, "payload_format_name"), "ipv4");
	ck_assert_str_eq(get_str(x, "payload_direction"), "from-target");
	ck_assert_str_eq(get_str(x, "version"), "0.5");
	ck_assert_int_eq(get_int(x, "pdus"), 3);
	ck_assert_uint_eq(json_object_size(x), 8);
	json_decref(o);
}
END_TEST

START_TEST(test_alert_x2x3_names)
{
	static const char *const formats[] = {
		"reserved", "etsi-102232", "3gpp-33128", "3gpp-33108", "proprietary",
		"ipv4", "ipv6", "ethernet", "rtp", "sip", "dhcp", "radius", "gtp-u",
		"msrp", "eps-iri", "mime", "unstructured", "unknown", "unknown",
	};
	static const char *const dirs[] = {
		"reserved", "unknown", "to-target", "from-target", "multiple",
		"not-applicable", "reserved",
	};
	static const char *const types[] = {
		"unknown", "x2", "x3", "keepalive", "keepalive-ack", "unknown",
	};
	struct tw_alert a;
	unsigned int i;
	json_t *o, *x;

	alert_x2x3(&a);
	for (i = 0; i < RTE_DIM(formats); i++) {
		a.detail.x2x3.payload_format = i < 18 ? i : 0xffff;
		a.detail.x2x3.payload_direction = i < RTE_DIM(dirs) ? i : 1;
		a.detail.x2x3.pdu_type = i < RTE_DIM(types) ? i : 1;
		o = alert_load(&a);
		x = get_obj(get_obj(o, "li"), "x2x3");
		ck_assert_str_eq(get_str(x, "payload_format_name"), formats[i]);
		ck_assert_int_eq(get_int(x, "payload_format"), a.detail.x2x3.payload_format);
		if (i < RTE_DIM(dirs))
			ck_assert_str_eq(get_str(x, "payload_direction"), dirs[i]);
		if (i < RTE_DIM(types)) {
			ck_assert_str_eq(get_str(x, "pdu_type"), types[i]);
			ck_assert_int_eq(get_int(x, "pdu_type_id"), i);
		}
		json_decref(o);
	}

	/* keepalive: all-zero XID, version 1.1 */
	memset(a.detail.x2x3.xid, 0, sizeof(a.detail.x2x3.xid));
	a.detail.x2x3.version_major = 1;
	a.detail.x2x3.version_minor = 1;
	o = alert_load(&a);
	x = get_obj(get_obj(o, "li"), "x2x3");
	ck_assert_str_eq(get_str(x, "xid"), "00000000-0000-0000-0000-000000000000");
	ck_assert_str_eq(get_str(x, "version"), "1.1");
	json_decref(o);
}
END_TEST

START_TEST(test_alert_hi)
{
	struct tw_alert a;
	json_t *o, *al, *li, *h;

	alert_hi(&a);
	o = alert_load(&a);
	check_header(o, "2001:db8::21", "2001:db8::10");
	ck_assert_str_eq(get_str(o, "proto"), "TCP");
	al = get_obj(o, "alert");
	ck_assert_str_eq(get_str(al, "category"), "Authorized lawful intercept");
	ck_assert_int_eq(get_int(al, "severity"), 3);
	ck_assert_int_eq(get_int(al, "rev"), 2);

	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "etsi-hi");
	ck_assert(json_is_true(json_object_get(li, "authorized")));
	ck_assert_str_eq(get_str(li, "mediation_device"), "md-core");

	h = get_obj(li, "hi");
	ck_assert_str_eq(get_str(h, "liid"), "LIID-4711");
	ck_assert_ptr_null(json_object_get(h, "liid_hex"));
	ck_assert(json_is_false(json_object_get(h, "liid_truncated")));
	ck_assert_str_eq(get_str(h, "domain_oid"), "0.4.0.2.2.5.1.17");
	ck_assert_str_eq(get_str(h, "record"), "ps-pdu");
	ck_assert_str_eq(get_str(h, "payload"), "iri");
	ck_assert_int_eq(get_int(h, "sequence"), 4000000000LL);
	json_decref(o);

	/* HI2 records have no PS-PDU payload: key omitted */
	snprintf(a.detail.hi.record, sizeof(a.detail.hi.record), "hi2-begin");
	memset(a.detail.hi.payload, 0, sizeof(a.detail.hi.payload));
	o = alert_load(&a);
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_str_eq(get_str(h, "record"), "hi2-begin");
	ck_assert_ptr_null(json_object_get(h, "payload"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_erspan)
{
	struct tw_alert a;
	json_t *o, *v, *e;

	alert_erspan(&a, 2);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(o, "proto"), "GRE");
	ck_assert_ptr_null(json_object_get(o, "src_port"));
	ck_assert_ptr_null(json_object_get(o, "dest_port"));
	ck_assert_str_eq(get_str(o, "src_ip"), "192.0.2.1");
	ck_assert_str_eq(get_str(o, "dest_ip"), "198.51.100.7");
	v = json_object_get(o, "vlan");
	ck_assert(json_is_array(v));
	ck_assert_uint_eq(json_array_size(v), 1);
	ck_assert_int_eq(json_integer_value(json_array_get(v, 0)), 100);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "action"), "blocked");
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "erspan");

	e = get_obj(get_obj(o, "li"), "erspan");
	ck_assert_int_eq(get_int(e, "type"), 2);
	ck_assert_int_eq(get_int(e, "session_id"), 100);
	ck_assert_int_eq(get_int(e, "vlan"), 23);
	ck_assert_int_eq(get_int(e, "index"), 0x12345);
	ck_assert_ptr_null(json_object_get(e, "frame_type"));
	ck_assert_str_eq(get_str(e, "gre_proto"), "0x88be");
	json_decref(o);

	alert_erspan(&a, 3);
	o = alert_load(&a);
	e = get_obj(get_obj(o, "li"), "erspan");
	ck_assert_int_eq(get_int(e, "type"), 3);
	ck_assert_int_eq(get_int(e, "frame_type"), 2);
	ck_assert_ptr_null(json_object_get(e, "index"));
	ck_assert_str_eq(get_str(e, "gre_proto"), "0x22eb");
	json_decref(o);
}
END_TEST

START_TEST(test_alert_none)
{
	struct tw_alert a;
	json_t *o, *li;

	alert_base(&a);
	a.family = TW_FAMILY_TZSP;
	a.proto = 17;
	a.sport = 37008;
	a.dport = 37008;
	a.detail.kind = TW_LI_KIND_NONE;
	o = alert_load(&a);
	ck_assert_str_eq(get_str(o, "proto"), "UDP");
	ck_assert_int_eq(get_int(o, "src_port"), 37008);
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "tzsp");
	ck_assert_uint_eq(json_object_size(li), 3);
	json_decref(o);

	/* unknown kind and family: still an alert, no detail */
	a.detail.kind = 200;
	a.family = 250;
	o = alert_load(&a);
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "unknown");
	ck_assert_uint_eq(json_object_size(li), 3);
	json_decref(o);
}
END_TEST

START_TEST(test_alert_ports_vlan)
{
	static const struct {
		uint8_t proto;
		bool ports;
		const char *name;
	} cases[] = {
		{ 6, true, "TCP" }, { 17, true, "UDP" }, { 132, true, "SCTP" },
		{ 47, false, "GRE" }, { 1, false, "ICMP" }, { 58, false, "IPv6-ICMP" },
		{ 50, false, "50" },
	};
	struct tw_alert a;
	unsigned int i;
	json_t *o;

	alert_base(&a);
	for (i = 0; i < RTE_DIM(cases); i++) {
		a.proto = cases[i].proto;
		a.vlan = i == 0 ? 0 : (uint16_t)(i * 1000);
		o = alert_load(&a);
		ck_assert_str_eq(get_str(o, "proto"), cases[i].name);
		ck_assert((json_object_get(o, "src_port") != NULL) == cases[i].ports);
		ck_assert((json_object_get(o, "dest_port") != NULL) == cases[i].ports);
		if (a.vlan == 0) {
			ck_assert_ptr_null(json_object_get(o, "vlan"));
		} else {
			json_t *v = json_object_get(o, "vlan");

			ck_assert(json_is_array(v));
			ck_assert_int_eq(json_integer_value(json_array_get(v, 0)), a.vlan);
		}
		json_decref(o);
	}

	/* not IP (l3 0): no addresses rather than empty strings */
	a.l3 = 0;
	o = alert_load(&a);
	ck_assert_ptr_null(json_object_get(o, "src_ip"));
	ck_assert_ptr_null(json_object_get(o, "dest_ip"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_key_order)
{
	static const char *const keys[] = {
		"timestamp", "flow_id", "event_type", "vlan", "src_ip", "src_port",
		"dest_ip", "dest_port", "proto", "alert", "li",
	};
	struct tw_alert a;
	const char *key;
	unsigned int i = 0;
	json_t *o, *v;

	alert_erspan(&a, 2);
	a.proto = 17;
	o = alert_load(&a);
	json_object_foreach(o, key, v) {
		ck_assert_uint_lt(i, RTE_DIM(keys));
		ck_assert_str_eq(key, keys[i]);
		i++;
	}
	ck_assert_uint_eq(i, RTE_DIM(keys));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_flow_id_u64)
{
	struct tw_alert a;
	json_t *o;

	alert_base(&a);
	a.flow_id = UINT64_MAX;
	o = alert_load(&a);
	ck_assert_uint_eq((uint64_t)get_int(o, "flow_id"), UINT64_MAX);
	json_decref(o);
}
END_TEST

/* ---- untrusted strings -------------------------------------------------- */

START_TEST(test_liid_escape)
{
	static const uint8_t liid[] = {
		'A', '"', 'B', '\\', 'C', 0x00, 'D', 0xff, 0xc3, 0xa9, '\n', 0x7f, 'x',
	};
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o, *h;
	size_t i;

	alert_hi(&a);
	memcpy(a.detail.hi.liid, liid, sizeof(liid));
	a.detail.hi.liid_len = sizeof(liid);
	o = line_load(&a, line, sizeof(line));
	h = get_obj(get_obj(o, "li"), "hi");
	/* printable bytes kept ('"' and '\' included), the rest as \xHH text */
	ck_assert_str_eq(get_str(h, "liid"), "A\"B\\C\\x00D\\xff\\xc3\\xa9\\x0a\\x7fx");
	ck_assert_str_eq(get_str(h, "liid_hex"), "4122425c430044ffc3a90a7f78");
	ck_assert_uint_eq(json_string_length(json_object_get(h, "liid")),
			strlen(json_string_value(json_object_get(h, "liid"))));
	/* the encoded line is plain ASCII */
	for (i = 0; line[i] != '\0'; i++)
		ck_assert_uint_lt((unsigned char)line[i], 0x80);
	json_decref(o);
}
END_TEST

START_TEST(test_liid_max)
{
	struct tw_alert a;
	char expect[TW_LI_STR_MAX + 1];
	json_t *o, *h;

	alert_hi(&a);
	memset(a.detail.hi.liid, 'L', TW_LI_STR_MAX);
	memset(expect, 'L', TW_LI_STR_MAX);
	expect[TW_LI_STR_MAX] = '\0';
	a.detail.hi.liid_len = TW_LI_STR_MAX;
	a.detail.hi.liid_truncated = 1;
	o = alert_load(&a);
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_str_eq(get_str(h, "liid"), expect);
	ck_assert(json_is_true(json_object_get(h, "liid_truncated")));
	ck_assert_ptr_null(json_object_get(h, "liid_hex"));
	json_decref(o);

	/* a length above the array is clamped, never read past it */
	a.detail.hi.liid_len = 200;
	o = alert_load(&a);
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_str_eq(get_str(h, "liid"), expect);
	json_decref(o);

	/* 64 non-printable bytes: 256 characters of escapes, 128 of hex */
	memset(a.detail.hi.liid, 0x80, TW_LI_STR_MAX);
	a.detail.hi.liid_len = TW_LI_STR_MAX;
	o = alert_load(&a);
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_uint_eq(strlen(get_str(h, "liid")), 4 * TW_LI_STR_MAX);
	ck_assert_uint_eq(strlen(get_str(h, "liid_hex")), 2 * TW_LI_STR_MAX);
	json_decref(o);

	/* empty LIID */
	a.detail.hi.liid_len = 0;
	a.detail.hi.liid_truncated = 0;
	o = alert_load(&a);
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_str_eq(get_str(h, "liid"), "");
	json_decref(o);
}
END_TEST

START_TEST(test_unterminated_arrays)
{
	struct tw_alert a;
	json_t *o, *h, *li;

	alert_hi(&a);
	/* no NUL anywhere: every array must be read up to its size only */
	memset(a.sig_name, 'S', sizeof(a.sig_name));
	memset(a.md_name, 'M', sizeof(a.md_name));
	memset(a.detail.hi.domain_oid, '1', sizeof(a.detail.hi.domain_oid));
	memset(a.detail.hi.record, 'r', sizeof(a.detail.hi.record));
	memset(a.detail.hi.payload, 'p', sizeof(a.detail.hi.payload));
	o = alert_load(&a);
	ck_assert_uint_eq(strlen(get_str(get_obj(o, "alert"), "signature")), TW_SIG_NAME_MAX);
	li = get_obj(o, "li");
	ck_assert_uint_eq(strlen(get_str(li, "mediation_device")), TW_POLICY_NAME_MAX);
	h = get_obj(li, "hi");
	ck_assert_uint_eq(strlen(get_str(h, "domain_oid")), sizeof(a.detail.hi.domain_oid));
	ck_assert_uint_eq(strlen(get_str(h, "record")), sizeof(a.detail.hi.record));
	ck_assert_uint_eq(strlen(get_str(h, "payload")), sizeof(a.detail.hi.payload));
	json_decref(o);
}
END_TEST

START_TEST(test_names_utf8)
{
	struct tw_alert a;
	json_t *o, *h;

	alert_hi(&a);
	/* valid UTF-8 in our own names is kept */
	snprintf(a.sig_name, sizeof(a.sig_name), "\xc3\x9c" "berwachung \"LI\" \\ tab\t");
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "signature"),
			"\xc3\x9c" "berwachung \"LI\" \\ tab\t");
	json_decref(o);

	/* invalid UTF-8 is escaped instead of losing the alert */
	snprintf(a.sig_name, sizeof(a.sig_name), "bad \xff\xfe name");
	snprintf(a.md_name, sizeof(a.md_name), "md\xc3");
	/* packet-derived text in our fixed arrays is escaped too */
	snprintf(a.detail.hi.domain_oid, sizeof(a.detail.hi.domain_oid), "0.4\x01\xe9");
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "signature"), "bad \\xff\\xfe name");
	ck_assert_str_eq(get_str(get_obj(o, "li"), "mediation_device"), "md\\xc3");
	h = get_obj(get_obj(o, "li"), "hi");
	ck_assert_str_eq(get_str(h, "domain_oid"), "0.4\\x01\\xe9");
	json_decref(o);
}
END_TEST

/* ---- line framing and failures ------------------------------------------ */

START_TEST(test_line_enospc)
{
	struct tw_alert a;
	char line[LINE_CAP];
	char small[LINE_CAP];
	int n;

	alert_x2x3(&a);
	n = tw_json_alert_line(&a, line, sizeof(line));
	ck_assert_int_gt(n, 0);

	/* exactly enough: line + NUL */
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(tw_json_alert_line(&a, small, (size_t)n + 1), n);
	ck_assert_str_eq(small, line);

	/* one byte short: no room for the NUL, or for the newline */
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(tw_json_alert_line(&a, small, (size_t)n), -ENOSPC);
	ck_assert_int_eq(small[0], '\0');
	ck_assert_int_eq(tw_json_alert_line(&a, small, (size_t)n - 1), -ENOSPC);
	ck_assert_int_eq(tw_json_alert_line(&a, small, 16), -ENOSPC);
	ck_assert_int_eq(tw_json_alert_line(&a, small, 0), -ENOSPC);
}
END_TEST

/* Worst case: every untrusted string at its maximum, fully escaped. */
START_TEST(test_line_worst_case)
{
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o;
	int n;

	alert_hi(&a);
	memset(a.sig_name, 0x01, sizeof(a.sig_name));	/* valid UTF-8, "\u0001" */
	memset(a.md_name, 0x01, sizeof(a.md_name));
	memset(a.detail.hi.liid, 0xff, sizeof(a.detail.hi.liid));
	a.detail.hi.liid_len = TW_LI_STR_MAX;
	memset(a.detail.hi.domain_oid, 0xff, sizeof(a.detail.hi.domain_oid));
	memset(a.detail.hi.record, 0xff, sizeof(a.detail.hi.record));
	memset(a.detail.hi.payload, 0xff, sizeof(a.detail.hi.payload));
	a.flow_id = UINT64_MAX;
	a.vlan = 4095;
	n = tw_json_alert_line(&a, line, sizeof(line));
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, 4096);	/* app/exporter.c uses 8192 */
	o = line_load(&a, line, sizeof(line));
	json_decref(o);
}
END_TEST

/* A jansson allocator that fails after a budget, counting live blocks. */
static long alloc_budget = -1;
static long alloc_live;

static void *
budget_malloc(size_t size)
{
	void *p;

	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	p = malloc(size);
	if (p != NULL)
		alloc_live++;
	return p;
}

static void
budget_free(void *p)
{
	if (p == NULL)
		return;
	alloc_live--;
	free(p);
}

/*
 * Fail the 1st, 2nd, ... allocation of an encode until it succeeds: each
 * failure must return -ENOMEM / NULL and leave nothing allocated.
 */
static void
sweep_nomem(const struct tw_alert *a)
{
	char line[LINE_CAP];
	unsigned int nb_fail = 0;
	long budget;
	json_t *o;
	int n;

	json_set_alloc_funcs(budget_malloc, budget_free);
	for (budget = 0; budget < 10000; budget++) {
		alloc_live = 0;
		alloc_budget = budget;
		n = tw_json_alert_line(a, line, sizeof(line));
		ck_assert_msg(alloc_live == 0, "budget %ld: %ld blocks leaked", budget, alloc_live);
		if (n > 0)
			break;
		ck_assert_int_eq(n, -ENOMEM);
		nb_fail++;
	}
	ck_assert_uint_gt(nb_fail, 10);
	ck_assert_int_gt(n, 0);

	for (budget = 0; budget < 10000; budget++) {
		alloc_live = 0;
		alloc_budget = budget;
		rte_errno = 0;
		o = tw_json_alert(a);
		if (o != NULL) {
			json_decref(o);
			ck_assert_int_eq(alloc_live, 0);
			break;
		}
		ck_assert_int_eq(rte_errno, ENOMEM);
		ck_assert_msg(alloc_live == 0, "budget %ld: %ld blocks leaked", budget, alloc_live);
	}
	ck_assert_ptr_nonnull(o);
	alloc_budget = -1;
	json_set_alloc_funcs(malloc, free);
}

START_TEST(test_nomem)
{
	struct tw_alert a;

	alert_x2x3(&a);
	a.vlan = 7;
	sweep_nomem(&a);

	alert_hi(&a);
	a.detail.hi.liid[0] = 0xff;	/* adds liid_hex */
	snprintf(a.sig_name, sizeof(a.sig_name), "bad \xff");	/* fallback path */
	sweep_nomem(&a);

	alert_erspan(&a, 2);
	sweep_nomem(&a);
	alert_erspan(&a, 3);
	sweep_nomem(&a);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc;

	tc = tcase_create("args");
	tcase_add_test(tc, test_args_null);
	tcase_add_test(tc, test_args_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("timestamp");
	tcase_add_test(tc, test_ts_format);
	tcase_add_test(tc, test_ts_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("address");
	tcase_add_test(tc, test_ip_format);
	tcase_add_test(tc, test_proto_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("alert");
	tcase_add_test(tc, test_alert_x2x3);
	tcase_add_test(tc, test_alert_x2x3_names);
	tcase_add_test(tc, test_alert_hi);
	tcase_add_test(tc, test_alert_erspan);
	tcase_add_test(tc, test_alert_none);
	tcase_add_test(tc, test_alert_ports_vlan);
	tcase_add_test(tc, test_alert_key_order);
	tcase_add_test(tc, test_alert_flow_id_u64);
	suite_add_tcase(s, tc);

	tc = tcase_create("untrusted");
	tcase_add_test(tc, test_liid_escape);
	tcase_add_test(tc, test_liid_max);
	tcase_add_test(tc, test_unterminated_arrays);
	tcase_add_test(tc, test_names_utf8);
	suite_add_tcase(s, tc);

	tc = tcase_create("line");
	tcase_add_test(tc, test_line_enospc);
	tcase_add_test(tc, test_line_worst_case);
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(json_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
