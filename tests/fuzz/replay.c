/* A main() for the fuzz targets where libFuzzer is not available (gcc, the
 * sanitizer build): run the target once on each file named, or on each file
 * in each directory named.  Exit 0 when every input ran without a crash. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
replay_file (const char *path)
{
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  char *data;
  size_t len;
  int r;

  if (fd < 0 || (r = read_all (fd, 16 << 20, &data, &len)) < 0)
    {
      fprintf (stderr, "replay: cannot read %s\n", path);
      return 1;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  free (data);
  return 0;
}

int
main (int argc, char **argv)
{
  int failed = 0, runs = 0;

  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      DIR *d;
      struct dirent *e;

      if (stat (argv[i], &st) == 0 && !S_ISDIR (st.st_mode))
        {
          failed += replay_file (argv[i]);
          runs++;
          continue;
        }
      if ((d = opendir (argv[i])) == NULL)
        continue; /* no regressions saved yet: nothing to replay */
      while ((e = readdir (d)) != NULL)
        {
          char *path;

          if (e->d_name[0] == '.')
            continue;
          path = xasprintf ("%s/%s", argv[i], e->d_name);
          failed += replay_file (path);
          runs++;
          free (path);
        }
      closedir (d);
    }
  printf ("replayed %d inputs, %d unreadable\n", runs, failed);
  return failed != 0;
}
