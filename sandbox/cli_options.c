/* The option table and the handlers it names.  A handler reads what it
 * needs to know about its option from the table row (the plan field, the
 * op type, the bits), never from the option's name, and writes only the
 * plan and the parser's state.  Only --args reads anything: the fd it is
 * given. */
#include "cli_options.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "cgroup_limits.h"
#include "cli.h"
#include "rlimits.h"
#include "timeout.h"
#include "util.h"

#define FIELD(member) .field = offsetof (struct plan, member)

static void *
plan_field (struct parser *p, const struct option_def *def)
{
  return (char *) p->plan + def->field;
}

/* Grow a plan array by one element and return the new, zeroed one. */
static void *
append (void *array_ptr, size_t *count, size_t size)
{
  void **array = array_ptr;
  char *grown = xreallocarray (*array, *count + 1, size);

  *array = grown;
  memset (grown + *count * size, 0, size);
  return grown + (*count)++ * size;
}

static int
parse_fd_arg (const char *s)
{
  int fd;

  if (!parse_fd (s, &fd))
    die ("Invalid fd: %s", s);
  return fd;
}

static int
parse_mode_arg (const char *option, const char *s)
{
  uint64_t v;

  if (!parse_uint64 (s, 8, &v) || v > 07777)
    die ("%s takes an octal argument <= 07777", option);
  return (int) v;
}

static void
warn_if_repeated (bool already_set, const char *name)
{
  if (already_set)
    warn_msg ("Only the last %s option will take effect", name);
}

/* ---- options that set one plan field --------------------------------- */

static void
opt_flag (struct parser *p, const struct option_def *def, char **args)
{
  bool *flag = plan_field (p, def);

  (void) args;
  *flag = !(def->bits & CLEARS);
}

/* Options whose argument is an fd; the last one wins, with a warning. */
static void
opt_fd (struct parser *p, const struct option_def *def, char **args)
{
  int *slot = plan_field (p, def);
  int fd = parse_fd_arg (args[0]);

  warn_if_repeated (*slot != -1, def->name);
  *slot = fd;
}

static void
opt_string (struct parser *p, const struct option_def *def, char **args)
{
  const char **slot = plan_field (p, def);

  if (*slot != NULL && (def->bits & ONCE))
    die ("%s used multiple times", def->name);
  warn_if_repeated (*slot != NULL, def->name);
  *slot = args[0];
}

/* One of the row's named values, stored as an int-sized enum. */
static void
opt_choice (struct parser *p, const struct option_def *def, char **args)
{
  int *slot = plan_field (p, def);
  char names[128] = "";
  const struct choice *c;

  for (c = def->choices; c->name != NULL; c++)
    if (strcmp (c->name, args[0]) == 0)
      {
        *slot = c->value;
        return;
      }
  for (c = def->choices; c->name != NULL; c++)
    {
      const char *sep = c == def->choices ? "" : c[1].name == NULL ? " or "
                                                                   : ", ";
      size_t used = strlen (names);

      snprintf (names + used, sizeof names - used, "%s%s", sep, c->name);
    }
  die ("%s takes %s, not: %s", def->name, names, args[0]);
}

static void
opt_id (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  bool gid = def->bits & FOR_GID;
  uint32_t id;

  if (!parse_id (args[0], &id))
    die ("Invalid %s: %s", gid ? "gid" : "uid", args[0]);
  warn_if_repeated (gid ? plan->gid_set : plan->uid_set, def->name);
  *(gid ? &plan->gid : &plan->uid) = id;
  *(gid ? &plan->gid_set : &plan->uid_set) = true;
}

/* ---- options that add to a list of the plan --------------------------- */

/* INSIDE:OUTSIDE:COUNT, decimal, non-empty and within the 32-bit id space. */
static struct id_range
parse_id_range (const char *option, const char *s)
{
  char buf[64];
  char *outside, *count;
  uint32_t vals[3];

  if (strlen (s) >= sizeof buf)
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT): %.64s...", option, s);
  strcpy (buf, s);
  outside = strchr (buf, ':');
  count = outside ? strchr (outside + 1, ':') : NULL;
  if (count == NULL)
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT): %s", option, s);
  *outside++ = '\0';
  *count++ = '\0';
  if (!parse_id (buf, &vals[0]) || !parse_id (outside, &vals[1]) || !parse_id (count, &vals[2]))
    die ("Invalid %s value (want INSIDE:OUTSIDE:COUNT of decimal ids): %s", option, s);
  if (vals[2] == 0 || (uint64_t) vals[0] + vals[2] > UINT32_MAX
      || (uint64_t) vals[1] + vals[2] > UINT32_MAX)
    die ("Invalid %s range (empty, or past the last id): %s", option, s);
  return (struct id_range){ vals[0], vals[1], vals[2] };
}

