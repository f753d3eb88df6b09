/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_ULP_H
#define _HEY_ULP_H

struct hey_leaf;
struct hey_sock;
struct sock;
struct socket;

struct hey_sock *hey_ulp_state(const struct sock *sk);
int hey_ulp_graft(struct socket *sock, struct hey_leaf *leaf,
		  struct hey_sock *hw);
void hey_ulp_keep(struct socket *sock);
void hey_ulp_wake(struct sock *w);

int hey_ulp_register(void);
void hey_ulp_unregister(void);

#endif /* _HEY_ULP_H */
