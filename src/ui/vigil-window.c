/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-alert-details.h"
#include "vigil-alert-row.h"
#include "vigil-graphs-page.h"
#include "vigil-welcome-page.h"
#include "vigil-window.h"

#define HEALTH_REFRESH_SECONDS 30
/* A source whose last good answer is older than this many poll intervals
 * reads as stale even before the poller marks it. */
#define STALE_AFTER_INTERVALS 3

/* The alert list is one virtualised list made of these groups, each a
 * filter over the same sorted model and each under its own heading, so
 * silenced and inhibited alerts sit apart from the ones that need action
 * and ten thousand alerts still only create the rows on screen. */
typedef enum {
  GROUP_FIRING,
  GROUP_PENDING,
  GROUP_SUPPRESSED,
  N_GROUPS
} AlertGroup;

struct _VigilWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkButton            *back_button;
  GtkButton            *refresh_button;
  GtkStack             *refresh_stack;
  GtkSpinner           *refresh_spinner;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  VigilWelcomePage     *welcome_page;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *alerts_stack_page;
  AdwLeaflet           *leaflet;
  GtkStack             *list_stack;
  AdwStatusPage        *empty_page;
  GtkListView          *alert_list_view;
  VigilAlertDetails    *details;
  VigilGraphsPage      *graphs_page;
  GtkBox               *health_box;

  /* Owned by the GtkWindow:application property. */
  VigilApplication     *application;
  VigilPoller          *poller;
  VigilAlertTracker    *tracker;
  GListModel           *sources;
  GListModel           *alerts;

  GtkSorter            *sorter;
  GtkSortListModel     *sorted;
  GtkFilter            *filters[N_GROUPS];
  GtkFilterListModel   *groups[N_GROUPS];
  GListStore           *headings[N_GROUPS];
  GtkSingleSelection   *selection;

  /* The alert the engineer chose, by fingerprint, so the choice survives
   * a poll that replaces or re-sorts the alert objects. */
  char                 *selected_fingerprint;

  GCancellable         *cancellable;
  gulong                sources_changed_id;
  gulong                source_polled_id;
  gulong                tracker_changed_id;
  guint                 alerts_idle_id;
  guint                 chrome_idle_id;
  guint                 health_timeout_id;
  guint                 refreshing : 1;
  guint                 updating_alerts : 1;
};

G_DEFINE_FINAL_TYPE (VigilWindow, vigil_window, ADW_TYPE_APPLICATION_WINDOW)

static AlertGroup
alert_group (VigilAlert *alert)
{
  switch (vigil_alert_get_state (alert))
    {
    case VIGIL_ALERT_STATE_PENDING:
      return GROUP_PENDING;

    case VIGIL_ALERT_STATE_SUPPRESSED:
      return GROUP_SUPPRESSED;

    case VIGIL_ALERT_STATE_ACTIVE:
    case VIGIL_ALERT_STATE_UNPROCESSED:
    default:
      return GROUP_FIRING;
    }
}

static gboolean
filter_group (gpointer item,
              gpointer user_data)
{
  return alert_group (VIGIL_ALERT (item)) == (AlertGroup) GPOINTER_TO_UINT (user_data);
}

static int
compare_alerts (gconstpointer a,
                gconstpointer b,
                gpointer      user_data G_GNUC_UNUSED)
{
  return vigil_alert_compare ((VigilAlert *) a, (VigilAlert *) b);
}

static char *
dup_heading_text (AlertGroup group,
                  guint      n_items)
{
  switch (group)
    {
    case GROUP_PENDING:
      /* Translators: list heading; %u is the number of alerts under it. */
      return g_strdup_printf (_("Pending (%u)"), n_items);

    case GROUP_SUPPRESSED:
      /* Translators: list heading; %u is the number of alerts under it. */
      return g_strdup_printf (_("Silenced or inhibited (%u)"), n_items);

    case GROUP_FIRING:
    case N_GROUPS:
    default:
      /* Translators: list heading; %u is the number of alerts under it. */
      return g_strdup_printf (_("Firing (%u)"), n_items);
    }
}

