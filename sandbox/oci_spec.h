/* `nestbox-runc spec`: a starting config.json, as `runc spec` writes one. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Print the config.  rootless: a user namespace mapping the caller's uid
 * and gid to 0, the host's /sys bound rather than mounted, and no cgroup
 * settings. */
void oci_spec_write (FILE *out, bool rootless);
