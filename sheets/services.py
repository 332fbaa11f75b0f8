"""Uploads waiting for their confirmation: kept, claimed, cleaned."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sheets.models import Upload


def upload_create(*, user, model, file_name: str, file_format: str, data: bytes) -> Upload:
    """Keep a previewed file for its confirmation, under a key nobody can guess; files whose
    time has passed go at the same moment, so none outlives its expiry by long."""
    Upload.objects.expired().delete()
    upload = Upload(
        key=secrets.token_urlsafe(32),
        user=user,
        content_type=ContentType.objects.get_for_model(model),
        file_name=file_name[:255],
        file_format=file_format,
        data=data,
        expires_at=timezone.now() + dt.timedelta(hours=settings.IMPORT_UPLOAD_HOURS),
    )
    upload.full_clean()
    upload.save()
    return upload


def upload_claim(*, key: str, user, model) -> Upload | None:
    """The upload this user previewed on this import page, locked until the transaction ends
    (a second confirmation waits, then finds it gone); None if there is none or it expired."""
    return (
        Upload.objects.select_for_update()
        .filter(
            key=key,
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            expires_at__gt=timezone.now(),
        )
        .first()
    )
