/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for the traffic-copy validators in lib/tw_li_tzsp.c and
 * lib/tw_li_rpcap.c.
 *
 * The TZSP sample vectors are the UDP payloads of the public capture
 * lwerdna/simple_http_tzsp.pcapng (docs/li-protocols.md section 10),
 * extracted with tshark -e udp.payload. The other positive vectors were
 * decoded with tshark 4.0.17 as intended: TZSP with text2pcap -u 40000,37008
 * and -Y tzsp; rpcap with text2pcap -T 40000,2002 (TCP heuristic) and, for
 * packet messages, text2pcap -u with -o rpcap.linktype:1 (section 0.3).
 * Near misses change one thing in a positive vector.
 *
 * Vectors are hex strings; 'text' inside a vector is copied as ASCII.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tw_li.h"
#include "tw_li_priv.h"
#include "tw_test_hex.h"

#define VEC_MAX 2048

/* A validator case: bytes, expected verdict and, for hits, the detail. */
struct mirror_case {
	const char *name;
	enum tw_validator v;
	int expect;
	const char *hex;
	/*
	 * Truncation sweep: a cut of exactly cut_ok_at bytes (a message
	 * boundary), or of cut_ok_from bytes or more (no length field to
	 * betray the cut), may still validate; every other cut must fail.
	 */
	uint32_t cut_ok_at;
	uint32_t cut_ok_from;
	struct tw_li_detail want;
};

/* Validate from an exact-size heap copy, so any over-read is caught. */
static int
validate_exact(enum tw_validator v, const uint8_t *bytes, uint32_t len,
		struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	r = tw_li_validate(v, copy, len, NULL, d);
	free(copy);
	return r;
}

/* The family validator called directly, on an exact-size copy too. */
static int
validate_direct(enum tw_validator v, const uint8_t *bytes, uint32_t len,
		struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	if (v == TW_VALIDATOR_TZSP)
		r = tw_li_tzsp_validate(copy, len, d);
	else
		r = tw_li_rpcap_validate(copy, len, d);
	free(copy);
	return r;
}

#define IP4(a, b, c, e) { a, b, c, e }
#define IP6_DOC(last) { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last }

/* ------------------------------------------------------------------------ */
/* TZSP                                                                      */
/* ------------------------------------------------------------------------ */

/* lwerdna/simple_http_tzsp.pcapng, UDP 55310 -> 31337: 01 00 00 01 01 + Ethernet */
/* frame 1, 443 bytes: HTTP GET 192.168.88.123:55264 -> 192.168.88.249:56789 */
#define TZ_SAMPLE_1 \
	"010000010168f728cb6aa9bbbbbbbbbbbc0800450001a81d4140004006e949c0a8587bc0a858f9d7e0ddd5e0" \
	"896cd2fa0f81b1801801f6a49200000101080a125bd447c127ad80474554202f20485454502f312e310d0a48" \
	"6f73743a203139322e3136382e38382e3234393a35363738390d0a557365722d4167656e743a204d6f7a696c" \
	"6c612f352e3020285831313b205562756e74753b204c696e7578207838365f36343b2072763a3132322e3029" \
	"204765636b6f2f32303130303130312046697265666f782f3132322e300d0a4163636570743a20746578742f" \
	"68746d6c2c6170706c69636174696f6e2f7868746d6c2b786d6c2c6170706c69636174696f6e2f786d6c3b71" \
	"3d302e392c696d6167652f617669662c696d6167652f776562702c2a2f2a3b713d302e380d0a416363657074" \
	"2d4c616e67756167653a20656e2d55532c656e3b713d302e350d0a4163636570742d456e636f64696e673a20" \
	"677a69702c206465666c6174650d0a444e543a20310d0a5365632d4750433a20310d0a436f6e6e656374696f" \
	"6e3a206b6565702d616c6976650d0a557067726164652d496e7365637572652d52657175657374733a20310d" \
	"0a0d0a"

/* frame 2, 257 bytes: HTTP 200 192.168.88.249:56789 -> 192.168.88.123:55264 */
#define TZ_SAMPLE_2 \
	"0100000101bbbbbbbbbbbc68f728cb6aa90800450000ee231140004006e433c0a858f9c0a8587bddd5d7e0fa" \
	"0f81b1e0896e46801801fbbda500000101080ac127ada1125bd447485454502f312e3020323030204f4b0d0a" \
	"5365727665723a2053696d706c65485454502f302e3620507974686f6e2f332e31302e31320d0a446174653a" \
	"205475652c203236204e6f7620323032342031393a33333a343620474d540d0a436f6e74656e742d74797065" \
	"3a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a2031330d0a4c6173742d4d6f64696669" \
	"65643a205475652c203236204e6f7620323032342031363a30353a343920474d540d0a0d0a"

/* frame 3, 403 bytes: GET /favicon.ico 192.168.88.123:55270 -> 192.168.88.249:56789 */
#define TZ_SAMPLE_3 \
	"010000010168f728cb6aa9bbbbbbbbbbbc080045000180c2f14000400643c1c0a8587bc0a858f9d7e6ddd52f" \
	"44b3abb1164d49801801f6b4d700000101080a125bd47cc127adb6474554202f66617669636f6e2e69636f20" \
	"485454502f312e310d0a486f73743a203139322e3136382e38382e3234393a35363738390d0a557365722d41" \
	"67656e743a204d6f7a696c6c612f352e3020285831313b205562756e74753b204c696e7578207838365f3634" \
	"3b2072763a3132322e3029204765636b6f2f32303130303130312046697265666f782f3132322e300d0a4163" \
	"636570743a20696d6167652f617669662c696d6167652f776562702c2a2f2a0d0a4163636570742d4c616e67" \
	"756167653a20656e2d55532c656e3b713d302e350d0a4163636570742d456e636f64696e673a20677a69702c" \
	"206465666c6174650d0a444e543a20310d0a5365632d4750433a20310d0a436f6e6e656374696f6e3a206b65" \
	"65702d616c6976650d0a526566657265723a20687474703a2f2f3139322e3136382e38382e3234393a353637" \
	"38392f0d0a0d0a"

