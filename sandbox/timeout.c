/* --timeout (timeout.h).  SIGALRM drives it in the monitor: its handler
 * only sends signals and re-arms, so it fits every way the monitor waits
 * (waitpid, or the --pty relay's poll, which it interrupts). */
#include "timeout.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* alarm() takes an unsigned int; a year is bound enough for any sandbox. */
#define TIMEOUT_MAX_SECONDS (366u * 24 * 3600)

static volatile sig_atomic_t fired;
/* A pidfd, not a pid: once the sandbox is reaped its pid may be another
 * process's, and a late alarm must not signal that one. */
static int target = -1;
/* Where an outer seccomp profile refuses pidfds (older runtimes' defaults):
 * the pid, reaped only after the alarm is cancelled in all but a tiny
 * window. */
static pid_t target_pid;
static unsigned grace_seconds;

static bool
signal_sandbox (int sig)
{
  if (target >= 0)
    return syscall (SYS_pidfd_send_signal, target, sig, NULL, 0) == 0;
  return kill (target_pid, sig) == 0;
}

static unsigned
parse_seconds (const char *arg, const char *s, bool zero_allowed)
{
  uint64_t v;

  if (!parse_uint64 (s, 10, &v) || v > TIMEOUT_MAX_SECONDS || (v == 0 && !zero_allowed))
    die ("--timeout %s: give SECONDS[:GRACE], whole seconds from 1 (GRACE from 0) up to %u", arg, TIMEOUT_MAX_SECONDS);
  return (unsigned) v;
}

void
timeout_parse (const char *arg, struct plan *plan)
{
  /* On the stack, not the heap: die() leaves by longjmp in the fuzzing
   * build, where a cleanup attribute would not run. */
  char copy[48];
  char *colon;

  if (strlen (arg) >= sizeof copy)
    die ("--timeout %s: give SECONDS[:GRACE], whole seconds from 1 (GRACE from 0) up to %u", arg, TIMEOUT_MAX_SECONDS);
  strcpy (copy, arg);
  colon = strchr (copy, ':');
  if (colon)
    *colon = '\0';
  plan->timeout_seconds = parse_seconds (arg, copy, false);
  plan->timeout_grace = colon ? parse_seconds (arg, colon + 1, true) : TIMEOUT_DEFAULT_GRACE;
}

static void
on_alarm (int sig)
{
  int saved = errno;

  (void) sig;
  /* A sandbox that ended just before the alarm did not time out. */
  if (!fired && signal_sandbox (SIGTERM))
    {
      fired = 1;
      /* alarm(0) would cancel: no grace means SIGKILL at once. */
      if (grace_seconds > 0)
        alarm (grace_seconds);
      else
        (void) signal_sandbox (SIGKILL);
    }
  else if (fired)
    (void) signal_sandbox (SIGKILL);
  errno = saved;
}

void
timeout_arm (const struct plan *plan, pid_t sandbox)
{
  struct sigaction sa = { .sa_handler = on_alarm };
  sigset_t set;

  if (plan->timeout_seconds == 0 || sandbox <= 0)
    return;
  target_pid = sandbox;
  target = (int) syscall (SYS_pidfd_open, sandbox, 0);
  grace_seconds = plan->timeout_grace;
  sigemptyset (&sa.sa_mask);
  /* No SA_RESTART: the monitor's waits see EINTR and look again. */
  sigaction (SIGALRM, &sa, NULL);
  sigemptyset (&set);
  sigaddset (&set, SIGALRM);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
  alarm (plan->timeout_seconds);
}

bool
timeout_fired (void)
{
  return fired;
}
