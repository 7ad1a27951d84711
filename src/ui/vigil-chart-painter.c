/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-chart-painter"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "vigil-chart-painter.h"

/* A vertex of a decimated line, in pixels relative to the plot's top-left
 * corner. A vertex whose x is NaN ends a segment: the line is broken there. */
typedef struct {
  double x;
  double y;
} Vertex;

typedef struct {
  double value;
  double y;           /* absolute pixels */
  char  *label;
} YTick;

typedef struct {
  double time;
  double x;           /* absolute pixels */
  double label_x;     /* left edge of the label */
  char  *label;       /* NULL when it would collide with a neighbour */
} TimeTick;

typedef struct {
  double x;
  double y;
  double text_width;
  guint  series_index;  /* G_MAXUINT for the "n more" entry */
  char  *text;
} LegendEntry;

/* One pixel column's worth of samples while decimating: the first, last,
 * lowest and highest vertex, each with its sample index so they can be
 * emitted in time order. */
typedef struct {
  gint64 column;
  Vertex first, last, min, max;
  guint  first_i, last_i, min_i, max_i;
  gboolean used;
} Bucket;

typedef struct {
  double r, g, b;
} Rgb;

struct _VigilChartPainter
{
  GObject    parent_instance;

  char      *title;
  char      *message;
  GPtrArray *series;
  VigilUnit  unit;
  double     range_start;
  double     range_end;
  double     gap_after;
  double     hover_x;
  int        scale_factor;
  guint      dark : 1;
  guint      high_contrast : 1;

  /* Derived from the samples alone: dropped when the series change. */
  guint      data_valid : 1;
  GArray    *gap_thresholds;   /* double per series, seconds */
  GPtrArray *names;            /* display name per series */
  double     data_t_min;       /* finite times; min > max when none */
  double     data_t_max;
  double     data_v_min;       /* finite values; min > max when none */
  double     data_v_max;

  /* Derived from data, range and size: the layout and the decimated lines.
   * Painting only strokes these. */
  guint      layout_valid : 1;
  guint      laid_out : 1;
  guint      has_time : 1;
  guint      has_data : 1;
  int        width;
  int        height;
  double     label_height;
  double     title_y;
  double     plot_x;
  double     plot_y;
  double     plot_w;
  double     plot_h;
  double     t_start;
  double     t_end;
  double     y_min;
  double     y_max;
  GArray    *y_ticks;          /* YTick */
  GArray    *time_ticks;       /* TimeTick */
  GArray    *legend;           /* LegendEntry */
  GPtrArray *lines;            /* GArray of Vertex per series */
  guint      n_vertices;

  /* The lines drawn at the output's scale in the series' colours. */
  guint      raster_valid : 1;
  cairo_surface_t *raster;
};

G_DEFINE_FINAL_TYPE (VigilChartPainter, vigil_chart_painter, G_TYPE_OBJECT)

#define PAD           8.0
#define LABEL_FONT    "Sans 9"
#define TITLE_FONT    "Sans Bold 10"
#define SWATCH_WIDTH  14.0
#define LEGEND_GAP    14.0
#define MAX_Y_TICKS   8
/* Room above and below the plot for half a line width and for the dash
 * of a lone sample on the axis' edge. */
#define LINE_MARGIN   3

/* A unit word after the number and its scale: "1.5k req/s". */
#define TAIL(tail)    ((tail)[0] != '\0' ? " " : ""), (tail)

/* The GNOME palette: the darker shades hold up against a white view, the
 * lighter ones against a dark one. Neighbours differ in hue enough to tell
 * p50 from p99 at a glance. */
static const Rgb light_palette[] = {
  { 0x1c / 255., 0x71 / 255., 0xd8 / 255. },  /* blue 4 */
  { 0xe0 / 255., 0x1b / 255., 0x24 / 255. },  /* red 3 */
  { 0x26 / 255., 0xa2 / 255., 0x69 / 255. },  /* green 5 */
  { 0xe6 / 255., 0x61 / 255., 0x00 / 255. },  /* orange 4 */
  { 0x91 / 255., 0x41 / 255., 0xac / 255. },  /* purple 3 */
  { 0x21 / 255., 0x90 / 255., 0xa4 / 255. },  /* teal */
  { 0xc8 / 255., 0x8c / 255., 0x00 / 255. },  /* yellow, darkened */
  { 0x98 / 255., 0x6a / 255., 0x44 / 255. },  /* brown 3 */
  { 0xd5 / 255., 0x61 / 255., 0x99 / 255. },  /* pink */
  { 0x6f / 255., 0x83 / 255., 0x96 / 255. },  /* slate */
};

static const Rgb dark_palette[] = {
  { 0x62 / 255., 0xa0 / 255., 0xea / 255. },  /* blue 2 */
  { 0xf6 / 255., 0x61 / 255., 0x51 / 255. },  /* red 1 */
  { 0x57 / 255., 0xe3 / 255., 0x89 / 255. },  /* green 2 */
  { 0xff / 255., 0xa3 / 255., 0x48 / 255. },  /* orange 2 */
  { 0xdc / 255., 0x8a / 255., 0xdd / 255. },  /* purple 1 */
  { 0x5e / 255., 0xcb / 255., 0xe0 / 255. },  /* teal */
  { 0xf6 / 255., 0xd3 / 255., 0x2d / 255. },  /* yellow 3 */
  { 0xcd / 255., 0xab / 255., 0x8f / 255. },  /* brown 1 */
  { 0xf1 / 255., 0x8a / 255., 0xb5 / 255. },  /* pink */
  { 0xa3 / 255., 0xb5 / 255., 0xc6 / 255. },  /* slate */
};

G_STATIC_ASSERT (G_N_ELEMENTS (light_palette) == G_N_ELEMENTS (dark_palette));

typedef struct {
  double      factor;
  const char *suffix;
} UnitScale;

/* Largest first. Unit symbols are SI and IEC symbols, the same in every
 * language, so they are not translated. */
