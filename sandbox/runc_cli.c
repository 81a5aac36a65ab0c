/* nestbox-runc's global options and commands (runc_cli.h).  The options
 * follow runc's: "--name value", "--name=value", and a one-letter form
 * where runc has one; a command's options come before its arguments. */
#include "runc_cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runc_create.h"
#include "runc_delete.h"
#include "runc_exec.h"
#include "runc_features.h"
#include "runc_log.h"
#include "runc_signal.h"
#include "runc_state.h"
#include "util.h"

struct runc_option
{
  const char *name;
  char letter;        /* 0: none */
  const char **value; /* an option with a value ... */
  bool *flag;         /* ... or a flag */
  char **list;        /* ... or one given many times: appended to list */
  size_t *n_list;
};

/* The options of one command (or the global ones) from argv; returns the
 * index of the first argument that is not one. */
static int
parse_options (const char *where, int argc, char **argv, const struct runc_option *opts, size_t n)
{
  int i;

  for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++)
    {
      const char *arg = argv[i], *eq = strchr (arg, '=');
      size_t len = eq ? (size_t) (eq - arg) : strlen (arg);
      const struct runc_option *o = NULL;

      if (strcmp (arg, "--") == 0)
        return i + 1;
      for (size_t k = 0; k < n && o == NULL; k++)
        if ((arg[1] == '-' && strlen (opts[k].name) == len - 2 && strncmp (arg + 2, opts[k].name, len - 2) == 0)
            || (opts[k].letter && arg[1] == opts[k].letter && len == 2))
          o = &opts[k];
      if (o == NULL)
        runc_fail ("%s: unknown option %.*s (see --help)", where, (int) len, arg);
      if (o->flag && eq)
        runc_fail ("%s: %s takes no value", where, o->name);
      if (o->flag)
        {
          *o->flag = true;
          continue;
        }
      if (!eq && i + 1 >= argc)
        runc_fail ("%s: --%s needs a value", where, o->name);
      if (o->list)
        o->list[(*o->n_list)++] = eq ? (char *) eq + 1 : argv[++i];
      else
        *o->value = eq ? eq + 1 : argv[++i];
    }
  return i;
}

struct globals
{
  const char *root, *log, *log_format, *rootless, *criu, *cgroup_manager;
  bool debug, systemd_cgroup, help, version;
};

static const char *
root_of (const struct globals *g)
{
  return g->root ? g->root : runc_default_root ();
}

/* The one container id a command takes, and what may follow it. */
static const char *
take_id (const char *command, int argc, char **argv, int max_extra)
{
  if (argc < 1)
    runc_fail ("%s: no container id given", command);
  if (argc - 1 > max_extra)
    runc_fail ("%s: unexpected argument \"%s\" after the container id", command, argv[1 + max_extra]);
  return argv[0];
}

static unsigned
parse_preserve_fds (const char *text)
{
  uint64_t n = 0;

  if (text && (!parse_uint64 (text, 10, &n) || n > 65536))
    runc_fail ("--preserve-fds %s: give a number of fds", text);
  return (unsigned) n;
}

/* --config FILE (crun's): the hooks and `delete` read the bundle's
 * config.json again, so only that file is taken. */
static void
check_config_option (const char *command, const char *config, const char *bundle)
{
  char want[PATH_MAX], got[PATH_MAX];
  _cleanup_free_ char *bundle_config = NULL;

  if (config == NULL)
    return;
  bundle_config = xasprintf ("%s/config.json", bundle ? bundle : ".");
  if (realpath (bundle_config, want) == NULL || realpath (config, got) == NULL || strcmp (want, got) != 0)
    runc_fail ("%s: --config %.256s: nestbox-runc reads only the bundle's own config.json (%.256s)", command, config, bundle_config);
}

/* create and run share their options; run adds --detach. */
static int
create_or_run (const struct globals *g, const char *command, int argc, char **argv)
{
  struct runc_create_options o = { 0 };
  const char *preserve = NULL, *notify = NULL, *config = NULL;
  bool no_pivot = false, no_keyring = false, is_run = strcmp (command, "run") == 0;
  /* --no-pivot: nestbox always uses pivot_root, which works on every root
   * it can build.  --no-new-keyring: every container gets a new session
   * keyring, the caller's is never shared. */
  const struct runc_option opts[] = {
    { "bundle", 'b', &o.bundle, NULL },
    { "pid-file", 0, &o.pid_file, NULL },
    { "console-socket", 0, &o.console_socket, NULL },
    { "preserve-fds", 0, &preserve, NULL },
    { "no-pivot", 0, NULL, &no_pivot },
    { "no-new-keyring", 0, NULL, &no_keyring },
    { "notify-socket", 0, &notify, NULL },
    { "config", 'f', &config, NULL },
    { "detach", 'd', NULL, &o.detach },
  };
  int i = parse_options (command, argc, argv, opts, N_ELEMENTS (opts) - (is_run ? 0 : 1));
  const char *id = take_id (command, argc - i, argv + i, 0);

  o.preserve_fds = parse_preserve_fds (preserve);
  check_config_option (command, config, o.bundle);
  if (notify)
    runc_fail ("%s: --notify-socket is not supported by nestbox-runc", command);
  return is_run ? runc_run (root_of (g), id, &o) : runc_create (root_of (g), id, &o);
}

