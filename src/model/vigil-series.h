/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One sample: time in seconds since the Unix epoch (Prometheus gives
 * milliseconds as a fraction) and the value, which may be NaN or ±Inf. */
typedef struct {
  double time;
  double value;
} VigilSample;

#define VIGIL_TYPE_SERIES (vigil_series_get_type ())
G_DECLARE_FINAL_TYPE (VigilSeries, vigil_series, VIGIL, SERIES, GObject)

VigilSeries       *vigil_series_new          (void);
/* Label map (char* -> char*), owned by the series. */
GHashTable        *vigil_series_get_labels   (VigilSeries *self);
const char        *vigil_series_get_label    (VigilSeries *self,
                                              const char  *name);
void               vigil_series_set_label    (VigilSeries *self,
                                              const char  *name,
                                              const char  *value);
/* `{job="x", code="500"}` style, labels sorted, __name__ first as a prefix. */
char              *vigil_series_dup_display_name (VigilSeries *self);

void               vigil_series_append       (VigilSeries *self,
                                              double       time,
                                              double       value);
guint              vigil_series_get_n_samples (VigilSeries *self);
const VigilSample *vigil_series_get_samples  (VigilSeries *self);

G_END_DECLS
