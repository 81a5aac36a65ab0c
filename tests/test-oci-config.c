/* Unit tests of config.json into the plan (sandbox/oci_config.c and the
 * oci_*.c it calls), over the bundles of tests/oci/: each fixture is
 * copied into a fresh bundle directory with a small root file system, and
 * the plan, the fields kept aside, the warnings and the exact error lines
 * are checked.  Also `spec`'s output (sandbox/oci_spec.c), read back.
 *
 * usage: test-oci-config FIXTURE_DIR */
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/cgroup_limits.h"
#include "sandbox/oci_config.h"
#include "sandbox/oci_spec.h"
#include "sandbox/util.h"

static int count, failed;
static const char *fixtures;
static char bundle[64];
static char warnings[8192];

static void
ok (bool cond, const char *fmt, ...)
{
  va_list ap;

  count++;
  failed += !cond;
  printf ("%sok %d - ", cond ? "" : "not ", count);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  printf ("\n");
}

static void
is_str (const char *got, const char *want, const char *what)
{
  bool same = (got == NULL && want == NULL) || (got && want && strcmp (got, want) == 0);

  ok (same, "%s", what);
  if (!same)
    printf ("#   got:  %s\n#   want: %s\n", got ? got : "(null)", want ? want : "(null)");
}

static void
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "w");

  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    {
      perror (path);
      exit (2);
    }
}

static void
copy_file (const char *from, const char *to)
{
  char *text;
  size_t len;
  int fd = open (from, O_RDONLY | O_CLOEXEC);

  if (fd < 0 || read_all (fd, 1 << 20, &text, &len) < 0)
    {
      perror (from);
      exit (2);
    }
  close (fd);
  write_file (to, text);
  free (text);
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) flag;
  (void) ftw;
  return remove (path);
}

/* A bundle with config.json from the fixture, a root file system with a
 * few files (one symbolic link leading out of it) and bind sources. */
static void
make_bundle (const char *fixture)
{
  static const char *const dirs[] = { "rootfs", "rootfs/etc", "rootfs/usr", "rootfs/realdir", "src" };
  static const char *const files[] = { "rootfs/etc/shadow", "rootfs/realdir/passwd", "hosts", "resolv.conf", "hostname", "containerenv" };
  char from[4096], to[4096];

  strcpy (bundle, "/tmp/nestbox-oci-test-XXXXXX");
  if (mkdtemp (bundle) == NULL)
    exit (2);
  for (size_t i = 0; i < N_ELEMENTS (dirs); i++)
    {
      snprintf (to, sizeof to, "%s/%s", bundle, dirs[i]);
      mkdir (to, 0755);
    }
  for (size_t i = 0; i < N_ELEMENTS (files); i++)
    {
      snprintf (to, sizeof to, "%s/%s", bundle, files[i]);
      write_file (to, "x\n");
    }
  snprintf (to, sizeof to, "%s/rootfs/link", bundle);
  if (symlink ("/etc", to) < 0)
    exit (2);
  if (fixture == NULL)
    return;
  snprintf (from, sizeof from, "%s/%s", fixtures, fixture);
  snprintf (to, sizeof to, "%s/config.json", bundle);
  copy_file (from, to);
}

