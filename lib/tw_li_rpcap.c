/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * rpcap (libpcap remote capture) validator. Every message starts with
 *
 *   version(1) = 0 | type(1) | value(2) | payload length plen(4)
 *
 * and plen bytes of payload. Control runs over TCP (2002 passive, 2003
 * active); captured packets (type 0x07) run over a second TCP connection
 * or UDP, on a port negotiated in the startcap exchange. Layouts are those
 * of libpcap's rpcap-protocol.h; the length rules follow Wireshark's rpcap
 * heuristic and go further where the payload has its own counts (filters,
 * interface lists, credentials).
 *
 * Message boundaries: the payload must hold whole messages, up to
 * RPCAP_MSGS_MAX of them back to back, ending exactly at len. That is right
 * for a UDP datagram and for the usual one-message-per-segment TCP exchange.
 * A TCP segment whose last message continues in the next segment is
 * rejected, because this validator is not told which transport it sees (a
 * cut datagram must fail); under load that misses some packet-stream
 * segments, and the aligned ones still raise the alert.
 *
 * The detail describes the first message. For a packet message the captured
 * frame is parsed as Ethernet: the real link type was negotiated in the open
 * reply, which the data connection does not repeat.
 */

#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define RPCAP_VERSION 0
#define RPCAP_HDR_LEN 8
#define RPCAP_MSGS_MAX 16

#define RPCAP_MSG_ERROR 0x01
#define RPCAP_MSG_FINDALLIF_REQ 0x02
#define RPCAP_MSG_OPEN_REQ 0x03
#define RPCAP_MSG_STARTCAP_REQ 0x04
#define RPCAP_MSG_UPDATEFILTER_REQ 0x05
#define RPCAP_MSG_CLOSE 0x06
#define RPCAP_MSG_PACKET 0x07
#define RPCAP_MSG_AUTH_REQ 0x08
#define RPCAP_MSG_STATS_REQ 0x09
#define RPCAP_MSG_ENDCAP_REQ 0x0a
#define RPCAP_MSG_SETSAMPLING_REQ 0x0b
#define RPCAP_MSG_REPLY 0x80
#define RPCAP_MSG_FINDALLIF_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_FINDALLIF_REQ)
#define RPCAP_MSG_OPEN_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_OPEN_REQ)
#define RPCAP_MSG_STARTCAP_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_STARTCAP_REQ)
#define RPCAP_MSG_UPDATEFILTER_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_UPDATEFILTER_REQ)
#define RPCAP_MSG_AUTH_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_AUTH_REQ)
#define RPCAP_MSG_STATS_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_STATS_REQ)
#define RPCAP_MSG_ENDCAP_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_ENDCAP_REQ)
#define RPCAP_MSG_SETSAMPLING_REPLY (RPCAP_MSG_REPLY | RPCAP_MSG_SETSAMPLING_REQ)

/* libpcap 1.10 defines error codes 1..20; Wireshark 4.0 knows 1..17. */
#define RPCAP_ERR_MAX 20

#define RPCAP_PKTHDR_LEN 20
#define RPCAP_MAX_SNAPLEN 262144	/* libpcap MAXIMUM_SNAPLEN */
#define USEC_PER_SEC 1000000

#define RPCAP_AUTH_HDR_LEN 8
#define RPCAP_AUTH_NULL 0
#define RPCAP_AUTH_PWD 1

#define RPCAP_STARTCAPREQ_LEN 12
#define RPCAP_FILTER_HDR_LEN 8
#define RPCAP_FILTER_BPF 1
#define RPCAP_BPF_INSN_LEN 8
#define RPCAP_STARTCAPREQ_FLAGS 0x001f	/* promisc, dgram, serveropen, in, out */

#define RPCAP_IF_HDR_LEN 12
#define RPCAP_IFADDR_LEN 512		/* addr, netmask, broadaddr, dstaddr: 4 x 128 */

#define RPCAP_SAMP_METHOD_MAX 2

