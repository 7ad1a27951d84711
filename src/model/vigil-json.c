/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"

/* How much of a non-JSON body is quoted back in the error message: enough
 * to recognise "404 page not found" or "Service Unavailable". */
#define SNIPPET_MAX_CHARS 80

G_DEFINE_QUARK (vigil-parse-error-quark, vigil_parse_error)
G_DEFINE_QUARK (vigil-prometheus-error-quark, vigil_prometheus_error)

static gboolean
is_json_space (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Text from the body, or about it, made fit for a GTK label: UTF-8, and
 * no control characters. */
static char *
dup_printable (const char *text,
               gssize      length)
{
  char *valid = g_utf8_make_valid (text, length);

  for (char *c = valid; *c != '\0'; c++)
    {
      if ((guchar) *c < 0x20 || *c == 0x7f)
        *c = ' ';
    }

  return valid;
}

static char *
dup_snippet (const char *data,
             gsize       size)
{
  g_autofree char *valid = NULL;
  gsize line_len = 0;
  glong n_chars;

  while (line_len < size && data[line_len] != '\n' && data[line_len] != '\r')
    line_len++;

  /* The body may be anything, including bytes that are not UTF-8, and the
   * message ends up in a GTK label. */
  valid = dup_printable (data, MIN (line_len, (gsize) SNIPPET_MAX_CHARS * 4));

  n_chars = g_utf8_strlen (valid, -1);
  if (n_chars > SNIPPET_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (valid, 0, SNIPPET_MAX_CHARS);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&valid);
}

static void
set_not_json_error (const char  *data,
                    gsize        size,
                    GError     **error)
{
  g_autofree char *snippet = NULL;

  if (size == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON,
                           _("The server sent an empty answer instead of JSON"));
      return;
    }

  if (data[0] == '<')
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON,
                           _("The server sent a web page instead of JSON; check the URL or whether a proxy asks for a login"));
      return;
    }

  snippet = dup_snippet (data, size);
  g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON,
               _("The server sent text instead of JSON: “%s”"), snippet);
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The code unit of a `\uXXXX` escape at `p` (which points at the
 * backslash), or -1 when there is none. */
static int
escaped_unit (const char *p,
              const char *end)
{
  int unit = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;

  for (int i = 2; i < 6; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      unit = unit * 16 + digit;
    }

  return unit;
}

/* json-glib's tokenizer reads more than JSON: octal escapes ("\367"),
 * `\u` with fewer than four digits, and a UTF-16 surrogate without its
 * other half ("\ud83d" alone); all of them give strings that are not
 * UTF-8, where every reader of a model expects UTF-8. So the escapes are
 * checked first: one JSON does not have makes the body invalid, as for any
 * JSON parser. A lone surrogate is valid JSON, though no server sends one
 * on purpose: it is replaced by "\ufffd" (U+FFFD, the replacement
 * character, the same six bytes long), so that one odd string costs only
 * itself, and `*repaired` is the body with the replacements. */
static gboolean
check_escapes (const char  *data,
               gsize        size,
               GBytes     **repaired,
               GError     **error)
{
  const char *end = data + size;
  gboolean in_string = FALSE;
  char *copy = NULL;

  *repaired = NULL;

  for (const char *p = data; p < end; p++)
    {
      int unit;

      if (!in_string)
        {
          in_string = *p == '"';
          continue;
        }

      if (*p == '"')
        {
          in_string = FALSE;
          continue;
        }

      if (*p != '\\')
        continue;

      if (p + 1 < end && strchr ("\"\\/bfnrt", p[1]) != NULL && p[1] != '\0')
        {
          /* Skipped, so that `\"` does not end the string and `\\u`
           * is not an escape. */
          p++;
          continue;
        }

      unit = escaped_unit (p, end);
      if (unit < 0)
        {
          g_free (copy);
          g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID,
                               _("The server’s answer is not valid JSON: a string holds an escape sequence JSON does not have"));
          return FALSE;
        }

      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          int low = escaped_unit (p + 6, end);

          if (low >= 0xdc00 && low <= 0xdfff)
            {
              p += 11;
              continue;
            }
        }

      if (unit >= 0xd800 && unit <= 0xdfff)
        {
          if (copy == NULL)
            copy = g_memdup2 (data, size);
          memcpy (copy + (p - data), "\\ufffd", 6);
        }

      p += 5;
    }

  if (copy != NULL)
    *repaired = g_bytes_new_take (copy, size);

  return TRUE;
}

static gboolean
is_rfc3339 (const char *text)
{
  /* g_date_time_new_from_iso8601() also takes ISO 8601 forms that are not
   * RFC 3339 (week dates, no zone, no seconds), which neither server sends
   * on purpose, so the shape is checked first. */
  static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
  const char *p = text;

  for (guint i = 0; pattern[i] != '\0'; i++, p++)
    {
      if (pattern[i] == 'd' && !g_ascii_isdigit (*p))
        return FALSE;
      if (pattern[i] == 'T' && *p != 'T' && *p != 't')
        return FALSE;
      if ((pattern[i] == '-' || pattern[i] == ':') && *p != pattern[i])
        return FALSE;
    }

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z' || *p == 'z')
    return p[1] == '\0';

  if (*p != '+' && *p != '-')
    return FALSE;

  return g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && p[3] == ':'
         && g_ascii_isdigit (p[4]) && g_ascii_isdigit (p[5]) && p[6] == '\0';
}

