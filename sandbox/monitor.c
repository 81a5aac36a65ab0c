/* The monitor: the process the caller started.  It reports the sandbox on
 * --info-fd/--json-status-fd, forwards signals and returns the command's
 * exit code (or 128+signal). */
#include "monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "caps.h"
#include "cgroup.h"
#include "launch.h"
#include "pty_relay.h"
#include "rlimits.h"
#include "timeout.h"
#include "signals.h"
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
    plan->unshare_cgroup,
    plan->unshare_ipc,
    true,
    plan->unshare_net,
    l->new_pidns,
    plan->unshare_uts,
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

/* The process clone returned is not the one to report and forward signals
 * to when the sandbox forks again (--pidns): it sends the real pid over
 * pid_sock, which is used once and closed.  -1 when it ended before. */
static pid_t
take_real_pid (struct launch *l)
{
  pid_t pid;

  pid = receive_real_pid (l->ch.pid_sock[0]);
  channel_close (l->ch.pid_sock);
  return pid;
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

  if (l->ch.exec_pipe[0] == -1)
    return false;
  fcntl (l->ch.exec_pipe[0], F_SETFL, O_NONBLOCK);
  n = RETRY_EINTR (read (l->ch.exec_pipe[0], b, sizeof b));
  return n == 1;
}

/* --info-fd and the first line of --json-status-fd: the pid and its
 * namespaces. */
static void
report_sandbox (const struct launch *l, pid_t child_pid)
{
  const struct plan *plan = l->plan;
  struct ns_ids ids[6];

  if (plan->info_fd == -1 && plan->json_status_fd == -1)
    return;
  read_ns_ids (l, child_pid, ids);
  if (plan->info_fd != -1)
    {
      write_info (plan->info_fd, child_pid, ids, false);
      close (plan->info_fd);
    }
  if (plan->json_status_fd != -1)
    write_info (plan->json_status_fd, child_pid, ids, true);
}

/* nestbox-runc's --console-socket: the caller (conmon, buildah) relays
 * the terminal itself, as runc's callers do.  The monitor passes the
 * master on and keeps no copy, so that the terminal hangs up when the
 * caller lets it go. */
static void
hand_over_terminal (const struct launch *l)
{
  int master = -1, r = -ENODATA;
  bool got = false;
  char byte;

  if (sockmsg_recv (l->ch.pty_sock[0], &byte, 1, SCM_RIGHTS, &master, sizeof master, &got, 0) > 0 && got)
    r = sockmsg_send (l->plan->console_socket_fd, &byte, 1, SCM_RIGHTS, &master, sizeof master, MSG_NOSIGNAL);
  /* No master: the sandbox ended before it had a terminal, and said why. */
  if (r < 0 && r != -ENODATA)
    warn_msg ("--console-socket: can't send the terminal: %s", strerror (-r));
  if (master >= 0)
    close (master);
  close (l->plan->console_socket_fd);
  close (l->ch.pty_sock[0]);
}

/* nestbox-runc's create (plan.monitor_leaves): runc's callers (buildah,
 * conmon) wait for the container's process themselves, as their child
 * through PR_SET_CHILD_SUBREAPER once its parent is gone, and take the
 * command's exit status from that wait; while the monitor is its parent
 * they get ECHILD, and buildah then counts a failed step as passed.  So
 * the monitor goes once the pid is reported, unless it still has work:
 * a cgroup to remove, a reaper's status to read, --timeout,
 * --die-with-parent, or a terminal to relay rather than hand over. */
static bool
monitor_can_leave (const struct launch *l)
{
  const struct plan *plan = l->plan;

  return plan->monitor_leaves && l->cgroup.parent_fd < 0 && !l->has_reaper && plan->timeout_seconds == 0
         && !plan->die_with_parent && (l->ch.pty_sock[0] == -1 || plan->console_socket_fd != -1);
}

/* The command's exit code, from whoever knows it first: the --pty relay,
 * the reaper's status pipe, or waiting for child_pid ourselves. */
