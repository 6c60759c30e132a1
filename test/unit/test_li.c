/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for lib/tw_li*.c: name tables, the dispatcher and the
 * structural validators (x2x3, ps-pdu, hi2, erspan).
 *
 * Vectors are hex strings; 'text' inside a vector is copied as ASCII. The
 * positive X2/X3, PS-PDU and HI2 vectors were decoded with tshark 4.0.17
 * (5gli, generic BER, HI2Operations) as described in
 * docs/li-protocols.md section 0.3; the ERSPAN vectors are cut from the
 * public captures listed in section 10. Each near miss changes one thing
 * in a positive vector, keeping every other length consistent.
 */

#define _GNU_SOURCE	/* memmem */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tw_li.h"
#include "tw_test_hex.h"

#define VEC_MAX 2048

/* A validator case: bytes, expected verdict and, for hits, the detail. */
struct li_case {
	const char *name;
	enum tw_validator v;
	int expect;
	const char *hex;
	uint32_t cut;			/* use only the first cut bytes if != 0 */
	struct tw_li_detail want;
};

static uint32_t
case_bytes(const struct li_case *c, uint8_t *buf)
{
	uint32_t n = hex_decode(c->hex, buf, VEC_MAX);

	if (c->cut != 0) {
		ck_assert_uint_le(c->cut, n);
		n = c->cut;
	}
	return n;
}

/* Validate from an exact-size heap copy, so any over-read is caught. */
static int
validate_exact(enum tw_validator v, const uint8_t *bytes, uint32_t len,
		const struct tw_pkt_meta *m, struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	r = tw_li_validate(v, copy, len, m, d);
	free(copy);
	return r;
}

/* ------------------------------------------------------------------------ */
/* X2/X3 (ETSI TS 103 221-2)                                                 */
/* ------------------------------------------------------------------------ */

#define X_XID "6f1c2f9a 3e4b4c1d 9a2b0c1d 2e3f4a5b"
#define X_CID "00000000 00000007"
#define X_ZERO_IDS "00000000 00000000 00000000 00000000 00000000 00000000"
/* IPv4/UDP 10.0.0.1:12345 -> 10.0.0.2:53, 28 bytes */
#define IPV4_UDP "4500001c 00010000 4011f96c 0a000001 0a000002 30390035 00080000"
/* 33.128 xIRI payload (doc 1.1): registration event */
#define XIRI "300b8105 04131101 01a202a1 00"

/* Keepalive from the doc (section 1): HL 48, one sequence-number TLV. */
#define X_KEEPALIVE "0005 0003 00000030 00000000 0000 0000" X_ZERO_IDS \
	"0008 0004 00000001"
/* X2 xIRI, format 2, direction 5, sequence number + timestamp TLVs. */
#define X_X2 "0005 0001 0000003c 0000000d 0002 0005" X_XID X_CID \
	"0008 0004 0000002a" "0009 0008 65649c48 0bebc200" XIRI
/* X3 xCC, format 5 (IPv4), direction 3 (from target), no TLVs. */
#define X_X3 "0005 0002 00000028 0000001c 0005 0003" X_XID X_CID IPV4_UDP

#define WANT_X2X3(maj, min, type, fmt, dir, hl, pl, nb, unk) { \
	.kind = TW_LI_KIND_X2X3, \
	.x2x3 = { .version_major = maj, .version_minor = min, .pdu_type = type, \
		.payload_format = fmt, .payload_direction = dir, .header_len = hl, \
		.payload_len = pl, .nb_pdus = nb, .nb_unknown_attrs = unk } }

