// SPDX-License-Identifier: GPL-2.0
/*
 * What hey remembers of TCP Fast Open failures: after a SYN carrying data
 * went unanswered, was not acknowledged, or drew an ICMP error, RFC 7413
 * section 4.1.3.1 says not to try Fast Open on that path again for a
 * while. hey keys that by path (interface) and remote port, and keeps it
 * net.hey.tfo_negative_timeout seconds. The table is bounded: a new entry
 * takes an expired slot or else the one closest to expiring.
 */

#include <linux/jiffies.h>

#include "pernet.h"
#include "tfo.h"

void hey_tfo_table_init(struct hey_tfo_table *t)
{
	spin_lock_init(&t->lock);
}

static bool live(const struct hey_tfo_negative *e, unsigned long now)
{
	return e->expires && time_before(now, e->expires);
}

bool hey_tfo_negative_check(struct hey_net *hn, int ifindex, __be16 port)
{
	struct hey_tfo_table *t = &hn->tfo;
	unsigned long now = jiffies;
	bool found = false;
	int i;

	spin_lock_bh(&t->lock);
	for (i = 0; i < HEY_TFO_NEGATIVE_SLOTS && !found; i++) {
		const struct hey_tfo_negative *e = &t->slot[i];

		found = live(e, now) && e->ifindex == ifindex &&
			e->port == port;
	}
	spin_unlock_bh(&t->lock);
	return found;
}

/* The slot for a new entry: its own, a free one, or the oldest. */
static struct hey_tfo_negative *slot_for(struct hey_tfo_table *t,
					 int ifindex, __be16 port,
					 unsigned long now)
{
	struct hey_tfo_negative *e, *free = NULL, *oldest = &t->slot[0];
	int i;

	for (i = 0; i < HEY_TFO_NEGATIVE_SLOTS; i++) {
		e = &t->slot[i];
		if (!live(e, now)) {
			free = free ? : e;
			continue;
		}
		if (e->ifindex == ifindex && e->port == port)
			return e;
		if (time_before(e->expires, oldest->expires))
			oldest = e;
	}
	return free ? : oldest;
}

void hey_tfo_negative_add(struct hey_net *hn, int ifindex, __be16 port)
{
	unsigned int secs = READ_ONCE(hn->tfo_negative_timeout);
	struct hey_tfo_table *t = &hn->tfo;
	unsigned long now = jiffies;
	struct hey_tfo_negative *e;

	if (!secs)
		return;
	spin_lock_bh(&t->lock);
	e = slot_for(t, ifindex, port, now);
	e->ifindex = ifindex;
	e->port = port;
	/* 0 marks a free slot: never store it as an expiry. */
	e->expires = (now + secs * HZ) ? : 1;
	spin_unlock_bh(&t->lock);
}
