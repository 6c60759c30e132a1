/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for lib/tw_sig.c: the rules parser (good and bad rules, as
 * tables), the file loader, and the scan (protocol and port constraints,
 * validators, hit bounds).
 *
 * EAL-free: runs in Check's default fork mode. The test of the committed
 * conf/signatures.rules needs the source tree: set TW_SOURCE_ROOT to it
 * (meson does); without it that test passes without checking anything.
 *
 * The X2/X3 and ERSPAN byte vectors are copied from test_li.c, where they
 * are decoded and sourced.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <hs.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "tw_error.h"
#include "tw_li.h"
#include "tw_pkt.h"
#include "tw_sig.h"
#include "tw_test_hex.h"

#define TEST_NAME "<test>"
#define VEC_MAX 2048

static struct tw_sig_db *
parse_str(const char *text, struct tw_error *err)
{
	return tw_sig_db_parse(text, strlen(text), TEST_NAME, err);
}

/* ------------------------------------------------------------------------ */
/* Argument checks                                                           */
/* ------------------------------------------------------------------------ */

START_TEST(test_parse_null)
{
	struct tw_error err;

	rte_errno = 0;
	memset(&err, 0x5a, sizeof(err));
	ck_assert_ptr_null(tw_sig_db_parse(NULL, 10, TEST_NAME, &err));
	ck_assert_int_eq(rte_errno, EINVAL);
	ck_assert_int_eq(err.code, -EINVAL);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_str_eq(err.file, TEST_NAME);
	ck_assert_ptr_nonnull(strstr(err.msg, "no rules text"));

	/* no error struct: still NULL, no crash */
	ck_assert_ptr_null(tw_sig_db_parse(NULL, 0, NULL, NULL));
	ck_assert_ptr_null(tw_sig_db_parse("bad", 3, NULL, NULL));
}
END_TEST

START_TEST(test_parse_default_name)
{
	struct tw_error err;
	struct tw_sig_db *db;

	ck_assert_ptr_null(tw_sig_db_parse("bad", 3, NULL, &err));
	ck_assert_str_eq(err.file, "<buffer>");
	ck_assert_uint_eq(err.line, 1);

	/* a good buffer without an error struct */
	db = tw_sig_db_parse("sig id=1 rev=1 family=erspan severity=1 name=n pattern=abc", 58,
			NULL, NULL);
	ck_assert_ptr_nonnull(db);
	ck_assert_uint_eq(tw_sig_db_count(db), 1);
	tw_sig_db_free(db);
}
END_TEST

START_TEST(test_null_db)
{
	uint32_t counts[TW_FAMILY_MAX];
	struct tw_error err;
	struct tw_sig_db *db;
	unsigned int i;

	ck_assert_uint_eq(tw_sig_db_count(NULL), 0);
	ck_assert_ptr_null(tw_sig_db_get(NULL, 0));
	tw_sig_db_free(NULL);
	tw_sig_scratch_free(NULL);
	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_scratch_alloc(NULL));
	ck_assert_int_eq(rte_errno, EINVAL);
	memset(counts, 0xff, sizeof(counts));
	tw_sig_db_family_counts(NULL, counts);
	for (i = 0; i < TW_FAMILY_MAX; i++)
		ck_assert_uint_eq(counts[i], 0);

	db = parse_str("sig id=1 rev=1 family=erspan severity=1 name=n pattern=abc\n"
			"sig id=2 rev=1 family=erspan severity=1 name=m pattern=def\n", &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_uint_eq(tw_sig_db_count(db), 2);
	ck_assert_ptr_nonnull(tw_sig_db_get(db, 1));
	ck_assert_ptr_null(tw_sig_db_get(db, 2));
	ck_assert_ptr_null(tw_sig_db_get(db, UINT32_MAX));
	tw_sig_db_free(db);
}
END_TEST

START_TEST(test_load_null)
{
	struct tw_error err;

	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_db_load(NULL, &err));
	ck_assert_int_eq(rte_errno, EINVAL);
	ck_assert_int_eq(err.code, -EINVAL);
	ck_assert_str_eq(err.file, "(null)");
	ck_assert_ptr_null(tw_sig_db_load(NULL, NULL));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Good rules                                                                */
/* ------------------------------------------------------------------------ */

struct good_case {
	const char *name;
	const char *text;
	uint32_t count;
	uint32_t idx;		/* signature to compare with want */
	struct tw_sig want;
};

#define MULTI_TEXT \
	"# header comment\n" \
	"\n" \
	"   # indented comment\n" \
	"sig id=10 rev=1 family=etsi-x1 severity=1 name=a pattern=aaa\r\n" \
	"\t \n" \
	"sig id=11 rev=2 family=etsi-hi severity=2 name=b pattern=bbb\n" \
	"#sig id=99 rev=1 family=erspan severity=1 name=c pattern=ccc\n" \
	"sig id=12 rev=3 family=tzsp severity=3 name=c pattern=ccc"

