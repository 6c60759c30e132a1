/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * SNMP carrying a lawful-intercept MIB: Cisco SII (CISCO-TAP-MIB, -TAP2-,
 * -IP-TAP-, -802-TAP-, -USER-CONNECTION-TAP-, -VOIP-TAP-, -MOBILITY-TAP-),
 * CableLabs PKTC-ES-TAP-MIB and the H3C / HPE Comware LI MIBs
 * (docs/li-protocols.md sections 4, 5 and 7.3).
 *
 * The whole message is walked (RFC 1157, RFC 3416, RFC 3412, RFC 3414):
 *
 *   30 len  02 01 version
 *     v1/v2c: 04 len community  PDU
 *     v3:     30 { msgID, msgMaxSize, 04 01 msgFlags, msgSecurityModel }
 *             04 len 30 { engineID, boots, time, userName, authParams, privParams }
 *             30 { 04 contextEngineID, 04 contextName, PDU }    noAuth / authNoPriv
 *             04 len ciphertext                                 authPriv
 *   PDU A0..A3, A5..A8: { request-id, error-status, error-index, VarBindList }
 *   v1 Trap A4:  { 06 enterprise, 40 04 agent-addr, generic, specific,
 *                  43 time-stamp, VarBindList }
 *   VarBindList: 30 { 30 { 06 name, value } ... }
 *
 * Lengths are definite (short form, or long form with 1..4 octets), every
 * element fits its parent and the children of every constructed element
 * walked tile it exactly. Bytes after the message are ignored: the outer
 * length says where it ends, and rejecting padding would let padding hide a
 * message. A cut message never fits and is rejected.
 *
 * The message is confirmed when an OID lies at or under a TAP MIB root,
 * compared arc by arc (1.3.6.1.4.1.9.9.39 and .3990 are not .399): a
 * varbind name, the value of snmpTrapOID.0 (v2 trap / inform: the
 * notification itself), or the enterprise of an enterpriseSpecific v1 trap
 * (RFC 3584 3.2 maps notification R.0.N to enterprise R, specific N). An OID
 * value under any other name is not evidence: sysORID and similar
 * inventory columns may point at a TAP MIB without touching it. v3 authPriv
 * hides the OIDs, so it is never confirmed here.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define BER_INTEGER 0x02
#define BER_OCTET_STRING 0x04
#define BER_OID 0x06
#define BER_SEQUENCE 0x30
#define SNMP_IPADDRESS 0x40
#define SNMP_GAUGE32 0x42	/* also Unsigned32, InetPortNumber */
#define SNMP_TIMETICKS 0x43
#define SNMP_UINTEGER32 0x47	/* RFC 1442, obsolete but still decoded */

#define PDU_TRAP_V1 0xa4

#define V3_FLAG_AUTH 0x01
#define V3_FLAG_PRIV 0x02
#define V3_USM 3
#define V3_MSG_SIZE_MIN 484	/* RFC 3412 msgMaxSize (484..2^31-1) */
#define V3_USER_MAX 32		/* RFC 3414 msgUserName SIZE (0..32) */

#define OID_ARCS_MAX 128	/* RFC 2578 3.5: at most 128 sub-identifiers */
/*
 * Arcs kept for classification: the longest root (13) + table path (3) +
 * entry and column (2) + one index arc fits comfortably.
 */
#define OID_KEEP 24
#define ROOT_ARCS_MAX 13

/* One BER element: identifier octet and where its content lies. */
struct tlv {
	uint8_t id;
	uint32_t off;
	uint32_t len;
};

/* A bounded region being walked: the next element is at pos, content ends at end. */
struct cur {
	uint32_t pos;
	uint32_t end;
};

/* A table (or other subtree) below a MIB root. */
struct tap_table {
	uint8_t nb;
	uint8_t path[3];
	const char *name;
};

/* A TAP MIB: root, notification prefix, mediation entry and named tables. */
struct tap_mib {
	const char *name;
	uint8_t nb_root;
	uint16_t root[ROOT_ARCS_MAX];
	uint8_t nb_notif;	/* notifications are <root>.<notif>.N */
	uint8_t notif[3];
	/*
	 * Mediation entry below the root, 0 if none: column 3 DestAddress
	 * (InetAddress) and column 4 DestPort (InetPortNumber), one index arc
	 * (ContentId / MediationIndex). Same numbering in all four MIBs that
	 * have the table, per their compiled modules.
	 */
	uint8_t nb_med;
	uint8_t med[4];
	uint8_t nb_tables;
	struct tap_table tables[5];
};

