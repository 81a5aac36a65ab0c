/* Turning a refusal of the kernel into its cause and its remedy. */
#pragma once

#include "launch.h"

/* clone() of the namespaces failed with err: say why and exit 1. */
_Noreturn void diagnose_clone_failure (int err, const struct launch *l);

/* Writing a uid/gid map failed with err. */
_Noreturn void diagnose_map_failure (int err, const char *file, const struct launch *l);

/* A mount-type operation failed: what, on which path, and errno. */
_Noreturn void diagnose_mount_failure (int err, const char *what, const char *path);
