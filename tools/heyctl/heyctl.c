// SPDX-License-Identifier: GPL-2.0
/*
 * heyctl: look at and steer the hey module.
 *
 * Subcommands live in a {name, function, help} table, as in wg(8);
 * -j switches every subcommand to JSON output.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heynl.h"
#include "json.h"

static bool json;

static int report(const char *what, struct heynl *h, int err)
{
	if (h && h->extack[0])
		fprintf(stderr, "heyctl: %s: %s (%s)\n", what, strerror(-err),
			h->extack);
	else if (err == -ENOENT && !h)
		fprintf(stderr,
			"heyctl: %s: the hey module is not loaded (no generic netlink family \"hey\")\n",
			what);
	else
		fprintf(stderr, "heyctl: %s: %s\n", what, strerror(-err));
	return 1;
}

static int cmd_status(int argc, char **argv)
{
	struct hey_status st;
	struct heynl h;
	int ret;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "Usage: heyctl status\n");
		return 2;
	}
	ret = heynl_open(&h);
	if (ret)
		return report("status", NULL, ret);
	ret = heynl_status_get(&h, &st);
	if (ret) {
		ret = report("status", &h, ret);
		heynl_close(&h);
		return ret;
	}
	heynl_close(&h);

	if (json) {
		printf("{\"version\":");
		json_print_string(stdout, st.version);
		printf(",\"api\":%" PRIu32 ",\"sockets\":%" PRIu32
		       ",\"attached\":%" PRIu64 "}\n",
		       st.api, st.sockets, st.attached);
	} else {
		printf("hey %s (netlink API %" PRIu32 ")\n", st.version,
		       st.api);
		printf("  sockets:  %" PRIu32 " attached now\n", st.sockets);
		printf("  attached: %" PRIu64 " since the namespace started\n",
		       st.attached);
	}
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	struct hey_stats stats;
	struct heynl h;
	int ret, i;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "Usage: heyctl stats\n");
		return 2;
	}
	ret = heynl_open(&h);
	if (ret)
		return report("stats", NULL, ret);
	ret = heynl_stats_get(&h, &stats);
	if (ret) {
		ret = report("stats", &h, ret);
		heynl_close(&h);
		return ret;
	}
	heynl_close(&h);

	if (json)
		putchar('{');
	for (i = HEY_A_STATS_RACES; i <= HEY_A_STATS_MAX; i++) {
		if (json)
			printf("%s\"%s\":%" PRIu64, i > HEY_A_STATS_RACES ?
			       "," : "", heynl_stat_name(i), stats.v[i]);
		else
			printf("%-20s %" PRIu64 "\n", heynl_stat_name(i),
			       stats.v[i]);
	}
	if (json)
		printf("}\n");
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} subcommands[] = {
	{ "status", cmd_status,
	  "module version and attached sockets in this network namespace" },
	{ "stats", cmd_stats,
	  "race counters of this network namespace" },
	{ "help", cmd_help, "this text" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: heyctl [-j] <command> [<args>]\n\n"
		   "  -j, --json   print JSON\n\nCommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
}

static int cmd_help(int argc, char **argv)
{
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
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc, argv);
	fprintf(stderr, "heyctl: unknown command '%s'\n\n", argv[0]);
	usage(stderr);
	return 2;
}
