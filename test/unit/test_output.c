/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Output tests without sockets: the RFC 5424 formatter and RFC 6587
 * octet-counting framing (lib/tw_syslog.c), and the "outputs" config
 * (lib/tw_config.c) with -o's override. The outputs against real servers
 * are test/e2e/outputs.py.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <rte_common.h>

#include "tw_config.h"
#include "tw_syslog.h"

#define TEST_NAME "<test>"
/* 2026-01-01T00:00:00.201007Z */
#define T0_NS 1767225600201007999ull
#define JSON "{\"event_type\":\"alert\",\"alert\":{\"severity\":1}}"

/* --- facility, severity, fields, timestamp -------------------------------- */

START_TEST(test_facility)
{
	static const char *const names[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
		"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
		"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++) {
		ck_assert_int_eq(tw_syslog_facility_from_name(names[i]), (int)i);
		ck_assert_str_eq(tw_syslog_facility_name(i), names[i]);
	}
	ck_assert_int_eq(tw_syslog_facility_from_name("local5"), TW_SYSLOG_FACILITY_LOCAL5);
	ck_assert_int_eq(tw_syslog_facility_from_name(NULL), -EINVAL);
	ck_assert_int_eq(tw_syslog_facility_from_name(""), -EINVAL);
	ck_assert_int_eq(tw_syslog_facility_from_name("local8"), -EINVAL);
	ck_assert_int_eq(tw_syslog_facility_from_name("LOCAL5"), -EINVAL);
	ck_assert_int_eq(tw_syslog_facility_from_name("21"), -EINVAL);
	ck_assert_ptr_null(tw_syslog_facility_name(24));
	ck_assert_ptr_null(tw_syslog_facility_name(UINT_MAX));
}
END_TEST

START_TEST(test_severity)
{
	ck_assert_uint_eq(tw_syslog_severity_from_alert(1), TW_SYSLOG_CRIT);
	ck_assert_uint_eq(tw_syslog_severity_from_alert(2), TW_SYSLOG_ERR);
	ck_assert_uint_eq(tw_syslog_severity_from_alert(3), TW_SYSLOG_NOTICE);
	ck_assert_uint_eq(tw_syslog_severity_from_alert(0), TW_SYSLOG_WARNING);
	ck_assert_uint_eq(tw_syslog_severity_from_alert(4), TW_SYSLOG_WARNING);
	ck_assert_uint_eq(tw_syslog_severity_from_alert(255), TW_SYSLOG_WARNING);
}
END_TEST

START_TEST(test_field_valid)
{
	char s[300];

	ck_assert_int_eq(tw_syslog_field_valid(NULL, 48), 0);
	ck_assert_int_eq(tw_syslog_field_valid("", 48), 0);
	ck_assert_int_eq(tw_syslog_field_valid("tapwatch", 48), 1);
	ck_assert_int_eq(tw_syslog_field_valid("!~", 2), 1);
	ck_assert_int_eq(tw_syslog_field_valid("tap watch", 48), 0);
	ck_assert_int_eq(tw_syslog_field_valid("tap\twatch", 48), 0);
	ck_assert_int_eq(tw_syslog_field_valid("t\x7f", 48), 0);
	ck_assert_int_eq(tw_syslog_field_valid("caf\xc3\xa9", 48), 0);
	memset(s, 'a', sizeof(s));
	s[48] = '\0';
	ck_assert_int_eq(tw_syslog_field_valid(s, 48), 1);
	s[48] = 'a';
	s[49] = '\0';
	ck_assert_int_eq(tw_syslog_field_valid(s, 48), 0);
	s[49] = 'a';
	s[255] = '\0';
	ck_assert_int_eq(tw_syslog_field_valid(s, TW_SYSLOG_HOSTNAME_MAX), 1);
}
END_TEST

