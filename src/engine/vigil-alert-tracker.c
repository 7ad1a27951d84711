/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert-tracker"

#include "config.h"

#include "vigil-alert-tracker.h"

/* What the last successful poll of one source reported. */
typedef struct {
  char       *name;
  gboolean    authoritative;
  GHashTable *alerts;            /* fingerprint -> VigilAlert */
} SourceState;

/* What a webhook pushed about one fingerprint, until the polls agree. */
typedef struct {
  char       *source_name;
  VigilAlert *alert;             /* NULL when pushed as resolved */
  gint64      pushed_at;         /* the tracker's clock, µs */
} PushEntry;

struct _VigilAlertTracker
{
  GObject     parent_instance;

  VigilClock *clock;
  GStrv       heartbeat_names;

  GPtrArray  *sources;           /* SourceState, in the order first seen */
  /* The merged alerts shown to the user: one stable object per
   * fingerprint, updated in place so views keep their selection. */
  GListStore *alerts;
  GHashTable *merged;            /* fingerprint -> VigilAlert (owned by `alerts`) */
  /* Fingerprints already announced by alert-fired; forgotten on resolve. */
  GHashTable *announced;
  gboolean    heartbeat_seen;
  /* An Alertmanager is configured, even if it has not answered yet. */
  gboolean    expect_authority;
  GHashTable *pushed;            /* fingerprint -> PushEntry */
};

G_DEFINE_FINAL_TYPE (VigilAlertTracker, vigil_alert_tracker, G_TYPE_OBJECT)

enum {
  ALERT_FIRED,
  ALERT_RESOLVED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
source_state_free (SourceState *state)
{
  g_free (state->name);
  g_hash_table_unref (state->alerts);
  g_free (state);
}

static void
push_entry_free (PushEntry *entry)
{
  g_free (entry->source_name);
  g_clear_object (&entry->alert);
  g_free (entry);
}

static gboolean
push_expired (VigilAlertTracker *self,
              PushEntry         *entry)
{
  return vigil_clock_get_now (self->clock) - entry->pushed_at
         >= VIGIL_ALERT_TRACKER_PUSH_GRACE_SECONDS * G_USEC_PER_SEC;
}

/* Whether a webhook said the alert resolved, recently enough that a poll
 * still listing it may be older than the push. */
static gboolean
resolved_by_push (VigilAlertTracker *self,
                  const char        *fingerprint)
{
  PushEntry *entry = g_hash_table_lookup (self->pushed, fingerprint);

  return entry != NULL && entry->alert == NULL;
}

/* Called with the alerts of a successful poll, before they are merged. */
static void
settle_pushed (VigilAlertTracker *self,
               const char        *source_name,
               gboolean           authoritative,
               GHashTable        *listed)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pushed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PushEntry *entry = value;

      /* Only an Alertmanager's answer can overrule a push; a Prometheus
       * source knows nothing of what Alertmanager sends. */
      if (!authoritative)
        continue;

      /* Resolved by push: it holds until an Alertmanager answers after
       * the grace period, whatever it says then, so a source that cannot
       * be polled never brings the alert back from its old data. */
      if (entry->alert == NULL)
        {
          if (push_expired (self, entry))
            g_hash_table_iter_remove (&iter);
          continue;
        }

      /* Firing by push: listed by Alertmanager, the polls carry it from
       * now on (and know about silences the push could not tell). Not
       * listed by the source it was pushed for, long after the push: the
       * poll is the truth. An Alertmanager that Vigil does not poll can
       * only take it back by pushing the resolution. */
      if (g_hash_table_contains (listed, key)
          || (g_strcmp0 (entry->source_name, source_name) == 0 && push_expired (self, entry)))
        g_hash_table_iter_remove (&iter);
    }
}

