/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_TEST_HEX_H
#define TW_TEST_HEX_H

/*
 * Test vectors as text: hex digits (spaces ignored) and 'ASCII' runs, e.g.
 * "0005 0002 'LIID-1' 00". Shared by the unit tests; checks with libcheck.
 */

#include <stdint.h>

#include <check.h>

static inline uint32_t
hex_decode(const char *s, uint8_t *out, uint32_t cap)
{
	uint32_t n = 0;
	int hi = -1, v;
	char c;

	while ((c = *s++) != '\0') {
		if (c == ' ')
			continue;
		if (c == '\'') {
			while (*s != '\'' && *s != '\0') {
				ck_assert_uint_lt(n, cap);
				out[n++] = (uint8_t)*s++;
			}
			ck_assert_int_eq(*s, '\'');
			s++;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			ck_abort_msg("bad hex character '%c'", c);
		if (hi < 0) {
			hi = v;
		} else {
			ck_assert_uint_lt(n, cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	ck_assert_msg(hi < 0, "odd number of hex digits");
	return n;
}

#endif /* TW_TEST_HEX_H */