static const struct good_case good_cases[] = {
	{ "minimal line, defaults", "sig id=1 rev=1 family=etsi-x2x3 severity=1 name=minimal "
		"pattern=abc\n", 1, 0,
		{ .id = 1, .rev = 1, .family = TW_FAMILY_ETSI_X2X3, .severity = 1, .proto = 0,
		  .validator = TW_VALIDATOR_NONE, .nb_ports = 0, .line = 1, .name = "minimal" } },
	{ "every key, largest id and rev",
		"sig id=2147483647 rev=4294967295 family=erspan severity=3 proto=gre ports=any "
		"validator=erspan flags=caseless,dotall,multiline,singlematch "
		"pattern=\"^\\x10\\x00\\x88\\xbe\" name=\"ERSPAN type II, every key\"\n", 1, 0,
		{ .id = 2147483647, .rev = 4294967295u, .family = TW_FAMILY_ERSPAN, .severity = 3,
		  .proto = 47, .validator = TW_VALIDATOR_ERSPAN, .nb_ports = 0, .line = 1,
		  .name = "ERSPAN type II, every key" } },
	{ "tabs, keys in any order, CRLF, port list",
		"\t sig\tname=\"X2/X3 over UDP\"\tpattern=\"^\\x00[\\x01-\\x0f]\"  "
		"ports=1,443,65535 proto=udp validator=x2x3 severity=2 family=etsi-x2x3 rev=7 "
		"id=42   \r\n", 1, 0,
		{ .id = 42, .rev = 7, .family = TW_FAMILY_ETSI_X2X3, .severity = 2, .proto = 17,
		  .validator = TW_VALIDATOR_X2X3, .nb_ports = 3, .ports = { 1, 443, 65535 },
		  .line = 1, .name = "X2/X3 over UDP" } },
	{ "16 ports, tcp",
		"sig id=5 rev=1 family=packetcable severity=2 proto=tcp "
		"ports=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 name=p pattern=abc", 1, 0,
		{ .id = 5, .rev = 1, .family = TW_FAMILY_PACKETCABLE, .severity = 2, .proto = 6,
		  .validator = TW_VALIDATOR_NONE, .nb_ports = 16,
		  .ports = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
		  .line = 1, .name = "p" } },
	{ "quoted values keep '#', '=' and spaces",
		"sig id=6 rev=1 family=etsi-hi severity=1 proto=sctp validator=ps-pdu "
		"pattern=\"a#b=c d\" name=\"a = b # not a comment\"", 1, 0,
		{ .id = 6, .rev = 1, .family = TW_FAMILY_ETSI_HI, .severity = 1, .proto = 132,
		  .validator = TW_VALIDATOR_PS_PDU, .line = 1, .name = "a = b # not a comment" } },
	{ "ports=config",
		"sig id=9 rev=1 family=jmirror severity=2 proto=udp ports=config name=j pattern=j",
		1, 0,
		{ .id = 9, .rev = 1, .family = TW_FAMILY_JMIRROR, .severity = 2, .proto = 17,
		  .validator = TW_VALIDATOR_NONE, .ports_config = 1, .nb_ports = 0, .line = 1,
		  .name = "j" } },
	{ "validator hi2, proto any, flags none",
		"sig id=7 rev=1 family=cisco-tap-mib severity=2 proto=any validator=hi2 flags=none "
		"name=\"h\" pattern=\"h\"", 1, 0,
		{ .id = 7, .rev = 1, .family = TW_FAMILY_CISCO_TAP_MIB, .severity = 2, .proto = 0,
		  .validator = TW_VALIDATOR_HI2, .line = 1, .name = "h" } },
	{ "MITRE ATT&CK techniques",
		"sig id=13 rev=1 family=erspan severity=1 mitre=T1020.001,T1602 name=m pattern=m",
		1, 0,
		{ .id = 13, .rev = 1, .family = TW_FAMILY_ERSPAN, .severity = 1, .line = 1,
		  .name = "m", .mitre = "T1020.001,T1602" } },
	{ "validator none named explicitly",
		"sig id=8 rev=1 family=rpcap severity=3 validator=none name=\"n\" pattern=\"n\"", 1, 0,
		{ .id = 8, .rev = 1, .family = TW_FAMILY_RPCAP, .severity = 3,
		  .validator = TW_VALIDATOR_NONE, .line = 1, .name = "n" } },
	{ "comments and blank lines: first sig", MULTI_TEXT, 3, 0,
		{ .id = 10, .rev = 1, .family = TW_FAMILY_ETSI_X1, .severity = 1,
		  .line = 4, .name = "a" } },
	{ "comments and blank lines: second sig", MULTI_TEXT, 3, 1,
		{ .id = 11, .rev = 2, .family = TW_FAMILY_ETSI_HI, .severity = 2,
		  .line = 6, .name = "b" } },
	{ "comments and blank lines: last line without newline", MULTI_TEXT, 3, 2,
		{ .id = 12, .rev = 3, .family = TW_FAMILY_TZSP, .severity = 3,
		  .line = 8, .name = "c" } },
};

START_TEST(test_good_table)
{
	const struct good_case *c = &good_cases[_i];
	const struct tw_sig *s, *w = &c->want;
	struct tw_error err;
	struct tw_sig_db *db;
	unsigned int i;

	db = parse_str(c->text, &err);
	ck_assert_msg(db != NULL, "%s: line %u: %s", c->name, err.line, err.msg);
	ck_assert_uint_eq(tw_sig_db_count(db), c->count);
	s = tw_sig_db_get(db, c->idx);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->id, w->id);
	ck_assert_uint_eq(s->rev, w->rev);
	ck_assert_uint_eq(s->family, w->family);
	ck_assert_uint_eq(s->severity, w->severity);
	ck_assert_uint_eq(s->proto, w->proto);
	ck_assert_uint_eq(s->validator, w->validator);
	ck_assert_uint_eq(s->ports_config, w->ports_config);
	ck_assert_uint_eq(s->nb_ports, w->nb_ports);
	for (i = 0; i < w->nb_ports; i++)
		ck_assert_uint_eq(s->ports[i], w->ports[i]);
	ck_assert_uint_eq(s->line, w->line);
	ck_assert_str_eq(s->name, w->name);
	ck_assert_str_eq(s->mitre, w->mitre);
	tw_sig_db_free(db);
}
END_TEST

/* Names of 95 characters fit, 96 do not. */
START_TEST(test_name_length)
{
	char text[256], name[TW_SIG_NAME_MAX + 1];
	struct tw_error err;
	struct tw_sig_db *db;

	memset(name, 'n', TW_SIG_NAME_MAX - 1);
	name[TW_SIG_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "sig id=1 rev=1 family=erspan severity=1 pattern=x "
			"name=\"%s\"", name);
	db = parse_str(text, &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_str_eq(tw_sig_db_get(db, 0)->name, name);
	tw_sig_db_free(db);

	memset(name, 'n', TW_SIG_NAME_MAX);
	name[TW_SIG_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "sig id=1 rev=1 family=erspan severity=1 pattern=x "
			"name=\"%s\"", name);
	ck_assert_ptr_null(parse_str(text, &err));
	ck_assert_uint_eq(err.line, 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "name must have 1..95 characters"));
}
END_TEST


/* A 4096-byte line is read; a 4097-byte one is refused, with its line. */
START_TEST(test_line_length)
{
	static const char sig[] = "sig id=1 rev=1 family=erspan severity=1 name=n pattern=abc\n";
	struct tw_error err;
	struct tw_sig_db *db;
	char *text = malloc(4097 + 1 + sizeof(sig));
	size_t len;

	ck_assert_ptr_nonnull(text);
	/* line 1: a comment of exactly 4096 bytes, line 2: a signature */
	text[0] = '#';
	memset(text + 1, 'x', 4095);
	text[4096] = '\n';
	memcpy(text + 4097, sig, sizeof(sig) - 1);
	len = 4097 + sizeof(sig) - 1;
	db = tw_sig_db_parse(text, len, TEST_NAME, &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_uint_eq(tw_sig_db_count(db), 1);
	ck_assert_uint_eq(tw_sig_db_get(db, 0)->line, 2);
	tw_sig_db_free(db);

	/* line 1: a signature, line 2: a comment of 4097 bytes */
	memcpy(text, sig, sizeof(sig) - 1);
	len = sizeof(sig) - 1;
	text[len] = '#';
	memset(text + len + 1, 'x', 4096);
	len += 4097;
	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_db_parse(text, len, TEST_NAME, &err));
	ck_assert_int_eq(rte_errno, EINVAL);
	ck_assert_int_eq(err.code, -EINVAL);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.msg, "line longer than 4096 bytes"));
	free(text);
}
END_TEST

