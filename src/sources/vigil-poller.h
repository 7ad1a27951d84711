/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-source.h"

G_BEGIN_DECLS

/* Polls every source on an interval (default 15 s) and emits what each poll
 * gave. Owns its timer and cancellable; the tracker listens to it. */
#define VIGIL_TYPE_POLLER (vigil_poller_get_type ())
G_DECLARE_FINAL_TYPE (VigilPoller, vigil_poller, VIGIL, POLLER, GObject)

#define VIGIL_POLLER_DEFAULT_INTERVAL 15

VigilPoller *vigil_poller_new            (void);
/* A GListModel of VigilSource. */
GListModel  *vigil_poller_get_sources    (VigilPoller  *self);
void         vigil_poller_add_source     (VigilPoller  *self,
                                          VigilSource  *source);
void         vigil_poller_clear_sources  (VigilPoller  *self);
gboolean     vigil_poller_has_alertmanager (VigilPoller *self);
guint        vigil_poller_get_interval   (VigilPoller  *self);
void         vigil_poller_set_interval   (VigilPoller  *self,
                                          guint         seconds);
/* Polls now, then every interval, until stopped. */
void         vigil_poller_start          (VigilPoller  *self);
void         vigil_poller_stop           (VigilPoller  *self);
/* Polls every source once, in parallel; finishes when all have answered or
 * failed. TRUE when every source answered. Asked while a round is in flight
 * (the timer's, or another caller's), it waits for that round instead of
 * starting another, so no server ever gets two requests at once. The
 * cancellable ends only this caller's wait; vigil_poller_stop() ends the
 * round. */
void         vigil_poller_poll_once_async  (VigilPoller         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     vigil_poller_poll_once_finish (VigilPoller         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* The source's health as one plain sentence for the window and `vigil
 * --status`: "Up to date.", "No fresh data: showing data from 12 min
 * ago.", or the error sentence followed by "Showing data from 3 min ago."
 * while the last good alerts stay shown. Data older than three intervals
 * is stale even before the poller marks it. */
char        *vigil_poller_describe_source  (VigilPoller         *self,
                                            VigilSource         *source,
                                            gint64               now_us);

/* Signals:
 *   source-polled (VigilSource *source, GPtrArray *alerts_or_null)
 *     after each source's poll; alerts is NULL when it failed.
 *   poll-finished ()
 *     after a round of polls. */

G_END_DECLS
