/* nestbox-runc's delete, state and list (runc_delete.h). */
#include "runc_delete.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "oci_config.h"
#include "runc_hooks.h"
#include "runc_log.h"
#include "runc_process.h"
#include "runc_state.h"
#include "util.h"

/* Waits up to ms for pid (of start time start) to be gone. */
static bool
wait_gone (pid_t pid, unsigned long long start, int ms)
{
  for (int waited = 0; pid > 0 && runc_process_is (pid, start); waited += 10)
    {
      if (waited >= ms)
        return false;
      (void) poll (NULL, 0, 10);
    }
  return true;
}

/* Nothing of the container may run on: its processes get SIGKILL, and its
 * monitor, which reaps them and writes the exit code, is waited for so
 * that it writes nothing after the directory is gone. */
static void
stop_container (const struct runc_container *c)
{
  if (runc_process_is (c->pid, c->pid_start))
    (void) runc_signal_all (c->pid, SIGKILL);
  if (!wait_gone (c->pid, c->pid_start, 10000))
    runc_fail ("container \"%s\": its process %d is still there after SIGKILL", c->id, (int) c->pid);
  if (c->monitor_pid > 0 && c->monitor_start != 0 && !wait_gone (c->monitor_pid, c->monitor_start, 5000))
    {
      runc_warn ("container \"%s\": its monitor %d did not end: killed", c->id, (int) c->monitor_pid);
      kill (c->monitor_pid, SIGKILL);
      (void) wait_gone (c->monitor_pid, c->monitor_start, 5000);
    }
}

int
runc_delete (const char *root, const char *id, bool force)
{
  struct runc_container c;
  struct oci_config cfg;
  enum runc_status status;
  char why[512];
  int root_fd, dir_fd, r;

  runc_check_id (id);
  root_fd = runc_open_root (root, false);
  dir_fd = runc_load (root_fd, id, &c, force);
  if (dir_fd < 0)
    return 0;
  status = runc_status_of (dir_fd, &c);
  if (status == RUNC_RUNNING && !force)
    runc_fail ("container \"%s\" is running: stop it first, or delete --force", id);
  if (status == RUNC_CREATING && !force)
    runc_fail ("container \"%s\" is still being created", id);
  runc_debug ("container \"%s\" (%s): deleting", id, runc_status_name (status));
  stop_container (&c);
  if (runc_hooks_reload (&c, &cfg) && runc_hooks_run (&cfg, OCI_HOOK_POSTSTOP, &c, RUNC_STOPPED, why, sizeof why) < 0)
    runc_warn ("container \"%s\": %s", id, why);
  close (dir_fd);
  if ((r = runc_remove_container_dir (root_fd, id)) < 0)
    runc_fail ("container \"%s\": can't remove its state: %s", id, strerror (-r));
  runc_container_free (&c);
  return 0;
}

static void
print_json (json_object *obj)
{
  printf ("%s\n", json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}

int
runc_state (const char *root, const char *id)
{
  struct runc_container c;
  json_object *obj;
  int dir_fd;

  runc_check_id (id);
  dir_fd = runc_load (runc_open_root (root, false), id, &c, false);
  obj = runc_state_json (&c, runc_status_of (dir_fd, &c));
  print_json (obj);
  json_object_put (obj);
  close (dir_fd);
  runc_container_free (&c);
  return 0;
}

/* Every container's state object, in the order of their ids. */
static json_object *
all_states (const char *root)
{
  json_object *list = json_object_new_array ();
  int root_fd = runc_open_root (root, false);
  struct dirent **names = NULL;
  int n = root_fd < 0 ? 0 : scandirat (root_fd, ".", &names, NULL, alphasort);

  for (int i = 0; i < n; i++)
    {
      struct runc_container c;
      int dir_fd;

      if (names[i]->d_name[0] != '.' && (names[i]->d_type == DT_DIR || names[i]->d_type == DT_UNKNOWN)
          && (dir_fd = runc_load (root_fd, names[i]->d_name, &c, true)) >= 0)
        {
          json_object_array_add (list, runc_state_json (&c, runc_status_of (dir_fd, &c)));
          close (dir_fd);
          runc_container_free (&c);
        }
      free (names[i]);
    }
  free (names);
  if (root_fd >= 0)
    close (root_fd);
  return list;
}

static const char *
field (json_object *state, const char *key, char *buf, size_t size)
{
  json_object *v;

  if (!json_object_object_get_ex (state, key, &v))
    return "";
  if (json_object_is_type (v, json_type_int))
    {
      snprintf (buf, size, "%d", json_object_get_int (v));
      return buf;
    }
  return json_object_get_string (v);
}

/* runc's table: columns at least 12 wide, 3 spaces after the longest. */
static void
print_table (json_object *list)
{
  static const char *const keys[] = { "id", "pid", "status", "bundle", "created", "owner" };
  static const char *const titles[] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
  size_t width[N_ELEMENTS (keys)];
  char buf[32];
  size_t n = json_object_array_length (list);

  for (size_t k = 0; k < N_ELEMENTS (keys); k++)
    {
      width[k] = strlen (titles[k]);
      for (size_t i = 0; i < n; i++)
        if (strlen (field (json_object_array_get_idx (list, i), keys[k], buf, sizeof buf)) > width[k])
          width[k] = strlen (field (json_object_array_get_idx (list, i), keys[k], buf, sizeof buf));
      width[k] = width[k] + 3 < 12 ? 12 : width[k] + 3;
    }
  for (size_t k = 0; k < N_ELEMENTS (keys); k++)
    printf (k + 1 < N_ELEMENTS (keys) ? "%-*s" : "%.*s\n", (int) width[k], titles[k]);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < N_ELEMENTS (keys); k++)
      printf (k + 1 < N_ELEMENTS (keys) ? "%-*s" : "%*s\n", k + 1 < N_ELEMENTS (keys) ? (int) width[k] : 0,
              field (json_object_array_get_idx (list, i), keys[k], buf, sizeof buf));
}

int
runc_list (const char *root, const char *format, bool quiet)
{
  json_object *list;
  char buf[32];

  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    runc_fail ("list --format %s: give table or json", format);
  list = all_states (root);
  if (quiet)
    for (size_t i = 0; i < json_object_array_length (list); i++)
      printf ("%s\n", field (json_object_array_get_idx (list, i), "id", buf, sizeof buf));
  else if (strcmp (format, "json") == 0)
    print_json (list);
  else
    print_table (list);
  json_object_put (list);
  return 0;
}
