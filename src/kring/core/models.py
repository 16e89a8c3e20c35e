from django.db import models
from django.utils.encoding import force_str


class RateLimitHit(models.Model):
    """Counts per key and fixed window; shared by every app process through the database."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}"


class ChoiceLabels:
    """A faster get_FOO_display(): Django's builds a dict of every (lazy, translated) label on
    each call, which in a table of 25 rows costs hundreds of translations; this finds the one
    label it needs. Put it before models.Model in a model's bases."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        for key, label in field.flatchoices:
            if key == value:
                return force_str(label, strings_only=True)
        return value
