/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vigil-application.h"

G_BEGIN_DECLS

/* First run: asks for the Alertmanager and Prometheus URLs, configures the
 * application with them, polls once and shows what each server answered. */
#define VIGIL_TYPE_WELCOME_PAGE (vigil_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (VigilWelcomePage, vigil_welcome_page, VIGIL, WELCOME_PAGE, GtkWidget)

GtkWidget        *vigil_welcome_page_new             (void);
VigilApplication *vigil_welcome_page_get_application (VigilWelcomePage *self);
void              vigil_welcome_page_set_application (VigilWelcomePage *self,
                                                      VigilApplication *application);
/* TRUE from "Connect" until a source has answered (and the answer has been
 * on screen for a moment): the window keeps showing this page meanwhile,
 * even though sources are configured. Notified on change. */
gboolean          vigil_welcome_page_get_keep_visible (VigilWelcomePage *self);

G_END_DECLS
