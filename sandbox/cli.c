/* bubblewrap 0.11.1's command line (plus nestbox's own options) into a plan.
 *
 * Table-driven: each option names how many arguments it takes and the
 * handler that records it.  Handlers never touch the system; only --args
 * reads the fd it is given. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "util.h"

struct parser
{
  struct plan *plan;
  const char *invoked_as;
  size_t total_args;
  bool in_args_file;
  /* Modifiers waiting for the operation they apply to. */
  int next_perms;
  uint64_t next_size;
  const char **pending_overlay_sources;
  size_t n_pending_overlay_sources;
  bool consumed_modifiers;
};

struct option_def
{
  const char *name;
  int n_args;
  void (*handle) (struct parser *p, const struct option_def *def, char **args);
  const char *arg_names;
  const char *help;
};

static struct op *
add_op (struct parser *p, enum op_type type)
{
  struct plan *plan = p->plan;
  struct op *op;

  plan->ops = xreallocarray (plan->ops, plan->n_ops + 1, sizeof *plan->ops);
  op = &plan->ops[plan->n_ops++];
  memset (op, 0, sizeof *op);
  op->type = type;
  op->fd = -1;
  op->perms = -1;
  return op;
}

/* An operation that takes --perms/--size modifiers consumes them. */
static void
take_perms (struct parser *p, struct op *op)
{
  op->perms = p->next_perms;
  p->next_perms = -1;
}

static int
parse_fd_arg (const char *s)
{
  int fd;

  if (!parse_fd (s, &fd))
    die ("Invalid fd: %s", s);
  return fd;
}

static void
warn_if_repeated (bool already_set, const char *name)
{
  if (already_set)
    warn_msg ("Only the last %s option will take effect", name);
}

/* ---- handlers ---------------------------------------------------------- */

static void
opt_flag (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  const char *n = def->name;

  (void) args;
  if (strcmp (n, "--unshare-all") == 0)
    {
      /* bwrap: the -try forms for user and cgroup, which may be unsupported. */
      plan->unshare_user_try = plan->unshare_ipc = plan->unshare_pid = true;
      plan->unshare_net = plan->unshare_uts = plan->unshare_cgroup_try = true;
    }
  else if (strcmp (n, "--share-net") == 0)
    plan->unshare_net = false;
  else if (strcmp (n, "--unshare-user") == 0)
    plan->unshare_user = true;
  else if (strcmp (n, "--unshare-user-try") == 0)
    plan->unshare_user_try = true;
  else if (strcmp (n, "--unshare-ipc") == 0)
    plan->unshare_ipc = true;
  else if (strcmp (n, "--unshare-pid") == 0)
    plan->unshare_pid = true;
  else if (strcmp (n, "--unshare-net") == 0)
    plan->unshare_net = true;
  else if (strcmp (n, "--unshare-uts") == 0)
    plan->unshare_uts = true;
  else if (strcmp (n, "--unshare-cgroup") == 0)
    plan->unshare_cgroup = true;
  else if (strcmp (n, "--unshare-cgroup-try") == 0)
    plan->unshare_cgroup_try = true;
  else if (strcmp (n, "--disable-userns") == 0)
    plan->disable_userns = true;
  else if (strcmp (n, "--assert-userns-disabled") == 0)
    plan->assert_userns_disabled = true;
  else if (strcmp (n, "--clearenv") == 0)
    {
      plan->env_ops = xreallocarray (plan->env_ops, plan->n_env_ops + 1, sizeof *plan->env_ops);
      plan->env_ops[plan->n_env_ops++] = (struct env_op) { .type = ENV_CLEAR };
    }
  else if (strcmp (n, "--new-session") == 0)
    plan->new_session = true;
  else if (strcmp (n, "--die-with-parent") == 0)
    plan->die_with_parent = true;
  else if (strcmp (n, "--as-pid-1") == 0)
    plan->as_pid_1 = true;
  else if (strcmp (n, "--level-prefix") == 0)
    log_level_prefix = true;
}

/* --pty (pty.c): nestbox's own, kept apart from bwrap's flags. */
static void
opt_pty (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  (void) args;
  p->plan->pty = true;
}