/* TW_SIG_MAX signatures at most; the next one is refused before compiling. */
START_TEST(test_too_many)
{
	const size_t line_max = 80;
	struct tw_error err;
	char *text = malloc((TW_SIG_MAX + 1) * line_max);
	size_t len = 0;
	uint32_t i;

	ck_assert_ptr_nonnull(text);
	for (i = 1; i <= TW_SIG_MAX + 1; i++)
		len += (size_t)snprintf(text + len, line_max,
				"sig id=%u rev=1 family=erspan severity=1 name=n pattern=abc\n", i);
	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_db_parse(text, len, TEST_NAME, &err));
	ck_assert_int_eq(rte_errno, ENOSPC);
	ck_assert_int_eq(err.code, -ENOSPC);
	ck_assert_uint_eq(err.line, TW_SIG_MAX + 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than 4096 signatures"));
	free(text);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Bad rules                                                                 */
/* ------------------------------------------------------------------------ */

struct bad_case {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	unsigned int line;
	int code;
	const char *msg;	/* substring of err.msg */
};

/* One signature with every required key but the named one. */
#define ID "id=1 "
#define REV "rev=1 "
#define FAMILY "family=etsi-x2x3 "
#define SEVERITY "severity=1 "
#define NAME "name=\"a name\" "
#define PATTERN "pattern=abc "
#define GOOD "sig " ID REV FAMILY SEVERITY NAME PATTERN

static const struct bad_case bad_cases[] = {
	{ "missing id", "sig " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"missing key \"id\" (required: id, rev, family, severity, name, pattern)" },
	{ "missing rev", "sig " ID FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"missing key \"rev\"" },
	{ "missing family", "sig " ID REV SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"missing key \"family\"" },
	{ "missing severity", "sig " ID REV FAMILY NAME PATTERN, 0, 1, -EINVAL,
		"missing key \"severity\"" },
	{ "missing name", "sig " ID REV FAMILY SEVERITY PATTERN, 0, 1, -EINVAL,
		"missing key \"name\"" },
	{ "missing pattern", "sig " ID REV FAMILY SEVERITY NAME, 0, 1, -EINVAL,
		"missing key \"pattern\"" },
	{ "no keys at all", "sig  \t", 0, 1, -EINVAL, "expected a line starting with \"sig \"" },
	{ "unknown key", GOOD "colour=red", 0, 1, -EINVAL,
		"unknown key \"colour\"; keys are id, rev, family, severity, name, pattern, flags, "
		"proto, ports, validator" },
	{ "key twice", GOOD "rev=2", 0, 1, -EINVAL, "key \"rev\" given twice" },
	{ "id 0", "sig id=0 " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"id \"0\" is not an integer in 1..2147483647" },
	{ "id not numeric", "sig id=abc " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"id \"abc\" is not an integer" },
	{ "id with trailing junk", "sig id=12x " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"id \"12x\" is not an integer" },
	{ "id negative", "sig id=-1 " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"id \"-1\" is not an integer" },
	{ "id INT32_MAX + 1", "sig id=2147483648 " REV FAMILY SEVERITY NAME PATTERN, 0, 1,
		-EINVAL, "id \"2147483648\" is not an integer in 1..2147483647" },
	{ "id beyond 64 bits", "sig id=99999999999999999999999 " REV FAMILY SEVERITY NAME PATTERN,
		0, 1, -EINVAL, "is not an integer in 1..2147483647" },
	{ "rev 0", "sig " ID "rev=0 " FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"rev \"0\" is not a positive integer" },
	{ "rev UINT32_MAX + 1", "sig " ID "rev=4294967296 " FAMILY SEVERITY NAME PATTERN, 0, 1,
		-EINVAL, "rev \"4294967296\" is not a positive integer" },
	{ "severity 0", "sig " ID REV FAMILY "severity=0 " NAME PATTERN, 0, 1, -EINVAL,
		"severity \"0\" must be 1 (high), 2 or 3 (low)" },
	{ "severity 4", "sig " ID REV FAMILY "severity=4 " NAME PATTERN, 0, 1, -EINVAL,
		"severity \"4\" must be 1 (high), 2 or 3 (low)" },
	{ "unknown family", "sig " ID REV "family=etsi " SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"unknown family \"etsi\"; use one of: etsi-x1, etsi-x2x3, etsi-hi" },
	{ "family is case-sensitive", "sig " ID REV "family=ERSPAN " SEVERITY NAME PATTERN, 0, 1,
		-EINVAL, "unknown family \"ERSPAN\"" },
	{ "unknown validator", GOOD "validator=x2", 0, 1, -EINVAL,
		"unknown validator \"x2\"; use one of: none, x2x3, ps-pdu, hi2, erspan" },
	{ "bad proto", GOOD "proto=icmp", 0, 1, -EINVAL,
		"proto \"icmp\": use one of tcp, udp, gre" },
	{ "proto is case-sensitive", GOOD "proto=TCP", 0, 1, -EINVAL, "proto \"TCP\"" },
	{ "proto as a number", GOOD "proto=6", 0, 1, -EINVAL, "proto \"6\"" },
	{ "port 0", GOOD "ports=0", 0, 1, -EINVAL,
		"ports \"0\": use any, config (the family's configured ports), "
		"or up to 16 comma-separated ports in 1..65535" },
	{ "port 65536", GOOD "ports=80,65536", 0, 1, -EINVAL, "ports \"80,65536\"" },
	{ "mitre without T", GOOD "mitre=1020.001", 0, 1, -EINVAL, "mitre \"1020.001\"" },
	{ "mitre short id", GOOD "mitre=T102", 0, 1, -EINVAL, "ATT&CK technique ids" },
	{ "mitre bad sub-technique", GOOD "mitre=T1020.01", 0, 1, -EINVAL, "mitre \"T1020.01\"" },
	{ "mitre trailing comma", GOOD "mitre=T1020,", 0, 1, -EINVAL, "mitre \"T1020,\"" },
	{ "mitre too long", GOOD "mitre=T1020.001,T1020.002,T1020.003,T1602", 0, 1, -EINVAL,
		"at most 31 characters" },
	{ "17 ports", GOOD "ports=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 0, 1, -EINVAL,
		"ports \"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\"" },
	{ "empty port in the list", GOOD "ports=1,,2", 0, 1, -EINVAL, "ports \"1,,2\"" },
	{ "leading comma", GOOD "ports=,80", 0, 1, -EINVAL, "ports \",80\"" },
	{ "trailing comma", GOOD "ports=80,", 0, 1, -EINVAL, "ports \"80,\"" },
	{ "empty ports", "sig ports= " ID REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"ports \"\"" },
	{ "port not numeric", GOOD "ports=http", 0, 1, -EINVAL, "ports \"http\"" },
	{ "config is case-sensitive", GOOD "ports=CONFIG", 0, 1, -EINVAL, "ports \"CONFIG\"" },
	{ "config in a list", GOOD "ports=config,80", 0, 1, -EINVAL,
		"ports \"config,80\": use any, config" },
	{ "quoted config with a space", GOOD "ports=\"config \"", 0, 1, -EINVAL,
		"ports \"config \"" },
	{ "bad flag", GOOD "flags=dotall,bogus", 0, 1, -EINVAL,
		"flags \"dotall,bogus\": use a comma list of caseless, dotall, multiline, singlematch" },
	{ "empty flag in the list", GOOD "flags=dotall,,caseless", 0, 1, -EINVAL,
		"flags \"dotall,,caseless\"" },
	{ "empty flags", "sig flags= " ID REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"flags \"\"" },
	{ "unterminated quote", "sig " ID REV FAMILY SEVERITY PATTERN "name=\"a name", 0, 1,
		-EINVAL, "unterminated quoted value for name" },
	{ "text after the closing quote", "sig " ID REV FAMILY SEVERITY PATTERN "name=\"a\"b", 0,
		1, -EINVAL, "value of name: text after the closing quote" },
	{ "empty name", "sig " ID REV FAMILY SEVERITY PATTERN "name=\"\"", 0, 1, -EINVAL,
		"name must have 1..95 characters" },
	{ "empty pattern", "sig " ID REV FAMILY SEVERITY NAME "pattern=\"\"", 0, 1, -EINVAL,
		"pattern must have 1..2047 characters" },
	{ "line not starting with sig", "rule " ID REV FAMILY SEVERITY NAME PATTERN, 0, 1,
		-EINVAL, "expected a line starting with \"sig \"" },
	{ "sig glued to a key", "sigid=1 " REV FAMILY SEVERITY NAME PATTERN, 0, 1, -EINVAL,
		"expected a line starting with \"sig \"" },
	{ "word without a value", GOOD "extra", 0, 1, -EINVAL,
		"expected key=value near \"extra\"" },
	{ "error on line 3 after two good lines",
		GOOD "\n" "sig id=2 rev=1 family=erspan severity=2 name=b pattern=b\n"
		"sig id=3 rev=1 family=erspan severity=9 name=c pattern=c\n", 0, 3, -EINVAL,
		"severity \"9\"" },
	{ "duplicate id names the first line",
		"# comment\n" "sig id=7 rev=1 family=erspan severity=1 name=a pattern=a\n" "\n"
		"sig id=7 rev=2 family=erspan severity=1 name=b pattern=b\n", 0, 4, -EEXIST,
		"sig id 7 already used on line 2: ids must be unique" },
	{ "pattern does not compile: line of that sig",
		"# comment\n" GOOD "\n" "# another comment\n"
		"sig id=2 rev=1 family=erspan severity=1 name=b pattern=\"(abc\"\n"
		"sig id=3 rev=1 family=erspan severity=1 name=c pattern=c\n# end\n", 0, 4, -EINVAL,
		"pattern of sig 2 does not compile: " },
	{ "pattern matching the empty buffer",
		"sig id=3 rev=1 family=erspan severity=1 name=b pattern=\"a*\"", 0, 1, -EINVAL,
		"pattern of sig 3 does not compile: " },
	{ "empty text", "", 0, 0, -ENOENT, "no signatures found: add \"sig ...\" lines" },
	{ "only comments and blank lines", "# one\n\n  # two\n\t\n", 0, 0, -ENOENT,
		"no signatures found" },
	{ "NUL byte on line 2", GOOD "\nsig id=2 rev=1\0 family=erspan severity=1 name=b "
		"pattern=b\n", sizeof(GOOD "\nsig id=2 rev=1\0 family=erspan severity=1 name=b "
		"pattern=b\n") - 1, 2, -EINVAL, "NUL byte in the rules text" },
	{ "NUL byte in a comment", "# a\0b\n" GOOD, sizeof("# a\0b\n" GOOD) - 1, 1, -EINVAL,
		"NUL byte" },
};

START_TEST(test_bad_table)
{
	const struct bad_case *c = &bad_cases[_i];
	size_t len = c->len != 0 ? c->len : strlen(c->text);
	struct tw_error err;
	struct tw_sig_db *db;

	memset(&err, 0, sizeof(err));
	rte_errno = 0;
	db = tw_sig_db_parse(c->text, len, TEST_NAME, &err);
	if (db != NULL)
		tw_sig_db_free(db);
	ck_assert_msg(db == NULL, "%s: accepted", c->name);
	ck_assert_msg(err.line == c->line, "%s: line %u, want %u (%s)", c->name, err.line,
			c->line, err.msg);
	ck_assert_msg(err.code == c->code, "%s: code %d, want %d", c->name, err.code, c->code);
	ck_assert_int_eq(rte_errno, -c->code);
	ck_assert_str_eq(err.file, TEST_NAME);
	ck_assert_msg(strstr(err.msg, c->msg) != NULL, "%s: message \"%s\" lacks \"%s\"",
			c->name, err.msg, c->msg);
}
END_TEST

/* The remedy lists every valid name: a new family or validator must show up. */
START_TEST(test_bad_names_listed)
{
	struct tw_error err;
	unsigned int i;

	ck_assert_ptr_null(parse_str("sig " ID REV "family=x " SEVERITY NAME PATTERN, &err));
	for (i = 0; i < TW_FAMILY_MAX; i++)
		ck_assert_msg(strstr(err.msg, tw_family_name(i)) != NULL,
				"family %s missing from \"%s\"", tw_family_name(i), err.msg);
	ck_assert_ptr_null(parse_str(GOOD "validator=x", &err));
	for (i = 0; i < TW_VALIDATOR_MAX; i++)
		ck_assert_msg(strstr(err.msg, tw_validator_name(i)) != NULL,
				"validator %s missing from \"%s\"", tw_validator_name(i), err.msg);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Loading files                                                             */
/* ------------------------------------------------------------------------ */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_load_missing)
{
	static const char path[] = "/nonexistent-tapwatch-dir/signatures.rules";
	struct tw_error err;

	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_db_load(path, &err));
	ck_assert_int_eq(rte_errno, ENOENT);
	ck_assert_int_eq(err.code, -ENOENT);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_str_eq(err.file, path);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open signature file"));

	ck_assert_ptr_null(tw_sig_db_load("", &err));
	ck_assert_int_eq(err.code, -ENOENT);
}
END_TEST