#define MED_COL_ADDR 3
#define MED_COL_PORT 4

/* Table OIDs from the pysnmp-compiled modules (DotZero24/pysnmp-mibs). */
static const struct tap_mib tap_mibs[] = {
	{
		.name = "CISCO-TAP2-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 399 },
		.nb_notif = 1, .notif = { 0 },
		.nb_med = 4, .med = { 1, 1, 2, 1 },
		.nb_tables = 4,
		.tables = {
			{ 3, { 1, 1, 2 }, "cTap2MediationTable" },
			{ 3, { 1, 2, 1 }, "cTap2StreamTable" },
			{ 3, { 1, 3, 3 }, "cTap2DebugTable" },
			{ 3, { 1, 3, 4 }, "cTap2DebugUserTable" },
		},
	},
	{
		.name = "CISCO-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 252 },
		.nb_notif = 1, .notif = { 0 },
		.nb_med = 4, .med = { 1, 1, 2, 1 },
		.nb_tables = 4,
		.tables = {
			{ 3, { 1, 1, 2 }, "cTapMediationTable" },
			{ 3, { 1, 2, 2 }, "cTapStreamIpTable" },
			{ 3, { 1, 2, 3 }, "cTapStream802Table" },
			{ 3, { 1, 3, 1 }, "cTapDebugTable" },
		},
	},
	{
		.name = "CISCO-IP-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 394 },
		.nb_notif = 1, .notif = { 0 },
		.nb_tables = 1,
		.tables = { { 3, { 1, 1, 2 }, "citapStreamTable" } },
	},
	{
		.name = "CISCO-802-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 395 },
		.nb_notif = 1, .notif = { 0 },
		.nb_tables = 1,
		.tables = { { 3, { 1, 1, 2 }, "c802tapStreamTable" } },
	},
	{
		.name = "CISCO-USER-CONNECTION-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 400 },
		.nb_notif = 1, .notif = { 0 },
		.nb_tables = 1,
		.tables = { { 3, { 1, 1, 2 }, "cuctTapStreamTable" } },
	},
	{
		.name = "CISCO-VOIP-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 716 },
		.nb_notif = 1, .notif = { 0 },
		.nb_tables = 1,
		.tables = { { 3, { 1, 1, 2 }, "cvoiptapStreamTable" } },
	},
	{
		.name = "CISCO-MOBILITY-TAP-MIB",
		.nb_root = 9, .root = { 1, 3, 6, 1, 4, 1, 9, 9, 672 },
		.nb_notif = 1, .notif = { 0 },
		.nb_tables = 1,
		.tables = { { 3, { 1, 1, 2 }, "cmtapStreamTable" } },
	},
	{
		.name = "PKTC-ES-TAP-MIB",
		.nb_root = 12, .root = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 9, 1, 1 },
		.nb_notif = 1, .notif = { 0 },
		.nb_med = 4, .med = { 1, 1, 2, 1 },
		.nb_tables = 3,
		.tables = {
			{ 3, { 1, 1, 2 }, "pktcEScTapMediationTable" },
			{ 3, { 1, 2, 1 }, "pktcEScTapStreamTable" },
			{ 3, { 1, 3, 3 }, "pktcEScTapDebugTable" },
		},
	},
	{
		.name = "A3COM-HUAWEI-LI-MIB",
		.nb_root = 12, .root = { 1, 3, 6, 1, 4, 1, 43, 45, 1, 10, 2, 111 },
		.nb_notif = 3, .notif = { 1, 2, 0 },
		.nb_med = 4, .med = { 1, 3, 2, 1 },
		.nb_tables = 5,
		.tables = {
			{ 3, { 1, 3, 2 }, "h3cLIMediationTable" },
			{ 3, { 1, 3, 3 }, "h3cLIStreamTable" },
			{ 3, { 2, 1, 1 }, "h3cLIIPStreamTable" },
			{ 3, { 3, 1, 1 }, "h3cLIMACStreamTable" },
			{ 3, { 4, 1, 1 }, "h3cLIUserStreamTable" },
		},
	},
	{
		.name = "HPN-ICF-LI-MIB",
		.nb_root = 13, .root = { 1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 15, 2, 111 },
		.nb_notif = 3, .notif = { 1, 2, 0 },
		.nb_med = 4, .med = { 1, 3, 2, 1 },
		.nb_tables = 5,
		.tables = {
			{ 3, { 1, 3, 2 }, "hpnicfLIMediationTable" },
			{ 3, { 1, 3, 3 }, "hpnicfLIStreamTable" },
			{ 3, { 2, 1, 1 }, "hpnicfLIIPStreamTable" },
			{ 3, { 3, 1, 1 }, "hpnicfLIMACStreamTable" },
			{ 3, { 4, 1, 1 }, "hpnicfLIUserStreamTable" },
		},
	},
};

