// The threads the scheduler runs and the coroutine functions scripts see.
//
// Every chunk runs as a task: a Lua thread the scheduler resumes, which parks while its requests are in
// flight. To the script a task is the main thread, as in lua.c: coroutine.running() answers the main
// thread and true, coroutine.isyieldable() is false, and coroutine.yield raises "attempt to yield from
// outside a coroutine". The host's own yields (the wait token and a request id) are told apart from the
// script's and passed through the script's coroutines to the scheduler.
//
// Ctrl-C works as in lua.c: while a chunk runs, SIGINT sets a hook that raises "interrupted!" in the Lua
// code that runs next. Here that code may be in any of the threads being resumed, so every resume is
// recorded and the signal hooks them all.

#include "CLuaShims.h"

#include <signal.h>
#include <stdint.h>

// Marks kept in each thread's extra space. A new thread starts with a copy of the main thread's, which
// is zero.
enum { TASK_THREAD = 1, PARKED = 2 };

static uintptr_t *marks(lua_State *co) { return (uintptr_t *)lua_getextraspace(co); }

static int is_task(lua_State *co) { return (*marks(co) & TASK_THREAD) != 0; }

// A script coroutine is parked while a host wait it started is passed on: resuming or closing it then
// would hand the wait's answer to the wrong code.
static int is_parked(lua_State *co) { return (*marks(co) & PARKED) != 0; }

static char await_key;

// ---- interrupts ----

#define MAX_RUNNING 256

static lua_State *running[MAX_RUNNING];
static volatile sig_atomic_t running_depth;
static volatile sig_atomic_t interrupted;

static void set_interrupt_action(void (*handler)(int)) {
    struct sigaction action;
    action.sa_handler = handler;
    // No SA_RESTART: a wait in poll(2) returns at once and sees the flag.
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
}

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    // Only the first thread to run raises: the others were hooked for the same Ctrl-C.
    if (!interrupted) {
        return;
    }
    interrupted = 0;
    luaL_error(L, "interrupted!");
}

static void arm(lua_State *co) {
    lua_sethook(co, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

static void on_interrupt(int sig) {
    (void)sig;
    set_interrupt_action(SIG_DFL);
    interrupted = 1;
    int depth = running_depth;
    for (int i = 0; i < depth && i < MAX_RUNNING; i++) {
        arm(running[i]);
    }
}

void cogsync_catch_interrupts(void) {
    interrupted = 0;
    set_interrupt_action(on_interrupt);
}

void cogsync_release_interrupts(void) {
    set_interrupt_action(SIG_DFL);
    interrupted = 0;
}

int cogsync_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

static int resume_recorded(lua_State *L, lua_State *co, int narg, int *nres) {
    int depth = running_depth;
    if (depth < MAX_RUNNING) {
        running[depth] = co;
    }
    running_depth = depth + 1;
    // A Ctrl-C that came while no thread ran stops the first one resumed.
    if (interrupted) {
        arm(co);
    }
    int status = lua_resume(co, L, narg, nres);
    running_depth = depth;
    return status;
}

// ---- tasks ----

static int task_entry_done(lua_State *L, int status, lua_KContext context) {
    (void)status;
    (void)context;
    return lua_gettop(L);
}

// The bottom frame of every task: calls the function below the arguments and returns what it returns.
// A C frame, like the one lua.c runs scripts from, so tracebacks and debug levels come out the same.
static int task_entry(lua_State *L) {
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, task_entry_done);
    return lua_gettop(L);
}

// newTask() -> a thread whose first resume takes the task's function and its arguments.
static int new_task(lua_State *L) {
    lua_State *co = lua_newthread(L);
    *marks(co) = TASK_THREAD;
    lua_pushcfunction(co, task_entry);
    return 1;
}

// ---- resuming ----

enum { RUNNING, DEAD, SUSPENDED, NORMAL };
static const char *const status_names[] = {"running", "dead", "suspended", "normal"};

static lua_State *check_coroutine(lua_State *L, int arg) {
    lua_State *co = lua_tothread(L, arg);
    luaL_argexpected(L, co, arg, "thread");
    return co;
}

static int is_main_thread(lua_State *L, lua_State *co) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    int is_main = lua_tothread(L, -1) == co;
    lua_pop(L, 1);
    return is_main;
}

// coroutine.status as the script sees it: from a task, the main thread is the one running.
static int status_of(lua_State *L, lua_State *co) {
    if (L == co || (is_task(L) && is_main_thread(L, co))) {
        return RUNNING;
    }
    if (is_parked(co)) {
        return NORMAL;
    }
    switch (lua_status(co)) {
    case LUA_YIELD:
        return SUSPENDED;
    case LUA_OK: {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) {
            return NORMAL;
        }
        return lua_gettop(co) == 0 ? DEAD : SUSPENDED;
    }
    default:
        return DEAD;
    }
}

