/* SELinux labels (--exec-label, --file-label). */
#include "selinux.h"

#include <stddef.h>

#include "util.h"

#ifdef HAVE_SELINUX
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <string.h>

/* Whether the loaded policy refuses PERM of CLASS from SCON on TCON, as the
 * kernel would decide it now (a permissive system or domain refuses
 * nothing).  Asked of the policy directly, without an AVC: no state, no fd
 * left behind.  False when it cannot tell: the kernel will say. */
static bool
policy_denies (const char *scon, const char *tcon, const char *class, const char *perm)
{
  security_class_t cls = string_to_security_class (class);
  access_vector_t av = cls ? string_to_av_perm (cls, perm) : 0;
  struct av_decision avd;

  if (av == 0 || security_compute_av_flags (scon, tcon, cls, av, &avd) < 0)
    return false;
  return (avd.allowed & av) != av && security_getenforce () == 1
         && !(avd.flags & SELINUX_AVD_FLAGS_PERMISSIVE);
}

/* Say which rule is missing; under container_t (what container-selinux
 * gives a pod) name the boolean that grants it. */
static _Noreturn void
die_denied (const char *option, const char *label, const char *current, const char *what)
{
  _cleanup_free_ char *type = NULL;
  context_t ctx = context_new (current);

  if (ctx != NULL)
    {
      type = xstrdup (context_type_get (ctx));
      context_free (ctx);
    }
  error_msg ("%s %s: the SELinux policy does not allow %s (%s)", option, label, what, current);
  if (strcmp (option, "--exec-label") == 0 && type != NULL && strcmp (type, "container_t") == 0)
    remedy_msg ("under container_t, changing the label needs the container-selinux boolean container_modify_selinux_labels: on the node, setsebool -P container_modify_selinux_labels 1; or leave out --exec-label");
  else if (strcmp (option, "--exec-label") == 0)
    remedy_msg ("the policy must allow %s self:process setexec and the transition to %s (see audit2allow), or leave out --exec-label",
                type ? type : "this domain", label);
  else
    remedy_msg ("mounting with context=%s needs filesystem relabelto for %s, which container_t never has (no boolean grants it); leave out --file-label in a pod",
                label, type ? type : "this domain");
  _exit (1);
}

void
selinux_check_labels (const char *exec_label, const char *file_label)
{
  const char *labels[] = { exec_label, file_label };
  char *current = NULL;

  if (is_selinux_enabled () <= 0)
    return;
  for (size_t i = 0; i < N_ELEMENTS (labels); i++)
    if (labels[i] != NULL && security_check_context (labels[i]) < 0)
      die_errno (errno, "invalid SELinux label %s", labels[i]);
  /* Refuse before anything is created what the kernel would refuse at
   * exec (setexeccon, then the transition) or at the tmpfs mounts
   * (context= relabels the new file system). */
  if ((exec_label == NULL && file_label == NULL) || getcon (&current) < 0)
    return;
  if (exec_label != NULL && policy_denies (current, current, "process", "setexec"))
    die_denied ("--exec-label", exec_label, current, "setting an exec label (process setexec)");
  if (exec_label != NULL && policy_denies (current, exec_label, "process", "transition"))
    die_denied ("--exec-label", exec_label, current, "the transition to it (process transition)");
  if (file_label != NULL && policy_denies (current, file_label, "filesystem", "relabelto"))
    die_denied ("--file-label", file_label, current, "mounting with it (filesystem relabelto)");
  freecon (current);
}

const char *
selinux_mount_label (const char *label)
{
  return is_selinux_enabled () > 0 ? label : NULL;
}

int
selinux_set_exec_label (const char *label)
{
  if (label == NULL || is_selinux_enabled () <= 0)
    return 0;
  if (setexeccon (label) < 0)
    return -errno;
  return 0;
}

#else

void
selinux_check_labels (const char *exec_label, const char *file_label)
{
  (void) exec_label;
  (void) file_label;
}

const char *
selinux_mount_label (const char *label)
{
  (void) label;
  return NULL;
}

int
selinux_set_exec_label (const char *label)
{
  (void) label;
  return 0;
}

#endif
