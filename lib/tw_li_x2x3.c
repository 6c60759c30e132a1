/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * ETSI TS 103 221-2 X2/X3 PDU validator (3GPP TS 33.128 LI_X2 / LI_X3).
 *
 * A PDU is a 40-byte fixed header, HL - 40 bytes of conditional attribute
 * TLVs, then PL bytes of payload:
 *
 *   0 version (major, minor)   2 PDU type   4 HL   8 PL   12 payload format
 *   14 payload direction   16 XID (16)   32 correlation id (8)   40 TLVs
 *
 * PDUs follow each other on the connection with no extra framing, so a TCP
 * segment that starts on a PDU boundary is walked PDU by PDU. Every walked
 * PDU whose header is in the segment must be fully consistent. The last one
 * may be cut anywhere by the segment end: its payload, or even its header
 * (then only the header bytes present are checked). The first PDU is the one
 * reported and must have its whole header (HL bytes) in the segment.
 */

#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define X2X3_FIXED_LEN 40
/* Nothing real comes near: OpenLI and sipgate headers are a few hundred bytes. */
#define X2X3_HL_MAX (1u << 20)
#define X2X3_ATTR_KNOWN_MAX 22

enum {
	PDU_X2 = 1,		/* xIRI */
	PDU_X3 = 2,		/* xCC */
	PDU_KEEPALIVE = 3,
	PDU_KEEPALIVE_ACK = 4,
};

#define FMT_BIT(f) (1u << (f))
/* Payload formats allowed per PDU type (sipgate PayloadFormat.java). */
static const uint32_t x2_formats =
	FMT_BIT(1) | FMT_BIT(2) | FMT_BIT(3) | FMT_BIT(4) | FMT_BIT(5) |
	FMT_BIT(6) | FMT_BIT(9) | FMT_BIT(10) | FMT_BIT(11) | FMT_BIT(14) |
	FMT_BIT(15);
static const uint32_t x3_formats =
	FMT_BIT(1) | FMT_BIT(2) | FMT_BIT(3) | FMT_BIT(4) | FMT_BIT(5) |
	FMT_BIT(6) | FMT_BIT(7) | FMT_BIT(8) | FMT_BIT(12) | FMT_BIT(13) |
	FMT_BIT(15) | FMT_BIT(16);

enum {
	FMT_IPV4 = 5,
	FMT_IPV6 = 6,
	FMT_RTP = 8,
};

/* Value length of the fixed-size attribute types, 0 = variable. */
static const uint8_t attr_fixed_len[X2X3_ATTR_KNOWN_MAX + 1] = {
	[8] = 4,		/* sequence number (4 in OpenLI/sipgate) */
	[9] = 8,		/* timestamp: seconds + nanoseconds */
	[10] = 4, [11] = 4,	/* source / destination IPv4 */
	[12] = 16, [13] = 16,	/* source / destination IPv6 */
	[14] = 2, [15] = 2,	/* source / destination port */
	[16] = 1,		/* IP protocol */
};

enum pdu_verdict {
	PDU_BAD = 0,
	PDU_OK,
	PDU_PARTIAL,		/* consistent so far, header cut by the segment */
};

/*
 * Check the fixed-header fields present in the first @p avail bytes
 * (avail may be below 40 for a PDU cut by the segment end).
 */
static int
fixed_fields_ok(const uint8_t *p, uint32_t avail)
{
	uint16_t type, fmt, dir;
	uint32_t hl, pl;

	if (avail < 1)
		return 1;
	if (p[0] != 0)
		return 0;
	if (avail < 2)
		return 1;
	if (p[1] < 1 || p[1] > 15)
		return 0;
	if (avail < 4)
		return 1;
	type = tw_li_be16(p + 2);
	if (type < PDU_X2 || type > PDU_KEEPALIVE_ACK)
		return 0;
	if (avail < 8)
		return 1;
	hl = tw_li_be32(p + 4);
	if (hl < X2X3_FIXED_LEN || hl > X2X3_HL_MAX)
		return 0;
	if (avail < 12)
		return 1;
	pl = tw_li_be32(p + 8);
	if (type >= PDU_KEEPALIVE && pl != 0)
		return 0;
	if (avail < 14)
		return 1;
	fmt = tw_li_be16(p + 12);
	if (type >= PDU_KEEPALIVE) {
		if (fmt != 0)
			return 0;
	} else if (fmt > 31 ||
			((type == PDU_X2 ? x2_formats : x3_formats) & FMT_BIT(fmt)) == 0) {
		return 0;
	}
	if (avail < 16)
		return 1;
	dir = tw_li_be16(p + 14);
	if (type >= PDU_KEEPALIVE)
		return dir == 0;
	return dir >= 1 && dir <= 5;
}

