/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-chart"

#include "config.h"

#include <float.h>
#include <math.h>

#include <adwaita.h>

#include "vigil-chart.h"
#include "vigil-chart-painter.h"

#define WIDTH  800
#define HEIGHT 300

/* Everything the painter draws besides the lines (background, grid, axes,
 * text) is grey; a pixel with clear chroma belongs to a series. */
static gboolean
pixel_is_coloured (cairo_surface_t *surface,
                   int              x,
                   int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;
  int r, g, b;

  if (x < 0 || y < 0 ||
      x >= cairo_image_surface_get_width (surface) ||
      y >= cairo_image_surface_get_height (surface))
    return FALSE;

  pixel = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);
  r = (pixel >> 16) & 0xff;
  g = (pixel >> 8) & 0xff;
  b = pixel & 0xff;

  return MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 60;
}

static gboolean
area_has_colour (cairo_surface_t *surface,
                 int              x0,
                 int              x1,
                 int              y0,
                 int              y1)
{
  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      if (pixel_is_coloured (surface, x, y))
        return TRUE;

  return FALSE;
}

static guint
count_differing_pixels (cairo_surface_t *a,
                        cairo_surface_t *b)
{
  const guint8 *da = cairo_image_surface_get_data (a);
  const guint8 *db = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  int height = cairo_image_surface_get_height (a);
  guint n = 0;

  for (int i = 0; i < stride * height; i += 4)
    if (memcmp (da + i, db + i, 4) != 0)
      n++;

  return n;
}

static cairo_surface_t *
render (VigilChartPainter *painter,
        int                width,
        int                height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  vigil_chart_painter_paint (painter, cr, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static VigilSeries *
series_new (const char *label_name,
            const char *label_value)
{
  VigilSeries *series = vigil_series_new ();

  if (label_name != NULL)
    vigil_series_set_label (series, label_name, label_value);

  return series;
}

static GPtrArray *
series_array_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

/* The pixel column of time t in the last layout. */
static double
time_to_x (VigilChartPainter *painter,
           double             t)
{
  cairo_rectangle_t area;
  double start, end;

  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  g_assert_true (vigil_chart_painter_get_visible_time_range (painter, &start, &end));

  return area.x + (t - start) / (end - start) * area.width;
}

static void
assert_ticks_sane (const double *ticks,
                   guint         n,
                   guint         max_ticks,
                   double        min,
                   double        max)
{
  double step;

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, <=, max_ticks);
  g_assert_true (isfinite (ticks[0]) && isfinite (ticks[n - 1]));
  g_assert_cmpfloat (ticks[0], <=, min);
  g_assert_cmpfloat (ticks[n - 1], >=, max);

  step = ticks[1] - ticks[0];
  g_assert_cmpfloat (step, >, 0);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i] - ticks[i - 1], step, step * 1e-6);
}

static void
test_nice_ticks_unit_range (void)
{
  double ticks[8];
  guint n;

  n = vigil_chart_nice_ticks (0, 1, 6, ticks);
  g_assert_cmpuint (n, ==, 6);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i], 0.2 * i, 1e-12);

  /* Exact decimals, not 0.6000000000000001: labels and tests rely on it. */
  g_assert_cmpfloat (ticks[3], ==, 0.6);
}

static void
test_nice_ticks_small (void)
{
  double ticks[8];
  guint n;

  n = vigil_chart_nice_ticks (0.0013, 0.0049, 6, ticks);
  assert_ticks_sane (ticks, n, 6, 0.0013, 0.0049);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (ticks[0], ==, 0.001);
  g_assert_cmpfloat (ticks[4], ==, 0.005);
}

static void
test_nice_ticks_negative (void)
{
  double ticks[8];
  guint n;

  n = vigil_chart_nice_ticks (-7.3, -2.1, 6, ticks);
  assert_ticks_sane (ticks, n, 6, -7.3, -2.1);
  g_assert_cmpfloat (ticks[0], ==, -8);
  g_assert_cmpfloat (ticks[n - 1], ==, -2);

  n = vigil_chart_nice_ticks (-1, 1, 6, ticks);
  assert_ticks_sane (ticks, n, 6, -1, 1);
  g_assert_cmpuint (n, ==, 5);
  /* Zero is a plain zero, never "-0". */
  g_assert_cmpfloat (ticks[2], ==, 0);
  g_assert_false (signbit (ticks[2]));

  /* Given the wrong way round, the same axis. */
  n = vigil_chart_nice_ticks (1, -1, 6, ticks);
  assert_ticks_sane (ticks, n, 6, -1, 1);
}

