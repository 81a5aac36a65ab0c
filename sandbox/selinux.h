/* SELinux labels (--exec-label, --file-label). */
#pragma once

/* Check the labels before anything is created; dies on an invalid one. */
void selinux_check_labels (const char *exec_label, const char *file_label);

/* The context= for mounts we make: NULL when SELinux is off (the kernel
 * refuses the option then), as bwrap. */
const char *selinux_mount_label (const char *label);

/* Label the next exec; 0 or -errno. */
int selinux_set_exec_label (const char *label);
