/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-alert-tracker.h"
#include "vigil-poller.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_APPLICATION (vigil_application_get_type ())
G_DECLARE_FINAL_TYPE (VigilApplication, vigil_application, VIGIL, APPLICATION, AdwApplication)

VigilApplication  *vigil_application_new         (void);
VigilPoller       *vigil_application_get_poller  (VigilApplication *self);
VigilAlertTracker *vigil_application_get_tracker (VigilApplication *self);
GSettings         *vigil_application_get_settings (VigilApplication *self);
/* Replaces the configured sources with these URLs and saves them, as the
 * first-run page does. Either may be NULL or empty; the Alertmanager URL
 * may list the members of one cluster, separated by commas. */
gboolean           vigil_application_configure   (VigilApplication *self,
                                                  const char       *alertmanager_url,
                                                  const char       *prometheus_url,
                                                  GError          **error);
/* Reads the configured sources again, and their secrets from the keyring;
 * Preferences calls it after saving a password that no setting mentions. */
void               vigil_application_reload_sources (VigilApplication *self);
/* The first Prometheus source, for graphs; NULL when there is none. */
VigilSource       *vigil_application_get_prometheus (VigilApplication *self);

G_END_DECLS
