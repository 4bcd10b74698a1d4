/*
 * sha512_crypt.c - SHA-512 (FIPS 180-4, section 6.4) and crypt(3)'s "$6$"
 * method (Drepper, "Unix crypt using SHA-256 and SHA-512", the steps
 * numbered below as there), written from the two specifications.  The
 * contract is in sha512_crypt.h; login(1) checks master.passwd hashes
 * with it and world/lib/tests/sha512_crypt_test.c holds the vectors of
 * both specifications and a comparison with the host's crypt(3).
 *
 * Nothing is allocated: the specification's byte sequences P and S
 * (steps 16 and 20) are a digest repeated or cut to a length, so they are
 * fed to SHA-512 from the 64-byte digest instead of being built.  Secrets
 * on the stack (the digests, which derive from the key) are wiped before
 * returning.
 */
#include "world/lib/sha512_crypt.h"

#include <string.h>

/* FIPS 180-4 4.2.3: the first 64 bits of the fractional parts of the
 * cube roots of the first 80 primes (computed from that definition). */
static const uint64_t sha512_k[80] = {
	0x428a2f98d728ae22ULL,
	0x7137449123ef65cdULL,
	0xb5c0fbcfec4d3b2fULL,
	0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL,
	0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL,
	0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL,
	0x12835b0145706fbeULL,
	0x243185be4ee4b28cULL,
	0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL,
	0x80deb1fe3b1696b1ULL,
	0x9bdc06a725c71235ULL,
	0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL,
	0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL,
	0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL,
	0x4a7484aa6ea6e483ULL,
	0x5cb0a9dcbd41fbd4ULL,
	0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL,
	0xa831c66d2db43210ULL,
	0xb00327c898fb213fULL,
	0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL,
	0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL,
	0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL,
	0x2e1b21385c26c926ULL,
	0x4d2c6dfc5ac42aedULL,
	0x53380d139d95b3dfULL,
	0x650a73548baf63deULL,
	0x766a0abb3c77b2a8ULL,
	0x81c2c92e47edaee6ULL,
	0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL,
	0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL,
	0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL,
	0xd69906245565a910ULL,
	0xf40e35855771202aULL,
	0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL,
	0x1e376c085141ab53ULL,
	0x2748774cdf8eeb99ULL,
	0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL,
	0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL,
	0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL,
	0x78a5636f43172f60ULL,
	0x84c87814a1f0ab72ULL,
	0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL,
	0xa4506cebde82bde9ULL,
	0xbef9a3f7b2c67915ULL,
	0xc67178f2e372532bULL,
	0xca273eceea26619cULL,
	0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL,
	0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL,
	0x0a637dc5a2c898a6ULL,
	0x113f9804bef90daeULL,
	0x1b710b35131c471bULL,
	0x28db77f523047d84ULL,
	0x32caab7b40c72493ULL,
	0x3c9ebe0a15c9bebcULL,
	0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL,
	0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL,
	0x6c44198c4a475817ULL,
};

/* FIPS 180-4 5.3.5: the fractional parts of the square roots of the first
 * eight primes. */
static const uint64_t sha512_h0[8] = {
	0x6a09e667f3bcc908ULL,
	0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL,
	0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL,
	0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL,
	0x5be0cd19137e2179ULL,
};

/* Zeroes n bytes in a way the compiler may not drop as a dead store. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

static uint64_t
rotr(uint64_t x, unsigned n)
{
	return ((x >> n) | (x << (64 - n)));
}

/* Big-endian loads and stores, whatever the machine's byte order. */
static uint64_t
load_be64(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = (x << 8) | p[i];
	return (x);
}

static void
store_be64(uint8_t *p, uint64_t x)
{
	int i;

	for (i = 7; i >= 0; i--, x >>= 8)
		p[i] = (uint8_t)x;
}