static const UnitScale seconds_scales[] = {
  { 1.0, " s" }, { 1e-3, " ms" }, { 1e-6, " µs" }, { 1e-9, " ns" },
};
static const UnitScale ratio_scales[] = {
  { 0.01, " %" },
};
static const UnitScale plain_scales[] = {
  { 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" }, { 1.0, "" },
};
static const UnitScale bytes_scales[] = {
  { 1125899906842624.0, " PiB" }, { 1099511627776.0, " TiB" },
  { 1073741824.0, " GiB" }, { 1048576.0, " MiB" }, { 1024.0, " KiB" },
  { 1.0, " B" },
};

static void
y_tick_clear (gpointer data)
{
  YTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static void
time_tick_clear (gpointer data)
{
  TimeTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static void
legend_entry_clear (gpointer data)
{
  LegendEntry *entry = data;

  g_clear_pointer (&entry->text, g_free);
}

static gboolean
replace_string (char       **dest,
                const char  *src)
{
  if (g_strcmp0 (*dest, src) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (src);

  return TRUE;
}

static const UnitScale *
unit_scales (VigilUnit    unit,
             guint       *n_scales,
             const char **tail)
{
  *tail = "";

  switch (unit)
    {
    case VIGIL_UNIT_SECONDS:
      *n_scales = G_N_ELEMENTS (seconds_scales);
      return seconds_scales;

    case VIGIL_UNIT_RATIO:
      *n_scales = G_N_ELEMENTS (ratio_scales);
      return ratio_scales;

    case VIGIL_UNIT_BYTES:
      *n_scales = G_N_ELEMENTS (bytes_scales);
      return bytes_scales;

    case VIGIL_UNIT_REQ_PER_SEC:
      /* Translators: the unit of a request rate, after a number. */
      *tail = C_("chart unit", "req/s");
      *n_scales = G_N_ELEMENTS (plain_scales);
      return plain_scales;

    case VIGIL_UNIT_PLAIN:
    default:
      *n_scales = G_N_ELEMENTS (plain_scales);
      return plain_scales;
    }
}

/* The largest scale the magnitude reaches, with a little slack so that
 * 0.9996 s reads "1 s" rather than "1000 ms". Zero takes the unit's base. */
static const UnitScale *
pick_scale (VigilUnit    unit,
            double       magnitude,
            const char **tail)
{
  const UnitScale *scales;
  guint n_scales;

  scales = unit_scales (unit, &n_scales, tail);

  if (magnitude == 0.0 || !isfinite (magnitude))
    {
      for (guint i = 0; i < n_scales; i++)
        if (scales[i].factor == 1.0)
          return &scales[i];
      return &scales[0];
    }

  for (guint i = 0; i < n_scales; i++)
    if (magnitude >= scales[i].factor * 0.9995)
      return &scales[i];

  return &scales[n_scales - 1];
}

/* Axis labels share one scale and as many decimals as the step needs, so
 * that neighbouring ticks never read the same and all labels line up:
 * "0.5k", "1.0k", "1.5k". Values and step are already in that scale. */
static char *
format_axis_label (const UnitScale *scale,
                   const char      *tail,
                   double           scaled,
                   double           scaled_step,
                   double           scaled_magnitude)
{
  int decimals;

  if (scaled == 0.0)
    return g_strdup_printf ("0%s%s%s", scale->suffix, TAIL (tail));

  if (scaled_magnitude >= 1e6 || !isfinite (scaled_step) || !(scaled_step >= 1e-6))
    return g_strdup_printf ("%.3g%s%s%s", scaled, scale->suffix, TAIL (tail));

  decimals = (int) -floor (log10 (scaled_step) + 1e-9);
  decimals = CLAMP (decimals, 0, 6);

  return g_strdup_printf ("%.*f%s%s%s", decimals, scaled, scale->suffix, TAIL (tail));
}

/* Ticks that are round in the unit they are shown in: 256 MiB steps, not
 * the 250 * 2^20 a decimal search would give. When the round top tick
 * reaches the next scale (1000 ms), the ticks are sought again in that one
 * so the axis reads "1.0 s". */
static guint
axis_ticks (VigilUnit         unit,
            double            min,
            double            max,
            guint             max_ticks,
            double           *scaled_ticks,
            const UnitScale **out_scale,
            const char      **tail)
{
  const UnitScale *scale;
  guint n = 0;

  if (!isfinite (min) || !isfinite (max))
    {
      min = 0;
      max = 1;
    }

  scale = pick_scale (unit, MAX (fabs (min), fabs (max)), tail);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      const UnitScale *top;

      n = vigil_chart_nice_ticks (min / scale->factor, max / scale->factor,
                                  max_ticks, scaled_ticks);
      top = pick_scale (unit,
                        MAX (fabs (scaled_ticks[0]), fabs (scaled_ticks[n - 1])) * scale->factor,
                        tail);
      if (top == scale || scaled_ticks[n - 1] * scale->factor > DBL_MAX / 2)
        break;
      scale = top;
    }

  *out_scale = scale;

  return n;
}

static void
set_source_rgb_alpha (cairo_t   *cr,
                      const Rgb *rgb,
                      double     alpha)
{
  cairo_set_source_rgba (cr, rgb->r, rgb->g, rgb->b, alpha);
}

static const Rgb *
series_color (VigilChartPainter *self,
              guint              index)
{
  const Rgb *palette = self->dark ? dark_palette : light_palette;

  return &palette[index % G_N_ELEMENTS (light_palette)];
}

static const Rgb *
foreground (VigilChartPainter *self)
{
  static const Rgb light_fg = { 0.0, 0.0, 0.0 };
  static const Rgb dark_fg = { 1.0, 1.0, 1.0 };

  return self->dark ? &dark_fg : &light_fg;
}

static double
line_width (VigilChartPainter *self)
{
  return self->high_contrast ? 2.0 : 1.5;
}

/* Quickselect: the k-th smallest of values (which it reorders). */
static double
select_kth (double *values,
            gsize   n,
            gsize   k)
{
  gsize lo = 0;
  gsize hi = n - 1;

  g_assert (n > 0 && k < n);

  while (lo < hi)
    {
      double pivot = values[lo + (hi - lo) / 2];
      gsize i = lo;
      gsize j = hi;

      while (i <= j)
        {
          while (values[i] < pivot)
            i++;
          while (values[j] > pivot)
            j--;
          if (i <= j)
            {
              double tmp = values[i];

              values[i] = values[j];
              values[j] = tmp;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }

      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }

  return values[k];
}

/* Scrape intervals differ per series, so each gets its own threshold: 2.5x
 * its median spacing tolerates a late scrape or two but not a missing
 * stretch. */
static double
auto_gap_threshold (VigilSeries *series)
{
  const VigilSample *samples = vigil_series_get_samples (series);
  guint n = vigil_series_get_n_samples (series);
  g_autofree double *deltas = NULL;
  gsize n_deltas = 0;

  if (n < 2)
    return INFINITY;

  deltas = g_new (double, n - 1);
  for (guint i = 1; i < n; i++)
    {
      double dt = samples[i].time - samples[i - 1].time;

      if (isfinite (dt) && dt > 0)
        deltas[n_deltas++] = dt;
    }

  if (n_deltas == 0)
    return INFINITY;

  return 2.5 * select_kth (deltas, n_deltas, n_deltas / 2);
}

/* The labels whose values tell the series apart. Series from one query
 * mostly share a long prefix (metric name, job, namespace) that, ellipsized,
 * would make every legend entry read the same. */
static GPtrArray *
distinguishing_labels (GPtrArray *series)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (series == NULL || series->len < 2)
    return keys;

  for (guint i = 0; i < series->len; i++)
    {
      GHashTable *labels = vigil_series_get_labels (g_ptr_array_index (series, i));
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, labels);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const char *first_value;
          gboolean differs = FALSE;

          if (!g_hash_table_add (seen, key))
            continue;

          first_value = vigil_series_get_label (g_ptr_array_index (series, 0), key);
          for (guint j = 1; j < series->len && !differs; j++)
            differs = g_strcmp0 (first_value,
                                 vigil_series_get_label (g_ptr_array_index (series, j), key)) != 0;

          if (differs)
            g_ptr_array_add (keys, g_strdup (key));
        }
    }

  return keys;
}

static char *
dup_short_name (VigilSeries *series,
                GPtrArray   *keys)
{
  g_autoptr(VigilSeries) shown = NULL;

  if (keys->len == 0)
    return vigil_series_dup_display_name (series);

  /* The model formats names; a series holding only the telling labels
   * gets the same quoting and order as a full one. */
  shown = vigil_series_new ();
  for (guint i = 0; i < keys->len; i++)
    {
      const char *value = vigil_series_get_label (series, keys->pdata[i]);

      if (value != NULL)
        vigil_series_set_label (shown, keys->pdata[i], value);
    }

  if (g_hash_table_size (vigil_series_get_labels (shown)) == 0)
    return vigil_series_dup_display_name (series);

  return vigil_series_dup_display_name (shown);
}

/* The whole data's extents, so that a relayout of the full range (a
 * resize) need not scan every sample again. */
static void
extend_extents (VigilChartPainter *self,
                VigilSeries       *series)
{
  const VigilSample *samples = vigil_series_get_samples (series);
  guint n = vigil_series_get_n_samples (series);

  for (guint j = 0; j < n; j++)
    {
      if (!isfinite (samples[j].time))
        continue;
      self->data_t_min = MIN (self->data_t_min, samples[j].time);
      self->data_t_max = MAX (self->data_t_max, samples[j].time);

      if (!isfinite (samples[j].value))
        continue;
      self->data_v_min = MIN (self->data_v_min, samples[j].value);
      self->data_v_max = MAX (self->data_v_max, samples[j].value);
    }
}

static void
ensure_data (VigilChartPainter *self)
{
  g_autoptr(GPtrArray) keys = NULL;

  if (self->data_valid)
    return;

  g_array_set_size (self->gap_thresholds, 0);
  g_ptr_array_set_size (self->names, 0);
  self->data_t_min = self->data_v_min = INFINITY;
  self->data_t_max = self->data_v_max = -INFINITY;
  keys = distinguishing_labels (self->series);

  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      VigilSeries *series = g_ptr_array_index (self->series, i);
      g_autofree char *name = dup_short_name (series, keys);
      double threshold;

      if (self->gap_after > 0)
        threshold = self->gap_after;
      else
        threshold = auto_gap_threshold (series);
      g_array_append_val (self->gap_thresholds, threshold);

      extend_extents (self, series);

      /* A query such as sum(rate(...)) gives a series without labels. */
      if (name == NULL || name[0] == '\0' || g_str_equal (name, "{}"))
        {
          g_free (name);
          /* The only line of a chart is what its title says. */
          if (self->series->len == 1 && self->title != NULL && self->title[0] != '\0')
            name = g_strdup (self->title);
          else
            name = g_strdup_printf (_("Series %u"), i + 1);
        }
      g_ptr_array_add (self->names, g_steal_pointer (&name));
    }

  self->data_valid = TRUE;
}

