#ifndef CDOSSIER_ZLIB_SHIM_H
#define CDOSSIER_ZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit` is a macro over `inflateInit_` that passes the header's version and
/// `sizeof(z_stream)`; Swift cannot import function-like macros.
static inline int CDossierZlib_inflateInit(z_stream *stream) {
    return inflateInit(stream);
}

#endif
