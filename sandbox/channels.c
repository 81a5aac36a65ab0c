/* Making and closing the channels between the monitor and the sandbox. */
#include "channels.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

/* Which end of each channel the monitor holds; the sandbox holds the
 * other.  A pipe's end 0 reads, end 1 writes. */
static const struct
{
  size_t offset;
  int monitor_end;
} holders[] = {
  { offsetof (struct channels, exec_pipe), 0 },     /* the monitor reads */
  { offsetof (struct channels, status_pipe), 0 },   /* the monitor reads */
  { offsetof (struct channels, pid_sock), 0 },      /* the monitor receives */
  { offsetof (struct channels, pty_sock), 0 },      /* the monitor receives the master */
  { offsetof (struct channels, map_pipe), 1 },      /* the monitor writes */
  { offsetof (struct channels, monitor_alive), 1 }, /* the monitor holds it open */
};

static int *
channel_at (struct channels *c, size_t i)
{
  return (int *) ((char *) c + holders[i].offset);
}

void
channels_init (struct channels *c)
{
  for (size_t i = 0; i < N_ELEMENTS (holders); i++)
    channel_at (c, i)[0] = channel_at (c, i)[1] = -1;
}

void
channel_open_pipe (int ends[2])
{
  if (pipe2 (ends, O_CLOEXEC) < 0)
    die_errno (errno, "pipe2");
}

void
channel_open_socket (int ends[2])
{
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0)
    die_errno (errno, "socketpair");
}

static void
close_end (int *fd)
{
  if (*fd != -1)
    close (*fd);
  *fd = -1;
}

void
channels_keep_side (struct channels *c, enum channel_side side)
{
  for (size_t i = 0; i < N_ELEMENTS (holders); i++)
    {
      int mine = side == MONITOR_SIDE ? holders[i].monitor_end : 1 - holders[i].monitor_end;

      close_end (&channel_at (c, i)[1 - mine]);
    }
}

void
channel_close (int ends[2])
{
  close_end (&ends[0]);
  close_end (&ends[1]);
}
