"""Sending email: through SMTP when ``MAIL_SERVER`` is set, else to the outbox.

Without a mail server (a pilot, a laptop, the tests) every message is written
to the application log and to a file in ``instance/outbox/``, where an
operator can read it and pass the link on by hand.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from betterway_map.domain.clock import utcnow

__all__ = ["send", "outbox_folder"]


def outbox_folder() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="betterway.invalid")
    message.set_content(body)
    return message


def send(to: str, subject: str, body: str) -> Path | None:
    """Send one plain-text email; return the outbox file when there is no server.

    A failing mail server is logged, not raised: the person asking for a
    reset link sees the same page either way (and an operator sees the log).
    """
    message = _message(to, subject, body)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        try:
            with smtplib.SMTP(
                config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
            ) as smtp:
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls(context=ssl.create_default_context())
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            current_app.logger.error("Could not send email %r to %s: %s", subject, to, error)
        return None
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(bytes(message))
    path.chmod(0o600)
    current_app.logger.warning(
        "No MAIL_SERVER set: email %r to %s written to %s\n%s", subject, to, path, body
    )
    return path