static void
update_headings (VigilWindow *self)
{
  guint n_items[N_GROUPS];
  gboolean others;

  for (guint g = 0; g < N_GROUPS; g++)
    n_items[g] = g_list_model_get_n_items (G_LIST_MODEL (self->groups[g]));

  /* A lone "Firing" heading over the only group would say nothing. */
  others = n_items[GROUP_PENDING] > 0 || n_items[GROUP_SUPPRESSED] > 0;

  for (guint g = 0; g < N_GROUPS; g++)
    {
      GListModel *heading = G_LIST_MODEL (self->headings[g]);
      guint have = g_list_model_get_n_items (heading);
      gboolean want = n_items[g] > 0 && (g != GROUP_FIRING || others);

      if (want)
        {
          g_autofree char *text = dup_heading_text (g, n_items[g]);
          g_autoptr(GtkStringObject) current = have ? g_list_model_get_item (heading, 0) : NULL;
          g_autoptr(GtkStringObject) replacement = NULL;

          if (current != NULL &&
              g_strcmp0 (gtk_string_object_get_string (current), text) == 0)
            continue;

          replacement = gtk_string_object_new (text);
          g_list_store_splice (self->headings[g], 0, have, (gpointer *) &replacement, 1);
        }
      else if (have > 0)
        {
          g_list_store_remove_all (self->headings[g]);
        }
    }
}

static void
update_empty_page (VigilWindow *self,
                   gboolean     any_answered,
                   gboolean     any_polled)
{
  if (any_answered)
    {
      adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->empty_page, _("No alerts firing"));
      adw_status_page_set_description (self->empty_page,
                                       _("Vigil keeps watching and will tell you when something fires."));
    }
  else if (!any_polled)
    {
      adw_status_page_set_icon_name (self->empty_page, "content-loading-symbolic");
      adw_status_page_set_title (self->empty_page, _("Checking for alerts…"));
      adw_status_page_set_description (self->empty_page, NULL);
    }
  else
    {
      /* Saying "No alerts firing" when no server answered would be a lie
       * an on-call engineer could act on. */
      adw_status_page_set_icon_name (self->empty_page, "network-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("No source answered"));
      adw_status_page_set_description (self->empty_page,
                                       _("Vigil cannot tell whether alerts are firing. The status line at the bottom says why."));
    }
}

static void
update_alert_counts (VigilWindow *self)
{
  guint n_total = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint n_firing = g_list_model_get_n_items (G_LIST_MODEL (self->groups[GROUP_FIRING]));

  gtk_stack_set_visible_child_name (self->list_stack, n_total > 0 ? "list" : "empty");

  adw_view_stack_page_set_badge_number (self->alerts_stack_page, n_firing);
  adw_view_stack_page_set_needs_attention (self->alerts_stack_page,
                                           vigil_alert_tracker_count_active (self->tracker,
                                                                             VIGIL_SEVERITY_CRITICAL) > 0);
}