/* FIPS 180-4 6.4.2: one 128-byte block into the state. */
static void
sha512_block(uint64_t state[8], const uint8_t *block)
{
	uint64_t w[80], v[8], t1, t2;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = load_be64(block + 8 * t);
	for (t = 16; t < 80; t++) {
		uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^
		    (w[t - 15] >> 7);
		uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^
		    (w[t - 2] >> 6);

		w[t] = s1 + w[t - 7] + s0 + w[t - 16];
	}
	memcpy(v, state, sizeof(v));
	/* v[0..7] are a..h of the specification. */
	for (t = 0; t < 80; t++) {
		t1 = v[7] + (rotr(v[4], 14) ^ rotr(v[4], 18) ^ rotr(v[4], 41)) +
		    ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha512_k[t] + w[t];
		t2 = (rotr(v[0], 28) ^ rotr(v[0], 34) ^ rotr(v[0], 39)) +
		    ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		v[7] = v[6];
		v[6] = v[5];
		v[5] = v[4];
		v[4] = v[3] + t1;
		v[3] = v[2];
		v[2] = v[1];
		v[1] = v[0];
		v[0] = t1 + t2;
	}
	for (t = 0; t < 8; t++)
		state[t] += v[t];
	wipe(w, sizeof(w));
	wipe(v, sizeof(v));
}

void
sha512_init(struct sha512_ctx *c)
{
	memcpy(c->state, sha512_h0, sizeof(c->state));
	c->bytes_lo = c->bytes_hi = 0;
	c->used = 0;
}

void
sha512_update(struct sha512_ctx *c, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (n == 0)
		return;
	c->bytes_lo += (uint64_t)n;
	if (c->bytes_lo < (uint64_t)n)
		c->bytes_hi++;
	while (n > 0) {
		size_t take = SHA512_BLOCK_SIZE - c->used;

		if (c->used == 0 && n >= SHA512_BLOCK_SIZE) {
			sha512_block(c->state, p);
			p += SHA512_BLOCK_SIZE;
			n -= SHA512_BLOCK_SIZE;
			continue;
		}
		if (take > n)
			take = n;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == SHA512_BLOCK_SIZE) {
			sha512_block(c->state, c->block);
			c->used = 0;
		}
	}
}

void
sha512_final(struct sha512_ctx *c, uint8_t digest[SHA512_DIGEST_SIZE])
{
	/* FIPS 180-4 5.1.2: a 1 bit, zeros, the length in bits (128 bits). */
	uint64_t bits_hi = (c->bytes_hi << 3) | (c->bytes_lo >> 61);
	uint64_t bits_lo = c->bytes_lo << 3;
	int i;

	c->block[c->used++] = 0x80;
	if (c->used > SHA512_BLOCK_SIZE - 16) {
		memset(c->block + c->used, 0, SHA512_BLOCK_SIZE - c->used);
		sha512_block(c->state, c->block);
		c->used = 0;
	}
	memset(c->block + c->used, 0, SHA512_BLOCK_SIZE - 16 - c->used);
	store_be64(c->block + SHA512_BLOCK_SIZE - 16, bits_hi);
	store_be64(c->block + SHA512_BLOCK_SIZE - 8, bits_lo);
	sha512_block(c->state, c->block);
	for (i = 0; i < 8; i++)
		store_be64(digest + 8 * i, c->state[i]);
	wipe(c, sizeof(*c));
}

void
sha512(const void *data, size_t n, uint8_t digest[SHA512_DIGEST_SIZE])
{
	struct sha512_ctx c;

	sha512_init(&c);
	sha512_update(&c, data, n);
	sha512_final(&c, digest);
}

/* Adds n bytes of d repeated (d, d, ..., then the first n % 64 bytes of d)
 * to c: the specification's steps 9-10 and its sequence P (step 16). */
static void
update_repeated(struct sha512_ctx *c, const uint8_t d[SHA512_DIGEST_SIZE],
    size_t n)
{
	for (; n >= SHA512_DIGEST_SIZE; n -= SHA512_DIGEST_SIZE)
		sha512_update(c, d, SHA512_DIGEST_SIZE);
	sha512_update(c, d, n);
}

