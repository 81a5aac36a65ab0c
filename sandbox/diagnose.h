/* Turning a refusal of the kernel into its cause and its remedy. */
#pragma once

#include "launch.h"
#include "procview.h"

/* Exit 1 with one line on a kernel older than nestbox needs. */
void diagnose_require_kernel (void);

/* clone() of the namespaces failed with err: say why and exit 1. */
_Noreturn void diagnose_clone_failure (int err, const struct launch *l);

/* Writing a uid/gid map failed with err. */
_Noreturn void diagnose_map_failure (int err, const char *file, const struct launch *l);

/* The launcher predicted that the visible /proc blocks a fresh procfs:
 * name the blocking mounts and the pod settings that lift them. */
_Noreturn void diagnose_masked_proc (const struct proc_view *view);

/* Mounting the sandbox's procfs failed anyway. */
_Noreturn void diagnose_proc_failure (int err, const char *dest, bool tried_subset);

/* uid 0 without CAP_SETFCAP, and without CAP_SETUID to work around it. */
_Noreturn void diagnose_no_setfcap (void);

/* Reading the caller's own capabilities failed (an LSM, if EACCES). */
_Noreturn void diagnose_capget_failure (int err);
/* A mount-type operation failed: what, on which path, and errno. */
_Noreturn void diagnose_mount_failure (int err, const char *what, const char *path);
