/* --disable-userns where the sysctl cannot be written.
 *
 * In a pod whose /proc is masked and whose /proc/sys is read-only, neither
 * the caller's /proc/sys nor a procfs of our own is writable, so
 * user.max_user_namespaces cannot be lowered.  A seccomp filter gives the
 * same guarantee for everything below it: it is inherited and cannot be
 * removed. */
#include "userns_filter.h"

#include <errno.h>
#include <sched.h>

#include "seccomp_arches.h"

#ifdef HAVE_SECCOMP
#include <seccomp.h>

int
userns_filter_install (void)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
  int r;

  if (ctx == NULL)
    return -ENOMEM;
  /* Every ABI of the machine: 32-bit programs must get EPERM too, not be
   * killed as a foreign architecture. */
  r = seccomp_add_compat_abis (ctx);
  if (r == 0)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (unshare), 1,
                          SCMP_A0 (SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
  if (r == 0)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (clone), 1,
                          SCMP_A0 (SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
  if (r == 0)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (clone3), 0);
  if (r == 0)
    r = seccomp_load (ctx);
  seccomp_release (ctx);
  return r;
}

#else

int
userns_filter_install (void)
{
  return -ENOSYS;
}

#endif