static guint
series_count (VigilChartPainter *self)
{
  return self->series != NULL ? self->series->len : 0;
}

/* First index whose time is >= t. Prometheus returns samples in time
 * order; unsorted input still draws, just not sensibly. */
static guint
lower_bound (const VigilSample *samples,
             guint              n,
             double             t)
{
  guint lo = 0;
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (samples[mid].time < t)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
compute_time_range (VigilChartPainter *self)
{
  double lo = self->data_t_min;
  double hi = self->data_t_max;

  if (isfinite (self->range_start) && isfinite (self->range_end) &&
      self->range_end > self->range_start)
    {
      self->t_start = self->range_start;
      self->t_end = self->range_end;
      self->has_time = TRUE;
      return;
    }

  /* Times a GDateTime cannot hold are no real samples; a span too wide
   * to subtract would leave no finite scale. */
  self->has_time = lo <= hi && isfinite (hi - lo);

  if (!self->has_time)
    {
      self->t_start = 0;
      self->t_end = 1;
      return;
    }

  /* A single instant still needs some width to be drawn at. */
  if (hi - lo < 1.0)
    {
      lo -= 60;
      hi += 60;
    }

  self->t_start = lo;
  self->t_end = hi;
}

/* The range of the finite values within the visible time. Non-finite
 * values never take part, so one +Inf cannot flatten every other line. */
static gboolean
compute_value_range (VigilChartPainter *self,
                     double            *out_min,
                     double            *out_max)
{
  double lo = INFINITY;
  double hi = -INFINITY;

  /* Showing all the data: its extents are known already. */
  if (self->t_start <= self->data_t_min && self->t_end >= self->data_t_max)
    {
      lo = self->data_v_min;
      hi = self->data_v_max;
    }

  for (guint i = 0; lo > hi && i < series_count (self); i++)
    {
      VigilSeries *series = g_ptr_array_index (self->series, i);
      const VigilSample *samples = vigil_series_get_samples (series);
      guint n = vigil_series_get_n_samples (series);
      guint first = lower_bound (samples, n, self->t_start);

      for (guint j = first; j < n; j++)
        {
          double v = samples[j].value;

          if (samples[j].time > self->t_end)
            break;
          if (!isfinite (v))
            continue;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }

  if (lo > hi)
    return FALSE;

  /* Latency, error ratios and rates read best against zero; only data that
   * keeps well away from zero gets an axis that does not start there. */
  if (lo > 0 && lo <= hi * 0.5)
    lo = 0;

  *out_min = lo;
  *out_max = hi;

  return TRUE;
}

static double
measure_text (PangoLayout *layout,
              const char  *text,
              double      *height)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (height != NULL)
    *height = h;

  return w;
}

/* NULL for times beyond what GDateTime holds (year 9999), which only
 * broken data has. */
static GDateTime *
date_time_new_local (double t)
{
  if (!(fabs (t) < 1e12))
    return NULL;

  return g_date_time_new_from_unix_local ((gint64) floor (t + 0.5));
}

static char *
format_time_label (double   t,
                   double   step,
                   gboolean long_range)
{
  g_autoptr(GDateTime) dt = date_time_new_local (t);

  if (dt == NULL)
    return g_strdup ("");

  if (long_range &&
      g_date_time_get_hour (dt) == 0 && g_date_time_get_minute (dt) == 0)
    /* Translators: a date on the chart's time axis, see strftime(3). */
    return g_date_time_format (dt, C_("chart date axis", "%b %-d"));

  if (step < 60)
    return g_date_time_format (dt, "%H:%M:%S");

  return g_date_time_format (dt, "%H:%M");
}

static double
choose_time_step (double range,
                  double plot_w,
                  double minute_label_w,
                  double second_label_w)
{
  static const double steps[] = {
    1, 2, 5, 10, 15, 30,
    60, 120, 300, 600, 900, 1800,
    3600, 7200, 10800, 21600, 43200,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double label_w = steps[i] < 60 ? second_label_w : minute_label_w;
      double n = range / steps[i];

      if (n * (label_w + 24) <= plot_w)
        return steps[i];
    }

  /* Years of data: whole multiples of four weeks, enough to fit. */
  return ceil (range / MAX (plot_w / (minute_label_w + 24), 1) / (28 * 86400)) * (28 * 86400);
}

static void
layout_time_ticks (VigilChartPainter *self,
                   PangoLayout       *layout)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) sample_date = NULL;
  g_autofree char *date_text = NULL;
  double range = self->t_end - self->t_start;
  double minute_w, second_w, date_w;
  double offset;
  double step;
  double first;
  double previous_right = -INFINITY;
  gboolean long_range = range > 86400;

  if (!self->has_time)
    return;

  minute_w = measure_text (layout, "00:00", NULL);
  second_w = measure_text (layout, "00:00:00", NULL);
  sample_date = g_date_time_new_local (2023, 9, 30, 0, 0, 0);
  date_text = g_date_time_format (sample_date, C_("chart date axis", "%b %-d"));
  date_w = measure_text (layout, date_text != NULL ? date_text : "Sep 30", NULL);
  if (long_range)
    minute_w = MAX (minute_w, date_w);

  step = choose_time_step (range, self->plot_w, minute_w, second_w);

  /* Ticks fall on round local times: align in local seconds, so an hourly
   * step lands on :00 in a zone with a half-hour offset too. */
  start = date_time_new_local (self->t_start);
  offset = start != NULL ? g_date_time_get_utc_offset (start) / (double) G_USEC_PER_SEC : 0;
  first = ceil ((self->t_start + offset) / step) * step - offset;
  if (!isfinite (first) || !(step > 0))
    return;

  for (guint i = 0; i < 1000; i++)
    {
      TimeTick tick = { 0 };
      double label_w;

      tick.time = first + i * step;
      if (tick.time > self->t_end)
        break;

      tick.x = self->plot_x + (tick.time - self->t_start) / range * self->plot_w;
      tick.label = format_time_label (tick.time, step, long_range);
      label_w = measure_text (layout, tick.label, NULL);
      tick.label_x = tick.x - label_w / 2;

      /* A label that would run into the y labels, off the edge or into its
       * neighbour is left out; its grid line stays. */
      if (tick.label_x < self->plot_x - 4 ||
          tick.label_x + label_w > self->width - 2 ||
          tick.label_x < previous_right + 8)
        g_clear_pointer (&tick.label, g_free);
      else
        previous_right = tick.label_x + label_w;

      g_array_append_val (self->time_ticks, tick);
    }
}

static void
layout_legend (VigilChartPainter *self,
               PangoLayout       *layout,
               double             top,
               double            *bottom)
{
  double row_h = self->label_height;
  double right = self->width - PAD;
  double max_text_w = CLAMP ((self->width - 2 * PAD) / 2 - SWATCH_WIDTH - 4, 40, 280);
  guint max_rows = MAX (1, (guint) (self->height * 0.12 / row_h));
  double x = PAD;
  double y = top;
  guint row = 0;
  guint n = series_count (self);
  guint i;

  *bottom = top;
  if (n == 0)
    return;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (max_text_w * PANGO_SCALE));

  for (i = 0; i < n; i++)
    {
      LegendEntry entry = { 0 };
      double text_w = measure_text (layout, g_ptr_array_index (self->names, i), NULL);
      double entry_w = SWATCH_WIDTH + 4 + text_w;

      if (x > PAD && x + entry_w > right)
        {
          if (row + 1 >= max_rows)
            break;
          row++;
          x = PAD;
          y += row_h + 2;
        }

      entry.x = x;
      entry.y = y;
      entry.text_width = text_w;
      entry.series_index = i;
      entry.text = g_strdup (g_ptr_array_index (self->names, i));
      g_array_append_val (self->legend, entry);

      x += entry_w + LEGEND_GAP;
    }

  /* Too many series for the rows there are: make room on the last row for
   * a count of the rest. */
  if (i < n)
    {
      LegendEntry more = { 0 };
      guint rest = n - i;
      double more_w;

      for (;;)
        {
          g_free (more.text);
          /* Translators: the legend has no room for the other series. */
          more.text = g_strdup_printf (ngettext ("+%u more", "+%u more", rest), rest);
          more_w = measure_text (layout, more.text, NULL);

          if (x + more_w <= right || self->legend->len == 0)
            break;

          {
            LegendEntry *last = &g_array_index (self->legend, LegendEntry, self->legend->len - 1);

            if (last->y != y)
              break;
            x = last->x;
            g_array_set_size (self->legend, self->legend->len - 1);
            rest++;
          }
        }

      more.x = x;
      more.y = y;
      more.text_width = more_w;
      more.series_index = G_MAXUINT;
      g_array_append_val (self->legend, more);
    }

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_width (layout, -1);

  *bottom = y + row_h;
}

