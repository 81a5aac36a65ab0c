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
