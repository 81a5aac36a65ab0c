/* The monitor: the process the caller started.  It reports the sandbox on
 * --info-fd/--json-status-fd, forwards signals and returns the command's
 * exit code (or 128+signal). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "caps.h"
#include "launch.h"
#include "pty.h"
#include "sockmsg.h"
#include "util.h"

struct ns_ids
{
  const char *name;
  bool shown;
  unsigned long long inode;
};

static void
read_ns_ids (const struct launch *l, pid_t pid, struct ns_ids ids[6])
{
  const struct plan *plan = l->plan;
  bool shown[6] = {
    plan->unshare_cgroup, plan->unshare_ipc, true, plan->unshare_net,
    l->new_pidns, plan->unshare_uts,
  };
  static const char *const names[6] = { "cgroup", "ipc", "mnt", "net", "pid", "uts" };

  for (int i = 0; i < 6; i++)
    {
      char path[64];
      struct stat st;

      snprintf (path, sizeof path, "/proc/%d/ns/%s", (int) pid, names[i]);
      ids[i].name = names[i];
      ids[i].shown = shown[i] && stat (path, &st) == 0;
      ids[i].inode = ids[i].shown ? (unsigned long long) st.st_ino : 0;
    }
}

static void
write_info (int fd, pid_t pid, const struct ns_ids ids[6], bool one_line)
{
  char buf[1024];
  int n = snprintf (buf, sizeof buf, one_line ? "{ \"child-pid\": %d" : "{\n    \"child-pid\": %d", (int) pid);

  for (int i = 0; i < 6; i++)
    if (ids[i].shown)
      n += snprintf (buf + n, sizeof buf - (size_t) n,
                     one_line ? ", \"%s-namespace\": %llu" : ",\n    \"%s-namespace\": %llu",
                     ids[i].name, ids[i].inode);
  n += snprintf (buf + n, sizeof buf - (size_t) n, one_line ? " }\n" : "\n}\n");
  /* A reader that went away must not kill us: SIGPIPE is ignored below. */
  if (write_all (fd, buf, (size_t) n) < 0)
    warn_msg ("Write to info fd: %s", strerror (errno));
}

static pid_t
receive_real_pid (int sock)
{
  struct ucred cred;
  char byte;
  bool got;
  int on = 1;

  setsockopt (sock, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  if (sockmsg_recv (sock, &byte, 1, SCM_CREDENTIALS, &cred, sizeof cred, &got, 0) <= 0 || !got)
    return -1;
  return cred.pid;
}

/* Wait for pid (with --pidns it is a grandchild that reaches us as
 * subreaper once the intermediate processes exit). */
static int
wait_for (pid_t pid)
{
  for (;;)
    {
      int status;
      pid_t got = waitpid (-1, &status, 0);

      if (got < 0)
        {
          if (errno == EINTR)
            continue;
          return 1;
        }
      if (got == pid)
        return exit_code_from_status (status);
    }
}

/* 1: the command was executed; 0: setup failed or exec failed. */
static bool
command_was_executed (const struct launch *l)
{
  char b[2];
  ssize_t n;

  if (l->exec_pipe[0] == -1)
    return false;
  fcntl (l->exec_pipe[0], F_SETFL, O_NONBLOCK);
  n = RETRY_EINTR (read (l->exec_pipe[0], b, sizeof b));
  return n == 1;
}

int
monitor_main (struct launch *l, pid_t child_pid)
{
  const struct plan *plan = l->plan;
  struct ns_ids ids[6];
  int exit_code;

  signal (SIGPIPE, SIG_IGN);
  install_forwarding (child_pid);
  if (l->exec_pipe[1] != -1)
    close (l->exec_pipe[1]);
  if (l->status_pipe[1] != -1)
    close (l->status_pipe[1]);
  /* Only the sandbox may hold the other end: its end of file says that
   * setup failed before a --pty terminal existed. */
  if (l->pty_sock[1] != -1)
    close (l->pty_sock[1]);
  /* The write end of monitor_alive stays open until we exit. */
  if (l->monitor_alive[0] != -1)
    close (l->monitor_alive[0]);
  if (plan->die_with_parent && prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_PDEATHSIG)");
  if (l->pid_sock[0] != -1)
    {
      close (l->pid_sock[1]);
      child_pid = receive_real_pid (l->pid_sock[0]);
      close (l->pid_sock[0]);
      if (child_pid <= 0)
        return wait_for (-1);
      install_forwarding (child_pid);
    }

  if (plan->info_fd != -1 || plan->json_status_fd != -1)
    read_ns_ids (l, child_pid, ids);
  if (plan->info_fd != -1)
    {
      write_info (plan->info_fd, child_pid, ids, false);
      close (plan->info_fd);
    }
  if (plan->json_status_fd != -1)
    write_info (plan->json_status_fd, child_pid, ids, true);

  /* The monitor needs no privilege from here on. */
  if (l->real_uid != 0 || plan->userns_fd != -1)
    (void) caps_drop_all ();

  exit_code = -1;
  if (l->pty_sock[0] != -1)
    {
      int r = pty_monitor (l->pty_sock[0], l->status_pipe[0], child_pid, &exit_code);

      if (r < 0)
        warn_msg ("--pty: relaying the terminal failed: %s", strerror (-r));
    }
  if (exit_code < 0 && l->status_pipe[0] != -1)
    {
      int code;
      ssize_t n = RETRY_EINTR (read (l->status_pipe[0], &code, sizeof code));

      if (n == (ssize_t) sizeof code)
        exit_code = code;
    }
  if (exit_code < 0)
    exit_code = wait_for (child_pid);

  if (plan->json_status_fd != -1 && command_was_executed (l))
    {
      char line[64];
      int n = snprintf (line, sizeof line, "{ \"exit-code\": %d }\n", exit_code);
      (void) write_all (plan->json_status_fd, line, (size_t) n);
    }
  return exit_code;
}
