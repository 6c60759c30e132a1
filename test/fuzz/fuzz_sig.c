/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * libFuzzer harness: the signature loader. Hyperscan compilation is slow
 * and not ours to fuzz, so inputs are capped; what is checked is the
 * parser and the error reporting on every malformed line.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tw_sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_sig_db *db;
	struct tw_error err;

	if (size > 4096)
		return 0;
	db = tw_sig_db_parse((const char *)data, size, "fuzz", &err);
	if (db == NULL && (err.code >= 0 || memchr(err.msg, '\0', sizeof(err.msg)) == NULL))
		abort();
	tw_sig_db_free(db);
	return 0;
}
