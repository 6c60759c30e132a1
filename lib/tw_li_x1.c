/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * ETSI TS 103 221-1 X1 validator: XML over HTTP, when seen in clear.
 *
 * One TCP segment, no reassembly. The segment must start with the HTTP
 * start line (a POST request or an HTTP/1.x response), carry a well-formed
 * header block up to the blank line, and the body in the same segment must
 * begin (after the XML prolog) with an X1 root element, X1Request,
 * X1Response or X1TopLevelErrorResponse, whose own start tag binds its
 * prefix (or the default namespace) to the X1 namespace. A body-only
 * segment never confirms: without the start line, "<X1Request" in a TCP
 * stream could be anything quoting it.
 *
 * The walk past the root is a small tag tokenizer (comments, CDATA and
 * processing instructions are skipped, quoted attribute values may hold
 * '>'). It stops at the root's end tag, so a pipelined message after it
 * is not counted. A string is reported only when its terminator ('<' for
 * element text, the closing quote for an attribute) is in the segment, so a
 * segment cut short reports either the whole value or nothing.
 */

#include <stddef.h>
#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"

#define X1_NS "http://uri.etsi.org/03221/X1/2017/10"
#define LIT(s) (s), (sizeof(s) - 1)

/* RFC 9110 token characters (header field names). */
static int
is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return memchr("!#$%&'*+-.^_`|~", c, 15) != NULL;
}

/* Field value and reason phrase bytes: HTAB, SP, VCHAR, obs-text. */
static int
is_vchar(uint8_t c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int
is_xml_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* XML name characters, ASCII subset plus any non-ASCII byte (UTF-8). */
static int
is_name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

static int
is_name_start(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int
mem_eq(const uint8_t *a, uint32_t alen, const char *lit, uint32_t llen)
{
	return alen == llen && memcmp(a, lit, llen) == 0;
}

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
		if (c != (uint8_t)lit[i])	/* literals are lower case */
			return 0;
	}
	return 1;
}

/* Offset of needle in p[off, len), or len if absent. */
static uint32_t
find(const uint8_t *p, uint32_t len, uint32_t off, const char *needle, uint32_t nlen)
{
	while (off < len && len - off >= nlen) {
		const uint8_t *hit = memchr(p + off, needle[0], len - off - nlen + 1);

		if (hit == NULL)
			return len;
		off = (uint32_t)(hit - p);
		if (memcmp(hit, needle, nlen) == 0)
			return off;
		off++;
	}
	return len;
}

/*
 * Line starting at @p off: [off, *eol) without the CR, next line at *next.
 * Returns 0 if the segment ends before the LF, or the line holds a bare CR.
 */
static int
line_get(const uint8_t *p, uint32_t len, uint32_t off, uint32_t *eol, uint32_t *next)
{
	const uint8_t *lf = memchr(p + off, '\n', len - off);
	uint32_t e;

	if (lf == NULL)
		return 0;
	e = (uint32_t)(lf - p);
	*next = e + 1;
	if (e > off && p[e - 1] == '\r')
		e--;
	if (memchr(p + off, '\r', e - off) != NULL)
		return 0;
	*eol = e;
	return 1;
}