/*
 * A directory opens with fopen(); the loader means to say "not a regular
 * file" (tw_sig.c) rather than report its seek size or "no signatures".
 */
START_TEST(test_load_directory)
{
	char dir[] = "/tmp/tw_sig_dirXXXXXX";
	struct tw_error err;
	struct tw_sig_db *db;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tw_sig_db_load(dir, &err);
	rmdir(dir);
	tw_sig_db_free(db);
	ck_assert_ptr_null(db);
	ck_assert_int_ne(err.code, 0);
	ck_assert_str_eq(err.file, dir);
	ck_assert_msg(strstr(err.msg, "not a regular file") != NULL,
			"directory: code %d, message \"%s\"", err.code, err.msg);
}
END_TEST

START_TEST(test_load_files)
{
	char path[] = "/tmp/tw_sig_rulesXXXXXX";
	struct tw_error err;
	struct tw_sig_db *db;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);

	write_file(path, "# rules\n" GOOD "\n"
			"sig id=2 rev=1 family=erspan severity=2 name=b pattern=b\n");
	db = tw_sig_db_load(path, &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_uint_eq(tw_sig_db_count(db), 2);
	ck_assert_uint_eq(tw_sig_db_get(db, 1)->line, 3);
	tw_sig_db_free(db);

	/* errors name the file and the line */
	write_file(path, "# rules\n" GOOD "\n" "sig id=2 rev=1 family=nope severity=2 name=b "
			"pattern=b\n");
	ck_assert_ptr_null(tw_sig_db_load(path, &err));
	ck_assert_str_eq(err.file, path);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown family \"nope\""));

	/* empty file */
	write_file(path, "");
	ck_assert_ptr_null(tw_sig_db_load(path, &err));
	ck_assert_int_eq(err.code, -ENOENT);
	ck_assert_str_eq(err.file, path);

	/* over the 16 MiB limit (sparse) */
	ck_assert_int_eq(truncate(path, (16 << 20) + 1), 0);
	rte_errno = 0;
	ck_assert_ptr_null(tw_sig_db_load(path, &err));
	ck_assert_int_eq(rte_errno, EFBIG);
	ck_assert_int_eq(err.code, -EFBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "over the 16777216-byte limit"));
	unlink(path);
}
END_TEST

