/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The file the alert lifecycle's state is saved in, so that a restart
 * neither alarms again for what was acknowledged nor forgets what was not.
 * Writes replace the file atomically (a crash leaves the old one or the
 * new one, never half of either); its folder is private to the user. */
#define VIGIL_TYPE_STATE_STORE (vigil_state_store_get_type ())
G_DECLARE_FINAL_TYPE (VigilStateStore, vigil_state_store, VIGIL, STATE_STORE, GObject)

/* $XDG_STATE_HOME/vigil/alert-state. */
VigilStateStore *vigil_state_store_new_default (void);
VigilStateStore *vigil_state_store_new         (GFile            *file);
GFile           *vigil_state_store_get_file    (VigilStateStore  *self);

/* The saved bytes; NULL without an error when nothing was saved yet. */
GBytes          *vigil_state_store_load        (VigilStateStore  *self,
                                                GError          **error);
/* Moves a file that could not be read out of the way (next to it, with
 * “.corrupt” and the time appended) so the next save does not destroy
 * what someone may want to look at. Returns the plain sentence to show,
 * naming `reason` and where the file went. */
char            *vigil_state_store_set_aside   (VigilStateStore  *self,
                                                const GError     *reason);

/* Saves `bytes`, creating the folder (0700) first. Callers let one async
 * save finish before starting the next, so the newest state lands last. */
gboolean         vigil_state_store_save        (VigilStateStore  *self,
                                                GBytes           *bytes,
                                                GError          **error);
void             vigil_state_store_save_async  (VigilStateStore     *self,
                                                GBytes              *bytes,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         vigil_state_store_save_finish (VigilStateStore  *self,
                                                GAsyncResult     *result,
                                                GError          **error);

G_END_DECLS
