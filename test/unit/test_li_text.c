/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for the text-protocol validators: ETSI TS 103 221-1 X1
 * (lib/tw_li_x1.c) and Juniper DTCP (lib/tw_li_dtcp.c).
 *
 * The X1 bodies follow the public sipgate li-simulator fixtures and the
 * TS 103 221-1 element names (docs/li-protocols.md section 2); the DTCP
 * messages follow the Juniper flow-tap examples (section 6.1). Identifiers,
 * addresses and UUIDs are made up. Every vector is validated from an
 * exact-size heap copy, so an over-read shows under valgrind or ASan.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <rte_common.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define VEC_MAX 4096

/*
 * A case: @head is the start line and header lines (each line terminated);
 * with a @body, the test adds an exact Content-Length if asked, the blank
 * line, then the body. Without a body, @head is the whole payload.
 */
struct text_case {
	const char *name;
	enum tw_validator v;
	int expect;
	const char *head;
	const char *body;
	int content_length;
	struct tw_li_detail want;
};

static uint32_t
case_build(const struct text_case *c, uint8_t *buf)
{
	size_t hl = strlen(c->head), bl;
	int n;

	ck_assert_uint_lt(hl, VEC_MAX);
	memcpy(buf, c->head, hl);
	if (c->body == NULL)
		return (uint32_t)hl;
	bl = strlen(c->body);
	if (c->content_length)
		n = snprintf((char *)buf + hl, VEC_MAX - hl, "Content-Length: %zu\r\n\r\n", bl);
	else
		n = snprintf((char *)buf + hl, VEC_MAX - hl, "\r\n");
	ck_assert_int_gt(n, 0);
	hl += (size_t)n;
	ck_assert_uint_lt(hl + bl, VEC_MAX);
	memcpy(buf + hl, c->body, bl);
	return (uint32_t)(hl + bl);
}

/* Validate from an exact-size heap copy, through the dispatcher. */
static int
validate_exact(enum tw_validator v, const uint8_t *bytes, uint32_t len, struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	r = tw_li_validate(v, copy, len, NULL, d);
	free(copy);
	return r;
}

/* The same, calling the family's validator directly. */
static int
validate_direct(enum tw_validator v, const uint8_t *bytes, uint32_t len, struct tw_li_detail *d)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	if (v == TW_VALIDATOR_X1)
		r = tw_li_x1_validate(copy, len, d);
	else
		r = tw_li_dtcp_validate(copy, len, d);
	free(copy);
	return r;
}

/* ------------------------------------------------------------------------ */
/* X1 vectors                                                               */
/* ------------------------------------------------------------------------ */

#define NS "http://uri.etsi.org/03221/X1/2017/10"
#define XSI "http://www.w3.org/2001/XMLSchema-instance"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

#define H_POST "POST /X1/NE HTTP/1.1\r\nHost: ne1.example.net\r\n"
#define H_POST_XML H_POST "Content-Type: application/xml\r\n"
#define H_200 "HTTP/1.1 200 OK\r\nServer: x1-ne\r\n"
#define H_200_XML H_200 "Content-Type: application/xml\r\n"

#define XID1 "2b9d6f5a-7c1e-4e8a-b3d2-6f0a9c8b7e61"
#define XID2 "c0ffee00-1234-4abc-8def-0123456789ab"

/* ADMF -> NE ActivateTask, ns1: prefix (sipgate style). */
#define B_ACTIVATE XML_DECL \
	"<ns1:X1Request xmlns:ns1=\"" NS "\" xmlns:xsi=\"" XSI "\">\n" \
	"  <ns1:x1RequestMessage xsi:type=\"ns1:ActivateTaskRequest\">\n" \
	"    <ns1:admfIdentifier>admf-01</ns1:admfIdentifier>\n" \
	"    <ns1:neIdentifier>pgw-fra-3</ns1:neIdentifier>\n" \
	"    <ns1:messageTimestamp>2026-01-12T09:30:00.000000Z</ns1:messageTimestamp>\n" \
	"    <ns1:version>v1.6.1</ns1:version>\n" \
	"    <ns1:x1TransactionId>8c2d4a6e-1f3b-4c5d-9e7f-0a1b2c3d4e5f</ns1:x1TransactionId>\n" \
	"    <ns1:taskDetails>\n" \
	"      <ns1:xId>" XID1 "</ns1:xId>\n" \
	"      <ns1:targetIdentifiers>\n" \
	"        <ns1:targetIdentifier>\n" \
	"          <ns1:e164Number>491701234567</ns1:e164Number>\n" \
	"        </ns1:targetIdentifier>\n" \
	"      </ns1:targetIdentifiers>\n" \
	"      <ns1:deliveryType>X2andX3</ns1:deliveryType>\n" \
	"      <ns1:listOfDIDs>\n" \
	"        <ns1:dId>7a1e3c5b-2d4f-4a6b-8c9d-0e1f2a3b4c5d</ns1:dId>\n" \
	"      </ns1:listOfDIDs>\n" \
	"    </ns1:taskDetails>\n" \
	"  </ns1:x1RequestMessage>\n" \
	"</ns1:X1Request>\n"

