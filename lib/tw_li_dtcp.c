/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Juniper DTCP validator (draft-cavuto-dtcp; Junos flow-tap).
 *
 * A message is a start line, "Name: value" header lines and a blank line,
 * CRLF-separated (bare LF accepted), no body:
 *
 *   ADD DTCP/0.7                       DTCP/0.7 200 OK
 *   Csource-ID: md1                    SEQ: 2
 *   X-JTap-Cdest-Dest-Address: ...     CRITERIA-ID: 5
 *   ...                                ...
 *
 * One TCP segment, no reassembly: the start line must be whole; the header
 * lines are checked up to the blank line or the end of the segment, where
 * the last line may be cut anywhere that is still a prefix of a valid line.
 * ADD must carry the destination address, port and intercept id, which can
 * only be told when the blank line is in the segment. Values are taken only
 * from whole lines, so a cut segment reports a header's whole value or
 * nothing.
 */

#include <stddef.h>
#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define LIT(s) (s), (sizeof(s) - 1)

/* RFC 9110 token characters (header names). */
static int
is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return memchr("!#$%&'*+-.^_`|~", c, 15) != NULL;
}

/* Header value and reason phrase bytes: HTAB, SP, VCHAR, obs-text. */
static int
is_vchar(uint8_t c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Caseless compare against a lower-case literal. */
static int
mem_ieq(const uint8_t *a, uint32_t alen, const char *lit, uint32_t llen)
{
	uint32_t i;

	if (alen != llen)
		return 0;
	for (i = 0; i < alen; i++) {
		uint8_t c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		if (c != (uint8_t)lit[i])
			return 0;
	}
	return 1;
}

/* Copy up to size - 1 raw bytes and terminate. */
static void
copy_str(char *dst, size_t size, const uint8_t *src, uint32_t n)
{
	if (n > size - 1)
		n = (uint32_t)(size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *const methods[] = { "ADD", "DELETE", "LIST", "ENABLE", "DISABLE" };

/* "DTCP/0.<n>" at p[0, n): its length (9 or 10), or 0. */
static uint32_t
version_len(const uint8_t *p, uint32_t n)
{
	uint32_t i;

	if (n < 8 || memcmp(p, "DTCP/0.", 7) != 0 || !is_digit(p[7]))
		return 0;
	for (i = 8; i < n && i < 9 && is_digit(p[i]); i++)
		;
	return i;
}

/* Start line [0, eol): fill command, version, status. */
static int
start_line_parse(const uint8_t *p, uint32_t eol, struct tw_li_dtcp *dt)
{
	uint32_t i, vl;

	if (eol >= 5 && memcmp(p, "DTCP/", 5) == 0) {
		uint32_t status;

		vl = version_len(p, eol);
		/* "DTCP/0.7 200 OK": a reason after the status is required */
		if (vl == 0 || eol < vl + 5 || p[vl] != ' ' || !is_digit(p[vl + 1]) ||
				!is_digit(p[vl + 2]) || !is_digit(p[vl + 3]) || p[vl + 4] != ' ')
			return 0;
		status = (uint32_t)(p[vl + 1] - '0') * 100 + (uint32_t)(p[vl + 2] - '0') * 10 +
			(uint32_t)(p[vl + 3] - '0');
		if (status < 100 || status > 599)
			return 0;
		for (i = vl + 5; i < eol; i++)
			if (!is_vchar(p[i]))
				return 0;
		memcpy(dt->command, "REPLY", sizeof("REPLY"));
		copy_str(dt->version, sizeof(dt->version), p, vl);
		dt->status = (uint16_t)status;
		return 1;
	}
	for (i = 0; i < RTE_DIM(methods); i++) {
		uint32_t ml = (uint32_t)strlen(methods[i]);

		if (eol > ml && memcmp(p, methods[i], ml) == 0 && p[ml] == ' ') {
			vl = version_len(p + ml + 1, eol - ml - 1);
			if (vl == 0 || ml + 1 + vl != eol)
				return 0;
			memcpy(dt->command, methods[i], ml + 1);
			copy_str(dt->version, sizeof(dt->version), p + ml + 1, vl);
			return 1;
		}
	}
	return 0;
}

/* Trim SP/HTAB from both ends of [*s, *e). */
static void
trim(const uint8_t *p, uint32_t *s, uint32_t *e)
{
	while (*s < *e && (p[*s] == ' ' || p[*s] == '\t'))
		(*s)++;
	while (*e > *s && (p[*e - 1] == ' ' || p[*e - 1] == '\t'))
		(*e)--;
}

/* Decimal port 1..65535, else 0. */
static uint16_t
port_parse(const uint8_t *p, uint32_t n)
{
	uint32_t v = 0, i;

	if (n == 0 || n > 5)
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return 0;
		v = v * 10 + (uint32_t)(p[i] - '0');
	}
	return v <= 65535 ? (uint16_t)v : 0;
}

enum {
	HAVE_DEST_ADDR = 1 << 0,
	HAVE_DEST_PORT = 1 << 1,
	HAVE_INTERCEPT_ID = 1 << 2,
	HAVE_ADD_REQUIRED = HAVE_DEST_ADDR | HAVE_DEST_PORT | HAVE_INTERCEPT_ID,
};

/*
 * One whole header line [off, eol). Returns 0 if it is not "Name: value";
 * records the headers of interest in @p dt and @p have.
 */
static int
header_line(const uint8_t *p, uint32_t off, uint32_t eol, struct tw_li_dtcp *dt,
		unsigned int *have)
{
	uint32_t colon, i, vs, ve;
	const uint8_t *name = p + off;
	uint32_t nl;

	for (colon = off; colon < eol && is_tchar(p[colon]); colon++)
		;
	if (colon == off || colon == eol || p[colon] != ':')
		return 0;
	for (i = colon + 1; i < eol; i++)
		if (!is_vchar(p[i]))
			return 0;
	vs = colon + 1;
	ve = eol;
	trim(p, &vs, &ve);
	nl = colon - off;
	/* First occurrence wins; required headers need a value. */
	if (mem_ieq(name, nl, LIT("x-jtap-cdest-dest-address"))) {
		if (!(*have & HAVE_DEST_ADDR) && ve > vs) {
			copy_str(dt->dest_addr, sizeof(dt->dest_addr), p + vs, ve - vs);
			*have |= HAVE_DEST_ADDR;
		}
	} else if (mem_ieq(name, nl, LIT("x-jtap-cdest-dest-port"))) {
		if (!(*have & HAVE_DEST_PORT) && ve > vs) {
			dt->dest_port = port_parse(p + vs, ve - vs);
			*have |= HAVE_DEST_PORT;
		}
	} else if (mem_ieq(name, nl, LIT("x-md-intercept-id"))) {
		if (!(*have & HAVE_INTERCEPT_ID) && ve > vs) {
			copy_str(dt->intercept_id, sizeof(dt->intercept_id), p + vs, ve - vs);
			*have |= HAVE_INTERCEPT_ID;
		}
	} else if (mem_ieq(name, nl, LIT("criteria-id"))) {
		if (dt->criteria_id[0] == '\0')
			copy_str(dt->criteria_id, sizeof(dt->criteria_id), p + vs, ve - vs);
	}
	return 1;
}

/* A line cut by the segment end [off, len): could it still be a header line? */
static int
partial_line_ok(const uint8_t *p, uint32_t off, uint32_t len)
{
	uint32_t i = off;

	while (i < len && is_tchar(p[i]))
		i++;
	if (i == len)
		return 1;
	/* a lone CR: the blank line, cut between CR and LF */
	if (i == off)
		return p[i] == '\r' && i + 1 == len;
	if (p[i] != ':')
		return 0;
	for (i++; i < len; i++) {
		if (is_vchar(p[i]))
			continue;
		/* CR only as the last byte, before the LF that did not make it */
		return p[i] == '\r' && i + 1 == len;
	}
	return 1;
}

int
tw_li_dtcp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct tw_li_dtcp dt;
	const uint8_t *lf;
	uint32_t off, eol, next;
	unsigned int have = 0;
	int complete = 0;

	memset(&dt, 0, sizeof(dt));
	lf = memchr(p, '\n', len);
	if (lf == NULL)
		return 0;
	eol = (uint32_t)(lf - p);
	next = eol + 1;
	if (eol > 0 && p[eol - 1] == '\r')
		eol--;
	if (!start_line_parse(p, eol, &dt))
		return 0;

	for (off = next; off < len; off = next) {
		lf = memchr(p + off, '\n', len - off);
		if (lf == NULL) {
			if (!partial_line_ok(p, off, len))
				return 0;
			break;
		}
		eol = (uint32_t)(lf - p);
		next = eol + 1;
		if (eol > off && p[eol - 1] == '\r')
			eol--;
		if (eol == off) {
			complete = 1;
			break;
		}
		if (!header_line(p, off, eol, &dt, &have))
			return 0;
	}
	if (complete && strcmp(dt.command, "ADD") == 0 &&
			(have & HAVE_ADD_REQUIRED) != HAVE_ADD_REQUIRED)
		return 0;

	memset(d, 0, sizeof(*d));
	d->kind = TW_LI_KIND_DTCP;
	d->dtcp = dt;
	return 1;
}
