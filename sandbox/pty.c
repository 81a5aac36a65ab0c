/* --pty: a terminal of the sandbox's own.
 *
 * Why: a command that holds the caller's terminal can push input into it
 * (TIOCSTI, where the kernel still allows it) and read or reconfigure it;
 * bwrap's --new-session prevents that by taking the terminal away, and with
 * it job control and /dev/tty.  A pseudo-terminal of its own gives the
 * command both, and nothing of the caller's: TIOCSTI on it only queues
 * input for the sandbox itself.
 *
 * Who does what:
 *  - the sandbox side opens the master from the devpts the command will see
 *    (the sandbox's own with --dev, the caller's otherwise), gives it the
 *    caller's modes and window size, and sends it to the monitor over a
 *    socketpair made before clone (SCM_RIGHTS: the sandbox's devpts cannot
 *    be reached from outside);
 *  - the command leads a new session whose controlling terminal is the
 *    slave, on fds 0, 1 and 2;
 *  - the monitor relays bytes between the caller's stdin/stdout and the
 *    master, with the caller's terminal in raw mode (so ^C, ^Z and friends
 *    reach the sandbox's line discipline as bytes), follows SIGWINCH, and
 *    restores the caller's modes on every way out. */
#include "pty.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>

#include "launch.h"
#include "sockmsg.h"
#include "util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

/* ---- before clone ---------------------------------------------------------- */

int
pty_launch_prepare (int sock[2])
{
  /* The relay reads fd 0 and writes fd 1 of the monitor.  A number the
   * caller left closed must not go to one of our pipes (the relay would
   * take the reaper's status for keyboard input): /dev/null holds it, an
   * empty input and a discarded output.  In order, so that open() takes
   * exactly the closed number. */
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        int n = RETRY_EINTR (open ("/dev/null", O_RDWR));

        if (n < 0)
          return -errno;
        if (n != fd)
          {
            close (n);
            return -EBADF;
          }
      }
  /* The master may come from the sandbox's devpts, which only the sandbox
   * can reach: it is passed out over this socket. */
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
    return -errno;
  return 0;
}

/* ---- sandbox side -------------------------------------------------------- */

/* fds 0-2 are about to be replaced by the slave: keep ours above them even
 * when the caller started us with one of them closed. */
