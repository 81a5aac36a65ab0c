/* apparmor-ownns COMMAND [ARG...]: run COMMAND in a mount namespace of its
 * own that keeps the propagation it starts with.  unshare(1) changes the
 * propagation of / with mount(2) (busybox's even when told "unchanged"),
 * and that mount is one the AppArmor guest test must not depend on: under
 * nestbox's profile it is refused itself.  Built static by
 * tests/guest/apparmor.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: apparmor-ownns COMMAND [ARG...]\n");
      return 125;
    }
  if (unshare (CLONE_NEWNS) < 0)
    {
      fprintf (stderr, "apparmor-ownns: unshare: %s\n", strerror (errno));
      return 125;
    }
  execvp (argv[1], argv + 1);
  fprintf (stderr, "apparmor-ownns: %s: %s\n", argv[1], strerror (errno));
  return 127;
}