/* Options whose argument is an fd; the last one wins, with a warning. */
static void
opt_single_fd (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  const char *n = def->name;
  int fd = parse_fd_arg (args[0]);
  int *slot;

  if (strcmp (n, "--sync-fd") == 0)
    slot = &plan->sync_fd;
  else if (strcmp (n, "--block-fd") == 0)
    slot = &plan->block_fd;
  else if (strcmp (n, "--userns-block-fd") == 0)
    slot = &plan->userns_block_fd;
  else if (strcmp (n, "--info-fd") == 0)
    slot = &plan->info_fd;
  else if (strcmp (n, "--json-status-fd") == 0)
    slot = &plan->json_status_fd;
  else if (strcmp (n, "--userns") == 0)
    slot = &plan->userns_fd;
  else if (strcmp (n, "--userns2") == 0)
    slot = &plan->userns2_fd;
  else if (strcmp (n, "--pidns") == 0)
    slot = &plan->pidns_fd;
  else
    {
      if (plan->n_add_seccomp_fds > 0)
        die ("--seccomp cannot be combined with --add-seccomp-fd");
      slot = &plan->seccomp_fd;
    }
  warn_if_repeated (*slot != -1, n);
  *slot = fd;
}

static void
opt_add_seccomp_fd (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  int fd;

  (void) def;
  if (plan->seccomp_fd != -1)
    die ("--add-seccomp-fd cannot be combined with --seccomp");
  fd = parse_fd_arg (args[0]);
  plan->add_seccomp_fds = xreallocarray (plan->add_seccomp_fds, plan->n_add_seccomp_fds + 1, sizeof (int));
  plan->add_seccomp_fds[plan->n_add_seccomp_fds++] = fd;
}

static void
opt_single_string (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  const char *n = def->name;
  const char **slot;

  if (strcmp (n, "--chdir") == 0)
    slot = &plan->chdir_path;
  else if (strcmp (n, "--hostname") == 0)
    slot = &plan->hostname;
  else if (strcmp (n, "--exec-label") == 0)
    slot = &plan->exec_label;
  else
    slot = &plan->file_label;
  warn_if_repeated (*slot != NULL, n);
  *slot = args[0];
}

/* --seccomp-profile FILE|default: read and compiled before clone (seccomp.c). */
static void
opt_seccomp_profile (struct parser *p, const struct option_def *def, char **args)
{
  warn_if_repeated (p->plan->seccomp_profile != NULL, def->name);
  p->plan->seccomp_profile = args[0];
}

static void
opt_argv0 (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  if (p->plan->argv0 != NULL)
    die ("--argv0 used multiple times");
  p->plan->argv0 = args[0];
}

static void
opt_id (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  bool is_uid = strcmp (def->name, "--uid") == 0;
  uint32_t id;

  if (!parse_id (args[0], &id))
    die ("Invalid %s: %s", is_uid ? "uid" : "gid", args[0]);
  warn_if_repeated (is_uid ? plan->uid_set : plan->gid_set, def->name);
  if (is_uid)
    {
      plan->uid = id;
      plan->uid_set = true;
    }
  else
    {
      plan->gid = id;
      plan->gid_set = true;
    }
}

/* --uid-map/--gid-map INSIDE:OUTSIDE:COUNT, repeatable. */
static void
opt_id_map (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  bool is_uid = strcmp (def->name, "--uid-map") == 0;
  struct id_range r;
  char buf[64];
  char *outside, *count;
  uint32_t vals[3];

  if (strlen (args[0]) >= sizeof buf)
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT): %.64s...", def->name, args[0]);
  strcpy (buf, args[0]);
  outside = strchr (buf, ':');
  count = outside ? strchr (outside + 1, ':') : NULL;
  if (count == NULL)
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT): %s", def->name, args[0]);
  *outside++ = '\0';
  *count++ = '\0';
  if (!parse_id (buf, &vals[0]) || !parse_id (outside, &vals[1]) || !parse_id (count, &vals[2]))
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT of decimal ids): %s", def->name, args[0]);
  r = (struct id_range) { vals[0], vals[1], vals[2] };
  if (r.count == 0 || (uint64_t) r.inside + r.count > UINT32_MAX
      || (uint64_t) r.outside + r.count > UINT32_MAX)
    die ("Invalid %s range (empty, or past the last id): %s", def->name, args[0]);
  if (is_uid)
    {
      plan->uid_map = xreallocarray (plan->uid_map, plan->n_uid_map + 1, sizeof r);
      plan->uid_map[plan->n_uid_map++] = r;
    }
  else
    {
      plan->gid_map = xreallocarray (plan->gid_map, plan->n_gid_map + 1, sizeof r);
      plan->gid_map[plan->n_gid_map++] = r;
    }
}