// A failed resume, with the error value on top of L: resume answers false and the error; a wrap function
// closes the coroutine's pending to-be-closed variables and raises, adding the caller's position to a
// string as lua's coroutine.wrap does.
static int resume_failed(lua_State *L, lua_State *co, int as_wrap) {
    if (!as_wrap) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {
        status = lua_resetthread(co);
        lua_xmove(co, L, 1);
    }
    if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

// Moves the nres results of a resume of co to L: after true for resume, alone for a wrap function.
static int push_results(lua_State *L, lua_State *co, int nres, int as_wrap) {
    if (!lua_checkstack(L, nres + 1)) {
        lua_pop(co, nres);
        lua_pushliteral(L, "too many results to resume");
        return resume_failed(L, co, as_wrap);
    }
    if (!as_wrap) {
        lua_pushboolean(L, 1);
    }
    lua_xmove(co, L, nres);
    return as_wrap ? nres : nres + 1;
}

// resumeTask(co, ...) -> coroutine.resume's answers; the scheduler's resume, recorded for interrupts.
static int resume_task(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    int narg = lua_gettop(L) - 1;
    if (co == NULL || !lua_checkstack(co, narg)) {
        return luaL_error(L, "resumeTask: a task thread and room for %d arguments expected", narg);
    }
    lua_xmove(L, co, narg);
    int nres;
    int status = resume_recorded(L, co, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        return push_results(L, co, nres, 0);
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

// Resumes the coroutine at index 1 with the values above it. When it stops on a host wait (the wait
// token and a request id), the wait is passed on to our own resumer, or finished in place where we cannot
// yield, and the coroutine is resumed with its outcome; any other yield or return is the answer.
static int drive(lua_State *L, int status, lua_KContext as_wrap) {
    lua_State *co = lua_tothread(L, 1);
    if (status == LUA_YIELD) {
        // Resumed with the outcome of the wait we passed on.
        *marks(co) &= ~(uintptr_t)PARKED;
    }
    for (;;) {
        int narg = lua_gettop(L) - 1;
        if (!lua_checkstack(co, narg)) {
            lua_pushliteral(L, "too many arguments to resume");
            return resume_failed(L, co, (int)as_wrap);
        }
        lua_xmove(L, co, narg);
        int nres;
        status = resume_recorded(L, co, narg, &nres);
        if (status == LUA_YIELD && nres == 2 && lua_touserdata(co, -2) == cogsync_wait_token()) {
            if (lua_isyieldable(L)) {
                *marks(co) |= PARKED;
                lua_xmove(co, L, 2);
                return lua_yieldk(L, 2, as_wrap, drive);
            }
            // A request id is waited for here; a wait on a task cannot be.
            int request = lua_isinteger(co, -1);
            lua_Integer id = lua_tointeger(co, -1);
            lua_pop(co, 2);
            if (request) {
                lua_rawgetp(L, LUA_REGISTRYINDEX, &await_key);
                lua_pushinteger(L, id);
                lua_call(L, 1, 2);
            } else {
                lua_pushboolean(L, 0);
                lua_pushliteral(L, "cannot wait for a task here: the caller cannot yield");
            }
            continue;
        }
        if (status == LUA_OK || status == LUA_YIELD) {
            return push_results(L, co, nres, (int)as_wrap);
        }
        lua_xmove(co, L, 1);
        return resume_failed(L, co, (int)as_wrap);
    }
}

// ---- the script's coroutine functions ----

static int co_resume(lua_State *L) {
    lua_State *co = check_coroutine(L, 1);
    if (is_parked(co)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "cannot resume non-suspended coroutine");
        return 2;
    }
    return drive(L, LUA_OK, 0);
}

static int wrap_call(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    if (is_parked(co)) {
        lua_pushliteral(L, "cannot resume non-suspended coroutine");
        return resume_failed(L, co, 1);
    }
    return drive(L, LUA_OK, 1);
}

static int co_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, wrap_call, 1);
    return 1;
}

static int co_yield(lua_State *L) {
    if (is_task(L)) {
        lua_pushliteral(L, "attempt to yield from outside a coroutine");
        return lua_error(L);
    }
    return lua_yield(L, lua_gettop(L));
}

static int co_running(lua_State *L) {
    if (is_task(L)) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
        lua_pushboolean(L, 1);
        return 2;
    }
    lua_pushboolean(L, lua_pushthread(L));
    return 2;
}

static int co_isyieldable(lua_State *L) {
    lua_State *co = lua_isnone(L, 1) ? L : check_coroutine(L, 1);
    lua_pushboolean(L, !is_task(co) && lua_isyieldable(co));
    return 1;
}

static int co_status(lua_State *L) {
    lua_State *co = check_coroutine(L, 1);
    lua_pushstring(L, status_names[status_of(L, co)]);
    return 1;
}

static int co_close(lua_State *L) {
    lua_State *co = check_coroutine(L, 1);
    int status = status_of(L, co);
    if (status != DEAD && status != SUSPENDED) {
        return luaL_error(L, "cannot close a %s coroutine", status_names[status]);
    }
    if (lua_resetthread(co) == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

int cogsync_open_tasks(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &await_key);
    static const luaL_Reg functions[] = {
        {"newTask", new_task},
        {"resumeTask", resume_task},
        {"resume", co_resume},
        {"wrap", co_wrap},
        {"yield", co_yield},
        {"running", co_running},
        {"isyieldable", co_isyieldable},
        {"status", co_status},
        {"close", co_close},
        {NULL, NULL},
    };
    lua_createtable(L, 0, sizeof(functions) / sizeof(functions[0]) - 1);
    luaL_setfuncs(L, functions, 0);
    return 1;
}
