// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/hey.h>

#include "cacheline.h"
#include "heynames.h"
#include "show.h"
#include "syntax.h"

const char *show_endpoint(uint16_t family, const uint8_t *addr,
			  uint16_t port, char *buf)
{
	char a[INET6_ADDRSTRLEN];

	if (family == AF_INET6) {
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, SHOW_ENDPOINT_LEN, "[%s]:%u", a, port);
	} else if (family == AF_INET) {
		inet_ntop(AF_INET, addr, a, sizeof(a));
		snprintf(buf, SHOW_ENDPOINT_LEN, "%s:%u", a, port);
	} else {
		snprintf(buf, SHOW_ENDPOINT_LEN, "any:%u", port);
	}
	return buf;
}

static const char *family_name(uint16_t family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" :
	       "unspec";
}

const char *show_ifname(uint32_t ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (!ifindex)
		snprintf(buf, len, "-");
	else if (if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "if%" PRIu32, ifindex);
	return buf;
}

/* Microseconds as milliseconds: "1.203". */
static const char *ms(uint32_t us, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu32 ".%03" PRIu32, us / 1000, us % 1000);
	return buf;
}

/*
 * The elements [from, n) of a vec: a JSON array of json(j, element), or
 * text(f, element) each.
 */
static void show_list(FILE *f, const struct heynl_vec *v, size_t from,
		      bool json, void (*text)(FILE *f, const void *e),
		      void (*js)(struct json *j, const void *e))
{
	struct json j;
	size_t i;

	json_init(&j, f);
	if (json)
		json_array_begin(&j);
	for (i = from; i < v->n; i++) {
		if (json)
			js(&j, heynl_vec_at(v, i));
		else
			text(f, heynl_vec_at(v, i));
	}
	if (json) {
		json_array_end(&j);
		fputc('\n', f);
	}
}

/* ---- races ------------------------------------------------------------ */

static void leaf_text(FILE *f, unsigned int idx, const struct heynl_leaf *l)
{
	char dev[IF_NAMESIZE + 8], net[24], ep[SHOW_ENDPOINT_LEN];
	char start[16] = "-", end[16] = "-", flags[64];
	char errbuf[HEY_NAME_BUF], proto[HEY_NAME_BUF];
	char outcome[HEY_NAME_BUF], cachebuf[HEY_NAME_BUF];
	const char *err = "-", *cache = "-";

	show_ifname(HEYNL_HAS(l, HEY_A_LEAF_IFINDEX) ? l->ifindex : 0, dev,
		    sizeof(dev));
	if (HEYNL_HAS(l, HEY_A_LEAF_NETWORK))
		snprintf(net, sizeof(net), "0x%" PRIx64, l->network);
	else
		snprintf(net, sizeof(net), "-");
	if (HEYNL_HAS(l, HEY_A_LEAF_START_US))
		ms(l->start_us, start, sizeof(start));
	if (HEYNL_HAS(l, HEY_A_LEAF_END_US))
		ms(l->end_us, end, sizeof(end));
	if (l->error)
		err = hey_errno_name(l->error, errbuf, sizeof(errbuf));
	if (HEYNL_HAS(l, HEY_A_LEAF_CACHE))
		cache = hey_name_or_num(hey_leaf_cache_names, l->cache,
					cachebuf, sizeof(cachebuf));
	hey_flags_str(hey_leaf_flag_names, l->flags, flags, sizeof(flags));
	fprintf(f, "  %-4u %-8s %-18s %-5s %-24s %9s %9s %-8s %-13s %-6s %s\n",
		idx, dev, net,
		hey_name_or_num(hey_proto_names, l->protocol, proto,
				sizeof(proto)),
		show_endpoint(l->family, l->addr, l->port, ep), start, end,
		hey_name_or_num(hey_outcome_names, l->outcome, outcome,
				sizeof(outcome)),
		err, flags[0] ? flags : "-", cache);
}

/* The kernel says 0 for the connect time of a race that did not win. */
static bool has_connect(const struct heynl_race *r)
{
	return HEYNL_HAS(r, HEY_A_RACE_CONNECT_US) &&
	       r->state == HEY_STATE_CONNECTED;
}

