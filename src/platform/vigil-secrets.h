/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Passwords and tokens of sources, kept in the keyring (libsecret, the
 * Secret Service or its portal) under Vigil's own schema and found by the
 * source's id. Nothing here logs or copies a secret elsewhere; callers
 * free what lookup returns with vigil_secrets_free(), which wipes it. */

#define VIGIL_SECRETS_SCHEMA_NAME "io.github.vigiloncall.Vigil.Source"

/* Stores (or replaces) the secret of source `source_id`. `source_name`
 * only makes the keyring's label readable. */
void      vigil_secrets_store_async   (const char          *source_id,
                                       const char          *source_name,
                                       const char          *secret,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  vigil_secrets_store_finish  (GAsyncResult        *result,
                                       GError             **error);

/* Returns the secret, or NULL without an error when none is stored. */
void      vigil_secrets_lookup_async  (const char          *source_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char     *vigil_secrets_lookup_finish (GAsyncResult        *result,
                                       GError             **error);

/* Removes the secret of a source that was deleted. TRUE also when there
 * was none. */
void      vigil_secrets_clear_async   (const char          *source_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  vigil_secrets_clear_finish  (GAsyncResult        *result,
                                       GError             **error);

void      vigil_secrets_free          (char                *secret);

G_END_DECLS