/* NE -> ADMF answer, default namespace, unprefixed xsi:type value. */
#define B_RESPONSE XML_DECL \
	"<X1Response xmlns=\"" NS "\" xmlns:xsi=\"" XSI "\">\n" \
	"<x1ResponseMessage xsi:type=\"ActivateTaskResponse\">\n" \
	"<admfIdentifier>admf-01</admfIdentifier>\n" \
	"<neIdentifier>pgw-fra-3</neIdentifier>\n" \
	"<messageTimestamp>2026-01-12T09:30:00.120000Z</messageTimestamp>\n" \
	"<version>v1.6.1</version>\n" \
	"<x1TransactionId>8c2d4a6e-1f3b-4c5d-9e7f-0a1b2c3d4e5f</x1TransactionId>\n" \
	"<oK>AcknowledgedAndCompleted</oK>\n" \
	"</x1ResponseMessage>\n" \
	"</X1Response>\n"

#define B_TOP_ERROR XML_DECL \
	"<ns1:X1TopLevelErrorResponse xmlns:ns1=\"" NS "\" xmlns:xsi=\"" XSI "\">\n" \
	"    <!-- <ns1:xId>not-this-one</ns1:xId> -->\n" \
	"    <ns1:admfIdentifier>admfID</ns1:admfIdentifier>\n" \
	"    <ns1:neIdentifier>neID</ns1:neIdentifier>\n" \
	"    <ns1:messageTimestamp>2026-01-12T09:31:00.000000Z</ns1:messageTimestamp>\n" \
	"    <ns1:version>v1.6.1</ns1:version>\n" \
	"</ns1:X1TopLevelErrorResponse>\n"

#define B_TASK_DETAILS XML_DECL \
	"<ns1:X1Response xmlns:ns1=\"" NS "\" xmlns:xsi=\"" XSI "\">\n" \
	"\t<ns1:x1ResponseMessage xsi:type=\"ns1:GetTaskDetailsResponse\">\n" \
	"\t\t<ns1:admfIdentifier>admfID</ns1:admfIdentifier>\n" \
	"\t\t<ns1:neIdentifier>neID</ns1:neIdentifier>\n" \
	"\t\t<ns1:taskResponseDetails>\n" \
	"\t\t\t<ns1:taskDetails>\n" \
	"\t\t\t\t<ns1:xId>" XID2 "</ns1:xId>\n" \
	"\t\t\t\t<ns1:targetIdentifiers>\n" \
	"\t\t\t\t\t<ns1:targetIdentifier>\n" \
	"\t\t\t\t\t\t<ns1:imsi>262011234567890</ns1:imsi>\n" \
	"\t\t\t\t\t</ns1:targetIdentifier>\n" \
	"\t\t\t\t</ns1:targetIdentifiers>\n" \
	"\t\t\t\t<ns1:deliveryType>X2Only</ns1:deliveryType>\n" \
	"\t\t\t</ns1:taskDetails>\n" \
	"\t\t\t<ns1:taskStatus>\n" \
	"\t\t\t\t<ns1:provisioningStatus>complete</ns1:provisioningStatus>\n" \
	"\t\t\t\t<ns1:listOfFaults/>\n" \
	"\t\t\t</ns1:taskStatus>\n" \
	"\t\t</ns1:taskResponseDetails>\n" \
	"\t</ns1:x1ResponseMessage>\n" \
	"</ns1:X1Response>\n"

/*
 * Two messages, single quotes, spaces around '=', LF-only HTTP lines,
 * chunked body whose first chunk runs past the segment, a '>' inside an
 * attribute value, and a message after the root that must not be counted.
 */
#define V_TWO_MESSAGES \
	"POST /li/x1 HTTP/1.1\nHost: 192.0.2.7:8443\nTransfer-Encoding: chunked\n" \
	"Content-Type: text/xml;charset=utf-8\n\n" \
	"8c0\n" \
	"<x1:X1Request xmlns:xsi='" XSI "' xmlns:x1 = '" NS "' note='a>b'>" \
	"<x1:x1RequestMessage xsi:type='x1:ModifyTaskRequest'>" \
	"<x1:neIdentifier> sbc-2 </x1:neIdentifier>" \
	"<x1:taskDetails><x1:xId>" XID1 "</x1:xId>" \
	"<x1:targetIdentifiers><x1:targetIdentifier>" \
	"<x1:sipUri>sip:alice@example.org</x1:sipUri>" \
	"</x1:targetIdentifier></x1:targetIdentifiers></x1:taskDetails>" \
	"</x1:x1RequestMessage>" \
	"<x1:x1RequestMessage xsi:type='x1:DeactivateTaskRequest'>" \
	"<x1:xId>" XID2 "</x1:xId></x1:x1RequestMessage>" \
	"<![CDATA[<x1:xId>cdata</x1:xId>]]>" \
	"</x1:X1Request>" \
	"<x1:xId>after-the-root</x1:xId>"

