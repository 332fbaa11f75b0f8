import re

import pytest


@pytest.mark.django_db
def test_admin_loads_no_script_from_outside(editor_client):
    response = editor_client.get("/admin/events/event/add/")

    sources = re.findall(r'<script[^>]+src="([^"]+)"', response.content.decode())
    assert any("vendor/jquery-ui/jquery-ui.min.js" in src for src in sources)
    assert [src for src in sources if src.startswith(("http:", "https:", "//"))] == []
