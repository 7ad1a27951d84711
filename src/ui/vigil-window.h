/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-application.h"

G_BEGIN_DECLS

/* The main window: the welcome page until a source is configured, then the
 * Alerts and Graphs pages with the sources' health along the bottom. */
#define VIGIL_TYPE_WINDOW (vigil_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilWindow, vigil_window, VIGIL, WINDOW, AdwApplicationWindow)

GtkWidget *vigil_window_new          (VigilApplication *app);
/* Shows the Alerts page with the alert of `fingerprint` selected and its
 * details open; does nothing when it is not listed. */
void       vigil_window_select_alert (VigilWindow      *self,
                                      const char       *fingerprint);

G_END_DECLS