/* snmpTrapOID.0 (SNMPv2-MIB): its value names the notification. */
static const uint16_t snmp_trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

/* A decoded OID: the first OID_KEEP arcs and the total count. */
struct oid {
	uint32_t arcs[OID_KEEP];
	unsigned int nb;
};

/* What the walk found. */
struct snmp_scan {
	const uint8_t *p;
	uint8_t version;
	uint8_t pdu;
	bool has_values;	/* PDU values are data, not get/getnext/getbulk NULLs */
	uint32_t user_off;	/* community or msgUserName */
	uint32_t user_len;
	/* first TAP OID */
	const struct tap_mib *mib;
	const char *table;
	uint32_t oid_off;
	uint32_t oid_len;
	/* mediation destination: the row of the first DestAddress / DestPort seen */
	const struct tap_mib *md_mib;
	uint32_t md_index;
	uint8_t md_l3;
	uint8_t md_addr[16];
	uint16_t md_port;
	bool md_has_port;
};

/*
 * Read the element at c->pos, inside [c->pos, c->end), and step over it.
 * Single-octet identifiers only (SNMP uses no high tag numbers); definite
 * lengths only.
 */
static bool
tlv_next(const uint8_t *p, struct cur *c, struct tlv *t)
{
	uint32_t i = c->pos, n, k, len = 0;
	uint8_t b;

	if (c->end - i < 2)
		return false;
	t->id = p[i++];
	if ((t->id & 0x1f) == 0x1f)
		return false;
	b = p[i++];
	if (b < 0x80) {
		len = b;
	} else {
		n = b & 0x7f;
		if (n == 0 || n > 4)	/* indefinite, or more than 32 bits */
			return false;
		if (c->end - i < n)
			return false;
		for (k = 0; k < n; k++)
			len = (len << 8) | p[i++];
	}
	if (len > c->end - i)
		return false;
	t->off = i;
	t->len = len;
	c->pos = i + len;
	return true;
}

/* tlv_next() with an identifier check. */
static bool
tlv_expect(const uint8_t *p, struct cur *c, uint8_t id, struct tlv *t)
{
	return tlv_next(p, c, t) && t->id == id;
}

/* Cursor over the content of @p t. */
static struct cur
tlv_inner(const struct tlv *t)
{
	struct cur c = { t->off, t->off + t->len };

	return c;
}

static bool
cur_done(const struct cur *c)
{
	return c->pos == c->end;
}

/*
 * Two's-complement integer of 1..5 content octets (five only for an
 * unsigned 32-bit value with a leading zero octet).
 */
static bool
int_value(const uint8_t *p, const struct tlv *t, int64_t *v)
{
	uint32_t i;
	int64_t x;

	if (t->len == 0 || t->len > 5)
		return false;
	if (t->len == 5 && p[t->off] != 0x00)
		return false;
	x = (p[t->off] & 0x80) != 0 ? -1 : 0;
	for (i = 0; i < t->len; i++)
		x = (int64_t)((uint64_t)x << 8) | p[t->off + i];
	*v = x;
	return true;
}

/* An INTEGER element whose value is in [lo, hi]. */
static bool
int_expect(const uint8_t *p, struct cur *c, int64_t lo, int64_t hi, int64_t *v)
{
	struct tlv t;
	int64_t x;

	if (!tlv_expect(p, c, BER_INTEGER, &t) || !int_value(p, &t, &x))
		return false;
	if (x < lo || x > hi)
		return false;
	if (v != NULL)
		*v = x;
	return true;
}

