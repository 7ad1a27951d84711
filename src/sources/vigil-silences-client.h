/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "vigil-silence.h"

G_BEGIN_DECLS

/* Alertmanager API v2 silences: list, create, expire. Errors are
 * VIGIL_SOURCE_ERROR sentences, except a silence refused before sending,
 * which is a VIGIL_SILENCE_ERROR sentence. */
#define VIGIL_TYPE_SILENCES_CLIENT (vigil_silences_client_get_type ())
G_DECLARE_FINAL_TYPE (VigilSilencesClient, vigil_silences_client, VIGIL, SILENCES_CLIENT, GObject)

VigilSilencesClient *vigil_silences_client_new (SoupSession *session,
                                                const char  *base_url);

/* GET /api/v2/silences: GPtrArray of VigilSilence, every state included
 * (expired ones are history, pending ones are scheduled). */
void       vigil_silences_client_list_async    (VigilSilencesClient  *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray *vigil_silences_client_list_finish   (VigilSilencesClient  *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* POST /api/v2/silences after vigil_silence_validate() against the
 * server's clock (as far as earlier answers' Date headers told it).
 * Returns the new silence's id. */
void       vigil_silences_client_create_async  (VigilSilencesClient  *self,
                                                VigilSilence         *silence,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char      *vigil_silences_client_create_finish (VigilSilencesClient  *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* DELETE /api/v2/silence/{id} (singular path), which expires active and
 * pending silences alike. A silence the server no longer knows (HTTP 500
 * "silence not found") is already gone, which is success too. */
void       vigil_silences_client_expire_async  (VigilSilencesClient  *self,
                                                const char           *id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean   vigil_silences_client_expire_finish (VigilSilencesClient  *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* How far the server's clock is ahead of this computer's (negative when
 * behind), in microseconds, from the Date header of the last answer to a
 * create or expire; 0 before any. */
gint64     vigil_silences_client_get_clock_skew (VigilSilencesClient *self);

G_END_DECLS
