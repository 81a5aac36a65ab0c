/* The container's processes, from /proc (runc_process.h). */
#include "runc_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* Fields 3 (state), 4 (ppid) and 22 (starttime) of /proc/PID/stat.  The
 * command name (field 2) may hold spaces and parentheses: the fields
 * start after its last ')'. */
static bool
read_stat (pid_t pid, char *state, pid_t *ppid, unsigned long long *start)
{
  char path[64];
  _cleanup_free_ char *text = NULL;
  const char *p;
  int parent;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (read_file_at (AT_FDCWD, path, 4096, &text) < 0 || (p = strrchr (text, ')')) == NULL)
    return false;
  if (sscanf (p + 1, " %c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu", state, &parent, start) != 3)
    return false;
  *ppid = parent;
  return true;
}

bool
runc_process_start (pid_t pid, unsigned long long *start)
{
  char state;
  pid_t ppid;

  if (pid <= 0 || !read_stat (pid, &state, &ppid, start))
    return false;
  return state != 'Z' && state != 'X';
}

bool
runc_process_is (pid_t pid, unsigned long long start)
{
  unsigned long long now;

  return runc_process_start (pid, &now) && (start == 0 || now == start);
}

static bool
pidns_of (pid_t pid, struct stat *st)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) pid);
  return stat (path, st) == 0;
}

/* Every pid in /proc, with its parent; *n of them. */
static pid_t *
list_processes (pid_t **parents, size_t *n)
{
  DIR *dir = opendir ("/proc");
  struct dirent *e;
  pid_t *pids = NULL;
  size_t size = 0;

  *n = 0;
  *parents = NULL;
  while (dir && (e = readdir (dir)) != NULL)
    {
      unsigned long long start;
      char state;
      pid_t pid = (pid_t) atoi (e->d_name), ppid;

      if (pid <= 0 || !read_stat (pid, &state, &ppid, &start))
        continue;
      if (*n == size)
        {
          size = size ? size * 2 : 256;
          pids = xreallocarray (pids, size, sizeof *pids);
          *parents = xreallocarray (*parents, size, sizeof **parents);
        }
      pids[*n] = pid;
      (*parents)[(*n)++] = ppid;
    }
  if (dir)
    closedir (dir);
  return pids;
}

/* Without a pid namespace of its own, the container is pid and whatever
 * descends from it (a process that left the tree by a double fork is not
 * found: runc finds those by their cgroup). */
static bool
descends_from (pid_t pid, pid_t root, const pid_t *pids, const pid_t *parents, size_t n)
{
  for (size_t depth = 0; depth < n && pid > 1; depth++)
    {
      size_t i;

      if (pid == root)
        return true;
      for (i = 0; i < n && pids[i] != pid; i++)
        ;
      if (i == n)
        return false;
      pid = parents[i];
    }
  return pid == root;
}

int
runc_signal_all (pid_t pid, int sig)
{
  struct stat ours, theirs, st;
  _cleanup_free_ pid_t *parents = NULL;
  _cleanup_free_ pid_t *pids = NULL;
  bool own_pidns;
  size_t n;
  int count = 0;

  if (!pidns_of (getpid (), &ours) || !pidns_of (pid, &theirs))
    return kill (pid, sig) == 0;
  own_pidns = ours.st_ino != theirs.st_ino || ours.st_dev != theirs.st_dev;
  pids = list_processes (&parents, &n);
  for (size_t i = 0; i < n; i++)
    {
      bool member = own_pidns ? pidns_of (pids[i], &st) && st.st_ino == theirs.st_ino && st.st_dev == theirs.st_dev
                              : descends_from (pids[i], pid, pids, parents, n);

      if (member && kill (pids[i], sig) == 0)
        count++;
    }
  return count;
}
