/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Where the engine gets the time. The system clock reads the wall clock; a
 * fake clock only moves when a test moves it. */
#define VIGIL_TYPE_CLOCK (vigil_clock_get_type ())
G_DECLARE_FINAL_TYPE (VigilClock, vigil_clock, VIGIL, CLOCK, GObject)

VigilClock *vigil_clock_new_system  (void);
VigilClock *vigil_clock_new_fake    (gint64      now_us);
/* Microseconds since the Unix epoch. */
gint64      vigil_clock_get_now     (VigilClock *self);
GDateTime  *vigil_clock_dup_now_utc (VigilClock *self);
/* Fake clocks only. */
void        vigil_clock_set_now     (VigilClock *self,
                                     gint64      now_us);
void        vigil_clock_advance     (VigilClock *self,
                                     gint64      delta_us);

G_END_DECLS
