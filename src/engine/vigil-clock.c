/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-clock"

#include "config.h"

#include "vigil-clock.h"

struct _VigilClock
{
  GObject  parent_instance;

  gboolean fake;
  gint64   now_us;
};

G_DEFINE_FINAL_TYPE (VigilClock, vigil_clock, G_TYPE_OBJECT)

static void
vigil_clock_class_init (VigilClockClass *klass)
{
}

static void
vigil_clock_init (VigilClock *self)
{
}

VigilClock *
vigil_clock_new_system (void)
{
  return g_object_new (VIGIL_TYPE_CLOCK, NULL);
}

VigilClock *
vigil_clock_new_fake (gint64 now_us)
{
  VigilClock *self = g_object_new (VIGIL_TYPE_CLOCK, NULL);

  self->fake = TRUE;
  self->now_us = now_us;

  return self;
}

gint64
vigil_clock_get_now (VigilClock *self)
{
  g_return_val_if_fail (VIGIL_IS_CLOCK (self), 0);

  if (self->fake)
    return self->now_us;

  return g_get_real_time ();
}

GDateTime *
vigil_clock_dup_now_utc (VigilClock *self)
{
  g_return_val_if_fail (VIGIL_IS_CLOCK (self), NULL);

  gint64 now = vigil_clock_get_now (self);
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  return g_date_time_add (seconds, now % G_USEC_PER_SEC);
}

void
vigil_clock_set_now (VigilClock *self,
                     gint64      now_us)
{
  g_return_if_fail (VIGIL_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  self->now_us = now_us;
}

void
vigil_clock_advance (VigilClock *self,
                     gint64      delta_us)
{
  g_return_if_fail (VIGIL_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  self->now_us += delta_us;
}