static gboolean
forget_pushes_of (VigilAlertTracker *self,
                  const char        *source_name)
{
  GHashTableIter iter;
  gpointer value;
  gboolean dropped = FALSE;

  g_hash_table_iter_init (&iter, self->pushed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PushEntry *entry = value;

      if (g_strcmp0 (entry->source_name, source_name) == 0)
        {
          g_hash_table_iter_remove (&iter);
          dropped = TRUE;
        }
    }

  return dropped;
}

static void
prune_resolved_pushes (VigilAlertTracker *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pushed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PushEntry *entry = value;

      /* Resolutions are settled by polls (settle_pushed); this only keeps
       * the table from growing when no Alertmanager is ever polled. */
      if (entry->alert == NULL
          && vigil_clock_get_now (self->clock) - entry->pushed_at >= G_GINT64_CONSTANT (24 * 3600) * G_USEC_PER_SEC)
        g_hash_table_iter_remove (&iter);
    }
}

static SourceState *
find_source (VigilAlertTracker *self,
             const char        *name)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = g_ptr_array_index (self->sources, i);

      if (g_strcmp0 (state->name, name) == 0)
        return state;
    }

  return NULL;
}

static gboolean
is_heartbeat (VigilAlertTracker *self,
              VigilAlert        *alert)
{
  const char *name = vigil_alert_get_name (alert);

  if (name == NULL)
    return FALSE;

  return self->heartbeat_names != NULL
         && g_strv_contains ((const char * const *) self->heartbeat_names, name);
}

static gboolean
any_authoritative (VigilAlertTracker *self)
{
  if (self->expect_authority)
    return TRUE;

  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = g_ptr_array_index (self->sources, i);

      if (state->authoritative)
        return TRUE;
    }

  return FALSE;
}

/* Of two reports of one fingerprint, the one to show: an authoritative
 * source (Alertmanager knows about silences) beats a Prometheus one, then
 * the most recently updated wins, so HA replicas agree on one version. */
static gboolean
prefer (VigilAlert *candidate,
        gboolean    candidate_authoritative,
        VigilAlert *current,
        gboolean    current_authoritative)
{
  GDateTime *a, *b;

  if (current == NULL)
    return TRUE;
  if (candidate_authoritative != current_authoritative)
    return candidate_authoritative;

  a = vigil_alert_get_updated_at (candidate);
  b = vigil_alert_get_updated_at (current);
  if (a != NULL && b != NULL)
    return g_date_time_compare (a, b) > 0;

  return FALSE;
}

