/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * ETSI handover validators, both BER and both rooted in the LI OID arc
 * lawfulIntercept = 0.4.0.2.2 (content bytes 04 00 02 02):
 *
 * - TS 102 232-1 PS-PDU (HI2/HI3 over TCP, OpenLI / libwandder):
 *     30 len  A1 len  80 07 04 00 02 02 05 01 NN  81 len LIID ...  A2 len ...
 * - TS 101 671 / 3GPP TS 33.108 HI2 IRIsContent:
 *     [TPKT]  A0|A1 len  A1..A4 len  80 06 04 00 02 02 01 NN  81 len LIID ...
 *                                    80 08 04 00 02 02 04 {01|08|09} RR VV
 *
 * A TCP segment may end anywhere, so a definite length may point past the
 * segment: that is accepted where the parts we confirm on are present, and
 * every read is bounded by the segment length as well as by the parent.
 */

#include <stdbool.h>
#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

/*
 * Constructed levels walked below a member. Deeper definite content is
 * skipped by its length; deeper indefinite content is rejected. Recursion
 * depth, and so stack use, is bounded by this.
 */
#define BER_DEPTH_MAX 8
#define LIID_LEN_MAX 25		/* LawfulInterceptionIdentifier SIZE (1..25) */

#define BER_ID_CONSTRUCTED 0x20
#define BER_CLASS_MASK 0xc0
#define BER_CLASS_CONTEXT 0x80
#define BER_SEQUENCE 0x30

enum ber_status {
	BER_OK = 0,
	BER_SHORT = -1,		/* runs past the readable bound */
	BER_BAD = -2,		/* not BER */
};

/* One identifier + length header. */
struct ber_hdr {
	uint8_t id;		/* first identifier octet: class, constructed bit */
	bool indef;		/* indefinite length (constructed only) */
	uint32_t tag;		/* tag number */
	uint32_t hlen;		/* identifier and length octets */
	uint32_t clen;		/* content length (definite form) */
};

/* Read the header at p[off], never reading at or past @p end. */
static enum ber_status
ber_hdr_read(const uint8_t *p, uint32_t off, uint32_t end, struct ber_hdr *h)
{
	uint32_t i = off, n, k;
	uint8_t b;

	if (i >= end)
		return BER_SHORT;
	h->id = p[i++];
	h->tag = h->id & 0x1f;
	if (h->tag == 0x1f) {
		/* High tag number: base-128, at most 4 octets (< 2^28). */
		h->tag = 0;
		for (k = 0;; k++) {
			if (k == 4)
				return BER_BAD;
			if (i >= end)
				return BER_SHORT;
			b = p[i++];
			if (k == 0 && b == 0x80)
				return BER_BAD;		/* leading zero */
			h->tag = (h->tag << 7) | (b & 0x7f);
			if ((b & 0x80) == 0)
				break;
		}
	}
	if (i >= end)
		return BER_SHORT;
	b = p[i++];
	h->indef = false;
	h->clen = 0;
	if (b < 0x80) {
		h->clen = b;
	} else if (b == 0x80) {
		if ((h->id & BER_ID_CONSTRUCTED) == 0)
			return BER_BAD;
		h->indef = true;
	} else {
		n = b & 0x7f;
		if (n > 4)
			return BER_BAD;
		if (end - i < n)
			return BER_SHORT;
		for (k = 0; k < n; k++)
			h->clen = (h->clen << 8) | p[i++];
	}
	h->hlen = i - off;
	return BER_OK;
}

static bool
is_eoc(const uint8_t *p, uint32_t off, uint32_t end)
{
	return off < end && end - off >= 2 && p[off] == 0 && p[off + 1] == 0;
}

static enum ber_status ber_skip(const uint8_t *p, uint32_t off, uint32_t end,
		unsigned int depth, uint32_t *next);

/*
 * Children of a constructed element from @p off. Definite (cend != 0): they
 * must tile [off, cend) exactly, cend <= end. Indefinite (cend == 0): they
 * run to an end-of-contents inside [off, end). *next is past the last child
 * (past the EOC for the indefinite form).
 */
