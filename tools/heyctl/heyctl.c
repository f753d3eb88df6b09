// SPDX-License-Identifier: GPL-2.0
/*
 * heyctl: look at and steer the hey module.
 *
 * Subcommands live in {name, function, usage, help} tables, as in wg(8),
 * with objects taking verbs as in ip(8): "heyctl cache show". This file
 * is the tables and the argument handling; the netlink requests are in
 * tools/lib/heynl_*.c, the output in show.c, the argument syntax in
 * args.c (its shared part, with a cache entry's words and the cache
 * files, in tools/lib), and the two loops of their own in monitor.c and
 * connect.c. -j switches every output to JSON.
 *
 * Exit status: 0 success; 1 a request failed (the kernel's errno and
 * extack message on stderr); 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "cachefile.h"
#include "connect.h"
#include "heynl.h"
#include "heynl_cache.h"
#include "heynl_network.h"
#include "heynl_policy.h"
#include "heynl_races.h"
#include "json.h"
#include "monitor.h"
#include "show.h"

static bool json;

/*
 * A command, or an object with verbs of its own (verbs set, fn NULL):
 * "heyctl cache" alone runs the first verb, "show".
 */
struct cmd {
	const char *name;
	int (*fn)(const struct cmd *cmd, int argc, char **argv);
	const char *usage;	/* the arguments after the name */
	const char *help;
	const struct cmd *verbs;
	size_t n_verbs;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "Usage: heyctl cache del ARGS", and why, if said: exit status 2. */
static int usage_error(const char *prefix, const struct cmd *cmd,
		       const char *why)
{
	if (why && why[0])
		fprintf(stderr, "heyctl: %s%s%s: %s\n", prefix,
			prefix[0] ? " " : "", cmd->name, why);
	fprintf(stderr, "Usage: heyctl %s%s%s%s%s\n", prefix,
		prefix[0] ? " " : "", cmd->name, cmd->usage[0] ? " " : "",
		cmd->usage);
	return 2;
}

/* A failed request: errno, the kernel's extack text; exit status 1. */
static int report(const char *what, struct heynl *h, int err)
{
	const char *hint = "";

	if (!h && err == -ENOENT) {
		fprintf(stderr,
			"heyctl: %s: the hey module is not loaded (no generic netlink family \"hey\")\n",
			what);
		return 1;
	}
	if (err == -EPERM)
		hint = " (needs CAP_NET_ADMIN)";
	else if (err == -EOPNOTSUPP && h && !h->extack[0])
		hint = " (the loaded hey module does not know this command)";
	if (h && h->extack[0])
		fprintf(stderr, "heyctl: %s: %s: %s%s\n", what, strerror(-err),
			h->extack, hint);
	else
		fprintf(stderr, "heyctl: %s: %s%s\n", what, strerror(-err),
			hint);
	return 1;
}

/* Opens the family or reports why not: 0 or exit status 1. */
static int open_nl(const char *what, struct heynl *h)
{
	int ret = heynl_open(h);

	return ret ? report(what, NULL, ret) : 0;
}

/* The request's result as an exit status; closes h. */
static int done(const char *what, struct heynl *h, int ret)
{
	if (ret)
		ret = report(what, h, ret);
	heynl_close(h);
	return ret;
}

/* Runs cmd: its function, or the verb argv[1] of an object. */
static int run(const struct cmd *cmd, int argc, char **argv)
{
	static char show[] = "show";
	char *dflt[] = { show, NULL };
	const struct cmd *v = cmd->verbs;
	size_t i;

	if (!v)
		return cmd->fn(cmd, argc, argv);
	if (argc < 2)
		return v[0].fn(&v[0], 1, dflt);
	for (i = 0; i < cmd->n_verbs; i++)
		if (!strcmp(argv[1], v[i].name))
			return v[i].fn(&v[i], argc - 1, argv + 1);
	fprintf(stderr, "heyctl: %s: unknown command '%s'\n", cmd->name,
		argv[1]);
	for (i = 0; i < cmd->n_verbs; i++)
		fprintf(stderr, "%s heyctl %s %s%s%s\n",
			i ? "      " : "Usage:", cmd->name, v[i].name,
			v[i].usage[0] ? " " : "", v[i].usage);
	return 2;
}

/* ---- status, stats ----------------------------------------------------- */

static int cmd_status(const struct cmd *cmd, int argc, char **argv)
{
	struct hey_status st;
	struct heynl h;
	struct json j;
	int ret;

	(void)argv;
	if (argc > 1)
		return usage_error("", cmd, "takes no arguments");
	if (open_nl("status", &h))
		return 1;
	ret = done("status", &h, heynl_status_get(&h, &st));
	if (ret)
		return ret;
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, "version", st.version);
		json_kv_u64(&j, "api", st.api);
		json_kv_u64(&j, "sockets", st.sockets);
		json_kv_u64(&j, "attached", st.attached);
		json_object_end(&j);
		putchar('\n');
	} else {
		printf("hey %s (netlink API %" PRIu32 ")\n", st.version,
		       st.api);
		printf("  sockets:  %" PRIu32 " attached now\n", st.sockets);
		printf("  attached: %" PRIu64 " since the namespace started\n",
		       st.attached);
	}
	return 0;
}

