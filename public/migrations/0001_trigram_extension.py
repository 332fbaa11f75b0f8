# pg_trgm gives the search its similarity of words for typos (public/search.py). A no-op on
# SQLite: CreateExtension acts on PostgreSQL only.
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [TrigramExtension()]