/* Values longer than the detail fields: copied cut, NUL-terminated. */
#define B_LONG XML_DECL \
	"<X1Request xmlns=\"" NS "\">" \
	"<x1RequestMessage xsi:type=\"x:AVeryLongMessageTypeName" \
	"ThatDoesNotFitInFortySevenBytesRequest\">" \
	"<neIdentifier>network-element-with-a-long-name-0123456789</neIdentifier>" \
	"<xId>" XID1 "-and-then-some-more</xId>" \
	"<targetIdentifiers><targetIdentifier><sipUri>" \
	"sip:somebody.with.a.rather.long.name@subscribers.example.org;user=phone" \
	"</sipUri></targetIdentifier></targetIdentifiers>" \
	"</x1RequestMessage></X1Request>"

#define WANT_X1(r, m, x, t, n, nx, nm) { .kind = TW_LI_KIND_X1, \
	.x1 = { .root = r, .message = m, .xid = x, .target = t, .ne = n, \
		.nb_xids = nx, .nb_messages = nm } }

#define WEB_BODY "<!DOCTYPE html>\n<html><head><title>X1 notes</title></head><body>\n" \
	"<p>An X1 request looks like this:</p>\n" \
	"<pre>&lt;X1Request xmlns=\"" NS "\"&gt;</pre>\n" \
	"<code><X1Request xmlns=\"" NS "\"></code>\n</body></html>\n"

static const struct text_case x1_cases[] = {
	/* true hits */
	{ "ActivateTaskRequest, ns1:, Content-Length", TW_VALIDATOR_X1, 1,
		H_POST_XML, B_ACTIVATE, 1,
		WANT_X1("X1Request", "ActivateTaskRequest", XID1, "e164Number:491701234567",
			"pgw-fra-3", 1, 1) },
	{ "X1Response, default namespace, text/xml", TW_VALIDATOR_X1, 1,
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=UTF-8\r\n", B_RESPONSE, 1,
		WANT_X1("X1Response", "ActivateTaskResponse", "", "", "pgw-fra-3", 0, 1) },
	{ "X1TopLevelErrorResponse, no Content-Type", TW_VALIDATOR_X1, 1,
		"HTTP/1.1 200\r\nDate: Mon, 12 Jan 2026 09:31:00 GMT\r\n", B_TOP_ERROR, 0,
		WANT_X1("X1TopLevelErrorResponse", "", "", "", "neID", 0, 0) },
	{ "GetTaskDetailsResponse, HTTP/1.0, imsi target", TW_VALIDATOR_X1, 1,
		"HTTP/1.0 200 OK\r\nContent-Type: Application/XML\r\n", B_TASK_DETAILS, 1,
		WANT_X1("X1Response", "GetTaskDetailsResponse", XID2, "imsi:262011234567890",
			"neID", 1, 1) },
	{ "two messages, LF-only, chunked, sipUri", TW_VALIDATOR_X1, 1,
		V_TWO_MESSAGES, NULL, 0,
		WANT_X1("X1Request", "ModifyTaskRequest", XID1, "sipUri:sip:alice@example.org",
			"sbc-2", 2, 2) },
	{ "values longer than the fields", TW_VALIDATOR_X1, 1,
		H_POST_XML, B_LONG, 0,
		WANT_X1("X1Request", "AVeryLongMessageTypeNameThatDoesNotFitInFortySe",
			XID1 "-an",
			"sipUri:sip:somebody.with.a.rather.long.name@subscribers.example",
			"network-element-with-a-long-nam", 1, 1) },
	{ "body cut inside the root's first message", TW_VALIDATOR_X1, 1,
		H_POST_XML "Content-Length: 2048\r\n\r\n" XML_DECL
		"<ns1:X1Request xmlns:ns1=\"" NS "\"><ns1:x1RequestMessage xsi:type=\"ns1:Ping",
		NULL, 0,
		WANT_X1("X1Request", "", "", "", "", 0, 1) },

	/* misses */
	{ "web page (text/html) quoting X1Request and the namespace", TW_VALIDATOR_X1, 0,
		"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n", WEB_BODY, 1 },
	{ "web page without Content-Type", TW_VALIDATOR_X1, 0,
		"HTTP/1.1 200 OK\r\n", WEB_BODY, 0 },
	{ "X1 body served as text/plain", TW_VALIDATOR_X1, 0,
		"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n", B_RESPONSE, 0 },
	{ "X1 body as application/json", TW_VALIDATOR_X1, 0,
		H_POST "Content-Type: application/json\r\n", B_ACTIVATE, 0 },
	{ "X1Request root in another namespace", TW_VALIDATOR_X1, 0,
		H_POST_XML, XML_DECL "<X1Request xmlns=\"urn:example:not-x1\">"
		"<x1RequestMessage xsi:type=\"PingRequest\"/></X1Request>", 0 },
	{ "root prefix bound to another namespace", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<a:X1Request xmlns:a=\"urn:example:other\" xmlns:b=\"" NS "\">"
		"</a:X1Request>", 0 },
	{ "root in the HashedID sub-namespace", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<X1Request xmlns=\"" NS "/HashedID\"></X1Request>", 0 },
	{ "namespace declared on a child only", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<X1Request><x1RequestMessage xmlns=\"" NS "\"/></X1Request>", 0 },
	{ "X1 root not the first element", TW_VALIDATOR_X1, 0,
		H_POST_XML, XML_DECL "<wrapper><X1Request xmlns=\"" NS "\"></X1Request></wrapper>",
		0 },
	{ "root name X1Requests", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<X1Requests xmlns=\"" NS "\"></X1Requests>", 0 },
	{ "root name in lower case", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<x1request xmlns=\"" NS "\"></x1request>", 0 },
	{ "namespace in a GET request", TW_VALIDATOR_X1, 0,
		"GET /schemas?ns=" NS " HTTP/1.1\r\nHost: ne1.example.net\r\n", "", 0 },
	{ "X1 body in a GET request", TW_VALIDATOR_X1, 0,
		"GET /X1/NE HTTP/1.1\r\nContent-Type: application/xml\r\n", B_ACTIVATE, 0 },
	{ "truncated start line", TW_VALIDATOR_X1, 0,
		"POST /X1/NE HTTP/1", NULL, 0 },
	{ "start line HTTP/2.0", TW_VALIDATOR_X1, 0,
		"POST /X1/NE HTTP/2.0\r\n", B_ACTIVATE, 0 },
	{ "status 2OO", TW_VALIDATOR_X1, 0,
		"HTTP/1.1 2OO OK\r\n", B_RESPONSE, 0 },
	{ "body-only segment", TW_VALIDATOR_X1, 0,
		B_ACTIVATE, NULL, 0 },
	{ "header block cut before the blank line", TW_VALIDATOR_X1, 0,
		H_POST_XML "Content-Length: 1024\r\n", NULL, 0 },
	{ "header without a colon", TW_VALIDATOR_X1, 0,
		H_POST "Content-Type application/xml\r\n", B_ACTIVATE, 0 },
	{ "folded header line", TW_VALIDATOR_X1, 0,
		H_POST_XML "X-Note: a\r\n  b\r\n", B_ACTIVATE, 0 },
	{ "Content-Length 0", TW_VALIDATOR_X1, 0,
		H_POST_XML "Content-Length: 0\r\n", B_ACTIVATE, 0 },
	{ "Content-Length not a number", TW_VALIDATOR_X1, 0,
		H_POST_XML "Content-Length: 12x\r\n", B_ACTIVATE, 0 },
	{ "namespace value cut by the segment", TW_VALIDATOR_X1, 0,
		H_POST_XML, "<X1Request xmlns=\"http://uri.etsi.org/03221/X1/20", 0 },
	{ "gzip body", TW_VALIDATOR_X1, 0,
		H_200_XML "Content-Encoding: gzip\r\n", "\x1f\x8b\x08", 0 },
};

