/* Turning a refusal of the kernel into its cause and its remedy.
 *
 * The facts behind each remedy: EPERM on clone is a seccomp profile, a
 * sysctl or an LSM; ENOSPC is a namespace limit; EPERM on a uid_map that
 * covers parent uid 0 is the missing CAP_SETFCAP; EACCES on a mount is an
 * LSM (SELinux container_t, AppArmor), named with its label (lsm.c). */
#include "diagnose.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/utsname.h>

#include "causes.h"
#include "lsm.h"
#include "setup.h"
#include "util.h"

void
diagnose_require_kernel (void)
{
  struct utsname u;

  if (kernel_too_old () && uname (&u) == 0)
    die ("this kernel is Linux %s: %s", u.release, cause_remedy (CAUSE_OLD_KERNEL));
}

void
diagnose_clone_failure (int err, const struct launch *l)
{
  enum cause cause;

  if (err == ENOSPC)
    {
      error_msg ("Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)");
      cause_print_remedy (CAUSE_NAMESPACE_LIMIT);
      _exit (1);
    }
  if (err == EINVAL && l->own_userns)
    die ("Creating new namespace failed, likely because the kernel does not support user namespaces.");
  if (err != EPERM)
    die_errno (err, "Creating new namespace failed");

  error_msg ("Creating new namespace failed: %s", strerror (err));
  cause = l->own_userns ? userns_refusal (l->real_uid) : N_CAUSES;
  if (cause == N_CAUSES)
    cause = seccomp_mode () == 2 ? CAUSE_SECCOMP_NAMESPACES : CAUSE_NAMESPACE_UNEXPLAINED;
  cause_print_remedy (cause);
  _exit (1);
}

void
diagnose_no_setfcap (void)
{
  error_msg ("setting up uid map: uid 0 without CAP_SETFCAP cannot map itself into a user namespace (Linux >= 5.12), and without CAP_SETUID/CAP_SETGID nestbox cannot map it to another uid");
  cause_print_remedy (CAUSE_NO_SETFCAP);
  _exit (1);
}

void
diagnose_map_failure (int err, const char *file, const struct launch *l)
{
  error_msg ("setting up %s: %s", file, strerror (err));
  if (strncmp (file, "new", 3) == 0)
    {
      cause_print_remedy (err == ENOENT ? CAUSE_NO_UIDMAP_TOOL : CAUSE_NO_SUBIDS);
      _exit (1);
    }
  /* Mapping uid 0 of the parent namespace needs CAP_SETFCAP (CRI-O's
   * default capability set has none). */
  if (err == EPERM && l->real_uid == 0 && strcmp (file, "uid_map") == 0)
    cause_print_remedy (CAUSE_NO_SETFCAP);
  _exit (1);
}

/* A mount refused with EACCES: name the module, its profile or type, and
 * the remedy.  The ops' mounts run in the staging root (setup.h), which
 * has no /proc: there the caller's is found below OLDROOT. */
static void
print_lsm_remedy (const char *what)
{
  struct lsm_confinement c;
  _cleanup_free_ char *remedy = NULL;

  lsm_detect (access ("/proc/self/stat", F_OK) == 0 ? "" : OLDROOT, &c);
  remedy = lsm_refusal_remedy (&c, what);
  remedy_msg ("%s", remedy);
}

/* capget of our own capabilities fails only where a security module says
 * so (SELinux's process getcap: refpolicy's container_t lacks it). */
void
diagnose_capget_failure (int err)
{
  error_msg ("capget: %s", strerror (err));
  if (err == EACCES)
    print_lsm_remedy ("reading nestbox's own capabilities");
  _exit (1);
}

void
diagnose_mount_failure (int err, const char *what, const char *path)
{
  error_msg ("%s %s: %s", what, path, strerror (err));
  if (err == EACCES)
    print_lsm_remedy ("the mount");
  else if (err == EPERM && seccomp_mode () == 2)
    cause_print_remedy (CAUSE_SECCOMP_MOUNT);
  _exit (1);
}

void
diagnose_masked_proc (const struct proc_view *view)
{
  char list[512] = "";
  size_t n = view->n_blockers < PROCVIEW_MAX_BLOCKERS ? view->n_blockers : PROCVIEW_MAX_BLOCKERS;

  for (size_t i = 0; i < n; i++)
    {
      strncat (list, i ? ", " : "", sizeof list - strlen (list) - 1);
      strncat (list, view->blockers[i], sizeof list - strlen (list) - 1);
    }
  if (!view->any_proc)
    error_msg ("Can't mount a fresh /proc in a user namespace: no procfs is mounted here, and the kernel wants one it can see whole");
  else
    error_msg ("Can't mount a fresh /proc in a user namespace: %s is masked by %zu mount%s (%s%s), so the kernel refuses it (mount too revealing)",
               view->proc_mount, view->n_blockers, view->n_blockers == 1 ? "" : "s", list,
               view->n_blockers > n ? ", ..." : "");
  cause_print_remedy (CAUSE_PROC_MASKED);
  _exit (1);
}

void
diagnose_proc_failure (int err, const char *dest, bool tried_subset)
{
  error_msg ("Can't mount proc on %s: %s%s", dest, strerror (err),
             tried_subset ? " (this kernel refuses a subset=pid procfs under a masked /proc too; Linux 7.2 is expected to allow it)" : "");
  if (err == EPERM)
    cause_print_remedy (CAUSE_PROC_MASKED);
  else if (err == EACCES)
    print_lsm_remedy ("the mount");
  _exit (1);
}
