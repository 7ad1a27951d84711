/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert-details"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "vigil-alert-details.h"
#include "vigil-alert-row.h"

#define DURATION_REFRESH_SECONDS 30

struct _VigilAlertDetails
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *title_label;
  GtkLabel            *severity_label;
  GtkLabel            *state_label;
  AdwPreferencesGroup *links_group;
  GtkListBox          *links_list;
  GtkListBox          *overview_list;
  AdwPreferencesGroup *labels_group;
  GtkListBox          *labels_list;
  AdwPreferencesGroup *annotations_group;
  GtkListBox          *annotations_list;

  /* Rows built once; only their values change with the alert. */
  GtkLabel            *state_value;
  GtkLabel            *severity_value;
  GtkLabel            *started_value;
  GtkLabel            *duration_value;
  GtkLabel            *source_value;
  GtkWidget           *receivers_row;
  GtkLabel            *receivers_value;
  GtkLabel            *fingerprint_value;
  GtkWidget           *runbook_row;
  GtkLabel            *runbook_value;
  GtkWidget           *dashboard_row;
  GtkLabel            *dashboard_value;
  GtkWidget           *generator_row;
  GtkLabel            *generator_value;

  VigilAlert          *alert;
  gulong               alert_changed_id;
  /* A copy of the annotations on screen, to rebuild their rows only when
   * an update really changed them. */
  GHashTable          *shown_annotations;
  guint                duration_timeout_id;
};

G_DEFINE_FINAL_TYPE (VigilAlertDetails, vigil_alert_details, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ALERT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/* Annotation names that carry links, in the order Prometheus rule authors
 * commonly use them. */
static const char * const runbook_keys[] = { "runbook_url", "runbook", NULL };
static const char * const dashboard_keys[] = { "dashboard_url", "dashboard", "grafana_url", NULL };

static GtkLabel *
create_value_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Alert text is plain text: wrapped at word or character boundaries
   * (never inside a character), selectable for copying into a ticket. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);

  return GTK_LABEL (label);
}

/* A boxed-list row with a small title over a value, which suits long
 * label values and narrow windows better than a title beside its value. */
static GtkWidget *
create_value_row (const char  *title,
                  GtkLabel   **value_out)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *title_label;
  GtkLabel *value;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  title_label = GTK_WIDGET (create_value_label ());
  gtk_label_set_text (GTK_LABEL (title_label), title);
  gtk_widget_add_css_class (title_label, "caption");
  gtk_widget_add_css_class (title_label, "dim-label");

  value = create_value_label ();

  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (value));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (value_out != NULL)
    *value_out = value;

  return row;
}

/* Link rows open their URL through details.open-url, which validates the
 * target again, so a row can never open something unchecked. */
