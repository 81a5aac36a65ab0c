/* Mount points in the new root, and the helpers every operation shares
 * (ops.c, dev.c, proc.c). */
#pragma once

#include <stdbool.h>

#include "plan.h"
#include "setup.h"

/* Print which operation failed on which path, and exit 1. */
_Noreturn void setup_die (const struct op *op, int err, const char *what);
int setup_mount_point (struct setup_ctx *ctx, const char *dest, bool dir, int perms, int *out_fd);
void setup_mask (struct setup_ctx *ctx, const char *path, bool must_exist);
void setup_make_readonly (struct setup_ctx *ctx, const char *path, bool must_exist);
/* A host path seen from the staging root: "/oldroot" + path (heap). */
char *setup_host_path (const char *path);
