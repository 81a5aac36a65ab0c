/* Forwarding the signals that stop or poke a job to the sandboxed command.
 *
 * They are blocked from before clone until a handler is in place, so that
 * one sent to nestbox at any moment reaches the command instead of killing
 * nestbox with its default action. */
#include "signals.h"

#include <signal.h>

#include "util.h"

static volatile pid_t forward_to;

/* The signals a terminal or a supervisor sends to stop or poke a job. */
static const int forwarded_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void
forward_signal (int sig)
{
  /* kill() fails with ESRCH once the target is gone: the code this handler
   * interrupted may be about to read errno (an EINTR check). */
  int saved = errno;

  if (forward_to > 0)
    kill (forward_to, sig);
  errno = saved;
}

static void
kill_target (int sig)
{
  int saved = errno;

  (void) sig;
  if (forward_to > 0)
    kill (forward_to, SIGKILL);
  errno = saved;
}

void
kill_target_on (int sig)
{
  struct sigaction sa = { .sa_handler = kill_target };
  sigset_t set;

  sigemptyset (&sa.sa_mask);
  sigaction (sig, &sa, NULL);
  sigemptyset (&set);
  sigaddset (&set, sig);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

void
block_signal (int sig)
{
  sigset_t set;

  sigemptyset (&set);
  sigaddset (&set, sig);
  sigprocmask (SIG_BLOCK, &set, NULL);
}

static void
forwarded_set (sigset_t *set)
{
  sigemptyset (set);
  for (size_t i = 0; i < N_ELEMENTS (forwarded_signals); i++)
    sigaddset (set, forwarded_signals[i]);
}

void
block_forwarded_signals (void)
{
  sigset_t set;

  forwarded_set (&set);
  sigprocmask (SIG_BLOCK, &set, NULL);
}

void
install_forwarding (pid_t target)
{
  struct sigaction sa = { .sa_handler = forward_signal };
  sigset_t set;

  forward_to = target;
  sigemptyset (&sa.sa_mask);
  /* No SA_RESTART: blocking waits return EINTR and are retried. */
  for (size_t i = 0; i < N_ELEMENTS (forwarded_signals); i++)
    sigaction (forwarded_signals[i], &sa, NULL);
  forwarded_set (&set);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

/* During set-up there is no command yet to forward to: a signal that asks
 * a job to end ends the sandbox (128+signal, as if the command had died of
 * it), so that a set-up stuck on a slow or hostile file system (a FIFO
 * planted where a file is expected) stays killable.  A handler, not the
 * default action: pid 1 of a pid namespace ignores default-action signals
 * from outside.  The rest, and those the caller made us ignore, stay
 * blocked, for the command. */
static void
end_setup (int sig)
{
  _exit (128 + sig);
}

void
end_on_signals_during_setup (void)
{
  static const int ending[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
  struct sigaction sa = { .sa_handler = end_setup };
  sigset_t set;

  sigemptyset (&sa.sa_mask);
  sigemptyset (&set);
  for (size_t i = 0; i < N_ELEMENTS (ending); i++)
    {
      struct sigaction old;

      /* Ignored by the caller's choice (nohup): no reason to end. */
      if (sigaction (ending[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      sigaction (ending[i], &sa, NULL);
      sigaddset (&set, ending[i]);
    }
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}
