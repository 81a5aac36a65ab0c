/* What the mounts of config.json leave where (oci_mounts.c), and the
 * lists that act on those places afterwards: linux.devices,
 * linux.readonlyPaths, linux.maskedPaths and root.readonly. */
#pragma once

#include "oci_json.h"

/* One place of the container's tree, as the mounts made it. */
struct oci_placed
{
  const char *dest;
  const char *host; /* where its contents can be seen on the host now; NULL: an empty new file system */
  bool readonly;
  bool proc;  /* a procfs, masked by the plan's proc policy */
  ssize_t op; /* the plan's op that mounts it; -1: none */
};

struct oci_places
{
  struct oci_placed *list; /* list[0] is the root */
  size_t n;
};

/* The ops after the mounts: devices, read-only paths, masks, the root
 * read-only. */
int oci_paths_read (struct oci_ctx *ctx, struct json_object *linux_obj, const struct oci_places *places);
