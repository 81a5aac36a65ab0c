/* Finding the parent of the sandbox's cgroup (cgroup_where.h).
 *
 * The kernel hands a controller to the children of a cgroup only when
 * that cgroup holds no process (the root of the hierarchy excepted).  So
 * nestbox's own cgroup can be the parent only when it is the root, or
 * when its controllers are already enabled for its children; otherwise
 * the sandbox's cgroup goes beside nestbox's own, below their parent.
 * That is the layout of a delegated subtree whose processes live in
 * leaves: a systemd unit with Delegate=yes, or a pod whose entrypoint
 * moved itself into a child cgroup.  Never higher: the limits of the
 * subtree nestbox runs in must still apply to the sandbox. */
#include "cgroup_where.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "mountinfo.h"
#include "util.h"

static const char *const controller_names[N_CONTROLLERS] = { "memory", "pids", "cpu", "io" };

unsigned
controller_bit (const char *name)
{
  for (unsigned i = 0; i < N_CONTROLLERS; i++)
    if (strcmp (name, controller_names[i]) == 0)
      return 1u << i;
  return 0;
}

static bool __attribute__ ((format (printf, 3, 4)))
none (struct cgroup_where *where, const char *remedy, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&where->why, fmt, ap) < 0)
    die_oom ();
  va_end (ap);
  where->remedy = xstrdup (remedy);
  return false;
}

/* The set of controllers a space-separated list (cgroup.controllers,
 * cgroup.subtree_control) names; 0 when the file cannot be read. */
static unsigned
controllers_in (const char *dir, const char *file)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, file);
  _cleanup_free_ char *text = NULL;
  unsigned set = 0;

  if (read_file_at (AT_FDCWD, path, 4096, &text) < 0)
    return 0;
  for (char *save = NULL, *word = strtok_r (text, " \n", &save); word; word = strtok_r (NULL, " \n", &save))
    set |= controller_bit (word);
  return set;
}

/* nestbox's cgroup v2 path ("0::PATH" of /proc/self/cgroup), and the set
 * of controllers bound to v1 hierarchies (hybrid mode). */
static char *
own_cgroup (unsigned *on_v1)
{
  _cleanup_free_ char *text = NULL;
  char *path = NULL;

  *on_v1 = 0;
  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", 65536, &text) < 0)
    return NULL;
  for (char *save = NULL, *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *names = strchr (line, ':'), *rest = names ? strchr (names + 1, ':') : NULL;

      if (!rest)
        continue;
      *rest = '\0';
      if (strncmp (line, "0:", 2) == 0 && names[1] == '\0')
        path = xstrdup (rest + 1);
      /* v1 calls the io controller blkio. */
      for (char *s2 = NULL, *n = strtok_r (names + 1, ",", &s2); n; n = strtok_r (NULL, ",", &s2))
        *on_v1 |= strcmp (n, "blkio") == 0 ? CONTROLLER_IO : controller_bit (n);
    }
  return path;
}

/* Where this process's cgroup v2 directory is mounted, or NULL.  The
 * usual place first, as runc and systemd take it: a cgroup2 mount on
 * /sys/fs/cgroup shows the hierarchy from the root this process's cgroup
 * path is relative to (a cgroup namespace mounts its own root there). */
