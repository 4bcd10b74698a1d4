/*
 * options_test.c - unit tests of the kernel's command line: every option,
 * every refusal (message naming it, usage line, 64), -e quoting, the -I
 * grammar, -l against the real CPUs, and the limits.
 */
#include <arpa/inet.h>

#include "runtime/platform/tests/platform_test.h"

TestSuite(options, .fini = parsed_release_all, .timeout = 30);

Test(options, no_arguments_is_refused_with_usage)
{
	const char *argv[] = { "kernel", NULL };
	static struct parsed p;

	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 64);
	cr_assert_str_eq(p.err, "kernel: no options given\n" USAGE);
}

Test(options, unknown_option)
{
	static struct parsed p;

	PARSE(&p, "-m", "64m", "-x");
	ASSERT_REFUSED(&p, "unknown option -x");
	/* The options parsed before it are not kept. */
	cr_assert_eq(p.opts.memsize, 0);
}

Test(options, missing_argument)
{
	static const char *const opts[] = { "-c", "-e", "-i", "-I", "-l", "-m",
		"-n", "-p", "-r" };
	char want[64];
	static struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *argv[] = { "kernel", "-s", opts[i], NULL };

		parse_argv(&p, argv);
		snprintf(want, sizeof(want), "option %s needs an argument",
		    opts[i]);
		ASSERT_REFUSED(&p, want);
	}
}

Test(options, stray_operand)
{
	static struct parsed p;

	PARSE(&p, "-m", "64m", "rootimg.01", "-s");
	ASSERT_REFUSED(&p, "unexpected argument 'rootimg.01'");
	PARSE(&p, "-s", "--", "-v");
	ASSERT_REFUSED(&p, "unexpected argument '-v'");
}

Test(options, program_name_is_argv0_basename)
{
	const char *argv[] = { "/var/vkernel/vk2", "-q", NULL };
	static struct parsed p;

	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 64);
	cr_assert_not_null(strstr(p.err, "vk2: unknown option -q\n"));
	cr_assert_not_null(strstr(p.err, "usage: vk2 [-hsUv]"));
}

Test(options, help_goes_to_stdout_and_names_every_option)
{
	static const char *const lines[] = { "-c file", "-e name=value", "-h ",
		"-i file", "-I interface", "-l cpulock", "-m size",
		"-n numcpus", "-p file", "-r file", "-s ", "-U ", "-v " };
	static struct parsed p;
	size_t i;

	PARSE(&p, "-s", "-h");
	cr_assert_eq(p.rc, 0);
	cr_assert(p.opts.help);
	cr_assert_eq(p.errlen, 0);
	cr_assert_eq(strncmp(p.out, USAGE, strlen(USAGE)), 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char want[32];

		snprintf(want, sizeof(want), "\n  %s", lines[i]);
		cr_assert_not_null(strstr(p.out, want), "help lacks %s",
		    lines[i]);
	}
	vk_options_free(&p.opts);
}

Test(options, an_error_before_help_wins)
{
	static struct parsed p;

	PARSE(&p, "-m", "1x", "-h");
	ASSERT_REFUSED(&p, "-m 1x");
	cr_assert(!p.opts.help);
}

Test(options, defaults)
{
	static struct parsed p;

	PARSE(&p, "-v");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.ncpus, 2);
	cr_assert_eq(p.opts.lbits, 0);
	cr_assert_eq(p.opts.cbits, 0);
	cr_assert_eq(p.opts.cpulock, VK_CPULOCK_ANY);
	cr_assert_eq(p.opts.memsize, 0);
	cr_assert_null(p.opts.memimg);
	cr_assert_null(p.opts.pidfile);
	cr_assert_eq(p.opts.ndisks + p.opts.nnetifs + p.opts.nkenv, 0);
	cr_assert(!p.opts.single_user && !p.opts.kmem_writable);
	cr_assert(p.opts.verbose && !p.opts.help);
	cr_assert_eq(p.errlen + p.outlen, 0);
}

Test(options, flags)
{
	static struct parsed p;

	PARSE(&p, "-sUv");
	cr_assert_eq(p.rc, 0);
	cr_assert(p.opts.single_user && p.opts.kmem_writable && p.opts.verbose);
}

