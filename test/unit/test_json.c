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

/* Copy a C string (possibly with hostile bytes) into a fixed char array. */
static void
put(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

#define PUT(arr, src) put((arr), sizeof(arr), (src))

/* The copied subscriber packet: IPv4 UDP 10.9.0.5:5060 -> 192.0.2.50:5062. */
static void
inner_v4_udp(struct tw_li_inner *in)
{
	static const uint8_t src[4] = { 10, 9, 0, 5 };
	static const uint8_t dst[4] = { 192, 0, 2, 50 };

	memset(in, 0, sizeof(*in));
	in->l3 = 4;
	in->proto = 17;
	in->sport = 5060;
	in->dport = 5062;
	memcpy(in->src, src, sizeof(src));
	memcpy(in->dst, dst, sizeof(dst));
}

/* IPv6 TCP 2001:db8:1::5:443 -> 2001:db8:2::9:51000 on VLAN 10. */
static void
inner_v6_tcp(struct tw_li_inner *in)
{
	static const uint8_t src[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5,
	};
	static const uint8_t dst[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9,
	};

	memset(in, 0, sizeof(*in));
	in->l3 = 6;
	in->proto = 6;
	in->sport = 443;
	in->dport = 51000;
	in->vlan = 10;
	memcpy(in->src, src, sizeof(src));
	memcpy(in->dst, dst, sizeof(dst));
}

/* Largest inner object: full-width IPv6 addresses, ports, VLAN. */
static void
inner_max(struct tw_li_inner *in)
{
	memset(in, 0, sizeof(*in));
	in->l3 = 6;
	in->proto = 132;
	in->sport = 65535;
	in->dport = 65535;
	in->vlan = 4095;
	memset(in->src, 0xfe, sizeof(in->src));
	memset(in->dst, 0xfe, sizeof(in->dst));
}

/* ETSI X1 in clear over HTTP, from an authorized administration function. */
static void
alert_x1(struct tw_alert *a)
{
	struct tw_li_x1 *x = &a->detail.x1;

	alert_base(a);
	a->dport = 8080;
	a->family = TW_FAMILY_ETSI_X1;
	a->authorized = 1;
	a->severity = 3;
	a->sig_id = 1000501;
	snprintf(a->sig_name, sizeof(a->sig_name), "ETSI X1 request in clear");
	snprintf(a->md_name, sizeof(a->md_name), "adm-1");
	a->detail.kind = TW_LI_KIND_X1;
	PUT(x->root, "X1Request");
	PUT(x->message, "ActivateTaskRequest");
	PUT(x->xid, "2b36a78b-b628-416d-bd22-404e68a0cd36");
	PUT(x->target, "e164Number:491701234567");
	PUT(x->ne, "ne-berlin-01");
	x->nb_xids = 2;
	x->nb_messages = 1;
}

/* SNMP set on CISCO-TAP2-MIB; v3 with privacy when @p version is 3. */
static void
alert_snmp(struct tw_alert *a, uint8_t version)
{
	static const uint8_t md[4] = { 10, 200, 0, 10 };
	struct tw_li_snmp *sn = &a->detail.snmp;

	alert_base(a);
	a->proto = 17;
	a->sport = 50161;
	a->dport = 161;
	a->family = TW_FAMILY_CISCO_TAP_MIB;
	a->severity = 2;
	a->sig_id = 1000601;
	snprintf(a->sig_name, sizeof(a->sig_name), "SNMP CISCO-TAP2-MIB set");
	a->detail.kind = TW_LI_KIND_SNMP;
	sn->version = version;
	sn->pdu = 3;
	if (version == 3) {
		sn->encrypted = 1;
		PUT(sn->community, "tapadmin");
		PUT(sn->mib, "SNMP-USM");
		return;
	}
	sn->md_l3 = 4;
	memcpy(sn->md_addr, md, sizeof(md));
	sn->md_port = 50000;
	PUT(sn->community, "private");
	PUT(sn->mib, "CISCO-TAP2-MIB");
	PUT(sn->table, "cTap2MediationTable");
	PUT(sn->oid, "1.3.6.1.4.1.9.9.399.1.1.2.1.3.7");
}

/* Juniper DTCP: an ADD request, or a reply. */
static void
alert_dtcp(struct tw_alert *a, bool reply)
{
	struct tw_li_dtcp *d = &a->detail.dtcp;

	alert_base(a);
	a->dport = 32001;
	a->family = TW_FAMILY_JUNIPER_DTCP;
	a->sig_id = 1000701;
	snprintf(a->sig_name, sizeof(a->sig_name), "Juniper DTCP");
	a->detail.kind = TW_LI_KIND_DTCP;
	PUT(d->version, "DTCP/0.7");
	if (reply) {
		PUT(d->command, "REPLY");
		d->status = 200;
		return;
	}
	PUT(d->command, "ADD");
	PUT(d->dest_addr, "10.200.0.10");
	d->dest_port = 50000;
	PUT(d->intercept_id, "4711");
	PUT(d->criteria_id, "crit-9");
}

/* A shim content copy of @p family (any family: the key follows it). */
static void
alert_shim(struct tw_alert *a, uint8_t family)
{
	struct tw_li_shim *sh = &a->detail.shim;

	alert_base(a);
	a->proto = 17;
	a->sport = 49152;
	a->dport = 2000;
	a->family = family;
	a->sig_id = 1000801;
	snprintf(a->sig_name, sizeof(a->sig_name), "shim copy");
	a->detail.kind = TW_LI_KIND_SHIM;
	sh->id = 0x12345678;
	sh->session = 77;
	sh->seq = 4000000000U;
	sh->header_len = 4;
	sh->mhv = 1;
	sh->direction = 2;
	PUT(sh->label, "sub-42");
	inner_v4_udp(&sh->inner);
}

static void
alert_tzsp(struct tw_alert *a)
{
	struct tw_li_tzsp *t = &a->detail.tzsp;

	alert_base(a);
	a->proto = 17;
	a->sport = 37008;
	a->dport = 37008;
	a->family = TW_FAMILY_TZSP;
	a->sig_id = 1000901;
	snprintf(a->sig_name, sizeof(a->sig_name), "TZSP");
	a->detail.kind = TW_LI_KIND_TZSP;
	t->version = 1;
	t->type = 0;
	t->encap = 1;
	t->header_len = 5;
	inner_v6_tcp(&t->inner);
}

/* rpcap packet message carrying an ICMP echo. */
static void
alert_rpcap(struct tw_alert *a)
{
	struct tw_li_rpcap *r = &a->detail.rpcap;

	alert_base(a);
	a->dport = 2002;
	a->family = TW_FAMILY_RPCAP;
	a->sig_id = 1001001;
	snprintf(a->sig_name, sizeof(a->sig_name), "rpcap");
	a->detail.kind = TW_LI_KIND_RPCAP;
	r->version = 0;
	r->type = 0x07;
	r->plen = 98;
	PUT(r->message, "packet");
	inner_v4_udp(&r->inner);
	r->inner.proto = 1;
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

/* The keys of @p o, exactly and in this order (NULL-terminated). */
static void
check_keys(json_t *o, const char *const *keys)
{
	const char *key;
	unsigned int i = 0;
	json_t *v;

	json_object_foreach(o, key, v) {
		ck_assert_msg(keys[i] != NULL, "unexpected key \"%s\"", key);
		ck_assert_str_eq(key, keys[i]);
		i++;
	}
	ck_assert_msg(keys[i] == NULL, "missing key \"%s\"", keys[i]);
}

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* li.<key> of an encoded alert; @p o is the whole event. */
static json_t *
li_detail(json_t *o, const char *key)
{
	return get_obj(get_obj(o, "li"), key);
}

/* "inner" of @p parent as set by inner_v4_udp() (with @p proto). */
static void
check_inner_v4(json_t *parent, uint8_t proto)
{
	json_t *in = get_obj(parent, "inner");

	ck_assert_str_eq(get_str(in, "src_ip"), "10.9.0.5");
	ck_assert_str_eq(get_str(in, "dest_ip"), "192.0.2.50");
	if (proto == 17) {
		ck_assert_str_eq(get_str(in, "proto"), "UDP");
		ck_assert_int_eq(get_int(in, "src_port"), 5060);
		ck_assert_int_eq(get_int(in, "dest_port"), 5062);
		check_keys(in, KEYS("src_ip", "dest_ip", "proto", "src_port", "dest_port"));
	} else {
		ck_assert_uint_eq(proto, 1);
		ck_assert_str_eq(get_str(in, "proto"), "ICMP");
		check_keys(in, KEYS("src_ip", "dest_ip", "proto"));
	}
}

/* "inner" of @p parent as set by inner_v6_tcp(). */
static void
check_inner_v6(json_t *parent)
{
	json_t *in = get_obj(parent, "inner");

	ck_assert_str_eq(get_str(in, "src_ip"), "2001:db8:1::5");
	ck_assert_str_eq(get_str(in, "dest_ip"), "2001:db8:2::9");
	ck_assert_str_eq(get_str(in, "proto"), "TCP");
	ck_assert_int_eq(get_int(in, "src_port"), 443);
	ck_assert_int_eq(get_int(in, "dest_port"), 51000);
	ck_assert_int_eq(get_int(in, "vlan"), 10);
	check_keys(in, KEYS("src_ip", "dest_ip", "proto", "src_port", "dest_port", "vlan"));
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

/* ---- new detail kinds --------------------------------------------------- */

START_TEST(test_alert_x1)
{
	struct tw_alert a;
	json_t *o, *al, *li, *x;

	alert_x1(&a);
	o = alert_load(&a);
	check_header(o, "10.1.0.21", "10.200.0.10");
	ck_assert_int_eq(get_int(o, "dest_port"), 8080);
	al = get_obj(o, "alert");
	ck_assert_int_eq(get_int(al, "signature_id"), 1000501);
	ck_assert_str_eq(get_str(al, "category"), "Authorized lawful intercept");
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "etsi-x1");
	ck_assert(json_is_true(json_object_get(li, "authorized")));
	ck_assert_str_eq(get_str(li, "mediation_device"), "adm-1");
	check_keys(li, KEYS("family", "authorized", "mediation_device", "x1"));

	x = get_obj(li, "x1");
	ck_assert_str_eq(get_str(x, "root"), "X1Request");
	ck_assert_str_eq(get_str(x, "message"), "ActivateTaskRequest");
	ck_assert_str_eq(get_str(x, "xid"), "2b36a78b-b628-416d-bd22-404e68a0cd36");
	ck_assert_str_eq(get_str(x, "target"), "e164Number:491701234567");
	ck_assert_str_eq(get_str(x, "ne"), "ne-berlin-01");
	ck_assert_int_eq(get_int(x, "xids"), 2);
	ck_assert_int_eq(get_int(x, "messages"), 1);
	check_keys(x, KEYS("root", "message", "xid", "target", "ne", "xids", "messages"));
	json_decref(o);

	/* a response with no task: xid, target, ne omitted; counters kept at 0 */
	memset(&a.detail.x1, 0, sizeof(a.detail.x1));
	PUT(a.detail.x1.root, "X1TopLevelErrorResponse");
	o = alert_load(&a);
	x = li_detail(o, "x1");
	ck_assert_str_eq(get_str(x, "root"), "X1TopLevelErrorResponse");
	ck_assert_str_eq(get_str(x, "message"), "");
	ck_assert_int_eq(get_int(x, "xids"), 0);
	ck_assert_int_eq(get_int(x, "messages"), 0);
	check_keys(x, KEYS("root", "message", "xids", "messages"));
	json_decref(o);

	/* each optional string on its own */
	PUT(a.detail.x1.target, "imsi:262011234567890");
	a.detail.x1.nb_xids = 255;
	a.detail.x1.nb_messages = 255;
	o = alert_load(&a);
	x = li_detail(o, "x1");
	ck_assert_str_eq(get_str(x, "target"), "imsi:262011234567890");
	ck_assert_int_eq(get_int(x, "xids"), 255);
	ck_assert_int_eq(get_int(x, "messages"), 255);
	check_keys(x, KEYS("root", "message", "target", "xids", "messages"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_snmp)
{
	static const uint8_t md6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99,
	};
	struct tw_alert a;
	json_t *o, *sn;

	alert_snmp(&a, 1);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(o, "proto"), "UDP");
	ck_assert_int_eq(get_int(o, "dest_port"), 161);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "cisco-tap-mib");
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "snmp"));
	sn = li_detail(o, "snmp");
	ck_assert_str_eq(get_str(sn, "version"), "v2c");
	ck_assert_str_eq(get_str(sn, "operation"), "set");
	ck_assert_str_eq(get_str(sn, "community"), "private");
	ck_assert_str_eq(get_str(sn, "mib"), "CISCO-TAP2-MIB");
	ck_assert_str_eq(get_str(sn, "table"), "cTap2MediationTable");
	ck_assert_str_eq(get_str(sn, "oid"), "1.3.6.1.4.1.9.9.399.1.1.2.1.3.7");
	ck_assert_str_eq(get_str(sn, "mediation_address"), "10.200.0.10");
	ck_assert_int_eq(get_int(sn, "mediation_port"), 50000);
	check_keys(sn, KEYS("version", "operation", "community", "mib", "table", "oid",
			"mediation_address", "mediation_port"));
	json_decref(o);

	/* v1, IPv6 mediation address, no port, no table */
	a.detail.snmp.version = 0;
	a.detail.snmp.md_l3 = 6;
	memcpy(a.detail.snmp.md_addr, md6, sizeof(md6));
	a.detail.snmp.md_port = 0;
	memset(a.detail.snmp.table, 0, sizeof(a.detail.snmp.table));
	o = alert_load(&a);
	sn = li_detail(o, "snmp");
	ck_assert_str_eq(get_str(sn, "version"), "v1");
	ck_assert_str_eq(get_str(sn, "mediation_address"), "2001:db8::99");
	check_keys(sn, KEYS("version", "operation", "community", "mib", "oid",
			"mediation_address"));
	json_decref(o);

	/* no mediation address; a port alone is still shown */
	a.detail.snmp.md_l3 = 0;
	a.detail.snmp.md_port = 1;
	o = alert_load(&a);
	sn = li_detail(o, "snmp");
	ck_assert_int_eq(get_int(sn, "mediation_port"), 1);
	check_keys(sn, KEYS("version", "operation", "community", "mib", "oid",
			"mediation_port"));
	json_decref(o);

	/* an l3 that is neither 4 nor 6 has no address to show */
	a.detail.snmp.md_l3 = 5;
	o = alert_load(&a);
	ck_assert_ptr_null(json_object_get(li_detail(o, "snmp"), "mediation_address"));
	json_decref(o);

	/* v3 with privacy: "user" instead of "community", "encrypted": true */
	alert_snmp(&a, 3);
	o = alert_load(&a);
	sn = li_detail(o, "snmp");
	ck_assert_str_eq(get_str(sn, "version"), "v3");
	ck_assert_str_eq(get_str(sn, "user"), "tapadmin");
	ck_assert_str_eq(get_str(sn, "mib"), "SNMP-USM");
	ck_assert_str_eq(get_str(sn, "oid"), "");
	ck_assert(json_is_true(json_object_get(sn, "encrypted")));
	check_keys(sn, KEYS("version", "operation", "user", "mib", "oid", "encrypted"));
	json_decref(o);

	/* v3 in clear: no "encrypted" key; empty user still shown */
	a.detail.snmp.encrypted = 0;
	memset(a.detail.snmp.community, 0, sizeof(a.detail.snmp.community));
	o = alert_load(&a);
	sn = li_detail(o, "snmp");
	ck_assert_str_eq(get_str(sn, "user"), "");
	check_keys(sn, KEYS("version", "operation", "user", "mib", "oid"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_snmp_names)
{
	static const char *const ops[] = {
		"get", "getnext", "response", "set", "trap", "getbulk", "inform",
		"trap-v2", "report", "unknown", "unknown",
	};
	static const struct {
		uint8_t version;
		const char *name;
		const char *key;
	} versions[] = {
		{ 0, "v1", "community" }, { 1, "v2c", "community" }, { 3, "v3", "user" },
		{ 2, "unknown", "community" }, { 255, "unknown", "community" },
	};
	struct tw_alert a;
	unsigned int i;
	json_t *o, *sn;

	alert_snmp(&a, 1);
	for (i = 0; i < RTE_DIM(ops); i++) {
		a.detail.snmp.pdu = i < 10 ? i : 0x1f;
		o = alert_load(&a);
		ck_assert_str_eq(get_str(li_detail(o, "snmp"), "operation"), ops[i]);
		json_decref(o);
	}
	for (i = 0; i < RTE_DIM(versions); i++) {
		a.detail.snmp.version = versions[i].version;
		o = alert_load(&a);
		sn = li_detail(o, "snmp");
		ck_assert_str_eq(get_str(sn, "version"), versions[i].name);
		ck_assert_str_eq(get_str(sn, versions[i].key), "private");
		ck_assert_ptr_null(json_object_get(sn,
				strcmp(versions[i].key, "user") == 0 ? "community" : "user"));
		json_decref(o);
	}
}
END_TEST

START_TEST(test_alert_dtcp)
{
	struct tw_alert a;
	json_t *o, *d;

	alert_dtcp(&a, false);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "juniper-dtcp");
	d = li_detail(o, "dtcp");
	ck_assert_str_eq(get_str(d, "command"), "ADD");
	ck_assert_str_eq(get_str(d, "version"), "DTCP/0.7");
	ck_assert_str_eq(get_str(d, "dest_address"), "10.200.0.10");
	ck_assert_int_eq(get_int(d, "dest_port"), 50000);
	ck_assert_str_eq(get_str(d, "intercept_id"), "4711");
	ck_assert_str_eq(get_str(d, "criteria_id"), "crit-9");
	/* a request: no status */
	check_keys(d, KEYS("command", "version", "dest_address", "dest_port",
			"intercept_id", "criteria_id"));
	json_decref(o);

	/* each optional field absent in turn */
	memset(a.detail.dtcp.criteria_id, 0, sizeof(a.detail.dtcp.criteria_id));
	a.detail.dtcp.dest_port = 0;
	o = alert_load(&a);
	check_keys(li_detail(o, "dtcp"), KEYS("command", "version", "dest_address",
			"intercept_id"));
	json_decref(o);
	memset(a.detail.dtcp.dest_addr, 0, sizeof(a.detail.dtcp.dest_addr));
	memset(a.detail.dtcp.intercept_id, 0, sizeof(a.detail.dtcp.intercept_id));
	a.detail.dtcp.dest_port = 1;
	o = alert_load(&a);
	d = li_detail(o, "dtcp");
	ck_assert_int_eq(get_int(d, "dest_port"), 1);
	check_keys(d, KEYS("command", "version", "dest_port"));
	json_decref(o);

	/* a reply with its status */
	alert_dtcp(&a, true);
	o = alert_load(&a);
	d = li_detail(o, "dtcp");
	ck_assert_str_eq(get_str(d, "command"), "REPLY");
	ck_assert_int_eq(get_int(d, "status"), 200);
	check_keys(d, KEYS("command", "version", "status"));
	json_decref(o);

	a.detail.dtcp.status = 65535;
	PUT(a.detail.dtcp.intercept_id, "7");
	o = alert_load(&a);
	d = li_detail(o, "dtcp");
	ck_assert_int_eq(get_int(d, "status"), 65535);
	check_keys(d, KEYS("command", "version", "status", "intercept_id"));
	json_decref(o);

	/* status 0: omitted */
	a.detail.dtcp.status = 0;
	o = alert_load(&a);
	check_keys(li_detail(o, "dtcp"), KEYS("command", "version", "intercept_id"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_shim_packetcable)
{
	struct tw_alert a;
	json_t *o, *li, *p;

	alert_shim(&a, TW_FAMILY_PACKETCABLE);
	o = alert_load(&a);
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "family"), "packetcable");
	check_keys(li, KEYS("family", "authorized", "mediation_device", "packetcable"));
	p = get_obj(li, "packetcable");
	ck_assert_int_eq(get_int(p, "cccid"), 0x12345678);
	ck_assert_int_eq(get_int(p, "header_len"), 4);
	check_keys(p, KEYS("cccid", "header_len", "inner"));
	check_inner_v4(p, 17);
	json_decref(o);

	/* inner not parsed: no "inner"; the full uint32_t range of the CCCID */
	a.detail.shim.inner.l3 = 0;
	a.detail.shim.id = UINT32_MAX;
	o = alert_load(&a);
	p = li_detail(o, "packetcable");
	ck_assert_int_eq(get_int(p, "cccid"), UINT32_MAX);
	check_keys(p, KEYS("cccid", "header_len"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_shim_jmirror)
{
	static const char *const dirs[] = { NULL, "ingress", "egress", NULL, NULL };
	struct tw_alert a;
	unsigned int i;
	json_t *o, *j;

	alert_shim(&a, TW_FAMILY_JMIRROR);
	inner_v6_tcp(&a.detail.shim.inner);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "jmirror");
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "jmirror"));
	j = li_detail(o, "jmirror");
	ck_assert_int_eq(get_int(j, "intercept_id"), 0x12345678);
	ck_assert_int_eq(get_int(j, "session_id"), 77);
	ck_assert_int_eq(get_int(j, "mhv"), 1);
	ck_assert_str_eq(get_str(j, "direction"), "egress");
	check_keys(j, KEYS("intercept_id", "session_id", "mhv", "direction", "inner"));
	check_inner_v6(j);
	json_decref(o);

	/* direction only when known (1 ingress, 2 egress) */
	for (i = 0; i < RTE_DIM(dirs); i++) {
		a.detail.shim.direction = i < 4 ? i : 255;
		a.detail.shim.inner.l3 = 0;
		o = alert_load(&a);
		j = li_detail(o, "jmirror");
		if (dirs[i] != NULL) {
			ck_assert_str_eq(get_str(j, "direction"), dirs[i]);
			check_keys(j, KEYS("intercept_id", "session_id", "mhv", "direction"));
		} else {
			check_keys(j, KEYS("intercept_id", "session_id", "mhv"));
		}
		json_decref(o);
	}
}
END_TEST

