/* Seccomp filters handed over as compiled BPF. */
#include "seccomp.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "util.h"

/* A BPF program can have at most BPF_MAXINSNS instructions of 8 bytes. */
#define MAX_PROGRAM_BYTES (BPF_MAXINSNS * sizeof (struct sock_filter))

static void
load_one (int fd, struct seccomp_set *set)
{
  char *data;
  size_t len;
  int r = read_all (fd, MAX_PROGRAM_BYTES, &data, &len);

  if (r < 0)
    die_errno (-r, "Can't read seccomp data");
  /* bwrap takes ownership of the fd: reading the same fd twice fails. */
  close (fd);
  /* Empty data passes here as in bwrap; the kernel refuses it at install. */
  if (len % 8 != 0)
    die ("Invalid seccomp data, must be multiple of 8");
  set->programs = xreallocarray (set->programs, set->n_programs + 1, sizeof *set->programs);
  set->programs[set->n_programs++] = (struct bpf_program_data) { data, len };
}

void
seccomp_load_programs (const struct plan *plan, struct seccomp_set *set)
{
  set->programs = NULL;
  set->n_programs = 0;
  if (plan->seccomp_fd != -1)
    load_one (plan->seccomp_fd, set);
  for (size_t i = 0; i < plan->n_add_seccomp_fds; i++)
    load_one (plan->add_seccomp_fds[i], set);
}

int
seccomp_install (const struct seccomp_set *set)
{
  for (size_t i = 0; i < set->n_programs; i++)
    {
      struct sock_fprog prog = {
        .len = (unsigned short) (set->programs[i].len / 8),
        .filter = set->programs[i].code,
      };

      if (prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        return -errno;
    }
  return 0;
}
