#ifndef CDYNAMIC_LIBRARY_H
#define CDYNAMIC_LIBRARY_H

// Opening a shared library on first use instead of linking it, for the C shims that do so (CCryptoShims,
// CCurlShims): the library and every function the shim calls, or the program ends with a line saying what to install.

#include <stddef.h>

/// A library opened on first use, and what names it in the messages when it is missing.
struct cogsync_library {
    /// The file to open, e.g. "libcurl.so.4".
    const char *soname;
    /// The library's name, e.g. "libcurl".
    const char *name;
    /// The Debian package that installs it, e.g. "libcurl4".
    const char *package;
};

/// A function to look up: its name in the library and where its address goes.
struct cogsync_symbol {
    const char *name;
    void **address;
};

/// Opens `library` and fills in every symbol's address; on failure says why on stderr and exits, as the dynamic
/// linker would have refused to start the program without it. Not thread-safe: call it once (pthread_once).
void cogsync_library_load(const struct cogsync_library *library, const struct cogsync_symbol *symbols, size_t count);

#endif