START_TEST(test_alert_shim_redback)
{
	struct tw_alert a;
	json_t *o, *r;

	alert_shim(&a, TW_FAMILY_REDBACK_LI);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "redback-li");
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "redback"));
	r = li_detail(o, "redback");
	ck_assert_int_eq(get_int(r, "li_id"), 0x12345678);
	ck_assert_int_eq(get_int(r, "session_id"), 77);
	ck_assert_int_eq(get_int(r, "sequence"), 4000000000LL);
	ck_assert_str_eq(get_str(r, "label"), "sub-42");
	check_keys(r, KEYS("li_id", "session_id", "sequence", "label", "inner"));
	check_inner_v4(r, 17);
	json_decref(o);

	memset(a.detail.shim.label, 0, sizeof(a.detail.shim.label));
	a.detail.shim.inner.l3 = 0;
	o = alert_load(&a);
	check_keys(li_detail(o, "redback"), KEYS("li_id", "session_id", "sequence"));
	json_decref(o);
}
END_TEST

/* A shim detail under any other family: the generic "shim" object. */
START_TEST(test_alert_shim_other)
{
	struct tw_alert a;
	json_t *o, *sh;

	alert_shim(&a, TW_FAMILY_CISCO_TAP_MIB);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "cisco-tap-mib");
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "shim"));
	sh = li_detail(o, "shim");
	ck_assert_int_eq(get_int(sh, "id"), 0x12345678);
	ck_assert_int_eq(get_int(sh, "session_id"), 77);
	ck_assert_int_eq(get_int(sh, "sequence"), 4000000000LL);
	ck_assert_int_eq(get_int(sh, "header_len"), 4);
	ck_assert_str_eq(get_str(sh, "label"), "sub-42");
	check_keys(sh, KEYS("id", "session_id", "sequence", "header_len", "label", "inner"));
	check_inner_v4(sh, 17);
	json_decref(o);

	/* unknown family too */
	a.family = 250;
	memset(a.detail.shim.label, 0, sizeof(a.detail.shim.label));
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "unknown");
	check_keys(li_detail(o, "shim"), KEYS("id", "session_id", "sequence", "header_len",
			"inner"));
	json_decref(o);
}
END_TEST

