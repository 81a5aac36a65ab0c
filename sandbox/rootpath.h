/* Paths inside the new root, resolved as the sandbox will see them.
 *
 * Every lookup goes through openat2(RESOLVE_IN_ROOT) from the new root's fd:
 * ".." and absolute symlinks stay inside the new root, so a symlink planted
 * at a destination (or swapped in while we work) can never send a mount or a
 * new file outside it. */
#pragma once

#include <sys/types.h>

/* Open path (relative to the new root, leading slashes ignored); 0 or -errno. */
int rootpath_open (int root_fd, const char *path, int flags, int *out_fd);

/* Create the missing parents of path.  New parents get mode 0755, narrowed
 * by perms the way bwrap does (-1: plain 0755); 0 or -errno. */
int rootpath_make_parents (int root_fd, const char *path, int perms);

/* Open the directory that holds path's last component and return that
 * component (a pointer into a heap copy owned by *name_buf); 0 or -errno. */
int rootpath_open_parent (int root_fd, const char *path, int *dir_fd, char **name_buf,
                          const char **name);

/* Both: create the missing parents, then open the one that holds path's
 * last component; 0 or -errno. */
int rootpath_create_parent (int root_fd, const char *path, int perms, int *dir_fd, char **name_buf,
                            const char **name);

/* Mode for a parent directory created on the way to an op with perms. */
mode_t rootpath_parent_mode (int perms);
