/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The chart's painting, in cairo and Pango only: no GTK here, so the same
 * code draws into a widget's snapshot and into an image surface without a
 * display. */

#include <cairo.h>
#include <glib-object.h>

#include "vigil-series.h"

G_BEGIN_DECLS

typedef enum {
  VIGIL_UNIT_PLAIN,
  VIGIL_UNIT_SECONDS,       /* shown as s / ms / µs */
  VIGIL_UNIT_RATIO,         /* 0..1 shown as % */
  VIGIL_UNIT_REQ_PER_SEC,
  VIGIL_UNIT_BYTES,
} VigilUnit;

#define VIGIL_TYPE_CHART_PAINTER (vigil_chart_painter_get_type ())
G_DECLARE_FINAL_TYPE (VigilChartPainter, vigil_chart_painter, VIGIL, CHART_PAINTER, GObject)

VigilChartPainter *vigil_chart_painter_new            (void);
void               vigil_chart_painter_set_title      (VigilChartPainter *self,
                                                       const char        *title);
void               vigil_chart_painter_set_unit       (VigilChartPainter *self,
                                                       VigilUnit          unit);
/* Array of VigilSeries; the painter keeps a reference. NULL clears. */
void               vigil_chart_painter_set_series     (VigilChartPainter *self,
                                                       GPtrArray         *series);
/* Visible time range in Unix seconds; when unset, the data's own range. */
void               vigil_chart_painter_set_time_range (VigilChartPainter *self,
                                                       double             start,
                                                       double             end);
/* Samples further apart than this many seconds leave a gap (the query step
 * times a small factor); 0 picks one from the data. */
void               vigil_chart_painter_set_gap_after  (VigilChartPainter *self,
                                                       double             seconds);
/* A message drawn in place of the plot: "No data", an error sentence. */
void               vigil_chart_painter_set_message    (VigilChartPainter *self,
                                                       const char        *message);
void               vigil_chart_painter_set_dark       (VigilChartPainter *self,
                                                       gboolean           dark);
void               vigil_chart_painter_paint          (VigilChartPainter *self,
                                                       cairo_t           *cr,
                                                       int                width,
                                                       int                height);

/* Helpers the painter uses, public so tests can check them. */
/* Nice axis bounds and ticks for [min, max]: fills at most max_ticks values
 * and returns how many. Non-finite input gives 0..1. */
guint              vigil_chart_nice_ticks             (double             min,
                                                       double             max,
                                                       guint              max_ticks,
                                                       double            *ticks);
/* A value with its unit, short: "250 ms", "12.5 %", "3.2 req/s", "1.5 MiB". */
char              *vigil_chart_format_value           (VigilUnit          unit,
                                                       double             value);

G_END_DECLS