static void
drop_bundle (void)
{
  nftw (bundle, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Load the fixture's bundle; warnings (stderr) into `warnings`. */
static int
load (const char *fixture, struct oci_config *cfg, char *err, size_t size)
{
  char path[128];
  int saved = dup (STDERR_FILENO), fd, r;
  ssize_t n;

  make_bundle (fixture);
  snprintf (path, sizeof path, "%s.stderr", bundle);
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  fflush (stderr);
  dup2 (fd, STDERR_FILENO);
  r = oci_config_load (bundle, cfg, err, size);
  dup2 (saved, STDERR_FILENO);
  close (saved);
  n = pread (fd, warnings, sizeof warnings - 1, 0);
  warnings[n > 0 ? n : 0] = '\0';
  close (fd);
  unlink (path);
  return r;
}

/* "PREFIX" of the bundle's path written as "B" in op descriptions. */
static const char *
short_path (const char *p, char *buf, size_t size)
{
  size_t n = strlen (bundle);

  if (p != NULL && strncmp (p, bundle, n) == 0)
    snprintf (buf, size, "B%s", p + n);
  else
    snprintf (buf, size, "%s", p ? p : "");
  return buf;
}

static void
describe_op (const struct op *op, char *buf, size_t size)
{
  static const char *const names[] = { [OP_BIND] = "bind", [OP_REMOUNT_RO] = "remount-ro", [OP_PROC] = "proc", [OP_DEV] = "dev", [OP_TMPFS] = "tmpfs", [OP_MQUEUE] = "mqueue", [OP_MASK] = "mask" };
  char src[512];
  int n;

  n = snprintf (buf, size, "%s", names[op->type] ? names[op->type] : "?");
  if (op->source)
    n += snprintf (buf + n, size - (size_t) n, " %s", short_path (op->source, src, sizeof src));
  n += snprintf (buf + n, size - (size_t) n, " %s", op->dest);
  if (op->readonly)
    n += snprintf (buf + n, size - (size_t) n, " ro");
  if (op->allow_devices)
    n += snprintf (buf + n, size - (size_t) n, " dev");
  if (op->skip_missing)
    n += snprintf (buf + n, size - (size_t) n, " try");
  if (op->perms >= 0)
    n += snprintf (buf + n, size - (size_t) n, " perms=%o", (unsigned) op->perms);
  if (op->size)
    snprintf (buf + n, size - (size_t) n, " size=%llu", (unsigned long long) op->size);
}

static void
check_ops (const struct plan *plan, const char *const *want, const char *what)
{
  size_t n = 0;
  char got[1024];

  while (want[n])
    n++;
  ok (plan->n_ops == n, "%s: %zu ops (got %zu)", what, n, plan->n_ops);
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      describe_op (&plan->ops[i], got, sizeof got);
      if (i >= n || strcmp (got, want[i]) != 0)
        printf ("#   op %zu: got \"%s\", want \"%s\"\n", i, got, i < n ? want[i] : "(none)");
    }
  for (size_t i = 0; i < n && i < plan->n_ops; i++)
    {
      describe_op (&plan->ops[i], got, sizeof got);
      ok (strcmp (got, want[i]) == 0, "%s: op %zu is %s", what, i, want[i]);
    }
}

static const char *
env_value (const struct plan *plan, const char *name)
{
  const char *value = NULL;

  for (size_t i = 0; i < plan->n_env_ops; i++)
    if (plan->env_ops[i].type == ENV_SET && strcmp (plan->env_ops[i].name, name) == 0)
      value = plan->env_ops[i].value;
  return value;
}

static bool
has_cap_steps (const struct plan *plan, const int *caps, size_t n)
{
  if (plan->n_cap_steps != n + 1 || plan->cap_steps[0].add || plan->cap_steps[0].cap != -1)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!plan->cap_steps[i + 1].add || plan->cap_steps[i + 1].cap != caps[i])
      return false;
  return true;
}

