// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cachefile.h"
#include "show.h"

/* The most words a line may have: every keyword and its value. */
#define CACHEFILE_MAX_WORDS 22

int cachefile_parse_line(char *line, struct heynl_cache_entry *e, char *err)
{
	char *words[CACHEFILE_MAX_WORDS];
	int n = args_split(line, words, CACHEFILE_MAX_WORDS);

	if (n < 0) {
		snprintf(err, ARGS_ERR_LEN, "more than %d words",
			 CACHEFILE_MAX_WORDS);
		return -EINVAL;
	}
	if (!n)
		return 0;
	if (args_cache_entry(n, words, false, e, err))
		return -EINVAL;
	return 1;
}

int cachefile_read(FILE *f, const char *name, struct heynl_vec *lines,
		   FILE *errf)
{
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN];
	unsigned int lineno = 0;
	struct cache_line *l;
	size_t cap = 0;
	char *buf = NULL;
	int ret = 0, r;

	errno = 0;
	while (getline(&buf, &cap, f) >= 0) {
		lineno++;
		r = cachefile_parse_line(buf, &e, err);
		if (r < 0) {
			fprintf(errf, "%s:%u: %s\n", name, lineno, err);
			ret = -EINVAL;
			continue;
		}
		if (!r)
			continue;
		l = heynl_vec_add(lines);
		if (!l) {
			free(buf);
			return -ENOMEM;
		}
		l->e = e;
		l->lineno = lineno;
	}
	free(buf);
	if (ferror(f))
		return errno ? -errno : -EIO;
	return ret;
}

/* Makes the rename itself durable. */
static int sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int write_entries(FILE *f, const struct heynl_vec *entries)
{
	size_t i;

	fprintf(f, "# hey history cache, written by heyctl cache save;\n"
		   "# each line: the arguments of heyctl cache add\n");
	for (i = 0; i < entries->n; i++) {
		show_cache_entry_text(f, heynl_vec_at(entries, i));
		fputc('\n', f);
	}
	return fflush(f) ? -errno : 0;
}

int cachefile_write(const char *path, const struct heynl_vec *entries)
{
	char *tmp = NULL;
	mode_t mask;
	FILE *f;
	int fd, ret;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	/* mkstemp makes 0600; a saved cache is as readable as any file */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto out;
	}
	ret = write_entries(f, entries);
	if (!ret && fsync(fd))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (!ret)
		ret = sync_dir(path);
out:
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