START_TEST(test_timestamp)
{
	char buf[64];

	ck_assert_int_eq(tw_syslog_timestamp(0, buf, sizeof(buf)), 27);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00.000000Z");
	ck_assert_int_eq(tw_syslog_timestamp(T0_NS, buf, sizeof(buf)), 27);
	ck_assert_str_eq(buf, "2026-01-01T00:00:00.201007Z");
	ck_assert_int_eq(tw_syslog_timestamp(T0_NS, buf, 28), 27);
	ck_assert_int_eq(tw_syslog_timestamp(T0_NS, buf, 27), -ENOSPC);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(tw_syslog_timestamp(T0_NS, NULL, 64), -EINVAL);
	/* The last nanosecond a uint64_t holds. */
	ck_assert_int_eq(tw_syslog_timestamp(UINT64_MAX, buf, sizeof(buf)), 27);
	ck_assert_str_eq(buf, "2554-07-21T23:34:33.709551Z");
}
END_TEST

/* --- the message ------------------------------------------------------------ */

static const struct tw_syslog_header hdr_alert = {
	.facility = TW_SYSLOG_FACILITY_LOCAL5,
	.severity = TW_SYSLOG_CRIT,
	.hostname = "probe-1.example.net",
	.app_name = "tapwatch",
	.procid = "4242",
	.msgid = "alert",
};
#define ALERT_HDR "<170>1 2026-01-01T00:00:00.201007Z probe-1.example.net tapwatch 4242 alert - "

START_TEST(test_format)
{
	struct tw_syslog_header h = hdr_alert;
	char buf[512];
	int n;

	n = tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, strlen(JSON),
			TW_SYSLOG_FRAME_NONE);
	ck_assert_int_eq(n, (int)strlen(ALERT_HDR JSON));
	ck_assert_int_eq(memcmp(buf, ALERT_HDR JSON, (size_t)n), 0);

	/* PRI = facility * 8 + severity, over the whole range. */
	h.facility = 0;
	h.severity = TW_SYSLOG_EMERG;
	n = tw_syslog_format(buf, sizeof(buf), &h, T0_NS, NULL, 0, TW_SYSLOG_FRAME_NONE);
	ck_assert_int_ge(n, 4);
	ck_assert_int_eq(memcmp(buf, "<0>1 ", 5), 0);
	h.facility = 23;
	h.severity = TW_SYSLOG_DEBUG;
	n = tw_syslog_format(buf, sizeof(buf), &h, T0_NS, NULL, 0, TW_SYSLOG_FRAME_NONE);
	ck_assert_int_eq(memcmp(buf, "<191>1 ", 7), 0);

	/* NULL and empty fields are the NILVALUE; no MSG, no trailing space. */
	h = hdr_alert;
	h.hostname = NULL;
	h.app_name = "";
	h.procid = NULL;
	h.msgid = "";
	n = tw_syslog_format(buf, sizeof(buf), &h, T0_NS, NULL, 0, TW_SYSLOG_FRAME_NONE);
	ck_assert_int_eq(n, (int)strlen("<170>1 2026-01-01T00:00:00.201007Z - - - - -"));
	ck_assert_int_eq(memcmp(buf, "<170>1 2026-01-01T00:00:00.201007Z - - - - -", (size_t)n),
			0);
}
END_TEST

START_TEST(test_format_octet)
{
	char buf[512], want[512];
	size_t off = 0, len = 0;
	int n, w;

	w = snprintf(want, sizeof(want), "%zu %s", strlen(ALERT_HDR JSON), ALERT_HDR JSON);
	n = tw_syslog_format(buf, sizeof(buf), &hdr_alert, T0_NS, JSON, strlen(JSON),
			TW_SYSLOG_FRAME_OCTET);
	ck_assert_int_eq(n, w);
	ck_assert_int_eq(memcmp(buf, want, (size_t)n), 0);
	/* What a receiver reads back is the unframed message. */
	ck_assert_int_eq(tw_syslog_deframe(buf, (size_t)n, &off, &len), n);
	ck_assert_uint_eq(len, strlen(ALERT_HDR JSON));
	ck_assert_int_eq(memcmp(buf + off, ALERT_HDR JSON, len), 0);
}
END_TEST

