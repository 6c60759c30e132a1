/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_LI_PRIV_H
#define TW_LI_PRIV_H

/**
 * @file
 * Internal to the tw_li module: one validator per family file, called by
 * tw_li_validate(). Same contract as tw_li_validate(): pure, EAL-free, no
 * allocation, bounded by @p len, never reads past p + len, writes @p d only
 * when returning 1. @p d must not be NULL.
 */

#include <stdint.h>

#include "tw_li.h"

/** Big-endian 16-bit read; the caller has checked the bounds. */
static inline uint16_t
tw_li_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/** Big-endian 32-bit read; the caller has checked the bounds. */
static inline uint32_t
tw_li_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | p[3];
}

/**
 * ETSI TS 103 221-2 X2/X3 PDUs (tw_li_x2x3.c).
 *
 * @param exact_end
 *   Non-zero when @p len is a message boundary (a whole UDP datagram): the
 *   PDUs must then end exactly at @p len. Zero for a TCP segment, where the
 *   last PDU may continue in the next segment.
 */
int tw_li_x2x3_validate(const uint8_t *p, uint32_t len, int exact_end,
		struct tw_li_detail *d);

/** ETSI TS 102 232-1 PS-PDU (tw_li_hi.c). */
int tw_li_ps_pdu_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** ETSI TS 101 671 / 3GPP TS 33.108 HI2 IRIsContent (tw_li_hi.c). */
int tw_li_hi2_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

/** ERSPAN type I, II, III from the GRE header on (tw_li_erspan.c). */
int tw_li_erspan_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d);

#endif /* TW_LI_PRIV_H */