/* `crun spec`'s config (tests/oci/crun-spec.json, as crun 1.8.1 prints it). */
static void
test_crun_spec (const char *fixture, bool rootless)
{
  struct oci_config cfg;
  char err[1024] = "", root[128];
  static const int caps[] = { CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE };
  const char *ops[] = { "bind B/rootfs /", "proc /proc", "dev /dev", "tmpfs /dev/shm perms=1777 size=67108864", "mqueue /dev/mqueue",
                        "bind /sys /sys ro", "bind /sys/fs/cgroup /sys/fs/cgroup ro", "mask /sys/firmware", "remount-ro /", NULL };
  int r = load (fixture, &cfg, err, sizeof err);
  struct plan *p = &cfg.plan;

  ok (r == 0, "%s loads (%s)", fixture, err);
  if (r < 0)
    return drop_bundle ();
  snprintf (root, sizeof root, "%s/rootfs", bundle);
  is_str (cfg.root_path, root, "root.path is made absolute from the bundle");
  ok (cfg.root_readonly && cfg.terminal, "root.readonly and process.terminal");
  ok (p->unshare_pid && p->unshare_net && p->unshare_ipc && p->unshare_uts && !p->unshare_cgroup, "namespaces pid, network, ipc, uts");
  ok (p->unshare_user == rootless && p->n_uid_map == 0, "a user namespace only in the rootless one");
  ok (p->as_pid_1 && p->new_session && !p->die_with_parent, "the process is pid 1 in a session of its own");
  is_str (p->hostname, "crun", "hostname");
  ok (p->command && strcmp (p->command[0], "sh") == 0 && p->command[1] == NULL, "process.args");
  ok (p->n_env_ops == 3 && p->env_ops[0].type == ENV_CLEAR, "the environment is cleared, then set");
  is_str (env_value (p, "TERM"), "xterm", "process.env TERM");
  is_str (p->chdir_path, "/", "process.cwd");
  ok (p->uid_set && p->uid == 0 && p->gid_set && p->gid == 0, "process.user");
  ok (has_cap_steps (p, caps, N_ELEMENTS (caps)), "capabilities: drop ALL, keep AUDIT_WRITE, KILL, NET_BIND_SERVICE");
  ok (p->n_rlimits == 1 && p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].soft == 1024 && p->rlimits[0].hard == 1024,
      "process.rlimits");
  if (access ("/sys/firmware", F_OK) != 0)
    ops[7] = "remount-ro /", ops[8] = NULL;
  check_ops (p, ops, fixture);
  ok (strstr (warnings, "mounts[3].options: noexec is not applied") != NULL && strchr (warnings, '\n') == strrchr (warnings, '\n'),
      "%s: one warning, for /dev/shm's noexec: %s", fixture, warnings);
  ok (!cgroup_limits_wanted (p), "no cgroup limit");
  oci_config_free (&cfg);
  drop_bundle ();
}

static void
check_buildah_limits (const struct plan *p)
{
  is_str (p->limits[LIMIT_MEMORY_MAX].value, "536870912", "memory.limit -> memory.max");
  is_str (p->limits[LIMIT_MEMORY_SWAP_MAX].value, "536870912", "memory.swap (memory + swap) -> memory.swap.max (swap alone)");
  is_str (p->limits[LIMIT_PIDS_MAX].value, "2048", "pids.limit -> pids.max");
  is_str (p->limits[LIMIT_CPU_MAX].value, "50000 100000", "cpu.quota/period -> cpu.max");
  is_str (p->limits[LIMIT_CPU_WEIGHT].value, "59", "cpu.shares 512 -> cpu.weight 59");
  is_str (p->limits[LIMIT_IO_WEIGHT].value, "4950", "blockIO.weight 500 -> io.weight 4950");
  ok (strstr (warnings, "linux.resources.memory.swappiness: not applied") && strstr (warnings, "linux.resources.cpu.cpus: not applied")
          && strstr (warnings, "linux.resources.hugepageLimits: not applied") && !strstr (warnings, "disableOOMKiller")
          && !strstr (warnings, "devices"),
      "a warning for each resource nestbox does not apply, and only those");
}

