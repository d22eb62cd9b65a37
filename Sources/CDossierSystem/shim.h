#ifndef CDOSSIER_SYSTEM_SHIM_H
#define CDOSSIER_SYSTEM_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>

/// `O_DIRECT` is only defined with `_GNU_SOURCE`, which Swift's Glibc module does not set,
/// and its value differs between architectures (0x4000 on x86_64, 0x10000 on arm64).
static const int CDossierSystem_O_DIRECT = O_DIRECT;

#endif
