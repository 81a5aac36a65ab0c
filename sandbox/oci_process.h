/* config.json's "process": the command, its environment, ids,
 * capabilities, limits and labels. */
#pragma once

#include "oci_json.h"

/* After the namespaces (the ids are checked against them); sets
 * ctx->keep_caps. */
int oci_process_read (struct oci_ctx *ctx, struct json_object *process);
