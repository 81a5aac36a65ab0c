/* libseccomp filters compiled to BPF in memory, for the terminal filter
 * and the --seccomp-profile compiler alike. */
#include "seccomp_bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "util.h"

#ifdef HAVE_SECCOMP
#include <seccomp.h>

int
seccomp_export_program (void *ctx, struct bpf_program_data *out)
{
  _cleanup_close_ int fd = memfd_create ("nestbox-seccomp", MFD_CLOEXEC);
  char *data;
  size_t len;
  int r;

  if (fd < 0)
    return -errno;
  r = seccomp_export_bpf (ctx, fd);
  if (r < 0)
    return r;
  if (lseek (fd, 0, SEEK_SET) < 0)
    return -errno;
  r = read_all (fd, 2 * SECCOMP_MAX_PROGRAM_BYTES, &data, &len);
  if (r < 0)
    return r;
  /* The kernel would refuse it at install, long after setup: say it now. */
  if (len > SECCOMP_MAX_PROGRAM_BYTES || len == 0 || len % 8 != 0)
    {
      free (data);
      return -E2BIG;
    }
  *out = (struct bpf_program_data){ data, len, 0 };
  return 0;
}

#else

int
seccomp_export_program (void *ctx, struct bpf_program_data *out)
{
  (void) ctx;
  (void) out;
  return -ENOSYS;
}

#endif