static int
cmd_create (const struct globals *g, int argc, char **argv)
{
  return create_or_run (g, "create", argc, argv);
}

static int
cmd_run (const struct globals *g, int argc, char **argv)
{
  return create_or_run (g, "run", argc, argv);
}

static int
cmd_start (const struct globals *g, int argc, char **argv)
{
  int i = parse_options ("start", argc, argv, NULL, 0);

  return runc_start (root_of (g), take_id ("start", argc - i, argv + i, 0));
}

static int
cmd_state (const struct globals *g, int argc, char **argv)
{
  int i = parse_options ("state", argc, argv, NULL, 0);

  return runc_state (root_of (g), take_id ("state", argc - i, argv + i, 0));
}

static int
cmd_kill (const struct globals *g, int argc, char **argv)
{
  bool all = false;
  const struct runc_option opts[] = { { "all", 'a', NULL, &all } };
  int i = parse_options ("kill", argc, argv, opts, N_ELEMENTS (opts));
  const char *id = take_id ("kill", argc - i, argv + i, 1);

  return runc_kill (root_of (g), id, argc - i > 1 ? argv[i + 1] : NULL, all);
}

static int
cmd_delete (const struct globals *g, int argc, char **argv)
{
  bool force = false;
  const struct runc_option opts[] = { { "force", 'f', NULL, &force } };
  int i = parse_options ("delete", argc, argv, opts, N_ELEMENTS (opts));

  return runc_delete (root_of (g), take_id ("delete", argc - i, argv + i, 0), force);
}

static int
cmd_list (const struct globals *g, int argc, char **argv)
{
  const char *format = "table";
  bool quiet = false;
  const struct runc_option opts[] = { { "format", 'f', &format, NULL }, { "quiet", 'q', NULL, &quiet } };
  int i = parse_options ("list", argc, argv, opts, N_ELEMENTS (opts));

  if (i < argc)
    runc_fail ("list: unexpected argument \"%s\"", argv[i]);
  return runc_list (root_of (g), format, quiet);
}

static int
cmd_features (const struct globals *g, int argc, char **argv)
{
  int i = parse_options ("features", argc, argv, NULL, 0);

  (void) g;
  if (i < argc)
    runc_fail ("features: unexpected argument \"%s\"", argv[i]);
  return runc_features ();
}

static int
cmd_spec (const struct globals *g, int argc, char **argv)
{
  const char *bundle = NULL;
  bool rootless = false;
  const struct runc_option opts[] = { { "bundle", 'b', &bundle, NULL }, { "rootless", 0, NULL, &rootless } };
  int i = parse_options ("spec", argc, argv, opts, N_ELEMENTS (opts));

  (void) g;
  if (i < argc)
    runc_fail ("spec: unexpected argument \"%s\"", argv[i]);
  return runc_spec (bundle, rootless);
}

static int
cmd_exec (const struct globals *g, int argc, char **argv)
{
  struct runc_exec_options o = { .env = xcalloc ((size_t) argc + 1, sizeof (char *)) };
  const char *process = NULL, *console = NULL;
  bool tty = false;
  const struct runc_option opts[] = {
    { "env", 'e', NULL, NULL, o.env, &o.n_env },
    { "cwd", 0, &o.cwd, NULL },
    { "user", 'u', &o.user, NULL },
    { "pid-file", 0, &o.pid_file, NULL },
    { "detach", 'd', NULL, &o.detach },
    { "process", 'p', &process, NULL },
    { "tty", 't', NULL, &tty },
    { "console-socket", 0, &console, NULL },
  };
  int i = parse_options ("exec", argc, argv, opts, N_ELEMENTS (opts));

  if (process || tty || console)
    runc_fail ("exec: %s is not supported by nestbox-runc yet", process ? "--process" : tty ? "--tty"
                                                                                            : "--console-socket");
  if (argc - i < 2)
    runc_fail (argc - i < 1 ? "exec: no container id given" : "exec: no command given");
  o.args = argv + i + 1;
  return runc_exec (root_of (g), argv[i], &o);
}