/*
 * Decode the content of an OID: base-128 sub-identifiers whose values fit
 * 32 bits, the last one complete, the first split into two arcs
 * (40 * x + y). Keeps the first OID_KEEP arcs.
 *
 * Leading 0x80 octets (non-minimal, X.690 8.19.2) are tolerated, as tshark
 * decodes them, like non-minimal long-form lengths: otherwise padding one
 * index arc would hide a message whose root the signature matched.
 */
static bool
oid_decode(const uint8_t *p, uint32_t len, struct oid *o)
{
	uint32_t i = 0, v;

	o->nb = 0;
	if (len == 0)
		return false;
	while (i < len) {
		v = 0;
		for (;;) {
			if (i == len || v > (UINT32_MAX >> 7))
				return false;
			v = (v << 7) | (p[i] & 0x7f);
			if ((p[i++] & 0x80) == 0)
				break;
		}
		if (o->nb == 0) {
			uint32_t x = v < 40 ? 0 : v < 80 ? 1 : 2;

			o->arcs[0] = x;
			o->arcs[1] = v - 40 * x;
			o->nb = 2;
			continue;
		}
		if (o->nb == OID_ARCS_MAX)
			return false;
		if (o->nb < OID_KEEP)
			o->arcs[o->nb] = v;
		o->nb++;
	}
	return true;
}

/* Decimal of @p v at out[*pos] with room for the NUL, or false. */
static bool
put_uint(char *out, size_t size, size_t *pos, uint32_t v)
{
	char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (size - *pos <= n)
		return false;
	while (n > 0)
		out[(*pos)++] = tmp[--n];
	out[*pos] = '\0';
	return true;
}

/*
 * Dotted text of OID content already accepted by oid_decode(). Whole arcs
 * only: an OID too long for @p out stops at the last arc that fits.
 */
static void
oid_format(const uint8_t *p, uint32_t len, char *out, size_t size)
{
	uint32_t i = 0, v;
	size_t pos = 0, mark;
	bool first = true;

	out[0] = '\0';
	while (i < len) {
		v = 0;
		do {
			v = (v << 7) | (p[i] & 0x7f);
		} while ((p[i++] & 0x80) != 0 && i < len);
		mark = pos;
		if (first) {
			uint32_t x = v < 40 ? 0 : v < 80 ? 1 : 2;

			if (!put_uint(out, size, &pos, x) || size - pos <= 1)
				goto full;
			out[pos++] = '.';
			v -= 40 * x;
			first = false;
		} else {
			if (size - pos <= 1)
				goto full;
			out[pos++] = '.';
		}
		if (!put_uint(out, size, &pos, v))
			goto full;
	}
	return;
full:
	out[mark] = '\0';
}

static bool
arcs_match(const uint32_t *arcs, const uint16_t *want, unsigned int nb)
{
	unsigned int i;

	for (i = 0; i < nb; i++)
		if (arcs[i] != want[i])
			return false;
	return true;
}

static bool
path_match(const uint32_t *arcs, const uint8_t *want, unsigned int nb)
{
	unsigned int i;

	for (i = 0; i < nb; i++)
		if (arcs[i] != want[i])
			return false;
	return true;
}

/* The TAP MIB an OID lies at or under, or NULL. */
static const struct tap_mib *
mib_of(const struct oid *o)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(tap_mibs); i++)
		if (o->nb >= tap_mibs[i].nb_root &&
				arcs_match(o->arcs, tap_mibs[i].root, tap_mibs[i].nb_root))
			return &tap_mibs[i];
	return NULL;
}

/* Table name of an OID under @p mib, "notification", or "". */
static const char *
table_of(const struct tap_mib *mib, const struct oid *o)
{
	const uint32_t *rel = o->arcs + mib->nb_root;
	/* Arcs past OID_KEEP are not kept; every path compared below is. */
	unsigned int nb_rel = RTE_MIN(o->nb, (unsigned int)OID_KEEP) - mib->nb_root;
	unsigned int i;

	for (i = 0; i < mib->nb_tables; i++)
		if (nb_rel >= mib->tables[i].nb &&
				path_match(rel, mib->tables[i].path, mib->tables[i].nb))
			return mib->tables[i].name;
	if (nb_rel > mib->nb_notif && path_match(rel, mib->notif, mib->nb_notif))
		return "notification";
	return "";
}