static void
test_nice_ticks_flat (void)
{
  double ticks[8];
  guint n;

  n = vigil_chart_nice_ticks (5, 5, 6, ticks);
  assert_ticks_sane (ticks, n, 6, 5, 5);
  g_assert_cmpfloat (ticks[0], <, 5);
  g_assert_cmpfloat (ticks[n - 1], >, 5);

  n = vigil_chart_nice_ticks (0, 0, 6, ticks);
  g_assert_cmpfloat (ticks[0], ==, 0);
  g_assert_cmpfloat (ticks[n - 1], ==, 1);

  n = vigil_chart_nice_ticks (-0.003, -0.003, 6, ticks);
  assert_ticks_sane (ticks, n, 6, -0.003, -0.003);
  g_assert_cmpfloat (ticks[0], <, -0.003);
  g_assert_cmpfloat (ticks[n - 1], >, -0.003);
}

static void
test_nice_ticks_non_finite (void)
{
  const double bad[][2] = {
    { NAN, 1 }, { 0, NAN }, { NAN, NAN },
    { -INFINITY, 5 }, { 0, INFINITY }, { -INFINITY, INFINITY },
  };
  double ticks[8];

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint n = vigil_chart_nice_ticks (bad[i][0], bad[i][1], 6, ticks);

      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpfloat (ticks[0], ==, 0);
      g_assert_cmpfloat (ticks[n - 1], ==, 1);
    }

  /* Finite but too wide to subtract: still a finite axis. */
  {
    guint n = vigil_chart_nice_ticks (-DBL_MAX, DBL_MAX, 6, ticks);

    g_assert_cmpuint (n, >=, 2);
    for (guint i = 0; i < n; i++)
      g_assert_true (isfinite (ticks[i]));
  }
}

static void
test_nice_ticks_random (void)
{
  double ticks[8];

  /* Any range at any scale keeps the promises: bounds cover the data, no
   * more ticks than asked, even steps. */
  for (guint i = 0; i < 2000; i++)
    {
      double scale = pow (10, g_test_rand_int_range (-12, 13));
      double a = g_test_rand_double_range (-1, 1) * scale;
      double b = a + g_test_rand_double_range (0, 1) * scale;
      guint max_ticks = g_test_rand_int_range (2, 9);
      guint n = vigil_chart_nice_ticks (a, b, max_ticks, ticks);

      if (a == b)
        continue;
      assert_ticks_sane (ticks, n, max_ticks, a, b);
    }
}

typedef struct {
  VigilUnit   unit;
  double      value;
  const char *expected;
} FormatCase;