static enum ber_status
ber_walk_children(const uint8_t *p, uint32_t off, uint32_t cend, uint32_t end,
		unsigned int depth, uint32_t *next)
{
	uint32_t bound = cend != 0 ? cend : end;

	if (depth == 0)
		return BER_BAD;
	while (cend == 0 || off < cend) {
		enum ber_status st;

		if (cend == 0) {
			if (end - off < 2)
				return BER_SHORT;
			if (is_eoc(p, off, end)) {
				*next = off + 2;
				return BER_OK;
			}
		}
		st = ber_skip(p, off, bound, depth - 1, &off);
		if (st != BER_OK)
			/* A child overrunning a complete definite parent is not BER. */
			return (cend != 0 && st == BER_SHORT) ? BER_BAD : st;
	}
	*next = off;
	return BER_OK;
}

/*
 * Skip one whole element at p[off] inside [off, end), walking constructed
 * content down to @p depth levels (deeper definite content is skipped by
 * its length; deeper indefinite content cannot be and is rejected).
 * BER_SHORT if it does not end before @p end.
 */
static enum ber_status
ber_skip(const uint8_t *p, uint32_t off, uint32_t end, unsigned int depth,
		uint32_t *next)
{
	struct ber_hdr h;
	enum ber_status st;
	uint32_t c;

	st = ber_hdr_read(p, off, end, &h);
	if (st != BER_OK)
		return st;
	if (h.id == 0 && h.tag == 0)
		return BER_BAD;			/* EOC where an element belongs */
	c = off + h.hlen;
	if (h.indef)
		return ber_walk_children(p, c, 0, end, depth, next);
	if (h.clen > end - c)
		return BER_SHORT;
	if ((h.id & BER_ID_CONSTRUCTED) != 0 && h.clen != 0 && depth > 0) {
		st = ber_walk_children(p, c, c + h.clen, end, depth, next);
		if (st != BER_OK)
			return st;
	}
	*next = c + h.clen;
	return BER_OK;
}

/* Decimal of @p v at out[*pos], keeping room for the NUL. */
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
 * OBJECT IDENTIFIER content octets to dotted form. False if malformed
 * (leading 0x80, last octet continued, arc over 28 bits) or too long.
 */
static bool
oid_to_dotted(const uint8_t *c, uint32_t n, char *out, size_t size)
{
	uint32_t i, arc = 0, k = 0;
	size_t pos = 0;
	bool first = true;

	if (n == 0 || (c[n - 1] & 0x80) != 0)
		return false;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (k == 0 && c[i] == 0x80)
			return false;
		if (++k > 4)
			return false;
		arc = (arc << 7) | (c[i] & 0x7f);
		if (c[i] & 0x80)
			continue;
		if (first) {
			/* X.690 8.19.4: the first octets join arcs 1 and 2. */
			uint32_t a1 = arc < 40 ? 0 : arc < 80 ? 1 : 2;

			if (!put_uint(out, size, &pos, a1) || size - pos < 2)
				return false;
			out[pos++] = '.';
			arc -= a1 * 40;
			first = false;
		} else {
			if (size - pos < 2)
				return false;
			out[pos++] = '.';
		}
		if (!put_uint(out, size, &pos, arc))
			return false;
		arc = 0;
		k = 0;
	}
	return true;
}

static void
copy_liid(struct tw_li_hi *hi, const uint8_t *c, uint32_t n)
{
	uint32_t keep = n < TW_LI_STR_MAX ? n : TW_LI_STR_MAX;

	memcpy(hi->liid, c, keep);
	hi->liid_len = (uint8_t)keep;
	hi->liid_truncated = n > keep;
}

static void
set_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const uint8_t li_stem[] = { 0x04, 0x00, 0x02, 0x02 };	/* 0.4.0.2.2 */

/* ---------------------------------------------------------------------- */
/* TS 102 232-1 PS-PDU                                                     */
/* ---------------------------------------------------------------------- */

static const uint8_t ps_domain_stem[] = { 0x04, 0x00, 0x02, 0x02, 0x05, 0x01 };

