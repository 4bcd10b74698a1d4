/*
 * sha512_crypt.h - SHA-512 (FIPS 180-4) and the "$6$" password hash of
 * crypt(3) (Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"),
 * for the world's login(1): Debian's static musl has no crypt(3).
 *
 * Pure ISO C over caller buffers: no allocation, no global state, so the
 * same file builds with musl-gcc for the guest and with the host's cc
 * for the unit tests (world/lib/tests/sha512_crypt_test.c).
 *
 *	struct sha512_ctx c;
 *	sha512_init(&c); sha512_update(&c, p, n); sha512_final(&c, digest);
 *
 *	char out[SHA512_CRYPT_SIZE];
 *	sha512_crypt(password, "$6$rounds=10000$salt", out, sizeof(out));
 *	sha512_crypt_check(password, "$6$salt$...")	true or false
 */
#ifndef WORLD_LIB_SHA512_CRYPT_H
#define WORLD_LIB_SHA512_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_SIZE 64
#define SHA512_BLOCK_SIZE  128

/* The crypt(3) method: its prefix, salt and rounds (the specification's
 * limits; a rounds= outside them is clamped, as the specification says). */
#define SHA512_CRYPT_PREFIX	    "$6$"
#define SHA512_CRYPT_SALT_MAX	    16
#define SHA512_CRYPT_ROUNDS_DEFAULT 5000
#define SHA512_CRYPT_ROUNDS_MIN	    1000
#define SHA512_CRYPT_ROUNDS_MAX	    999999999UL
/*
 * The longest result and its NUL: "$6$" (3), "rounds=999999999$" (17),
 * the salt (16), "$" (1), the 86 characters of the digest, NUL.
 */
#define SHA512_CRYPT_SIZE (3 + 17 + SHA512_CRYPT_SALT_MAX + 1 + 86 + 1)

/* A SHA-512 computation in progress; its fields are the file's own. */
struct sha512_ctx {
	uint64_t state[8];
	uint64_t bytes_lo, bytes_hi; /* the message length, 128 bits */
	uint8_t block[SHA512_BLOCK_SIZE];
	size_t used; /* bytes of block filled */
};

/* Starts a SHA-512 computation in c. */
void sha512_init(struct sha512_ctx *c);

/* Adds the n bytes at data to the message of c (n may be 0). */
void sha512_update(struct sha512_ctx *c, const void *data, size_t n);

/* Ends the computation of c and writes the 64-byte digest; c is wiped and
 * must be started again with sha512_init before another use. */
void sha512_final(struct sha512_ctx *c, uint8_t digest[SHA512_DIGEST_SIZE]);

/* The SHA-512 digest of the n bytes at data, in one call. */
void sha512(const void *data, size_t n, uint8_t digest[SHA512_DIGEST_SIZE]);

/*
 * crypt(3)'s "$6$" method: hashes the NUL-terminated key with the salt and
 * rounds of setting ("$6$salt", "$6$rounds=N$salt", or a whole hash of
 * either form, whose part after the salt's '$' is ignored) and writes
 * "$6$[rounds=N$]salt$digest" with its NUL to out.  The salt is the
 * characters up to the next '$' or the end, 16 at most (more are ignored);
 * "rounds=N$" is written back when setting has it, N clamped to
 * [1000, 999999999].  Returns out, or NULL when setting is not of the
 * "$6$" method, when "rounds=" is not followed by digits and '$', or when
 * outsize is smaller than the result (SHA512_CRYPT_SIZE always fits).
 * Runs in time proportional to the rounds and the key's length.
 */
char *sha512_crypt(const char *key, const char *setting, char *out,
    size_t outsize);

/*
 * True when key hashes to hash, a whole "$6$" hash as master.passwd holds
 * it; false for any other key or a hash that is not of the method.  The
 * result is compared with sha512_crypt_equal.
 */
bool sha512_crypt_check(const char *key, const char *hash);

/* True when the n bytes at a and b are equal, in a time that depends on n
 * only (not on where they differ). */
bool sha512_crypt_equal(const void *a, const void *b, size_t n);

#endif /* !WORLD_LIB_SHA512_CRYPT_H */
