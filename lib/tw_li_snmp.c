/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/* placeholder: being written */
#include "tw_li_priv.h"

int
tw_li_snmp_validate(const uint8_t *p, uint32_t len, struct tw_li_detail *d)
{
	(void)p; (void)len; (void)d;
	return 0;
}
