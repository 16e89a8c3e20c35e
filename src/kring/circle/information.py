"""What every participant is told before they consent (R9, R17): versioned, so that a consent
records exactly which text was shown. A change of wording gets a new version; old versions stay
here so that what someone agreed to can always be shown again."""

from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "2026-1"

# Each version: a list of (heading, paragraph) in English source text, translated in the .po.
VERSIONS = {
    "2026-1": [
        (
            _("What taking part means"),
            _(
                "In an Eigen Kracht conference the person harmed and the person responsible meet, "
                "each with family and friends, under an independent coordinator. Everyone says "
                "what happened and how it touched them, and together you make a restoration "
                "plan, which everyone present signs."
            ),
        ),
        (
            _("It is voluntary"),
            _(
                "You decide whether you take part. You may stop at any moment before the plan "
                "is signed, without giving a reason. It takes effect at once."
            ),
        ),
        (
            _("Your rights"),
            _(
                "You have the right to legal advice before you decide, to an interpreter if you "
                "need one, and to bring a support person of your choice. The coordinator "
                "arranges the interpreter."
            ),
        ),
        (
            _("What stays within the conference"),
            _(
                "What is said in preparation and at the meeting stays within the case. Nothing "
                "is passed on to a school, the police or a court without the consent of the "
                "people it concerns. Taking responsibility here is not a confession and is "
                "never used as evidence."
            ),
        ),
        (
            _("How your data is used"),
            _(
                "We keep your name, your contact details and your answers to prepare and hold "
                "the conference and to follow up the plan. Only your coordinator sees your "
                "conversations. Your contact details are never shown to the other side. Read "
                "the privacy statement for how long we keep data and what your rights are."
            ),
        ),
    ]
}


def sections(version: str = CURRENT_VERSION):
    return VERSIONS[version]