/* Every size short of the message is refused whole, the exact size is enough. */
START_TEST(test_format_sizes)
{
	enum tw_syslog_framing framing = _i == 0 ? TW_SYSLOG_FRAME_NONE : TW_SYSLOG_FRAME_OCTET;
	char full[512], *buf;
	int n, m;
	size_t size;

	n = tw_syslog_format(full, sizeof(full), &hdr_alert, T0_NS, JSON, strlen(JSON), framing);
	ck_assert_int_gt(n, 0);
	for (size = 0; size <= (size_t)n; size++) {
		/* Exactly sized heap buffers: ASan sees any write past the end. */
		buf = malloc(size > 0 ? size : 1);
		ck_assert_ptr_nonnull(buf);
		m = tw_syslog_format(buf, size, &hdr_alert, T0_NS, JSON, strlen(JSON), framing);
		if (size < (size_t)n) {
			ck_assert_msg(m == -ENOSPC, "size %zu: %d", size, m);
		} else {
			ck_assert_int_eq(m, n);
			ck_assert_int_eq(memcmp(buf, full, (size_t)n), 0);
		}
		free(buf);
	}
}
END_TEST

START_TEST(test_format_invalid)
{
	struct tw_syslog_header h;
	char buf[512], big[300];

	ck_assert_int_eq(tw_syslog_format(NULL, 10, &hdr_alert, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), NULL, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &hdr_alert, T0_NS, NULL, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &hdr_alert, T0_NS, JSON, 4,
			(enum tw_syslog_framing)7), -EINVAL);
	h = hdr_alert;
	h.facility = 24;
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	h = hdr_alert;
	h.severity = 8;
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	h = hdr_alert;
	h.hostname = "probe 1";
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	h = hdr_alert;
	memset(big, 'a', sizeof(big));
	big[TW_SYSLOG_APP_NAME_MAX + 1] = '\0';
	h.app_name = big;
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	big[TW_SYSLOG_APP_NAME_MAX] = '\0';
	ck_assert_int_gt(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), 0);
	h = hdr_alert;
	memset(big, 'm', sizeof(big));
	big[TW_SYSLOG_MSGID_MAX + 1] = '\0';
	h.msgid = big;
	ck_assert_int_eq(tw_syslog_format(buf, sizeof(buf), &h, T0_NS, JSON, 4,
			TW_SYSLOG_FRAME_NONE), -EINVAL);
	/* The longest valid header fits TW_SYSLOG_HEADER_MAX. */
	{
		char host[TW_SYSLOG_HOSTNAME_MAX + 1], app[TW_SYSLOG_APP_NAME_MAX + 1];
		char proc[TW_SYSLOG_PROCID_MAX + 1], mid[TW_SYSLOG_MSGID_MAX + 1];
		char out[TW_SYSLOG_HEADER_MAX + 8];
		int n;

		memset(host, 'h', sizeof(host) - 1);
		host[sizeof(host) - 1] = '\0';
		memset(app, 'a', sizeof(app) - 1);
		app[sizeof(app) - 1] = '\0';
		memset(proc, 'p', sizeof(proc) - 1);
		proc[sizeof(proc) - 1] = '\0';
		memset(mid, 'm', sizeof(mid) - 1);
		mid[sizeof(mid) - 1] = '\0';
		h.facility = 23;
		h.severity = 7;
		h.hostname = host;
		h.app_name = app;
		h.procid = proc;
		h.msgid = mid;
		n = tw_syslog_format(out, sizeof(out), &h, T0_NS, "x", 1, TW_SYSLOG_FRAME_OCTET);
		ck_assert_int_gt(n, 0);
		ck_assert_int_le(n - 1, TW_SYSLOG_HEADER_MAX);
	}
}
END_TEST

/* --- octet-counting framing --------------------------------------------------- */

START_TEST(test_frame)
{
	char buf[64];
	size_t off = 0, len = 0;

	ck_assert_int_eq(tw_syslog_frame(buf, sizeof(buf), "hello", 5), 7);
	ck_assert_int_eq(memcmp(buf, "5 hello", 7), 0);
	ck_assert_int_eq(tw_syslog_frame(buf, 7, "hello", 5), 7);
	ck_assert_int_eq(tw_syslog_frame(buf, 6, "hello", 5), -ENOSPC);
	ck_assert_int_eq(tw_syslog_frame(buf, sizeof(buf), "0123456789", 10), 13);
	ck_assert_int_eq(memcmp(buf, "10 0123456789", 13), 0);
	ck_assert_int_eq(tw_syslog_frame(buf, sizeof(buf), NULL, 0), 2);
	ck_assert_int_eq(memcmp(buf, "0 ", 2), 0);
	ck_assert_int_eq(tw_syslog_frame(NULL, 10, "x", 1), -EINVAL);
	ck_assert_int_eq(tw_syslog_frame(buf, sizeof(buf), NULL, 1), -EINVAL);
	ck_assert_int_eq(tw_syslog_deframe(NULL, 1, &off, &len), -EINVAL);
	ck_assert_int_eq(tw_syslog_deframe("1 x", 3, NULL, &len), -EINVAL);
}
END_TEST

