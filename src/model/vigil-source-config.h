/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VIGIL_SOURCE_KIND_ALERTMANAGER,
  VIGIL_SOURCE_KIND_PROMETHEUS,
} VigilSourceKind;

typedef enum {
  VIGIL_AUTH_NONE,
  VIGIL_AUTH_BASIC,    /* user name here, password in the keyring */
  VIGIL_AUTH_BEARER,   /* token in the keyring */
} VigilAuthKind;

/* The header Mimir, Cortex and Thanos use to pick a tenant. */
#define VIGIL_TENANT_HEADER "X-Scope-OrgID"

/* One configured source as the `sources` settings key keeps it: everything
 * but the password or token, which only the keyring holds (found there by
 * `id`). An Alertmanager with several URLs is one HA cluster whose members'
 * alerts are merged. Plain data; every string may be NULL for "not set". */
typedef struct {
  char            *id;
  char            *name;
  VigilSourceKind  kind;
  GStrv            urls;
  char            *tenant;
  /* Extra request headers, as pairs: name, value, name, value, …, NULL. */
  GStrv            headers;
  VigilAuthKind    auth;
  char            *username;
  char            *ca_file;
  char            *client_certificate;
  char            *client_key;
  gboolean         tls_verify;
  /* TRUE for a source read from the older alertmanager-urls or
   * prometheus-urls keys; saving writes it into `sources`. */
  gboolean         legacy;
} VigilSourceConfig;

#define VIGIL_TYPE_SOURCE_CONFIG (vigil_source_config_get_type ())
GType              vigil_source_config_get_type     (void) G_GNUC_CONST;

/* A source with a fresh id, no URL, no auth and TLS verification on. */
VigilSourceConfig *vigil_source_config_new          (VigilSourceKind           kind);
/* A source for one URL, named after its host and port. */
VigilSourceConfig *vigil_source_config_new_for_urls (VigilSourceKind           kind,
                                                     const char * const       *urls);
VigilSourceConfig *vigil_source_config_copy         (const VigilSourceConfig  *self);
void               vigil_source_config_free         (VigilSourceConfig        *self);
gboolean           vigil_source_config_equal        (const VigilSourceConfig  *a,
                                                     const VigilSourceConfig  *b);

/* Whether the keyring should hold a secret for this source. */
gboolean           vigil_source_config_needs_secret (const VigilSourceConfig  *self);
/* Checks what a server would only reject later, or what would leak: the
 * name, every URL (http or https, a host, no user or password inside), one
 * URL for a Prometheus, header names and values, a user name for basic
 * auth. The error (G_IO_ERROR_INVALID_ARGUMENT) is a sentence for the
 * engineer. */
gboolean           vigil_source_config_validate     (const VigilSourceConfig  *self,
                                                     GError                  **error);

/* An a{sv} dictionary as stored in the `sources` key, and back. Unknown
 * members are ignored and missing ones take their defaults, so that older
 * and newer versions of Vigil read each other's settings; NULL only when
 * the value is not a dictionary. */
GVariant          *vigil_source_config_to_variant   (const VigilSourceConfig  *self);
VigilSourceConfig *vigil_source_config_from_variant (GVariant                 *dict);

/* Every configured source: the `sources` key (aa{sv}) first, then one
 * legacy source per URL of the older keys (as), either of which may be
 * NULL. Entries that share a name are renamed "name (2)", because the name
 * is what tells sources apart in the alert list. */
GPtrArray         *vigil_source_config_list_load    (GVariant                 *sources,
                                                     const char * const       *alertmanager_urls,
                                                     const char * const       *prometheus_urls);
/* Renames entries of `configs` that share a name, as list_load does. */
void               vigil_source_config_list_make_names_unique (GPtrArray     *configs);
/* The value of the `sources` key for `configs` (VigilSourceConfig). */
GVariant          *vigil_source_config_list_to_variant (GPtrArray             *configs);

/* The display name of a URL: host and port, plus any path prefix. */
char              *vigil_source_config_name_from_url (const char              *url);
/* Splits "a, b ,c" into trimmed non-empty parts. */
GStrv              vigil_source_config_split_urls    (const char              *text);

const char        *vigil_source_kind_to_string       (VigilSourceKind          kind);
gboolean           vigil_source_kind_from_string     (const char              *word,
                                                      VigilSourceKind         *kind);
const char        *vigil_auth_kind_to_string         (VigilAuthKind            auth);
gboolean           vigil_auth_kind_from_string       (const char              *word,
                                                      VigilAuthKind           *auth);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilSourceConfig, vigil_source_config_free)

G_END_DECLS
