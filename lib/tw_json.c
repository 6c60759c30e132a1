/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Alert -> EVE JSON. Field names and shapes follow Suricata's etc/schema.json
 * (additionalProperties is false at the top level and inside "alert", so only
 * fields it knows appear there); tapwatch's own detail lives under "li".
 *
 * Every string that came off the wire is untrusted: it is read only up to its
 * length field or array size and rendered as printable ASCII with other bytes
 * spelled "\xHH", so jansson (which rejects invalid UTF-8) always accepts it.
 *
 * Optional members are omitted rather than written empty: strings that are ""
 * and numbers whose 0 means "absent", as each renderer below notes.
 *
 * Error handling: json_object_set_new() consumes its value even when it fails
 * or when the value is NULL, so "set_new(o, k, json_x(...)) != 0" covers both
 * a failed json_x() and a failed insert without leaking. json_pack() is used
 * only with scalar arguments: an "o" argument would leak if an earlier element
 * failed.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "tw_json.h"

#define TS_NS_PER_S 1000000000ULL

/* "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000": 31 characters. uint64_t nanoseconds end
 * in year 2554, so the year is always four digits.
 */
#define TS_LEN 31

/* Room to render n untrusted bytes: each may become "\xHH", plus a NUL. */
#define ESC_CAP(n) (4 * (n) + 1)

/* Largest fixed array rendered through text_json(). */
#define TEXT_MAX TW_SIG_NAME_MAX

#define EVE_GID 1

static const char hex_digits[] = "0123456789abcdef";

