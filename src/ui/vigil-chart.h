/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vigil-chart-painter.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_CHART (vigil_chart_get_type ())
G_DECLARE_FINAL_TYPE (VigilChart, vigil_chart, VIGIL, CHART, GtkWidget)

GtkWidget         *vigil_chart_new         (void);
/* The painter holds everything drawn; change it, then call
 * vigil_chart_queue_update() so the widget redraws and updates its
 * accessible description. */
VigilChartPainter *vigil_chart_get_painter (VigilChart *self);
void               vigil_chart_queue_update (VigilChart *self);

G_END_DECLS
