/* Unit tests of the pure parts: the command-line parser, the parent-mode
 * rule and the capability arithmetic.  Bad input exits the process, so each
 * case that should fail runs in a child. */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "sandbox/caps.h"
#include "sandbox/cli.h"
#include "sandbox/mountinfo.h"
#include "sandbox/procview.h"
#include "sandbox/rootpath.h"
#include "sandbox/util.h"

static int count, failed;

static void
ok (bool cond, const char *what)
{
  count++;
  if (!cond)
    failed++;
  printf ("%sok %d - %s\n", cond ? "" : "not ", count, what);
}

static void
parse (struct plan *plan, char **argv)
{
  int argc = 0;

  while (argv[argc])
    argc++;
  plan_init (plan);
  cli_parse (plan, argc, argv, "nestbox");
}

/* Exit status of parsing argv in a child (0: parsed). */
static int
parse_status (char **argv)
{
  pid_t pid;
  int status;

  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      struct plan plan;

      freopen ("/dev/null", "w", stderr);
      parse (&plan, argv);
      cli_validate (&plan);
      _exit (0);
    }
  waitpid (pid, &status, 0);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static void
test_ops_in_order (void)
{
  char *argv[] = { "--ro-bind", "/usr", "/usr", "--perms", "0700", "--size", "4096", "--tmpfs", "/tmp",
                   "--symlink", "usr/lib", "/lib", "--dev-bind-try", "/a", "/b", "true", NULL };
  struct plan plan;

  parse (&plan, argv);
  ok (plan.n_ops == 4, "four filesystem operations");
  ok (plan.ops[0].type == OP_BIND && plan.ops[0].readonly && !plan.ops[0].skip_missing, "--ro-bind is a read-only bind");
  ok (plan.ops[1].type == OP_TMPFS && plan.ops[1].perms == 0700 && plan.ops[1].size == 4096, "--perms and --size reach --tmpfs");
  ok (plan.ops[2].type == OP_SYMLINK && strcmp (plan.ops[2].source, "usr/lib") == 0, "--symlink keeps its target");
  ok (plan.ops[3].allow_devices && plan.ops[3].skip_missing && !plan.ops[3].readonly, "--dev-bind-try");
  ok (strcmp (plan.command[0], "true") == 0, "the command follows the options");
  plan_free (&plan);
}

/* Options whose handler is generic: the table row says which field. */
static void
test_table_fields (void)
{
  char *argv[] = { "--unshare-all", "--share-net", "--level-prefix", "--proc-policy", "bwrap",
                   "--proc-fallback=auto", "--gid", "7", "--info-fd", "5", "--chdir", "/x",
                   "--clearenv", "--unsetenv", "A", "--chmod", "0750", "/d", "--ro-bind-data", "3", "/f",
                   "--pty", "true", NULL };
  struct plan plan;

  parse (&plan, argv);
  ok (plan.unshare_user_try && plan.unshare_pid && plan.unshare_cgroup_try && !plan.unshare_user
          && !plan.unshare_net,
      "--unshare-all sets bwrap's set, --share-net clears the network");
  ok (plan.level_prefix && plan.pty, "flags land in their own fields");
  ok (plan.proc_policy == PROC_POLICY_BWRAP && plan.proc_fallback == PROC_FALLBACK_AUTO,
      "choices, also in --name=value form");
  ok (plan.gid_set && plan.gid == 7 && !plan.uid_set && plan.info_fd == 5, "--gid and an fd option");
  ok (strcmp (plan.chdir_path, "/x") == 0 && plan.n_env_ops == 2 && plan.env_ops[0].type == ENV_CLEAR
          && plan.env_ops[1].type == ENV_UNSET,
      "a string option and environment steps in order");
  ok (plan.n_ops == 2 && plan.ops[0].type == OP_CHMOD && plan.ops[0].perms == 0750
          && plan.ops[1].type == OP_BIND_DATA && plan.ops[1].readonly && plan.ops[1].fd == 3,
      "--chmod's mode and --ro-bind-data's fd");
  plan_free (&plan);
  log_level_prefix = false;
}

static void
test_overlay_sources (void)
{
  char *argv[] = { "--overlay-src", "a", "--overlay-src", "b", "--ro-overlay", "/x", "--", "--cmd", NULL };
  struct plan plan;

  parse (&plan, argv);
  ok (plan.n_ops == 1 && plan.ops[0].n_overlay_sources == 2, "overlay sources collected");
  ok (strcmp (plan.ops[0].overlay_sources[0], "a") == 0, "first --overlay-src is first (the bottom)");
  ok (strcmp (plan.command[0], "--cmd") == 0, "-- makes the next word the command");
  plan_free (&plan);
}

static void
test_id_maps_and_caps (void)
{
  char *argv[] = { "--uid-map", "0:100000:65536", "--uid-map", "65536:1000:1", "--gid-map", "0:100000:65536",
                   "--cap-add", "ALL", "--cap-drop", "CAP_KILL", "true", NULL };
  struct plan plan;
  uint64_t caps;

  parse (&plan, argv);
  ok (plan.n_uid_map == 2 && plan.uid_map[1].inside == 65536 && plan.uid_map[1].count == 1, "--uid-map is repeatable");
  ok (plan.n_gid_map == 1 && plan.gid_map[0].outside == 100000, "--gid-map parses");
  caps = caps_requested (&plan, false, 0);
  ok ((caps & (1ULL << CAP_SYS_ADMIN)) && !(caps & (1ULL << CAP_KILL)), "--cap-add ALL then --cap-drop CAP_KILL");
  plan_free (&plan);
}