static void
check_buildah_process (const struct oci_config *cfg)
{
  const struct plan *p = &cfg->plan;
  static const int caps[] = { CAP_CHOWN, CAP_KILL };

  ok (p->command && p->command[2] && strcmp (p->command[2], "make install") == 0 && !p->command[3], "process.args");
  is_str (env_value (p, "EMPTY"), "", "an empty value");
  is_str (env_value (p, "A"), "b=c", "a value holding '='");
  ok (p->uid == 1000 && p->gid == 1000, "process.user uid and gid");
  ok (cfg->umask == 022 && cfg->n_additional_gids == 3 && cfg->additional_gids[1] == 27, "umask and additionalGids kept aside");
  ok (cfg->oom_score_adj_set && cfg->oom_score_adj == 100, "oomScoreAdj kept aside");
  ok (has_cap_steps (p, caps, N_ELEMENTS (caps)), "uid 1000: the ambient set that permitted and inheritable allow (CHOWN, KILL)");
  ok (p->n_rlimits == 2 && p->rlimits[1].resource == RLIMIT_NPROC && p->rlimits[1].soft == 4096 && p->rlimits[1].hard == RLIM_INFINITY,
      "rlimits, 2^64-1 as unlimited");
  ok (p->n_uid_map == 2 && p->uid_map[1].inside == 1 && p->uid_map[1].outside == 100000 && p->uid_map[1].count == 65536
          && p->n_gid_map == 2,
      "uid and gid mappings, two ranges each");
  ok (p->unshare_user && p->unshare_cgroup && p->as_pid_1, "user and cgroup namespaces");
  ok (p->proc_fallback == PROC_FALLBACK_AUTO && p->landlock_try && !p->landlock, "nestbox's annotations");
  ok (cfg->annotations && strcmp (cfg->annotations[0], "io.buildah.version") == 0 && strcmp (cfg->annotations[1], "1.28.2") == 0,
      "annotations kept in order");
  ok (cfg->sysctl && strcmp (cfg->sysctl[0], "net.ipv4.ping_group_range") == 0 && strcmp (cfg->sysctl[1], "0 0") == 0 && !cfg->sysctl[2],
      "sysctl kept aside");
  ok (cfg->n_hooks[OCI_HOOK_CREATE_RUNTIME] == 1 && cfg->hooks[OCI_HOOK_CREATE_RUNTIME][0].timeout == 10
          && strcmp (cfg->hooks[OCI_HOOK_CREATE_RUNTIME][0].args[1], "create") == 0
          && strcmp (cfg->hooks[OCI_HOOK_CREATE_RUNTIME][0].env[0], "A=1") == 0 && cfg->n_hooks[OCI_HOOK_POSTSTOP] == 1
          && cfg->hooks[OCI_HOOK_POSTSTOP][0].args[0] == NULL && cfg->n_hooks[OCI_HOOK_PRESTART] == 0,
      "hooks by kind, with args, env and timeout");
}

/* A buildah-style RUN step: many mounts, ranges, limits, a profile. */
static void
test_buildah (void)
{
  struct oci_config cfg;
  char err[1024] = "", seccomp_text[4096] = "";
  const char *ops[] = { "bind B/rootfs /", "proc /proc", "dev /dev", "mqueue /dev/mqueue", "bind /sys /sys ro",
                        "bind /sys/fs/cgroup /sys/fs/cgroup ro", "tmpfs /dev/shm perms=1777 size=67108864", "tmpfs /run perms=1777",
                        "bind B/hosts /etc/hosts ro", "bind B/resolv.conf /etc/resolv.conf ro", "bind B/hostname /etc/hostname ro",
                        "bind B/containerenv /run/.containerenv ro", "bind B/src /src", "tmpfs /var/cache/apt perms=700 size=1073741824",
                        "remount-ro /var/cache/apt", "bind /dev/null /dev/null dev try", "remount-ro /run", "bind B/rootfs/usr /usr ro try",
                        "mask /sys/firmware", "mask /sys/dev/block", "mask /proc/self/environ", "mask /etc/shadow", NULL };
  int r = load ("buildah-run.json", &cfg, err, sizeof err);

  ok (r == 0, "buildah-run.json loads (%s)", err);
  if (r < 0)
    return drop_bundle ();
  if (access ("/sys/firmware", F_OK) != 0)
    memmove (&ops[18], &ops[19], 4 * sizeof ops[0]);
  check_ops (&cfg.plan, ops, "buildah-run.json");
  check_buildah_process (&cfg);
  check_buildah_limits (&cfg.plan);
  ok (cfg.seccomp_fd >= 0 && cfg.plan.seccomp_profile && pread (cfg.seccomp_fd, seccomp_text, sizeof seccomp_text - 1, 0) > 0
          && strstr (seccomp_text, "\"keyctl\"") != NULL,
      "linux.seccomp is handed to the profile compiler as %s", cfg.plan.seccomp_profile);
  ok (fcntl (cfg.seccomp_fd, F_GET_SEALS) & F_SEAL_WRITE, "the profile's memfd is sealed");
  oci_config_free (&cfg);
  drop_bundle ();
}

