/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>
#include <rte_common.h>

#include "tw_li.h"
#include "tw_policy.h"

#define FAM(f) (UINT32_C(1) << TW_FAMILY_ ## f)

/* Test address from text; the family follows from the text. */
static uint8_t
addr(const char *text, uint8_t out[16])
{
	int v6 = strchr(text, ':') != NULL;

	memset(out, 0, 16);
	ck_assert_msg(inet_pton(v6 ? AF_INET6 : AF_INET, text, out) == 1,
			"bad test address %s", text);
	return v6 ? 6 : 4;
}

/* --- tw_cidr_parse ------------------------------------------------------- */

static const struct {
	const char *text;
	int ret;
	uint8_t l3;
	uint8_t prefix_len;
	const char *net;	/* expected network address */
} parse_cases[] = {
	/* rejected first */
	{ "", -EINVAL, 0, 0, NULL },
	{ "/", -EINVAL, 0, 0, NULL },
	{ "/8", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/33", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/-1", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/+32", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/0032", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/32x", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/3 2", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4//32", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4/32/32", -EINVAL, 0, 0, NULL },
	{ " 1.2.3.4", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4 ", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4 /32", -EINVAL, 0, 0, NULL },
	{ "1.2.3", -EINVAL, 0, 0, NULL },
	{ "1.2.3.4.5", -EINVAL, 0, 0, NULL },
	{ "256.1.1.1", -EINVAL, 0, 0, NULL },
	{ "01.2.3.4", -EINVAL, 0, 0, NULL },
	{ "0x0a.0.0.1", -EINVAL, 0, 0, NULL },
	{ "garbage", -EINVAL, 0, 0, NULL },
	{ "10.0.0.1/8", -EINVAL, 0, 0, NULL },		/* host bits */
	{ "192.168.1.129/25", -EINVAL, 0, 0, NULL },	/* host bit in partial byte */
	{ "::/129", -EINVAL, 0, 0, NULL },
	{ "2001:db8::/", -EINVAL, 0, 0, NULL },
	{ "2001:db8::1/64", -EINVAL, 0, 0, NULL },	/* host bits */
	{ "2001:db8:::1", -EINVAL, 0, 0, NULL },
	{ "2001:db8::g", -EINVAL, 0, 0, NULL },
	{ "fe80::1%eth0", -EINVAL, 0, 0, NULL },
	{ "2001:0db8:0000:0000:0000:0000:0000:0000:0001", -EINVAL, 0, 0, NULL },
	/* accepted */
	{ "10.0.0.0/8", 0, 4, 8, "10.0.0.0" },
	{ "10.1.2.3", 0, 4, 32, "10.1.2.3" },
	{ "10.1.2.3/32", 0, 4, 32, "10.1.2.3" },
	{ "0.0.0.0/0", 0, 4, 0, "0.0.0.0" },
	{ "192.168.1.128/25", 0, 4, 25, "192.168.1.128" },
	{ "255.255.255.255", 0, 4, 32, "255.255.255.255" },
	{ "2001:db8::/32", 0, 6, 32, "2001:db8::" },
	{ "2001:db8::10", 0, 6, 128, "2001:db8::10" },
	{ "2001:db8::10/128", 0, 6, 128, "2001:db8::10" },
	{ "::/0", 0, 6, 0, "::" },
	{ "fe80::/10", 0, 6, 10, "fe80::" },
	{ "::ffff:10.0.0.1", 0, 6, 128, "::ffff:10.0.0.1" },
	{ "2001:DB8::/48", 0, 6, 48, "2001:db8::" },
};

START_TEST(test_cidr_parse_table)
{
	struct tw_cidr c;
	uint8_t want[16];
	int ret;

	memset(&c, 0xa5, sizeof(c));
	ret = tw_cidr_parse(parse_cases[_i].text, &c);
	ck_assert_msg(ret == parse_cases[_i].ret, "\"%s\": got %d, want %d",
			parse_cases[_i].text, ret, parse_cases[_i].ret);
	if (ret < 0) {
		/* Output untouched on failure. */
		ck_assert_uint_eq(c.l3, 0xa5);
		return;
	}
	ck_assert_uint_eq(c.l3, parse_cases[_i].l3);
	ck_assert_uint_eq(c.prefix_len, parse_cases[_i].prefix_len);
	ck_assert_uint_eq(addr(parse_cases[_i].net, want), c.l3);
	ck_assert_mem_eq(c.addr, want, c.l3 == 4 ? 4 : 16);
}
END_TEST

START_TEST(test_cidr_parse_null)
{
	struct tw_cidr c;

	ck_assert_int_eq(tw_cidr_parse(NULL, &c), -EINVAL);
	ck_assert_int_eq(tw_cidr_parse("10.0.0.0/8", NULL), -EINVAL);
}
END_TEST

/* --- tw_cidr_contains ---------------------------------------------------- */

static const struct {
	const char *cidr;
	const char *addr;
	int want;
} contains_cases[] = {
	{ "10.0.0.0/8", "10.255.1.1", 1 },
	{ "10.0.0.0/8", "10.0.0.0", 1 },
	{ "10.0.0.0/8", "11.0.0.0", 0 },
	{ "10.0.0.0/8", "9.255.255.255", 0 },
	{ "192.168.1.128/25", "192.168.1.128", 1 },
	{ "192.168.1.128/25", "192.168.1.255", 1 },
	{ "192.168.1.128/25", "192.168.1.127", 0 },
	{ "10.1.2.3", "10.1.2.3", 1 },
	{ "10.1.2.3", "10.1.2.2", 0 },
	{ "0.0.0.0/0", "203.0.113.9", 1 },
	{ "0.0.0.0/0", "2001:db8::1", 0 },		/* family must match */
	{ "::/0", "2001:db8::1", 1 },
	{ "::/0", "10.0.0.1", 0 },
	{ "2001:db8::/32", "2001:db8:ffff::1", 1 },
	{ "2001:db8::/32", "2001:db9::", 0 },
	{ "2001:db8::10", "2001:db8::10", 1 },
	{ "2001:db8::10", "2001:db8::11", 0 },
	{ "fe80::/10", "febf:ffff::1", 1 },
	{ "fe80::/10", "fec0::", 0 },
	{ "10.0.0.1", "::ffff:10.0.0.1", 0 },		/* mapped is IPv6 */
	{ "::ffff:10.0.0.1", "10.0.0.1", 0 },
};

START_TEST(test_cidr_contains_table)
{
	struct tw_cidr c;
	uint8_t a[16];
	uint8_t l3;

	ck_assert_int_eq(tw_cidr_parse(contains_cases[_i].cidr, &c), 0);
	l3 = addr(contains_cases[_i].addr, a);
	ck_assert_msg(tw_cidr_contains(&c, l3, a) == contains_cases[_i].want,
			"%s in %s: want %d", contains_cases[_i].addr,
			contains_cases[_i].cidr, contains_cases[_i].want);
}
END_TEST

START_TEST(test_cidr_contains_invalid)
{
	struct tw_cidr c;
	uint8_t a[16];

	ck_assert_int_eq(tw_cidr_parse("0.0.0.0/0", &c), 0);
	addr("10.0.0.1", a);
	ck_assert_int_eq(tw_cidr_contains(NULL, 4, a), 0);
	ck_assert_int_eq(tw_cidr_contains(&c, 4, NULL), 0);
	ck_assert_int_eq(tw_cidr_contains(&c, 5, a), 0);
	ck_assert_int_eq(tw_cidr_contains(&c, 0, a), 0);
}
END_TEST

/* --- tw_policy_match ----------------------------------------------------- */

/* The inventory under test, as text; built into tw_md entries per test. */
static const struct {
	const char *name;
	const char *mediation[3];
	const char *elements[3];	/* none = any address */
	uint32_t families;		/* 0 = all */
} inventory[] = {
	{ "core", { "10.200.0.10", "2001:db8:200::10/128" },
	  { "10.1.0.0/24", "2001:db8:1::/64" }, FAM(ETSI_X2X3) | FAM(ETSI_HI) },
	{ "mirror", { "10.200.0.20/32", "2001:db8:200::20" }, { NULL },
	  FAM(ERSPAN) },
	{ "any-family", { "10.200.0.30" }, { "10.2.0.0/16" }, 0 },
	{ "catch-all", { "10.200.0.30" }, { NULL }, 0 },
};

struct built {
	struct tw_md mds[RTE_DIM(inventory)];
	struct tw_cidr cidrs[RTE_DIM(inventory)][6];
};

static void
build(struct built *b)
{
	unsigned int i, j, n;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < RTE_DIM(inventory); i++) {
		struct tw_md *md = &b->mds[i];

		snprintf(md->name, sizeof(md->name), "%s", inventory[i].name);
		n = 0;
		md->mediation = &b->cidrs[i][n];
		for (j = 0; j < 3 && inventory[i].mediation[j] != NULL; j++, n++)
			ck_assert_int_eq(tw_cidr_parse(inventory[i].mediation[j],
					&b->cidrs[i][n]), 0);
		md->nb_mediation = j;
		if (inventory[i].elements[0] != NULL) {
			md->elements = &b->cidrs[i][n];
			for (j = 0; j < 3 && inventory[i].elements[j] != NULL; j++, n++)
				ck_assert_int_eq(tw_cidr_parse(inventory[i].elements[j],
						&b->cidrs[i][n]), 0);
			md->nb_elements = j;
		}
		md->families = inventory[i].families;
	}
}