static void
print_help (void)
{
  printf ("usage: %s [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID] ...\n"
          "\n"
          "Runs OCI bundles (a config.json and a root) with nestbox's sandbox, as runc does.\n"
          "\n"
          "Commands:\n"
          "  create ID     set the container up; it waits for start\n"
          "                (--bundle DIR, --pid-file FILE, --console-socket SOCKET, --preserve-fds N,\n"
          "                 --config FILE naming the bundle's config.json,\n"
          "                 --no-pivot and --no-new-keyring accepted)\n"
          "  start ID      let a created container run its command\n"
          "  run ID        create and start; wait for the end, exit with its code (--detach: don't wait)\n"
          "  state ID      the container's state, as JSON\n"
          "  kill ID [SIG] send a signal (TERM by default; --all: to every process of it)\n"
          "  delete ID     remove a stopped or created container (--force: a running one too)\n"
          "  list          every container (--format table|json, --quiet)\n"
          "  features      what config.json may ask for, as JSON\n"
          "  spec          write a starting config.json (--bundle DIR, --rootless)\n"
          "  exec ID CMD.. run a further process in a running container\n"
          "                (--env NAME=VALUE, --cwd DIR, --user UID[:GID], --pid-file FILE, --detach)\n"
          "\n"
          "Global options:\n"
          "  --root DIR             state directory (/run/nestbox-runc for root, else $XDG_RUNTIME_DIR/nestbox-runc)\n"
          "  --log FILE             errors (and --debug lines) also go to FILE\n"
          "  --log-format text|json the form of --log's entries\n"
          "  --debug                say what is done, step by step\n"
          "  --systemd-cgroup       accepted; nestbox makes no systemd scope (see nestbox-runc(1))\n"
          "  --cgroup-manager cgroupfs|systemd|disabled  accepted, the same\n"
          "  --version, --help\n",
          program_name);
}

struct command
{
  const char *name;
  int (*run) (const struct globals *g, int argc, char **argv);
};

static const struct command commands[] = {
  { "create", cmd_create },
  { "start", cmd_start },
  { "run", cmd_run },
  { "state", cmd_state },
  { "kill", cmd_kill },
  { "delete", cmd_delete },
  { "list", cmd_list },
  { "features", cmd_features },
  { "spec", cmd_spec },
  { "exec", cmd_exec },
};

static void
set_up_log (const struct globals *g)
{
  enum runc_log_format format = RUNC_LOG_TEXT;

  if (g->log_format && strcmp (g->log_format, "json") == 0)
    format = RUNC_LOG_JSON;
  else if (g->log_format && strcmp (g->log_format, "text") != 0)
    runc_fail ("--log-format %s: give text or json", g->log_format);
  runc_log_setup (g->log, format, g->debug);
}

/* --systemd-cgroup (runc's) and --cgroup-manager (crun's): nestbox makes
 * its own cgroup where there are limits, never a systemd scope. */
static void
check_cgroup_manager (const struct globals *g)
{
  const char *m = g->cgroup_manager;

  if (m && strcmp (m, "cgroupfs") != 0 && strcmp (m, "systemd") != 0 && strcmp (m, "disabled") != 0)
    runc_fail ("--cgroup-manager %.64s: give cgroupfs, systemd or disabled", m);
  if (g->systemd_cgroup || (m && strcmp (m, "systemd") == 0))
    runc_debug ("systemd cgroups asked for: no systemd scope is made; limits use nestbox's own cgroup");
}

int
runc_main (int argc, char **argv)
{
  struct globals g = { 0 };
  const struct runc_option opts[] = {
    { "root", 0, &g.root, NULL },
    { "log", 0, &g.log, NULL },
    { "log-format", 0, &g.log_format, NULL },
    { "debug", 0, NULL, &g.debug },
    { "systemd-cgroup", 0, NULL, &g.systemd_cgroup },
    { "cgroup-manager", 0, &g.cgroup_manager, NULL },
    { "rootless", 0, &g.rootless, NULL },
    { "criu", 0, &g.criu, NULL },
    { "help", 'h', NULL, &g.help },
    { "version", 'v', NULL, &g.version },
  };
  int i = parse_options ("global options", argc - 1, argv + 1, opts, N_ELEMENTS (opts)) + 1;

  /* Before anything can fail with a message for the log. */
  set_up_log (&g);
  if (g.help || (i < argc && strcmp (argv[i], "help") == 0))
    return print_help (), 0;
  if (g.version)
    return runc_version ();
  if (i >= argc)
    runc_fail ("no command given (see --help)");
  check_cgroup_manager (&g);
  for (size_t k = 0; k < N_ELEMENTS (commands); k++)
    if (strcmp (argv[i], commands[k].name) == 0)
      return commands[k].run (&g, argc - i - 1, argv + i + 1);
  runc_fail ("unknown command \"%.64s\" (see --help)", argv[i]);
}
