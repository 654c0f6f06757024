#ifndef IMPACT_CLIBCSV_SHIM_H
#define IMPACT_CLIBCSV_SHIM_H
#include <stddef.h>
#include <stdio.h>
#include <csv.h>
#endif