Test(options, files)
{
	static struct parsed p;

	PARSE(&p, "-i", "mem.img", "-p", "/run/vk.pid");
	cr_assert_eq(p.rc, 0);
	cr_assert_str_eq(p.opts.memimg, "mem.img");
	cr_assert_str_eq(p.opts.pidfile, "/run/vk.pid");
	PARSE(&p, "-i", "");
	ASSERT_REFUSED(&p, "-i '': empty file name");
	PARSE(&p, "-p", "");
	ASSERT_REFUSED(&p, "-p '': empty file name");
}

Test(options, memory_size_suffixes)
{
	static const struct {
		const char *arg;
		uint64_t bytes;
	} ok[] = {
		{ "67108864", 64ULL << 20 },
		{ "65536k", 64ULL << 20 },
		{ "65536K", 64ULL << 20 },
		{ "66m", 66ULL << 20 },
		{ "128M", 128ULL << 20 },
		{ "1g", 1ULL << 30 },
		{ "2G", 2ULL << 30 },
		{ "0064m", 64ULL << 20 },
	};
	static struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		PARSE(&p, "-m", ok[i].arg);
		cr_assert_eq(p.rc, 0, "-m %s refused: %s", ok[i].arg, p.err);
		cr_assert_eq(p.opts.memsize, ok[i].bytes, "-m %s", ok[i].arg);
	}
	/* The last -m counts. */
	PARSE(&p, "-m", "64m", "-m", "128m");
	cr_assert_eq(p.opts.memsize, 128ULL << 20);
}

Test(options, memory_size_refusals)
{
	static const char *const bad[] = { "", "-64m", "+64m", " 64m", "64x",
		"64mb", "64 m", "m", "0x4000000", "63m", "65m", "67108865", "0",
		"99999999999999999999", "8589934592g", "17179869184g" };
	char want[64];
	static struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		PARSE(&p, "-m", bad[i]);
		snprintf(want, sizeof(want), "-m %s: Bad maxmem",
		    *bad[i] != '\0' ? bad[i] : "''");
		ASSERT_REFUSED(&p, want);
	}
	PARSE(&p, "-m", "65m");
	ASSERT_REFUSED(&p, "64MB minimum, multiples of 2MB only");
}

Test(options, ncpus)
{
	static struct parsed p;

	PARSE(&p, "-n", "1");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.ncpus, 1);
	PARSE(&p, "-n", "31");
	cr_assert_eq(p.opts.ncpus, 31);
	PARSE(&p, "-n", "4:1:2");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.ncpus, 4);
	cr_assert_eq(p.opts.lbits, 1);
	cr_assert_eq(p.opts.cbits, 2);
	PARSE(&p, "-n", "8:3");
	cr_assert_eq(p.opts.lbits, 3);
	cr_assert_eq(p.opts.cbits, 0);
}

Test(options, ncpus_refusals)
{
	static struct parsed p;

	PARSE(&p, "-n", "0");
	ASSERT_REFUSED(&p, "-n 0: Bad ncpus, valid range is 1-31");
	PARSE(&p, "-n", "32");
	ASSERT_REFUSED(&p, "-n 32: Bad ncpus, valid range is 1-31");
	PARSE(&p, "-n", "-1");
	ASSERT_REFUSED(&p, "-n -1: Bad ncpus");
	PARSE(&p, "-n", "two");
	ASSERT_REFUSED(&p, "-n two: Bad ncpus");
	PARSE(&p, "-n", "");
	ASSERT_REFUSED(&p, "-n '': Bad ncpus");
	PARSE(&p, "-n", "2x");
	ASSERT_REFUSED(&p, "-n 2x: Bad argument");
	PARSE(&p, "-n", "2:");
	ASSERT_REFUSED(&p, "-n 2:: Bad lbits");
	PARSE(&p, "-n", "2:1:");
	ASSERT_REFUSED(&p, "-n 2:1:: Bad cbits");
	PARSE(&p, "-n", "2:1:1:1");
	ASSERT_REFUSED(&p, "-n 2:1:1:1: Bad argument");
	PARSE(&p, "-n", "2:6");
	ASSERT_REFUSED(&p, "-n 2:6: Bad lbits, valid range is 0-5");
	PARSE(&p, "-n", "2:0:6");
	ASSERT_REFUSED(&p, "-n 2:0:6: Bad cbits, valid range is 0-5");
}