static GtkWidget *
create_health_item (const char *icon_name,
                    const char *text,
                    const char *css_class)
{
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (box, css_class);
  gtk_widget_set_tooltip_text (box, text);

  /* The words say it all; the icon is there for the eye. */
  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", icon_name,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);

  /* The source's own words may appear here: plain text only. */
  label = gtk_label_new (NULL);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

/* One item per source: "name: OK", the error sentence, or how long its
 * data has been stale. Errors never hide the last alerts, so the item
 * says how old the alerts on screen are. */
static void
update_health (VigilWindow *self)
{
  GtkWidget *child;
  gint64 now = g_get_real_time ();
  gint64 stale_after;
  gboolean any_answered = FALSE;
  gboolean any_polled = FALSE;
  guint n_sources;

  if (self->sources == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->health_box))) != NULL)
    gtk_box_remove (self->health_box, child);

  stale_after = (gint64) STALE_AFTER_INTERVALS *
                MAX (vigil_poller_get_interval (self->poller), 1u) * G_USEC_PER_SEC;
  n_sources = g_list_model_get_n_items (self->sources);

  for (guint i = 0; i < n_sources; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (self->sources, i);
      VigilSourceHealth health = vigil_source_get_health (source);
      gint64 last_success = vigil_source_get_last_success (source);
      const char *name = vigil_source_get_name (source);
      g_autofree char *text = NULL;
      const char *icon_name;
      const char *css_class;

      if (health == VIGIL_SOURCE_HEALTH_OK && last_success > 0 &&
          now - last_success > stale_after)
        health = VIGIL_SOURCE_HEALTH_STALE;

      switch (health)
        {
        case VIGIL_SOURCE_HEALTH_OK:
          any_answered = any_polled = TRUE;
          icon_name = "emblem-ok-symbolic";
          css_class = "dim-label";
          /* Translators: %s is a source name. */
          text = g_strdup_printf (_("%s: OK"), name);
          break;

        case VIGIL_SOURCE_HEALTH_STALE:
          {
            g_autofree char *age = NULL;

            any_polled = TRUE;
            icon_name = "dialog-warning-symbolic";
            css_class = "warning";
            if (last_success > 0)
              {
                age = vigil_alert_row_format_duration (now - last_success);
                /* Translators: %s is a source name, then a duration ("12 min"). */
                text = g_strdup_printf (_("%s: stale for %s"), name, age);
              }
            else
              {
                /* Translators: %s is a source name. */
                text = g_strdup_printf (_("%s: stale, no data yet"), name);
              }
          }
          break;

        case VIGIL_SOURCE_HEALTH_ERROR:
          {
            const char *message = vigil_source_get_error_message (source);

            any_polled = TRUE;
            icon_name = "dialog-error-symbolic";
            css_class = "error";

            if (message == NULL)
              message = _("It did not answer.");

            if (last_success > 0)
              {
                g_autofree char *age = vigil_alert_row_format_duration (now - last_success);

                /* Translators: a source name, the error sentence, and the age
                 * of the alerts still shown ("12 min"). */
                /* Error sentences usually name the server already. */
                if (strstr (message, name) != NULL)
                  /* Translators: the error sentence, and the age of the
                   * alerts still shown ("12 min"). */
                  text = g_strdup_printf (_("%s (alerts shown are from %s ago)"), message, age);
                else
                  text = g_strdup_printf (_("%s: %s (alerts shown are from %s ago)"),
                                          name, message, age);
              }
            else
              {
                if (strstr (message, name) != NULL)
                  text = g_strdup (message);
                else
                  /* Translators: a source name and the error sentence. */
                  text = g_strdup_printf (_("%s: %s"), name, message);
              }
          }
          break;

        case VIGIL_SOURCE_HEALTH_UNKNOWN:
        default:
          icon_name = "content-loading-symbolic";
          css_class = "dim-label";
          /* Translators: %s is a source name. */
          text = g_strdup_printf (_("%s: checking…"), name);
          break;
        }

      /* TLS checks turned off, or cluster members down: it works, but the
       * engineer must see it, so it is never shown as a plain "OK". */
      if (vigil_source_get_warning (source) != NULL)
        {
          g_autofree char *plain = g_steal_pointer (&text);

          if (health == VIGIL_SOURCE_HEALTH_OK)
            /* Translators: a source name and a warning sentence. */
            text = g_strdup_printf (_("%s: %s"), name, vigil_source_get_warning (source));
          else
            text = g_strdup_printf ("%s %s", plain, vigil_source_get_warning (source));

          if (health != VIGIL_SOURCE_HEALTH_ERROR)
            {
              icon_name = "dialog-warning-symbolic";
              css_class = "warning";
            }
        }

      gtk_box_append (self->health_box, create_health_item (icon_name, text, css_class));
    }

  update_empty_page (self, any_answered, any_polled);
}

static void
update_back_button (VigilWindow *self)
{
  gboolean on_details =
    g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0 &&
    g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "alerts") == 0 &&
    adw_leaflet_get_folded (self->leaflet) &&
    g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), on_details);
}

static void
update_switcher_bar (VigilWindow *self)
{
  gboolean main_shown = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;

  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    main_shown &&
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static void
update_refresh_action (VigilWindow *self)
{
  gboolean main_shown = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", main_shown && !self->refreshing);
}

/* The welcome page until a source exists, and while it still shows the
 * answers to "Connect". */
static void
update_main_view (VigilWindow *self)
{
  gboolean show_main;

  show_main = self->sources != NULL &&
              g_list_model_get_n_items (self->sources) > 0 &&
              !vigil_welcome_page_get_keep_visible (self->welcome_page);

  gtk_stack_set_visible_child_name (self->main_stack, show_main ? "main" : "welcome");
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, show_main);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), show_main);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page", show_main);

  update_refresh_action (self);
  update_switcher_bar (self);
  update_back_button (self);
}

