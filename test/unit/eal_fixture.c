/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_fixture.h"

int
tw_test_eal_init(const char *prog)
{
	char prefix[64];
	char *argv[] = {
		(char *)prog, "--no-huge", "-m", "256", "--no-shconf", "--no-pci",
		"--no-telemetry", "-l", "0", "--log-level", "lib.*:error",
		"--file-prefix", prefix, NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	snprintf(prefix, sizeof(prefix), "twtest%d", (int)getpid());
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed: %s\n", prog, rte_strerror(rte_errno));
		exit(EXIT_FAILURE);
	}
	return 0;
}