/* Line of "sig id=<id> " in a file, 0 if absent. */
static unsigned int
line_of_id(const char *path, uint32_t id)
{
	char buf[8192], want[32];
	unsigned int line = 0;
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	snprintf(want, sizeof(want), "sig id=%u ", id);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		line++;
		if (strncmp(buf, want, strlen(want)) == 0) {
			fclose(f);
			return line;
		}
	}
	fclose(f);
	return 0;
}

START_TEST(test_load_conf)
{
	static const uint32_t ids[] = {
		1000001, 1000002, 1000003, 1000004, 1000005, 1000006, 1000007, 1000008, 1000009,
		1000101, 1000102, 1000201, 1000202, 1000301, 1000302, 1000303, 1000401, 1000501,
		1000502, 1000601, 1000701, 1000801, 1000802,
	};
	/* Signatures per family, in enum tw_family order. */
	static const uint32_t per_family[TW_FAMILY_MAX] = {
		[TW_FAMILY_ETSI_X1] = 2, [TW_FAMILY_ETSI_X2X3] = 3, [TW_FAMILY_ETSI_HI] = 3,
		[TW_FAMILY_PACKETCABLE] = 1, [TW_FAMILY_CISCO_TAP_MIB] = 3,
		[TW_FAMILY_JUNIPER_DTCP] = 2, [TW_FAMILY_JMIRROR] = 2, [TW_FAMILY_REDBACK_LI] = 1,
		[TW_FAMILY_ERSPAN] = 3, [TW_FAMILY_TZSP] = 1, [TW_FAMILY_RPCAP] = 2,
	};
	const char *root = getenv("TW_SOURCE_ROOT");
	uint32_t counts[TW_FAMILY_MAX];
	const struct tw_sig *s;
	struct tw_error err;
	struct tw_sig_db *db;
	hs_scratch_t *scratch;
	char path[4096];
	unsigned int i;

	if (root == NULL) {
		fprintf(stderr, "test_load_conf: TW_SOURCE_ROOT unset, skipped\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/conf/signatures.rules", root);
	db = tw_sig_db_load(path, &err);
	ck_assert_msg(db != NULL, "%s:%u: %s", err.file, err.line, err.msg);
	ck_assert_uint_eq(tw_sig_db_count(db), RTE_DIM(ids));
	for (i = 0; i < RTE_DIM(ids); i++) {
		s = tw_sig_db_get(db, i);
		ck_assert_uint_eq(s->id, ids[i]);
		ck_assert_uint_eq(s->severity, 1);
		ck_assert_uint_ne(s->validator, TW_VALIDATOR_NONE);
		ck_assert_uint_eq(s->line, line_of_id(path, ids[i]));
	}
	tw_sig_db_family_counts(db, counts);
	for (i = 0; i < TW_FAMILY_MAX; i++)
		ck_assert_msg(counts[i] == per_family[i], "%s: %u, want %u", tw_family_name(i),
				counts[i], per_family[i]);
	scratch = tw_sig_scratch_alloc(db);
	ck_assert_ptr_nonnull(scratch);
	tw_sig_scratch_free(scratch);
	tw_sig_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Scan                                                                      */
/* ------------------------------------------------------------------------ */

#define X_XID "6f1c2f9a 3e4b4c1d 9a2b0c1d 2e3f4a5b"
#define X_CID "00000000 00000007"
/* IPv4/UDP 10.0.0.1:12345 -> 10.0.0.2:53, 28 bytes */
#define IPV4_UDP "4500001c 00010000 4011f96c 0a000001 0a000002 30390035 00080000"
/* X3 xCC, format 5 (IPv4), direction 3 (from target), no TLVs. */
#define X_X3 "0005 0002 00000028 0000001c 0005 0003" X_XID X_CID IPV4_UDP
/* Near miss: format 9 (SIP) is X2 only. */
#define X_X3_FMT9 "0005 0002 00000028 0000001c 0009 0003" X_XID X_CID IPV4_UDP
/* ERSPAN type II (zeek erspanII.pcap) from the GRE header on. */
#define ERSPAN_II "10 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00" \
	"64 00 f1 e1 03 03 64 00 f1 e1 02 02 08 00 45 00 00 64"

enum { S_X2X3, S_ERSPAN, S_TZSP, S_NEEDLE, S_HAYSTACK, S_NB };

static const char scan_rules[] =
	"# scan test rules\n"
	"sig id=101 rev=1 family=etsi-x2x3 severity=1 proto=tcp validator=x2x3 "
	"pattern=\"^\\x00[\\x01-\\x0f]\\x00[\\x01-\\x04]\" name=\"x2x3 over tcp\"\n"
	"sig id=102 rev=1 family=erspan severity=2 proto=gre validator=erspan "
	"pattern=\"^[\\x00\\x10\\x20\\x30]\\x00(?:\\x88\\xbe|\\x22\\xeb)\" name=\"erspan\"\n"
	"sig id=103 rev=2 family=tzsp severity=3 proto=udp ports=37008,5555 "
	"pattern=\"TZSPTEST\" name=\"tzsp marker\"\n"
	"sig id=104 rev=1 family=rpcap severity=2 flags=caseless pattern=\"needle\" "
	"name=\"needle\"\n"
	"sig id=105 rev=1 family=jmirror severity=2 pattern=\"haystack\" name=\"haystack\"\n";

struct scan_env {
	struct tw_sig_db *db;
	hs_scratch_t *scratch;
	uint8_t buf[VEC_MAX];
};

static void
scan_env_init(struct scan_env *e)
{
	struct tw_error err;

	e->db = parse_str(scan_rules, &err);
	ck_assert_msg(e->db != NULL, "line %u: %s", err.line, err.msg);
	ck_assert_uint_eq(tw_sig_db_count(e->db), S_NB);
	ck_assert_uint_eq(tw_sig_db_get(e->db, S_X2X3)->id, 101);
	ck_assert_uint_eq(tw_sig_db_get(e->db, S_HAYSTACK)->id, 105);
	e->scratch = tw_sig_scratch_alloc(e->db);
	ck_assert_ptr_nonnull(e->scratch);
}

static void
scan_env_free(struct scan_env *e)
{
	tw_sig_scratch_free(e->scratch);
	tw_sig_db_free(e->db);
}

static void
meta_init(struct tw_pkt_meta *m, uint8_t proto, uint16_t sport, uint16_t dport)
{
	memset(m, 0, sizeof(*m));
	m->status = TW_PKT_OK;
	m->l3 = 4;
	m->proto = proto;
	m->sport = sport;
	m->dport = dport;
}

/* Scan with a hits array of 8 whose unused entries must stay untouched. */
static int
scan(struct scan_env *e, const struct tw_pkt_meta *m, const uint8_t *p, uint32_t len,
		struct tw_sig_hit *hits, unsigned int max_hits, uint64_t *cand)
{
	struct tw_sig_hit canary;
	unsigned int i;
	int n;

	ck_assert_uint_le(max_hits, 8);
	memset(hits, 0xa5, 8 * sizeof(*hits));
	memset(&canary, 0xa5, sizeof(canary));
	n = tw_sig_scan(e->db, e->scratch, m, p, len, hits, max_hits, cand);
	ck_assert_int_ge(n, 0);
	ck_assert_int_le(n, (int)max_hits);
	for (i = (unsigned int)n; i < 8; i++)
		ck_assert_msg(memcmp(&hits[i], &canary, sizeof(canary)) == 0,
				"hit %u written beyond the %d returned", i, n);
	return n;
}

START_TEST(test_scan_x2x3)
{
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;
	uint32_t len;

	scan_env_init(&e);
	len = hex_decode(X_X3, e.buf, sizeof(e.buf));
	meta_init(&m, 6, 40000, 9000);
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 1);
	ck_assert_uint_eq(cand, 1);
	ck_assert_uint_eq(hits[0].sig_idx, S_X2X3);
	ck_assert_uint_eq(hits[0].detail.kind, TW_LI_KIND_X2X3);
	ck_assert_uint_eq(hits[0].detail.x2x3.pdu_type, 2);
	ck_assert_uint_eq(hits[0].detail.x2x3.payload_format, 5);
	ck_assert_uint_eq(hits[0].detail.x2x3.payload_direction, 3);
	ck_assert_uint_eq(hits[0].detail.x2x3.header_len, 40);
	ck_assert_uint_eq(hits[0].detail.x2x3.payload_len, 28);
	ck_assert_mem_eq(hits[0].detail.x2x3.xid, e.buf + 16, 16);

	/* the candidate count accumulates */
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 1);
	ck_assert_uint_eq(cand, 2);
	/* and is optional */
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, NULL), 1);

	/* proto constraint: the tcp signature does not fire on UDP */
	meta_init(&m, 17, 40000, 9000);
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 3);
	meta_init(&m, 47, 0, 0);
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, NULL), 0);
	scan_env_free(&e);
}
END_TEST

