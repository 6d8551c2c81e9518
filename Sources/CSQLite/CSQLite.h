#ifndef CSQLITE_H
#define CSQLITE_H
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

/* libsqlite3 is opened when the local endpoint first opens its data file instead of being linked: cogsync-lua holds
   the endpoint (--local) but a script never needs it, and loading it cost every start-up about 0.1 ms. Each function
   is looked up once; the endpoint calls them from several threads, so the lookups are atomic. */
static inline void *cogsync_sqlite3_library(void) {
    static void *library;
    void *found = __atomic_load_n(&library, __ATOMIC_ACQUIRE);
    if (found) return found;
    /* dlopen is thread-safe and hands every caller the same library. */
    found = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!found) {
        fprintf(stderr, "cannot load libsqlite3: %s; install libsqlite3-0 (apt-get install libsqlite3-0)\n", dlerror());
        exit(1);
    }
    __atomic_store_n(&library, found, __ATOMIC_RELEASE);
    return found;
}

static inline void *cogsync_sqlite3_symbol(void **cache, const char *name) {
    void *found = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (found) return found;
    found = dlsym(cogsync_sqlite3_library(), name);
    if (!found) {
        fprintf(stderr, "libsqlite3.so.0 has no %s; install a current libsqlite3-0\n", name);
        exit(1);
    }
    __atomic_store_n(cache, found, __ATOMIC_RELEASE);
    return found;
}

/* cogsync_sqlite3_NAME(...) calls sqlite3_NAME(...). */
#define COGSYNC_SQLITE3(type, name, params, args)                                                        \
    static inline type cogsync_##name params {                                                           \
        static void *cache;                                                                              \
        return ((type(*) params)cogsync_sqlite3_symbol(&cache, #name)) args;                             \
    }

COGSYNC_SQLITE3(int, sqlite3_open_v2, (const char *path, sqlite3 **db, int flags, const char *vfs),
                (path, db, flags, vfs))
COGSYNC_SQLITE3(int, sqlite3_close, (sqlite3 *db), (db))
COGSYNC_SQLITE3(int, sqlite3_close_v2, (sqlite3 *db), (db))
COGSYNC_SQLITE3(const char *, sqlite3_errmsg, (sqlite3 *db), (db))
COGSYNC_SQLITE3(int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms))
COGSYNC_SQLITE3(int, sqlite3_exec,
                (sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *context,
                 char **error),
                (db, sql, callback, context, error))
COGSYNC_SQLITE3(void, sqlite3_free, (void *p), (p))
COGSYNC_SQLITE3(int, sqlite3_prepare_v2,
                (sqlite3 *db, const char *sql, int bytes, sqlite3_stmt **statement, const char **tail),
                (db, sql, bytes, statement, tail))
COGSYNC_SQLITE3(int, sqlite3_finalize, (sqlite3_stmt *s), (s))
COGSYNC_SQLITE3(int, sqlite3_reset, (sqlite3_stmt *s), (s))
COGSYNC_SQLITE3(int, sqlite3_clear_bindings, (sqlite3_stmt *s), (s))
COGSYNC_SQLITE3(int, sqlite3_bind_int64, (sqlite3_stmt *s, int i, sqlite3_int64 v), (s, i, v))
COGSYNC_SQLITE3(int, sqlite3_bind_double, (sqlite3_stmt *s, int i, double v), (s, i, v))
COGSYNC_SQLITE3(int, sqlite3_bind_text, (sqlite3_stmt *s, int i, const char *v, int n, void (*destructor)(void *)),
                (s, i, v, n, destructor))
COGSYNC_SQLITE3(int, sqlite3_bind_null, (sqlite3_stmt *s, int i), (s, i))
COGSYNC_SQLITE3(int, sqlite3_step, (sqlite3_stmt *s), (s))
COGSYNC_SQLITE3(int, sqlite3_column_type, (sqlite3_stmt *s, int c), (s, c))
COGSYNC_SQLITE3(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *s, int c), (s, c))
COGSYNC_SQLITE3(double, sqlite3_column_double, (sqlite3_stmt *s, int c), (s, c))
COGSYNC_SQLITE3(const unsigned char *, sqlite3_column_text, (sqlite3_stmt *s, int c), (s, c))
COGSYNC_SQLITE3(int, sqlite3_column_bytes, (sqlite3_stmt *s, int c), (s, c))

#undef COGSYNC_SQLITE3
#endif