static int
move_above_stdio (int *fd)
{
  int n;

  if (*fd > STDERR_FILENO)
    return 0;
  n = fcntl (*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (n < 0)
    return -errno;
  close (*fd);
  *fd = n;
  return 0;
}

/* The devpts of the last --dev: a later mount on the same place covers an
 * earlier one, so the last is the one the command sees. */
static const char *
own_dev_dest (const struct plan *plan)
{
  const char *dest = NULL;

  for (size_t i = 0; i < plan->n_ops; i++)
    if (plan->ops[i].type == OP_DEV)
      dest = plan->ops[i].dest;
  return dest;
}

/* The new terminal starts as the caller's: same erase character, UTF-8
 * input flag and line width.  Best effort: a caller without a terminal gets
 * the kernel's defaults, as with script(1). */
static void
copy_caller_terminal (int master)
{
  struct termios modes;
  struct winsize size;

  if (tcgetattr (STDIN_FILENO, &modes) == 0)
    (void) tcsetattr (master, TCSANOW, &modes);
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (ioctl (fd, TIOCGWINSZ, &size) == 0)
      {
        (void) ioctl (master, TIOCSWINSZ, &size);
        break;
      }
}

static int
open_slave (int master, int *out)
{
  _cleanup_close_ int slave = -1;
  int r;

  /* TIOCGPTPEER opens the slave through the master's own devpts mount, with
   * no path lookup that a mount could redirect. */
  slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0 && (errno == EINVAL || errno == ENOTTY))
    {
      char name[64];

      /* Kernels before 4.13: by name, in the devpts at /dev/pts. */
      if (ptsname_r (master, name, sizeof name) != 0)
        return -errno;
      slave = RETRY_EINTR (open (name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    }
  if (slave < 0)
    return -errno;
  r = move_above_stdio (&slave);
  if (r < 0)
    return r;
  *out = take_fd (&slave);
  return 0;
}

/* The slave is opened here too, at once: the caller's devpts cannot be
 * reached by any means (not even TIOCGPTPEER) once the caller's root has
 * been detached. */
static int
open_pty (const char *ptmx, int fds[2])
{
  _cleanup_close_ int master = -1, slave = -1;
  int unlock = 0, r;

  master = RETRY_EINTR (open (ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (master < 0)
    return -errno;
  if (!isatty (master))
    return -ENOTTY;
  /* The slave cannot be opened while locked (unlockpt). */
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return -errno;
  r = move_above_stdio (&master);
  if (r == 0)
    r = open_slave (master, &slave);
  if (r < 0)
    return r;
  copy_caller_terminal (master);
  fds[0] = take_fd (&master);
  fds[1] = take_fd (&slave);
  return 0;
}

/* Without --dev the slave was opened in the caller's tree, which the
 * sandbox no longer reaches: its name there means nothing inside.  Where
 * the sandbox shows the caller's /dev/pts (--dev-bind /dev /dev), take the
 * same slave again through that path, so that tty(1) and ttyname() find
 * it.  Best effort: otherwise the command has a terminal without a name. */
static void
reopen_by_visible_name (int fds[2])
{
  _cleanup_close_ int fd = -1;
  struct stat seen, ours;
  char name[64];

  if (ptsname_r (fds[0], name, sizeof name) != 0)
    return;
  fd = RETRY_EINTR (open (name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (fd < 0 || fstat (fd, &seen) < 0 || fstat (fds[1], &ours) < 0)
    return;
  /* The very same inode, not a namesake in another devpts. */
  if (seen.st_dev != ours.st_dev || seen.st_ino != ours.st_ino || move_above_stdio (&fd) < 0)
    return;
  close (fds[1]);
  fds[1] = take_fd (&fd);
}

static int
send_master (int sock, int master)
{
  char byte = 't';

  return sockmsg_send (sock, &byte, 1, SCM_RIGHTS, &master, sizeof master, MSG_NOSIGNAL);
}

void
pty_sandbox_setup (const struct plan *plan, bool root_ready, int *sock, int fds[2])
{
  const char *dev = own_dev_dest (plan);
  _cleanup_free_ char *ptmx = NULL;
  int r;

  /* Without --dev the sandbox has no devpts of its own: use the caller's,
   * which is only reachable before the root changes.  The command still
   * gets a terminal that is not the caller's, which is what keeps TIOCSTI
   * and job control apart; only the slave's name lives in the caller's
   * /dev/pts instead of the sandbox's. */
  if (plan->pty && root_ready && dev == NULL && fds[1] >= 0)
    reopen_by_visible_name (fds);
  if (!plan->pty || fds[0] >= 0 || (dev != NULL) != root_ready)
    return;
  ptmx = dev ? xasprintf ("%s/pts/ptmx", dev) : xstrdup ("/dev/ptmx");
  r = open_pty (ptmx, fds);
  if (r == 0)
    r = send_master (*sock, fds[0]);
  if (r < 0)
    {
      error_msg ("--pty: Can't open a pseudo-terminal at %s%s: %s", ptmx,
                 dev ? " in the sandbox" : "", strerror (-r));
      if (r == -EACCES)
        remedy_msg ("a security module refused it (on SELinux nodes see docs/selinux.md: container_t may not use a devpts of its own without nestbox's policy module)");
      else if (dev && r == -ENOENT)
        remedy_msg ("an option after --dev %s covers its devpts (%s/pts); give --pty a --dev that stays visible", dev, dev);
      else if (!dev)
        remedy_msg ("add --dev /dev: the sandbox then gets a devpts of its own for the terminal");
      _exit (1);
    }
  close (*sock);
  *sock = -1;
}

int
pty_slave_as_stdio (int fds[2])
{
  /* Nothing in the sandbox keeps the master: the monitor's copy is the only
   * one, so the session is hung up when the monitor goes.  pid 1 keeps no
   * fd of the caller's terminal either: a command with the same uid in the
   * same user namespace could otherwise open it again through /proc/1/fd/0,
   * and read or type into the caller's session.  pid 1's errors, such as a
   * lock file it cannot take, are then relayed like the command's. */
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (dup2 (fds[1], fd) < 0)
      return -errno;
  close (fds[0]);
  close (fds[1]);
  fds[0] = fds[1] = -1;
  return 0;
}

int
pty_take_controlling_terminal (void)
{
  /* A new session (as --new-session) that the slave then becomes the
   * controlling terminal of: the caller's terminal is no longer ours.  pid
   * 1 does not take it: the command's session leads the terminal. */
  if (getsid (0) != getpid () && setsid () == (pid_t) -1)
    return -errno;
  if (ioctl (STDIN_FILENO, TIOCSCTTY, 0) < 0)
    return -errno;
  return 0;
}

/* ---- the caller's terminal ------------------------------------------------ */

/* Read by the fatal-signal handler, hence static and sig_atomic_t. */
static struct termios saved_modes;
static volatile sig_atomic_t raw_fd = -1;
static bool have_saved_modes;

/* Async-signal-safe.  SIGTTOU is blocked around it: a nestbox moved to the
 * background must still put the terminal back rather than stop. */
static void
restore_terminal (int when)
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

/* A crash must not leave the caller's terminal raw either. */
static void
restore_and_die (int sig)
{
  restore_terminal (TCSANOW);
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

static int
enter_raw_mode (int fd)
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

/* ---- the relay ------------------------------------------------------------ */

/* A pty hands out at most a few KiB per read; 64 KiB lets a stream from a
 * pipe or file go to the master in few writes. */
#define RELAY_BUF 65536

/* How much is read from the master after the command's exit: what it wrote
 * last, but not forever if something it left behind keeps writing. */
#define DRAIN_READS 256

struct relay
{
  int master;          /* -1 once the session is hung up */
  bool relaying;       /* false once no slave fd is left open */
  int in_fd;           /* the caller's stdin; -1 once it ended */
  int out_fd;          /* the caller's stdout; -1 once it is gone */
  int term_fd;         /* stdin when it is a terminal (raw mode), else -1 */
  int size_fd;         /* a terminal among fds 0-2 to take the size from, or -1 */
  int sig_fd;
  int status_fd;       /* the reaper's pipe, or -1: wait for child instead */
  bool has_status_pipe;
  pid_t child;
  bool finished;       /* the command's exit code is known (or never will be) */
  int exit_code;
  char last_in;        /* the last byte given to the master */
  size_t in_len, in_off;
  size_t out_len, out_off;
  char in_buf[RELAY_BUF];
  char out_buf[RELAY_BUF];
};

static void
follow_window_size (const struct relay *r)
{
  struct winsize size;

  /* TIOCSWINSZ on the master sets the slave's size and sends SIGWINCH to
   * its foreground job. */
  if (r->size_fd >= 0 && r->master >= 0 && ioctl (r->size_fd, TIOCGWINSZ, &size) == 0)
    (void) ioctl (r->master, TIOCSWINSZ, &size);
}

/* As when a terminal goes away: closing the master makes the kernel hang up
 * the slave, which sends SIGHUP to the sandbox's session leader and its
 * foreground job.  The relay keeps waiting for the exit code. */
static void
hang_up (struct relay *r)
{
  restore_terminal (TCSADRAIN);
  if (r->master >= 0)
    close (r->master);
  r->master = -1;
  r->relaying = false;
  r->in_fd = -1;
  r->in_len = r->in_off = 0;
  /* Nor is what the sandbox wrote still wanted. */
  r->out_len = r->out_off = 0;
}

/* A stream on stdin ended: the command gets an end of file as if typed,
 * which a program reading the terminal in canonical mode sees as a read of
 * 0 bytes.  An unfinished last line needs one VEOF to be delivered and a
 * second for the end of file itself.  In non-canonical mode there is no
 * such thing; the command ends on its own. */
static void
queue_end_of_file (struct relay *r)
{
  struct termios modes;
  cc_t eof;

  r->in_fd = -1;
  if (r->master < 0 || tcgetattr (r->master, &modes) < 0 || !(modes.c_lflag & ICANON))
    return;
  eof = modes.c_cc[VEOF];
  if (eof == _POSIX_VDISABLE)
    return;
  r->in_len = 0;
  r->in_off = 0;
  if (r->last_in != 0 && r->last_in != '\n' && r->last_in != (char) eof)
    r->in_buf[r->in_len++] = (char) eof;
  r->in_buf[r->in_len++] = (char) eof;
}

/* A reader of our output that went away is a terminal that went away
 * (SIGPIPE is ignored in the monitor). */
static void
output_gone (struct relay *r)
{
  r->out_fd = -1;
  r->out_len = r->out_off = 0;
  hang_up (r);
}

/* Called when stdout polls writable.  stdout stays in blocking mode (see
 * pty_monitor), so at most PIPE_BUF bytes: what a pipe that has room takes
 * without blocking.  A stalled reader then never keeps signals (SIGTERM)
 * from being handled. */
static void
write_output (struct relay *r)
{
  size_t len = r->out_len - r->out_off;
  ssize_t n;

  if (len > PIPE_BUF)
    len = PIPE_BUF;
  n = write (r->out_fd, r->out_buf + r->out_off, len);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0)
    {
      output_gone (r);
      return;
    }
  r->out_off += (size_t) n;
  if (r->out_off == r->out_len)
    r->out_len = r->out_off = 0;
}

static int read_signals (struct relay *r);

/* The end: write out whatever is left, for as long as the reader takes,
 * unless nestbox is told to end meanwhile (SIGTERM, SIGHUP: hang_up drops
 * the rest). */
static void
flush_output (struct relay *r)
{
  while (r->out_len > 0 && r->out_fd >= 0)
    {
      struct pollfd p[2] = {
        { .fd = r->out_fd, .events = POLLOUT },
        { .fd = r->sig_fd, .events = POLLIN },
      };

      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (p[1].revents && read_signals (r) < 0)
        break;
      if (p[0].revents && r->out_len > 0 && r->out_fd >= 0)
        write_output (r);
    }
  r->out_len = r->out_off = 0;
}

/* No slave fd is open any more: the command and everything it started
 * have let go of the terminal.  Nothing is left to relay, but the master
 * stays open: closing it now would hang up the slave and send SIGHUP to a
 * command that closed its terminal only on its way out (cat does). */
static void
stop_relaying (struct relay *r)
{
  restore_terminal (TCSADRAIN);
  r->relaying = false;
  r->in_fd = -1;
  r->in_len = r->in_off = 0;
}

/* Returns true when something was read. */
static bool
read_output (struct relay *r)
{
  ssize_t n;

  if (r->master < 0 || !r->relaying || r->out_len > 0)
    return false;
  n = read (r->master, r->out_buf, sizeof r->out_buf);
  if (n > 0)
    {
      /* With nobody to read it, output is dropped. */
      if (r->out_fd >= 0)
        r->out_len = (size_t) n;
      return true;
    }
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return false;
  if (n < 0 && errno == EIO)
    stop_relaying (r);
  else
    hang_up (r);
  return false;
}

static void
write_input (struct relay *r)
{
  while (r->master >= 0 && r->relaying && r->in_off < r->in_len)
    {
      ssize_t n = write (r->master, r->in_buf + r->in_off, r->in_len - r->in_off);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            return; /* the sandbox reads slower than we get input: POLLOUT */
          if (errno == EIO)
            stop_relaying (r);
          else
            hang_up (r);
          return;
        }
      r->in_off += (size_t) n;
      r->last_in = r->in_buf[r->in_off - 1];
    }
  r->in_len = r->in_off = 0;
}

static void
read_input (struct relay *r)
{
  ssize_t n = read (r->in_fd, r->in_buf, sizeof r->in_buf);

  if (n > 0)
    {
      r->in_len = (size_t) n;
      r->in_off = 0;
    }
  else if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  /* A terminal in raw mode reads 0 bytes or EIO only once hung up: hang up
   * the sandbox's session in turn.  A stream's end is an end of file. */
  else if (r->term_fd >= 0)
    hang_up (r);
  else
    queue_end_of_file (r);
  write_input (r);
}

static void
read_status (struct relay *r)
{
  int code;
  ssize_t n = read (r->status_fd, &code, sizeof code);

  if (n < 0 && errno == EINTR)
    return;
  /* Without a code the reaper went away: the monitor's waitpid tells. */
  if (n == (ssize_t) sizeof code)
    r->exit_code = code;
  r->status_fd = -1;
  r->finished = true;
}

static void
reap (struct relay *r)
{
  for (;;)
    {
      int status;
      pid_t got = waitpid (-1, &status, WNOHANG);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          r->finished = errno == ECHILD;
          return;
        }
      if (got == 0)
        return;
      /* With --pidns the intermediate processes reach us too. */
      if (got == r->child)
        {
          r->exit_code = exit_code_from_status (status);
          r->finished = true;
          return;
        }
    }
}

/* SIGTSTP sent to nestbox: give the terminal back before stopping, as any
 * full-screen program does, and take it again once continued. */
static void
suspend (struct relay *r)
{
  bool was_raw = raw_fd >= 0;

  restore_terminal (TCSADRAIN);
  (void) kill (getpid (), SIGSTOP);
  if (was_raw && r->relaying)
    (void) enter_raw_mode (r->term_fd);
  follow_window_size (r);
}

static void
handle_signal (struct relay *r, int sig)
{
  switch (sig)
    {
    case SIGWINCH:
      follow_window_size (r);
      break;
    case SIGCHLD:
      if (!r->has_status_pipe)
        reap (r);
      break;
    case SIGCONT:
      /* Whoever stopped us may have reset the terminal (shells do). */
      if (r->term_fd >= 0 && r->relaying)
        (void) enter_raw_mode (r->term_fd);
      follow_window_size (r);
      break;
    case SIGTSTP:
      suspend (r);
      break;
    case SIGINT:
    case SIGQUIT:
      /* Sent to nestbox (keys typed in raw mode arrive as bytes): do what
       * the key would do, to the sandbox's foreground job. */
      if (r->master < 0 || ioctl (r->master, TIOCSIG, sig) < 0)
        (void) kill (r->child, sig);
      break;
    case SIGTERM:
    case SIGHUP:
      /* nestbox is told to end: the command gets the signal, as without
       * --pty, and its session is hung up, as when a terminal closes (an
       * interactive shell ignores SIGTERM but not a hang-up). */
      (void) kill (r->child, sig);
      hang_up (r);
      break;
    default:
      (void) kill (r->child, sig);
      break;
    }
}

static int
read_signals (struct relay *r)
{
  for (;;)
    {
      struct signalfd_siginfo info;
      ssize_t n = read (r->sig_fd, &info, sizeof info);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return 0;
      if (n != (ssize_t) sizeof info)
        return n < 0 ? -errno : -EIO;
      handle_signal (r, (int) info.ssi_signo);
    }
}

/* What the command wrote just before it ended may still be in the pty. */
static void
drain_output (struct relay *r)
{
  for (int i = 0; i < DRAIN_READS; i++)
    {
      flush_output (r);
      if (!read_output (r))
        break;
    }
  flush_output (r);
}

static int
relay_loop (struct relay *r)
{
  while (!r->finished)
    {
      struct pollfd p[5];
      int n = 0, i_in = -1, i_master = -1, i_out = -1, i_sig, i_status = -1;
      short master_events = (short) ((r->out_len == 0 ? POLLIN : 0) | (r->in_len > 0 ? POLLOUT : 0));

      if (r->in_fd >= 0 && r->in_len == 0 && r->master >= 0 && r->relaying)
        {
          p[n] = (struct pollfd) { .fd = r->in_fd, .events = POLLIN };
          i_in = n++;
        }
      /* Not read while our output waits: the sandbox's writes block in
       * the pty meanwhile, as on a terminal that scrolls slowly. */
      if (r->master >= 0 && r->relaying && master_events != 0)
        {
          p[n] = (struct pollfd) { .fd = r->master, .events = master_events };
          i_master = n++;
        }
      if (r->out_fd >= 0 && r->out_len > 0)
        {
          p[n] = (struct pollfd) { .fd = r->out_fd, .events = POLLOUT };
          i_out = n++;
        }
      p[n] = (struct pollfd) { .fd = r->sig_fd, .events = POLLIN };
      i_sig = n++;
      if (r->status_fd >= 0)
        {
          p[n] = (struct pollfd) { .fd = r->status_fd, .events = POLLIN };
          i_status = n++;
        }

      if (poll (p, (nfds_t) n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (p[i_sig].revents)
        {
          int err = read_signals (r);
          if (err < 0)
            return err;
        }
      if (i_master >= 0 && (p[i_master].revents & (POLLIN | POLLHUP | POLLERR)))
        (void) read_output (r);
      if (i_master >= 0 && (p[i_master].revents & POLLOUT))
        write_input (r);
      if (i_out >= 0 && r->out_fd >= 0 && r->out_len > 0 && p[i_out].revents)
        write_output (r);
      if (i_in >= 0 && r->in_fd >= 0 && r->in_len == 0 && p[i_in].revents)
        read_input (r);
      if (i_status >= 0 && p[i_status].revents)
        read_status (r);
    }
  drain_output (r);
  return 0;
}

static int
receive_master (int sock, int *master)
{
  char byte;
  bool got;
  ssize_t n = sockmsg_recv (sock, &byte, 1, SCM_RIGHTS, master, sizeof *master, &got, MSG_CMSG_CLOEXEC);

  if (n < 0)
    return (int) n;
  if (n == 0)
    return -ENODATA; /* the sandbox ended before it had a terminal */
  if (!got)
    return -EPROTO;
  return 0;
}

static struct relay relay;

int
pty_monitor (int sock, int status_fd, pid_t child, int *exit_code)
{
  struct relay *r = &relay;
  static const int handled[] = {
    SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP, SIGCHLD,
  };
  sigset_t set, old;
  int master = -1, err;

  *exit_code = -1;
  err = receive_master (sock, &master);
  close (sock);
  if (err == -ENODATA)
    return 0;
  if (err < 0)
    return err;

  *r = (struct relay) {
    .master = master, .relaying = true, .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO,
    .term_fd = -1, .size_fd = -1, .sig_fd = -1,
    .status_fd = status_fd, .has_status_pipe = status_fd >= 0,
    .child = child, .exit_code = -1,
  };
  for (int fd = STDERR_FILENO; fd >= STDIN_FILENO; fd--)
    if (isatty (fd))
      r->size_fd = fd;
  if (isatty (STDIN_FILENO))
    r->term_fd = STDIN_FILENO;
  /* Only the master is ours alone: the caller's stdin and stdout stay
   * blocking, since O_NONBLOCK would also change them for everyone who
   * shares them (the caller's shell, after we are gone). */
  if (fcntl (master, F_SETFL, O_NONBLOCK) < 0)
    {
      err = -errno;
      close (master);
      return err;
    }

  /* From here on signals are events of the loop: the terminal's state is
   * changed in one place only. */
  sigemptyset (&set);
  for (size_t i = 0; i < N_ELEMENTS (handled); i++)
    sigaddset (&set, handled[i]);
  sigprocmask (SIG_BLOCK, &set, &old);
  r->sig_fd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (r->sig_fd < 0)
    {
      err = -errno;
      sigprocmask (SIG_SETMASK, &old, NULL);
      close (master);
      return err;
    }

  /* Without raw mode (a terminal that refuses it) the relay still works;
   * keys are then cooked twice. */
  if (r->term_fd >= 0)
    (void) enter_raw_mode (r->term_fd);
  follow_window_size (r);
  /* A command that ended before the signalfd existed sent its SIGCHLD to
   * the default (ignoring) action. */
  if (!r->has_status_pipe)
    reap (r);

  err = relay_loop (r);

  restore_terminal (TCSADRAIN);
  if (r->master >= 0)
    close (r->master);
  close (r->sig_fd);
  sigprocmask (SIG_SETMASK, &old, NULL);
  *exit_code = r->exit_code;
  return err;
}
