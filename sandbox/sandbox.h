/* The sandbox side: from clone to the command's exec (or pid 1). */
#pragma once

#include "launch.h"

/* Map ids, build the new root, then exec the command or become pid 1;
 * never returns. */
_Noreturn void sandbox_main (struct launch *l);