static const struct {
	const char *what;
	const char *a;
	const char *b;
	unsigned int family;
	int want;
} match_cases[] = {
	{ "v4 mediation -> element", "10.200.0.10", "10.1.0.5", TW_FAMILY_ETSI_X2X3, 0 },
	{ "v4 element -> mediation", "10.1.0.5", "10.200.0.10", TW_FAMILY_ETSI_X2X3, 0 },
	{ "second allowed family", "10.200.0.10", "10.1.0.255", TW_FAMILY_ETSI_HI, 0 },
	{ "family not allowed", "10.200.0.10", "10.1.0.5", TW_FAMILY_ERSPAN, -1 },
	{ "element outside prefix", "10.200.0.10", "10.1.1.5", TW_FAMILY_ETSI_X2X3, -1 },
	{ "no mediation endpoint", "10.1.0.5", "10.1.0.6", TW_FAMILY_ETSI_X2X3, -1 },
	{ "mediation to mediation, not an element", "10.200.0.10", "10.200.0.11",
	  TW_FAMILY_ETSI_X2X3, -1 },
	{ "no elements: any v4 peer", "10.200.0.20", "192.0.2.1", TW_FAMILY_ERSPAN, 1 },
	{ "no elements: reversed", "198.51.100.7", "10.200.0.20", TW_FAMILY_ERSPAN, 1 },
	{ "no elements: other MD as peer", "10.200.0.10", "10.200.0.20", TW_FAMILY_ERSPAN, 1 },
	{ "no elements, family not allowed", "10.200.0.20", "192.0.2.1",
	  TW_FAMILY_ETSI_X2X3, -1 },
	{ "v6 mediation -> element", "2001:db8:200::10", "2001:db8:1::5", TW_FAMILY_ETSI_HI, 0 },
	{ "v6 element -> mediation", "2001:db8:1::ffff", "2001:db8:200::10",
	  TW_FAMILY_ETSI_X2X3, 0 },
	{ "v6 element outside", "2001:db8:200::10", "2001:db8:2::5", TW_FAMILY_ETSI_HI, -1 },
	{ "v6 no elements", "2001:db8:ffff::1", "2001:db8:200::20", TW_FAMILY_ERSPAN, 1 },
	/* An IPv6 address whose first bytes spell 10.1.0.5 is not in 10.1.0.0/24. */
	{ "mixed: v6 peer vs v4 elements", "2001:db8:200::10", "a01:5::", TW_FAMILY_ETSI_HI, -1 },
	{ "mixed: v4-mapped v6 endpoints", "::ffff:10.200.0.10", "::ffff:10.1.0.5",
	  TW_FAMILY_ETSI_X2X3, -1 },
	{ "no families: any family", "10.200.0.30", "10.2.9.9", TW_FAMILY_TZSP, 2 },
	{ "no families: another family", "10.2.9.9", "10.200.0.30", TW_FAMILY_RPCAP, 2 },
	{ "first match wins over catch-all", "10.200.0.30", "10.2.0.1", TW_FAMILY_ERSPAN, 2 },
	{ "later entry when first does not match", "10.200.0.30", "10.3.0.1",
	  TW_FAMILY_ERSPAN, 3 },
	{ "family out of range", "10.200.0.30", "10.3.0.1", TW_FAMILY_MAX, -1 },
};