static void
test_root_keeps_caps (void)
{
  char *argv[] = { "--cap-drop", "CAP_FOWNER", "true", NULL };
  struct plan plan;
  uint64_t caps;

  parse (&plan, argv);
  caps = caps_requested (&plan, true, (1ULL << CAP_FOWNER) | (1ULL << CAP_NET_BIND_SERVICE));
  ok (caps == (1ULL << CAP_NET_BIND_SERVICE), "uid 0 starts from its own caps, --cap-drop removes one");
  caps = caps_requested (&plan, false, ~0ULL);
  ok (caps == 0, "any other uid starts from none");
  plan_free (&plan);
}

static void
test_parent_modes (void)
{
  static const int perms[] = { -1, 01777, 0755, 0644, 0750, 0710, 0720, 0640, 0700, 0600, 0705, 0604, 0 };
  static const int want[] = { 0755, 0755, 0755, 0755, 0750, 0750, 0750, 0750, 0700, 0700, 0705, 0705, 0700 };
  bool all = true;

  for (size_t i = 0; i < N_ELEMENTS (perms); i++)
    all = all && rootpath_parent_mode (perms[i]) == (mode_t) want[i];
  ok (all, "parent directories follow bwrap's --perms table");
}

static void
test_bad_input (void)
{
  char *no_command[] = { "--unshare-pid", NULL };
  char *unknown[] = { "--nope", "true", NULL };
  char *bad_fd[] = { "--info-fd", "1x", "true", NULL };
  char *dangling_perms[] = { "--perms", "0700", "--chdir", "/", "true", NULL };
  char *bad_map[] = { "--uid-map", "1:2", "true", NULL };
  char *conflict[] = { "--unshare-user", "--userns", "3", "true", NULL };

  ok (parse_status (no_command) == 1, "no command: exit 1");
  ok (parse_status (unknown) == 1, "unknown option: exit 1");
  ok (parse_status (bad_fd) == 1, "bad fd: exit 1");
  ok (parse_status (dangling_perms) == 1, "--perms not followed by a file option: exit 1");
  ok (parse_status (bad_map) == 1, "malformed --uid-map: exit 1");
  ok (parse_status (conflict) == 1, "--userns with --unshare-user: exit 1");
}

static void
test_every_option_in_help (void)
{
  const char *const *names = cli_option_names ();
  size_t n = 0;

  while (names[n])
    n++;
  ok (n >= 68, "the parser knows bwrap 0.11.1's 67 options and nestbox's own");
}

/* Three mount tables: an unmasked /proc, a pod's masked one, and a
 * read-only one whose only child sits on a permanently empty directory. */
static void
test_proc_prediction (void)
{
  static const char unmasked[] = "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n"
                                 "23 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n";
  static const char masked[] = "22 1 0:21 / / rw,relatime - overlay overlay rw\n"
                               "23 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
                               "24 23 0:5 /null /proc/keys rw,nosuid - devtmpfs udev rw\n"
                               "25 23 0:40 / /proc/acpi ro,relatime - tmpfs tmpfs ro\n"
                               "26 23 0:22 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n";
  static const char readonly[] = "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n"
                                 "23 22 0:22 / /my\\040proc ro,nosuid,nodev,noexec,noatime - proc proc rw\n"
                                 "24 23 0:30 / /my\\040proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n";
  struct mount_table t;
  struct proc_view v;

  ok (mountinfo_parse (unmasked, &t) == 0 && t.n == 2, "mountinfo parses");
  procview_predict (&t, &v);
  ok (v.fresh_allowed && !v.readonly, "an unmasked /proc allows a fresh one");
  procview_free (&v);
  mountinfo_free (&t);

  mountinfo_parse (masked, &t);
  procview_predict (&t, &v);
  ok (!v.fresh_allowed && v.n_blockers == 3 && strcmp (v.blockers[0], "/proc/keys") == 0,
      "a masked /proc is predicted to refuse, naming its masks");
  procview_free (&v);
  mountinfo_free (&t);

  mountinfo_parse (readonly, &t);
  ok (strcmp (t.entries[1].mount_point, "/my proc") == 0, "octal escapes in paths are decoded");
  procview_predict (&t, &v);
  ok (v.fresh_allowed && v.readonly && v.atime == MOUNT_ATTR_NOATIME,
      "binfmt_misc does not mask; the fresh one must be read-only and noatime");
  procview_free (&v);
  mountinfo_free (&t);

  ok (mountinfo_parse ("garbage line\n", &t) == -EINVAL, "a malformed mountinfo line is refused");
}

int
main (void)
{
  test_ops_in_order ();
  test_table_fields ();
  test_overlay_sources ();
  test_id_maps_and_caps ();
  test_root_keeps_caps ();
  test_parent_modes ();
  test_bad_input ();
  test_every_option_in_help ();
  test_proc_prediction ();
  printf ("1..%d\n", count);
  return failed ? 1 : 0;
}