/* Builds fingerprint -> (representative alert) over every source. */
static GHashTable *
collect (VigilAlertTracker *self)
{
  g_autoptr(GHashTable) chosen_authority = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *chosen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean have_authority = any_authoritative (self);

  self->heartbeat_seen = FALSE;

  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = g_ptr_array_index (self->sources, i);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, state->alerts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          VigilAlert *alert = value;
          VigilAlert *current;

          /* A webhook said it resolved; this poll may predate that. A
           * pending report is a new episode that Prometheus is watching. */
          if (resolved_by_push (self, key)
              && vigil_alert_get_state (alert) != VIGIL_ALERT_STATE_PENDING)
            continue;

          if (is_heartbeat (self, alert))
            {
              self->heartbeat_seen = TRUE;
              continue;
            }

          /* Prometheus knows nothing of silences and inhibitions; while an
           * Alertmanager is watched, its firing alerts are Alertmanager's
           * business and only its pending ones add information. */
          if (have_authority && !state->authoritative
              && vigil_alert_get_state (alert) != VIGIL_ALERT_STATE_PENDING)
            continue;

          current = g_hash_table_lookup (chosen, key);
          if (prefer (alert, state->authoritative,
                      current, GPOINTER_TO_INT (g_hash_table_lookup (chosen_authority, key))))
            {
              g_hash_table_insert (chosen, key, alert);
              g_hash_table_insert (chosen_authority, key, GINT_TO_POINTER (state->authoritative));
            }
        }
    }

  /* A pushed alert that is still here is newer than every poll that
   * listed it, since the first Alertmanager poll listing it replaces it. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->pushed);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        PushEntry *entry = value;

        if (entry->alert == NULL)
          continue;

        if (is_heartbeat (self, entry->alert))
          {
            self->heartbeat_seen = TRUE;
            continue;
          }

        g_hash_table_insert (chosen, key, entry->alert);
      }
  }

  return chosen;
}

static void
recompute (VigilAlertTracker *self)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GPtrArray) fired = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean changed = FALSE;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->alerts));
  GHashTableIter iter;
  gpointer key, value;

  prune_resolved_pushes (self);
  chosen = collect (self);

  /* Resolved: shown before, reported by no source now. */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (G_LIST_MODEL (self->alerts), i);

      if (!g_hash_table_contains (chosen, vigil_alert_get_fingerprint (alert)))
        g_ptr_array_add (resolved, g_steal_pointer (&alert));
    }

  if (resolved->len > 0)
    {
      /* Few removals go one by one so views keep their selection; a mass
       * resolve rebuilds the store in one splice instead of n² searches. */
      if (resolved->len < 64)
        {
          for (guint i = 0; i < resolved->len; i++)
            {
              guint position;

              if (g_list_store_find (self->alerts, g_ptr_array_index (resolved, i), &position))
                g_list_store_remove (self->alerts, position);
            }
        }
      else
        {
          g_autoptr(GPtrArray) survivors = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint i = 0; i < n_items; i++)
            {
              g_autoptr(VigilAlert) alert = g_list_model_get_item (G_LIST_MODEL (self->alerts), i);

              if (g_hash_table_contains (chosen, vigil_alert_get_fingerprint (alert)))
                g_ptr_array_add (survivors, g_steal_pointer (&alert));
            }

          g_list_store_splice (self->alerts, 0, n_items, survivors->pdata, survivors->len);
        }

      for (guint i = 0; i < resolved->len; i++)
        {
          VigilAlert *alert = g_ptr_array_index (resolved, i);

          g_hash_table_remove (self->merged, vigil_alert_get_fingerprint (alert));
        }
      changed = TRUE;
    }

  /* Updated in place, or new. */
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      VigilAlert *report = value;
      VigilAlert *shown = g_hash_table_lookup (self->merged, key);

      if (shown != NULL)
        {
          if (vigil_alert_update_from (shown, report))
            changed = TRUE;
        }
      else
        {
          shown = vigil_alert_new ();
          vigil_alert_update_from (shown, report);
          g_hash_table_insert (self->merged,
                               (gpointer) vigil_alert_get_fingerprint (shown),
                               shown);
          g_ptr_array_add (added, shown);
        }

      if (vigil_alert_is_active (shown)
          && !g_hash_table_contains (self->announced, key))
        {
          g_hash_table_add (self->announced, g_strdup (key));
          g_ptr_array_add (fired, g_object_ref (shown));
        }
    }

  if (added->len > 0)
    {
      g_list_store_splice (self->alerts,
                           g_list_model_get_n_items (G_LIST_MODEL (self->alerts)),
                           0, added->pdata, added->len);
      changed = TRUE;
    }

  for (guint i = 0; i < resolved->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (resolved, i);

      g_hash_table_remove (self->announced, vigil_alert_get_fingerprint (alert));
      g_signal_emit (self, signals[ALERT_RESOLVED], 0, alert);
    }

  for (guint i = 0; i < fired->len; i++)
    g_signal_emit (self, signals[ALERT_FIRED], 0, g_ptr_array_index (fired, i));

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
vigil_alert_tracker_finalize (GObject *object)
{
  VigilAlertTracker *self = VIGIL_ALERT_TRACKER (object);

  g_clear_object (&self->clock);
  g_clear_pointer (&self->heartbeat_names, g_strfreev);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->merged, g_hash_table_unref);
  g_clear_object (&self->alerts);
  g_clear_pointer (&self->announced, g_hash_table_unref);
  g_clear_pointer (&self->pushed, g_hash_table_unref);

  G_OBJECT_CLASS (vigil_alert_tracker_parent_class)->finalize (object);
}