/* ------------------------------------------------------------------------ */
/* DTCP vectors                                                             */
/* ------------------------------------------------------------------------ */

#define AUTH "Authentication-Info: 6f1e2d3c4b5a69788796a5b4c3d2e1f00112233a\r\n"

#define D_ADD "ADD DTCP/0.7\r\n" \
	"Csource-ID: mdf-lab\r\n" \
	"Cdest-ID: cd-7\r\n" \
	"Source-Address: 198.51.100.23\r\n" \
	"X-JTap-Cdest-Dest-Address: 192.0.2.10\r\n" \
	"X-JTap-Cdest-Dest-Port: 32001\r\n" \
	"X-JTap-Cdest-Source-Address: 192.0.2.1\r\n" \
	"X-JTap-Cdest-Source-Port: 49152\r\n" \
	"X-JTap-Cdest-TTL: 255\r\n" \
	"X-MD-Intercept-Id: 0x0000a1b2\r\n" \
	"Flags: STATIC\r\n" \
	"Priority: 2\r\n" \
	"Seq: 5\r\n" \
	AUTH \
	"\r\n"

#define D_REPLY "DTCP/0.7 200 OK\r\n" \
	"SEQ: 5\r\n" \
	"CRITERIA-ID: 17\r\n" \
	"TIMESTAMP: 2026-01-12 09:30:00.120\r\n" \
	"X-JTAP-CDEST-DEST-ADDRESS: 192.0.2.10\r\n" \
	"X-JTAP-CDEST-DEST-PORT: 32001\r\n" \
	"X-MD-INTERCEPT-ID: 0x0000a1b2\r\n" \
	"AUTHENTICATION-INFO: 00112233445566778899aabbccddeeff00112233\r\n" \
	"\r\n"

#define WANT_DTCP(c, v, st, port, addr, iid, crit) { .kind = TW_LI_KIND_DTCP, \
	.dtcp = { .command = c, .version = v, .status = st, .dest_port = port, \
		.dest_addr = addr, .intercept_id = iid, .criteria_id = crit } }

