/* The channels between nestbox's processes: made before clone, each a
 * pipe or a socket pair with one end on each side.  The monitor is one
 * side; the sandbox (set-up, pid 1 and the command, which inherit from it)
 * is the other.  This module makes them and closes them, and its table
 * says which end each side holds. */
#pragma once

struct channels
{
  int exec_pipe[2];     /* command -> monitor: 1 byte before exec, 2 if exec failed */
  int status_pipe[2];   /* pid 1 -> monitor: the command's exit code */
  int pid_sock[2];      /* sandbox -> monitor: the real pid after --pidns forks */
  int pty_sock[2];      /* sandbox -> monitor: the --pty master (pty_setup.c) */
  int map_pipe[2];      /* monitor -> sandbox: the id maps are written */
  int monitor_alive[2]; /* --die-with-parent: never written; end of file = the monitor is gone */
};

enum channel_side
{
  MONITOR_SIDE,
  SANDBOX_SIDE,
};

/* Every channel absent (-1). */
void channels_init (struct channels *c);

/* Make one channel (a member of struct channels); dies on error. */
void channel_open_pipe (int ends[2]);
void channel_open_socket (int ends[2]);

/* Right after clone, on each side: close the ends the other side holds. */
void channels_keep_side (struct channels *c, enum channel_side side);

/* A channel that has served: close whichever of its ends is still open. */
void channel_close (int ends[2]);