/* The race's header fields after "race [ID]", without a newline. */
static void race_summary(FILE *f, const struct heynl_race *r)
{
	char buf[HEY_NAME_BUF], t[16];

	if (HEYNL_HAS(r, HEY_A_RACE_AGE_MS))
		fprintf(f, " age %" PRIu64 ".%03" PRIu64 "s", r->age_ms / 1000,
			r->age_ms % 1000);
	fprintf(f, " state %s",
		hey_name_or_num(hey_state_names, r->state, buf, sizeof(buf)));
	if (HEYNL_HAS(r, HEY_A_RACE_WINNER))
		fprintf(f, " winner %" PRIu32, r->winner);
	if (has_connect(r))
		fprintf(f, " connect %sms", ms(r->connect_us, t, sizeof(t)));
	if (r->error)
		fprintf(f, " error %s", hey_errno_name(r->error, buf,
						       sizeof(buf)));
	if (r->early_data)
		fprintf(f, " early-data %" PRIu32, r->early_data);
	if (r->pruned)
		fprintf(f, " pruned %" PRIu32, r->pruned);
	fprintf(f, " leaves %u", r->n_leaves);
}

void show_race_text(FILE *f, const struct heynl_race *r)
{
	unsigned int i;

	fprintf(f, "race");
	if (HEYNL_HAS(r, HEY_A_RACE_ID))
		fprintf(f, " %" PRIu64, r->id);
	race_summary(f, r);
	fputc('\n', f);
	if (!r->n_leaves)
		return;
	fprintf(f, "  %-4s %-8s %-18s %-5s %-24s %9s %9s %-8s %-13s %-6s %s\n",
		"leaf", "dev", "network", "proto", "endpoint", "start_ms",
		"end_ms", "outcome", "error", "flags", "cache");
	for (i = 0; i < r->n_leaves; i++)
		leaf_text(f, i, &r->leaves[i]);
}

/* A u32 member, or null when its attribute did not come. */
static void kv_opt_u32(struct json *j, const char *key, bool has, uint32_t v)
{
	if (has)
		json_kv_u64(j, key, v);
	else
		json_kv_null(j, key);
}

static void kv_errno(struct json *j, const char *key, uint32_t err)
{
	char buf[HEY_NAME_BUF];

	if (err)
		json_kv_string(j, key, hey_errno_name(err, buf, sizeof(buf)));
	else
		json_kv_null(j, key);
}

static void kv_name(struct json *j, const char *key, const struct hey_name *t,
		    unsigned int v)
{
	char buf[HEY_NAME_BUF];

	json_kv_string(j, key, hey_name_or_num(t, v, buf, sizeof(buf)));
}

static void kv_ifname(struct json *j, const char *key, uint32_t ifindex)
{
	char buf[IF_NAMESIZE + 8];

	if (ifindex)
		json_kv_string(j, key, show_ifname(ifindex, buf, sizeof(buf)));
	else
		json_kv_null(j, key);
}

static void kv_flags(struct json *j, const char *key, unsigned int flags)
{
	const struct hey_name *n;

	json_key(j, key);
	json_array_begin(j);
	for (n = hey_leaf_flag_names; n->name; n++) {
		if (flags & n->value)
			json_string(j, n->name);
		flags &= ~n->value;
	}
	if (flags)
		json_u64(j, flags);
	json_array_end(j);
}

static void leaf_json(struct json *j, unsigned int idx,
		      const struct heynl_leaf *l)
{
	char addr[INET6_ADDRSTRLEN];

	json_object_begin(j);
	json_kv_u64(j, "index", idx);
	kv_opt_u32(j, "ifindex", HEYNL_HAS(l, HEY_A_LEAF_IFINDEX), l->ifindex);
	kv_ifname(j, "dev", HEYNL_HAS(l, HEY_A_LEAF_IFINDEX) ? l->ifindex : 0);
	if (HEYNL_HAS(l, HEY_A_LEAF_NETWORK))
		json_kv_u64(j, "network", l->network);
	else
		json_kv_null(j, "network");
	kv_name(j, "protocol", hey_proto_names, l->protocol);
	json_kv_string(j, "family", family_name(l->family));
	json_kv_string(j, "addr", cacheline_addr(l->family, l->addr, addr,
						 sizeof(addr)));
	json_kv_u64(j, "port", l->port);
	kv_opt_u32(j, "start_us", HEYNL_HAS(l, HEY_A_LEAF_START_US),
		   l->start_us);
	kv_opt_u32(j, "end_us", HEYNL_HAS(l, HEY_A_LEAF_END_US), l->end_us);
	kv_name(j, "outcome", hey_outcome_names, l->outcome);
	kv_errno(j, "error", l->error);
	kv_flags(j, "flags", l->flags);
	if (HEYNL_HAS(l, HEY_A_LEAF_CACHE))
		kv_name(j, "cache", hey_leaf_cache_names, l->cache);
	else
		json_kv_null(j, "cache");
	json_object_end(j);
}

