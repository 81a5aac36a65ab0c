/* The refusals nestbox can explain: one typed cause each, with its remedy,
 * and the probes that tell them apart.  The launcher's diagnoses
 * (diagnose.c) and `nestbox doctor` (doctor.c) both speak from this table,
 * so the two cannot give different advice for the same cause. */
#pragma once

#include <stdbool.h>

#include "lsm.h"

enum cause
{
  CAUSE_OLD_KERNEL,              /* older than 5.12: no mount_setattr */
  CAUSE_NO_USERNS_KERNEL,        /* a kernel without CONFIG_USER_NS */
  CAUSE_USERNS_DISABLED,         /* user.max_user_namespaces = 0 */
  CAUSE_UNPRIVILEGED_USERNS_OFF, /* kernel.unprivileged_userns_clone = 0 */
  CAUSE_APPARMOR_USERNS,         /* kernel.apparmor_restrict_unprivileged_userns = 1 */
  CAUSE_SECCOMP_NAMESPACES,      /* a runtime's seccomp profile refuses clone/unshare */
  CAUSE_NAMESPACE_LIMIT,         /* ENOSPC: nesting depth or a max_*_namespaces limit */
  CAUSE_NAMESPACE_UNEXPLAINED,   /* EPERM with none of the above */
  CAUSE_NO_SETFCAP,              /* uid 0 without CAP_SETFCAP (nor SETUID to avoid it) */
  CAUSE_PROC_MASKED,             /* the visible /proc is masked: no fresh one */
  CAUSE_LSM_MOUNT,               /* EACCES on a mount, the module not known */
  CAUSE_APPARMOR_MOUNT,          /* EACCES on a mount under an AppArmor profile */
  CAUSE_APPARMOR_OWN_MOUNT,      /* ... under nestbox's own AppArmor profile */
  CAUSE_SELINUX_MOUNT,           /* EACCES on a mount under a confined SELinux type */
  CAUSE_SECCOMP_MOUNT,           /* EPERM on a mount under a seccomp filter */
  CAUSE_NO_UIDMAP_TOOL,          /* newuidmap/newgidmap missing */
  CAUSE_NO_SUBIDS,               /* no /etc/subuid, /etc/subgid range for the user */
  N_CAUSES,
};

/* What to do about cause c: one line for a human. */
const char *cause_remedy (enum cause c);

/* Print cause c's remedy as the line after an error. */
void cause_print_remedy (enum cause c);

/* The oldest kernel nestbox runs on: mount_setattr came in 5.12. */
#define MIN_KERNEL_MAJOR 5
#define MIN_KERNEL_MINOR 12

/* The probes. */
bool kernel_too_old (void);
bool sysctl_is (const char *path, const char *value);
bool user_namespaces_disabled (void); /* user.max_user_namespaces is 0 */
long seccomp_mode (void);             /* the Seccomp: line of /proc/self/status, 0 if unknown */

/* Why creating a user namespace is refused here (uid: the caller's real
 * uid), or N_CAUSES when no setting of this machine explains it. */
enum cause userns_refusal (unsigned uid);

/* Which cause explains a mount refused with EACCES under the label c:
 * its module's when c confines, CAUSE_LSM_MOUNT when nestbox cannot tell. */
enum cause lsm_mount_cause (const struct lsm_confinement *c);
/* The remedy line for a refusal of what ("the mount", or another step the
 * same remedy allows), naming the module and its profile or type:
 * "AppArmor profile X (enforce) refused the mount: ..." (heap). */
char *lsm_refusal_remedy (const struct lsm_confinement *c, const char *what);
