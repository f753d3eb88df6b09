// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachefile.h"
#include "cacheline.h"
#include "kwargs.h"

/*
 * The most words a line may have: every keyword and its value (a name
 * key has one keyword more than an address key).
 */
#define CACHEFILE_MAX_WORDS 24

#define CACHEFILE_HEADER "# hey history cache"
/* 2: name keys (name NAME family inet|inet6). 1 is read as it was. */
#define CACHEFILE_VERSION 2
#define CACHEFILE_VERSION_MIN 1
#define CACHEFILE_END "# end:"
#define CACHEFILE_END_LEN 64

uint32_t cachefile_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* The end line of n entries whose bytes before it have that crc. */
static void end_line(char *buf, size_t n, uint32_t crc)
{
	snprintf(buf, CACHEFILE_END_LEN, CACHEFILE_END " %zu entries, crc32 0x%08x\n",
		 n, crc);
}

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
	if (cacheline_parse(n, words, false, e, err))
		return -EINVAL;
	return 1;
}

/* What the reading of one file has seen so far. */
struct reading {
	const char *name;
	FILE *errf;
	unsigned int lineno;
	unsigned int end;	/* the end line's number, 0 before it */
	bool saved;		/* the file started with the header */
	bool bad;
	size_t entries;		/* entry lines, good or bad */
	uint32_t crc;		/* of every byte before the end line */
	long long saved_at;
};

static void reading_error(struct reading *r, bool at_line, const char *fmt,
			  ...) __attribute__((format(printf, 3, 4)));

static void reading_error(struct reading *r, bool at_line, const char *fmt,
			  ...)
{
	va_list ap;

	if (at_line)
		fprintf(r->errf, "%s:%u: ", r->name, r->lineno);
	else
		fprintf(r->errf, "%s: ", r->name);
	va_start(ap, fmt);
	vfprintf(r->errf, fmt, ap);
	va_end(ap);
	fputc('\n', r->errf);
	r->bad = true;
}

static void read_header(struct reading *r, const char *line)
{
	unsigned int version = 0;

	r->saved = true;
	if (sscanf(line, CACHEFILE_HEADER ", version %u, saved %lld",
		   &version, &r->saved_at) != 2 ||
	    version < CACHEFILE_VERSION_MIN || version > CACHEFILE_VERSION ||
	    r->saved_at < 0)
		reading_error(r, true,
			      "corrupt or unknown header (version %d to %d expected)",
			      CACHEFILE_VERSION_MIN, CACHEFILE_VERSION);
}

static void read_end(struct reading *r, const char *line)
{
	char want[CACHEFILE_END_LEN];

	r->end = r->lineno;
	end_line(want, r->entries, r->crc);
	if (strcmp(line, want))
		reading_error(r, true,
			      "corrupt: the end line does not match the %zu entries before it (crc32 0x%08x)",
			      r->entries, r->crc);
}

/* One line of len bytes: an entry into lines, or what else it is. */
static int read_line(struct reading *r, char *line, size_t len,
		     struct heynl_vec *lines)
{
	char err[ARGS_ERR_LEN];
	struct heynl_cache_entry e;
	struct cache_line *l;
	int ret;

	if (r->end) {
		reading_error(r, true, "corrupt: more after the end line");
		return 0;
	}
	if (r->lineno == 1 && !strncmp(line, CACHEFILE_HEADER,
				       strlen(CACHEFILE_HEADER)))
		read_header(r, line);
	if (r->saved && !strncmp(line, CACHEFILE_END,
				 strlen(CACHEFILE_END))) {
		read_end(r, line);
		return 0;
	}
	r->crc = cachefile_crc32(r->crc, line, len);
	if (strlen(line) != len) {
		reading_error(r, true, "corrupt: a NUL byte");
		return 0;
	}
	ret = cachefile_parse_line(line, &e, err);
	if (ret)
		r->entries++;
	if (ret < 0)
		reading_error(r, true, "%s", err);
	if (ret <= 0)
		return 0;
	l = heynl_vec_add(lines);
	if (!l)
		return -ENOMEM;
	l->e = e;
	l->lineno = r->lineno;
	return 0;
}

int cachefile_read(FILE *f, const char *name, bool strict,
		   struct heynl_vec *lines, time_t *saved_at, FILE *errf)
{
	struct reading r = { .name = name, .errf = errf };
	size_t cap = 0;
	char *buf = NULL;
	ssize_t len;
	int ret = 0;

	errno = 0;
	while (!ret && (len = getline(&buf, &cap, f)) >= 0) {
		r.lineno++;
		ret = read_line(&r, buf, len, lines);
	}
	free(buf);
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	if (!ret && r.saved && !r.end)
		reading_error(&r, false,
			      "truncated: no end line after line %u",
			      r.lineno);
	if (!ret && strict && !r.saved)
		reading_error(&r, false,
			      "%s: no header line, not a saved hey cache",
			      r.lineno ? "corrupt" : "empty");
	if (!ret && r.bad)
		ret = -EINVAL;
	if (ret) {
		heynl_vec_free(lines);
		return ret;
	}
	if (saved_at)
		*saved_at = r.saved_at;
	return 0;
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

/* The whole file in memory, end line included: *text, *len. */
static int format_entries(const struct heynl_vec *entries, char **text,
			  size_t *len)
{
	char end[CACHEFILE_END_LEN];
	FILE *m = open_memstream(text, len);
	size_t i;

	if (!m)
		return -errno;
	fprintf(m, CACHEFILE_HEADER ", version %d, saved %lld\n"
		   "# each line: the arguments of heyctl cache add;"
		   " the end line counts them\n",
		CACHEFILE_VERSION, (long long)time(NULL));
	for (i = 0; i < entries->n; i++) {
		cacheline_print(m, heynl_vec_at(entries, i));
		fputc('\n', m);
	}
	if (fflush(m)) {
		fclose(m);
		free(*text);
		return -ENOMEM;
	}
	end_line(end, entries->n, cachefile_crc32(0, *text, *len));
	fputs(end, m);
	if (fclose(m)) {
		free(*text);
		return -ENOMEM;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

int cachefile_write(const char *path, const struct heynl_vec *entries)
{
	char *tmp = NULL, *text = NULL;
	size_t len = 0;
	mode_t mask;
	int fd, ret;

	ret = format_entries(entries, &text, &len);
	if (ret)
		return ret;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		free(text);
		return -ENOMEM;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	/* mkstemp makes 0600; a saved cache is as readable as any file */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	ret = write_all(fd, text, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (!ret)
		ret = sync_dir(path);
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	free(text);
	return ret;
}