/* Binary LIIDs exist; operators use text. Half printable filters noise. */
static bool
liid_ok(const uint8_t *c, uint32_t n)
{
	uint32_t i, printable = 0;

	if (n < 1 || n > LIID_LEN_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (c[i] >= 0x20 && c[i] <= 0x7e)
			printable++;
	return printable * 2 >= n;
}

static bool
is_digit(uint8_t b)
{
	return b >= '0' && b <= '9';
}

static bool
is_alpha(uint8_t b)
{
	return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

/* GeneralizedTime YYYYMMDDhhmmss[(.|,)f+][Z|(+|-)hhmm], 14..23 chars. */
static bool
gentime_ok(const uint8_t *c, uint32_t n)
{
	uint32_t i = 14, k;

	if (n < 14 || n > 23)
		return false;
	for (k = 0; k < 14; k++)
		if (!is_digit(c[k]))
			return false;
	if (i < n && (c[i] == '.' || c[i] == ',')) {
		i++;
		if (i >= n || !is_digit(c[i]))
			return false;
		while (i < n && is_digit(c[i]))
			i++;
	}
	if (i == n)
		return true;
	if (c[i] == 'Z')
		return i + 1 == n;
	if (c[i] == '+' || c[i] == '-') {
		if (n - i != 5)
			return false;
		for (k = i + 1; k < n; k++)
			if (!is_digit(c[k]))
				return false;
		return true;
	}
	return false;
}

/*
 * sequenceNumber INTEGER (0..4294967295): 1..5 octets. Read as unsigned:
 * libwandder's encoder writes the minimal unsigned octets without the sign
 * octet (128 is "84 01 80"), so a set top bit is not treated as negative.
 */
static bool
seqno_read(const uint8_t *c, uint32_t n, uint32_t *v)
{
	uint32_t i;

	if (n < 1 || n > 5 || (n == 5 && c[0] != 0))
		return false;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = (*v << 8) | c[i];
	return true;
}

/* PSHeader member forms: IMPLICIT tags, [3] and [7] constructed. */
static bool
ps_member_form_ok(const struct ber_hdr *h)
{
	bool cons = (h->id & BER_ID_CONSTRUCTED) != 0;

	switch (h->tag) {
	case 3:
	case 7:
		return cons;
	case 0: case 1: case 2: case 4: case 5: case 6: case 8:
		return !cons;
	default:
		return true;	/* extensions after the marker: any form */
	}
}

/*
 * Walk the PSHeader members from @p off up to @p hend: the definite end of
 * A1, or for an indefinite A1 the bound its end-of-contents must come
 * before. Fills @p hi; *hdr_end is past the PSHeader (past its EOC). The
 * PSHeader must be complete.
 */
static bool
ps_header_walk(const uint8_t *p, uint32_t off, uint32_t hend, bool indef,
		struct tw_li_hi *hi, uint32_t *hdr_end)
{
	int64_t prev_tag = -1;
	bool have_liid = false;

	for (;;) {
		struct ber_hdr h;
		const uint8_t *c;
		uint32_t next;

		if (!indef && off == hend)
			break;
		if (indef && is_eoc(p, off, hend)) {
			off += 2;
			break;
		}
		if (ber_hdr_read(p, off, hend, &h) != BER_OK)
			return false;
		if ((h.id & BER_CLASS_MASK) != BER_CLASS_CONTEXT)
			return false;
		if ((int64_t)h.tag <= prev_tag || !ps_member_form_ok(&h))
			return false;
		if (prev_tag < 0 && h.tag != 0)
			return false;		/* li-psDomainId comes first */
		if (prev_tag == 0 && h.tag != 1)
			return false;		/* then the LIID */
		prev_tag = h.tag;
		if (ber_skip(p, off, hend, BER_DEPTH_MAX, &next) != BER_OK)
			return false;
		c = p + off + h.hlen;

		switch (h.tag) {
		case 0:
			if (h.clen <= sizeof(ps_domain_stem) ||
					memcmp(c, ps_domain_stem, sizeof(ps_domain_stem)) != 0 ||
					!oid_to_dotted(c, h.clen, hi->domain_oid,
						sizeof(hi->domain_oid)))
				return false;
			break;
		case 1:
			if (!liid_ok(c, h.clen))
				return false;
			copy_liid(hi, c, h.clen);
			have_liid = true;
			break;
		case 2:
			if (h.clen != 2 || !is_alpha(c[0]) || !is_alpha(c[1]))
				return false;
			break;
		case 4:
			if (!seqno_read(c, h.clen, &hi->sequence))
				return false;
			break;
		case 5:
			if (!gentime_ok(c, h.clen))
				return false;
			break;
		default:
			break;
		}
		off = next;
	}
	*hdr_end = off;
	return have_liid;
}

int
tw_li_ps_pdu_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	static const char *const payload_names[] = {
		"iri", "cc", "tri", "hi1", "encrypted",
	};
	struct tw_li_detail out;
	struct tw_li_hi *hi = &out.hi;
	struct ber_hdr h0, h1, h2, h3;
	uint64_t pdu_end, pay_end;
	uint32_t lim, off, hend;
	enum ber_status st;

	memset(&out, 0, sizeof(out));

	if (ber_hdr_read(p, 0, len, &h0) != BER_OK || h0.id != BER_SEQUENCE)
		return 0;
	/* The PDU may continue past the segment: read up to the nearer end. */
	pdu_end = h0.indef ? UINT64_MAX : (uint64_t)h0.hlen + h0.clen;
	lim = pdu_end < len ? (uint32_t)pdu_end : len;

	/* pSHeader [1]: must be whole in this segment. */
	off = h0.hlen;
	if (ber_hdr_read(p, off, lim, &h1) != BER_OK || h1.id != 0xa1)
		return 0;
	if (h1.indef) {
		hend = lim;
	} else {
		if (h1.clen > lim - off - h1.hlen)
			return 0;
		hend = off + h1.hlen + h1.clen;
	}
	if (!ps_header_walk(p, off + h1.hlen, hend, h1.indef, hi, &off))
		return 0;

	/* payload [2]: mandatory, a CHOICE [0]..[4]; checked as far as present. */
	if (off >= lim) {
		if (pdu_end <= len)
			return 0;		/* PDU complete without a payload */
		goto done;			/* payload in the next segment */
	}
	st = ber_hdr_read(p, off, lim, &h2);
	if (st == BER_SHORT && pdu_end > len)
		goto done;
	if (st != BER_OK || h2.id != 0xa2)
		return 0;
	off += h2.hlen;
	if (h2.indef) {
		pay_end = pdu_end;
	} else {
		if (h2.clen == 0)
			return 0;		/* empty CHOICE */
		pay_end = (uint64_t)off + h2.clen;
		if (pay_end > pdu_end)
			return 0;		/* does not fit the PS-PDU */
	}
	lim = pay_end < len ? (uint32_t)pay_end : len;
	if (off >= lim) {
		if (pay_end <= len)
			return 0;		/* no room for the CHOICE */
		goto done;
	}
	st = ber_hdr_read(p, off, lim, &h3);
	if (st == BER_BAD || (st == BER_SHORT && pay_end <= len))
		return 0;
	if (h3.id < 0xa0 || h3.id > 0xa4)
		return 0;
	if (st == BER_OK && !h3.indef &&
			(uint64_t)off + h3.hlen + h3.clen > pay_end)
		return 0;			/* does not fit the payload */
	set_str(hi->payload, sizeof(hi->payload), payload_names[h3.id - 0xa0]);

done:
	out.kind = TW_LI_KIND_HI;
	set_str(hi->record, sizeof(hi->record), "ps-pdu");
	*d = out;
	return 1;
}

/* ---------------------------------------------------------------------- */
/* TS 101 671 / 33.108 HI2 IRIsContent                                     */
/* ---------------------------------------------------------------------- */

#define TPKT_HDR_LEN 4
#define TAG_IRI_VERSION 23

/*
 * domainID content: ETSI HI2 0.4.0.2.2.1.N (6 octets) or 3GPP
 * 0.4.0.2.2.4.{1 UMTS HI2, 8 EPS HI2, 9 EPS HI3}.R.V (8 octets).
 */
static bool
hi2_domain_ok(const uint8_t *c, uint32_t n)
{
	if (n < 6 || memcmp(c, li_stem, sizeof(li_stem)) != 0)
		return false;
	if (n == 6 && c[4] == 0x01)
		return c[5] >= 1 && c[5] < 0x80;
	if (n == 8 && c[4] == 0x04 &&
			(c[5] == 0x01 || c[5] == 0x08 || c[5] == 0x09))
		return c[6] < 0x80 && c[7] < 0x80;
	return false;
}

/*
 * An element header at p[off] that must fit inside the parent ending at
 * @p pend (UINT64_MAX if indefinite). *cend is where its content ends,
 * UINT64_MAX if indefinite.
 */
static bool
nested_hdr(const uint8_t *p, uint32_t off, uint32_t len, uint64_t pend,
		struct ber_hdr *h, uint64_t *cend)
{
	uint32_t lim = pend < len ? (uint32_t)pend : len;

	if (ber_hdr_read(p, off, lim, h) != BER_OK)
		return false;
	if (h->indef) {
		*cend = pend;
		return true;
	}
	*cend = (uint64_t)off + h->hlen + h->clen;
	return *cend <= pend;
}

int
tw_li_hi2_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	static const char *const record_names[] = {
		"hi2-begin", "hi2-end", "hi2-continue", "hi2-report",
	};
	struct tw_li_detail out;
	struct tw_li_hi *hi = &out.hi;
	struct ber_hdr h;
	uint64_t end = UINT64_MAX, rend;
	uint32_t off = 0, lim;
	uint8_t rec_id;
	bool rec_indef, have_domain = false, have_version = false;

	memset(&out, 0, sizeof(out));

	/* Optional TPKT (RFC 1006): version 3, reserved 0, total length. */
	if (len >= 1 && p[0] == 0x03) {
		if (len < TPKT_HDR_LEN || p[1] != 0x00)
			return 0;
		end = tw_li_be16(p + 2);
		if (end <= TPKT_HDR_LEN)
			return 0;
		off = TPKT_HDR_LEN;
	}

	/* iRIContent [0] or iRISequence [1], both constructed. */
	if (!nested_hdr(p, off, len, end, &h, &end) ||
			(h.id != 0xa0 && h.id != 0xa1))
		return 0;
	off += h.hlen;
	/* IRI-Begin/End/Continue/Report-record [1]..[4]. */
	if (!nested_hdr(p, off, len, end, &h, &rend) || h.id < 0xa1 || h.id > 0xa4)
		return 0;
	rec_id = h.id;
	rec_indef = h.indef;
	off += h.hlen;
	lim = rend < len ? (uint32_t)rend : len;

	/* domainID [0] and iRIversion [23] in either order, then the LIID [1]. */
	for (;;) {
		if (ber_hdr_read(p, off, lim, &h) != BER_OK ||
				(h.id & BER_CLASS_MASK) != BER_CLASS_CONTEXT ||
				h.clen > lim - off - h.hlen)
			return 0;
		if (h.id == 0x80 && !have_domain) {
			if (!hi2_domain_ok(p + off + h.hlen, h.clen) ||
					!oid_to_dotted(p + off + h.hlen, h.clen,
						hi->domain_oid, sizeof(hi->domain_oid)))
				return 0;
			have_domain = true;
		} else if (h.id == 0x80 + TAG_IRI_VERSION && !have_version) {
			if (h.clen < 1 || h.clen > 2)
				return 0;
			have_version = true;
		} else if (h.id == 0x81 && have_domain) {
			if (h.clen < 1 || h.clen > LIID_LEN_MAX)
				return 0;
			copy_liid(hi, p + off + h.hlen, h.clen);
			off += h.hlen + h.clen;
			break;
		} else {
			return 0;
		}
		off += h.hlen + h.clen;
	}

	/*
	 * The rest of the record, as far as this segment holds it: context
	 * tagged members that tile the record up to its end (or its EOC).
	 */
	for (;;) {
		enum ber_status st;
		uint32_t next;

		if (!rec_indef && off == rend)
			break;
		if (off >= len)
			break;			/* record continues in the next segment */
		if (rec_indef && is_eoc(p, off, lim))
			break;
		if ((p[off] & BER_CLASS_MASK) != BER_CLASS_CONTEXT)
			return 0;
		st = ber_skip(p, off, lim, BER_DEPTH_MAX, &next);
		if (st == BER_SHORT && lim == len && rend > len)
			break;			/* cut by the segment end */
		if (st != BER_OK)
			return 0;
		off = next;
	}

	out.kind = TW_LI_KIND_HI;
	set_str(hi->record, sizeof(hi->record), record_names[rec_id - 0xa1]);
	*d = out;
	return 1;
}
