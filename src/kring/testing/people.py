"""The people in a case, the same in every test: one name is one person, with the same details
in the unit tests of every app, the authorization matrix and the browser journeys.

- Daan de Boer: the person responsible (he broke Sanne's bicycle).
- Sanne Jansen: the person harmed. Her contact details are planted: tests prove that they never
  reach Daan's side, the office or the manager (R18), so they are defined here, once.
- Joost de Boer: Daan's brother, in Daan's circle.
- Ria Jansen: Sanne's aunt, in Sanne's circle (or named by Sanne, in the portal journey).
- Ellen Jansen: Sanne's mother, in Sanne's circle (her guardian, where Sanne is a minor).

Only data here, no app: the tests of every layer may import it (.importlinter). The fixtures
that add these people to a case are in kring.testing.circle_people. The staff (Carla, Bram, ...)
are in the root conftest.py.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    name: str
    side: str  # circle.models.Side
    relation: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    language: str = "nl"  # the language the portal, the letter and the mail speak to them
    wishes: str = ""  # only for a person harmed (R6)

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def details(self) -> dict:
        """The keyword arguments of circle.actions.add_participant (but `supports`)."""
        fields = ("name", "side", "relation", "email", "phone", "address", "language", "wishes")
        return {field: getattr(self, field) for field in fields if getattr(self, field)}


DAAN = Person(
    "Daan de Boer",
    "responsible",
    email="daan@example.org",
    phone="06 1111 2222",
    address="Daanstraat 12\n3512 CD Utrecht",
)
SANNE = Person(
    "Sanne Jansen",
    "harmed",
    email="sanne@example.org",
    phone="06 9876 5432",
    address="Lindelaan 4\n3511 AB Utrecht",
    language="en",
    wishes="Mijn tante Ria mag erbij zijn, mijn oom niet.",
)
JOOST = Person(
    "Joost de Boer",
    "supporter",
    relation="brother of Daan",
    email="joost@example.org",
    phone="06 5555 6666",
    address="Broerlaan 3\n3513 EF Utrecht",
)
RIA = Person("Ria Jansen", "supporter", relation="aunt of Sanne", email="ria@example.org")
ELLEN = Person(
    "Ellen Jansen",
    "supporter",
    relation="mother of Sanne",
    email="ellen@example.org",
    language="en",
)

# Planted in Sanne's record: must never reach the responsible side, the office or the manager.
SANNE_PHONE = SANNE.phone
SANNE_EMAIL = SANNE.email
SANNE_ADDRESS = SANNE.address
DAAN_ADDRESS = DAAN.address