/*
 * Mediation column (MED_COL_ADDR / MED_COL_PORT) and row index of an
 * instance OID <root>.<entry>.<column>.<index>; 0 if it is not one.
 */
static unsigned int
med_column(const struct tap_mib *mib, const struct oid *o, uint32_t *index)
{
	const uint32_t *rel = o->arcs + mib->nb_root;
	unsigned int col;

	if (mib->nb_med == 0 || o->nb != mib->nb_root + mib->nb_med + 2u)
		return 0;
	if (!path_match(rel, mib->med, mib->nb_med))
		return 0;
	col = rel[mib->nb_med];
	if (col != MED_COL_ADDR && col != MED_COL_PORT)
		return 0;
	*index = rel[mib->nb_med + 1];
	return col;
}

/* Record the first TAP OID. */
static void
note_tap_oid(struct snmp_scan *s, const struct tap_mib *mib, const struct oid *o,
		const struct tlv *t)
{
	if (s->mib != NULL)
		return;
	s->mib = mib;
	s->table = table_of(mib, o);
	s->oid_off = t->off;
	s->oid_len = t->len;
}

/*
 * A mediation DestAddress / DestPort value. The first one seen picks the
 * row (MIB and index); values of other rows are ignored so that address
 * and port always describe the same destination.
 */
static void
note_mediation(struct snmp_scan *s, const struct tap_mib *mib, unsigned int col,
		uint32_t index, const struct tlv *val)
{
	const uint8_t *v = s->p + val->off;
	int64_t port;

	if (s->md_mib != NULL && (s->md_mib != mib || s->md_index != index))
		return;
	if (col == MED_COL_ADDR) {
		if (val->id != BER_OCTET_STRING || (val->len != 4 && val->len != 16) ||
				s->md_l3 != 0)
			return;
		memcpy(s->md_addr, v, val->len);
		s->md_l3 = val->len == 4 ? 4 : 6;
	} else {
		if (val->id != BER_INTEGER && val->id != SNMP_GAUGE32 &&
				val->id != SNMP_UINTEGER32)
			return;
		if (s->md_has_port || !int_value(s->p, val, &port) ||
				port < 0 || port > UINT16_MAX)
			return;
		s->md_port = (uint16_t)port;
		s->md_has_port = true;
	}
	s->md_mib = mib;
	s->md_index = index;
}

/* A varbind value: one of the SMI types (RFC 2578, RFC 3416), well formed. */
static bool
value_ok(const uint8_t *p, const struct tlv *t)
{
	struct oid o;

	switch (t->id) {
	case BER_INTEGER:
	case 0x41:		/* Counter32 */
	case SNMP_GAUGE32:
	case SNMP_TIMETICKS:
	case SNMP_UINTEGER32:
		return t->len >= 1 && t->len <= 5;
	case 0x46:		/* Counter64 */
		return t->len >= 1 && t->len <= 9;
	case 0x03:		/* BIT STRING (RFC 1442 BITS) */
	case BER_OCTET_STRING:
	case 0x44:		/* Opaque */
		return true;
	case SNMP_IPADDRESS:
		return t->len == 4;
	case BER_OID:
		return oid_decode(p + t->off, t->len, &o);
	case 0x05:		/* NULL */
	case 0x80:		/* noSuchObject */
	case 0x81:		/* noSuchInstance */
	case 0x82:		/* endOfMibView */
		return t->len == 0;
	default:
		return false;
	}
}