/* The parts of a "$6$" setting. */
struct crypt_setting {
	const char *salt;
	size_t salt_len;
	unsigned long rounds;
	bool rounds_given; /* "rounds=N$" was there: the result has it too */
};

/* Splits setting into its salt and rounds; false when it is not a "$6$"
 * setting, or "rounds=" is not followed by digits and '$'. */
static bool
parse_setting(const char *s, struct crypt_setting *st)
{
	static const char rounds_prefix[] = "rounds=";
	const size_t prefix_len = sizeof(rounds_prefix) - 1;

	if (strncmp(s, SHA512_CRYPT_PREFIX, 3) != 0)
		return (false);
	s += 3;
	st->rounds = SHA512_CRYPT_ROUNDS_DEFAULT;
	st->rounds_given = false;
	if (strncmp(s, rounds_prefix, prefix_len) == 0) {
		const char *d = s + prefix_len;
		uint64_t r = 0;

		if (*d < '0' || *d > '9')
			return (false);
		/* Saturating: any N above the maximum is the maximum. */
		for (; *d >= '0' && *d <= '9'; d++)
			if (r <= SHA512_CRYPT_ROUNDS_MAX)
				r = r * 10 + (uint64_t)(*d - '0');
		if (*d != '$')
			return (false);
		if (r < SHA512_CRYPT_ROUNDS_MIN)
			r = SHA512_CRYPT_ROUNDS_MIN;
		if (r > SHA512_CRYPT_ROUNDS_MAX)
			r = SHA512_CRYPT_ROUNDS_MAX;
		st->rounds = (unsigned long)r;
		st->rounds_given = true;
		s = d + 1;
	}
	st->salt = s;
	st->salt_len = strcspn(s, "$");
	if (st->salt_len > SHA512_CRYPT_SALT_MAX)
		st->salt_len = SHA512_CRYPT_SALT_MAX;
	return (true);
}

/* Writes the specification's "$6$[rounds=N$]salt$" to out (room for
 * SHA512_CRYPT_SIZE); returns its length. */
static size_t
write_prefix(const struct crypt_setting *st, char *out)
{
	char digits[16];
	unsigned long r = st->rounds;
	size_t len, nd = 0;

	memcpy(out, SHA512_CRYPT_PREFIX, 3);
	len = 3;
	if (st->rounds_given) {
		memcpy(out + len, "rounds=", 7);
		len += 7;
		do
			digits[nd++] = (char)('0' + r % 10);
		while ((r /= 10) != 0);
		while (nd > 0)
			out[len++] = digits[--nd];
		out[len++] = '$';
	}
	memcpy(out + len, st->salt, st->salt_len);
	len += st->salt_len;
	out[len++] = '$';
	return (len);
}

/* crypt's base64: 4 characters for 24 bits, the low 6 bits first. */
static char *
encode24(char *p, unsigned b2, unsigned b1, unsigned b0, int chars)
{
	static const char alphabet[] =
	    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint32_t w = ((uint32_t)b2 << 16) | ((uint32_t)b1 << 8) | b0;

	while (chars-- > 0) {
		*p++ = alphabet[w & 0x3f];
		w >>= 6;
	}
	return (p);
}

/*
 * Step 22e: the digest's bytes in the specification's order, three at a
 * time: group i takes bytes i, i + 21 and i + 42, rotated by i mod 3
 * ((0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), ...), and the last
 * byte (63) alone in two characters.  Writes 86 characters and a NUL.
 */
static void
encode_digest(const uint8_t d[SHA512_DIGEST_SIZE], char *p)
{
	int i;

	for (i = 0; i < 21; i++) {
		unsigned a = d[i], b = d[i + 21], c = d[i + 42];

		if (i % 3 == 0)
			p = encode24(p, a, b, c, 4);
		else if (i % 3 == 1)
			p = encode24(p, b, c, a, 4);
		else
			p = encode24(p, c, a, b, 4);
	}
	p = encode24(p, 0, 0, d[63], 2);
	*p = '\0';
}

