/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Alertmanager API v2. */
#define VIGIL_TYPE_ALERTMANAGER_CLIENT (vigil_alertmanager_client_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlertmanagerClient, vigil_alertmanager_client, VIGIL, ALERTMANAGER_CLIENT, GObject)

VigilAlertmanagerClient *vigil_alertmanager_client_new (SoupSession *session,
                                                        const char  *base_url);

/* GET /api/v2/alerts: GPtrArray of VigilAlert. */
void       vigil_alertmanager_client_get_alerts_async  (VigilAlertmanagerClient *self,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
GPtrArray *vigil_alertmanager_client_get_alerts_finish (VigilAlertmanagerClient *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);
G_END_DECLS