START_TEST(test_match_table)
{
	struct built b;
	uint8_t a[16], z[16];
	uint8_t l3a, l3b;
	int got;

	build(&b);
	l3a = addr(match_cases[_i].a, a);
	l3b = addr(match_cases[_i].b, z);
	ck_assert_uint_eq(l3a, l3b);
	got = tw_policy_match(b.mds, RTE_DIM(b.mds), l3a, a, z, match_cases[_i].family);
	ck_assert_msg(got == match_cases[_i].want, "%s: %s <-> %s: got %d, want %d",
			match_cases[_i].what, match_cases[_i].a, match_cases[_i].b, got,
			match_cases[_i].want);
}
END_TEST

START_TEST(test_match_invalid)
{
	struct built b;
	uint8_t a[16], z[16];

	build(&b);
	addr("10.200.0.10", a);
	addr("10.1.0.5", z);
	ck_assert_int_eq(tw_policy_match(b.mds, RTE_DIM(b.mds), 4, a, z,
			TW_FAMILY_ETSI_X2X3), 0);
	ck_assert_int_eq(tw_policy_match(NULL, 0, 4, a, z, TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(NULL, 4, 4, a, z, TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, 0, 4, a, z, TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, RTE_DIM(b.mds), 4, NULL, z,
			TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, RTE_DIM(b.mds), 4, a, NULL,
			TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, RTE_DIM(b.mds), 0, a, z,
			TW_FAMILY_ETSI_X2X3), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, RTE_DIM(b.mds), 5, a, z,
			TW_FAMILY_ETSI_X2X3), -1);
	/* Only the first entry is searched when nb_mds is 1. */
	addr("10.200.0.20", a);
	ck_assert_int_eq(tw_policy_match(b.mds, 1, 4, a, z, TW_FAMILY_ERSPAN), -1);
	ck_assert_int_eq(tw_policy_match(b.mds, 2, 4, a, z, TW_FAMILY_ERSPAN), 1);
}
END_TEST

