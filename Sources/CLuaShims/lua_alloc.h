#ifndef COGSYNC_LUA_ALLOC_H
#define COGSYNC_LUA_ALLOC_H

#include <stddef.h>

/* The allocator of a Lua state (see lua_alloc.c). */
struct cogsync_lua_pool;
/* NULL when there is no memory for it. */
struct cogsync_lua_pool *cogsync_lua_pool_new(void);
/* A lua_Alloc; aborts when memory runs out, so a memory error never unwinds through Swift. */
void *cogsync_lua_pool_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Returns the pool's memory; after lua_close, when no block is in use any more. */
void cogsync_lua_pool_free(struct cogsync_lua_pool *pool);

#endif
