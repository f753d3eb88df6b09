/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_SOCKOPT_H
#define _HEY_SOCKOPT_H

#include <linux/sockptr.h>

struct hey_config;
struct hey_quick;
struct hey_race;
struct hey_sock;
struct sock;

int hey_sockopt_set(struct sock *sk, struct hey_sock *hs, int optname,
		    sockptr_t optval, unsigned int optlen);
int hey_sockopt_get(const struct hey_config *cfg, struct hey_race *race,
		    const struct hey_quick *quick, int optname,
		    char __user *optval, int __user *optlen);
int hey_sockopt_get_early(const struct hey_sock *hs, char __user *optval,
			  int __user *optlen);
void hey_sockopt_early_clear(struct hey_sock *hs);
const char *hey_host_invalid(const char *name, unsigned int len);

#endif /* _HEY_SOCKOPT_H */