static const struct text_case dtcp_cases[] = {
	/* true hits */
	{ "ADD with every required header", TW_VALIDATOR_DTCP, 1, D_ADD, NULL, 0,
		WANT_DTCP("ADD", "DTCP/0.7", 0, 32001, "192.0.2.10", "0x0000a1b2", "") },
	{ "ADD, LF-only, mixed-case names, DTCP/0.8, IPv6", TW_VALIDATOR_DTCP, 1,
		"ADD DTCP/0.8\n"
		"csource-id: mdf-lab\n"
		"x-jtap-cdest-dest-address:2001:db8::10\n"
		"X-JTAP-Cdest-Dest-Port: \t 443 \n"
		"x-md-intercept-id: 0x00000000deadbeef\n"
		"Criteria-Id: 4711\n"
		"X-MD-Intercept-Id: 0x99999999\n"
		"\n", NULL, 0,
		WANT_DTCP("ADD", "DTCP/0.8", 0, 443, "2001:db8::10", "0x00000000deadbeef",
			"4711") },
	{ "ADD cut before the blank line: required headers not yet seen",
		TW_VALIDATOR_DTCP, 1,
		"ADD DTCP/0.7\r\nCsource-ID: mdf-lab\r\nCdest-ID: cd-7\r\nX-JTap-Cdest-De",
		NULL, 0,
		WANT_DTCP("ADD", "DTCP/0.7", 0, 0, "", "", "") },
	{ "ADD with a port out of range", TW_VALIDATOR_DTCP, 1,
		"ADD DTCP/0.7\r\n"
		"X-JTap-Cdest-Dest-Address: 192.0.2.10\r\n"
		"X-JTap-Cdest-Dest-Port: 70000\r\n"
		"X-MD-Intercept-Id: 0x0000a1b3\r\n"
		"\r\n", NULL, 0,
		WANT_DTCP("ADD", "DTCP/0.7", 0, 0, "192.0.2.10", "0x0000a1b3", "") },
	{ "ADD with values longer than the fields", TW_VALIDATOR_DTCP, 1,
		"ADD DTCP/0.7\r\n"
		"X-JTap-Cdest-Dest-Address: mediation-device-number-seven.lawful.example.net\r\n"
		"X-JTap-Cdest-Dest-Port: 32001\r\n"
		"X-MD-Intercept-Id: 0x0123456789abcdef0123456789\r\n"
		"Criteria-ID: 123456789012345678901234567890\r\n"
		"\r\n", NULL, 0,
		WANT_DTCP("ADD", "DTCP/0.7", 0, 32001,
			"mediation-device-number-seven.lawful.example.ne",
			"0x0123456789abcdef01234", "12345678901234567890123") },
	{ "DELETE", TW_VALIDATOR_DTCP, 1,
		"DELETE DTCP/0.7\r\nCsource-ID: mdf-lab\r\nCriteria-ID: 17\r\nFlags: STATIC\r\n"
		"Seq: 6\r\n" AUTH "\r\n", NULL, 0,
		WANT_DTCP("DELETE", "DTCP/0.7", 0, 0, "", "", "17") },
	{ "LIST", TW_VALIDATOR_DTCP, 1,
		"LIST DTCP/0.7\r\nCsource-ID: mdf-lab\r\nFlags: BOTH\r\nSeq: 7\r\n" AUTH "\r\n",
		NULL, 0,
		WANT_DTCP("LIST", "DTCP/0.7", 0, 0, "", "", "") },
	{ "ENABLE, DTCP/0.6", TW_VALIDATOR_DTCP, 1,
		"ENABLE DTCP/0.6\r\nCsource-ID: mdf-lab\r\nSeq: 8\r\n\r\n", NULL, 0,
		WANT_DTCP("ENABLE", "DTCP/0.6", 0, 0, "", "", "") },
	{ "DISABLE", TW_VALIDATOR_DTCP, 1,
		"DISABLE DTCP/0.7\r\nCsource-ID: mdf-lab\r\nSeq: 9\r\n\r\n", NULL, 0,
		WANT_DTCP("DISABLE", "DTCP/0.7", 0, 0, "", "", "") },
	{ "start line only", TW_VALIDATOR_DTCP, 1,
		"LIST DTCP/0.7\r\n", NULL, 0,
		WANT_DTCP("LIST", "DTCP/0.7", 0, 0, "", "", "") },
	{ "reply with upper-case headers", TW_VALIDATOR_DTCP, 1, D_REPLY, NULL, 0,
		WANT_DTCP("REPLY", "DTCP/0.7", 200, 32001, "192.0.2.10", "0x0000a1b2", "17") },
	{ "error reply 431", TW_VALIDATOR_DTCP, 1,
		"DTCP/0.7 431 Unknown Content Destination\r\nSEQ: 10\r\n\r\n", NULL, 0,
		WANT_DTCP("REPLY", "DTCP/0.7", 431, 0, "", "", "") },

	/* misses */
	{ "web page with ADD DTCP/0.7 inside a line", TW_VALIDATOR_DTCP, 0,
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
		"<p>Send ADD DTCP/0.7\r\nX-MD-Intercept-Id: 0x1\r\n</p>\r\n", NULL, 0 },
	{ "text line ending in ADD DTCP/0.7", TW_VALIDATOR_DTCP, 0,
		"Then send: ADD DTCP/0.7\r\nCsource-ID: x\r\n\r\n", NULL, 0 },
	{ "ADD DTCP/1.0", TW_VALIDATOR_DTCP, 0,
		"ADD DTCP/1.0\r\nCsource-ID: mdf-lab\r\n\r\n", NULL, 0 },
	{ "ADDX DTCP/0.7", TW_VALIDATOR_DTCP, 0,
		"ADDX DTCP/0.7\r\nCsource-ID: mdf-lab\r\n\r\n", NULL, 0 },
	{ "method in lower case", TW_VALIDATOR_DTCP, 0,
		"add DTCP/0.7\r\nCsource-ID: mdf-lab\r\n\r\n", NULL, 0 },
	{ "NOTIFY", TW_VALIDATOR_DTCP, 0,
		"NOTIFY DTCP/0.7\r\nCsource-ID: mdf-lab\r\n\r\n", NULL, 0 },
	{ "extra word after the version", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7 now\r\nSeq: 1\r\n\r\n", NULL, 0 },
	{ "start line without its line end", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7", NULL, 0 },
	{ "HTTP request", TW_VALIDATOR_DTCP, 0,
		"GET /dtcp HTTP/1.1\r\nHost: router\r\n\r\n", NULL, 0 },
	{ "header that is not Name: value", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7\r\nthis is not a header\r\n\r\n", NULL, 0 },
	{ "space before the colon", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7\r\nSeq : 1\r\n\r\n", NULL, 0 },
	{ "control byte in a value", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7\r\nSeq: 1\x01\r\n\r\n", NULL, 0 },
	{ "cut last line that cannot be a header", TW_VALIDATOR_DTCP, 0,
		"LIST DTCP/0.7\r\nSeq 1", NULL, 0 },
	{ "ADD without X-MD-Intercept-Id, header block complete", TW_VALIDATOR_DTCP, 0,
		"ADD DTCP/0.7\r\nCsource-ID: mdf-lab\r\n"
		"X-JTap-Cdest-Dest-Address: 192.0.2.10\r\n"
		"X-JTap-Cdest-Dest-Port: 32001\r\n" AUTH "\r\n", NULL, 0 },
	{ "ADD without any required header", TW_VALIDATOR_DTCP, 0,
		"ADD DTCP/0.7\r\n\r\n", NULL, 0 },
	{ "ADD with an empty X-MD-Intercept-Id", TW_VALIDATOR_DTCP, 0,
		"ADD DTCP/0.7\r\n"
		"X-JTap-Cdest-Dest-Address: 192.0.2.10\r\n"
		"X-JTap-Cdest-Dest-Port: 32001\r\n"
		"X-MD-Intercept-Id:\r\n\r\n", NULL, 0 },
	{ "reply without a reason", TW_VALIDATOR_DTCP, 0,
		"DTCP/0.7 200\r\nSEQ: 5\r\n\r\n", NULL, 0 },
	{ "reply status 999", TW_VALIDATOR_DTCP, 0,
		"DTCP/0.7 999 Odd\r\nSEQ: 5\r\n\r\n", NULL, 0 },
	{ "reply DTCP/1.0", TW_VALIDATOR_DTCP, 0,
		"DTCP/1.0 200 OK\r\nSEQ: 5\r\n\r\n", NULL, 0 },
};

/* ------------------------------------------------------------------------ */
/* Table tests                                                              */
/* ------------------------------------------------------------------------ */

static void
check_x1(const char *name, const struct tw_li_x1 *got, const struct tw_li_x1 *want)
{
	ck_assert_msg(strcmp(got->root, want->root) == 0, "%s: root \"%s\"", name, got->root);
	ck_assert_msg(strcmp(got->message, want->message) == 0, "%s: message \"%s\"", name,
			got->message);
	ck_assert_msg(strcmp(got->xid, want->xid) == 0, "%s: xid \"%s\"", name, got->xid);
	ck_assert_msg(strcmp(got->target, want->target) == 0, "%s: target \"%s\"", name,
			got->target);
	ck_assert_msg(strcmp(got->ne, want->ne) == 0, "%s: ne \"%s\"", name, got->ne);
	ck_assert_msg(got->nb_xids == want->nb_xids, "%s: nb_xids %u", name, got->nb_xids);
	ck_assert_msg(got->nb_messages == want->nb_messages, "%s: nb_messages %u", name,
			got->nb_messages);
}

static void
check_dtcp(const char *name, const struct tw_li_dtcp *got, const struct tw_li_dtcp *want)
{
	ck_assert_msg(strcmp(got->command, want->command) == 0, "%s: command \"%s\"", name,
			got->command);
	ck_assert_msg(strcmp(got->version, want->version) == 0, "%s: version \"%s\"", name,
			got->version);
	ck_assert_msg(got->status == want->status, "%s: status %u", name, got->status);
	ck_assert_msg(got->dest_port == want->dest_port, "%s: port %u", name, got->dest_port);
	ck_assert_msg(strcmp(got->dest_addr, want->dest_addr) == 0, "%s: dest_addr \"%s\"",
			name, got->dest_addr);
	ck_assert_msg(strcmp(got->intercept_id, want->intercept_id) == 0,
			"%s: intercept_id \"%s\"", name, got->intercept_id);
	ck_assert_msg(strcmp(got->criteria_id, want->criteria_id) == 0,
			"%s: criteria_id \"%s\"", name, got->criteria_id);
}

static void
run_case(const struct text_case *c)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, direct, before;
	uint32_t len = case_build(c, buf);
	int r;

	memset(&d, 0x5a, sizeof(d));
	before = d;
	r = validate_exact(c->v, buf, len, &d);
	ck_assert_msg(r == c->expect, "%s: got %d, want %d", c->name, r, c->expect);
	memset(&direct, 0x5a, sizeof(direct));
	ck_assert_int_eq(validate_direct(c->v, buf, len, &direct), r);
	if (r == 0) {
		ck_assert_msg(memcmp(&d, &before, sizeof(d)) == 0, "%s: detail written on reject",
				c->name);
		ck_assert_msg(memcmp(&direct, &before, sizeof(d)) == 0,
				"%s: detail written on reject (direct)", c->name);
		return;
	}
	ck_assert_msg(d.kind == c->want.kind, "%s: kind %u", c->name, d.kind);
	if (d.kind == TW_LI_KIND_X1) {
		check_x1(c->name, &d.x1, &c->want.x1);
		/* zeroed past every NUL, as the expected value is */
		ck_assert_msg(memcmp(&d.x1, &c->want.x1, sizeof(d.x1)) == 0,
				"%s: bytes after the strings", c->name);
	} else {
		check_dtcp(c->name, &d.dtcp, &c->want.dtcp);
		ck_assert_msg(memcmp(&d.dtcp, &c->want.dtcp, sizeof(d.dtcp)) == 0,
				"%s: bytes after the strings", c->name);
	}
	ck_assert_msg(memcmp(&d, &direct, sizeof(d)) == 0, "%s: direct call differs", c->name);
}

START_TEST(test_x1_table)
{
	run_case(&x1_cases[_i]);
}
END_TEST

START_TEST(test_dtcp_table)
{
	run_case(&dtcp_cases[_i]);
}
END_TEST

/* Each validator refuses the other's positives. */
START_TEST(test_cross_family)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d;
	unsigned int i;
	uint32_t len;

	for (i = 0; i < RTE_DIM(x1_cases); i++) {
		len = case_build(&x1_cases[i], buf);
		ck_assert_msg(validate_exact(TW_VALIDATOR_DTCP, buf, len, &d) == 0, "%s",
				x1_cases[i].name);
	}
	for (i = 0; i < RTE_DIM(dtcp_cases); i++) {
		len = case_build(&dtcp_cases[i], buf);
		ck_assert_msg(validate_exact(TW_VALIDATOR_X1, buf, len, &d) == 0, "%s",
				dtcp_cases[i].name);
	}
}
END_TEST

START_TEST(test_empty_and_null)
{
	static const uint8_t one[1] = { '<' };
	struct tw_li_detail d;

	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_X1, NULL, 0, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_DTCP, NULL, 0, NULL, &d), 0);
	ck_assert_int_eq(tw_li_x1_validate(one, 0, &d), 0);
	ck_assert_int_eq(tw_li_dtcp_validate(one, 0, &d), 0);
	ck_assert_int_eq(validate_exact(TW_VALIDATOR_X1, one, 1, &d), 0);
	ck_assert_int_eq(validate_exact(TW_VALIDATOR_DTCP, one, 1, &d), 0);
	/* verdict only */
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_DTCP, (const uint8_t *)"LIST DTCP/0.7\n",
			14, NULL, NULL), 1);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Truncation sweep and mutations                                           */