static int cmd_stats(const struct cmd *cmd, int argc, char **argv)
{
	struct hey_stats stats;
	struct heynl h;
	struct json j;
	int ret, i;

	(void)argv;
	if (argc > 1)
		return usage_error("", cmd, "takes no arguments");
	if (open_nl("stats", &h))
		return 1;
	ret = done("stats", &h, heynl_stats_get(&h, &stats));
	if (ret)
		return ret;
	json_init(&j, stdout);
	if (json)
		json_object_begin(&j);
	for (i = HEY_A_STATS_RACES; i <= HEY_A_STATS_MAX; i++) {
		const char *name = heynl_stat_name(i);

		if (!name)
			continue;
		if (json)
			json_kv_u64(&j, name, stats.v[i]);
		else
			printf("%-20s %" PRIu64 "\n", name, stats.v[i]);
	}
	if (json) {
		json_object_end(&j);
		putchar('\n');
	}
	return 0;
}

/* ---- races ------------------------------------------------------------- */

static int cmd_races(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_vec races = { .size = sizeof(struct heynl_race) };
	uint64_t last = 0;
	struct heynl h;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "-n")) {
		if (args_u64(argv[2], SIZE_MAX, &last) || !last)
			return usage_error("", cmd,
					   "-n takes a number above 0");
	} else if (argc != 1) {
		return usage_error("", cmd, NULL);
	}
	if (open_nl("races", &h))
		return 1;
	ret = done("races", &h, heynl_races_get(&h, &races));
	if (!ret)
		show_races(stdout, &races, last, json);
	heynl_vec_free(&races);
	return ret;
}

/* ---- cache ------------------------------------------------------------- */

static int cache_show(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	char err[ARGS_ERR_LEN];
	uint64_t network;
	struct heynl h;
	bool one;
	int ret;

	if (args_cache_network(argc - 1, argv + 1, &one, &network, err))
		return usage_error("cache", cmd, err);
	if (open_nl("cache show", &h))
		return 1;
	ret = done("cache show", &h,
		   heynl_cache_get(&h, one, network, &entries));
	if (!ret)
		show_cache(stdout, &entries, json);
	heynl_vec_free(&entries);
	return ret;
}

static int cache_flush(const struct cmd *cmd, int argc, char **argv)
{
	char err[ARGS_ERR_LEN];
	uint64_t network;
	struct heynl h;
	bool one;

	if (args_cache_network(argc - 1, argv + 1, &one, &network, err))
		return usage_error("cache", cmd, err);
	if (open_nl("cache flush", &h))
		return 1;
	return done("cache flush", &h, heynl_cache_flush(&h, one, network));
}

/* cache add and cache del: the entry from the arguments, one request. */
static int cache_edit(const struct cmd *cmd, int argc, char **argv)
{
	bool del = !strcmp(cmd->name, "del");
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN], what[16];
	struct heynl h;

	if (cacheline_parse(argc - 1, argv + 1, del, &e, err))
		return usage_error("cache", cmd, err);
	snprintf(what, sizeof(what), "cache %s", cmd->name);
	if (open_nl(what, &h))
		return 1;
	return done(what, &h, del ? heynl_cache_del(&h, &e) :
			      heynl_cache_set(&h, &e));
}

static int cache_save(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl h;
	int ret;

	if (argc != 2)
		return usage_error("cache", cmd, NULL);
	if (open_nl("cache save", &h))
		return 1;
	ret = done("cache save", &h, heynl_cache_get(&h, false, 0, &entries));
	if (!ret) {
		ret = cachefile_write(argv[1], &entries);
		if (ret) {
			fprintf(stderr, "heyctl: cache save: %s: %s\n",
				argv[1], strerror(-ret));
			ret = 1;
		}
	}
	heynl_vec_free(&entries);
	return ret;
}

/* Sends every line's entry; a refused one is reported with its line. */
static int cache_load_send(struct heynl *h, const char *name,
			   const struct heynl_vec *lines)
{
	int status = 0, ret;
	char what[64];
	size_t i;

	for (i = 0; i < lines->n; i++) {
		const struct cache_line *l = heynl_vec_at(lines, i);

		ret = heynl_cache_set(h, &l->e);
		if (!ret)
			continue;
		snprintf(what, sizeof(what), "%s:%u: cache add", name,
			 l->lineno);
		status = report(what, h, ret);
		if (ret == -EPERM)
			break;
	}
	return status;
}

