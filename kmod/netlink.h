/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_NETLINK_H
#define _HEY_NETLINK_H

int hey_genl_register(void);
void hey_genl_unregister(void);

#endif /* _HEY_NETLINK_H */
