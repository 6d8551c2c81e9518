#include "CDynamicLibrary.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void cogsync_library_load(const struct cogsync_library *library, const struct cogsync_symbol *symbols, size_t count) {
    void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        fprintf(stderr, "cogsync-lua: cannot load %s: %s; install %s (apt-get install %s)\n", library->name,
                dlerror(), library->package, library->package);
        exit(1);
    }
    for (size_t i = 0; i < count; i++) {
        void *found = dlsym(handle, symbols[i].name);
        if (!found) {
            fprintf(stderr, "cogsync-lua: %s has no %s; install a current %s\n", library->soname, symbols[i].name,
                    library->package);
            exit(1);
        }
        *symbols[i].address = found;
    }
}
