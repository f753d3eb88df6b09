// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/hey.h>

#include "heynames.h"

const struct hey_name hey_proto_names[] = {
	{ HEY_PROTO_TCP, "tcp" },
	{ HEY_PROTO_TFO, "tfo" },
	{ HEY_PROTO_SCTP, "sctp" },
	{ 0, NULL },
};

const struct hey_name hey_state_names[] = {
	{ HEY_STATE_IDLE, "idle" },
	{ HEY_STATE_RACING, "racing" },
	{ HEY_STATE_CONNECTED, "connected" },
	{ HEY_STATE_FAILED, "failed" },
	{ 0, NULL },
};

const struct hey_name hey_outcome_names[] = {
	{ HEY_LEAF_PENDING, "pending" },
	{ HEY_LEAF_RUNNING, "running" },
	{ HEY_LEAF_WON, "won" },
	{ HEY_LEAF_FAILED, "failed" },
	{ HEY_LEAF_ABORTED, "aborted" },
	{ 0, NULL },
};

const struct hey_name hey_leaf_flag_names[] = {
	{ HEY_LEAF_F_SYN_DATA, "syn_data" },
	{ HEY_LEAF_F_SYN_DATA_ACKED, "syn_data_acked" },
	{ HEY_LEAF_F_COOKIE_REQ, "cookie_req" },
	{ HEY_LEAF_F_TFO_NEGATIVE, "tfo_negative" },
	{ 0, NULL },
};

const struct hey_name hey_leaf_cache_names[] = {
	{ HEY_LEAF_CACHE_NONE, "none" },
	{ HEY_LEAF_CACHE_GOOD, "good" },
	{ HEY_LEAF_CACHE_SLOW, "slow" },
	{ 0, NULL },
};

const struct hey_name hey_result_names[] = {
	{ HEY_CACHE_SUCCESS, "success" },
	{ HEY_CACHE_FAILED, "failed" },
	{ HEY_CACHE_OUTRUN, "outrun" },
	{ 0, NULL },
};

const struct hey_name hey_change_names[] = {
	{ HEY_CACHE_CHANGE_UPDATED, "updated" },
	{ HEY_CACHE_CHANGE_DELETED, "deleted" },
	{ HEY_CACHE_CHANGE_FLUSHED, "flushed" },
	{ 0, NULL },
};

const struct hey_name hey_mode_names[] = {
	{ HEY_RACE_DELAYED, "delayed" },
	{ HEY_RACE_FAILOVER, "failover" },
	{ HEY_RACE_IMMEDIATE, "immediate" },
	{ 0, NULL },
};

const char *hey_name_of(const struct hey_name *t, unsigned int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

int hey_value_of(const struct hey_name *t, const char *name,
		 unsigned int *value)
{
	for (; t->name; t++) {
		if (!strcmp(t->name, name)) {
			*value = t->value;
			return 0;
		}
	}
	return -1;
}

const char *hey_name_or_num(const struct hey_name *t, unsigned int value,
			    char *buf, size_t len)
{
	const char *n = hey_name_of(t, value);

	if (n)
		return n;
	snprintf(buf, len, "%u", value);
	return buf;
}

const char *hey_flags_str(const struct hey_name *t, unsigned int value,
			  char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; t->name && used < len; t++) {
		if (!(value & t->value))
			continue;
		value &= ~t->value;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "", t->name);
	}
	if (value && used < len)
		snprintf(buf + used, len - used, "%s0x%x", used ? "," : "",
			 value);
	return buf;
}

#define HEY_ERRNO_MAX 4095

const char *hey_errno_name(int err, char *buf, size_t len)
{
	const char *n = err > 0 ? strerrorname_np(err) : NULL;

	if (n)
		return n;
	snprintf(buf, len, "%d", err);
	return buf;
}

int hey_errno_parse(const char *s)
{
	char *end;
	long v;
	int e;

	if (!s[0])
		return -1;
	if (s[0] >= '0' && s[0] <= '9') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (*end || errno || v < 1 || v > HEY_ERRNO_MAX)
			return -1;
		return (int)v;
	}
	for (e = 1; e <= HEY_ERRNO_MAX; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, s))
			return e;
	}
	return -1;
}
