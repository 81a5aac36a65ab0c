/* bubblewrap 0.11.1's command line (plus nestbox's own options) into a plan.
 *
 * The parse loop: it looks each option up in the table (cli_options.c),
 * checks the argument count, runs the row's handler, and keeps the rules
 * that span options (modifiers, --args, --help). */
#include "cli.h"

#include <string.h>

#include "cli_help.h"
#include "cli_options.h"
#include "util.h"

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

static void parse_args (struct parser *p, int argc, char **argv);

/* One option's handler, then what it leaves to the loop. */
static void
run_option (struct parser *p, const struct option_def *def, char **args)
{
  p->consumed_modifiers = false;
  def->handle (p, def, args);
  /* At once, as bwrap does: the rest of the parse prints with it too. */
  if (p->plan->level_prefix)
    log_level_prefix = true;
  if (p->print == PRINT_HELP)
    cli_print_help (p->invoked_as);
  if (p->print == PRINT_VERSION)
    cli_print_version ();
  if (p->args_file_words != NULL)
    {
      char **words = take_ptr (&p->args_file_words);

      p->in_args_file = true;
      parse_args (p, p->n_args_file_words, words);
      p->in_args_file = false;
    }
  /* A modifier set by this option waits for the next one; any other
   * option must have used up what was pending. */
  if (!p->consumed_modifiers)
    check_modifiers_consumed (p);
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
  def = cli_find_option (name);
  if (def == NULL || def->n_args != 1)
    return false;
  value[0] = eq + 1;
  run_option (p, def, value);
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
      def = cli_find_option (arg);
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

      run_option (p, def, argv + 1);

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

/* NESTBOX_LANDLOCK=1 or try: --landlock or --landlock-try for callers
 * whose command line is not theirs to change (a CI system that runs
 * bwrap).  An option given on the command line wins. */
static void
landlock_from_environment (struct plan *plan)
{
  const char *value = getenv ("NESTBOX_LANDLOCK");

  if (value == NULL || plan->landlock || plan->landlock_try)
    return;
  if (strcmp (value, "1") == 0)
    plan->landlock = true;
  else if (strcmp (value, "try") == 0)
    plan->landlock_try = true;
  else if (strcmp (value, "0") != 0 && value[0] != '\0')
    die ("NESTBOX_LANDLOCK=%s: give 1 (--landlock), try (--landlock-try) or 0", value);
}

void
cli_parse (struct plan *plan, int argc, char **argv, const char *invoked_as)
{
  struct parser p = {
    .plan = plan,
    .invoked_as = invoked_as,
    .total_args = (size_t) argc,
    .next_perms = -1,
  };

  if (argc > CLI_MAX_ARGS)
    die ("Exceeded maximum number of arguments %u", CLI_MAX_ARGS);
  parse_args (&p, argc, argv);
  free (p.pending_overlay_sources);
  landlock_from_environment (plan);
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