/* frame 4, 257 bytes: HTTP 404 192.168.88.249:56789 -> 192.168.88.123:55270 */
#define TZ_SAMPLE_4 \
	"0100000101bbbbbbbbbbbc68f728cb6aa90800450000eebc5f400040064ae5c0a858f9c0a8587bddd5d7e6b1" \
	"164d492f44b4f7801801fbc90000000101080ac127adb9125bd47c485454502f312e30203430342046696c65" \
	"206e6f7420666f756e640d0a5365727665723a2053696d706c65485454502f302e3620507974686f6e2f332e" \
	"31302e31320d0a446174653a205475652c203236204e6f7620323032342031393a33333a343620474d540d0a" \
	"436f6e6e656374696f6e3a20636c6f73650d0a436f6e74656e742d547970653a20746578742f68746d6c3b63" \
	"6861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203436390d0a0d0a"

/* frame 5, 540 bytes: 404 body, same direction as frame 4 */
#define TZ_SAMPLE_5 \
	"0100000101bbbbbbbbbbbc68f728cb6aa9080045000209bc604000400649c9c0a858f9c0a8587bddd5d7e6b1" \
	"164e032f44b4f7801901fbee1200000101080ac127adb9125bd47c3c21444f43545950452048544d4c205055" \
	"424c494320222d2f2f5733432f2f4454442048544d4c20342e30312f2f454e220a2020202020202020226874" \
	"74703a2f2f7777772e77332e6f72672f54522f68746d6c342f7374726963742e647464223e0a3c68746d6c3e" \
	"0a202020203c686561643e0a20202020202020203c6d65746120687474702d65717569763d22436f6e74656e" \
	"742d547970652220636f6e74656e743d22746578742f68746d6c3b636861727365743d7574662d38223e0a20" \
	"202020202020203c7469746c653e4572726f7220726573706f6e73653c2f7469746c653e0a202020203c2f68" \
	"6561643e0a202020203c626f64793e0a20202020202020203c68313e4572726f7220726573706f6e73653c2f" \
	"68313e0a20202020202020203c703e4572726f7220636f64653a203430343c2f703e0a20202020202020203c" \
	"703e4d6573736167653a2046696c65206e6f7420666f756e642e3c2f703e0a20202020202020203c703e4572" \
	"726f7220636f6465206578706c616e6174696f6e3a20485454505374617475732e4e4f545f464f554e44202d" \
	"204e6f7468696e67206d6174636865732074686520676976656e205552492e3c2f703e0a202020203c2f626f" \
	"64793e0a3c2f68746d6c3e0a"

/*
 * Received tag list, Ethernet, with pads and tags before END: pad pad,
 * signal (10) -60 dBm, rate (12) 108, channel (18) 6, sensor MAC (60), pad,
 * END; then Ethernet / IPv6 / UDP 2001:db8::1:40001 -> 2001:db8::2:7 'hello'.
 */
#define TZ_TAGS_HDR "01000001 0000 0a01c4 0c016c 120106 3c06020000000009 00 01"
#define TZ_ETH_IPV6_UDP "020000000002 020000000001 86dd" \
	"60000000 000d 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002" \
	"9c41 0007 000d c444 'hello'"
/* VLAN 100 frame sliced by the sender: original length (41) 1518; IPv4 says 1500. */
#define TZ_SLICED "01000001 2902 05ee 01" \
	"020000000002 020000000001 8100 0064 0800" \
	"450005dc 00010000 4011 0000 0a000001 0a000002 3039 0035 05c8 0000"
/* QinQ: 802.1ad 200, 802.1Q 100, IPv4/UDP 192.0.2.1:5060 -> 198.51.100.7:5060 'OPTS' */
#define TZ_QINQ "01000001 01 020000000002 020000000001 88a8 00c8 8100 0064 0800" \
	"45000020 00424000 40114e4f c0000201 c6336407 13c413c4 000c0000 'OPTS'"
/* 802.11 (18): an ACK control frame, no inner parse. */
#define TZ_WLAN "01000012 01 d400 0000 020000000001"

#define WANT_TZSP(ty, enc, hl, ...) { \
	.kind = TW_LI_KIND_TZSP, \
	.tzsp = { .version = 1, .type = ty, .encap = enc, .header_len = hl, \
		.inner = { __VA_ARGS__ } } }
#define SAMPLE_INNER(sp, dp, s, d) .l3 = 4, .proto = 6, .sport = sp, .dport = dp, \
	.src = IP4(192, 168, 88, s), .dst = IP4(192, 168, 88, d)