START_TEST(test_alert_tzsp)
{
	static const char *const types[] = {
		"received", "transmit", "reserved", "config", "keepalive", "port-opener",
		"unknown", "unknown",
	};
	static const struct {
		uint16_t encap;
		const char *name;
	} encaps[] = {
		{ 1, "ethernet" }, { 18, "802.11" }, { 119, "prism" }, { 127, "avs" },
		{ 0, "unknown" }, { 2, "unknown" }, { 7, "unknown" }, { 65535, "unknown" },
	};
	struct tw_alert a;
	unsigned int i;
	json_t *o, *t;

	alert_tzsp(&a);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "tzsp");
	t = li_detail(o, "tzsp");
	ck_assert_int_eq(get_int(t, "version"), 1);
	ck_assert_int_eq(get_int(t, "type"), 0);
	ck_assert_str_eq(get_str(t, "type_name"), "received");
	ck_assert_int_eq(get_int(t, "encap"), 1);
	ck_assert_str_eq(get_str(t, "encap_name"), "ethernet");
	check_keys(t, KEYS("version", "type", "type_name", "encap", "encap_name", "inner"));
	check_inner_v6(t);
	json_decref(o);

	a.detail.tzsp.inner.l3 = 0;
	for (i = 0; i < RTE_DIM(types); i++) {
		a.detail.tzsp.type = i < 7 ? i : 255;
		a.detail.tzsp.encap = encaps[i].encap;
		o = alert_load(&a);
		t = li_detail(o, "tzsp");
		ck_assert_int_eq(get_int(t, "type"), a.detail.tzsp.type);
		ck_assert_str_eq(get_str(t, "type_name"), types[i]);
		ck_assert_int_eq(get_int(t, "encap"), encaps[i].encap);
		ck_assert_str_eq(get_str(t, "encap_name"), encaps[i].name);
		check_keys(t, KEYS("version", "type", "type_name", "encap", "encap_name"));
		json_decref(o);
	}
}
END_TEST

