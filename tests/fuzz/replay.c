/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include <stdio.h>

#include "fuzz.h"

/* A main() for the fuzz targets without a fuzzing engine: feeds every file
 * of the folders (or the files) given on the command line to
 * LLVMFuzzerTestOneInput once, in name order, so that `meson test` runs
 * each target over its corpus and every reproducer kept there. Also feeds
 * the empty input and each prefix of every file up to 64 bytes, which is
 * where truncated answers break parsers. */

static guint n_inputs;

static void
run_one (const char *data,
         gsize       size)
{
  /* A private copy of exactly `size` bytes, as libFuzzer gives, so that
   * a read past the end is caught by ASan and valgrind here as well.
   * libFuzzer never passes NULL, not even for the empty input. */
  static const uint8_t empty[1];
  g_autofree uint8_t *copy = size > 0 ? g_memdup2 (data, size) : NULL;

  LLVMFuzzerTestOneInput (copy != NULL ? copy : empty, size);
  n_inputs++;
}

static void
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, &error))
    g_error ("%s", error->message);

  run_one (contents, size);
  for (gsize prefix = 1; prefix < MIN (size, 64); prefix++)
    run_one (contents, prefix);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static guint
run_folder (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("%s", error->message);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *path = g_ptr_array_index (names, i);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        run_file (path);
    }

  return names->len;
}

int
main (int   argc,
      char *argv[])
{
  guint n_files = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s FOLDER-OR-FILE...\n", argv[0]);
      return 2;
    }

  run_one ("", 0);

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        n_files += run_folder (argv[i]);
      else
        {
          run_file (argv[i]);
          n_files++;
        }
    }

  /* An empty corpus would make this test pass without testing anything. */
  if (n_files == 0)
    g_error ("no input files in the corpus");

  printf ("%u files, %u inputs, no crash\n", n_files, n_inputs);

  return 0;
}