/* Each bad bundle: refused with exactly this line ("B" for the bundle),
 * and nothing kept. */
static const struct
{
  const char *fixture, *error;
} bad_cases[] = {
  { "bad-malformed.json", "B/config.json: invalid JSON at line 3, column 30: quoted object property name expected" },
  { "bad-truncated.json", "B/config.json: truncated JSON: the file ends inside the document" },
  { "bad-wrong-type.json", "process.args: must be an array, not a string" },
  { "bad-wrong-type-nested.json", "linux.uidMappings[0].size: must be a non-negative integer, not a string" },
  { "bad-unknown-namespace.json", "linux.namespaces[1].type: unknown namespace \"foo\"" },
  { "bad-unknown-mount-type.json", "mounts[1].type: unknown or unsupported mount type \"ext4\"" },
  { "bad-unknown-mount-option.json", "mounts[0].options[1]: unsupported option \"tmpcopyup\"" },
  { "bad-unsupported-field.json", "linux.intelRdt: not supported by nestbox-runc" },
  { "bad-unsupported-process-field.json", "process.scheduler: not supported by nestbox-runc" },
  { "bad-version.json", "ociVersion: \"0.5.0\" is not supported: nestbox-runc reads runtime-spec 1.x" },
  { "bad-join-network.json", "linux.namespaces[1].path: joining an existing network namespace is not supported by nestbox-runc (only user and pid)" },
  { "bad-join-wrong-kind.json", "linux.namespaces[1].path: /proc/self/ns/net is not a user namespace" },
  { "bad-missing-device.json", "linux.devices[0]: no c 511:511 device on this host (at /dev/nestbox-no-such-node or elsewhere in /dev); nestbox-runc binds the host's node and cannot create one" },
  { "bad-device-number.json", "linux.devices[0]: 1:5000000 is not a device number" },
  { "bad-hostname-without-uts.json", "hostname: needs a new uts namespace in linux.namespaces" },
  { "bad-swap-without-limit.json", "linux.resources.memory.swap: a swap limit needs a memory limit (it counts memory and swap together)" },
  { "bad-pids-limit.json", "linux.resources.pids.limit: 5000000 is out of range for pids.max" },
  { "bad-env.json", "process.env[1]: \"NOEQUALS\" is not NAME=VALUE" },
  { "bad-seccomp.json", "linux.seccomp: syscalls[0].action: unknown action \"SCMP_ACT_BOGUS\" (known: SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG)" },
  { "bad-annotation.json", "annotations[\"run.oci.nestbox.proc-fallback\"]: \"sometimes\": give auto, bind, subset or none" },
  { "bad-root-missing.json", "root.path: B/no-such-rootfs: No such file or directory" },
  { "bad-no-mount-namespace.json", "linux.namespaces: no mount namespace: nestbox-runc always makes one, add {\"type\": \"mount\"}" },
  { "bad-shared-propagation.json", "mounts[0].options[1]: \"rshared\" is not supported: nestbox-runc's mounts are private" },
  { "bad-devpts-without-dev.json", "mounts[0]: a devpts mount is supported only on /dev/pts, after a tmpfs on /dev (nestbox's /dev brings its own pts)" },
  { "bad-no-args.json", "process.args: missing or empty: the command to run is required" },
  { "bad-readonly-symlink.json", "linux.readonlyPaths[0]: /link/passwd goes through a symbolic link: nestbox-runc cannot make it read-only safely" },
  { "bad-rlimit.json", "process.rlimits[0]: the soft limit is above the hard one" },
  { "bad-windows.json", "windows: not supported by nestbox-runc (a runtime for Linux containers)" },
};