/* ------------------------------------------------------------------------ */

/* A string from a cut segment is the whole value or nothing. */
static void
check_cut_str(const char *name, uint32_t cut, const char *field, const char *got,
		const char *full)
{
	ck_assert_msg(got[0] == '\0' || strcmp(got, full) == 0,
			"%s cut %u: %s \"%s\", full \"%s\"", name, cut, field, got, full);
}

static void
check_prefix_hit(const struct text_case *c, uint32_t cut, const struct tw_li_detail *full,
		const struct tw_li_detail *got)
{
	ck_assert_msg(got->kind == full->kind, "%s cut %u: kind", c->name, cut);
	if (got->kind == TW_LI_KIND_X1) {
		const struct tw_li_x1 *a = &got->x1, *b = &full->x1;

		/* the root is only reported with its namespace, so always whole */
		ck_assert_msg(strcmp(a->root, b->root) == 0, "%s cut %u: root", c->name, cut);
		check_cut_str(c->name, cut, "message", a->message, b->message);
		check_cut_str(c->name, cut, "xid", a->xid, b->xid);
		check_cut_str(c->name, cut, "target", a->target, b->target);
		check_cut_str(c->name, cut, "ne", a->ne, b->ne);
		ck_assert_msg(a->nb_xids <= b->nb_xids && a->nb_messages <= b->nb_messages,
				"%s cut %u: counts", c->name, cut);
	} else {
		const struct tw_li_dtcp *a = &got->dtcp, *b = &full->dtcp;

		/* the start line is whole in any hit */
		ck_assert_msg(strcmp(a->command, b->command) == 0 &&
				strcmp(a->version, b->version) == 0 && a->status == b->status,
				"%s cut %u: start line", c->name, cut);
		ck_assert_msg(a->dest_port == 0 || a->dest_port == b->dest_port,
				"%s cut %u: port %u", c->name, cut, a->dest_port);
		check_cut_str(c->name, cut, "dest_addr", a->dest_addr, b->dest_addr);
		check_cut_str(c->name, cut, "intercept_id", a->intercept_id, b->intercept_id);
		check_cut_str(c->name, cut, "criteria_id", a->criteria_id, b->criteria_id);
	}
}

