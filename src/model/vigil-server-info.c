/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-server-info"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"
#include "vigil-server-info.h"

G_DEFINE_BOXED_TYPE (VigilServerInfo, vigil_server_info,
                     vigil_server_info_copy, vigil_server_info_free)

/* Versions and names are short; a server sending kilobytes there is broken
 * or hostile, and the sentence must stay readable. */
#define MAX_FIELD 120

static char *
dup_field (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  valid = g_utf8_make_valid (text, MIN (strlen (text), MAX_FIELD));
  g_strdelimit (valid, "\r\n\t", ' ');

  return g_steal_pointer (&valid);
}

VigilServerInfo *
vigil_server_info_copy (const VigilServerInfo *self)
{
  VigilServerInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (VigilServerInfo, 1);
  copy->product = g_strdup (self->product);
  copy->version = g_strdup (self->version);
  copy->revision = g_strdup (self->revision);
  copy->cluster_status = g_strdup (self->cluster_status);
  copy->cluster_name = g_strdup (self->cluster_name);
  copy->peers = g_strdupv (self->peers);
  copy->uptime = self->uptime != NULL ? g_date_time_ref (self->uptime) : NULL;

  return copy;
}

void
vigil_server_info_free (VigilServerInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->product);
  g_free (self->version);
  g_free (self->revision);
  g_free (self->cluster_status);
  g_free (self->cluster_name);
  g_strfreev (self->peers);
  g_clear_pointer (&self->uptime, g_date_time_unref);
  g_free (self);
}

static JsonObject *
root_object (JsonNode    *root,
             const char  *what,
             GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                   _("The answer is not %s; is this the right kind of server?"), what);
      return NULL;
    }

  return json_node_get_object (root);
}

VigilServerInfo *
vigil_prometheus_parse_buildinfo (GBytes  *body,
                                  GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(VigilServerInfo) info = NULL;
  JsonObject *object;
  JsonObject *data;
  const char *status;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  object = root_object (root, _("a Prometheus API response"), error);
  if (object == NULL)
    return NULL;

  status = vigil_json_get_string (object, "status");
  if (g_strcmp0 (status, "error") == 0)
    {
      const char *text = vigil_json_get_string (object, "error");

      g_set_error_literal (error, VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_OTHER,
                           text != NULL && *text != '\0' ? text
                                                         : _("The server reported an error without saying which"));
      return NULL;
    }

  data = vigil_json_get_object (object, "data");
  if (g_strcmp0 (status, "success") != 0 || data == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is not a Prometheus API response; is this the address of a Prometheus-compatible server?"));
      return NULL;
    }

  info = g_new0 (VigilServerInfo, 1);
  /* VictoriaMetrics answers with an empty `data`: compatible, but it does
   * not say what it is. */
  info->product = g_strdup ("Prometheus");
  info->version = dup_field (vigil_json_get_string (data, "version"));
  info->revision = dup_field (vigil_json_get_string (data, "revision"));

  return g_steal_pointer (&info);
}

VigilServerInfo *
vigil_alertmanager_parse_status (GBytes  *body,
                                 GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(VigilServerInfo) info = NULL;
  g_autoptr(GStrvBuilder) peers = g_strv_builder_new ();
  JsonObject *object;
  JsonObject *version_info;
  JsonObject *cluster;
  JsonArray *peer_array;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  object = root_object (root, _("an Alertmanager status"), error);
  if (object == NULL)
    return NULL;

  /* versionInfo is what tells an Alertmanager from any other JSON API. */
  version_info = vigil_json_get_object (object, "versionInfo");
  if (version_info == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer has no version information; is this the address of an Alertmanager?"));
      return NULL;
    }

  info = g_new0 (VigilServerInfo, 1);
  info->product = g_strdup ("Alertmanager");
  info->version = dup_field (vigil_json_get_string (version_info, "version"));
  info->revision = dup_field (vigil_json_get_string (version_info, "revision"));
  info->uptime = vigil_parse_timestamp (vigil_json_get_string (object, "uptime"));

  cluster = vigil_json_get_object (object, "cluster");
  if (cluster != NULL)
    {
      info->cluster_status = dup_field (vigil_json_get_string (cluster, "status"));
      info->cluster_name = dup_field (vigil_json_get_string (cluster, "name"));
      peer_array = vigil_json_get_array (cluster, "peers");
      for (guint i = 0; peer_array != NULL && i < json_array_get_length (peer_array); i++)
        {
          JsonNode *node = json_array_get_element (peer_array, i);
          const char *address = NULL;

          if (JSON_NODE_HOLDS_OBJECT (node))
            {
              address = vigil_json_get_string (json_node_get_object (node), "address");
              if (address == NULL)
                address = vigil_json_get_string (json_node_get_object (node), "name");
            }
          if (address != NULL && *address != '\0')
            {
              g_autofree char *field = dup_field (address);

              g_strv_builder_add (peers, field);
            }
        }
    }
  info->peers = g_strv_builder_end (peers);

  return g_steal_pointer (&info);
}

static char *
format_uptime (GTimeSpan span)
{
  gint64 minutes = MAX (span / G_TIME_SPAN_MINUTE, 0);

  if (minutes < 1)
    return g_strdup (_("less than a minute"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", minutes),
                            (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (_("%d h %d min"), (int) (minutes / 60), (int) (minutes % 60));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", minutes / (24 * 60)),
                          (int) (minutes / (24 * 60)));
}

char *
vigil_server_info_describe (const VigilServerInfo *self,
                            GDateTime             *now)
{
  GString *text;
  guint n_peers;

  g_return_val_if_fail (self != NULL, NULL);

  text = g_string_new (NULL);
  if (self->version != NULL)
    /* Translators: a product name and its version, "Prometheus 2.42.0". */
    g_string_append_printf (text, _("%s %s"), self->product, self->version);
  else
    /* Translators: a product name; the server did not say its version. */
    g_string_append_printf (text, _("A %s-compatible server that does not say its version"),
                            self->product);

  n_peers = self->peers != NULL ? g_strv_length (self->peers) : 0;
  if (g_strcmp0 (self->cluster_status, "disabled") == 0)
    g_string_append (text, _(", not clustered"));
  else if (self->cluster_status != NULL)
    {
      g_autofree char *peers = NULL;

      if (g_strcmp0 (self->cluster_status, "ready") == 0)
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE,
                                             ", cluster ready with %u member",
                                             ", cluster ready with %u members", n_peers),
                                n_peers);
      else if (g_strcmp0 (self->cluster_status, "settling") == 0)
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE,
                                             ", cluster still settling with %u member",
                                             ", cluster still settling with %u members", n_peers),
                                n_peers);
      else
        /* Translators: %s is the cluster status the server reported. */
        g_string_append_printf (text, _(", cluster status “%s” with %u members"),
                                self->cluster_status, n_peers);

      if (n_peers > 0)
        {
          peers = g_strjoinv (", ", self->peers);
          g_string_append_printf (text, " (%s)", peers);
        }
    }

  if (self->uptime != NULL && now != NULL)
    {
      g_autofree char *age = format_uptime (g_date_time_difference (now, self->uptime));

      /* Translators: %s is a duration, "3 h 4 min". */
      g_string_append_printf (text, _(", up for %s"), age);
    }

  g_string_append_c (text, '.');

  return g_string_free (text, FALSE);
}
