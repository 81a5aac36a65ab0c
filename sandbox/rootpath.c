/* Paths inside the new root (see rootpath.h). */
#include "rootpath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util.h"

static const char *
skip_slashes (const char *path)
{
  while (*path == '/')
    path++;
  return *path ? path : ".";
}

int
rootpath_open (int root_fd, const char *path, int flags, int *out_fd)
{
  struct open_how how = {
    .flags = (uint64_t) (flags | O_CLOEXEC),
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd = (int) RETRY_EINTR (syscall (SYS_openat2, root_fd, skip_slashes (path), &how, sizeof how));

  if (fd < 0)
    return -errno;
  *out_fd = fd;
  return 0;
}

mode_t
rootpath_parent_mode (int perms)
{
  mode_t mode = 0700;

  if (perms < 0)
    return 0755;
  /* bwrap's rule: a parent is searchable by group/other only if the new
   * object would be visible to them at all. */
  if (perms & 0070)
    mode |= 0050;
  if (perms & 0007)
    mode |= 0005;
  return mode;
}

int
rootpath_make_parents (int root_fd, const char *path, int perms)
{
  _cleanup_free_ char *copy = xstrdup (skip_slashes (path));
  char *slash;
  mode_t mode = rootpath_parent_mode (perms);
  int fd;

  /* Fast path: the parent usually exists already. */
  slash = strrchr (copy, '/');
  if (slash == NULL)
    return 0;
  *slash = '\0';
  if (rootpath_open (root_fd, copy, O_PATH | O_DIRECTORY, &fd) == 0)
    {
      close (fd);
      return 0;
    }
  *slash = '/';

  /* Walk down, creating each missing component; every step is resolved
   * from the root again so symlinks among the parents stay inside. */
  for (char *p = strchr (copy, '/'); p != NULL; p = strchr (p + 1, '/'))
    {
      _cleanup_close_ int parent_fd = -1;
      const char *name;
      char *prev;
      int r;

      *p = '\0';
      prev = strrchr (copy, '/');
      name = prev ? prev + 1 : copy;
      if (*name != '\0' && strcmp (name, ".") != 0 && strcmp (name, "..") != 0)
        {
          if (prev)
            {
              *prev = '\0';
              r = rootpath_open (root_fd, copy, O_PATH | O_DIRECTORY, &parent_fd);
              *prev = '/';
            }
          else
            r = rootpath_open (root_fd, ".", O_PATH | O_DIRECTORY, &parent_fd);
          if (r < 0)
            {
              *p = '/';
              return r;
            }
          if (mkdirat (parent_fd, name, mode) < 0 && errno != EEXIST)
            {
              r = -errno;
              *p = '/';
              return r;
            }
        }
      *p = '/';
    }
  return 0;
}

int
rootpath_open_parent (int root_fd, const char *path, int *dir_fd, char **name_buf, const char **name)
{
  char *copy = xstrdup (skip_slashes (path));
  char *slash;
  int r;
  size_t len = strlen (copy);

  /* "a/b/" names b. */
  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';
  slash = strrchr (copy, '/');
  if (slash)
    {
      *slash = '\0';
      r = rootpath_open (root_fd, copy, O_PATH | O_DIRECTORY, dir_fd);
      *name = slash + 1;
    }
  else
    {
      r = rootpath_open (root_fd, ".", O_PATH | O_DIRECTORY, dir_fd);
      *name = copy;
    }
  if (r < 0)
    {
      free (copy);
      return r;
    }
  *name_buf = copy;
  return 0;
}

int
rootpath_create_parent (int root_fd, const char *path, int perms, int *dir_fd, char **name_buf,
                        const char **name)
{
  int r = rootpath_make_parents (root_fd, path, perms);

  if (r < 0)
    return r;
  return rootpath_open_parent (root_fd, path, dir_fd, name_buf, name);
}