Test(options, cpulock)
{
	static struct parsed p;

	PARSE(&p, "-l", "map");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.cpulock, VK_CPULOCK_MAP);
	cr_assert_eq(p.opts.cpulock_cpu, 0);
	PARSE(&p, "-l", "map,1");
	cr_assert_eq(p.opts.cpulock, VK_CPULOCK_MAP);
	cr_assert_eq(p.opts.cpulock_cpu, 1);
	/* map wraps around: start 1 with 4 CPUs on 2 real ones is fine. */
	PARSE(&p, "-n", "4", "-l", "map,1");
	cr_assert_eq(p.rc, 0);
	PARSE(&p, "-l", "1");
	cr_assert_eq(p.opts.cpulock, VK_CPULOCK_SINGLE);
	cr_assert_eq(p.opts.cpulock_cpu, 1);
	PARSE(&p, "-l", "1", "-l", "any");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.cpulock, VK_CPULOCK_ANY);
}

Test(options, cpulock_refusals)
{
	static struct parsed p;

	PARSE(&p, "-l", "2");
	ASSERT_REFUSED(&p, "-l 2: Bad target CPU, valid range is 0-1");
	PARSE(&p, "-l", "map,2");
	ASSERT_REFUSED(&p, "-l map,2: Bad target CPU, valid range is 0-1");
	PARSE(&p, "-l", "99999");
	ASSERT_REFUSED(&p, "-l 99999: Bad target CPU, valid range is 0-1");
	PARSE(&p, "-l", "map,");
	ASSERT_REFUSED(&p, "-l map,: Bad cpulock");
	PARSE(&p, "-l", "map,x");
	ASSERT_REFUSED(&p, "-l map,x: Bad cpulock");
	PARSE(&p, "-l", "anyway");
	ASSERT_REFUSED(&p, "-l anyway: Bad cpulock");
	PARSE(&p, "-l", "mapping");
	ASSERT_REFUSED(&p, "-l mapping: Bad cpulock");
	PARSE(&p, "-l", "-1");
	ASSERT_REFUSED(&p, "-l -1: Bad cpulock");
	PARSE(&p, "-l", "");
	ASSERT_REFUSED(&p, "-l '': Bad cpulock");
}

Test(options, cpulock_follows_the_affinity_mask)
{
	const char *single[] = { "kernel", "-l", "1", NULL };
	const char *map[] = { "kernel", "-l", "map", NULL };
	const char *two[] = { "kernel", "-l", "2", NULL };
	static struct parsed p;
	cpu_set_t cpus;

	/* The process may run on CPUs 0, 2 and 3 only. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CPU_SET(2, &cpus);
	CPU_SET(3, &cpus);
	parse_with(&p, &cpus, single);
	ASSERT_REFUSED(&p, "-l 1: Bad target CPU, valid range is 0-0,2-3");
	parse_with(&p, &cpus, two);
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.cpulock_cpu, 2);
	/* Plain map starts at the first CPU we may run on. */
	CPU_CLR(0, &cpus);
	parse_with(&p, &cpus, map);
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.cpulock_cpu, 2);
}

/* Asserts that kenv entry i is name=value. */
static void
assert_kenv(const struct vk_options *o, int i, const char *name,
    const char *value)
{
	cr_assert_lt(i, o->nkenv);
	cr_assert_str_eq(o->kenv[i].name, name);
	cr_assert_str_eq(o->kenv[i].value, value);
}

Test(options, kenv_pairs_in_order)
{
	static struct parsed p;

	PARSE(&p, "-e", "a=1:b=2", "-e", "c=:d=x=y");
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.nkenv, 4);
	assert_kenv(&p.opts, 0, "a", "1");
	assert_kenv(&p.opts, 1, "b", "2");
	assert_kenv(&p.opts, 2, "c", "");
	assert_kenv(&p.opts, 3, "d", "x=y");
	vk_options_free(&p.opts);
	cr_assert_eq(p.opts.nkenv, 0);
}

Test(options, kenv_quoting)
{
	static struct parsed p;

	PARSE(&p, "-e",
	    "vfs.root.mountfrom=\"ufs:vkd0s0a\":b='c:d':e=x\"y\"z:"
	    "f=\"it's\":g='say \"hi\"'");
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.nkenv, 5);
	assert_kenv(&p.opts, 0, "vfs.root.mountfrom", "ufs:vkd0s0a");
	assert_kenv(&p.opts, 1, "b", "c:d");
	assert_kenv(&p.opts, 2, "e", "xyz");
	assert_kenv(&p.opts, 3, "f", "it's");
	assert_kenv(&p.opts, 4, "g", "say \"hi\"");
	PARSE(&p, "-e", "'a=1:b'=2");
	cr_assert_eq(p.opts.nkenv, 1);
	assert_kenv(&p.opts, 0, "a", "1:b=2");
}

