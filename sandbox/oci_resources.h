/* config.json's linux.resources into the plan's cgroup v2 limits. */
#pragma once

#include "oci_json.h"

int oci_resources_read (struct oci_ctx *ctx, struct json_object *resources);
