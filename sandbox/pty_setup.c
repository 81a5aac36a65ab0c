/* --pty, the sandbox's side: open a pseudo-terminal from the devpts the
 * command will see (the sandbox's own with --dev, the caller's otherwise),
 * give it the caller's modes and window size, and send the master to the
 * monitor over a socketpair made before clone (SCM_RIGHTS: the sandbox's
 * devpts cannot be reached from outside).  The command then leads a new
 * session whose controlling terminal is the slave, on fds 0, 1 and 2. */
#include "pty_setup.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>

#include "sockmsg.h"
#include "util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

/* ---- before clone ---------------------------------------------------------- */

int
pty_launch_prepare (void)
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