/* The pattern matches, the validator says no: no hit, one candidate. */
START_TEST(test_scan_validator_rejects)
{
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;
	uint32_t len;

	scan_env_init(&e);
	meta_init(&m, 6, 40000, 9000);
	len = hex_decode(X_X3_FMT9, e.buf, sizeof(e.buf));
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 1);

	/* a whole PDU cut to its first 39 bytes */
	len = hex_decode(X_X3, e.buf, sizeof(e.buf));
	ck_assert_int_eq(scan(&e, &m, e.buf, 39, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 2);

	/* ERSPAN pattern, inner ethertype the validator refuses */
	meta_init(&m, 47, 0, 0);
	len = hex_decode("10 00 88 be 00 00 07 04 10 17 08 64 00 00 00 00"
			"64 00 f1 e1 03 03 64 00 f1 e1 02 02 05 ff 45 00 00 64", e.buf, sizeof(e.buf));
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 3);
	scan_env_free(&e);
}
END_TEST

START_TEST(test_scan_erspan)
{
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;
	uint32_t len;

	scan_env_init(&e);
	meta_init(&m, 47, 0, 0);
	len = hex_decode(ERSPAN_II, e.buf, sizeof(e.buf));
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 1);
	ck_assert_uint_eq(cand, 1);
	ck_assert_uint_eq(hits[0].sig_idx, S_ERSPAN);
	ck_assert_uint_eq(hits[0].detail.kind, TW_LI_KIND_ERSPAN);
	ck_assert_uint_eq(hits[0].detail.erspan.type, 2);
	ck_assert_uint_eq(hits[0].detail.erspan.session_id, 100);
	ck_assert_uint_eq(hits[0].detail.erspan.vlan, 23);
	ck_assert_uint_eq(hits[0].detail.erspan.gre_proto, 0x88be);
	ck_assert_uint_eq(hits[0].detail.erspan.inner_ethertype, 0x0800);

	/* gre signature, tcp packet */
	meta_init(&m, 6, 1, 2);
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, NULL), 0);
	scan_env_free(&e);
}
END_TEST

