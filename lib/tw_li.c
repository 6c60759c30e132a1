/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <netinet/in.h>
#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define TW_NAME_STR(name, str) str,
static const char *const family_names[TW_FAMILY_MAX] = {
	TW_FAMILY_LIST(TW_NAME_STR)
};
static const char *const validator_names[TW_VALIDATOR_MAX] = {
	TW_VALIDATOR_LIST(TW_NAME_STR)
};
#undef TW_NAME_STR

static int
name_lookup(const char *const *names, unsigned int nb, const char *name)
{
	unsigned int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < nb; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
tw_family_name(unsigned int family)
{
	return family < TW_FAMILY_MAX ? family_names[family] : NULL;
}

int
tw_family_from_name(const char *name)
{
	return name_lookup(family_names, TW_FAMILY_MAX, name);
}

const char *
tw_validator_name(unsigned int v)
{
	return v < TW_VALIDATOR_MAX ? validator_names[v] : NULL;
}

int
tw_validator_from_name(const char *name)
{
	return name_lookup(validator_names, TW_VALIDATOR_MAX, name);
}

/*
 * A UDP payload is a whole message only if nothing cut it short: not the
 * first fragment of a larger datagram, not a short capture.
 */
static int
is_whole_datagram(const struct tw_pkt_meta *m)
{
	return m != NULL && m->proto == IPPROTO_UDP &&
		(m->flags & (TW_PKT_F_FRAG | TW_PKT_F_TRUNC_PAYLOAD)) == 0;
}

int
tw_li_validate(enum tw_validator v, const uint8_t *payload, uint32_t len,
		const struct tw_pkt_meta *m, struct tw_li_detail *d)
{
	struct tw_li_detail scratch;

	/* Callers that only want the verdict may pass d == NULL. */
	if (d == NULL)
		d = &scratch;
	if (v == TW_VALIDATOR_NONE) {
		memset(d, 0, sizeof(*d));
		d->kind = TW_LI_KIND_NONE;
		return 1;
	}
	if (payload == NULL || len == 0)
		return 0;

	switch (v) {
	case TW_VALIDATOR_X2X3:
		return tw_li_x2x3_validate(payload, len, is_whole_datagram(m), d);
	case TW_VALIDATOR_PS_PDU:
		return tw_li_ps_pdu_validate(payload, len, d);
	case TW_VALIDATOR_HI2:
		return tw_li_hi2_validate(payload, len, d);
	case TW_VALIDATOR_ERSPAN:
		return tw_li_erspan_validate(payload, len, d);
	case TW_VALIDATOR_X1:
		return tw_li_x1_validate(payload, len, d);
	case TW_VALIDATOR_SNMP_TAP:
		return tw_li_snmp_validate(payload, len, d);
	case TW_VALIDATOR_DTCP:
		return tw_li_dtcp_validate(payload, len, d);
	case TW_VALIDATOR_PACKETCABLE:
		return tw_li_packetcable_validate(payload, len, d);
	case TW_VALIDATOR_JMIRROR:
		return tw_li_jmirror_validate(payload, len, d);
	case TW_VALIDATOR_REDBACK:
		return tw_li_redback_validate(payload, len, d);
	case TW_VALIDATOR_TZSP:
		return tw_li_tzsp_validate(payload, len, d);
	case TW_VALIDATOR_RPCAP:
		return tw_li_rpcap_validate(payload, len, d);
	default:
		return 0;
	}
}

enum tw_pkt_status
tw_li_inner_parse(const uint8_t *p, uint32_t len, enum tw_pkt_link link,
		struct tw_li_inner *in)
{
	struct tw_pkt_meta m;
	enum tw_pkt_status st;

	memset(in, 0, sizeof(*in));
	st = tw_pkt_parse(p, len, link, &m);
	/* A copy cut short still names its endpoints once the IP addresses are read. */
	switch (st) {
	case TW_PKT_OK:
	case TW_PKT_BAD_IPV6_EXT:
	case TW_PKT_IPV6_EXT_DEPTH:
	case TW_PKT_TRUNC_TCP:
	case TW_PKT_BAD_TCP_HDR:
	case TW_PKT_TRUNC_UDP:
	case TW_PKT_BAD_UDP_LEN:
	case TW_PKT_TRUNC_GRE:
	case TW_PKT_BAD_GRE:
		break;
	default:
		return st;
	}
	in->l3 = m.l3;
	in->proto = m.proto;
	in->sport = m.sport;
	in->dport = m.dport;
	in->vlan = m.vlan;
	memcpy(in->src, m.src, sizeof(in->src));
	memcpy(in->dst, m.dst, sizeof(in->dst));
	return st;
}
