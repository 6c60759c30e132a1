/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */
#ifndef TW_POLICY_H
#define TW_POLICY_H

/**
 * @file
 * Mediation-device inventory and the authorization decision.
 *
 * A flow of family F between endpoints A and B is authorized by entry E iff
 * one endpoint lies in one of E's mediation CIDRs, the other in one of E's
 * element CIDRs (no elements = any address), and E allows F (no families =
 * all). Entries are tried in order; the first match wins. Called once per
 * flow when it is classified, so a linear walk is enough.
 */

#include <stdint.h>

#include "tw_li.h"

#define TW_POLICY_NAME_MAX 64

/** An IPv4 or IPv6 prefix. */
struct tw_cidr {
	uint8_t l3;		/**< 4 or 6 */
	uint8_t prefix_len;	/**< 0..32 or 0..128 */
	uint8_t addr[16];	/**< network address, host bits zero */
};

/** One mediation device entry. */
struct tw_md {
	char name[TW_POLICY_NAME_MAX];
	const struct tw_cidr *mediation;
	uint32_t nb_mediation;
	const struct tw_cidr *elements;	/**< NULL and 0: any address */
	uint32_t nb_elements;
	uint32_t families;	/**< bit (1 << enum tw_family); 0 = all */
};

/**
 * Parse "10.0.0.0/8", "2001:db8::/32" or a bare address (full-length prefix).
 *
 * @return
 *   0, or -EINVAL if the text is not an address/prefix, or the prefix is out
 *   of range, or host bits are set.
 */
int tw_cidr_parse(const char *text, struct tw_cidr *c);

/** Non-zero if @p addr (l3 4 or 6) lies in @p c. */
int tw_cidr_contains(const struct tw_cidr *c, uint8_t l3, const uint8_t *addr);

/**
 * Decide a flow.
 *
 * @param mds
 *   Inventory entries.
 * @param nb_mds
 *   Number of entries.
 * @param l3
 *   4 or 6.
 * @param a
 *   One endpoint address.
 * @param b
 *   The other endpoint address.
 * @param family
 *   enum tw_family of the flow.
 * @return
 *   Index of the authorizing entry, or -1 if unauthorized.
 */
int tw_policy_match(const struct tw_md *mds, uint32_t nb_mds, uint8_t l3,
		const uint8_t *a, const uint8_t *b, unsigned int family);

/** Bytes kept of an LIID in the task list (as tw_li_hi.liid). */
#define TW_TASK_LIID_MAX TW_LI_STR_MAX

/** One authorized LIID. */
struct tw_liid {
	uint8_t len;
	uint8_t b[TW_TASK_LIID_MAX];
};

/**
 * Tasks the operator has authorised (warrants): X2/X3 XIDs and HI LIIDs.
 * A list that is not configured is not checked.
 */
struct tw_tasks {
	uint8_t has_xids;		/**< the xids list is configured */
	uint8_t has_liids;		/**< the liids list is configured */
	const uint8_t (*xids)[16];
	uint32_t nb_xids;
	const struct tw_liid *liids;
	uint32_t nb_liids;
};

/**
 * Parse an XID in RFC 4122 text form ("8-4-4-4-12" hex digits, any case).
 *
 * @return
 *   0, or -EINVAL.
 */
int tw_xid_parse(const char *text, uint8_t xid[16]);

/**
 * Is @p xid on the list? Returns 1 if listed, 0 if not, -1 if the XID list
 * is not configured (no reconciliation).
 */
int tw_tasks_xid_listed(const struct tw_tasks *t, const uint8_t *xid);

/** As tw_tasks_xid_listed() for an LIID of @p len bytes. */
int tw_tasks_liid_listed(const struct tw_tasks *t, const uint8_t *liid, unsigned int len);

#endif /* TW_POLICY_H */