static void
vigil_alert_tracker_class_init (VigilAlertTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_alert_tracker_finalize;

  /**
   * VigilAlertTracker::alert-fired:
   * An alert became active (not silenced, not inhibited) for the first
   * time since it was last resolved. Emitted once per fingerprint.
   */
  signals[ALERT_FIRED] =
    g_signal_new ("alert-fired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VIGIL_TYPE_ALERT);
  signals[ALERT_RESOLVED] =
    g_signal_new ("alert-resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VIGIL_TYPE_ALERT);
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_alert_tracker_init (VigilAlertTracker *self)
{
  static const char * const default_heartbeats[] = { "Watchdog", "DeadMansSwitch", NULL };

  self->heartbeat_names = g_strdupv ((char **) default_heartbeats);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_state_free);
  self->alerts = g_list_store_new (VIGIL_TYPE_ALERT);
  self->merged = g_hash_table_new (g_str_hash, g_str_equal);
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) push_entry_free);
}

VigilAlertTracker *
vigil_alert_tracker_new (VigilClock *clock)
{
  VigilAlertTracker *self;

  g_return_val_if_fail (VIGIL_IS_CLOCK (clock), NULL);

  self = g_object_new (VIGIL_TYPE_ALERT_TRACKER, NULL);
  self->clock = g_object_ref (clock);

  return self;
}

void
vigil_alert_tracker_set_heartbeat_names (VigilAlertTracker  *self,
                                         const char * const *names)
{
  g_return_if_fail (VIGIL_IS_ALERT_TRACKER (self));

  g_strfreev (self->heartbeat_names);
  self->heartbeat_names = g_strdupv ((char **) names);
}

void
vigil_alert_tracker_update_source (VigilAlertTracker *self,
                                   const char        *source_name,
                                   gboolean           authoritative,
                                   GPtrArray         *alerts)
{
  SourceState *state;

  g_return_if_fail (VIGIL_IS_ALERT_TRACKER (self));
  g_return_if_fail (source_name != NULL);
  g_return_if_fail (alerts != NULL);

  state = find_source (self, source_name);
  if (state == NULL)
    {
      state = g_new0 (SourceState, 1);
      state->name = g_strdup (source_name);
      state->alerts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      g_ptr_array_add (self->sources, state);
    }

  state->authoritative = authoritative;
  g_hash_table_remove_all (state->alerts);

  for (guint i = 0; i < alerts->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (alerts, i);
      const char *fingerprint = vigil_alert_get_fingerprint (alert);

      if (fingerprint == NULL || *fingerprint == '\0')
        continue;

      g_hash_table_replace (state->alerts, (gpointer) fingerprint, g_object_ref (alert));
    }

  settle_pushed (self, source_name, authoritative, state->alerts);
  recompute (self);
}

void
vigil_alert_tracker_remove_source (VigilAlertTracker *self,
                                   const char        *source_name)
{
  SourceState *state;
  gboolean dropped;

  g_return_if_fail (VIGIL_IS_ALERT_TRACKER (self));

  /* What a push source sent goes with it (a webhook turned off). */
  dropped = forget_pushes_of (self, source_name);

  state = find_source (self, source_name);
  if (state == NULL && !dropped)
    return;

  if (state != NULL)
    g_ptr_array_remove (self->sources, state);
  recompute (self);
}