/* VarBindList: 30 { 30 { 06 name, value } ... }, exactly @p c. */
static bool
walk_varbinds(struct snmp_scan *s, struct cur *c)
{
	const uint8_t *p = s->p;
	struct tlv list, vb, name, val;
	struct cur lc, vc;
	struct oid o;

	if (!tlv_expect(p, c, BER_SEQUENCE, &list) || !cur_done(c))
		return false;
	lc = tlv_inner(&list);
	while (!cur_done(&lc)) {
		const struct tap_mib *mib;
		unsigned int col;
		uint32_t index;

		if (!tlv_expect(p, &lc, BER_SEQUENCE, &vb))
			return false;
		vc = tlv_inner(&vb);
		if (!tlv_expect(p, &vc, BER_OID, &name) || !tlv_next(p, &vc, &val) ||
				!cur_done(&vc))
			return false;
		if (!oid_decode(p + name.off, name.len, &o) || !value_ok(p, &val))
			return false;

		mib = mib_of(&o);
		if (mib != NULL) {
			note_tap_oid(s, mib, &o, &name);
			col = med_column(mib, &o, &index);
			if (col != 0 && s->has_values)
				note_mediation(s, mib, col, index, &val);
			continue;
		}
		/* snmpTrapOID.0 = the notification's OID (checked by value_ok) */
		if (val.id == BER_OID && o.nb == RTE_DIM(snmp_trap_oid) &&
				arcs_match(o.arcs, snmp_trap_oid, RTE_DIM(snmp_trap_oid))) {
			(void)oid_decode(p + val.off, val.len, &o);
			mib = mib_of(&o);
			if (mib != NULL)
				note_tap_oid(s, mib, &o, &val);
		}
	}
	return true;
}

/* v1 Trap-PDU content (RFC 1157 4.1.6), exactly @p c. */
static bool
walk_trap_v1(struct snmp_scan *s, struct cur *c)
{
	const uint8_t *p = s->p;
	const struct tap_mib *mib;
	struct tlv ent, addr, ts;
	int64_t generic;
	struct oid o;

	if (!tlv_expect(p, c, BER_OID, &ent) || !oid_decode(p + ent.off, ent.len, &o))
		return false;
	if (!tlv_expect(p, c, SNMP_IPADDRESS, &addr) || addr.len != 4)
		return false;
	if (!int_expect(p, c, 0, 6, &generic) || !int_expect(p, c, INT32_MIN, INT32_MAX, NULL))
		return false;
	if (!tlv_expect(p, c, SNMP_TIMETICKS, &ts) || ts.len < 1 || ts.len > 5)
		return false;
	/* enterpriseSpecific(6): the enterprise names the notification's MIB. */
	mib = mib_of(&o);
	if (generic == 6 && mib != NULL) {
		s->mib = mib;
		s->table = "notification";
		s->oid_off = ent.off;
		s->oid_len = ent.len;
	}
	return walk_varbinds(s, c);
}

/* The PDU, which must fill @p c exactly. */
static bool
walk_pdu(struct snmp_scan *s, struct cur *c)
{
	const uint8_t *p = s->p;
	struct tlv pdu;
	struct cur pc;
	uint8_t tag;

	if (!tlv_next(p, c, &pdu) || !cur_done(c))
		return false;
	if (pdu.id < 0xa0 || pdu.id > 0xa8)
		return false;
	/* v1 has get/getnext/response/set/trap; v2c and v3 everything but v1 trap. */
	if (s->version == 0 ? pdu.id > PDU_TRAP_V1 : pdu.id == PDU_TRAP_V1)
		return false;
	tag = pdu.id & 0x1f;
	s->pdu = tag;
	/* get (0), getnext (1) and getbulk (5) carry NULL placeholders. */
	s->has_values = tag != 0 && tag != 1 && tag != 5;
	pc = tlv_inner(&pdu);
	if (pdu.id == PDU_TRAP_V1)
		return walk_trap_v1(s, &pc);
	if (!int_expect(p, &pc, INT32_MIN, UINT32_MAX, NULL) ||	/* request-id */
			!int_expect(p, &pc, INT32_MIN, INT32_MAX, NULL) ||
			!int_expect(p, &pc, INT32_MIN, INT32_MAX, NULL))
		return false;
	return walk_varbinds(s, &pc);
}

