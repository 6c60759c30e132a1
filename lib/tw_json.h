/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_JSON_H
#define TW_JSON_H

/**
 * @file
 * EVE JSON encoding of alerts (jansson). Runs on the exporter only: jansson
 * objects are not thread-safe and building them allocates.
 *
 * Field names follow Suricata's EVE so SIEM parsers built for Suricata take
 * tapwatch's feed unchanged; tapwatch's own details sit under "li".
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tw_alert.h"

/**
 * Format a timestamp as EVE does: "2026-11-27T18:37:36.123456+0000" (UTC).
 * Microseconds are truncated, not rounded. Needs @p cap >= 32.
 *
 * @return
 *   Characters written (excluding NUL), -ENOSPC if @p cap is too small
 *   (@p buf is then "" if @p cap > 0), -EINVAL if @p buf is NULL.
 */
int tw_json_format_ts(uint64_t ts_ns, char *buf, size_t cap);

/**
 * Format an address (l3 4 or 6) as text; @p cap >= 46. Writes "" for any
 * other l3, a NULL @p addr or a @p cap too small for the address.
 */
void tw_json_format_ip(uint8_t l3, const uint8_t *addr, char *buf, size_t cap);

/**
 * EVE "proto" name: "TCP", "UDP", "GRE", ... or the number as text in @p buf
 * (@p cap >= 4). Returns NULL only for a number that does not fit @p buf.
 */
const char *tw_json_proto_name(uint8_t proto, char *buf, size_t cap);

/**
 * Build the EVE object of an alert.
 *
 * @return
 *   A new reference, or NULL with rte_errno set: EINVAL if @p a is NULL,
 *   ENOMEM on allocation failure.
 */
json_t *tw_json_alert(const struct tw_alert *a);

/**
 * Encode an alert as one JSON line (with '\n') into @p buf.
 *
 * @return
 *   Bytes written (excluding NUL), -ENOMEM on allocation failure, -ENOSPC if
 *   @p cap is too small, -EINVAL if @p a or @p buf is NULL.
 */
int tw_json_alert_line(const struct tw_alert *a, char *buf, size_t cap);

#endif /* TW_JSON_H */