struct case_table {
	const struct text_case *cases;
	unsigned int nb;
};

static const struct case_table all_tables[] = {
	{ x1_cases, RTE_DIM(x1_cases) },
	{ dtcp_cases, RTE_DIM(dtcp_cases) },
};

START_TEST(test_truncation_sweep)
{
	static uint8_t buf[VEC_MAX];
	const struct text_case *c;
	struct tw_li_detail full, d;
	unsigned int t, i;
	uint32_t len, cut;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			c = &all_tables[t].cases[i];
			if (c->expect == 0)
				continue;
			len = case_build(c, buf);
			ck_assert_int_eq(validate_exact(c->v, buf, len, &full), 1);
			for (cut = 0; cut < len; cut++) {
				memset(&d, 0, sizeof(d));
				if (validate_exact(c->v, buf, cut, &d))
					check_prefix_hit(c, cut, &full, &d);
			}
		}
	}
}
END_TEST

static uint32_t
xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void
check_terminated(const struct tw_li_detail *d)
{
	if (d->kind == TW_LI_KIND_X1) {
		ck_assert(memchr(d->x1.root, '\0', sizeof(d->x1.root)) != NULL);
		ck_assert(memchr(d->x1.message, '\0', sizeof(d->x1.message)) != NULL);
		ck_assert(memchr(d->x1.xid, '\0', sizeof(d->x1.xid)) != NULL);
		ck_assert(memchr(d->x1.target, '\0', sizeof(d->x1.target)) != NULL);
		ck_assert(memchr(d->x1.ne, '\0', sizeof(d->x1.ne)) != NULL);
	} else {
		ck_assert_uint_eq(d->kind, TW_LI_KIND_DTCP);
		ck_assert(memchr(d->dtcp.command, '\0', sizeof(d->dtcp.command)) != NULL);
		ck_assert(memchr(d->dtcp.version, '\0', sizeof(d->dtcp.version)) != NULL);
		ck_assert(memchr(d->dtcp.dest_addr, '\0', sizeof(d->dtcp.dest_addr)) != NULL);
		ck_assert(memchr(d->dtcp.intercept_id, '\0', sizeof(d->dtcp.intercept_id)) != NULL);
		ck_assert(memchr(d->dtcp.criteria_id, '\0', sizeof(d->dtcp.criteria_id)) != NULL);
	}
}