/* Ports match either the source or the destination port. */
START_TEST(test_scan_ports)
{
	static const struct {
		uint8_t proto;
		uint16_t sport, dport;
		int hits;
	} cases[] = {
		{ 17, 37008, 1, 1 },
		{ 17, 1, 37008, 1 },
		{ 17, 5555, 60000, 1 },
		{ 17, 60000, 5555, 1 },
		{ 17, 1, 2, 0 },
		{ 17, 37009, 5556, 0 },
		{ 17, 0, 0, 0 },
		{ 6, 37008, 5555, 0 },	/* right ports, wrong protocol */
	};
	static const uint8_t payload[] = "..TZSPTEST..";
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand;
	unsigned int i;

	scan_env_init(&e);
	for (i = 0; i < RTE_DIM(cases); i++) {
		meta_init(&m, cases[i].proto, cases[i].sport, cases[i].dport);
		cand = 0;
		ck_assert_msg(scan(&e, &m, payload, sizeof(payload) - 1, hits, 8, &cand) ==
				cases[i].hits, "case %u", i);
		ck_assert_uint_eq(cand, 1);
		if (cases[i].hits > 0) {
			ck_assert_uint_eq(hits[0].sig_idx, S_TZSP);
			ck_assert_uint_eq(hits[0].detail.kind, TW_LI_KIND_NONE);
		}
	}
	scan_env_free(&e);
}
END_TEST

/* One report per signature, however often its pattern occurs. */
START_TEST(test_scan_once_per_sig)
{
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;
	uint32_t len = 0;
	unsigned int i;

	scan_env_init(&e);
	meta_init(&m, 6, 1, 2);
	for (i = 0; i < 100; i++) {
		memcpy(e.buf + len, i % 2 ? "NeEdLe " : "needle ", 7);
		len += 7;
	}
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, &cand), 1);
	ck_assert_uint_eq(hits[0].sig_idx, S_NEEDLE);
	ck_assert_uint_le(cand, 1);

	/* two signatures, each many times */
	len = 0;
	for (i = 0; i < 50; i++) {
		memcpy(e.buf + len, "needle haystack ", 16);
		len += 16;
	}
	ck_assert_int_eq(scan(&e, &m, e.buf, len, hits, 8, NULL), 2);
	ck_assert_uint_ne(hits[0].sig_idx, hits[1].sig_idx);
	ck_assert(hits[0].sig_idx == S_NEEDLE || hits[0].sig_idx == S_HAYSTACK);
	ck_assert(hits[1].sig_idx == S_NEEDLE || hits[1].sig_idx == S_HAYSTACK);
	scan_env_free(&e);
}
END_TEST

START_TEST(test_scan_max_hits)
{
	static const uint8_t payload[] = "a haystack with a needle";
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];

	scan_env_init(&e);
	meta_init(&m, 17, 1, 2);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 8, NULL), 2);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 2, NULL), 2);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 1, NULL), 1);
	ck_assert(hits[0].sig_idx == S_NEEDLE || hits[0].sig_idx == S_HAYSTACK);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 0, NULL), 0);
	scan_env_free(&e);
}
END_TEST

START_TEST(test_scan_bad_args)
{
	static const uint8_t payload[] = "needle";
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;

	scan_env_init(&e);
	meta_init(&m, 6, 1, 2);
	ck_assert_int_eq(scan(&e, &m, payload, 6, hits, 8, &cand), 1);
	cand = 0;
	ck_assert_int_eq(scan(&e, &m, payload, 0, hits, 8, &cand), 0);
	ck_assert_int_eq(tw_sig_scan(NULL, e.scratch, &m, payload, 6, hits, 8, &cand), 0);
	ck_assert_int_eq(tw_sig_scan(e.db, NULL, &m, payload, 6, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 0);
	/* a prefix that stops short of the pattern */
	ck_assert_int_eq(scan(&e, &m, payload, 5, hits, 8, &cand), 0);
	ck_assert_uint_eq(cand, 0);
	scan_env_free(&e);
}
END_TEST

/* Flags reach Hyperscan: caseless here, not without it. */
START_TEST(test_scan_flags)
{
	static const uint8_t upper[] = "HAYSTACK NEEDLE";
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];

	scan_env_init(&e);
	meta_init(&m, 6, 1, 2);
	ck_assert_int_eq(scan(&e, &m, upper, sizeof(upper) - 1, hits, 8, NULL), 1);
	ck_assert_uint_eq(hits[0].sig_idx, S_NEEDLE);
	scan_env_free(&e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ports=config                                                              */
/* ------------------------------------------------------------------------ */

enum { C_JMIRROR, C_PCABLE, C_JM_ANY, C_JM_LIST, C_NB };

static const char config_rules[] =
	"sig id=201 rev=1 family=jmirror severity=2 proto=udp ports=config pattern=\"JMTEST\" "
	"name=\"jmirror on the configured ports\"\n"
	"sig id=202 rev=1 family=packetcable severity=2 ports=config pattern=\"PCTEST\" "
	"name=\"packetcable on the configured ports\"\n"
	"sig id=203 rev=1 family=jmirror severity=2 ports=any pattern=\"JMANY\" "
	"name=\"jmirror on any port\"\n"
	"sig id=204 rev=1 family=jmirror severity=2 ports=7000 pattern=\"JMLIST\" "
	"name=\"jmirror on its own list\"\n";

static void
config_env_init(struct scan_env *e)
{
	struct tw_error err;

	e->db = parse_str(config_rules, &err);
	ck_assert_msg(e->db != NULL, "line %u: %s", err.line, err.msg);
	ck_assert_uint_eq(tw_sig_db_count(e->db), C_NB);
	ck_assert_uint_eq(tw_sig_db_get(e->db, C_JMIRROR)->ports_config, 1);
	ck_assert_uint_eq(tw_sig_db_get(e->db, C_JMIRROR)->nb_ports, 0);
	ck_assert_uint_eq(tw_sig_db_get(e->db, C_JM_ANY)->ports_config, 0);
	ck_assert_uint_eq(tw_sig_db_get(e->db, C_JM_LIST)->ports_config, 0);
	e->scratch = tw_sig_scratch_alloc(e->db);
	ck_assert_ptr_nonnull(e->scratch);
}

/* Hits of @p text on a UDP packet between @p sport and @p dport: -1 none,
 * else the index of the only hit. */
static int
config_hit(struct scan_env *e, const char *text, uint16_t sport, uint16_t dport)
{
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];
	uint64_t cand = 0;
	int n;

	meta_init(&m, 17, sport, dport);
	n = scan(e, &m, (const uint8_t *)text, (uint32_t)strlen(text), hits, 8, &cand);
	ck_assert_uint_eq(cand, 1);
	ck_assert_int_le(n, 1);
	return n == 0 ? -1 : (int)hits[0].sig_idx;
}

START_TEST(test_set_ports_invalid)
{
	static const uint16_t ports[] = { 30030 };
	struct scan_env e;

	config_env_init(&e);
	ck_assert_int_eq(tw_sig_db_set_ports(NULL, TW_FAMILY_JMIRROR, ports, 1), -EINVAL);
	ck_assert_int_eq(tw_sig_db_set_ports(NULL, TW_FAMILY_JMIRROR, NULL, 0), -EINVAL);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_MAX, ports, 1), -EINVAL);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, ~0u, ports, 1), -EINVAL);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, NULL, 1), -EINVAL);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, NULL, 65536), -EINVAL);
	/* refused calls changed nothing: still any port */
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 2), C_JMIRROR);
	/* the last family is in range */
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_MAX - 1, ports, 1), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 2), C_JMIRROR);
	scan_env_free(&e);
}
END_TEST

