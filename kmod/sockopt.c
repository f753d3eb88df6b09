// SPDX-License-Identifier: GPL-2.0
/*
 * The SOL_HEY socket options: validation of what the application asks
 * for, and HEY_INFO. Every option is checked whole before anything is
 * stored, so a refused value changes nothing.
 */

#include <linux/in6.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "race.h"
#include "sock.h"
#include "sockopt.h"

static int endpoint_check(const struct sock *sk, const struct hey_config *cfg,
			  const struct hey_endpoint *ep)
{
	const struct in6_addr *a6 = (const struct in6_addr *)ep->addr;
	__be32 a4;
	int i;

	switch (ep->family) {
	case AF_INET:
		for (i = 4; i < 16; i++)
			if (ep->addr[i])
				return -EINVAL;
		memcpy(&a4, ep->addr, 4);
		if (ep->scope_id || ipv4_is_zeronet(a4) ||
		    ipv4_is_multicast(a4) || ipv4_is_lbcast(a4))
			return -EINVAL;
		return 0;
	case AF_INET6:
		if (ipv6_addr_any(a6) || ipv6_addr_is_multicast(a6) ||
		    ipv6_addr_v4mapped(a6))
			return -EINVAL;
		if (sk->sk_family == AF_INET &&
		    !(cfg->flags & HEY_F_ANY_FAMILY))
			return -EAFNOSUPPORT;
		return 0;
	default:
		return -EINVAL;
	}
}

static int set_endpoints(struct sock *sk, struct hey_config *cfg,
			 sockptr_t optval, unsigned int optlen)
{
	struct hey_endpoint eps[HEY_MAX_ENDPOINTS];
	unsigned int i, n;
	int err;

	if (optlen % sizeof(eps[0]) || optlen > sizeof(eps))
		return -EINVAL;
	n = optlen / sizeof(eps[0]);
	if (copy_from_sockptr(eps, optval, optlen))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		err = endpoint_check(sk, cfg, &eps[i]);
		if (err)
			return err;
	}
	memcpy(cfg->endpoints, eps, optlen);
	cfg->n_endpoints = n;
	return 0;
}

static int set_paths(struct hey_config *cfg, sockptr_t optval,
		     unsigned int optlen)
{
	struct hey_paths p = {};
	unsigned int i;

	if (optlen < offsetof(struct hey_paths, ifindex) ||
	    optlen > sizeof(p))
		return -EINVAL;
	if (copy_from_sockptr(&p, optval, optlen))
		return -EFAULT;
	if (p.mode > HEY_PATHS_DENY || p.count > HEY_MAX_PATHS ||
	    optlen < offsetof(struct hey_paths, ifindex[p.count]))
		return -EINVAL;
	if (p.mode == HEY_PATHS_ALL && p.count)
		return -EINVAL;
	for (i = 0; i < p.count; i++)
		if (!p.ifindex[i] || p.ifindex[i] > INT_MAX)
			return -EINVAL;
	cfg->paths = p;
	return 0;
}

static int set_timing(struct hey_config *cfg, sockptr_t optval,
		      unsigned int optlen)
{
	struct hey_timing t;

	if (optlen != sizeof(t))
		return -EINVAL;
	if (copy_from_sockptr(&t, optval, sizeof(t)))
		return -EFAULT;
	/* RFC 8305 section 5: never below 10 ms; we cap at a minute. */
	if (t.mode >= __HEY_RACE_MAX || t.reserved ||
	    (t.min_delay_ms && t.min_delay_ms < 10) ||
	    t.min_delay_ms > 60000 || t.max_delay_ms > 60000 ||
	    (t.max_delay_ms && t.max_delay_ms < 10) ||
	    (t.min_delay_ms && t.max_delay_ms &&
	     t.max_delay_ms < t.min_delay_ms))
		return -EINVAL;
	cfg->timing = t;
	return 0;
}

static int set_flags(struct hey_config *cfg, sockptr_t optval,
		     unsigned int optlen)
{
	int flags;

	if (optlen != sizeof(flags))
		return -EINVAL;
	if (copy_from_sockptr(&flags, optval, sizeof(flags)))
		return -EFAULT;
	if (flags & ~HEY_F_ALL)
		return -EOPNOTSUPP;
	cfg->flags = flags;
	return 0;
}

static int set_protocols(struct hey_config *cfg, sockptr_t optval,
			 unsigned int optlen)
{
	struct hey_protocols p;
	unsigned int i, seen = 0;

	if (optlen != sizeof(p))
		return -EINVAL;
	if (copy_from_sockptr(&p, optval, sizeof(p)))
		return -EFAULT;
	if (p.count > HEY_MAX_PROTOCOLS || p.reserved)
		return -EINVAL;
	for (i = 0; i < HEY_MAX_PROTOCOLS; i++) {
		if (i >= p.count) {
			/* unused entries must be zero, for later versions */
			if (p.order[i])
				return -EINVAL;
			continue;
		}
		if (!p.order[i] || p.order[i] >= __HEY_PROTO_MAX ||
		    (seen & BIT(p.order[i])))
			return -EINVAL;
		seen |= BIT(p.order[i]);
	}
	cfg->protocols = p;
	return 0;
}

/*
 * What is wrong with a name of len bytes (its trailing NUL, if it had
 * one, left out), or NULL: the rules of HEY_HOST, which the history
 * cache's name keys follow too. The resolver checks a name as DNS does;
 * the kernel only keeps out what no DNS name has (a NUL, control
 * characters, empty or oversized labels), so that a request carries a
 * printable string. Service instance labels may hold spaces and UTF-8.
 */
