/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-query-result"

#include "config.h"

#include <math.h>

#include "vigil-query-result.h"

struct _VigilQueryResult
{
  GObject          parent_instance;

  VigilResultType  type;
  GPtrArray       *series;     /* VigilSeries */
  double           time;
  double           scalar;
  char            *string;
  GPtrArray       *warnings;   /* char*, NULL-terminated */
  GPtrArray       *infos;      /* char*, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (VigilQueryResult, vigil_query_result, G_TYPE_OBJECT)

static const char * const *
strings_of (GPtrArray *array)
{
  static const char * const empty[] = { NULL };

  /* A null-terminated GPtrArray that never held anything has no pdata yet. */
  if (array->pdata == NULL)
    return empty;

  return (const char * const *) array->pdata;
}

static void
vigil_query_result_finalize (GObject *object)
{
  VigilQueryResult *self = (VigilQueryResult *) object;

  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->string, g_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_query_result_parent_class)->finalize (object);
}

static void
vigil_query_result_class_init (VigilQueryResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_query_result_finalize;
}

static void
vigil_query_result_init (VigilQueryResult *self)
{
  self->series = g_ptr_array_new_with_free_func (g_object_unref);
  self->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->infos = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  /* Until a value is set there is none, and NaN is what a graph skips. */
  self->time = NAN;
  self->scalar = NAN;
}

VigilQueryResult *
vigil_query_result_new (VigilResultType type)
{
  VigilQueryResult *self;

  g_return_val_if_fail (type <= VIGIL_RESULT_STRING, NULL);

  self = g_object_new (VIGIL_TYPE_QUERY_RESULT, NULL);
  self->type = type;

  return self;
}

VigilResultType
vigil_query_result_get_result_type (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), VIGIL_RESULT_VECTOR);

  return self->type;
}

GPtrArray *
vigil_query_result_get_series (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NULL);

  return self->series;
}

void
vigil_query_result_add_series (VigilQueryResult *self,
                               VigilSeries      *series)
{
  g_return_if_fail (VIGIL_IS_QUERY_RESULT (self));
  g_return_if_fail (VIGIL_IS_SERIES (series));

  g_ptr_array_add (self->series, g_object_ref (series));
}

double
vigil_query_result_get_time (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NAN);

  return self->time;
}

double
vigil_query_result_get_scalar (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NAN);

  return self->scalar;
}

const char *
vigil_query_result_get_string (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NULL);

  return self->string;
}

void
vigil_query_result_set_scalar (VigilQueryResult *self,
                               double            time,
                               double            value)
{
  g_return_if_fail (VIGIL_IS_QUERY_RESULT (self));

  self->time = time;
  self->scalar = value;
}

void
vigil_query_result_set_string (VigilQueryResult *self,
                               double            time,
                               const char       *value)
{
  g_return_if_fail (VIGIL_IS_QUERY_RESULT (self));

  self->time = time;
  g_free (self->string);
  self->string = g_strdup (value);
}

const char * const *
vigil_query_result_get_warnings (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NULL);

  return strings_of (self->warnings);
}

const char * const *
vigil_query_result_get_infos (VigilQueryResult *self)
{
  g_return_val_if_fail (VIGIL_IS_QUERY_RESULT (self), NULL);

  return strings_of (self->infos);
}

void
vigil_query_result_add_warning (VigilQueryResult *self,
                                const char       *text)
{
  g_return_if_fail (VIGIL_IS_QUERY_RESULT (self));
  g_return_if_fail (text != NULL);

  g_ptr_array_add (self->warnings, g_strdup (text));
}

void
vigil_query_result_add_info (VigilQueryResult *self,
                             const char       *text)
{
  g_return_if_fail (VIGIL_IS_QUERY_RESULT (self));
  g_return_if_fail (text != NULL);

  g_ptr_array_add (self->infos, g_strdup (text));
}

const char *
vigil_result_type_to_string (VigilResultType type)
{
  switch (type)
    {
    case VIGIL_RESULT_VECTOR:
      return "vector";
    case VIGIL_RESULT_MATRIX:
      return "matrix";
    case VIGIL_RESULT_SCALAR:
      return "scalar";
    case VIGIL_RESULT_STRING:
      return "string";
    default:
      g_return_val_if_reached (NULL);
    }
}
