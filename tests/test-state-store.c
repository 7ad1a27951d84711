/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "vigil-state-store.h"

typedef struct {
  char  *dir;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("vigil-state-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  /* The folder does not exist yet: saving makes it. */
  path = g_build_filename (fixture->dir, "vigil", "alert-state", NULL);
  fixture->file = g_file_new_for_path (path);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->file);
}

static void
test_missing_is_empty (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = vigil_state_store_new (fixture->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = vigil_state_store_load (store, &error);

  g_assert_no_error (error);
  g_assert_null (bytes);
}

static void
test_save_private_and_atomic (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = vigil_state_store_new (fixture->file);
  g_autoptr(GBytes) first = g_bytes_new_static ("first\n", 6);
  g_autoptr(GBytes) second = g_bytes_new_static ("second\n", 7);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (fixture->file);
  g_autofree char *parent_path = g_file_get_path (parent);
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  guint n_files = 0;

  g_assert_true (vigil_state_store_save (store, first, &error));
  g_assert_no_error (error);
  g_assert_true (vigil_state_store_save (store, second, &error));
  g_assert_no_error (error);

  loaded = vigil_state_store_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, second));

  /* The folder is the user's alone, and no temporary file is left. */
  g_assert_cmpint (g_stat (parent_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  dir = g_dir_open (parent_path, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_state_store_save_finish (VIGIL_STATE_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_save_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = vigil_state_store_new (fixture->file);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("state\n", 6);
  g_autoptr(GBytes) loaded = NULL;
  gboolean done = FALSE;

  vigil_state_store_save_async (store, bytes, NULL, save_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  loaded = vigil_state_store_load (store, NULL);
  g_assert_true (g_bytes_equal (loaded, bytes));
}

static void
test_set_aside (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = vigil_state_store_new (fixture->file);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x01garbage", 8);
  g_autoptr(GError) reason = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line 1 is not a version");
  g_autoptr(GFile) parent = g_file_get_parent (fixture->file);
  g_autofree char *parent_path = g_file_get_path (parent);
  g_autofree char *message = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GBytes) after = NULL;
  const char *name;
  gboolean found = FALSE;

  g_assert_true (vigil_state_store_save (store, garbage, NULL));
  message = vigil_state_store_set_aside (store, reason);

  /* A plain sentence that gives the reason and where the file went. */
  g_assert_nonnull (strstr (message, "line 1 is not a version"));
  g_assert_nonnull (strstr (message, "alert-state.corrupt-"));
  g_assert_true (g_str_has_suffix (message, "."));

  /* The bad file is kept, with its bytes, and the state starts empty. */
  after = vigil_state_store_load (store, NULL);
  g_assert_null (after);
  dir = g_dir_open (parent_path, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "alert-state.corrupt-"))
      {
        g_autofree char *path = g_build_filename (parent_path, name, NULL);
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_cmpmem (contents, length, "\x01garbage", 8);
        found = TRUE;
      }
  g_assert_true (found);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/vigil/state-store/missing-is-empty", Fixture, NULL,
              fixture_set_up, test_missing_is_empty, fixture_tear_down);
  g_test_add ("/vigil/state-store/save-private-and-atomic", Fixture, NULL,
              fixture_set_up, test_save_private_and_atomic, fixture_tear_down);
  g_test_add ("/vigil/state-store/save-async", Fixture, NULL,
              fixture_set_up, test_save_async, fixture_tear_down);
  g_test_add ("/vigil/state-store/set-aside", Fixture, NULL,
              fixture_set_up, test_set_aside, fixture_tear_down);

  return g_test_run ();
}
