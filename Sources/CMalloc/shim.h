// glibc's malloc extensions (malloc_trim), for giving freed memory back between the stages of a run.
#ifndef IMPACT_CMALLOC_SHIM_H
#define IMPACT_CMALLOC_SHIM_H
#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif
