/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_SYSLOG_H
#define TW_SYSLOG_H

/**
 * @file
 * RFC 5424 syslog messages and RFC 6587 octet-counting framing, for the
 * syslog output. Pure functions: no I/O, no allocation, no global state;
 * any thread may call them.
 *
 * A message is
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG
 * with PRI = facility * 8 + severity, TIMESTAMP in UTC with microseconds
 * ("2026-01-01T00:00:00.201007Z"), no structured data ("-"), and MSG the
 * caller's bytes (the EVE JSON) without a BOM. Header fields that are NULL
 * or empty are written as the NILVALUE "-". Over a stream transport each
 * message is framed as "LEN SP MSG" (octet counting), LEN in decimal.
 */

#include <stddef.h>
#include <stdint.h>

/** RFC 5424 field limits (characters of PRINTUSASCII, 33..126). */
#define TW_SYSLOG_HOSTNAME_MAX 255
#define TW_SYSLOG_APP_NAME_MAX 48
#define TW_SYSLOG_PROCID_MAX 128
#define TW_SYSLOG_MSGID_MAX 32
/** Facilities are 0 (kern) .. 23 (local7). */
#define TW_SYSLOG_FACILITY_MAX 23
/** local5: what tapwatch uses unless told otherwise. */
#define TW_SYSLOG_FACILITY_LOCAL5 21
/** Longest header tw_syslog_format() writes before MSG, framing included. */
#define TW_SYSLOG_HEADER_MAX (16 + 5 + 1 + 32 + 1 + TW_SYSLOG_HOSTNAME_MAX + 1 + \
		TW_SYSLOG_APP_NAME_MAX + 1 + TW_SYSLOG_PROCID_MAX + 1 + \
		TW_SYSLOG_MSGID_MAX + 3)

/** Severities (RFC 5424 section 6.2.1). */
enum tw_syslog_severity {
	TW_SYSLOG_EMERG = 0,
	TW_SYSLOG_ALERT,
	TW_SYSLOG_CRIT,
	TW_SYSLOG_ERR,
	TW_SYSLOG_WARNING,
	TW_SYSLOG_NOTICE,
	TW_SYSLOG_INFO,
	TW_SYSLOG_DEBUG,
};

/** Framing of a message on the wire. */
enum tw_syslog_framing {
	TW_SYSLOG_FRAME_NONE = 0,	/**< one message per datagram (UDP) */
	TW_SYSLOG_FRAME_OCTET,		/**< "LEN SP MSG" (RFC 6587 3.4.1, TCP) */
};

/** Header of one message. */
struct tw_syslog_header {
	unsigned int facility;		/**< 0..23 */
	unsigned int severity;		/**< enum tw_syslog_severity */
	const char *hostname;		/**< NULL or "" = "-" */
	const char *app_name;
	const char *procid;
	const char *msgid;
};

/**
 * Facility number of a name: "kern", "user", "mail", "daemon", "auth",
 * "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
 * "security", "console", "solaris-cron", "local0" .. "local7".
 *
 * @return
 *   0..23, or -EINVAL for NULL or an unknown name.
 */
int tw_syslog_facility_from_name(const char *name);

/**
 * Name of a facility number, or NULL above TW_SYSLOG_FACILITY_MAX.
 */
const char *tw_syslog_facility_name(unsigned int facility);

/**
 * Syslog severity of an alert of EVE severity @p alert_severity:
 * 1 (high, unauthorized LI) -> crit (2), 2 -> err (3), 3 (authorized LI,
 * informational) -> notice (5), anything else -> warning (4).
 */
unsigned int tw_syslog_severity_from_alert(unsigned int alert_severity);

/**
 * Check a header field: 1 to @p max characters, each printable US-ASCII
 * without space (33..126), as RFC 5424 requires of HOSTNAME, APP-NAME,
 * PROCID and MSGID.
 *
 * @return
 *   1 if valid, 0 if not (NULL, empty, too long, or a bad character).
 */
int tw_syslog_field_valid(const char *s, size_t max);

/**
 * Write the RFC 5424 TIMESTAMP of @p time_ns (ns since the epoch, UTC):
 * "YYYY-MM-DDTHH:MM:SS.uuuuuuZ", 27 characters and a NUL.
 *
 * @return
 *   Characters written (27), -ENOSPC if @p size < 28, -EINVAL if @p buf is
 *   NULL or the year does not fit four digits.
 */
int tw_syslog_timestamp(uint64_t time_ns, char *buf, size_t size);

/**
 * Format one message into @p buf (no NUL is added).
 *
 * @param buf
 *   Output; must not overlap @p msg.
 * @param size
 *   Bytes available in @p buf.
 * @param h
 *   Header; invalid fields are rejected, never repaired.
 * @param time_ns
 *   TIMESTAMP, ns since the epoch.
 * @param msg
 *   MSG bytes (may be NULL if @p msg_len is 0: no MSG part).
 * @param msg_len
 *   Length of @p msg.
 * @param framing
 *   TW_SYSLOG_FRAME_NONE or TW_SYSLOG_FRAME_OCTET.
 * @return
 *   Bytes written, -EINVAL for a NULL argument, a facility above 23, a
 *   severity above 7, an invalid header field or an unknown framing;
 *   -ENOSPC if @p size is too small.
 */
int tw_syslog_format(char *buf, size_t size, const struct tw_syslog_header *h,
		uint64_t time_ns, const char *msg, size_t msg_len,
		enum tw_syslog_framing framing);

/**
 * Frame @p len bytes of @p msg as "LEN SP MSG" into @p buf (no overlap).
 *
 * @return
 *   Bytes written, -EINVAL for NULL arguments, -ENOSPC if @p size is too
 *   small.
 */
int tw_syslog_frame(char *buf, size_t size, const char *msg, size_t len);

/**
 * Find the first octet-counted frame in @p len bytes of @p buf (a receiver's
 * view, used by the tests and by anyone reading tapwatch's TCP stream).
 *
 * @param msg_off
 *   Output: offset of MSG in @p buf.
 * @param msg_len
 *   Output: length of MSG.
 * @return
 *   Bytes of the whole frame (> 0), 0 if @p buf holds only part of a frame,
 *   -EINVAL if it does not start with a frame (no digits, a leading zero, no
 *   space after the length, or a length of 2^31 - 32 or more).
 */
int tw_syslog_deframe(const char *buf, size_t len, size_t *msg_off, size_t *msg_len);

#endif /* TW_SYSLOG_H */