START_TEST(test_scan_ports_config)
{
	static const uint16_t jm[] = { 30030 };
	static const uint16_t pc[] = { 9000, 10741 };
	static const uint16_t tz[] = { 37008 };
	struct scan_env e;

	config_env_init(&e);
	/* no list yet: any port */
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 2), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 0, 0), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "PCTEST", 40000, 443), C_PCABLE);
	/* another family's list does not bind jmirror */
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_TZSP, tz, 1), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 2), C_JMIRROR);

	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, jm, RTE_DIM(jm)), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30030, 2), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 2, 30030), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30030, 30030), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 2), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30029, 30031), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 0, 0), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 37008, 9000), -1);	/* others' ports */
	/* packetcable still unbound; jmirror's ports=any and ports=7000 untouched */
	ck_assert_int_eq(config_hit(&e, "PCTEST", 1, 2), C_PCABLE);
	ck_assert_int_eq(config_hit(&e, "JMANY", 1, 2), C_JM_ANY);
	ck_assert_int_eq(config_hit(&e, "JMLIST", 7000, 2), C_JM_LIST);
	ck_assert_int_eq(config_hit(&e, "JMLIST", 30030, 2), -1);

	/* packetcable's list binds packetcable only */
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_PACKETCABLE, pc, RTE_DIM(pc)), 0);
	ck_assert_int_eq(config_hit(&e, "PCTEST", 10741, 2), C_PCABLE);
	ck_assert_int_eq(config_hit(&e, "PCTEST", 1, 9000), C_PCABLE);
	ck_assert_int_eq(config_hit(&e, "PCTEST", 30030, 2), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 9000, 10741), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 9000, 30030), C_JMIRROR);
	scan_env_free(&e);
}
END_TEST

/* A second call replaces the list; the bitmap covers both ends of the range. */
START_TEST(test_set_ports_replace)
{
	static const uint16_t first[] = { 30030 };
	static const uint16_t second[] = { 5555, 65535, 1, 5555 };
	struct scan_env e;

	config_env_init(&e);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, first, 1), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30030, 2), C_JMIRROR);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, second,
			RTE_DIM(second)), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30030, 2), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 5555, 2), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 2, 65535), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 1, 3), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 65534, 5554), -1);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 5556, 2), -1);
	/* and back; the replaced bitmaps are freed (valgrind) */
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, first, 1), 0);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 30030, 2), C_JMIRROR);
	ck_assert_int_eq(config_hit(&e, "JMTEST", 5555, 2), -1);
	/* an empty list is a valid call */
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, NULL, 0), 0);
	scan_env_free(&e);
}
END_TEST

/* The protocol constraint still applies on a configured port. */
START_TEST(test_scan_ports_config_proto)
{
	static const uint16_t jm[] = { 30030 };
	static const uint8_t payload[] = "JMTEST";
	struct scan_env e;
	struct tw_pkt_meta m;
	struct tw_sig_hit hits[8];

	config_env_init(&e);
	ck_assert_int_eq(tw_sig_db_set_ports(e.db, TW_FAMILY_JMIRROR, jm, 1), 0);
	meta_init(&m, 6, 30030, 2);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 8, NULL), 0);
	meta_init(&m, 17, 30030, 2);
	ck_assert_int_eq(scan(&e, &m, payload, sizeof(payload) - 1, hits, 8, NULL), 1);
	scan_env_free(&e);
}
END_TEST

static Suite *
sig_suite(void)
{
	Suite *s = suite_create("sig");
	TCase *tc;

	tc = tcase_create("args");
	tcase_add_test(tc, test_parse_null);
	tcase_add_test(tc, test_parse_default_name);
	tcase_add_test(tc, test_null_db);
	tcase_add_test(tc, test_load_null);
	tcase_add_test(tc, test_scan_bad_args);
	tcase_add_test(tc, test_set_ports_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse-errors");
	tcase_add_loop_test(tc, test_bad_table, 0, RTE_DIM(bad_cases));
	tcase_add_test(tc, test_bad_names_listed);
	tcase_add_test(tc, test_line_length);
	tcase_add_test(tc, test_too_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_good_table, 0, RTE_DIM(good_cases));
	tcase_add_test(tc, test_name_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_missing);
	tcase_add_test(tc, test_load_directory);
	tcase_add_test(tc, test_load_files);
	tcase_add_test(tc, test_load_conf);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_x2x3);
	tcase_add_test(tc, test_scan_validator_rejects);
	tcase_add_test(tc, test_scan_erspan);
	tcase_add_test(tc, test_scan_ports);
	tcase_add_test(tc, test_scan_once_per_sig);
	tcase_add_test(tc, test_scan_max_hits);
	tcase_add_test(tc, test_scan_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("ports-config");
	tcase_add_test(tc, test_scan_ports_config);
	tcase_add_test(tc, test_set_ports_replace);
	tcase_add_test(tc, test_scan_ports_config_proto);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sig_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
