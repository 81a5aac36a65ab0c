/* nestbox-runc's kill: a signal for a created or running container. */
#pragma once

#include <stdbool.h>

/* A signal as runc takes it: a number (0 checks that the process is
 * there), or a name with or without "SIG" in any case (TERM, SIGKILL,
 * rtmin+3).  -1 when it is none. */
int runc_parse_signal (const char *text);

/* Send the signal (NULL: SIGTERM) to the container's process, or with all
 * to every process of the container.  Returns the exit code. */
int runc_kill (const char *root, const char *id, const char *signal_text, bool all);
