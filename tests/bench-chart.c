/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-chart"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "vigil-chart-painter.h"

/* Figures for the target in DESIGN.md: a frame of 10 series x 40,000
 * points within 4 ms. Prints, asserts nothing about time: machines differ. */

#define N_SERIES  10
#define N_POINTS  40000
#define WIDTH     800
#define HEIGHT    300
#define N_FRAMES  20

typedef void (*BenchFunc) (gpointer data);

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Runs func once to warm up, then N_FRAMES times; gives the median, the
 * fastest and the slowest run in milliseconds. */
static double
measure (BenchFunc  func,
         gpointer   data,
         double    *fastest,
         double    *slowest)
{
  double times[N_FRAMES];

  func (data);

  for (guint i = 0; i < N_FRAMES; i++)
    {
      gint64 start = g_get_monotonic_time ();

      func (data);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (times, N_FRAMES, sizeof (double), compare_doubles);
  *fastest = times[0];
  *slowest = times[N_FRAMES - 1];

  return (times[N_FRAMES / 2 - 1] + times[N_FRAMES / 2]) / 2;
}

typedef struct {
  VigilChartPainter *painter;
  cairo_surface_t   *surface;
  cairo_t           *cr;
  GPtrArray         *series;
} Bench;

static void
paint_frame (gpointer data)
{
  Bench *bench = data;

  vigil_chart_painter_paint (bench->painter, bench->cr, WIDTH, HEIGHT);
  cairo_surface_flush (bench->surface);
}

static void
paint_hover_frame (gpointer data)
{
  Bench *bench = data;
  static guint frame;

  /* A pointer moving across the plot, as during a hover. */
  vigil_chart_painter_set_hover (bench->painter, 100 + (frame++ * 29) % 600);
  paint_frame (bench);
}

/* A width one pixel off each time defeats the cache the way a window
 * being resized does. */
static int
next_width (void)
{
  static guint frame;

  return WIDTH - (int) (frame++ % 2);
}

static void
decimate_only (gpointer data)
{
  Bench *bench = data;

  vigil_chart_painter_prepare (bench->painter, bench->cr, next_width (), HEIGHT);
}

static void
new_data_only (gpointer data)
{
  Bench *bench = data;

  vigil_chart_painter_invalidate (bench->painter);
  vigil_chart_painter_prepare (bench->painter, bench->cr, WIDTH, HEIGHT);
}

static void
resize_frame (gpointer data)
{
  Bench *bench = data;

  vigil_chart_painter_paint (bench->painter, bench->cr, next_width (), HEIGHT);
  cairo_surface_flush (bench->surface);
}

static void
cold_frame (gpointer data)
{
  Bench *bench = data;

  vigil_chart_painter_invalidate (bench->painter);
  paint_frame (bench);
}

/* What drawing would cost without decimation: one series' raw samples
 * scaled to the same surface and stroked. */
static void
raw_stroke (gpointer data)
{
  Bench *bench = data;
  VigilSeries *series = g_ptr_array_index (bench->series, 0);
  const VigilSample *samples = vigil_series_get_samples (series);
  guint n = vigil_series_get_n_samples (series);
  double t0 = samples[0].time;
  double t1 = samples[n - 1].time;

  cairo_save (bench->cr);
  cairo_set_source_rgb (bench->cr, 1, 1, 1);
  cairo_paint (bench->cr);
  cairo_set_source_rgb (bench->cr, 0.1, 0.45, 0.85);
  cairo_set_line_width (bench->cr, 1.5);
  for (guint i = 0; i < n; i++)
    cairo_line_to (bench->cr,
                   (samples[i].time - t0) / (t1 - t0) * WIDTH,
                   HEIGHT - samples[i].value / 2.0 * HEIGHT);
  cairo_stroke (bench->cr);
  cairo_restore (bench->cr);
  cairo_surface_flush (bench->surface);
}

static GPtrArray *
make_series (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  GRand *rand = g_rand_new_with_seed (7);
  double start = 1700000000;

  for (guint s = 0; s < N_SERIES; s++)
    {
      VigilSeries *series = vigil_series_new ();
      g_autofree char *pod = g_strdup_printf ("api-%u", s);
      double value = 0.2 + 0.1 * s;

      vigil_series_set_label (series, "__name__", "http_request_duration_seconds");
      vigil_series_set_label (series, "pod", pod);

      /* A 15 s scrape over a week, a random walk with the odd spike and a
       * missed scrape now and then. */
      for (guint i = 0; i < N_POINTS; i++)
        {
          double v;

          value += g_rand_double_range (rand, -0.01, 0.01);
          value = CLAMP (value, 0.05, 1.5);
          v = g_rand_int_range (rand, 0, 500) == 0 ? value * 3 : value;
          if (g_rand_int_range (rand, 0, 2000) == 0)
            v = NAN;
          vigil_series_append (series, start + i * 15.0, v);
        }

      g_ptr_array_add (array, series);
    }

  g_rand_free (rand);

  return array;
}

static void
report (const char *what,
        double      median,
        double      fastest,
        double      slowest,
        double      points)
{
  g_print ("%-48s %8.3f ms  (min %.3f, max %.3f)", what, median, fastest, slowest);
  if (points > 0)
    g_print ("  %6.1f M points/s", points / (median / 1000.0) / 1e6);
  g_print ("\n");
}

int
main (void)
{
  Bench bench;
  double median, fastest, slowest;
  double total = (double) N_SERIES * N_POINTS;
  gint64 start;
  guint n_vertices;

  bench.series = make_series ();
  bench.painter = vigil_chart_painter_new ();
  bench.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  bench.cr = cairo_create (bench.surface);

  vigil_chart_painter_set_title (bench.painter, "Request latency");
  vigil_chart_painter_set_unit (bench.painter, VIGIL_UNIT_SECONDS);
  vigil_chart_painter_set_series (bench.painter, bench.series);

  g_print ("# bench-chart: %u series x %u points on a %ux%u ARGB32 surface, %u runs each\n",
           N_SERIES, N_POINTS, WIDTH, HEIGHT, N_FRAMES);

  start = g_get_monotonic_time ();
  paint_frame (&bench);
  report ("first frame (decimate + paint)",
          (g_get_monotonic_time () - start) / 1000.0,
          (g_get_monotonic_time () - start) / 1000.0,
          (g_get_monotonic_time () - start) / 1000.0, total);

  n_vertices = vigil_chart_painter_prepare (bench.painter, bench.cr, WIDTH, HEIGHT);
  g_print ("# %u vertices stroked for %.0f samples\n", n_vertices, total);

  median = measure (paint_frame, &bench, &fastest, &slowest);
  report ("frame, cached (the 4 ms target)", median, fastest, slowest, total);

  median = measure (paint_hover_frame, &bench, &fastest, &slowest);
  report ("frame with hover read-out", median, fastest, slowest, total);
  vigil_chart_painter_set_hover (bench.painter, -1);

  median = measure (decimate_only, &bench, &fastest, &slowest);
  report ("decimation alone (new size: layout + decimate)", median, fastest, slowest, total);

  median = measure (new_data_only, &bench, &fastest, &slowest);
  report ("new data (gap scan + layout + decimate)", median, fastest, slowest, total);

  median = measure (resize_frame, &bench, &fastest, &slowest);
  report ("frame while resizing (decimate + draw lines)", median, fastest, slowest, total);

  median = measure (cold_frame, &bench, &fastest, &slowest);
  report ("frame after new data (all of it)", median, fastest, slowest, total);

  median = measure (raw_stroke, &bench, &fastest, &slowest);
  report ("reference: raw stroke, 1 series, no decimation", median, fastest, slowest, N_POINTS);

  cairo_destroy (bench.cr);
  cairo_surface_destroy (bench.surface);
  g_object_unref (bench.painter);
  g_ptr_array_unref (bench.series);

  return EXIT_SUCCESS;
}
