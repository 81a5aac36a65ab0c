/* config.json's root, mounts, linux.devices, linux.readonlyPaths and
 * linux.maskedPaths into the plan's ops, in the order runc applies them. */
#pragma once

#include "oci_json.h"

int oci_mounts_read (struct oci_ctx *ctx, struct json_object *root, struct json_object *linux_obj);