int
tw_json_format_ts(uint64_t ts_ns, char *buf, size_t cap)
{
	time_t secs = (time_t)(ts_ns / TS_NS_PER_S);
	unsigned int usec = (unsigned int)((ts_ns % TS_NS_PER_S) / 1000);
	struct tm tm;
	int n;

	if (buf == NULL)
		return -EINVAL;
	if (cap < TS_LEN + 1) {
		if (cap > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	if (gmtime_r(&secs, &tm) == NULL) {
		buf[0] = '\0';
		return -EINVAL;
	}
	n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	if (n < 0 || (size_t)n >= cap) {
		buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}

void
tw_json_format_ip(uint8_t l3, const uint8_t *addr, char *buf, size_t cap)
{
	int af;

	if (buf == NULL || cap == 0)
		return;
	buf[0] = '\0';
	if (addr == NULL)
		return;
	if (l3 == 4)
		af = AF_INET;
	else if (l3 == 6)
		af = AF_INET6;
	else
		return;
	/* glibc writes nothing to buf when the text does not fit */
	if (inet_ntop(af, addr, buf, (socklen_t)RTE_MIN(cap, (size_t)INET6_ADDRSTRLEN)) == NULL)
		buf[0] = '\0';
}

const char *
tw_json_proto_name(uint8_t proto, char *buf, size_t cap)
{
	int n;

	switch (proto) {
	case IPPROTO_ICMP:
		return "ICMP";
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_GRE:
		return "GRE";
	case IPPROTO_ICMPV6:
		return "IPv6-ICMP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		break;
	}
	if (buf == NULL || cap == 0)
		return NULL;
	n = snprintf(buf, cap, "%u", proto);
	if (n < 0 || (size_t)n >= cap) {
		buf[0] = '\0';
		return NULL;
	}
	return buf;
}

/* Ports exist for these protocols only (EVE omits them otherwise). */
static bool
proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

/* Lower-case hex of @p len bytes into @p out (2 * len + 1 bytes). */
static void
hex_bytes(const uint8_t *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/*
 * Render untrusted bytes as printable ASCII: 0x20..0x7e unchanged, every other
 * byte as the four characters "\xHH". '"' and '\' stay as they are: JSON
 * escapes them on output, and whoever needs the exact bytes of a string that
 * had escapes gets them in hex beside it. @p out needs ESC_CAP(len) bytes.
 */
static size_t
escape_bytes(const uint8_t *p, size_t len, char *out, bool *escaped)
{
	size_t i, n = 0;

	*escaped = false;
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] <= 0x7e) {
			out[n++] = (char)p[i];
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex_digits[p[i] >> 4];
		out[n++] = hex_digits[p[i] & 0xf];
		*escaped = true;
	}
	out[n] = '\0';
	return n;
}

/* JSON string of untrusted bytes (len <= TEXT_MAX), or NULL on ENOMEM. */
static json_t *
text_json(const uint8_t *p, size_t len, bool *escaped)
{
	char tmp[ESC_CAP(TEXT_MAX)];
	bool dummy;
	size_t n;

	if (escaped == NULL)
		escaped = &dummy;
	if (len > TEXT_MAX)
		len = TEXT_MAX;
	n = escape_bytes(p, len, tmp, escaped);
	return json_stringn(tmp, n);
}

/* A NUL-padded char array of untrusted text, read up to its size. */
static json_t *
text_array_json(const char *arr, size_t size)
{
	return text_json((const uint8_t *)arr, strnlen(arr, size), NULL);
}

/*
 * Set @p key to the untrusted text in a char array (NUL-padded, read up to
 * @p size); with @p omit_empty, an empty string sets nothing. Returns 0 or -1
 * (ENOMEM).
 */
static int
set_text(json_t *o, const char *key, const char *arr, size_t size, bool omit_empty)
{
	if (omit_empty && strnlen(arr, size) == 0)
		return 0;
	return json_object_set_new(o, key, text_array_json(arr, size));
}

/* set_text() of a fixed array, which text_json() must be able to hold whole. */
#define SET_TEXT(o, key, arr, omit_empty) \
	(RTE_BUILD_BUG_ON(sizeof(arr) > TEXT_MAX), \
	 set_text((o), (key), (arr), sizeof(arr), (omit_empty)))

/* Set @p key to an integer unless it is 0. Returns 0 or -1 (ENOMEM). */
static int
set_int_nz(json_t *o, const char *key, json_int_t v)
{
	if (v == 0)
		return 0;
	return json_object_set_new(o, key, json_integer(v));
}

/*
 * A name from our own files (signature, mediation device). Kept as is when it
 * is valid UTF-8, so "Überwachung" survives; otherwise escaped like packet
 * text rather than dropping the alert.
 */
static json_t *
name_json(const char *s, size_t cap)
{
	size_t len = strnlen(s, cap);
	json_t *j;

	j = json_stringn(s, len);
	if (j == NULL)	/* invalid UTF-8 (or out of memory: this then fails too) */
		j = text_json((const uint8_t *)s, len, NULL);
	return j;
}

static const char *
x2x3_pdu_type_name(uint16_t t)
{
	switch (t) {
	case 1:
		return "x2";
	case 2:
		return "x3";
	case 3:
		return "keepalive";
	case 4:
		return "keepalive-ack";
	default:
		return "unknown";
	}
}

/* ETSI TS 103 221-2 payload format codes. */
static const char *
x2x3_payload_format_name(uint16_t f)
{
	static const char *const names[] = {
		"reserved",
		"etsi-102232",
		"3gpp-33128",
		"3gpp-33108",
		"proprietary",
		"ipv4",
		"ipv6",
		"ethernet",
		"rtp",
		"sip",
		"dhcp",
		"radius",
		"gtp-u",
		"msrp",
		"eps-iri",
		"mime",
		"unstructured",
	};

	return f < RTE_DIM(names) ? names[f] : "unknown";
}

/* ETSI TS 103 221-2 payload direction codes; 0 and > 5 are reserved. */
static const char *
x2x3_direction_name(uint16_t d)
{
	static const char *const names[] = {
		"reserved",
		"unknown",
		"to-target",
		"from-target",
		"multiple",
		"not-applicable",
	};

	return d < RTE_DIM(names) ? names[d] : "reserved";
}

static json_t *
x2x3_json(const struct tw_li_x2x3 *x)
{
	/* 8-4-4-4-12 */
	char xid[36 + 1];
	char version[8];
	char *p = xid;
	unsigned int i;

	for (i = 0; i < RTE_DIM(x->xid); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		hex_bytes(&x->xid[i], 1, p);
		p += 2;
	}
	snprintf(version, sizeof(version), "%u.%u", x->version_major, x->version_minor);

	return json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:i}",
			"xid", xid,
			"pdu_type", x2x3_pdu_type_name(x->pdu_type),
			"pdu_type_id", (int)x->pdu_type,
			"payload_format", (int)x->payload_format,
			"payload_format_name", x2x3_payload_format_name(x->payload_format),
			"payload_direction", x2x3_direction_name(x->payload_direction),
			"version", version,
			"pdus", (int)x->nb_pdus);
}

