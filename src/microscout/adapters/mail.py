"""Outreach e-mail: messages written as ``.eml`` files anyone's mail program opens, and sent
through the SMTP server in the settings when there is one (smtplib; nothing is sent without
``smtp_host``)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

TIMEOUT_S = 30


@dataclass(frozen=True)
class Letter:
    to: str | None
    subject: str
    body: str


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str


def message(letter: Letter, sender: str | None, headers: dict[str, str]) -> EmailMessage:
    mail = EmailMessage()
    if sender:
        mail["From"] = sender
    if letter.to:
        mail["To"] = letter.to
    mail["Subject"] = letter.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="microscout.local")
    for name, value in headers.items():
        mail[name] = value
    mail.set_content(letter.body)
    return mail


def write_eml(path: Path, mail: EmailMessage) -> None:
    path.write_bytes(bytes(mail))


def send_all(smtp: Smtp, mails: Sequence[EmailMessage]) -> int:
    """Send ``mails`` over one connection; how many the server accepted. OSError or
    smtplib.SMTPException when the server cannot be reached or refuses the sign-in."""
    with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S) as server:
        if smtp.starttls:
            server.starttls(context=ssl.create_default_context())
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        sent = 0
        for mail in mails:
            refused = server.send_message(mail)
            sent += not refused
        return sent


__all__ = ["Letter", "Smtp", "message", "send_all", "write_eml"]
