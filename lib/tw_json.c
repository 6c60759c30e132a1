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
	return o;

fail:
	json_decref(o);
	return NULL;
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
	if (json_object_set_new(o, "category", json_string(a->authorized ?
			"Authorized lawful intercept" :
			"Unauthorized lawful intercept")) != 0)
		goto fail;
	if (json_object_set_new(o, "severity", json_integer(a->severity)) != 0)
		goto fail;
	return o;

fail:
	json_decref(o);
	return NULL;
}

static json_t *
li_json(const struct tw_alert *a)
{
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

	switch (a->detail.kind) {
	case TW_LI_KIND_X2X3:
		if (json_object_set_new(o, "x2x3", x2x3_json(&a->detail.x2x3)) != 0)
			goto fail;
		break;
	case TW_LI_KIND_HI:
		if (json_object_set_new(o, "hi", hi_json(&a->detail.hi)) != 0)
			goto fail;
		break;
	case TW_LI_KIND_ERSPAN:
		if (json_object_set_new(o, "erspan", erspan_json(&a->detail.erspan)) != 0)
			goto fail;
		break;
	default:
		break;
	}
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
