/*
 * vkh_record.c - test records (the format is in vkh_private.h) and the
 * JSON and XML string escapes the result writers share.
 *
 * A test process appends to its record with O_APPEND writes of whole
 * lines, so that a test killed half-way leaves a readable record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh_private.h"

int
vkh_record_add(const char *path, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int fd, n, e = 0;
	char *nl;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return (EINVAL);
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	/* One record line per call: newlines inside become blanks. */
	line[n] = '\0';
	while ((nl = strchr(line, '\n')) != NULL)
		*nl = ' ';
	line[n++] = '\n';
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) <
	    0)
		return (errno);
	if (write(fd, line, (size_t)n) != n)
		e = errno != 0 ? errno : EIO;
	close(fd);
	return (e);
}

/* Appends to a fixed buffer; drops what does not fit. */
static void
cat(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len + strlen(s) < size)
		memcpy(buf + len, s, strlen(s) + 1);
}

static void
json_into(char *buf, size_t size, const char *s)
{
	char tmp[1024];
	FILE *f = fmemopen(tmp, sizeof(tmp), "w");

	if (f == NULL)
		return;
	vkh_json_string(f, s);
	if (fclose(f) == 0)
		cat(buf, size, tmp);
}

void
vkh_record_read(const char *path, struct vkh_record *r)
{
	char line[2048], *val, *sp;
	FILE *f;
	int open_boot = 0, first_phase = 0, closed = 0;

	memset(r, 0, sizeof(*r));
	r->verdict = -1;
	strcpy(r->boots, "[");
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if ((val = strchr(line, ' ')) == NULL)
				continue;
			*val++ = '\0';
			if (strcmp(line, "boot") == 0) {
				sp = strchr(val, ' ');
				cat(r->boots, sizeof(r->boots),
				    !open_boot ? "{\"profile\": " :
					closed ? "}, {\"profile\": " :
						 "}}, {\"profile\": ");
				closed = 0;
				json_into(r->boots, sizeof(r->boots),
				    sp ? sp + 1 : "");
				cat(r->boots, sizeof(r->boots),
				    ", \"phases\": {");
				open_boot = 1;
				first_phase = 1;
			} else if (strcmp(line, "phase") == 0 && open_boot &&
			    (sp = strchr(val, ' ')) != NULL) {
				char *name = sp + 1, *secs = strchr(name, ' ');

				if (secs == NULL)
					continue;
				*secs++ = '\0';
				if (!first_phase)
					cat(r->boots, sizeof(r->boots), ", ");
				json_into(r->boots, sizeof(r->boots), name);
				cat(r->boots, sizeof(r->boots), ": ");
				cat(r->boots, sizeof(r->boots), secs);
				first_phase = 0;
			} else if (strcmp(line, "shared") == 0 && open_boot &&
			    !closed && (sp = strchr(val, ' ')) != NULL) {
				/* Tests that had the boot before this one. */
				cat(r->boots, sizeof(r->boots),
				    "}, \"shared_uses\": ");
				cat(r->boots, sizeof(r->boots),
				    strspn(sp + 1, "0123456789") ==
					    strlen(sp + 1) ?
					sp + 1 :
					"0");
				closed = 1;
			} else if (strcmp(line, "log") == 0 &&
			    (sp = strchr(val, ' ')) != NULL) {
				if (r->logs[0] != '\0')
					cat(r->logs, sizeof(r->logs), " ");
				cat(r->logs, sizeof(r->logs), sp + 1);
			} else if (strcmp(line, "cmdline") == 0 &&
			    (sp = strchr(val, ' ')) != NULL)
				snprintf(r->cmdline, sizeof(r->cmdline), "%s",
				    sp + 1);
			else if (strcmp(line, "verdict") == 0)
				r->verdict = vkh_verdict_parse(val);
			else if (strcmp(line, "where") == 0)
				snprintf(r->where, sizeof(r->where), "%s", val);
			else if (strcmp(line, "message") == 0)
				snprintf(r->message, sizeof(r->message), "%s",
				    val);
			else if (strcmp(line, "ktap") == 0 &&
			    (sp = strchr(val, ' ')) != NULL &&
			    r->nktap < VKH_KTAP_MAX) {
				*sp = '\0';
				snprintf(r->ktap[r->nktap].result,
				    sizeof(r->ktap[0].result), "%s", val);
				snprintf(r->ktap[r->nktap].name,
				    sizeof(r->ktap[0].name), "%s", sp + 1);
				r->nktap++;
			}
		}
		fclose(f);
	}
	cat(r->boots, sizeof(r->boots),
	    !open_boot ? "]" :
		closed ? "}]" :
			 "}}]");
}

void
vkh_json_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c >= 0x80)
			putc('?', f); /* console bytes need not be UTF-8 */
		else
			putc(c, f);
	}
	putc('"', f);
}

void
vkh_xml_string(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\n' || c == '\t')
			putc(c, f);
		else if (c < 0x20 || c >= 0x7f)
			putc('?', f); /* not allowed, or not UTF-8 */
		else
			putc(c, f);
	}
}