void show_race_json(struct json *j, const struct heynl_race *r)
{
	unsigned int i;

	json_object_begin(j);
	if (HEYNL_HAS(r, HEY_A_RACE_ID))
		json_kv_u64(j, "id", r->id);
	if (HEYNL_HAS(r, HEY_A_RACE_AGE_MS))
		json_kv_u64(j, "age_ms", r->age_ms);
	kv_name(j, "state", hey_state_names, r->state);
	kv_opt_u32(j, "winner", HEYNL_HAS(r, HEY_A_RACE_WINNER), r->winner);
	kv_opt_u32(j, "connect_us", has_connect(r), r->connect_us);
	kv_errno(j, "error", r->error);
	json_kv_u64(j, "early_data", r->early_data);
	json_kv_u64(j, "pruned", r->pruned);
	json_key(j, "leaves");
	json_array_begin(j);
	for (i = 0; i < r->n_leaves; i++)
		leaf_json(j, i, &r->leaves[i]);
	json_array_end(j);
	json_object_end(j);
}

static void race_text(FILE *f, const void *race)
{
	show_race_text(f, race);
}

static void race_json(struct json *j, const void *race)
{
	show_race_json(j, race);
}

void show_races(FILE *f, const struct heynl_vec *races, size_t last,
		bool json)
{
	show_list(f, races, last && last < races->n ? races->n - last : 0,
		  json, race_text, race_json);
}

/* ---- cache ------------------------------------------------------------ */

void show_cache_entry_json(struct json *j, const struct heynl_cache_entry *e)
{
	char addr[INET6_ADDRSTRLEN];
	const struct syntax_u32 *c;

	json_kv_u64(j, "network", e->network);
	json_kv_string(j, "family", family_name(e->family));
	/* the destination: an address (or "any"), or a name */
	if (HEYNL_HAS(e, HEY_A_CACHE_NAME)) {
		json_kv_null(j, "dst");
		json_kv_string(j, "name", e->name);
	} else {
		json_kv_string(j, "dst", cacheline_addr(e->family, e->addr,
							addr, sizeof(addr)));
		json_kv_null(j, "name");
	}
	json_kv_u64(j, "port", e->port);
	kv_name(j, "proto", hey_proto_names, e->protocol);
	if (HEYNL_HAS(e, HEY_A_CACHE_RESULT))
		kv_name(j, "result", hey_result_names, e->result);
	else
		json_kv_null(j, "result");
	for (c = syntax_cache_counters; c->word; c++)
		kv_opt_u32(j, c->json, HEYNL_HAS(e, c->attr),
			   syntax_get(e, c));
	kv_errno(j, "error", e->error);
}

static void cache_text(FILE *f, const void *e)
{
	cacheline_print(f, e);
	fputc('\n', f);
}

static void cache_json(struct json *j, const void *e)
{
	json_object_begin(j);
	show_cache_entry_json(j, e);
	json_object_end(j);
}

void show_cache(FILE *f, const struct heynl_vec *entries, bool json)
{
	show_list(f, entries, 0, json, cache_text, cache_json);
}

/* ---- policy ----------------------------------------------------------- */

/* The numbers of a table of them that p has, "word N" a line. */
static void numbers_text(FILE *f, const struct heynl_policy *p,
			 const struct syntax_u32 *t)
{
	for (; t->word; t++)
		if (HEYNL_HAS(p, t->attr))
			fprintf(f, "%s %" PRIu32 "\n", t->word,
				syntax_get(p, t));
}