static void
opt_env (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  bool set = strcmp (def->name, "--setenv") == 0;

  if (args[0][0] == '\0' || strchr (args[0], '=') != NULL)
    die ("Invalid environment variable name for %s: %s", def->name, args[0]);
  plan->env_ops = xreallocarray (plan->env_ops, plan->n_env_ops + 1, sizeof *plan->env_ops);
  plan->env_ops[plan->n_env_ops++] = (struct env_op) {
    .type = set ? ENV_SET : ENV_UNSET, .name = args[0], .value = set ? args[1] : NULL,
  };
}

static void
opt_lock_file (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;

  (void) def;
  plan->lock_files = xreallocarray (plan->lock_files, plan->n_lock_files + 1, sizeof (char *));
  plan->lock_files[plan->n_lock_files++] = args[0];
}

static void
opt_cap (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  struct cap_step step = { .add = strcmp (def->name, "--cap-add") == 0, .cap = -1 };

  if (strcasecmp (args[0], "ALL") != 0)
    {
      cap_value_t cap;

      if (cap_from_name (args[0], &cap) < 0)
        die ("unknown cap: %s", args[0]);
      step.cap = cap;
    }
  plan->cap_steps = xreallocarray (plan->cap_steps, plan->n_cap_steps + 1, sizeof step);
  plan->cap_steps[plan->n_cap_steps++] = step;
}

static void
opt_perms (struct parser *p, const struct option_def *def, char **args)
{
  uint64_t v;

  (void) def;
  if (p->next_perms >= 0)
    die ("--perms given twice for the same action");
  if (!parse_uint64 (args[0], 8, &v) || v > 07777)
    die ("--perms takes an octal argument <= 07777");
  p->next_perms = (int) v;
  p->consumed_modifiers = true;
}

/* tmpfs size=: at most SIZE_MAX/2 so that the kernel's page rounding cannot overflow. */
#define MAX_TMPFS_BYTES ((uint64_t) (SIZE_MAX >> 1))

static void
opt_size (struct parser *p, const struct option_def *def, char **args)
{
  uint64_t v;

  (void) def;
  if (p->next_size != 0)
    die ("--size given twice for the same action");
  if (!parse_uint64 (args[0], 0, &v) || v == 0)
    die ("--size takes a non-zero number of bytes");
  if (v > MAX_TMPFS_BYTES)
    die ("--size (for tmpfs) is limited to %zu", (size_t) MAX_TMPFS_BYTES);
  p->next_size = v;
  p->consumed_modifiers = true;
}

static void
opt_bind (struct parser *p, const struct option_def *def, char **args)
{
  const char *n = def->name;
  struct op *op = add_op (p, OP_BIND);

  op->source = args[0];
  op->dest = args[1];
  op->readonly = strncmp (n, "--ro-", 5) == 0;
  op->allow_devices = strncmp (n, "--dev-", 6) == 0;
  op->skip_missing = strstr (n, "-try") != NULL;
}

static void
opt_bind_fd (struct parser *p, const struct option_def *def, char **args)
{
  struct op *op = add_op (p, OP_BIND_FD);

  op->fd = parse_fd_arg (args[0]);
  op->dest = args[1];
  op->readonly = strcmp (def->name, "--ro-bind-fd") == 0;
}