static json_t *
hi_json(const struct tw_li_hi *h)
{
	char hex[2 * TW_LI_STR_MAX + 1];
	size_t liid_len = RTE_MIN((size_t)h->liid_len, sizeof(h->liid));
	bool escaped;
	json_t *o;

	/* text_json() keeps at most TEXT_MAX bytes */
	RTE_BUILD_BUG_ON(sizeof(h->liid) > TEXT_MAX);
	RTE_BUILD_BUG_ON(sizeof(h->domain_oid) > TEXT_MAX);
	RTE_BUILD_BUG_ON(sizeof(h->record) > TEXT_MAX);
	RTE_BUILD_BUG_ON(sizeof(h->payload) > TEXT_MAX);
	RTE_BUILD_BUG_ON(TW_POLICY_NAME_MAX > TEXT_MAX);

	o = json_object();
	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "liid", text_json(h->liid, liid_len, &escaped)) != 0)
		goto fail;
	if (escaped) {
		hex_bytes(h->liid, liid_len, hex);
		if (json_object_set_new(o, "liid_hex", json_string(hex)) != 0)
			goto fail;
	}
	if (json_object_set_new(o, "liid_truncated", json_boolean(h->liid_truncated)) != 0)
		goto fail;
	if (json_object_set_new(o, "domain_oid",
			text_array_json(h->domain_oid, sizeof(h->domain_oid))) != 0)
		goto fail;
	if (json_object_set_new(o, "record",
			text_array_json(h->record, sizeof(h->record))) != 0)
		goto fail;
	if (strnlen(h->payload, sizeof(h->payload)) > 0 &&
			json_object_set_new(o, "payload",
				text_array_json(h->payload, sizeof(h->payload))) != 0)
		goto fail;
	if (json_object_set_new(o, "sequence", json_integer(h->sequence)) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/*
 * The packet inside a copy: addresses, protocol, ports for TCP/UDP/SCTP, VLAN
 * if any. Same names and formats as the top level, except "vlan" (a number).
 */
static json_t *
inner_json(const struct tw_li_inner *in)
{
	char src[INET6_ADDRSTRLEN];
	char dst[INET6_ADDRSTRLEN];
	char proto_buf[4];
	json_t *o;

	tw_json_format_ip(in->l3, in->src, src, sizeof(src));
	tw_json_format_ip(in->l3, in->dst, dst, sizeof(dst));
	/* proto_buf holds any uint8_t: the name is never NULL */
	o = json_pack("{s:s, s:s, s:s}",
			"src_ip", src,
			"dest_ip", dst,
			"proto", tw_json_proto_name(in->proto, proto_buf, sizeof(proto_buf)));
	if (o == NULL)
		return NULL;
	if (proto_has_ports(in->proto)) {
		if (json_object_set_new(o, "src_port", json_integer(in->sport)) != 0)
			goto fail;
		if (json_object_set_new(o, "dest_port", json_integer(in->dport)) != 0)
			goto fail;
	}
	if (set_int_nz(o, "vlan", in->vlan) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/*
 * Add "inner" when the copied packet was parsed. l3 is 0 when it was not;
 * any other value but 4 or 6 has no address to show and counts as 0 too.
 */
static int
set_inner(json_t *o, const struct tw_li_inner *in)
{
	if (in->l3 != 4 && in->l3 != 6)
		return 0;
	return json_object_set_new(o, "inner", inner_json(in));
}

static json_t *
erspan_json(const struct tw_li_erspan *e)
{
	char gre_proto[sizeof("0xffff")];
	json_t *o;

	snprintf(gre_proto, sizeof(gre_proto), "0x%04x", e->gre_proto);
	o = json_pack("{s:i, s:i, s:i}",
			"type", (int)e->type,
			"session_id", (int)e->session_id,
			"vlan", (int)e->vlan);
	if (o == NULL)
		return NULL;
	if (e->type == 2 &&
			json_object_set_new(o, "index", json_integer(e->index)) != 0)
		goto fail;
	if (e->type == 3 &&
			json_object_set_new(o, "frame_type", json_integer(e->frame_type)) != 0)
		goto fail;
	if (json_object_set_new(o, "gre_proto", json_string(gre_proto)) != 0)
		goto fail;
	if (set_inner(o, &e->inner) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/* X1: xid, target and ne omitted when "". */
static json_t *
x1_json(const struct tw_li_x1 *x)
{
	json_t *o;

	o = json_object();
	if (o == NULL)
		return NULL;
	if (SET_TEXT(o, "root", x->root, false) != 0 ||
			SET_TEXT(o, "message", x->message, false) != 0 ||
			SET_TEXT(o, "xid", x->xid, true) != 0 ||
			SET_TEXT(o, "target", x->target, true) != 0 ||
			SET_TEXT(o, "ne", x->ne, true) != 0)
		goto fail;
	if (json_object_set_new(o, "xids", json_integer(x->nb_xids)) != 0)
		goto fail;
	if (json_object_set_new(o, "messages", json_integer(x->nb_messages)) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

static const char *
snmp_version_name(uint8_t v)
{
	switch (v) {
	case 0:
		return "v1";
	case 1:
		return "v2c";
	case 3:
		return "v3";
	default:
		return "unknown";
	}
}

/* PDU tag & 0x1f (RFC 3416 / RFC 1157 context tags 0..8). */
static const char *
snmp_operation_name(uint8_t pdu)
{
	static const char *const names[] = {
		"get",
		"getnext",
		"response",
		"set",
		"trap",
		"getbulk",
		"inform",
		"trap-v2",
		"report",
	};

	return pdu < RTE_DIM(names) ? names[pdu] : "unknown";
}

/*
 * SNMP: "community" for v1/v2c, "user" (msgUserName) for v3; table omitted
 * when "", the mediation address and port when unset, "encrypted" unless true.
 */
static json_t *
snmp_json(const struct tw_li_snmp *sn)
{
	char md[INET6_ADDRSTRLEN];
	json_t *o;

	o = json_pack("{s:s, s:s}",
			"version", snmp_version_name(sn->version),
			"operation", snmp_operation_name(sn->pdu));
	if (o == NULL)
		return NULL;
	if (SET_TEXT(o, sn->version == 3 ? "user" : "community", sn->community, false) != 0 ||
			SET_TEXT(o, "mib", sn->mib, false) != 0 ||
			SET_TEXT(o, "table", sn->table, true) != 0 ||
			SET_TEXT(o, "oid", sn->oid, false) != 0)
		goto fail;
	/* md_l3 other than 4/6 formats as "": nothing to show */
	tw_json_format_ip(sn->md_l3, sn->md_addr, md, sizeof(md));
	if (md[0] != '\0' &&
			json_object_set_new(o, "mediation_address", json_string(md)) != 0)
		goto fail;
	if (set_int_nz(o, "mediation_port", sn->md_port) != 0)
		goto fail;
	if (sn->encrypted != 0 &&
			json_object_set_new(o, "encrypted", json_true()) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/*
 * DTCP: "status" only when non-zero (replies; requests carry 0), the
 * destination, intercept and criteria ids only when present.
 */
static json_t *
dtcp_json(const struct tw_li_dtcp *d)
{
	json_t *o;

	o = json_object();
	if (o == NULL)
		return NULL;
	if (SET_TEXT(o, "command", d->command, false) != 0 ||
			SET_TEXT(o, "version", d->version, false) != 0)
		goto fail;
	if (set_int_nz(o, "status", d->status) != 0)
		goto fail;
	if (SET_TEXT(o, "dest_address", d->dest_addr, true) != 0)
		goto fail;
	if (set_int_nz(o, "dest_port", d->dest_port) != 0)
		goto fail;
	if (SET_TEXT(o, "intercept_id", d->intercept_id, true) != 0 ||
			SET_TEXT(o, "criteria_id", d->criteria_id, true) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/* Key of a shim detail under "li": the family's own, or "shim". */
static const char *
shim_key(uint8_t family)
{
	switch (family) {
	case TW_FAMILY_PACKETCABLE:
		return "packetcable";
	case TW_FAMILY_JMIRROR:
		return "jmirror";
	case TW_FAMILY_REDBACK_LI:
		return "redback";
	default:
		return "shim";
	}
}

/*
 * Shim copies, by family: PacketCable CCCID; jmirror/Nokia intercept and
 * session ids, header version and direction (when known); Redback LI id,
 * session, sequence and label (when present); any other family the whole
 * shim. Each with "inner" when the copied packet was parsed.
 */
static json_t *
shim_json(uint8_t family, const struct tw_li_shim *sh)
{
	json_t *o;

	switch (family) {
	case TW_FAMILY_PACKETCABLE:
		o = json_pack("{s:I, s:i}",
				"cccid", (json_int_t)sh->id,
				"header_len", (int)sh->header_len);
		break;
	case TW_FAMILY_JMIRROR:
		o = json_pack("{s:I, s:I, s:i}",
				"intercept_id", (json_int_t)sh->id,
				"session_id", (json_int_t)sh->session,
				"mhv", (int)sh->mhv);
		if (o != NULL && (sh->direction == 1 || sh->direction == 2) &&
				json_object_set_new(o, "direction", json_string(
					sh->direction == 1 ? "ingress" : "egress")) != 0)
			goto fail;
		break;
	case TW_FAMILY_REDBACK_LI:
		o = json_pack("{s:I, s:I, s:I}",
				"li_id", (json_int_t)sh->id,
				"session_id", (json_int_t)sh->session,
				"sequence", (json_int_t)sh->seq);
		if (o != NULL && SET_TEXT(o, "label", sh->label, true) != 0)
			goto fail;
		break;
	default:
		o = json_pack("{s:I, s:I, s:I, s:i}",
				"id", (json_int_t)sh->id,
				"session_id", (json_int_t)sh->session,
				"sequence", (json_int_t)sh->seq,
				"header_len", (int)sh->header_len);
		if (o != NULL && SET_TEXT(o, "label", sh->label, true) != 0)
			goto fail;
		break;
	}
	if (o == NULL)
		return NULL;
	if (set_inner(o, &sh->inner) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

static const char *
tzsp_type_name(uint8_t t)
{
	static const char *const names[] = {
		"received",
		"transmit",
		"reserved",
		"config",
		"keepalive",
		"port-opener",
	};

	return t < RTE_DIM(names) ? names[t] : "unknown";
}

static const char *
tzsp_encap_name(uint16_t e)
{
	switch (e) {
	case 1:
		return "ethernet";
	case 18:
		return "802.11";
	case 119:
		return "prism";
	case 127:
		return "avs";
	default:
		return "unknown";
	}
}

static json_t *
tzsp_json(const struct tw_li_tzsp *t)
{
	json_t *o;

	o = json_pack("{s:i, s:i, s:s, s:i, s:s}",
			"version", (int)t->version,
			"type", (int)t->type,
			"type_name", tzsp_type_name(t->type),
			"encap", (int)t->encap,
			"encap_name", tzsp_encap_name(t->encap));
	if (o == NULL)
		return NULL;
	if (set_inner(o, &t->inner) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* rpcap: "value" omitted when 0. */
static json_t *
rpcap_json(const struct tw_li_rpcap *r)
{
	json_t *o;

	o = json_pack("{s:i, s:i}",
			"version", (int)r->version,
			"type", (int)r->type);
	if (o == NULL)
		return NULL;
	if (SET_TEXT(o, "message", r->message, false) != 0)
		goto fail;
	if (set_int_nz(o, "value", r->value) != 0)
		goto fail;
	if (json_object_set_new(o, "length", json_integer(r->plen)) != 0)
		goto fail;
	if (set_inner(o, &r->inner) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/*
 * The built-in warrant signatures fire on authorized endpoints whose task is
 * not listed: neither "authorized" nor "unauthorized" describes them.
 */
static const char *
alert_category(const struct tw_alert *a)
{
	if (a->sig_id == TW_SIG_ID_NO_WARRANT_XID || a->sig_id == TW_SIG_ID_NO_WARRANT_LIID)
		return "Lawful intercept without warrant";
	return a->authorized ? "Authorized lawful intercept" : "Unauthorized lawful intercept";
}

/* alert.metadata, as Suricata rules' metadata: {"mitre_technique_id": [ids]}. */
static json_t *
mitre_json(const struct tw_alert *a)
{
	char ids[TW_SIG_MITRE_MAX];
	char *tok, *save = NULL;
	json_t *arr, *o;

	memcpy(ids, a->mitre, sizeof(ids));
	ids[sizeof(ids) - 1] = '\0';
	arr = json_array();
	if (arr == NULL)
		return NULL;
	for (tok = strtok_r(ids, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (json_array_append_new(arr, name_json(tok, strlen(tok) + 1)) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	o = json_object();
	if (o == NULL || json_object_set_new(o, "mitre_technique_id", arr) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
alert_json(const struct tw_alert *a)
{
	json_t *o;

	o = json_pack("{s:s, s:i, s:I, s:I}",
			"action", a->action == TW_ALERT_BLOCKED ? "blocked" : "allowed",
			"gid", EVE_GID,
			"signature_id", (json_int_t)a->sig_id,
			"rev", (json_int_t)a->sig_rev);
	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "signature", name_json(a->sig_name, sizeof(a->sig_name))) != 0)
		goto fail;
	if (json_object_set_new(o, "category", json_string(alert_category(a))) != 0)
		goto fail;
	if (json_object_set_new(o, "severity", json_integer(a->severity)) != 0)
		goto fail;
	if (a->mitre[0] != '\0' && json_object_set_new(o, "metadata", mitre_json(a)) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

/* "listed" / "missing"; NULL when unchecked (or out of range): omitted. */
static const char *
warrant_name(uint8_t w)
{
	switch (w) {
	case TW_WARRANT_LISTED:
		return "listed";
	case TW_WARRANT_MISSING:
		return "missing";
	default:
		return NULL;
	}
}

/* Add the detail object of the alert's kind; nothing for NONE or unknown. */
static int
set_detail(json_t *o, const struct tw_alert *a)
{
	const struct tw_li_detail *d = &a->detail;

	switch (d->kind) {
	case TW_LI_KIND_X2X3:
		return json_object_set_new(o, "x2x3", x2x3_json(&d->x2x3));
	case TW_LI_KIND_HI:
		return json_object_set_new(o, "hi", hi_json(&d->hi));
	case TW_LI_KIND_ERSPAN:
		return json_object_set_new(o, "erspan", erspan_json(&d->erspan));
	case TW_LI_KIND_X1:
		return json_object_set_new(o, "x1", x1_json(&d->x1));
	case TW_LI_KIND_SNMP:
		return json_object_set_new(o, "snmp", snmp_json(&d->snmp));
	case TW_LI_KIND_DTCP:
		return json_object_set_new(o, "dtcp", dtcp_json(&d->dtcp));
	case TW_LI_KIND_SHIM:
		return json_object_set_new(o, shim_key(a->family),
				shim_json(a->family, &d->shim));
	case TW_LI_KIND_TZSP:
		return json_object_set_new(o, "tzsp", tzsp_json(&d->tzsp));
	case TW_LI_KIND_RPCAP:
		return json_object_set_new(o, "rpcap", rpcap_json(&d->rpcap));
	default:
		return 0;
	}
}

static json_t *
li_json(const struct tw_alert *a)
{
	const char *warrant = warrant_name(a->warrant);
	const char *family = tw_family_name(a->family);
	json_t *md;
	json_t *o;

	o = json_pack("{s:s, s:b}",
			"family", family != NULL ? family : "unknown",
			"authorized", a->authorized != 0);
	if (o == NULL)
		return NULL;
	if (strnlen(a->md_name, sizeof(a->md_name)) > 0)
		md = name_json(a->md_name, sizeof(a->md_name));
	else
		md = json_null();
	if (json_object_set_new(o, "mediation_device", md) != 0)
		goto fail;
	if (warrant != NULL &&
			json_object_set_new(o, "warrant", json_string(warrant)) != 0)
		goto fail;
	if (set_detail(o, a) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

json_t *
tw_json_alert(const struct tw_alert *a)
{
	char ts[TS_LEN + 1];
	char src[INET6_ADDRSTRLEN];
	char dst[INET6_ADDRSTRLEN];
	char proto_buf[4];
	const char *proto;
	bool ports;
	json_t *o;

	if (a == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (tw_json_format_ts(a->ts_ns, ts, sizeof(ts)) < 0) {
		rte_errno = EINVAL;	/* cannot happen for a uint64_t */
		return NULL;
	}
	tw_json_format_ip(a->l3, a->src, src, sizeof(src));
	tw_json_format_ip(a->l3, a->dst, dst, sizeof(dst));
	proto = tw_json_proto_name(a->proto, proto_buf, sizeof(proto_buf));
	ports = proto_has_ports(a->proto);

	/*
	 * Suricata's order: timestamp first, so line-oriented tools can sort
	 * and cut on it. flow_id is signed in JSON (and in SIEM "long" fields);
	 * ids above INT64_MAX come out negative but keep their 64 bits.
	 */
	o = json_pack("{s:s, s:I, s:s}",
			"timestamp", ts,
			"flow_id", (json_int_t)a->flow_id,
			"event_type", "alert");
	if (o == NULL)
		goto nomem;
	if (a->vlan != 0 &&
			json_object_set_new(o, "vlan", json_pack("[i]", (int)a->vlan)) != 0)
		goto nomem;
	if (src[0] != '\0' && json_object_set_new(o, "src_ip", json_string(src)) != 0)
		goto nomem;
	if (ports && json_object_set_new(o, "src_port", json_integer(a->sport)) != 0)
		goto nomem;
	if (dst[0] != '\0' && json_object_set_new(o, "dest_ip", json_string(dst)) != 0)
		goto nomem;
	if (ports && json_object_set_new(o, "dest_port", json_integer(a->dport)) != 0)
		goto nomem;
	if (json_object_set_new(o, "proto", json_string(proto)) != 0)
		goto nomem;
	if (json_object_set_new(o, "alert", alert_json(a)) != 0)
		goto nomem;
	if (json_object_set_new(o, "li", li_json(a)) != 0)
		goto nomem;
	return o;

nomem:
	json_decref(o);
	rte_errno = ENOMEM;
	return NULL;
}

int
tw_json_alert_line(const struct tw_alert *a, char *buf, size_t cap)
{
	json_t *o;
	size_t n;

	if (a == NULL || buf == NULL)
		return -EINVAL;
	o = tw_json_alert(a);
	if (o == NULL)
		return -ENOMEM;
	/* Returns the length it needs, writing at most cap bytes, no NUL. */
	n = json_dumpb(o, buf, cap, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (n == 0)
		return -ENOMEM;
	if (n > (size_t)INT_MAX - 2 || n + 2 > cap) {
		if (cap > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	buf[n] = '\n';
	buf[n + 1] = '\0';
	return (int)(n + 1);
}
