/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * libFuzzer harness: every structural validator. Byte 0 picks the
 * validator, byte 1 the transport the validator is told about (TCP, UDP,
 * UDP cut short, GRE); the rest is the payload, in an exact-size buffer.
 */

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tw_li.h"
#include "tw_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_GRE };
	struct tw_li_detail d;
	struct tw_pkt_meta m;
	uint8_t *buf;
	size_t len;

	if (size < 2)
		return 0;
	len = size - 2;
	buf = malloc(len > 0 ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 2, len);
	memset(&m, 0, sizeof(m));
	m.proto = protos[data[1] % 4];
	if (data[1] % 4 == 2)
		m.flags = TW_PKT_F_TRUNC_PAYLOAD;
	m.payload_len = (uint16_t)(len > 65535 ? 65535 : len);
	if (tw_li_validate((enum tw_validator)(data[0] % TW_VALIDATOR_MAX), buf, (uint32_t)len,
			&m, &d) == 1 && d.kind > TW_LI_KIND_RPCAP)
		abort();
	free(buf);
	return 0;
}
