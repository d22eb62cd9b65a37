#ifndef CDOSSIER_SYSTEM_SHIM_H
#define CDOSSIER_SYSTEM_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>

/// `O_DIRECT` is only defined with `_GNU_SOURCE`, which Swift's Glibc module does not set,
/// and its value differs between architectures (0x4000 on x86_64, 0x10000 on arm64).
static const int CDossierSystem_O_DIRECT = O_DIRECT;

/// Swaps two paths atomically (`renameat2` with `RENAME_EXCHANGE`): both exist before and
/// after, so a crash leaves one object or the other in place, never neither. Returns -1 with
/// errno set (EINVAL where the file system cannot exchange). The module's headers may already
/// be parsed without `_GNU_SOURCE`, which glibc's declaration needs, so the declaration and
/// the two constants (Linux's AT_FDCWD, -100, and RENAME_EXCHANGE, 2) are spelled out here.
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
static inline int CDossierSystem_exchange(const char *first, const char *second) {
    return renameat2(-100, first, -100, second, 2);
}

/// Commits everything written to the file system holding `fd` (`syncfs`, Linux): one call in
/// place of an `fsync` per staged file, which made a filing of many small documents cost one
/// disk flush each. Declared here for the same reason as renameat2.
extern int syncfs(int fd);
static inline int CDossierSystem_syncfs(int fd) {
    return syncfs(fd);
}

/// An anonymous file in memory (`memfd_create` with `MFD_CLOEXEC`, 1): a classified paper decrypted
/// for a check lives there, never on disk, and libraries that open files by name (poppler,
/// libmagic, ClamAV) reach it at `/proc/self/fd/N`. Declared here for the same reason as
/// `renameat2`. Returns -1 with errno set.
extern int memfd_create(const char *name, unsigned int flags);
static inline int CDossierSystem_memoryFile(const char *name) {
    return memfd_create(name, 1);
}

#endif
