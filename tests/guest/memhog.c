/* memhog: allocate and touch 1 MiB at a time, forever (until a memory
 * limit has it killed).  memset makes the pages real: an untouched
 * allocation costs no memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main (void)
{
  for (long mib = 1;; mib++)
    {
      char *p = malloc (1 << 20);
      if (p == NULL)
        {
          printf ("malloc failed after %ld MiB\n", mib - 1);
          return 1;
        }
      memset (p, 0x5a, 1 << 20);
    }
}
