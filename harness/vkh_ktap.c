/*
 * vkh_ktap.c - reading KTAP (the kernel's test output format, as KUnit
 * prints it) out of a console transcript.
 *
 * A document starts with "KTAP version 1" (or "TAP version 13"), has a
 * plan "1..N" and result lines "ok N name" / "not ok N name", with
 * "# SKIP reason" directives.  Subtests are the same, indented by four
 * spaces, before their parent's result line; they are reported as
 * "parent.child".  Lines that are none of these (kernel messages, the
 * program's own chatter) are ignored, so a console is fine as input.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/vkh.h"

struct pending {
	struct vkh_ktap_case c[VKH_KTAP_MAX];
	int n;
};

/* Parses "ok N name # directive" (after indentation); 0 if not one. */
static int
parse_result(const char *line, struct vkh_ktap_case *c)
{
	const char *p = line, *hash;
	bool ok = true;
	size_t n;
	char *end;

	if (strncmp(p, "not ok ", 7) == 0) {
		ok = false;
		p += 7;
	} else if (strncmp(p, "ok ", 3) == 0)
		p += 3;
	else
		return (0);
	if (!isdigit((unsigned char)*p))
		return (0);
	c->number = (int)strtol(p, &end, 10);
	p = end;
	while (*p == ' ')
		p++;
	if (*p == '-' && p[1] == ' ')
		p += 2;
	hash = strstr(p, " #");
	n = hash != NULL ? (size_t)(hash - p) : strlen(p);
	if (n >= sizeof(c->name))
		n = sizeof(c->name) - 1;
	memcpy(c->name, p, n);
	c->name[n] = '\0';
	c->result = ok ? VKH_KTAP_PASS : VKH_KTAP_FAIL;
	if (hash != NULL &&
	    strncasecmp(hash + 2 + (hash[2] == ' '), "SKIP", 4) == 0)
		c->result = VKH_KTAP_SKIP;
	return (1);
}

static void
add_case(struct vkh_ktap *k, const struct vkh_ktap_case *c)
{
	if (k->ncases < VKH_KTAP_MAX)
		k->cases[k->ncases++] = *c;
}

/* One line of the document at depth (0 top level, 1 subtest). */
static void
parse_line(struct vkh_ktap *k, struct pending *sub, const char *line)
{
	struct vkh_ktap_case c;
	int depth = 0, i;
	char name[2 * sizeof(c.name) + 1];

	while (strncmp(line, "    ", 4) == 0) {
		line += 4;
		depth++;
	}
	if (depth == 0 && sscanf(line, "1..%d", &i) == 1) {
		k->planned = i;
		return;
	}
	if (!parse_result(line, &c))
		return;
	if (depth > 0) {
		if (sub->n < VKH_KTAP_MAX)
			sub->c[sub->n++] = c;
		return;
	}
	/* A parent's line: its subtests first, named under it. */
	for (i = 0; i < sub->n; i++) {
		snprintf(name, sizeof(name), "%s.%s", c.name, sub->c[i].name);
		/* Truncated to the field, deliberately. */
		name[sizeof(sub->c[i].name) - 1] = '\0';
		memcpy(sub->c[i].name, name, sizeof(sub->c[i].name));
		add_case(k, &sub->c[i]);
	}
	sub->n = 0;
	k->seen_results++;
	add_case(k, &c);
}

int
vkh_ktap_parse(const char *text, struct vkh_ktap *k)
{
	struct pending sub = { .n = 0 };
	char line[512];
	const char *p, *nl;
	size_t n;

	memset(k, 0, sizeof(*k));
	k->planned = -1;
	for (p = text; p != NULL && *p != '\0';
	     p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		line[n] = '\0';
		if (strcmp(line, "KTAP version 1") == 0 ||
		    strcmp(line, "TAP version 13") == 0) {
			if (k->header)
				break; /* a second document: stop at it */
			k->header = true;
			continue;
		}
		if (k->header)
			parse_line(k, &sub, line);
	}
	if (!k->header)
		return (-1);
	k->complete = k->planned >= 0 && k->seen_results >= k->planned;
	return (0);
}

int
vkh_ktap_failures(const struct vkh_ktap *k, char *buf, size_t size)
{
	size_t len = 0;
	int i, n = 0;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < k->ncases; i++) {
		if (k->cases[i].result != VKH_KTAP_FAIL)
			continue;
		n++;
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    n > 1 ? ", " : "", k->cases[i].name);
	}
	return (n);
}