static void
check_format_cases (const FormatCase *cases,
                    guint             n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = vigil_chart_format_value (cases[i].unit, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_format_seconds (void)
{
  static const FormatCase cases[] = {
    { VIGIL_UNIT_SECONDS, 0.25, "250 ms" },
    { VIGIL_UNIT_SECONDS, 1.5, "1.5 s" },
    { VIGIL_UNIT_SECONDS, 42, "42 s" },
    { VIGIL_UNIT_SECONDS, 0.0000123, "12.3 µs" },
    { VIGIL_UNIT_SECONDS, 0.0045, "4.5 ms" },
    { VIGIL_UNIT_SECONDS, 0.9996, "1 s" },
    { VIGIL_UNIT_SECONDS, -0.005, "-5 ms" },
    { VIGIL_UNIT_SECONDS, 0, "0 s" },
  };

  check_format_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_format_ratio (void)
{
  static const FormatCase cases[] = {
    { VIGIL_UNIT_RATIO, 0.123, "12.3 %" },
    { VIGIL_UNIT_RATIO, 0.5, "50 %" },
    { VIGIL_UNIT_RATIO, 1, "100 %" },
    { VIGIL_UNIT_RATIO, 0.999, "99.9 %" },
    { VIGIL_UNIT_RATIO, 0.0004, "0.04 %" },
    { VIGIL_UNIT_RATIO, 0, "0 %" },
  };

  check_format_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_format_bytes (void)
{
  static const FormatCase cases[] = {
    { VIGIL_UNIT_BYTES, 1536, "1.5 KiB" },
    { VIGIL_UNIT_BYTES, 512, "512 B" },
    { VIGIL_UNIT_BYTES, 3.25 * 1048576, "3.25 MiB" },
    { VIGIL_UNIT_BYTES, 1073741824, "1 GiB" },
    { VIGIL_UNIT_BYTES, 0, "0 B" },
  };

  check_format_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_format_rate_and_plain (void)
{
  static const FormatCase cases[] = {
    { VIGIL_UNIT_REQ_PER_SEC, 3.2, "3.2 req/s" },
    { VIGIL_UNIT_REQ_PER_SEC, 1500, "1.5k req/s" },
    { VIGIL_UNIT_REQ_PER_SEC, 0, "0 req/s" },
    { VIGIL_UNIT_PLAIN, 42, "42" },
    { VIGIL_UNIT_PLAIN, 1234, "1.23k" },
    { VIGIL_UNIT_PLAIN, 2.5e6, "2.5M" },
    { VIGIL_UNIT_PLAIN, 0.5, "0.5" },
    { VIGIL_UNIT_PLAIN, -7000, "-7k" },
  };

  check_format_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_format_non_finite (void)
{
  static const FormatCase cases[] = {
    { VIGIL_UNIT_SECONDS, NAN, "NaN" },
    { VIGIL_UNIT_RATIO, INFINITY, "+Inf" },
    { VIGIL_UNIT_BYTES, -INFINITY, "-Inf" },
  };

  check_format_cases (cases, G_N_ELEMENTS (cases));
}

static GPtrArray *
spike_data (guint  n,
            guint  spike_index,
            double spike_value)
{
  GPtrArray *array = series_array_new ();
  VigilSeries *series = series_new ("job", "api");

  for (guint i = 0; i < n; i++)
    {
      double value = 1.0 + 0.05 * sin (i / 50.0);

      if (i == spike_index)
        value = spike_value;
      vigil_series_append (series, i, value);
    }
  g_ptr_array_add (array, series);

  return array;
}

static void
test_decimation_keeps_spike (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = spike_data (100000, 54321, 50.0);
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  double x;
  double y_min, y_max;

  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);

  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_cmpfloat (y_max, >=, 50);
  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));

  /* The spike reaches the top of the plot, where nothing else does. */
  x = time_to_x (painter, 54321);
  g_assert_true (area_has_colour (surface, (int) x - 1, (int) x + 1,
                                  (int) area.y, (int) (area.y + area.height * 0.2)));
  g_assert_false (area_has_colour (surface, (int) x - 20, (int) x - 5,
                                   (int) area.y, (int) (area.y + area.height * 0.2)));

  cairo_surface_destroy (surface);
  g_assert_finalize_object (g_steal_pointer (&painter));
}

static void
test_decimation_keeps_dip (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = spike_data (100000, 777, -40.0);
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  double x;

  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);
  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));

  x = time_to_x (painter, 777);
  g_assert_true (area_has_colour (surface, (int) x - 1, (int) x + 1,
                                  (int) (area.y + area.height * 0.8), (int) (area.y + area.height)));

  cairo_surface_destroy (surface);
}

static void
test_decimation_bounded (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = spike_data (100000, 10, 2.0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t area;
  guint n_vertices;

  vigil_chart_painter_set_series (painter, data);
  n_vertices = vigil_chart_painter_prepare (painter, cr, WIDTH, HEIGHT);
  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));

  /* At most first, last, min and max per column. */
  g_assert_cmpuint (n_vertices, >, 0);
  g_assert_cmpuint (n_vertices, <=, 4 * ((guint) area.width + 2));

  /* Cached: the same size does not lay out again. */
  g_assert_cmpuint (vigil_chart_painter_prepare (painter, cr, WIDTH, HEIGHT), ==, n_vertices);

  /* Few samples are drawn as they are. */
  {
    g_autoptr(GPtrArray) few = spike_data (100, 10, 2.0);

    vigil_chart_painter_set_series (painter, few);
    g_assert_cmpuint (vigil_chart_painter_prepare (painter, cr, WIDTH, HEIGHT), ==, 100);
  }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Samples every 10 s from 0 to 600 s, at values that keep the line in the
 * middle of the plot. */
