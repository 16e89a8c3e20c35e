"""Fixtures of the document part (issue 11, points 3, 5, 6): the final version signed by every
slot, rows made directly (the signing actions are tested in test_actions.py), and its document
made by the task."""

from datetime import UTC, datetime, timedelta

import pytest


def sign_for(version, person, role="own", signer=None):
    """`signer` (by default `person`) signs `person`'s place of `version` remotely, through the
    personal page, with the real action: their own place, or as guardian (role "guardian") of
    the minor `person`."""
    from kring.audit.actors import Actor
    from kring.signing import actions, consent
    from kring.signing.models import Role

    signer = signer or person
    minor = person if role == Role.GUARDIAN else None
    return actions.sign(
        version,
        person.pk,
        role,
        by=Actor.in_portal(signer, for_participant=minor),
        code_verified=True,  # the page asked for the one-time code
        typed_name=signer.name,
        agreed=True,
        consent_text=consent.consent_text(version, "nl"),
        shown_hash=version.content_hash,
    )


@pytest.fixture
def signed_version(final_version, carla):
    """Every slot of version 1 signed: on Carla's tablet, except the last one remotely. Daan
    typed his name differently from how it is recorded."""
    from kring.signing import queries
    from kring.signing.models import Method, Signature

    start = datetime(2026, 6, 3, 17, 5, tzinfo=UTC)
    found = queries.slots(final_version)
    for index, slot in enumerate(found):
        remote = index == len(found) - 1
        typed = "D. de Vries" if slot.signer.name.startswith("Daan") else slot.signer.name
        Signature.objects.create(
            version=final_version,
            participant=slot.participant,
            role=slot.role,
            signed_by=slot.signer,
            content_hash=final_version.content_hash,
            consent_text="Ik ga akkoord met dit plan.",
            typed_name=typed,
            signed_at=start + timedelta(minutes=index),
            method=Method.REMOTE if remote else Method.IN_PERSON,
            hosted_by=None if remote else carla,
            remote_address="192.0.2.44" if remote else None,
            user_agent="Mozilla/5.0 (test)" if remote else "",
        )
    return final_version


@pytest.fixture
def pending_document(signed_version, django_capture_on_commit_callbacks):
    """The document started, its task not run yet."""
    from django.db import transaction

    from kring.signing import documents

    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        document = documents.start(signed_version)
    return document


@pytest.fixture
def made_document(signed_version, django_capture_on_commit_callbacks):
    """The document started and made by the task (run at once in the tests' settings)."""
    from django.db import transaction

    from kring.signing import documents

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        document = documents.start(signed_version)
    document.refresh_from_db()
    return document