static void
set_refreshing (VigilWindow *self,
                gboolean     refreshing)
{
  self->refreshing = !!refreshing;

  gtk_stack_set_visible_child_name (self->refresh_stack, refreshing ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->refresh_spinner, refreshing);
  update_refresh_action (self);
}

static guint
find_alert_position (VigilWindow *self,
                     const char  *fingerprint)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (VIGIL_IS_ALERT (item) &&
          g_strcmp0 (vigil_alert_get_fingerprint (VIGIL_ALERT (item)), fingerprint) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
clear_selection (VigilWindow *self)
{
  g_clear_pointer (&self->selected_fingerprint, g_free);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  vigil_alert_details_set_alert (self->details, NULL);
}

/* After the model changed: select the engineer's alert again if a poll
 * replaced or moved it, or empty the details once it is gone. */
static void
restore_selection (VigilWindow *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);
  guint position;

  if (VIGIL_IS_ALERT (item))
    {
      /* Same object, maybe updated in place. */
      vigil_alert_details_set_alert (self->details, item);
      return;
    }

  if (self->selected_fingerprint == NULL)
    return;

  position = find_alert_position (self, self->selected_fingerprint);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
  else
    clear_selection (self);
}

static gboolean
alerts_idle_cb (gpointer user_data)
{
  VigilWindow *self = user_data;

  self->alerts_idle_id = 0;
  self->updating_alerts = TRUE;

  /* The tracker updates alerts in place (one object per fingerprint), and
   * a silenced or resolved-then-refiring alert changes group and rank
   * without any items-changed: sort and group everything again. Both
   * models only emit the differences. */
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  for (guint g = 0; g < N_GROUPS; g++)
    gtk_filter_changed (self->filters[g], GTK_FILTER_CHANGE_DIFFERENT);

  update_alert_counts (self);
  restore_selection (self);

  self->updating_alerts = FALSE;

  return G_SOURCE_REMOVE;
}

static void
queue_alerts_update (VigilWindow *self)
{
  /* One pass per burst: a poll round updates every source in turn. */
  if (self->alerts_idle_id == 0)
    self->alerts_idle_id = g_idle_add (alerts_idle_cb, self);
}

static void
show_details (VigilWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "details");
}

static void
tracker_changed_cb (VigilWindow       *self,
                    VigilAlertTracker *tracker G_GNUC_UNUSED)
{
  queue_alerts_update (self);
}

/* Connected after the flatten model's own handler, so headings change
 * only once the list has taken in the group's change. */
static void
group_changed_cb (VigilWindow *self,
                  guint        position G_GNUC_UNUSED,
                  guint        removed G_GNUC_UNUSED,
                  guint        added G_GNUC_UNUSED,
                  GListModel  *group G_GNUC_UNUSED)
{
  update_headings (self);
  update_alert_counts (self);
}

static void
selection_changed_cb (VigilWindow        *self,
                      GParamSpec         *pspec G_GNUC_UNUSED,
                      GtkSingleSelection *selection)
{
  gpointer item = gtk_single_selection_get_selected_item (selection);
  const char *fingerprint;
  gboolean is_new;

  if (!VIGIL_IS_ALERT (item))
    {
      /* Lost through a model change, not by the engineer: keep showing
       * the details and look for the alert again once the burst is over
       * (the pass under way does that itself at its end). */
      if (self->selected_fingerprint != NULL && !self->updating_alerts)
        queue_alerts_update (self);
      return;
    }

  fingerprint = vigil_alert_get_fingerprint (item);
  is_new = g_strcmp0 (fingerprint, self->selected_fingerprint) != 0;

  g_free (self->selected_fingerprint);
  self->selected_fingerprint = g_strdup (fingerprint);
  vigil_alert_details_set_alert (self->details, item);

  /* Re-selecting the same alert after a poll must not pull a folded
   * window away from the list. */
  if (is_new)
    show_details (self);
}

static void
list_activate_cb (VigilWindow *self,
                  guint        position,
                  GtkListView *list_view G_GNUC_UNUSED)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (!VIGIL_IS_ALERT (item))
    return;

  gtk_single_selection_set_selected (self->selection, position);
  show_details (self);
}

static void
setup_list_item_cb (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
                    GtkListItem              *list_item,
                    gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *box;
  GtkWidget *heading;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_add_css_class (heading, "alert-list-heading");

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), vigil_alert_row_new ());
  gtk_list_item_set_child (list_item, box);
}