static GtkWidget *
create_link_row (const char  *title,
                 GtkLabel   **url_out)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *text_box;
  GtkWidget *title_label;
  GtkWidget *url_label;
  GtkWidget *icon;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text_box, TRUE);

  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0.0f);

  url_label = gtk_label_new (NULL);
  gtk_label_set_use_markup (GTK_LABEL (url_label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (url_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (url_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (url_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (url_label, "caption");
  gtk_widget_add_css_class (url_label, "dim-label");

  icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Opens in the web browser"),
                                  -1);

  gtk_box_append (GTK_BOX (text_box), title_label);
  gtk_box_append (GTK_BOX (text_box), url_label);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  *url_out = GTK_LABEL (url_label);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  g_assert (GTK_IS_LIST_BOX (list));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Fills `list` with one row per name, in the model's sorted order, and
 * hides the group when there is nothing to show. */
static void
fill_map_list (AdwPreferencesGroup  *group,
               GtkListBox           *list,
               GHashTable           *map,
               const char          **sorted_names)
{
  guint n = 0;

  g_assert (GTK_IS_LIST_BOX (list));

  clear_list (list);

  for (guint i = 0; sorted_names != NULL && sorted_names[i] != NULL; i++)
    {
      const char *value = map ? g_hash_table_lookup (map, sorted_names[i]) : NULL;
      GtkLabel *value_label;
      GtkWidget *row;

      row = create_value_row (sorted_names[i], &value_label);
      gtk_label_set_text (value_label, value ? value : "");
      gtk_list_box_append (list, row);
      n++;
    }

  gtk_widget_set_visible (GTK_WIDGET (group), n > 0);
}

static gboolean
string_maps_equal (GHashTable *a,
                   GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  if (a == NULL || b == NULL)
    return a == b;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *other = g_hash_table_lookup (b, key);

      if (other == NULL || g_strcmp0 (other, value) != 0)
        return FALSE;
    }

  return TRUE;
}

static char *
dup_joined (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return NULL;

  return g_strjoinv (", ", (char **) strv);
}

static char *
dup_state_text (VigilAlert  *alert,
                const char **short_text)
{
  g_autofree char *silences = NULL;
  g_autofree char *inhibitors = NULL;
  g_autoptr(GString) text = NULL;

  switch (vigil_alert_get_state (alert))
    {
    case VIGIL_ALERT_STATE_ACTIVE:
      *short_text = _("Firing");
      return g_strdup (_("Active: firing, neither silenced nor inhibited"));

    case VIGIL_ALERT_STATE_UNPROCESSED:
      *short_text = _("Firing");
      return g_strdup (_("Active: not yet processed by Alertmanager"));

    case VIGIL_ALERT_STATE_PENDING:
      *short_text = _("Pending");
      return g_strdup (_("Pending: the rule’s condition holds, but not yet for its “for” duration"));

    case VIGIL_ALERT_STATE_SUPPRESSED:
    default:
      break;
    }

  silences = dup_joined (vigil_alert_get_silenced_by (alert));
  inhibitors = dup_joined (vigil_alert_get_inhibited_by (alert));
  text = g_string_new (NULL);

  if (silences != NULL)
    {
      *short_text = _("Silenced");
      /* Translators: %s is a comma-separated list of silence IDs. */
      g_string_append_printf (text, _("Silenced by %s"), silences);
    }

  if (inhibitors != NULL)
    {
      if (silences == NULL)
        *short_text = _("Inhibited");
      else
        g_string_append_c (text, '\n');
      /* Translators: %s is a comma-separated list of alert fingerprints. */
      g_string_append_printf (text, _("Inhibited by %s"), inhibitors);
    }

  if (text->len == 0)
    {
      *short_text = _("Suppressed");
      g_string_append (text, _("Suppressed by Alertmanager"));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_duration (VigilAlertDetails *self)
{
  GDateTime *starts_at;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;

  g_assert (VIGIL_IS_ALERT_DETAILS (self));

  if (self->alert == NULL ||
      (starts_at = vigil_alert_get_starts_at (self->alert)) == NULL)
    {
      gtk_label_set_text (self->duration_value, _("Unknown"));
      return;
    }

  now = g_date_time_new_now_utc ();
  text = vigil_alert_row_format_duration (g_date_time_difference (now, starts_at));
  gtk_label_set_text (self->duration_value, text);
}

static void
update_started (VigilAlertDetails *self)
{
  GDateTime *starts_at = vigil_alert_get_starts_at (self->alert);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *local_text = NULL;
  g_autofree char *utc_text = NULL;
  g_autofree char *text = NULL;

  if (starts_at == NULL)
    {
      gtk_label_set_text (self->started_value, _("Unknown"));
      return;
    }

  /* ISO-style dates read the same in every locale, which matters when the
   * time is pasted into an incident channel; UTC is what the servers log. */
  local = g_date_time_to_local (starts_at);
  utc = g_date_time_to_utc (starts_at);
  utc_text = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");

  if (g_date_time_get_utc_offset (local) == 0)
    {
      gtk_label_set_text (self->started_value, utc_text);
      return;
    }

  local_text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
  text = g_strdup_printf ("%s\n%s", local_text, utc_text);
  gtk_label_set_text (self->started_value, text);
}

/* Shows the first key of `keys` whose annotation is an http(s) URL. */
static gboolean
update_link_row (VigilAlertDetails  *self,
                 GtkWidget          *row,
                 GtkLabel           *url_label,
                 const char         *direct_url,
                 const char * const *keys)
{
  g_autofree char *uri = NULL;

  if (direct_url != NULL)
    uri = vigil_alert_details_dup_http_uri (direct_url);

  for (guint i = 0; uri == NULL && keys != NULL && keys[i] != NULL; i++)
    uri = vigil_alert_details_dup_http_uri (vigil_alert_get_annotation (self->alert, keys[i]));

  gtk_widget_set_visible (row, uri != NULL);

  if (uri == NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), NULL);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), NULL);
      gtk_label_set_text (url_label, "");
      return FALSE;
    }

  /* Target first: an action name without its string target is refused. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (uri));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "details.open-url");
  gtk_label_set_text (url_label, uri);
  gtk_widget_set_tooltip_text (row, uri);

  return TRUE;
}

static void
update_links (VigilAlertDetails *self)
{
  gboolean any = FALSE;

  any |= update_link_row (self, self->runbook_row, self->runbook_value, NULL, runbook_keys);
  any |= update_link_row (self, self->dashboard_row, self->dashboard_value, NULL, dashboard_keys);
  any |= update_link_row (self, self->generator_row, self->generator_value,
                          vigil_alert_get_generator_url (self->alert), NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->links_group), any);
}

/* What may change while an alert keeps its fingerprint: state, times,
 * source, receivers. Cheap label updates that keep the scroll position and
 * any text the engineer is selecting. */
static void
update_overview (VigilAlertDetails *self)
{
  VigilSeverity severity;
  const char *short_state = NULL;
  const char *source;
  g_autofree char *state = NULL;
  g_autofree char *receivers = NULL;

  g_assert (VIGIL_IS_ALERT_DETAILS (self));
  g_assert (self->alert != NULL);

  severity = vigil_alert_get_severity (self->alert);
  state = dup_state_text (self->alert, &short_state);
  source = vigil_alert_get_source (self->alert);
  receivers = dup_joined (vigil_alert_get_receivers (self->alert));

  gtk_label_set_text (self->title_label, vigil_alert_get_summary (self->alert));
  gtk_label_set_text (self->severity_label, vigil_alert_row_severity_label (severity));
  vigil_alert_row_apply_severity (GTK_WIDGET (self->severity_label), severity);
  gtk_label_set_text (self->state_label, short_state);

  gtk_label_set_text (self->state_value, state);
  gtk_label_set_text (self->severity_value, vigil_alert_row_severity_label (severity));
  gtk_label_set_text (self->source_value, source ? source : _("Unknown"));
  gtk_label_set_text (self->fingerprint_value, vigil_alert_get_fingerprint (self->alert));
  gtk_label_set_text (self->receivers_value, receivers ? receivers : "");
  gtk_widget_set_visible (self->receivers_row, receivers != NULL);

  update_started (self);
  update_duration (self);
  update_links (self);
}

static void
fill_labels (VigilAlertDetails *self)
{
  g_autofree const char **names = vigil_alert_dup_sorted_label_names (self->alert);

  fill_map_list (self->labels_group, self->labels_list,
                 vigil_alert_get_labels (self->alert), names);
}

static GHashTable *
copy_string_map (GHashTable *map)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  if (map == NULL)
    return copy;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static void
fill_annotations (VigilAlertDetails *self)
{
  g_autofree const char **names = vigil_alert_dup_sorted_annotation_names (self->alert);
  GHashTable *annotations = vigil_alert_get_annotations (self->alert);

  fill_map_list (self->annotations_group, self->annotations_list, annotations, names);

  g_clear_pointer (&self->shown_annotations, g_hash_table_unref);
  self->shown_annotations = copy_string_map (annotations);
}

static void
update_annotations_if_changed (VigilAlertDetails *self)
{
  if (!string_maps_equal (self->shown_annotations, vigil_alert_get_annotations (self->alert)))
    fill_annotations (self);
}

/* The tracker updates alerts in place: keep what is shown current, without
 * touching the labels (they make the fingerprint, so they never change). */
static void
alert_changed_cb (VigilAlertDetails *self,
                  VigilAlert        *alert G_GNUC_UNUSED)
{
  update_overview (self);
  update_annotations_if_changed (self);
}

static gboolean
duration_timeout_cb (gpointer user_data)
{
  VigilAlertDetails *self = user_data;

  update_duration (self);

  return G_SOURCE_CONTINUE;
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  g_autofree char *uri = NULL;
  GtkRoot *root;

  g_assert (VIGIL_IS_ALERT_DETAILS (widget));
  g_assert (action_name != NULL);

  uri = vigil_alert_details_dup_http_uri (g_variant_get_string (param, NULL));
  if (uri == NULL)
    {
      g_debug ("Refusing to open a link that is not an http(s) URL");
      return;
    }

  root = gtk_widget_get_root (widget);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
vigil_alert_details_map (GtkWidget *widget)
{
  VigilAlertDetails *self = VIGIL_ALERT_DETAILS (widget);

  GTK_WIDGET_CLASS (vigil_alert_details_parent_class)->map (widget);

  update_duration (self);
  if (self->duration_timeout_id == 0)
    self->duration_timeout_id = g_timeout_add_seconds (DURATION_REFRESH_SECONDS,
                                                       duration_timeout_cb, self);
}

static void
vigil_alert_details_unmap (GtkWidget *widget)
{
  VigilAlertDetails *self = VIGIL_ALERT_DETAILS (widget);

  g_clear_handle_id (&self->duration_timeout_id, g_source_remove);

  GTK_WIDGET_CLASS (vigil_alert_details_parent_class)->unmap (widget);
}

static void
vigil_alert_details_dispose (GObject *object)
{
  VigilAlertDetails *self = VIGIL_ALERT_DETAILS (object);

  g_clear_handle_id (&self->duration_timeout_id, g_source_remove);
  if (self->alert != NULL)
    g_clear_signal_handler (&self->alert_changed_id, self->alert);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_ALERT_DETAILS);
  /* GTK 4.8 leaves template children that are not bound to a field. */
  unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->alert);
  g_clear_pointer (&self->shown_annotations, g_hash_table_unref);

  G_OBJECT_CLASS (vigil_alert_details_parent_class)->dispose (object);
}

static void
vigil_alert_details_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VigilAlertDetails *self = VIGIL_ALERT_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      g_value_set_object (value, self->alert);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_details_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VigilAlertDetails *self = VIGIL_ALERT_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      vigil_alert_details_set_alert (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_details_class_init (VigilAlertDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_alert_details_dispose;
  object_class->get_property = vigil_alert_details_get_property;
  object_class->set_property = vigil_alert_details_set_property;

  widget_class->map = vigil_alert_details_map;
  widget_class->unmap = vigil_alert_details_unmap;

  properties[PROP_ALERT] =
    g_param_spec_object ("alert", NULL, NULL,
                         VIGIL_TYPE_ALERT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "details.open-url", "s", open_url_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-alert-details.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, severity_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, state_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, links_group);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, links_list);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, overview_list);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, labels_group);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, labels_list);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, annotations_group);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertDetails, annotations_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vigilalertdetails");
}

