/* Thin helpers over the new mount API (open_tree, fsopen/fsmount,
 * mount_setattr, move_mount).  Every mount is built detached and attached
 * to an fd, so no operation re-reads the mount table: setup stays linear in
 * the number of operations. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* A detached recursive copy of the tree at dirfd/path; 0 or -errno. */
int mnt_clone_tree (int dirfd, const char *path, bool follow_symlinks, int *out_fd);

/* Add attributes (MOUNT_ATTR_*) to a mount, recursively or not; 0 or -errno. */
int mnt_set_attr (int mnt_fd, uint64_t attr_set, bool recursive);

/* Attach a detached mount onto the object dest_fd refers to; 0 or -errno. */
int mnt_attach (int mnt_fd, int dest_fd);

/* A new filesystem instance: options is a NULL-terminated list of
 * key, value pairs (value NULL for a flag); 0 or -errno. */
int mnt_new_fs (const char *fstype, const char *const *options, uint64_t attrs, int *out_fd);

/* Apply attributes to the mount under dest_fd itself (--remount-ro). */
int mnt_set_attr_at (int dest_fd, uint64_t attr_set, bool recursive);