/* --uid-map/--gid-map, repeatable. */
static void
opt_id_map (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  struct id_range r = parse_id_range (def->name, args[0]);

  if (def->bits & FOR_GID)
    *(struct id_range *) append (&plan->gid_map, &plan->n_gid_map, sizeof r) = r;
  else
    *(struct id_range *) append (&plan->uid_map, &plan->n_uid_map, sizeof r) = r;
}

static void
opt_env (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  struct env_op *e = append (&plan->env_ops, &plan->n_env_ops, sizeof *e);

  e->type = def->value;
  if (e->type == ENV_CLEAR)
    return;
  if (args[0][0] == '\0' || strchr (args[0], '=') != NULL)
    die ("Invalid environment variable name for %s: %s", def->name, args[0]);
  e->name = args[0];
  e->value = e->type == ENV_SET ? args[1] : NULL;
}

static void
opt_lock_file (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;

  (void) def;
  *(const char **) append (&plan->lock_files, &plan->n_lock_files, sizeof (char *)) = args[0];
}

static void
opt_cap (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  struct cap_step step = { .add = def->bits & ADDS, .cap = -1 };

  if (strcasecmp (args[0], "ALL") != 0)
    {
      cap_value_t cap;

      if (cap_from_name (args[0], &cap) < 0)
        die ("unknown cap: %s", args[0]);
      step.cap = cap;
    }
  *(struct cap_step *) append (&plan->cap_steps, &plan->n_cap_steps, sizeof step) = step;
}

static void
opt_rlimit (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;

  (void) def;
  rlimit_parse (args[0], append (&plan->rlimits, &plan->n_rlimits, sizeof (struct rlimit_step)));
}

static void
opt_timeout (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  timeout_parse (args[0], p->plan);
}

static void
opt_cgroup_limit (struct parser *p, const struct option_def *def, char **args)
{
  cgroup_limit_parse (p->plan, (enum cgroup_limit) def->value, false, args[0]);
}

static void
opt_cpus (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  cgroup_limit_parse (p->plan, LIMIT_CPU_MAX, true, args[0]);
}

/* bwrap refuses the two ways of giving a filter together. */
static void
opt_seccomp_fd (struct parser *p, const struct option_def *def, char **args)
{
  if (p->plan->n_add_seccomp_fds > 0)
    die ("--seccomp cannot be combined with --add-seccomp-fd");
  opt_fd (p, def, args);
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
  *(int *) append (&plan->add_seccomp_fds, &plan->n_add_seccomp_fds, sizeof (int)) = fd;
}

/* ---- filesystem operations -------------------------------------------- */

static struct op *
add_op (struct parser *p, enum op_type type)
{
  struct plan *plan = p->plan;
  struct op *op = append (&plan->ops, &plan->n_ops, sizeof *op);

  op->type = type;
  op->fd = -1;
  op->perms = -1;
  return op;
}

/* Hand the pending --perms and --size modifiers to op, if it takes them. */
static void
take_modifiers (struct parser *p, const struct option_def *def, struct op *op)
{
  if (def->bits & TAKES_PERMS)
    {
      op->perms = p->next_perms;
      p->next_perms = -1;
    }
  if (def->bits & TAKES_SIZE)
    {
      op->size = p->next_size;
      p->next_size = 0;
    }
}

/* Every operation but the overlays: the row gives the op type, the
 * argument layout and the bits. */