static void
opt_dest_only (struct parser *p, const struct option_def *def, char **args)
{
  const char *n = def->name;
  struct op *op;

  if (strcmp (n, "--remount-ro") == 0)
    op = add_op (p, OP_REMOUNT_RO);
  else if (strcmp (n, "--proc") == 0)
    op = add_op (p, OP_PROC);
  else if (strcmp (n, "--dev") == 0)
    op = add_op (p, OP_DEV);
  else if (strcmp (n, "--mqueue") == 0)
    op = add_op (p, OP_MQUEUE);
  else if (strcmp (n, "--mask") == 0)
    op = add_op (p, OP_MASK);
  else if (strcmp (n, "--dir") == 0)
    {
      op = add_op (p, OP_DIR);
      take_perms (p, op);
    }
  else
    {
      op = add_op (p, OP_TMPFS);
      take_perms (p, op);
      op->size = p->next_size;
      p->next_size = 0;
    }
  op->dest = args[0];
}

static void
opt_fd_data (struct parser *p, const struct option_def *def, char **args)
{
  const char *n = def->name;
  struct op *op = add_op (p, strcmp (n, "--file") == 0 ? OP_FILE : OP_BIND_DATA);

  op->fd = parse_fd_arg (args[0]);
  op->dest = args[1];
  op->readonly = strcmp (n, "--ro-bind-data") == 0;
  take_perms (p, op);
}

static void
opt_symlink (struct parser *p, const struct option_def *def, char **args)
{
  struct op *op = add_op (p, OP_SYMLINK);

  (void) def;
  op->source = args[0];
  op->dest = args[1];
}

static void
opt_chmod (struct parser *p, const struct option_def *def, char **args)
{
  struct op *op;
  uint64_t v;

  (void) def;
  if (!parse_uint64 (args[0], 8, &v) || v > 07777)
    die ("--chmod takes an octal argument <= 07777");
  op = add_op (p, OP_CHMOD);
  op->perms = (int) v;
  op->dest = args[1];
}

static void
opt_overlay_src (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  p->pending_overlay_sources = xreallocarray (p->pending_overlay_sources,
                                              p->n_pending_overlay_sources + 1, sizeof (char *));
  p->pending_overlay_sources[p->n_pending_overlay_sources++] = args[0];
  p->consumed_modifiers = true;
}

static void
opt_overlay (struct parser *p, const struct option_def *def, char **args)
{
  const char *n = def->name;
  struct op *op;
  size_t need = 1;
  enum overlay_kind kind = OVERLAY_RW;

  if (strcmp (n, "--tmp-overlay") == 0)
    kind = OVERLAY_TMP;
  else if (strcmp (n, "--ro-overlay") == 0)
    {
      kind = OVERLAY_RO;
      need = 2;
    }
  if (p->n_pending_overlay_sources < need)
    die ("%s requires at least %s --overlay-src", n, need == 1 ? "one" : "two");
  op = add_op (p, OP_OVERLAY);
  op->overlay = kind;
  if (kind == OVERLAY_RW)
    {
      op->source = args[0];
      op->workdir = args[1];
      op->dest = args[2];
    }
  else
    op->dest = args[0];
  op->overlay_sources = take_ptr (&p->pending_overlay_sources);
  op->n_overlay_sources = p->n_pending_overlay_sources;
  p->n_pending_overlay_sources = 0;
}

static void
opt_choice (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  const char *v = args[0];

  if (strcmp (def->name, "--proc-policy") == 0)
    {
      if (strcmp (v, "oci") == 0)
        plan->proc_policy = PROC_POLICY_OCI;
      else if (strcmp (v, "bwrap") == 0)
        plan->proc_policy = PROC_POLICY_BWRAP;
      else if (strcmp (v, "none") == 0)
        plan->proc_policy = PROC_POLICY_NONE;
      else
        die ("--proc-policy takes oci, bwrap or none, not: %s", v);
    }
  else
    {
      if (strcmp (v, "none") == 0)
        plan->proc_fallback = PROC_FALLBACK_NONE;
      else if (strcmp (v, "bind") == 0)
        plan->proc_fallback = PROC_FALLBACK_BIND;
      else if (strcmp (v, "subset") == 0)
        plan->proc_fallback = PROC_FALLBACK_SUBSET;
      else if (strcmp (v, "auto") == 0)
        plan->proc_fallback = PROC_FALLBACK_AUTO;
      else
        die ("--proc-fallback takes none, bind, subset or auto, not: %s", v);
    }
}