static const struct mirror_case tzsp_cases[] = {
	/* true hits */
	{ "sample frame 1", TW_VALIDATOR_TZSP, 1, TZ_SAMPLE_1, 0, 0,
		WANT_TZSP(0, 1, 5, SAMPLE_INNER(55264, 56789, 123, 249)) },
	{ "sample frame 2", TW_VALIDATOR_TZSP, 1, TZ_SAMPLE_2, 0, 0,
		WANT_TZSP(0, 1, 5, SAMPLE_INNER(56789, 55264, 249, 123)) },
	{ "sample frame 3", TW_VALIDATOR_TZSP, 1, TZ_SAMPLE_3, 0, 0,
		WANT_TZSP(0, 1, 5, SAMPLE_INNER(55270, 56789, 123, 249)) },
	{ "sample frame 4", TW_VALIDATOR_TZSP, 1, TZ_SAMPLE_4, 0, 0,
		WANT_TZSP(0, 1, 5, SAMPLE_INNER(56789, 55270, 249, 123)) },
	{ "sample frame 5", TW_VALIDATOR_TZSP, 1, TZ_SAMPLE_5, 0, 0,
		WANT_TZSP(0, 1, 5, SAMPLE_INNER(56789, 55270, 249, 123)) },
	{ "keepalive", TW_VALIDATOR_TZSP, 1, "01040001", 0, 0,
		WANT_TZSP(4, 1, 4, .l3 = 0) },
	{ "port opener", TW_VALIDATOR_TZSP, 1, "01050001", 0, 0,
		WANT_TZSP(5, 1, 4, .l3 = 0) },
	{ "pads and tags, IPv6 inner", TW_VALIDATOR_TZSP, 1, TZ_TAGS_HDR TZ_ETH_IPV6_UDP, 0, 0,
		WANT_TZSP(0, 1, 25, .l3 = 6, .proto = 17, .sport = 40001, .dport = 7,
			.src = IP6_DOC(1), .dst = IP6_DOC(2)) },
	{ "type 1 packet for transmit, no tags", TW_VALIDATOR_TZSP, 1,
		"01010001 01" TZ_ETH_IPV6_UDP, 0, 0,
		WANT_TZSP(1, 1, 5, .l3 = 6, .proto = 17, .sport = 40001, .dport = 7,
			.src = IP6_DOC(1), .dst = IP6_DOC(2)) },
	{ "QinQ 802.1ad 200 / 802.1Q 100, IPv4/UDP", TW_VALIDATOR_TZSP, 1, TZ_QINQ, 0, 0,
		WANT_TZSP(0, 1, 5, .l3 = 4, .proto = 17, .sport = 5060, .dport = 5060,
			.vlan = 200, .src = IP4(192, 0, 2, 1), .dst = IP4(198, 51, 100, 7)) },
	/* sliced: the frame may be cut anywhere once its Ethernet header is in */
	{ "VLAN frame sliced, original-length tag", TW_VALIDATOR_TZSP, 1, TZ_SLICED, 0, 9 + 14,
		WANT_TZSP(0, 1, 9, .l3 = 4, .proto = 17, .sport = 12345, .dport = 53,
			.vlan = 100, .src = IP4(10, 0, 0, 1), .dst = IP4(10, 0, 0, 2)) },
	/* no length field in an 802.11 frame: any non-empty capture passes */
	{ "802.11 ACK", TW_VALIDATOR_TZSP, 1, TZ_WLAN, 0, 6,
		WANT_TZSP(0, 18, 5, .l3 = 0) },
	{ "Prism encapsulation", TW_VALIDATOR_TZSP, 1, "01000077 01 00000044", 0, 6,
		WANT_TZSP(0, 119, 5, .l3 = 0) },

	/* near misses and other traffic */
	{ "version 2", TW_VALIDATOR_TZSP, 0, "02000001 01" TZ_ETH_IPV6_UDP },
	{ "version 0", TW_VALIDATOR_TZSP, 0, "00000001 01" TZ_ETH_IPV6_UDP },
	{ "type 6", TW_VALIDATOR_TZSP, 0, "01060001 01" TZ_ETH_IPV6_UDP },
	{ "encapsulation 0", TW_VALIDATOR_TZSP, 0, "01000000 01" TZ_ETH_IPV6_UDP },
	{ "encapsulation 2", TW_VALIDATOR_TZSP, 0, "01000002 01" TZ_ETH_IPV6_UDP },
	{ "encapsulation 0x0101", TW_VALIDATOR_TZSP, 0, "01000101 01" TZ_ETH_IPV6_UDP },
	{ "keepalive with a trailing byte", TW_VALIDATOR_TZSP, 0, "01040001 01" },
	{ "port opener with tags", TW_VALIDATOR_TZSP, 0, "01050001 01" TZ_ETH_IPV6_UDP },
	{ "header only, type 0", TW_VALIDATOR_TZSP, 0, "01000001" },
	{ "END with nothing after it", TW_VALIDATOR_TZSP, 0, "01000001 0a01c4 01" },
	{ "tag walk runs off the end", TW_VALIDATOR_TZSP, 0, "01000001 0a05c4" },
	{ "tag length byte missing", TW_VALIDATOR_TZSP, 0, "01000001 0000 0a" },
	{ "tag value swallows END and frame", TW_VALIDATOR_TZSP, 0,
		"01000001 3cff 01" TZ_ETH_IPV6_UDP },
	{ "no END: pads only", TW_VALIDATOR_TZSP, 0, "01000001 00000000 00000000" },
	{ "Ethernet frame shorter than 14 bytes", TW_VALIDATOR_TZSP, 0,
		"01000001 01 020000000002 020000000001 08" },
	{ "VLAN tag cut short", TW_VALIDATOR_TZSP, 0,
		"01000001 01 020000000002 020000000001 8100 00" },
	{ "VLAN tag without the inner ethertype", TW_VALIDATOR_TZSP, 0,
		"01000001 01 020000000002 020000000001 8100 0064" },
	{ "unknown ethertype 0x1234", TW_VALIDATOR_TZSP, 0,
		"01000001 01 020000000002 020000000001 1234 00000000" },
	{ "IPv6 payload length beyond the datagram", TW_VALIDATOR_TZSP, 0,
		"01000001 01 020000000002 020000000001 86dd"
		"60000000 000e 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
		"9c41 0007 000d c444 'hello'" },
	{ "802.3 length beyond the frame", TW_VALIDATOR_TZSP, 0,
		"01000001 01 0180c2000000 020000000001 0027 424203000000000000" },
	{ "IPv4 version nibble wrong", TW_VALIDATOR_TZSP, 0,
		"0100000101bbbbbbbbbbbc68f728cb6aa9080065000014 00000000 4006 0000 c0a858f9 c0a8587b" },
	/* VXLAN (RFC 7348) to the same Ethernet frame */
	{ "VXLAN", TW_VALIDATOR_TZSP, 0, "08000000 00006400" TZ_ETH_IPV6_UDP },
	/* DNS query for example.com */
	{ "random UDP: DNS query", TW_VALIDATOR_TZSP, 0,
		"1a2b 0100 0001 0000 0000 0000 07'example'03'com'00 0001 0001" },
	/* DNS id 0x0100 with flags 0x0001: the anchor, but no END tag */
	{ "anchor lookalike: DNS id 0x0100", TW_VALIDATOR_TZSP, 0,
		"0100 0001 0001 0000 0000 0000 07'example'03'com'00 0001 0001" },
};