static char *
own_cgroup_dir (const char *path)
{
  struct mount_table table;
  struct statfs sfs;
  char *dir = NULL;

  if (statfs ("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
    {
      dir = xasprintf ("/sys/fs/cgroup%s", strcmp (path, "/") == 0 ? "" : path);
      if (access (dir, F_OK) == 0)
        return dir;
      /* A subtree mounted there without a cgroup namespace: ask mountinfo. */
      free (dir);
      dir = NULL;
    }
  if (mountinfo_read (&table) < 0)
    return NULL;
  for (size_t i = 0; i < table.n && !dir; i++)
    {
      const struct mount_entry *m = &table.entries[i];
      size_t root_len = strcmp (m->root, "/") == 0 ? 0 : strlen (m->root);

      if (strcmp (m->fstype, "cgroup2") != 0 || strncmp (path, m->root, root_len) != 0
          || (path[root_len] != '/' && path[root_len] != '\0'))
        continue;
      dir = xasprintf ("%s%s", m->mount_point, strcmp (path + root_len, "/") == 0 ? "" : path + root_len);
    }
  mountinfo_free (&table);
  return dir;
}

static bool
writable (const char *dir, int *err)
{
  _cleanup_free_ char *procs = xasprintf ("%s/cgroup.procs", dir);

  if (faccessat (AT_FDCWD, dir, W_OK, AT_EACCESS) == 0 && faccessat (AT_FDCWD, procs, W_OK, AT_EACCESS) == 0)
    return true;
  *err = errno;
  return false;
}

/* The names of the controllers in a set, space-separated, in buf. */
static const char *
names_of (unsigned set, char *buf, size_t size)
{
  buf[0] = '\0';
  for (unsigned i = 0; i < N_CONTROLLERS; i++)
    if (set & (1u << i))
      {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", len ? " " : "", controller_names[i]);
      }
  return buf;
}

#define POD_DELEGATION                                                                                             \
  "in a pod: a writable cgroup2 mount (a cgroup namespace of its own) whose entrypoint first moves itself into a " \
  "child cgroup and enables the controllers for its siblings (docs/pods.md, \"Limits\")"

static bool
missing_controllers (unsigned missing, unsigned on_v1, const char *dir, struct cgroup_where *where)
{
  char names[64];

  if (missing & on_v1)
    return none (where,
                 "boot the host with a unified cgroup hierarchy (systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all); "
                 "Kubernetes nodes need cgroup v2 for it, or run without these limits (--limits-try)",
                 "the %s controller%s belong%s to a cgroup v1 hierarchy here (hybrid cgroups), not to cgroup v2",
                 names_of (missing & on_v1, names, sizeof names), __builtin_popcount (missing & on_v1) > 1 ? "s" : "",
                 __builtin_popcount (missing & on_v1) > 1 ? "" : "s");
  return none (where,
               "on a host, run nestbox in a cgroup delegated to it (systemd-run --scope -p Delegate=yes, with --user "
               "when unprivileged); " POD_DELEGATION,
               "the %s controller%s not enabled for nestbox's cgroup %s (its parent's cgroup.subtree_control lacks %s)",
               names_of (missing, names, sizeof names), __builtin_popcount (missing) > 1 ? "s are" : " is", dir,
               __builtin_popcount (missing) > 1 ? "them" : "it");
}

static bool
not_writable (int err, const char *dir, struct cgroup_where *where)
{
  if (err == EROFS)
    return none (where, "mount the cgroup2 file system writable: " POD_DELEGATION,
                 "the cgroup file system at %s is mounted read-only (a container's default)", dir);
  return none (where,
               "on a host, run nestbox in a cgroup delegated to its user (systemd-run --scope -p Delegate=yes, with --user "
               "when unprivileged); " POD_DELEGATION,
               "neither nestbox's cgroup %s nor its parent may be written by uid %u (%s)", dir, (unsigned) geteuid (),
               strerror (err));
}

/* The parent of nestbox's own cgroup dir, when it is still in the
 * mounted hierarchy (not the top this process can see). */
static char *
parent_dir (const char *dir, const char *path)
{
  char *slash;

  if (strcmp (path, "/") == 0)
    return NULL;
  slash = strrchr (dir, '/');
  return slash ? strndup (dir, (size_t) (slash - dir)) : NULL;
}

static bool
choose_parent (unsigned controllers, const char *dir, const char *path, struct cgroup_where *where)
{
  _cleanup_free_ char *parent = parent_dir (dir, path);
  unsigned for_children = controllers_in (dir, "cgroup.subtree_control");
  char names[64];
  int err = 0;

  if ((for_children & controllers) == controllers)
    {
      if (!writable (dir, &err))
        return not_writable (err, dir, where);
      where->path = xstrdup (dir);
      return true;
    }
  if (!parent)
    {
      if (!writable (dir, &err) && err == EROFS)
        return not_writable (err, dir, where);
      return none (where,
                   "enable them for its children (a cgroup holding processes cannot: move its processes into a child "
                   "cgroup first); " POD_DELEGATION,
                   "nestbox's cgroup %s is the top of the hierarchy it sees, and does not hand %s to its children", dir,
                   names_of (controllers & ~for_children, names, sizeof names));
    }
  if (!writable (parent, &err))
    return not_writable (err, dir, where);
  where->path = take_ptr (&parent);
  where->beside_own = true;
  return true;
}

bool
cgroup_where_find (unsigned controllers, struct cgroup_where *where)
{
  _cleanup_free_ char *path = NULL, *dir = NULL;
  unsigned on_v1, available;

  *where = (struct cgroup_where){ 0 };
  path = own_cgroup (&on_v1);
  if (!path)
    return none (where, "boot the host with a unified cgroup hierarchy (systemd.unified_cgroup_hierarchy=1)",
                 "this process is in no cgroup v2 hierarchy (cgroup v1 only)");
  dir = own_cgroup_dir (path);
  if (!dir)
    return none (where, "mount it: mount -t cgroup2 none /sys/fs/cgroup; " POD_DELEGATION,
                 "no cgroup2 file system is mounted where this process can see its cgroup %s", path);
  available = controllers_in (dir, "cgroup.controllers");
  if ((available & controllers) != controllers)
    return missing_controllers (controllers & ~available, on_v1, dir, where);
  if (!choose_parent (controllers, dir, path, where))
    return false;
  where->own = take_ptr (&dir);
  return true;
}

void
cgroup_where_free (struct cgroup_where *where)
{
  free (where->own);
  free (where->path);
  free (where->why);
  free (where->remedy);
  *where = (struct cgroup_where){ 0 };
}
