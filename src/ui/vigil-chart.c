/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vigil-chart.h"

struct _VigilChart
{
  GtkWidget          parent_instance;

  VigilChartPainter *painter;
};

G_DEFINE_FINAL_TYPE (VigilChart, vigil_chart, GTK_TYPE_WIDGET)

#define MIN_WIDTH      300
#define MIN_HEIGHT     180
#define NATURAL_WIDTH  600
#define NATURAL_HEIGHT 300

static void
update_style (VigilChart *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  vigil_chart_painter_set_dark (self->painter,
                                adw_style_manager_get_dark (style_manager));
  vigil_chart_painter_set_high_contrast (self->painter,
                                         adw_style_manager_get_high_contrast (style_manager));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible_description (VigilChart *self)
{
  g_autofree char *summary = vigil_chart_painter_dup_summary (self->painter);

  /* A chart says nothing to a screen reader; its summary says what a
   * sighted engineer would read off it at a glance. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

/* Connected swapped: the arguments after the instance are not needed. */
static void
style_changed_cb (VigilChart *self)
{
  update_style (self);
}

static void
motion_cb (VigilChart *self,
           double      x)
{
  /* Only the read-out changes: the painter keeps its layout and lines. */
  vigil_chart_painter_set_hover (self->painter, x);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (VigilChart *self)
{
  vigil_chart_painter_set_hover (self->painter, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
vigil_chart_measure (GtkWidget      *widget           G_GNUC_UNUSED,
                     GtkOrientation  orientation,
                     int             for_size         G_GNUC_UNUSED,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline G_GNUC_UNUSED,
                     int            *natural_baseline G_GNUC_UNUSED)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NATURAL_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NATURAL_HEIGHT;
    }
}

static void
vigil_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  VigilChart *self = VIGIL_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  vigil_chart_painter_set_scale_factor (self->painter, gtk_widget_get_scale_factor (widget));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  vigil_chart_painter_paint (self->painter, cr, width, height);
  cairo_destroy (cr);
}

static void
vigil_chart_dispose (GObject *object)
{
  VigilChart *self = VIGIL_CHART (object);

  g_clear_object (&self->painter);

  G_OBJECT_CLASS (vigil_chart_parent_class)->dispose (object);
}

static void
vigil_chart_class_init (VigilChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_chart_dispose;

  widget_class->measure = vigil_chart_measure;
  widget_class->snapshot = vigil_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "vigil-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vigil_chart_init (VigilChart *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkEventController *motion;

  self->painter = vigil_chart_painter_new ();

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* The style manager outlives every chart; connect_object drops the
   * handlers when the chart goes. */
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (style_manager, "notify::high-contrast",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);

  update_style (self);
  update_accessible_description (self);
}

GtkWidget *
vigil_chart_new (void)
{
  return g_object_new (VIGIL_TYPE_CHART, NULL);
}

VigilChartPainter *
vigil_chart_get_painter (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), NULL);

  return self->painter;
}

void
vigil_chart_queue_update (VigilChart *self)
{
  g_return_if_fail (VIGIL_IS_CHART (self));

  /* Callers may have appended to the very series the painter holds, so
   * what was derived from them is recomputed on the next frame. */
  vigil_chart_painter_invalidate (self->painter);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
