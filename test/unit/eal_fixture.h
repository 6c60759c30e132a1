/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_TEST_EAL_FIXTURE_H
#define TW_TEST_EAL_FIXTURE_H

/**
 * Initialise EAL once for a unit test binary: no hugepages, no PCI, no
 * shared config, a per-process file prefix. Call from main() before running
 * the suite; returns 0 or exits the test binary on failure.
 */
int tw_test_eal_init(const char *prog);

#endif
