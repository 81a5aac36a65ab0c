/* SELinux labels (--exec-label, --file-label). */
#include "selinux.h"

#include <stddef.h>

#include "util.h"

#ifdef HAVE_SELINUX
#include <selinux/selinux.h>

void
selinux_check_labels (const char *exec_label, const char *file_label)
{
  const char *labels[] = { exec_label, file_label };

  for (size_t i = 0; i < N_ELEMENTS (labels); i++)
    {
      if (labels[i] == NULL || is_selinux_enabled () <= 0)
        continue;
      if (security_check_context (labels[i]) < 0)
        die_errno (errno, "invalid SELinux label %s", labels[i]);
    }
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