/* err with the bundle's path written as "B". */
static void
check_error (const char *fixture, const char *want)
{
  struct oci_config cfg;
  char err[1024] = "", got[1200];
  int r = load (fixture, &cfg, err, sizeof err);
  char *at = strstr (err, bundle);

  if (at != NULL)
    snprintf (got, sizeof got, "%.*sB%s", (int) (at - err), err, at + strlen (bundle));
  else
    snprintf (got, sizeof got, "%s", err);
  ok (r == -1, "%s is refused", fixture);
  is_str (got, want, fixture);
  ok (cfg.plan.n_ops == 0 && cfg.plan.owned == NULL && cfg.bundle == NULL && cfg.seccomp_fd == -1, "%s: nothing kept", fixture);
  ok (strchr (err, '\n') == NULL, "%s: one line", fixture);
  drop_bundle ();
}

static void
test_missing_bundle (void)
{
  struct oci_config cfg;
  char err[1024] = "", want[256];

  ok (oci_config_load ("/nonexistent/nestbox-bundle", &cfg, err, sizeof err) == -1, "a missing bundle is refused");
  is_str (err, "/nonexistent/nestbox-bundle: cannot open the bundle: No such file or directory", "a missing bundle: the line");
  make_bundle (NULL);
  ok (oci_config_load (bundle, &cfg, err, sizeof err) == -1, "a bundle without config.json is refused");
  snprintf (want, sizeof want, "%s/config.json: cannot open: No such file or directory", bundle);
  is_str (err, want, "a missing config.json: the line");
  drop_bundle ();
}

/* The attack's control: the same read-only path through a real
 * directory is bound read-only from inside the root. */
static void
test_readonly_control (void)
{
  struct oci_config cfg;
  char err[1024] = "";
  const char *ops[] = { "bind B/rootfs /", "bind B/rootfs/realdir/passwd /realdir/passwd ro try", NULL };

  ok (load ("readonly-real-dir.json", &cfg, err, sizeof err) == 0, "readonly-real-dir.json loads (%s)", err);
  check_ops (&cfg.plan, ops, "a read-only path without a symbolic link");
  oci_config_free (&cfg);
  drop_bundle ();
}

static void
test_joins (void)
{
  struct oci_config cfg;
  char err[1024] = "";

  ok (load ("joins-namespaces.json", &cfg, err, sizeof err) == 0, "joins-namespaces.json loads (%s)", err);
  ok (cfg.plan.userns_fd >= 0 && cfg.plan.pidns_fd >= 0 && !cfg.plan.unshare_user && !cfg.plan.unshare_pid && !cfg.plan.as_pid_1,
      "user and pid namespaces joined by path: --userns and --pidns fds, no pid 1");
  ok (cfg.plan.unshare_uts && cfg.plan.hostname == NULL, "a new uts namespace beside them");
  oci_config_free (&cfg);
  drop_bundle ();
}

/* The least a config can say: the root bound on /, nothing dropped. */
static void
test_minimal (void)
{
  struct oci_config cfg;
  char err[1024] = "";
  const char *ops[] = { "bind B/rootfs /", NULL };
  struct plan *p = &cfg.plan;

  ok (load ("minimal.json", &cfg, err, sizeof err) == 0, "minimal.json loads (%s)", err);
  check_ops (p, ops, "minimal.json");
  ok (!p->unshare_pid && !p->unshare_net && !p->unshare_user && !p->as_pid_1 && p->hostname == NULL, "no namespace but the mount one");
  ok (p->n_env_ops == 1 && p->env_ops[0].type == ENV_CLEAR, "no process.env: an empty environment");
  ok (p->n_cap_steps == 0 && p->n_rlimits == 0 && p->seccomp_profile == NULL, "no capabilities given: nothing dropped (as runc)");
  ok (cfg.umask == -1 && !cfg.oom_score_adj_set && cfg.seccomp_fd == -1 && cfg.annotations && !cfg.annotations[0], "nothing kept aside");
  ok (warnings[0] == '\0', "no warning");
  oci_config_free (&cfg);
  drop_bundle ();
}

/* A device named otherwise in the container: the host's node of that
 * number is bound (here /dev/zero, 1:5). */
