/* The caller's end of the container's terminal (runc_console.h). */
#include "runc_console.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "runc_log.h"
#include "util.h"

int
runc_console_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof addr.sun_path)
    runc_fail ("--console-socket %s: the path is too long for a unix socket", path);
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    runc_fail ("--console-socket: can't make a socket: %s", strerror (errno));
  if (RETRY_EINTR (connect (fd, (struct sockaddr *) &addr, sizeof addr)) < 0)
    runc_fail ("--console-socket %s: can't connect: %s", path, strerror (errno));
  return fd;
}