static void
vigil_alert_details_init (VigilAlertDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_append (self->overview_list, create_value_row (_("State"), &self->state_value));
  gtk_list_box_append (self->overview_list, create_value_row (_("Severity"), &self->severity_value));
  gtk_list_box_append (self->overview_list, create_value_row (_("Started"), &self->started_value));
  gtk_list_box_append (self->overview_list, create_value_row (_("Duration"), &self->duration_value));
  gtk_list_box_append (self->overview_list, create_value_row (_("Source"), &self->source_value));
  self->receivers_row = create_value_row (_("Receivers"), &self->receivers_value);
  gtk_list_box_append (self->overview_list, self->receivers_row);
  gtk_list_box_append (self->overview_list, create_value_row (_("Fingerprint"), &self->fingerprint_value));

  self->runbook_row = create_link_row (_("Open Runbook"), &self->runbook_value);
  self->dashboard_row = create_link_row (_("Open Dashboard"), &self->dashboard_value);
  self->generator_row = create_link_row (_("Open in Prometheus"), &self->generator_value);
  gtk_list_box_append (self->links_list, self->runbook_row);
  gtk_list_box_append (self->links_list, self->dashboard_row);
  gtk_list_box_append (self->links_list, self->generator_row);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
vigil_alert_details_new (void)
{
  return g_object_new (VIGIL_TYPE_ALERT_DETAILS, NULL);
}

VigilAlert *
vigil_alert_details_get_alert (VigilAlertDetails *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_DETAILS (self), NULL);

  return self->alert;
}

