#include "CICal.h"

void fuq_ical_setup(void) {
    icalerror_set_errors_are_fatal(0);
}
