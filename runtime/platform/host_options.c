/*
 * host_options.c - the kernel's command line.
 *
 * Parses the options of vkernel(7) with getopt(3) into struct vk_options
 * and validates every argument before host setup touches any file, so a
 * bad command line is refused with a message naming the option and its
 * argument, the usage line and EX_USAGE, and changes nothing.
 *
 * argv is left untouched (a reboot re-executes the kernel with it): the
 * parser works on copies.  Repeated -c, -r, -e and -I accumulate in order;
 * for the other options the last one given counts, as with the original.
 * The -I grammar (internals section 2.3) is validated here in full even
 * though the vke device itself is not built yet.
 */
#include <arpa/inet.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

#define OPTSTRING    "+:c:e:hi:I:l:m:n:p:r:sUv"
#define CPU_BITS_MAX 5	/* -n lbits and cbits: 2^5 > VK_MAXCPU */
#define IFNAME_MAX   15 /* Linux IFNAMSIZ - 1: tap and bridge names */

static FILE *report_fp;
static char report_name[64] = "kernel";

void
vk_report_init(FILE *fp, const char *argv0)
{
	const char *base = NULL;

	report_fp = fp;
	if (argv0 != NULL) {
		base = strrchr(argv0, '/');
		base = base != NULL ? base + 1 : argv0;
	}
	if (base == NULL || *base == '\0')
		base = "kernel";
	snprintf(report_name, sizeof(report_name), "%s", base);
}

FILE *
vk_report_stream(void)
{
	return (report_fp != NULL ? report_fp : stderr);
}

const char *
vk_report_prog(void)
{
	return (report_name);
}

void
vk_report(const char *fmt, ...)
{
	FILE *fp = vk_report_stream();
	va_list ap;

	fprintf(fp, "%s: ", report_name);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: %s [-hsUv] [-c file] [-e name=value:name=value:...] "
	    "[-i file]\n"
	    "\t[-I interface[:address1[:address2]][/netmask]] [-l cpulock]\n"
	    "\t[-m size] [-n numcpus] [-p file] [-r file]\n",
	    report_name);
	fflush(fp);
}

static const struct {
	const char *synopsis;
	const char *text;
} help_lines[] = {
	{ "-c file", "read-only CD-ROM image: vcd0, vcd1, ... in order" },
	{ "-e name=value:...", "kernel environment; quotes keep a ':'" },
	{ "-h", "print this help and exit" },
	{ "-i file", "memory image (default: $VKERNEL_DIR/memimg.NNNNNN)" },
	{ "-I interface[:address1[:address2]][/netmask][=MAC]",
	    "network device vkeN on a tap(4) (not built yet)" },
	{ "-l cpulock", "pin virtual CPUs: any, map[,startCPU] or a CPU" },
	{ "-m size", "memory in bytes or with a k, m, g suffix (64m minimum)" },
	{ "-n numcpus[:lbits[:cbits]]", "virtual CPUs, 1-31 (default 2)" },
	{ "-p file", "write the process ID to file, locked while running" },
	{ "-r file[:serno]",
	    "read-write disk image: vkd0, vkd1, ... in order" },
	{ "-s", "boot into single-user mode" },
	{ "-U", "allow writing kernel memory and loading modules" },
	{ "-v", "verbose boot" },
};

static void
help(FILE *fp)
{
	size_t i;

	usage(fp);
	fprintf(fp, "\nOptions:\n");
	for (i = 0; i < sizeof(help_lines) / sizeof(help_lines[0]); i++) {
		if (strlen(help_lines[i].synopsis) < 20)
			fprintf(fp, "  %-20s%s\n", help_lines[i].synopsis,
			    help_lines[i].text);
		else
			fprintf(fp, "  %s\n  %20s%s\n", help_lines[i].synopsis,
			    "", help_lines[i].text);
	}
	fprintf(fp,
	    "\nThe first -r or -c names the boot device.  "
	    "See kernel(8) and vkernel(7).\n");
	fflush(fp);
}

/*
 * Scans decimal digits (no sign, no blanks) at s into *val.  Returns the
 * first character after them, or NULL if there are none or they overflow.
 */
static const char *
scan_decimal(const char *s, uint64_t *val)
{
	const char *p;
	uint64_t v = 0;
	unsigned int d;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		d = (unsigned int)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (NULL);
		v = v * 10 + d;
	}
	if (p == s)
		return (NULL);
	*val = v;
	return (p);
}

