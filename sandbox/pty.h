/* --pty: the command runs on a pseudo-terminal of the sandbox's own, which
 * the monitor relays to the caller's terminal (or stdin/stdout streams).
 *
 * Why: a command that holds the caller's terminal can push input into it
 * (TIOCSTI, where the kernel still allows it) and read or reconfigure it;
 * bwrap's --new-session prevents that by taking the terminal away, and with
 * it job control and /dev/tty.  A pseudo-terminal of its own gives the
 * command both, and nothing of the caller's: TIOCSTI on it only queues
 * input for the sandbox itself.
 *
 * The work is split by the process that does it:
 *  - pty_setup.c: the launcher (before clone), the sandbox process (opens
 *    the terminal and sends its master to the monitor) and the command
 *    (takes the slave as its controlling terminal);
 *  - pty_relay.c: the monitor, which relays bytes, window sizes and
 *    signals between the caller and the master;
 *  - pty_term.c: the caller's terminal in raw mode while the monitor
 *    relays, and its modes restored on every way out.
 *
 * This header gathers the interfaces the launcher, the sandbox and the
 * monitor use. */
#pragma once

#include "pty_relay.h"
#include "pty_setup.h"
