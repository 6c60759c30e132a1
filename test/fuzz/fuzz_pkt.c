/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * libFuzzer harness: the packet parser. The first byte picks the link type,
 * the rest is the frame, copied into an exact-size buffer so ASan sees any
 * read past its end. Invariants checked: the payload lies inside the frame.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tw_li.h"
#include "tw_li_priv.h"
#include "tw_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_pkt_meta m;
	struct tw_li_inner in;
	uint8_t *buf;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	buf = malloc(len > 0 ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	tw_pkt_parse(buf, (uint32_t)len, (enum tw_pkt_link)(data[0] % 4), &m);
	if (m.status < TW_PKT_STATUS_MAX && m.status == TW_PKT_OK &&
			(uint32_t)m.payload_off + m.payload_len > len)
		abort();
	if (m.status >= TW_PKT_STATUS_MAX)
		abort();
	/* The inner-packet helper every mirror validator uses. */
	tw_li_inner_parse(buf, (uint32_t)len, (enum tw_pkt_link)(data[0] % 2 ?
			TW_PKT_LINK_RAW : TW_PKT_LINK_ETH), &in);
	free(buf);
	return 0;
}