/* Trim SP/HTAB (and, for XML text, CR/LF) from both ends of [*s, *e). */
static void
trim(const uint8_t *p, uint32_t *s, uint32_t *e)
{
	while (*s < *e && is_xml_space(p[*s]))
		(*s)++;
	while (*e > *s && is_xml_space(p[*e - 1]))
		(*e)--;
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

/* "POST <target> HTTP/1.x" or "HTTP/1.x NNN[ reason]" over [0, eol). */
static int
start_line_ok(const uint8_t *p, uint32_t eol)
{
	uint32_t i;

	if (eol >= 5 && memcmp(p, "POST ", 5) == 0) {
		for (i = 5; i < eol && p[i] > 0x20 && p[i] < 0x7f; i++)
			;
		if (i == 5 || eol - i != 9)
			return 0;
		return memcmp(p + i, " HTTP/1.", 8) == 0 && p[i + 8] >= '0' && p[i + 8] <= '9';
	}
	if (eol < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9' ||
			p[8] != ' ')
		return 0;
	for (i = 9; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	if (p[9] < '1' || p[9] > '5')
		return 0;
	if (eol == 12)
		return 1;
	if (p[12] != ' ')
		return 0;
	for (i = 13; i < eol; i++)
		if (!is_vchar(p[i]))
			return 0;
	return 1;
}

struct http_info {
	uint32_t body;		/* offset of the first body byte */
	uint32_t content_len;
	uint8_t has_len;
	uint8_t chunked;
};

/* Header block from @p off to the blank line. Returns 0 if malformed or cut. */
static int
headers_parse(const uint8_t *p, uint32_t len, uint32_t off, struct http_info *hi)
{
	uint32_t eol, next, colon, vs, ve, semi, i;
	uint64_t cl;

	for (;;) {
		if (off >= len || !line_get(p, len, off, &eol, &next))
			return 0;
		if (eol == off) {
			hi->body = next;
			return 1;
		}
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
		if (mem_ieq(p + off, colon - off, LIT("content-type"))) {
			for (semi = vs; semi < ve && p[semi] != ';'; semi++)
				;
			while (semi > vs && (p[semi - 1] == ' ' || p[semi - 1] == '\t'))
				semi--;
			if (!mem_ieq(p + vs, semi - vs, LIT("application/xml")) &&
					!mem_ieq(p + vs, semi - vs, LIT("text/xml")))
				return 0;
		} else if (mem_ieq(p + off, colon - off, LIT("content-length"))) {
			if (vs == ve)
				return 0;
			for (cl = 0, i = vs; i < ve; i++) {
				if (p[i] < '0' || p[i] > '9')
					return 0;
				cl = cl * 10 + (p[i] - '0');
				if (cl > UINT32_MAX)
					cl = UINT32_MAX;	/* only used as a bound */
			}
			if (hi->has_len && hi->content_len != cl)
				return 0;
			hi->content_len = (uint32_t)cl;
			hi->has_len = 1;
		} else if (mem_ieq(p + off, colon - off, LIT("transfer-encoding"))) {
			/* chunked is the last transfer coding when present */
			hi->chunked = ve - vs >= 7 && mem_ieq(p + ve - 7, 7, LIT("chunked")) &&
				(ve - vs == 7 || p[ve - 8] == ',' || p[ve - 8] == ' ' ||
				 p[ve - 8] == '\t');
		}
		off = next;
	}
}

/* First chunk's data of a chunked body: [*s, *e) narrowed. 0 if malformed. */
static int
first_chunk(const uint8_t *p, uint32_t *s, uint32_t *e)
{
	uint32_t i = *s, nb_digits = 0, eol, next;
	uint64_t size = 0;
	int v;

	for (; i < *e && nb_digits < 9; i++, nb_digits++) {
		if (p[i] >= '0' && p[i] <= '9')
			v = p[i] - '0';
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			v = (p[i] | 0x20) - 'a' + 10;
		else
			break;
		size = size << 4 | (uint64_t)v;
	}
	if (nb_digits == 0 || nb_digits > 8 || size == 0)
		return 0;
	if (!line_get(p, *e, i, &eol, &next))
		return 0;
	if (eol != i && p[i] != ';' && p[i] != ' ' && p[i] != '\t')
		return 0;
	*s = next;
	if ((uint64_t)*e - next > size)
		*e = next + (uint32_t)size;
	return 1;
}

/* Skip the XML prolog: BOM, declaration, comments, PIs, white space. */
static uint32_t
prolog_skip(const uint8_t *b, uint32_t blen)
{
	uint32_t off = 0, end;

	if (blen >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		off = 3;
	for (;;) {
		while (off < blen && is_xml_space(b[off]))
			off++;
		if (off == blen)
			return blen;
		if (blen - off >= 2 && b[off] == '<' && b[off + 1] == '?') {
			end = find(b, blen, off + 2, LIT("?>"));
			if (end == blen)
				return blen;
			off = end + 2;
		} else if (blen - off >= 4 && memcmp(b + off, "<!--", 4) == 0) {
			end = find(b, blen, off + 4, LIT("-->"));
			if (end == blen)
				return blen;
			off = end + 3;
		} else {
			return off;
		}
	}
}

/* Name at @p off: *end is its end; 0 if it runs to the end of the body. */
static int
name_get(const uint8_t *b, uint32_t blen, uint32_t off, uint32_t *end)
{
	uint32_t i = off;

	if (i >= blen || !is_name_start(b[i]))
		return 0;
	while (i < blen && is_name_char(b[i]))
		i++;
	if (i == blen)
		return 0;
	*end = i;
	return 1;
}

/* Local part of a QName [s, e): after the colon, if any. */
static uint32_t
local_start(const uint8_t *b, uint32_t s, uint32_t e)
{
	const uint8_t *c = memchr(b + s, ':', e - s);

	return c == NULL ? s : (uint32_t)(c - b) + 1;
}

enum attr_status {
	ATTR_BAD = -1,		/* not XML */
	ATTR_CUT = 0,		/* body ended inside the tag */
	ATTR_OK = 1,
	ATTR_TAG_END = 2,	/* '>' or '/>' reached, *next after it */
};

struct attr {
	uint32_t name, name_end;
	uint32_t val, val_end;
	uint32_t next;		/* after the closing quote, or after the tag */
	uint8_t empty_tag;	/* the tag ended with '/>' */
};

/* Next attribute of a start tag, or its end. */
static enum attr_status
attr_next(const uint8_t *b, uint32_t blen, uint32_t off, struct attr *a)
{
	const uint8_t *q;
	uint8_t quote;

	while (off < blen && is_xml_space(b[off]))
		off++;
	if (off >= blen)
		return ATTR_CUT;
	if (b[off] == '>' || b[off] == '/') {
		a->empty_tag = b[off] == '/';
		if (a->empty_tag) {
			if (++off >= blen)
				return ATTR_CUT;
			if (b[off] != '>')
				return ATTR_BAD;
		}
		a->next = off + 1;
		return ATTR_TAG_END;
	}
	a->name = off;
	if (!is_name_start(b[off]))
		return ATTR_BAD;
	if (!name_get(b, blen, off, &a->name_end))
		return ATTR_CUT;
	off = a->name_end;
	while (off < blen && is_xml_space(b[off]))
		off++;
	if (off >= blen)
		return ATTR_CUT;
	if (b[off++] != '=')
		return ATTR_BAD;
	while (off < blen && is_xml_space(b[off]))
		off++;
	if (off >= blen)
		return ATTR_CUT;
	quote = b[off++];
	if (quote != '"' && quote != '\'')
		return ATTR_BAD;
	q = memchr(b + off, quote, blen - off);
	if (q == NULL)
		return ATTR_CUT;
	a->val = off;
	a->val_end = (uint32_t)(q - b);
	if (memchr(b + off, '<', a->val_end - off) != NULL)
		return ATTR_BAD;
	a->next = a->val_end + 1;
	return ATTR_OK;
}

/*
 * Root start tag at @p off (on its '<'): an X1 root whose namespace binding
 * is in the tag. On success *after is past the tag, or blen if the tag is
 * cut after the binding.
 */
static int
root_parse(const uint8_t *b, uint32_t blen, uint32_t off, struct tw_li_x1 *x1,
		uint32_t *qname_end, uint32_t *after, int *empty)
{
	uint32_t qs = off + 1, qe, ls, pfx_len;
	struct attr a;
	int ns_ok = 0;

	if (!name_get(b, blen, qs, &qe))
		return 0;
	ls = local_start(b, qs, qe);
	if (memchr(b + ls, ':', qe - ls) != NULL)
		return 0;
	if (!mem_eq(b + ls, qe - ls, LIT("X1Request")) &&
			!mem_eq(b + ls, qe - ls, LIT("X1Response")) &&
			!mem_eq(b + ls, qe - ls, LIT("X1TopLevelErrorResponse")))
		return 0;
	if (!is_xml_space(b[qe]) && b[qe] != '>' && b[qe] != '/')
		return 0;
	pfx_len = ls > qs ? ls - 1 - qs : 0;
	*qname_end = qe;
	*empty = 0;
	*after = blen;
	off = qe;
	for (;;) {
		enum attr_status st = attr_next(b, blen, off, &a);

		if (st == ATTR_BAD)
			return 0;
		if (st == ATTR_CUT)
			break;
		if (st == ATTR_TAG_END) {
			*after = a.next;
			*empty = a.empty_tag;
			break;
		}
		/* xmlns for an unprefixed root, xmlns:<prefix> for a prefixed one */
		if ((pfx_len == 0 && mem_eq(b + a.name, a.name_end - a.name, LIT("xmlns"))) ||
				(pfx_len != 0 && a.name_end - a.name == 6 + pfx_len &&
				 memcmp(b + a.name, "xmlns:", 6) == 0 &&
				 memcmp(b + a.name + 6, b + qs, pfx_len) == 0)) {
			if (!mem_eq(b + a.val, a.val_end - a.val, LIT(X1_NS)))
				return 0;
			ns_ok = 1;
		}
		if (a.next < blen && !is_xml_space(b[a.next]) && b[a.next] != '>' &&
				b[a.next] != '/')
			return 0;
		off = a.next;
	}
	if (!ns_ok)
		return 0;
	copy_str(x1->root, sizeof(x1->root), b + ls, qe - ls);
	return 1;
}

/*
 * Text of an element whose start tag ended at @p off: trimmed [*s, *e), up
 * to the next '<' (at *lt). Returns 0 if the body ends first.
 */
static int
text_get(const uint8_t *b, uint32_t blen, uint32_t off, uint32_t *s, uint32_t *e,
		uint32_t *lt)
{
	const uint8_t *c = off < blen ? memchr(b + off, '<', blen - off) : NULL;

	if (c == NULL)
		return 0;
	*lt = (uint32_t)(c - b);
	*s = off;
	*e = *lt;
	trim(b, s, e);
	return 1;
}

/* Walk the start tag's attributes to its end. Returns 0 if cut or malformed. */
static int
tag_finish(const uint8_t *b, uint32_t blen, uint32_t off, uint32_t *after, int *empty,
		uint32_t *type_s, uint32_t *type_e)
{
	struct attr a;
	uint32_t ls;

	for (;;) {
		enum attr_status st = attr_next(b, blen, off, &a);

		if (st == ATTR_BAD || st == ATTR_CUT)
			return 0;
		if (st == ATTR_TAG_END) {
			*after = a.next;
			*empty = a.empty_tag;
			return 1;
		}
		/* xsi:type (any prefix): keep the type's local name */
		if (type_s != NULL && *type_s == *type_e) {
			ls = local_start(b, a.name, a.name_end);
			if (ls > a.name && mem_eq(b + ls, a.name_end - ls, LIT("type")) &&
					!mem_eq(b + a.name, ls - 1 - a.name, LIT("xmlns"))) {
				*type_s = local_start(b, a.val, a.val_end);
				*type_e = a.val_end;
			}
		}
		off = a.next;
	}
}

struct body_walk {
	uint8_t in_targets;
	uint8_t have_target;
	uint8_t have_ne;
};

/*
 * First leaf element below targetIdentifiers, as "<local name>:<text>". The
 * identifier is a choice (e164Number, imsi, sipUri, ipv4Address, ...) one
 * or two wrappers down (targetIdentifier, extensions), so the first element
 * whose content is text followed by an end tag is taken.
 */
static int
target_take(const uint8_t *b, uint32_t blen, uint32_t ls, uint32_t qe, uint32_t after,
		struct tw_li_x1 *x1)
{
	uint32_t s, e, lt, n;

	if (!text_get(b, blen, after, &s, &e, &lt) || lt + 1 >= blen || b[lt + 1] != '/')
		return 0;
	n = qe - ls;
	if (n > sizeof(x1->target) - 2)
		n = sizeof(x1->target) - 2;
	memcpy(x1->target, b + ls, n);
	x1->target[n] = ':';
	copy_str(x1->target + n + 1, sizeof(x1->target) - n - 1, b + s, e - s);
	return 1;
}

/* One element start tag inside the root: count and extract. */
static uint32_t
element_visit(const uint8_t *b, uint32_t blen, uint32_t off, struct tw_li_x1 *x1,
		struct body_walk *w)
{
	uint32_t qs = off + 1, qe, ls, after, ts = 0, te = 0, s, e, lt;
	int empty;

	if (!name_get(b, blen, qs, &qe))
		return blen;
	ls = local_start(b, qs, qe);
	if (mem_eq(b + ls, qe - ls, LIT("x1RequestMessage")) ||
			mem_eq(b + ls, qe - ls, LIT("x1ResponseMessage"))) {
		if (x1->nb_messages < UINT8_MAX)
			x1->nb_messages++;
		if (x1->nb_messages == 1) {
			/* the type may be complete even if the tag is cut after it */
			int ok = tag_finish(b, blen, qe, &after, &empty, &ts, &te);

			copy_str(x1->message, sizeof(x1->message), b + ts, te - ts);
			return ok ? after : blen;
		}
	}
	if (!tag_finish(b, blen, qe, &after, &empty, NULL, NULL))
		return blen;
	if (empty)
		return after;
	if (mem_eq(b + ls, qe - ls, LIT("xId"))) {
		if (x1->nb_xids < UINT8_MAX)
			x1->nb_xids++;
		if (x1->nb_xids == 1 && text_get(b, blen, after, &s, &e, &lt))
			copy_str(x1->xid, sizeof(x1->xid), b + s, e - s);
	} else if (mem_eq(b + ls, qe - ls, LIT("neIdentifier"))) {
		if (!w->have_ne && text_get(b, blen, after, &s, &e, &lt)) {
			copy_str(x1->ne, sizeof(x1->ne), b + s, e - s);
			w->have_ne = 1;
		}
	} else if (mem_eq(b + ls, qe - ls, LIT("targetIdentifiers"))) {
		if (!w->have_target)
			w->in_targets = 1;
	} else if (w->in_targets && target_take(b, blen, ls, qe, after, x1)) {
		w->in_targets = 0;
		w->have_target = 1;
	}
	return after;
}

/* Count and extract from the root's content, up to its end tag. */
static void
body_walk(const uint8_t *b, uint32_t blen, uint32_t off, const uint8_t *root_q,
		uint32_t root_qlen, struct tw_li_x1 *x1)
{
	struct body_walk w = { 0, 0, 0 };
	const uint8_t *lt;
	uint32_t end, qe;

	while (off < blen) {
		lt = memchr(b + off, '<', blen - off);
		if (lt == NULL)
			return;
		off = (uint32_t)(lt - b);
		if (blen - off >= 4 && memcmp(b + off, "<!--", 4) == 0) {
			end = find(b, blen, off + 4, LIT("-->"));
			off = end == blen ? blen : end + 3;
		} else if (blen - off >= 9 && memcmp(b + off, "<![CDATA[", 9) == 0) {
			end = find(b, blen, off + 9, LIT("]]>"));
			off = end == blen ? blen : end + 3;
		} else if (blen - off >= 2 && b[off + 1] == '?') {
			end = find(b, blen, off + 2, LIT("?>"));
			off = end == blen ? blen : end + 2;
		} else if (blen - off >= 2 && b[off + 1] == '!') {
			lt = memchr(b + off, '>', blen - off);
			off = lt == NULL ? blen : (uint32_t)(lt - b) + 1;
		} else if (blen - off >= 2 && b[off + 1] == '/') {
			if (!name_get(b, blen, off + 2, &qe))
				return;
			if (mem_eq(b + off + 2, qe - off - 2, (const char *)root_q, root_qlen))
				return;
			if (mem_eq(b + local_start(b, off + 2, qe),
					qe - local_start(b, off + 2, qe), LIT("targetIdentifiers")))
				w.in_targets = 0;
			off = qe;
		} else {
			off = element_visit(b, blen, off, x1, &w);
		}
	}
}

int
tw_li_x1_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	struct http_info hi = { 0, 0, 0, 0 };
	struct tw_li_x1 x1;
	uint32_t eol, next, bs, be, root, qname_end, after;
	int empty;

	if (len < 16 || !line_get(p, len, 0, &eol, &next) || !start_line_ok(p, eol))
		return 0;
	if (!headers_parse(p, len, next, &hi))
		return 0;
	bs = hi.body;
	be = len;
	if (hi.chunked) {
		if (!first_chunk(p, &bs, &be))
			return 0;
	} else if (hi.has_len) {
		if (hi.content_len == 0)
			return 0;
		if (be - bs > hi.content_len)
			be = bs + hi.content_len;
	}
	if (bs >= be)
		return 0;

	/* From here offsets are relative to the body. */
	p += bs;
	len = be - bs;
	root = prolog_skip(p, len);
	if (root >= len || p[root] != '<')
		return 0;
	memset(&x1, 0, sizeof(x1));
	if (!root_parse(p, len, root, &x1, &qname_end, &after, &empty))
		return 0;
	if (!empty)
		body_walk(p, len, after, p + root + 1, qname_end - root - 1, &x1);

	memset(d, 0, sizeof(*d));
	d->kind = TW_LI_KIND_X1;
	d->x1 = x1;
	return 1;
}