static void
test_device_renamed (void)
{
  struct oci_config cfg;
  char err[1024] = "";
  const char *ops[] = { "bind B/rootfs /", "bind /dev/zero /dev/renamed-zero dev try", NULL };

  ok (load ("device-renamed.json", &cfg, err, sizeof err) == 0, "device-renamed.json loads (%s)", err);
  check_ops (&cfg.plan, ops, "a device at another path than the host's");
  oci_config_free (&cfg);
  drop_bundle ();
}

/* -1 as "max", the ends of the conversion curves, the v2 files by name. */
static void
test_resources_edges (void)
{
  struct oci_config cfg;
  char err[1024] = "";
  struct plan *p = &cfg.plan;

  ok (load ("resources-edge.json", &cfg, err, sizeof err) == 0, "resources-edge.json loads (%s)", err);
  is_str (p->limits[LIMIT_MEMORY_MAX].value, "max", "memory.limit -1 -> memory.max max");
  is_str (p->limits[LIMIT_MEMORY_SWAP_MAX].value, "max", "unlimited memory, swap not given -> memory.swap.max max (as runc)");
  is_str (p->limits[LIMIT_PIDS_MAX].value, "max", "pids.limit -1 -> pids.max max");
  is_str (p->limits[LIMIT_CPU_MAX].value, "max 50000", "cpu.quota -1 with a period -> cpu.max max 50000");
  is_str (p->limits[LIMIT_CPU_WEIGHT].value, "100", "cpu.shares 1024 (the v1 default) -> cpu.weight 100 (the v2 default)");
  is_str (p->limits[LIMIT_IO_WEIGHT].value, "200", "unified io.weight wins over blockIO.weight 10 (-> 1)");
  ok (strstr (warnings, "linux.resources.unified.memory.high: not applied") != NULL, "unified files nestbox has no limit for: a warning");
  ok (strstr (warnings, "linux.resources.devices[0]: a deny rule for some devices is not enforced") != NULL
          && strstr (warnings, "devices[1]") == NULL,
      "a deny rule for one device: a warning; an allow rule: none");
  oci_config_free (&cfg);
  drop_bundle ();
}

/* `spec` and `spec --rootless` give configs that load, without warnings. */
static void
test_spec (bool rootless)
{
  struct oci_config cfg;
  char err[1024] = "", dir[] = "/tmp/nestbox-oci-spec-XXXXXX", path[128];
  const char *saved = fixtures, *name = rootless ? "spec --rootless" : "spec";
  FILE *f;
  int r;

  if (mkdtemp (dir) == NULL)
    exit (2);
  snprintf (path, sizeof path, "%s/config.json", dir);
  f = fopen (path, "w");
  oci_spec_write (f, rootless);
  fclose (f);
  fixtures = dir;
  r = load ("config.json", &cfg, err, sizeof err);
  fixtures = saved;
  unlink (path);
  rmdir (dir);
  ok (r == 0, "%s gives a config that loads (%s)", name, err);
  ok (warnings[0] == '\0', "%s: no warning (%s)", name, warnings);
  ok (cfg.plan.unshare_user == rootless && cfg.plan.n_uid_map == (rootless ? 1u : 0u)
          && (!rootless || (cfg.plan.uid_map[0].outside == geteuid () && cfg.plan.gid_map[0].outside == getegid ())),
      "%s: the user namespace maps the caller's ids", name);
  ok (cfg.root_readonly && cfg.plan.unshare_cgroup && cfg.plan.n_cap_steps == 4, "%s: a read-only root, a cgroup namespace, three capabilities",
      name);
  oci_config_free (&cfg);
  drop_bundle ();
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
      return 2;
    }
  fixtures = argv[1];
  set_program_name ("nestbox-runc");
  test_crun_spec ("crun-spec.json", false);
  test_crun_spec ("crun-spec-rootless.json", true);
  test_buildah ();
  test_joins ();
  test_minimal ();
  test_device_renamed ();
  test_resources_edges ();
  test_readonly_control ();
  test_missing_bundle ();
  for (size_t i = 0; i < N_ELEMENTS (bad_cases); i++)
    check_error (bad_cases[i].fixture, bad_cases[i].error);
  test_spec (false);
  test_spec (true);
  printf ("1..%d\n", count);
  return failed ? 1 : 0;
}
