/* --pty: the caller's terminal while the monitor relays it.  Raw mode is
 * entered and left here only, and a crash of the monitor still restores
 * the caller's modes. */
#pragma once

#include <stdbool.h>

/* Put the terminal on fd into raw mode.  The first call saves its modes
 * (the ones every later restore puts back) and installs handlers that
 * restore them on a fatal signal.  Returns 0 or -errno. */
int pty_term_enter_raw (int fd);

/* Give the terminal its saved modes back, at when (TCSANOW, TCSADRAIN), if
 * it is in raw mode.  Async-signal-safe. */
void pty_term_restore (int when);

/* Whether the caller's terminal is in raw mode now. */
bool pty_term_is_raw (void);
