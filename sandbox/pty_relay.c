/* --pty, the monitor's side: relay bytes between the caller's stdin/stdout
 * and the master, with the caller's terminal in raw mode (pty_term.c),
 * follow SIGWINCH, pass on the signals nestbox gets, and wait for the
 * command's exit code meanwhile. */
#include "pty_relay.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>

#include "pty_term.h"
#include "sockmsg.h"
#include "util.h"

/* ---- the relay ------------------------------------------------------------ */

/* A pty hands out at most a few KiB per read; 64 KiB lets a stream from a
 * pipe or file go to the master in few writes. */
#define RELAY_BUF 65536

/* How much is read from the master after the command's exit: what it wrote
 * last, but not forever if something it left behind keeps writing. */
#define DRAIN_READS 256

struct relay
{
  int master;    /* -1 once the session is hung up */
  bool relaying; /* false once no slave fd is left open */
  int in_fd;     /* the caller's stdin; -1 once it ended */
  int out_fd;    /* the caller's stdout; -1 once it is gone */
  int term_fd;   /* stdin when it is a terminal (raw mode), else -1 */
  int size_fd;   /* a terminal among fds 0-2 to take the size from, or -1 */
  int sig_fd;
  int status_fd; /* the reaper's pipe, or -1: wait for child instead */
  bool has_status_pipe;
  pid_t child;
  bool finished; /* the command's exit code is known (or never will be) */
  int exit_code;
  char last_in; /* the last byte given to the master */
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
  pty_term_restore (TCSADRAIN);
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
  pty_term_restore (TCSADRAIN);
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
  bool was_raw = pty_term_is_raw ();