static inline double
clamp_coordinate (double v)
{
  /* cairo keeps coordinates in 24.8 fixed point: far-away points (a
   * neighbour days outside the visible range) must not wrap around. */
  return CLAMP (v, -1e6, 1e6);
}

static void
emit_vertex (GArray *line,
             double  x,
             double  y,
             guint  *segment_len)
{
  Vertex v = { clamp_coordinate (x), clamp_coordinate (y) };

  g_array_append_val (line, v);
  (*segment_len)++;
}

static void
flush_bucket (GArray *line,
              Bucket *bucket,
              guint  *segment_len)
{
  guint order[4];
  const Vertex *vertices[4];
  guint n = 0;

  if (!bucket->used)
    return;

  order[n] = bucket->first_i; vertices[n++] = &bucket->first;
  if (bucket->min_i <= bucket->max_i)
    {
      order[n] = bucket->min_i; vertices[n++] = &bucket->min;
      order[n] = bucket->max_i; vertices[n++] = &bucket->max;
    }
  else
    {
      order[n] = bucket->max_i; vertices[n++] = &bucket->max;
      order[n] = bucket->min_i; vertices[n++] = &bucket->min;
    }
  order[n] = bucket->last_i; vertices[n++] = &bucket->last;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && order[i] == order[i - 1])
        continue;
      emit_vertex (line, vertices[i]->x, vertices[i]->y, segment_len);
    }

  bucket->used = FALSE;
}

static void
end_segment (GArray *line,
             guint  *segment_len)
{
  static const Vertex gap = { NAN, NAN };

  /* A sample alone between two gaps is still data: draw it as a short
   * dash rather than letting it vanish. */
  if (*segment_len == 1)
    {
      Vertex *v = &g_array_index (line, Vertex, line->len - 1);
      Vertex end = { v->x + 1.0, v->y };

      v->x -= 1.0;
      g_array_append_val (line, end);
    }

  if (*segment_len > 0)
    g_array_append_val (line, gap);

  *segment_len = 0;
}

/* Turns one series into plot-relative vertices: scaled once here so that
 * painting only strokes. When there are more samples than two per pixel
 * column, each column keeps its first, last, lowest and highest sample,
 * which keeps every spike while bounding the work by the width. */
static GArray *
build_line (VigilChartPainter *self,
            guint              index)
{
  VigilSeries *series = g_ptr_array_index (self->series, index);
  const VigilSample *samples = vigil_series_get_samples (series);
  guint n = vigil_series_get_n_samples (series);
  double gap = g_array_index (self->gap_thresholds, double, index);
  double x_scale = self->plot_w / (self->t_end - self->t_start);
  double half_min = self->y_min * 0.5;
  double y_scale = self->plot_h / (self->y_max * 0.5 - half_min);
  guint first, last;
  gboolean decimate;
  Bucket bucket = { 0 };
  guint segment_len = 0;
  double previous_time = NAN;
  GArray *line;

  line = g_array_new (FALSE, FALSE, sizeof (Vertex));

  if (n == 0)
    return line;

  /* One sample either side of the visible range, so lines run to the
   * plot's edges instead of stopping at the last sample inside. */
  first = lower_bound (samples, n, self->t_start);
  last = lower_bound (samples, n, self->t_end);
  if (last < n && samples[last].time <= self->t_end)
    last++;
  first = first > 0 ? first - 1 : 0;
  last = MIN (last + 1, n);

  decimate = (last - first) > 2 * self->plot_w;

  for (guint i = first; i < last; i++)
    {
      double t = samples[i].time;
      double v = samples[i].value;
      double x, y;

      if (!isfinite (t) || !isfinite (v))
        {
          flush_bucket (line, &bucket, &segment_len);
          end_segment (line, &segment_len);
          continue;
        }

      if (segment_len > 0 || bucket.used)
        {
          double dt = t - previous_time;

          if (dt > gap || dt < 0)
            {
              flush_bucket (line, &bucket, &segment_len);
              end_segment (line, &segment_len);
            }
        }

      previous_time = t;
      x = clamp_coordinate ((t - self->t_start) * x_scale);
      y = clamp_coordinate (self->plot_h - (v * 0.5 - half_min) * y_scale);

      if (!decimate)
        {
          emit_vertex (line, x, y, &segment_len);
          continue;
        }

      {
        /* floor() without a libm call per sample: x is within ±1e6. */
        gint64 column = (gint64) (x + 2097152.0) - 2097152;
        Vertex vertex = { x, y };

        if (bucket.used && bucket.column != column)
          flush_bucket (line, &bucket, &segment_len);

        if (!bucket.used)
          {
            bucket.used = TRUE;
            bucket.column = column;
            bucket.first = bucket.last = bucket.min = bucket.max = vertex;
            bucket.first_i = bucket.last_i = bucket.min_i = bucket.max_i = i;
            continue;
          }

        bucket.last = vertex;
        bucket.last_i = i;
        /* Pixel y grows downwards: the highest value has the lowest y. */
        if (y > bucket.min.y)
          {
            bucket.min = vertex;
            bucket.min_i = i;
          }
        if (y < bucket.max.y)
          {
            bucket.max = vertex;
            bucket.max_i = i;
          }
      }
    }

  flush_bucket (line, &bucket, &segment_len);
  end_segment (line, &segment_len);

  return line;
}

static void
invalidate_layout (VigilChartPainter *self)
{
  self->layout_valid = FALSE;
  self->raster_valid = FALSE;
}