/* v3 from msgGlobalData on (RFC 3412 6, RFC 3414 2.4), exactly @p c. */
static bool
walk_v3(struct snmp_scan *s, struct cur *c)
{
	const uint8_t *p = s->p;
	struct tlv gd, flags, secp, usm, user, data, t;
	struct cur gc, sc, uc, dc;
	int64_t model;
	uint8_t f;

	if (!tlv_expect(p, c, BER_SEQUENCE, &gd))
		return false;
	gc = tlv_inner(&gd);
	if (!int_expect(p, &gc, 0, INT32_MAX, NULL) ||		/* msgID */
			!int_expect(p, &gc, V3_MSG_SIZE_MIN, INT32_MAX, NULL) ||
			!tlv_expect(p, &gc, BER_OCTET_STRING, &flags) || flags.len != 1 ||
			!int_expect(p, &gc, 1, INT32_MAX, &model) || !cur_done(&gc))
		return false;
	f = p[flags.off];
	/* privacy without authentication is not a valid level (RFC 3412 6.4) */
	if ((f & (V3_FLAG_AUTH | V3_FLAG_PRIV)) == V3_FLAG_PRIV || model != V3_USM)
		return false;

	/* msgSecurityParameters: an OCTET STRING wrapping exactly the USM SEQUENCE. */
	if (!tlv_expect(p, c, BER_OCTET_STRING, &secp))
		return false;
	sc = tlv_inner(&secp);
	if (!tlv_expect(p, &sc, BER_SEQUENCE, &usm) || !cur_done(&sc))
		return false;
	uc = tlv_inner(&usm);
	if (!tlv_expect(p, &uc, BER_OCTET_STRING, &t) ||		/* engineID */
			!int_expect(p, &uc, 0, INT32_MAX, NULL) ||	/* boots */
			!int_expect(p, &uc, 0, INT32_MAX, NULL) ||	/* time */
			!tlv_expect(p, &uc, BER_OCTET_STRING, &user) ||
			user.len > V3_USER_MAX ||
			!tlv_expect(p, &uc, BER_OCTET_STRING, &t) ||	/* authParams */
			!tlv_expect(p, &uc, BER_OCTET_STRING, &t) ||	/* privParams */
			!cur_done(&uc))
		return false;
	s->user_off = user.off;
	s->user_len = user.len;

	/* msgData: encryptedPDU only with privacy, ScopedPDU only without. */
	if (!tlv_next(p, c, &data) || !cur_done(c))
		return false;
	if ((f & V3_FLAG_PRIV) != 0 || data.id != BER_SEQUENCE)
		return false;	/* encrypted (OIDs invisible) or inconsistent */
	dc = tlv_inner(&data);
	if (!tlv_expect(p, &dc, BER_OCTET_STRING, &t) ||	/* contextEngineID */
			!tlv_expect(p, &dc, BER_OCTET_STRING, &t))	/* contextName */
		return false;
	return walk_pdu(s, &dc);
}

/* Copy up to size - 1 bytes as a NUL-terminated string. */
static void
copy_str(char *dst, size_t size, const uint8_t *src, uint32_t len)
{
	if (len > size - 1)
		len = (uint32_t)(size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int
tw_li_snmp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct snmp_scan s;
	struct tlv msg, comm;
	struct tw_li_snmp *out;
	struct cur c = { 0, len };
	int64_t version;
	bool ok;

	memset(&s, 0, sizeof(s));
	s.p = p;
	if (!tlv_expect(p, &c, BER_SEQUENCE, &msg))
		return 0;
	c = tlv_inner(&msg);
	if (!int_expect(p, &c, 0, 3, &version) || version == 2)
		return 0;
	s.version = (uint8_t)version;
	if (version == 3) {
		ok = walk_v3(&s, &c);
	} else {
		ok = tlv_expect(p, &c, BER_OCTET_STRING, &comm);
		if (ok) {
			s.user_off = comm.off;
			s.user_len = comm.len;
			ok = walk_pdu(&s, &c);
		}
	}
	if (!ok || s.mib == NULL)
		return 0;

	memset(d, 0, sizeof(*d));
	d->kind = TW_LI_KIND_SNMP;
	out = &d->snmp;
	out->version = s.version;
	out->pdu = s.pdu;
	out->md_l3 = s.md_l3;
	memcpy(out->md_addr, s.md_addr, sizeof(out->md_addr));
	out->md_port = s.md_port;
	copy_str(out->community, sizeof(out->community), p + s.user_off, s.user_len);
	copy_str(out->mib, sizeof(out->mib), (const uint8_t *)s.mib->name,
			(uint32_t)strlen(s.mib->name));
	copy_str(out->table, sizeof(out->table), (const uint8_t *)s.table,
			(uint32_t)strlen(s.table));
	oid_format(p + s.oid_off, s.oid_len, out->oid, sizeof(out->oid));
	return 1;
}
