"""Documents in S3-compatible object storage, against a real S3 API server (moto in server mode,
started here on a free port): uploaded through the admin, served to readers, backed up and
restored, and served by two app servers alike."""

import hashlib
import re

import boto3
import pytest
import requests
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from moto.server import ThreadedMotoServer

from bench.server import Server, collect_static, free_port, production_env
from delegates.services import delegate_user_ensure
from documents.models import Document, DocumentFile
from forum.settings import s3_storage
from tests.factories import AssignmentFactory, DelegateFactory, EventFactory
from tests.support import documents as files
from tests.support.databases import manage, second_database
from tests.support.servers import REDIS_URL, Browser, FormFields, admin_session, database_url


@pytest.fixture
def s3_server():
    """moto's S3 API on 127.0.0.1 at a free port, for this test only."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets in this process's memory, across servers: start from none.
    requests.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()
    yield endpoint
    server.stop()


def s3_environ(endpoint: str, bucket: str) -> dict[str, str]:
    """The DJANGO_S3_* variables of the README for this server, with its bucket made."""
    environ = {
        "DJANGO_S3_BUCKET": bucket,
        "DJANGO_S3_ENDPOINT_URL": endpoint,
        "DJANGO_S3_REGION": "us-east-1",
        "DJANGO_S3_ACCESS_KEY_ID": "forum-test-key",
        "DJANGO_S3_SECRET_ACCESS_KEY": "forum-test-secret",
        "DJANGO_S3_PREFIX": "forum",
    }
    bucket_client(environ).create_bucket(Bucket=bucket)
    return environ


def bucket_client(environ: dict[str, str]):
    return boto3.client(
        "s3",
        endpoint_url=environ["DJANGO_S3_ENDPOINT_URL"],
        region_name=environ["DJANGO_S3_REGION"],
        aws_access_key_id=environ["DJANGO_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["DJANGO_S3_SECRET_ACCESS_KEY"],
    )


def objects(environ: dict[str, str]) -> dict[str, bytes]:
    client = bucket_client(environ)
    bucket = environ["DJANGO_S3_BUCKET"]
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listing
    }


@pytest.fixture
def on_s3(s3_server, settings):
    """The app's default storage is the S3 bucket, configured as production configures it."""
    environ = s3_environ(s3_server, "forum-documents")
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    return environ


def admin_form(event, language: str, name: str, content: bytes, access="participants") -> dict:
    return {
        "forum": event.forum_id,
        "event": event.pk,
        "kind": "minutes",
        "title_ru": "Протокол заседания",
        "date": "2020-09-28",
        "access": access,
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "3",
        "files-0-language": language,
        "files-0-file": SimpleUploadedFile(name, content),
    }


@pytest.mark.django_db
def test_an_uploaded_document_is_kept_in_the_bucket_and_served_from_it(
    on_s3, editor_client, client, settings
):
    event = EventFactory()
    content = files.docx()

    response = editor_client.post(
        "/admin/documents/document/add/", admin_form(event, "be", "пратакол.pdf", content)
    )

    assert response.status_code == 302
    document_file = DocumentFile.objects.get()
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.docx", document_file.file.name)
    assert objects(on_s3) == {f"forum/{document_file.file.name}": content}
    assert not (settings.MEDIA_ROOT / document_file.file.name).exists()
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    client.force_login(delegate_user_ensure(delegate=delegate))
    download = client.get(f"/be/me/documents/{document_file.document_id}-be.docx")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.django_db
def test_the_public_download_reads_the_bucket_and_a_lost_object_is_a_404(on_s3, editor_client):
    event = EventFactory()
    editor_client.post(
        "/admin/documents/document/add/",
        admin_form(event, "ru", "r.pdf", files.pdf(), access="public"),
    )
    document_file = DocumentFile.objects.get()
    url = f"/documents/{event.forum.year}/{document_file.document_id}-ru.pdf"
    editor_client.logout()

    response = editor_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()

    bucket_client(on_s3).delete_object(
        Bucket=on_s3["DJANGO_S3_BUCKET"], Key=f"forum/{document_file.file.name}"
    )
    assert editor_client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_backup_of_the_bucket_restores_into_another_bucket_and_database(
    on_s3, s3_server, editor_client, tmp_path
):
    event = EventFactory()
    for language, content in (("ru", files.pdf()), ("en", files.xlsx())):
        editor_client.post(
            "/admin/documents/document/add/", admin_form(event, language, "x", content)
        )
    backup = tmp_path / "forum.tar.xz"
    call_command("backup_dump", str(backup), verbosity=0)
    other = s3_environ(s3_server, "forum-restored")

    with second_database(tmp_path) as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        out = manage(url, "backup_restore", str(backup), **other)

    assert "(2 files)" in out
    assert objects(other) == objects(on_s3)
    assert len(objects(other)) == 2
    assert Document.objects.count() == 2


def upload_through_the_admin(server: Server, browser: Browser, event, content: bytes) -> None:
    """The add form of a document on ``server``, filled and sent with a file, as a person does."""
    url = f"{server.base_url}/admin/documents/document/add/"
    page = browser.request("GET", url)
    assert page.status_code == 200
    parser = FormFields("document_form")
    parser.feed(page.text)
    data = dict(parser.fields)
    data.update(
        forum=str(event.forum_id),
        event=str(event.pk),
        kind="resolution",
        title_ru="Итоговая резолюция",
        date="2020-09-29",
        access="public",
        **{"files-0-language": "ru"},
    )
    response = browser.request(
        "POST", url, data={**data, "_save": "Save"}, files={"files-0-file": ("r.pdf", content)}
    )
    assert response.status_code == 302, re.findall(r'class="errorlist.*?</ul>', response.text)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_app_servers_on_the_bucket_serve_the_file_one_of_them_took(
    shared_stack, s3_server, tmp_path
):
    environ = s3_environ(s3_server, "forum-shared")
    event = EventFactory()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    env = production_env(database_url=database_url(), redis_url=REDIS_URL, **environ)
    collect_static(env)
    connection.close()
    content = files.pdf("Shared by two servers")

    with (
        Server(env=env, port=free_port(), log_path=tmp_path / "a.log", workers=1) as one,
        Server(env=env, port=free_port(), log_path=tmp_path / "b.log", workers=1) as other,
    ):
        upload_through_the_admin(
            one, admin_session(one, "chief", "a-long-pass-phrase"), event, content
        )
        document_file = DocumentFile.objects.get()
        path = f"/documents/{event.forum.year}/{document_file.document_id}-ru.pdf"
        served = [requests.get(server.base_url + path) for server in (other, one)]

    assert [response.status_code for response in served] == [200, 200]
    assert {hashlib.sha256(response.content).hexdigest() for response in served} == {
        hashlib.sha256(content).hexdigest()
    }
    assert served[0].headers["ETag"] == served[1].headers["ETag"]
    assert list(objects(environ)) == [f"forum/{document_file.file.name}"]
    for log in ("a.log", "b.log"):
        assert "Traceback" not in (tmp_path / log).read_text()
