/* spin [MS]: busy-loop for MS milliseconds of wall-clock time (default
 * 2000), then print the CPU time this process got meanwhile, in ms.  Under
 * a cpu.max quota the CPU time falls short of the wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long
ms (clockid_t clock)
{
  struct timespec t;
  clock_gettime (clock, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int
main (int argc, char **argv)
{
  long long wall = argc > 1 ? atoll (argv[1]) : 2000;
  long long end = ms (CLOCK_MONOTONIC) + wall;
  volatile unsigned long n = 0;

  while (ms (CLOCK_MONOTONIC) < end)
    n++;
  printf ("%lld\n", ms (CLOCK_PROCESS_CPUTIME_ID));
  return 0;
}
