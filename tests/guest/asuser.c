/* asuser UID GID COMMAND [ARG...]: run COMMAND as UID:GID with no
 * supplementary groups.  The cgroup guest (guest-boot.sh) has only busybox,
 * whose setpriv cannot change ids, and su/nsenter want more setup than a
 * test needs.  Built static at harness time. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long
id_arg (const char *s)
{
  char *end;
  unsigned long v = strtoul (s, &end, 10);
  if (*s == '\0' || *end != '\0')
    {
      fprintf (stderr, "asuser: not a number: %s\n", s);
      exit (125);
    }
  return v;
}

int
main (int argc, char **argv)
{
  if (argc < 4)
    {
      fprintf (stderr, "usage: asuser UID GID COMMAND [ARG...]\n");
      return 125;
    }
  uid_t uid = id_arg (argv[1]);
  gid_t gid = id_arg (argv[2]);
  /* Groups before the gid, the gid before the uid: each step needs the
   * privilege the next one drops. */
  if (setgroups (0, NULL) != 0 || setgid (gid) != 0 || setuid (uid) != 0)
    {
      perror ("asuser");
      return 125;
    }
  execvp (argv[3], argv + 3);
  perror (argv[3]);
  return 127;
}
