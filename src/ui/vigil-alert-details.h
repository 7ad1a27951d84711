/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vigil-alert.h"

G_BEGIN_DECLS

/* Everything known about one alert: state, severity, times, source, labels
 * and annotations as selectable plain text, and buttons for the runbook,
 * dashboard and generator links when those are http(s) URLs. */
#define VIGIL_TYPE_ALERT_DETAILS (vigil_alert_details_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlertDetails, vigil_alert_details, VIGIL, ALERT_DETAILS, GtkWidget)

GtkWidget  *vigil_alert_details_new         (void);
VigilAlert *vigil_alert_details_get_alert   (VigilAlertDetails *self);
/* NULL shows the "No Alert Selected" page. */
void        vigil_alert_details_set_alert   (VigilAlertDetails *self,
                                             VigilAlert        *alert);

/* The URL to hand to the desktop when `text` is an absolute http or https
 * URL with a host and no spaces or control characters; NULL otherwise.
 * Nothing from an alert is opened without passing through this. */
char       *vigil_alert_details_dup_http_uri (const char       *text);

G_END_DECLS