START_TEST(test_alert_rpcap)
{
	struct tw_alert a;
	json_t *o, *r;

	alert_rpcap(&a);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "li"), "family"), "rpcap");
	r = li_detail(o, "rpcap");
	ck_assert_int_eq(get_int(r, "version"), 0);
	ck_assert_int_eq(get_int(r, "type"), 7);
	ck_assert_str_eq(get_str(r, "message"), "packet");
	ck_assert_int_eq(get_int(r, "length"), 98);
	/* value 0: omitted; ICMP inner: no ports */
	check_keys(r, KEYS("version", "type", "message", "length", "inner"));
	check_inner_v4(r, 1);
	json_decref(o);

	/* an auth request: a value, no inner packet, length 0 still shown */
	a.detail.rpcap.type = 0x08;
	a.detail.rpcap.value = 1;
	a.detail.rpcap.plen = 0;
	a.detail.rpcap.inner.l3 = 0;
	PUT(a.detail.rpcap.message, "auth-request");
	o = alert_load(&a);
	r = li_detail(o, "rpcap");
	ck_assert_int_eq(get_int(r, "type"), 8);
	ck_assert_str_eq(get_str(r, "message"), "auth-request");
	ck_assert_int_eq(get_int(r, "value"), 1);
	ck_assert_int_eq(get_int(r, "length"), 0);
	check_keys(r, KEYS("version", "type", "message", "value", "length"));
	json_decref(o);

	a.detail.rpcap.type = 0x84;
	a.detail.rpcap.value = 65535;
	a.detail.rpcap.plen = UINT32_MAX;
	o = alert_load(&a);
	r = li_detail(o, "rpcap");
	ck_assert_int_eq(get_int(r, "type"), 0x84);
	ck_assert_int_eq(get_int(r, "value"), 65535);
	ck_assert_int_eq(get_int(r, "length"), UINT32_MAX);
	json_decref(o);
}
END_TEST

