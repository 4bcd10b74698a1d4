/*
 * bench_report.c - the JSON and text reports of a vkbench run.
 *
 * The JSON report is the record that later runs are compared with; its
 * layout is described in vkbench(1) and changes only with its "format"
 * number (a new key is not a change of layout).  Times are in
 * milliseconds: wall-clock times, or the values a side reported.  The text report is the table that
 * vkbench prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "harness/bench/bench.h"

#define REPORT_FORMAT 1 /* bump when the JSON layout changes */

/*
 * Returns the length of the valid UTF-8 sequence at s (1 to 4), or 0 when
 * the bytes there are not one.  Overlong forms, surrogates and code points
 * past U+10FFFF are not valid.
 */
static size_t
utf8_len(const unsigned char *s)
{
	size_t len, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return (0);
	return (len);
}

void
bench_json_string(FILE *fp, const char *s)
{
	const unsigned char *p;
	size_t len;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p += len) {
		len = 1;
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			continue;
		case '\\':
			fputs("\\\\", fp);
			continue;
		case '\b':
			fputs("\\b", fp);
			continue;
		case '\f':
			fputs("\\f", fp);
			continue;
		case '\n':
			fputs("\\n", fp);
			continue;
		case '\r':
			fputs("\\r", fp);
			continue;
		case '\t':
			fputs("\\t", fp);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(fp, "\\u%04x", *p);
			continue;
		}
		if ((len = utf8_len(p)) == 0) {
			fputs("\\ufffd", fp);
			len = 1;
			continue;
		}
		fwrite(p, 1, len, fp);
	}
	fputc('"', fp);
}

static double
ms(double ns)
{
	return (ns / 1e6);
}

static void
json_side(FILE *fp, const char *key, const struct bench_side *side,
    const struct bench_side_result *sr)
{
	size_t i;

	fprintf(fp, "      \"%s\": {\n        \"command\": ", key);
	bench_json_string(fp, side->command);
	fprintf(fp, ",\n        \"until\": ");
	if (side->until == BENCH_UNTIL_EXIT)
		fputs("\"exit\"", fp);
	else
		bench_json_string(fp, side->pattern);
	fprintf(fp, ",\n        \"value\": ");
	if (side->value != NULL)
		bench_json_string(fp, side->value);
	else
		fputs("null", fp);
	fprintf(fp, ",\n        \"samples_ms\": [");
	for (i = 0; i < sr->nsamples; i++)
		fprintf(fp, "%s%.6f", i == 0 ? "" : ", ",
		    ms((double)sr->samples[i]));
	fputs("]", fp);
	if (sr->nsamples > 0)
		fprintf(fp,
		    ",\n        \"median_ms\": %.6f,\n"
		    "        \"min_ms\": %.6f,\n        \"max_ms\": %.6f",
		    ms(sr->stats.median), ms(sr->stats.min), ms(sr->stats.max));
	else
		fputs(",\n        \"median_ms\": null,\n"
		      "        \"min_ms\": null,\n        \"max_ms\": null",
		    fp);
	fputs("\n      }", fp);
}

static void
json_result(FILE *fp, const struct bench_result *r)
{
	double ratio;

	fputs("    {\n      \"name\": ", fp);
	bench_json_string(fp, r->bench->name);
	fputs(",\n      \"description\": ", fp);
	bench_json_string(fp, r->bench->description);
	fprintf(fp, ",\n      \"status\": \"%s\",\n      \"reason\": ",
	    r->failed ? "failed" : "ok");
	if (r->failed)
		bench_json_string(fp, r->reason);
	else
		fputs("null", fp);
	fputs(",\n", fp);
	json_side(fp, "guest", &r->bench->guest, &r->guest);
	fputs(",\n", fp);
	json_side(fp, "native", &r->bench->native, &r->native);
	if ((ratio = bench_ratio(r)) >= 0)
		fprintf(fp, ",\n      \"ratio\": %.4f\n    }", ratio);
	else
		fputs(",\n      \"ratio\": null\n    }", fp);
}

int
bench_report_json(FILE *fp, const struct bench_report *rep)
{
	size_t i;

	fprintf(fp, "{\n  \"format\": %d,\n  \"tool\": \"vkbench\",\n",
	    REPORT_FORMAT);
	fputs("  \"timestamp\": ", fp);
	bench_json_string(fp, rep->timestamp);
	fputs(",\n  \"kernel\": ", fp);
	if (rep->kernel != NULL)
		bench_json_string(fp, rep->kernel);
	else
		fputs("null", fp);
	fprintf(fp,
	    ",\n  \"runs\": %d,\n  \"warmups\": %d,\n  \"timeout_s\": %g,\n"
	    "  \"benchmarks\": [\n",
	    rep->runs, rep->warmups, rep->timeout);
	for (i = 0; i < rep->nresults; i++) {
		json_result(fp, &rep->results[i]);
		fputs(i + 1 < rep->nresults ? ",\n" : "\n", fp);
	}
	fputs("  ]\n}\n", fp);
	fflush(fp);
	return (ferror(fp) ? EX_IOERR : 0);
}

