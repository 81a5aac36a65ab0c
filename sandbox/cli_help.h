/* --help and --version: printed from the option table. */
#pragma once

_Noreturn void cli_print_help (const char *invoked_as);
_Noreturn void cli_print_version (void);
