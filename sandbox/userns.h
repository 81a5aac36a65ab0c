/* The user namespaces of a sandbox, one entry per phase (userns.c). */
#pragma once

#include <sys/types.h>

#include "launch.h"

/* Caller side, before clone: who writes the first namespace's id maps,
 * and the ids set-up and the command run as.  Dies on bad input. */
void userns_decide_maps (struct launch *l);

/* Monitor, right after clone, when it writes the maps (map_by_parent):
 * write them for the sandbox pid, then let it go on. */
void userns_write_maps_from_monitor (struct launch *l, pid_t pid);

/* Sandbox, first thing in its namespaces: its maps written (by itself, the
 * monitor or --userns-block-fd's caller), running as the set-up ids. */
void userns_map_for_setup (struct launch *l);

/* Sandbox, before the command's process starts: --disable-userns's limit
 * and, for id ranges, the nested namespace that mirrors them. */
void userns_prepare_nested (struct launch *l, int host_proc_fd);

/* The command's process: into its nested namespace (or --userns2), with
 * user namespaces disabled below when asked. */
void userns_enter_nested (struct launch *l, int host_proc_fd);

/* The command's process: --uid/--gid where no namespace maps them. */
void userns_switch_ids_in_place (const struct launch *l);
