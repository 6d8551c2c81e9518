#include "CCryptoShims.h"

#include <CDynamicLibrary.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcrypto is opened on first use instead of being linked: loading and relocating it took about a millisecond
   of every start-up, which a script that signs nothing never needs (a script that sends requests loads it with
   libcurl anyway). */
static struct {
    int (*Digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
    const EVP_MD *(*sha1)(void);
    /* SHA-256 through the low-level calls: EVP looks the algorithm up by name on every call, which cost more than
       hashing a request. */
    int (*SHA256_Init)(SHA256_CTX *);
    int (*SHA256_Update)(SHA256_CTX *, const void *, size_t);
    int (*SHA256_Final)(unsigned char *, SHA256_CTX *);
    int (*memcmp)(const void *, const void *, size_t);
} api;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    static const struct cogsync_library libcrypto = {"libcrypto.so.3", "libcrypto", "libssl3"};
    const struct cogsync_symbol symbols[] = {
        {"EVP_Digest", (void **)&api.Digest},
        {"EVP_sha1", (void **)&api.sha1},
        {"SHA256_Init", (void **)&api.SHA256_Init},
        {"SHA256_Update", (void **)&api.SHA256_Update},
        {"SHA256_Final", (void **)&api.SHA256_Final},
        {"CRYPTO_memcmp", (void **)&api.memcmp},
    };
    cogsync_library_load(&libcrypto, symbols, sizeof symbols / sizeof *symbols);
}

static void ensure_loaded(void) { pthread_once(&loaded, load); }

/* A digest only fails when libcrypto cannot allocate, and a signature made without it would be wrong. */
static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "cogsync-lua: libcrypto failed to compute %s\n", what);
        abort();
    }
}

int cogsync_crypto_loaded(void) { return api.Digest != NULL; }

/* The SHA-256 of `prefix` (64 bytes, or none) followed by `bytes`. */
static void sha256_after(const unsigned char *prefix, const void *bytes, size_t length, unsigned char *out) {
    SHA256_CTX context;
    check(api.SHA256_Init(&context) == 1 && (!prefix || api.SHA256_Update(&context, prefix, 64) == 1)
              && api.SHA256_Update(&context, bytes, length) == 1 && api.SHA256_Final(out, &context) == 1,
          "SHA-256");
}

void cogsync_sha256(const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    sha256_after(NULL, bytes, length, out);
}

void cogsync_sha1(const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    unsigned int size = 0;
    check(api.Digest(bytes, length, out, &size, api.sha1(), NULL) == 1 && size == 20, "SHA-1");
}

/* HMAC (RFC 2104) over the low-level SHA-256, for the same reason as above: libcrypto's HMAC fetches the digest
   and a MAC implementation by name on every call. */
void cogsync_hmac_sha256(const void *key, int key_length, const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    unsigned char block[64] = {0};
    if (key_length > 64) {
        sha256_after(NULL, key, (size_t)key_length, block);
    } else if (key_length > 0) {
        memcpy(block, key, (size_t)key_length);
    }
    unsigned char pad[64], inner[32];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    sha256_after(pad, bytes, length, inner);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    sha256_after(pad, inner, sizeof inner, out);
}

int cogsync_crypto_memcmp(const void *a, const void *b, size_t length) {
    ensure_loaded();
    return api.memcmp(a, b, length);
}