static void parse_args (struct parser *p, int argc, char **argv);

static void
opt_args (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  int fd;
  char *data;
  size_t len, n = 0, i;
  char **list;
  int r;

  (void) def;
  if (p->in_args_file)
    die ("--args not supported in arguments file");
  fd = parse_fd_arg (args[0]);
  /* Bounded: 9000 arguments of PATH_MAX each is the most that can make sense. */
  r = read_all (fd, (size_t) CLI_MAX_ARGS * 4096, &data, &len);
  if (r < 0)
    die_errno (-r, "Can't read --args data from fd %d", fd);
  /* Consumed, as bwrap does: it must not leak into the command. */
  close (fd);
  plan->owned = xreallocarray (plan->owned, plan->n_owned + 1, sizeof (char *));
  plan->owned[plan->n_owned++] = data;

  /* NUL-separated; a final unterminated word counts too. */
  for (i = 0; i < len; i++)
    if (data[i] == '\0')
      n++;
  if (len > 0 && data[len - 1] != '\0')
    n++;
  /* The limit is over every --args together, as bwrap counts. */
  p->total_args += n;
  if (p->total_args > CLI_MAX_ARGS)
    die ("Exceeded maximum number of arguments %u", CLI_MAX_ARGS);
  list = xcalloc (n + 1, sizeof (char *));
  plan->owned = xreallocarray (plan->owned, plan->n_owned + 1, sizeof (char *));
  plan->owned[plan->n_owned++] = (char *) list;
  for (i = 0, n = 0; i < len; i += strlen (data + i) + 1)
    list[n++] = data + i;

  p->in_args_file = true;
  parse_args (p, (int) n, list);
  p->in_args_file = false;
}

static _Noreturn void print_help (const char *invoked_as);
static _Noreturn void print_version (void);

static void
opt_help (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  (void) args;
  print_help (p->invoked_as);
}

static void
opt_version (struct parser *p, const struct option_def *def, char **args)
{
  (void) p;
  (void) def;
  (void) args;
  print_version ();
}

