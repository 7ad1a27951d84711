/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-source-config"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-source-config.h"

G_DEFINE_BOXED_TYPE (VigilSourceConfig, vigil_source_config,
                     vigil_source_config_copy, vigil_source_config_free)

/* Headers that libsoup or the source settings own; setting them by hand
 * would break the request or put a credential into GSettings. */
static const char * const reserved_headers[] = {
  "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade",
  "Authorization", "Proxy-Authorization", "Cookie",
  NULL
};

static gboolean
is_token_char (char c)
{
  /* RFC 9110 tchar */
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

/* NULL, empty or only white space. */
static gboolean
is_blank_trimmed (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL
      || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || is_blank (g_uri_get_host (uri)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: it should look like http://host:port."), url);
      return FALSE;
    }

  /* Credentials never belong in a URL, where they end up in logs. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Put the user name and password in the source’s settings, not in the address."));
      return FALSE;
    }

  /* API paths are appended to the address, so a query or fragment would
   * end up in the middle of every request. */
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” has a “?” or “#” part: give only the server’s address and path prefix, such as https://host/prometheus."),
                   url);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_header (const char  *name,
              const char  *value,
              GError     **error)
{
  if (is_blank (name))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Every extra header needs a name, as in “Name: value”."));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p++)
    if (!is_token_char (*p))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” is not a valid header name: use letters, digits and dashes."), name);
        return FALSE;
      }

  for (guint i = 0; reserved_headers[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, reserved_headers[i]) == 0)
      {
        if (g_ascii_strcasecmp (name, "Authorization") == 0
            || g_ascii_strcasecmp (name, "Proxy-Authorization") == 0
            || g_ascii_strcasecmp (name, "Cookie") == 0)
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The header “%s” carries a credential: choose basic or bearer authentication instead, so that the keyring keeps it."),
                       name);
        else
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The header “%s” is set by Vigil itself and cannot be added."), name);
        return FALSE;
      }

  if (value == NULL || strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The value of the header “%s” must be one line."), name);
      return FALSE;
    }

  return TRUE;
}

static VigilSourceConfig *
config_alloc (VigilSourceKind kind)
{
  VigilSourceConfig *self = g_new0 (VigilSourceConfig, 1);

  self->kind = kind;
  self->auth = VIGIL_AUTH_NONE;
  self->tls_verify = TRUE;
  self->urls = g_new0 (char *, 1);
  self->headers = g_new0 (char *, 1);

  return self;
}

static char *
dup_nonempty (const char *text)
{
  return is_blank (text) ? NULL : g_strdup (text);
}

VigilSourceConfig *
vigil_source_config_new (VigilSourceKind kind)
{
  VigilSourceConfig *self = config_alloc (kind);

  self->id = g_uuid_string_random ();

  return self;
}

VigilSourceConfig *
vigil_source_config_new_for_urls (VigilSourceKind     kind,
                                  const char * const *urls)
{
  VigilSourceConfig *self = vigil_source_config_new (kind);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) name = g_string_new (NULL);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *url = g_strstrip (g_strdup (urls[i]));
      g_autofree char *part = NULL;

      if (*url == '\0')
        continue;

      g_strv_builder_add (builder, url);
      part = vigil_source_config_name_from_url (url);
      if (name->len > 0)
        g_string_append (name, ", ");
      g_string_append (name, part);
    }

  g_strfreev (self->urls);
  self->urls = g_strv_builder_end (builder);
  self->name = g_string_free (g_steal_pointer (&name), FALSE);

  return self;
}

VigilSourceConfig *
vigil_source_config_copy (const VigilSourceConfig *self)
{
  VigilSourceConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (VigilSourceConfig, 1);
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->kind = self->kind;
  copy->urls = self->urls != NULL ? g_strdupv (self->urls) : g_new0 (char *, 1);
  copy->tenant = g_strdup (self->tenant);
  copy->headers = self->headers != NULL ? g_strdupv (self->headers) : g_new0 (char *, 1);
  copy->auth = self->auth;
  copy->username = g_strdup (self->username);
  copy->ca_file = g_strdup (self->ca_file);
  copy->client_certificate = g_strdup (self->client_certificate);
  copy->client_key = g_strdup (self->client_key);
  copy->tls_verify = self->tls_verify;
  copy->legacy = self->legacy;

  return copy;
}

