/* Typed access to config.json for the oci_*.c readers (oci_json.h). */
#include "oci_json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int
oci_fail (struct oci_ctx *ctx, const char *place, const char *fmt, ...)
{
  char msg[512];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (place != NULL && *place)
    snprintf (ctx->err, ctx->size, "%s: %s", place, msg);
  else
    snprintf (ctx->err, ctx->size, "%s", msg);
  return -1;
}

void
oci_warn (const char *place, const char *fmt, ...)
{
  char msg[512];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  warn_msg ("warning: %s: %s", place, msg);
}

const char *
oci_key_place (char *buf, const char *place, const char *key)
{
  snprintf (buf, OCI_PLACE_MAX, "%s%s%s", place, *place ? "." : "", key);
  return buf;
}

const char *
oci_index_place (char *buf, const char *place, size_t i)
{
  snprintf (buf, OCI_PLACE_MAX, "%s[%zu]", place, i);
  return buf;
}

static const char *
type_name (struct json_object *o)
{
  switch (json_object_get_type (o))
    {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return "a non-integer number";
    case json_type_int: return "a number";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
  return "something else";
}

static const char *
want_name (enum json_type t)
{
  switch (t)
    {
    case json_type_boolean: return "a boolean";
    case json_type_int: return "an integer";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    case json_type_null:
    case json_type_double:
      break;
    }
  return "something else";
}

int
oci_member (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key,
            enum json_type t, struct json_object **out)
{
  struct json_object *v = NULL;
  char sub[OCI_PLACE_MAX];

  *out = NULL;
  if (obj == NULL || !json_object_object_get_ex (obj, key, &v) || v == NULL)
    return 0;
  if (json_object_get_type (v) != t)
    return oci_fail (ctx, oci_key_place (sub, place, key), "must be %s, not %s", want_name (t), type_name (v));
  *out = v;
  return 0;
}

int
oci_string (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, const char **out)
{
  struct json_object *v;
  int r = oci_member (ctx, obj, place, key, json_type_string, &v);

  *out = v != NULL ? oci_own (ctx, json_object_get_string (v)) : NULL;
  return r;
}

int
oci_string_array (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key,
                  struct json_object **out)
{
  char sub[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  if (oci_member (ctx, obj, place, key, json_type_array, out) < 0)
    return -1;
  oci_key_place (sub, place, key);
  for (size_t i = 0; *out != NULL && i < json_object_array_length (*out); i++)
    {
      struct json_object *v = json_object_array_get_idx (*out, i);

      if (json_object_get_type (v) != json_type_string)
        return oci_fail (ctx, oci_index_place (elem, sub, i), "must be a string, not %s", type_name (v));
    }
  return 0;
}

int
oci_bool (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, bool *out)
{
  struct json_object *v;

  if (oci_member (ctx, obj, place, key, json_type_boolean, &v) < 0)
    return -1;
  if (v != NULL)
    *out = json_object_get_boolean (v);
  return 0;
}

int
oci_int64 (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, bool *present,
           int64_t *out)
{
  struct json_object *v;
  char sub[OCI_PLACE_MAX];

  *present = false;
  if (oci_member (ctx, obj, place, key, json_type_int, &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  /* json-c keeps integers above INT64_MAX as unsigned; get_int64 caps them. */
  *out = json_object_get_int64 (v);
  if (*out == INT64_MAX && json_object_get_uint64 (v) != (uint64_t) INT64_MAX)
    return oci_fail (ctx, oci_key_place (sub, place, key), "%s is out of range", json_object_to_json_string (v));
  *present = true;
  return 0;
}

int
oci_uint_value (struct oci_ctx *ctx, struct json_object *v, const char *place, uint64_t max, uint64_t *out)
{
  if (json_object_get_type (v) != json_type_int)
    return oci_fail (ctx, place, "must be a non-negative integer, not %s", type_name (v));
  if (json_object_get_int64 (v) < 0)
    return oci_fail (ctx, place, "must not be negative");
  *out = json_object_get_uint64 (v);
  if (*out > max)
    return oci_fail (ctx, place, "%s is out of range (at most %" PRIu64 ")", json_object_to_json_string (v), max);
  return 0;
}

int
oci_uint64 (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, uint64_t max,
            bool *present, uint64_t *out)
{
  struct json_object *v = NULL;
  char sub[OCI_PLACE_MAX];

  *present = false;
  if (obj == NULL || !json_object_object_get_ex (obj, key, &v) || v == NULL)
    return 0;
  if (oci_uint_value (ctx, v, oci_key_place (sub, place, key), max, out) < 0)
    return -1;
  *present = true;
  return 0;
}

bool
oci_has (struct json_object *obj, const char *key)
{
  struct json_object *v = NULL;

  if (obj == NULL || !json_object_object_get_ex (obj, key, &v) || v == NULL)
    return false;
  switch (json_object_get_type (v))
    {
    case json_type_null: return false;
    case json_type_array: return json_object_array_length (v) > 0;
    case json_type_object: return json_object_object_length (v) > 0;
    case json_type_string: return json_object_get_string_len (v) > 0;
    case json_type_boolean:
    case json_type_double:
    case json_type_int:
      break;
    }
  return true;
}

void *
oci_append (void *array_ptr, size_t *count, size_t size)
{
  void **array = array_ptr;
  char *grown = xreallocarray (*array, *count + 1, size);

  *array = grown;
  memset (grown + *count * size, 0, size);
  return grown + (*count)++ * size;
}

int
oci_string_map (struct oci_ctx *ctx, struct json_object *obj, const char *place, const char *key, char ***out)
{
  struct json_object *map;
  char where[OCI_PLACE_MAX], at[OCI_PLACE_MAX];
  size_t n = 0;

  *out = NULL;
  if (oci_member (ctx, obj, place, key, json_type_object, &map) < 0)
    return -1;
  if (map == NULL)
    return 0;
  oci_key_place (where, place, key);
  *out = xcalloc (2 * json_object_object_length (map) + 1, sizeof (char *));
  json_object_object_foreach (map, name, value)
  {
    if (!json_object_is_type (value, json_type_string))
      return oci_fail (ctx, oci_key_place (at, where, name), "must be a string");
    (*out)[n++] = (char *) oci_own (ctx, name);
    (*out)[n++] = (char *) oci_own (ctx, json_object_get_string (value));
  }
  return 0;
}

struct op *
oci_add_op (struct oci_ctx *ctx, enum op_type type, const char *dest)
{
  struct op *op = oci_append (&ctx->plan->ops, &ctx->plan->n_ops, sizeof *op);

  op->type = type;
  op->dest = dest;
  op->fd = -1;
  op->perms = -1;
  return op;
}

const char *
oci_own (struct oci_ctx *ctx, const char *s)
{
  char *copy = xstrdup (s);

  *(char **) oci_append (&ctx->plan->owned, &ctx->plan->n_owned, sizeof (char *)) = copy;
  return copy;
}

char *
oci_own_printf (struct oci_ctx *ctx, const char *fmt, ...)
{
  char *s = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) < 0)
    die_oom ();
  va_end (ap);
  *(char **) oci_append (&ctx->plan->owned, &ctx->plan->n_owned, sizeof (char *)) = s;
  return s;
}
