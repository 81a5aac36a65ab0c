/* User namespace id maps. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"

/* proc_fd: a procfs fd, or AT_FDCWD for /proc.
 * Write a one-id map for the process pid (0: ourselves): inside_uid maps to
 * outside_uid, inside_gid to outside_gid.  deny_setgroups writes "deny" to
 * setgroups first, which the kernel requires before an unprivileged gid_map.
 * Returns 0 or -errno; *failed_file names the file that was refused. */
int userns_write_single_map (int proc_fd, pid_t pid, uid_t inside_uid, uid_t outside_uid,
                             gid_t inside_gid, gid_t outside_gid, bool deny_setgroups,
                             const char **failed_file);

/* Multi-range maps: written directly when we hold CAP_SETUID/CAP_SETGID,
 * otherwise through newuidmap/newgidmap.  0 or -errno. */
int userns_write_range_maps (int proc_fd, pid_t pid, const struct plan *plan, bool direct,
                             const char **failed_file);

/* A user namespace below ours that maps every id ours has to itself, for
 * the command when the ids are ranges (--uid-map, or maps written by the
 * caller with --userns-block-fd): the command keeps every id, but no
 * capability over the mounts, which belong to our namespace.  Its maps
 * need CAP_SETUID/CAP_SETGID in our namespace, so a helper child creates
 * it and we write them.  proc_fd: a procfs fd where "self" is us.
 * *out_fd: the new namespace, for setns.  0 or -errno. */
int userns_create_mirror (int proc_fd, int *out_fd);
