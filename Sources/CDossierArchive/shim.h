#ifndef CDOSSIER_ARCHIVE_SHIM_H
#define CDOSSIER_ARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/// `AE_IFREG` and friends are cast macros (`((__LA_MODE_T)0100000)`), which Swift cannot import.
static const unsigned int CDossierArchive_AE_IFREG = 0100000;
static const unsigned int CDossierArchive_AE_IFLNK = 0120000;
static const unsigned int CDossierArchive_AE_IFDIR = 0040000;
static const unsigned int CDossierArchive_AE_IFMT = 0170000;

/// `LC_CTYPE_MASK` is a macro expression over `__LC_CTYPE`; exposed as a value for `newlocale`.
static const int CDossierArchive_LC_CTYPE_MASK = LC_CTYPE_MASK;

/// `LC_GLOBAL_LOCALE` is a cast macro (`((locale_t) -1L)`); `uselocale` needs it to restore state.
static inline locale_t CDossierArchive_LC_GLOBAL_LOCALE(void) { return LC_GLOBAL_LOCALE; }

#endif
