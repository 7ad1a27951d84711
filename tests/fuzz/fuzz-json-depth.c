/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-json-depth"

#include "config.h"

#include "fuzz.h"
#include "vigil-json-private.h"
#include "vigil-parse.h"

/* Nesting depth of what json-glib built: one for an array or object
 * holding only values. */
static guint
tree_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = tree_depth (json_array_get_element (array, i));

          deepest = MAX (deepest, depth);
        }

      return deepest + 1;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          guint depth = tree_depth (json_object_get_member (object, l->data));

          deepest = MAX (deepest, depth);
        }

      return deepest + 1;
    }

  return 0;
}

/* vigil_json_check_depth() is what stands between a server and Debian's
 * json-glib, which overflows its stack on very deep input. Checked
 * against json-glib itself: whatever the check lets through must really
 * be no deeper than the limit, strings with brackets and escapes
 * included. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint limit;

  vigil_fuzz_setup ();

  /* The first byte picks a limit, so that small limits are reached by
   * small inputs too; the rest is the body. */
  if (size == 0)
    return 0;
  limit = data[0] % 80;
  g_bytes_unref (body);
  body = g_bytes_new_static (data + 1, size - 1);

  if (!vigil_json_check_depth (body, limit, &error))
    {
      g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
      vigil_fuzz_assert_text (error->message);
      return 0;
    }
  g_assert_no_error (error);

  /* json-glib sees the body only under the real limit, as in Vigil. */
  if (limit > VIGIL_JSON_MAX_DEPTH)
    return 0;

  root = vigil_json_parse_bytes (body, TRUE, &error);
  vigil_fuzz_assert_outcome (root, error);
  if (root != NULL)
    g_assert_cmpuint (tree_depth (root), <=, limit);

  return 0;
}