static void numbers_json(struct json *j, const struct heynl_policy *p,
			 const struct syntax_u32 *t)
{
	for (; t->word; t++)
		if (HEYNL_HAS(p, t->attr))
			json_kv_u64(j, t->json, syntax_get(p, t));
}

/* "tcp,sctp" of a protocol list, "none" when empty. */
static void proto_list_text(FILE *f, const uint8_t *v, unsigned int n)
{
	char buf[HEY_NAME_BUF];
	unsigned int i;

	if (!n)
		fputs("none", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "",
			hey_name_or_num(hey_proto_names, v[i], buf,
					sizeof(buf)));
}

/* The protocols of a bit mask, in hey_proto order. */
static unsigned int mask_protocols(uint32_t mask, uint8_t *v)
{
	unsigned int n = 0, p;

	for (p = 1; p < 32; p++)
		if (mask & (1u << p))
			v[n++] = p;
	return n;
}

static void if_list_text(FILE *f, const uint32_t *v, unsigned int n)
{
	char buf[IF_NAMESIZE + 8];
	unsigned int i;

	if (!n)
		fputs("none", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "",
			show_ifname(v[i], buf, sizeof(buf)));
}

static void policy_text(FILE *f, const struct heynl_policy *p)
{
	uint8_t allowed[32];
	char buf[HEY_NAME_BUF];

	if (HEYNL_HAS(p, HEY_A_POLICY_MODE))
		fprintf(f, "mode %s\n",
			hey_name_or_num(hey_mode_names, p->mode, buf,
					sizeof(buf)));
	numbers_text(f, p, syntax_policy_delays);
	if (HEYNL_HAS(p, HEY_A_POLICY_PROTOCOLS)) {
		fputs("protocols ", f);
		proto_list_text(f, p->protocols, p->n_protocols);
		fputc('\n', f);
	}
	if (HEYNL_HAS(p, HEY_A_POLICY_ALLOWED)) {
		fputs("allowed ", f);
		proto_list_text(f, allowed, mask_protocols(p->allowed,
							   allowed));
		fputc('\n', f);
	}
	if (HEYNL_HAS(p, HEY_A_POLICY_PREFER)) {
		fputs("prefer ", f);
		if_list_text(f, p->prefer, p->n_prefer);
		fputc('\n', f);
	}
	if (HEYNL_HAS(p, HEY_A_POLICY_EXCLUDE)) {
		fputs("exclude ", f);
		if_list_text(f, p->exclude, p->n_exclude);
		fputc('\n', f);
	}
	numbers_text(f, p, syntax_policy_limits);
}

static void proto_list_json(struct json *j, const char *key,
			    const uint8_t *v, unsigned int n)
{
	char buf[HEY_NAME_BUF];
	unsigned int i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < n; i++)
		json_string(j, hey_name_or_num(hey_proto_names, v[i], buf,
					       sizeof(buf)));
	json_array_end(j);
}

static void if_list_json(struct json *j, const char *key, const uint32_t *v,
			 unsigned int n)
{
	char buf[IF_NAMESIZE + 8];
	unsigned int i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < n; i++)
		json_string(j, show_ifname(v[i], buf, sizeof(buf)));
	json_array_end(j);
}

static void policy_json(struct json *j, const struct heynl_policy *p)
{
	uint8_t allowed[32];

	json_object_begin(j);
	if (HEYNL_HAS(p, HEY_A_POLICY_MODE))
		kv_name(j, "mode", hey_mode_names, p->mode);
	numbers_json(j, p, syntax_policy_delays);
	numbers_json(j, p, syntax_policy_limits);
	if (HEYNL_HAS(p, HEY_A_POLICY_PROTOCOLS))
		proto_list_json(j, "protocols", p->protocols, p->n_protocols);
	if (HEYNL_HAS(p, HEY_A_POLICY_ALLOWED))
		proto_list_json(j, "allowed", allowed,
				mask_protocols(p->allowed, allowed));
	if (HEYNL_HAS(p, HEY_A_POLICY_PREFER))
		if_list_json(j, "prefer", p->prefer, p->n_prefer);
	if (HEYNL_HAS(p, HEY_A_POLICY_EXCLUDE))
		if_list_json(j, "exclude", p->exclude, p->n_exclude);
	json_object_end(j);
}

