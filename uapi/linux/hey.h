/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hey: Happy Eyeballs connection racing inside the kernel.
 *
 * Documentation
 * =============
 *
 * Attaching
 * ---------
 *
 * An application turns an ordinary, unconnected TCP socket (AF_INET or
 * AF_INET6, SOCK_STREAM, IPPROTO_TCP) into a hey socket with
 *
 *    setsockopt(fd, SOL_TCP, TCP_ULP, HEY_ULP_NAME, sizeof(HEY_ULP_NAME) - 1);
 *
 * The kernel loads hey.ko on demand when the caller has CAP_NET_ADMIN;
 * otherwise the module must already be loaded. Errors:
 *
 *    ENOENT       the module is not loaded and could not be loaded.
 *    EEXIST       a ULP (hey or another) is already attached to the socket.
 *    ENOTCONN     the socket is listening (the TCP ULP core refuses it).
 *    EISCONN      the socket is connected, or its connect() is in progress.
 *    ENOPROTOOPT  the socket is not a TCP socket (UDP, SCTP, MPTCP: reported
 *                 by that protocol, which takes no TCP_ULP).
 *    EOPNOTSUPP   the socket is an AF_UNIX socket.
 *    ENOMEM       no memory for the per-socket state (charged to the
 *                 caller's memory cgroup).
 *
 * getsockopt(fd, SOL_TCP, TCP_ULP, ...) then reports "hey". A hey socket
 * behaves exactly like the TCP socket it was for every operation hey does
 * not take over. While any socket uses it, the module cannot be unloaded
 * (rmmod fails with EBUSY).
 *
 * Socket options of level SOL_HEY (HEY_ENDPOINTS, HEY_PATHS, HEY_TIMING,
 * HEY_INFO, ...) arrive with the race engine and are documented here then.
 *
 * Generic netlink
 * ---------------
 *
 * Family HEY_GENL_NAME, version HEY_GENL_VERSION. The family is per network
 * namespace: every answer describes the namespace of the requesting socket.
 * Every command validates its attributes strictly: an attribute a command
 * does not take is refused with EINVAL and an extack message, and so is a
 * non-zero genlmsghdr.reserved field.
 *
 * HEY_CMD_GET_STATUS
 * ~~~~~~~~~~~~~~~~~~
 *
 * A do request without attributes; no privilege needed. The reply carries:
 *
 *    HEY_A_STATUS_VERSION: NLA_NUL_STRING, the module version
 *    HEY_A_STATUS_API: NLA_U32, HEY_GENL_VERSION of the running module
 *    HEY_A_STATUS_SOCKETS: NLA_U32, sockets in this namespace with the
 *                          hey ULP attached right now
 *    HEY_A_STATUS_ATTACHED: NLA_U64, attaches in this namespace since it
 *                           was created (or since hey.ko was loaded)
 */

#ifndef _UAPI_LINUX_HEY_H
#define _UAPI_LINUX_HEY_H

#define HEY_ULP_NAME "hey"

#define HEY_GENL_NAME "hey"
#define HEY_GENL_VERSION 1

/*
 * Socket option level for hey's own options. Not an IANA or kernel
 * assigned number: chosen far above the kernel's SOL_* range so that it
 * cannot collide with a level a future kernel gives to TCP sockets.
 */
#define SOL_HEY 0x4845

enum hey_cmd {
	HEY_CMD_UNSPEC,
	HEY_CMD_GET_STATUS,
	__HEY_CMD_MAX
};

#define HEY_CMD_MAX (__HEY_CMD_MAX - 1)

enum hey_status_attr {
	HEY_A_STATUS_UNSPEC,
	HEY_A_STATUS_PAD,
	HEY_A_STATUS_VERSION,
	HEY_A_STATUS_API,
	HEY_A_STATUS_SOCKETS,
	HEY_A_STATUS_ATTACHED,
	__HEY_A_STATUS_LAST
};

#define HEY_A_STATUS_MAX (__HEY_A_STATUS_LAST - 1)

#endif /* _UAPI_LINUX_HEY_H */