/* ------------------------------------------------------------------------ */
/* rpcap                                                                     */
/* ------------------------------------------------------------------------ */

/* Ethernet / IPv4 / TCP SYN 10.0.0.1:12345 -> 10.0.0.2:80, 54 bytes */
#define RP_FRAME "020000000002 020000000001 0800 45000028 12344000 4006149a" \
	"0a000001 0a000002 30390050 01020304 00000000 5002faf0 00000000"
/* packet message: ts 1701092424.123456, caplen 54, len 60, frame 1 */
#define RP_PACKET "0007 0000 0000004a 65649c48 0001e240 00000036 0000003c 00000001" RP_FRAME
#define RP_PACKET_2 "0007 0000 0000004a 65649c48 0001e241 00000036 0000003c 00000002" RP_FRAME
/* 128-byte rpcap_sockaddr: family, port, address, zero padding */
#define RP_Z16 "00000000000000000000000000000000"
#define RP_Z112 RP_Z16 RP_Z16 RP_Z16 RP_Z16 RP_Z16 RP_Z16 RP_Z16
#define RP_SA4(a) "0002 0000" a "0000000000000000" RP_Z112
#define RP_SA_NONE "0000 0000 00000000 0000000000000000" RP_Z112
/* findalldevs reply, 2 interfaces: eth0 "LAN" 10.0.0.1/24, lo (no addresses) */
#define RP_FINDALLDEVS "0082 0002 00000221" \
	"0004 0003 00000000 0001 0000 'eth0' 'LAN'" \
	RP_SA4("0a000001") RP_SA4("ffffff00") RP_SA4("0a0000ff") RP_SA_NONE \
	"0002 0000 00000001 0000 0000 'lo'"
/* X2/X3 keepalive (li-protocols.md section 1): 00 05 00 03 ... */
#define X2X3_KEEPALIVE "0005 0003 00000030 00000000 0000 0000" \
	"00000000 00000000 00000000 00000000 00000000 00000000 0008 0004 00000001"

#define WANT_RPCAP(ty, val, len, msg, ...) { \
	.kind = TW_LI_KIND_RPCAP, \
	.rpcap = { .version = 0, .type = ty, .value = val, .plen = len, .message = msg, \
		.inner = { __VA_ARGS__ } } }
#define RP_INNER .l3 = 4, .proto = 6, .sport = 12345, .dport = 80, \
	.src = IP4(10, 0, 0, 1), .dst = IP4(10, 0, 0, 2)

