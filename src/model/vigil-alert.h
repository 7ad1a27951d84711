/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What the alert's source says about it. Alertmanager reports active,
 * suppressed (silenced or inhibited) and unprocessed; Prometheus' own alert
 * list reports firing (mapped to active) and pending. */
typedef enum {
  VIGIL_ALERT_STATE_ACTIVE,
  VIGIL_ALERT_STATE_SUPPRESSED,
  VIGIL_ALERT_STATE_UNPROCESSED,
  VIGIL_ALERT_STATE_PENDING,
} VigilAlertState;

/* Ordered so that a larger value is more severe. */
typedef enum {
  VIGIL_SEVERITY_NONE,
  VIGIL_SEVERITY_INFO,
  VIGIL_SEVERITY_WARNING,
  VIGIL_SEVERITY_CRITICAL,
} VigilSeverity;

/* Enum types, so that the alert's `state` and `severity` can be properties
 * (and be bound or used in GtkExpressions). */
#define VIGIL_TYPE_ALERT_STATE (vigil_alert_state_get_type ())
GType vigil_alert_state_get_type (void);
#define VIGIL_TYPE_SEVERITY (vigil_severity_get_type ())
GType vigil_severity_get_type (void);

/* Properties (notified only on real change): fingerprint, state,
 * silenced-by, inhibited-by, receivers, starts-at, ends-at, updated-at,
 * generator-url, source, value; read-only, derived from labels and
 * annotations: name, severity, summary. */
#define VIGIL_TYPE_ALERT (vigil_alert_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlert, vigil_alert, VIGIL, ALERT, GObject)

VigilAlert      *vigil_alert_new                 (void);

const char      *vigil_alert_get_fingerprint     (VigilAlert      *self);
void             vigil_alert_set_fingerprint     (VigilAlert      *self,
                                                  const char      *fingerprint);
/* Label and annotation maps (char* -> char*), owned by the alert. An empty
 * label value counts as absent, so setters drop it (and an empty annotation
 * says nothing, so it is dropped too); a NULL value removes the entry. */
GHashTable      *vigil_alert_get_labels          (VigilAlert      *self);
GHashTable      *vigil_alert_get_annotations     (VigilAlert      *self);
const char      *vigil_alert_get_label           (VigilAlert      *self,
                                                  const char      *name);
void             vigil_alert_set_label           (VigilAlert      *self,
                                                  const char      *name,
                                                  const char      *value);
const char      *vigil_alert_get_annotation      (VigilAlert      *self,
                                                  const char      *name);
void             vigil_alert_set_annotation      (VigilAlert      *self,
                                                  const char      *name,
                                                  const char      *value);
/* Label names sorted, for stable display. Free the array, not the strings. */
const char     **vigil_alert_dup_sorted_label_names      (VigilAlert *self);
const char     **vigil_alert_dup_sorted_annotation_names (VigilAlert *self);

VigilAlertState  vigil_alert_get_state           (VigilAlert      *self);
void             vigil_alert_set_state           (VigilAlert      *self,
                                                  VigilAlertState  state);
/* Silence IDs and inhibiting alert fingerprints; NULL-terminated, maybe empty. */
const char * const *vigil_alert_get_silenced_by  (VigilAlert      *self);
void             vigil_alert_set_silenced_by     (VigilAlert      *self,
                                                  const char * const *ids);
const char * const *vigil_alert_get_inhibited_by (VigilAlert      *self);
void             vigil_alert_set_inhibited_by    (VigilAlert      *self,
                                                  const char * const *fingerprints);
const char * const *vigil_alert_get_receivers    (VigilAlert      *self);
void             vigil_alert_set_receivers       (VigilAlert      *self,
                                                  const char * const *receivers);

/* Times are UTC; NULL when the source did not give one. */
GDateTime       *vigil_alert_get_starts_at       (VigilAlert      *self);
void             vigil_alert_set_starts_at       (VigilAlert      *self,
                                                  GDateTime       *when);
GDateTime       *vigil_alert_get_ends_at         (VigilAlert      *self);
void             vigil_alert_set_ends_at         (VigilAlert      *self,
                                                  GDateTime       *when);
GDateTime       *vigil_alert_get_updated_at      (VigilAlert      *self);
void             vigil_alert_set_updated_at      (VigilAlert      *self,
                                                  GDateTime       *when);
const char      *vigil_alert_get_generator_url   (VigilAlert      *self);
void             vigil_alert_set_generator_url   (VigilAlert      *self,
                                                  const char      *url);
/* The value of the rule's expression when Prometheus evaluated it (its
 * /api/v1/alerts `value`); NaN, +Inf and -Inf are values like any other.
 * NaN too when the source gives none (Alertmanager does not). */
double           vigil_alert_get_value           (VigilAlert      *self);
void             vigil_alert_set_value           (VigilAlert      *self,
                                                  double           value);
/* The name of the source (as configured) that reported the alert. */
const char      *vigil_alert_get_source          (VigilAlert      *self);
void             vigil_alert_set_source          (VigilAlert      *self,
                                                  const char      *source);

/* Copies everything `other` reports into `self` (fingerprint included when
 * `self` has none) and emits VigilAlert::changed when anything differed.
 * Returns whether it did. Views keep one object per fingerprint this way. */
gboolean         vigil_alert_update_from         (VigilAlert      *self,
                                                  VigilAlert      *other);

/* Derived values. The severity comes from the `severity` label:
 * critical/page/error, warning/warn, any other word is info, and no label
 * is NONE (case-insensitive). */
const char      *vigil_alert_get_name            (VigilAlert      *self);
VigilSeverity    vigil_alert_get_severity        (VigilAlert      *self);
/* The summary annotation, else the alertname, else the fingerprint, else
 * "" (never NULL). */
const char      *vigil_alert_get_summary         (VigilAlert      *self);
/* Whether the alert is a heartbeat (Watchdog, DeadMansSwitch) by name. */
gboolean         vigil_alert_is_heartbeat        (VigilAlert      *self);
/* Active or unprocessed: the states that should reach the engineer. */
gboolean         vigil_alert_is_active           (VigilAlert      *self);
/* A fingerprint from the sorted label set, for sources (Prometheus'
 * /api/v1/alerts) that do not give one. Stable across runs. */
char            *vigil_alert_compute_fingerprint (VigilAlert      *self);

VigilSeverity    vigil_severity_from_string      (const char      *word);
const char      *vigil_severity_to_string        (VigilSeverity    severity);
const char      *vigil_alert_state_to_string     (VigilAlertState  state);

G_END_DECLS
