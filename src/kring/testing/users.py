"""Test users and teams. Apart from factories.py, so that the tests of kring.accounts and the
apps below it need nothing of the apps above (.importlinter)."""

import factory

from kring.accounts.models import Role, Team, User

PASSWORD = "kring-demo"  # noqa: S105


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = "Team Utrecht"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    email = factory.LazyAttribute(lambda o: f"{o.username}@kring.test")
    role = Role.COORDINATOR
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