JsonNode *
vigil_json_parse_bytes (GBytes    *body,
                        gboolean   allow_string,
                        GError   **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) repaired = NULL;
  const char *data;
  const char *start;
  gsize size;
  gsize skipped = 0;
  JsonNode *root;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (body, &size);
  while (skipped < size && is_json_space (data[skipped]))
    skipped++;
  start = data + skipped;

  /* Proxies, login pages and servers that are still starting answer with
   * HTML or text, often with status 200: say what arrived instead of
   * passing a tokenizer error on to the user. */
  if (skipped == size
      || !(start[0] == '{' || start[0] == '[' || (allow_string && start[0] == '"')))
    {
      set_not_json_error (start, size - skipped, error);
      return NULL;
    }

  /* JSON is UTF-8, and every string taken from the body ends up in labels
   * and notifications; this also refuses NUL bytes, which json-glib would
   * treat as the end of the text. */
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID,
                           _("The server’s answer is not valid UTF-8 text"));
      return NULL;
    }

  if (!vigil_json_check_depth (body, VIGIL_JSON_MAX_DEPTH, error))
    return NULL;

  if (!check_escapes (data, size, &repaired, error))
    return NULL;
  if (repaired != NULL)
    data = g_bytes_get_data (repaired, &size);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      /* json-glib quotes the offending token, cut at a byte count: the
       * middle of a UTF-8 sequence, control characters and all. */
      g_autofree char *reason = dup_printable (local_error->message, -1);

      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID,
                   _("The server’s answer is not valid JSON: %s"), reason);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID,
                           _("The server’s answer is not valid JSON"));
      return NULL;
    }

  return root;
}

const char *
vigil_json_node_get_string (JsonNode *node)
{
  if (node == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
vigil_json_node_get_number (JsonNode *node,
                            double   *value)
{
  GType type;

  g_assert (value != NULL);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_STRING)
    return vigil_parse_sample_value (json_node_get_string (node), value);
  else
    return FALSE;

  return TRUE;
}

const char *
vigil_json_get_string (JsonObject *object,
                       const char *member)
{
  return vigil_json_node_get_string (json_object_get_member (object, member));
}

JsonObject *
vigil_json_get_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
vigil_json_get_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

void
vigil_json_foreach_string (JsonObject          *object,
                           VigilJsonStringFunc  func,
                           gpointer             user_data)
{
  g_autoptr(GList) members = NULL;

  g_assert (func != NULL);

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *value = vigil_json_get_string (object, l->data);

      if (value != NULL)
        func (l->data, value, user_data);
    }
}

gboolean
vigil_json_check_depth (GBytes  *body,
                        guint    max_depth,
                        GError **error)
{
  const guchar *data;
  gsize size;
  guint depth = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (body, &size);

  for (gsize i = 0; i < size; i++)
    {
      guchar c = data[i];

      if (in_string)
        {
          /* The byte after a backslash is escaped, so `\"` does not end
           * the string and `\\` does not escape the closing quote. */
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP,
                           _("The server’s answer is nested more than %u levels deep"),
                           max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced input is left for the parser to report. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

gboolean
vigil_parse_sample_value (const char *text,
                          double     *value)
{
  const char *digits = text;
  gboolean negative = FALSE;
  char *end = NULL;
  double result;

  g_return_val_if_fail (value != NULL, FALSE);

  if (text == NULL || text[0] == '\0')
    return FALSE;

  /* The spellings Go's strconv.ParseFloat accepts, which is what produced
   * the text: Prometheus writes "+Inf", "-Inf" and "NaN", other servers
   * vary the case. */
  if (text[0] == '+' || text[0] == '-')
    {
      negative = text[0] == '-';
      digits = text + 1;
    }

  if (g_ascii_strcasecmp (digits, "inf") == 0
      || g_ascii_strcasecmp (digits, "infinity") == 0)
    {
      *value = negative ? -INFINITY : INFINITY;
      return TRUE;
    }

  if (g_ascii_strcasecmp (text, "nan") == 0)
    {
      *value = NAN;
      return TRUE;
    }

  /* strtod() also skips leading blanks and takes hexadecimal and
   * "nan(…)" forms; none of them is a sample value. */
  if (text[strspn (text, "0123456789+-.eE")] != '\0')
    return FALSE;

  result = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return FALSE;

  *value = result;
  return TRUE;
}

GDateTime *
vigil_parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *upper = NULL;

  if (text == NULL || !is_rfc3339 (text))
    return NULL;

  /* RFC 3339 allows a lower-case "z", GLib does not. */
  upper = g_ascii_strup (text, -1);
  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (upper, utc);
  if (parsed == NULL)
    return NULL;

  return g_date_time_to_utc (parsed);
}

char *
vigil_parse_error_body (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  const char *text = NULL;

  if (body == NULL)
    return NULL;

  root = vigil_json_parse_bytes (body, TRUE, NULL);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      text = vigil_json_get_string (object, "error");
      if (text == NULL || text[0] == '\0')
        text = vigil_json_get_string (object, "message");
    }
  else
    {
      text = vigil_json_node_get_string (root);
    }

  if (text == NULL || text[0] == '\0')
    return NULL;

  return g_strdup (text);
}
