"""A mail server that refuses some recipients: Django's in-memory backend otherwise."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses, as an SMTP server would, any message to an address containing "refused"."""

    def send_messages(self, messages):
        for message in messages:
            refused = [address for address in message.recipients() if "refused" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"mailbox unavailable"))
                )
        return super().send_messages(messages)