static VigilSeries *
wave_series (double hole_start,
             double hole_end,
             gboolean nan_hole)
{
  VigilSeries *series = series_new ("instance", "a");

  for (int t = 0; t <= 600; t += 10)
    {
      double value = 1.0 + 0.5 * sin (t / 60.0);

      if (t > hole_start && t < hole_end)
        {
          if (!nan_hole)
            continue;
          value = NAN;
        }
      vigil_series_append (series, t, value);
    }

  return series;
}

static void
assert_gap_empty (VigilChartPainter *painter,
                  cairo_surface_t   *surface,
                  double             hole_start,
                  double             hole_end)
{
  cairo_rectangle_t area;
  int x0, x1;

  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  x0 = (int) ceil (time_to_x (painter, hole_start)) + 3;
  x1 = (int) floor (time_to_x (painter, hole_end)) - 3;
  g_assert_cmpint (x1 - x0, >, 50);

  g_assert_false (area_has_colour (surface, x0, x1,
                                   (int) area.y - 3, (int) (area.y + area.height) + 3));

  /* And the line does exist on both sides. */
  g_assert_true (area_has_colour (surface, x0 - 40, x0 - 10,
                                  (int) area.y, (int) (area.y + area.height)));
  g_assert_true (area_has_colour (surface, x1 + 10, x1 + 40,
                                  (int) area.y, (int) (area.y + area.height)));
}

static void
test_gap_nan (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  cairo_surface_t *surface;

  g_ptr_array_add (data, wave_series (200, 400, TRUE));
  vigil_chart_painter_set_series (painter, data);
  /* Far longer than the hole: only the NaN samples may break the line. */
  vigil_chart_painter_set_gap_after (painter, 10000);
  surface = render (painter, WIDTH, HEIGHT);

  assert_gap_empty (painter, surface, 200, 400);

  cairo_surface_destroy (surface);
}

static void
test_gap_time_hole (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  double middle;

  /* No gap_after: 2.5x the 10 s median spacing breaks a 200 s hole. */
  g_ptr_array_add (data, wave_series (200, 400, FALSE));
  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);
  assert_gap_empty (painter, surface, 200, 400);
  cairo_surface_destroy (surface);

  /* A gap_after longer than the hole bridges it. */
  vigil_chart_painter_set_gap_after (painter, 300);
  surface = render (painter, WIDTH, HEIGHT);
  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  middle = time_to_x (painter, 300);
  g_assert_true (area_has_colour (surface, (int) middle - 2, (int) middle + 2,
                                  (int) area.y, (int) (area.y + area.height)));
  cairo_surface_destroy (surface);

  /* A shorter one breaks it again. */
  vigil_chart_painter_set_gap_after (painter, 30);
  surface = render (painter, WIDTH, HEIGHT);
  assert_gap_empty (painter, surface, 200, 400);
  cairo_surface_destroy (surface);
}

static void
test_gap_decimated (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *series = series_new ("job", "api");
  cairo_surface_t *surface;

  for (guint i = 0; i < 100000; i++)
    vigil_series_append (series, i, (i > 40000 && i < 60000) ? NAN : 1 + 0.2 * sin (i / 300.0));
  g_ptr_array_add (data, series);

  vigil_chart_painter_set_series (painter, data);
  vigil_chart_painter_set_gap_after (painter, 1e6);
  surface = render (painter, WIDTH, HEIGHT);
  assert_gap_empty (painter, surface, 40000, 60000);

  cairo_surface_destroy (surface);
}