  pty_term_restore (TCSADRAIN);
  (void) kill (getpid (), SIGSTOP);
  if (was_raw && r->relaying)
    (void) pty_term_enter_raw (r->term_fd);
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
        (void) pty_term_enter_raw (r->term_fd);
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

/* What one turn of the relay waits for; an index is -1 when its fd is not
 * polled this turn. */
struct poll_set
{
  struct pollfd p[5];
  int n, i_in, i_master, i_out, i_sig, i_status;
};

static int
poll_add (struct poll_set *s, int fd, short events)
{
  s->p[s->n] = (struct pollfd){ .fd = fd, .events = events };
  return s->n++;
}

static void
build_poll_set (const struct relay *r, struct poll_set *s)
{
  short master_events = (short) ((r->out_len == 0 ? POLLIN : 0) | (r->in_len > 0 ? POLLOUT : 0));

  s->n = 0;
  s->i_in = s->i_master = s->i_out = s->i_status = -1;
  if (r->in_fd >= 0 && r->in_len == 0 && r->master >= 0 && r->relaying)
    s->i_in = poll_add (s, r->in_fd, POLLIN);
  /* Not read while our output waits: the sandbox's writes block in the pty
   * meanwhile, as on a terminal that scrolls slowly. */
  if (r->master >= 0 && r->relaying && master_events != 0)
    s->i_master = poll_add (s, r->master, master_events);
  if (r->out_fd >= 0 && r->out_len > 0)
    s->i_out = poll_add (s, r->out_fd, POLLOUT);
  s->i_sig = poll_add (s, r->sig_fd, POLLIN);
  if (r->status_fd >= 0)
    s->i_status = poll_add (s, r->status_fd, POLLIN);
}

/* Each handler checks again that its fd is still wanted: an earlier one of
 * the same turn (a signal, a hang-up) may have let it go. */
static int
handle_events (struct relay *r, const struct poll_set *s)
{
  const struct pollfd *p = s->p;

  if (p[s->i_sig].revents)
    {
      int err = read_signals (r);
      if (err < 0)
        return err;
    }
  if (s->i_master >= 0 && (p[s->i_master].revents & (POLLIN | POLLHUP | POLLERR)))
    (void) read_output (r);
  if (s->i_master >= 0 && (p[s->i_master].revents & POLLOUT))
    write_input (r);
  if (s->i_out >= 0 && r->out_fd >= 0 && r->out_len > 0 && p[s->i_out].revents)
    write_output (r);
  if (s->i_in >= 0 && r->in_fd >= 0 && r->in_len == 0 && p[s->i_in].revents)
    read_input (r);
  if (s->i_status >= 0 && p[s->i_status].revents)
    read_status (r);
  return 0;
}

static int
relay_loop (struct relay *r)
{
  while (!r->finished)
    {
      struct poll_set s;
      int err;

      build_poll_set (r, &s);
      if (poll (s.p, (nfds_t) s.n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      err = handle_events (r, &s);
      if (err < 0)
        return err;
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

/* Static: two 64 KiB buffers have no place on the monitor's stack. */
static struct relay relay;

static void
relay_init (struct relay *r, int master, int status_fd, pid_t child)
{
  *r = (struct relay){
    .master = master,
    .relaying = true,
    .in_fd = STDIN_FILENO,
    .out_fd = STDOUT_FILENO,
    .term_fd = -1,
    .size_fd = -1,
    .sig_fd = -1,
    .status_fd = status_fd,
    .has_status_pipe = status_fd >= 0,
    .child = child,
    .exit_code = -1,
  };
  for (int fd = STDERR_FILENO; fd >= STDIN_FILENO; fd--)
    if (isatty (fd))
      r->size_fd = fd;
  if (isatty (STDIN_FILENO))
    r->term_fd = STDIN_FILENO;
}

/* From here on signals are events of the loop: the terminal's state is
 * changed in one place only.  Blocks the signals the relay handles (the
 * mask before goes to *old) and returns a signalfd that reads them, or
 * -errno with the mask as it was. */
static int
signals_as_events (sigset_t *old)
{
  static const int handled[] = {
    SIGINT,
    SIGQUIT,
    SIGTERM,
    SIGHUP,
    SIGUSR1,
    SIGUSR2,
    SIGWINCH,
    SIGCONT,
    SIGTSTP,
    SIGCHLD,
  };
  sigset_t set;
  int fd;

  sigemptyset (&set);
  for (size_t i = 0; i < N_ELEMENTS (handled); i++)
    sigaddset (&set, handled[i]);
  sigprocmask (SIG_BLOCK, &set, old);
  fd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0)
    {
      int err = -errno;

      sigprocmask (SIG_SETMASK, old, NULL);
      return err;
    }
  return fd;
}

static void
relay_start (struct relay *r)
{
  /* Without raw mode (a terminal that refuses it) the relay still works;
   * keys are then cooked twice. */
  if (r->term_fd >= 0)
    (void) pty_term_enter_raw (r->term_fd);
  follow_window_size (r);
  /* A command that ended before the signalfd existed sent its SIGCHLD to
   * the default (ignoring) action. */
  if (!r->has_status_pipe)
    reap (r);
}

int
pty_monitor (int sock, int status_fd, pid_t child, int *exit_code)
{
  struct relay *r = &relay;
  sigset_t old;
  int master = -1, sig_fd, err;

  *exit_code = -1;
  err = receive_master (sock, &master);
  close (sock);
  if (err == -ENODATA)
    return 0;
  if (err < 0)
    return err;
  relay_init (r, master, status_fd, child);
  /* Only the master is ours alone: the caller's stdin and stdout stay
   * blocking, since O_NONBLOCK would also change them for everyone who
   * shares them (the caller's shell, after we are gone). */
  if (fcntl (master, F_SETFL, O_NONBLOCK) < 0)
    {
      err = -errno;
      close (master);
      return err;
    }
  sig_fd = signals_as_events (&old);
  if (sig_fd < 0)
    {
      close (master);
      return sig_fd;
    }
  r->sig_fd = sig_fd;
  relay_start (r);

  err = relay_loop (r);

  pty_term_restore (TCSADRAIN);
  if (r->master >= 0)
    close (r->master);
  close (r->sig_fd);
  sigprocmask (SIG_SETMASK, &old, NULL);
  *exit_code = r->exit_code;
  return err;
}
