/* forker [MAX]: fork children that wait, until fork fails (EAGAIN when a
 * pids limit bites), try 20 more times, print "forked N, refused M" and
 * exit 0.  The children stay until the sandbox's pid namespace ends.
 * MAX (default 2000) bounds the damage when no limit is applied: the test
 * then fails instead of filling the guest's process table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  long max = argc > 1 ? atol (argv[1]) : 2000;
  long forked = 0, refused = 0;
  const struct timespec pause_ms = { 0, 1000000 };

  while (forked < max && refused < 20)
    {
      pid_t pid = fork ();
      if (pid == 0)
        {
          for (;;)
            pause ();
        }
      if (pid > 0)
        {
          forked++;
        }
      else if (errno == EAGAIN)
        {
          refused++;
          nanosleep (&pause_ms, NULL);
        }
      else
        {
          perror ("fork");
          return 1;
        }
    }
  printf ("forked %ld, refused %ld\n", forked, refused);
  return 0;
}
