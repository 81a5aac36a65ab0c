/* Turning a refusal of the kernel into its cause and its remedy.
 *
 * The facts behind each remedy: EPERM on clone is a seccomp profile, a
 * sysctl or an LSM; ENOSPC is a namespace limit; EPERM on a uid_map that
 * covers parent uid 0 is the missing CAP_SETFCAP; EACCES on a mount is an
 * LSM (SELinux container_t, AppArmor). */
#include "diagnose.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>

#include "util.h"

static bool
sysctl_is (const char *path, const char *value)
{
  _cleanup_free_ char *s = NULL;

  if (read_file_at (AT_FDCWD, path, 64, &s) < 0)
    return false;
  s[strcspn (s, "\n")] = '\0';
  return strcmp (s, value) == 0;
}

static bool
under_seccomp_filter (void)
{
  _cleanup_free_ char *status = NULL;
  const char *line;

  if (read_file_at (AT_FDCWD, "/proc/self/status", 1 << 16, &status) < 0)
    return false;
  line = strstr (status, "\nSeccomp:");
  return line != NULL && strtol (line + 9, NULL, 10) == 2;
}

void
diagnose_clone_failure (int err, const struct launch *l)
{
  if (err == ENOSPC)
    {
      error_msg ("Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)");
      remedy_msg ("raise user.max_user_namespaces (sysctl), or run fewer nested sandboxes; inside a sandbox made with --disable-userns no further user namespace can be made");
      _exit (1);
    }
  if (err == EINVAL && l->own_userns)
    die ("Creating new namespace failed, likely because the kernel does not support user namespaces.");
  if (err != EPERM)
    die_errno (err, "Creating new namespace failed");

  error_msg ("Creating new namespace failed: %s", strerror (err));
  if (l->own_userns && sysctl_is ("/proc/sys/user/max_user_namespaces", "0"))
    remedy_msg ("user namespaces are disabled: user.max_user_namespaces is 0 on this host; set it above 0 (sysctl -w user.max_user_namespaces=15000)");
  else if (l->own_userns && l->real_uid != 0 && sysctl_is ("/proc/sys/kernel/unprivileged_userns_clone", "0"))
    remedy_msg ("unprivileged user namespaces are disabled: set kernel.unprivileged_userns_clone=1 (sysctl)");
  else if (l->own_userns && sysctl_is ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"))
    remedy_msg ("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1): give nestbox an AppArmor profile with 'userns,' or set the sysctl to 0");
  else if (under_seccomp_filter ())
    remedy_msg ("a seccomp profile refuses namespace creation (containerd's and Docker's RuntimeDefault do, without CAP_SYS_ADMIN): in Kubernetes set securityContext.seccompProfile to Unconfined or to a Localhost profile that allows clone/unshare with namespace flags; docker/podman: --security-opt seccomp=unconfined");
  else
    remedy_msg ("the kernel or a security module refused it; run 'nestbox doctor' to check this environment");
  _exit (1);
}

void
diagnose_no_setfcap (void)
{
  error_msg ("setting up uid map: uid 0 without CAP_SETFCAP cannot map itself into a user namespace (Linux >= 5.12), and without CAP_SETUID/CAP_SETGID nestbox cannot map it to another uid");
  remedy_msg ("add SETFCAP to the container's capabilities (securityContext.capabilities.add: [SETFCAP]), or run the pod as a non-root user (securityContext.runAsUser: 1000)");
  _exit (1);
}

void
diagnose_map_failure (int err, const char *file, const struct launch *l)
{
  error_msg ("setting up %s: %s", file, strerror (err));
  if (strncmp (file, "new", 3) == 0)
    {
      if (err == ENOENT)
        remedy_msg ("%s is not installed: apt-get install uidmap (or dnf install shadow-utils)", file);
      else
        remedy_msg ("%s refused the map: /etc/subuid and /etc/subgid must give this user the outside ids of --uid-map/--gid-map (usermod --add-subuids FIRST-LAST --add-subgids FIRST-LAST USER)", file);
      _exit (1);
    }
  if (err == EPERM && l->real_uid == 0 && strcmp (file, "uid_map") == 0)
    remedy_msg ("mapping uid 0 of the parent namespace needs CAP_SETFCAP (Linux >= 5.12), which this process lacks (CRI-O's default capability set has no SETFCAP): add SETFCAP to the container's capabilities, or run the pod as a non-root user (securityContext.runAsUser)");
  _exit (1);
}

void
diagnose_mount_failure (int err, const char *what, const char *path)
{
  error_msg ("%s %s: %s", what, path, strerror (err));
  if (err == EACCES)
    remedy_msg ("a security module refused the mount: under SELinux (container_t) install nestbox's policy module (semodule -i /usr/share/selinux/packages/nestbox.pp); under AppArmor allow 'mount' in the container's profile");
  else if (err == EPERM && under_seccomp_filter ())
    remedy_msg ("a seccomp profile may refuse mount/pivot_root/umount2 without CAP_SYS_ADMIN: use an Unconfined or Localhost seccomp profile for the pod");
  _exit (1);
}

static void
remedy_unmask (void)
{
  remedy_msg ("unmask /proc for the container: Kubernetes securityContext.procMount: Unmasked (with hostUsers: false); podman --security-opt unmask=ALL; docker --security-opt systempaths=unconfined.  Or accept less: --proc-fallback=bind (the pod's /proc, read-only, with the pod's process ids)");
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
  remedy_unmask ();
  _exit (1);
}

void
diagnose_proc_failure (int err, const char *dest, bool tried_subset)
{
  error_msg ("Can't mount proc on %s: %s%s", dest, strerror (err),
             tried_subset ? " (this kernel refuses a subset=pid procfs under a masked /proc too; Linux 7.2 is expected to allow it)" : "");
  if (err == EPERM)
    remedy_unmask ();
  else if (err == EACCES)
    remedy_msg ("a security module refused the mount: under SELinux (container_t) install nestbox's policy module (semodule -i /usr/share/selinux/packages/nestbox.pp)");
  _exit (1);
}
