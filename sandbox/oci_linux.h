/* config.json's namespaces, id mappings, host and domain names, and the
 * rest of "linux" that is neither a mount nor a resource: sysctl,
 * seccomp, mountLabel, rootfsPropagation and the fields nestbox refuses. */
#pragma once

#include "oci_json.h"

/* linux.namespaces, linux.uidMappings, linux.gidMappings. */
int oci_namespaces_read (struct oci_ctx *ctx, struct json_object *linux_obj);
/* hostname and domainname (after the namespaces). */
int oci_names_read (struct oci_ctx *ctx, struct json_object *root);
/* The rest of linux (after the process: ctx->keep_caps is known). */
int oci_linux_read (struct oci_ctx *ctx, struct json_object *linux_obj);