static int cache_load(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_vec lines = { .size = sizeof(struct cache_line) };
	struct heynl h;
	FILE *f;
	int ret;

	if (argc != 2)
		return usage_error("cache", cmd, NULL);
	f = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!f) {
		fprintf(stderr, "heyctl: cache load: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	ret = cachefile_read(f, argv[1], false, &lines, NULL, stderr);
	if (f != stdin)
		fclose(f);
	if (ret) {
		if (ret == -EINVAL)
			fprintf(stderr,
				"heyctl: cache load: %s: nothing loaded\n",
				argv[1]);
		else
			fprintf(stderr, "heyctl: cache load: %s: %s\n",
				argv[1], strerror(-ret));
		heynl_vec_free(&lines);
		return 1;
	}
	ret = open_nl("cache load", &h);
	if (!ret) {
		ret = cache_load_send(&h, argv[1], &lines);
		heynl_close(&h);
	}
	heynl_vec_free(&lines);
	return ret;
}

#define CACHE_KEY "network ID dst ADDR|any|name NAME family inet|inet6" \
	" port PORT proto tcp|tfo|sctp"

static const struct cmd cache_cmds[] = {
	{ .name = "show", .fn = cache_show, .usage = "[network ID]" },
	{ .name = "flush", .fn = cache_flush, .usage = "[network ID]" },
	{ .name = "add", .fn = cache_edit, .usage = CACHE_KEY
	  " result success|failed|outrun [successes N] [failures N]"
	  " [error ERRNO] [handshake US] [srtt US] [age MS]" },
	{ .name = "del", .fn = cache_edit, .usage = CACHE_KEY },
	{ .name = "save", .fn = cache_save, .usage = "FILE" },
	{ .name = "load", .fn = cache_load, .usage = "FILE" },
};

/* ---- policy ------------------------------------------------------------ */

static int policy_show(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_policy p;
	struct heynl h;
	int ret;

	(void)argv;
	if (argc > 1)
		return usage_error("policy", cmd, "takes no arguments");
	if (open_nl("policy show", &h))
		return 1;
	ret = done("policy show", &h, heynl_policy_get(&h, &p));
	if (!ret)
		show_policy(stdout, &p, json);
	return ret;
}

static int policy_set(const struct cmd *cmd, int argc, char **argv)
{
	char err[ARGS_ERR_LEN];
	struct heynl_policy p;
	struct heynl h;
	int ret;

	ret = args_policy(argc - 1, argv + 1, &p, err);
	if (ret == -ENODEV) {
		fprintf(stderr, "heyctl: policy set: %s\n", err);
		return 1;
	}
	if (ret)
		return usage_error("policy", cmd, err);
	if (open_nl("policy set", &h))
		return 1;
	return done("policy set", &h, heynl_policy_set(&h, &p));
}

static const struct cmd policy_cmds[] = {
	{ .name = "show", .fn = policy_show, .usage = "" },
	{ .name = "set", .fn = policy_set,
	  .usage = "[mode delayed|failover|immediate] [min-delay MS]"
		   " [max-delay MS] [default-delay MS]"
		   " [protocols tcp,tfo,sctp] [allowed tcp,tfo,sctp|all]"
		   " [prefer IF[,IF...]|none] [exclude IF[,IF...]|none]"
		   " [max-leaves N] [max-races N]" },
};

/* ---- network ----------------------------------------------------------- */

static int ifindex_of(const char *what, const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (*ifindex)
		return 0;
	fprintf(stderr, "heyctl: %s: no interface '%s'\n", what, name);
	return 1;
}

static int network_show(const struct cmd *cmd, int argc, char **argv)
{
	struct heynl_vec nets = { .size = sizeof(struct heynl_network) };
	struct heynl_network *n;
	uint32_t ifindex = 0;
	struct heynl h;
	int ret;

	if (argc > 2)
		return usage_error("network", cmd, NULL);
	if (argc == 2 && ifindex_of("network show", argv[1], &ifindex))
		return 1;
	if (open_nl("network show", &h))
		return 1;
	if (ifindex) {
		n = heynl_vec_add(&nets);
		ret = n ? heynl_network_get(&h, ifindex, n) : -ENOMEM;
	} else {
		ret = heynl_network_dump(&h, &nets);
	}
	ret = done("network show", &h, ret);
	if (!ret)
		show_networks(stdout, &nets, json);
	heynl_vec_free(&nets);
	return ret;
}

static int network_set(const struct cmd *cmd, int argc, char **argv)
{
	char err[ARGS_ERR_LEN];
	uint32_t ifindex;
	uint64_t id = 0;
	struct heynl h;

	if (argc != 3)
		return usage_error("network", cmd, NULL);
	if (strcmp(argv[2], "default")) {
		if (args_network_id(argv[2], &id, err))
			return usage_error("network", cmd, err);
		if (id & HEY_NETWORK_DEFAULT)
			return usage_error("network", cmd,
					   "ids with bit 63 set are the defaults: say 'default'");
	}
	if (ifindex_of("network set", argv[1], &ifindex))
		return 1;
	if (open_nl("network set", &h))
		return 1;
	return done("network set", &h, heynl_network_set(&h, ifindex, id));
}

static const struct cmd network_cmds[] = {
	{ .name = "show", .fn = network_show, .usage = "[IFACE]" },
	{ .name = "set", .fn = network_set, .usage = "IFACE ID|default" },
};

/* ---- monitor, connect -------------------------------------------------- */

static int cmd_monitor(const struct cmd *cmd, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error("", cmd, "takes no arguments");
	return monitor_run(json);
}

static int connect_dev(struct connect_opts *o, const char *name)
{
	uint32_t idx;

	if (o->paths.count == HEY_MAX_PATHS) {
		fprintf(stderr, "heyctl: connect: more than %d --dev\n",
			HEY_MAX_PATHS);
		return 2;
	}
	if (ifindex_of("connect", name, &idx))
		return 1;
	o->paths.mode = HEY_PATHS_ALLOW;
	o->paths.ifindex[o->paths.count++] = idx;
	return 0;
}

static int cmd_connect(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "proto", required_argument, NULL, 'p' },
		{ "dev", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "by-name", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct connect_opts o = { .family = AF_UNSPEC };
	char err[ARGS_ERR_LEN];
	unsigned int n;
	uint32_t ms;
	int c, ret;

	optind = 0;	/* glibc: start over, on this argv */
	while ((c = getopt_long(argc, argv, "46p:d:t:vn", longopts,
				NULL)) != -1) {
		switch (c) {
		case '4':
		case '6':
			o.family = c == '4' ? AF_INET : AF_INET6;
			break;
		case 'p':
			if (args_protocols(optarg, o.protos.order, &n, err))
				return usage_error("", cmd, err);
			o.protos.count = n;
			break;
		case 'd':
			ret = connect_dev(&o, optarg);
			if (ret)
				return ret == 2 ? usage_error("", cmd, NULL) :
				       ret;
			break;
		case 't':
			if (args_u32(optarg, &ms) || !ms || ms > INT32_MAX)
				return usage_error("", cmd,
						   "--timeout takes milliseconds above 0");
			o.timeout_ms = ms;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'n':
			o.by_name = true;
			break;
		default:
			return usage_error("", cmd, NULL);
		}
	}
	if (argc - optind != 2)
		return usage_error("", cmd, "HOST and PORT, nothing more");
	o.host = argv[optind];
	o.port = argv[optind + 1];
	return connect_run(&o);
}

/* ---- the table --------------------------------------------------------- */

static int cmd_help(const struct cmd *cmd, int argc, char **argv);

static const struct cmd subcommands[] = {
	{ .name = "status", .fn = cmd_status, .usage = "",
	  .help = "module version and attached sockets in this namespace" },
	{ .name = "stats", .fn = cmd_stats, .usage = "",
	  .help = "race counters of this network namespace" },
	{ .name = "races", .fn = cmd_races, .usage = "[-n N]",
	  .help = "the namespace's last finished races, leaf by leaf" },
	{ .name = "cache", .usage = "show|flush|add|del|save|load ...",
	  .help = "the history cache",
	  .verbs = cache_cmds, .n_verbs = ARRAY_SIZE(cache_cmds) },
	{ .name = "policy", .usage = "show|set ...",
	  .help = "the namespace's racing defaults",
	  .verbs = policy_cmds, .n_verbs = ARRAY_SIZE(policy_cmds) },
	{ .name = "network", .usage = "show|set ...",
	  .help = "the network ids of interfaces",
	  .verbs = network_cmds, .n_verbs = ARRAY_SIZE(network_cmds) },
	{ .name = "monitor", .fn = cmd_monitor, .usage = "",
	  .help = "print races and cache changes as they happen" },
	{ .name = "connect", .fn = cmd_connect,
	  .usage = "HOST PORT [--proto tcp,tfo,sctp] [--dev IF]..."
		   " [--timeout MS] [-4|-6] [-n] [-v]",
	  .help = "race a connection, then copy stdin and stdout over it" },
	{ .name = "help", .fn = cmd_help, .usage = "", .help = "this text" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: heyctl [-j] <command> [<args>]\n\n"
		   "  -j, --json   print JSON\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\nSee heyctl(8).\n");
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "+jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			return run(&subcommands[i], argc, argv);
	fprintf(stderr, "heyctl: unknown command '%s'\n\n", argv[0]);
	usage(stderr);
	return 2;
}