/* An entry with no mediation prefixes authorizes nothing, even with no
 * elements and no families.
 */
START_TEST(test_match_empty_entry)
{
	struct tw_md md;
	uint8_t a[16], z[16];

	memset(&md, 0, sizeof(md));
	addr("10.0.0.1", a);
	addr("10.0.0.2", z);
	ck_assert_int_eq(tw_policy_match(&md, 1, 4, a, z, TW_FAMILY_ERSPAN), -1);
	md.nb_mediation = 3;	/* count without storage: still nothing */
	ck_assert_int_eq(tw_policy_match(&md, 1, 4, a, z, TW_FAMILY_ERSPAN), -1);
}
END_TEST

/* /0 mediation with no elements: every flow of that address family. */
START_TEST(test_match_slash0)
{
	struct tw_cidr c;
	struct tw_md md;
	uint8_t a[16], z[16];

	memset(&md, 0, sizeof(md));
	ck_assert_int_eq(tw_cidr_parse("0.0.0.0/0", &c), 0);
	md.mediation = &c;
	md.nb_mediation = 1;
	addr("198.51.100.1", a);
	addr("203.0.113.1", z);
	ck_assert_int_eq(tw_policy_match(&md, 1, 4, a, z, TW_FAMILY_TZSP), 0);
	addr("2001:db8::1", a);
	addr("2001:db8::2", z);
	ck_assert_int_eq(tw_policy_match(&md, 1, 6, a, z, TW_FAMILY_TZSP), -1);
}
END_TEST

