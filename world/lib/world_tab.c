/*
 * world_tab.c - readers of /etc/ttys, /etc/fstab and /proc/mounts for the
 * world's boot programs (see world.h).
 *
 * /etc/ttys (ttys(5)): a line is "name getty type status...", where the
 * getty command is in double quotes when it has blanks, and status words
 * are "on", "off", "secure" (others, like "window=", are accepted and
 * ignored).  '#' starts a comment outside quotes.
 * /etc/fstab (fstab(5)) and /proc/mounts: "spec file type opts freq
 * passno", the last two optional.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "world/lib/world.h"

#define LINE_MAX_WORDS 12

/*
 * Splits line into at most max words (blanks separate words, double quotes
 * group them, '#' outside quotes ends the line).  Words are written over
 * line.  Returns the number of words, or -1 for an unterminated quote.
 */
static int
split(char *line, char **w, int max)
{
	char *s = line, *d;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#' || n == max)
			return (n);
		w[n++] = d = s;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' &&
		    *s != '\r') {
			if (*s == '"') {
				s++;
				while (*s != '"' && *s != '\0')
					*d++ = *s++;
				if (*s != '"')
					return (-1);
				s++;
			} else
				*d++ = *s++;
		}
		if (*s != '\0')
			s++;
		*d = '\0';
	}
}

/* Copies src into dst of size; false when it does not fit. */
static bool
copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return (false);
	memcpy(dst, src, n + 1);
	return (true);
}

int
world_ttys_read(const char *path, struct world_tty *t, int n)
{
	char line[1024], *w[LINE_MAX_WORDS];
	int count = 0, lineno = 0, nw, i;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL && count < n) {
		struct world_tty *e = &t[count];

		lineno++;
		if ((nw = split(line, w, LINE_MAX_WORDS)) == 0)
			continue;
		memset(e, 0, sizeof(*e));
		if (nw < 0 || !copy(e->name, sizeof(e->name), w[0]) ||
		    (nw > 1 && !copy(e->getty, sizeof(e->getty), w[1])) ||
		    (nw > 2 && !copy(e->type, sizeof(e->type), w[2]))) {
			fprintf(stderr, "%s: line %d: malformed, skipped\n",
			    path, lineno);
			continue;
		}
		for (i = 3; i < nw; i++) {
			if (strcmp(w[i], "on") == 0)
				e->on = true;
			else if (strcmp(w[i], "off") == 0)
				e->on = false;
			else if (strcmp(w[i], "secure") == 0)
				e->secure = true;
			/* XXX window=, group= and the like are ignored. */
		}
		count++;
	}
	fclose(f);
	return (count);
}

int
world_fstab_read(const char *path, struct world_fs *fs, int n)
{
	char line[1024], *w[LINE_MAX_WORDS];
	int count = 0, lineno = 0, nw;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL && count < n) {
		struct world_fs *e = &fs[count];

		lineno++;
		if ((nw = split(line, w, LINE_MAX_WORDS)) == 0)
			continue;
		memset(e, 0, sizeof(*e));
		if (nw < 4 || !copy(e->spec, sizeof(e->spec), w[0]) ||
		    !copy(e->file, sizeof(e->file), w[1]) ||
		    !copy(e->type, sizeof(e->type), w[2]) ||
		    !copy(e->opts, sizeof(e->opts), w[3])) {
			fprintf(stderr, "%s: line %d: malformed, skipped\n",
			    path, lineno);
			continue;
		}
		if (nw > 4)
			sscanf(w[4], "%d", &e->freq);
		if (nw > 5)
			sscanf(w[5], "%d", &e->passno);
		count++;
	}
	fclose(f);
	return (count);
}

bool
world_hasopt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	const char *s = opts;

	while (*s != '\0') {
		size_t len = strcspn(s, ",");

		if (len == n && strncmp(s, opt, n) == 0)
			return (true);
		s += len;
		if (*s == ',')
			s++;
	}
	return (false);
}

bool
world_is_mountpoint(const char *dir)
{
	char parent[WORLD_FIELD_MAX + 4];
	struct stat a, b;

	if (snprintf(parent, sizeof(parent), "%s/..", dir) >=
		(int)sizeof(parent) ||
	    stat(dir, &a) != 0 || stat(parent, &b) != 0)
		return (false);
	return (a.st_dev != b.st_dev || a.st_ino == b.st_ino);
}