void show_policy(FILE *f, const struct heynl_policy *p, bool json)
{
	struct json j;

	if (!json) {
		policy_text(f, p);
		return;
	}
	json_init(&j, f);
	policy_json(&j, p);
	fputc('\n', f);
}

/* ---- networks --------------------------------------------------------- */

static const char *network_name(const struct heynl_network *n, char *buf,
				size_t len)
{
	if (n->ifname[0]) {
		snprintf(buf, len, "%s", n->ifname);
		return buf;
	}
	return show_ifname(n->ifindex, buf, len);
}

static void network_text(FILE *f, const void *net)
{
	const struct heynl_network *n = net;
	char name[IF_NAMESIZE + 8];

	fprintf(f, "%s ifindex %" PRIu32 " network 0x%" PRIx64 "%s\n",
		network_name(n, name, sizeof(name)), n->ifindex, n->id,
		n->id & HEY_NETWORK_DEFAULT ? " default" : "");
}

static void network_json(struct json *j, const void *net)
{
	const struct heynl_network *n = net;
	char name[IF_NAMESIZE + 8];

	json_object_begin(j);
	json_kv_u64(j, "ifindex", n->ifindex);
	json_kv_string(j, "dev", network_name(n, name, sizeof(name)));
	json_kv_u64(j, "network", n->id);
	json_kv_bool(j, "default", n->id & HEY_NETWORK_DEFAULT);
	json_object_end(j);
}

void show_networks(FILE *f, const struct heynl_vec *networks, bool json)
{
	show_list(f, networks, 0, json, network_text, network_json);
}

/* ---- events ----------------------------------------------------------- */

void show_event_race(FILE *f, const struct heynl_race *r, bool json)
{
	char ep[SHOW_ENDPOINT_LEN], dev[IF_NAMESIZE + 8], buf[HEY_NAME_BUF];
	const struct heynl_leaf *w;
	struct json j;

	if (json) {
		json_init(&j, f);
		json_object_begin(&j);
		json_kv_string(&j, "event", "race_done");
		json_key(&j, "race");
		show_race_json(&j, r);
		json_object_end(&j);
		fputc('\n', f);
		return;
	}
	fprintf(f, "race");
	if (HEYNL_HAS(r, HEY_A_RACE_ID))
		fprintf(f, " %" PRIu64, r->id);
	race_summary(f, r);
	if (HEYNL_HAS(r, HEY_A_RACE_WINNER) && r->winner < r->n_leaves) {
		w = &r->leaves[r->winner];
		fprintf(f, " via %s %s dev %s",
			hey_name_or_num(hey_proto_names, w->protocol, buf,
					sizeof(buf)),
			show_endpoint(w->family, w->addr, w->port, ep),
			show_ifname(HEYNL_HAS(w, HEY_A_LEAF_IFINDEX) ?
				    w->ifindex : 0, dev, sizeof(dev)));
	}
	fputc('\n', f);
}

void show_event_cache(FILE *f, const struct heynl_cache_entry *e, bool json)
{
	char buf[HEY_NAME_BUF];
	bool flushed = e->change == HEY_CACHE_CHANGE_FLUSHED;
	struct json j;

	if (json) {
		json_init(&j, f);
		json_object_begin(&j);
		json_kv_string(&j, "event", "cache_changed");
		kv_name(&j, "change", hey_change_names, e->change);
		if (!flushed)
			show_cache_entry_json(&j, e);
		else if (HEYNL_HAS(e, HEY_A_CACHE_NETWORK))
			json_kv_u64(&j, "network", e->network);
		json_object_end(&j);
		fputc('\n', f);
		return;
	}
	fprintf(f, "cache %s",
		hey_name_or_num(hey_change_names, e->change, buf, sizeof(buf)));
	if (!flushed) {
		fputc(' ', f);
		cacheline_print(f, e);
	} else if (HEYNL_HAS(e, HEY_A_CACHE_NETWORK)) {
		fprintf(f, " network 0x%" PRIx64, e->network);
	}
	fputc('\n', f);
}
