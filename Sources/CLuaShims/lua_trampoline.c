#include "CLuaShims.h"
#include "lua_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char wait_token;

// The state's host, kept in its registry under the address of host_key: every state finds its own, so several
// can live in one process.
static char host_key;

struct host {
    cogsync_dispatch_fn dispatch;
    void *context;
};

void cogsync_set_host(lua_State *L, cogsync_dispatch_fn dispatch, void *context) {
    struct host *host = lua_newuserdatauv(L, sizeof(struct host), 0);
    host->dispatch = dispatch;
    host->context = context;
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key);
}

void *cogsync_wait_token(void) { return &wait_token; }

// Resumed after a host wait: the scheduler passes (true, results...) or (false, error).
static int resumed(lua_State *L, int status, lua_KContext base) {
    (void)status;
    int first = (int)base + 1;
    if (lua_toboolean(L, first)) {
        return lua_gettop(L) - first;
    }
    lua_settop(L, first + 1);
    return lua_error(L);
}

static int trampoline(lua_State *L) {
    int id = (int)lua_tointeger(L, lua_upvalueindex(1));
    // Read before the call and popped at once: the dispatcher sees the function's arguments only.
    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key);
    const struct host *host = NULL;
    if (lua_type(L, -1) == LUA_TUSERDATA && lua_rawlen(L, -1) == sizeof(struct host)) {
        host = lua_touserdata(L, -1);
    }
    if (host == NULL) {
        return luaL_error(L, "cognitosync: this Lua state has no host");
    }
    cogsync_dispatch_fn dispatch = host->dispatch;
    void *context = host->context;
    lua_pop(L, 1);
    int n = dispatch(context, L, id);
    if (n == COGSYNC_RAISE) {
        return lua_error(L);
    }
    if (n == COGSYNC_WAIT) {
        // The dispatcher pushed the request id; the scheduler receives (token, id).
        lua_pushlightuserdata(L, &wait_token);
        lua_insert(L, -2);
        lua_KContext base = lua_gettop(L) - 2;
        return lua_yieldk(L, 2, base, resumed);
    }
    return n;
}

void cogsync_push_host_function(lua_State *L, int function_id) {
    lua_pushinteger(L, function_id);
    lua_pushcclosure(L, trampoline, 1);
}

static int panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "cogsync-lua: unprotected Lua error: %s\n", msg ? msg : "(error object is not a string)");
    abort();
}

// Warnings as the stock interpreter prints them: off until "@on", "Lua warning: " plus the pieces of a
// message. The state of the switch lives in the warn function itself (one function per mode).
static void warn_off(void *ud, const char *message, int tocont);
static void warn_on(void *ud, const char *message, int tocont);
static void warn_continue(void *ud, const char *message, int tocont);

static int warn_control(lua_State *L, const char *message, int tocont) {
    if (tocont || *(message++) != '@') {
        return 0;
    }
    if (strcmp(message, "off") == 0) {
        lua_setwarnf(L, warn_off, L);
    } else if (strcmp(message, "on") == 0) {
        lua_setwarnf(L, warn_on, L);
    }
    return 1;
}

static void warn_off(void *ud, const char *message, int tocont) {
    warn_control((lua_State *)ud, message, tocont);
}

static void warn_continue(void *ud, const char *message, int tocont) {
    lua_State *L = (lua_State *)ud;
    fputs(message, stderr);
    if (tocont) {
        lua_setwarnf(L, warn_continue, L);
    } else {
        fputs("\n", stderr);
        fflush(stderr);
        lua_setwarnf(L, warn_on, L);
    }
}

static void warn_on(void *ud, const char *message, int tocont) {
    if (warn_control((lua_State *)ud, message, tocont)) {
        return;
    }
    fputs("Lua warning: ", stderr);
    warn_continue(ud, message, tocont);
}

lua_State *cogsync_newstate(void) {
    struct cogsync_lua_pool *pool = cogsync_lua_pool_new();
    if (pool == NULL) return NULL;
    lua_State *L = lua_newstate(cogsync_lua_pool_alloc, pool);
    if (L == NULL) {
        cogsync_lua_pool_free(pool);
        return NULL;
    }
    lua_atpanic(L, panic);
    lua_setwarnf(L, warn_off, L);
    return L;
}

void cogsync_closestate(lua_State *L) {
    void *pool = NULL;
    lua_getallocf(L, &pool);
    lua_close(L);
    cogsync_lua_pool_free(pool);
}

static int openlibs(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int cogsync_openlibs(lua_State *L) {
    lua_pushcfunction(L, openlibs);
    return lua_pcall(L, 0, 0, 0);
}

// Error objects that are tables keep a readable form: __tostring when present, else a generic name.
static void push_error_string(lua_State *L, int idx) {
    if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER) {
        lua_pushstring(L, lua_tostring(L, idx));
    } else if (luaL_callmeta(L, idx, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
        /* the string form is on the stack */
    } else {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
    }
}

int cogsync_error_text(lua_State *L) {
    push_error_string(L, 1);
    return 1;
}

int cogsync_msghandler(lua_State *L) {
    push_error_string(L, 1);
    luaL_traceback(L, L, lua_tostring(L, -1), 1);
    return 1;
}

static int get_global(lua_State *L) {
    lua_getglobal(L, lua_tostring(L, 1));
    return 1;
}

int cogsync_get_global(lua_State *L, const char *name) {
    lua_pushcfunction(L, get_global);
    lua_pushstring(L, name);
    return lua_pcall(L, 1, 1, 0);
}

static int set_global(lua_State *L) {
    lua_setglobal(L, lua_tostring(L, 1));
    return 0;
}

int cogsync_set_global(lua_State *L, const char *name) {
    lua_pushcfunction(L, set_global);
    lua_insert(L, -2);
    lua_pushstring(L, name);
    lua_insert(L, -2);
    return lua_pcall(L, 2, 0, 0);
}

// arg[1] .. arg[#arg], read when the script starts as lua.c reads them, so -e can change them.
static int script_arguments(lua_State *L) {
    if (lua_getglobal(L, "arg") != LUA_TTABLE) {
        return luaL_error(L, "'arg' is not a table");
    }
    int n = (int)luaL_len(L, -1);
    luaL_checkstack(L, n + 3, "too many arguments to script");
    int i;
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, -i, i);
    }
    lua_remove(L, -i);
    return n;
}

int cogsync_script_arguments(lua_State *L) {
    lua_pushcfunction(L, script_arguments);
    return lua_pcall(L, 0, LUA_MULTRET, 0);
}

// _PROMPT or _PROMPT2 through tostring, or nil for the default.
static int prompt(lua_State *L) {
    if (lua_getglobal(L, lua_toboolean(L, 1) ? "_PROMPT" : "_PROMPT2") != LUA_TNIL) {
        luaL_tolstring(L, -1, NULL);
    }
    return 1;
}

int cogsync_prompt(lua_State *L, int first_line) {
    lua_pushcfunction(L, prompt);
    lua_pushboolean(L, first_line);
    return lua_pcall(L, 1, 1, 0);
}

static int print_values(lua_State *L) {
    lua_getglobal(L, "print");
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

int cogsync_print_values(lua_State *L, int n) {
    lua_pushcfunction(L, print_values);
    lua_insert(L, -(n + 1));
    int status = lua_pcall(L, n, 0, 0);
    if (status != LUA_OK) {
        // lua.c's wording, including "(null)" for an error value that is not a string.
        lua_pushfstring(L, "error calling 'print' (%s)", lua_tostring(L, -1));
        lua_remove(L, -2);
    }
    return status;
}