const char *hey_host_invalid(const char *name, unsigned int len)
{
	unsigned int i, label = 0;

	if (len > HEY_MAX_HOST)
		return "a name is at most 255 bytes";
	for (i = 0; i < len; i++) {
		u8 c = name[i];

		if (c < 0x20 || c == 0x7f)
			return "a NUL or control character in the name";
		if (c != '.') {
			if (++label > 63)
				return "a label of the name above 63 bytes";
			continue;
		}
		/* an empty label, except the root after a final dot */
		if (!label)
			return "an empty label in the name";
		label = 0;
	}
	return NULL;
}

/* A name for the resolver (HEY_HOST); see hey_host_invalid(). */
static int set_host(struct hey_config *cfg, sockptr_t optval,
		    unsigned int optlen)
{
	char name[HEY_MAX_HOST + 1];

	if (optlen > HEY_MAX_HOST + 1)
		return -EINVAL;
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	if (optlen && !name[optlen - 1])
		optlen--;
	if (hey_host_invalid(name, optlen))
		return -EINVAL;
	memcpy(cfg->host, name, optlen);
	cfg->host[optlen] = '\0';
	cfg->host_len = optlen;
	return 0;
}

void hey_sockopt_early_clear(struct hey_sock *hs)
{
	kfree(hs->early);
	hs->early = NULL;
	hs->early_len = 0;
}

/* One copy, charged to the application; every leaf is given the same. */
static int set_early(struct hey_sock *hs, sockptr_t optval,
		     unsigned int optlen)
{
	u8 *buf;

	if (optlen > HEY_MAX_EARLY_DATA)
		return -EMSGSIZE;
	if (!optlen) {
		hey_sockopt_early_clear(hs);
		return 0;
	}
	buf = kmalloc(optlen, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (copy_from_sockptr(buf, optval, optlen)) {
		kfree(buf);
		return -EFAULT;
	}
	hey_sockopt_early_clear(hs);
	hs->early = buf;
	hs->early_len = optlen;
	return 0;
}

int hey_sockopt_set(struct sock *sk, struct hey_sock *hs, int optname,
		    sockptr_t optval, unsigned int optlen)
{
	struct hey_config *cfg = &hs->cfg;

	switch (optname) {
	case HEY_ENDPOINTS:
		return set_endpoints(sk, cfg, optval, optlen);
	case HEY_PATHS:
		return set_paths(cfg, optval, optlen);
	case HEY_TIMING:
		return set_timing(cfg, optval, optlen);
	case HEY_FLAGS:
		return set_flags(cfg, optval, optlen);
	case HEY_PROTOCOLS:
		return set_protocols(cfg, optval, optlen);
	case HEY_EARLY_DATA:
		return set_early(hs, optval, optlen);
	case HEY_HOST:
		return set_host(cfg, optval, optlen);
	case HEY_INFO:
		return -EOPNOTSUPP;	/* read-only */
	default:
		return -ENOPROTOOPT;
	}
}

/* Copies up to *optlen bytes of val out; *optlen becomes what fitted. */
static int put_opt(const void *val, int size, char __user *optval,
		   int __user *optlen)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min(len, size);
	if (copy_to_user(optval, val, len) || put_user(len, optlen))
		return -EFAULT;
	return 0;
}

static int get_info(struct hey_race *race, const struct hey_quick *quick,
		    char __user *optval, int __user *optlen)
{
	struct hey_info *info;
	int err;

	if (!race && !quick)
		return -ENOTCONN;
	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	if (race)
		hey_race_fill_info(race, info);
	else
		hey_quick_fill_info(quick, info);
	err = put_opt(info, sizeof(*info), optval, optlen);
	kfree(info);
	return err;
}

/* Under the socket lock: the early data not yet taken by a race. */
int hey_sockopt_get_early(const struct hey_sock *hs, char __user *optval,
			  int __user *optlen)
{
	return put_opt(hs->early, hs->early_len, optval, optlen);
}

/*
 * Consumes the reference on race, which may be NULL; quick: a race of
 * one that won without a race made (quick.c), or NULL.
 */
int hey_sockopt_get(const struct hey_config *cfg, struct hey_race *race,
		    const struct hey_quick *quick, int optname,
		    char __user *optval, int __user *optlen)
{
	int err;

	switch (optname) {
	case HEY_ENDPOINTS:
		err = put_opt(cfg->endpoints,
			      cfg->n_endpoints * sizeof(cfg->endpoints[0]),
			      optval, optlen);
		break;
	case HEY_PATHS:
		err = put_opt(&cfg->paths, sizeof(cfg->paths), optval, optlen);
		break;
	case HEY_TIMING:
		err = put_opt(&cfg->timing, sizeof(cfg->timing), optval,
			      optlen);
		break;
	case HEY_FLAGS:
		err = put_opt(&cfg->flags, sizeof(cfg->flags), optval, optlen);
		break;
	case HEY_PROTOCOLS:
		err = put_opt(&cfg->protocols, sizeof(cfg->protocols), optval,
			      optlen);
		break;
	case HEY_HOST:
		err = put_opt(cfg->host, cfg->host_len, optval, optlen);
		break;
	case HEY_INFO:
		err = get_info(race, quick, optval, optlen);
		break;
	default:
		err = -ENOPROTOOPT;
	}
	hey_race_put(race);
	return err;
}
