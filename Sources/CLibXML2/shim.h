#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
/* xmlFree is a global function-pointer variable; Swift 6 rejects it as shared mutable state. */
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
