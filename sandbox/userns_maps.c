/* User namespace id maps. */
#include "userns_maps.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "util.h"

/* proc_fd: an fd of a procfs, or AT_FDCWD for /proc.  After the root has
 * changed the sandbox may have no /proc at all, so later writes go through
 * an fd opened before. */
static int
write_proc_file (int proc_fd, pid_t pid, const char *name, const char *content)
{
  char path[64];
  const char *prefix = proc_fd == AT_FDCWD ? "/proc/" : "";

  if (pid == 0)
    snprintf (path, sizeof path, "%sself/%s", prefix, name);
  else
    snprintf (path, sizeof path, "%s%d/%s", prefix, (int) pid, name);
  return write_file_at (proc_fd, path, content);
}

int
userns_write_single_map (int proc_fd, pid_t pid, uid_t inside_uid, uid_t outside_uid,
                         gid_t inside_gid, gid_t outside_gid, bool deny_setgroups,
                         const char **failed_file)
{
  char line[64];
  int r;

  snprintf (line, sizeof line, "%u %u 1\n", inside_uid, outside_uid);
  *failed_file = "uid_map";
  r = write_proc_file (proc_fd, pid, "uid_map", line);
  if (r < 0)
    return r;
  if (deny_setgroups)
    {
      *failed_file = "setgroups";
      r = write_proc_file (proc_fd, pid, "setgroups", "deny");
      /* Kernels before 3.19 have no setgroups file; nothing to deny there. */
      if (r < 0 && r != -ENOENT)
        return r;
    }
  snprintf (line, sizeof line, "%u %u 1\n", inside_gid, outside_gid);
  *failed_file = "gid_map";
  return write_proc_file (proc_fd, pid, "gid_map", line);
}

static char *
format_ranges (const struct id_range *ranges, size_t n, bool for_tool)
{
  size_t cap = n * 40 + 1;
  char *s = xmalloc (cap);
  size_t len = 0;

  s[0] = '\0';
  for (size_t i = 0; i < n; i++)
    len += (size_t) snprintf (s + len, cap - len, for_tool ? "%u %u %u " : "%u %u %u\n",
                              ranges[i].inside, ranges[i].outside, ranges[i].count);
  return s;
}

/* newuidmap PID IN OUT COUNT ...: the setuid helper checks /etc/subuid. */
static int
run_map_tool (const char *tool, pid_t pid, const struct id_range *ranges, size_t n)
{
  char **argv = xcalloc (3 + 3 * n, sizeof (char *));
  char pidbuf[16];
  int status;
  pid_t child;
  size_t k = 0;

  snprintf (pidbuf, sizeof pidbuf, "%d", (int) pid);
  argv[k++] = (char *) tool;
  argv[k++] = pidbuf;
  for (size_t i = 0; i < n; i++)
    {
      argv[k++] = xasprintf ("%u", ranges[i].inside);
      argv[k++] = xasprintf ("%u", ranges[i].outside);
      argv[k++] = xasprintf ("%u", ranges[i].count);
    }
  child = fork ();
  if (child < 0)
    return -errno;
  if (child == 0)
    {
      execvp (tool, argv);
      _exit (127);
    }
  for (size_t i = 2; i < k; i++)
    free (argv[i]);
  free (argv);
  if (RETRY_EINTR (waitpid (child, &status, 0)) < 0)
    return -errno;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 127)
    return -ENOENT;
  return (WIFEXITED (status) && WEXITSTATUS (status) == 0) ? 0 : -EPERM;
}

int
userns_write_range_maps (int proc_fd, pid_t pid, const struct plan *plan, bool direct, const char **failed_file)
{
  int r;

  if (!direct)
    {
      *failed_file = "newuidmap";
      r = run_map_tool ("newuidmap", pid, plan->uid_map, plan->n_uid_map);
      if (r < 0)
        return r;
      *failed_file = "newgidmap";
      return run_map_tool ("newgidmap", pid, plan->gid_map, plan->n_gid_map);
    }
  {
    _cleanup_free_ char *u = format_ranges (plan->uid_map, plan->n_uid_map, false);
    _cleanup_free_ char *g = format_ranges (plan->gid_map, plan->n_gid_map, false);

    *failed_file = "uid_map";
    r = write_proc_file (proc_fd, pid, "uid_map", u);
    if (r < 0)
      return r;
    *failed_file = "gid_map";
    return write_proc_file (proc_fd, pid, "gid_map", g);
  }
}