void
vigil_alert_tracker_push (VigilAlertTracker *self,
                          const char        *source_name,
                          GPtrArray         *firing,
                          GPtrArray         *resolved)
{
  gint64 now;

  g_return_if_fail (VIGIL_IS_ALERT_TRACKER (self));
  g_return_if_fail (source_name != NULL);

  now = vigil_clock_get_now (self->clock);

  /* Resolved first: should one notification list a fingerprint both
   * ways, firing is the safer reading. */
  for (guint i = 0; resolved != NULL && i < resolved->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (resolved, i);
      const char *fingerprint = vigil_alert_get_fingerprint (alert);
      PushEntry *entry;

      if (fingerprint == NULL || *fingerprint == '\0')
        continue;

      entry = g_new0 (PushEntry, 1);
      entry->source_name = g_strdup (source_name);
      entry->pushed_at = now;
      g_hash_table_replace (self->pushed, g_strdup (fingerprint), entry);
    }

  for (guint i = 0; firing != NULL && i < firing->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (firing, i);
      const char *fingerprint = vigil_alert_get_fingerprint (alert);
      PushEntry *entry;

      if (fingerprint == NULL || *fingerprint == '\0')
        continue;

      /* Kept by reference like a poll's alerts, and marked with where it
       * came from: the shown alert copies it at once anyway. */
      vigil_alert_set_source (alert, source_name);
      entry = g_new0 (PushEntry, 1);
      entry->source_name = g_strdup (source_name);
      entry->alert = g_object_ref (alert);
      entry->pushed_at = now;
      g_hash_table_replace (self->pushed, g_strdup (fingerprint), entry);
    }

  recompute (self);
}

GListModel *
vigil_alert_tracker_get_alerts (VigilAlertTracker *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_TRACKER (self), NULL);

  return G_LIST_MODEL (self->alerts);
}

gboolean
vigil_alert_tracker_has_heartbeat (VigilAlertTracker *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_TRACKER (self), FALSE);

  return self->heartbeat_seen;
}

guint
vigil_alert_tracker_count_active (VigilAlertTracker *self,
                                  VigilSeverity      min_severity)
{
  guint n_items, count = 0;

  g_return_val_if_fail (VIGIL_IS_ALERT_TRACKER (self), 0);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->alerts));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (G_LIST_MODEL (self->alerts), i);

      if (vigil_alert_is_active (alert) && vigil_alert_get_severity (alert) >= min_severity)
        count++;
    }

  return count;
}

static int
state_rank (VigilAlert *alert)
{
  switch (vigil_alert_get_state (alert))
    {
    case VIGIL_ALERT_STATE_ACTIVE:
    case VIGIL_ALERT_STATE_UNPROCESSED:
      return 0;
    case VIGIL_ALERT_STATE_PENDING:
      return 1;
    case VIGIL_ALERT_STATE_SUPPRESSED:
    default:
      return 2;
    }
}

int
vigil_alert_compare (VigilAlert *a,
                     VigilAlert *b)
{
  GDateTime *a_start, *b_start;
  int diff;

  g_return_val_if_fail (VIGIL_IS_ALERT (a), 0);
  g_return_val_if_fail (VIGIL_IS_ALERT (b), 0);

  diff = state_rank (a) - state_rank (b);
  if (diff != 0)
    return diff;

  diff = (int) vigil_alert_get_severity (b) - (int) vigil_alert_get_severity (a);
  if (diff != 0)
    return diff;

  a_start = vigil_alert_get_starts_at (a);
  b_start = vigil_alert_get_starts_at (b);
  if (a_start != NULL && b_start != NULL)
    {
      diff = g_date_time_compare (a_start, b_start);
      if (diff != 0)
        return diff;
    }
  else if (a_start != b_start)
    return a_start == NULL ? 1 : -1;

  diff = g_strcmp0 (vigil_alert_get_name (a), vigil_alert_get_name (b));
  if (diff != 0)
    return diff;

  return g_strcmp0 (vigil_alert_get_fingerprint (a), vigil_alert_get_fingerprint (b));
}

void
vigil_alert_tracker_set_expect_alertmanager (VigilAlertTracker *self,
                                             gboolean           expect)
{
  g_return_if_fail (VIGIL_IS_ALERT_TRACKER (self));

  self->expect_authority = !!expect;
}
