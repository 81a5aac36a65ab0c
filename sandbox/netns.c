/* The network namespace, made beside the root instead of before it.
 *
 * Creating a network namespace is the most expensive step of a sandbox's
 * start (the kernel initialises every protocol for it).  When nobody needs
 * its id up front (--info-fd, --json-status-fd), a helper process creates
 * it and brings up loopback while the sandbox builds its root on the other
 * core; the sandbox then joins it with setns. */
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "net.h"
#include "sockmsg.h"
#include "util.h"

static void
send_result (int sock, int err, int ns_fd)
{
  (void) sockmsg_send (sock, &err, sizeof err, SCM_RIGHTS, ns_fd >= 0 ? &ns_fd : NULL, sizeof ns_fd, MSG_NOSIGNAL);
}

static _Noreturn void
helper_main (int sock, int proc_fd)
{
  int ns_fd = -1, err = 0;

  if (unshare (CLONE_NEWNET) != 0)
    err = errno;
  else if ((err = -net_loopback_up ()) == 0)
    {
      /* "self" in the caller's procfs is whoever looks: this helper. */
      ns_fd = openat (proc_fd, "thread-self/ns/net", O_RDONLY | O_CLOEXEC);
      if (ns_fd < 0)
        err = errno;
    }
  send_result (sock, err, ns_fd);
  _exit (err ? 1 : 0);
}

int
netns_helper_start (struct netns_helper *h, int proc_fd)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return -errno;
  h->pid = fork ();
  if (h->pid < 0)
    {
      int err = errno;
      close (sv[0]);
      close (sv[1]);
      return -err;
    }
  if (h->pid == 0)
    {
      close (sv[0]);
      /* Never outlive the sandbox being built. */
      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      helper_main (sv[1], proc_fd);
    }
  close (sv[1]);
  h->sock = sv[0];
  return 0;
}

int
netns_helper_join (struct netns_helper *h, const char **step)
{
  int err = EIO, ns_fd = -1;
  bool got_fd;
  ssize_t n = sockmsg_recv (h->sock, &err, sizeof err, SCM_RIGHTS, &ns_fd, sizeof ns_fd, &got_fd, MSG_CMSG_CLOEXEC);

  close (h->sock);
  *step = "Creating new network namespace failed";
  if (n != (ssize_t) sizeof err)
    return -EIO;
  if (err != 0)
    return -err;
  if (!got_fd)
    return -EIO;
  *step = "Joining the new network namespace failed";
  if (setns (ns_fd, CLONE_NEWNET) != 0)
    {
      err = errno;
      close (ns_fd);
      return -err;
    }
  close (ns_fd);
  return 0;
}

void
netns_helper_reap (pid_t pid)
{
  int status;

  if (pid > 0)
    (void) RETRY_EINTR (waitpid (pid, &status, 0));
}
