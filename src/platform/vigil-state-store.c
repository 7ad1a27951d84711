/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-state-store"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "vigil-state-store.h"

struct _VigilStateStore
{
  GObject  parent_instance;

  GFile   *file;
};

G_DEFINE_FINAL_TYPE (VigilStateStore, vigil_state_store, G_TYPE_OBJECT)

/* The state names alerts, hosts and services: no one else reads it. */
static gboolean
ensure_folder (VigilStateStore  *self,
               GError          **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (self->file);
  g_autofree char *path = g_file_get_path (parent);

  if (path == NULL)
    return TRUE;

  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Vigil could not create the folder %s for its alert state: %s."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
vigil_state_store_finalize (GObject *object)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);

  g_clear_object (&self->file);

  G_OBJECT_CLASS (vigil_state_store_parent_class)->finalize (object);
}

static void
vigil_state_store_class_init (VigilStateStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigil_state_store_finalize;
}

static void
vigil_state_store_init (VigilStateStore *self)
{
}

VigilStateStore *
vigil_state_store_new (GFile *file)
{
  VigilStateStore *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (VIGIL_TYPE_STATE_STORE, NULL);
  self->file = g_object_ref (file);

  return self;
}

VigilStateStore *
vigil_state_store_new_default (void)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "vigil", "alert-state", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return vigil_state_store_new (file);
}

GFile *
vigil_state_store_get_file (VigilStateStore *self)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);

  return self->file;
}

GBytes *
vigil_state_store_load (VigilStateStore  *self,
                        GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);

  /* A few kilobytes, read once at startup before anything polls. */
  if (!g_file_load_contents (self->file, NULL, &contents, &length, NULL, &local_error))
    {
      g_autofree char *path = NULL;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return NULL;

      path = g_file_get_parse_name (self->file);
      g_set_error (error, local_error->domain, local_error->code,
                   _("Vigil could not read its saved alert state from %s: %s."),
                   path, local_error->message);
      return NULL;
    }

  return g_bytes_new_take (contents, length);
}

char *
vigil_state_store_set_aside (VigilStateStore *self,
                             const GError    *reason)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *path = NULL;
  g_autofree char *aside_path = NULL;
  g_autoptr(GFile) aside = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  path = g_file_get_path (self->file);
  aside_path = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  aside = g_file_new_for_path (aside_path);

  if (!g_file_move (self->file, aside, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    return g_strdup_printf (_("Vigil could not use its saved alert state (%s) and starts without it; the file %s could not be moved aside either: %s."),
                            reason->message, path, error->message);

  return g_strdup_printf (_("Vigil could not use its saved alert state (%s) and starts without it; the old file is kept as %s."),
                          reason->message, aside_path);
}

gboolean
vigil_state_store_save (VigilStateStore  *self,
                        GBytes           *bytes,
                        GError          **error)
{
  gsize length;
  const char *data;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!ensure_folder (self, error))
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  /* Written to a temporary file in the same folder, then renamed over. */
  return g_file_replace_contents (self->file, data, length, NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE, NULL, NULL, error);
}

void
vigil_state_store_save_async (VigilStateStore     *self,
                              GBytes              *bytes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VIGIL_IS_STATE_STORE (self));
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_state_store_save_async);

  if (!ensure_folder (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_file_replace_contents_bytes_async (self->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE, cancellable,
                                       replace_cb, g_steal_pointer (&task));
}

gboolean
vigil_state_store_save_finish (VigilStateStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
