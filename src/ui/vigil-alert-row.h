/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vigil-alert.h"

G_BEGIN_DECLS

/* One line of the alert list: severity pill and word, summary, alertname
 * with a few key labels, and the age, which it keeps current while shown. */
#define VIGIL_TYPE_ALERT_ROW (vigil_alert_row_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlertRow, vigil_alert_row, VIGIL, ALERT_ROW, GtkWidget)

GtkWidget  *vigil_alert_row_new                (void);
VigilAlert *vigil_alert_row_get_alert          (VigilAlertRow *self);
/* NULL empties the row (list item unbinding). */
void        vigil_alert_row_set_alert          (VigilAlertRow *self,
                                                VigilAlert    *alert);

/* Helpers shared by the alert views. */
/* "<1 min", "12 min", "2 h 5 min", "3 days 4 h"; negative spans
 * (clock skew between server and desktop) count as zero. */
char       *vigil_alert_row_format_duration    (GTimeSpan      span);
/* The translated word: "Critical", "Warning", "Info", "None". */
const char *vigil_alert_row_severity_label     (VigilSeverity  severity);
/* The style class of the severity pill: "critical", "warning", "info", "none". */
const char *vigil_alert_row_severity_css_class (VigilSeverity  severity);
/* Replaces the severity classes on `widget` with the one for `severity`. */
void        vigil_alert_row_apply_severity     (GtkWidget     *widget,
                                                VigilSeverity  severity);

G_END_DECLS