static void
test_scale_non_finite (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *mixed = series_new ("le", "mixed");
  VigilSeries *all_nan = series_new ("le", "nan");
  const double values[] = { 1, NAN, 2, INFINITY, 3, -INFINITY, 4, NAN, 5 };
  cairo_surface_t *surface;
  double y_min, y_max;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      vigil_series_append (mixed, i * 15, values[i]);
      vigil_series_append (all_nan, i * 15, NAN);
    }
  g_ptr_array_add (data, mixed);
  g_ptr_array_add (data, all_nan);

  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);

  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_true (isfinite (y_min) && isfinite (y_max));
  g_assert_cmpfloat (y_min, <=, 1);
  g_assert_cmpfloat (y_max, >=, 5);
  g_assert_cmpfloat (y_max, <=, 10);
  cairo_surface_destroy (surface);

  /* Extreme but finite values give a finite, if useless, axis. */
  vigil_series_append (mixed, 200, DBL_MAX);
  vigil_series_append (mixed, 215, -DBL_MAX);
  vigil_chart_painter_invalidate (painter);
  surface = render (painter, WIDTH, HEIGHT);
  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_true (isfinite (y_min) && isfinite (y_max));
  g_assert_cmpfloat (y_min, <, y_max);
  cairo_surface_destroy (surface);
}

static void
test_absurd_times (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *wide = series_new ("job", "wide");
  VigilSeries *unsorted = series_new ("job", "unsorted");
  const double times[] = { -1e300, 0, NAN, 1700000000, INFINITY, 1e300, 5, -3 };
  cairo_surface_t *surface;
  double start, end;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      vigil_series_append (wide, times[i], i);
      vigil_series_append (unsorted, times[G_N_ELEMENTS (times) - 1 - i], i);
    }
  g_ptr_array_add (data, wide);
  g_ptr_array_add (data, unsorted);

  /* Broken timestamps draw nothing sensible, but draw without harm. */
  vigil_chart_painter_set_series (painter, data);
  vigil_chart_painter_set_hover (painter, WIDTH / 2.0);
  surface = render (painter, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);

  /* A range too wide to subtract is ignored. */
  vigil_chart_painter_set_time_range (painter, -DBL_MAX, DBL_MAX);
  surface = render (painter, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);

  vigil_chart_painter_set_time_range (painter, -10, 10);
  surface = render (painter, WIDTH, HEIGHT);
  g_assert_true (vigil_chart_painter_get_visible_time_range (painter, &start, &end));
  g_assert_cmpfloat (start, ==, -10);
  g_assert_cmpfloat (end, ==, 10);
  cairo_surface_destroy (surface);
}

static void
test_scale_flat (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *series = series_new ("quantile", "0.99");
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  double y_min, y_max, y;

  for (int t = 0; t < 600; t += 15)
    vigil_series_append (series, t, 0.25);
  g_ptr_array_add (data, series);

  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);

  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_cmpfloat (y_min, <, 0.25);
  g_assert_cmpfloat (y_max, >, 0.25);

  /* The line is drawn where 0.25 falls, inside the plot. */
  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  y = area.y + area.height - (0.25 - y_min) / (y_max - y_min) * area.height;
  g_assert_cmpfloat (y, >, area.y + 5);
  g_assert_cmpfloat (y, <, area.y + area.height - 5);
  g_assert_true (area_has_colour (surface, (int) (area.x + area.width / 2), (int) (area.x + area.width / 2),
                                  (int) y - 2, (int) y + 2));

  cairo_surface_destroy (surface);
}

static void
test_single_sample (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *series = series_new ("job", "api");
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  double x;

  /* One sample (an instant query) is still visible, as a short dash. */
  vigil_series_append (series, 1000, 3);
  g_ptr_array_add (data, series);
  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);

  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  x = time_to_x (painter, 1000);
  g_assert_true (area_has_colour (surface, (int) x - 1, (int) x + 1,
                                  (int) area.y - 3, (int) (area.y + area.height) + 3));

  cairo_surface_destroy (surface);
}

/* The message is centred text in the plot: some non-background pixels in
 * the middle band and no series colour anywhere in the plot. */
static void
assert_empty_chart (VigilChartPainter *painter)
{
  cairo_surface_t *surface = render (painter, WIDTH, HEIGHT);
  cairo_rectangle_t area;
  double y_min, y_max;
  const guint8 *data;
  int stride;
  guint text_pixels = 0;

  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_cmpfloat (y_min, ==, 0);
  g_assert_cmpfloat (y_max, ==, 1);

  g_assert_true (vigil_chart_painter_get_plot_area (painter, &area));
  g_assert_false (area_has_colour (surface, (int) area.x, (int) (area.x + area.width),
                                   (int) area.y, (int) (area.y + area.height)));

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = (int) (area.y + area.height / 2 - 8); y < (int) (area.y + area.height / 2 + 8); y++)
    for (int x = (int) (area.x + area.width / 2 - 60); x < (int) (area.x + area.width / 2 + 60); x++)
      {
        guint32 pixel = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);

        /* Darker than the grid: text. */
        if (((pixel >> 8) & 0xff) < 0xc0)
          text_pixels++;
      }
  g_assert_cmpuint (text_pixels, >, 20);

  cairo_surface_destroy (surface);
}

