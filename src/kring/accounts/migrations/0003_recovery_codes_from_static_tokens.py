# Existing users keep their recovery codes: django-otp's plain-text StaticTokens become hashed
# RecoveryCodes, and the plain ones are deleted (docs/adr/0004-hashed-recovery-codes.md).

from django.db import migrations

from kring.accounts.second_factor import recovery_code_hash


def convert_static_tokens(apps, schema_editor=None) -> int:
    """Hash the tokens of every confirmed StaticDevice into RecoveryCode rows, then delete every
    StaticDevice (and so every token). Returns the number of codes added.

    The hash is the running code's recovery_code_hash on purpose: the rows must match what
    Kring verifies against. Running it twice adds nothing twice."""
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    tokens = StaticToken.objects.filter(device__confirmed=True).values_list(
        "device__user_id", "token"
    )
    hashes = {(user_id, recovery_code_hash(user_id, token)) for user_id, token in tokens}
    existing = set(
        RecoveryCode.objects.filter(user_id__in={user_id for user_id, _ in hashes}).values_list(
            "user_id", "code_hash"
        )
    )
    new = sorted(hashes - existing)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user_id=user_id, code_hash=code_hash) for user_id, code_hash in new
    )
    StaticDevice.objects.all().delete()
    return len(new)


def forget_codes(apps, schema_editor=None) -> None:
    """Going back cannot restore plain codes: users make new recovery codes on their account
    page (their app still works). The RecoveryCode table goes with 0002's reversal."""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_recoverycode"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(convert_static_tokens, forget_codes, elidable=True)]
