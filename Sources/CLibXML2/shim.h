#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <stdint.h>
/*
 * Debian's libxml2 is built with ICU, so <libxml/encoding.h> pulls in the system's ICU headers.
 * Foundation ships its own ICU module with different definitions of the same types, and a Swift
 * file that sees both fails to compile ("'UErrorCode' has different definitions"). We never touch
 * libxml2's ICU converters, so keep ICU's header out and declare the two names encoding.h needs.
 */
#define UCNV_H 1
typedef struct UConverter UConverter;
typedef uint16_t UChar;
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
/* xmlFree is a global function-pointer variable; Swift 6 rejects it as shared mutable state. */
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