static const struct mirror_case rpcap_cases[] = {
	/* true hits */
	{ "auth request, null", TW_VALIDATOR_RPCAP, 1, "0008 0000 00000008 0000 0000 0000 0000",
		0, 0, WANT_RPCAP(0x08, 0, 8, "auth-request", .l3 = 0) },
	{ "auth request, password", TW_VALIDATOR_RPCAP, 1,
		"0008 0000 00000013 0001 0000 0005 0006 'admin' 'secret'",
		0, 0, WANT_RPCAP(0x08, 0, 19, "auth-request", .l3 = 0) },
	{ "auth reply, 1.10 layout", TW_VALIDATOR_RPCAP, 1, "0088 0000 00000008 00 00 0000 a1b2c3d4",
		0, 0, WANT_RPCAP(0x88, 0, 8, "auth-reply", .l3 = 0) },
	{ "auth reply, pre-1.9 (empty)", TW_VALIDATOR_RPCAP, 1, "0088 0000 00000000",
		0, 0, WANT_RPCAP(0x88, 0, 0, "auth-reply", .l3 = 0) },
	{ "open request", TW_VALIDATOR_RPCAP, 1, "0003 0000 00000004 'eth0'",
		0, 0, WANT_RPCAP(0x03, 0, 4, "open-request", .l3 = 0) },
	{ "open reply, DLT_EN10MB", TW_VALIDATOR_RPCAP, 1, "0083 0000 00000008 00000001 00000000",
		0, 0, WANT_RPCAP(0x83, 0, 8, "open-reply", .l3 = 0) },
	{ "startcap request, promisc, 1-insn filter", TW_VALIDATOR_RPCAP, 1,
		"0004 0000 0000001c 0000ffff 000003e8 0001 0000 0001 0000 00000001 0006 00 00 00040000",
		0, 0, WANT_RPCAP(0x04, 0, 28, "startcap-request", .l3 = 0) },
	{ "startcap reply, server port 50000", TW_VALIDATOR_RPCAP, 1,
		"0084 0000 00000008 00010000 c350 0000",
		0, 0, WANT_RPCAP(0x84, 0, 8, "startcap-reply", .l3 = 0) },
	{ "updatefilter request", TW_VALIDATOR_RPCAP, 1,
		"0005 0000 00000010 0001 0000 00000001 0006 00 00 00040000",
		0, 0, WANT_RPCAP(0x05, 0, 16, "updatefilter-request", .l3 = 0) },
	{ "stats reply", TW_VALIDATOR_RPCAP, 1,
		"0089 0000 00000010 00000064 00000000 00000002 00000062",
		0, 0, WANT_RPCAP(0x89, 0, 16, "stats-reply", .l3 = 0) },
	{ "setsampling request, 1 every 10", TW_VALIDATOR_RPCAP, 1,
		"000b 0000 00000008 01 00 0000 0000000a",
		0, 0, WANT_RPCAP(0x0b, 0, 8, "setsampling-request", .l3 = 0) },
	{ "close", TW_VALIDATOR_RPCAP, 1, "0006 0000 00000000",
		0, 0, WANT_RPCAP(0x06, 0, 0, "close", .l3 = 0) },
	{ "findalldevs reply, value 2", TW_VALIDATOR_RPCAP, 1, RP_FINDALLDEVS,
		0, 0, WANT_RPCAP(0x82, 2, 545, "findalldevs-reply", .l3 = 0) },
	{ "error, value 3 (auth)", TW_VALIDATOR_RPCAP, 1,
		"0001 0003 00000015 'Authentication failed'",
		0, 0, WANT_RPCAP(0x01, 3, 21, "error", .l3 = 0) },
	{ "packet, Ethernet/IPv4/TCP", TW_VALIDATOR_RPCAP, 1, RP_PACKET,
		0, 0, WANT_RPCAP(0x07, 0, 74, "packet", RP_INNER) },
	{ "packet, non-Ethernet frame: no inner", TW_VALIDATOR_RPCAP, 1,
		"0007 0000 00000020 65649c48 00000000 0000000c 0000000c 00000007 "
		"45000028 12344000 4006149a",
		0, 0, WANT_RPCAP(0x07, 0, 32, "packet", .l3 = 0) },
	/* back to back: a cut after the first message is a whole message */
	{ "two packets in one segment", TW_VALIDATOR_RPCAP, 1, RP_PACKET RP_PACKET_2,
		82, 0, WANT_RPCAP(0x07, 0, 74, "packet", RP_INNER) },
	{ "endcap request + close", TW_VALIDATOR_RPCAP, 1, "000a 0000 00000000 0006 0000 00000000",
		8, 0, WANT_RPCAP(0x0a, 0, 0, "endcap-request", .l3 = 0) },

	/* near misses and other traffic */
	{ "X2/X3 keepalive 00 05 00 03", TW_VALIDATOR_RPCAP, 0, X2X3_KEEPALIVE },
	{ "X2/X3 keepalive with value 0: updatefilter, plen 48", TW_VALIDATOR_RPCAP, 0,
		"0005 0000 00000030 00000000 0000 0000"
		"00000000 00000000 00000000 00000000 00000000 00000000 0008 0004 00000001" },
	{ "updatefilter, nitems 3 in 16 bytes", TW_VALIDATOR_RPCAP, 0,
		"0005 0000 00000010 0001 0000 00000003 0006 00 00 00040000" },
	{ "updatefilter, filter type 2", TW_VALIDATOR_RPCAP, 0,
		"0005 0000 00000010 0002 0000 00000001 0006 00 00 00040000" },
	{ "packet, caplen 53 != plen - 20", TW_VALIDATOR_RPCAP, 0,
		"0007 0000 0000004a 65649c48 0001e240 00000035 0000003c 00000001" RP_FRAME },
	{ "packet, caplen > len", TW_VALIDATOR_RPCAP, 0,
		"0007 0000 0000004a 65649c48 0001e240 00000036 00000035 00000001" RP_FRAME },
	{ "packet, usec 1000000", TW_VALIDATOR_RPCAP, 0,
		"0007 0000 0000004a 65649c48 000f4240 00000036 0000003c 00000001" RP_FRAME },
	{ "packet, plen 19", TW_VALIDATOR_RPCAP, 0,
		"0007 0000 00000013 65649c48 0001e240 ffffffff 0000003c 000000" },
	{ "packet, value 1", TW_VALIDATOR_RPCAP, 0,
		"0007 0001 0000004a 65649c48 0001e240 00000036 0000003c 00000001" RP_FRAME },
	{ "version 1", TW_VALIDATOR_RPCAP, 0, "0108 0000 00000008 0000 0000 0000 0000" },
	{ "type 0x0c", TW_VALIDATOR_RPCAP, 0, "000c 0000 00000000" },
	{ "type 0x86 (close has no reply)", TW_VALIDATOR_RPCAP, 0, "0086 0000 00000000" },
	{ "type 0x81", TW_VALIDATOR_RPCAP, 0, "0081 0000 00000000" },
	{ "type 0x00", TW_VALIDATOR_RPCAP, 0, "0000 0000 00000000" },
	{ "auth request, slen1 + slen2 != plen - 8", TW_VALIDATOR_RPCAP, 0,
		"0008 0000 00000013 0001 0000 0005 0005 'admin' 'secret'" },
	{ "auth request, plen 4", TW_VALIDATOR_RPCAP, 0, "0008 0000 00000004 0000 0000" },
	{ "auth request, type 2", TW_VALIDATOR_RPCAP, 0, "0008 0000 00000008 0002 0000 0000 0000" },
	{ "auth request, value 1", TW_VALIDATOR_RPCAP, 0, "0008 0001 00000008 0000 0000 0000 0000" },
	{ "startcap reply, plen 12", TW_VALIDATOR_RPCAP, 0,
		"0084 0000 0000000c 00010000 c350 0000 00000000" },
	{ "startcap reply, dummy != 0", TW_VALIDATOR_RPCAP, 0, "0084 0000 00000008 00010000 c350 0001" },
	{ "open reply, plen 4", TW_VALIDATOR_RPCAP, 0, "0083 0000 00000004 00000001" },
	{ "open request, empty name", TW_VALIDATOR_RPCAP, 0, "0003 0000 00000000" },
	{ "open request, binary name", TW_VALIDATOR_RPCAP, 0, "0003 0000 00000004 65746800" },
	{ "close with a payload", TW_VALIDATOR_RPCAP, 0, "0006 0000 00000004 00000000" },
	{ "stats reply, plen 8", TW_VALIDATOR_RPCAP, 0, "0089 0000 00000008 00000064 00000000" },
	{ "error code 21", TW_VALIDATOR_RPCAP, 0, "0001 0015 00000004 'oops'" },
	{ "findalldevs reply, value 3 for 2 interfaces", TW_VALIDATOR_RPCAP, 0,
		"0082 0003 00000221"
		"0004 0003 00000000 0001 0000 'eth0' 'LAN'"
		RP_SA4("0a000001") RP_SA4("ffffff00") RP_SA4("0a0000ff") RP_SA_NONE
		"0002 0000 00000001 0000 0000 'lo'" },
	{ "plen beyond the payload", TW_VALIDATOR_RPCAP, 0, "0008 0000 00000010 0000 0000 0000 0000" },
	{ "trailing partial header", TW_VALIDATOR_RPCAP, 0, "0006 0000 00000000 0006 00" },
	{ "trailing garbage message", TW_VALIDATOR_RPCAP, 0,
		"0006 0000 00000000 'GET / HT'" },
	{ "random TCP: HTTP request", TW_VALIDATOR_RPCAP, 0,
		"'GET / HTTP/1.1' 0d0a 'Host: example.com' 0d0a 0d0a" },
	{ "random TCP: TLS client hello start", TW_VALIDATOR_RPCAP, 0,
		"16030100 c4010000 c00303" },
};