static const struct option_def options[] = {
  { "--help", 0, opt_help, "", "Print this help" },
  { "--version", 0, opt_version, "", "Print version" },
  { "--args", 1, opt_args, "FD", "Parse NUL-separated args from FD" },
  { "--argv0", 1, opt_argv0, "VALUE", "Set argv[0] to the value VALUE before running the program" },
  { "--level-prefix", 0, opt_flag, "", "Prepend e.g. <3> to diagnostic messages" },
  { "--unshare-all", 0, opt_flag, "", "Unshare every namespace we support by default" },
  { "--share-net", 0, opt_flag, "", "Retain the network namespace (can only combine with --unshare-all)" },
  { "--unshare-user", 0, opt_flag, "", "Create new user namespace (may be automatically implied if not setuid)" },
  { "--unshare-user-try", 0, opt_flag, "", "Create new user namespace if possible else continue by skipping it" },
  { "--unshare-ipc", 0, opt_flag, "", "Create new ipc namespace" },
  { "--unshare-pid", 0, opt_flag, "", "Create new pid namespace" },
  { "--unshare-net", 0, opt_flag, "", "Create new network namespace" },
  { "--unshare-uts", 0, opt_flag, "", "Create new uts namespace" },
  { "--unshare-cgroup", 0, opt_flag, "", "Create new cgroup namespace" },
  { "--unshare-cgroup-try", 0, opt_flag, "", "Create new cgroup namespace if possible else continue by skipping it" },
  { "--userns", 1, opt_single_fd, "FD", "Use this user namespace (cannot combine with --unshare-user)" },
  { "--userns2", 1, opt_single_fd, "FD", "After setup switch to this user namespace, only useful with --userns" },
  { "--disable-userns", 0, opt_flag, "", "Disable further use of user namespaces inside sandbox" },
  { "--assert-userns-disabled", 0, opt_flag, "", "Fail unless further use of user namespace inside sandbox is disabled" },
  { "--pidns", 1, opt_single_fd, "FD", "Use this pid namespace (as parent namespace if using --unshare-pid)" },
  { "--uid", 1, opt_id, "UID", "Custom uid in the sandbox (requires --unshare-user or --userns)" },
  { "--gid", 1, opt_id, "GID", "Custom gid in the sandbox (requires --unshare-user or --userns)" },
  { "--uid-map", 1, opt_id_map, "IN:OUT:COUNT", "Map uids IN.. to OUT.. (repeatable; newuidmap or CAP_SETUID)" },
  { "--gid-map", 1, opt_id_map, "IN:OUT:COUNT", "Map gids IN.. to OUT.. (repeatable; newgidmap or CAP_SETGID)" },
  { "--hostname", 1, opt_single_string, "NAME", "Custom hostname in the sandbox (requires --unshare-uts)" },
  { "--chdir", 1, opt_single_string, "DIR", "Change directory to DIR" },
  { "--clearenv", 0, opt_flag, "", "Unset all environment variables" },
  { "--setenv", 2, opt_env, "VAR VALUE", "Set an environment variable" },
  { "--unsetenv", 1, opt_env, "VAR", "Unset an environment variable" },
  { "--lock-file", 1, opt_lock_file, "DEST", "Take a lock on DEST while sandbox is running" },
  { "--sync-fd", 1, opt_single_fd, "FD", "Keep this fd open while sandbox is running" },
  { "--bind", 2, opt_bind, "SRC DEST", "Bind mount the host path SRC on DEST" },
  { "--bind-try", 2, opt_bind, "SRC DEST", "Equal to --bind but ignores non-existent SRC" },
  { "--dev-bind", 2, opt_bind, "SRC DEST", "Bind mount the host path SRC on DEST, allowing device access" },
  { "--dev-bind-try", 2, opt_bind, "SRC DEST", "Equal to --dev-bind but ignores non-existent SRC" },
  { "--ro-bind", 2, opt_bind, "SRC DEST", "Bind mount the host path SRC readonly on DEST" },
  { "--ro-bind-try", 2, opt_bind, "SRC DEST", "Equal to --ro-bind but ignores non-existent SRC" },
  { "--bind-fd", 2, opt_bind_fd, "FD DEST", "Bind open directory or path fd on DEST" },
  { "--ro-bind-fd", 2, opt_bind_fd, "FD DEST", "Bind open directory or path fd read-only on DEST" },
  { "--remount-ro", 1, opt_dest_only, "DEST", "Remount DEST as readonly; does not recursively remount" },
  { "--overlay-src", 1, opt_overlay_src, "SRC", "Read files from SRC in the following overlay" },
  { "--overlay", 3, opt_overlay, "RWSRC WORKDIR DEST", "Mount overlayfs on DEST, with RWSRC as the host path for writes and WORKDIR an empty directory on the same filesystem as RWSRC" },
  { "--tmp-overlay", 1, opt_overlay, "DEST", "Mount overlayfs on DEST, with writes going to an invisible tmpfs" },
  { "--ro-overlay", 1, opt_overlay, "DEST", "Mount overlayfs read-only on DEST" },
  { "--exec-label", 1, opt_single_string, "LABEL", "Exec label for the sandbox" },
  { "--file-label", 1, opt_single_string, "LABEL", "File label for temporary sandbox content" },
  { "--proc", 1, opt_dest_only, "DEST", "Mount new procfs on DEST (re-masked, see --proc-policy)" },
  { "--proc-policy", 1, opt_choice, "oci|bwrap|none", "How a fresh procfs is masked: the container runtimes' lists (default), bubblewrap's, or none" },
  { "--proc-fallback", 1, opt_choice, "none|bind|subset|auto", "When the visible /proc is masked: fail (default), bind it read-only, mount a subset=pid procfs, or the latter else the former" },
  { "--mask", 1, opt_dest_only, "DEST", "Hide DEST in the sandbox (a file under /dev/null, a directory under an empty one)" },
  { "--dev", 1, opt_dest_only, "DEST", "Mount new dev on DEST" },
  { "--tmpfs", 1, opt_dest_only, "DEST", "Mount new tmpfs on DEST" },
  { "--mqueue", 1, opt_dest_only, "DEST", "Mount new mqueue on DEST" },
  { "--dir", 1, opt_dest_only, "DEST", "Create dir at DEST" },
  { "--file", 2, opt_fd_data, "FD DEST", "Copy from FD to destination DEST" },
  { "--bind-data", 2, opt_fd_data, "FD DEST", "Copy from FD to file which is bind-mounted on DEST" },
  { "--ro-bind-data", 2, opt_fd_data, "FD DEST", "Copy from FD to file which is readonly bind-mounted on DEST" },
  { "--symlink", 2, opt_symlink, "SRC DEST", "Create symlink at DEST with target SRC" },
  { "--seccomp", 1, opt_single_fd, "FD", "Load and use seccomp rules from FD (not repeatable)" },
  { "--add-seccomp-fd", 1, opt_add_seccomp_fd, "FD", "Load and use seccomp rules from FD (repeatable)" },
  { "--seccomp-profile", 1, opt_seccomp_profile, "FILE", "Filter system calls with an OCI/Docker JSON seccomp profile (\"default\": the built-in one)" },
  { "--block-fd", 1, opt_single_fd, "FD", "Block on FD until some data to read is available" },
  { "--userns-block-fd", 1, opt_single_fd, "FD", "Block on FD until the user namespace is ready" },
  { "--info-fd", 1, opt_single_fd, "FD", "Write information about the running container to FD" },
  { "--json-status-fd", 1, opt_single_fd, "FD", "Write container status to FD as multiple JSON documents" },
  { "--new-session", 0, opt_flag, "", "Create a new terminal session" },
  { "--die-with-parent", 0, opt_flag, "", "Kills with SIGKILL child process (COMMAND) when bwrap or bwrap's parent dies." },
  { "--as-pid-1", 0, opt_flag, "", "Do not install a reaper process with PID=1" },
  { "--pty", 0, opt_pty, "", "Run COMMAND on a pseudo-terminal of the sandbox's own, in a new session (job control; no TIOCSTI into the caller's terminal)" },
  { "--cap-add", 1, opt_cap, "CAP", "Add cap CAP when running as privileged user" },
  { "--cap-drop", 1, opt_cap, "CAP", "Drop cap CAP when running as privileged user" },
  { "--perms", 1, opt_perms, "OCTAL", "Set permissions of next argument (--bind-data, --file, etc.)" },
  { "--size", 1, opt_size, "BYTES", "Set size of next argument (only for --tmpfs)" },
  { "--chmod", 2, opt_chmod, "OCTAL PATH", "Change permissions of PATH (must already exist)" },
};