int
vk_size_parse(const char *s, uint64_t *bytes, const char **why)
{
	const char *end;
	uint64_t v;
	int shift;

	if (*s == '\0') {
		*why = "Bad maxmem option: empty size";
		return (-1);
	}
	if (*s < '0' || *s > '9') {
		*why = "Bad maxmem option: not a non-negative number";
		return (-1);
	}
	if ((end = scan_decimal(s, &v)) == NULL) {
		*why = "Bad maxmem option: value too large";
		return (-1);
	}
	switch (*end) {
	case '\0':
		shift = 0;
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		shift = -1;
		break;
	}
	if (shift < 0 || (shift > 0 && end[1] != '\0')) {
		*why =
		    "Bad maxmem option: the suffix must be k, K, m, M, g or G";
		return (-1);
	}
	/* The image is sized with ftruncate(2): the size must fit off_t. */
	if (v > ((uint64_t)INT64_MAX >> shift)) {
		*why = "Bad maxmem option: value too large";
		return (-1);
	}
	*bytes = v << shift;
	return (0);
}

const char *
vk_memsize_check(uint64_t bytes)
{
	if (bytes < VK_MEMSIZE_MIN || bytes % VK_MEMSIZE_ALIGN != 0)
		return ("Bad maxmem specification: 64MB minimum, "
			"multiples of 2MB only");
	return (NULL);
}

/* Reports a bad argument of option c. */
static int bad(int c, const char *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(int c, const char *arg, const char *fmt, ...)
{
	FILE *fp = vk_report_stream();
	va_list ap;

	fprintf(fp, "%s: -%c %s: ", report_name, c, *arg != '\0' ? arg : "''");
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	return (EX_USAGE);
}

static int
opt_memsize(struct vk_options *opts, const char *arg)
{
	const char *why;
	uint64_t bytes;

	if (vk_size_parse(arg, &bytes, &why) != 0)
		return (bad('m', arg, "%s", why));
	if ((why = vk_memsize_check(bytes)) != NULL)
		return (bad('m', arg, "%s", why));
	opts->memsize = bytes;
	return (0);
}

static int
opt_ncpus(struct vk_options *opts, const char *arg)
{
	static const char *const field[] = { "ncpus", "lbits", "cbits" };
	const char *p = arg;
	uint64_t v[3] = { 0, 0, 0 };
	int n;

	for (n = 0;; n++) {
		if ((p = scan_decimal(p, &v[n])) == NULL)
			return (bad('n', arg,
			    "Bad %s, expected numcpus[:lbits[:cbits]]",
			    field[n]));
		if (*p == '\0')
			break;
		if (*p != ':' || n == 2)
			return (bad('n', arg,
			    "Bad argument, expected numcpus[:lbits[:cbits]]"));
		p++;
	}
	if (v[0] < 1 || v[0] > VK_MAXCPU)
		return (bad('n', arg, "Bad ncpus, valid range is 1-%d",
		    VK_MAXCPU));
	for (n = 1; n < 3; n++)
		if (v[n] > CPU_BITS_MAX)
			return (bad('n', arg, "Bad %s, valid range is 0-%d",
			    field[n], CPU_BITS_MAX));
	opts->ncpus = (int)v[0];
	opts->lbits = (int)v[1];
	opts->cbits = (int)v[2];
	return (0);
}

/* Writes the CPUs of set as ranges, "0-1" or "0-0,2-3" (as the original). */
static void
format_cpus(const cpu_set_t *set, char *buf, size_t size)
{
	size_t len = 0;
	int i, first;

	buf[0] = '\0';
	for (i = 0; i < CPU_SETSIZE && len < size; i++) {
		if (!CPU_ISSET(i, set))
			continue;
		first = i;
		while (i + 1 < CPU_SETSIZE && CPU_ISSET(i + 1, set))
			i++;
		len += (size_t)snprintf(buf + len, size - len, "%s%d-%d",
		    len > 0 ? "," : "", first, i);
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "(none)");
}

/*
 * -l any|map[,N]|N.  CPUs are host CPU numbers and must be in the
 * process's affinity mask.  With map, virtual CPU i goes to the i-th
 * allowed CPU from N on, wrapping around past the last one as the
 * original's setrealcpu() does, so N plus the CPU count may exceed them.
 */
static int
opt_cpulock(struct vk_options *opts, const char *arg, const cpu_set_t *cpus)
{
	enum vk_cpulock mode;
	const char *num, *end;
	char range[256];
	uint64_t cpu = 0;

	if (strcmp(arg, "any") == 0) {
		opts->cpulock = VK_CPULOCK_ANY;
		opts->cpulock_cpu = 0;
		return (0);
	}
	if (strncmp(arg, "map", 3) == 0 && (arg[3] == '\0' || arg[3] == ',')) {
		mode = VK_CPULOCK_MAP;
		num = arg[3] == ',' ? arg + 4 : NULL;
		/* Plain "map" starts at the first CPU we may run on. */
		while (num == NULL && cpu < CPU_SETSIZE &&
		    !CPU_ISSET(cpu, cpus))
			cpu++;
	} else {
		mode = VK_CPULOCK_SINGLE;
		num = arg;
	}
	if (num != NULL) {
		end = scan_decimal(num, &cpu);
		if (end == NULL || *end != '\0')
			return (bad('l', arg,
			    "Bad cpulock, expected any, "
			    "map[,startCPU] or a CPU number"));
	}
	if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, cpus)) {
		format_cpus(cpus, range, sizeof(range));
		return (bad('l', arg, "Bad target CPU, valid range is %s",
		    range));
	}
	opts->cpulock = mode;
	opts->cpulock_cpu = (int)cpu;
	return (0);
}