Test(options, kenv_later_value_overrides)
{
	static struct parsed p;

	PARSE(&p, "-e", "a=1:b=2", "-e", "a=3", "-e", "b=4:a=5");
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.nkenv, 2);
	assert_kenv(&p.opts, 0, "a", "5");
	assert_kenv(&p.opts, 1, "b", "4");
	/* A name that is a prefix of another is a different name. */
	PARSE(&p, "-e", "ab=1:a=2");
	cr_assert_eq(p.opts.nkenv, 2);
	assert_kenv(&p.opts, 1, "a", "2");
}

Test(options, kenv_refusals)
{
	static struct parsed p;

	PARSE(&p, "-e", "a=1:noequals");
	ASSERT_REFUSED(&p, "entry 'noequals' has no '='");
	PARSE(&p, "-e", "=v");
	ASSERT_REFUSED(&p, "entry '=v' has an empty name");
	PARSE(&p, "-e", "a=1::b=2");
	ASSERT_REFUSED(&p, "-e a=1::b=2: Bad argument, entry '' has no '='");
	PARSE(&p, "-e", "a=1:");
	ASSERT_REFUSED(&p, "-e a=1:: Bad argument");
	PARSE(&p, "-e", "");
	ASSERT_REFUSED(&p, "-e '': Bad argument");
	PARSE(&p, "-e", "a=\"x:y");
	ASSERT_REFUSED(&p, "unterminated \" quote");
	PARSE(&p, "-e", "a='x");
	ASSERT_REFUSED(&p, "unterminated ' quote");
	cr_assert_eq(p.opts.nkenv, 0);
}

Test(options, kenv_limit)
{
	const char *argv[VK_KENV_MAX + 4];
	char names[VK_KENV_MAX + 1][16];
	static struct parsed p;
	int i;

	argv[0] = "kernel";
	for (i = 0; i <= VK_KENV_MAX; i++)
		snprintf(names[i], sizeof(names[i]), "-ev%d=%d", i, i);
	for (i = 0; i < VK_KENV_MAX; i++)
		argv[i + 1] = names[i];
	argv[VK_KENV_MAX + 1] = "-ev0=again"; /* an override is no new name */
	argv[VK_KENV_MAX + 2] = NULL;
	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.nkenv, VK_KENV_MAX);
	assert_kenv(&p.opts, 0, "v0", "again");
	argv[VK_KENV_MAX + 1] = names[VK_KENV_MAX];
	parse_argv(&p, argv);
	ASSERT_REFUSED(&p,
	    "-e v128=128: too many environment variables, at most 128");
}

Test(options, disks_in_order_with_units)
{
	static struct parsed p;
	const struct vk_disk_spec *d;

	PARSE(&p, "-c", "cd0.iso", "-r", "root.img", "-r", "b.img:SER-1", "-c",
	    "a:b.iso");
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.ndisks, 4);
	d = p.opts.disks;
	cr_assert(d[0].type == VK_DISK_CD && d[0].unit == 0);
	cr_assert_str_eq(d[0].path, "cd0.iso");
	cr_assert(d[1].type == VK_DISK_RW && d[1].unit == 0);
	cr_assert_str_eq(d[1].path, "root.img");
	cr_assert_null(d[1].serno);
	cr_assert(d[2].type == VK_DISK_RW && d[2].unit == 1);
	cr_assert_str_eq(d[2].path, "b.img");
	cr_assert_str_eq(d[2].serno, "SER-1");
	/* Only -r has a serial number: a ':' in a -c name stays. */
	cr_assert(d[3].type == VK_DISK_CD && d[3].unit == 1);
	cr_assert_str_eq(d[3].path, "a:b.iso");
	cr_assert_null(d[3].serno);
	vk_options_free(&p.opts);
	cr_assert_eq(p.opts.ndisks, 0);
}