void
vigil_source_config_free (VigilSourceConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->urls);
  g_free (self->tenant);
  g_strfreev (self->headers);
  g_free (self->username);
  g_free (self->ca_file);
  g_free (self->client_certificate);
  g_free (self->client_key);
  g_free (self);
}

static gboolean
strv_equal0 (char **a,
             char **b)
{
  guint la = a != NULL ? g_strv_length (a) : 0;
  guint lb = b != NULL ? g_strv_length (b) : 0;

  if (la != lb)
    return FALSE;

  for (guint i = 0; i < la; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;

  return TRUE;
}

gboolean
vigil_source_config_equal (const VigilSourceConfig *a,
                           const VigilSourceConfig *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->id, b->id) == 0
         && g_strcmp0 (a->name, b->name) == 0
         && a->kind == b->kind
         && strv_equal0 (a->urls, b->urls)
         && g_strcmp0 (a->tenant, b->tenant) == 0
         && strv_equal0 (a->headers, b->headers)
         && a->auth == b->auth
         && g_strcmp0 (a->username, b->username) == 0
         && g_strcmp0 (a->ca_file, b->ca_file) == 0
         && g_strcmp0 (a->client_certificate, b->client_certificate) == 0
         && g_strcmp0 (a->client_key, b->client_key) == 0
         && !a->tls_verify == !b->tls_verify
         && !a->legacy == !b->legacy;
}

gboolean
vigil_source_config_needs_secret (const VigilSourceConfig *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->auth == VIGIL_AUTH_BASIC || self->auth == VIGIL_AUTH_BEARER;
}

gboolean
vigil_source_config_validate (const VigilSourceConfig  *self,
                              GError                  **error)
{
  guint n_urls;

  g_return_val_if_fail (self != NULL, FALSE);

  if (is_blank_trimmed (self->name))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give the source a name."));
      return FALSE;
    }

  n_urls = self->urls != NULL ? g_strv_length (self->urls) : 0;
  if (n_urls == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of the server, for example https://alertmanager.example.com:9093."));
      return FALSE;
    }

  if (self->kind == VIGIL_SOURCE_KIND_PROMETHEUS && n_urls > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A Prometheus source has one address; add another source for another server."));
      return FALSE;
    }

  for (guint i = 0; i < n_urls; i++)
    if (!check_url (self->urls[i], error))
      return FALSE;

  if (self->tenant != NULL && strpbrk (self->tenant, "\r\n") != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The tenant must be one line."));
      return FALSE;
    }

  for (guint i = 0; self->headers != NULL && self->headers[i] != NULL; i += 2)
    if (!check_header (self->headers[i], self->headers[i + 1], error))
      return FALSE;

  if (self->auth == VIGIL_AUTH_BASIC && is_blank (self->username))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Basic authentication needs a user name."));
      return FALSE;
    }

  if (self->auth == VIGIL_AUTH_BASIC && strchr (self->username, ':') != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A user name for basic authentication cannot contain a colon."));
      return FALSE;
    }

  if (is_blank (self->client_certificate) && !is_blank (self->client_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A client key needs its client certificate."));
      return FALSE;
    }

  return TRUE;
}

static void
add_string (GVariantBuilder *builder,
            const char      *key,
            const char      *value)
{
  if (!is_blank (value))
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
}

GVariant *
vigil_source_config_to_variant (const VigilSourceConfig *self)
{
  GVariantBuilder builder;
  GVariantBuilder headers;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_string (&builder, "id", self->id);
  add_string (&builder, "name", self->name);
  add_string (&builder, "kind", vigil_source_kind_to_string (self->kind));
  g_variant_builder_add (&builder, "{sv}", "urls",
                         g_variant_new_strv ((const char * const *) self->urls, -1));
  add_string (&builder, "tenant", self->tenant);

  g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; self->headers != NULL && self->headers[i] != NULL; i += 2)
    g_variant_builder_add (&headers, "{ss}", self->headers[i],
                           self->headers[i + 1] != NULL ? self->headers[i + 1] : "");
  g_variant_builder_add (&builder, "{sv}", "headers", g_variant_builder_end (&headers));

  add_string (&builder, "auth", vigil_auth_kind_to_string (self->auth));
  add_string (&builder, "username", self->username);
  add_string (&builder, "ca-file", self->ca_file);
  add_string (&builder, "client-certificate", self->client_certificate);
  add_string (&builder, "client-key", self->client_key);
  g_variant_builder_add (&builder, "{sv}", "tls-verify", g_variant_new_boolean (self->tls_verify));

  return g_variant_builder_end (&builder);
}