static const struct option_def *
find_option (const char *name)
{
  for (size_t i = 0; i < N_ELEMENTS (options); i++)
    if (strcmp (options[i].name, name) == 0)
      return &options[i];
  return NULL;
}

const char *const *
cli_option_names (void)
{
  static const char *names[N_ELEMENTS (options) + 1];

  for (size_t i = 0; i < N_ELEMENTS (options); i++)
    names[i] = options[i].name;
  return names;
}

static _Noreturn void
print_help (const char *invoked_as)
{
  printf ("usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n\n", invoked_as);
  for (size_t i = 0; i < N_ELEMENTS (options); i++)
    {
      char left[64];

      snprintf (left, sizeof left, "%s %s", options[i].name, options[i].arg_names);
      printf ("    %-32s %s\n", left, options[i].help);
    }
  printf ("\n    %s doctor [--json]    Check whether this environment can run sandboxes\n",
          invoked_as);
  fflush (stdout);
  _exit (ferror (stdout) ? 1 : 0);
}

static _Noreturn void
print_version (void)
{
  printf ("%s\n", NESTBOX_VERSION_LINE);
  fflush (stdout);
  _exit (ferror (stdout) ? 1 : 0);
}

/* A modifier must be used by the very next option. */
static void
check_modifiers_consumed (struct parser *p)
{
  if (p->next_perms >= 0)
    die ("--perms must be followed by an option that creates a file");
  if (p->next_size != 0)
    die ("--size must be followed by --tmpfs");
  if (p->n_pending_overlay_sources > 0)
    die ("--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay");
}

static void
missing_argument (const struct option_def *def)
{
  static const char *const counts[] = { "", "an argument", "two arguments", "three arguments" };

  die ("%s takes %s", def->name, counts[def->n_args]);
}

