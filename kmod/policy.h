/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_POLICY_H
#define _HEY_POLICY_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/hey.h>

struct hey_net;

/* System defaults of a namespace's races (HEY_CMD_SET_POLICY). */
struct hey_policy {
	u32 mode;		/* enum hey_race_mode */
	u32 min_delay_ms;
	u32 max_delay_ms;
	u32 default_delay_ms;	/* expected handshake when nothing is known */
	u8 n_protos;
	u8 protos[HEY_MAX_PROTOCOLS];
	u32 allowed;		/* bits 1 << enum hey_proto */
	u8 n_prefer;
	u8 n_exclude;
	u32 prefer[HEY_MAX_PATHS];
	u32 exclude[HEY_MAX_PATHS];
};

#define HEY_POLICY_ALLOWED_ALL (BIT(HEY_PROTO_TCP) | BIT(HEY_PROTO_TFO) | \
				BIT(HEY_PROTO_SCTP))

void hey_policy_init(struct hey_policy *p);
void hey_policy_get(struct hey_net *hn, struct hey_policy *p);
void hey_policy_set(struct hey_net *hn, const struct hey_policy *p);
bool hey_policy_excludes(const struct hey_policy *p, int ifindex);
void hey_policy_order_paths(const struct hey_policy *p, int *paths, int n);

#endif /* _HEY_POLICY_H */