void
vigil_alert_details_set_alert (VigilAlertDetails *self,
                               VigilAlert        *alert)
{
  g_autoptr(VigilAlert) previous = NULL;
  gboolean same_alert;

  g_return_if_fail (VIGIL_IS_ALERT_DETAILS (self));
  g_return_if_fail (alert == NULL || VIGIL_IS_ALERT (alert));

  if (self->alert == alert)
    {
      if (alert != NULL)
        alert_changed_cb (self, alert);
      return;
    }

  if (self->alert != NULL)
    g_clear_signal_handler (&self->alert_changed_id, self->alert);

  previous = g_steal_pointer (&self->alert);
  self->alert = alert ? g_object_ref (alert) : NULL;

  if (alert == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
      return;
    }

  self->alert_changed_id = g_signal_connect_object (alert, "changed",
                                                    G_CALLBACK (alert_changed_cb), self,
                                                    G_CONNECT_SWAPPED);

  /* A different object for the same alert (a source re-added it): labels
   * make the fingerprint, so they cannot have changed, and rebuilding them
   * would lose the scroll position and the engineer's text selection. */
  same_alert = previous != NULL &&
               g_strcmp0 (vigil_alert_get_fingerprint (previous),
                          vigil_alert_get_fingerprint (alert)) == 0;

  update_overview (self);

  if (!same_alert)
    {
      GtkAdjustment *vadjustment;

      fill_labels (self);
      fill_annotations (self);

      vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
    }
  else
    {
      update_annotations_if_changed (self);
    }

  gtk_stack_set_visible_child_name (self->stack, "alert");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
}

char *
vigil_alert_details_dup_http_uri (const char *text)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (text));

  /* GUri accepts spaces and control characters even in strict mode; a URL
   * for the browser must have neither. */
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f)
        return NULL;
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 &&
       g_ascii_strcasecmp (scheme, "https") != 0))
    return NULL;

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return NULL;

  return g_uri_to_string (uri);
}
