/* What every part of the config.json reader shares (oci_config.c and the
 * oci_*.c it calls): the error line, warnings, typed access to the JSON
 * with the place of each value named as runc names it ("mounts[3].options[1]"),
 * and strings kept for as long as the plan lives. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oci_config.h"

#define OCI_PLACE_MAX 256

struct oci_ctx
{
  struct oci_config *cfg;
  struct plan *plan;
  char *err;
  size_t size;
  uint64_t keep_caps; /* the capabilities the command keeps (oci_process.c) */
};

/* Write "PLACE: MESSAGE" (or MESSAGE alone for an empty place) to the
 * error line; returns -1. */
int oci_fail (struct oci_ctx *ctx, const char *place, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));
/* One warning line on stderr: "<program>: warning: PLACE: MESSAGE". */
void oci_warn (const char *place, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* PLACE of a member or an element, into buf (OCI_PLACE_MAX bytes). */
const char *oci_key_place (char *buf, const char *place, const char *key);
const char *oci_index_place (char *buf, const char *place, size_t i);

/* Member KEY of OBJ: *out NULL when absent or null (as Go reads null);
 * -1 (error named) when of another type than t. */
int oci_member (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key,
                enum json_type t, struct json_object **out);
/* The same for a string member, kept with the plan (NULL when absent). */
int oci_string (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, const char **out);
/* An array member whose elements are all strings (NULL when absent). */
int oci_string_array (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key,
                      struct json_object **out);
/* A boolean member; *out unchanged when absent. */
int oci_bool (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, bool *out);
/* An integer member (signed); *present says whether it was given. */
int oci_int64 (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, bool *present,
               int64_t *out);
/* A non-negative integer member no larger than max. */
int oci_uint64 (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, uint64_t max,
                bool *present, uint64_t *out);
/* A JSON value that must be a non-negative integer no larger than max. */
int oci_uint_value (struct oci_ctx *ctx, struct json_object *v, const char *place, uint64_t max, uint64_t *out);

/* Whether a member holds anything: present, not null, and not an empty
 * array, object or string (runc reads all of those as "not asked for"). */
bool oci_has (struct json_object *obj, const char *key);

/* A copy of s owned by the plan (freed by plan_free). */
const char *oci_own (struct oci_ctx *ctx, const char *s);
char *oci_own_printf (struct oci_ctx *ctx, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Grow an array by one zeroed element and return it. */
void *oci_append (void *array_ptr, size_t *count, size_t size);
/* obj's member key, an object of strings, as a NULL-terminated list
 * name, value, name, value ...; *out NULL when there is no such member. */
int oci_string_map (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, char ***out);
/* A new op at the end of the plan's, with no fd and no --perms. */
struct op *oci_add_op (struct oci_ctx *ctx, enum op_type type, const char *dest);
