/* Forwarding the signals that stop or poke a job to the sandboxed command.
 *
 * They are blocked from before clone until a handler is in place, so that
 * one sent to nestbox at any moment reaches the command instead of killing
 * nestbox with its default action. */
#include <signal.h>

#include "launch.h"
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
