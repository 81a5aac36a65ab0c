/* --disable-userns where the sysctl cannot be written. */
#pragma once

/* Install a seccomp filter that refuses to create user namespaces:
 * clone/unshare with CLONE_NEWUSER get EPERM, clone3 (whose flags a filter
 * cannot read) ENOSYS so that libc falls back to clone.  0 or -errno
 * (-ENOSYS when built without libseccomp). */
int userns_filter_install (void);
