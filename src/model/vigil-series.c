/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-series"

#include "config.h"

#include <string.h>

#include "vigil-series.h"

struct _VigilSeries
{
  GObject     parent_instance;

  GHashTable *labels;    /* char* -> char*, values never empty */
  GArray     *samples;   /* VigilSample, in the order received */
};

G_DEFINE_FINAL_TYPE (VigilSeries, vigil_series, G_TYPE_OBJECT)

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_quoted (GString    *str,
               const char *value)
{
  /* The escapes PromQL uses in its own label matchers, so that the name can
   * be pasted back into a query. */
  g_string_append_c (str, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"':
          g_string_append (str, "\\\"");
          break;
        case '\\':
          g_string_append (str, "\\\\");
          break;
        case '\n':
          g_string_append (str, "\\n");
          break;
        default:
          g_string_append_c (str, *c);
        }
    }
  g_string_append_c (str, '"');
}

static void
vigil_series_finalize (GObject *object)
{
  VigilSeries *self = (VigilSeries *) object;

  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->samples, g_array_unref);

  G_OBJECT_CLASS (vigil_series_parent_class)->finalize (object);
}

static void
vigil_series_class_init (VigilSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_series_finalize;
}

static void
vigil_series_init (VigilSeries *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->samples = g_array_new (FALSE, FALSE, sizeof (VigilSample));
}

VigilSeries *
vigil_series_new (void)
{
  return g_object_new (VIGIL_TYPE_SERIES, NULL);
}

GHashTable *
vigil_series_get_labels (VigilSeries *self)
{
  g_return_val_if_fail (VIGIL_IS_SERIES (self), NULL);

  return self->labels;
}

const char *
vigil_series_get_label (VigilSeries *self,
                        const char  *name)
{
  g_return_val_if_fail (VIGIL_IS_SERIES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->labels, name);
}

void
vigil_series_set_label (VigilSeries *self,
                        const char  *name,
                        const char  *value)
{
  g_return_if_fail (VIGIL_IS_SERIES (self));
  g_return_if_fail (name != NULL);

  if (name[0] == '\0')
    return;

  /* As for alerts, an empty value is the same as no label. */
  if (value == NULL || value[0] == '\0')
    g_hash_table_remove (self->labels, name);
  else
    g_hash_table_insert (self->labels, g_strdup (name), g_strdup (value));
}

char *
vigil_series_dup_display_name (VigilSeries *self)
{
  g_autoptr(GString) str = NULL;
  g_autofree const char **names = NULL;
  const char *metric;
  guint n_names = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (VIGIL_IS_SERIES (self), NULL);

  str = g_string_new (NULL);
  metric = g_hash_table_lookup (self->labels, "__name__");
  if (metric != NULL)
    g_string_append (str, metric);

  names = (const char **) g_hash_table_get_keys_as_array (self->labels, &n_names);
  qsort (names, n_names, sizeof (char *), compare_names);

  /* A bare metric name reads better than `up{}`; a series with no labels at
   * all (the result of `sum(x)`) still needs something visible. */
  if (metric != NULL && n_names == 1)
    return g_string_free (g_steal_pointer (&str), FALSE);

  g_string_append_c (str, '{');
  for (guint i = 0; i < n_names; i++)
    {
      if (strcmp (names[i], "__name__") == 0)
        continue;

      if (!first)
        g_string_append (str, ", ");
      first = FALSE;

      g_string_append (str, names[i]);
      g_string_append_c (str, '=');
      append_quoted (str, g_hash_table_lookup (self->labels, names[i]));
    }
  g_string_append_c (str, '}');

  return g_string_free (g_steal_pointer (&str), FALSE);
}

void
vigil_series_append (VigilSeries *self,
                     double       time,
                     double       value)
{
  VigilSample sample = { time, value };

  g_return_if_fail (VIGIL_IS_SERIES (self));

  g_array_append_val (self->samples, sample);
}

guint
vigil_series_get_n_samples (VigilSeries *self)
{
  g_return_val_if_fail (VIGIL_IS_SERIES (self), 0);

  return self->samples->len;
}

const VigilSample *
vigil_series_get_samples (VigilSeries *self)
{
  g_return_val_if_fail (VIGIL_IS_SERIES (self), NULL);

  return (const VigilSample *) (gpointer) self->samples->data;
}