static char *
lookup_string (GVariantDict *dict,
               const char   *key)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &value))
    return NULL;

  return dup_nonempty (value);
}

VigilSourceConfig *
vigil_source_config_from_variant (GVariant *variant)
{
  g_autoptr(VigilSourceConfig) self = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autofree const char **urls = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *auth = NULL;
  gboolean verify;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return NULL;

  dict = g_variant_dict_new (variant);
  kind = lookup_string (dict, "kind");
  auth = lookup_string (dict, "auth");

  self = config_alloc (VIGIL_SOURCE_KIND_ALERTMANAGER);
  /* An unknown kind from a newer Vigil reads as Alertmanager, the kind
   * whose alerts matter most, rather than losing the source. */
  if (kind != NULL)
    vigil_source_kind_from_string (kind, &self->kind);
  if (auth != NULL && !vigil_auth_kind_from_string (auth, &self->auth))
    self->auth = VIGIL_AUTH_NONE;

  self->id = lookup_string (dict, "id");
  if (self->id == NULL)
    self->id = g_uuid_string_random ();
  self->name = lookup_string (dict, "name");
  self->tenant = lookup_string (dict, "tenant");
  self->username = lookup_string (dict, "username");
  self->ca_file = lookup_string (dict, "ca-file");
  self->client_certificate = lookup_string (dict, "client-certificate");
  self->client_key = lookup_string (dict, "client-key");
  if (g_variant_dict_lookup (dict, "tls-verify", "b", &verify))
    self->tls_verify = verify;

  if (g_variant_dict_lookup (dict, "urls", "^a&s", &urls))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; urls[i] != NULL; i++)
        if (!is_blank (urls[i]))
          g_strv_builder_add (builder, urls[i]);

      g_strfreev (self->urls);
      self->urls = g_strv_builder_end (builder);
    }

  headers = g_variant_dict_lookup_value (dict, "headers", G_VARIANT_TYPE ("a{ss}"));
  if (headers != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      GVariantIter iter;
      const char *name, *value;

      g_variant_iter_init (&iter, headers);
      while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
        {
          g_strv_builder_add (builder, name);
          g_strv_builder_add (builder, value);
        }

      g_strfreev (self->headers);
      self->headers = g_strv_builder_end (builder);
    }

  if (self->name == NULL)
    {
      self->name = self->urls[0] != NULL ? vigil_source_config_name_from_url (self->urls[0])
                                         : g_strdup (_("Unnamed source"));
    }

  return g_steal_pointer (&self);
}

static void
add_unique (GPtrArray         *configs,
            GHashTable        *names,
            VigilSourceConfig *config)
{
  if (g_hash_table_contains (names, config->name))
    {
      g_autofree char *base = g_steal_pointer (&config->name);

      for (guint n = 2; config->name == NULL; n++)
        {
          g_autofree char *candidate = g_strdup_printf ("%s (%u)", base, n);

          if (!g_hash_table_contains (names, candidate))
            config->name = g_steal_pointer (&candidate);
        }
    }

  g_hash_table_add (names, g_strdup (config->name));
  g_ptr_array_add (configs, config);
}

static void
add_legacy (GPtrArray          *configs,
            GHashTable         *names,
            VigilSourceKind     kind,
            const char * const *urls)
{
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      const char *one[] = { urls[i], NULL };
      VigilSourceConfig *config;

      if (is_blank_trimmed (urls[i]))
        continue;

      config = vigil_source_config_new_for_urls (kind, one);
      /* Stable, so that a reload finds the same source. */
      g_free (config->id);
      config->id = g_strdup_printf ("legacy-%s-%u", vigil_source_kind_to_string (kind), i);
      config->legacy = TRUE;
      add_unique (configs, names, config);
    }
}

