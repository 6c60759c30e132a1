/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tw_syslog.h"

#define NS_PER_S 1000000000ull
#define TS_LEN 27		/* 2026-01-01T00:00:00.201007Z */
/* Keep every length, prefix included, within the int the functions return. */
#define FRAME_LEN_MAX ((unsigned long long)INT_MAX - 32)

/* RFC 5424 6.2.1 numbers; the names are the ones rsyslog and syslog.conf use. */
static const char *const facility_names[TW_SYSLOG_FACILITY_MAX + 1] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};

int
tw_syslog_facility_from_name(const char *name)
{
	unsigned int i;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; i <= TW_SYSLOG_FACILITY_MAX; i++)
		if (strcmp(facility_names[i], name) == 0)
			return (int)i;
	return -EINVAL;
}

const char *
tw_syslog_facility_name(unsigned int facility)
{
	return facility <= TW_SYSLOG_FACILITY_MAX ? facility_names[facility] : NULL;
}

unsigned int
tw_syslog_severity_from_alert(unsigned int alert_severity)
{
	switch (alert_severity) {
	case 1:
		return TW_SYSLOG_CRIT;
	case 2:
		return TW_SYSLOG_ERR;
	case 3:
		return TW_SYSLOG_NOTICE;
	default:
		return TW_SYSLOG_WARNING;
	}
}

int
tw_syslog_field_valid(const char *s, size_t max)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= max || (unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
			return 0;
	return 1;
}

int
tw_syslog_timestamp(uint64_t time_ns, char *buf, size_t size)
{
	time_t secs = (time_t)(time_ns / NS_PER_S);
	unsigned int usec = (unsigned int)((time_ns % NS_PER_S) / 1000);
	struct tm tm;
	int n;

	if (buf == NULL)
		return -EINVAL;
	if (size < TS_LEN + 1) {
		if (size > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	/* RFC 5424 DATE-FULLYEAR is four digits. */
	if (gmtime_r(&secs, &tm) == NULL || tm.tm_year + 1900 > 9999) {
		buf[0] = '\0';
		return -EINVAL;
	}
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	if (n != TS_LEN) {
		buf[0] = '\0';
		return -EINVAL;
	}
	return n;
}

/* A header field: NULL or "" is the NILVALUE, anything else must be valid. */
static const char *
field(const char *s, size_t max, int *bad)
{
	if (s == NULL || s[0] == '\0')
		return "-";
	if (!tw_syslog_field_valid(s, max))
		*bad = 1;
	return s;
}

int
tw_syslog_frame(char *buf, size_t size, const char *msg, size_t len)
{
	char prefix[24];
	int n;

	if (buf == NULL || (msg == NULL && len > 0))
		return -EINVAL;
	if (len > FRAME_LEN_MAX)
		return -EINVAL;
	n = snprintf(prefix, sizeof(prefix), "%zu ", len);
	if ((size_t)n + len > size)
		return -ENOSPC;
	memcpy(buf, prefix, (size_t)n);
	if (len > 0)
		memcpy(buf + n, msg, len);
	return (int)((size_t)n + len);
}

int
tw_syslog_format(char *buf, size_t size, const struct tw_syslog_header *h,
		uint64_t time_ns, const char *msg, size_t msg_len,
		enum tw_syslog_framing framing)
{
	char hdr[TW_SYSLOG_HEADER_MAX + 1];
	char ts[TS_LEN + 1];
	const char *host, *app, *proc, *mid;
	size_t total, plen;
	char prefix[24];
	int bad = 0, n;

	if (buf == NULL || h == NULL || (msg == NULL && msg_len > 0))
		return -EINVAL;
	if (h->facility > TW_SYSLOG_FACILITY_MAX || h->severity > TW_SYSLOG_DEBUG ||
			(framing != TW_SYSLOG_FRAME_NONE && framing != TW_SYSLOG_FRAME_OCTET))
		return -EINVAL;
	host = field(h->hostname, TW_SYSLOG_HOSTNAME_MAX, &bad);
	app = field(h->app_name, TW_SYSLOG_APP_NAME_MAX, &bad);
	proc = field(h->procid, TW_SYSLOG_PROCID_MAX, &bad);
	mid = field(h->msgid, TW_SYSLOG_MSGID_MAX, &bad);
	if (bad || tw_syslog_timestamp(time_ns, ts, sizeof(ts)) < 0)
		return -EINVAL;
	/* Fields are bounded above, so the header always fits hdr[]. */
	n = snprintf(hdr, sizeof(hdr), "<%u>1 %s %s %s %s %s -%s",
			h->facility * 8 + h->severity, ts, host, app, proc, mid,
			msg_len > 0 ? " " : "");
	if (n < 0 || (size_t)n >= sizeof(hdr))
		return -EINVAL;
	total = (size_t)n + msg_len;
	plen = 0;
	if (framing == TW_SYSLOG_FRAME_OCTET) {
		if (total > FRAME_LEN_MAX)
			return -EINVAL;
		plen = (size_t)snprintf(prefix, sizeof(prefix), "%zu ", total);
	}
	if (plen + total > size)
		return -ENOSPC;
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, hdr, (size_t)n);
	if (msg_len > 0)
		memcpy(buf + plen + (size_t)n, msg, msg_len);
	return (int)(plen + total);
}

int
tw_syslog_deframe(const char *buf, size_t len, size_t *msg_off, size_t *msg_len)
{
	unsigned long long v = 0;
	size_t i;

	if (buf == NULL || msg_off == NULL || msg_len == NULL)
		return -EINVAL;
	/* MSG-LEN = NONZERO-DIGIT *DIGIT */
	if (len > 0 && (buf[0] < '1' || buf[0] > '9'))
		return -EINVAL;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		v = v * 10 + (unsigned int)(buf[i] - '0');
		if (v > FRAME_LEN_MAX)
			return -EINVAL;
	}
	if (i == len)
		return 0;
	if (buf[i] != ' ')
		return -EINVAL;
	i++;
	if (len - i < v)
		return 0;
	*msg_off = i;
	*msg_len = (size_t)v;
	return (int)(i + v);
}
