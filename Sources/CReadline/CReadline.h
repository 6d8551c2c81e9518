#ifndef CREADLINE_H
#define CREADLINE_H
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/* readline is opened when the REPL first edits a line instead of being linked: a script never needs it, and
   loading it (with libtinfo) cost every start-up about 0.2 ms. */
static inline void *cogsync_readline_symbol(const char *name) {
    static void *library;
    if (!library) {
        library = dlopen("libreadline.so.8", RTLD_NOW | RTLD_LOCAL);
        if (!library) {
            fprintf(stderr, "cogsync-lua: cannot load libreadline: %s; install libreadline8 (apt-get install "
                    "libreadline8)\n", dlerror());
            exit(1);
        }
    }
    void *found = dlsym(library, name);
    if (!found) {
        fprintf(stderr, "cogsync-lua: libreadline.so.8 has no %s; install a current libreadline8\n", name);
        exit(1);
    }
    return found;
}

/// readline names the program "lua", as lua.c does, so `$if lua` sections of ~/.inputrc apply to both.
static inline void cogsync_readline_init(void) { *(const char **)cogsync_readline_symbol("rl_readline_name") = "lua"; }

/// readline(3): the line typed after `prompt`, without its newline, to be freed; NULL at end of input.
static inline char *cogsync_readline(const char *prompt) {
    return ((char *(*)(const char *))cogsync_readline_symbol("readline"))(prompt);
}

/// add_history(3).
static inline void cogsync_add_history(const char *line) {
    ((void (*)(const char *))cogsync_readline_symbol("add_history"))(line);
}
#endif
