/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-parse.h"

G_BEGIN_DECLS

/* Shared by the parsers in src/model only; nothing outside includes it, so
 * json-glib stays out of the public headers. */

/* Runs the checks every body needs before json-glib sees it (first byte,
 * UTF-8, nesting depth), then parses. With @allow_string, a bare JSON
 * string is accepted too (Alertmanager's error bodies). */
JsonNode   *vigil_json_parse_bytes      (GBytes      *body,
                                         gboolean     allow_string,
                                         GError     **error);

/* Type-checked accessors: NULL (or FALSE) when the member is missing or of
 * another type, where json-glib's own would emit a critical warning. */
const char *vigil_json_node_get_string  (JsonNode    *node);
gboolean    vigil_json_node_get_number  (JsonNode    *node,
                                         double      *value);
const char *vigil_json_get_string       (JsonObject  *object,
                                         const char  *member);
JsonObject *vigil_json_get_object       (JsonObject  *object,
                                         const char  *member);
JsonArray  *vigil_json_get_array        (JsonObject  *object,
                                         const char  *member);

/* Calls @func for each member of @object whose value is a string. Label
 * and annotation values are strings by definition; anything else comes
 * from a broken server or proxy and is skipped, so one odd member costs
 * only itself. @object may be NULL. */
typedef void (*VigilJsonStringFunc) (const char *name,
                                     const char *value,
                                     gpointer    user_data);

void        vigil_json_foreach_string   (JsonObject          *object,
                                         VigilJsonStringFunc  func,
                                         gpointer             user_data);

G_END_DECLS
