/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_LOG_H
#define TW_LOG_H

/**
 * @file
 * One logging macro for every module. 22.11 has no RTE_LOG_LINE, so the
 * newline is appended here. Each module registers its own log type
 * (user.tw.<module>) and defines a short alias over TW_LOG.
 */

#include <rte_log.h>

#define TW_LOG(lvl, type, fmt, ...) \
	rte_log(RTE_LOG_ ## lvl, type, fmt "\n", ##__VA_ARGS__)

#endif /* TW_LOG_H */