static void
invalidate_data (VigilChartPainter *self)
{
  self->data_valid = FALSE;
  invalidate_layout (self);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y)
{
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_rounded_rectangle (cairo_t *cr,
                        double   x,
                        double   y,
                        double   w,
                        double   h,
                        double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
paint_background (VigilChartPainter *self,
                  cairo_t           *cr)
{
  /* libadwaita's view colours, so the chart matches a list or text view
   * next to it. */
  if (self->dark)
    cairo_set_source_rgb (cr, 0x1e / 255., 0x1e / 255., 0x1e / 255.);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
}

static void
paint_title_and_legend (VigilChartPainter *self,
                        cairo_t           *cr,
                        PangoLayout       *layout)
{
  const Rgb *fg = foreground (self);

  if (self->title != NULL && self->title[0] != '\0')
    {
      g_autoptr(PangoFontDescription) title_font = pango_font_description_from_string (TITLE_FONT);

      pango_layout_set_font_description (layout, title_font);
      pango_layout_set_width (layout, (int) ((self->width - 2 * PAD) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      set_source_rgb_alpha (cr, fg, 0.85);
      draw_text (cr, layout, self->title, PAD, self->title_y);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_width (layout, -1);
    }

  {
    g_autoptr(PangoFontDescription) font = pango_font_description_from_string (LABEL_FONT);

    pango_layout_set_font_description (layout, font);
  }

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint i = 0; i < self->legend->len; i++)
    {
      const LegendEntry *entry = &g_array_index (self->legend, LegendEntry, i);
      double text_x = entry->x;

      if (entry->series_index != G_MAXUINT)
        {
          set_source_rgb_alpha (cr, series_color (self, entry->series_index), 1.0);
          draw_rounded_rectangle (cr, entry->x, entry->y + self->label_height / 2 - 1.5,
                                  SWATCH_WIDTH, 3, 1.5);
          cairo_fill (cr);
          text_x += SWATCH_WIDTH + 4;
        }

      pango_layout_set_width (layout, (int) ceil ((entry->text_width + 1) * PANGO_SCALE));
      set_source_rgb_alpha (cr, fg, self->high_contrast ? 1.0 : 0.7);
      draw_text (cr, layout, entry->text, text_x, entry->y);
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_width (layout, -1);
}

static void
paint_axes (VigilChartPainter *self,
            cairo_t           *cr,
            PangoLayout       *layout)
{
  const Rgb *fg = foreground (self);
  double grid_alpha = self->high_contrast ? 0.25 : (self->dark ? 0.12 : 0.09);
  double text_alpha = self->high_contrast ? 1.0 : 0.6;
  double bottom = self->plot_y + self->plot_h;

  /* Grid lines on pixel centres stay one crisp pixel wide. */
  cairo_set_line_width (cr, 1.0);
  set_source_rgb_alpha (cr, fg, grid_alpha);
  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      const YTick *tick = &g_array_index (self->y_ticks, YTick, i);
      double y = floor (tick->y) + 0.5;

      cairo_move_to (cr, self->plot_x, y);
      cairo_line_to (cr, self->plot_x + self->plot_w, y);
    }
  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      const TimeTick *tick = &g_array_index (self->time_ticks, TimeTick, i);
      double x = floor (tick->x) + 0.5;

      cairo_move_to (cr, x, self->plot_y);
      cairo_line_to (cr, x, bottom);
    }
  cairo_stroke (cr);

  set_source_rgb_alpha (cr, fg, self->high_contrast ? 0.8 : 0.3);
  cairo_move_to (cr, self->plot_x, floor (bottom) + 0.5);
  cairo_line_to (cr, self->plot_x + self->plot_w, floor (bottom) + 0.5);
  cairo_stroke (cr);

  set_source_rgb_alpha (cr, fg, text_alpha);
  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      const YTick *tick = &g_array_index (self->y_ticks, YTick, i);
      int w, h;

      pango_layout_set_text (layout, tick->label, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_move_to (cr, self->plot_x - 6 - w, tick->y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      const TimeTick *tick = &g_array_index (self->time_ticks, TimeTick, i);

      if (tick->label != NULL)
        draw_text (cr, layout, tick->label, tick->label_x, bottom + 4);
    }
}

static void
trace_line (cairo_t      *cr,
            const GArray *line)
{
  const Vertex *v = (const Vertex *) (gconstpointer) line->data;
  gboolean pen_down = FALSE;

  for (guint j = 0; j < line->len; j++)
    {
      if (isnan (v[j].x))
        pen_down = FALSE;
      else if (pen_down)
        cairo_line_to (cr, v[j].x, v[j].y);
      else
        {
          cairo_move_to (cr, v[j].x, v[j].y);
          pen_down = TRUE;
        }
    }
}

/* Premultiplied ARGB, an opaque source at partial coverage (0..255).
 * Two channels per multiplication, and x / 255 as (x + x / 256) / 256
 * with rounding, as pixman does. */
static inline guint32
blend_over (guint32 dst,
            guint32 src,
            guint32 coverage)
{
  guint32 inverse = 255 - coverage;
  guint32 rb = (src & 0x00ff00ff) * coverage + (dst & 0x00ff00ff) * inverse + 0x00800080;
  guint32 ag = ((src >> 8) & 0x00ff00ff) * coverage + ((dst >> 8) & 0x00ff00ff) * inverse + 0x00800080;

  rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  ag = ((ag + ((ag >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;

  return rb | (ag << 8);
}

/* How much of pixel row r the run [lo, hi], widened by half on both ends,
 * covers. An empty column (lo > hi) covers nothing. */
static inline double
span_coverage (double lo,
               double hi,
               double half,
               int    r)
{
  if (lo > hi)
    return 0;

  return CLAMP (MIN (r + 1, hi + half) - MAX (r, lo - half), 0, 1);
}

/* Draws a dense line as one vertical run per device pixel: the polyline's
 * extent within the column, widened by the line width, with exact coverage
 * at both ends. With at least a vertex per column this looks like a stroke
 * and costs a fraction of one: cairo's stroker spends about a microsecond
 * per vertex, 25 ms for ten decimated series of this width. */
static void
rasterize_line (cairo_surface_t *surface,
                const GArray    *line,
                const Rgb       *rgb,
                double           scale,
                double           line_w,
                double          *lo,
                double          *hi)
{
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  const Vertex *v = (const Vertex *) (gconstpointer) line->data;
  double half = line_w * scale / 2;
  double spread;
  guint32 src;

  src = 0xff000000u |
        ((guint32) (rgb->r * 255 + 0.5) << 16) |
        ((guint32) (rgb->g * 255 + 0.5) << 8) |
        (guint32) (rgb->b * 255 + 0.5);

  for (int c = 0; c < width; c++)
    {
      lo[c] = INFINITY;
      hi[c] = -INFINITY;
    }

  for (guint j = 0; j + 1 < line->len; j++)
    {
      double x0, y0, x1, y1;
      int c0, c1;

      if (isnan (v[j].x) || isnan (v[j + 1].x))
        continue;

      x0 = v[j].x * scale;
      y0 = (v[j].y + LINE_MARGIN) * scale;
      x1 = v[j + 1].x * scale;
      y1 = (v[j + 1].y + LINE_MARGIN) * scale;

      if (x1 < x0)
        {
          double tx = x0, ty = y0;

          x0 = x1; y0 = y1;
          x1 = tx; y1 = ty;
        }

      c0 = (int) MAX (floor (x0), 0);
      c1 = (int) MIN (floor (x1), width - 1);

      for (int c = c0; c <= c1; c++)
        {
          double ya = y0;
          double yb = y1;

          if (x1 > x0)
            {
              double slope = (y1 - y0) / (x1 - x0);

              ya = y0 + slope * (MAX (x0, c) - x0);
              yb = y0 + slope * (MIN (x1, c + 1) - x0);
            }

          lo[c] = MIN (lo[c], MIN (ya, yb));
          hi[c] = MAX (hi[c], MAX (ya, yb));
        }
    }

  /* A stroke is line_w wide sideways too: a steep run also covers part
   * of its neighbouring columns. */
  spread = CLAMP ((line_w * scale - 1) / 2, 0, 1);

  for (int c = 0; c < width; c++)
    {
      double top = INFINITY;
      double bottom = -INFINITY;
      int r0, r1;

      for (int k = MAX (c - 1, 0); k <= MIN (c + 1, width - 1); k++)
        {
          if (lo[k] > hi[k] || (k != c && spread == 0))
            continue;
          top = MIN (top, lo[k] - half);
          bottom = MAX (bottom, hi[k] + half);
        }

      if (top > bottom)
        continue;

      r0 = (int) MAX (floor (top), 0);
      r1 = (int) MIN (ceil (bottom), height);

      for (int r = r0; r < r1; r++)
        {
          double coverage = span_coverage (lo[c], hi[c], half, r);
          guint32 *pixel;

          if (spread > 0 && coverage < 1)
            {
              if (c > 0)
                coverage = MAX (coverage, spread * span_coverage (lo[c - 1], hi[c - 1], half, r));
              if (c + 1 < width)
                coverage = MAX (coverage, spread * span_coverage (lo[c + 1], hi[c + 1], half, r));
            }

          if (coverage <= 0)
            continue;

          pixel = (guint32 *) (gpointer) (data + (gsize) r * stride) + c;
          if (coverage >= 1)
            *pixel = src;
          else
            *pixel = blend_over (*pixel, src, (guint32) (coverage * 255 + 0.5));
        }
    }
}

/* The lines are drawn once into an image at the output's scale, whenever
 * data, size or colours change; a frame only copies it. */
static void
ensure_raster (VigilChartPainter *self)
{
  g_autofree double *lo = NULL;
  g_autofree double *hi = NULL;
  double scale = self->scale_factor;
  int width, height;
  cairo_t *cr;

  if (self->raster_valid)
    return;

  g_clear_pointer (&self->raster, cairo_surface_destroy);
  self->raster_valid = TRUE;

  if (!self->has_data || self->lines->len == 0)
    return;

  width = (int) ceil (self->plot_w * scale);
  height = (int) ceil ((self->plot_h + 2 * LINE_MARGIN) * scale);
  self->raster = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (self->raster) != CAIRO_STATUS_SUCCESS)
    {
      g_clear_pointer (&self->raster, cairo_surface_destroy);
      return;
    }
  cairo_surface_set_device_scale (self->raster, scale, scale);

  lo = g_new (double, width);
  hi = g_new (double, width);

  cr = cairo_create (self->raster);
  cairo_translate (cr, 0, LINE_MARGIN);
  cairo_set_line_width (cr, line_width (self));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  for (guint i = 0; i < self->lines->len; i++)
    {
      GArray *line = g_ptr_array_index (self->lines, i);
      guint n_vertices = 0;

      for (guint j = 0; j < line->len; j++)
        if (!isnan (g_array_index (line, Vertex, j).x))
          n_vertices++;

      if (n_vertices == 0)
        continue;

      /* Sparse lines keep cairo's stroke, whose joins look better where
       * a segment spans many columns. */
      if (n_vertices >= self->plot_w)
        {
          cairo_surface_flush (self->raster);
          rasterize_line (self->raster, line, series_color (self, i), scale,
                          line_width (self), lo, hi);
          cairo_surface_mark_dirty (self->raster);
        }
      else
        {
          trace_line (cr, line);
          set_source_rgb_alpha (cr, series_color (self, i), 1.0);
          cairo_stroke (cr);
        }
    }

  cairo_destroy (cr);
  cairo_surface_flush (self->raster);
}

static void
paint_lines (VigilChartPainter *self,
             cairo_t           *cr)
{
  ensure_raster (self);

  if (self->raster == NULL)
    return;

  /* The image spans the plot's width only: lines never run sideways into
   * the labels, but may stick out a little above and below (a peak on the
   * axis' top). */
  cairo_save (cr);
  cairo_set_source_surface (cr, self->raster, self->plot_x, self->plot_y - LINE_MARGIN);
  cairo_rectangle (cr, self->plot_x, self->plot_y - LINE_MARGIN,
                   self->plot_w, self->plot_h + 2 * LINE_MARGIN);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
paint_message (VigilChartPainter *self,
               cairo_t           *cr,
               PangoLayout       *layout)
{
  const char *message = self->message;
  const Rgb *fg = foreground (self);
  double max_w = MAX (self->plot_w - 24, 40);
  int w, h;
  double x, y;

  if (message == NULL && !self->has_data)
    message = _("No data");
  if (message == NULL || message[0] == '\0')
    return;

  pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, message, -1);
  pango_layout_get_pixel_size (layout, &w, &h);

  x = self->plot_x + (self->plot_w - max_w) / 2;
  y = self->plot_y + (self->plot_h - h) / 2;

  /* Over data (an error after a good poll keeps the last lines), the
   * message needs a backing to stay readable. */
  if (self->has_data)
    {
      double box_w = MIN (w, max_w) + 24;
      double box_x = self->plot_x + (self->plot_w - box_w) / 2;

      if (self->dark)
        cairo_set_source_rgba (cr, 0x1e / 255., 0x1e / 255., 0x1e / 255., 0.92);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.92);
      draw_rounded_rectangle (cr, box_x, y - 8, box_w, h + 16, 6);
      cairo_fill_preserve (cr);
      set_source_rgb_alpha (cr, fg, 0.2);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  set_source_rgb_alpha (cr, fg, self->high_contrast ? 1.0 : 0.55);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  pango_layout_set_width (layout, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
}

/* The sample of a series nearest to time t, if there is one close enough
 * to speak for t: inside a gap, the series says nothing. */
static gboolean
nearest_sample (VigilChartPainter *self,
                guint              index,
                double             t,
                VigilSample       *out)
{
  VigilSeries *series = g_ptr_array_index (self->series, index);
  const VigilSample *samples = vigil_series_get_samples (series);
  guint n = vigil_series_get_n_samples (series);
  double gap = g_array_index (self->gap_thresholds, double, index);
  guint i;

  if (n == 0)
    return FALSE;

  i = lower_bound (samples, n, t);
  if (i == n || (i > 0 && t - samples[i - 1].time < samples[i].time - t))
    i = i > 0 ? i - 1 : 0;

  if (!isfinite (samples[i].value) || !isfinite (samples[i].time))
    return FALSE;
  if (isfinite (gap) && fabs (samples[i].time - t) > gap / 2)
    return FALSE;
  if (samples[i].time < self->t_start || samples[i].time > self->t_end)
    return FALSE;

  *out = samples[i];
  return TRUE;
}

static void
paint_hover (VigilChartPainter *self,
             cairo_t           *cr,
             PangoLayout       *layout)
{
  const Rgb *fg = foreground (self);
  double range = self->t_end - self->t_start;
  double t;
  double snap_time = NAN;
  double best = INFINITY;
  double x;
  double row_h = self->label_height;
  double box_w, box_h, box_x, box_y;
  double value_w = 0;
  double name_w = 0;
  guint n = series_count (self);
  g_autofree VigilSample *found = NULL;
  g_autofree gboolean *has = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time_text = NULL;
  guint n_rows = 0;

  if (!isfinite (self->hover_x) || !self->has_data || n == 0)
    return;
  if (self->hover_x < self->plot_x || self->hover_x > self->plot_x + self->plot_w)
    return;

  t = self->t_start + (self->hover_x - self->plot_x) / self->plot_w * range;
  found = g_new0 (VigilSample, n);
  has = g_new0 (gboolean, n);
  values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      has[i] = nearest_sample (self, i, t, &found[i]);
      g_ptr_array_add (values, has[i] ? vigil_chart_format_value (self->unit, found[i].value) : NULL);
      if (has[i] && fabs (found[i].time - t) < best)
        {
          best = fabs (found[i].time - t);
          snap_time = found[i].time;
        }
    }

  if (!isfinite (snap_time))
    return;

  x = floor (self->plot_x + (snap_time - self->t_start) / range * self->plot_w) + 0.5;

  set_source_rgb_alpha (cr, fg, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, self->plot_y);
  cairo_line_to (cr, x, self->plot_y + self->plot_h);
  cairo_stroke (cr);

  for (guint i = 0; i < n; i++)
    {
      double y;

      if (!has[i] || found[i].time != snap_time)
        continue;
      y = self->plot_y + self->plot_h -
          (found[i].value * 0.5 - self->y_min * 0.5) / (self->y_max * 0.5 - self->y_min * 0.5) * self->plot_h;
      cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
      set_source_rgb_alpha (cr, series_color (self, i), 1.0);
      cairo_fill (cr);
    }

  when = date_time_new_local (snap_time);
  if (when != NULL)
    time_text = g_date_time_format (when, range > 86400
                                            /* Translators: hover read-out time, see strftime(3). */
                                            ? C_("chart hover time", "%b %-d %H:%M:%S")
                                            : "%H:%M:%S");
  if (time_text == NULL)
    time_text = g_strdup ("");

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint i = 0; i < n; i++)
    {
      if (values->pdata[i] == NULL)
        continue;
      value_w = MAX (value_w, measure_text (layout, values->pdata[i], NULL));
      pango_layout_set_width (layout, 180 * PANGO_SCALE);
      name_w = MAX (name_w, measure_text (layout, g_ptr_array_index (self->names, i), NULL));
      pango_layout_set_width (layout, -1);
      n_rows++;
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);

  /* Rows that do not fit the plot's height are cut, not drawn over the
   * time labels. */
  n_rows = MIN (n_rows, (guint) MAX (0, (self->plot_h - 12) / row_h - 1));
  box_w = MAX (measure_text (layout, time_text, NULL), SWATCH_WIDTH / 2 + 4 + value_w + 8 + name_w) + 16;
  box_h = (n_rows + 1) * row_h + 12;
  box_x = x + 10;
  if (box_x + box_w > self->plot_x + self->plot_w)
    box_x = x - 10 - box_w;
  box_x = MAX (box_x, self->plot_x);
  box_y = self->plot_y + 4;

  if (self->dark)
    cairo_set_source_rgba (cr, 0x30 / 255., 0x30 / 255., 0x30 / 255., 0.95);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  draw_rounded_rectangle (cr, box_x, box_y, box_w, box_h, 6);
  cairo_fill_preserve (cr);
  set_source_rgb_alpha (cr, fg, 0.2);
  cairo_stroke (cr);

  set_source_rgb_alpha (cr, fg, 0.9);
  draw_text (cr, layout, time_text, box_x + 8, box_y + 6);

  for (guint i = 0, row = 0; i < n && row < n_rows; i++)
    {
      double y;

      if (values->pdata[i] == NULL)
        continue;
      y = box_y + 6 + (row + 1) * row_h;
      row++;

      set_source_rgb_alpha (cr, series_color (self, i), 1.0);
      cairo_arc (cr, box_x + 8 + 3.5, y + row_h / 2, 3.5, 0, 2 * G_PI);
      cairo_fill (cr);

      set_source_rgb_alpha (cr, fg, 0.9);
      draw_text (cr, layout, values->pdata[i], box_x + 8 + SWATCH_WIDTH / 2 + 4, y);

      set_source_rgb_alpha (cr, fg, 0.6);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, 180 * PANGO_SCALE);
      draw_text (cr, layout, g_ptr_array_index (self->names, i),
                 box_x + 8 + SWATCH_WIDTH / 2 + 4 + value_w + 8, y);
      pango_layout_set_width (layout, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
    }
}

static void
vigil_chart_painter_dispose (GObject *object)
{
  VigilChartPainter *self = (VigilChartPainter *) object;

  g_clear_pointer (&self->series, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_chart_painter_parent_class)->dispose (object);
}

static void
vigil_chart_painter_finalize (GObject *object)
{
  VigilChartPainter *self = (VigilChartPainter *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->gap_thresholds, g_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->y_ticks, g_array_unref);
  g_clear_pointer (&self->time_ticks, g_array_unref);
  g_clear_pointer (&self->legend, g_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->raster, cairo_surface_destroy);

  G_OBJECT_CLASS (vigil_chart_painter_parent_class)->finalize (object);
}

static void
vigil_chart_painter_class_init (VigilChartPainterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_chart_painter_dispose;
  object_class->finalize = vigil_chart_painter_finalize;
}

static void
vigil_chart_painter_init (VigilChartPainter *self)
{
  self->unit = VIGIL_UNIT_PLAIN;
  self->range_start = NAN;
  self->range_end = NAN;
  self->hover_x = NAN;
  self->scale_factor = 1;

  self->gap_thresholds = g_array_new (FALSE, FALSE, sizeof (double));
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->y_ticks = g_array_new (FALSE, TRUE, sizeof (YTick));
  g_array_set_clear_func (self->y_ticks, y_tick_clear);
  self->time_ticks = g_array_new (FALSE, TRUE, sizeof (TimeTick));
  g_array_set_clear_func (self->time_ticks, time_tick_clear);
  self->legend = g_array_new (FALSE, TRUE, sizeof (LegendEntry));
  g_array_set_clear_func (self->legend, legend_entry_clear);
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

VigilChartPainter *
vigil_chart_painter_new (void)
{
  return g_object_new (VIGIL_TYPE_CHART_PAINTER, NULL);
}

void
vigil_chart_painter_set_title (VigilChartPainter *self,
                               const char        *title)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (replace_string (&self->title, title))
    {
      /* A lone unlabelled series is named after the title. */
      self->data_valid = FALSE;
      invalidate_layout (self);
    }
}

void
vigil_chart_painter_set_unit (VigilChartPainter *self,
                              VigilUnit          unit)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (self->unit == unit)
    return;

  self->unit = unit;
  invalidate_layout (self);
}

void
vigil_chart_painter_set_series (VigilChartPainter *self,
                                GPtrArray         *series)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (series != NULL)
    g_ptr_array_ref (series);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  self->series = series;

  invalidate_data (self);
}

void
vigil_chart_painter_invalidate (VigilChartPainter *self)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  invalidate_data (self);
}

void
vigil_chart_painter_set_time_range (VigilChartPainter *self,
                                    double             start,
                                    double             end)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (!isfinite (start) || !isfinite (end) || end <= start || !isfinite (end - start))
    start = end = NAN;

  if ((start == self->range_start && end == self->range_end) ||
      (isnan (start) && isnan (self->range_start)))
    return;

  self->range_start = start;
  self->range_end = end;
  invalidate_layout (self);
}

void
vigil_chart_painter_set_gap_after (VigilChartPainter *self,
                                   double             seconds)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (!isfinite (seconds) || seconds < 0)
    seconds = 0;

  if (self->gap_after == seconds)
    return;

  self->gap_after = seconds;
  invalidate_data (self);
}