GPtrArray *
vigil_source_config_list_load (GVariant           *sources,
                               const char * const *alertmanager_urls,
                               const char * const *prometheus_urls)
{
  GPtrArray *configs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_source_config_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  if (sources != NULL && g_variant_is_of_type (sources, G_VARIANT_TYPE ("aa{sv}")))
    {
      gsize n = g_variant_n_children (sources);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (sources, i);
          VigilSourceConfig *config = vigil_source_config_from_variant (child);

          if (config == NULL)
            continue;

          /* The id finds the secret in the keyring: two sources must not
           * share one, or one would use the other's password. */
          if (g_hash_table_contains (ids, config->id))
            {
              g_free (config->id);
              config->id = g_uuid_string_random ();
            }
          add_unique (configs, names, config);
          g_hash_table_add (ids, config->id);
        }
    }

  add_legacy (configs, names, VIGIL_SOURCE_KIND_ALERTMANAGER, alertmanager_urls);
  add_legacy (configs, names, VIGIL_SOURCE_KIND_PROMETHEUS, prometheus_urls);

  return configs;
}

void
vigil_source_config_list_make_names_unique (GPtrArray *configs)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all = NULL;

  g_return_if_fail (configs != NULL);

  /* add_unique appends; take the entries out without freeing them and put
   * them back one by one. */
  all = g_ptr_array_new ();
  for (guint i = 0; i < configs->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (configs, i));
  g_ptr_array_set_free_func (configs, NULL);
  g_ptr_array_set_size (configs, 0);
  g_ptr_array_set_free_func (configs, (GDestroyNotify) vigil_source_config_free);

  for (guint i = 0; i < all->len; i++)
    add_unique (configs, names, g_ptr_array_index (all, i));
}

GVariant *
vigil_source_config_list_to_variant (GPtrArray *configs)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; configs != NULL && i < configs->len; i++)
    g_variant_builder_add_value (&builder,
                                 vigil_source_config_to_variant (g_ptr_array_index (configs, i)));

  return g_variant_builder_end (&builder);
}

char *
vigil_source_config_name_from_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;
  g_autofree char *trimmed = NULL;
  gsize len;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  path = g_uri_get_path (uri);
  trimmed = g_strdup (path != NULL ? path : "");
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d%s", g_uri_get_host (uri), g_uri_get_port (uri), trimmed);

  return g_strdup_printf ("%s%s", g_uri_get_host (uri), trimmed);
}

GStrv
vigil_source_config_split_urls (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return g_strv_builder_end (builder);

  /* Whitespace separates as well as commas: a pasted list of lines or a
   * list with spaces after the commas reads the same. */
  parts = g_strsplit_set (text, ", \t\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

const char *
vigil_source_kind_to_string (VigilSourceKind kind)
{
  return kind == VIGIL_SOURCE_KIND_ALERTMANAGER ? "alertmanager" : "prometheus";
}

gboolean
vigil_source_kind_from_string (const char      *word,
                               VigilSourceKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (g_strcmp0 (word, "alertmanager") == 0)
    *kind = VIGIL_SOURCE_KIND_ALERTMANAGER;
  else if (g_strcmp0 (word, "prometheus") == 0)
    *kind = VIGIL_SOURCE_KIND_PROMETHEUS;
  else
    return FALSE;

  return TRUE;
}

const char *
vigil_auth_kind_to_string (VigilAuthKind auth)
{
  switch (auth)
    {
    case VIGIL_AUTH_BASIC:
      return "basic";
    case VIGIL_AUTH_BEARER:
      return "bearer";
    case VIGIL_AUTH_NONE:
    default:
      return "none";
    }
}

gboolean
vigil_auth_kind_from_string (const char    *word,
                             VigilAuthKind *auth)
{
  g_return_val_if_fail (auth != NULL, FALSE);

  if (g_strcmp0 (word, "none") == 0)
    *auth = VIGIL_AUTH_NONE;
  else if (g_strcmp0 (word, "basic") == 0)
    *auth = VIGIL_AUTH_BASIC;
  else if (g_strcmp0 (word, "bearer") == 0)
    *auth = VIGIL_AUTH_BEARER;
  else
    return FALSE;

  return TRUE;
}
