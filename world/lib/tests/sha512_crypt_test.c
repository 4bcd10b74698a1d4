/*
 * sha512_crypt_test.c - unit tests for the world's SHA-512 and "$6$"
 * crypt (world/lib/sha512_crypt.c), on the host: no kernel, no guest.
 *
 * SHA-512 against FIPS 180-4's examples ("abc", the empty message, the
 * 896-bit message, a million "a"), fed whole and in every split; the
 * crypt against the seven "$6$" vectors of Drepper's specification, its
 * check and its refusals; then against the host's crypt(3) (libxcrypt,
 * -lcrypt for this program only) on random keys, salts and rounds.  The
 * random cases print their seed on a failure; SHA512_CRYPT_SEED=n
 * repeats a run.
 */
#include <criterion/criterion.h>
#include <crypt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "world/lib/sha512_crypt.h"

TestSuite(sha512_crypt, .timeout = 120);

/* d as 128 lowercase hex digits and a NUL. */
static void
hex_digest(const uint8_t d[SHA512_DIGEST_SIZE], char hex[129])
{
	int i;

	for (i = 0; i < SHA512_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void
expect_sha512(const char *msg, size_t n, const char *want)
{
	uint8_t d[SHA512_DIGEST_SIZE];
	char hex[129];

	sha512(msg, n, d);
	hex_digest(d, hex);
	cr_assert_str_eq(hex, want, "SHA-512 of %zu bytes", n);
}

/* FIPS 180-4's examples (and the NIST CAVP "abc" family). */
Test(sha512_crypt, sha512_fips_vectors)
{
	static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijkl"
				   "fghijklmghijklmnhijklmnoijklmnopjklmnopq"
				   "klmnopqrlmnopqrsmnopqrstnopqrstu";

	expect_sha512("abc", 3,
	    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	expect_sha512("", 0,
	    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	cr_assert_eq(strlen(m896) * 8, 896);
	expect_sha512(m896, strlen(m896),
	    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	    "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

/* A million "a", 1000 bytes at a time: many blocks through update. */
Test(sha512_crypt, sha512_million_a)
{
	uint8_t d[SHA512_DIGEST_SIZE];
	struct sha512_ctx c;
	char a[1000], hex[129];
	int i;

	memset(a, 'a', sizeof(a));
	sha512_init(&c);
	for (i = 0; i < 1000; i++)
		sha512_update(&c, a, sizeof(a));
	sha512_final(&c, d);
	hex_digest(d, hex);
	cr_assert_str_eq(hex,
	    "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	    "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

/*
 * Every message length around the padding's edges (111, 112, 127, 128 and
 * 239 bytes need one more block or not) gives the same digest whole and
 * split in two anywhere, or fed a byte at a time.
 */
Test(sha512_crypt, sha512_split_updates_agree)
{
	uint8_t msg[300], whole[SHA512_DIGEST_SIZE], part[SHA512_DIGEST_SIZE];
	struct sha512_ctx c;
	size_t n, cut, i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (n = 0; n <= sizeof(msg); n++) {
		sha512(msg, n, whole);
		for (cut = 0; cut <= n; cut++) {
			sha512_init(&c);
			sha512_update(&c, msg, cut);
			sha512_update(&c, msg + cut, n - cut);
			sha512_final(&c, part);
			cr_assert_arr_eq(part, whole, sizeof(whole),
			    "length %zu cut at %zu", n, cut);
		}
		sha512_init(&c);
		for (i = 0; i < n; i++)
			sha512_update(&c, msg + i, 1);
		sha512_final(&c, part);
		cr_assert_arr_eq(part, whole, sizeof(whole), "length %zu", n);
	}
}

/* The "$6$" examples of the specification (SHA-crypt.txt). */
static const struct {
	const char *setting, *key, *want;
} spec[] = {
	{ "$6$saltstring", "Hello world!",
	    "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQ"
	    "JuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1" },
	{ "$6$rounds=10000$saltstringsaltstring", "Hello world!",
	    "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sb"
	    "HbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v." },
	{ "$6$rounds=5000$toolongsaltstring", "This is just a test",
	    "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQ"
	    "zQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0" },
	{ "$6$rounds=1400$anotherlongsaltstring",
	    "a very much longer text to encrypt.  This one even stretches over "
	    "morethan one line.",
	    "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wP"
	    "vMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1" },
	{ "$6$rounds=77777$short",
	    "we have a short salt string but not a short password",
	    "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0g"
	    "ge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0" },
	{ "$6$rounds=123456$asaltof16chars..", "a short string",
	    "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwc"
	    "elCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1" },
	{ "$6$rounds=10$roundstoolow", "the minimum number is still observed",
	    "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1x"
	    "hLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX." },
};

Test(sha512_crypt, specification_vectors)
{
	char out[SHA512_CRYPT_SIZE];
	size_t i;

	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		cr_assert_not_null(sha512_crypt(spec[i].key, spec[i].setting,
				       out, sizeof(out)),
		    "%s", spec[i].setting);
		cr_assert_str_eq(out, spec[i].want, "%s", spec[i].setting);
		/* The whole hash as the setting gives the hash again. */
		cr_assert_not_null(sha512_crypt(spec[i].key, spec[i].want, out,
		    sizeof(out)));
		cr_assert_str_eq(out, spec[i].want);
	}
}

Test(sha512_crypt, check_accepts_the_key_and_nothing_else)
{
	const char *h = spec[0].want;
	char cut[SHA512_CRYPT_SIZE + 8];
	size_t i;

	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++)
		if (strncmp(spec[i].setting, "$6$rounds=10$", 13) != 0)
			cr_assert(sha512_crypt_check(spec[i].key, spec[i].want),
			    "%s", spec[i].want);
	cr_assert_not(sha512_crypt_check("Hello world", h));
	cr_assert_not(sha512_crypt_check("Hello world!!", h));
	cr_assert_not(sha512_crypt_check("", h));
	/* A changed last character, a hash cut short, one made longer. */
	snprintf(cut, sizeof(cut), "%s", h);
	cut[strlen(cut) - 1] = cut[strlen(cut) - 1] == 'a' ? 'b' : 'a';
	cr_assert_not(sha512_crypt_check("Hello world!", cut));
	snprintf(cut, sizeof(cut), "%.*s", (int)strlen(h) - 1, h);
	cr_assert_not(sha512_crypt_check("Hello world!", cut));
	snprintf(cut, sizeof(cut), "%sx", h);
	cr_assert_not(sha512_crypt_check("Hello world!", cut));
	/* The clamped vector is checked only in its clamped form. */
	cr_assert_not(sha512_crypt_check(spec[6].key,
	    "$6$rounds=10$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1x"
	    "hLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."));
	/* Other methods and locked or empty fields. */
	cr_assert_not(sha512_crypt_check("", ""));
	cr_assert_not(sha512_crypt_check("x", "*"));
	cr_assert_not(sha512_crypt_check("x", "$5$saltstring$x"));
	cr_assert_not(sha512_crypt_check("x", "$6"));
}

Test(sha512_crypt, settings_it_refuses)
{
	char out[SHA512_CRYPT_SIZE];

	cr_assert_null(sha512_crypt("k", "$5$salt", out, sizeof(out)));
	cr_assert_null(sha512_crypt("k", "6$salt", out, sizeof(out)));
	cr_assert_null(sha512_crypt("k", "$6$rounds=$salt", out, sizeof(out)));
	cr_assert_null(sha512_crypt("k", "$6$rounds=1x$salt", out,
	    sizeof(out)));
	cr_assert_null(sha512_crypt("k", "$6$rounds=5000", out, sizeof(out)));
	/* Too small an output buffer; the exact size is enough. */
	cr_assert_null(sha512_crypt(spec[0].key, spec[0].setting, out,
	    strlen(spec[0].want)));
	cr_assert_not_null(sha512_crypt(spec[0].key, spec[0].setting, out,
	    strlen(spec[0].want) + 1));
	cr_assert_str_eq(out, spec[0].want);
}

/* Rounds above the maximum are the maximum, however many digits; the
 * longest result fits SHA512_CRYPT_SIZE.  (Only the setting is parsed:
 * a buffer one byte short makes sha512_crypt give up before hashing.) */
Test(sha512_crypt, rounds_saturate_at_the_maximum)
{
	const char *s = "$6$rounds=99999999999999999999999$0123456789abcdefXYZ";
	char out[SHA512_CRYPT_SIZE];

	cr_assert_null(sha512_crypt("k", s, out, SHA512_CRYPT_SIZE - 1));
	cr_assert_eq(strlen("$6$rounds=999999999$0123456789abcdef$") + 86 + 1,
	    SHA512_CRYPT_SIZE);
}

Test(sha512_crypt, equal_compares_every_byte)
{
	cr_assert(sha512_crypt_equal("abcdef", "abcdef", 6));
	cr_assert(sha512_crypt_equal("abcdef", "abcdeX", 5));
	cr_assert_not(sha512_crypt_equal("abcdef", "abcdeX", 6));
	cr_assert_not(sha512_crypt_equal("Xbcdef", "abcdef", 6));
	cr_assert(sha512_crypt_equal("", "x", 0));
}

/* A small generator of our own, so that a seed repeats a run. */
static uint64_t rng;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((unsigned)(rng >> 33) % n);
}

/*
 * Random keys (any bytes but NUL, 0 to 300 of them: one and several
 * SHA-512 blocks), salts (0 to 20 characters of crypt's alphabet: longer
 * than 16 are cut) and rounds (none, or 1000 to 3000) give what the host's
 * crypt_r(3) gives.  libxcrypt refuses rounds outside [1000, 999999999],
 * which the specification clamps, so those are not compared.
 */
Test(sha512_crypt, agrees_with_host_crypt)
{
	static const char alphabet[] =
	    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	const char *env = getenv("SHA512_CRYPT_SEED");
	unsigned long long seed = env != NULL ?
	    strtoull(env, NULL, 10) :
	    (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
	struct crypt_data *data = calloc(1, sizeof(*data));
	char key[301], setting[64], out[SHA512_CRYPT_SIZE];
	int i;

	cr_assert_not_null(data);
	rng = seed;
	for (i = 0; i < 150; i++) {
		unsigned klen = rnd(301), slen = rnd(21), j;
		size_t len;
		const char *host;

		for (j = 0; j < klen; j++)
			key[j] = (char)(1 + rnd(255));
		key[klen] = '\0';
		len = (size_t)snprintf(setting, sizeof(setting), "$6$");
		if (rnd(2) != 0)
			len += (size_t)snprintf(setting + len,
			    sizeof(setting) - len, "rounds=%u$",
			    1000 + rnd(2001));
		for (j = 0; j < slen; j++)
			setting[len++] = alphabet[rnd(64)];
		setting[len] = '\0';
		host = crypt_r(key, setting, data);
		cr_assert(host != NULL && host[0] == '$',
		    "host crypt_r refused %s (seed %llu)", setting, seed);
		cr_assert_not_null(sha512_crypt(key, setting, out, sizeof(out)),
		    "%s (seed %llu)", setting, seed);
		cr_assert_str_eq(out, host, "%s, key of %u bytes (seed %llu)",
		    setting, klen, seed);
		cr_assert(sha512_crypt_check(key, host));
	}
	free(data);
}
