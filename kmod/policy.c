// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace's racing policy: the defaults a socket's own options
 * override (mode, delays, protocols) and the limits they cannot (allowed
 * protocols, excluded interfaces). Set over netlink by an administrator;
 * every race copies it once, when it is built.
 */

#include <linux/string.h>

#include "pernet.h"
#include "policy.h"

void hey_policy_init(struct hey_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = HEY_RACE_DELAYED;
	p->min_delay_ms = 100;
	p->max_delay_ms = 2000;
	/* RFC 8305 section 5: 250 ms when no RTT is known. */
	p->default_delay_ms = 250;
	p->n_protos = 1;
	p->protos[0] = HEY_PROTO_TCP;
	p->allowed = HEY_POLICY_ALLOWED_ALL;
}

/*
 * Every connect() reads the policy and almost none changes it: a reader
 * takes no lock (a seqlock), and copies again if a change came between.
 */
void hey_policy_get(struct hey_net *hn, struct hey_policy *p)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&hn->policy_lock);
		*p = hn->policy;
	} while (read_seqretry(&hn->policy_lock, seq));
}

void hey_policy_set(struct hey_net *hn, const struct hey_policy *p)
{
	write_seqlock(&hn->policy_lock);
	hn->policy = *p;
	write_sequnlock(&hn->policy_lock);
}

bool hey_policy_excludes(const struct hey_policy *p, int ifindex)
{
	int i;

	for (i = 0; i < p->n_exclude; i++)
		if (p->exclude[i] == ifindex)
			return true;
	return false;
}

/*
 * Moves the preferred interfaces' paths to the front, in the policy's
 * order; the others keep theirs.
 */
void hey_policy_order_paths(const struct hey_policy *p, int *paths, int n)
{
	int i, j, k, front = 0;

	for (i = 0; i < p->n_prefer; i++) {
		for (j = front; j < n && paths[j] != p->prefer[i]; j++)
			;
		if (j == n)
			continue;
		for (k = j; k > front; k--)
			paths[k] = paths[k - 1];
		paths[front++] = p->prefer[i];
	}
}
