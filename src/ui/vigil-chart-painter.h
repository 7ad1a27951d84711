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
/* Visible time range in Unix seconds; when unset, the data's own range.
 * An empty or non-finite range (end <= start) unsets it. */
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

/* Thicker lines and stronger grid for the high-contrast style. */
void               vigil_chart_painter_set_high_contrast (VigilChartPainter *self,
                                                          gboolean           high_contrast);
/* The output's device pixels per unit (a widget's scale factor): the
 * lines are cached as an image at that resolution. Defaults to 1. */
void               vigil_chart_painter_set_scale_factor (VigilChartPainter *self,
                                                         int                scale_factor);
/* A read-out of the samples nearest to x (in the coordinates of the last
 * paint): a vertical line and each series' value. Negative or NaN hides it. */
void               vigil_chart_painter_set_hover      (VigilChartPainter *self,
                                                       double             x);
/* The series set with set_series() gained or changed samples in place:
 * drop what was computed from them. */
void               vigil_chart_painter_invalidate     (VigilChartPainter *self);
/* Lays out and decimates for this size, unless that is already cached;
 * paint() calls it. Returns how many vertices the lines will stroke. */
guint              vigil_chart_painter_prepare        (VigilChartPainter *self,
                                                       cairo_t           *cr,
                                                       int                width,
                                                       int                height);
/* What the last layout computed; FALSE (and 0..1) before the first one. */
gboolean           vigil_chart_painter_get_y_range    (VigilChartPainter *self,
                                                       double            *min,
                                                       double            *max);
gboolean           vigil_chart_painter_get_visible_time_range (VigilChartPainter *self,
                                                               double            *start,
                                                               double            *end);
gboolean           vigil_chart_painter_get_plot_area  (VigilChartPainter *self,
                                                       cairo_rectangle_t *area);
/* One sentence for screen readers: title, message, number of series and
 * each series' latest value. */
char              *vigil_chart_painter_dup_summary    (VigilChartPainter *self);

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
