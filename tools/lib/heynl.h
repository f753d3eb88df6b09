/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace side of the "hey" generic netlink family, shared by heyctl,
 * heyd and the selftests: open the family, send a request, collect the
 * kernel's errno and extack message.
 */
#ifndef HEYNL_H
#define HEYNL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/hey.h>
#include <linux/netlink.h>

struct nl_sock;
struct nl_msg;
struct nlattr;
struct nla_policy;

struct heynl {
	struct nl_sock *sk;
	int family;
	/* the kernel's extack message for the last failed request, or "" */
	char extack[256];
};

struct hey_status {
	char version[32];
	uint32_t api;
	uint32_t sockets;
	uint64_t attached;
};

/* Returns 0, -ENOENT when the family is not registered, or another -errno. */
int heynl_open(struct heynl *h);
void heynl_close(struct heynl *h);

/*
 * Sends msg (consumed) and waits for the answer: each reply message goes to
 * parse(msg, arg) when parse is set. Returns 0 or the kernel's -errno, with
 * its extack text in h->extack.
 */
int heynl_request(struct heynl *h, struct nl_msg *msg,
		  int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/* A new request message for cmd, with flags beyond NLM_F_REQUEST. */
struct nl_msg *heynl_msg(struct heynl *h, uint8_t cmd, int flags);

/*
 * Objects parsed from replies record which attributes came in a mask,
 * present: bit (1 << attribute). HEYNL_HAS(obj, HEY_A_LEAF_START_US).
 */
#define HEYNL_HAS(obj, attr) (((obj)->present >> (attr)) & 1u)
#define HEYNL_BIT(attr) (1u << (attr))

/*
 * A growable array of elements of size bytes: what a dump collects.
 * Declare with { .size = sizeof(element) }.
 */
struct heynl_vec {
	void *v;
	size_t n, cap, size;
};

/* A zeroed new last element, or NULL when out of memory. */
void *heynl_vec_add(struct heynl_vec *vec);
void heynl_vec_free(struct heynl_vec *vec);

static inline void *heynl_vec_at(const struct heynl_vec *vec, size_t i)
{
	return (char *)vec->v + i * vec->size;
}

/*
 * Dumps cmd: fill(msg, farg) adds the request's attributes (when set),
 * then every reply goes to parse(msg, out). A dump the kernel flags as
 * interrupted (NLM_F_DUMP_INTR: the objects changed meanwhile) is thrown
 * away and asked again, a few times; then -EAGAIN.
 */
int heynl_dump(struct heynl *h, uint8_t cmd,
	       int (*fill)(struct nl_msg *msg, const void *farg),
	       const void *farg, int (*parse)(struct nl_msg *msg, void *out),
	       struct heynl_vec *out);

/*
 * The attributes of a genl message (a reply or an event) in tb, checked
 * against policy: -EPROTO when the message is malformed.
 */
int heynl_parse(struct nl_msg *msg, struct nlattr **tb, int max,
		const struct nla_policy *policy);

int heynl_status_get(struct heynl *h, struct hey_status *st);

/* Per-namespace counters, indexed by enum hey_stats_attr. */
struct hey_stats {
	uint64_t v[__HEY_A_STATS_LAST];
};

int heynl_stats_get(struct heynl *h, struct hey_stats *stats);

/* The counter's name as heyctl shows it ("races", "wins_ipv6", ...). */
const char *heynl_stat_name(int attr);

/*
 * Copies the NLMSGERR_ATTR_MSG text of an NLMSG_ERROR message of len bytes
 * into buf (always NUL-terminated). Returns the text's length, 0 if none.
 * Never reads outside [nlh, nlh + len).
 */
size_t heynl_extack_msg(const struct nlmsghdr *nlh, size_t len,
			char *buf, size_t buflen);

#endif /* HEYNL_H */
