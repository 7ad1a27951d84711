/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What Alertmanager says of a silence. Only an active silence mutes
 * alerts; a pending one is scheduled, an expired one is history (the server
 * keeps it for its retention period). A state this client does not know is
 * UNKNOWN, which mutes nothing either. */
typedef enum {
  VIGIL_SILENCE_STATE_ACTIVE,
  VIGIL_SILENCE_STATE_PENDING,
  VIGIL_SILENCE_STATE_EXPIRED,
  VIGIL_SILENCE_STATE_UNKNOWN,
} VigilSilenceState;

#define VIGIL_TYPE_SILENCE_STATE (vigil_silence_state_get_type ())
GType vigil_silence_state_get_type (void);

/* Why a silence was refused before it was sent. The messages are plain
 * sentences for the engineer. */
#define VIGIL_SILENCE_ERROR (vigil_silence_error_quark ())
GQuark vigil_silence_error_quark (void);

typedef enum {
  VIGIL_SILENCE_ERROR_NO_MATCHERS,        /* no matcher, or one without a name */
  VIGIL_SILENCE_ERROR_MATCHES_EVERYTHING, /* every matcher matches the empty string */
  VIGIL_SILENCE_ERROR_NO_TIMES,           /* startsAt or endsAt missing */
  VIGIL_SILENCE_ERROR_ENDS_BEFORE_START,
  VIGIL_SILENCE_ERROR_ENDS_IN_PAST,
  VIGIL_SILENCE_ERROR_NO_CREATOR,
  VIGIL_SILENCE_ERROR_NO_COMMENT,
} VigilSilenceError;

/* One matcher: `name="value"` (is_equal, not is_regex), `name!="value"`,
 * `name=~"regex"`, `name!~"regex"`. Regexes are Go RE2, anchored at both
 * ends by the server. */
typedef struct {
  char     *name;
  char     *value;
  gboolean  is_regex;
  gboolean  is_equal;
} VigilMatcher;

#define VIGIL_TYPE_MATCHER (vigil_matcher_get_type ())
GType         vigil_matcher_get_type      (void);
VigilMatcher *vigil_matcher_new           (const char         *name,
                                           const char         *value,
                                           gboolean            is_regex,
                                           gboolean            is_equal);
VigilMatcher *vigil_matcher_copy          (const VigilMatcher *self);
void          vigil_matcher_free          (VigilMatcher       *self);
/* Whether the matcher matches an alert that lacks the label (an absent
 * label is the empty string). For regexes this is GRegex's reading of
 * RE2 syntax, so it is advice; a regex GRegex cannot compile is taken
 * not to match, and the server has the last word. */
gboolean      vigil_matcher_matches_empty (const VigilMatcher *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilMatcher, vigil_matcher_free)

/* An Alertmanager silence (API v2). Properties (notified only on real
 * change): id, state, starts-at, ends-at, updated-at, created-by, comment. */
#define VIGIL_TYPE_SILENCE (vigil_silence_get_type ())
G_DECLARE_FINAL_TYPE (VigilSilence, vigil_silence, VIGIL, SILENCE, GObject)

VigilSilence      *vigil_silence_new             (void);

/* NULL until the server has given one. */
const char        *vigil_silence_get_id          (VigilSilence       *self);
void               vigil_silence_set_id          (VigilSilence       *self,
                                                  const char         *id);
/* Array of VigilMatcher, owned by the silence. */
GPtrArray         *vigil_silence_get_matchers    (VigilSilence       *self);
void               vigil_silence_add_matcher     (VigilSilence       *self,
                                                  const char         *name,
                                                  const char         *value,
                                                  gboolean            is_regex,
                                                  gboolean            is_equal);
VigilSilenceState  vigil_silence_get_state       (VigilSilence       *self);
void               vigil_silence_set_state       (VigilSilence       *self,
                                                  VigilSilenceState   state);
gboolean           vigil_silence_is_active       (VigilSilence       *self);
/* Times are UTC; NULL when unknown. The server replaces a start in the
 * past with its own now, so read startsAt back rather than trust the
 * value sent. */
GDateTime         *vigil_silence_get_starts_at   (VigilSilence       *self);
void               vigil_silence_set_starts_at   (VigilSilence       *self,
                                                  GDateTime          *when);
GDateTime         *vigil_silence_get_ends_at     (VigilSilence       *self);
void               vigil_silence_set_ends_at     (VigilSilence       *self,
                                                  GDateTime          *when);
GDateTime         *vigil_silence_get_updated_at  (VigilSilence       *self);
void               vigil_silence_set_updated_at  (VigilSilence       *self,
                                                  GDateTime          *when);
const char        *vigil_silence_get_created_by  (VigilSilence       *self);
void               vigil_silence_set_created_by  (VigilSilence       *self,
                                                  const char         *created_by);
const char        *vigil_silence_get_comment     (VigilSilence       *self);
void               vigil_silence_set_comment     (VigilSilence       *self,
                                                  const char         *comment);

/* The checks Alertmanager makes, done before sending so the engineer gets
 * a sentence instead of a 400: at least one matcher, each with a name, and
 * one that cannot match the empty string; both times, endsAt after startsAt
 * and after `now` (the server's clock, as well as the caller can tell);
 * non-blank createdBy and comment. Sets a VIGIL_SILENCE_ERROR. */
gboolean           vigil_silence_validate        (VigilSilence       *self,
                                                  GDateTime          *now,
                                                  GError            **error);

/* The body of POST /api/v2/silences: matchers, RFC 3339 UTC times,
 * createdBy, comment, and the id when the silence has one (which updates
 * it). Does not validate. */
GBytes            *vigil_silence_to_json         (VigilSilence       *self);

/* Pure parsers, like those of vigil-parse.h (VIGIL_PARSE_ERROR).
 * GET /api/v2/silences: array of VigilSilence, in the server's order. */
GPtrArray         *vigil_silence_parse_list      (GBytes             *body,
                                                  GError            **error);
/* The answer to POST /api/v2/silences: the new silence's id. */
char              *vigil_silence_parse_created   (GBytes             *body,
                                                  GError            **error);

const char        *vigil_silence_state_to_string (VigilSilenceState   state);

G_END_DECLS
