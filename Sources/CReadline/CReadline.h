#ifndef CREADLINE_H
#define CREADLINE_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/// readline names the program "lua", as lua.c does, so `$if lua` sections of ~/.inputrc apply to both.
static inline void cogsync_readline_init(void) { rl_readline_name = "lua"; }
#endif