void
vigil_chart_painter_set_message (VigilChartPainter *self,
                                 const char        *message)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  /* Drawn over the plot at paint time: the layout does not depend on it. */
  replace_string (&self->message, message);
}

void
vigil_chart_painter_set_dark (VigilChartPainter *self,
                              gboolean           dark)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (self->dark == !!dark)
    return;

  self->dark = !!dark;
  self->raster_valid = FALSE;
}

void
vigil_chart_painter_set_high_contrast (VigilChartPainter *self,
                                       gboolean           high_contrast)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  if (self->high_contrast == !!high_contrast)
    return;

  self->high_contrast = !!high_contrast;
  self->raster_valid = FALSE;
}

void
vigil_chart_painter_set_scale_factor (VigilChartPainter *self,
                                      int                scale_factor)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));
  g_return_if_fail (scale_factor >= 1);

  if (self->scale_factor == scale_factor)
    return;

  self->scale_factor = scale_factor;
  self->raster_valid = FALSE;
}

void
vigil_chart_painter_set_hover (VigilChartPainter *self,
                               double             x)
{
  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));

  self->hover_x = (isfinite (x) && x >= 0) ? x : NAN;
}

guint
vigil_chart_painter_prepare (VigilChartPainter *self,
                             cairo_t           *cr,
                             int                width,
                             int                height)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(PangoFontDescription) title_font = NULL;
  double ticks[MAX_Y_TICKS];
  guint n_ticks;
  guint max_ticks;
  double data_min = 0, data_max = 1;
  double y;
  double plot_bottom;
  double label_w = 0;
  double magnitude;
  double step;
  double right_margin;
  const UnitScale *scale;
  const char *tail;

  g_return_val_if_fail (VIGIL_IS_CHART_PAINTER (self), 0);
  g_return_val_if_fail (cr != NULL, 0);

  width = MAX (width, 1);
  height = MAX (height, 1);

  if (self->layout_valid && self->width == width && self->height == height)
    return self->n_vertices;

  ensure_data (self);

  self->raster_valid = FALSE;
  g_array_set_size (self->y_ticks, 0);
  g_array_set_size (self->time_ticks, 0);
  g_array_set_size (self->legend, 0);
  g_ptr_array_set_size (self->lines, 0);
  self->n_vertices = 0;
  self->width = width;
  self->height = height;

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string (LABEL_FONT);
  title_font = pango_font_description_from_string (TITLE_FONT);

  pango_layout_set_font_description (layout, font);
  measure_text (layout, "0:9", &self->label_height);

  /* Top to bottom: title, legend, plot, time labels. */
  y = PAD;
  self->title_y = y;
  if (self->title != NULL && self->title[0] != '\0')
    {
      double title_h;

      pango_layout_set_font_description (layout, title_font);
      measure_text (layout, self->title, &title_h);
      pango_layout_set_font_description (layout, font);
      y += title_h + 4;
    }

  layout_legend (self, layout, y, &y);
  if (self->legend->len > 0)
    y += 6;

  /* Half a label of room above the top tick, whose label is centred on
   * it. */
  self->plot_y = ceil (y + self->label_height / 2);
  plot_bottom = floor (height - PAD - self->label_height - 4);
  self->plot_h = MAX (plot_bottom - self->plot_y, 1);

  compute_time_range (self);
  self->has_data = self->has_time && compute_value_range (self, &data_min, &data_max);

  max_ticks = (guint) CLAMP (self->plot_h / (self->label_height * 2.2), 2, MAX_Y_TICKS);
  n_ticks = axis_ticks (self->unit, data_min, data_max, max_ticks, ticks, &scale, &tail);
  g_assert (n_ticks >= 2);
  self->y_min = ticks[0] * scale->factor;
  self->y_max = ticks[n_ticks - 1] * scale->factor;
  if (!isfinite (self->y_min) || !isfinite (self->y_max) || self->y_min >= self->y_max)
    {
      /* Only reachable with values near DBL_MAX: keep the axis finite. */
      self->y_min = -DBL_MAX;
      self->y_max = DBL_MAX;
    }
  magnitude = MAX (fabs (ticks[0]), fabs (ticks[n_ticks - 1]));
  step = ticks[1] - ticks[0];

  for (guint i = 0; i < n_ticks; i++)
    {
      YTick tick = { 0 };

      tick.value = CLAMP (ticks[i] * scale->factor, self->y_min, self->y_max);
      tick.label = format_axis_label (scale, tail, ticks[i], step, magnitude);
      label_w = MAX (label_w, measure_text (layout, tick.label, NULL));
      g_array_append_val (self->y_ticks, tick);
    }

  /* Room on the right for half of a time label centred on the last tick;
   * whole pixels, so the cached lines land on the output's pixel grid. */
  right_margin = ceil (MAX (PAD, measure_text (layout, "00:00", NULL) / 2 + 2));
  self->plot_x = ceil (PAD + label_w + 6);
  self->plot_w = MAX (width - right_margin - self->plot_x, 1);

  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      YTick *tick = &g_array_index (self->y_ticks, YTick, i);

      tick->y = self->plot_y + self->plot_h -
                (tick->value * 0.5 - self->y_min * 0.5) / (self->y_max * 0.5 - self->y_min * 0.5) * self->plot_h;
    }

  layout_time_ticks (self, layout);

  if (self->has_data)
    {
      for (guint i = 0; i < series_count (self); i++)
        {
          GArray *line = build_line (self, i);

          for (guint j = 0; j < line->len; j++)
            if (!isnan (g_array_index (line, Vertex, j).x))
              self->n_vertices++;
          g_ptr_array_add (self->lines, line);
        }
    }

  self->layout_valid = TRUE;
  self->laid_out = TRUE;

  return self->n_vertices;
}

