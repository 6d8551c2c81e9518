#ifndef CLUA_SHIMS_H
#define CLUA_SHIMS_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

// ---- Lua boundary ----
//
// Swift never calls a Lua function that can raise or yield (those longjmp through Swift frames).
// Host functions are C closures of one trampoline (lua_trampoline.c) whose upvalue is a function id; the
// trampoline finds the state's host in the registry, calls its dispatcher, which returns one of the statuses
// below, and only then does the C side raise or yield.

/// Dispatcher result: the function pushed its error value; the trampoline raises it.
#define COGSYNC_RAISE (-1)
/// Dispatcher result: a request was registered for the running task and its id pushed; the trampoline
/// yields the wait token and that id.
#define COGSYNC_WAIT (-2)

/// Runs host function `function_id` for the Lua thread `L`; `host` is the pointer given to cogsync_set_host.
typedef int (*cogsync_dispatch_fn)(void *host, lua_State *L, int function_id);

/// Keeps the state's host (its dispatcher and the pointer passed to it) in the state's registry, where every
/// host function of the state finds it: each state has its own. Call before any host function can run.
void cogsync_set_host(lua_State *L, cogsync_dispatch_fn dispatch, void *host);

/// Pushes a host function with the given id as a C closure.
void cogsync_push_host_function(lua_State *L, int function_id);

/// The light userdata every host wait yields; the prelude passes it through user coroutines.
void *cogsync_wait_token(void);

/// A new state whose allocator aborts on exhaustion, so memory errors never longjmp through Swift. Close it with
/// `cogsync_closestate`, which also frees its allocator.
lua_State *cogsync_newstate(void);
/// Closes a state made by `cogsync_newstate` and returns its allocator's memory.
void cogsync_closestate(lua_State *L);

/// Protected helpers (each runs its work under lua_pcall and returns a Lua status code).
/// Opens the standard libraries.
int cogsync_openlibs(lua_State *L);
/// Message handler for lua_pcall: string form plus traceback.
int cogsync_msghandler(lua_State *L);
/// A message handler that turns any error value into its text (`__tostring` applied), without a traceback.
int cogsync_error_text(lua_State *L);
/// Pushes the global `name`.
int cogsync_get_global(lua_State *L, const char *name);
/// Pops the value at the top into the global `name`.
int cogsync_set_global(lua_State *L, const char *name);
/// Pushes `arg[1]` .. `arg[#arg]` (the script's arguments); fails with "'arg' is not a table" as lua.c does.
int cogsync_script_arguments(lua_State *L);
/// Pushes the REPL prompt: `_PROMPT` (or `_PROMPT2`) through `tostring`, or nil when unset (the default prompt).
int cogsync_prompt(lua_State *L, int first_line);
/// Calls the global `print` with the `n` values at the top; on failure leaves lua.c's "error calling 'print'" message.
int cogsync_print_values(lua_State *L, int n);

/// Lua's function-like macros, which Swift cannot import.
static inline int cogsync_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline void cogsync_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void cogsync_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline int cogsync_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline const char *cogsync_lua_release(void) { return LUA_RELEASE; }
static inline void *cogsync_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 0); }

/// Task threads and the coroutine functions scripts see (lua_tasks.c). A lua_CFunction taking the host's
/// `await`; returns a table of `newTask`, `resumeTask` and the `coroutine` replacements.
int cogsync_open_tasks(lua_State *L);

/// Ctrl-C while a chunk runs: the first SIGINT sets a flag (seen by a wait on requests) and hooks the threads
/// being resumed so the Lua code running raises "interrupted!", and puts back the default action so a second
/// one ends the process, as in lua.c.
void cogsync_catch_interrupts(void);
/// Restores the default SIGINT action and clears the flag.
void cogsync_release_interrupts(void);
/// Returns 1, once, when SIGINT arrived since the last call.
int cogsync_take_interrupt(void);

#endif
