/* The sandbox's cgroup (cgroup.h): made below the parent cgroup_where.c
 * finds, named after the nestbox process that owns it, so that the next
 * run can tell the leftover of a killed one from a live one's. */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_limits.h"
#include "cgroup_where.h"
#include "util.h"

/* How long the monitor waits for what is left in the cgroup to die. */
#define EMPTY_WAIT_MS 5000

static unsigned
controllers_wanted (const struct plan *plan)
{
  unsigned set = 0;

  for (int i = 0; i < N_CGROUP_LIMITS; i++)
    if (plan->limits[i].arg)
      set |= controller_bit (cgroup_limit_kind (i)->controller);
  return set;
}

static int
open_dir (const char *path)
{
  int fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    die_errno (errno, "Can't open the cgroup %s", path);
  return fd;
}

/* dir/file for writing, or -1 (the way around clone3 is then closed). */
static int
open_at_dir (const char *dir, const char *file)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, file);

  return open (path, O_WRONLY | O_CLOEXEC);
}

void
cgroup_decide (const struct plan *plan, struct cgroup_run *run)
{
  struct cgroup_where where;

  if (!cgroup_limits_wanted (plan))
    return;
  if (!cgroup_where_find (controllers_wanted (plan), &where))
    {
      if (plan->limits_try)
        warn_msg ("running without the cgroup limits (--limits-try): %s", where.why);
      else
        {
          error_msg ("Can't apply the cgroup limits: %s", where.why);
          remedy_msg ("%s", where.remedy);
          _exit (1);
        }
      cgroup_where_free (&where);
      return;
    }
  run->parent_fd = open_dir (where.path);
  /* Opened here, by the caller: the kernel checks a write to cgroup.procs
   * against the credentials and cgroup namespace of whoever opened it,
   * which pid 1 no longer has (cgroup_spawn's way around clone3). */
  run->leave_fd = open_at_dir (where.own, "cgroup.procs");
  run->parent_path = take_ptr (&where.path);
  cgroup_where_free (&where);
}

void
cgroup_release (struct cgroup_run *run)
{
  if (run->fd >= 0)
    close (run->fd);
  if (run->parent_fd >= 0)
    close (run->parent_fd);
  if (run->enter_fd >= 0)
    close (run->enter_fd);
  if (run->leave_fd >= 0)
    close (run->leave_fd);
  free (run->parent_path);
  *run = (struct cgroup_run) CGROUP_RUN_NONE;
}

/* Whether cgroup.events (open as events_fd) says something lives in the
 * cgroup.  Reading it also re-arms poll's POLLPRI for its next change. */
static bool
populated (int events_fd)
{
  char text[256];
  ssize_t n = pread (events_fd, text, sizeof text - 1, 0);

  if (n <= 0)
    return false;
  text[n] = '\0';
  return strstr (text, "populated 1") != NULL;
}

static long
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SIGKILL everything in the cgroup: cgroup.kill (Linux 5.14), else each
 * process it lists (processes forking meanwhile are caught by the next
 * round of the wait). */
static void
kill_all (int fd)
{
  _cleanup_free_ char *procs = NULL;

  if (write_file_at (fd, "cgroup.kill", "1") == 0 || read_file_at (fd, "cgroup.procs", 1 << 20, &procs) < 0)
    return;
  for (char *save = NULL, *p = strtok_r (procs, "\n", &save); p; p = strtok_r (NULL, "\n", &save))
    kill ((pid_t) atoi (p), SIGKILL);
}

/* Kill what is in the cgroup and wait until it is empty; false if
 * something is still there after EMPTY_WAIT_MS. */