void
vigil_chart_painter_paint (VigilChartPainter *self,
                           cairo_t           *cr,
                           int                width,
                           int                height)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;

  g_return_if_fail (VIGIL_IS_CHART_PAINTER (self));
  g_return_if_fail (cr != NULL);

  vigil_chart_painter_prepare (self, cr, width, height);

  cairo_save (cr);

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string (LABEL_FONT);
  pango_layout_set_font_description (layout, font);

  paint_background (self, cr);
  paint_axes (self, cr, layout);
  paint_title_and_legend (self, cr, layout);
  paint_lines (self, cr);
  paint_message (self, cr, layout);
  paint_hover (self, cr, layout);

  cairo_restore (cr);
}

gboolean
vigil_chart_painter_get_y_range (VigilChartPainter *self,
                                 double            *min,
                                 double            *max)
{
  g_return_val_if_fail (VIGIL_IS_CHART_PAINTER (self), FALSE);

  if (min != NULL)
    *min = self->laid_out ? self->y_min : 0;
  if (max != NULL)
    *max = self->laid_out ? self->y_max : 1;

  return self->laid_out;
}

gboolean
vigil_chart_painter_get_visible_time_range (VigilChartPainter *self,
                                            double            *start,
                                            double            *end)
{
  g_return_val_if_fail (VIGIL_IS_CHART_PAINTER (self), FALSE);

  if (start != NULL)
    *start = self->laid_out ? self->t_start : 0;
  if (end != NULL)
    *end = self->laid_out ? self->t_end : 1;

  return self->laid_out && self->has_time;
}

