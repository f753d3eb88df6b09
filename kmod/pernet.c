// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. The core allocates and zeroes .size bytes
 * for every namespace, so init only has to set what is not zero.
 */

#include <linux/bug.h>
#include <net/netns/generic.h>

#include "pernet.h"

static unsigned int hey_net_id __read_mostly;

struct hey_net *hey_net_lookup(const struct net *net)
{
	return net_generic(net, hey_net_id);
}

static void __net_exit hey_net_exit(struct net *net)
{
	struct hey_net *hn = hey_net_lookup(net);

	/*
	 * Every hey socket holds a reference on its namespace (or, for a
	 * kernel socket, is released before the namespace dies), so none
	 * can be attached any more.
	 */
	WARN_ON_ONCE(atomic_read(&hn->sockets));
}

static struct pernet_operations hey_net_ops = {
	.exit = hey_net_exit,
	.id = &hey_net_id,
	.size = sizeof(struct hey_net),
};

int hey_pernet_register(void)
{
	return register_pernet_subsys(&hey_net_ops);
}

void hey_pernet_unregister(void)
{
	unregister_pernet_subsys(&hey_net_ops);
}
