/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hey's tracepoints: a race's start and end, each leaf's start and end,
 * and what the history cache said. For perf trace, ftrace and bpftrace:
 * events/hey/ in tracefs.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hey

#if !defined(_HEY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HEY_TRACE_H

#include <linux/tracepoint.h>

#include "cache.h"
#include "leaf.h"

TRACE_EVENT(hey_race_start,

	TP_PROTO(u64 race, u8 n_leaves, u32 pruned),

	TP_ARGS(race, n_leaves, pruned),

	TP_STRUCT__entry(
		__field(u64, race)
		__field(u8, n_leaves)
		__field(u32, pruned)
	),

	TP_fast_assign(
		__entry->race = race;
		__entry->n_leaves = n_leaves;
		__entry->pruned = pruned;
	),

	TP_printk("race=%llu leaves=%u pruned=%u", __entry->race,
		  __entry->n_leaves, __entry->pruned)
);

DECLARE_EVENT_CLASS(hey_leaf_class,

	TP_PROTO(u64 race, const struct hey_leaf *leaf),

	TP_ARGS(race, leaf),

	TP_STRUCT__entry(
		__field(u64, race)
		__field(u8, leaf)
		__field(u8, protocol)
		__field(u8, outcome)
		__field(u16, family)
		__field(int, ifindex)
		__field(int, error)
		__field(u16, port)
	),

	TP_fast_assign(
		__entry->race = race;
		__entry->leaf = leaf->idx;
		__entry->protocol = leaf->protocol;
		__entry->outcome = leaf->outcome;
		__entry->family = leaf->ep.family;
		__entry->ifindex = leaf->ifindex;
		__entry->error = leaf->error;
		__entry->port = ntohs(leaf->ep.port);
	),

	TP_printk("race=%llu leaf=%u proto=%u ifindex=%d family=%u port=%u outcome=%u error=%d",
		  __entry->race, __entry->leaf, __entry->protocol,
		  __entry->ifindex, __entry->family, __entry->port,
		  __entry->outcome, __entry->error)
);

DEFINE_EVENT(hey_leaf_class, hey_leaf_start,
	TP_PROTO(u64 race, const struct hey_leaf *leaf),
	TP_ARGS(race, leaf)
);

DEFINE_EVENT(hey_leaf_class, hey_leaf_done,
	TP_PROTO(u64 race, const struct hey_leaf *leaf),
	TP_ARGS(race, leaf)
);

TRACE_EVENT(hey_race_done,

	TP_PROTO(u64 race, int state, int winner, int error, u32 connect_us),

	TP_ARGS(race, state, winner, error, connect_us),

	TP_STRUCT__entry(
		__field(u64, race)
		__field(int, state)
		__field(int, winner)
		__field(int, error)
		__field(u32, connect_us)
	),

	TP_fast_assign(
		__entry->race = race;
		__entry->state = state;
		__entry->winner = winner;
		__entry->error = error;
		__entry->connect_us = connect_us;
	),

	TP_printk("race=%llu state=%d winner=%d error=%d connect_us=%u",
		  __entry->race, __entry->state, __entry->winner,
		  __entry->error, __entry->connect_us)
);

TRACE_EVENT(hey_cache_hit,

	TP_PROTO(const struct hey_cache_key *key, u8 result),

	TP_ARGS(key, result),

	TP_STRUCT__entry(
		__field(u64, network)
		__field(u16, family)
		__field(u16, port)
		__field(u8, protocol)
		__field(u8, result)
		__field(u8, by_name)
	),

	TP_fast_assign(
		__entry->network = key->network;
		__entry->family = key->family;
		__entry->port = ntohs(key->port);
		__entry->protocol = key->protocol;
		__entry->result = result;
		__entry->by_name = !!key->name_len;
	),

	TP_printk("network=%#llx family=%u port=%u proto=%u result=%u by_name=%u",
		  __entry->network, __entry->family, __entry->port,
		  __entry->protocol, __entry->result, __entry->by_name)
);

TRACE_EVENT(hey_cache_prune,

	TP_PROTO(u64 race, int ifindex, u8 protocol,
		 const struct hey_endpoint *ep),

	TP_ARGS(race, ifindex, protocol, ep),

	TP_STRUCT__entry(
		__field(u64, race)
		__field(int, ifindex)
		__field(u8, protocol)
		__field(u16, family)
		__field(u16, port)
	),

	TP_fast_assign(
		__entry->race = race;
		__entry->ifindex = ifindex;
		__entry->protocol = protocol;
		__entry->family = ep->family;
		__entry->port = ntohs(ep->port);
	),

	TP_printk("race=%llu ifindex=%d proto=%u family=%u port=%u",
		  __entry->race, __entry->ifindex, __entry->protocol,
		  __entry->family, __entry->port)
);

#endif /* _HEY_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