/* First payload byte against the payload format, when it is present. */
static int
payload_ok(uint16_t fmt, uint8_t b)
{
	switch (fmt) {
	case FMT_IPV4:
		return (b >> 4) == 4;
	case FMT_IPV6:
		return (b >> 4) == 6;
	case FMT_RTP:
		return (b & 0xc0) == 0x80;	/* RTP version 2 */
	default:
		return 1;
	}
}

/*
 * One PDU at p, @p avail bytes readable (>= 40). Walks the attribute TLVs
 * that are present; they must tile [40, HL) exactly.
 */
static enum pdu_verdict
pdu_check(const uint8_t *p, uint32_t avail, uint16_t *nb_unknown)
{
	uint32_t hl, pl, off, end;
	uint16_t unknown = 0;

	if (!fixed_fields_ok(p, X2X3_FIXED_LEN))
		return PDU_BAD;
	hl = tw_li_be32(p + 4);
	pl = tw_li_be32(p + 8);

	end = hl < avail ? hl : avail;
	off = X2X3_FIXED_LEN;
	while (off < end) {
		uint32_t vlen;
		uint16_t type;

		if (hl - off < 4)
			return PDU_BAD;		/* TLV header overshoots HL */
		if (end - off < 4)
			break;			/* cut by the segment */
		type = tw_li_be16(p + off);
		vlen = tw_li_be16(p + off + 2);
		if (vlen > hl - off - 4)
			return PDU_BAD;		/* value overshoots HL */
		if (type >= 1 && type <= X2X3_ATTR_KNOWN_MAX) {
			if (attr_fixed_len[type] != 0 && vlen != attr_fixed_len[type])
				return PDU_BAD;
		} else if (unknown < UINT16_MAX) {
			unknown++;
		}
		off += 4 + vlen;
	}
	/* Counted only for PDUs walked in full: a partial walk is not reported. */
	if (hl > avail)
		return PDU_PARTIAL;
	if (off != hl)
		return PDU_BAD;

	if (pl != 0 && avail > hl && !payload_ok(tw_li_be16(p + 12), p[hl]))
		return PDU_BAD;
	*nb_unknown = (uint16_t)(*nb_unknown + unknown < UINT16_MAX ?
			*nb_unknown + unknown : UINT16_MAX);
	return PDU_OK;
}

int
tw_li_x2x3_validate(const uint8_t *p, uint32_t len, int exact_end,
		struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_x2x3 *x = &out.x2x3;
	uint64_t off = 0;
	uint16_t nb_unknown = 0;
	unsigned int nb_pdus = 0;

	memset(&out, 0, sizeof(out));
	/* Each walked PDU is >= 40 bytes, so this loops at most len / 40 times. */
	while (off < len) {
		uint32_t avail = len - (uint32_t)off;
		enum pdu_verdict v;
		uint64_t next;

		if (avail < X2X3_FIXED_LEN) {
			if (nb_pdus == 0 || exact_end || !fixed_fields_ok(p + off, avail))
				return 0;
			break;
		}
		v = pdu_check(p + off, avail, &nb_unknown);
		if (v == PDU_BAD)
			return 0;
		if (v == PDU_PARTIAL) {
			if (nb_pdus == 0 || exact_end)
				return 0;
			break;
		}
		/*
		 * Report the first PDU, or the first data PDU after keepalives:
		 * the data PDU names the task (XID) that warrant checks need.
		 */
		if (nb_pdus == 0 || (x->pdu_type >= 3 && tw_li_be16(p + off + 2) <= 2)) {
			const uint8_t *q = p + off;

			memcpy(x->xid, q + 16, sizeof(x->xid));
			x->version_major = q[0];
			x->version_minor = q[1];
			x->pdu_type = tw_li_be16(q + 2);
			x->header_len = tw_li_be32(q + 4);
			x->payload_len = tw_li_be32(q + 8);
			x->payload_format = tw_li_be16(q + 12);
			x->payload_direction = tw_li_be16(q + 14);
		}
		nb_pdus++;
		next = off + tw_li_be32(p + off + 4) + tw_li_be32(p + off + 8);
		if (next > len && exact_end)
			return 0;
		off = next;
	}

	out.kind = TW_LI_KIND_X2X3;
	x->nb_pdus = nb_pdus < UINT16_MAX ? (uint16_t)nb_pdus : UINT16_MAX;
	x->nb_unknown_attrs = nb_unknown;
	*d = out;
	return 1;
}
