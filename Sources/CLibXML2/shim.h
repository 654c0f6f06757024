#ifndef IMPACT_CLIBXML2_SHIM_H
#define IMPACT_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, so encoding.h would include ICU's headers, which clash with the copy
   Foundation carries. Nothing here uses the ICU converter fields (the encoding handler is only ever
   reached through pointers libxml2 owns), so the ICU parts of the headers are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#endif
