/* One message with at most one ancillary item over a unix socket. */
#include "sockmsg.h"

#include <string.h>
#include <sys/socket.h>

#include "util.h"

/* Room for the largest item the channels carry, aligned for its header. */
union control
{
  struct cmsghdr align;
  char buf[CMSG_SPACE (sizeof (struct ucred))];
};

int
sockmsg_send (int sock, const void *data, size_t len, int type, const void *ctl, size_t ctl_len, int flags)
{
  union control control;
  struct iovec iov = { (void *) data, len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

  if (ctl != NULL)
    {
      struct cmsghdr *c;

      if (ctl_len > sizeof (struct ucred))
        return -EINVAL;
      memset (&control, 0, sizeof control);
      msg.msg_control = control.buf;
      msg.msg_controllen = CMSG_SPACE (ctl_len);
      c = CMSG_FIRSTHDR (&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = type;
      c->cmsg_len = CMSG_LEN (ctl_len);
      memcpy (CMSG_DATA (c), ctl, ctl_len);
    }
  if (RETRY_EINTR (sendmsg (sock, &msg, flags)) < 0)
    return -errno;
  return 0;
}

ssize_t
sockmsg_recv (int sock, void *data, size_t len, int type, void *ctl, size_t ctl_len, bool *got_ctl, int flags)
{
  union control control;
  struct iovec iov = { data, len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
  struct cmsghdr *c;
  ssize_t n;

  *got_ctl = false;
  if (ctl_len > sizeof (struct ucred))
    return -EINVAL;
  n = RETRY_EINTR (recvmsg (sock, &msg, flags));
  if (n < 0)
    return -errno;
  c = CMSG_FIRSTHDR (&msg);
  if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == type && c->cmsg_len == CMSG_LEN (ctl_len))
    {
      memcpy (ctl, CMSG_DATA (c), ctl_len);
      *got_ctl = true;
    }
  return n;
}
