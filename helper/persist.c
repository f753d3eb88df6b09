// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/hey.h>

#include "cachefile.h"
#include "clock.h"
#include "heynl.h"
#include "heynl_cache.h"
#include "log.h"
#include "persist.h"

static struct persist_config cfg;
static bool module_up;
static int64_t save_due = -1;		/* a change waits to be saved */
static int64_t next_periodic = -1;

void persist_init(const struct persist_config *c)
{
	cfg = *c;
}

void persist_age(struct heynl_cache_entry *e, time_t saved_at, time_t now)
{
	uint64_t age;

	if (saved_at <= 0 || now <= saved_at)
		return;
	age = (uint64_t)(now - saved_at) * 1000 + e->age_ms;
	e->age_ms = age > UINT32_MAX ? UINT32_MAX : age;
	e->present |= HEYNL_BIT(HEY_A_CACHE_AGE_MS);
}

static size_t addr_len(uint16_t family)
{
	return family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
}

int persist_key_cmp(const void *pa, const void *pb)
{
	const struct heynl_cache_entry *a = pa, *b = pb;
	int c;

	if (a->network != b->network)
		return a->network < b->network ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	/* address entries first, then names in byte order */
	if (HEYNL_HAS(a, HEY_A_CACHE_NAME) != HEYNL_HAS(b, HEY_A_CACHE_NAME))
		return HEYNL_HAS(a, HEY_A_CACHE_NAME) ? 1 : -1;
	if (HEYNL_HAS(a, HEY_A_CACHE_NAME))
		c = strcmp(a->name, b->name);
	else
		c = memcmp(a->addr, b->addr, addr_len(a->family));
	if (c)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return (int)a->protocol - (int)b->protocol;
}

/* Logs what cachefile_read said, one line of text per log line. */
static void log_lines(char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		logmsg("load: %s", line);
}

/* The saved entries, or -errno (reported); -ENOENT quietly. */
static int read_file(struct heynl_vec *lines, time_t *saved_at)
{
	char *msgs = NULL;
	size_t size = 0;
	FILE *f, *errf;
	int ret;

	f = fopen(cfg.path, "re");
	if (!f) {
		ret = -errno;
		if (ret == -ENOENT)
			logmsg("load: %s: no saved cache yet", cfg.path);
		else
			logmsg("load: %s: %s", cfg.path, strerror(-ret));
		return ret;
	}
	errf = open_memstream(&msgs, &size);
	ret = cachefile_read(f, cfg.path, true, lines, saved_at,
			     errf ? errf : stderr);
	fclose(f);
	if (errf) {
		fclose(errf);
		log_lines(msgs);
		free(msgs);
	}
	if (ret == -EINVAL)
		logmsg("load: %s: truncated or corrupt, ignored: nothing loaded",
		       cfg.path);
	else if (ret)
		logmsg("load: %s: %s", cfg.path, strerror(-ret));
	return ret;
}

/* What one load did. */
struct load_counts {
	size_t loaded, known, expired, refused;
};

/*
 * Sends the saved entries the kernel does not have: an entry it has is
 * newer than the file's (heyd restarted while the module stayed).
 */
static int load_entries(struct heynl *h, struct heynl_vec *lines,
			time_t saved_at, struct load_counts *n)
{
	struct heynl_vec have = { .size = sizeof(struct heynl_cache_entry) };
	time_t now = time(NULL);
	size_t i;
	int ret;

	ret = heynl_cache_get(h, false, 0, &have);
	if (ret)
		return ret;
	/* an empty dump leaves have.v NULL, which neither may be given */
	if (have.n)
		qsort(have.v, have.n, have.size, persist_key_cmp);
	for (i = 0; i < lines->n; i++) {
		struct cache_line *l = heynl_vec_at(lines, i);

		if (have.n && bsearch(&l->e, have.v, have.n, have.size,
				      persist_key_cmp)) {
			n->known++;
			continue;
		}
		persist_age(&l->e, saved_at, now);
		ret = heynl_cache_set(h, &l->e);
		if (!ret) {
			n->loaded++;
		} else if (ret == -EINVAL && strstr(h->extack, "expired")) {
			n->expired++;
		} else {
			if (n->refused++ < 3)
				logmsg("load: %s:%u: refused: %s%s%s", cfg.path,
				       l->lineno, strerror(-ret),
				       h->extack[0] ? ": " : "", h->extack);
			if (ret == -EPERM || ret == -ENOENT)
				break;
		}
	}
	heynl_vec_free(&have);
	return 0;
}

static void load(void)
{
	struct heynl_vec lines = { .size = sizeof(struct cache_line) };
	struct load_counts n = { 0 };
	time_t saved_at = 0;
	struct heynl h;
	int ret;

	if (read_file(&lines, &saved_at))
		return;
	ret = heynl_open(&h);
	if (!ret) {
		ret = load_entries(&h, &lines, saved_at, &n);
		heynl_close(&h);
	}
	if (ret)
		logmsg("load: %s: %s", cfg.path, strerror(-ret));
	else
		logmsg("load: %s: %zu entries loaded, %zu already known, %zu expired, %zu refused",
		       cfg.path, n.loaded, n.known, n.expired, n.refused);
	heynl_vec_free(&lines);
}

void persist_module_up(void)
{
	if (!cfg.path)
		return;
	module_up = true;
	load();
	save_due = -1;
	next_periodic = cfg.interval_ms ? now_ms() + cfg.interval_ms : -1;
}

void persist_module_down(void)
{
	module_up = false;
	save_due = -1;
	next_periodic = -1;
}

void persist_changed(void)
{
	if (!cfg.path || !module_up || save_due >= 0)
		return;
	save_due = now_ms() + cfg.save_delay_ms;
}

void persist_save(const char *why)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl h;
	int ret;

	if (!cfg.path || !module_up)
		return;
	save_due = -1;
	ret = heynl_open(&h);
	if (!ret) {
		ret = heynl_cache_get(&h, false, 0, &entries);
		heynl_close(&h);
	}
	/* without the module there is nothing to save: keep the file */
	if (ret) {
		logmsg("save (%s): reading the cache: %s", why,
		       strerror(-ret));
		return;
	}
	ret = cachefile_write(cfg.path, &entries);
	if (ret)
		logmsg("save (%s): %s: %s", why, cfg.path, strerror(-ret));
	else
		logdbg("save (%s): %s: %zu entries", why, cfg.path,
		       entries.n);
	heynl_vec_free(&entries);
}

int64_t persist_deadline(void)
{
	return deadline_min(save_due, next_periodic);
}

void persist_tick(int64_t now)
{
	if (next_periodic >= 0 && now >= next_periodic) {
		next_periodic = now + cfg.interval_ms;
		persist_save("periodic");
	} else if (save_due >= 0 && now >= save_due) {
		persist_save("changed");
	}
}
