#ifndef IMPACT_CXLSXWRITER_SHIM_H
#define IMPACT_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
