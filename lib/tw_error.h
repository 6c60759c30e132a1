/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_ERROR_H
#define TW_ERROR_H

/**
 * @file
 * Structured error for loaders of user input (config, signatures).
 * The library fills it and stays quiet; the application prints it.
 */

#include <stdarg.h>
#include <stdio.h>

#include <rte_common.h>

/** Error from a loader: what failed, where, and what to do. */
struct tw_error {
	int code;		/**< negative errno, 0 if no error */
	unsigned int line;	/**< 1-based line in the input, 0 if not known */
	char file[128];		/**< input name (path or "<buffer>") */
	char msg[256];		/**< human-readable message with the remedy */
};

/** Fill @p err (may be NULL) and return @p code. */
static inline int
tw_error_set(struct tw_error *err, int code, unsigned int line, const char *fmt, ...)
	__rte_format_printf(4, 5);

static inline int
tw_error_set(struct tw_error *err, int code, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

#endif /* TW_ERROR_H */
