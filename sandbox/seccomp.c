/* Seccomp filters: the caller's compiled BPF (as bwrap), the profile of
 * --seccomp-profile, and the terminal filter nestbox always installs. */
#include "seccomp.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "seccomp_arches.h"
#include "seccomp_bpf.h"
#include "seccomp_profile.h"
#include "util.h"

static void
add_program (struct seccomp_set *set, struct bpf_program_data prog)
{
  set->programs = xreallocarray (set->programs, set->n_programs + 1, sizeof *set->programs);
  set->programs[set->n_programs++] = prog;
}

static void
load_one (int fd, struct seccomp_set *set)
{
  char *data;
  size_t len;
  int r = read_all (fd, SECCOMP_MAX_PROGRAM_BYTES, &data, &len);

  if (r < 0)
    die_errno (-r, "Can't read seccomp data");
  /* bwrap takes ownership of the fd: reading the same fd twice fails. */
  close (fd);
  /* Empty data passes here as in bwrap; the kernel refuses it at install. */
  if (len % 8 != 0)
    die ("Invalid seccomp data, must be multiple of 8");
  add_program (set, (struct bpf_program_data){ data, len, 0 });
}

#ifdef HAVE_SECCOMP
#include <seccomp.h>

/* The command must not push input into the caller's terminal, whether or
 * not it has a session of its own: TIOCSTI types characters into the
 * tty's input queue, and TIOCLINUX's selection paste does the same on a
 * virtual console.  Both get EPERM.
 *
 * The command is compared on its low 32 bits only: the kernel truncates
 * it to an unsigned int, so a 64-bit value with high bits set is still
 * TIOCSTI (CVE-2019-10063 got past flatpak's filter that way).
 *
 * An fd with bit 31 set can never be open (the kernel caps fs.nr_open
 * below 2^31), so such calls pass to the kernel, which answers EBADF as it
 * would without the filter: bwrap's test-seccomp.py probes ioctl(-1,
 * TIOCSTI) and expects exactly that.
 *
 * Installed before the caller's programs: on equal precedence (two errno
 * results) the kernel keeps the result of the most recently installed
 * filter, so a caller's own errno for TIOCSTI still wins; an ALLOW from
 * the caller cannot override our EPERM (deny beats allow).
 *
 * Kernels with dev.tty.legacy_tiocsti=0 refuse TIOCSTI already; the
 * filter costs nothing there and still covers TIOCLINUX. */
static int
build_tty_filter (struct bpf_program_data *out)
{
  static const unsigned long commands[] = { TIOCSTI, TIOCLINUX };
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
  int r = 0;

  if (ctx == NULL)
    return -ENOMEM;
  r = seccomp_add_compat_abis (ctx);
  /* An ABI we did not add cannot be used on this kernel; never kill for it. */
  if (r == 0)
    r = seccomp_attr_set (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
  for (size_t i = 0; r == 0 && i < N_ELEMENTS (commands); i++)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (ioctl), 2,
                          SCMP_A0 (SCMP_CMP_MASKED_EQ, 0x80000000UL, 0),
                          SCMP_A1 (SCMP_CMP_MASKED_EQ, 0xffffffffUL, commands[i]));
  if (r == 0)
    r = seccomp_export_program (ctx, out);
  seccomp_release (ctx);
  return r;
}

static void
add_tty_filter (struct seccomp_set *set)
{
  struct bpf_program_data prog;
  int r = build_tty_filter (&prog);

  if (r < 0)
    die_errno (-r, "Can't build the seccomp filter against terminal injection (TIOCSTI)");
  add_program (set, prog);
  set->has_terminal_filter = true;
}

static void
add_profile (const char *path, uint64_t keep_caps, struct seccomp_set *set)
{
  struct bpf_program_data prog;
  _cleanup_free_ char *error = NULL;
  int r = seccomp_profile_compile (path, keep_caps, &prog, &error);

  if (r < 0 && error != NULL)
    die ("--seccomp-profile %s: %s", path, error);
  if (r < 0)
    die_errno (-r, "--seccomp-profile %s", path);
  add_program (set, prog);
}

#else /* !HAVE_SECCOMP */

/* Without libseccomp there is nothing to build the filter with. */
static void
add_tty_filter (struct seccomp_set *set)
{
  (void) set;
}

static void
add_profile (const char *path, uint64_t keep_caps, struct seccomp_set *set)
{
  (void) keep_caps;
  (void) set;
  die ("--seccomp-profile %s: nestbox was built without libseccomp", path);
}

#endif

void
seccomp_load_programs (const struct plan *plan, uint64_t keep_caps, struct seccomp_set *set)
{
  set->programs = NULL;
  set->n_programs = 0;
  set->has_terminal_filter = false;
  add_tty_filter (set);
  /* The profile before the caller's programs: bwrap documents that the
   * last program may refuse prctl/seccomp, so that one must stay last. */
  if (plan->seccomp_profile != NULL)
    add_profile (plan->seccomp_profile, keep_caps, set);
  if (plan->seccomp_fd != -1)
    load_one (plan->seccomp_fd, set);
  for (size_t i = 0; i < plan->n_add_seccomp_fds; i++)
    load_one (plan->add_seccomp_fds[i], set);
}

static int
install_one (const struct bpf_program_data *program)
{
  struct sock_fprog prog = { .len = (unsigned short) (program->len / 8), .filter = program->code };
  int r;

  /* prctl as bwrap when there are no flags: a policy around us may allow
   * one and not the other. */
  if (program->flags == 0)
    r = prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
  else
    r = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, program->flags, &prog);
  return r != 0 ? -errno : 0;
}

int
seccomp_install (const struct seccomp_set *set)
{
  for (size_t i = 0; i < set->n_programs; i++)
    {
      int r = install_one (&set->programs[i]);

      if (r < 0)
        return r;
    }
  return 0;
}

int
seccomp_install_terminal_filter (const struct seccomp_set *set)
{
  return set->has_terminal_filter ? install_one (&set->programs[0]) : 0;
}

void
seccomp_set_free (struct seccomp_set *set)
{
  for (size_t i = 0; i < set->n_programs; i++)
    free (set->programs[i].code);
  free (set->programs);
  set->programs = NULL;
  set->n_programs = 0;
}