static bool
empty_cgroup (int fd)
{
  _cleanup_close_ int events = openat (fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
  long deadline = now_ms () + EMPTY_WAIT_MS;

  if (events < 0)
    return false;
  while (populated (events))
    {
      struct pollfd pfd = { .fd = events, .events = POLLPRI };
      long left = deadline - now_ms ();

      if (left <= 0)
        return false;
      kill_all (fd);
      /* The kernel wakes cgroup.events' pollers when it changes; the
       * bound catches processes forked between two kills. */
      (void) poll (&pfd, 1, left < 50 ? (int) left : 50);
    }
  return true;
}

static int
remove_cgroup (int parent_fd, const char *name)
{
  _cleanup_close_ int fd = openat (parent_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return -errno;
  if (!empty_cgroup (fd))
    return -EBUSY;
  return unlinkat (parent_fd, name, AT_REMOVEDIR) == 0 ? 0 : -errno;
}

/* "nestbox.PID" directories whose PID is gone: what a SIGKILLed nestbox
 * left (its sandbox died with it; anything left over is killed). */
static void
remove_leftovers (const struct cgroup_run *run)
{
  int fd = openat (run->parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *e;

  if (!dir)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  while ((e = readdir (dir)) != NULL)
    {
      int pid, end = 0;

      if (e->d_type != DT_DIR || sscanf (e->d_name, "nestbox.%d%n", &pid, &end) != 1 || e->d_name[end] != '\0'
          || pid <= 0 || pid == getpid ())
        continue;
      if (kill (pid, 0) < 0 && errno == ESRCH)
        (void) remove_cgroup (run->parent_fd, e->d_name);
    }
  closedir (dir);
}

static int
write_limits (const struct plan *plan, int fd, const char **failed)
{
  for (int i = 0; i < N_CGROUP_LIMITS; i++)
    {
      int r;

      if (!plan->limits[i].arg)
        continue;
      if ((r = write_file_at (fd, cgroup_limit_kind (i)->file, plan->limits[i].value)) < 0)
        {
          *failed = cgroup_limit_kind (i)->option;
          return r;
        }
    }
  return 0;
}

static void
give_up (const struct plan *plan, struct cgroup_run *run, int err, const char *what)
{
  if (run->fd >= 0)
    {
      close (run->fd);
      run->fd = -1;
      (void) unlinkat (run->parent_fd, run->name, AT_REMOVEDIR);
    }
  if (!plan->limits_try)
    die_errno (err, "Can't apply the cgroup limits: %s in %s", what, run->parent_path);
  warn_msg ("running without the cgroup limits (--limits-try): %s in %s: %s", what, run->parent_path, strerror (err));
  cgroup_release (run);
}

static int
make_own_cgroup (struct cgroup_run *run)
{
  snprintf (run->name, sizeof run->name, "nestbox.%d", (int) getpid ());
  if (mkdirat (run->parent_fd, run->name, 0755) < 0)
    {
      int r;

      if (errno != EEXIST)
        return -errno;
      /* A directory of our pid can only be an earlier process's leftover. */
      if ((r = remove_cgroup (run->parent_fd, run->name)) < 0)
        return r;
      if (mkdirat (run->parent_fd, run->name, 0755) < 0)
        return -errno;
    }
  run->fd = openat (run->parent_fd, run->name, O_PATH | O_DIRECTORY | O_CLOEXEC);
  return run->fd < 0 ? -errno : 0;
}

void
cgroup_create (const struct plan *plan, struct cgroup_run *run)
{
  const char *failed = NULL;
  char what[96];
  int r;

  if (run->parent_fd < 0)
    return;
  remove_leftovers (run);
  if ((r = make_own_cgroup (run)) < 0)
    give_up (plan, run, -r, "making a cgroup");
  else if ((r = write_limits (plan, run->fd, &failed)) < 0)
    {
      snprintf (what, sizeof what, "setting %s", failed);
      give_up (plan, run, -r, what);
    }
  else
    run->enter_fd = openat (run->fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
}

/* Having stepped into the sandbox's cgroup: clone with fork's semantics
 * and step back out to nestbox's own, so that only the child stays. */
static pid_t
clone_then_leave (const struct cgroup_run *run, unsigned long flags)
{
  pid_t pid = (pid_t) syscall (SYS_clone, flags, NULL, NULL, NULL, NULL);
  int err = errno;

  if (pid == 0)
    return 0;
  if (write (run->leave_fd, "0", 1) != 1)
    warn_msg ("Can't move back out of the sandbox's cgroup: %s", strerror (errno));
  errno = err;
  return pid;
}

static pid_t
clone3_into (const struct cgroup_run *run, uint64_t flags, uint64_t exit_signal)
{
  struct clone_args args = {
    .flags = flags | CLONE_INTO_CGROUP,
    .exit_signal = exit_signal,
    .cgroup = (uint64_t) run->fd,
  };

  return (pid_t) syscall (SYS_clone3, &args, sizeof args);
}

pid_t
cgroup_clone (const struct cgroup_run *run, unsigned long flags)
{
  pid_t pid = clone3_into (run, flags & ~(unsigned long) CSIGNAL, flags & CSIGNAL);

  /* Where clone3 is refused (an outer seccomp profile that answers it with
   * ENOSYS, as containerd's and Docker's defaults do, so that libc falls
   * back to clone), nestbox steps in for the moment of the clone. */
  if (pid >= 0 || (errno != ENOSYS && errno != EPERM))
    return pid;
  if (write (run->enter_fd, "0", 1) != 1)
    die_errno (errno, "Can't move into the sandbox's cgroup %s/%s", run->parent_path, run->name);
  return clone_then_leave (run, flags);
}

pid_t
cgroup_spawn (const struct cgroup_run *run)
{
  pid_t pid = clone3_into (run, CLONE_VFORK, SIGCHLD);

  /* Refused: no clone3 (a seccomp profile), or pid 1's credentials or
   * cgroup namespace do not reach the cgroup (an id map without the
   * cgroup's owner, --unshare-cgroup beside nestbox's own cgroup). */
  if (pid >= 0)
    return pid;
  if (write (run->enter_fd, "0", 1) != 1)
    return -1;
  return clone_then_leave (run, SIGCHLD);
}

static uint64_t
event_count (int fd, const char *file, const char *key)
{
  _cleanup_free_ char *text = NULL;
  size_t len = strlen (key);

  if (read_file_at (fd, file, 4096, &text) < 0)
    return 0;
  for (char *save = NULL, *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    if (strncmp (line, key, len) == 0 && line[len] == ' ')
      return strtoull (line + len + 1, NULL, 10);
  return 0;
}

/* The limit that bit, first as a line for the user, then as the exit
 * record's "limit". */
static void
report_bites (const struct plan *plan, int fd, char *limit, size_t size)
{
  enum cgroup_limit memory = plan->limits[LIMIT_MEMORY_MAX].arg ? LIMIT_MEMORY_MAX : LIMIT_MEMORY_SWAP_MAX;
  const struct cgroup_limit_value *pids = &plan->limits[LIMIT_PIDS_MAX];
  uint64_t n;

  if (pids->arg && (n = event_count (fd, "pids.events", "max")) > 0)
    {
      warn_msg ("the sandbox hit its limit --pids-max %s: %" PRIu64 " fork%s refused", pids->arg, n, n > 1 ? "s" : "");
      snprintf (limit, size, "pids-max %s", pids->arg);
    }
  if (plan->limits[memory].arg && (n = event_count (fd, "memory.events", "oom_kill")) > 0)
    {
      warn_msg ("the sandbox went over its limit %s %s: the kernel's OOM killer ended %" PRIu64 " process%s",
                cgroup_limit_kind (memory)->option, plan->limits[memory].arg, n, n > 1 ? "es" : "");
      snprintf (limit, size, "%s %s", cgroup_limit_kind (memory)->option + 2, plan->limits[memory].arg);
    }
}

void
cgroup_finish (const struct plan *plan, struct cgroup_run *run, char *limit, size_t size)
{
  bool emptied;

  if (run->fd < 0)
    return;
  emptied = empty_cgroup (run->fd);
  report_bites (plan, run->fd, limit, size);
  if (!emptied)
    warn_msg ("processes of the sandbox's cgroup %s/%s outlived SIGKILL for %d s; it is left behind", run->parent_path,
              run->name, EMPTY_WAIT_MS / 1000);
  else if (unlinkat (run->parent_fd, run->name, AT_REMOVEDIR) < 0)
    warn_msg ("Can't remove the sandbox's cgroup %s/%s: %s", run->parent_path, run->name, strerror (errno));
  cgroup_release (run);
}
