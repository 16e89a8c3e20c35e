"""Test data: the same few people in every test: coordinator Carla, her
colleague Olaf, office worker Bram, manager Mira, researcher Ruud; Daan and Sanne in a case."""

import factory
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.referrals.models import PeopleInformed, Referral, ReferralPerson, RequesterRelation
from kring.testing.users import PASSWORD, TeamFactory, UserFactory

# Users and teams live in users.py; here too, for the tests of the apps above accounts.
__all__ = ["PASSWORD", "CaseFactory", "ReferralFactory", "TeamFactory", "UserFactory"]


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    requester_name = "Petra de Vries"
    requester_relation = RequesterRelation.RELATIVE
    requester_email = "petra@example.org"
    requester_phone = "06 1234 5678"
    description = "Daan heeft de fiets van Sanne vernield."
    people_informed = PeopleInformed.SOME
    privacy_version = "2026-1"
    privacy_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def people(obj, create, extracted, **kwargs):
        if not create:
            return
        for name, side in extracted or [("Daan", "responsible"), ("Sanne", "harmed")]:
            ReferralPerson.objects.create(referral=obj, name=name, side=side)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in any state, made directly (tests of the moves themselves use the actions)."""

    class Meta:
        model = Case

    referral = factory.SubFactory(ReferralFactory)
    state = State.REQUESTED
    state_changed_at = factory.LazyFunction(timezone.now)