START_TEST(test_alert_erspan_inner)
{
	struct tw_alert a;
	json_t *o, *e;

	alert_erspan(&a, 3);
	inner_v4_udp(&a.detail.erspan.inner);
	o = alert_load(&a);
	e = li_detail(o, "erspan");
	check_keys(e, KEYS("type", "session_id", "vlan", "frame_type", "gre_proto", "inner"));
	check_inner_v4(e, 17);
	json_decref(o);

	alert_erspan(&a, 2);
	inner_v6_tcp(&a.detail.erspan.inner);
	o = alert_load(&a);
	e = li_detail(o, "erspan");
	check_keys(e, KEYS("type", "session_id", "vlan", "index", "gre_proto", "inner"));
	check_inner_v6(e);
	json_decref(o);

	/* l3 0 (not parsed), or neither 4 nor 6: no inner */
	a.detail.erspan.inner.l3 = 0;
	o = alert_load(&a);
	check_keys(li_detail(o, "erspan"), KEYS("type", "session_id", "vlan", "index",
			"gre_proto"));
	json_decref(o);
	a.detail.erspan.inner.l3 = 5;
	o = alert_load(&a);
	ck_assert_ptr_null(json_object_get(li_detail(o, "erspan"), "inner"));
	json_decref(o);
}
END_TEST

/* inner: proto names and ports follow the top level's rules. */
START_TEST(test_inner_protos)
{
	static const struct {
		uint8_t proto;
		bool ports;
		const char *name;
	} cases[] = {
		{ 6, true, "TCP" }, { 17, true, "UDP" }, { 132, true, "SCTP" },
		{ 47, false, "GRE" }, { 1, false, "ICMP" }, { 58, false, "IPv6-ICMP" },
		{ 0, false, "0" }, { 255, false, "255" },
	};
	struct tw_alert a;
	unsigned int i;
	json_t *o, *in;

	alert_tzsp(&a);
	for (i = 0; i < RTE_DIM(cases); i++) {
		a.detail.tzsp.inner.proto = cases[i].proto;
		a.detail.tzsp.inner.vlan = (uint16_t)i;	/* 0 first: omitted */
		o = alert_load(&a);
		in = get_obj(li_detail(o, "tzsp"), "inner");
		ck_assert_str_eq(get_str(in, "proto"), cases[i].name);
		if (cases[i].ports) {
			ck_assert_int_eq(get_int(in, "src_port"), 443);
			ck_assert_int_eq(get_int(in, "dest_port"), 51000);
		} else {
			ck_assert_ptr_null(json_object_get(in, "src_port"));
			ck_assert_ptr_null(json_object_get(in, "dest_port"));
		}
		if (i == 0)
			ck_assert_ptr_null(json_object_get(in, "vlan"));
		else
			ck_assert_int_eq(get_int(in, "vlan"), i);
		json_decref(o);
	}
}
END_TEST

/* ---- warrant ------------------------------------------------------------ */

START_TEST(test_warrant)
{
	struct tw_alert a;
	json_t *o, *al, *li;

	/* listed: authorized, task on the list */
	alert_x2x3(&a);
	a.authorized = 1;
	snprintf(a.md_name, sizeof(a.md_name), "md-core");
	a.warrant = TW_WARRANT_LISTED;
	o = alert_load(&a);
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "warrant"), "listed");
	check_keys(li, KEYS("family", "authorized", "mediation_device", "warrant", "x2x3"));
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "category"),
			"Authorized lawful intercept");
	json_decref(o);

	/* unchecked, and anything out of range: omitted */
	a.warrant = TW_WARRANT_UNCHECKED;
	o = alert_load(&a);
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "x2x3"));
	json_decref(o);
	a.warrant = 200;
	o = alert_load(&a);
	check_keys(get_obj(o, "li"), KEYS("family", "authorized", "mediation_device", "x2x3"));
	json_decref(o);

	/* missing, on the built-in XID signature */
	a.warrant = TW_WARRANT_MISSING;
	a.sig_id = TW_SIG_ID_NO_WARRANT_XID;
	snprintf(a.sig_name, sizeof(a.sig_name), "X2/X3 task without warrant");
	o = alert_load(&a);
	al = get_obj(o, "alert");
	ck_assert_int_eq(get_int(al, "signature_id"), TW_SIG_ID_NO_WARRANT_XID);
	ck_assert_str_eq(get_str(al, "category"), "Lawful intercept without warrant");
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "warrant"), "missing");
	ck_assert(json_is_true(json_object_get(li, "authorized")));
	check_keys(li, KEYS("family", "authorized", "mediation_device", "warrant", "x2x3"));
	json_decref(o);

	/* the LIID signature, on an HI alert */
	alert_hi(&a);
	a.warrant = TW_WARRANT_MISSING;
	a.sig_id = TW_SIG_ID_NO_WARRANT_LIID;
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "category"),
			"Lawful intercept without warrant");
	li = get_obj(o, "li");
	ck_assert_str_eq(get_str(li, "warrant"), "missing");
	check_keys(li, KEYS("family", "authorized", "mediation_device", "warrant", "hi"));
	json_decref(o);

	/* the category follows the signature id alone */
	a.authorized = 0;
	a.md_name[0] = '\0';
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "category"),
			"Lawful intercept without warrant");
	json_decref(o);
	a.sig_id = TW_SIG_ID_NO_WARRANT_LIID + 1;
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "category"),
			"Unauthorized lawful intercept");
	json_decref(o);
	a.sig_id = TW_SIG_ID_NO_WARRANT_XID - 1;
	a.authorized = 1;
	o = alert_load(&a);
	ck_assert_str_eq(get_str(get_obj(o, "alert"), "category"),
			"Authorized lawful intercept");
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