static void
test_empty (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) no_samples = series_array_new ();
  g_autoptr(GPtrArray) only_nan = series_array_new ();
  VigilSeries *series;
  g_autofree char *summary = NULL;

  vigil_chart_painter_set_title (painter, "Error ratio");
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_RATIO);

  /* No series at all. */
  assert_empty_chart (painter);

  /* Series without samples. */
  g_ptr_array_add (no_samples, series_new ("job", "api"));
  vigil_chart_painter_set_series (painter, no_samples);
  assert_empty_chart (painter);

  /* Samples, none of them a number; the time axis still shows. */
  series = series_new ("job", "api");
  for (int t = 0; t < 3600; t += 60)
    vigil_series_append (series, t, NAN);
  g_ptr_array_add (only_nan, series);
  vigil_chart_painter_set_series (painter, only_nan);
  assert_empty_chart (painter);

  /* Data outside the visible range counts as none. */
  vigil_chart_painter_set_time_range (painter, 10000, 20000);
  assert_empty_chart (painter);

  /* A message of our own instead of "No data". */
  vigil_chart_painter_set_message (painter, "Prometheus did not answer");
  assert_empty_chart (painter);

  summary = vigil_chart_painter_dup_summary (painter);
  g_assert_nonnull (strstr (summary, "Prometheus did not answer"));
  g_assert_nonnull (strstr (summary, "Error ratio"));
}

static void
test_tiny_sizes (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = spike_data (5000, 10, 2.0);
  const int sizes[][2] = { { 1, 1 }, { 0, 0 }, { 30, 10 }, { 300, 20 }, { 10, 400 } };

  vigil_chart_painter_set_title (painter, "A title far too long for such a small chart");
  vigil_chart_painter_set_series (painter, data);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                             MAX (sizes[i][0], 1), MAX (sizes[i][1], 1));
      cairo_t *cr = cairo_create (surface);

      vigil_chart_painter_paint (painter, cr, sizes[i][0], sizes[i][1]);
      vigil_chart_painter_set_hover (painter, sizes[i][0] / 2.0);
      vigil_chart_painter_paint (painter, cr, sizes[i][0], sizes[i][1]);
      vigil_chart_painter_set_hover (painter, -1);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

