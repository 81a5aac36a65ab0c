/* User namespace id maps. */
#include "userns.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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
