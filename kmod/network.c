// SPDX-License-Identifier: GPL-2.0
/*
 * Network identity: which network each interface is attached to. The
 * history cache is keyed by it, so that what was learned on one network
 * is not applied on another (draft "Connection Establishment Racing"
 * section 6: history is per network). The kernel cannot tell networks
 * apart; heyd can (the router's link-layer address, the prefixes, the
 * SSID) and sets the id over netlink. Until then an interface is a
 * network of its own: HEY_NETWORK_DEFAULT | ifindex.
 *
 * The ids live in an xarray per namespace, indexed by ifindex, as xarray
 * values (ids are below 2^63, which xa_mk_value() takes). An interface
 * that goes away takes its id with it: its ifindex may come back as
 * another interface.
 */

#include <linux/netdevice.h>
#include <linux/xarray.h>

#include "network.h"
#include "pernet.h"

u64 hey_network_id(struct hey_net *hn, int ifindex)
{
	void *v;

	/* Without heyd no interface has an id: no lookup under RCU then. */
	if (xa_empty(&hn->networks))
		return HEY_NETWORK_DEFAULT | (u32)ifindex;
	v = xa_load(&hn->networks, ifindex);

	return v ? xa_to_value(v) : HEY_NETWORK_DEFAULT | (u32)ifindex;
}

/* id 0: back to the default. */
int hey_network_set(struct hey_net *hn, int ifindex, u64 id)
{
	int err = 0;

	if (!id)
		xa_erase(&hn->networks, ifindex);
	else
		err = xa_err(xa_store(&hn->networks, ifindex,
				      xa_mk_value(id), GFP_KERNEL_ACCOUNT));
	atomic_inc(&hn->networks_gen);
	return err;
}

/* Changes when any id does: a dump started before is inconsistent. */
u32 hey_network_gen(struct hey_net *hn)
{
	return atomic_read(&hn->networks_gen);
}

static int hey_network_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER) {
		struct hey_net *hn = hey_net_lookup(dev_net(dev));

		xa_erase(&hn->networks, dev->ifindex);
		atomic_inc(&hn->networks_gen);
	}
	return NOTIFY_DONE;
}

static struct notifier_block hey_network_notifier = {
	.notifier_call = hey_network_event,
};

int __init hey_network_init(void)
{
	return register_netdevice_notifier(&hey_network_notifier);
}

void hey_network_exit(void)
{
	unregister_netdevice_notifier(&hey_network_notifier);
}
