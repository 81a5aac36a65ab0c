/* Where the sandbox's cgroup can go: the cgroup v2 directory below which
 * nestbox may make a child with the controllers its limits need, or why
 * there is none and what would make one.  Shared by the launcher
 * (cgroup.c) and `nestbox doctor`. */
#pragma once

#include <stdbool.h>

/* The controllers, as bits of a set. */
enum
{
  CONTROLLER_MEMORY = 1 << 0,
  CONTROLLER_PIDS = 1 << 1,
  CONTROLLER_CPU = 1 << 2,
  CONTROLLER_IO = 1 << 3,
};
#define N_CONTROLLERS 4

/* The bit of a controller's name, 0 for an unknown one. */
unsigned controller_bit (const char *name);

struct cgroup_where
{
  char *own;       /* nestbox's own cgroup directory */
  char *path;      /* the parent-to-be, as this process sees it */
  bool beside_own; /* it is the parent of nestbox's own cgroup */
  char *why;       /* when there is none: the cause ... */
  char *remedy;    /* ... and what to do about it */
};

/* Find the parent for a cgroup with every controller of the set
 * `controllers`.  Returns true and fills where->path, or false and fills
 * why and remedy.  Nothing is created. */
bool cgroup_where_find (unsigned controllers, struct cgroup_where *where);
void cgroup_where_free (struct cgroup_where *where);
