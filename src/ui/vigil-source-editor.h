/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-source-config.h"

G_BEGIN_DECLS

/* The form of one source in Preferences: shown as a subpage, it edits a
 * copy of the configuration and tests it. Saving is its owner's business:
 * on "save" the owner reads the configuration and the secret typed. */
#define VIGIL_TYPE_SOURCE_EDITOR (vigil_source_editor_get_type ())
G_DECLARE_FINAL_TYPE (VigilSourceEditor, vigil_source_editor, VIGIL, SOURCE_EDITOR, GtkBox)

/* `config` NULL adds a new source. `has_saved_secret` says the keyring
 * already holds its password or token, so an empty field keeps it. */
GtkWidget         *vigil_source_editor_new         (const VigilSourceConfig  *config,
                                                    gboolean                  has_saved_secret);
/* The configuration in the form, validated; NULL with the reason in words
 * (also shown in the form) when it is not complete. */
VigilSourceConfig *vigil_source_editor_dup_config  (VigilSourceEditor        *self,
                                                    GError                  **error);
/* The password or token typed, NULL when the field is empty. */
const char        *vigil_source_editor_get_secret  (VigilSourceEditor        *self);
/* Shows a sentence at the top of the form (NULL hides it). */
void               vigil_source_editor_show_message (VigilSourceEditor       *self,
                                                     const char              *message);

/* Signals:
 *   save ()    the engineer pressed Save
 *   cancel ()  the engineer went back without saving */

/* For tests: the form's fields, to fill as a person would. */
AdwEntryRow       *vigil_source_editor_get_name_row   (VigilSourceEditor *self);
AdwEntryRow       *vigil_source_editor_get_urls_row   (VigilSourceEditor *self);
AdwComboRow       *vigil_source_editor_get_kind_row   (VigilSourceEditor *self);
AdwComboRow       *vigil_source_editor_get_auth_row   (VigilSourceEditor *self);
AdwEntryRow       *vigil_source_editor_get_username_row (VigilSourceEditor *self);
AdwEntryRow       *vigil_source_editor_get_secret_row (VigilSourceEditor *self);
AdwEntryRow       *vigil_source_editor_get_tenant_row (VigilSourceEditor *self);
GtkSwitch         *vigil_source_editor_get_verify_switch (VigilSourceEditor *self);
/* Adds a header row holding "Name: value". */
void               vigil_source_editor_add_header     (VigilSourceEditor *self,
                                                       const char        *text);
/* The last "Test connection" result shown, NULL before one. */
const char        *vigil_source_editor_get_test_result (VigilSourceEditor *self);

G_END_DECLS
