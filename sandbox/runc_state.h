/* nestbox-runc's state directory: --root holds one directory per container,
 * named by its id, with
 *   state.json  what `state` reports (and the processes to check it against),
 *               written once the container waits at exec.fifo;
 *   exec.fifo   the FIFO the container's process waits on until `start`;
 *   exit-code   the command's exit code, where nestbox's monitor stayed
 *               with the container (a foreground run; cgroup limits).
 * Everything is found again from these files and /proc: nestbox-runc
 * keeps no process of its own between commands. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

#define RUNC_STATE_FILE "state.json"
#define RUNC_FIFO_FILE "exec.fifo"
#define RUNC_EXIT_FILE "exit-code"

struct runc_container
{
  char *id;
  pid_t pid; /* the container's process, as the caller's pid namespace sees it */
  /* /proc/PID/stat's start times: a pid reused by another process after the
   * container's ended is not the container. */
  unsigned long long pid_start;
  pid_t monitor_pid; /* nestbox's monitor, which waits for the container */
  unsigned long long monitor_start;
  char *bundle, *rootfs, *created, *owner;
  json_object *annotations; /* an object; NULL for none */
  bool late_hooks;          /* config.json has poststart or poststop hooks */
};

enum runc_status
{
  RUNC_CREATING, /* the directory exists, the container is being made */
  RUNC_CREATED,  /* waiting at exec.fifo */
  RUNC_RUNNING,
  RUNC_STOPPED,
};

/* --root's default: /run/nestbox-runc for root, $XDG_RUNTIME_DIR/nestbox-runc
 * otherwise.  Heap string. */
char *runc_default_root (void);

/* Ids name directories: letters, digits, '_', '+', '-' and '.', not
 * starting with '.', at most 1024 bytes.  Anything else: fail. */
void runc_check_id (const char *id);

/* The --root directory (made, mode 0700, when create is true); fails
 * with one line when it cannot be had.  -1 when it does not exist and
 * create is false (runc_load then says the container does not exist). */
int runc_open_root (const char *root, bool create);

/* A new container's directory; fails if the id is taken.  Returns its fd. */
int runc_make_container_dir (int root_fd, const char *id);
/* Everything of a container's directory, and the directory.  0 or -errno. */
int runc_remove_container_dir (int root_fd, const char *id);

/* Load a container; fails with "container ... does not exist" unless
 * missing_ok (then returns -1).  Returns the fd of its directory. */
int runc_load (int root_fd, const char *id, struct runc_container *c, bool missing_ok);
int runc_save (int dir_fd, const struct runc_container *c);
void runc_container_free (struct runc_container *c);

enum runc_status runc_status_of (int dir_fd, const struct runc_container *c);
const char *runc_status_name (enum runc_status status);
/* runc's state object: ociVersion, id, pid, status, bundle, rootfs,
 * created, owner, annotations.  The caller puts it. */
json_object *runc_state_json (const struct runc_container *c, enum runc_status status);

/* The monitor's last word: the command's exit code.  0 or -errno. */
int runc_record_exit (int dir_fd, int exit_code);
