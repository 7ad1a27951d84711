/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "vigil-series.h"

G_BEGIN_DECLS

typedef enum {
  VIGIL_RESULT_VECTOR,
  VIGIL_RESULT_MATRIX,
  VIGIL_RESULT_SCALAR,
  VIGIL_RESULT_STRING,
} VigilResultType;

/* The `data` of a successful Prometheus query answer. A vector's series hold
 * one sample each, a matrix's many. A scalar or string is one value, never a
 * list of series. */
#define VIGIL_TYPE_QUERY_RESULT (vigil_query_result_get_type ())
G_DECLARE_FINAL_TYPE (VigilQueryResult, vigil_query_result, VIGIL, QUERY_RESULT, GObject)

VigilQueryResult *vigil_query_result_new             (VigilResultType   type);
VigilResultType   vigil_query_result_get_result_type (VigilQueryResult *self);
/* Array of VigilSeries (vector and matrix; empty for scalar and string). */
GPtrArray        *vigil_query_result_get_series      (VigilQueryResult *self);
void              vigil_query_result_add_series      (VigilQueryResult *self,
                                                      VigilSeries      *series);
/* Scalar and string results: evaluation time and value. */
double            vigil_query_result_get_time        (VigilQueryResult *self);
double            vigil_query_result_get_scalar      (VigilQueryResult *self);
const char       *vigil_query_result_get_string      (VigilQueryResult *self);
void              vigil_query_result_set_scalar      (VigilQueryResult *self,
                                                      double            time,
                                                      double            value);
void              vigil_query_result_set_string      (VigilQueryResult *self,
                                                      double            time,
                                                      const char       *value);
/* Warnings and infos the server attached to a successful answer. */
const char * const *vigil_query_result_get_warnings  (VigilQueryResult *self);
const char * const *vigil_query_result_get_infos     (VigilQueryResult *self);
void              vigil_query_result_add_warning     (VigilQueryResult *self,
                                                      const char       *text);
void              vigil_query_result_add_info        (VigilQueryResult *self,
                                                      const char       *text);

const char       *vigil_result_type_to_string        (VigilResultType   type);

G_END_DECLS