static void
test_resize (void)
{
  g_autoptr(VigilChartPainter) resized = vigil_chart_painter_new ();
  g_autoptr(VigilChartPainter) fresh = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) dense = spike_data (20000, 5000, 3.0);
  g_autoptr(GPtrArray) sparse = series_array_new ();
  cairo_surface_t *a, *b;

  g_ptr_array_add (sparse, wave_series (200, 400, FALSE));

  /* What a painter draws after a resize is what a new one draws at that
   * size: nothing cached for the old size survives. Dense lines go
   * through the cached raster, sparse ones through cairo's stroker. */
  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *data = i == 0 ? dense : sparse;

      vigil_chart_painter_set_series (resized, data);
      vigil_chart_painter_set_series (fresh, data);

      a = render (resized, WIDTH, HEIGHT);
      cairo_surface_destroy (a);
      a = render (resized, 500, 200);
      b = render (fresh, 500, 200);
      g_assert_cmpuint (count_differing_pixels (a, b), ==, 0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

static void
test_hover (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  cairo_surface_t *plain;
  cairo_surface_t *hovered;
  cairo_surface_t *in_gap;
  double x;

  g_ptr_array_add (data, wave_series (200, 400, FALSE));
  vigil_chart_painter_set_series (painter, data);
  plain = render (painter, WIDTH, HEIGHT);

  x = time_to_x (painter, 100);
  vigil_chart_painter_set_hover (painter, x);
  hovered = render (painter, WIDTH, HEIGHT);
  g_assert_cmpuint (count_differing_pixels (plain, hovered), >, 500);

  /* In the gap the series has no value to show, so nothing is drawn. */
  vigil_chart_painter_set_hover (painter, time_to_x (painter, 300));
  in_gap = render (painter, WIDTH, HEIGHT);
  g_assert_cmpuint (count_differing_pixels (plain, in_gap), ==, 0);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (hovered);
  cairo_surface_destroy (in_gap);
}

static void
test_dark (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  cairo_surface_t *surface;
  guint32 corner;

  g_ptr_array_add (data, wave_series (0, 0, FALSE));
  vigil_chart_painter_set_series (painter, data);
  vigil_chart_painter_set_dark (painter, TRUE);
  surface = render (painter, WIDTH, HEIGHT);

  corner = *(const guint32 *) (gconstpointer) cairo_image_surface_get_data (surface);
  g_assert_cmpuint ((corner >> 16) & 0xff, <, 0x40);

  cairo_surface_destroy (surface);
}

static void
test_summary (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  g_autoptr(GPtrArray) data = series_array_new ();
  VigilSeries *p50 = series_new ("quantile", "0.5");
  VigilSeries *p99 = series_new ("quantile", "0.99");
  g_autofree char *summary = NULL;

  vigil_series_append (p50, 0, 0.1);
  vigil_series_append (p50, 15, 0.12);
  vigil_series_append (p99, 0, 0.8);
  vigil_series_append (p99, 15, 0.25);
  vigil_series_append (p99, 30, NAN);
  g_ptr_array_add (data, p50);
  g_ptr_array_add (data, p99);

  vigil_chart_painter_set_title (painter, "Latency");
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (painter, data);

  summary = vigil_chart_painter_dup_summary (painter);
  g_assert_nonnull (strstr (summary, "Latency"));
  g_assert_nonnull (strstr (summary, "2 series"));
  g_assert_nonnull (strstr (summary, "120 ms"));
  /* The latest finite value, not the trailing NaN. */
  g_assert_nonnull (strstr (summary, "250 ms"));
  g_assert_null (strstr (summary, "NaN"));
}

/* p50 and p99 of an API over an hour at a 15 s step, with an incident
 * (latency climbs) and a scrape outage (a gap). */
static GPtrArray *
latency_data (double start)
{
  GPtrArray *array = series_array_new ();
  VigilSeries *p50 = vigil_series_new ();
  VigilSeries *p99 = vigil_series_new ();
  GRand *rand = g_rand_new_with_seed (42);

  vigil_series_set_label (p50, "job", "api");
  vigil_series_set_label (p50, "quantile", "0.5");
  vigil_series_set_label (p99, "job", "api");
  vigil_series_set_label (p99, "quantile", "0.99");

  for (guint i = 0; i < 240; i++)
    {
      double t = start + i * 15;
      double incident = (i > 150 && i < 200) ? sin ((i - 150) / 50.0 * G_PI) : 0;

      if (i >= 100 && i < 112)
        continue;

      vigil_series_append (p50, t, 0.045 + 0.01 * g_rand_double (rand) + 0.08 * incident);
      vigil_series_append (p99, t, 0.21 + 0.08 * g_rand_double (rand) + 0.9 * incident);
    }

  g_ptr_array_add (array, p50);
  g_ptr_array_add (array, p99);
  g_rand_free (rand);

  return array;
}

static void
test_png (void)
{
  g_autoptr(VigilChartPainter) painter = vigil_chart_painter_new ();
  /* A fixed hour, so the picture is the same on every run in a zone. */
  g_autoptr(GPtrArray) data = latency_data (1700000000);
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT), "chart-latency.png", NULL);
  cairo_surface_t *surface;
  double y_min, y_max;

  vigil_chart_painter_set_title (painter, "Request latency, api");
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (painter, data);
  surface = render (painter, WIDTH, HEIGHT);

  g_assert_true (vigil_chart_painter_get_y_range (painter, &y_min, &y_max));
  g_assert_cmpfloat (y_min, ==, 0);
  g_assert_cmpfloat (y_max, >=, 1.1);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("Wrote %s", path);

  cairo_surface_destroy (surface);
}