static const struct li_case x2x3_cases[] = {
	/* true hits */
	{ "keepalive (doc)", TW_VALIDATOR_X2X3, 1, X_KEEPALIVE, 0,
		WANT_X2X3(0, 5, 3, 0, 0, 48, 0, 1, 0) },
	{ "keepalive ack v0.1, no TLV", TW_VALIDATOR_X2X3, 1,
		"0001 0004 00000028 00000000 0000 0000" X_ZERO_IDS, 0,
		WANT_X2X3(0, 1, 4, 0, 0, 40, 0, 1, 0) },
	{ "X2 xIRI with seq + timestamp", TW_VALIDATOR_X2X3, 1, X_X2, 0,
		WANT_X2X3(0, 5, 1, 2, 5, 60, 13, 1, 0) },
	{ "X3 xCC IPv4", TW_VALIDATOR_X2X3, 1, X_X3, 0,
		WANT_X2X3(0, 5, 2, 5, 3, 40, 28, 1, 0) },
	{ "X3 xCC IPv6, address/port/proto/MTI + unknown TLV", TW_VALIDATOR_X2X3, 1,
		"0005 0002 00000081 00000030 0006 0002" X_XID X_CID
		"000c 0010 00000000 00000000 00000000 00000001"
		"000d 0010 00000000 00000000 00000000 00000002"
		"000e 0002 3039" "000f 0002 0035" "0010 0001 11"
		"0011 0015 'sip:alice@example.net'"
		"0100 0003 'abc'"
		"60000000 00081140"
		"00000000 00000000 00000000 00000001"
		"00000000 00000000 00000000 00000002"
		"30390035 00080000", 0,
		WANT_X2X3(0, 5, 2, 6, 2, 129, 48, 1, 1) },
	{ "X3 RTP (format 8)", TW_VALIDATOR_X2X3, 1,
		"0005 0002 00000028 0000000c 0008 0002" X_XID X_CID
		"80000001 00000000 12345678", 0,
		WANT_X2X3(0, 5, 2, 8, 2, 40, 12, 1, 0) },
	{ "minor version 15", TW_VALIDATOR_X2X3, 1,
		"000f 0002 00000028 0000001c 0005 0003" X_XID X_CID IPV4_UDP, 0,
		WANT_X2X3(0, 15, 2, 5, 3, 40, 28, 1, 0) },
	{ "two PDUs back to back: X3 then keepalive", TW_VALIDATOR_X2X3, 1,
		X_X3 X_KEEPALIVE, 0,
		WANT_X2X3(0, 5, 2, 5, 3, 40, 28, 2, 0) },
	{ "three PDUs: keepalive, X2, X3 (reports the X2)", TW_VALIDATOR_X2X3, 1,
		X_KEEPALIVE X_X2 X_X3, 0,
		WANT_X2X3(0, 5, 1, 2, 5, 60, 13, 3, 0) },
	{ "payload continues in the next segment", TW_VALIDATOR_X2X3, 1,
		"0005 0002 00000028 000005dc 0005 0003" X_XID X_CID IPV4_UDP, 0,
		WANT_X2X3(0, 5, 2, 5, 3, 40, 1500, 1, 0) },
	{ "second PDU header cut by the segment", TW_VALIDATOR_X2X3, 1,
		X_X3 "0005 0001 0000", 0,
		WANT_X2X3(0, 5, 2, 5, 3, 40, 28, 1, 0) },
	{ "second PDU TLVs cut by the segment", TW_VALIDATOR_X2X3, 1,
		X_X3 X_X2, 68 + 50,
		WANT_X2X3(0, 5, 2, 5, 3, 40, 28, 1, 0) },

	/* near misses */
	{ "HL < 40", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000020 00000000 0000 0000" X_ZERO_IDS },
	{ "HL > 1 MiB", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00100001 0000001c 0005 0003" X_XID X_CID IPV4_UDP },
	{ "version major 1", TW_VALIDATOR_X2X3, 0,
		"0105 0003 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "version minor 0", TW_VALIDATOR_X2X3, 0,
		"0000 0003 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "version minor 16", TW_VALIDATOR_X2X3, 0,
		"0010 0003 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "PDU type 0", TW_VALIDATOR_X2X3, 0,
		"0005 0000 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "PDU type 5", TW_VALIDATOR_X2X3, 0,
		"0005 0005 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "TLV walk overshoots HL", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0008 00000001" },
	{ "TLV walk undershoots HL by 2", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000032 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001 0000" },
	{ "HL runs into the payload", TW_VALIDATOR_X2X3, 0,
		"0005 0002 0000002c 0000001c 0005 0003" X_XID X_CID IPV4_UDP },
	{ "sequence number TLV of length 2", TW_VALIDATOR_X2X3, 0,
		"0005 0003 0000002e 00000000 0000 0000" X_ZERO_IDS "0008 0002 0001" },
	{ "timestamp TLV of length 4", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000030 00000000 0000 0000" X_ZERO_IDS "0009 0004 65649c48" },
	{ "IPv4 address TLV of length 16", TW_VALIDATOR_X2X3, 0,
		"0005 0002 0000003c 0000001c 0005 0003" X_XID X_CID
		"000a 0010 00000000 00000000 00000000 00000001" IPV4_UDP },
	{ "IP protocol TLV of length 2", TW_VALIDATOR_X2X3, 0,
		"0005 0002 0000002e 0000001c 0005 0003" X_XID X_CID
		"0010 0002 0011" IPV4_UDP },
	{ "keepalive with PL 4", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000028 00000004 0000 0000" X_ZERO_IDS "00000000" },
	{ "keepalive with format 5", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000030 00000000 0005 0000" X_ZERO_IDS "0008 0004 00000001" },
	{ "keepalive with direction 3", TW_VALIDATOR_X2X3, 0,
		"0005 0003 00000030 00000000 0000 0003" X_ZERO_IDS "0008 0004 00000001" },
	{ "X3 direction 0", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0005 0000" X_XID X_CID IPV4_UDP },
	{ "X3 direction 6", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0005 0006" X_XID X_CID IPV4_UDP },
	{ "X3 format 0", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0000 0003" X_XID X_CID IPV4_UDP },
	{ "X3 format 9 (SIP is X2 only)", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0009 0003" X_XID X_CID IPV4_UDP },
	{ "X3 format 17", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0011 0003" X_XID X_CID IPV4_UDP },
	{ "X2 format 7 (Ethernet is X3 only)", TW_VALIDATOR_X2X3, 0,
		"0005 0001 0000003c 0000000d 0007 0005" X_XID X_CID
		"0008 0004 0000002a" "0009 0008 65649c48 0bebc200" XIRI },
	{ "format 5 carrying IPv6", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000001c 0005 0003" X_XID X_CID
		"6000001c 00010000 4011f96c 0a000001 0a000002 30390035 00080000" },
	{ "format 8 with RTP version 1", TW_VALIDATOR_X2X3, 0,
		"0005 0002 00000028 0000000c 0008 0002" X_XID X_CID
		"40000001 00000000 12345678" },
	{ "39 bytes: header incomplete", TW_VALIDATOR_X2X3, 0, X_KEEPALIVE, 39 },
	{ "HL 60, 50 bytes in the segment", TW_VALIDATOR_X2X3, 0, X_X2, 50 },
	{ "PDU followed by garbage", TW_VALIDATOR_X2X3, 0,
		X_KEEPALIVE "ffffffff ffffffff ffffffff ffffffff ffffffff"
		"ffffffff ffffffff ffffffff ffffffff ffffffff" },
	{ "PDU followed by two garbage bytes", TW_VALIDATOR_X2X3, 0,
		X_KEEPALIVE "1603" },
	{ "second PDU with a bad type", TW_VALIDATOR_X2X3, 0,
		X_X3 "0005 0007 00000030 00000000 0000 0000" X_ZERO_IDS "0008 0004 00000001" },
};

/* ------------------------------------------------------------------------ */
/* PS-PDU (ETSI TS 102 232-1)                                                */
/* ------------------------------------------------------------------------ */

#define PS_DOMAIN "80 07 04 00 02 02 05 01 11"	/* 0.4.0.2.2.5.1.17 */
/* The doc's PSHeader (section 3.2, "LIID-TEST-01"), 76 bytes. */
#define PS_HDR_DOC_MEMBERS PS_DOMAIN " 81 0c 'LIID-TEST-01' 82 02 'NZ'" \
	"a3 15 a0 0c 80 04 'OPER' 81 04 'NE01' 81 01 2a 82 02 'NZ'" \
	"84 01 01 85 13 '20231127175800.000Z'"
#define PS_HDR_DOC "a1 4a" PS_HDR_DOC_MEMBERS
/* payload [2] -> cCPayloadSequence [1] -> CCPayload -> IPCC (OpenLI). */
#define PS_CC "a2 31 a1 2f 30 2d 80 01 00 a2 28 a2 26 80 04 05 03 0a 02" \
	"a1 1e 80 1c" IPV4_UDP
/* OpenLI-style PSHeader: [7] microSecondTimeStamp, [8] qualifier; 57 bytes. */
#define PS_HDR_KA_MEMBERS_3_TO_8 \
	"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 01 80" \
	"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01"
#define PS_HDR_KA "a1 37" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'" \
	PS_HDR_KA_MEMBERS_3_TO_8
#define PS_KEEPALIVE_PAYLOAD "a2 04 a2 02 83 00"	/* tRIPayload keep-alive */

#define PS_OID "0.4.0.2.2.5.1.17"
#define WANT_HI(lid, oid, rec, pay, seq) { \
	.kind = TW_LI_KIND_HI, \
	.hi = { .liid = lid, .liid_len = sizeof(lid) - 1, .domain_oid = oid, \
		.record = rec, .payload = pay, .sequence = seq } }

static const struct li_case ps_cases[] = {
	/* true hits */
	{ "doc example, CC payload", TW_VALIDATOR_PS_PDU, 1,
		"30 7f" PS_HDR_DOC PS_CC, 0,
		WANT_HI("LIID-TEST-01", PS_OID, "ps-pdu", "cc", 1) },
	{ "long-form lengths", TW_VALIDATOR_PS_PDU, 1,
		"30 81 80 a1 81 4a" PS_HDR_DOC_MEMBERS PS_CC, 0,
		WANT_HI("LIID-TEST-01", PS_OID, "ps-pdu", "cc", 1) },
	{ "OpenLI keep-alive (TRI)", TW_VALIDATOR_PS_PDU, 1,
		"30 3f" PS_HDR_KA PS_KEEPALIVE_PAYLOAD, 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "tri", 128) },
	{ "indefinite lengths (libwandder ber encoder)", TW_VALIDATOR_PS_PDU, 1,
		"30 80 a1 80" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"a3 80 a0 80 80 04 'OPER' 81 04 'NE01' 00 00 00 00 84 01 07 00 00"
		"a2 80 a2 80 83 00 00 00 00 00", 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "tri", 7) },
	{ "IRI payload", TW_VALIDATOR_PS_PDU, 1,
		"30 42" PS_HDR_KA "a2 07 a0 05 30 03 80 01 01", 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "iri", 128) },
	{ "encrypted payload", TW_VALIDATOR_PS_PDU, 1,
		"30 40" PS_HDR_KA "a2 05 a4 03 80 01 01", 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "encrypted", 128) },
	{ "HI1 operation payload", TW_VALIDATOR_PS_PDU, 1,
		"30 3f" PS_HDR_KA "a2 04 a3 02 80 00", 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "hi1", 128) },
	{ "extension member [9] after [8]", TW_VALIDATOR_PS_PDU, 1,
		"30 42 a1 3a" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 "89 01 00" PS_KEEPALIVE_PAYLOAD, 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "tri", 128) },
	{ "25-byte LIID", TW_VALIDATOR_PS_PDU, 1,
		"30 53 a1 4b" PS_DOMAIN "81 19 'ABCDEFGHIJKLMNOPQRSTUVWXY' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD, 0,
		WANT_HI("ABCDEFGHIJKLMNOPQRSTUVWXY", PS_OID, "ps-pdu", "tri", 128) },
	{ "sequence number 4294967295 in 5 octets", TW_VALIDATOR_PS_PDU, 1,
		"30 43 a1 3b" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 05 00 ff ff ff ff"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01" PS_KEEPALIVE_PAYLOAD, 0,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "tri", 0xffffffff) },
	{ "only [0] and [1], domain version 43", TW_VALIDATOR_PS_PDU, 1,
		"30 18 a1 10 80 07 04 00 02 02 05 01 2b 81 05 'LIID1'"
		PS_KEEPALIVE_PAYLOAD, 0,
		WANT_HI("LIID1", "0.4.0.2.2.5.1.43", "ps-pdu", "tri", 0) },
	{ "large CC PDU continuing in the next segment", TW_VALIDATOR_PS_PDU, 1,
		"30 82 05 dc" PS_HDR_DOC "a2 82 05 8c a1 82 05 88 30 82 05 84 80 01 00"
		"a2 82 05 7d a2 82 05 79", 0,
		WANT_HI("LIID-TEST-01", PS_OID, "ps-pdu", "cc", 1) },
	{ "segment ends right after the PSHeader", TW_VALIDATOR_PS_PDU, 1,
		"30 3f" PS_HDR_KA PS_KEEPALIVE_PAYLOAD, 59,
		WANT_HI("LIID1", PS_OID, "ps-pdu", "", 128) },

	/* near misses */
	{ "[4] before [3]", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ' 84 01 80"
		"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01'"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01" PS_KEEPALIVE_PAYLOAD },
	{ "[1] before [0]", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37 81 05 'LIID1'" PS_DOMAIN "82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "[2] again in place of [8]", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 01 80"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 82 01 01" PS_KEEPALIVE_PAYLOAD },
	{ "[3] in primitive form", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"83 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 01 80"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01" PS_KEEPALIVE_PAYLOAD },
	{ "empty LIID", TW_VALIDATOR_PS_PDU, 0,
		"30 3a a1 32" PS_DOMAIN "81 00 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "26-byte LIID", TW_VALIDATOR_PS_PDU, 0,
		"30 54 a1 4c" PS_DOMAIN "81 1a 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "binary LIID", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37" PS_DOMAIN "81 05 01 02 03 04 05 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "country code 'N1'", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37" PS_DOMAIN "81 05 'LIID1' 82 02 'N1'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "sequence number of 6 octets", TW_VALIDATOR_PS_PDU, 0,
		"30 44 a1 3c" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 06 00 00 00 00 00 80"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01" PS_KEEPALIVE_PAYLOAD },
	{ "sequence number of 5 octets over 32 bits", TW_VALIDATOR_PS_PDU, 0,
		"30 43 a1 3b" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"a3 0e a0 0c 80 04 'OPER' 81 04 'NE01' 84 05 01 00 00 00 00"
		"a7 0b 80 04 65 64 9c 48 81 03 07 a1 20 88 01 01" PS_KEEPALIVE_PAYLOAD },
	{ "timeStamp not GeneralizedTime", TW_VALIDATOR_PS_PDU, 0,
		"30 7f a1 4a" PS_DOMAIN " 81 0c 'LIID-TEST-01' 82 02 'NZ'"
		"a3 15 a0 0c 80 04 'OPER' 81 04 'NE01' 81 01 2a 82 02 'NZ'"
		"84 01 01 85 13 '2023-11-27 17:58:00'" PS_CC },
	{ "other LI branch 0.4.0.2.2.3.1.17", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37 80 07 04 00 02 02 03 01 11 81 05 'LIID1' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "other arc 1.2.840.113549.1", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 37 80 07 2a 86 48 86 f7 0d 01 81 05 'LIID1' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "outer SET instead of SEQUENCE", TW_VALIDATOR_PS_PDU, 0,
		"31 3f" PS_HDR_KA PS_KEEPALIVE_PAYLOAD },
	{ "outer length shorter than the PSHeader", TW_VALIDATOR_PS_PDU, 0,
		"30 20" PS_HDR_KA PS_KEEPALIVE_PAYLOAD },
	{ "PSHeader length one too long", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 38" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "PSHeader length one too short", TW_VALIDATOR_PS_PDU, 0,
		"30 3f a1 36" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		PS_HDR_KA_MEMBERS_3_TO_8 PS_KEEPALIVE_PAYLOAD },
	{ "5-octet length form", TW_VALIDATOR_PS_PDU, 0,
		"30 85 00 00 00 00 3f" PS_HDR_KA PS_KEEPALIVE_PAYLOAD },
	{ "complete PDU without payload", TW_VALIDATOR_PS_PDU, 0,
		"30 39" PS_HDR_KA },
	{ "payload tagged [3]", TW_VALIDATOR_PS_PDU, 0,
		"30 3f" PS_HDR_KA "a3 04 a2 02 83 00" },
	{ "payload CHOICE [5]", TW_VALIDATOR_PS_PDU, 0,
		"30 3f" PS_HDR_KA "a2 04 a5 02 83 00" },
	{ "payload longer than the PDU", TW_VALIDATOR_PS_PDU, 0,
		"30 3f" PS_HDR_KA "a2 05 a2 02 83 00" },
	{ "CHOICE longer than the payload", TW_VALIDATOR_PS_PDU, 0,
		"30 3f" PS_HDR_KA "a2 04 a2 03 83 00" },
	{ "PSHeader without LIID", TW_VALIDATOR_PS_PDU, 0,
		"30 11 a1 09" PS_DOMAIN PS_KEEPALIVE_PAYLOAD },
	{ "PSHeader cut by the segment", TW_VALIDATOR_PS_PDU, 0,
		"30 7f" PS_HDR_DOC PS_CC, 40 },
	{ "indefinite PSHeader without EOC", TW_VALIDATOR_PS_PDU, 0,
		"30 80 a1 80" PS_DOMAIN "81 05 'LIID1' 82 02 'NZ'"
		"84 01 07 a2 80 a2 80 83 00 00 00 00 00" },
	{ "HI2 IRI record is not a PS-PDU", TW_VALIDATOR_PS_PDU, 0,
		"a0 2e a1 2c 80 06 04 00 02 02 01 12 81 08 'LIID1234'"
		"a2 07 a1 05 80 03 'OPR' a3 0f 81 0d '231127175800Z'" },
};

/* ------------------------------------------------------------------------ */
/* HI2 IRI (ETSI TS 101 671 / 3GPP TS 33.108)                                */
/* ------------------------------------------------------------------------ */

/* LIID, communicationIdentifier [2], timeStamp [3] (doc section 3.3). */
#define HI_TAIL "81 08 'LIID1234' a2 07 a1 05 80 03 'OPR' a3 0f 81 0d '231127175800Z'"
#define HI_ETSI_OID "80 06 04 00 02 02 01 12"	/* 0.4.0.2.2.1.18 */
#define HI_ETSI "a0 2e a1 2c" HI_ETSI_OID HI_TAIL

static const struct li_case hi2_cases[] = {
	/* true hits */
	{ "ETSI HI2 0.4.0.2.2.1.18 (doc)", TW_VALIDATOR_HI2, 1, HI_ETSI, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },
	{ "3GPP UMTS HI2 4.1.15.5 (doc)", TW_VALIDATOR_HI2, 1,
		"a0 30 a1 2e 80 08 04 00 02 02 04 01 0f 05" HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.4.1.15.5", "hi2-begin", "", 0) },
	{ "3GPP EPS HI2 4.8.16.1 (doc)", TW_VALIDATOR_HI2, 1,
		"a0 30 a1 2e 80 08 04 00 02 02 04 08 10 01" HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.4.8.16.1", "hi2-begin", "", 0) },
	{ "3GPP EPS HI3 4.9.17.0", TW_VALIDATOR_HI2, 1,
		"a0 30 a1 2e 80 08 04 00 02 02 04 09 11 00" HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.4.9.17.0", "hi2-begin", "", 0) },
	{ "TPKT prefix", TW_VALIDATOR_HI2, 1, "03 00 00 34" HI_ETSI, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },
	{ "iRIversion after domainID (ASN.1 order)", TW_VALIDATOR_HI2, 1,
		"a0 31 a1 2f" HI_ETSI_OID "97 01 08" HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },
	{ "iRIversion first, End record in an iRISequence", TW_VALIDATOR_HI2, 1,
		"a1 31 a2 2f 97 01 08" HI_ETSI_OID HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-end", "", 0) },
	{ "Continue record", TW_VALIDATOR_HI2, 1,
		"a0 2e a3 2c" HI_ETSI_OID HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-continue", "", 0) },
	{ "Report record", TW_VALIDATOR_HI2, 1,
		"a0 2e a4 2c" HI_ETSI_OID HI_TAIL, 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-report", "", 0) },
	{ "indefinite lengths", TW_VALIDATOR_HI2, 1,
		"a0 80 a1 80" HI_ETSI_OID HI_TAIL "00 00 00 00", 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },
	{ "record continuing in the next segment", TW_VALIDATOR_HI2, 1,
		"a0 82 01 00 a1 81 fc" HI_ETSI_OID HI_TAIL "a7 81 c0 30 03", 0,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },
	{ "record cut right after the LIID", TW_VALIDATOR_HI2, 1, HI_ETSI, 22,
		WANT_HI("LIID1234", "0.4.0.2.2.1.18", "hi2-begin", "", 0) },

	/* near misses */
	{ "other arc 1.2.840.113549", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c 80 06 2a 86 48 86 f7 0d" HI_TAIL },
	{ "other arc 0.4.0.127.0.7", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c 80 06 04 00 7f 00 07 03" HI_TAIL },
	{ "3GPP 4.2 (not an IRI domain)", TW_VALIDATOR_HI2, 0,
		"a0 30 a1 2e 80 08 04 00 02 02 04 02 0f 05" HI_TAIL },
	{ "PS domain 5.1.17 as domainID", TW_VALIDATOR_HI2, 0,
		"a0 2f a1 2d 80 07 04 00 02 02 05 01 11" HI_TAIL },
	{ "ETSI domain version 0", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c 80 06 04 00 02 02 01 00" HI_TAIL },
	{ "no domainID", TW_VALIDATOR_HI2, 0, "a0 26 a1 24" HI_TAIL },
	{ "domainID twice", TW_VALIDATOR_HI2, 0,
		"a0 36 a1 34" HI_ETSI_OID HI_ETSI_OID HI_TAIL },
	{ "empty LIID", TW_VALIDATOR_HI2, 0,
		"a0 26 a1 24" HI_ETSI_OID "81 00 a2 07 a1 05 80 03 'OPR'"
		"a3 0f 81 0d '231127175800Z'" },
	{ "26-byte LIID", TW_VALIDATOR_HI2, 0,
		"a0 40 a1 3e" HI_ETSI_OID "81 1a 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
		"a2 07 a1 05 80 03 'OPR' a3 0f 81 0d '231127175800Z'" },
	{ "LIID as universal OCTET STRING", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c" HI_ETSI_OID "04 08 'LIID1234' a2 07 a1 05 80 03 'OPR'"
		"a3 0f 81 0d '231127175800Z'" },
	{ "record tag [5]", TW_VALIDATOR_HI2, 0, "a0 2e a5 2c" HI_ETSI_OID HI_TAIL },
	{ "outer tag [2]", TW_VALIDATOR_HI2, 0, "a2 2e a1 2c" HI_ETSI_OID HI_TAIL },
	{ "outer universal SEQUENCE", TW_VALIDATOR_HI2, 0,
		"30 2e a1 2c" HI_ETSI_OID HI_TAIL },
	{ "record longer than its parent", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2d" HI_ETSI_OID HI_TAIL },
	{ "last member longer than the record", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c" HI_ETSI_OID "81 08 'LIID1234' a2 07 a1 05 80 03 'OPR'"
		"a3 10 81 0d '231127175800Z'" },
	{ "nested member overruns its parent", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c" HI_ETSI_OID "81 08 'LIID1234' a2 07 a1 06 80 03 'OPR'"
		"a3 0f 81 0d '231127175800Z'" },
	{ "universal member after the LIID", TW_VALIDATOR_HI2, 0,
		"a0 2e a1 2c" HI_ETSI_OID "81 08 'LIID1234' a2 07 a1 05 80 03 'OPR'"
		"30 0f 81 0d '231127175800Z'" },
	{ "TPKT length shorter than the record", TW_VALIDATOR_HI2, 0,
		"03 00 00 10" HI_ETSI },
	{ "TPKT reserved byte set", TW_VALIDATOR_HI2, 0, "03 01 00 34" HI_ETSI },
	{ "5-octet length form", TW_VALIDATOR_HI2, 0,
		"a0 85 00 00 00 00 2e a1 2c" HI_ETSI_OID HI_TAIL },
	{ "cut inside the LIID", TW_VALIDATOR_HI2, 0, HI_ETSI, 18 },
	{ "cut inside the domainID", TW_VALIDATOR_HI2, 0, HI_ETSI, 9 },
	{ "PS-PDU is not an HI2 record", TW_VALIDATOR_HI2, 0,
		"30 3f" PS_HDR_KA PS_KEEPALIVE_PAYLOAD },
};

/* ------------------------------------------------------------------------ */
/* ERSPAN                                                                    */
/* ------------------------------------------------------------------------ */

/* Inner Ethernet header, IPv4 */
#define ETH_IPV4 "00 50 56 be d5 5d 00 50 56 56 44 52 08 00 45 00 00 54"

#define WANT_ERSPAN(t, ft, sid, vl, idx, gp, et) { \
	.kind = TW_LI_KIND_ERSPAN, \
	.erspan = { .type = t, .frame_type = ft, .session_id = sid, .vlan = vl, \
		.index = idx, .gre_proto = gp, .inner_ethertype = et } }

static const struct li_case erspan_cases[] = {
	/* true hits */
	{ "type II (zeek erspanII.pcap, doc bytes)", TW_VALIDATOR_ERSPAN, 1,
		"10 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00"
		"64 00 f1 e1 03 03 64 00 f1 e1 02 02 08 00 45 00 00 64", 0,
		WANT_ERSPAN(2, 0, 100, 23, 0, 0x88be, 0x0800) },
	{ "type II with index, STP in 802.3 (tcpdump ii-3)", TW_VALIDATOR_ERSPAN, 1,
		"10 00 88 be 00 01 a1 ca 10 01 10 65 00 00 ab c5"
		"01 80 c2 00 00 00 00 19 69 df dc 01 00 26 42 42 03", 0,
		WANT_ERSPAN(2, 0, 101, 1, 43973, 0x88be, 0x0026) },
	{ "type II, LLDP inner frame", TW_VALIDATOR_ERSPAN, 1,
		"10 00 88 be 00 00 00 01 10 01 00 05 00 00 00 03"
		"01 80 c2 00 00 0e 00 19 69 df dc 01 88 cc 02 07", 0,
		WANT_ERSPAN(2, 0, 5, 1, 3, 0x88be, 0x88cc) },
	{ "type II with GRE key", TW_VALIDATOR_ERSPAN, 1,
		"30 00 88 be 00 00 00 2a 00 00 00 01 10 17 08 64 00 00 00 00" ETH_IPV4, 0,
		WANT_ERSPAN(2, 0, 100, 23, 0, 0x88be, 0x0800) },
	{ "type III (zeek erspanIII.pcap, doc bytes)", TW_VALIDATOR_ERSPAN, 1,
		"10 00 22 eb 03 b3 ed 5c 20 14 00 00 00 00 14 58 00 00 80 30"
		"02 50 56 56 44 52 00 50 56 be d5 5d 08 00 45 00", 0,
		WANT_ERSPAN(3, 0, 0, 20, 0, 0x22eb, 0x0800) },
	{ "type III, GRE S clear (tcpdump iii-ft-0)", TW_VALIDATOR_ERSPAN, 1,
		"00 00 22 eb 20 14 00 00 a3 59 5b ff 00 00 00 06"
		"00 50 56 ac 18 a0 f8 c2 88 90 d2 7b 81 00 00 14 08 00", 0,
		WANT_ERSPAN(3, 0, 0, 20, 0, 0x22eb, 0x8100) },
	{ "type III, S clear, platform subheader (zeek dot1q)", TW_VALIDATOR_ERSPAN, 1,
		"00 00 22 eb 20 0a 00 00 70 50 7e 55 00 00 00 07 0c 00 00 03 15 f7 42 e8"
		"00 50 56 8b 6d c7 00 ae cd 00 0c f1 81 00 00 0a 08 00", 0,
		WANT_ERSPAN(3, 0, 0, 10, 0, 0x22eb, 0x8100) },
	{ "type III FT=7, no Ethernet (tcpdump iii-ft-7)", TW_VALIDATOR_ERSPAN, 1,
		"10 00 22 eb 00 00 ba de 20 01 18 65 34 76 0b 01 00 00 1e 00"
		"00 00 ab c5 00 00 4b 87 01 00 81 00", 0,
		WANT_ERSPAN(3, 7, 101, 1, 0, 0x22eb, 0) },
	{ "type III FT=2 (IP)", TW_VALIDATOR_ERSPAN, 1,
		"10 00 22 eb 00 00 00 01 20 14 00 00 00 00 00 00 00 00 08 00" IPV4_UDP, 0,
		WANT_ERSPAN(3, 2, 0, 20, 0, 0x22eb, 0) },
	{ "type I (zeek erspanI.pcap)", TW_VALIDATOR_ERSPAN, 1,
		"00 00 88 be a6 83 e7 0c 90 64 00 0c 29 cf 30 15 08 00 45 00", 0,
		WANT_ERSPAN(1, 0, 0, 0, 0, 0x88be, 0x0800) },
	{ "type I, VLAN-tagged (tcpdump i-1)", TW_VALIDATOR_ERSPAN, 1,
		"00 00 88 be 00 11 5c 3d de 00 00 25 9e 81 b3 54 81 00 c0 65 08 00", 0,
		WANT_ERSPAN(1, 0, 0, 0, 0, 0x88be, 0x8100) },
	{ "type I with GRE key", TW_VALIDATOR_ERSPAN, 1,
		"20 00 88 be 00 00 00 2a" ETH_IPV4, 0,
		WANT_ERSPAN(1, 0, 0, 0, 0, 0x88be, 0x0800) },
	{ "type I with GRE checksum", TW_VALIDATOR_ERSPAN, 1,
		"80 00 88 be 12 34 00 00" ETH_IPV4, 0,
		WANT_ERSPAN(1, 0, 0, 0, 0, 0x88be, 0x0800) },

	/* near misses */
	{ "GRE 0x6558 transparent Ethernet (zeek erspan.pcap)", TW_VALIDATOR_ERSPAN, 0,
		"20 00 65 58 00 00 00 00 00 50 56 82 08 d1 00 50 56 82 2b 52 08 00" },
	{ "plain GRE IPv4 (tcpdump i-4)", TW_VALIDATOR_ERSPAN, 0,
		"00 00 08 00 45 c0 00 44 01 0c 00 00 01 59 a4 8e 32 01 01 01" },
	{ "type II with version nibble 2", TW_VALIDATOR_ERSPAN, 0,
		"10 00 88 be 00 00 07 04 20 17 08 64 00 00 00 00"
		"64 00 f1 e1 03 03 64 00 f1 e1 02 02 08 00 45 00 00 64" },
	{ "type II with version nibble 0", TW_VALIDATOR_ERSPAN, 0,
		"10 00 88 be 00 00 07 04 00 17 08 64 00 00 00 00"
		"64 00 f1 e1 03 03 64 00 f1 e1 02 02 08 00 45 00 00 64" },
	{ "type III with version nibble 1", TW_VALIDATOR_ERSPAN, 0,
		"10 00 22 eb 03 b3 ed 5c 10 14 00 00 00 00 14 58 00 00 80 30"
		"02 50 56 56 44 52 00 50 56 be d5 5d 08 00 45 00" },
	{ "type I, inner ethertype 0x1234", TW_VALIDATOR_ERSPAN, 0,
		"00 00 88 be a6 83 e7 0c 90 64 00 0c 29 cf 30 15 12 34 45 00" },
	{ "type II, inner ethertype 0x05ff", TW_VALIDATOR_ERSPAN, 0,
		"10 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00"
		"64 00 f1 e1 03 03 64 00 f1 e1 02 02 05 ff 45 00 00 64" },
	{ "type I, 13-byte inner frame", TW_VALIDATOR_ERSPAN, 0,
		"00 00 88 be a6 83 e7 0c 90 64 00 0c 29 cf 30 15 08" },
	{ "type II, ERSPAN header cut", TW_VALIDATOR_ERSPAN, 0,
		"10 00 88 be 00 00 07 04 10 17 08" },
	{ "type III, O set without platform subheader", TW_VALIDATOR_ERSPAN, 0,
		"00 00 22 eb 20 14 00 00 00 00 00 00 00 00 1c 01 00 00 00 00" },
	{ "GRE version 1", TW_VALIDATOR_ERSPAN, 0,
		"10 01 88 be 00 00 07 04 10 17 08 64 00 00 00 00" ETH_IPV4 },
	{ "GRE routing bit", TW_VALIDATOR_ERSPAN, 0,
		"50 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00" ETH_IPV4 },
	{ "odd flags 0x1d00 (tcpdump iii-pb-1)", TW_VALIDATOR_ERSPAN, 0,
		"1d 00 22 eb ff 28 01 01 2d 2d 08 00 48 00 08 46 01 00 00 01 3d 0e 45" },
	{ "3 bytes", TW_VALIDATOR_ERSPAN, 0, "00 00 88" },
};

/* ------------------------------------------------------------------------ */
/* Table runners                                                             */
/* ------------------------------------------------------------------------ */

static void
check_x2x3(const struct li_case *c, const uint8_t *buf, uint32_t len,
		const struct tw_li_x2x3 *got)
{
	const struct tw_li_x2x3 *w = &c->want.x2x3;

	ck_assert_uint_eq(got->version_major, w->version_major);
	ck_assert_uint_eq(got->version_minor, w->version_minor);
	ck_assert_uint_eq(got->pdu_type, w->pdu_type);
	ck_assert_uint_eq(got->payload_format, w->payload_format);
	ck_assert_uint_eq(got->payload_direction, w->payload_direction);
	ck_assert_uint_eq(got->header_len, w->header_len);
	ck_assert_uint_eq(got->payload_len, w->payload_len);
	ck_assert_uint_eq(got->nb_pdus, w->nb_pdus);
	ck_assert_uint_eq(got->nb_unknown_attrs, w->nb_unknown_attrs);
	/* The XID is the reported PDU's: the first one's, unless that is a
	 * keepalive followed by a data PDU (then some X_XID further on).
	 */
	if (buf[3] >= 3 && got->pdu_type <= 2)
		ck_assert_msg(memmem(buf, len, got->xid, sizeof(got->xid)) != NULL &&
				memcmp(got->xid, buf + 16, sizeof(got->xid)) != 0,
				"XID of the data PDU after the keepalive");
	else
		ck_assert_mem_eq(got->xid, buf + 16, sizeof(got->xid));
}

static void
check_hi(const struct tw_li_hi *w, const struct tw_li_hi *got)
{
	ck_assert_uint_eq(got->liid_len, w->liid_len);
	ck_assert_mem_eq(got->liid, w->liid, w->liid_len);
	ck_assert_uint_eq(got->liid_truncated, 0);
	ck_assert_str_eq(got->domain_oid, w->domain_oid);
	ck_assert_str_eq(got->record, w->record);
	ck_assert_str_eq(got->payload, w->payload);
	ck_assert_uint_eq(got->sequence, w->sequence);
}

static void
check_erspan(const struct tw_li_erspan *w, const struct tw_li_erspan *got)
{
	ck_assert_uint_eq(got->type, w->type);
	ck_assert_uint_eq(got->frame_type, w->frame_type);
	ck_assert_uint_eq(got->session_id, w->session_id);
	ck_assert_uint_eq(got->vlan, w->vlan);
	ck_assert_uint_eq(got->index, w->index);
	ck_assert_uint_eq(got->gre_proto, w->gre_proto);
	ck_assert_uint_eq(got->inner_ethertype, w->inner_ethertype);
}

static void
run_case(const struct li_case *c)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	uint32_t len = case_bytes(c, buf);
	int r;

	memset(&d, 0, sizeof(d));
	r = validate_exact(c->v, buf, len, NULL, &d);
	ck_assert_msg(r == c->expect, "%s: got %d, want %d", c->name, r, c->expect);
	if (r == 0)
		return;
	ck_assert_uint_eq(d.kind, c->want.kind);
	switch (d.kind) {
	case TW_LI_KIND_X2X3:
		check_x2x3(c, buf, len, &d.x2x3);
		break;
	case TW_LI_KIND_HI:
		check_hi(&c->want.hi, &d.hi);
		break;
	case TW_LI_KIND_ERSPAN:
		check_erspan(&c->want.erspan, &d.erspan);
		break;
	default:
		ck_abort_msg("%s: unexpected kind %u", c->name, d.kind);
	}
}

START_TEST(test_x2x3_table)
{
	run_case(&x2x3_cases[_i]);
}
END_TEST

START_TEST(test_ps_pdu_table)
{
	run_case(&ps_cases[_i]);
}
END_TEST

START_TEST(test_hi2_table)
{
	run_case(&hi2_cases[_i]);
}
END_TEST

START_TEST(test_erspan_table)
{
	run_case(&erspan_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* X2/X3 over UDP: a datagram is whole, so the PDUs must end at its end      */
/* ------------------------------------------------------------------------ */

static int
x2x3_with_meta(const char *hex, uint32_t cut, uint8_t proto, uint8_t flags)
{
	static uint8_t buf[VEC_MAX];
	struct tw_pkt_meta m;
	struct tw_li_detail d;
	uint32_t len = hex_decode(hex, buf, sizeof(buf));

	memset(&m, 0, sizeof(m));
	m.proto = proto;
	m.flags = flags;
	if (cut != 0)
		len = cut;
	return validate_exact(TW_VALIDATOR_X2X3, buf, len, &m, &d);
}

START_TEST(test_x2x3_udp)
{
	/* whole PDUs */
	ck_assert_int_eq(x2x3_with_meta(X_X3, 0, 17, 0), 1);
	ck_assert_int_eq(x2x3_with_meta(X_X3 X_KEEPALIVE, 0, 17, 0), 1);
	/* payload cut: fine on TCP, not in a whole datagram */
	ck_assert_int_eq(x2x3_with_meta(X_X3, 60, 6, 0), 1);
	ck_assert_int_eq(x2x3_with_meta(X_X3, 60, 17, 0), 0);
	/* ... unless the capture or fragmentation cut it */
	ck_assert_int_eq(x2x3_with_meta(X_X3, 60, 17, TW_PKT_F_TRUNC_PAYLOAD), 1);
	ck_assert_int_eq(x2x3_with_meta(X_X3, 60, 17, TW_PKT_F_FRAG), 1);
	/* trailing partial header */
	ck_assert_int_eq(x2x3_with_meta(X_X3 "0005 0001 0000", 0, 6, 0), 1);
	ck_assert_int_eq(x2x3_with_meta(X_X3 "0005 0001 0000", 0, 17, 0), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Dispatcher and output contract                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_validate_none)
{
	static const uint8_t byte = 0x42;
	struct tw_li_detail d;

	memset(&d, 0xa5, sizeof(d));
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_NONE, &byte, 1, NULL, &d), 1);
	ck_assert_uint_eq(d.kind, TW_LI_KIND_NONE);
	/* NONE confirms even an empty payload */
	memset(&d, 0xa5, sizeof(d));
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_NONE, NULL, 0, NULL, &d), 1);
	ck_assert_uint_eq(d.kind, TW_LI_KIND_NONE);
}
END_TEST

START_TEST(test_validate_bad_args)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	uint32_t len = hex_decode(X_KEEPALIVE, buf, sizeof(buf));
	unsigned int v;

	for (v = TW_VALIDATOR_X2X3; v < TW_VALIDATOR_MAX; v++) {
		ck_assert_int_eq(tw_li_validate(v, NULL, 100, NULL, &d), 0);
		ck_assert_int_eq(tw_li_validate(v, buf, 0, NULL, &d), 0);
	}
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_MAX, buf, len, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate((enum tw_validator)-1, buf, len, NULL, &d), 0);
	/* the verdict is available without a detail */
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_X2X3, buf, len, NULL, NULL), 1);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_NONE, buf, len, NULL, NULL), 1);
}
END_TEST

/* A rejected payload leaves the detail untouched. */
START_TEST(test_detail_untouched_on_reject)
{
	static const struct li_case *const misses[] = {
		&x2x3_cases[RTE_DIM(x2x3_cases) - 1],
		&ps_cases[RTE_DIM(ps_cases) - 1],
		&hi2_cases[RTE_DIM(hi2_cases) - 1],
		&erspan_cases[RTE_DIM(erspan_cases) - 1],
	};
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, before;
	unsigned int i;
	uint32_t len;

	for (i = 0; i < RTE_DIM(misses); i++) {
		ck_assert_int_eq(misses[i]->expect, 0);
		len = case_bytes(misses[i], buf);
		memset(&d, 0x5a, sizeof(d));
		before = d;
		ck_assert_int_eq(tw_li_validate(misses[i]->v, buf, len, NULL, &d), 0);
		ck_assert_mem_eq(&d, &before, sizeof(d));
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Truncation sweep and byte mutations                                       */
/* ------------------------------------------------------------------------ */

struct case_table {
	const struct li_case *cases;
	unsigned int nb;
};

static const struct case_table all_tables[] = {
	{ x2x3_cases, RTE_DIM(x2x3_cases) },
	{ ps_cases, RTE_DIM(ps_cases) },
	{ hi2_cases, RTE_DIM(hi2_cases) },
	{ erspan_cases, RTE_DIM(erspan_cases) },
};

/*
 * A hit on a prefix must report what the whole vector reports: anything
 * else was read beyond the cut (or made up).
 */
static void
check_prefix_hit(const struct li_case *c, uint32_t cut, const struct tw_li_detail *full,
		const struct tw_li_detail *got)
{
	ck_assert_msg(got->kind == full->kind, "%s cut %u: kind", c->name, cut);
	switch (got->kind) {
	case TW_LI_KIND_X2X3: {
		struct tw_li_x2x3 a = got->x2x3, b = full->x2x3;

		ck_assert_msg(a.header_len <= cut, "%s cut %u: HL %u beyond the cut",
				c->name, cut, a.header_len);
		ck_assert_msg(a.nb_pdus <= b.nb_pdus && a.nb_unknown_attrs <= b.nb_unknown_attrs,
				"%s cut %u: counts", c->name, cut);
		a.nb_pdus = b.nb_pdus;
		a.nb_unknown_attrs = b.nb_unknown_attrs;
		/* The cut may drop the data PDU that the whole segment reports
		 * in place of its leading keepalive.
		 */
		if (a.pdu_type >= 3 && b.pdu_type <= 2)
			break;
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s cut %u: fields differ",
				c->name, cut);
		break;
	}
	case TW_LI_KIND_HI: {
		struct tw_li_hi a = got->hi, b = full->hi;

		ck_assert_msg(a.payload[0] == '\0' || strcmp(a.payload, b.payload) == 0,
				"%s cut %u: payload %s", c->name, cut, a.payload);
		memcpy(a.payload, b.payload, sizeof(a.payload));
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s cut %u: fields differ",
				c->name, cut);
		break;
	}
	case TW_LI_KIND_ERSPAN: {
		struct tw_li_erspan a = got->erspan, b = full->erspan;

		/* The inner packet may be cut: unknown, or the same endpoints. */
		ck_assert_msg(a.inner.l3 == 0 || (a.inner.l3 == b.inner.l3 &&
				memcmp(a.inner.src, b.inner.src, 16) == 0 &&
				memcmp(a.inner.dst, b.inner.dst, 16) == 0),
				"%s cut %u: inner endpoints differ", c->name, cut);
		memset(&a.inner, 0, sizeof(a.inner));
		memset(&b.inner, 0, sizeof(b.inner));
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s cut %u: fields differ",
				c->name, cut);
		break;
	}
	default:
		ck_abort_msg("%s cut %u: kind %u", c->name, cut, got->kind);
	}
}

START_TEST(test_truncation_sweep)
{
	static uint8_t buf[VEC_MAX];
	const struct li_case *c;
	struct tw_li_detail full, d;
	unsigned int t, i;
	uint32_t len, cut;
	int r;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			c = &all_tables[t].cases[i];
			len = case_bytes(c, buf);
			memset(&full, 0, sizeof(full));
			r = validate_exact(c->v, buf, len, NULL, &full);
			ck_assert_int_eq(r, c->expect);
			for (cut = 0; cut < len; cut++) {
				memset(&d, 0, sizeof(d));
				if (validate_exact(c->v, buf, cut, NULL, &d) && r == 1)
					check_prefix_hit(c, cut, &full, &d);
			}
		}
	}
}
END_TEST

/* Every validator on every vector with each byte replaced: no crash. */
START_TEST(test_mutations)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0x81, 0xff };
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	unsigned int t, i, k, v;
	uint32_t len, pos;
	uint8_t orig;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			len = case_bytes(&all_tables[t].cases[i], buf);
			for (pos = 0; pos < len; pos++) {
				orig = buf[pos];
				for (k = 0; k < RTE_DIM(values); k++) {
					buf[pos] = values[k];
					for (v = TW_VALIDATOR_X2X3; v < TW_VALIDATOR_MAX; v++)
						(void)validate_exact(v, buf, len, NULL, &d);
				}
				buf[pos] = orig;
			}
		}
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Name tables                                                               */
/* ------------------------------------------------------------------------ */

START_TEST(test_family_names)
{
	static const struct {
		const char *name;
		int family;
	} names[] = {
		{ "etsi-x1", TW_FAMILY_ETSI_X1 },
		{ "etsi-x2x3", TW_FAMILY_ETSI_X2X3 },
		{ "etsi-hi", TW_FAMILY_ETSI_HI },
		{ "packetcable", TW_FAMILY_PACKETCABLE },
		{ "cisco-tap-mib", TW_FAMILY_CISCO_TAP_MIB },
		{ "juniper-dtcp", TW_FAMILY_JUNIPER_DTCP },
		{ "jmirror", TW_FAMILY_JMIRROR },
		{ "redback-li", TW_FAMILY_REDBACK_LI },
		{ "erspan", TW_FAMILY_ERSPAN },
		{ "tzsp", TW_FAMILY_TZSP },
		{ "rpcap", TW_FAMILY_RPCAP },
	};
	unsigned int i;

	ck_assert_uint_eq(RTE_DIM(names), TW_FAMILY_MAX);
	for (i = 0; i < RTE_DIM(names); i++) {
		ck_assert_int_eq(tw_family_from_name(names[i].name), names[i].family);
		ck_assert_str_eq(tw_family_name(names[i].family), names[i].name);
	}
	ck_assert_int_eq(tw_family_from_name("etsi"), -1);
	ck_assert_int_eq(tw_family_from_name("ERSPAN"), -1);
	ck_assert_int_eq(tw_family_from_name("erspan "), -1);
	ck_assert_int_eq(tw_family_from_name(""), -1);
	ck_assert_int_eq(tw_family_from_name(NULL), -1);
	ck_assert_ptr_null(tw_family_name(TW_FAMILY_MAX));
	ck_assert_ptr_null(tw_family_name(~0u));
}
END_TEST

START_TEST(test_validator_names)
{
	static const struct {
		const char *name;
		int v;
	} names[] = {
		{ "none", TW_VALIDATOR_NONE },
		{ "x2x3", TW_VALIDATOR_X2X3 },
		{ "ps-pdu", TW_VALIDATOR_PS_PDU },
		{ "hi2", TW_VALIDATOR_HI2 },
		{ "erspan", TW_VALIDATOR_ERSPAN },
		{ "x1", TW_VALIDATOR_X1 },
		{ "snmp-tap", TW_VALIDATOR_SNMP_TAP },
		{ "dtcp", TW_VALIDATOR_DTCP },
		{ "packetcable", TW_VALIDATOR_PACKETCABLE },
		{ "jmirror", TW_VALIDATOR_JMIRROR },
		{ "redback", TW_VALIDATOR_REDBACK },
		{ "tzsp", TW_VALIDATOR_TZSP },
		{ "rpcap", TW_VALIDATOR_RPCAP },
	};
	unsigned int i;

	ck_assert_uint_eq(RTE_DIM(names), TW_VALIDATOR_MAX);
	for (i = 0; i < RTE_DIM(names); i++) {
		ck_assert_int_eq(tw_validator_from_name(names[i].name), names[i].v);
		ck_assert_str_eq(tw_validator_name(names[i].v), names[i].name);
	}
	ck_assert_int_eq(tw_validator_from_name("x2"), -1);
	ck_assert_int_eq(tw_validator_from_name(""), -1);
	ck_assert_int_eq(tw_validator_from_name(NULL), -1);
	ck_assert_ptr_null(tw_validator_name(TW_VALIDATOR_MAX));
}
END_TEST

static Suite *
li_suite(void)
{
	Suite *s = suite_create("li");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_family_names);
	tcase_add_test(tc, test_validator_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("dispatch");
	tcase_add_test(tc, test_validate_bad_args);
	tcase_add_test(tc, test_validate_none);
	tcase_add_test(tc, test_detail_untouched_on_reject);
	suite_add_tcase(s, tc);

	tc = tcase_create("x2x3");
	tcase_add_loop_test(tc, test_x2x3_table, 0, RTE_DIM(x2x3_cases));
	tcase_add_test(tc, test_x2x3_udp);
	suite_add_tcase(s, tc);

	tc = tcase_create("ps-pdu");
	tcase_add_loop_test(tc, test_ps_pdu_table, 0, RTE_DIM(ps_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("hi2");
	tcase_add_loop_test(tc, test_hi2_table, 0, RTE_DIM(hi2_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("erspan");
	tcase_add_loop_test(tc, test_erspan_table, 0, RTE_DIM(erspan_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	/* Sweep and mutations run each validator tens of thousands of times. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(li_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