/*
 * Random byte changes (biased to the bytes the parsers branch on) and random
 * cuts, fixed seed: both validators on each result, from exact-size copies.
 */
START_TEST(test_mutations)
{
	static const uint8_t special[] = {
		'<', '>', '/', '"', '\'', ':', '=', '?', '!', '-', ' ', '\t', '\r', '\n',
		'\0', 0x80, 0xff, '0', '9', 'x',
	};
	static uint8_t orig[VEC_MAX], buf[VEC_MAX];
	uint32_t seed = 0x7a9c3e11, len, n, pos, k, r;
	unsigned int t, i, iter, nb_runs = 0;
	struct tw_li_detail d;

	for (t = 0; t < RTE_DIM(all_tables); t++) {
		for (i = 0; i < all_tables[t].nb; i++) {
			if (all_tables[t].cases[i].expect == 0)
				continue;
			len = case_build(&all_tables[t].cases[i], orig);
			for (iter = 0; iter < 250; iter++) {
				memcpy(buf, orig, len);
				n = 1 + xorshift32(&seed) % 4;
				for (k = 0; k < n; k++) {
					pos = xorshift32(&seed) % len;
					r = xorshift32(&seed);
					buf[pos] = (r & 1) ? special[(r >> 1) % RTE_DIM(special)] :
						(uint8_t)(r >> 8);
				}
				n = (xorshift32(&seed) & 3) == 0 ? xorshift32(&seed) % len : len;
				memset(&d, 0, sizeof(d));
				if (validate_exact(TW_VALIDATOR_X1, buf, n, &d))
					check_terminated(&d);
				memset(&d, 0, sizeof(d));
				if (validate_exact(TW_VALIDATOR_DTCP, buf, n, &d))
					check_terminated(&d);
				nb_runs++;
			}
		}
	}
	ck_assert_uint_ge(nb_runs, 3000);
}
END_TEST

static Suite *
li_text_suite(void)
{
	Suite *s = suite_create("li_text");
	TCase *tc;

	tc = tcase_create("x1");
	tcase_add_loop_test(tc, test_x1_table, 0, RTE_DIM(x1_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("dtcp");
	tcase_add_loop_test(tc, test_dtcp_table, 0, RTE_DIM(dtcp_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("dispatch");
	tcase_add_test(tc, test_empty_and_null);
	tcase_add_test(tc, test_cross_family);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(li_text_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