static void
test_widget (void)
{
  g_autoptr(GPtrArray) data = NULL;
  g_autofree char *summary = NULL;
  GtkWidget *chart;
  VigilChartPainter *painter;
  GtkWidget *window;
  GdkPaintable *paintable;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;
  gint64 deadline;
  int minimum, natural;
  int width, height;

  /* GTK 4.8 cannot start without a display; the painter tests above cover
   * the drawing, this one only the widget's own duties. */
  if (!gtk_init_check ())
    {
      g_test_skip ("No display");
      return;
    }
  adw_init ();

  chart = g_object_ref_sink (vigil_chart_new ());
  gtk_widget_measure (chart, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, >=, 300);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, >=, 180);

  painter = vigil_chart_get_painter (VIGIL_CHART (chart));
  data = latency_data (1700000000);
  vigil_chart_painter_set_title (painter, "Request latency, api");
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (painter, data);
  vigil_chart_queue_update (VIGIL_CHART (chart));

  summary = vigil_chart_painter_dup_summary (painter);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG);

  /* Shown in a window, its snapshot draws the lines. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 320);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_widget_get_width (chart) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  width = gtk_widget_get_width (chart);
  height = gtk_widget_get_height (chart);
  g_assert_cmpint (width, >=, 300);
  g_assert_cmpint (height, >=, 180);

  paintable = gtk_widget_paintable_new (chart);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_true (area_has_colour (surface, 0, width - 1, 0, height - 1));
  cairo_surface_destroy (surface);

  gsk_render_node_unref (node);
  g_object_unref (paintable);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chart);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process accessibility backend, which the widget test reads
   * the description from; unlike AT-SPI it needs no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/chart/nice-ticks/unit-range", test_nice_ticks_unit_range);
  g_test_add_func ("/vigil/chart/nice-ticks/small", test_nice_ticks_small);
  g_test_add_func ("/vigil/chart/nice-ticks/negative", test_nice_ticks_negative);
  g_test_add_func ("/vigil/chart/nice-ticks/flat", test_nice_ticks_flat);
  g_test_add_func ("/vigil/chart/nice-ticks/non-finite", test_nice_ticks_non_finite);
  g_test_add_func ("/vigil/chart/nice-ticks/random", test_nice_ticks_random);
  g_test_add_func ("/vigil/chart/format/seconds", test_format_seconds);
  g_test_add_func ("/vigil/chart/format/ratio", test_format_ratio);
  g_test_add_func ("/vigil/chart/format/bytes", test_format_bytes);
  g_test_add_func ("/vigil/chart/format/rate-and-plain", test_format_rate_and_plain);
  g_test_add_func ("/vigil/chart/format/non-finite", test_format_non_finite);
  g_test_add_func ("/vigil/chart/decimation/keeps-spike", test_decimation_keeps_spike);
  g_test_add_func ("/vigil/chart/decimation/keeps-dip", test_decimation_keeps_dip);
  g_test_add_func ("/vigil/chart/decimation/bounded", test_decimation_bounded);
  g_test_add_func ("/vigil/chart/gap/nan", test_gap_nan);
  g_test_add_func ("/vigil/chart/gap/time-hole", test_gap_time_hole);
  g_test_add_func ("/vigil/chart/gap/decimated", test_gap_decimated);
  g_test_add_func ("/vigil/chart/scale/non-finite", test_scale_non_finite);
  g_test_add_func ("/vigil/chart/scale/flat", test_scale_flat);
  g_test_add_func ("/vigil/chart/single-sample", test_single_sample);
  g_test_add_func ("/vigil/chart/absurd-times", test_absurd_times);
  g_test_add_func ("/vigil/chart/empty", test_empty);
  g_test_add_func ("/vigil/chart/tiny-sizes", test_tiny_sizes);
  g_test_add_func ("/vigil/chart/resize", test_resize);
  g_test_add_func ("/vigil/chart/hover", test_hover);
  g_test_add_func ("/vigil/chart/dark", test_dark);
  g_test_add_func ("/vigil/chart/summary", test_summary);
  g_test_add_func ("/vigil/chart/png", test_png);
  g_test_add_func ("/vigil/chart/widget", test_widget);

  return g_test_run ();
}