/* Message names as reported in the alert detail, indexed by type & 0x7f. */
static const char *const request_names[] = {
	[RPCAP_MSG_ERROR] = "error",
	[RPCAP_MSG_FINDALLIF_REQ] = "findalldevs-request",
	[RPCAP_MSG_OPEN_REQ] = "open-request",
	[RPCAP_MSG_STARTCAP_REQ] = "startcap-request",
	[RPCAP_MSG_UPDATEFILTER_REQ] = "updatefilter-request",
	[RPCAP_MSG_CLOSE] = "close",
	[RPCAP_MSG_PACKET] = "packet",
	[RPCAP_MSG_AUTH_REQ] = "auth-request",
	[RPCAP_MSG_STATS_REQ] = "stats-request",
	[RPCAP_MSG_ENDCAP_REQ] = "endcap-request",
	[RPCAP_MSG_SETSAMPLING_REQ] = "setsampling-request",
};
static const char *const reply_names[] = {
	[RPCAP_MSG_FINDALLIF_REQ] = "findalldevs-reply",
	[RPCAP_MSG_OPEN_REQ] = "open-reply",
	[RPCAP_MSG_STARTCAP_REQ] = "startcap-reply",
	[RPCAP_MSG_UPDATEFILTER_REQ] = "updatefilter-reply",
	[RPCAP_MSG_AUTH_REQ] = "auth-reply",
	[RPCAP_MSG_STATS_REQ] = "stats-reply",
	[RPCAP_MSG_ENDCAP_REQ] = "endcap-reply",
	[RPCAP_MSG_SETSAMPLING_REQ] = "setsampling-reply",
};

/* Name of a message type, or NULL if rpcap has no such message. */
static const char *
msg_name(uint8_t type)
{
	unsigned int i = type & ~RPCAP_MSG_REPLY;

	if ((type & RPCAP_MSG_REPLY) == 0)
		return i < RTE_DIM(request_names) ? request_names[i] : NULL;
	return i < RTE_DIM(reply_names) ? reply_names[i] : NULL;
}

/* A BPF filter: type(2) = BPF, dummy(2), nitems(4), nitems x 8-byte insn. */
static int
filter_ok(const uint8_t *f, uint32_t len)
{
	uint32_t nitems;

	if (len < RPCAP_FILTER_HDR_LEN || tw_li_be16(f) != RPCAP_FILTER_BPF)
		return 0;
	nitems = tw_li_be32(f + 4);
	/* Division, not nitems * 8, so a huge count cannot wrap. */
	return (len - RPCAP_FILTER_HDR_LEN) % RPCAP_BPF_INSN_LEN == 0 &&
		(len - RPCAP_FILTER_HDR_LEN) / RPCAP_BPF_INSN_LEN == nitems;
}

/*
 * findalldevs reply: value interfaces, each a 12-byte header (namelen,
 * desclen, flags, naddr, dummy), name, description and naddr 512-byte
 * address blocks, exactly filling the payload.
 */
static int
iflist_ok(const uint8_t *b, uint32_t plen, uint16_t nb_if)
{
	uint32_t off = 0, need;
	unsigned int i;

	for (i = 0; i < nb_if; i++) {
		if (plen - off < RPCAP_IF_HDR_LEN)
			return 0;
		need = RPCAP_IF_HDR_LEN + tw_li_be16(b + off) + tw_li_be16(b + off + 2) +
			(uint32_t)tw_li_be16(b + off + 8) * RPCAP_IFADDR_LEN;
		if (plen - off < need)
			return 0;
		off += need;
	}
	return off == plen;
}

/* Interface name in an open request: printable ASCII, no NUL. */
static int
text_ok(const uint8_t *b, uint32_t len)
{
	uint32_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (b[i] < 0x20 || b[i] > 0x7e)
			return 0;
	return 1;
}

/*
 * Check one message whose payload b[0..plen) is known to be in the buffer.
 * The header fields were read by the caller.
 */
