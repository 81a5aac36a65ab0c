/* One message with at most one ancillary item over a unix socket: the
 * channels between nestbox's processes pass an fd (SCM_RIGHTS) or the
 * sender's credentials (SCM_CREDENTIALS). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Send len bytes of data and, unless ctl is NULL, ctl_len bytes (at most a
 * struct ucred) of ancillary data of type.  flags as sendmsg's.  0 or
 * -errno. */
int sockmsg_send (int sock, const void *data, size_t len, int type, const void *ctl, size_t ctl_len, int flags);

/* Receive up to len bytes into data; when the message carries exactly
 * ctl_len bytes of ancillary data of type, they go to ctl and *got_ctl is
 * set.  flags as recvmsg's.  Bytes received (0: the peer is gone) or
 * -errno. */
ssize_t sockmsg_recv (int sock, void *data, size_t len, int type, void *ctl, size_t ctl_len, bool *got_ctl, int flags);
