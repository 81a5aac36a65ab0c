/* --pty: the caller's terminal in raw mode, so that ^C, ^Z and friends
 * reach the sandbox's line discipline as bytes, and its modes restored on
 * every way out, a crash of the monitor included. */
#include "pty_term.h"

#include <signal.h>
#include <termios.h>

#include "util.h"

/* Read by the fatal-signal handler, hence static and sig_atomic_t. */
static struct termios saved_modes;
static volatile sig_atomic_t raw_fd = -1;
static bool have_saved_modes;

/* Async-signal-safe.  SIGTTOU is blocked around it: a nestbox moved to the
 * background must still put the terminal back rather than stop. */
void
pty_term_restore (int when)
{
  int fd = raw_fd;
  sigset_t ttou, old;

  if (fd < 0)
    return;
  sigemptyset (&ttou);
  sigaddset (&ttou, SIGTTOU);
  sigprocmask (SIG_BLOCK, &ttou, &old);
  /* Nothing more can be done if the terminal is gone (EIO). */
  (void) tcsetattr (fd, when, &saved_modes);
  sigprocmask (SIG_SETMASK, &old, NULL);
  raw_fd = -1;
}

bool
pty_term_is_raw (void)
{
  return raw_fd >= 0;
}

/* A crash must not leave the caller's terminal raw either. */
static void
restore_and_die (int sig)
{
  pty_term_restore (TCSANOW);
  /* SA_RESETHAND: the default action runs on return or on this raise. */
  raise (sig);
}

static void
install_fatal_handlers (void)
{
  static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
  struct sigaction sa = { .sa_handler = restore_and_die, .sa_flags = SA_RESETHAND | SA_NODEFER };

  sigemptyset (&sa.sa_mask);
  for (size_t i = 0; i < N_ELEMENTS (fatal); i++)
    (void) sigaction (fatal[i], &sa, NULL);
}

int
pty_term_enter_raw (int fd)
{
  struct termios raw;

  if (!have_saved_modes)
    {
      if (tcgetattr (fd, &saved_modes) < 0)
        return -errno;
      have_saved_modes = true;
      install_fatal_handlers ();
    }
  raw = saved_modes;
  /* No echo, no line editing, no signals from keys, no output processing:
   * the sandbox's own line discipline does all of that once, on its side. */
  cfmakeraw (&raw);
  raw_fd = fd;
  if (RETRY_EINTR (tcsetattr (fd, TCSADRAIN, &raw)) < 0)
    {
      raw_fd = -1;
      return -errno;
    }
  return 0;
}
