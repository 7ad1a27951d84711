/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-source-editor.h"

G_BEGIN_DECLS

/* Preferences: the configured sources (add, edit, test, remove with undo)
 * and the poll interval. Saves to GSettings and passwords or tokens to the
 * keyring, then has the application reload its sources. */
#define VIGIL_TYPE_PREFERENCES_WINDOW (vigil_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilPreferencesWindow, vigil_preferences_window, VIGIL, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget         *vigil_preferences_window_new        (VigilApplication       *application,
                                                        GtkWindow              *parent);
/* The source editor shown as a subpage, NULL when the list is shown. */
VigilSourceEditor *vigil_preferences_window_get_editor (VigilPreferencesWindow *self);
/* The configurations listed (VigilSourceConfig), in order. */
GPtrArray         *vigil_preferences_window_get_configs (VigilPreferencesWindow *self);

/* Actions (for the rows, the toast, and tests):
 *   prefs.add-source            opens an empty editor
 *   prefs.edit-source (u)       opens the editor of the source at that position
 *   prefs.remove-source (u)     removes it, with an "Undo" toast
 *   prefs.undo-remove (u)       puts back what removal number u took away */

G_END_DECLS