static void
text_side(FILE *fp, const char *name, const char *side,
    const struct bench_side_result *sr)
{
	fprintf(fp, "%-24s %-7s %10.3f %10.3f %10.3f", name, side,
	    ms(sr->stats.median), ms(sr->stats.min), ms(sr->stats.max));
}

int
bench_report_text(FILE *fp, const struct bench_report *rep)
{
	const struct bench_result *r;
	size_t i;

	fprintf(fp, "vkbench %s: %d runs per side after %d warm-up%s",
	    rep->timestamp, rep->runs, rep->warmups,
	    rep->warmups == 1 ? "" : "s");
	if (rep->kernel != NULL)
		fprintf(fp, ", kernel %s", rep->kernel);
	fprintf(fp, "\n\n%-24s %-7s %10s %10s %10s %7s\n", "BENCHMARK", "SIDE",
	    "MEDIAN ms", "MIN ms", "MAX ms", "RATIO");
	for (i = 0; i < rep->nresults; i++) {
		r = &rep->results[i];
		if (r->failed) {
			fprintf(fp, "%-24s FAILED: %s\n", r->bench->name,
			    r->reason);
			continue;
		}
		text_side(fp, r->bench->name, "guest", &r->guest);
		fprintf(fp, " %7.2f\n", bench_ratio(r));
		text_side(fp, "", "native", &r->native);
		fputc('\n', fp);
	}
	fflush(fp);
	return (ferror(fp) ? EX_IOERR : 0);
}

/* Creates dir and its parents, like mkdir -p. */
static int
mkdirs(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char *path, *p, c;
	int error;

	if ((path = strdup(dir)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (EX_OSERR);
	}
	error = 0;
	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0777) == -1 &&
		    (errno != EEXIST || stat(path, &st) == -1 ||
			!S_ISDIR(st.st_mode))) {
			snprintf(err, errlen, "%s: %s", path,
			    strerror(errno == EEXIST ? ENOTDIR : errno));
			error = EX_CANTCREAT;
			break;
		}
		if ((*p = c) == '\0')
			break;
	}
	free(path);
	return (error);
}

/*
 * Writes a report to dir/name through a temporary file renamed into
 * place, so that readers never see half a report.
 */
static int
write_file(const char *dir, const char *name, bool json,
    const struct bench_report *rep, char *err, size_t errlen)
{
	char tmp[4096], path[4096];
	FILE *fp;
	int error;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return (EX_CANTCREAT);
	}
	if ((fp = fopen(tmp, "we")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return (EX_CANTCREAT);
	}
	error = json ? bench_report_json(fp, rep) : bench_report_text(fp, rep);
	if (fclose(fp) != 0 || error != 0) {
		snprintf(err, errlen, "%s: write error", tmp);
		unlink(tmp);
		return (EX_IOERR);
	}
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return (EX_IOERR);
	}
	return (0);
}

/* Turns 2024-01-31T12:34:56Z into 20240131T123456Z. */
static void
compact_timestamp(const char *ts, char *buf, size_t len)
{
	size_t i;

	for (i = 0; *ts != '\0' && i + 1 < len; ts++) {
		if (*ts != '-' && *ts != ':')
			buf[i++] = *ts;
	}
	buf[i] = '\0';
}

int
bench_report_write(const char *dir, const struct bench_report *rep, char *err,
    size_t errlen)
{
	char name[64], stamp[32], link[4096], tmp[4096];
	struct stat st;
	int error, i;

	if ((error = mkdirs(dir, err, errlen)) != 0)
		return (error);
	/* Two runs in one second get -2, -3, ... rather than one file. */
	compact_timestamp(rep->timestamp, stamp, sizeof(stamp));
	snprintf(name, sizeof(name), "%s.json", stamp);
	for (i = 2;; i++) {
		snprintf(link, sizeof(link), "%s/%s", dir, name);
		if (lstat(link, &st) == -1) {
			if (errno == ENOENT)
				break;
			snprintf(err, errlen, "%s: %s", link, strerror(errno));
			return (EX_CANTCREAT);
		}
		if (i > 100) {
			snprintf(err, errlen, "%s: exists", link);
			return (EX_CANTCREAT);
		}
		snprintf(name, sizeof(name), "%s-%d.json", stamp, i);
	}
	if ((error = write_file(dir, name, true, rep, err, errlen)) != 0)
		return (error);
	snprintf(link, sizeof(link), "%s/latest.json", dir);
	snprintf(tmp, sizeof(tmp), "%s/latest.json.tmp", dir);
	unlink(tmp);
	if (symlink(name, tmp) == -1 || rename(tmp, link) == -1) {
		snprintf(err, errlen, "%s: %s", link, strerror(errno));
		unlink(tmp);
		return (EX_CANTCREAT);
	}
	return (write_file(dir, "latest.txt", false, rep, err, errlen));
}