gboolean
vigil_chart_painter_get_plot_area (VigilChartPainter *self,
                                   cairo_rectangle_t *area)
{
  g_return_val_if_fail (VIGIL_IS_CHART_PAINTER (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  area->x = self->laid_out ? self->plot_x : 0;
  area->y = self->laid_out ? self->plot_y : 0;
  area->width = self->laid_out ? self->plot_w : 0;
  area->height = self->laid_out ? self->plot_h : 0;

  return self->laid_out;
}

char *
vigil_chart_painter_dup_summary (VigilChartPainter *self)
{
  GString *summary;
  guint n;
  gboolean any_value = FALSE;

  g_return_val_if_fail (VIGIL_IS_CHART_PAINTER (self), NULL);

  ensure_data (self);
  n = series_count (self);
  summary = g_string_new (NULL);

  if (self->title != NULL && self->title[0] != '\0')
    g_string_append_printf (summary, "%s. ", self->title);

  if (self->message != NULL && self->message[0] != '\0')
    g_string_append_printf (summary, "%s. ", self->message);

  /* Translators: how many lines the chart draws. */
  g_string_append_printf (summary, ngettext ("%u series", "%u series", n), n);

  for (guint i = 0; i < n; i++)
    {
      VigilSeries *series = g_ptr_array_index (self->series, i);
      const VigilSample *samples = vigil_series_get_samples (series);
      guint n_samples = vigil_series_get_n_samples (series);
      g_autofree char *value = NULL;

      for (guint j = n_samples; j > 0; j--)
        {
          if (isfinite (samples[j - 1].value))
            {
              value = vigil_chart_format_value (self->unit, samples[j - 1].value);
              break;
            }
        }

      if (value == NULL)
        continue;

      g_string_append (summary, any_value ? ", " : _(", latest: "));
      /* Translators: a series name and its latest value. */
      g_string_append_printf (summary, _("%s %s"), (char *) g_ptr_array_index (self->names, i), value);
      any_value = TRUE;
    }

  if (!any_value)
    g_string_append_printf (summary, ", %s", _("no data"));

  g_string_append_c (summary, '.');

  return g_string_free (summary, FALSE);
}

guint
vigil_chart_nice_ticks (double  min,
                        double  max,
                        guint   max_ticks,
                        double *ticks)
{
  static const double multipliers[] = { 1, 2, 5 };
  double range;
  double raw;
  int exponent;

  g_return_val_if_fail (ticks != NULL, 0);
  g_return_val_if_fail (max_ticks >= 2, 0);

  if (!isfinite (min) || !isfinite (max))
    {
      min = 0;
      max = 1;
    }

  if (min > max)
    {
      double tmp = min;

      min = max;
      max = tmp;
    }

  /* A flat line gets room around it rather than an axis of zero height. */
  if (max - min <= MAX (fabs (min), fabs (max)) * 1e-12)
    {
      double pad = MAX (fabs (min), fabs (max)) * 0.1;

      if (pad == 0)
        {
          min = 0;
          max = 1;
        }
      else
        {
          min = MAX (min - pad, -DBL_MAX);
          max = MIN (max + pad, DBL_MAX);
        }
    }

  range = max - min;
  if (!isfinite (range) || range <= 0)
    {
      ticks[0] = min;
      ticks[1] = max;
      return 2;
    }

  raw = range / (max_ticks - 1);
  exponent = (int) floor (log10 (raw));

  for (int e = exponent; e <= exponent + 2; e++)
    {
      for (guint m = 0; m < G_N_ELEMENTS (multipliers); m++)
        {
          double power = pow (10.0, abs (e));
          double step = e < 0 ? multipliers[m] / power : multipliers[m] * power;
          double lo, hi;

          if (step < raw * (1 - 1e-9))
            continue;

          /* The slack absorbs rounding such as 0.3 / 0.1 = 2.9999… */
          lo = floor (min / step + 1e-9);
          hi = ceil (max / step - 1e-9);

          if (hi - lo + 1 > max_ticks)
            continue;

          for (guint i = 0; lo + i <= hi; i++)
            {
              double k = (lo + i) * multipliers[m];

              /* Dividing by an exact power of ten rounds 3 * 0.2 to 0.6
               * where multiplying would give 0.6000000000000001. Adding
               * zero turns -0 into 0. */
              ticks[i] = (e < 0 ? k / power : k * power) + 0.0;
            }

          if (!isfinite (ticks[0]) || !isfinite (ticks[(guint) (hi - lo)]))
            break;

          return (guint) (hi - lo) + 1;
        }
    }

  ticks[0] = min;
  ticks[1] = max;
  return 2;
}

char *
vigil_chart_format_value (VigilUnit unit,
                          double    value)
{
  const UnitScale *scale;
  const char *tail;
  double scaled;

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "+Inf" : "-Inf");

  scale = pick_scale (unit, fabs (value), &tail);
  scaled = value / scale->factor;

  if (scaled == 0)
    return g_strdup_printf ("0%s%s%s", scale->suffix, TAIL (tail));

  /* Three significant digits, without an exponent where one can be
   * avoided: "250 ms", "12.3 %", "1.5 KiB", "1234 s". */
  if (fabs (scaled) >= 99.95 && fabs (scaled) < 1e6)
    return g_strdup_printf ("%.0f%s%s%s", scaled, scale->suffix, TAIL (tail));

  return g_strdup_printf ("%.3g%s%s%s", scaled, scale->suffix, TAIL (tail));
}
