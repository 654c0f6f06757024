#ifndef IMPACT_CLIBFUZZER_SHIM_H
#define IMPACT_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, LLVM 11 and later), for programs that have their own `main`.
/// Linked only when the program is built with `-sanitize=fuzzer` (scripts/fuzz); nothing else calls it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
