/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_ALERT_H
#define TW_ALERT_H

/**
 * @file
 * Alert record and the worker -> exporter ring.
 *
 * struct tw_alert is a fixed-size value: it copies everything the exporter
 * needs (addresses, signature id and name, inventory entry name, forensic
 * detail) and never points into an mbuf or into a signature database that a
 * reload could free.
 *
 * Each worker owns one single-producer / single-consumer rte_ring of alerts.
 * tw_alert_ring_push() never waits: what does not fit is the caller's to count
 * as dropped.
 */

#include <stdint.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "tw_li.h"
#include "tw_sig.h"
#include "tw_policy.h"

/** Alert action, as EVE spells it. */
enum tw_alert_action {
	TW_ALERT_ALLOWED = 0,
	TW_ALERT_BLOCKED,
};

/** Warrant reconciliation of an alert (X2/X3 XID, HI LIID vs authorized_tasks). */
enum tw_alert_warrant {
	TW_WARRANT_UNCHECKED = 0,	/**< no task list, or nothing to check */
	TW_WARRANT_LISTED,		/**< the XID/LIID is an authorized task */
	TW_WARRANT_MISSING,		/**< authorized endpoints, task not listed */
};

/** Built-in signatures raised by warrant reconciliation (not in the rules file). */
#define TW_SIG_ID_NO_WARRANT_XID 1099001
#define TW_SIG_ID_NO_WARRANT_LIID 1099002

/** One alert: a value, no pointers. Size is a multiple of 8. */
struct tw_alert {
	uint64_t ts_ns;		/**< packet time, ns since the epoch */
	uint64_t flow_id;
	uint8_t src[16];	/**< the packet's source */
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint8_t l3;
	uint8_t proto;
	uint8_t family;		/**< enum tw_family */
	uint8_t severity;	/**< 1 high .. 3 informational */
	uint8_t authorized;
	uint8_t action;		/**< enum tw_alert_action */
	uint16_t vlan;
	uint32_t sig_id;
	uint32_t sig_rev;
	uint16_t worker;
	uint8_t warrant;	/**< enum tw_alert_warrant */
	uint8_t pad;
	char sig_name[TW_SIG_NAME_MAX];
	char mitre[TW_SIG_MITRE_MAX];	/**< ATT&CK technique ids of the signature */
	char md_name[TW_POLICY_NAME_MAX];	/**< "" if unauthorized */
	struct tw_li_detail detail;
} __rte_aligned(8);

/**
 * Create an SP/SC alert ring.
 *
 * @param name
 *   Unique ring name.
 * @param count
 *   Capacity: the ring holds exactly this many alerts.
 * @param socket_id
 *   NUMA socket.
 * @return
 *   The ring, or NULL with rte_errno set.
 */
struct rte_ring *tw_alert_ring_create(const char *name, unsigned int count, int socket_id);

/** Enqueue alerts without waiting; returns how many were enqueued. */
static inline unsigned int
tw_alert_ring_push(struct rte_ring *r, const struct tw_alert *alerts, unsigned int n)
{
	return rte_ring_enqueue_burst_elem(r, alerts, sizeof(*alerts), n, NULL);
}

/** Dequeue up to @p n alerts; returns how many were dequeued. */
static inline unsigned int
tw_alert_ring_pop(struct rte_ring *r, struct tw_alert *alerts, unsigned int n)
{
	return rte_ring_dequeue_burst_elem(r, alerts, sizeof(*alerts), n, NULL);
}

#endif /* TW_ALERT_H */