Test(options, disk_refusals)
{
	static struct parsed p;

	PARSE(&p, "-r", "");
	ASSERT_REFUSED(&p, "-r '': empty file name");
	PARSE(&p, "-c", "");
	ASSERT_REFUSED(&p, "-c '': empty file name");
	PARSE(&p, "-r", "root.img:");
	ASSERT_REFUSED(&p, "-r root.img:: empty serial number");
	PARSE(&p, "-r", ":SER");
	ASSERT_REFUSED(&p, "-r :SER: empty file name");
}

Test(options, at_most_16_disks)
{
	const char *argv[2 * VK_DISK_MAX + 4];
	char names[VK_DISK_MAX + 1][16];
	static struct parsed p;
	int i;

	argv[0] = "kernel";
	for (i = 0; i <= VK_DISK_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "img%d", i);
		argv[2 * i + 1] = i % 2 ? "-c" : "-r";
		argv[2 * i + 2] = names[i];
	}
	argv[2 * VK_DISK_MAX + 1] = NULL;
	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.ndisks, VK_DISK_MAX);
	cr_assert_eq(p.opts.disks[15].unit, 7);
	argv[2 * VK_DISK_MAX + 1] = "-c";
	argv[2 * VK_DISK_MAX + 2] = names[VK_DISK_MAX];
	argv[2 * VK_DISK_MAX + 3] = NULL;
	parse_argv(&p, argv);
	ASSERT_REFUSED(&p, "-c img16: too many disk images, at most 16");
}

/* Parses one -I argument, expecting success. */
static struct vk_netif_spec
netif(const char *arg)
{
	const char *argv[] = { "kernel", "-I", arg, NULL };
	static struct parsed p;

	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 0, "-I %s refused: %s", arg, p.err);
	cr_assert_eq(p.opts.nnetifs, 1);
	return (p.opts.netifs[0]);
}

static uint32_t
ip(const char *s)
{
	uint32_t a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return (a);
}

Test(options, netif_interfaces)
{
	struct vk_netif_spec n;

	n = netif("auto");
	cr_assert_str_eq(n.iface, "auto");
	cr_assert(!n.has_addr1 && !n.has_addr2 && !n.bridge && !n.has_mac);
	cr_assert_eq(n.masklen, 0);
	n = netif("tap0");
	cr_assert_str_eq(n.iface, "tap0");
	n = netif("/dev/net/tun");
	cr_assert_str_eq(n.iface, "/dev/net/tun");
	n = netif("/var/run/vknet:0.0.0.0:10.2.0.2/16");
	cr_assert_str_eq(n.iface, "/var/run/vknet");
	cr_assert_eq(n.addr1, ip("0.0.0.0"));
	cr_assert_eq(n.addr2, ip("10.2.0.2"));
	cr_assert_eq(n.masklen, 16);
}

Test(options, netif_addresses)
{
	struct vk_netif_spec n;

	n = netif("auto:10.0.0.1");
	cr_assert(n.has_addr1 && !n.has_addr2 && !n.bridge);
	cr_assert_eq(n.addr1, ip("10.0.0.1"));
	n = netif("auto:10.0.0.1/24");
	cr_assert_eq(n.masklen, 24);
	n = netif("tap3:10.0.0.1:10.0.0.2");
	cr_assert(n.has_addr1 && n.has_addr2);
	cr_assert_eq(n.addr2, ip("10.0.0.2"));
	cr_assert_eq(n.masklen, 0);
	n = netif("auto:10.0.0.1:10.0.0.2/31");
	cr_assert_eq(n.masklen, 31);
	n = netif("auto:10.0.0.1/1");
	cr_assert_eq(n.masklen, 1);
}

Test(options, netif_bridges)
{
	struct vk_netif_spec n;

	n = netif("auto:bridge0");
	cr_assert(n.bridge && !n.has_addr1 && !n.has_addr2);
	cr_assert_str_eq(n.bridge_if, "bridge0");
	n = netif("auto:bridge12:10.0.0.2");
	cr_assert_str_eq(n.bridge_if, "bridge12");
	cr_assert(n.has_addr2);
	cr_assert_eq(n.addr2, ip("10.0.0.2"));
	n = netif("auto:bridge0:10.0.0.2/16");
	cr_assert_eq(n.masklen, 16);
}

