/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-source-config"

#include "config.h"

#include "fuzz.h"
#include "vigil-source-config.h"

/* The `sources` settings key (aa{sv}) as vigil_source_config_list_load()
 * reads it: settings are edited by hand, by dconf-editor and by older or
 * newer Vigils. The same bytes, as text, go through the URL helpers the
 * source editor uses on what the engineer types. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GVariant) sources = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) urls = NULL;

  vigil_fuzz_setup ();

  sources = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("aa{sv}"), bytes, FALSE));
  configs = vigil_source_config_list_load (sources, NULL, NULL);
  g_assert_nonnull (configs);

  for (guint i = 0; i < configs->len; i++)
    {
      VigilSourceConfig *config = g_ptr_array_index (configs, i);
      g_autoptr(GVariant) saved = NULL;
      g_autoptr(VigilSourceConfig) reread = NULL;
      g_autoptr(GError) error = NULL;

      vigil_fuzz_assert_text (config->name);
      if (vigil_source_config_validate (config, &error))
        {
          for (guint j = 0; config->urls != NULL && config->urls[j] != NULL; j++)
            {
              g_autofree char *name = vigil_source_config_name_from_url (config->urls[j]);

              vigil_fuzz_assert_text (name);
            }
        }
      else
        {
          vigil_fuzz_assert_text (error->message);
        }

      /* Saved and read back, a source is the same source. */
      saved = g_variant_ref_sink (vigil_source_config_to_variant (config));
      reread = vigil_source_config_from_variant (saved);
      g_assert_nonnull (reread);
      g_assert_true (vigil_source_config_equal (config, reread));
    }

  if (g_utf8_validate (text, -1, NULL))
    {
      urls = vigil_source_config_split_urls (text);
      for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
        {
          g_autofree char *name = vigil_source_config_name_from_url (urls[i]);

          g_assert_cmpuint (strlen (urls[i]), >, 0);
          vigil_fuzz_assert_text (name);
        }
    }

  return 0;
}
