#ifndef CDOSSIER_MAGIC_SHIM_H
#define CDOSSIER_MAGIC_SHIM_H

// libmagic (Debian's libmagic-dev, the library of file(1)): what a file is by its content.
// Related documentation: <https://man7.org/linux/man-pages/man3/libmagic.3.html>.
#include <stddef.h>
#include <magic.h>

#endif