/* Adds or replaces one name=value entry of -e. */
static int
kenv_add(struct vk_options *opts, const char *arg, const char *entry)
{
	const char *eq = strchr(entry, '=');
	char *name, *value;
	size_t len;
	int i;

	if (eq == NULL)
		return (bad('e', arg, "Bad argument, entry '%s' has no '='",
		    entry));
	if (eq == entry)
		return (bad('e', arg,
		    "Bad argument, entry '%s' has an empty name", entry));
	len = (size_t)(eq - entry);
	for (i = 0; i < opts->nkenv; i++) {
		name = opts->kenv[i].name;
		if (strlen(name) == len && memcmp(name, entry, len) == 0)
			break;
	}
	if (i == VK_KENV_MAX)
		return (bad('e', arg,
		    "too many environment variables, at most %d", VK_KENV_MAX));
	if ((value = strdup(eq + 1)) == NULL)
		return (bad('e', arg, "out of memory"));
	if (i < opts->nkenv) {
		/* A later value overrides an earlier one, in place. */
		free(opts->kenv[i].value);
		opts->kenv[i].value = value;
		return (0);
	}
	if ((name = strndup(entry, len)) == NULL) {
		free(value);
		return (bad('e', arg, "out of memory"));
	}
	opts->kenv[i].name = name;
	opts->kenv[i].value = value;
	opts->nkenv++;
	return (0);
}

/*
 * -e name=value:name=value:...  ':' separates the entries; a '"' or '\''
 * opens a quoted run that the same character closes, in which ':' and
 * the other quote character are ordinary.  The quotes are removed.
 */
static int
opt_kenv(struct vk_options *opts, const char *arg)
{
	const char *p;
	char *buf, *out, *entry;
	char quote = '\0';
	int error = 0;

	if ((buf = malloc(strlen(arg) + 1)) == NULL)
		return (bad('e', arg, "out of memory"));
	entry = out = buf;
	for (p = arg;; p++) {
		if (*p == '\0' || (*p == ':' && quote == '\0')) {
			*out++ = '\0';
			if (*p == '\0' && quote != '\0') {
				error = bad('e', arg,
				    "Bad argument, unterminated %c quote",
				    quote);
				break;
			}
			if ((error = kenv_add(opts, arg, entry)) != 0)
				break;
			if (*p == '\0')
				break;
			entry = out;
		} else if (*p == quote) {
			quote = '\0';
		} else if (quote == '\0' && (*p == '"' || *p == '\'')) {
			quote = *p;
		} else {
			*out++ = *p;
		}
	}
	free(buf);
	return (error);
}

