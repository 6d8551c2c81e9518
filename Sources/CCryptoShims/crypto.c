#include "CCryptoShims.h"

#include <CDynamicLibrary.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* libcrypto is opened on first use instead of being linked: loading and relocating it took about a millisecond
   of every start-up, which a script that signs nothing never needs (a script that sends requests loads it with
   libcurl anyway). */
static struct {
    int (*Digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
    const EVP_MD *(*sha256)(void);
    const EVP_MD *(*sha1)(void);
    unsigned char *(*HMAC)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *,
                           unsigned int *);
    int (*memcmp)(const void *, const void *, size_t);
} api;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    static const struct cogsync_library libcrypto = {"libcrypto.so.3", "libcrypto", "libssl3"};
    const struct cogsync_symbol symbols[] = {
        {"EVP_Digest", (void **)&api.Digest},
        {"EVP_sha256", (void **)&api.sha256},
        {"EVP_sha1", (void **)&api.sha1},
        {"HMAC", (void **)&api.HMAC},
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

void cogsync_sha256(const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    unsigned int size = 0;
    check(api.Digest(bytes, length, out, &size, api.sha256(), NULL) == 1 && size == 32, "SHA-256");
}

void cogsync_sha1(const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    unsigned int size = 0;
    check(api.Digest(bytes, length, out, &size, api.sha1(), NULL) == 1 && size == 20, "SHA-1");
}

void cogsync_hmac_sha256(const void *key, int key_length, const void *bytes, size_t length, unsigned char *out) {
    ensure_loaded();
    unsigned int size = 0;
    check(api.HMAC(api.sha256(), key, key_length, bytes, length, out, &size) != NULL && size == 32, "HMAC-SHA256");
}

int cogsync_crypto_memcmp(const void *a, const void *b, size_t length) {
    ensure_loaded();
    return api.memcmp(a, b, length);
}
