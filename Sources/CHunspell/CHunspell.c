// Intentionally empty: SwiftPM needs one source file for a C target; everything is in the header.
#include "CHunspell.h"