/* --- tw_xid_parse ---------------------------------------------------------- */

#define XID_TEXT "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88"
static const uint8_t xid_bytes[16] = {
	0x2b, 0x4c, 0x0e, 0x6a, 0x9f, 0x1d, 0x4c, 0x3b,
	0x8a, 0x7e, 0x5d, 0x2f, 0x1c, 0x0b, 0x9a, 0x88,
};
static const uint8_t xid_zero[16];
static const uint8_t xid_ones[16] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

static const struct {
	const char *text;
	int ret;
	const uint8_t *want;	/* expected bytes when ret is 0 */
} xid_cases[] = {
	/* rejected first */
	{ "", -EINVAL, NULL },
	{ "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8", -EINVAL, NULL },	/* 35 characters */
	{ "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a881", -EINVAL, NULL },	/* 37 */
	{ XID_TEXT " ", -EINVAL, NULL },
	{ XID_TEXT "\n", -EINVAL, NULL },
	{ " " XID_TEXT, -EINVAL, NULL },
	{ "2b4c0e6a9f1d4c3b8a7e5d2f1c0b9a88", -EINVAL, NULL },		/* no dashes */
	{ "2b4c0e6a9f1d4c3b8a7e5d2f1c0b9a88abcd", -EINVAL, NULL },	/* 36 hex digits */
	{ "2b4c0e6a-9f1d-4c3b-8a7e5d2f1c0b9a88-", -EINVAL, NULL },	/* last dash moved */
	{ "2b4c0e6a9-f1d-4c3b-8a7e-5d2f1c0b9a88", -EINVAL, NULL },	/* first dash moved */
	{ "2b4c0e6a--f1d-4c3b-8a7e-5d2f1c0b9a88", -EINVAL, NULL },	/* dash for a digit */
	{ "2b4c0e6a_9f1d_4c3b_8a7e_5d2f1c0b9a88", -EINVAL, NULL },
	{ "2b4c0e6g-9f1d-4c3b-8a7e-5d2f1c0b9a88", -EINVAL, NULL },	/* 'g' */
	{ "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8G", -EINVAL, NULL },	/* 'G', last */
	{ "0x4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88", -EINVAL, NULL },
	{ "2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a 8", -EINVAL, NULL },
	{ "{2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a8}", -EINVAL, NULL },
	{ "urn:uuid:" XID_TEXT, -EINVAL, NULL },
	{ "------------------------------------", -EINVAL, NULL },
	/* accepted */
	{ XID_TEXT, 0, xid_bytes },
	{ "2B4C0E6A-9F1D-4C3B-8A7E-5D2F1C0B9A88", 0, xid_bytes },
	{ "2b4C0e6A-9F1d-4c3B-8a7E-5D2f1C0b9A88", 0, xid_bytes },
	{ "00000000-0000-0000-0000-000000000000", 0, xid_zero },
	{ "ffffffff-ffff-ffff-ffff-ffffffffffff", 0, xid_ones },
	{ "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", 0, xid_ones },
};

START_TEST(test_xid_parse_table)
{
	uint8_t xid[16];
	int ret;

	memset(xid, 0xa5, sizeof(xid));
	ret = tw_xid_parse(xid_cases[_i].text, xid);
	ck_assert_msg(ret == xid_cases[_i].ret, "\"%s\": got %d, want %d",
			xid_cases[_i].text, ret, xid_cases[_i].ret);
	if (ret == 0)
		ck_assert_mem_eq(xid, xid_cases[_i].want, 16);
}
END_TEST

START_TEST(test_xid_parse_null_text)
{
	uint8_t xid[16];

	ck_assert_int_eq(tw_xid_parse(NULL, xid), -EINVAL);
}
END_TEST

/*
 * NULL output: tw_cidr_parse(text, NULL) is -EINVAL; tw_xid_parse writes
 * through the NULL pointer (tw_policy.c, tw_xid_parse: no check of xid).
 */
