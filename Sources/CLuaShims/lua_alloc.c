#include "lua_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lua's own allocations (tables, their parts, strings, closures) are mostly small and short-lived: a result table
   is made for every call and dropped soon after. They come from free lists of 16-byte size classes carved out of
   64 KB slabs instead of from malloc: Lua tells the allocator each block's size when it frees or resizes it, so
   the blocks need no header, and taking or returning one is a few instructions where malloc and free took about
   a hundred (4% of the CPU of a request). Blocks above 256 bytes go to malloc. Freed small blocks are kept for
   reuse until the state closes. */
enum { GRANULE = 16, SMALL_LIMIT = 256, CLASSES = SMALL_LIMIT / GRANULE, SLAB_BYTES = 64 * 1024 };

struct slab {
    struct slab *next;
};

struct cogsync_lua_pool {
    void *free_blocks[CLASSES];
    /* The part of the newest slab not yet handed out. */
    char *cursor;
    char *end;
    struct slab *slabs;
};

/* The header takes a whole granule, so blocks stay aligned as malloc's are. */
_Static_assert(sizeof(struct slab) <= GRANULE, "a slab header fits in one granule");

struct cogsync_lua_pool *cogsync_lua_pool_new(void) { return calloc(1, sizeof(struct cogsync_lua_pool)); }

void cogsync_lua_pool_free(struct cogsync_lua_pool *pool) {
    if (pool == NULL) return;
    struct slab *slab = pool->slabs;
    while (slab != NULL) {
        struct slab *next = slab->next;
        free(slab);
        slab = next;
    }
    free(pool);
}

static size_t class_of(size_t size) { return (size - 1) / GRANULE; }

static void out_of_memory(void) {
    fputs("cogsync-lua: out of memory\n", stderr);
    abort();
}

static void *take(struct cogsync_lua_pool *pool, size_t cls) {
    void *block = pool->free_blocks[cls];
    if (block != NULL) {
        pool->free_blocks[cls] = *(void **)block;
        return block;
    }
    size_t size = (cls + 1) * GRANULE;
    if ((size_t)(pool->end - pool->cursor) < size) {
        /* What is left of the old slab (less than one block) stays unused. */
        struct slab *slab = malloc(SLAB_BYTES);
        if (slab == NULL) out_of_memory();
        slab->next = pool->slabs;
        pool->slabs = slab;
        pool->cursor = (char *)slab + GRANULE;
        pool->end = (char *)slab + SLAB_BYTES;
    }
    block = pool->cursor;
    pool->cursor += size;
    return block;
}

static void give(struct cogsync_lua_pool *pool, void *block, size_t cls) {
    *(void **)block = pool->free_blocks[cls];
    pool->free_blocks[cls] = block;
}

/* Frees a block of `size` bytes, from whichever side it came from. */
static void release(struct cogsync_lua_pool *pool, void *block, size_t size) {
    if (size <= SMALL_LIMIT) {
        give(pool, block, class_of(size));
    } else {
        free(block);
    }
}

void *cogsync_lua_pool_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    struct cogsync_lua_pool *pool = ud;
    /* For a new block Lua passes the kind of object in osize, not a size. */
    if (ptr == NULL) osize = 0;
    if (nsize == 0) {
        if (ptr != NULL) release(pool, ptr, osize);
        return NULL;
    }
    if (ptr != NULL && osize > SMALL_LIMIT && nsize > SMALL_LIMIT) {
        void *moved = realloc(ptr, nsize);
        if (moved == NULL) out_of_memory();
        return moved;
    }
    if (ptr != NULL && osize <= SMALL_LIMIT && nsize <= SMALL_LIMIT && class_of(osize) == class_of(nsize)) {
        return ptr;
    }
    void *block;
    if (nsize <= SMALL_LIMIT) {
        block = take(pool, class_of(nsize));
    } else {
        block = malloc(nsize);
        if (block == NULL) out_of_memory();
    }
    if (ptr != NULL) {
        memcpy(block, ptr, osize < nsize ? osize : nsize);
        release(pool, ptr, osize);
    }
    return block;
}