/* 11 bytes: quote, backslash, control bytes, DEL, high bytes, UTF-8 "é". */
#define HOSTILE "\"\\\x01\t\n\x1f\x7f\x80\xff\xc3\xa9"
#define HOSTILE_TEXT "\"\\" "\\x01\\x09\\x0a\\x1f\\x7f\\x80\\xff\\xc3\\xa9"

/* The line is plain ASCII: jansson escaped what it had to. */
static void
check_ascii(const char *line)
{
	size_t i;

	for (i = 0; line[i] != '\0'; i++)
		ck_assert_uint_lt((unsigned char)line[i], 0x80);
}

START_TEST(test_hostile_x1)
{
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o, *x;

	alert_x1(&a);
	PUT(a.detail.x1.root, HOSTILE);
	PUT(a.detail.x1.message, HOSTILE);
	PUT(a.detail.x1.xid, HOSTILE);
	PUT(a.detail.x1.target, "e164Number:" HOSTILE);
	PUT(a.detail.x1.ne, HOSTILE "</neIdentifier>");
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	x = li_detail(o, "x1");
	ck_assert_str_eq(get_str(x, "root"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(x, "message"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(x, "xid"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(x, "target"), "e164Number:" HOSTILE_TEXT);
	ck_assert_str_eq(get_str(x, "ne"), HOSTILE_TEXT "</neIdentifier>");
	json_decref(o);

	/* a NUL ends the string: the rest of the array is not shown */
	memcpy(a.detail.x1.root, "X1\0Request", 11);
	o = alert_load(&a);
	ck_assert_str_eq(get_str(li_detail(o, "x1"), "root"), "X1");
	json_decref(o);
	/* a leading NUL makes an optional string empty: omitted */
	a.detail.x1.xid[0] = '\0';
	o = alert_load(&a);
	ck_assert_ptr_null(json_object_get(li_detail(o, "x1"), "xid"));
	json_decref(o);
}
END_TEST

START_TEST(test_hostile_dtcp)
{
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o, *d;

	alert_dtcp(&a, false);
	PUT(a.detail.dtcp.command, HOSTILE);	/* 11 bytes + NUL: exactly fills command[] */
	PUT(a.detail.dtcp.version, HOSTILE);
	PUT(a.detail.dtcp.dest_addr, "10.0.0.1\r\nX-Injected: " HOSTILE);
	PUT(a.detail.dtcp.intercept_id, HOSTILE);
	PUT(a.detail.dtcp.criteria_id, HOSTILE);
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	d = li_detail(o, "dtcp");
	ck_assert_str_eq(get_str(d, "command"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(d, "version"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(d, "dest_address"),
			"10.0.0.1\\x0d\\x0aX-Injected: " HOSTILE_TEXT);
	ck_assert_str_eq(get_str(d, "intercept_id"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(d, "criteria_id"), HOSTILE_TEXT);
	json_decref(o);
}
END_TEST

START_TEST(test_hostile_snmp)
{
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o, *sn;

	alert_snmp(&a, 1);
	PUT(a.detail.snmp.community, HOSTILE);
	PUT(a.detail.snmp.mib, HOSTILE);
	PUT(a.detail.snmp.table, HOSTILE);
	PUT(a.detail.snmp.oid, "1.3.6" HOSTILE);
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	sn = li_detail(o, "snmp");
	ck_assert_str_eq(get_str(sn, "community"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(sn, "mib"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(sn, "table"), HOSTILE_TEXT);
	ck_assert_str_eq(get_str(sn, "oid"), "1.3.6" HOSTILE_TEXT);
	json_decref(o);

	/* v3 user name */
	a.detail.snmp.version = 3;
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	ck_assert_str_eq(get_str(li_detail(o, "snmp"), "user"), HOSTILE_TEXT);
	json_decref(o);
}
END_TEST

START_TEST(test_hostile_other)
{
	struct tw_alert a;
	char line[LINE_CAP];
	json_t *o;

	alert_shim(&a, TW_FAMILY_REDBACK_LI);
	PUT(a.detail.shim.label, HOSTILE);
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	ck_assert_str_eq(get_str(li_detail(o, "redback"), "label"), HOSTILE_TEXT);
	json_decref(o);

	alert_rpcap(&a);
	PUT(a.detail.rpcap.message, HOSTILE);
	o = line_load(&a, line, sizeof(line));
	check_ascii(line);
	ck_assert_str_eq(get_str(li_detail(o, "rpcap"), "message"), HOSTILE_TEXT);
	json_decref(o);
}
END_TEST

/* No NUL in any array of the new kinds: each is read up to its size only. */
START_TEST(test_unterminated_kinds)
{
	struct tw_alert a;
	json_t *o, *x;

	alert_x1(&a);
	memset(&a.detail.x1, 'Z', sizeof(a.detail.x1));
	o = alert_load(&a);
	x = li_detail(o, "x1");
	ck_assert_uint_eq(strlen(get_str(x, "root")), sizeof(a.detail.x1.root));
	ck_assert_uint_eq(strlen(get_str(x, "message")), sizeof(a.detail.x1.message));
	ck_assert_uint_eq(strlen(get_str(x, "xid")), sizeof(a.detail.x1.xid));
	ck_assert_uint_eq(strlen(get_str(x, "target")), sizeof(a.detail.x1.target));
	ck_assert_uint_eq(strlen(get_str(x, "ne")), sizeof(a.detail.x1.ne));
	json_decref(o);

	alert_snmp(&a, 1);
	memset(a.detail.snmp.community, 'Z', sizeof(a.detail.snmp.community));
	memset(a.detail.snmp.mib, 'Z', sizeof(a.detail.snmp.mib));
	memset(a.detail.snmp.table, 'Z', sizeof(a.detail.snmp.table));
	memset(a.detail.snmp.oid, 'Z', sizeof(a.detail.snmp.oid));
	o = alert_load(&a);
	x = li_detail(o, "snmp");
	ck_assert_uint_eq(strlen(get_str(x, "community")), sizeof(a.detail.snmp.community));
	ck_assert_uint_eq(strlen(get_str(x, "mib")), sizeof(a.detail.snmp.mib));
	ck_assert_uint_eq(strlen(get_str(x, "table")), sizeof(a.detail.snmp.table));
	ck_assert_uint_eq(strlen(get_str(x, "oid")), sizeof(a.detail.snmp.oid));
	json_decref(o);

	alert_dtcp(&a, false);
	memset(a.detail.dtcp.command, 'Z', sizeof(a.detail.dtcp.command));
	memset(a.detail.dtcp.version, 'Z', sizeof(a.detail.dtcp.version));
	memset(a.detail.dtcp.dest_addr, 'Z', sizeof(a.detail.dtcp.dest_addr));
	memset(a.detail.dtcp.intercept_id, 'Z', sizeof(a.detail.dtcp.intercept_id));
	memset(a.detail.dtcp.criteria_id, 'Z', sizeof(a.detail.dtcp.criteria_id));
	o = alert_load(&a);
	x = li_detail(o, "dtcp");
	ck_assert_uint_eq(strlen(get_str(x, "command")), sizeof(a.detail.dtcp.command));
	ck_assert_uint_eq(strlen(get_str(x, "version")), sizeof(a.detail.dtcp.version));
	ck_assert_uint_eq(strlen(get_str(x, "dest_address")), sizeof(a.detail.dtcp.dest_addr));
	ck_assert_uint_eq(strlen(get_str(x, "intercept_id")),
			sizeof(a.detail.dtcp.intercept_id));
	ck_assert_uint_eq(strlen(get_str(x, "criteria_id")), sizeof(a.detail.dtcp.criteria_id));
	json_decref(o);

	alert_shim(&a, TW_FAMILY_REDBACK_LI);
	memset(a.detail.shim.label, 'Z', sizeof(a.detail.shim.label));
	o = alert_load(&a);
	ck_assert_uint_eq(strlen(get_str(li_detail(o, "redback"), "label")),
			sizeof(a.detail.shim.label));
	json_decref(o);

	alert_rpcap(&a);
	memset(a.detail.rpcap.message, 'Z', sizeof(a.detail.rpcap.message));
	o = alert_load(&a);
	ck_assert_uint_eq(strlen(get_str(li_detail(o, "rpcap"), "message")),
			sizeof(a.detail.rpcap.message));
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

/* MITRE ATT&CK ids go to alert.metadata.mitre_technique_id, absent when none. */
START_TEST(test_mitre_metadata)
{
	struct tw_alert a;
	json_t *o, *ids;

	alert_x2x3(&a);
	memset(a.mitre, 0, sizeof(a.mitre));
	o = tw_json_alert(&a);
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_null(json_object_get(json_object_get(o, "alert"), "metadata"));
	json_decref(o);

	snprintf(a.mitre, sizeof(a.mitre), "T1020.001,T1602");
	o = tw_json_alert(&a);
	ck_assert_ptr_nonnull(o);
	ids = json_object_get(json_object_get(json_object_get(o, "alert"), "metadata"),
			"mitre_technique_id");
	ck_assert(json_is_array(ids));
	ck_assert_uint_eq(json_array_size(ids), 2);
	ck_assert_str_eq(json_string_value(json_array_get(ids, 0)), "T1020.001");
	ck_assert_str_eq(json_string_value(json_array_get(ids, 1)), "T1602");
	json_decref(o);
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

/*
 * The largest alert of @p kind: every string at its array size, every byte
 * one that encodes longest (packet text 0xff -> "\\xff", five bytes; our
 * names 0x01 -> "\u0001", six), every number at its widest, every optional
 * member present, full-width IPv6 addresses, the warrant and its category.
 */
static void
alert_max(struct tw_alert *a, uint8_t kind, uint8_t family)
{
	struct tw_li_detail *d = &a->detail;

	memset(a, 0, sizeof(*a));
	a->ts_ns = UINT64_MAX;
	a->flow_id = (uint64_t)INT64_MAX + 1;	/* "-9223372036854775808" */
	a->l3 = 6;
	memset(a->src, 0xfe, sizeof(a->src));
	memset(a->dst, 0xfe, sizeof(a->dst));
	a->proto = 132;
	a->sport = 65535;
	a->dport = 65535;
	a->vlan = 4095;
	a->family = family;
	a->severity = 255;
	a->authorized = 1;
	a->action = TW_ALERT_BLOCKED;
	a->sig_id = TW_SIG_ID_NO_WARRANT_XID;
	a->sig_rev = UINT32_MAX;
	a->warrant = TW_WARRANT_MISSING;
	memset(a->sig_name, 0x01, sizeof(a->sig_name));
	memset(a->md_name, 0x01, sizeof(a->md_name));

	d->kind = kind;
	switch (kind) {
	case TW_LI_KIND_X2X3:
		memset(&d->x2x3, 0xff, sizeof(d->x2x3));
		d->x2x3.payload_format = 3;	/* "3gpp-33108" */
		d->x2x3.payload_direction = 5;	/* "not-applicable" */
		d->x2x3.pdu_type = 4;		/* "keepalive-ack" */
		d->x2x3.version_major = 255;
		break;
	case TW_LI_KIND_HI:
		memset(&d->hi, 0xff, sizeof(d->hi));
		d->hi.liid_len = TW_LI_STR_MAX;
		break;
	case TW_LI_KIND_ERSPAN:
		memset(&d->erspan, 0xff, sizeof(d->erspan));
		d->erspan.type = 2;
		inner_max(&d->erspan.inner);
		break;
	case TW_LI_KIND_X1:
		memset(&d->x1, 0xff, sizeof(d->x1));
		break;
	case TW_LI_KIND_SNMP:
		memset(&d->snmp, 0xff, sizeof(d->snmp));
		d->snmp.version = 1;
		d->snmp.pdu = 1;	/* "getnext" */
		d->snmp.md_l3 = 6;
		memset(d->snmp.md_addr, 0xfe, sizeof(d->snmp.md_addr));
		break;
	case TW_LI_KIND_DTCP:
		memset(&d->dtcp, 0xff, sizeof(d->dtcp));
		break;
	case TW_LI_KIND_SHIM:
		memset(&d->shim, 0xff, sizeof(d->shim));
		d->shim.direction = 1;	/* "ingress" */
		inner_max(&d->shim.inner);
		break;
	case TW_LI_KIND_TZSP:
		memset(&d->tzsp, 0xff, sizeof(d->tzsp));
		d->tzsp.type = 5;	/* "port-opener" */
		d->tzsp.encap = 1;	/* "ethernet" */
		inner_max(&d->tzsp.inner);
		break;
	case TW_LI_KIND_RPCAP:
		memset(&d->rpcap, 0xff, sizeof(d->rpcap));
		inner_max(&d->rpcap.inner);
		break;
	default:
		break;
	}
}

/* Every kind at its largest fits the exporter's 8192-byte line buffer. */
START_TEST(test_line_worst_case_kinds)
{
	static const struct {
		uint8_t kind;
		uint8_t family;
		const char *key;
	} cases[] = {
		{ TW_LI_KIND_X2X3, TW_FAMILY_ETSI_X2X3, "x2x3" },
		{ TW_LI_KIND_HI, TW_FAMILY_ETSI_HI, "hi" },
		{ TW_LI_KIND_ERSPAN, TW_FAMILY_ERSPAN, "erspan" },
		{ TW_LI_KIND_X1, TW_FAMILY_ETSI_X1, "x1" },
		{ TW_LI_KIND_SNMP, TW_FAMILY_CISCO_TAP_MIB, "snmp" },
		{ TW_LI_KIND_DTCP, TW_FAMILY_JUNIPER_DTCP, "dtcp" },
		{ TW_LI_KIND_SHIM, TW_FAMILY_PACKETCABLE, "packetcable" },
		{ TW_LI_KIND_SHIM, TW_FAMILY_JMIRROR, "jmirror" },
		{ TW_LI_KIND_SHIM, TW_FAMILY_REDBACK_LI, "redback" },
		{ TW_LI_KIND_SHIM, TW_FAMILY_CISCO_TAP_MIB, "shim" },
		{ TW_LI_KIND_TZSP, TW_FAMILY_TZSP, "tzsp" },
		{ TW_LI_KIND_RPCAP, TW_FAMILY_RPCAP, "rpcap" },
	};
	static char big[4 * LINE_CAP];
	struct tw_alert a;
	char line[LINE_CAP];
	unsigned int i;
	json_t *o, *li;
	int n;

	for (i = 0; i < RTE_DIM(cases); i++) {
		alert_max(&a, cases[i].kind, cases[i].family);
		/* measured in a larger buffer, so an overflow shows its size */
		n = tw_json_alert_line(&a, big, sizeof(big));
		ck_assert_int_gt(n, 0);
		ck_assert_msg(n < LINE_CAP, "%s: %d bytes", cases[i].key, n);
		o = line_load(&a, line, sizeof(line));
		ck_assert_str_eq(line, big);
		check_ascii(line);
		li = get_obj(o, "li");
		ck_assert_str_eq(get_str(li, "warrant"), "missing");
		get_obj(li, cases[i].key);
		json_decref(o);
	}
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

/* Every new kind with every optional member, inner packets and the warrant. */
START_TEST(test_nomem_kinds)
{
	static const uint8_t families[] = {
		TW_FAMILY_PACKETCABLE, TW_FAMILY_JMIRROR, TW_FAMILY_REDBACK_LI,
		TW_FAMILY_CISCO_TAP_MIB,
	};
	struct tw_alert a;
	unsigned int i;

	alert_erspan(&a, 2);
	inner_v6_tcp(&a.detail.erspan.inner);
	a.warrant = TW_WARRANT_LISTED;
	sweep_nomem(&a);

	alert_x1(&a);
	a.warrant = TW_WARRANT_MISSING;
	a.sig_id = TW_SIG_ID_NO_WARRANT_XID;
	PUT(a.detail.x1.ne, HOSTILE);
	sweep_nomem(&a);

	alert_snmp(&a, 1);
	a.detail.snmp.encrypted = 1;
	PUT(a.detail.snmp.community, HOSTILE);
	sweep_nomem(&a);
	alert_snmp(&a, 3);
	sweep_nomem(&a);

	alert_dtcp(&a, false);
	a.detail.dtcp.status = 500;
	sweep_nomem(&a);
	alert_dtcp(&a, true);
	sweep_nomem(&a);

	for (i = 0; i < RTE_DIM(families); i++) {
		alert_shim(&a, families[i]);
		a.detail.shim.direction = 1;
		inner_v6_tcp(&a.detail.shim.inner);
		a.warrant = TW_WARRANT_LISTED;
		sweep_nomem(&a);
	}

	alert_tzsp(&a);
	sweep_nomem(&a);

	alert_rpcap(&a);
	a.detail.rpcap.value = 3;
	a.detail.rpcap.inner.proto = 132;
	a.detail.rpcap.inner.vlan = 9;
	sweep_nomem(&a);

	/* and the largest alerts */
	for (i = TW_LI_KIND_X2X3; i <= TW_LI_KIND_RPCAP; i++) {
		alert_max(&a, (uint8_t)i, i == TW_LI_KIND_SHIM ?
				TW_FAMILY_JMIRROR : TW_FAMILY_ETSI_HI);
		sweep_nomem(&a);
	}
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

	tc = tcase_create("kinds");
	tcase_add_test(tc, test_alert_x1);
	tcase_add_test(tc, test_alert_snmp);
	tcase_add_test(tc, test_alert_snmp_names);
	tcase_add_test(tc, test_alert_dtcp);
	tcase_add_test(tc, test_alert_shim_packetcable);
	tcase_add_test(tc, test_alert_shim_jmirror);
	tcase_add_test(tc, test_alert_shim_redback);
	tcase_add_test(tc, test_alert_shim_other);
	tcase_add_test(tc, test_alert_tzsp);
	tcase_add_test(tc, test_alert_rpcap);
	tcase_add_test(tc, test_alert_erspan_inner);
	tcase_add_test(tc, test_inner_protos);
	tcase_add_test(tc, test_warrant);
	suite_add_tcase(s, tc);

	tc = tcase_create("untrusted");
	tcase_add_test(tc, test_liid_escape);
	tcase_add_test(tc, test_liid_max);
	tcase_add_test(tc, test_unterminated_arrays);
	tcase_add_test(tc, test_names_utf8);
	tcase_add_test(tc, test_hostile_x1);
	tcase_add_test(tc, test_hostile_dtcp);
	tcase_add_test(tc, test_hostile_snmp);
	tcase_add_test(tc, test_hostile_other);
	tcase_add_test(tc, test_unterminated_kinds);
	suite_add_tcase(s, tc);

	tc = tcase_create("line");
	tcase_add_test(tc, test_line_enospc);
	tcase_add_test(tc, test_line_worst_case);
	tcase_add_test(tc, test_line_worst_case_kinds);
	tcase_add_test(tc, test_nomem);
	tcase_add_test(tc, test_nomem_kinds);
	tcase_add_test(tc, test_mitre_metadata);
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
