"""A real SMTP server for browser tests (aiosmtpd), keeping every message it receives."""

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    envelope_from: str
    envelope_to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class _Inbox:
    """aiosmtpd's handler: stores each message and wakes whoever waits for one."""

    def __init__(self):
        self.messages: list[ReceivedMail] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        mail = ReceivedMail(
            envelope_from=envelope.mail_from,
            envelope_to=tuple(envelope.rcpt_tos),
            message=message_from_bytes(envelope.original_content, policy=policy.default),
        )
        with self.arrived:
            self.messages.append(mail)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SmtpServer:
    host = "127.0.0.1"

    def __init__(self):
        self.port = _free_port(self.host)
        self._inbox = _Inbox()
        self._controller = Controller(self._inbox, hostname=self.host, port=self.port)

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._inbox.arrived:
            return list(self._inbox.messages)

    def wait_for_mail(self, to: str, *, timeout: float = 10.0) -> ReceivedMail:
        """The first message delivered to `to`; waits for it to arrive (the task queue sends
        after the transaction commits), failing after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._inbox.arrived:
            while True:
                for mail in self._inbox.messages:
                    if to in mail.envelope_to:
                        return mail
                left = deadline - time.monotonic()
                if left <= 0:
                    received = [m.envelope_to for m in self._inbox.messages] or "nothing"
                    raise AssertionError(
                        f"no mail to {to} within {timeout} s; the server received: {received}"
                    )
                self._inbox.arrived.wait(left)

    def wait_for_subject(self, to: str, subject: str, *, timeout: float = 10.0) -> ReceivedMail:
        """The message to `to` with `subject`; waits for it to arrive (the outbox sends after
        commit), failing after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._inbox.arrived:
            while True:
                for mail in self._inbox.messages:
                    if to in mail.envelope_to and mail.subject == subject:
                        return mail
                left = deadline - time.monotonic()
                assert left > 0, f"no mail {subject!r} to {to} within {timeout} s"
                self._inbox.arrived.wait(left)
