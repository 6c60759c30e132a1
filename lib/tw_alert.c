/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <rte_common.h>
#include <rte_errno.h>

#include "tw_alert.h"

/* The ring stores elements by value; rte_ring_elem wants a multiple of 4. */
static_assert(sizeof(struct tw_alert) % 8 == 0, "tw_alert size must be a multiple of 8");

struct rte_ring *
tw_alert_ring_create(const char *name, unsigned int count, int socket_id)
{
	if (name == NULL || count == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* EXACT_SZ: the ring holds exactly count alerts, the documented bound. */
	return rte_ring_create_elem(name, sizeof(struct tw_alert), count, socket_id,
			RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
}
