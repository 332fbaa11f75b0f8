"""axe-core's WCAG 2.1 A and AA rules on every public page in every language, in Chromium."""

import pytest
from django.core.management import call_command

from tests.public.pages import AXE, missing_tool, public_paths

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_every_public_page_passes_axe(browser, live_server, width):
    if not AXE.exists():
        missing_tool(f"{AXE} is missing: run `make install` (npm ci)")
    call_command("load_demo")
    # The site's CSP forbids inline scripts, rightly; only the injected checker needs them.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in public_paths():
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            if violations:
                found[path] = violations
    finally:
        context.close()

    assert found == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_reports_a_page_that_breaks_the_rules(browser, live_server):
    """The check above can fail: an image without text and low contrast are reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/en/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').append(img);
        }"""
    )

    try:
        assert any(v.startswith("image-alt") for v in axe_violations(page))
    finally:
        context.close()
