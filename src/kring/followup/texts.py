"""The words of follow-up's text checks, once (issue 12 review, finding 8): the forms
(followup.forms, followup.portal_forms) say them at the field, the actions (followup.actions)
say them when they refuse, in the same words.

- `TOO_LONG`: a text longer than its limit; interpolate with `limit_value` (Django's max_length
  check passes that name; an action passes `{"limit_value": limit}`).
- `INVISIBLE`: a NUL character in the text.
- `ANSWER_REQUIRED`, `ASK_BACK_REQUIRED`: an empty answer to a report, an empty question back.
- `REPORT_HELP`: the help text at a participant's report, with the limit filled in
  (`{"limit": actions.TEXT_MAX}`)."""

from django.utils.translation import gettext_lazy as _

TOO_LONG = _("Make the text shorter: at most %(limit_value)s characters.")
INVISIBLE = _("Remove the invisible character from the text.")
ANSWER_REQUIRED = _("Type your answer.")
ASK_BACK_REQUIRED = _("Type what you want to ask.")
REPORT_HELP = _("Your coordinator reads this. At most %(limit)s characters.")
