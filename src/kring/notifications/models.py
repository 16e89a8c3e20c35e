"""The outbox: every e-mail is written here in the transaction that causes it, then sent by a
task (payload: the id only). A sweep re-sends what a crashed worker left behind."""

from django.db import models


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"  # gave up after the last retry; the sweep does not pick it up again

    kind = models.CharField(max_length=60)  # e.g. "referral.received"
    to = models.EmailField(max_length=254)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # A personal link, encrypted (notifications.secrets), put into the body only when sending
    # and erased once sent: the outbox never holds a usable link in clear.
    secret = models.TextField(blank=True)
    # Files sent with the mail, e.g. a calendar file (scheduling): a list of {"filename",
    # "content_type", "content"} with text content. Attachments are never secrets.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="mail_status_created")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"