/* Steps 1-21: the final digest of key under st. */
static void
crypt_digest(const char *key, const struct crypt_setting *st,
    uint8_t out[SHA512_DIGEST_SIZE])
{
	uint8_t a[SHA512_DIGEST_SIZE], b[SHA512_DIGEST_SIZE];
	uint8_t p[SHA512_DIGEST_SIZE], s[SHA512_DIGEST_SIZE];
	size_t klen = strlen(key), n;
	struct sha512_ctx c;
	unsigned long r;

	/* Steps 4-8: B = H(key salt key). */
	sha512_init(&c);
	sha512_update(&c, key, klen);
	sha512_update(&c, st->salt, st->salt_len);
	sha512_update(&c, key, klen);
	sha512_final(&c, b);
	/* Steps 1-3 and 9-12: A = H(key salt B-repeated-to-klen, then per
	 * bit of klen from the lowest: B for a 1, key for a 0). */
	sha512_init(&c);
	sha512_update(&c, key, klen);
	sha512_update(&c, st->salt, st->salt_len);
	update_repeated(&c, b, klen);
	for (n = klen; n > 0; n >>= 1) {
		if (n & 1)
			sha512_update(&c, b, sizeof(b));
		else
			sha512_update(&c, key, klen);
	}
	sha512_final(&c, a);
	/* Steps 13-16: DP = H(key klen times); P is DP repeated to klen. */
	sha512_init(&c);
	for (n = 0; n < klen; n++)
		sha512_update(&c, key, klen);
	sha512_final(&c, p);
	/* Steps 17-20: DS = H(salt 16 + A[0] times); S is its first
	 * salt_len bytes (salt_len <= 16 < 64). */
	sha512_init(&c);
	for (n = 0; n < 16u + a[0]; n++)
		sha512_update(&c, st->salt, st->salt_len);
	sha512_final(&c, s);
	/* Step 21: the rounds, from A; round r counts from 0. */
	for (r = 0; r < st->rounds; r++) {
		sha512_init(&c);
		if (r & 1)
			update_repeated(&c, p, klen);
		else
			sha512_update(&c, a, sizeof(a));
		if (r % 3 != 0)
			sha512_update(&c, s, st->salt_len);
		if (r % 7 != 0)
			update_repeated(&c, p, klen);
		if (r & 1)
			sha512_update(&c, a, sizeof(a));
		else
			update_repeated(&c, p, klen);
		sha512_final(&c, a);
	}
	memcpy(out, a, sizeof(a));
	wipe(a, sizeof(a));
	wipe(b, sizeof(b));
	wipe(p, sizeof(p));
	wipe(s, sizeof(s));
}

char *
sha512_crypt(const char *key, const char *setting, char *out, size_t outsize)
{
	uint8_t d[SHA512_DIGEST_SIZE];
	char buf[SHA512_CRYPT_SIZE];
	struct crypt_setting st;
	size_t len;

	if (!parse_setting(setting, &st))
		return (NULL);
	len = write_prefix(&st, buf);
	if (outsize < len + 86 + 1)
		return (NULL);
	crypt_digest(key, &st, d);
	encode_digest(d, buf + len);
	memcpy(out, buf, len + 86 + 1);
	wipe(d, sizeof(d));
	wipe(buf, sizeof(buf));
	return (out);
}

bool
sha512_crypt_check(const char *key, const char *hash)
{
	char computed[SHA512_CRYPT_SIZE];
	size_t len;
	bool ok;

	if (sha512_crypt(key, hash, computed, sizeof(computed)) == NULL)
		return (false);
	/* The length is the setting's (public); only the digest is secret. */
	len = strlen(computed);
	ok = strlen(hash) == len && sha512_crypt_equal(computed, hash, len);
	wipe(computed, sizeof(computed));
	return (ok);
}

bool
sha512_crypt_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	while (n-- > 0)
		diff |= (unsigned char)(*x++ ^ *y++);
	return (diff == 0);
}
