#ifndef IMPACT_CGLPK_SHIM_H
#define IMPACT_CGLPK_SHIM_H
#include <glpk.h>
#endif