static void
bind_list_item_cb (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
                   GtkListItem              *list_item,
                   gpointer                  user_data G_GNUC_UNUSED)
{
  gpointer item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *row = gtk_widget_get_last_child (box);
  gboolean is_heading = GTK_IS_STRING_OBJECT (item);

  gtk_widget_set_visible (heading, is_heading);
  gtk_widget_set_visible (row, !is_heading);
  gtk_list_item_set_selectable (list_item, !is_heading);
  gtk_list_item_set_activatable (list_item, !is_heading);

  if (is_heading)
    {
      gtk_label_set_text (GTK_LABEL (heading), gtk_string_object_get_string (item));
      vigil_alert_row_set_alert (VIGIL_ALERT_ROW (row), NULL);
    }
  else
    {
      vigil_alert_row_set_alert (VIGIL_ALERT_ROW (row), item);
    }
}

static void
unbind_list_item_cb (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
                     GtkListItem              *list_item,
                     gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);

  vigil_alert_row_set_alert (VIGIL_ALERT_ROW (gtk_widget_get_last_child (box)), NULL);
}

static void
sources_changed_cb (VigilWindow *self,
                    guint        position G_GNUC_UNUSED,
                    guint        removed G_GNUC_UNUSED,
                    guint        added G_GNUC_UNUSED,
                    GListModel  *sources G_GNUC_UNUSED)
{
  update_main_view (self);
  update_health (self);
}

static void
source_polled_cb (VigilWindow *self,
                  VigilSource *source G_GNUC_UNUSED,
                  GPtrArray   *alerts G_GNUC_UNUSED,
                  VigilPoller *poller G_GNUC_UNUSED)
{
  update_health (self);
}

static gboolean
health_timeout_cb (gpointer user_data)
{
  update_health (VIGIL_WINDOW (user_data));

  return G_SOURCE_CONTINUE;
}

static void
keep_visible_changed_cb (VigilWindow      *self,
                         GParamSpec       *pspec G_GNUC_UNUSED,
                         VigilWelcomePage *welcome_page G_GNUC_UNUSED)
{
  update_main_view (self);
}

static gboolean
chrome_idle_cb (gpointer user_data)
{
  VigilWindow *self = user_data;

  self->chrome_idle_id = 0;

  /* Folding while an alert is open keeps it open. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      self->selected_fingerprint != NULL &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "list") == 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "details");

  update_switcher_bar (self);
  update_back_button (self);

  return G_SOURCE_REMOVE;
}

/* "folded" and "title-visible" change while the window is being laid out;
 * showing or hiding header bar buttons right then would resize widgets in
 * the middle of a frame, so the header follows in an idle. */
static void
layout_changed_cb (VigilWindow *self,
                   GParamSpec  *pspec G_GNUC_UNUSED,
                   GObject     *object G_GNUC_UNUSED)
{
  if (self->chrome_idle_id == 0)
    self->chrome_idle_id = g_idle_add (chrome_idle_cb, self);
}

static void
leaflet_child_changed_cb (VigilWindow *self,
                          GParamSpec  *pspec G_GNUC_UNUSED,
                          AdwLeaflet  *leaflet)
{
  /* Back on the list of a folded window (button or swipe): let a tap on
   * the same row open it again. */
  if (adw_leaflet_get_folded (leaflet) &&
      self->selected_fingerprint != NULL &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "list") == 0)
    clear_selection (self);

  update_back_button (self);
}