/* ------------------------------------------------------------------------ */
/* Table runner                                                              */
/* ------------------------------------------------------------------------ */

static void
check_inner(const char *name, const struct tw_li_inner *w, const struct tw_li_inner *got)
{
	ck_assert_msg(got->l3 == w->l3, "%s: inner l3 %u, want %u", name, got->l3, w->l3);
	ck_assert_msg(got->proto == w->proto, "%s: inner proto %u", name, got->proto);
	ck_assert_msg(got->sport == w->sport && got->dport == w->dport,
			"%s: inner ports %u -> %u", name, got->sport, got->dport);
	ck_assert_msg(got->vlan == w->vlan, "%s: inner vlan %u", name, got->vlan);
	ck_assert_msg(memcmp(got->src, w->src, sizeof(w->src)) == 0, "%s: inner src", name);
	ck_assert_msg(memcmp(got->dst, w->dst, sizeof(w->dst)) == 0, "%s: inner dst", name);
}

static void
check_detail(const char *name, const struct tw_li_detail *w, const struct tw_li_detail *got)
{
	ck_assert_msg(got->kind == w->kind, "%s: kind %u, want %u", name, got->kind, w->kind);
	if (got->kind == TW_LI_KIND_TZSP) {
		ck_assert_uint_eq(got->tzsp.version, w->tzsp.version);
		ck_assert_uint_eq(got->tzsp.type, w->tzsp.type);
		ck_assert_uint_eq(got->tzsp.encap, w->tzsp.encap);
		ck_assert_uint_eq(got->tzsp.header_len, w->tzsp.header_len);
		check_inner(name, &w->tzsp.inner, &got->tzsp.inner);
	} else {
		ck_assert_uint_eq(got->rpcap.version, w->rpcap.version);
		ck_assert_uint_eq(got->rpcap.type, w->rpcap.type);
		ck_assert_uint_eq(got->rpcap.value, w->rpcap.value);
		ck_assert_uint_eq(got->rpcap.plen, w->rpcap.plen);
		ck_assert_str_eq(got->rpcap.message, w->rpcap.message);
		check_inner(name, &w->rpcap.inner, &got->rpcap.inner);
	}
}

static void
run_case(const struct mirror_case *c)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, dd;
	uint32_t len = hex_decode(c->hex, buf, sizeof(buf));
	int r;

	memset(&d, 0, sizeof(d));
	r = validate_exact(c->v, buf, len, &d);
	ck_assert_msg(r == c->expect, "%s: got %d, want %d", c->name, r, c->expect);
	/* the family validator agrees with the dispatcher */
	memset(&dd, 0, sizeof(dd));
	ck_assert_int_eq(validate_direct(c->v, buf, len, &dd), r);
	if (r == 0)
		return;
	check_detail(c->name, &c->want, &d);
	check_detail(c->name, &c->want, &dd);
	/* the verdict without a detail */
	ck_assert_int_eq(validate_exact(c->v, buf, len, NULL), 1);
}

START_TEST(test_tzsp_table)
{
	run_case(&tzsp_cases[_i]);
}
END_TEST

START_TEST(test_rpcap_table)
{
	run_case(&rpcap_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Bounds of the walks                                                       */
/* ------------------------------------------------------------------------ */

/* 63 pads and END are 64 tags: the most the walk takes. */
START_TEST(test_tzsp_tag_bound)
{
	static uint8_t buf[VEC_MAX];
	uint8_t frame[128];
	struct tw_li_detail d;
	uint32_t flen = hex_decode(TZ_ETH_IPV6_UDP, frame, sizeof(frame));
	uint32_t nb_pad, len;

	for (nb_pad = 60; nb_pad <= 66; nb_pad++) {
		len = hex_decode("01000001", buf, sizeof(buf));
		memset(buf + len, 0x00, nb_pad);
		len += nb_pad;
		buf[len++] = 0x01;
		memcpy(buf + len, frame, flen);
		len += flen;
		memset(&d, 0, sizeof(d));
		ck_assert_int_eq(validate_exact(TW_VALIDATOR_TZSP, buf, len, &d), nb_pad <= 63);
		if (nb_pad <= 63) {
			ck_assert_uint_eq(d.tzsp.header_len, 4 + nb_pad + 1);
			ck_assert_uint_eq(d.tzsp.inner.l3, 6);
		}
	}
	/* 63 one-byte-value tags and END */
	len = hex_decode("01000001", buf, sizeof(buf));
	for (nb_pad = 0; nb_pad < 63; nb_pad++) {
		buf[len++] = 0x0c;
		buf[len++] = 0x01;
		buf[len++] = 0x6c;
	}
	buf[len++] = 0x01;
	memcpy(buf + len, frame, flen);
	ck_assert_int_eq(validate_exact(TW_VALIDATOR_TZSP, buf, len + flen, &d), 1);
	ck_assert_uint_eq(d.tzsp.header_len, 4 + 63 * 3 + 1);
}
END_TEST

/* Up to 16 messages back to back; the 17th is refused. */
START_TEST(test_rpcap_message_bound)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	uint32_t nb, len;

	for (nb = 1; nb <= 17; nb++) {
		len = 0;
		while (len < nb * 8)
			len += hex_decode("0006 0000 00000000", buf + len, sizeof(buf) - len);
		memset(&d, 0, sizeof(d));
		ck_assert_int_eq(validate_exact(TW_VALIDATOR_RPCAP, buf, len, &d), nb <= 16);
		if (nb <= 16)
			ck_assert_str_eq(d.rpcap.message, "close");
	}
	/* one bad message anywhere spoils the segment */
	len = hex_decode("0006 0000 00000000 0084 0000 00000008 00010000 c350 0001"
			"0006 0000 00000000", buf, sizeof(buf));
	ck_assert_int_eq(validate_exact(TW_VALIDATOR_RPCAP, buf, len, &d), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Dispatcher and output contract                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_bad_args)
{
	static const uint8_t ka[] = { 0x01, 0x04, 0x00, 0x01 };
	struct tw_li_detail d;

	memset(&d, 0x5a, sizeof(d));
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_TZSP, NULL, 4, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_TZSP, ka, 0, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_RPCAP, NULL, 8, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_RPCAP, ka, 0, NULL, &d), 0);
	/* direct calls with a zero length read nothing */
	ck_assert_int_eq(tw_li_tzsp_validate(ka, 0, &d), 0);
	ck_assert_int_eq(tw_li_rpcap_validate(ka, 0, &d), 0);
	ck_assert_uint_eq(d.kind, 0x5a);
	/* each validator refuses the other family's bytes */
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_TZSP, ka, sizeof(ka), NULL, &d), 1);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_RPCAP, ka, sizeof(ka), NULL, &d), 0);
}
END_TEST

