/* Building the new root: the state shared by the filesystem operations. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

/* During setup the process root is a private staging tmpfs holding:
 *   /newroot  the sandbox's future root (a mount of its own)
 *   /oldroot  the caller's root, where host paths are found */
#define OLDROOT "/oldroot"
#define NEWROOT "/newroot"

struct setup_ctx
{
  struct plan *plan;
  int root_fd;           /* O_PATH of the new root's topmost mount */
  int proc_fd;           /* O_PATH of the caller's /proc, for /proc/self/fd/N */
  bool own_userns;       /* we created the user namespace */
  bool new_pidns;        /* a pid namespace of our own (or joined): fresh procfs */
  const char *host_tty;  /* the caller's terminal on stdout, for --dev's console */
  bool proc_masked;      /* predicted: a full fresh procfs will be refused */
  uint64_t proc_attrs;   /* MOUNT_ATTR_RDONLY and atime bits a fresh procfs must carry */
  unsigned serial;       /* unique names for hidden files in the staging root */
};

/* Before the root changes: resolve every host source path the way the
 * caller sees it.  Dies with bwrap's message for a missing source. */
void setup_resolve_sources (struct plan *plan);

/* Run the plan's filesystem operations in order.  Dies on the first error. */
void setup_run_ops (struct setup_ctx *ctx);

/* Shared by ops, dev and proc. */
_Noreturn void setup_die (const struct op *op, int err, const char *what);
int setup_mount_point (struct setup_ctx *ctx, const char *dest, bool dir, int perms, int *out_fd);
void setup_mask (struct setup_ctx *ctx, const char *path, bool must_exist);
void setup_make_readonly (struct setup_ctx *ctx, const char *path, bool must_exist);
/* A host path seen from the staging root: "/oldroot" + path (heap). */
char *setup_host_path (const char *path);

/* --dev and --proc, in dev.c and proc.c */
void setup_dev (struct setup_ctx *ctx, const struct op *op);
void setup_proc (struct setup_ctx *ctx, const struct op *op);
