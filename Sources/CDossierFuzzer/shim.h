#ifndef CDOSSIER_FUZZER_SHIM_H
#define CDOSSIER_FUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, linked in by `-sanitize=fuzzer`, which has no header of its own.
/// SwiftPM gives executables their own `main` (`--defsym main=<module>_main`), so libFuzzer's
/// `main` is never used: the fuzzer's `@main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