static int
body_ok(uint8_t type, uint16_t value, const uint8_t *b, uint32_t plen)
{
	uint32_t caplen;

	/* The value field is only used by errors and the interface list. */
	if (value != 0 && type != RPCAP_MSG_ERROR && type != RPCAP_MSG_FINDALLIF_REPLY)
		return 0;

	switch (type) {
	case RPCAP_MSG_ERROR:
		/* value = error code; payload = message text */
		return value <= RPCAP_ERR_MAX;
	case RPCAP_MSG_FINDALLIF_REQ:
	case RPCAP_MSG_CLOSE:
	case RPCAP_MSG_STATS_REQ:
	case RPCAP_MSG_ENDCAP_REQ:
	case RPCAP_MSG_UPDATEFILTER_REPLY:
	case RPCAP_MSG_ENDCAP_REPLY:
	case RPCAP_MSG_SETSAMPLING_REPLY:
		return plen == 0;
	case RPCAP_MSG_OPEN_REQ:
		return text_ok(b, plen);
	case RPCAP_MSG_STARTCAP_REQ:
		/* snaplen(4) timeout(4) flags(2) portdata(2), then the filter */
		if (plen < RPCAP_STARTCAPREQ_LEN ||
				(tw_li_be16(b + 8) & ~RPCAP_STARTCAPREQ_FLAGS) != 0)
			return 0;
		return filter_ok(b + RPCAP_STARTCAPREQ_LEN, plen - RPCAP_STARTCAPREQ_LEN);
	case RPCAP_MSG_UPDATEFILTER_REQ:
		return filter_ok(b, plen);
	case RPCAP_MSG_PACKET:
		/* ts sec(4) ts usec(4) caplen(4) len(4) npkt(4), then the frame */
		if (plen < RPCAP_PKTHDR_LEN)
			return 0;
		caplen = tw_li_be32(b + 8);
		return tw_li_be32(b + 4) < USEC_PER_SEC &&
			caplen == plen - RPCAP_PKTHDR_LEN &&
			caplen <= RPCAP_MAX_SNAPLEN &&
			caplen <= tw_li_be32(b + 12);
	case RPCAP_MSG_AUTH_REQ:
		/* type(2) dummy(2) slen1(2) slen2(2), then username, password */
		if (plen < RPCAP_AUTH_HDR_LEN)
			return 0;
		return tw_li_be16(b) <= RPCAP_AUTH_PWD && tw_li_be16(b + 2) == 0 &&
			(uint32_t)tw_li_be16(b + 4) + tw_li_be16(b + 6) ==
			plen - RPCAP_AUTH_HDR_LEN;
	case RPCAP_MSG_SETSAMPLING_REQ:
		/* method(1) dummy1(1) dummy2(2) value(4) */
		return plen == 8 && b[0] <= RPCAP_SAMP_METHOD_MAX && b[1] == 0 &&
			tw_li_be16(b + 2) == 0;
	case RPCAP_MSG_FINDALLIF_REPLY:
		return iflist_ok(b, plen, value);
	case RPCAP_MSG_OPEN_REPLY:
		/* linktype(4) tzoff(4) */
		return plen == 8;
	case RPCAP_MSG_STARTCAP_REPLY:
		/* bufsize(4) portdata(2) dummy(2) */
		return plen == 8 && tw_li_be16(b + 6) == 0;
	case RPCAP_MSG_AUTH_REPLY:
		/*
		 * Empty from pre-1.9 servers, minvers/maxvers (2) from 1.9,
		 * plus pad and byte-order magic (8) from 1.10.
		 */
		if (plen == 0)
			return 1;
		return (plen == 2 || plen == 8) && b[0] <= b[1];
	case RPCAP_MSG_STATS_REPLY:
		/* ifrecv, ifdrop, krnldrop, svrcapt */
		return plen == 16;
	default:
		return 0;
	}
}

int
tw_li_rpcap_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_detail out;
	struct tw_li_rpcap *r = &out.rpcap;
	const char *name;
	uint32_t off = 0, plen;
	unsigned int nb;
	uint16_t value;
	uint8_t type;

	memset(&out, 0, sizeof(out));
	for (nb = 0; off < len; nb++) {
		if (nb == RPCAP_MSGS_MAX || len - off < RPCAP_HDR_LEN)
			return 0;
		type = p[off + 1];
		name = msg_name(type);
		if (p[off] != RPCAP_VERSION || name == NULL)
			return 0;
		value = tw_li_be16(p + off + 2);
		plen = tw_li_be32(p + off + 4);
		if (len - off - RPCAP_HDR_LEN < plen)
			return 0;
		if (!body_ok(type, value, p + off + RPCAP_HDR_LEN, plen))
			return 0;
		if (nb == 0) {
			r->version = p[off];
			r->type = type;
			r->value = value;
			r->plen = plen;
			/* out is zeroed: the copy stays NUL-terminated */
			memcpy(r->message, name,
					RTE_MIN(strlen(name), sizeof(r->message) - 1));
			if (type == RPCAP_MSG_PACKET)
				tw_li_inner_parse(p + off + RPCAP_HDR_LEN + RPCAP_PKTHDR_LEN,
						plen - RPCAP_PKTHDR_LEN, TW_PKT_LINK_ETH,
						&r->inner);
		}
		off += RPCAP_HDR_LEN + plen;
	}
	if (nb == 0)
		return 0;

	out.kind = TW_LI_KIND_RPCAP;
	*d = out;
	return 1;
}
