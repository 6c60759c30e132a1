/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>

#include "tw_policy.h"

/* Long enough for any textual IPv6 address, including the dotted IPv4 tail
 * form; anything longer cannot be an address.
 */
#define ADDR_TEXT_MAX INET6_ADDRSTRLEN

static unsigned int
addr_len(uint8_t l3)
{
	return l3 == 4 ? 4 : 16;
}

/* Parse the decimal prefix length after '/'. Digits only: no sign, no
 * spaces, no trailing junk; at most three digits so nothing can overflow.
 */
static int
parse_prefix_len(const char *s, unsigned int max, uint8_t *out)
{
	unsigned int v = 0;
	unsigned int nb_digits = 0;

	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || ++nb_digits > 3)
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
	}
	if (nb_digits == 0 || v > max)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

static int
host_bits_clear(const struct tw_cidr *c)
{
	unsigned int nb = addr_len(c->l3);
	unsigned int i = c->prefix_len / 8;
	unsigned int rem = c->prefix_len % 8;

	if (rem != 0) {
		if ((c->addr[i] & (0xffu >> rem)) != 0)
			return 0;
		i++;
	}
	for (; i < nb; i++)
		if (c->addr[i] != 0)
			return 0;
	return 1;
}

int
tw_cidr_parse(const char *text, struct tw_cidr *c)
{
	char buf[ADDR_TEXT_MAX];
	struct tw_cidr tmp;
	const char *slash;
	size_t len;
	int af;

	if (text == NULL || c == NULL)
		return -EINVAL;

	slash = strchr(text, '/');
	len = slash != NULL ? (size_t)(slash - text) : strlen(text);
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';

	/* inet_pton() already refuses spaces, empty parts and trailing junk in
	 * the address; the ':' test only picks which parser to ask.
	 */
	memset(&tmp, 0, sizeof(tmp));
	if (memchr(buf, ':', len) != NULL) {
		af = AF_INET6;
		tmp.l3 = 6;
	} else {
		af = AF_INET;
		tmp.l3 = 4;
	}
	if (inet_pton(af, buf, tmp.addr) != 1)
		return -EINVAL;

	if (slash == NULL)
		tmp.prefix_len = (uint8_t)(addr_len(tmp.l3) * 8);
	else if (parse_prefix_len(slash + 1, addr_len(tmp.l3) * 8, &tmp.prefix_len) < 0)
		return -EINVAL;

	/* "10.0.0.1/8" is almost always a typo for a host or for "10.0.0.0/8";
	 * refuse it rather than guess which.
	 */
	if (!host_bits_clear(&tmp))
		return -EINVAL;

	*c = tmp;
	return 0;
}

int
tw_cidr_contains(const struct tw_cidr *c, uint8_t l3, const uint8_t *addr)
{
	unsigned int nb_bytes;
	unsigned int rem;
	uint8_t mask;

	if (c == NULL || addr == NULL || c->l3 != l3)
		return 0;

	nb_bytes = c->prefix_len / 8;
	rem = c->prefix_len % 8;
	if (memcmp(c->addr, addr, nb_bytes) != 0)
		return 0;
	if (rem == 0)
		return 1;
	mask = (uint8_t)(0xffu << (8 - rem));
	return (addr[nb_bytes] & mask) == c->addr[nb_bytes];
}

static int
in_any(const struct tw_cidr *cidrs, uint32_t nb, uint8_t l3, const uint8_t *addr)
{
	uint32_t i;

	if (cidrs == NULL)
		return 0;
	for (i = 0; i < nb; i++)
		if (tw_cidr_contains(&cidrs[i], l3, addr))
			return 1;
	return 0;
}

/* @p med lies in the entry's mediation prefixes and @p elt in its elements. */
static int
oriented_match(const struct tw_md *md, uint8_t l3, const uint8_t *med, const uint8_t *elt)
{
	if (!in_any(md->mediation, md->nb_mediation, l3, med))
		return 0;
	if (md->nb_elements == 0 || md->elements == NULL)
		return 1;
	return in_any(md->elements, md->nb_elements, l3, elt);
}

int
tw_policy_match(const struct tw_md *mds, uint32_t nb_mds, uint8_t l3,
		const uint8_t *a, const uint8_t *b, unsigned int family)
{
	uint32_t i;

	if (mds == NULL || a == NULL || b == NULL || (l3 != 4 && l3 != 6) ||
			family >= TW_FAMILY_MAX)
		return -1;

	for (i = 0; i < nb_mds; i++) {
		const struct tw_md *md = &mds[i];

		if (md->families != 0 && (md->families & (UINT32_C(1) << family)) == 0)
			continue;
		/* The capture direction says nothing about who is the
		 * mediation device, so try both orientations.
		 */
		if (oriented_match(md, l3, a, b) || oriented_match(md, l3, b, a))
			return (int)i;
	}
	return -1;
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
tw_xid_parse(const char *text, uint8_t xid[16])
{
	/* Positions of the dashes in 8-4-4-4-12. */
	static const unsigned int dash[] = { 8, 13, 18, 23 };
	unsigned int i, d = 0, n = 0;
	int hi, lo;

	if (text == NULL || xid == NULL || strlen(text) != 36)
		return -EINVAL;
	for (i = 0; i < 36; ) {
		if (d < RTE_DIM(dash) && i == dash[d]) {
			if (text[i] != '-')
				return -EINVAL;
			d++;
			i++;
			continue;
		}
		hi = hex_nibble(text[i]);
		lo = hex_nibble(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		xid[n++] = (uint8_t)((hi << 4) | lo);
		i += 2;
	}
	return n == 16 ? 0 : -EINVAL;
}

int
tw_tasks_xid_listed(const struct tw_tasks *t, const uint8_t *xid)
{
	uint32_t i;

	if (t == NULL || !t->has_xids || xid == NULL)
		return -1;
	for (i = 0; i < t->nb_xids; i++)
		if (memcmp(t->xids[i], xid, 16) == 0)
			return 1;
	return 0;
}

int
tw_tasks_liid_listed(const struct tw_tasks *t, const uint8_t *liid, unsigned int len)
{
	uint32_t i;

	if (t == NULL || !t->has_liids || liid == NULL)
		return -1;
	for (i = 0; i < t->nb_liids; i++)
		if (t->liids[i].len == len && memcmp(t->liids[i].b, liid, len) == 0)
			return 1;
	return 0;
}
