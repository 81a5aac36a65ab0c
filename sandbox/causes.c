/* The table of causes and remedies, and the probes behind them. */
#include "causes.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util.h"

static const char *const remedies[N_CAUSES] = {
  [CAUSE_OLD_KERNEL] = "run nestbox on Linux 5.12 or later (it needs mount_setattr)",
  [CAUSE_NO_USERNS_KERNEL] = "use a kernel built with CONFIG_USER_NS",
  [CAUSE_USERNS_DISABLED] = "user namespaces are disabled: user.max_user_namespaces is 0 on this host; set it above 0 (sysctl -w user.max_user_namespaces=15000)",
  [CAUSE_UNPRIVILEGED_USERNS_OFF] = "unprivileged user namespaces are disabled: set kernel.unprivileged_userns_clone=1 (sysctl -w kernel.unprivileged_userns_clone=1)",
  [CAUSE_APPARMOR_USERNS] = "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1): give nestbox an AppArmor profile with 'userns,' or set the sysctl to 0",
  [CAUSE_SECCOMP_NAMESPACES] = "a seccomp profile refuses namespace creation (containerd's and Docker's RuntimeDefault do, without CAP_SYS_ADMIN): give the pod nestbox's profile, RuntimeDefault plus what nestbox needs: copy " NESTBOX_POD_SECCOMP_PROFILE " to /var/lib/kubelet/seccomp/ on the node and set securityContext.seccompProfile to {type: Localhost, localhostProfile: nestbox.json}; docker/podman: --security-opt seccomp=" NESTBOX_POD_SECCOMP_PROFILE,
  [CAUSE_NAMESPACE_LIMIT] = "raise user.max_user_namespaces (sysctl), or run fewer nested sandboxes; inside a sandbox made with --disable-userns no further user namespace can be made",
  [CAUSE_NAMESPACE_UNEXPLAINED] = "the kernel or a security module refused it; run 'nestbox doctor' to check this environment",
  [CAUSE_NO_SETFCAP] = "add SETFCAP to the container's capabilities (securityContext.capabilities.add: [SETFCAP]), or run the pod as a non-root user (securityContext.runAsUser: 1000)",
  [CAUSE_PROC_MASKED] = "unmask /proc for the container: Kubernetes securityContext.procMount: Unmasked with hostUsers: false (Kubernetes 1.36 or later; containerd 2.0 or later, or CRI-O 1.25 or later); podman --security-opt unmask=ALL; docker --security-opt systempaths=unconfined.  Or accept less: --proc-fallback=bind (the pod's /proc, read-only, with the pod's process ids)",
  [CAUSE_LSM_MOUNT] = "a security module refused the mount: under SELinux (container_t) install nestbox's policy module (semodule -i /usr/share/selinux/packages/nestbox.pp); under AppArmor give the pod securityContext.appArmorProfile {type: Unconfined} or nestbox's Localhost profile (" NESTBOX_APPARMOR_PROFILE ")",
  [CAUSE_APPARMOR_MOUNT] = "set the pod's securityContext.appArmorProfile to {type: Unconfined}, or to {type: Localhost, localhostProfile: nestbox} with nestbox's profile loaded on the node (apparmor_parser -r " NESTBOX_APPARMOR_PROFILE "); docker, podman: --security-opt apparmor=nestbox",
  [CAUSE_APPARMOR_OWN_MOUNT] = "the node has another version of nestbox's profile: load this version's (apparmor_parser -r " NESTBOX_APPARMOR_PROFILE ")",
  [CAUSE_SELINUX_MOUNT] = "load nestbox's policy module on the node (semodule -i /usr/share/selinux/packages/nestbox.pp), or run the pod as spc_t (securityContext.seLinuxOptions.type: spc_t), which SELinux does not confine",
  [CAUSE_SECCOMP_MOUNT] = "a seccomp profile may refuse mount, pivot_root, umount2 and the new mount API without CAP_SYS_ADMIN (containerd's and Docker's RuntimeDefault do): give the pod nestbox's profile, " NESTBOX_POD_SECCOMP_PROFILE ", as a Localhost profile (securityContext.seccompProfile: {type: Localhost, localhostProfile: nestbox.json}, the file in /var/lib/kubelet/seccomp/ on the node)",
  [CAUSE_NO_UIDMAP_TOOL] = "install newuidmap and newgidmap: apt-get install uidmap (or dnf install shadow-utils)",
  [CAUSE_NO_SUBIDS] = "/etc/subuid and /etc/subgid must give this user the outside ids of --uid-map/--gid-map (usermod --add-subuids FIRST-LAST --add-subgids FIRST-LAST USER)",
};

const char *
cause_remedy (enum cause c)
{
  return c < N_CAUSES ? remedies[c] : NULL;
}

void
cause_print_remedy (enum cause c)
{
  if (cause_remedy (c) != NULL)
    remedy_msg ("%s", cause_remedy (c));
}

bool
sysctl_is (const char *path, const char *value)
{
  _cleanup_free_ char *s = NULL;

  if (read_file_at (AT_FDCWD, path, 64, &s) < 0)
    return false;
  s[strcspn (s, "\n")] = '\0';
  return strcmp (s, value) == 0;
}

bool
kernel_too_old (void)
{
  struct utsname u;
  unsigned major = 0, minor = 0;

  if (uname (&u) < 0 || sscanf (u.release, "%u.%u", &major, &minor) != 2)
    return false;
  return major < MIN_KERNEL_MAJOR || (major == MIN_KERNEL_MAJOR && minor < MIN_KERNEL_MINOR);
}

bool
user_namespaces_disabled (void)
{
  return sysctl_is ("/proc/sys/user/max_user_namespaces", "0");
}

long
seccomp_mode (void)
{
  _cleanup_free_ char *status = NULL;
  const char *line;

  if (read_file_at (AT_FDCWD, "/proc/self/status", 1 << 16, &status) < 0)
    return 0;
  line = strstr (status, "\nSeccomp:");
  return line ? strtol (line + strlen ("\nSeccomp:"), NULL, 10) : 0;
}

enum cause
userns_refusal (unsigned uid)
{
  if (access ("/proc/self/ns/user", F_OK) != 0)
    return CAUSE_NO_USERNS_KERNEL;
  if (user_namespaces_disabled ())
    return CAUSE_USERNS_DISABLED;
  if (uid != 0 && sysctl_is ("/proc/sys/kernel/unprivileged_userns_clone", "0"))
    return CAUSE_UNPRIVILEGED_USERNS_OFF;
  if (sysctl_is ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"))
    return CAUSE_APPARMOR_USERNS;
  return N_CAUSES;
}

enum cause
lsm_mount_cause (const struct lsm_confinement *c)
{
  if (!lsm_confines (c))
    return CAUSE_LSM_MOUNT;
  if (c->kind == LSM_SELINUX)
    return CAUSE_SELINUX_MOUNT;
  /* The profile deploy/apparmor ships is called nestbox. */
  return strcmp (c->name, "nestbox") == 0 ? CAUSE_APPARMOR_OWN_MOUNT : CAUSE_APPARMOR_MOUNT;
}

char *
lsm_refusal_remedy (const struct lsm_confinement *c, const char *what)
{
  enum cause cause = lsm_mount_cause (c);
  char who[2 * LSM_TEXT_MAX];

  if (cause == CAUSE_LSM_MOUNT)
    return xstrdup (cause_remedy (strcmp (what, "the mount") == 0 ? cause : CAUSE_NAMESPACE_UNEXPLAINED));
  lsm_describe (c, who, sizeof who);
  return xasprintf ("%s refused %s: %s", who, what, cause_remedy (cause));
}