/* A stream of frames, read back whatever the cut of the reads. */
START_TEST(test_deframe_stream)
{
	static const char *const msgs[] = { "a", "<14>1 - - - - - -", JSON, "0123456789" };
	char stream[512];
	size_t used = 0, off, len, at;
	unsigned int i, k;
	int n;

	for (i = 0; i < RTE_DIM(msgs); i++) {
		n = tw_syslog_frame(stream + used, sizeof(stream) - used, msgs[i], strlen(msgs[i]));
		ck_assert_int_gt(n, 0);
		used += (size_t)n;
	}
	for (at = 0, k = 0; k < RTE_DIM(msgs); k++) {
		size_t cut;

		/* Every prefix of the next frame is "not yet". */
		n = 0;
		for (cut = 0; cut <= used - at; cut++) {
			n = tw_syslog_deframe(stream + at, cut, &off, &len);
			if (n != 0)
				break;
		}
		ck_assert_int_gt(n, 0);
		ck_assert_uint_eq(len, strlen(msgs[k]));
		ck_assert_int_eq(memcmp(stream + at + off, msgs[k], len), 0);
		ck_assert_uint_eq(cut, (size_t)n);
		at += (size_t)n;
	}
	ck_assert_uint_eq(at, used);
}
END_TEST

START_TEST(test_deframe_bad)
{
	static const char *const bad[] = {
		"x", " 5 hello", "05 hello", "0x5 hello", "5hello", "5\thello", "-5 hello",
		"99999999999 x",
	};
	size_t off, len;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++)
		ck_assert_msg(tw_syslog_deframe(bad[i], strlen(bad[i]), &off, &len) == -EINVAL,
				"\"%s\"", bad[i]);
	/* Partial: digits only, or a length past the data. */
	ck_assert_int_eq(tw_syslog_deframe("12", 2, &off, &len), 0);
	ck_assert_int_eq(tw_syslog_deframe("12 abc", 6, &off, &len), 0);
	ck_assert_int_eq(tw_syslog_deframe("", 0, &off, &len), 0);
}
END_TEST

/* --- the "outputs" config -------------------------------------------------------- */

static int
parse_str(const char *text, struct tw_config *cfg, struct tw_error *err)
{
	return tw_config_parse(text, strlen(text), TEST_NAME, cfg, err);
}

START_TEST(test_config_default_output)
{
	struct tw_config c;
	struct tw_error err;

	tw_config_defaults(&c);
	ck_assert_uint_eq(c.nb_outputs, 1);
	ck_assert_int_eq(c.outputs[0].type, TW_OUTPUT_FILE);
	ck_assert_str_eq(c.outputs[0].path, "");
	ck_assert_uint_eq(c.outputs[0].buffer_size, TW_CONFIG_DEF_OUTPUT_BUFFER);
	ck_assert_uint_eq(c.outputs_listed, 0);

	/* output.eve and output.buffer_size stand for the one file output. */
	ck_assert_int_eq(parse_str("{\"output\": {\"eve\": \"/var/log/eve.json\", "
			"\"buffer_size\": 65536}}", &c, &err), 0);
	ck_assert_uint_eq(c.nb_outputs, 1);
	ck_assert_int_eq(c.outputs[0].type, TW_OUTPUT_FILE);
	ck_assert_str_eq(c.outputs[0].path, "/var/log/eve.json");
	ck_assert_str_eq(c.eve, "/var/log/eve.json");
	ck_assert_uint_eq(c.outputs[0].buffer_size, 65536);
	ck_assert_uint_eq(c.outputs_listed, 0);
	tw_config_free(&c);
	ck_assert_int_eq(parse_str("{}", &c, &err), 0);
	ck_assert_uint_eq(c.nb_outputs, 1);
	ck_assert_str_eq(c.outputs[0].path, "");
	tw_config_free(&c);
}
END_TEST