/* A tap or bridge name: 1 to IFNAME_MAX of [A-Za-z0-9_.-]. */
static bool
is_ifname(const char *s)
{
	size_t n = strlen(s);

	return (n >= 1 && n <= IFNAME_MAX &&
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789_.-") == n);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Parses xx:xx:xx:xx:xx:xx (two hex digits each). */
static bool
parse_mac(const char *s, uint8_t mac[6])
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return (false);
	for (i = 0; i < 6; i++) {
		hi = hexval(s[3 * i]);
		lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return (false);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return (true);
}

/*
 * Fills nif from interface[:address1[:address2]][/netmask][=MAC], which
 * buf holds (and is cut up).  address1 is a dotted IPv4 address (the tap
 * side) or bridgeX; address2 the vke side; the netmask length (1-31)
 * needs an address to apply to.
 */
static int
netif_parse(const char *arg, char *buf, struct vk_netif_spec *nif)
{
	char *mac, *addr1, *addr2, *mask;
	uint64_t len;
	const char *end;

	if ((mac = strchr(buf, '=')) != NULL) {
		*mac++ = '\0';
		if (!parse_mac(mac, nif->mac))
			return (bad('I', arg,
			    "Bad MAC address '%s', expected xx:xx:xx:xx:xx:xx",
			    mac));
		if (nif->mac[0] & 1)
			return (bad('I', arg,
			    "Bad MAC address '%s', it is a multicast address",
			    mac));
		nif->has_mac = true;
	}
	if ((addr1 = strchr(buf, ':')) != NULL)
		*addr1++ = '\0';
	/* "auto", a tap(4) name, or a path (relative ones are in /dev). */
	if (strcmp(buf, "auto") != 0 && !is_ifname(buf) &&
	    (strchr(buf, '/') == NULL || strlen(buf) >= sizeof(nif->iface)))
		return (bad('I', arg,
		    "Bad interface '%s', expected auto, a "
		    "tap(4) name or a path",
		    buf));
	snprintf(nif->iface, sizeof(nif->iface), "%s", buf);
	if (addr1 == NULL)
		return (0);
	if ((mask = strrchr(addr1, '/')) != NULL) {
		*mask++ = '\0';
		end = scan_decimal(mask, &len);
		if (end == NULL || *end != '\0' || len < 1 || len > 31)
			return (bad('I', arg, "Invalid netmask len: %s", mask));
		nif->masklen = (int)len;
	}
	if ((addr2 = strchr(addr1, ':')) != NULL)
		*addr2++ = '\0';
	if (inet_pton(AF_INET, addr1, &nif->addr1) == 1) {
		nif->has_addr1 = true;
	} else if (strncmp(addr1, "bridge", 6) == 0 && addr1[6] != '\0' &&
	    is_ifname(addr1)) {
		nif->bridge = true;
		snprintf(nif->bridge_if, sizeof(nif->bridge_if), "%s", addr1);
	} else {
		return (bad('I', arg,
		    "Bad address1 '%s', expected a dotted "
		    "IPv4 address or bridgeX",
		    addr1));
	}
	if (addr2 != NULL) {
		if (inet_pton(AF_INET, addr2, &nif->addr2) != 1)
			return (bad('I', arg,
			    "Invalid pseudo netif address: '%s'", addr2));
		nif->has_addr2 = true;
	}
	if (nif->masklen != 0 && !nif->has_addr1 && !nif->has_addr2)
		return (bad('I', arg, "a netmask needs an address"));
	return (0);
}

static int
opt_netif(struct vk_options *opts, const char *arg)
{
	struct vk_netif_spec nif;
	char *buf;
	int error;

	if (opts->nnetifs == VK_NETIF_MAX)
		return (bad('I', arg, "too many network interfaces, at most %d",
		    VK_NETIF_MAX));
	if ((buf = strdup(arg)) == NULL)
		return (bad('I', arg, "out of memory"));
	memset(&nif, 0, sizeof(nif));
	error = netif_parse(arg, buf, &nif);
	free(buf);
	if (error == 0)
		opts->netifs[opts->nnetifs++] = nif;
	return (error);
}

/* -r file[:serno] and -c file: at most VK_DISK_MAX together. */
static int
opt_disk(struct vk_options *opts, int c, const char *arg)
{
	enum vk_disk_type type = c == 'r' ? VK_DISK_RW : VK_DISK_CD;
	struct vk_disk_spec *d;
	char *path, *serno = NULL;
	int i, unit;

	if (opts->ndisks == VK_DISK_MAX)
		return (bad(c, arg,
		    "too many disk images, at most %d -r and -c together",
		    VK_DISK_MAX));
	if ((path = strdup(arg)) == NULL)
		return (bad(c, arg, "out of memory"));
	if (type == VK_DISK_RW && (serno = strchr(path, ':')) != NULL) {
		*serno++ = '\0';
		if (*serno == '\0') {
			free(path);
			return (bad(c, arg, "empty serial number"));
		}
	}
	if (*path == '\0') {
		free(path);
		return (bad(c, arg, "empty file name"));
	}
	for (i = 0, unit = 0; i < opts->ndisks; i++)
		if (opts->disks[i].type == type)
			unit++;
	d = &opts->disks[opts->ndisks++];
	d->type = type;
	d->path = path; /* serno points into the same allocation */
	d->serno = serno;
	d->unit = unit;
	return (0);
}

static int
opt_file(int c, const char *arg, const char **where)
{
	if (*arg == '\0')
		return (bad(c, arg, "empty file name"));
	*where = arg; /* argv outlives the options */
	return (0);
}

static int
parse_one(struct vk_options *opts, int c, const struct vk_parse_env *env)
{
	switch (c) {
	case 'c':
	case 'r':
		return (opt_disk(opts, c, optarg));
	case 'e':
		return (opt_kenv(opts, optarg));
	case 'i':
		return (opt_file(c, optarg, &opts->memimg));
	case 'I':
		return (opt_netif(opts, optarg));
	case 'l':
		return (opt_cpulock(opts, optarg, env->cpus));
	case 'm':
		return (opt_memsize(opts, optarg));
	case 'n':
		return (opt_ncpus(opts, optarg));
	case 'p':
		return (opt_file(c, optarg, &opts->pidfile));
	case 's':
		opts->single_user = true;
		return (0);
	case 'U':
		opts->kmem_writable = true;
		return (0);
	case 'v':
		opts->verbose = true;
		return (0);
	case ':':
		vk_report("option -%c needs an argument", optopt);
		return (EX_USAGE);
	default:
		if (optopt > ' ' && optopt < 0x7f)
			vk_report("unknown option -%c", optopt);
		else
			vk_report("unknown option -\\x%02x",
			    (unsigned int)optopt & 0xff);
		return (EX_USAGE);
	}
}

int
vk_options_parse_env(int argc, char **argv, struct vk_options *opts,
    const struct vk_parse_env *env)
{
	int c, error;

	memset(opts, 0, sizeof(*opts));
	opts->ncpus = VK_DEFAULT_NCPU;
	opts->cpulock = VK_CPULOCK_ANY;
	vk_report_init(env->err, argc > 0 ? argv[0] : NULL);
	if (argc < 2) {
		vk_report("no options given");
		usage(vk_report_stream());
		return (EX_USAGE);
	}
	/*
	 * glibc: optind 0 restarts the scan from scratch; '+' stops at the
	 * first operand instead of permuting argv; ':' reports a missing
	 * argument as ':'.  opterr 0: the messages are ours.
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, OPTSTRING)) != -1) {
		if (c == 'h') {
			help(env->out);
			opts->help = true;
			return (0);
		}
		if ((error = parse_one(opts, c, env)) != 0)
			goto fail;
	}
	if (optind < argc) {
		vk_report("unexpected argument '%s'", argv[optind]);
		error = EX_USAGE;
		goto fail;
	}
	return (0);
fail:
	usage(vk_report_stream());
	vk_options_free(opts);
	memset(opts, 0, sizeof(*opts)); /* nothing half-parsed is kept */
	return (error);
}

int
vk_options_parse(int argc, char **argv, struct vk_options *opts)
{
	struct vk_parse_env env;
	cpu_set_t cpus;
	long i, n;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) {
		/* No mask to read: assume the online CPUs. */
		CPU_ZERO(&cpus);
		n = sysconf(_SC_NPROCESSORS_ONLN);
		for (i = 0; i < (n > 0 ? n : 1) && i < CPU_SETSIZE; i++)
			CPU_SET((size_t)i, &cpus);
	}
	env.out = stdout;
	env.err = stderr;
	env.cpus = &cpus;
	return (vk_options_parse_env(argc, argv, opts, &env));
}

void
vk_options_free(struct vk_options *opts)
{
	int i;

	for (i = 0; i < opts->ndisks; i++)
		free((char *)opts->disks[i].path);
	for (i = 0; i < opts->nkenv; i++) {
		free(opts->kenv[i].name);
		free(opts->kenv[i].value);
	}
	opts->ndisks = 0;
	opts->nkenv = 0;
	opts->nnetifs = 0;
	opts->memimg = NULL;
	opts->pidfile = NULL;
}