static void
opt_op (struct parser *p, const struct option_def *def, char **args)
{
  int mode = def->shape == ARGS_MODE_DEST ? parse_mode_arg (def->name, args[0]) : -1;
  struct op *op = add_op (p, def->value);

  op->dest = args[def->n_args - 1];
  if (def->shape == ARGS_SOURCE_DEST)
    op->source = args[0];
  else if (def->shape == ARGS_FD_DEST)
    op->fd = parse_fd_arg (args[0]);
  op->readonly = def->bits & READ_ONLY;
  op->allow_devices = def->bits & DEVICES;
  op->skip_missing = def->bits & MAY_BE_MISSING;
  take_modifiers (p, def, op);
  if (mode != -1)
    op->perms = mode;
}

static void
opt_overlay_src (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  *(const char **) append (&p->pending_overlay_sources, &p->n_pending_overlay_sources,
                           sizeof (char *))
      = args[0];
  p->consumed_modifiers = true;
}

static void
opt_overlay (struct parser *p, const struct option_def *def, char **args)
{
  enum overlay_kind kind = def->value;
  size_t need = kind == OVERLAY_RO ? 2 : 1;
  struct op *op;

  if (p->n_pending_overlay_sources < need)
    die ("%s requires at least %s --overlay-src", def->name, need == 1 ? "one" : "two");
  op = add_op (p, OP_OVERLAY);
  op->overlay = kind;
  op->dest = args[def->n_args - 1];
  if (kind == OVERLAY_RW)
    {
      op->source = args[0];
      op->workdir = args[1];
    }
  op->overlay_sources = take_ptr (&p->pending_overlay_sources);
  op->n_overlay_sources = p->n_pending_overlay_sources;
  p->n_pending_overlay_sources = 0;
}

/* ---- modifiers of the next option ------------------------------------- */