START_TEST(test_xid_parse_null_out)
{
	ck_assert_int_eq(tw_xid_parse(XID_TEXT, NULL), -EINVAL);
}
END_TEST

/* --- tw_tasks_xid_listed / tw_tasks_liid_listed -------------------------- */

static const uint8_t task_xids[][16] = {
	{ 0x6f, 0x1c, 0x2f, 0x9a, 0x3e, 0x4b, 0x4c, 0x1d,
	  0x9a, 0x2b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b },
	{ 0x2b, 0x4c, 0x0e, 0x6a, 0x9f, 0x1d, 0x4c, 0x3b,
	  0x8a, 0x7e, 0x5d, 0x2f, 0x1c, 0x0b, 0x9a, 0x88 },
};

/* "LIID1", "LIID-TEST-01", 3 binary bytes with a NUL, 64 bytes of 'L'. */
static void
task_liids(struct tw_liid *l)
{
	memset(l, 0, 4 * sizeof(*l));
	l[0].len = 5;
	memcpy(l[0].b, "LIID1", 5);
	l[1].len = 12;
	memcpy(l[1].b, "LIID-TEST-01", 12);
	l[2].len = 3;
	memcpy(l[2].b, "\x01\x00\x02", 3);
	l[3].len = TW_TASK_LIID_MAX;
	memset(l[3].b, 'L', TW_TASK_LIID_MAX);
}

static void
tasks_build(struct tw_tasks *t, struct tw_liid *liids)
{
	memset(t, 0, sizeof(*t));
	task_liids(liids);
	t->has_xids = 1;
	t->xids = task_xids;
	t->nb_xids = RTE_DIM(task_xids);
	t->has_liids = 1;
	t->liids = liids;
	t->nb_liids = 4;
}

START_TEST(test_tasks_null)
{
	uint8_t xid[16];

	memcpy(xid, task_xids[0], 16);
	ck_assert_int_eq(tw_tasks_xid_listed(NULL, xid), -1);
	ck_assert_int_eq(tw_tasks_liid_listed(NULL, (const uint8_t *)"LIID1", 5), -1);
	ck_assert_int_eq(tw_tasks_liid_listed(NULL, NULL, 0), -1);
}
END_TEST

/* A list that is not configured is not checked: -1, whatever the other list. */
START_TEST(test_tasks_unconfigured)
{
	struct tw_liid liids[4];
	struct tw_tasks t;

	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), -1);
	ck_assert_int_eq(tw_tasks_liid_listed(&t, (const uint8_t *)"LIID1", 5), -1);

	/* entries without the has_ flag are not a list */
	tasks_build(&t, liids);
	t.has_xids = 0;
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), -1);
	ck_assert_int_eq(tw_tasks_liid_listed(&t, (const uint8_t *)"LIID1", 5), 1);
	tasks_build(&t, liids);
	t.has_liids = 0;
	ck_assert_int_eq(tw_tasks_liid_listed(&t, (const uint8_t *)"LIID1", 5), -1);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), 1);
}
END_TEST

/* A configured empty list authorizes nothing: 0, not -1. */
START_TEST(test_tasks_empty_lists)
{
	struct tw_tasks t;

	memset(&t, 0, sizeof(t));
	t.has_xids = 1;
	t.has_liids = 1;
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), 0);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid_zero), 0);
	ck_assert_int_eq(tw_tasks_liid_listed(&t, (const uint8_t *)"LIID1", 5), 0);
}
END_TEST

START_TEST(test_tasks_xid)
{
	struct tw_liid liids[4];
	struct tw_tasks t;
	uint8_t xid[16];

	tasks_build(&t, liids);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), 1);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[1]), 1);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid_zero), 0);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid_ones), 0);
	/* one bit off, at either end */
	memcpy(xid, task_xids[0], 16);
	xid[15] ^= 1;
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid), 0);
	memcpy(xid, task_xids[0], 16);
	xid[0] ^= 0x80;
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid), 0);
	/* only nb_xids entries are searched */
	t.nb_xids = 1;
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[0]), 1);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, task_xids[1]), 0);
	/* the text form parses to the listed bytes */
	t.nb_xids = 2;
	ck_assert_int_eq(tw_xid_parse("2B4C0E6A-9f1d-4c3b-8a7e-5d2f1c0b9a88", xid), 0);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, xid), 1);
}
END_TEST

