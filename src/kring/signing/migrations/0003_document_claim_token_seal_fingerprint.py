# Issue 11 review: the fencing token of a claim on a document (signing.tasks), and the SHA-256
# fingerprint of the certificate that sealed it (signing.verify trusts it after a renewal).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('signing', '0002_document_claimed_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='signeddocument',
            name='claim_token',
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='signeddocument',
            name='seal_fingerprint',
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