/* "--name=value" for a one-argument option; false if arg is not one. */
static bool
parse_inline_value (struct parser *p, char *arg)
{
  const struct option_def *def;
  char *eq = strchr (arg, '=');
  char name[64];
  char *value[1];

  if (strncmp (arg, "--", 2) != 0 || eq == NULL || (size_t) (eq - arg) >= sizeof name)
    return false;
  memcpy (name, arg, (size_t) (eq - arg));
  name[eq - arg] = '\0';
  def = find_option (name);
  if (def == NULL || def->n_args != 1)
    return false;
  value[0] = eq + 1;
  p->consumed_modifiers = false;
  def->handle (p, def, value);
  if (!p->consumed_modifiers)
    check_modifiers_consumed (p);
  return true;
}

static void
parse_args (struct parser *p, int argc, char **argv)
{
  while (argc > 0)
    {
      const char *arg = argv[0];
      const struct option_def *def;

      if (strcmp (arg, "--") == 0)
        {
          argv++;
          argc--;
          break;
        }
      if (arg[0] != '-')
        break;
      def = find_option (arg);
      if (def == NULL && parse_inline_value (p, argv[0]))
        {
          /* --option=VALUE, for options that take one argument. */
          argv++;
          argc--;
          continue;
        }
      if (def == NULL)
        die ("Unknown option %s", arg);
      if (argc - 1 < def->n_args)
        missing_argument (def);

      p->consumed_modifiers = false;
      def->handle (p, def, argv + 1);
      /* A modifier set by this option waits for the next one; any other
       * option must have used up what was pending. */
      if (!p->consumed_modifiers)
        check_modifiers_consumed (p);

      argv += 1 + def->n_args;
      argc -= 1 + def->n_args;
    }

  if (p->in_args_file)
    {
      /* The command may only come from the real command line. */
      if (argc > 0)
        die ("Unexpected argument in --args data: %s", argv[0]);
      return;
    }
  check_modifiers_consumed (p);
  if (argc <= 0)
    die ("No command given (see --help)");
  p->plan->command = argv;
}

void
cli_parse (struct plan *plan, int argc, char **argv, const char *invoked_as)
{
  struct parser p = {
    .plan = plan, .invoked_as = invoked_as, .total_args = (size_t) argc, .next_perms = -1,
  };

  if (argc > CLI_MAX_ARGS)
    die ("Exceeded maximum number of arguments %u", CLI_MAX_ARGS);
  parse_args (&p, argc, argv);
  free (p.pending_overlay_sources);
}

void
cli_validate (const struct plan *plan)
{
  if (plan->userns_block_fd != -1 && !plan->unshare_user)
    die ("--userns-block-fd requires --unshare-user");
  if (plan->userns_block_fd != -1 && plan->info_fd == -1)
    die ("--userns-block-fd requires --info-fd");
  if (plan->userns_fd != -1 && plan->unshare_user)
    die ("--userns not compatible --unshare-user");
  if (plan->userns_fd != -1 && plan->unshare_user_try)
    die ("--userns not compatible --unshare-user-try");
  if (plan->disable_userns && !plan->unshare_user)
    die ("--disable-userns requires --unshare-user");
  if (plan->disable_userns && plan->userns_block_fd != -1)
    die ("--disable-userns is not compatible with --userns-block-fd");
  if (plan->hostname != NULL && !plan->unshare_uts)
    die ("Specifying --hostname requires --unshare-uts");
  if (plan->as_pid_1 && !plan->unshare_pid)
    die ("Specifying --as-pid-1 requires --unshare-pid");
  if (plan->as_pid_1 && plan->n_lock_files > 0)
    die ("Specifying --as-pid-1 and --lock-file is not permitted");
  if ((plan->n_uid_map > 0 || plan->n_gid_map > 0) && plan->userns_fd != -1)
    die ("--uid-map/--gid-map need a new user namespace, not --userns");
  if ((plan->n_uid_map > 0 || plan->n_gid_map > 0) && plan->userns_block_fd != -1)
    die ("--uid-map/--gid-map are not compatible with --userns-block-fd");
}