static int
await_exit_code (const struct launch *l, pid_t child_pid)
{
  int exit_code = -1;

  if (l->ch.pty_sock[0] != -1 && l->plan->console_socket_fd != -1)
    hand_over_terminal (l);
  else if (l->ch.pty_sock[0] != -1)
    {
      int r = pty_monitor (l->ch.pty_sock[0], l->ch.status_pipe[0], child_pid, &exit_code);

      if (r < 0)
        warn_msg ("--pty: relaying the terminal failed: %s", strerror (-r));
    }
  if (exit_code < 0 && l->ch.status_pipe[0] != -1)
    {
      int code;
      ssize_t n = RETRY_EINTR (read (l->ch.status_pipe[0], &code, sizeof code));

      if (n == (ssize_t) sizeof code)
        exit_code = code;
    }
  if (exit_code < 0)
    exit_code = wait_for (child_pid);
  return exit_code;
}

/* The exit record; "limit" names a limit that bit ("rlimit CPU=1",
 * "pids-max 64"), "timed-out" says --timeout ended the sandbox. */
static void
report_exit_code (int fd, int exit_code, const char *limit)
{
  char line[128];
  int n;

  if (timeout_fired ())
    n = snprintf (line, sizeof line, "{ \"exit-code\": %d, \"timed-out\": true }\n", exit_code);
  else if (limit)
    n = snprintf (line, sizeof line, "{ \"exit-code\": %d, \"limit\": \"%s\" }\n", exit_code, limit);
  else
    n = snprintf (line, sizeof line, "{ \"exit-code\": %d }\n", exit_code);
  (void) write_all (fd, line, (size_t) n);
}

/* --die-with-parent: the monitor dies with the caller.  With a cgroup of
 * the sandbox's to remove, it kills the sandbox and removes the cgroup
 * first, instead of dying at once. */
static void
die_with_caller (const struct launch *l)
{
  if (!l->plan->die_with_parent)
    return;
  /* Set up (and held back) by the launcher; a death while held is acted
   * on now. */
  if (l->caller_death_signal)
    kill_target_on (l->caller_death_signal);
  else if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_PDEATHSIG)");
}

int
monitor_main (struct launch *l, pid_t child_pid)
{
  const struct plan *plan = l->plan;
  char limit[80] = "", rlimit[64];
  int exit_code;

  signal (SIGPIPE, SIG_IGN);
  install_forwarding (child_pid);
  die_with_caller (l);
  if (l->ch.pid_sock[0] != -1)
    {
      child_pid = take_real_pid (l);
      if (child_pid <= 0)
        {
          exit_code = wait_for (-1);
          cgroup_finish (plan, &l->cgroup, limit, sizeof limit);
          return exit_code;
        }
      install_forwarding (child_pid);
    }
  report_sandbox (l, child_pid);
  if (monitor_can_leave (l))
    {
      if (l->ch.pty_sock[0] != -1)
        hand_over_terminal (l);
      return MONITOR_LEFT;
    }
  timeout_arm (plan, child_pid);

  /* The monitor needs no privilege from here on. */
  if (l->real_uid != 0 || plan->userns_fd != -1)
    (void) caps_drop_all ();

  exit_code = await_exit_code (l, child_pid);
  alarm (0);
  if (timeout_fired ())
    {
      warn_msg ("timed out after %u s (--timeout): the sandbox was told to end", plan->timeout_seconds);
      exit_code = TIMEOUT_EXIT_CODE;
    }
  else if (rlimit_that_ended (plan, exit_code, rlimit, sizeof rlimit))
    {
      warn_msg ("the command went over its limit --rlimit %s and was killed by SIG%s", rlimit, sigabbrev_np (exit_code - 128));
      snprintf (limit, sizeof limit, "rlimit %s", rlimit);
    }
  cgroup_finish (plan, &l->cgroup, limit, sizeof limit);
  if (plan->json_status_fd != -1 && command_was_executed (l))
    report_exit_code (plan->json_status_fd, exit_code, limit[0] ? limit : NULL);
  return exit_code;
}