static const char all_outputs[] =
	"{\"output\": {\"buffer_size\": 131072},\n"
	" \"outputs\": [\n"
	"  {\"type\": \"file\", \"path\": \"eve.json\"},\n"
	"  {\"type\": \"file\", \"path\": \"-\", \"buffer_size\": 65536},\n"
	"  {\"type\": \"unix\", \"path\": \"/run/tapwatch/eve.sock\"},\n"
	"  {\"type\": \"unix\", \"path\": \"/run/tapwatch/dgram.sock\", \"mode\": \"dgram\"},\n"
	"  {\"type\": \"syslog\"},\n"
	"  {\"type\": \"syslog\", \"server\": \"2001:db8::5\", \"port\": 6514, "
	"\"transport\": \"tcp\", \"facility\": \"auth\", \"app_name\": \"tw\", "
	"\"hostname\": \"probe-1.example.net\"},\n"
	"  {\"type\": \"redis\"},\n"
	"  {\"type\": \"redis\", \"server\": \"/run/redis/redis.sock\", \"mode\": \"stream\", "
	"\"key\": \"tw:eve\", \"maxlen\": 0}\n"
	" ]}\n";

START_TEST(test_config_outputs)
{
	const struct tw_config_output *o;
	struct tw_config c;
	struct tw_error err;

	ck_assert_msg(parse_str(all_outputs, &c, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(c.nb_outputs, 8);
	ck_assert_uint_eq(c.outputs_listed, 1);
	o = c.outputs;
	ck_assert_int_eq(o[0].type, TW_OUTPUT_FILE);
	ck_assert_str_eq(o[0].path, "eve.json");
	ck_assert_uint_eq(o[0].buffer_size, 131072);	/* output.buffer_size */
	ck_assert_str_eq(o[1].path, "");		/* stdout */
	ck_assert_uint_eq(o[1].buffer_size, 65536);
	ck_assert_int_eq(o[2].type, TW_OUTPUT_UNIX);
	ck_assert_str_eq(o[2].path, "/run/tapwatch/eve.sock");
	ck_assert_uint_eq(o[2].dgram, 0);
	ck_assert_uint_eq(o[3].dgram, 1);
	ck_assert_int_eq(o[4].type, TW_OUTPUT_SYSLOG);
	ck_assert_str_eq(o[4].server, "127.0.0.1");
	ck_assert_uint_eq(o[4].port, 514);
	ck_assert_uint_eq(o[4].dgram, 1);
	ck_assert_uint_eq(o[4].facility, 21);
	ck_assert_str_eq(o[4].app_name, "tapwatch");
	ck_assert_str_eq(o[4].hostname, "");
	ck_assert_str_eq(o[5].server, "2001:db8::5");
	ck_assert_uint_eq(o[5].port, 6514);
	ck_assert_uint_eq(o[5].dgram, 0);
	ck_assert_uint_eq(o[5].facility, 4);
	ck_assert_str_eq(o[5].app_name, "tw");
	ck_assert_str_eq(o[5].hostname, "probe-1.example.net");
	ck_assert_int_eq(o[6].type, TW_OUTPUT_REDIS);
	ck_assert_str_eq(o[6].server, "127.0.0.1");
	ck_assert_uint_eq(o[6].port, 6379);
	ck_assert_str_eq(o[6].path, "");
	ck_assert_uint_eq(o[6].redis_stream, 0);
	ck_assert_str_eq(o[6].key, "tapwatch");
	ck_assert_uint_eq(o[6].maxlen, 0);
	ck_assert_str_eq(o[7].server, "");
	ck_assert_str_eq(o[7].path, "/run/redis/redis.sock");
	ck_assert_uint_eq(o[7].port, 0);
	ck_assert_uint_eq(o[7].redis_stream, 1);
	ck_assert_str_eq(o[7].key, "tw:eve");
	ck_assert_uint_eq(o[7].maxlen, 0);
	tw_config_free(&c);

	ck_assert_int_eq(parse_str("{\"outputs\": [{\"type\": \"redis\", \"mode\": \"stream\"}]}",
			&c, &err), 0);
	ck_assert_uint_eq(c.outputs[0].maxlen, TW_CONFIG_DEF_REDIS_MAXLEN);
	tw_config_free(&c);
}
END_TEST

/* -o: one file output first, network outputs kept in order. */
START_TEST(test_config_set_eve)
{
	struct tw_config c;
	struct tw_error err;
	char long_path[PATH_MAX + 1];

	ck_assert_msg(parse_str(all_outputs, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(tw_config_set_eve(&c, "/tmp/cli.json"), 0);
	ck_assert_uint_eq(c.nb_outputs, 7);
	ck_assert_int_eq(c.outputs[0].type, TW_OUTPUT_FILE);
	ck_assert_str_eq(c.outputs[0].path, "/tmp/cli.json");
	ck_assert_str_eq(c.eve, "/tmp/cli.json");
	ck_assert_uint_eq(c.outputs[0].buffer_size, 131072);	/* the first file's */
	ck_assert_int_eq(c.outputs[1].type, TW_OUTPUT_UNIX);
	ck_assert_uint_eq(c.outputs[2].dgram, 1);
	ck_assert_int_eq(c.outputs[3].type, TW_OUTPUT_SYSLOG);
	ck_assert_str_eq(c.outputs[4].server, "2001:db8::5");
	ck_assert_int_eq(c.outputs[6].type, TW_OUTPUT_REDIS);
	ck_assert_str_eq(c.outputs[6].key, "tw:eve");
	ck_assert_int_eq(tw_config_set_eve(&c, "-"), 0);
	ck_assert_uint_eq(c.nb_outputs, 7);
	ck_assert_str_eq(c.outputs[0].path, "");
	ck_assert_str_eq(c.eve, "");
	tw_config_free(&c);

	/* Without outputs: replaces output.eve's file. */
	tw_config_defaults(&c);
	ck_assert_int_eq(tw_config_set_eve(&c, "x.json"), 0);
	ck_assert_uint_eq(c.nb_outputs, 1);
	ck_assert_str_eq(c.outputs[0].path, "x.json");
	ck_assert_uint_eq(c.outputs[0].buffer_size, TW_CONFIG_DEF_OUTPUT_BUFFER);

	ck_assert_int_eq(tw_config_set_eve(NULL, "x"), -EINVAL);
	ck_assert_int_eq(tw_config_set_eve(&c, NULL), -EINVAL);
	ck_assert_int_eq(tw_config_set_eve(&c, ""), -EINVAL);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_int_eq(tw_config_set_eve(&c, long_path), -ENAMETOOLONG);
	ck_assert_str_eq(c.outputs[0].path, "x.json");

	/* Eight network outputs leave no room for a file. */
	ck_assert_int_eq(parse_str("{\"outputs\": [{\"type\": \"syslog\"}, {\"type\": \"syslog\"},"
			"{\"type\": \"syslog\"}, {\"type\": \"syslog\"}, {\"type\": \"redis\"},"
			"{\"type\": \"redis\"}, {\"type\": \"redis\"}, {\"type\": \"redis\"}]}",
			&c, &err), 0);
	ck_assert_int_eq(tw_config_set_eve(&c, "x.json"), -ENOSPC);
	ck_assert_uint_eq(c.nb_outputs, 8);
	tw_config_free(&c);
}
END_TEST

/* Relative file and socket paths follow the config file, as output.eve does. */
START_TEST(test_config_relative)
{
	char dir[] = "/tmp/tw-test-output-XXXXXX";
	char path[128], want[256];
	struct tw_config c;
	struct tw_error err;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"outputs\": [{\"type\": \"file\", \"path\": \"eve.json\"},\n"
			"  {\"type\": \"unix\", \"path\": \"s.sock\"}]}\n", f);
	fclose(f);
	ck_assert_msg(tw_config_load(path, &c, &err) == 0, "%s", err.msg);
	snprintf(want, sizeof(want), "%s/eve.json", dir);
	ck_assert_str_eq(c.outputs[0].path, want);
	snprintf(want, sizeof(want), "%s/s.sock", dir);
	ck_assert_str_eq(c.outputs[1].path, want);
	tw_config_free(&c);
	unlink(path);
	rmdir(dir);
}
END_TEST

static const struct {
	const char *text;
	const char *msg;
} bad_outputs[] = {
	{ "{\"outputs\": {}}", "outputs: expected an array of 1 to 8 outputs like" },
	{ "{\"outputs\": []}", "outputs: an empty list writes events nowhere" },
	{ "{\"outputs\": [{\"type\": \"syslog\"}, {\"type\": \"syslog\"}, {\"type\": \"syslog\"},"
	  "{\"type\": \"syslog\"}, {\"type\": \"syslog\"}, {\"type\": \"syslog\"},"
	  "{\"type\": \"syslog\"}, {\"type\": \"syslog\"}, {\"type\": \"syslog\"}]}",
	  "outputs: expected an array of 1 to 8 outputs" },
	{ "{\"outputs\": [\"eve.json\"]}", "outputs[0]: expected an object like {\"type\": "
	  "\"file\", \"path\": \"eve.json\"}, got \"eve.json\"" },
	{ "{\"outputs\": [{\"path\": \"x\"}]}", "outputs[0].type: missing; give one of \"file\", "
	  "\"unix\", \"syslog\", \"redis\"" },
	{ "{\"outputs\": [{\"type\": \"kafka\"}]}", "outputs[0].type: expected \"file\", "
	  "\"unix\", \"syslog\" or \"redis\", got \"kafka\"" },
	{ "{\"outputs\": [{\"type\": \"file\"}]}", "outputs[0].path: missing; give the file" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"\"}]}",
	  "outputs[0].path: expected a file path or \"-\" for stdout, got \"\"" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\", \"bufer_size\": 1}]}",
	  "outputs[0].bufer_size: unknown key; accepted keys here: type, path, buffer_size" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\", \"buffer-size\": 1}]}",
	  "outputs[0].buffer-size: unknown key; did you mean \"buffer_size\"?" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\", \"mode\": \"dgram\"}]}",
	  "outputs[0].mode: not a key of a file output (unix outputs have it); accepted keys "
	  "here: type, path, buffer_size" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"key\": \"k\"}]}",
	  "outputs[0].key: not a key of a syslog output (redis outputs have it)" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\", \"buffer_size\": 4096}]}",
	  "outputs[0].buffer_size: expected an integer between 65536 and 1073741824, got 4096 "
	  "(unit: bytes queued for this output)" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\"}, {\"type\": \"file\", "
	  "\"path\": \"a\"}]}", "outputs[1].path: a is already written by outputs[0]" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"-\"}, {\"type\": \"file\", "
	  "\"path\": \"-\"}]}", "outputs[1].path: stdout is already written by outputs[0]" },
	{ "{\"output\": {\"eve\": \"x.json\"}, \"outputs\": [{\"type\": \"file\", \"path\": "
	  "\"y.json\"}]}", "output.eve: cannot be combined with \"outputs\"; list the file "
	  "there instead: {\"type\": \"file\", \"path\": \"x.json\"}" },
	{ "{\"outputs\": [{\"type\": \"unix\"}]}", "outputs[0].path: missing; give the path of "
	  "the listening unix socket" },
	{ "{\"outputs\": [{\"type\": \"unix\", \"path\": \"/run/"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\"}]}", "a unix socket path has at most 107" },
	{ "{\"outputs\": [{\"type\": \"unix\", \"path\": \"/s\", \"mode\": \"seqpacket\"}]}",
	  "outputs[0].mode: expected \"stream\" or \"dgram\", got \"seqpacket\"" },
	{ "{\"outputs\": [{\"type\": \"unix\", \"path\": \"/s\"}, {\"type\": \"unix\", "
	  "\"path\": \"/s\", \"mode\": \"dgram\"}]}",
	  "outputs[1].path: /s is already written by outputs[0]; list each socket once" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"server\": \"siem.example.org\"}]}",
	  "outputs[0].server: expected an IPv4 or IPv6 address like \"127.0.0.1\", got "
	  "\"siem.example.org\" (host names are not resolved" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"server\": \"/dev/log\"}]}",
	  "outputs[0].server: expected an IPv4 or IPv6 address like \"127.0.0.1\", got" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"port\": 0}]}",
	  "outputs[0].port: expected a port number between 1 and 65535, got 0" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"port\": \"514\"}]}",
	  "outputs[0].port: expected a port number between 1 and 65535, got \"514\"" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"transport\": \"tls\"}]}",
	  "outputs[0].transport: expected \"tcp\" or \"udp\", got \"tls\"" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"facility\": \"local9\"}]}",
	  "outputs[0].facility: unknown facility \"local9\"; use one of: kern, user, mail" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"facility\": 21}]}",
	  "outputs[0].facility: unknown facility 21" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"app_name\": \"tap watch\"}]}",
	  "outputs[0].app_name: expected 1 to 48 printable ASCII characters without spaces "
	  "(RFC 5424), got \"tap watch\"" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"app_name\": "
	  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]}",
	  "outputs[0].app_name: expected 1 to 48 printable ASCII" },
	{ "{\"outputs\": [{\"type\": \"syslog\", \"hostname\": \"\"}]}",
	  "outputs[0].hostname: expected 1 to 255 printable ASCII characters" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"server\": \"localhost\"}]}",
	  "outputs[0].server: expected an IPv4 or IPv6 address like \"127.0.0.1\" or an "
	  "absolute unix socket path, got \"localhost\"" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"server\": \"/run/r.sock\", \"port\": 6379}]}",
	  "outputs[0].port: a unix socket server has no port; remove it" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"mode\": \"pubsub\"}]}",
	  "outputs[0].mode: expected \"list\" or \"stream\", got \"pubsub\"" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"key\": \"\"}]}",
	  "outputs[0].key: expected a key name of 1 to 255 bytes, got \"\"" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"key\": 5}]}",
	  "outputs[0].key: expected a key name of 1 to 255 bytes, got 5" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"maxlen\": 10}]}",
	  "outputs[0].maxlen: applies to \"mode\": \"stream\" only" },
	{ "{\"outputs\": [{\"type\": \"redis\", \"mode\": \"stream\", \"maxlen\": -1}]}",
	  "outputs[0].maxlen: expected an integer between 0 and 4294967295, got -1" },
	{ "{\"outputs\": [{\"type\": \"file\", \"path\": \"a\"}, {\"type\": \"redis\", "
	  "\"transport\": \"tcp\"}]}",
	  "outputs[1].transport: not a key of a redis output (syslog outputs have it)" },
	/* a misplaced key is pointed at outputs */
	{ "{\"transport\": \"udp\"}", "transport: unknown key; did you mean "
	  "\"outputs[].transport\"?" },
};

START_TEST(test_config_bad_outputs)
{
	struct tw_config c;
	struct tw_error err;
	int ret;

	ret = parse_str(bad_outputs[_i].text, &c, &err);
	ck_assert_msg(ret < 0, "row %d: returned %d", _i, ret);
	ck_assert_msg(strstr(err.msg, bad_outputs[_i].msg) != NULL,
			"row %d: message \"%s\" lacks \"%s\"", _i, err.msg, bad_outputs[_i].msg);
	tw_config_free(&c);
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc;

	tc = tcase_create("syslog-fields");
	tcase_add_test(tc, test_facility);
	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_field_valid);
	tcase_add_test(tc, test_timestamp);
	suite_add_tcase(s, tc);

	tc = tcase_create("syslog-format");
	tcase_add_test(tc, test_format_invalid);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_octet);
	tcase_add_loop_test(tc, test_format_sizes, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("octet-counting");
	tcase_add_test(tc, test_frame);
	tcase_add_test(tc, test_deframe_bad);
	tcase_add_test(tc, test_deframe_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_loop_test(tc, test_config_bad_outputs, 0, RTE_DIM(bad_outputs));
	tcase_add_test(tc, test_config_default_output);
	tcase_add_test(tc, test_config_outputs);
	tcase_add_test(tc, test_config_set_eve);
	tcase_add_test(tc, test_config_relative);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(output_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