/* The lines "INSIDE OUTSIDE COUNT" of our own map become "INSIDE INSIDE
 * COUNT": every id the namespace we are in has, under its own number. */
static int
identity_of_own_map (int proc_fd, const char *name, char **out)
{
  _cleanup_free_ char *path = xasprintf ("self/%s", name), *map = NULL;
  size_t cap, len = 0;
  char *line, *save = NULL;
  int r = read_file_at (proc_fd, path, 4096, &map);

  if (r < 0)
    return r;
  cap = strlen (map) * 2 + 1;
  *out = xmalloc (cap);
  (*out)[0] = '\0';
  for (line = strtok_r (map, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      unsigned inside, outside, count;

      if (sscanf (line, "%u %u %u", &inside, &outside, &count) != 3)
        {
          free (take_ptr (out));
          return -EINVAL;
        }
      len += (size_t) snprintf (*out + len, cap - len, "%u %u %u\n", inside, inside, count);
    }
  return 0;
}

/* The helper that owns the new namespace until its maps are written: it
 * tells its pid as proc_fd's procfs sees it (which may be another pid
 * namespace than ours) and waits for the end of release. */
static _Noreturn void
mirror_helper_main (int proc_fd, int ready, int release)
{
  char pid[24], b;
  ssize_t n = readlinkat (proc_fd, "self", pid, sizeof pid);

  if (n > 0)
    (void) write_all (ready, pid, (size_t) n);
  close (ready);
  (void) RETRY_EINTR (read (release, &b, 1));
  _exit (0);
}

static int
write_mirror_maps (int self_dir, int proc_fd, int *out_fd)
{
  _cleanup_free_ char *uid_map = NULL, *gid_map = NULL;
  int r = identity_of_own_map (proc_fd, "uid_map", &uid_map);

  if (r == 0)
    r = identity_of_own_map (proc_fd, "gid_map", &gid_map);
  if (r == 0)
    r = write_file_at (self_dir, "uid_map", uid_map);
  if (r == 0)
    r = write_file_at (self_dir, "gid_map", gid_map);
  if (r == 0 && (*out_fd = openat (self_dir, "ns/user", O_RDONLY | O_CLOEXEC)) < 0)
    r = -errno;
  return r;
}

static int
open_helper_dir (int proc_fd, int ready, int *out)
{
  char pid[24];
  ssize_t n = RETRY_EINTR (read (ready, pid, sizeof pid - 1));

  if (n <= 0)
    return -EIO;
  pid[n] = '\0';
  *out = openat (proc_fd, pid, O_PATH | O_DIRECTORY | O_CLOEXEC);
  return *out < 0 ? -errno : 0;
}

static void
close_pair (int p[2])
{
  for (int i = 0; i < 2; i++)
    if (p[i] >= 0)
      close (p[i]);
}

int
userns_create_mirror (int proc_fd, int *out_fd)
{
  int ready[2] = { -1, -1 }, release[2] = { -1, -1 };
  _cleanup_close_ int helper_dir = -1;
  pid_t pid = -1;
  int r;

  if (pipe2 (ready, O_CLOEXEC) < 0 || pipe2 (release, O_CLOEXEC) < 0)
    {
      r = -errno;
      goto out;
    }
  /* A plain fork with CLONE_NEWUSER: the helper lives for three system
   * calls, and shares nothing with us that a sanitizer could trip on. */
  pid = (pid_t) syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0)
    {
      close (ready[0]);
      close (release[1]);
      mirror_helper_main (proc_fd, ready[1], release[0]);
    }
  if (pid < 0)
    r = -errno;
  else
    {
      close (take_fd (&ready[1]));
      r = open_helper_dir (proc_fd, ready[0], &helper_dir);
      if (r == 0)
        r = write_mirror_maps (helper_dir, proc_fd, out_fd);
    }
out:
  close_pair (release);
  if (pid > 0)
    (void) RETRY_EINTR (waitpid (pid, NULL, 0));
  close_pair (ready);
  return r;
}
