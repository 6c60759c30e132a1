/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/* libFuzzer harness: the config loader on arbitrary text. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tw_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_config cfg;
	struct tw_error err;

	if (tw_config_parse((const char *)data, size, "fuzz", &cfg, &err) != 0 &&
			(err.code >= 0 || memchr(err.msg, '\0', sizeof(err.msg)) == NULL))
		abort();	/* a failure must say why */
	tw_config_free(&cfg);
	return 0;
}
