/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-source-editor.h"

G_BEGIN_DECLS

/* Preferences: the configured sources (add, edit, test, remove with undo),
 * the poll interval, and the Alertmanager webhook (on/off, address, port,
 * its state in words, its token and the alertmanager.yml entry to copy).
 * Saves to GSettings and passwords or tokens to the keyring, then has the
 * application reload its sources. */
#define VIGIL_TYPE_PREFERENCES_WINDOW (vigil_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilPreferencesWindow, vigil_preferences_window, VIGIL, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget         *vigil_preferences_window_new        (VigilApplication       *application,
                                                        GtkWindow              *parent);
/* The source editor shown as a subpage, NULL when the list is shown. */
VigilSourceEditor *vigil_preferences_window_get_editor (VigilPreferencesWindow *self);
/* The configurations listed (VigilSourceConfig), in order. */
GPtrArray         *vigil_preferences_window_get_configs (VigilPreferencesWindow *self);

/* The webhook's controls, for tests: the switch (webhook-enabled), the
 * address row (saved on its apply signal, when it is an IP address) and
 * the port. */
GtkSwitch         *vigil_preferences_window_get_webhook_switch      (VigilPreferencesWindow *self);
AdwEntryRow       *vigil_preferences_window_get_webhook_address_row (VigilPreferencesWindow *self);
GtkSpinButton     *vigil_preferences_window_get_webhook_port_button (VigilPreferencesWindow *self);
/* What the page says: the state ("Listening on http://…"), the problem
 * shown under it (why it does not listen, or the last request it refused;
 * NULL when none), and whether the clear-text warning shows. */
const char        *vigil_preferences_window_get_webhook_state       (VigilPreferencesWindow *self);
const char        *vigil_preferences_window_get_webhook_problem     (VigilPreferencesWindow *self);
gboolean           vigil_preferences_window_get_webhook_exposed     (VigilPreferencesWindow *self);

/* Actions (for the rows, the toast, and tests):
 *   prefs.add-source            opens an empty editor
 *   prefs.edit-source (u)       opens the editor of the source at that position
 *   prefs.remove-source (u)     removes it, with an "Undo" toast
 *   prefs.undo-remove (u)       puts back what removal number u took away
 *   prefs.copy-webhook-token    puts the webhook's token on the clipboard
 *   prefs.new-webhook-token     asks, then replaces the token (applied at once)
 *   prefs.copy-webhook-config   puts the webhook_configs entry for
 *                               alertmanager.yml, with URL and token, on it */

G_END_DECLS