static void
opt_perms (struct parser *p, const struct option_def *def, char **args)
{
  if (p->next_perms >= 0)
    die ("--perms given twice for the same action");
  p->next_perms = parse_mode_arg (def->name, args[0]);
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

/* ---- options about the command line itself ---------------------------- */

/* --args FD: NUL-separated words, handed to the parse loop. */
static void
opt_args (struct parser *p, const struct option_def *def, char **args)
{
  struct plan *plan = p->plan;
  int fd;
  char *data, **words;
  size_t len, n = 0, i;
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
  *(char **) append (&plan->owned, &plan->n_owned, sizeof (char *)) = data;

  /* A final unterminated word counts too. */
  for (i = 0; i < len; i++)
    n += data[i] == '\0';
  n += len > 0 && data[len - 1] != '\0';
  /* The limit is over every --args together, as bwrap counts. */
  p->total_args += n;
  if (p->total_args > CLI_MAX_ARGS)
    die ("Exceeded maximum number of arguments %u", CLI_MAX_ARGS);
  words = xcalloc (n + 1, sizeof (char *));
  *(char **) append (&plan->owned, &plan->n_owned, sizeof (char *)) = (char *) words;
  for (i = 0, n = 0; i < len; i += strlen (data + i) + 1)
    words[n++] = data + i;
  p->args_file_words = words;
  p->n_args_file_words = (int) n;
}

static void
opt_help (struct parser *p, const struct option_def *def, char **args)
{
  (void) args;
  p->print = def->value;
}

static const struct choice proc_policies[] = {
  { "oci", PROC_POLICY_OCI },
  { "bwrap", PROC_POLICY_BWRAP },
  { "none", PROC_POLICY_NONE },
  { NULL, 0 },
};

static const struct choice proc_fallbacks[] = {
  { "none", PROC_FALLBACK_NONE },
  { "bind", PROC_FALLBACK_BIND },
  { "subset", PROC_FALLBACK_SUBSET },
  { "auto", PROC_FALLBACK_AUTO },
  { NULL, 0 },
};

/* --unshare-all: bwrap's list, with the -try forms for user and cgroup,
 * which the kernel may not offer. */
static const char *const unshare_all[] = {
  "--unshare-user-try",
  "--unshare-ipc",
  "--unshare-pid",
  "--unshare-net",
  "--unshare-uts",
  "--unshare-cgroup-try",
};

static void
opt_unshare_all (struct parser *p, const struct option_def *def, char **args)
{
  (void) def;
  for (size_t i = 0; i < N_ELEMENTS (unshare_all); i++)
    opt_flag (p, cli_find_option (unshare_all[i]), args);
}

/* The rows, grouped as --help prints them. */
const struct option_def cli_options[] = {
  { "--help", 0, opt_help, TOPIC_GENERAL, .value = PRINT_HELP, .help = "Show this list and exit" },
  { "--version", 0, opt_help, TOPIC_GENERAL, .value = PRINT_VERSION, .help = "Show the version and exit" },
  { "--args", 1, opt_args, TOPIC_GENERAL, .arg_names = "FD", .help = "Read more options from FD, each one ended by a NUL byte" },
  { "--level-prefix", 0, opt_flag, TOPIC_GENERAL, FIELD (level_prefix), .help = "Start each message with its syslog level, such as <3>" },

  { "--unshare-all", 0, opt_unshare_all, TOPIC_NAMESPACES, .help = "Every namespace below (user and cgroup only where the kernel allows)" },
  { "--share-net", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_net), .bits = CLEARS, .help = "Keep the caller's network after --unshare-all" },
  { "--unshare-user", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_user), .help = "A new user namespace (nestbox makes one anyway where it needs one)" },
  { "--unshare-user-try", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_user_try), .help = "A new user namespace if the kernel allows one, else go on without" },
  { "--unshare-ipc", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_ipc), .help = "A new IPC namespace: System V IPC and POSIX queues of its own" },
  { "--unshare-pid", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_pid), .help = "A new pid namespace: the sandbox sees its own processes only" },
  { "--unshare-net", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_net), .help = "A new network namespace, with a loopback device only" },
  { "--unshare-uts", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_uts), .help = "A new UTS namespace: a host name of its own" },
  { "--unshare-cgroup", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_cgroup), .help = "A new cgroup namespace" },
  { "--unshare-cgroup-try", 0, opt_flag, TOPIC_NAMESPACES, FIELD (unshare_cgroup_try), .help = "A new cgroup namespace if the kernel allows one" },
  { "--userns", 1, opt_fd, TOPIC_NAMESPACES, FIELD (userns_fd), .arg_names = "FD", .help = "Enter the user namespace FD refers to instead of making one" },
  { "--userns2", 1, opt_fd, TOPIC_NAMESPACES, FIELD (userns2_fd), .arg_names = "FD", .help = "With --userns: move into the user namespace FD refers to once set-up is done" },
  { "--pidns", 1, opt_fd, TOPIC_NAMESPACES, FIELD (pidns_fd), .arg_names = "FD", .help = "Enter the pid namespace FD refers to (with --unshare-pid: the parent of the new one)" },
  { "--hostname", 1, opt_string, TOPIC_NAMESPACES, FIELD (hostname), .arg_names = "NAME", .help = "The host name inside (needs --unshare-uts)" },

  { "--uid", 1, opt_id, TOPIC_IDS, .arg_names = "UID", .help = "The user id the command runs as (needs a user namespace)" },
  { "--gid", 1, opt_id, TOPIC_IDS, .bits = FOR_GID, .arg_names = "GID", .help = "The group id the command runs as (needs a user namespace)" },
  { "--uid-map", 1, opt_id_map, TOPIC_IDS, .arg_names = "IN:OUT:COUNT", .help = "Map COUNT uids from IN inside to OUT outside; repeatable (through newuidmap, or with CAP_SETUID)" },
  { "--gid-map", 1, opt_id_map, TOPIC_IDS, .bits = FOR_GID, .arg_names = "IN:OUT:COUNT", .help = "Map COUNT gids from IN inside to OUT outside; repeatable (through newgidmap, or with CAP_SETGID)" },

  { "--bind", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .arg_names = "SRC DEST", .help = "Mount the host's SRC at DEST, writable" },
  { "--bind-try", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .bits = MAY_BE_MISSING, .arg_names = "SRC DEST", .help = "As --bind; does nothing when SRC does not exist" },
  { "--dev-bind", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .bits = DEVICES, .arg_names = "SRC DEST", .help = "As --bind, and the device files under it can be opened" },
  { "--dev-bind-try", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .bits = DEVICES | MAY_BE_MISSING, .arg_names = "SRC DEST", .help = "As --dev-bind; does nothing when SRC does not exist" },
  { "--ro-bind", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .bits = READ_ONLY, .arg_names = "SRC DEST", .help = "Mount the host's SRC at DEST, read-only" },
  { "--ro-bind-try", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND, .shape = ARGS_SOURCE_DEST, .bits = READ_ONLY | MAY_BE_MISSING, .arg_names = "SRC DEST", .help = "As --ro-bind; does nothing when SRC does not exist" },
  { "--bind-fd", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND_FD, .shape = ARGS_FD_DEST, .arg_names = "FD DEST", .help = "Mount the file or directory open as FD at DEST, writable" },
  { "--ro-bind-fd", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND_FD, .shape = ARGS_FD_DEST, .bits = READ_ONLY, .arg_names = "FD DEST", .help = "Mount the file or directory open as FD at DEST, read-only" },
  { "--remount-ro", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_REMOUNT_RO, .arg_names = "DEST", .help = "Make the mount at DEST read-only (not the mounts below it)" },
  { "--tmpfs", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_TMPFS, .bits = TAKES_PERMS | TAKES_SIZE, .arg_names = "DEST", .help = "An empty file system in memory at DEST (see --size and --perms)" },
  { "--dev", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_DEV, .arg_names = "DEST", .help = "A small /dev at DEST: null, zero, full, random, urandom, tty and a pts of its own" },
  { "--proc", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_PROC, .arg_names = "DEST", .help = "A fresh /proc at DEST, showing the sandbox's pid namespace, masked as --proc-policy says" },
  { "--proc-policy", 1, opt_choice, TOPIC_FILESYSTEM, FIELD (proc_policy), .choices = proc_policies, .arg_names = "oci|bwrap|none", .help = "What a fresh /proc hides or makes read-only: the container runtimes' lists (the default), bubblewrap's, or nothing" },
  { "--proc-fallback", 1, opt_choice, TOPIC_FILESYSTEM, FIELD (proc_fallback), .choices = proc_fallbacks, .arg_names = "none|bind|subset|auto", .help = "When a masked /proc forbids a fresh one: fail (the default), bind the visible one read-only, mount one that shows processes only (subset=pid), or subset where the kernel allows it, else bind" },
  { "--mqueue", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_MQUEUE, .arg_names = "DEST", .help = "A POSIX message queue file system at DEST" },
  { "--mask", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_MASK, .arg_names = "DEST", .help = "Hide DEST: a file shows as empty, a directory as an empty read-only one" },
  { "--dir", 1, opt_op, TOPIC_FILESYSTEM, .value = OP_DIR, .bits = TAKES_PERMS, .arg_names = "DEST", .help = "Create the directory DEST (see --perms)" },
  { "--file", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_FILE, .shape = ARGS_FD_DEST, .bits = TAKES_PERMS, .arg_names = "FD DEST", .help = "Create the file DEST with what can be read from FD" },
  { "--bind-data", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND_DATA, .shape = ARGS_FD_DEST, .bits = TAKES_PERMS, .arg_names = "FD DEST", .help = "Mount at DEST a file holding what can be read from FD, writable" },
  { "--ro-bind-data", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_BIND_DATA, .shape = ARGS_FD_DEST, .bits = READ_ONLY | TAKES_PERMS, .arg_names = "FD DEST", .help = "Mount at DEST a file holding what can be read from FD, read-only" },
  { "--symlink", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_SYMLINK, .shape = ARGS_SOURCE_DEST, .arg_names = "TARGET DEST", .help = "Create DEST as a symbolic link to TARGET" },
  { "--chmod", 2, opt_op, TOPIC_FILESYSTEM, .value = OP_CHMOD, .shape = ARGS_MODE_DEST, .arg_names = "OCTAL PATH", .help = "Change the mode of PATH, which must exist" },
  { "--perms", 1, opt_perms, TOPIC_FILESYSTEM, .arg_names = "OCTAL", .help = "The mode of what the next option creates (--dir, --file, --tmpfs, --bind-data ...)" },
  { "--size", 1, opt_size, TOPIC_FILESYSTEM, .arg_names = "BYTES", .help = "The size limit of the next --tmpfs" },
  { "--overlay-src", 1, opt_overlay_src, TOPIC_FILESYSTEM, .arg_names = "SRC", .help = "A lower layer of the next overlay; repeatable, the first one at the bottom" },
  { "--overlay", 3, opt_overlay, TOPIC_FILESYSTEM, .value = OVERLAY_RW, .arg_names = "RWSRC WORKDIR DEST", .help = "An overlay of those layers at DEST, changes written to RWSRC (WORKDIR: an empty directory on the file system of RWSRC)" },
  { "--tmp-overlay", 1, opt_overlay, TOPIC_FILESYSTEM, .value = OVERLAY_TMP, .arg_names = "DEST", .help = "An overlay of those layers at DEST, changes kept in memory and lost at exit" },
  { "--ro-overlay", 1, opt_overlay, TOPIC_FILESYSTEM, .value = OVERLAY_RO, .arg_names = "DEST", .help = "A read-only overlay of those layers (two at least) at DEST" },

  { "--chdir", 1, opt_string, TOPIC_PROCESS, FIELD (chdir_path), .arg_names = "DIR", .help = "The working directory of the command" },
  { "--clearenv", 0, opt_env, TOPIC_PROCESS, .value = ENV_CLEAR, .help = "Start the command with an empty environment" },
  { "--setenv", 2, opt_env, TOPIC_PROCESS, .value = ENV_SET, .arg_names = "VAR VALUE", .help = "Set VAR to VALUE in the environment of the command" },
  { "--unsetenv", 1, opt_env, TOPIC_PROCESS, .value = ENV_UNSET, .arg_names = "VAR", .help = "Remove VAR from the environment of the command" },
  { "--argv0", 1, opt_string, TOPIC_PROCESS, FIELD (argv0), .bits = ONCE, .arg_names = "VALUE", .help = "The argv[0] the command sees (the program run is still COMMAND)" },
  { "--new-session", 0, opt_flag, TOPIC_PROCESS, FIELD (new_session), .help = "Run the command in a session of its own, detached from the caller's terminal" },
  { "--pty", 0, opt_flag, TOPIC_PROCESS, FIELD (pty), .help = "Run COMMAND on a pseudo-terminal of the sandbox's own, in a new session (job control; no TIOCSTI into the caller's terminal)" },
  { "--die-with-parent", 0, opt_flag, TOPIC_PROCESS, FIELD (die_with_parent), .help = "Kill everything in the sandbox when the process that started nestbox dies" },
  { "--as-pid-1", 0, opt_flag, TOPIC_PROCESS, FIELD (as_pid_1), .help = "Run the command as pid 1 of the new pid namespace, with no reaper (needs --unshare-pid)" },

  { "--rlimit", 1, opt_rlimit, TOPIC_LIMITS, .arg_names = "NAME=SOFT[:HARD]", .help = "Limit a resource of the command (not of nestbox), as prlimit names it: NOFILE=1024:4096, CPU=60, AS=unlimited; SOFT alone sets both" },
  { "--timeout", 1, opt_timeout, TOPIC_LIMITS, .arg_names = "SECONDS[:GRACE]", .help = "End the sandbox after SECONDS: SIGTERM, then SIGKILL GRACE seconds later (5); nestbox exits with 124" },
  { "--memory-max", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_MEMORY_MAX, .arg_names = "SIZE", .help = "The sandbox's memory, in bytes or with K, M, G, T (cgroup v2 memory.max); over it the kernel's OOM killer ends a process" },
  { "--memory-swap-max", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_MEMORY_SWAP_MAX, .arg_names = "SIZE", .help = "The swap the sandbox may use besides (memory.swap.max; 0 for none)" },
  { "--pids-max", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_PIDS_MAX, .arg_names = "N", .help = "At most N processes and threads of the command and what it starts (pids.max); a fork past it fails" },
  { "--cpu-max", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_CPU_MAX, .arg_names = "QUOTA[/PERIOD]", .help = "At most QUOTA microseconds of CPU time per PERIOD (100000) for the sandbox (cpu.max)" },
  { "--cpus", 1, opt_cpus, TOPIC_LIMITS, .arg_names = "N", .help = "As --cpu-max, in CPUs: 0.5 is half of one, 2 is two" },
  { "--cpu-weight", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_CPU_WEIGHT, .arg_names = "1-10000", .help = "The sandbox's share of contended CPU time against its siblings (cpu.weight, 100 by default)" },
  { "--io-weight", 1, opt_cgroup_limit, TOPIC_LIMITS, .value = LIMIT_IO_WEIGHT, .arg_names = "1-10000", .help = "The sandbox's share of contended disk time (io.weight, 100 by default)" },
  { "--limits-try", 0, opt_flag, TOPIC_LIMITS, FIELD (limits_try), .help = "Where the cgroup limits cannot be applied, warn and run without them instead of refusing" },

  { "--cap-add", 1, opt_cap, TOPIC_SECURITY, .bits = ADDS, .arg_names = "CAP", .help = "Keep capability CAP (or ALL) in the sandbox" },
  { "--cap-drop", 1, opt_cap, TOPIC_SECURITY, .arg_names = "CAP", .help = "Drop capability CAP (or ALL) in the sandbox" },
  { "--seccomp", 1, opt_seccomp_fd, TOPIC_SECURITY, FIELD (seccomp_fd), .arg_names = "FD", .help = "Install the compiled seccomp program read from FD (only one)" },
  { "--add-seccomp-fd", 1, opt_add_seccomp_fd, TOPIC_SECURITY, .arg_names = "FD", .help = "Install the compiled seccomp program read from FD; repeatable" },
  { "--seccomp-profile", 1, opt_string, TOPIC_SECURITY, FIELD (seccomp_profile), .arg_names = "FILE", .help = "Filter system calls with an OCI/Docker JSON seccomp profile (\"default\": the built-in one)" },
  { "--disable-userns", 0, opt_flag, TOPIC_SECURITY, FIELD (disable_userns), .help = "Forbid the command to make user namespaces of its own" },
  { "--assert-userns-disabled", 0, opt_flag, TOPIC_SECURITY, FIELD (assert_userns_disabled), .help = "Refuse to start unless the command cannot make user namespaces" },
  { "--landlock", 0, opt_flag, TOPIC_SECURITY, FIELD (landlock), .help = "Limit the command's file access to what the binds grant, even through inherited fds, and keep its signals and abstract unix sockets inside (Landlock ABI 6)" },
  { "--landlock-try", 0, opt_flag, TOPIC_SECURITY, FIELD (landlock_try), .help = "As --landlock, with what an older kernel offers (a warning says what is missing)" },
  { "--exec-label", 1, opt_string, TOPIC_SECURITY, FIELD (exec_label), .arg_names = "LABEL", .help = "The SELinux label the command runs with" },
  { "--file-label", 1, opt_string, TOPIC_SECURITY, FIELD (file_label), .arg_names = "LABEL", .help = "The SELinux label of the file systems nestbox mounts (tmpfs, /dev ...)" },

  { "--lock-file", 1, opt_lock_file, TOPIC_CALLER, .arg_names = "DEST", .help = "Hold a lock on DEST for as long as the sandbox runs" },
  { "--sync-fd", 1, opt_fd, TOPIC_CALLER, FIELD (sync_fd), .arg_names = "FD", .help = "Hold FD open for as long as the sandbox runs" },
  { "--block-fd", 1, opt_fd, TOPIC_CALLER, FIELD (block_fd), .arg_names = "FD", .help = "Wait until FD can be read before running the command" },
  { "--userns-block-fd", 1, opt_fd, TOPIC_CALLER, FIELD (userns_block_fd), .arg_names = "FD", .help = "Once the user namespace exists, wait until FD can be read (the caller sets the maps)" },
  { "--info-fd", 1, opt_fd, TOPIC_CALLER, FIELD (info_fd), .arg_names = "FD", .help = "Write the sandbox's pid and namespaces to FD as JSON" },
  { "--json-status-fd", 1, opt_fd, TOPIC_CALLER, FIELD (json_status_fd), .arg_names = "FD", .help = "Write the sandbox's state to FD, a JSON document for each change" },
};

const size_t cli_n_options = N_ELEMENTS (cli_options);

const struct option_def *
cli_find_option (const char *name)
{
  for (size_t i = 0; i < cli_n_options; i++)
    if (strcmp (cli_options[i].name, name) == 0)
      return &cli_options[i];
  return NULL;
}

const char *const *
cli_option_names (void)
{
  static const char *names[N_ELEMENTS (cli_options) + 1];

  for (size_t i = 0; i < N_ELEMENTS (cli_options); i++)
    names[i] = cli_options[i].name;
  return names;
}
