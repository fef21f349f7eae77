// CLinux has no C code of its own: everything is in the header (see CLinux.h). This file
// exists because a SwiftPM C target needs at least one source file.
#include "CLinux.h"
