/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VIGIL_STATUS_FORMAT_TEXT,
  VIGIL_STATUS_FORMAT_JSON,
  VIGIL_STATUS_FORMAT_WAYBAR,
} VigilStatusFormat;

/* Parses "text", "json", "waybar"; FALSE on anything else. */
gboolean vigil_status_format_from_string (const char        *word,
                                          VigilStatusFormat *format);

/* What `vigil --status` prints: `sources` is a GListModel of VigilSource,
 * `alerts` a GListModel of VigilAlert (already merged and sorted). */
char    *vigil_status_report_format      (VigilStatusFormat  format,
                                          GListModel        *sources,
                                          GListModel        *alerts);
/* The same, with a problem found before polling (a source that could not
 * be set up, in words), which makes the report not ok. */
char    *vigil_status_report_format_with_problem (VigilStatusFormat  format,
                                                  GListModel        *sources,
                                                  GListModel        *alerts,
                                                  const char        *problem_before_polling);

/* Where the engineer stands with one alert, from Vigil's saved state:
 * whether it is acknowledged and its escalation level (0 when unknown). */
typedef gboolean (*VigilStatusAlarmFunc) (const char *fingerprint,
                                          guint      *escalation_level,
                                          gpointer    user_data);

/* The same, each alert with `acknowledged` and `escalation_level` (JSON)
 * or an “[acknowledged]” / “[level N]” mark (text) from `alarm_func`. */
char    *vigil_status_report_format_full (VigilStatusFormat     format,
                                          GListModel           *sources,
                                          GListModel           *alerts,
                                          const char           *problem_before_polling,
                                          VigilStatusAlarmFunc  alarm_func,
                                          gpointer              user_data);

G_END_DECLS