#define L16 "LLLLLLLLLLLLLLLL"

static const struct {
	const char *what;
	const char *liid;
	unsigned int len;
	int want;
} liid_cases[] = {
	{ "listed", "LIID1", 5, 1 },
	{ "second entry", "LIID-TEST-01", 12, 1 },
	{ "binary with a NUL byte", "\x01\x00\x02", 3, 1 },
	{ "64 bytes", L16 L16 L16 L16, 64, 1 },
	{ "prefix of a listed LIID", "LIID", 4, 0 },
	{ "prefix of a listed LIID, 11 bytes", "LIID-TEST-0", 11, 0 },
	{ "listed LIID is a prefix of it", "LIID12", 6, 0 },
	{ "listed LIID and a NUL after it", "LIID1\0", 6, 0 },
	{ "binary, cut at the NUL", "\x01", 1, 0 },
	{ "63 of the 64 bytes", L16 L16 L16 L16, 63, 0 },
	{ "other case", "liid1", 5, 0 },
	{ "same length, other bytes", "LIID2", 5, 0 },
	{ "empty", "", 0, 0 },
};

START_TEST(test_tasks_liid_table)
{
	struct tw_liid liids[4];
	struct tw_tasks t;
	int got;

	tasks_build(&t, liids);
	got = tw_tasks_liid_listed(&t, (const uint8_t *)liid_cases[_i].liid, liid_cases[_i].len);
	ck_assert_msg(got == liid_cases[_i].want, "%s: got %d, want %d", liid_cases[_i].what,
			got, liid_cases[_i].want);
}
END_TEST

/*
 * NULL XID / LIID with a configured list: tw_policy_match returns -1 for a
 * NULL address; these dereference it (tw_policy.c, memcmp with NULL).
 */
START_TEST(test_tasks_null_key)
{
	struct tw_liid liids[4];
	struct tw_tasks t;

	tasks_build(&t, liids);
	ck_assert_int_eq(tw_tasks_xid_listed(&t, NULL), -1);
	ck_assert_int_eq(tw_tasks_liid_listed(&t, NULL, 5), -1);
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("cidr_parse");
	tcase_add_test(tc, test_cidr_parse_null);
	tcase_add_loop_test(tc, test_cidr_parse_table, 0, RTE_DIM(parse_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr_contains");
	tcase_add_test(tc, test_cidr_contains_invalid);
	tcase_add_loop_test(tc, test_cidr_contains_table, 0, RTE_DIM(contains_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_test(tc, test_match_invalid);
	tcase_add_test(tc, test_match_empty_entry);
	tcase_add_loop_test(tc, test_match_table, 0, RTE_DIM(match_cases));
	tcase_add_test(tc, test_match_slash0);
	suite_add_tcase(s, tc);

	tc = tcase_create("xid_parse");
	tcase_add_test(tc, test_xid_parse_null_text);
	tcase_add_loop_test(tc, test_xid_parse_table, 0, RTE_DIM(xid_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("tasks");
	tcase_add_test(tc, test_tasks_null);
	tcase_add_test(tc, test_tasks_unconfigured);
	tcase_add_test(tc, test_tasks_empty_lists);
	tcase_add_test(tc, test_tasks_xid);
	tcase_add_loop_test(tc, test_tasks_liid_table, 0, RTE_DIM(liid_cases));
	suite_add_tcase(s, tc);

	/* NULL keys and outputs: crash today (see the tests); apart so that
	 * CK_EXCLUDE_CASES=null-keys can run the rest without fork. */
	tc = tcase_create("null-keys");
	tcase_add_test(tc, test_xid_parse_null_out);
	tcase_add_test(tc, test_tasks_null_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