Test(options, netif_mac)
{
	struct vk_netif_spec n;
	static const uint8_t want[6] = { 0x02, 0x00, 0x5e, 0xab, 0xCD, 0x01 };

	n = netif("auto=02:00:5e:ab:CD:01");
	cr_assert(n.has_mac);
	cr_assert_arr_eq(n.mac, want, 6);
	n = netif("auto:10.0.0.1:10.0.0.2/24=02:00:5e:ab:cd:01");
	cr_assert(n.has_mac && n.has_addr2);
	cr_assert_eq(n.masklen, 24);
}

Test(options, netif_refusals)
{
	static const struct {
		const char *arg, *why;
	} bad[] = {
		{ "", "Bad interface ''" },
		{ "tap 0", "Bad interface 'tap 0'" },
		{ "tap0123456789abcd", "Bad interface" },
		{ "auto:", "Bad address1 ''" },
		{ "auto:10.0.0.256", "Bad address1 '10.0.0.256'" },
		{ "auto:10.0.0", "Bad address1" },
		{ "auto:br0", "Bad address1 'br0'" },
		{ "auto:bridge", "Bad address1 'bridge'" },
		{ "auto:10.0.0.1/0", "Invalid netmask len: 0" },
		{ "auto:10.0.0.1/32", "Invalid netmask len: 32" },
		{ "auto:10.0.0.1/", "Invalid netmask len: " },
		{ "auto:10.0.0.1/x", "Invalid netmask len: x" },
		{ "auto:bridge0/24", "a netmask needs an address" },
		{ "auto:10.0.0.1:", "Invalid pseudo netif address: ''" },
		{ "auto:10.0.0.1:foo", "Invalid pseudo netif address: 'foo'" },
		{ "auto:1.2.3.4:5.6.7.8:9.9.9.9", "Invalid pseudo netif" },
		{ "auto=", "Bad MAC address ''" },
		{ "auto=02:00:00:00:00", "Bad MAC address" },
		{ "auto=02:00:00:00:00:0g", "Bad MAC address" },
		{ "auto=02-00-00-00-00-01", "Bad MAC address" },
		{ "auto=01:00:5e:00:00:01", "multicast" },
		{ "auto=ff:ff:ff:ff:ff:ff", "multicast" },
	};
	char want[128];
	static struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { "kernel", "-I", bad[i].arg, NULL };

		parse_argv(&p, argv);
		snprintf(want, sizeof(want),
		    "-I %s: ", *bad[i].arg != '\0' ? bad[i].arg : "''");
		ASSERT_REFUSED(&p, want);
		ASSERT_REFUSED(&p, bad[i].why);
	}
}

Test(options, at_most_16_netifs)
{
	const char *argv[2 * VK_NETIF_MAX + 4];
	static struct parsed p;
	int i;

	argv[0] = "kernel";
	for (i = 0; i < VK_NETIF_MAX; i++) {
		argv[2 * i + 1] = "-I";
		argv[2 * i + 2] = "auto";
	}
	argv[2 * VK_NETIF_MAX + 1] = NULL;
	parse_argv(&p, argv);
	cr_assert_eq(p.rc, 0);
	cr_assert_eq(p.opts.nnetifs, VK_NETIF_MAX);
	argv[2 * VK_NETIF_MAX + 1] = "-I";
	argv[2 * VK_NETIF_MAX + 2] = "tap16";
	argv[2 * VK_NETIF_MAX + 3] = NULL;
	parse_argv(&p, argv);
	ASSERT_REFUSED(&p, "-I tap16: too many network interfaces, at most 16");
}

Test(options, parses_again_in_the_same_process)
{
	static struct parsed p;

	PARSE(&p, "-m", "64m", "-x");
	cr_assert_eq(p.rc, 64);
	PARSE(&p, "-n", "3", "-s");
	cr_assert_eq(p.rc, 0, "%s", p.err);
	cr_assert_eq(p.opts.ncpus, 3);
	cr_assert(p.opts.single_user);
}

Test(options, real_affinity_mask_is_used)
{
	char arg[16];
	char *argv[] = { "kernel", "-l", arg, NULL };
	struct vk_options o;
	cpu_set_t cpus;
	int cpu;

	/* The first CPU we may run on is accepted by the public entry. */
	cr_assert_eq(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
	for (cpu = 0; !CPU_ISSET(cpu, &cpus); cpu++)
		continue;
	snprintf(arg, sizeof(arg), "%d", cpu);
	cr_assert_eq(vk_options_parse(3, argv, &o), 0);
	cr_assert_eq(o.cpulock_cpu, cpu);
	vk_options_free(&o);
}