/* A rejected payload leaves the detail untouched; a hit zeroes the rest. */
START_TEST(test_detail_contract)
{
	static const struct mirror_case *const tables[] = { tzsp_cases, rpcap_cases };
	static const unsigned int nb[] = { RTE_DIM(tzsp_cases), RTE_DIM(rpcap_cases) };
	static const struct tw_li_inner zero_inner;
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, before;
	const struct mirror_case *c;
	const struct tw_li_inner *in;
	unsigned int t, i, k;
	uint32_t len;

	for (t = 0; t < RTE_DIM(tables); t++) {
		for (i = 0; i < nb[t]; i++) {
			c = &tables[t][i];
			len = hex_decode(c->hex, buf, sizeof(buf));
			memset(&d, 0x5a, sizeof(d));
			before = d;
			if (c->expect == 0) {
				ck_assert_int_eq(validate_exact(c->v, buf, len, &d), 0);
				ck_assert_msg(memcmp(&d, &before, sizeof(d)) == 0,
						"%s: detail written on reject", c->name);
				continue;
			}
			ck_assert_int_eq(validate_exact(c->v, buf, len, &d), 1);
			check_detail(c->name, &c->want, &d);
			if (d.kind == TW_LI_KIND_TZSP) {
				in = &d.tzsp.inner;
			} else {
				in = &d.rpcap.inner;
				/* the message name is NUL-padded, not 0x5a-padded */
				for (k = strlen(d.rpcap.message); k < sizeof(d.rpcap.message); k++)
					ck_assert_uint_eq((uint8_t)d.rpcap.message[k], 0);
			}
			if (in->l3 == 0)
				ck_assert_msg(memcmp(in, &zero_inner, sizeof(*in)) == 0,
						"%s: stale inner fields", c->name);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Truncation sweep and random mutations                                     */
/* ------------------------------------------------------------------------ */

/*
 * A hit on a prefix reports what the whole vector reports, except that the
 * inner packet may be cut: unknown, or the same endpoints.
 */
static void
check_prefix_hit(const struct mirror_case *c, uint32_t cut, const struct tw_li_detail *full,
		const struct tw_li_detail *got)
{
	struct tw_li_detail a = *got, b = *full;
	struct tw_li_inner *ia, *ib;

	ck_assert_msg(a.kind == b.kind, "%s cut %u: kind", c->name, cut);
	if (a.kind == TW_LI_KIND_TZSP) {
		ia = &a.tzsp.inner;
		ib = &b.tzsp.inner;
	} else {
		ia = &a.rpcap.inner;
		ib = &b.rpcap.inner;
	}
	ck_assert_msg(ia->l3 == 0 || (ia->l3 == ib->l3 &&
			memcmp(ia->src, ib->src, sizeof(ia->src)) == 0 &&
			memcmp(ia->dst, ib->dst, sizeof(ia->dst)) == 0),
			"%s cut %u: inner endpoints differ", c->name, cut);
	memset(ia, 0, sizeof(*ia));
	memset(ib, 0, sizeof(*ib));
	if (a.kind == TW_LI_KIND_TZSP)
		ck_assert_msg(memcmp(&a.tzsp, &b.tzsp, sizeof(a.tzsp)) == 0,
				"%s cut %u: fields differ", c->name, cut);
	else
		ck_assert_msg(memcmp(&a.rpcap, &b.rpcap, sizeof(a.rpcap)) == 0,
				"%s cut %u: fields differ", c->name, cut);
}

/*
 * Every positive cut at every length, into an exact-size buffer. A cut
 * datagram must not validate: TZSP checks the mirrored frame against its
 * own IP / 802.3 / ARP length, rpcap wants whole messages. rpcap treats a
 * TCP segment the same way (it is not told the transport), so a TCP
 * segment cut inside a message fails too; a cut on a message boundary is a
 * whole message and passes.
 */
static void
sweep(const struct mirror_case *cases, unsigned int nb)
{
	static uint8_t buf[VEC_MAX];
	const struct mirror_case *c;
	struct tw_li_detail full, d;
	unsigned int i;
	uint32_t len, cut;
	int r, want;

	for (i = 0; i < nb; i++) {
		c = &cases[i];
		if (c->expect == 0)
			continue;
		len = hex_decode(c->hex, buf, sizeof(buf));
		memset(&full, 0, sizeof(full));
		ck_assert_int_eq(validate_exact(c->v, buf, len, &full), 1);
		for (cut = 0; cut < len; cut++) {
			memset(&d, 0, sizeof(d));
			r = validate_exact(c->v, buf, cut, &d);
			want = cut != 0 && (cut == c->cut_ok_at ||
					(c->cut_ok_from != 0 && cut >= c->cut_ok_from));
			ck_assert_msg(r == want, "%s cut at %u of %u: got %d, want %d",
					c->name, cut, len, r, want);
			if (r == 1)
				check_prefix_hit(c, cut, &full, &d);
		}
	}
}

START_TEST(test_tzsp_truncation)
{
	sweep(tzsp_cases, RTE_DIM(tzsp_cases));
}
END_TEST

START_TEST(test_rpcap_truncation)
{
	sweep(rpcap_cases, RTE_DIM(rpcap_cases));
}
END_TEST

/* xorshift64*: reproducible, no libc rand() state shared with anything. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Sanity of a hit on mutated bytes: kind and lengths within the buffer. */
static void
check_mutant_hit(enum tw_validator v, const struct tw_li_detail *d, uint32_t len)
{
	if (v == TW_VALIDATOR_TZSP) {
		ck_assert_uint_eq(d->kind, TW_LI_KIND_TZSP);
		ck_assert_uint_le(d->tzsp.header_len, len);
		ck_assert_uint_eq(d->tzsp.version, 1);
	} else {
		ck_assert_uint_eq(d->kind, TW_LI_KIND_RPCAP);
		ck_assert_uint_le(d->rpcap.plen + 8ULL, len);
		ck_assert_uint_eq(d->rpcap.version, 0);
		ck_assert_uint_lt(strlen(d->rpcap.message), sizeof(d->rpcap.message));
		ck_assert_uint_gt(strlen(d->rpcap.message), 0);
	}
}

#define NB_MUTATIONS 5000

/*
 * Random positives with 1..4 bytes replaced, cut or extended by random
 * bytes, run through both validators from exact-size buffers. The seed is
 * fixed so a failure reproduces.
 */
START_TEST(test_mutations)
{
	static const struct mirror_case *const tables[] = { tzsp_cases, rpcap_cases };
	static const unsigned int nb[] = { RTE_DIM(tzsp_cases), RTE_DIM(rpcap_cases) };
	static uint8_t buf[VEC_MAX + 32];
	uint64_t seed = 0x7a70c0de5eed1234ULL;
	const struct mirror_case *c;
	struct tw_li_detail d;
	unsigned int n, k, nb_mut, t, hits = 0;
	enum tw_validator v;
	uint32_t len, pos, extra;

	for (n = 0; n < NB_MUTATIONS; n++) {
		t = rng_next(&seed) % 2;
		c = &tables[t][rng_next(&seed) % nb[t]];
		len = hex_decode(c->hex, buf, VEC_MAX);
		nb_mut = 1 + rng_next(&seed) % 4;
		for (k = 0; k < nb_mut && len != 0; k++) {
			pos = rng_next(&seed) % len;
			/* favour the header and small values, where the checks are */
			if (rng_next(&seed) % 2)
				pos %= 24 < len ? 24 : len;
			buf[pos] = (uint8_t)(rng_next(&seed) % 3 == 0 ?
					rng_next(&seed) % 4 : rng_next(&seed));
		}
		switch (rng_next(&seed) % 4) {
		case 0:
			len = len != 0 ? rng_next(&seed) % len : 0;
			break;
		case 1:
			extra = 1 + rng_next(&seed) % 32;
			for (k = 0; k < extra; k++)
				buf[len + k] = (uint8_t)rng_next(&seed);
			len += extra;
			break;
		default:
			break;
		}
		for (v = TW_VALIDATOR_TZSP; v <= TW_VALIDATOR_RPCAP; v++) {
			memset(&d, 0, sizeof(d));
			if (validate_exact(v, buf, len, &d) == 1) {
				check_mutant_hit(v, &d, len);
				hits++;
			}
		}
	}
	/* most mutants of a positive are still well-formed enough to hit */
	ck_assert_uint_gt(hits, NB_MUTATIONS / 20);
}
END_TEST

/* Random bytes behind each family's anchor. */
START_TEST(test_random_after_anchor)
{
	static const char *const anchors[] = {
		"01000001", "01000012", "01030001", "0007 0000", "0082", "0001", "0008 0000",
	};
	static uint8_t buf[256];
	uint64_t seed = 0x5eed00000000abcdULL;
	struct tw_li_detail d;
	unsigned int n;
	enum tw_validator v;
	uint32_t alen, len, k;

	for (n = 0; n < 5000; n++) {
		alen = hex_decode(anchors[n % RTE_DIM(anchors)], buf, sizeof(buf));
		len = alen + rng_next(&seed) % (sizeof(buf) - alen);
		for (k = alen; k < len; k++)
			buf[k] = (uint8_t)(rng_next(&seed) % 5 == 0 ? rng_next(&seed) % 3 :
					rng_next(&seed));
		for (v = TW_VALIDATOR_TZSP; v <= TW_VALIDATOR_RPCAP; v++) {
			memset(&d, 0, sizeof(d));
			if (validate_exact(v, buf, len, &d) == 1)
				check_mutant_hit(v, &d, len);
		}
	}
}
END_TEST

static Suite *
li_mirror_suite(void)
{
	Suite *s = suite_create("li_mirror");
	TCase *tc;

	tc = tcase_create("dispatch");
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_detail_contract);
	suite_add_tcase(s, tc);

	tc = tcase_create("tzsp");
	tcase_add_loop_test(tc, test_tzsp_table, 0, RTE_DIM(tzsp_cases));
	tcase_add_test(tc, test_tzsp_tag_bound);
	suite_add_tcase(s, tc);

	tc = tcase_create("rpcap");
	tcase_add_loop_test(tc, test_rpcap_table, 0, RTE_DIM(rpcap_cases));
	tcase_add_test(tc, test_rpcap_message_bound);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	/* slow under valgrind: every cut and mutant is its own malloc */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tzsp_truncation);
	tcase_add_test(tc, test_rpcap_truncation);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_random_after_anchor);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(li_mirror_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