static void
view_changed_cb (VigilWindow *self,
                 GParamSpec  *pspec G_GNUC_UNUSED,
                 GObject     *object G_GNUC_UNUSED)
{
  update_switcher_bar (self);
  update_back_button (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VigilWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean all_answered;

  all_answered = vigil_poller_poll_once_finish (VIGIL_POLLER (object), result, &error);

  /* Also covers a poller finishing normally after the window went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  set_refreshing (self, FALSE);
  update_health (self);

  /* Toast titles are markup: only our own fixed words go there. The
   * servers' sentences are in the status line, as plain text. */
  if (!all_answered)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("Not every source answered; the status line says why")));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *param G_GNUC_UNUSED)
{
  VigilWindow *self = VIGIL_WINDOW (widget);

  if (self->refreshing || self->poller == NULL)
    return;

  set_refreshing (self, TRUE);
  vigil_poller_poll_once_async (self->poller,
                                self->cancellable,
                                refresh_cb,
                                g_object_ref (self));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *param)
{
  VigilWindow *self = VIGIL_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (g_strcmp0 (name, "alerts") == 0 || g_strcmp0 (name, "graphs") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
show_alert_list_action (GtkWidget  *widget,
                        const char *action_name G_GNUC_UNUSED,
                        GVariant   *param G_GNUC_UNUSED)
{
  VigilWindow *self = VIGIL_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    clear_selection (self);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
about_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *param G_GNUC_UNUSED)
{
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Vigil"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Vigil developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Vigil watches Prometheus and Alertmanager while you are on call, so that no firing alert goes unnoticed."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
bind_application (VigilWindow      *self,
                  VigilApplication *application)
{
  GSettings *settings = vigil_application_get_settings (application);
  GtkListItemFactory *factory;
  GListStore *sections;
  GtkFlattenListModel *flat;

  self->application = application;
  self->poller = g_object_ref (vigil_application_get_poller (application));
  self->tracker = g_object_ref (vigil_application_get_tracker (application));
  self->sources = g_object_ref (vigil_poller_get_sources (self->poller));
  self->alerts = g_object_ref (vigil_alert_tracker_get_alerts (self->tracker));

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  /* tracker -> sorted -> one filter per group -> headings interleaved ->
   * flattened -> single selection -> list view */
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_alerts, NULL, NULL));
  self->sorted = gtk_sort_list_model_new (g_object_ref (self->alerts), g_object_ref (self->sorter));
  /* Re-sorting ten thousand alerts at once could stall a frame. */
  gtk_sort_list_model_set_incremental (self->sorted, TRUE);

  sections = g_list_store_new (G_TYPE_LIST_MODEL);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      self->filters[g] = GTK_FILTER (gtk_custom_filter_new (filter_group, GUINT_TO_POINTER (g), NULL));
      self->groups[g] = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                                   g_object_ref (self->filters[g]));
      self->headings[g] = g_list_store_new (GTK_TYPE_STRING_OBJECT);

      g_list_store_append (sections, self->headings[g]);
      g_list_store_append (sections, self->groups[g]);
    }

  flat = gtk_flatten_list_model_new (G_LIST_MODEL (sections));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (flat));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);

  for (guint g = 0; g < N_GROUPS; g++)
    g_signal_connect_object (self->groups[g], "items-changed",
                             G_CALLBACK (group_changed_cb), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_list_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_list_item_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_list_item_cb), NULL);
  gtk_list_view_set_factory (self->alert_list_view, factory);
  g_object_unref (factory);

  gtk_list_view_set_model (self->alert_list_view, GTK_SELECTION_MODEL (self->selection));

  /* Additions and removals reach the list through the models; "changed"
   * also covers alerts updated in place. */
  self->tracker_changed_id =
    g_signal_connect_object (self->tracker, "changed",
                             G_CALLBACK (tracker_changed_cb), self, G_CONNECT_SWAPPED);
  self->sources_changed_id =
    g_signal_connect_object (self->sources, "items-changed",
                             G_CALLBACK (sources_changed_cb), self, G_CONNECT_SWAPPED);
  self->source_polled_id =
    g_signal_connect_object (self->poller, "source-polled",
                             G_CALLBACK (source_polled_cb), self, G_CONNECT_SWAPPED);

  vigil_welcome_page_set_application (self->welcome_page, application);
  vigil_graphs_page_set_application (self->graphs_page, application);

  self->health_timeout_id = g_timeout_add_seconds (HEALTH_REFRESH_SECONDS, health_timeout_cb, self);

  update_headings (self);
  update_alert_counts (self);
  update_health (self);
  update_main_view (self);
}

