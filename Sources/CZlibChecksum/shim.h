#ifndef IMPACT_CZLIBCHECKSUM_SHIM_H
#define IMPACT_CZLIBCHECKSUM_SHIM_H
/* zlib, for its CRC-32. ZIPFoundation builds its own zlib module (CZlib) but, on Linux, checks entries with a
   table-driven CRC written in Swift, a byte at a time; zlib's is several times faster. */
#include <zlib.h>
#endif
