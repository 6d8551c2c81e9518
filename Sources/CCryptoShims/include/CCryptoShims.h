#ifndef CCRYPTO_SHIMS_H
#define CCRYPTO_SHIMS_H

// libcrypto, opened on first use (see crypto.c): the digests SigV4 needs. Nothing links against the library.

#include <stddef.h>

/// 1 once libcrypto has been loaded into the process (by the first digest).
int cogsync_crypto_loaded(void);
/// The SHA-256 of `length` bytes into `out` (32 bytes).
void cogsync_sha256(const void *bytes, size_t length, unsigned char *out);
/// The SHA-1 of `length` bytes into `out` (20 bytes).
void cogsync_sha1(const void *bytes, size_t length, unsigned char *out);
/// The HMAC-SHA256 of `length` bytes under `key` into `out` (32 bytes).
void cogsync_hmac_sha256(const void *key, int key_length, const void *bytes, size_t length, unsigned char *out);
/// 0 when the two byte strings are equal, in a time that does not depend on where they differ.
int cogsync_crypto_memcmp(const void *a, const void *b, size_t length);

#endif