static void
vigil_window_dispose (GObject *object)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->alerts_idle_id, g_source_remove);
  g_clear_handle_id (&self->chrome_idle_id, g_source_remove);
  g_clear_handle_id (&self->health_timeout_id, g_source_remove);

  /* The poller, its sources and the tracker outlive the window (Vigil
   * keeps watching with the window closed). */
  if (self->tracker != NULL)
    g_clear_signal_handler (&self->tracker_changed_id, self->tracker);
  if (self->sources != NULL)
    g_clear_signal_handler (&self->sources_changed_id, self->sources);
  if (self->poller != NULL)
    g_clear_signal_handler (&self->source_polled_id, self->poller);

  /* Widgets being torn down below may still notify; our handlers would
   * then find the template pointers already cleared. */
  if (self->welcome_page != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->welcome_page, self);
      g_signal_handlers_disconnect_by_data (self->leaflet, self);
      g_signal_handlers_disconnect_by_data (self->view_stack, self);
      g_signal_handlers_disconnect_by_data (self->main_stack, self);
      g_signal_handlers_disconnect_by_data (self->switcher_title, self);
      g_signal_handlers_disconnect_by_data (self->alert_list_view, self);
    }
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      if (self->groups[g] != NULL)
        g_signal_handlers_disconnect_by_data (self->groups[g], self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_WINDOW);

  g_clear_object (&self->selection);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_clear_object (&self->headings[g]);
      g_clear_object (&self->groups[g]);
      g_clear_object (&self->filters[g]);
    }
  g_clear_object (&self->sorted);
  g_clear_object (&self->sorter);
  g_clear_object (&self->alerts);
  g_clear_object (&self->sources);
  g_clear_object (&self->tracker);
  g_clear_object (&self->poller);
  self->application = NULL;

  G_OBJECT_CLASS (vigil_window_parent_class)->dispose (object);
}

static void
vigil_window_finalize (GObject *object)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  g_clear_pointer (&self->selected_fingerprint, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_window_parent_class)->finalize (object);
}

/* Acknowledges the selected alert, or takes back its acknowledgement. */
static void
acknowledge_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VigilWindow *self = VIGIL_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gpointer item = gtk_single_selection_get_selected_item (self->selection);
  const char *fingerprint;
  VigilAlertLifecycle *lifecycle;

  if (!VIGIL_IS_APPLICATION (app) || !VIGIL_IS_ALERT (item))
    return;

  fingerprint = vigil_alert_get_fingerprint (item);
  lifecycle = vigil_application_get_lifecycle (VIGIL_APPLICATION (app));
  vigil_application_acknowledge (VIGIL_APPLICATION (app), fingerprint,
                                 !vigil_alert_lifecycle_is_acknowledged (lifecycle, fingerprint));
}

static void
vigil_window_class_init (VigilWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_window_dispose;
  object_class->finalize = vigil_window_finalize;

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-alert-list", NULL, show_alert_list_action);
  gtk_widget_class_install_action (widget_class, "win.about", NULL, about_action);
  gtk_widget_class_install_action (widget_class, "win.acknowledge", NULL, acknowledge_action);

  /* Shortcuts live with the window, not in the application, so they
   * work whoever creates it; the menu shows them through "accel". */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.acknowledge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.acknowledge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "alerts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "graphs");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK, "app.quit", NULL);

  g_type_ensure (VIGIL_TYPE_ALERT_DETAILS);
  g_type_ensure (VIGIL_TYPE_GRAPHS_PAGE);
  g_type_ensure (VIGIL_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, alerts_stack_page);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, alert_list_view);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, details);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, graphs_page);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, health_box);
}

static void
vigil_window_init (VigilWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->welcome_page, "notify::keep-visible",
                           G_CALLBACK (keep_visible_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (layout_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child",
                           G_CALLBACK (leaflet_child_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (view_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_stack, "notify::visible-child",
                           G_CALLBACK (view_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (layout_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alert_list_view, "activate",
                           G_CALLBACK (list_activate_cb), self, G_CONNECT_SWAPPED);

  /* Until an application is bound there is nothing to poll. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page", FALSE);
}

GtkWidget *
vigil_window_new (VigilApplication *app)
{
  VigilWindow *self;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (app), NULL);

  self = g_object_new (VIGIL_TYPE_WINDOW,
                       "application", app,
                       NULL);
  bind_application (self, app);

  return GTK_WIDGET (self);
}

void
vigil_window_select_alert (VigilWindow *self,
                           const char  *fingerprint)
{
  guint position;

  g_return_if_fail (VIGIL_IS_WINDOW (self));
  g_return_if_fail (fingerprint != NULL);

  position = find_alert_position (self, fingerprint);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "alerts");
  gtk_single_selection_set_selected (self->selection, position);
  show_details (self);
}
