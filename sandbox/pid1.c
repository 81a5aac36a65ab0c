/* The reaper: pid 1 of the sandbox's pid namespace (unless --as-pid-1).
 * It reaps orphans, forwards signals to the command, holds --lock-file
 * locks and --sync-fd, and tells the monitor the command's exit code. */
#include "pid1.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "caps.h"
#include "launch.h"
#include "signals.h"
#include "util.h"

/* Taken before the command starts, so that a lock refused leaves nothing
 * running; the fds stay open (and the locks held) until pid 1 exits.  The
 * command's process closes its copies at exec without releasing them:
 * POSIX locks belong to the process that took them. */
void
pid1_take_locks (struct launch *l)
{
  const struct plan *plan = l->plan;

  l->lock_fds = xcalloc (plan->n_lock_files, sizeof (int));
  for (size_t i = 0; i < plan->n_lock_files; i++)
    {
      struct flock lock = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
      /* O_NONBLOCK: a FIFO (planted by the command, say) would block the
       * open, and pid 1 with it, forever. */
      int fd = RETRY_EINTR (open (plan->lock_files[i], O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
      struct stat st;

      if (fd < 0)
        die_errno (errno, "Unable to open lock file %s", plan->lock_files[i]);
      if (fstat (fd, &st) < 0 || !(S_ISREG (st.st_mode) || S_ISDIR (st.st_mode)))
        die ("Unable to lock file %s: not a regular file or a directory", plan->lock_files[i]);
      if (RETRY_EINTR (fcntl (fd, F_SETLK, &lock)) < 0)
        die_errno (errno, "Unable to lock file %s", plan->lock_files[i]);
      l->lock_fds[i] = fd;
    }
}

static int
compare_fds (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

/* Close every fd but stdio and the ones pid 1 needs (keep, n of them, -1
 * for none): fds the caller passed belong to the command, and holding a
 * pipe open here would keep the caller waiting after the command is gone. */
static void
close_fds_except (int *keep, size_t n)
{
  unsigned from = 3;

  qsort (keep, n, sizeof *keep, compare_fds);
  for (size_t i = 0; i < n; i++)
    {
      if (keep[i] < (int) from)
        continue;
      if (keep[i] > (int) from)
        close_range (from, (unsigned) keep[i] - 1, 0);
      from = (unsigned) keep[i] + 1;
    }
  close_range (from, ~0U, 0);
}

static void
close_other_fds (const struct launch *l)
{
  size_t n = l->plan->n_lock_files;
  _cleanup_free_ int *keep = xcalloc (n + 2, sizeof (int));

  for (size_t i = 0; i < n; i++)
    keep[i] = l->lock_fds[i];
  keep[n] = l->ch.status_pipe[1];
  keep[n + 1] = l->plan->sync_fd;
  close_fds_except (keep, n + 2);
}

void
pid1_main (struct launch *l, pid_t command_pid)
{
  int status_fd = l->ch.status_pipe[1];
  int exit_code = 1;
  bool reported = false;
  int r;

  install_forwarding (command_pid);
  close_other_fds (l);
  /* The command has its environment (vfork returned after its exec):
   * pid 1 keeps nothing of the caller's that --clearenv/--unsetenv hid. */
  if (l->caller_env_len > 0)
    memset ((char *) l->caller_env, 0, l->caller_env_len);
  (void) caps_drop_all ();
  /* Out of the command's reach already (a user namespace above it, or not
   * dumpable); the terminal filter is one more wall, as the command has. */
  r = seccomp_install_terminal_filter (&l->seccomp);
  if (r < 0)
    die_errno (-r, "Can't install the terminal filter for pid 1");

  for (;;)
    {
      int status;
      pid_t pid = waitpid (-1, &status, 0);

      if (pid < 0)
        {
          if (errno == EINTR)
            continue;
          break; /* ECHILD: nothing left in the sandbox */
        }
      if (pid == command_pid && !reported)
        {
          exit_code = exit_code_from_status (status);
          reported = true;
          install_forwarding (0);
          if (status_fd != -1)
            {
              (void) write_all (status_fd, &exit_code, sizeof exit_code);
              close (status_fd);
              status_fd = -1;
            }
        }
    }
  _exit (exit_code);
}
