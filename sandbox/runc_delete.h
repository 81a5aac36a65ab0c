/* nestbox-runc's delete, and the commands that only read the state
 * directory: state and list. */
#pragma once

#include <stdbool.h>

/* Remove a stopped or created container (force: a running one too, after
 * killing it), and with it everything of it: state, FIFO, processes.
 * force on an unknown id is no error, as with runc. */
int runc_delete (const char *root, const char *id, bool force);
/* runc's state JSON of one container on stdout. */
int runc_state (const char *root, const char *id);
/* Every container: format "table" (runc's columns) or "json"; quiet: ids. */
int runc_list (const char *root, const char *format, bool quiet);
