// SPDX-License-Identifier: GPL-2.0
/*
 * What hey remembers of TCP Fast Open failures: after a SYN carrying data
 * went unanswered, was not acknowledged, or drew an ICMP error, RFC 7413
 * section 4.1.3.1 says not to try Fast Open on that path again for a
 * while. hey keeps that in the history cache as a TFO entry of the path's
 * network and the remote port for every destination (family AF_UNSPEC),
 * for net.hey.tfo_negative_timeout seconds.
 */

#include <linux/socket.h>

#include "cache.h"
#include "netlink.h"
#include "network.h"
#include "pernet.h"
#include "tfo.h"

static void tfo_key(struct hey_net *hn, struct hey_cache_key *key,
		    int ifindex, __be16 port)
{
	memset(key, 0, sizeof(*key));
	key->network = hey_network_id(hn, ifindex);
	key->family = AF_UNSPEC;
	key->port = port;
	key->protocol = HEY_PROTO_TFO;
}

bool hey_tfo_negative_check(struct hey_net *hn, int ifindex, __be16 port)
{
	struct hey_cache_key key;
	struct hey_cache_val val;

	tfo_key(hn, &key, ifindex, port);
	return hey_cache_lookup(hn, &key, &val) &&
	       val.result == HEY_CACHE_FAILED;
}

void hey_tfo_negative_add(struct hey_net *hn, int ifindex, __be16 port)
{
	struct hey_cache_key key;

	tfo_key(hn, &key, ifindex, port);
	hey_cache_record(hn, &key, HEY_CACHE_FAILED, 0, 0, NULL,
			 hey_genl_has_listeners(hn));
}
